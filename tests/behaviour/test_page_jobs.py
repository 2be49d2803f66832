"""Page writes in parallel: each is reported for what it did, and the page tree stays whole.

On a real Wiki.js, concurrent page writes collide in the page-tree rebuild
(a worker process truncates and refills one table): the server reports some
creates as failed although their pages exist. The client reports them as
created and rebuilds the tree once the writes are over.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from wikijs.aio import AsyncWikiJSClient
from wikijs.errors import PageJobError
from wikijs.middleware import RetryStrategy
from wikijs.testing import FakeWikiJS, Fault

REBUILD_FAILURE = (
    'Error when running job rebuild-tree: insert into "pageTree" ("ancestors") values ($1) '
    '- duplicate key value violates unique constraint "pageTree_pkey"'
)


async def test_eight_concurrent_creates_are_all_reported_and_the_tree_is_whole(
    aclient: AsyncWikiJSClient,
) -> None:
    specs = [{"title": f"C{i}", "path": f"concurrent/c{i}", "content": f"# {i}"} for i in range(8)]
    pages = await asyncio.gather(*(aclient.pages.create(**spec) for spec in specs))
    assert sorted(p.path for p in pages) == sorted(s["path"] for s in specs)
    listed = {p.id for p in await aclient.pages.list()}
    assert {p.id for p in pages} <= listed  # every page that exists was reported created
    tree = await aclient.pages.tree(path="concurrent", mode="pages")
    assert {item.page_id for item in tree} == {p.id for p in pages}


class _Flaky:
    """Stands in for the generated client: the first rebuild collides, the next succeeds."""

    def __init__(self) -> None:
        self.rebuilds = 0
        self.renders: list[int] = []

    async def rebuild_page_tree(self) -> None:
        self.rebuilds += 1
        if self.rebuilds == 1:
            raise PageJobError(REBUILD_FAILURE, operation="RebuildPageTree", job="rebuild-tree")

    async def render_page(self, *, id: int) -> None:
        self.renders.append(id)


async def test_the_tree_is_rebuilt_once_after_the_last_write_in_flight() -> None:
    from wikijs._async.page_jobs import AsyncPageJobs

    flaky = _Flaky()
    jobs = AsyncPageJobs(flaky)  # type: ignore[arg-type]
    failure = PageJobError(REBUILD_FAILURE, operation="CreatePage", job="rebuild-tree")
    release = asyncio.Event()

    async def write(fails: bool) -> None:
        async with jobs.writing():
            await release.wait()
            if fails:
                jobs.failed(failure, 7)

    tasks = [asyncio.create_task(write(fails=n % 2 == 0)) for n in range(4)]
    await asyncio.sleep(0)
    release.set()
    await asyncio.gather(*tasks)
    assert flaky.rebuilds == 2  # one collision, then one rebuild that held
    assert flaky.renders == []  # the renders succeeded; only the tree was stale
    async with jobs.writing():
        pass
    assert flaky.rebuilds == 2  # nothing more to repair


async def test_a_failed_render_is_redone_before_the_tree() -> None:
    from wikijs._async.page_jobs import AsyncPageJobs

    flaky = _Flaky()
    flaky.rebuilds = 1  # the next rebuild succeeds
    jobs = AsyncPageJobs(flaky)  # type: ignore[arg-type]
    async with jobs.writing():
        jobs.failed(PageJobError("Error when running job render-page: x", job="render-page"), 12)
    assert flaky.renders == [12]
    assert flaky.rebuilds == 2


def test_a_raw_call_reports_the_job_failure_typed() -> None:
    from wikijs._protocol.responses import error_from_response_result

    error = error_from_response_result(
        "CreatePage",
        {"succeeded": False, "errorCode": 1, "slug": "Error", "message": REBUILD_FAILURE},
    )
    assert isinstance(error, PageJobError)
    assert error.job == "rebuild-tree"
    assert error.landed is True


@pytest.mark.fake_only("leaves a create without its HTML and loses the render's answers")
@pytest.mark.parametrize("many", [False, True], ids=["create", "create_many"])
def test_a_render_whose_answers_were_lost_is_found_done(
    make_wiki: Any, fake: FakeWikiJS, monkeypatch: pytest.MonkeyPatch, many: bool
) -> None:
    """Under load the render of an unrendered page can outlive the client's timeout
    while the server finishes it: the page, read again, says it is done."""
    render = fake.core.render_page
    skipped: list[int] = []

    def first_render_lost(page: Any) -> None:
        if not skipped:  # the create's own render: the page lands without HTML
            skipped.append(page.id)
            return
        render(page)

    monkeypatch.setattr(fake.core, "render_page", first_render_lost)
    # every render request is carried out, and every answer is lost
    fake.faults.extend([Fault.drop_after(operation="pages.render")] * 10)
    spec = {"title": "Slow", "path": "docs/slow-render", "content": "# Slow"}
    wiki = make_wiki(retry_strategy=RetryStrategy(initial_delay=0, jitter=False))

    if many:
        [page] = wiki.pages.create_many([spec]).raise_for_errors().success
    else:
        page = wiki.pages.create(**spec)

    assert skipped == [page.id]
    assert "Slow" in page.render
    assert fake.faults.pending < 10  # the renders were sent, their answers lost
