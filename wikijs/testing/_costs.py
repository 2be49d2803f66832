"""What writes cost a real Wiki.js, alone and overlapping, and the races they cause.

A page create on Wiki.js 2.5.314 inserts the row, saves its tags, then awaits
a render and a page-tree rebuild, each in a freshly forked worker process
(``server/models/pages.js``, ``server/core/scheduler.js``): seconds, not
microseconds. Mutation fields of one document run one after another, so their
costs add up in one request; the write lands first and the time is spent after,
so a client that gives up early leaves the server writing. Writes in separate
requests overlap: their worker processes share the server's cores, so two at
once take longer each but finish sooner together (``speedup``). Overlapping
writes race:

- two rebuild-tree jobs at once collide (both truncate ``pageTree``, the
  second insert fails on its primary key): that write answers ``succeeded:
  false`` although its row changed;
- two writes that bring the same new tag at once both read the tag list
  before either inserted it, so both insert it; the later waits for the
  first's insert to commit, then fails on ``tags_tag_unique`` after its page
  row is written (the page is left without its tags and its render). The
  fake writes at once, so it lets an insert of a new tag commit
  ``tag_window`` later: a write that arrived before then collides with it,
  and answers once it has committed.

``FakeWikiJS(write_costs=WriteCosts.measured())`` reproduces all of it with
the figures measured on a real server (``wikijs/_facts/__init__.py``, the
table the SDK's planner reads too). Off by default, so the suite stays fast;
``WriteCosts.measured().scaled(0.01)`` keeps the proportions at a hundredth of
the time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from graphql import GraphQLResolveInfo, OperationType

from .._facts import (
    CONCURRENT_SPEEDUP,
    REBUILD_RACE_WINDOW,
    TAG_RACE_WINDOW,
    WRITE_SECONDS,
    WRITE_SECONDS_LIKE,
    concurrent_speedup,
)

if TYPE_CHECKING:
    from ._resolvers import Context

# Seconds per mutation field measured on a real Wiki.js 2.5.314: the one table
# in wikijs/_facts/__init__.py (``python -m benchmarks.write_costs``), with
# the fields priced like a measured one they resemble.
MEASURED: Mapping[str, float] = MappingProxyType(
    {
        **WRITE_SECONDS,
        **{name: WRITE_SECONDS[like] for name, like in WRITE_SECONDS_LIKE.items()},
    }
)
MEASURED_REBUILD_WINDOW = REBUILD_RACE_WINDOW
MEASURED_TAG_WINDOW = TAG_RACE_WINDOW
# The measured server's cores: no more than this many writes make progress at once.
MEASURED_WORKERS = 2

# Fields whose write ends with a page-tree rebuild (pages.update and
# pages.restore too, when they move the page).
REBUILDS_TREE = frozenset({"pages.create", "pages.delete", "pages.move", "pages.rebuildTree"})

REBUILD_COLUMNS = (
    '"ancestors", "depth", "id", "isFolder", "isPrivate", "localeCode", "pageId", "parent", '
    '"path", "privateNS", "title"'
)


@dataclass(frozen=True)
class WriteCosts:
    """Seconds the server stays busy after each write (per ``namespace.field``).

    Example:
        >>> fake = FakeWikiJS(write_costs=WriteCosts.measured().scaled(0.01))
        >>> WriteCosts.measured().cost("pages.create") == MEASURED["pages.create"]
        True

    Args:
        seconds: cost per mutation field when it runs alone, such as
            ``{"pages.create": 3.9}``; fields not named cost nothing.
        rebuild_window: the last part of a page create, delete or move (or an
            update that moves) spent rebuilding the page tree; a rebuild that
            starts while another one's window is open fails (``succeeded:
            false`` after its row changed), as on the real server.
        workers: at most this many writes make progress at once (the
            server's cores); ``None`` for no limit.
        speedup: how much faster ``n`` writes in flight at once finish
            together than one after another (``{1: 1.0, 2: 1.4, …}``,
            interpolated, flat past the last); each of ``n`` writes then
            progresses at ``speedup(n) / n`` of its speed alone. ``None``:
            ``n`` writes at once are ``n`` times as fast (up to ``workers``).
        tag_window: seconds from a write's arrival to its insert of a new
            tag being committed; a write bringing the same tag that arrived
            before then fails on ``tags_tag_unique`` after its row is
            written, answering once the insert committed; 0: never.
    """

    seconds: Mapping[str, float] = field(default_factory=dict)
    rebuild_window: float = 0.0
    workers: int | None = None
    speedup: Mapping[int, float] | None = None
    tag_window: float = 0.0

    def __post_init__(self) -> None:
        if (
            any(value < 0 for value in self.seconds.values())
            or self.rebuild_window < 0
            or self.tag_window < 0
        ):
            raise ValueError("write costs are seconds, never negative")
        if self.workers is not None and self.workers < 1:
            raise ValueError("workers must be at least 1 (or None for no limit)")
        if self.speedup is not None:
            if not self.speedup or any(
                level < 1 or value <= 0 for level, value in self.speedup.items()
            ):
                raise ValueError("speedup maps writes in flight (1, 2, …) to a positive factor")
            object.__setattr__(self, "speedup", MappingProxyType(dict(self.speedup)))
        object.__setattr__(self, "seconds", MappingProxyType(dict(self.seconds)))

    @classmethod
    def measured(cls) -> WriteCosts:
        """The costs measured on a real Wiki.js 2.5.314 (see docs/testing.md)."""
        return cls(
            dict(MEASURED),
            MEASURED_REBUILD_WINDOW,
            MEASURED_WORKERS,
            dict(CONCURRENT_SPEEDUP),
            MEASURED_TAG_WINDOW,
        )

    def scaled(self, factor: float) -> WriteCosts:
        """Every cost (and the race windows) multiplied by ``factor``."""
        if factor < 0:
            raise ValueError("the scale factor cannot be negative")
        return replace(
            self,
            seconds={key: value * factor for key, value in self.seconds.items()},
            rebuild_window=self.rebuild_window * factor,
            tag_window=self.tag_window * factor,
        )

    def cost(self, field_key: str) -> float:
        return float(self.seconds.get(field_key, 0.0))

    def throughput(self, in_flight: int) -> float:
        """How many writes' worth of work the server does per second with ``in_flight`` at once."""
        if in_flight <= 0:
            return 0.0
        if self.speedup is not None:
            value = concurrent_speedup(in_flight, self.speedup)
        else:
            value = float(in_flight)
        return min(value, float(self.workers)) if self.workers else value


class CostMeter:
    """The running side of :class:`WriteCosts` for one fake server."""

    def __init__(self, costs: WriteCosts) -> None:
        self.costs = costs
        self._changed = threading.Condition()
        self._running = 0  # writes spending their cost now
        #: The most writes that spent their cost at once so far (tests read it).
        self.peak: int = 0
        self._rebuilding = 0  # of them, in their rebuild window
        self._deletes: list[float] = []
        self._tags: dict[str, tuple[float, int]] = {}  # new tag -> (when, request)
        self._lock = threading.Lock()

    def spend(self, seconds: float, window: float) -> tuple[bool, float, float]:
        """Hold the calling thread for ``seconds`` of work, shared with the writes in flight.

        Each of ``n`` writes in flight progresses at ``throughput(n) / n`` of
        its speed alone, recomputed whenever one starts or ends. The last
        ``window`` seconds of work are its tree rebuild. Returns whether the
        rebuild collided (another write was in its own rebuild when this one
        began its), and the wall-clock span of the rebuild.
        """
        with self._changed:
            self._running += 1
            self.peak = max(self.peak, self._running)
            self._changed.notify_all()
            remaining = seconds
            rebuilding = False
            collided = False
            began = time.monotonic()
            last = began
            try:
                while True:
                    # the work left when the next thing happens: the rebuild, the end
                    target = window if (window > 0 and not rebuilding) else 0.0
                    if remaining > target + 1e-9:
                        rate = self.costs.throughput(self._running) / self._running
                        self._changed.wait((remaining - target) / rate)
                        now = time.monotonic()
                        remaining -= (now - last) * rate
                        last = now
                        continue  # woken early by a write starting or ending: again
                    if window > 0 and not rebuilding:
                        rebuilding = True
                        began = last
                        collided = self._rebuilding > 0
                        self._rebuilding += 1
                        continue
                    break
            finally:
                if rebuilding:
                    self._rebuilding -= 1
                self._running -= 1
                self._changed.notify_all()
            return collided, began, time.monotonic()

    def page_deleted(self) -> None:
        """A page row went away: rebuild jobs inserting it now fail."""
        with self._lock:
            now = time.monotonic()
            self._deletes = [t for t in self._deletes if now - t < 3600] + [now]

    def deleted_during(self, start: float, end: float) -> bool:
        with self._lock:
            return any(start <= t <= end for t in self._deletes)

    def tag_created(self, name: str, request: int) -> None:
        """A write of ``request`` inserted the new tag ``name``."""
        with self._lock:
            self._tags[name] = (time.monotonic(), request)

    def tag_contended(self, name: str, request: int, arrived: float) -> float | None:
        """When another request's insert of ``name`` committed, if this request
        arrived before it did (then it read the tag list without ``name``)."""
        window = self.costs.tag_window
        if window <= 0:
            return None
        with self._lock:
            created = self._tags.get(name)
        if created is None or created[1] == request:
            return None
        committed = created[0] + window
        return committed if arrived < committed else None


def namespace_of(info: GraphQLResolveInfo) -> str:
    """``pages`` for a field of ``PageMutation``: the root field of that type."""
    mutation = info.schema.mutation_type
    assert mutation is not None
    for name, root in mutation.fields.items():
        if getattr(root.type, "name", None) == info.parent_type.name:
            return str(name)
    return str(info.parent_type.name)


def spend_write_costs(
    next_: Callable[..., Any], root: Any, info: GraphQLResolveInfo, **args: Any
) -> Any:
    """graphql-core middleware: after a successful write, hold the answer for its cost.

    The state lock is released meanwhile, so other requests run (and can see
    the write), like on the real server.
    """
    if info.operation.operation is not OperationType.MUTATION or info.path.prev is None:
        return next_(root, info, **args)
    if info.path.prev.prev is not None:
        return next_(root, info, **args)
    ctx: Context = info.context
    ctx.tree_rebuilds = 0
    ctx.answer_after = 0.0
    result = next_(root, info, **args)
    meter = ctx.core.meter
    outcome = result.get("responseResult") if isinstance(result, dict) else None
    if meter is not None and ctx.answer_after > time.monotonic():
        _wait_unlocked(ctx, ctx.answer_after - time.monotonic())
    if meter is None or not (isinstance(outcome, dict) and outcome.get("succeeded")):
        return result
    key = f"{namespace_of(info)}.{info.field_name}"
    seconds = meter.costs.cost(key)
    rebuilds = ctx.tree_rebuilds > 0 or key in REBUILDS_TREE
    if seconds <= 0:
        return result
    lock = ctx.state.lock
    lock.release()
    try:
        window = min(meter.costs.rebuild_window, seconds) if rebuilds else 0.0
        collided, began, ended = meter.spend(seconds, window)
        # A page deleted while this job rebuilt the tree was in its select and is
        # gone for its insert: the pageTree foreign key fails instead.
        orphaned = window > 0 and meter.deleted_during(began, ended)
    finally:
        lock.acquire()
    failure = None
    if collided:
        failure = rebuild_failure(ctx)
    elif orphaned:
        failure = rebuild_failure(ctx, FOREIGN_KEY)
    return {"responseResult": failure} if failure is not None else result


def _wait_unlocked(ctx: Context, seconds: float) -> None:
    """Hold this request's answer, letting the others run meanwhile."""
    lock = ctx.state.lock
    lock.release()
    try:
        time.sleep(seconds)
    finally:
        lock.acquire()


DUPLICATE_KEY = 'duplicate key value violates unique constraint "pageTree_pkey"'
FOREIGN_KEY = (
    'insert or update on table "pageTree" violates foreign key constraint "pagetree_pageid_foreign"'
)


def rebuild_failure(ctx: Context, reason: str = DUPLICATE_KEY) -> dict[str, Any] | None:
    """The answer of a write whose rebuild-tree job lost the race (its row changed);
    ``None`` when the tree is empty, as the job then inserts nothing."""
    from ._resolvers.pages import page_tree

    rows = min(len(page_tree(ctx.state)), 100)  # the job inserts in chunks of 100
    if rows == 0:
        return None
    values = ", ".join(
        "(" + ", ".join(f"${row * 11 + n}" for n in range(1, 12)) + ")" for row in range(rows)
    )
    return {
        "succeeded": False,
        "errorCode": 1,
        "slug": "Error",
        "message": (  # the worker's stderr: knex's error, the SQL it ran included
            f'Error when running job rebuild-tree: insert into "pageTree" ({REBUILD_COLUMNS}) '  # noqa: S608
            f"values {values} - {reason}"
        ),
    }
