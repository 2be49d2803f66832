"""Write lanes: several write requests at once, and every race of overlapping writes reconciled.

The race tests run on a fake that charges a twentieth of the measured write
costs and whose tag window is wide enough that writes sent together always
collide, and, with ``--wikijs-url``, on a real Wiki.js, where they collide
as they happen to.
"""

from __future__ import annotations

import asyncio
import math
import secrets
import threading
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from real_server import RealWikiJS, isolated

from wikijs import WikiJSClient
from wikijs._protocol.writes import CostModel, LanePlanner, Overlap, lane_share, plan_chunks
from wikijs.aio import AsyncWikiJSClient
from wikijs.batch import BatchProgress
from wikijs.errors import ConflictError, NotFoundError, ValidationError
from wikijs.middleware import RetryStrategy
from wikijs.models import Page
from wikijs.testing import FakeWikiJS, Fault, WriteCosts

NO_WAIT = RetryStrategy(initial_delay=0, jitter=False)


@pytest.fixture
def racy(real_wiki: RealWikiJS | None) -> Iterator[tuple[FakeWikiJS, str]]:
    """A Wiki.js whose overlapping page writes race, and its URL: the real one, or a fake."""
    if real_wiki is not None:
        with isolated(real_wiki) as server, server.serve() as url:
            yield server, url  # type: ignore[misc]
        return
    costs = replace(WriteCosts.measured().scaled(0.05), tag_window=0.15)
    with FakeWikiJS(write_costs=costs) as server, server.serve() as url:
        yield server, url


def _is_real(fake: FakeWikiJS) -> bool:
    return bool(getattr(fake, "is_real", False))


def _unique(stem: str) -> str:
    return f"{stem}-{secrets.token_hex(3)}"


def _complete(page: Page, tag: str) -> None:
    """The page as a write that landed whole leaves it: its tag, its HTML."""
    assert [t.tag for t in page.tags] == [tag], page.path
    assert page.render, page.path


# -- the planner (pure) ---------------------------------------------------------------------


class TestPlanner:
    def test_it_starts_at_two_lanes_and_grows_while_throughput_grows(self) -> None:
        planner = LanePlanner()
        assert planner.lanes == 2
        for _ in range(2):
            planner.observe(items=2, seconds=4.0, in_flight=2.0)  # 1 item/s
        assert planner.lanes == 3  # nothing below to compare with: try one more
        for _ in range(3):
            planner.observe(items=2, seconds=4.0, in_flight=3.0)  # 1.5 items/s: +50 %
        assert planner.lanes == 4

    def test_a_level_no_better_than_the_one_below_is_kept(self) -> None:
        planner = LanePlanner(start=2)
        planner.observe(items=1, seconds=1.0, in_flight=1.0)  # 1 item/s alone
        for _ in range(2):
            planner.observe(items=1, seconds=1.9, in_flight=2.0)  # 1.05 items/s: +5 %
        assert planner.lanes == 2

    def test_a_level_worse_than_the_one_below_goes_back_and_holds(self) -> None:
        planner = LanePlanner(start=3)
        for _ in range(2):
            planner.observe(items=2, seconds=2.0, in_flight=2.0)  # 2 items/s
        for _ in range(3):
            planner.observe(items=2, seconds=4.0, in_flight=3.0)  # 1.5 items/s
        assert planner.lanes == 2
        for _ in range(4):
            planner.observe(items=2, seconds=2.0, in_flight=2.0)
        assert planner.lanes == 2  # held below the level that did worse

    def test_trouble_halves_the_lanes_and_holds_them(self) -> None:
        planner = LanePlanner(start=4)
        planner.trouble()
        assert planner.lanes == 2
        for _ in range(3):
            planner.observe(items=1, seconds=1.0, in_flight=2.0)
        assert planner.lanes == 2
        planner.trouble()
        planner.trouble()
        assert planner.lanes == 1

    def test_it_never_goes_past_its_most(self) -> None:
        planner = LanePlanner(start=2, most=3)
        for level in (2, 2, 3, 3, 3, 3, 3, 3):
            planner.observe(items=level * 10, seconds=1.0, in_flight=float(level))
        assert planner.lanes == 3

    def test_observations_that_mean_nothing_are_ignored(self) -> None:
        planner = LanePlanner()
        for items, seconds, in_flight in ((0, 1.0, 1.0), (1, 0.0, 1.0), (1, math.inf, 1.0)):
            planner.observe(items=items, seconds=seconds, in_flight=in_flight)
        assert planner.rates == {}


def test_the_cost_model_learns_the_servers_time_per_request_in_flight() -> None:
    costs = CostModel()
    for _ in range(20):
        costs.observe("CreatePage", 8.0, 2, in_flight=2.0)  # 2 items in 8 s beside another
    assert costs.estimate("CreatePage") == pytest.approx(2.0, rel=0.01)
    # so a request of three creates among three in flight is planned at 18 s:
    # over a 15 s budget, it goes as two
    chunks = plan_chunks(
        [1] * 3, costs.estimate("CreatePage") * 3, max_items=50, budget=15.0, max_bytes=100
    )
    assert [len(c) for c in chunks] == [2, 1]


def test_overlap_measures_how_many_ran_beside_each_request() -> None:
    overlap = Overlap()
    overlap.start("a", 10.0)
    overlap.start("b", 11.0)
    assert len(overlap) == 2
    assert overlap.finish("a", 12.0) == pytest.approx(1.5)
    assert overlap.finish("b", 13.0) == pytest.approx(1.5)
    overlap.start("c", 14.0)
    assert overlap.finish("c", 14.0) == 1.0


def test_lanes_share_the_queue_so_they_finish_together() -> None:
    assert lane_share(50, 1) == 50
    assert lane_share(50, 2) == 13
    assert lane_share(3, 4) == 1
    assert lane_share(0, 3) == 1


def test_a_chunk_ends_where_asked() -> None:
    chunks = plan_chunks([1] * 6, 0.0, max_items=10, budget=None, max_bytes=100, ends={1, 3})
    assert [list(c) for c in chunks] == [[0, 1], [2, 3], [4, 5]]


# -- lanes on the fake ------------------------------------------------------------------------


@pytest.fixture
def timed_fake() -> Iterator[tuple[FakeWikiJS, str]]:
    """A fake whose writes take time and overlap without racing (no windows)."""
    costs = WriteCosts({"pages.create": 0.05, "pages.update": 0.05, "pages.move": 0.03})
    with FakeWikiJS(write_costs=costs) as server, server.serve() as url:
        yield server, url


def _pages(n: int, prefix: str, **extra: Any) -> list[dict[str, Any]]:
    return [
        {"title": f"P{i}", "path": f"{prefix}/p{i}", "content": f"# {i}", **extra} for i in range(n)
    ]


def test_create_many_keeps_several_requests_in_flight_and_the_input_order(
    timed_fake: tuple[FakeWikiJS, str],
) -> None:
    fake, url = timed_fake
    assert fake.core.meter is not None
    with WikiJSClient(url, auth=fake.api_key) as client:
        result = client.pages.create_many(_pages(12, "lanes"))
        assert result.ok, result.errors
        assert [p.path for p in result] == [f"lanes/p{i}" for i in range(12)]
    assert fake.core.meter.peak >= 2  # threads: requests overlapped on the server


async def test_the_async_client_writes_in_lanes_too(timed_fake: tuple[FakeWikiJS, str]) -> None:
    fake, url = timed_fake
    assert fake.core.meter is not None
    async with AsyncWikiJSClient(url, auth=fake.api_key) as client:
        result = await client.pages.create_many(_pages(12, "alanes"))
        assert [p.path for p in result] == [f"alanes/p{i}" for i in range(12)]
        updated = await client.pages.update_many(
            [{"id": p.id, "title": f"U{p.id}"} for p in result]
        )
        assert [p.title for p in updated] == [f"U{p.id}" for p in result]
    assert fake.core.meter.peak >= 2


def test_concurrency_one_sends_one_request_at_a_time(timed_fake: tuple[FakeWikiJS, str]) -> None:
    fake, url = timed_fake
    assert fake.core.meter is not None
    with WikiJSClient(url, auth=fake.api_key) as client:
        assert client.pages.create_many(_pages(6, "one"), concurrency=1, chunk_size=2).ok
    assert fake.core.meter.peak == 1
    with pytest.raises(ValidationError):
        WikiJSClient(url, auth=fake.api_key).pages.create_many(_pages(1, "zero"), concurrency=0)


def test_progress_hears_every_request_of_every_lane(timed_fake: tuple[FakeWikiJS, str]) -> None:
    fake, url = timed_fake
    seen: list[BatchProgress] = []
    with WikiJSClient(url, auth=fake.api_key) as client:
        assert client.pages.create_many(_pages(9, "prog"), progress=seen.append).ok
    done = [p.done for p in seen]
    assert done == sorted(done)
    assert done[-1] == 9
    assert len(seen) >= 3
    assert {p.total for p in seen} == {9}


def test_ctrl_c_stops_a_sync_batch_and_frees_its_tags(timed_fake: tuple[FakeWikiJS, str]) -> None:
    fake, url = timed_fake
    tag = _unique("interrupted")

    def stop(progress: BatchProgress) -> None:
        raise KeyboardInterrupt

    with WikiJSClient(url, auth=fake.api_key) as client:
        with pytest.raises(KeyboardInterrupt):
            client.pages.create_many(_pages(10, "ctrlc", tags=[tag]), progress=stop)
        # the batch's claim on the new tag is gone: the next write is not held back
        page = client.pages.create(title="After", path="ctrlc/after", content="x", tags=[tag])
        assert [t.tag for t in page.tags] == [tag]


async def test_cancelling_an_async_batch_cancels_its_lanes(
    timed_fake: tuple[FakeWikiJS, str],
) -> None:
    fake, url = timed_fake
    tag = _unique("cancelled")
    async with AsyncWikiJSClient(url, auth=fake.api_key) as client:
        batch = asyncio.create_task(client.pages.create_many(_pages(20, "cancel", tags=[tag])))
        await asyncio.sleep(0.15)
        batch.cancel()
        with pytest.raises(asyncio.CancelledError):
            await batch
        page = await client.pages.create(
            title="After", path="cancel/after", content="x", tags=[tag]
        )
        assert [t.tag for t in page.tags] == [tag]


def test_a_lost_answer_in_one_lane_is_settled_while_the_others_go_on(
    timed_fake: tuple[FakeWikiJS, str],
) -> None:
    fake, url = timed_fake
    fake.faults.push(Fault.drop_after(operation="pages.create"))
    with WikiJSClient(url, auth=fake.api_key, retry_strategy=NO_WAIT) as client:
        result = client.pages.create_many(_pages(8, "lost"))
        assert result.ok, result.errors
        paths = [p.path for p in client.pages.list() if p.path.startswith("lost/")]
    assert sorted(paths) == sorted(f"lost/p{i}" for i in range(8))  # each once


# -- races: one client ------------------------------------------------------------------------


async def test_eight_gathered_creates_sharing_a_new_tag_land_whole(
    racy: tuple[FakeWikiJS, str],
) -> None:
    fake, url = racy
    tag, prefix = _unique("shared"), _unique("gathered")
    async with AsyncWikiJSClient(url, auth=fake.api_key) as client:
        pages = await asyncio.gather(
            *(
                client.pages.create(
                    title=f"G{i}", path=f"{prefix}/g{i}", content=f"# G{i}", tags=[tag]
                )
                for i in range(8)
            )
        )
        assert sorted(p.path for p in pages) == sorted(f"{prefix}/g{i}" for i in range(8))
        for page in pages:
            _complete(page, tag)
        for page in (await client.pages.get_many([p.id for p in pages])).success:
            _complete(page, tag)


def test_eight_threads_sharing_a_new_tag_land_whole(racy: tuple[FakeWikiJS, str]) -> None:
    fake, url = racy
    tag, prefix = _unique("threaded"), _unique("threads")
    pages: list[Any] = [None] * 8
    start = threading.Barrier(8)
    with WikiJSClient(url, auth=fake.api_key) as client:

        def create(n: int) -> None:
            start.wait()
            pages[n] = client.pages.create(
                title=f"T{n}", path=f"{prefix}/t{n}", content=f"# T{n}", tags=[tag]
            )

        threads = [threading.Thread(target=create, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert all(isinstance(p, Page) for p in pages)
        for page in pages:
            _complete(page, tag)
        for page in client.pages.get_many([p.id for p in pages]).success:
            _complete(page, tag)


def test_create_many_sharing_a_new_tag_lands_whole(racy: tuple[FakeWikiJS, str]) -> None:
    fake, url = racy
    tag, prefix = _unique("batched"), _unique("batch")
    with WikiJSClient(url, auth=fake.api_key) as client:
        result = client.pages.create_many(_pages(8, prefix, tags=[tag]))
        assert result.ok, result.errors
        for page in result:
            _complete(page, tag)


# -- races: separate clients (nothing shared to keep them apart) --------------------------------


async def test_creates_of_separate_clients_sharing_a_new_tag_are_completed(
    racy: tuple[FakeWikiJS, str],
) -> None:
    fake, url = racy
    tag, prefix = _unique("apart"), _unique("clients")
    clients = [AsyncWikiJSClient(url, auth=fake.api_key) for _ in range(6)]
    try:
        pages = await asyncio.gather(
            *(
                c.pages.create(title=f"S{i}", path=f"{prefix}/s{i}", content=f"# S{i}", tags=[tag])
                for i, c in enumerate(clients)
            )
        )
        for page in pages:
            _complete(page, tag)
        stored = (await clients[0].pages.get_many([p.id for p in pages])).success
        for page in stored:
            _complete(page, tag)
        if not _is_real(fake):  # the fake's writes sent together always collide
            assert sum(c.page_jobs.repairs for c in clients) >= 1
    finally:
        for c in clients:
            await c.aclose()


async def test_updates_of_separate_clients_bringing_a_new_tag_are_completed(
    racy: tuple[FakeWikiJS, str],
) -> None:
    fake, url = racy
    tag, prefix = _unique("later"), _unique("updates")
    async with AsyncWikiJSClient(url, auth=fake.api_key) as first:
        made = await first.pages.create_many(_pages(5, prefix), concurrency=1)
        ids = [p.id for p in made]
    clients = [AsyncWikiJSClient(url, auth=fake.api_key) for _ in ids]
    try:
        pages = await asyncio.gather(
            *(
                c.pages.update(page_id, content=f"# new {page_id}", tags=[tag])
                for c, page_id in zip(clients, ids, strict=True)
            )
        )
        for page in pages:
            _complete(page, tag)
            assert f"new {page.id}" in page.render
    finally:
        for c in clients:
            await c.aclose()


async def test_a_create_many_racing_another_client_completes_its_pages(
    racy: tuple[FakeWikiJS, str],
) -> None:
    fake, url = racy
    tag, prefix = _unique("both"), _unique("rival")
    async with (
        AsyncWikiJSClient(url, auth=fake.api_key) as one,
        AsyncWikiJSClient(url, auth=fake.api_key) as other,
    ):
        batch, single = await asyncio.gather(
            one.pages.create_many(_pages(4, prefix, tags=[tag])),
            other.pages.create(title="Rival", path=f"{prefix}/rival", content="# R", tags=[tag]),
        )
        assert batch.ok, batch.errors
        for page in [*batch, single]:
            _complete(page, tag)


# -- move_many ----------------------------------------------------------------------------------


def test_move_many_moves_each_page_and_reports_its_id(wiki: Any, fake: FakeWikiJS) -> None:
    prefix = _unique("moves")
    made = wiki.pages.create_many(_pages(4, prefix), concurrency=1)
    ids = [p.id for p in made]
    result = wiki.pages.move_many(
        [(ids[0], f"{prefix}/moved/a"), {"id": ids[1], "path": f"{prefix}/moved/b"}]
        + [(i, f"{prefix}/moved/{n}") for n, i in enumerate(ids[2:])]
    )
    assert result.success == ids
    assert sorted(p.path for p in wiki.pages.get_many(ids)) == sorted(
        [f"{prefix}/moved/a", f"{prefix}/moved/b", f"{prefix}/moved/0", f"{prefix}/moved/1"]
    )


def test_move_many_refuses_what_cannot_be_one_batch(wiki: Any, fake: FakeWikiJS) -> None:
    prefix = _unique("badmoves")
    ids = [p.id for p in wiki.pages.create_many(_pages(3, prefix), concurrency=1)]
    result = wiki.pages.move_many(
        [
            (ids[0], f"{prefix}/x"),
            (ids[0], f"{prefix}/y"),  # the same page again
            (ids[1], f"{prefix}/x"),  # the same destination again
            (999_999, f"{prefix}/z"),  # no such page
            ("seven", f"{prefix}/w"),  # not an id
            (ids[2], f"{prefix}/p0"),  # where item 0's page was: that one moves first
        ]
    )
    kinds = [type(r.error).__name__ if not isinstance(r, int) else "ok" for r in result.results]
    assert kinds[0] == "ok"
    assert kinds[5] == "ok"
    assert isinstance(result.results[1].error, ValidationError)
    assert isinstance(result.results[2].error, ConflictError)
    assert isinstance(result.results[3].error, NotFoundError)
    assert isinstance(result.results[4].error, ValidationError)
    assert wiki.pages.get(ids[2]).path == f"{prefix}/p0"


def test_move_many_whose_answer_was_lost_counts_the_moved_pages(fake: FakeWikiJS) -> None:
    if _is_real(fake):
        pytest.skip("needs the fake's fault injection")
    ids = [fake.add_page(f"docs/m{i}").id for i in range(3)]
    fake.faults.push(Fault.drop_after(operation="pages.move"))
    with (
        fake.serve() as url,
        WikiJSClient(url, auth=fake.api_key, retry_strategy=NO_WAIT) as client,
    ):
        result = client.pages.move_many([(i, f"archive/m{i}") for i in ids], concurrency=1)
        assert result.success == ids
        assert sorted(p.path for p in client.pages.list()) == sorted(f"archive/m{i}" for i in ids)


# -- requests per write ---------------------------------------------------------------------------


def test_an_update_of_every_field_is_sent_without_reading_the_page_first(
    client: WikiJSClient, fake: FakeWikiJS, known_server: Any
) -> None:
    if _is_real(fake):
        pytest.skip("counts the fake's requests")
    known_server(client)
    page = client.pages.create(title="Full", path="full/update", content="# one", tags=["a"])
    every = {
        "title": "Full 2",
        "path": "full/update",
        "content": "# two",
        "description": "d",
        "editor": "markdown",
        "locale": "en",
        "is_published": True,
        "is_private": False,
        "tags": ["b"],
        "script_css": "",
        "script_js": "",
        "publish_start_date": None,
        "publish_end_date": None,
    }
    fake.reset_log()
    updated = client.pages.update(page.id, **every)
    assert [r.operation_names for r in fake.requests] == [("UpdatePage",), ("GetPage",)]
    assert (updated.title, [t.tag for t in updated.tags]) == ("Full 2", ["b"])
    assert "two" in updated.render
    fake.reset_log()
    client.pages.update(page.id, title="Partial")  # the rest is read from the page
    assert [r.operation_names for r in fake.requests] == [
        ("GetPage",),
        ("UpdatePage",),
        ("GetPage",),
    ]
    with pytest.raises(NotFoundError):
        client.pages.update(999_999, **every)


async def test_single_page_writes_of_a_client_share_its_lanes(
    timed_fake: tuple[FakeWikiJS, str],
) -> None:
    fake, url = timed_fake
    assert fake.core.meter is not None
    async with AsyncWikiJSClient(url, auth=fake.api_key) as client:
        planner = client.batcher.planner("CreatePage")
        planner.lanes = planner.most = 1  # a server that takes one write at a time
        pages = await asyncio.gather(
            *(
                client.pages.create(title=f"S{i}", path=f"shared/s{i}", content="x")
                for i in range(4)
            )
        )
        assert len({p.id for p in pages}) == 4
        assert fake.core.meter.peak == 1  # the gathered creates waited their turn
        assert client.batcher.slots.busy == 0


async def test_two_batches_of_one_client_share_its_lanes(
    timed_fake: tuple[FakeWikiJS, str],
) -> None:
    fake, url = timed_fake
    assert fake.core.meter is not None
    async with AsyncWikiJSClient(url, auth=fake.api_key) as client:
        first, second = await asyncio.gather(
            client.pages.create_many(_pages(6, "twoa"), concurrency=2),
            client.pages.create_many(_pages(6, "twob"), concurrency=2),
        )
        assert [p.path for p in first] == [f"twoa/p{i}" for i in range(6)]
        assert [p.path for p in second] == [f"twob/p{i}" for i in range(6)]
        assert fake.core.meter.peak <= 2  # two lanes between them, not two each
        assert client.batcher.slots.busy == 0
