"""Keeping pages whole when Wiki.js's page writes overlap.

Every page write makes Wiki.js save the page's tags, then render the page and
rebuild its page tree in worker processes. Writes that overlap (the SDK's own
write lanes, or a caller's ``asyncio.gather`` or threads) race in two places:

- **the tree rebuild** truncates and refills one table, so two at once
  collide (``duplicate key value violates unique constraint
  "pageTree_pkey"``) and the server reports that write as failed although
  the page change has landed. The page resources then report the write as
  done, and note here what needs doing again; once no page write of this
  client is in flight, :class:`AsyncPageJobs` re-renders the pages whose
  render failed and rebuilds the tree once. A repair that fails is logged
  and left: the next successful page write rebuilds the whole tree anyway.
- **a new tag**: Wiki.js creates a tag on the first write that carries it,
  after reading the tag list; two writes that bring the same new tag at
  once both try to insert it, and the later fails on ``tags_tag_unique``
  after its page row is written (its page left without tags, render and
  place in the tree). :class:`AsyncTagGate` keeps this client's writes from
  doing that: a write whose new tag another write of the client is still
  bringing waits for it. Against other clients' writes the page resources
  complete the page afterwards (see ``resources/pages.py``).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Collection, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .._backends import AsyncCondition, AsyncLock
from .._protocol.results import require
from ..errors import PageJobError, WikiJSError

if TYPE_CHECKING:
    from wikijs._generated.async_client import AsyncGeneratedClient

logger = logging.getLogger("wikijs.pages")

#: Tree rebuilds tried in a row when each collides with someone else's.
REBUILD_ATTEMPTS = 3


def tag_names(tags: Iterable[str]) -> frozenset[str]:
    """Tags as Wiki.js stores them: trimmed, lower-cased, without blanks."""
    return frozenset(name for name in (tag.strip().lower() for tag in tags) if name)


@dataclass
class TagClaim:
    """What one write holds at the gate: the new tags it is bringing."""

    names: frozenset[str]
    landed: bool = field(default=False)  # set by the writer once its tags are in


class AsyncTagGate:
    """Which page tags exist, and which a write of this client is bringing into being.

    A write carrying tags claims them before it is sent and releases them
    when it is over. A claim is granted while no other write in flight
    holds one of its tags; a tag the server does not have yet (as far as
    the client knows) is held by the write that brings it until that write
    is over. So within a client the first write of a new tag runs before
    the others that carry it, and no two collide on it.

    The tag list is read from the server once (``pages.tags``); tags this
    client's writes brought are added as they land. A tag someone else
    made since is taken for new: its first write here runs first, which
    costs a little time and nothing else.
    """

    def __init__(self, graphql: AsyncGeneratedClient) -> None:
        self._graphql = graphql
        self._known: set[str] | None = None
        self._held: set[str] = set()
        self._changed = AsyncCondition()
        self._loading = AsyncLock()

    async def load(self) -> None:
        """Read which tags exist, once (a client that may not list tags takes none)."""
        if self._known is not None:
            return
        async with self._loading:
            if self._known is not None:
                return
            try:
                result = await self._graphql.list_page_tags(cache=False)
            except WikiJSError as exc:
                logger.info("could not list the wiki's tags (%s); taking every tag for new", exc)
                self._known = set()
                return
            self._known = {tag.tag for tag in require(result.pages, "pages", "ListPageTags").tags}

    def new(self, names: frozenset[str]) -> frozenset[str]:
        """Which of ``names`` are not known to exist."""
        known = self._known or set()
        return frozenset(name for name in names if name not in known)

    def _take(self, names: frozenset[str]) -> TagClaim | None:
        if not self._held.isdisjoint(names):
            return None
        fresh = self.new(names)
        self._held.update(fresh)
        return TagClaim(fresh)

    async def try_claim(self, names: frozenset[str]) -> TagClaim | None:
        """A claim on ``names``, or ``None`` while another write holds one of them."""
        async with self._changed:
            return self._take(names)

    async def claim(self, names: frozenset[str]) -> TagClaim:
        """A claim on ``names``, once no other write holds one of them."""
        async with self._changed:
            while True:
                claim = self._take(names)
                if claim is not None:
                    return claim
                await self._changed.wait()

    async def release(self, claim: object, *, landed: Collection[str]) -> None:
        """The write holding ``claim`` is over; the tags in ``landed`` now exist."""
        assert isinstance(claim, TagClaim)
        async with self._changed:
            self._held.difference_update(claim.names)
            if self._known is not None:
                self._known.update(name for name in landed if name in claim.names)
            self._changed.notify_all()

    @asynccontextmanager
    async def holding(self, tags: Iterable[str]) -> AsyncIterator[TagClaim]:
        """Hold the tags of one write (set ``claim.landed`` once they are in)."""
        names = tag_names(tags)
        if not names:
            yield TagClaim(frozenset())
            return
        await self.load()
        claim = await self.claim(names)
        try:
            yield claim
        finally:
            await self.release(claim, landed=claim.names if claim.landed else ())


class AsyncPageJobs:
    """Counts this client's page writes in flight and repairs failed jobs after them.

    Its :attr:`tags` keeps this client's writes from colliding on a new tag.
    """

    def __init__(self, graphql: AsyncGeneratedClient) -> None:
        self._graphql = graphql
        self.tags = AsyncTagGate(graphql)
        self._lock = AsyncLock()
        self._in_flight = 0
        self._rebuild = False
        self._render: set[int] = set()
        self.repairs = 0  # tree rebuilds and re-renders sent (for tests and metrics)

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[None]:
        """Wrap one page write (or one batch of them)."""
        async with self._lock:
            self._in_flight += 1
        try:
            yield
        finally:
            async with self._lock:
                self._in_flight -= 1
                due = self._in_flight == 0 and (self._rebuild or bool(self._render))
                render, rebuild = sorted(self._render), self._rebuild
                if due:
                    self._render.clear()
                    self._rebuild = False
            if due:
                await self._repair(render, rebuild)

    def failed(self, error: PageJobError, page_id: int | None = None) -> None:
        """Note a write whose page landed but whose ``error.job`` failed.

        A failed render leaves the rest of the write undone too (the tree
        rebuild runs after it), so both are redone.
        """
        logger.info(
            "%s: the page change landed, but the server's %s job failed; repairing after "
            "the writes in flight",
            error.operation,
            error.job,
        )
        if error.job == "render-page" and page_id is not None:
            self._render.add(page_id)
        self._rebuild = True

    def failed_tree(self) -> None:
        """Note that a page write's tree rebuild may not have run (rebuilt after the writes)."""
        self._rebuild = True

    async def _repair(self, render: list[int], rebuild: bool) -> None:
        for page_id in render:
            try:
                self.repairs += 1
                await self._graphql.render_page(id=page_id)
            except WikiJSError as exc:
                logger.warning("re-rendering page %d failed: %s", page_id, exc)
        if not rebuild:
            return
        for _ in range(REBUILD_ATTEMPTS):
            try:
                self.repairs += 1
                await self._graphql.rebuild_page_tree()
                return
            except PageJobError:
                continue  # another writer's rebuild collided with ours: again
            except WikiJSError as exc:
                logger.warning("rebuilding the page tree failed: %s", exc)
                return
        logger.warning("rebuilding the page tree kept colliding with other writers; left")
