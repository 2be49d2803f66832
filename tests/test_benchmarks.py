"""The client benchmarks still run: a smoke run of the throughput and overhead suites.

Figures are not checked here (tests check behaviour, benchmarks measure);
only that each suite reaches its servers, runs every contender and records
a figure for each.
"""

from __future__ import annotations

import pytest

from benchmarks import client as bench


@pytest.fixture(autouse=True)
def fresh_figures() -> None:
    bench.FIGURES.clear()


def test_throughput_and_overhead_suites_record_every_figure(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with bench.replay_server() as url:
        bench.bench_overhead(url, repeat=1, calls=3)
        bench.bench_throughput(url, "KEY", 2, repeat=1, rounds=1, label="smoke")
    names = [figure.name for figure in bench.FIGURES]
    assert names == [
        "cost: WikiJSClient.pages.get vs raw httpx POST",
        "cost: AsyncWikiJSClient.pages.get vs raw httpx POST",
        "throughput: AsyncWikiJSClient vs raw aiohttp, gather(100)",
        "  the same, given an httpx.AsyncClient",
        "throughput: raw httpx over httpx-aiohttp vs raw aiohttp",
        "throughput: raw httpx.AsyncClient vs raw aiohttp",
    ]
    assert all(f.measured > 0 and f.baseline > 0 for f in bench.FIGURES)
    assert "target >= 0.9x" in capsys.readouterr().out


def test_the_throughput_suite_reads_a_page_of_the_fake() -> None:
    with bench.fake_server(latency_ms=0) as (url, key):
        page_id = bench.first_page_id(url, key)
        assert page_id is not None
        bench.bench_throughput(url, key, page_id, repeat=1, rounds=1, label="fake smoke")
    assert len(bench.FIGURES) == 4
