"""What writes cost a real Wiki.js, and the page-tree rebuild race they cause.

A page create on Wiki.js 2.5.314 inserts the row, then awaits a render and a
page-tree rebuild, each in a freshly forked worker process
(``server/models/pages.js``, ``server/core/scheduler.js``): seconds, not
microseconds. Mutation fields of one document run one after another, so their
costs add up in one request; the write lands first and the time is spent after,
so a client that gives up early leaves the server writing. Two rebuild jobs that
overlap collide (both truncate ``pageTree``, the second insert fails on its
primary key): that write's answer is ``succeeded: false`` although its row
changed.

``FakeWikiJS(write_costs=WriteCosts.measured())`` reproduces both. Off by
default, so the suite stays fast; ``WriteCosts.measured().scaled(0.01)`` keeps
the proportions at a hundredth of the time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from graphql import GraphQLResolveInfo, OperationType

if TYPE_CHECKING:
    from ._resolvers import Context

# Median seconds per mutation field on a real Wiki.js 2.5.314 (PostgreSQL 15,
# loopback, 2 cores shared with other work; scripts/measure-write-costs, 5 runs
# each, 2026-12-04). docs/testing.md tells how they were measured.
MEASURED: Mapping[str, float] = MappingProxyType(
    {
        "pages.create": 3.9,
        "pages.update": 2.65,
        "pages.render": 2.4,
        "pages.convert": 2.65,  # a render, like an update
        "pages.restore": 2.65,  # an update
        "pages.move": 1.2,
        "pages.delete": 1.6,
        "pages.rebuildTree": 1.2,
        "users.create": 0.7,  # bcrypt hashes the password
        "users.update": 0.02,
        "users.delete": 0.02,
        "groups.create": 0.02,
        "groups.update": 0.02,
        "groups.delete": 0.02,
    }
)
# The part of a rebuild-tree job in which a second one collides with it (truncate,
# then insert): about a tenth of a second of the second or so the job takes.
MEASURED_REBUILD_WINDOW = 0.1
# Two cores: two forked workers make progress at once, the rest wait.
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
        >>> WriteCosts.measured().cost("pages.create")
        3.9

    Args:
        seconds: cost per mutation field, such as ``{"pages.create": 3.9}``;
            fields not named cost nothing.
        rebuild_window: the last part of a page create, delete or move (or an
            update that moves) spent rebuilding the page tree; a rebuild that
            starts while another one's window is open fails (``succeeded:
            false`` after its row changed), as on the real server.
        workers: how many writes spend their cost at once (the server's
            cores); the others wait for a turn. ``None`` for no limit.
    """

    seconds: Mapping[str, float] = field(default_factory=dict)
    rebuild_window: float = 0.0
    workers: int | None = None

    def __post_init__(self) -> None:
        if any(value < 0 for value in self.seconds.values()) or self.rebuild_window < 0:
            raise ValueError("write costs are seconds, never negative")
        if self.workers is not None and self.workers < 1:
            raise ValueError("workers must be at least 1 (or None for no limit)")
        object.__setattr__(self, "seconds", MappingProxyType(dict(self.seconds)))

    @classmethod
    def measured(cls) -> WriteCosts:
        """The costs measured on a real Wiki.js 2.5.314 (see docs/testing.md)."""
        return cls(dict(MEASURED), MEASURED_REBUILD_WINDOW, MEASURED_WORKERS)

    def scaled(self, factor: float) -> WriteCosts:
        """Every cost (and the rebuild window) multiplied by ``factor``."""
        if factor < 0:
            raise ValueError("the scale factor cannot be negative")
        return replace(
            self,
            seconds={key: value * factor for key, value in self.seconds.items()},
            rebuild_window=self.rebuild_window * factor,
        )

    def cost(self, field_key: str) -> float:
        return float(self.seconds.get(field_key, 0.0))


class CostMeter:
    """The running side of :class:`WriteCosts` for one fake server."""

    def __init__(self, costs: WriteCosts) -> None:
        self.costs = costs
        self._slots = threading.Semaphore(costs.workers) if costs.workers else None
        self._windows: list[tuple[float, float]] = []
        self._deletes: list[float] = []
        self._lock = threading.Lock()

    @contextmanager
    def turn(self) -> Iterator[None]:
        if self._slots is None:
            yield
            return
        with self._slots:
            yield

    def rebuild_collides(self, start: float, end: float) -> bool:
        """Register a rebuild window; ``True`` when it overlaps one still registered."""
        with self._lock:
            now = time.monotonic()
            self._windows = [(s, e) for s, e in self._windows if e > now]
            collides = any(s < end and start < e for s, e in self._windows)
            self._windows.append((start, end))
            return collides

    def page_deleted(self) -> None:
        """A page row went away: rebuild jobs inserting it now fail."""
        with self._lock:
            now = time.monotonic()
            self._deletes = [t for t in self._deletes if now - t < 3600] + [now]

    def deleted_during(self, start: float, end: float) -> bool:
        with self._lock:
            return any(start <= t <= end for t in self._deletes)


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
    result = next_(root, info, **args)
    meter = ctx.core.meter
    outcome = result.get("responseResult") if isinstance(result, dict) else None
    if meter is None or not (isinstance(outcome, dict) and outcome.get("succeeded")):
        return result
    key = f"{namespace_of(info)}.{info.field_name}"
    seconds = meter.costs.cost(key)
    rebuilds = ctx.tree_rebuilds > 0 or key in REBUILDS_TREE
    if seconds <= 0:
        return result
    lock = ctx.state.lock
    orphaned = False
    lock.release()
    try:
        with meter.turn():
            start = time.monotonic()
            window = min(meter.costs.rebuild_window, seconds)
            collided = (
                rebuilds
                and window > 0
                and meter.rebuild_collides(start + seconds - window, start + seconds)
            )
            time.sleep(seconds)
            # A page deleted while this job rebuilt the tree was in its select and is
            # gone for its insert: the pageTree foreign key fails instead.
            orphaned = (
                rebuilds
                and window > 0
                and meter.deleted_during(start + seconds - window, start + seconds)
            )
    finally:
        lock.acquire()
    failure = None
    if collided:
        failure = rebuild_failure(ctx)
    elif orphaned:
        failure = rebuild_failure(ctx, FOREIGN_KEY)
    return {"responseResult": failure} if failure is not None else result


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
