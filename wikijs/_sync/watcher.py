# Generated from wikijs/_async/watcher.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""Watching a wiki by polling it. ``wikijs/_sync/watcher.py`` is derived from this file.

Wiki.js 2.5 sends no webhooks and has no change feed, so the watcher lists
the wiki at every poll and reports the difference from the previous
listing (``wikijs._protocol.changes``, pure and unit-tested on its own).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from .._backends import sleep
from .._protocol.cache_keys import bypass
from .._protocol.changes import Snapshot, diff
from .._protocol.events import PageEvent, PageInfo, UserEvent, UserInfo
from ..errors import (
    CircuitOpenError,
    InvalidArgumentError,
    RateLimitedError,
    RateLimitExceededError,
    ResponseError,
    TransportError,
)

if TYPE_CHECKING:
    from .client import WikiJSClient

logger = logging.getLogger("wikijs.events")

#: What can be watched.
NAMESPACES = ("pages", "users")
#: Failures worth waiting out: the next poll may well succeed.
TRANSIENT_ERRORS = (
    TransportError,
    ResponseError,
    CircuitOpenError,
    RateLimitedError,
    RateLimitExceededError,
)


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Watcher:
    """Yields typed events for what changes in a wiki, by polling it.

    The first poll only takes a baseline; each later poll lists the watched
    namespaces again and yields one event per change: ``page.created``,
    ``page.updated``, ``page.moved``, ``page.deleted`` (and ``user.created``,
    ``user.deleted`` when ``"users"`` is watched). A poll that fails for a
    passing reason (connection, 5xx, rate limit, open circuit) is logged
    and retried at the next interval without losing or repeating events.

    Example::

        watcher = Watcher(client, interval=30, namespaces=("pages", "users"))
        for event in watcher:
            print(event.type, event.page.locale_path if event.type.startswith("page.") else "")

    Its listings always go to the server (a client's ``cache=`` is
    refreshed, never read), so cached answers cannot hide changes.

    Args:
        client: the client to poll with (its credentials must list what is
            watched: ``users`` needs ``manage:users`` or ``write:users``).
        interval: seconds between polls.
        namespaces: ``"pages"`` and/or ``"users"``.
        snapshot: a :attr:`snapshot` kept from an earlier watcher, to resume
            without a new baseline.
        max_failures: raise after this many failed polls in a row
            (``None``: never give up).
        sleep: waits between polls (replace it in tests).
        now: the clock stamped on events.

    Raises:
        ValidationError: an unknown namespace or a negative interval.
    """

    def __init__(
        self,
        client: WikiJSClient,
        *,
        interval: float = 30.0,
        namespaces: Iterable[str] = ("pages",),
        snapshot: Snapshot | None = None,
        max_failures: int | None = None,
        sleep: Callable[[float], None] = sleep,
        now: Callable[[], datetime] = _utcnow,
    ) -> None:
        if isinstance(namespaces, str):
            namespaces = (namespaces,)
        watched = tuple(dict.fromkeys(namespaces))
        unknown = [name for name in watched if name not in NAMESPACES]
        if unknown or not watched:
            raise InvalidArgumentError(
                f"namespaces must be some of {', '.join(NAMESPACES)}, not {list(watched)!r}",
                field="namespaces",
            )
        if interval < 0:
            raise InvalidArgumentError("interval cannot be negative", field="interval")
        if max_failures is not None and max_failures < 0:
            raise InvalidArgumentError("max_failures cannot be negative", field="max_failures")
        self._client = client
        self._interval = float(interval)
        self._namespaces = watched
        self._snapshot = snapshot
        self._max_failures = max_failures
        self._sleep = sleep
        self._now = now
        self._stopped = False

    @property
    def namespaces(self) -> tuple[str, ...]:
        return self._namespaces

    @property
    def interval(self) -> float:
        return self._interval

    @property
    def snapshot(self) -> Snapshot | None:
        """What the last successful poll saw (``None`` before the first)."""
        return self._snapshot

    def take_snapshot(self) -> Snapshot:
        """List the watched namespaces now (no events, nothing remembered)."""
        pages: list[PageInfo] | None = None
        users: list[UserInfo] | None = None
        with bypass(refresh=True):
            if "pages" in self._namespaces:
                pages = [PageInfo.from_page(item) for item in self._client.pages.list()]
            if "users" in self._namespaces:
                users = [UserInfo.from_user(item) for item in self._client.users.list()]
        return Snapshot.of(pages, users)

    def poll(self) -> list[PageEvent | UserEvent]:
        """Poll once now; the events since the previous poll (none on the first).

        Raises:
            WikiJSError: the listing failed; nothing is remembered, so the
                next poll reports everything since the last good one.
        """
        current = self.take_snapshot()
        previous, self._snapshot = self._snapshot, current
        if previous is None:
            return []
        return diff(previous, current, at=self._now())

    def events(self, *, polls: int | None = None) -> Iterator[PageEvent | UserEvent]:
        """Poll every ``interval`` seconds and yield each change as it is seen.

        Args:
            polls: stop after this many polls, the baseline included
                (``None``: until :meth:`stop`).
        """
        failures = done = 0
        while not self._stopped and (polls is None or done < polls):
            if done:
                self._sleep(self._interval)
            done += 1
            try:
                batch = self.poll()
            except TRANSIENT_ERRORS as exc:
                failures += 1
                if self._max_failures is not None and failures > self._max_failures:
                    raise
                logger.warning(
                    "polling the wiki failed (%s: %s); trying again in %gs",
                    type(exc).__name__,
                    exc,
                    self._interval,
                )
                continue
            failures = 0
            for event in batch:
                yield event

    def __iter__(self) -> Iterator[PageEvent | UserEvent]:
        return self.events()

    def stop(self) -> None:
        """End :meth:`events` after the current poll (or wait)."""
        self._stopped = True

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(interval={self._interval:g}, namespaces={self._namespaces!r})"
        )
