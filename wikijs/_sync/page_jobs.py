# Generated from wikijs/_async/page_jobs.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""Keeping the page tree whole when Wiki.js's page jobs fail under parallel writes.

Every page write makes Wiki.js render the page and rebuild its page tree in
worker processes. The tree rebuild truncates and refills one table, so two at
once collide (``duplicate key value violates unique constraint
"pageTree_pkey"``) and the server reports that write as failed although the
page change has landed. The page resources then report the write as done,
and note here what needs doing again; once no page write of this client is in
flight, :class:`PageJobs` re-renders the pages whose render failed and
rebuilds the tree once. A repair that fails is logged and left: the next
successful page write rebuilds the whole tree anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .._backends import Lock
from ..errors import PageJobError, WikiJSError

if TYPE_CHECKING:
    from wikijs._generated.client import GeneratedClient

logger = logging.getLogger("wikijs.pages")

#: Tree rebuilds tried in a row when each collides with someone else's.
REBUILD_ATTEMPTS = 3


class PageJobs:
    """Counts this client's page writes in flight and repairs failed jobs after them."""

    def __init__(self, graphql: GeneratedClient) -> None:
        self._graphql = graphql
        self._lock = Lock()
        self._in_flight = 0
        self._rebuild = False
        self._render: set[int] = set()
        self.repairs = 0  # tree rebuilds and re-renders sent (for tests and metrics)

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Wrap one page write (or one batch of them)."""
        with self._lock:
            self._in_flight += 1
        try:
            yield
        finally:
            with self._lock:
                self._in_flight -= 1
                due = self._in_flight == 0 and (self._rebuild or bool(self._render))
                render, rebuild = sorted(self._render), self._rebuild
                if due:
                    self._render.clear()
                    self._rebuild = False
            if due:
                self._repair(render, rebuild)

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

    def _repair(self, render: list[int], rebuild: bool) -> None:
        for page_id in render:
            try:
                self.repairs += 1
                self._graphql.render_page(id=page_id)
            except WikiJSError as exc:
                logger.warning("re-rendering page %d failed: %s", page_id, exc)
        if not rebuild:
            return
        for _ in range(REBUILD_ATTEMPTS):
            try:
                self.repairs += 1
                self._graphql.rebuild_page_tree()
                return
            except PageJobError:
                continue  # another writer's rebuild collided with ours: again
            except WikiJSError as exc:
                logger.warning("rebuilding the page tree failed: %s", exc)
                return
        logger.warning("rebuilding the page tree kept colliding with other writers; left")
