"""The benchmarks still run: a smoke run of the throughput and overhead suites, and of
the fault experiment (whose own bookkeeping is checked against a fake's state).

Figures are not checked here (tests check behaviour, benchmarks measure);
only that each suite reaches its servers, runs every contender and records
a figure for each.
"""

from __future__ import annotations

import pytest

from benchmarks import client as bench
from benchmarks import faults
from wikijs import WikiJSClient
from wikijs.errors import ConnectionLostError, HTTPStatusError, RequestTimeoutError
from wikijs.middleware import RetryStrategy
from wikijs.testing import FakeWikiJS, Fault, ProxyRecord


@pytest.fixture(autouse=True)
def fresh_figures() -> None:
    bench.FIGURES.clear()


def test_throughput_and_overhead_suites_record_every_figure(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with bench.replay_server() as url:
        bench.bench_overhead(url, repeat=1, calls=3)
        bench.bench_throughput(url, "KEY", 2, repeat=1, rounds=1, label="smoke", cpu_goal=1.25)
    names = [figure.name for figure in bench.FIGURES]
    assert names == [
        "cost: WikiJSClient.pages.get vs raw httpx POST",
        "cost: AsyncWikiJSClient.pages.get vs raw httpx POST",
        "throughput: AsyncWikiJSClient vs raw aiohttp, gather(100)",
        "cost: client CPU per pages.get vs raw aiohttp, gather(100)",
        "  the same, given an httpx.AsyncClient",
        "throughput: raw httpx over httpx-aiohttp vs raw aiohttp",
        "throughput: raw httpx.AsyncClient vs raw aiohttp",
    ]
    assert all(f.measured > 0 and f.baseline > 0 for f in bench.FIGURES)
    out = capsys.readouterr().out
    assert "target >= 0.9x" in out
    assert "process time, median; target <= 1.25x" in out


def test_the_throughput_suite_reads_a_page_of_the_fake() -> None:
    with bench.fake_server(latency_ms=0) as (url, key):
        page_id = bench.first_page_id(url, key)
        assert page_id is not None
        bench.bench_throughput(url, key, page_id, repeat=1, rounds=1, label="fake smoke")
    assert len(bench.FIGURES) == 5


def test_get_many_is_timed_against_a_raw_post_of_its_own_document() -> None:
    with bench.fake_server(latency_ms=0) as (url, key):
        body = bench.get_many_request_body([1, 2])
        bench.bench_get_many_vs_raw(url, key, repeat=1)
    assert b"b0_pages:pages{single(id:$b0_id)" in body  # one aliased document for both
    assert b'"variables":{"b0_id":1,"b1_id":2}' in body
    assert [f.name for f in bench.FIGURES] == [
        "cost: get_many(50) vs raw httpx POST of its document",
        "cost: async get_many(50) vs raw aiohttp POST of it",
    ]
    assert all(f.measured > 0 and f.baseline > 0 and f.met is not None for f in bench.FIGURES)


def test_the_import_suite_compares_whole_processes_with_httpx() -> None:
    bench.bench_import(repeat=1)
    assert [f.name.split(" vs ")[0] for f in bench.FIGURES] == [
        'python -c "import wikijs"',
        "wikijs --help",
        '"from wikijs import WikiJSClient"',
    ]
    assert all(f.baseline > 0 and f.unit == "ms" for f in bench.FIGURES)


# -- benchmarks/faults.py: writes through the fault proxy ---------------------------------


def test_the_fault_experiment_runs_both_clients_and_cleans_up() -> None:
    lines: list[str] = []
    with FakeWikiJS() as fake, fake.serve() as url:
        report = faults.run(
            url,
            fake.api_key,
            pages=3,
            rate=0.3,
            seed=5,
            retry_after=0,
            timeout=0.3,
            retry=RetryStrategy(initial_delay=0),
            out=lines.append,
        )
        left = [p.path for p in fake.core.state.pages.values() if p.path.startswith("faults-")]
    assert [run.client for run in report.runs] == ["sync", "async"]
    for run in report.runs:
        assert len(run.of("create")) == 3
        assert len(run.of("update")) == sum(1 for a in run.of("create") if a.landed)
        assert any(r.fault is not None for r in run.records)
        # Nobody else writes to this fake: what a call returned as done is there.
        assert all(a.returned_ok and a.landed for a in run.attempts if a.error is None)
    assert left == []
    assert (
        f"cleaned up: {sum(a.landed for a in report.attempts if a.kind == 'create')}" in (lines[-1])
    )
    assert "request_sent" in "\n".join(lines)


def test_the_fault_experiment_exits_0_when_every_write_completes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert faults.main(["--pages", "2", "--rate", "0", "--client", "sync"]) == 0
    out = capsys.readouterr().out
    assert "2 (100.0%)" in out
    assert "verdict: PASS" in out


def test_the_fault_experiment_checks_the_wiki_itself() -> None:
    plan = faults.intents("faults-t/sync", 4)
    forwarded = ProxyRecord("POST", "/graphql", ("UpdatePage",), forwarded=True)
    dropped = ProxyRecord("POST", "/graphql", ("CreatePage",), fault=Fault.refuse())
    with (
        FakeWikiJS() as fake,
        WikiJSClient(fake.url, auth=fake.api_key, transport=fake.sync_transport()) as direct,
    ):
        ids = [direct.pages.create(**plan[i].created).id for i in (0, 1, 3)]
        for _ in range(2):  # page 0 updated, and the update applied twice
            direct.pages.update(ids[0], **plan[0].updated)
        direct.pages.create(title="stray", path="faults-t/sync/stray", content="x")
        twin = direct.pages.create(title="twin", path="faults-t/sync/twin", content="x")
        # The real server has no unique index on the path: two pages can share one.
        fake.core.state.pages[twin.id].path = plan[3].path
        attempts = [
            faults.Attempt("create", plan[0], None, None),
            faults.Attempt("create", plan[1], None, None),
            faults.Attempt("create", plan[2], ConnectionLostError("cut"), dropped),
            faults.Attempt("create", plan[3], None, None),
            faults.Attempt("update", plan[0], None, None),
            faults.Attempt("update", plan[1], None, None),  # said done, but never landed
            faults.Attempt("update", plan[3], HTTPStatusError("502", status_code=502), None),
            faults.Attempt(
                "update", plan[2], RequestTimeoutError("t", request_sent=False), forwarded
            ),
        ]
        run = faults.ClientRun("sync", attempts, [], 0.0)
        faults.verify(direct, "faults-t/sync", plan, run)
    assert [a.landed for a in attempts] == [True, True, False, True, True, False, False, False]
    assert [a.completed for a in attempts] == [True, True, False, True, True, False, False, False]
    assert (run.duplicate_pages, run.stray_pages, run.extra_versions) == (1, 1, 1)
    # (every SDK error says request_sent; here the 502's request has no proxy record)
    assert [a.truth for a in attempts if a.error] == ["unprovable", "no request", "untrue"]
    assert faults.Report([run]).problems(0.5) == [
        "2 duplicated pages",
        "1 reported done but missing",
        "1 untrue request_sent",
    ]
    attempts[5].returned_ok = True  # the SDK read it back as written: someone undid it since
    assert "1 written, then changed by another client: rerun" in faults.Report([run]).problems(0.5)


def test_the_views_suite_measures_every_case_for_both_clients() -> None:
    from benchmarks import views

    figures = views.run(views=50, repeat=1)
    assert {client for client, _ in figures} == {"WikiJSClient", "AsyncWikiJSClient"}
    assert {case for _, case in figures} == set(views.CASES)
    assert all(ms > 0 for ms in figures.values())
