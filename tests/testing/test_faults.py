"""Latency, scripted and random faults, in-process."""

# GraphQL documents read best on one line.
# ruff: noqa: E501

from __future__ import annotations

import time

import httpx
import pytest

from wikijs.testing import FakeWikiJS, Fault

from .conftest import Caller

CREATE = """mutation ($p: String!) { pages { create(content: "x", description: "", editor: "markdown",
  isPublished: true, isPrivate: false, locale: "en", path: $p, tags: [], title: "T") {
  responseResult { succeeded } } } }"""


def test_http_fault_answers_without_processing(fake: FakeWikiJS, gql: Caller) -> None:
    fake.faults.push(Fault.http(503, retry_after=2, body="busy"))
    response = gql.post(CREATE, {"p": "docs/a"})
    assert (response.status_code, response.headers["retry-after"], response.text) == (
        503,
        "2",
        "busy",
    )
    assert fake.core.state.pages == {}
    assert fake.requests[-1].fault == "http"


def test_refuse_raises_connect_error_and_never_reaches_server(
    fake: FakeWikiJS, gql: Caller
) -> None:
    fake.faults.push(Fault.refuse())
    with pytest.raises(httpx.ConnectError):
        gql.post(CREATE, {"p": "docs/a"})
    assert fake.core.state.pages == {}
    assert fake.requests[-1].status is None


def test_drop_after_applies_the_mutation_then_cuts(fake: FakeWikiJS, gql: Caller) -> None:
    fake.faults.push(Fault.drop_after())
    with pytest.raises(httpx.RemoteProtocolError):
        gql.post(CREATE, {"p": "docs/a"})
    assert [p.path for p in fake.core.state.pages.values()] == ["docs/a"]


def test_operation_filter_skips_other_requests(fake: FakeWikiJS, gql: Caller) -> None:
    fake.faults.push(Fault.refuse(operation="pages.create"))
    assert gql("{ pages { list { id } } }") == {"data": {"pages": {"list": []}}}
    assert fake.faults.pending == 1
    with pytest.raises(httpx.ConnectError):
        gql.post(CREATE, {"p": "docs/a"})
    assert fake.faults.pending == 0
    assert fake.core.state.pages == {}


def test_operation_filter_by_operation_name_and_http(fake: FakeWikiJS, gql: Caller) -> None:
    fake.faults.push(Fault.http(502, operation="Mine"))
    assert gql.post("query Mine { pages { tags { id } } }").status_code == 502


def test_path_filter(fake: FakeWikiJS, gql: Caller) -> None:
    fake.faults.push(Fault.http(500, path="/u"))
    assert gql.http.get("/healthz").status_code == 200
    assert gql.http.post("/u", content=b"", headers=gql.headers()).status_code == 500


def test_stall_and_latency_delay_answers(fake: FakeWikiJS, gql: Caller) -> None:
    fake.faults.push(Fault.stall(0.05))
    started = time.perf_counter()
    assert gql.http.get("/healthz").status_code == 200
    assert time.perf_counter() - started >= 0.05
    fake.latency = 0.03
    started = time.perf_counter()
    gql.http.get("/healthz")
    assert time.perf_counter() - started >= 0.03
    assert fake.latency == 0.03


async def test_async_transport_faults_and_latency(fake: FakeWikiJS) -> None:
    fake.latency = 0.01
    fake.faults.extend([Fault.refuse(), Fault.drop_after(), Fault.stall(0.01)])
    async with httpx.AsyncClient(base_url=fake.url, transport=fake.async_transport()) as client:
        with pytest.raises(httpx.ConnectError):
            await client.get("/healthz")
        with pytest.raises(httpx.RemoteProtocolError):
            await client.get("/healthz")
        assert (await client.get("/healthz")).status_code == 200
    fake.faults.push(Fault.refuse(operation="pages.list"))
    async with httpx.AsyncClient(base_url=fake.url, transport=fake.async_transport()) as client:
        with pytest.raises(httpx.ConnectError):
            await client.post("/graphql", json={"query": "{ pages { list { id } } }"})


def test_random_faults_are_seeded_and_repeatable(fake: FakeWikiJS, gql: Caller) -> None:
    def run() -> list[int]:
        fake.faults.set_rate(0.5, [Fault.http(502), Fault.http(503)], seed=11)
        return [gql.http.get("/healthz").status_code for _ in range(20)]

    first = run()
    assert first == run()
    assert {200, 502, 503} <= set(first)
    fake.faults.clear()
    assert {gql.http.get("/healthz").status_code for _ in range(5)} == {200}


def test_bad_rates_are_rejected(fake: FakeWikiJS) -> None:
    with pytest.raises(ValueError, match="between"):
        fake.faults.set_rate(2, [Fault.refuse()])
    with pytest.raises(ValueError, match="needs faults"):
        fake.faults.set_rate(0.5, [])


def test_handle_reports_refusal(fake: FakeWikiJS) -> None:
    fake.faults.push(Fault.refuse())
    assert fake.handle("GET", "/healthz").action == "refuse"
    fake.faults.push(Fault.refuse(operation="pages.tags"))
    response = fake.handle(
        "POST",
        "/graphql",
        headers={"content-type": "application/json"},
        body=b'{"query": "{ pages { tags { id } } }"}',
    )
    assert response.action == "refuse"
