"""What each write costs a real Wiki.js, how many to keep in flight, and whether
sending one twice is harmless. Pure.

Wiki.js 2.5 renders a page and rebuilds its page tree in freshly forked
worker processes on every page write (``server/models/pages.js``,
``server/core/scheduler.js``): seconds, not milliseconds. Batches are sized
against the measured figures of ``wikijs_facts`` (then against what the
client measures), several write requests run at once in **lanes** whose
number :class:`LanePlanner` finds by trying, and the retry layer reads
``idempotent`` to decide whether a write whose fate is unknown may simply be
sent again.

An operation is **idempotent** when sending it twice leaves the server as
sending it once does: ``pages.update`` (the SDK sends every field), deletes,
moves to a fixed destination, full-state user and group updates, group
membership changes. Creates are not: the SDK checks whether a create landed
before sending it again. Which mutation fields are is one list,
``wikijs_facts.IDEMPOTENT_MUTATIONS``; :func:`is_idempotent` reads it through
each generated operation's facts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass
from functools import cache

from .._facts import PAGE_JOB_WRITES, WRITE_SECONDS, WRITE_SECONDS_LIKE

__all__ = [
    "DEFAULT_WRITE",
    "MAX_WRITE_LANES",
    "START_WRITE_LANES",
    "CostModel",
    "LanePlanner",
    "Overlap",
    "WriteFacts",
    "is_idempotent",
    "job_failure",
    "lane_share",
    "plan_chunks",
    "write_facts",
]


@dataclass(frozen=True)
class WriteFacts:
    """One mutation's facts.

    Attributes:
        seconds: typical server time per item on Wiki.js 2.5.314, one write
            at a time (``wikijs_facts.WRITE_SECONDS``), used until the client
            has measured its own.
        page_job: it runs a page render or page-tree rebuild in a worker.
    """

    seconds: float
    page_job: bool = False


#: Facts assumed for a mutation nothing is known of (``client.execute``).
DEFAULT_WRITE = WriteFacts(seconds=0.5)
#: Seconds assumed for a mutation field that was not measured (they are the
#: cheap ones: settings, switches, memberships).
UNMEASURED_FIELD_SECONDS = 0.1


def field_seconds(field: str) -> float:
    """Measured seconds of one ``namespace.field`` write (or the assumption for others)."""
    measured = WRITE_SECONDS.get(WRITE_SECONDS_LIKE.get(field, field))
    return measured if measured is not None else UNMEASURED_FIELD_SECONDS


@cache
def write_facts(operation: str) -> WriteFacts:
    """The facts of the generated mutation named ``operation`` (a default for unknown ones).

    Read from the fields its document runs (``pages.create`` for
    ``CreatePage``), priced by the measured table of ``wikijs_facts``.
    """
    from .._generated.operations import OPERATIONS
    from .operation import describe

    spec = OPERATIONS.get(operation)
    if spec is None or spec.kind != "mutation":
        return DEFAULT_WRITE
    fields = [use.qualified for use in describe(spec.document, operation).fields]
    if not fields:
        return DEFAULT_WRITE
    return WriteFacts(
        seconds=sum(field_seconds(field) for field in fields),
        page_job=any(field in PAGE_JOB_WRITES for field in fields),
    )


def is_idempotent(operation: str) -> bool:
    """Whether the generated mutation ``operation`` may be sent again after an unknown outcome.

    Read from its document's facts (``wikijs_facts.IDEMPOTENT_MUTATIONS``, by
    the fields it runs), the one source the retry layer also reads.
    """
    return operation in _idempotent_operations()


@cache
def _idempotent_operations() -> frozenset[str]:
    from .._generated.operations import OPERATIONS
    from .operation import describe

    return frozenset(
        name
        for name, spec in OPERATIONS.items()
        if spec.kind == "mutation" and describe(spec.document, name).idempotent
    )


_JOB_FAILURE = re.compile(r"^Error when running job (rebuild-tree|render-page)\b")
# associateTags inserts the tags it did not find in one statement; a write that
# brought the same new tag a moment earlier makes it fail (server/models/tags.js).
_TAG_RACE = re.compile(r'^insert into "tags" .*"tags_tag_unique"', re.DOTALL)


def job_failure(message: str | None) -> str | None:
    """The step that failed after a page write landed: ``rebuild-tree``,
    ``render-page`` or ``tags``; ``None`` for any other failure.

    Wiki.js inserts or patches the page row *before* it saves the tags, then
    renders the page and rebuilds the page tree in worker processes. When one
    of those fails, the whole write is reported as failed although the page
    change has landed: two tree rebuilds at once collide on ``pageTree_pkey``;
    two writes that bring the same new tag at once collide on
    ``tags_tag_unique`` (the later one's page is left without its tags, its
    render and its place in the tree).
    """
    text = message or ""
    match = _JOB_FAILURE.match(text)
    if match:
        return match.group(1)
    return "tags" if _TAG_RACE.match(text) else None


class CostModel:
    """Server seconds per item of each mutation, learned from the calls so far.

    What it holds is the server's time per item *per request in flight*:
    a request of ``n`` items among ``L`` requests in flight takes about
    ``n * estimate * L`` (the server shares itself between them). Measured
    alone that is the time of one write. Starts from :func:`write_facts`;
    every measured request moves the estimate (an exponentially weighted
    mean, quick to rise and slower to fall, so one lucky chunk does not make
    the next one too large).
    """

    def __init__(self) -> None:
        self._seconds: dict[str, float] = {}

    def estimate(self, operation: str) -> float:
        known = self._seconds.get(operation)
        return known if known is not None else write_facts(operation).seconds

    def observe(self, operation: str, seconds: float, items: int, in_flight: float = 1.0) -> None:
        """A request of ``items`` writes took ``seconds`` with ``in_flight`` requests out."""
        if items <= 0 or seconds < 0 or not math.isfinite(seconds):
            return
        each = seconds / items / max(in_flight, 1.0)
        before = self.estimate(operation)
        weight = 0.7 if each > before else 0.3
        self._seconds[operation] = before + weight * (each - before)


def plan_chunks(
    sizes: Sequence[int],
    seconds_each: float,
    *,
    max_items: int,
    budget: float | None,
    max_bytes: int,
    ends: Collection[int] = (),
) -> list[range]:
    """Split items into consecutive chunks the server can finish in time.

    A chunk holds at most ``max_items`` items, at most ``budget`` seconds of
    estimated server work (``None``: no time limit) and at most ``max_bytes``
    of encoded item bodies, and ends after each index in ``ends``; every
    chunk holds at least one item (an item too large for ``max_bytes`` is the
    caller's to refuse beforehand).
    """
    per_time = max_items
    if budget is not None and seconds_each > 0:
        per_time = max(1, min(max_items, math.floor(budget / seconds_each)))
    chunks: list[range] = []
    start = 0
    used = 0
    for index, size in enumerate(sizes):
        count = index - start
        if count and (count >= per_time or used + size > max_bytes or index - 1 in ends):
            chunks.append(range(start, index))
            start, used = index, 0
        used += size
    if start < len(sizes):
        chunks.append(range(start, len(sizes)))
    return chunks


def lane_share(queued: int, lanes: int) -> int:
    """Items per request that keep ``lanes`` requests busy to the end of a batch.

    Each lane gets about half of its share of what is queued, so the last
    requests are short and finish together rather than one lane running on
    alone; with one lane there is no cap.
    """
    if lanes <= 1:
        return max(queued, 1)
    return max(1, math.ceil(queued / (2 * lanes)))


#: Write requests in flight at once, at most, when the planner chooses.
MAX_WRITE_LANES = 6
#: ... and at first: a small server gains from two (its worker processes
#: overlap), and two cannot hurt much where it does not.
START_WRITE_LANES = 2


class LanePlanner:
    """How many write requests of one kind to keep in flight, found by trying.

    It starts at :data:`START_WRITE_LANES` and measures the throughput
    (items per second) at each level: after a round at a level (as many
    finished requests as the level), a gain of more than :attr:`GAIN` over
    the level below tries one lane more, a loss of more than :attr:`LOSS`
    goes back one lane and holds there for a while. :meth:`trouble` (a
    timeout, a 429, a write race) halves the lanes and holds them. A client
    keeps one planner per mutation, so a second batch starts where the first
    ended. Pure: the batcher tells it what happened.

    Example:
        >>> planner = LanePlanner()
        >>> planner.lanes
        2
        >>> for _ in range(2):
        ...     planner.observe(items=4, seconds=8.0, in_flight=2.0)
        >>> planner.lanes   # nothing below to compare with: try one more
        3
    """

    GAIN = 0.10
    LOSS = 0.05

    def __init__(self, *, start: int = START_WRITE_LANES, most: int = MAX_WRITE_LANES) -> None:
        self.most = max(1, most)
        self.lanes = max(1, min(start, self.most))
        self._ceiling = self.most
        self._hold = 0
        self._rates: dict[int, float] = {}
        self._seen: dict[int, int] = {}

    @property
    def rates(self) -> dict[int, float]:
        """Items per second measured at each level so far (a moving average)."""
        return dict(self._rates)

    def observe(self, items: int, seconds: float, in_flight: float) -> None:
        """A request of ``items`` writes took ``seconds`` with ``in_flight`` requests
        (on average, itself included) running beside it."""
        if items <= 0 or seconds <= 0 or not math.isfinite(seconds) or in_flight <= 0:
            return
        level = max(1, round(in_flight))
        rate = in_flight * items / seconds
        before = self._rates.get(level)
        self._rates[level] = rate if before is None else before + 0.5 * (rate - before)
        self._seen[level] = self._seen.get(level, 0) + 1
        if self._hold:
            self._hold -= 1
            if not self._hold:
                self._ceiling = self.most
        self._decide()

    def trouble(self) -> None:
        """The server struggled (timeout, 429, a race between writes): fewer lanes."""
        self.lanes = max(1, self.lanes // 2)
        self._ceiling = self.lanes
        self._hold = 2 * self.most
        self._seen[self.lanes] = 0

    def _decide(self) -> None:
        level = self.lanes
        if self._seen.get(level, 0) < level:
            return  # a round at this level first
        here = self._rates[level]
        below = self._rates.get(level - 1)
        if below is not None and here < below * (1 - self.LOSS):
            self.lanes = level - 1
            self._ceiling = self.lanes
            self._hold = 2 * self.most
            self._seen[self.lanes] = 0
        elif level < min(self._ceiling, self.most) and (
            below is None or here > below * (1 + self.GAIN)
        ):
            self.lanes = level + 1
            self._seen[self.lanes] = 0


class Overlap:
    """How many requests were in flight, on average, during each one's life.

    Example:
        >>> overlap = Overlap()
        >>> overlap.start("a", 0.0); overlap.start("b", 1.0)
        >>> overlap.finish("a", 2.0)   # alone for 1 s, then with b for 1 s
        1.5
    """

    def __init__(self) -> None:
        self._count = 0
        self._last = 0.0
        self._area: dict[Hashable, float] = {}
        self._since: dict[Hashable, float] = {}

    def __len__(self) -> int:
        return self._count

    def start(self, key: Hashable, now: float) -> None:
        self._advance(now)
        self._count += 1
        self._area[key] = 0.0
        self._since[key] = now

    def finish(self, key: Hashable, now: float) -> float:
        """The average number in flight (``key`` included) from its start to ``now``."""
        self._advance(now)
        self._count -= 1
        area = self._area.pop(key)
        elapsed = now - self._since.pop(key)
        return area / elapsed if elapsed > 0 else float(self._count + 1)

    def _advance(self, now: float) -> None:
        elapsed = max(0.0, now - self._last)
        if elapsed:
            for key in self._area:
                self._area[key] += self._count * elapsed
        self._last = now
