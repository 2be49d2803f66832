"""Write batches sized for a real server's costs, and settled when a request's fate is unknown.

The fake is served on loopback and answers with scripted faults; the client
runs with zero backoff. Against a real Wiki.js (``--wikijs-url``) the fault
tests skip (they need the fake's fault injection).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from wikijs import WikiJSClient
from wikijs._facts import WRITE_SECONDS
from wikijs._protocol.writes import CostModel, plan_chunks
from wikijs.aio import AsyncWikiJSClient
from wikijs.auth import APIKeyAuth
from wikijs.batch import BatchProgress
from wikijs.errors import ConnectionLostError, ValidationError
from wikijs.middleware import RetryStrategy
from wikijs.testing import FakeWikiJS, Fault

NO_WAIT = RetryStrategy(initial_delay=0, jitter=False)


@pytest.fixture
def served(fake: FakeWikiJS) -> Iterator[str]:
    with fake.serve() as url:
        yield url


def writes(fake: FakeWikiJS, field: str) -> list[int]:
    """Per request that carried ``field`` (``pages.create``, …): how many of them."""
    return [
        sum(1 for f in record.fields if f == field)
        for record in fake.requests
        if field in record.fields
    ]


def pages(n: int, prefix: str = "batch") -> list[dict[str, Any]]:
    return [{"title": f"P{i}", "path": f"{prefix}/p{i}", "content": f"# {i}"} for i in range(n)]


def client_for(fake: FakeWikiJS, url: str, **kwargs: Any) -> WikiJSClient:
    return WikiJSClient(url, auth=APIKeyAuth(fake.api_key, verify=False), **kwargs)


class TestPlanning:
    def test_chunks_hold_what_the_server_can_write_in_the_budget(self) -> None:
        chunks = plan_chunks([100] * 50, 3.0, max_items=50, budget=15.0, max_bytes=10**6)
        assert [len(c) for c in chunks] == [5] * 10

    def test_chunks_stay_under_the_body_limit(self) -> None:
        chunks = plan_chunks(
            [400, 400, 400, 900, 10], 0.0, max_items=50, budget=None, max_bytes=1000
        )
        assert [list(c) for c in chunks] == [[0, 1], [2], [3, 4]]

    def test_a_slow_write_still_goes_out_alone(self) -> None:
        chunks = plan_chunks([1, 1], 100.0, max_items=50, budget=15.0, max_bytes=1000)
        assert [len(c) for c in chunks] == [1, 1]

    def test_no_budget_means_the_chunk_size_alone(self) -> None:
        chunks = plan_chunks([1] * 7, 3.0, max_items=3, budget=None, max_bytes=1000)
        assert [len(c) for c in chunks] == [3, 3, 1]

    def test_the_cost_model_starts_from_the_measured_figures_and_learns(self) -> None:
        costs = CostModel()
        assert costs.estimate("CreatePage") == WRITE_SECONDS["pages.create"]
        costs.observe("CreatePage", 10.0, 2)  # 5 s each: slower than believed
        assert costs.estimate("CreatePage") > 4.0
        for _ in range(20):
            costs.observe("CreatePage", 0.1, 1)
        assert costs.estimate("CreatePage") < 0.5
        assert costs.estimate("SomethingElse") == 0.5


def test_a_large_create_batch_is_split_by_the_time_budget(
    wiki: Any, fake: FakeWikiJS, known_server: Any
) -> None:
    known_server(wiki)
    fake.reset_log()
    # 30 s timeout: half of it holds as many creates as the measured seconds allow.
    wiki.batcher.costs = CostModel()
    result = wiki.pages.create_many(pages(12), concurrency=1)
    assert result.ok
    sizes = writes(fake, "pages.create")
    assert sizes[0] == int(15 // WRITE_SECONDS["pages.create"])  # trusts the measured figure
    assert sum(sizes) == 12  # every create sent exactly once


def test_progress_is_reported_after_every_request(
    wiki: Any, fake: FakeWikiJS, known_server: Any
) -> None:
    known_server(wiki)
    if not getattr(fake, "is_real", False):
        fake.reset_log()
    seen: list[BatchProgress] = []
    result = wiki.pages.create_many(pages(7), chunk_size=3, progress=seen.append, concurrency=1)
    assert result.ok
    done = [p.done for p in seen]
    steps = [b - a for a, b in zip([0, *done], done, strict=False)]
    # How many creates share a request depends on the server's speed (a slow
    # real Wiki.js gets fewer per request, within the time budget): at most
    # chunk_size, and one report per request.
    assert done[-1] == 7
    assert all(1 <= step <= 3 for step in steps), done
    assert {p.total for p in seen} == {7}
    assert seen[-1].failed == 0
    if not getattr(fake, "is_real", False):
        assert steps == writes(fake, "pages.create")  # a report per request, its items


def test_progress_counts_items_refused_before_sending(wiki: Any) -> None:
    seen: list[BatchProgress] = []
    items = [*pages(2), {"title": "", "path": "bad path", "content": ""}]
    result = wiki.pages.create_many(items, progress=seen.append)
    assert len(result.errors) == 1
    assert seen[-1] == BatchProgress(done=3, total=3, failed=1)


def test_an_item_over_the_body_limit_fails_alone(wiki: Any) -> None:
    wiki.batcher.max_bytes = 10_000
    items = [*pages(2), {"title": "Big", "path": "batch/big", "content": "x" * 20_000}]
    result = wiki.pages.create_many(items)
    assert [p.path for p in result.success] == ["batch/p0", "batch/p1"]
    (error,) = result.errors
    assert isinstance(error.error, ValidationError)
    assert "request body limit" in error.message


def test_the_body_limit_is_a_client_option(fake: FakeWikiJS) -> None:
    items = [*pages(2), {"title": "Big", "path": "batch/big", "content": "x" * 40_000}]
    with WikiJSClient(
        fake.url, auth=fake.api_key, transport=fake.sync_transport(), body_limit=30_000
    ) as client:
        result = client.pages.create_many(items)
    assert [p.path for p in result.success] == ["batch/p0", "batch/p1"]
    (error,) = result.errors
    assert isinstance(error.error, ValidationError)
    assert "request body limit of" in error.message


def test_a_batch_refused_as_too_large_is_split_and_sent_again(
    fake: FakeWikiJS, served: str, known_server: Any
) -> None:
    # Told of a 40 MB limit, the client meets Wiki.js's 5 MB one: HTTP 413,
    # nothing applied. It halves the request until it fits, and keeps the limit.
    big = [{**page, "content": "y" * (2 * 1024 * 1024)} for page in pages(3)]
    with client_for(fake, served, body_limit=40 * 1024 * 1024) as client:
        known_server(client)
        fake.reset_log()
        # one request of all three (write lanes would share them out otherwise)
        result = client.pages.create_many(big, chunk_size=3, concurrency=1)
        assert result.ok, result.errors
        assert client.batcher.max_bytes < 5 * 1024 * 1024
    assert [r.status for r in fake.requests if r.status == 413] == [413]
    assert sum(writes(fake, "pages.create")) == 3


def test_creates_whose_answer_was_lost_are_found_and_not_sent_again(
    fake: FakeWikiJS, served: str, known_server: Any
) -> None:
    # The server writes every page of the request, then the connection drops.
    fake.faults.push(Fault.drop_after(operation="pages.create"))
    with client_for(fake, served, retry_strategy=NO_WAIT) as client:
        known_server(client)
        client.batcher.write_budget = None  # one request for the four
        result = client.pages.create_many(pages(4), chunk_size=10, concurrency=1)
        assert result.ok
        assert [p.path for p in result.success] == [f"batch/p{i}" for i in range(4)]
    assert writes(fake, "pages.create") == [4]  # reconciled by reading, not re-sent


def test_creates_refused_unread_are_sent_again(
    fake: FakeWikiJS, served: str, known_server: Any
) -> None:
    fake.faults.push(Fault.refuse(operation="pages.create"))
    with client_for(fake, served, retry_strategy=NO_WAIT) as client:
        known_server(client)
        result = client.pages.create_many(pages(3), chunk_size=10, concurrency=1)
        assert result.ok
        assert len(client.pages.list()) == 3
    assert sum(writes(fake, "pages.create")) == 3 + 3  # the refused request, then all again


def test_creates_answered_429_are_sent_again(
    fake: FakeWikiJS, served: str, known_server: Any
) -> None:
    fake.faults.push(Fault.http(429, retry_after=0, operation="pages.create"))
    with client_for(fake, served, retry_strategy=NO_WAIT) as client:
        known_server(client)
        result = client.pages.create_many(pages(3), chunk_size=10, concurrency=1)
    assert result.ok


def test_without_retries_an_unanswered_chunk_keeps_what_landed(
    fake: FakeWikiJS, served: str, known_server: Any
) -> None:
    fake.faults.push(Fault.drop_after(operation="pages.create"))
    with client_for(fake, served, retry_strategy=None) as client:
        known_server(client)
        result = client.pages.create_many(pages(2), chunk_size=10, concurrency=1)
    assert result.ok  # the read-back found both: reported created


def test_unanswered_creates_that_did_not_land_fail_typed_without_retries(
    fake: FakeWikiJS, served: str, known_server: Any
) -> None:
    fake.faults.push(Fault.refuse(operation="pages.create"))
    with client_for(fake, served, retry_strategy=None) as client:
        known_server(client)
        result = client.pages.create_many(pages(2), chunk_size=10, concurrency=1)
    assert [type(e.error) for e in result.errors] == [ConnectionLostError] * 2


def test_updates_whose_answer_was_lost_count_as_done(
    fake: FakeWikiJS, served: str, known_server: Any
) -> None:
    ids = [fake.add_page(f"docs/u{i}", content="old").id for i in range(3)]
    fake.faults.push(Fault.drop_after(operation="pages.update"))
    with client_for(fake, served, retry_strategy=NO_WAIT) as client:
        known_server(client)
        result = client.pages.update_many([{"id": i, "content": "new"} for i in ids], concurrency=1)
        assert result.ok
        assert [client.pages.get(i).content for i in ids] == ["new"] * 3
    assert writes(fake, "pages.update") == [3]


def test_deletes_whose_answer_was_lost_count_as_done(
    fake: FakeWikiJS, served: str, known_server: Any
) -> None:
    ids = [fake.add_page(f"docs/d{i}").id for i in range(3)]
    fake.faults.push(Fault.drop_after(operation="pages.delete"))
    with client_for(fake, served, retry_strategy=NO_WAIT) as client:
        known_server(client)
        result = client.pages.delete_many(ids)
        assert result.success == ids
        assert client.pages.list() == []


async def test_the_async_client_settles_an_unanswered_chunk_too(
    fake: FakeWikiJS, served: str, known_server: Any
) -> None:
    fake.faults.push(Fault.drop_after(operation="pages.create"))
    async with AsyncWikiJSClient(
        served, auth=APIKeyAuth(fake.api_key, verify=False), retry_strategy=NO_WAIT
    ) as client:
        await known_server(client)
        result = await client.pages.create_many(pages(3), chunk_size=10, concurrency=1)
    assert result.ok
    assert writes(fake, "pages.create") == [3]


def test_fifty_pages_created_updated_and_deleted_with_default_settings(
    client: WikiJSClient,
) -> None:
    # On a real Wiki.js this is minutes of server work (seconds per page write).
    created = client.pages.create_many(pages(50, prefix="fifty"))
    assert created.ok, created.errors[:3]
    ids = [page.id for page in created]
    assert len(set(ids)) == 50
    updated = client.pages.update_many([{"id": i, "content": f"# updated {i}"} for i in ids])
    assert updated.ok, updated.errors[:3]
    assert [page.content for page in updated] == [f"# updated {i}" for i in ids]
    deleted = client.pages.delete_many(ids)
    assert deleted.success == ids
    assert [p.id for p in client.pages.list() if p.id in set(ids)] == []


def test_a_batch_cut_by_the_client_timeout_reports_what_landed(
    fake: FakeWikiJS, served: str, real_wiki: object, known_server: Any
) -> None:
    policy = NO_WAIT
    if real_wiki is None:
        # The fake writes at once; the stall holds its answer past the timeout.
        fake.faults.push(Fault.stall(1.0, operation="pages.create"))
        timeout = 0.3
    else:
        timeout = 4.0  # six real creates in one request take far longer
        # the server goes on writing the first request: give it time between tries
        policy = RetryStrategy(initial_delay=2, max_retries=6, jitter=False)
    with client_for(fake, served, timeout=timeout, retry_strategy=policy) as client:
        known_server(client)
        client.batcher.costs.observe("CreatePage", 0.0, 1000)  # believe writes are free
        client.batcher.costs.observe("CreatePage", 0.0, 1000)
        result = client.pages.create_many(pages(6, prefix="cut"), chunk_size=6)
        assert result.ok, result.errors[:3]
        paths = sorted(p.path for p in client.pages.list() if p.path.startswith("cut/"))
    assert paths == [f"cut/p{i}" for i in range(6)]  # each page once


def test_creates_with_no_way_to_check_are_not_sent_twice(
    fake: FakeWikiJS, served: str, known_server: Any
) -> None:
    # groups.create_many cannot tell which groups of a lost request landed:
    # sending them again could double them, so they are reported instead.
    fake.faults.push(Fault.drop_after(operation="groups.create"))
    with client_for(fake, served, retry_strategy=NO_WAIT) as client:
        known_server(client)
        result = client.groups.create_many([{"name": "Once A"}, {"name": "Once B"}])
        # two write lanes: one request each, and the first to arrive was cut
        assert [type(e.error) for e in result.errors] == [ConnectionLostError]
        names = [g.name for g in client.groups.list()]
    assert names.count("Once A") == 1
    assert names.count("Once B") == 1
