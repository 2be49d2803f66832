"""What each write costs a real Wiki.js, and whether sending it twice is harmless. Pure.

Wiki.js 2.5 renders a page and rebuilds its page tree in freshly forked
worker processes on every page write (``server/models/pages.js``,
``server/core/scheduler.js``): seconds, not milliseconds. Batches are sized
against these figures (then against what the client measures), and the
retry layer reads ``idempotent`` to decide whether a write whose fate is
unknown may simply be sent again.

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
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

__all__ = [
    "DEFAULT_WRITE",
    "WRITES",
    "CostModel",
    "WriteFacts",
    "is_idempotent",
    "job_failure",
    "plan_chunks",
    "write_facts",
]


@dataclass(frozen=True)
class WriteFacts:
    """One mutation's facts.

    Attributes:
        seconds: typical server time per item on Wiki.js 2.5.314 (PostgreSQL,
            2 cores, loopback), used until the client has measured its own.
        page_job: it runs a page render or page-tree rebuild in a worker.
    """

    seconds: float
    page_job: bool = False


#: Measured on a real Wiki.js 2.5.314 (see docs/performance.md, "Write costs").
WRITES: dict[str, WriteFacts] = {
    "CreatePage": WriteFacts(seconds=3.0, page_job=True),
    "UpdatePage": WriteFacts(seconds=2.0, page_job=True),
    "DeletePage": WriteFacts(seconds=1.0, page_job=True),
    "MovePage": WriteFacts(seconds=2.0, page_job=True),
    "RenderPage": WriteFacts(seconds=1.0, page_job=True),
    "RestorePage": WriteFacts(seconds=2.0, page_job=True),
    "ConvertPage": WriteFacts(seconds=2.0, page_job=True),
    "RebuildPageTree": WriteFacts(seconds=1.0, page_job=True),
    "MigratePagesToLocale": WriteFacts(seconds=2.0, page_job=True),
    "CreateUser": WriteFacts(seconds=0.15),
    "UpdateUser": WriteFacts(seconds=0.1),
    "DeleteUser": WriteFacts(seconds=0.1),
    "ActivateUser": WriteFacts(seconds=0.05),
    "DeactivateUser": WriteFacts(seconds=0.05),
    "VerifyUser": WriteFacts(seconds=0.05),
    "CreateGroup": WriteFacts(seconds=0.1),
    "UpdateGroup": WriteFacts(seconds=0.1),
    "DeleteGroup": WriteFacts(seconds=0.1),
    "AssignUserToGroup": WriteFacts(seconds=0.05),
    "UnassignUserFromGroup": WriteFacts(seconds=0.05),
    "DeleteAsset": WriteFacts(seconds=0.05),
    "RenameAsset": WriteFacts(seconds=0.05),
    "DeleteComment": WriteFacts(seconds=0.05),
    "UpdateComment": WriteFacts(seconds=0.1),
    "RevokeApiKey": WriteFacts(seconds=0.05),
    "SetApiState": WriteFacts(seconds=0.05),
    "DeletePageTag": WriteFacts(seconds=0.1),
    "UpdatePageTag": WriteFacts(seconds=0.1),
    "FlushPageCache": WriteFacts(seconds=0.1),
    "FlushTempUploads": WriteFacts(seconds=0.1),
    "PurgePageHistory": WriteFacts(seconds=0.2),
    "RebuildSearchIndex": WriteFacts(seconds=1.0),
    "UpdateNavigationTree": WriteFacts(seconds=0.1),
    "UpdateNavigationConfig": WriteFacts(seconds=0.05),
    "UpdateSiteConfig": WriteFacts(seconds=0.1),
    "UpdateLocaleConfig": WriteFacts(seconds=0.1),
    "UpdateProfile": WriteFacts(seconds=0.05),
    "EnableUserTfa": WriteFacts(seconds=0.05),
    "DisableUserTfa": WriteFacts(seconds=0.05),
    # Not idempotent: a second ChangePassword fails (the current password
    # changed), a second reset mails again, a second create makes another.
    "ChangePassword": WriteFacts(seconds=0.2),
    "ResetUserPassword": WriteFacts(seconds=0.2),
    "CreateApiKey": WriteFacts(seconds=0.05),
    "CreateComment": WriteFacts(seconds=0.3),
    "CreateAssetFolder": WriteFacts(seconds=0.05),
    "DownloadLocale": WriteFacts(seconds=2.0),
}

#: Facts assumed for a mutation the table does not know (``client.execute``).
DEFAULT_WRITE = WriteFacts(seconds=0.5)


def write_facts(operation: str) -> WriteFacts:
    """The facts of the mutation named ``operation`` (a default for unknown ones)."""
    return WRITES.get(operation, DEFAULT_WRITE)


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


def job_failure(message: str | None) -> str | None:
    """The worker job (``rebuild-tree`` or ``render-page``) a write's failure names.

    Wiki.js inserts or patches the page row *before* it renders the page and
    rebuilds the page tree in worker processes; when one of those fails (two
    tree rebuilds at once collide on ``pageTree_pkey``), the whole write is
    reported as failed although the page change has landed.
    """
    match = _JOB_FAILURE.match(message or "")
    return match.group(1) if match else None


class CostModel:
    """Server seconds per item of each mutation, learned from the calls so far.

    Starts from :data:`WRITES`; every measured request moves the estimate
    (an exponentially weighted mean, quick to rise and slower to fall, so
    one lucky chunk does not make the next one too large).
    """

    def __init__(self) -> None:
        self._seconds: dict[str, float] = {}

    def estimate(self, operation: str) -> float:
        known = self._seconds.get(operation)
        return known if known is not None else write_facts(operation).seconds

    def observe(self, operation: str, seconds: float, items: int) -> None:
        if items <= 0 or seconds < 0 or not math.isfinite(seconds):
            return
        each = seconds / items
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
) -> list[range]:
    """Split items into consecutive chunks the server can finish in time.

    A chunk holds at most ``max_items`` items, at most ``budget`` seconds of
    estimated server work (``None``: no time limit) and at most ``max_bytes``
    of encoded item bodies; every chunk holds at least one item (an item too
    large for ``max_bytes`` is the caller's to refuse beforehand).
    """
    per_time = max_items
    if budget is not None and seconds_each > 0:
        per_time = max(1, min(max_items, math.floor(budget / seconds_each)))
    chunks: list[range] = []
    start = 0
    used = 0
    for index, size in enumerate(sizes):
        count = index - start
        if count and (count >= per_time or used + size > max_bytes):
            chunks.append(range(start, index))
            start, used = index, 0
        used += size
    if start < len(sizes):
        chunks.append(range(start, len(sizes)))
    return chunks
