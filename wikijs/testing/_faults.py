"""Fault injection and the request log."""

from __future__ import annotations

import math
import random
import threading
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

FaultKind = Literal["http", "refuse", "drop_after", "stall"]


@dataclass(frozen=True)
class Fault:
    """One injected failure.

    Build them with the class methods; ``path`` and ``operation`` restrict
    which requests a scripted fault applies to (``operation`` matches a
    GraphQL operation name or a ``namespace.field`` such as ``pages.create``).

    Example:
        >>> fake.faults.push(Fault.http(503, retry_after=2))     # next request gets a 503
        >>> fake.faults.push(Fault.drop_after(operation="pages.create"))  # applied, then cut
        >>> fake.faults.set_rate(0.2, [Fault.http(502), Fault.refuse()], seed=7)
    """

    kind: FaultKind
    status: int = 503
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    delay: float = 0.0
    path: str | None = None
    operation: str | None = None
    wait: bool = True

    @classmethod
    def http(
        cls,
        status: int,
        *,
        retry_after: float | None = None,
        body: bytes | str | None = None,
        headers: Sequence[tuple[str, str]] = (),
        path: str | None = None,
        operation: str | None = None,
    ) -> Fault:
        """Answer with ``status`` instead of reaching the server (e.g. a proxy's 502)."""
        extra = list(headers)
        if retry_after is not None:
            extra.append(("retry-after", f"{retry_after:g}"))
        if body is None:
            body = f"{status} injected by FakeWikiJS"
        raw = body.encode() if isinstance(body, str) else body
        return cls(
            "http", status=status, headers=tuple(extra), body=raw, path=path, operation=operation
        )

    @classmethod
    def refuse(cls, *, path: str | None = None, operation: str | None = None) -> Fault:
        """The request never reaches the server (connection refused / closed unread)."""
        return cls("refuse", path=path, operation=operation)

    @classmethod
    def drop_after(
        cls, *, wait: bool = True, path: str | None = None, operation: str | None = None
    ) -> Fault:
        """The server processes the request, then the connection is cut.

        ``wait=False`` (:class:`FaultProxy` only) cuts it as soon as the request
        was forwarded, while the server is still working on it; the fake always
        finishes the request first.
        """
        return cls("drop_after", path=path, operation=operation, wait=wait)

    @classmethod
    def stall(
        cls, seconds: float, *, path: str | None = None, operation: str | None = None
    ) -> Fault:
        """Answer normally, but only after ``seconds``.

        ``math.inf`` (:class:`FaultProxy` only) never answers: the client's
        timeout ends the exchange.
        """
        return cls("stall", delay=seconds, path=path, operation=operation)

    @property
    def label(self) -> str:
        """A short name: ``502``, ``429``, ``refuse``, ``drop_after``, ``stall``…"""
        if self.kind == "http":
            return str(self.status)
        if self.kind == "drop_after" and not self.wait:
            return "drop_after_early"
        if self.kind == "stall":
            return "stall" if self.delay == math.inf else f"stall {self.delay:g}s"
        return self.kind

    def matches_path(self, path: str) -> bool:
        return self.path is None or self.path == path

    def matches_operations(self, names: Sequence[str]) -> bool:
        return self.operation is None or self.operation in names


class FaultInjector:
    """Scripted faults (a queue, one consumed per matching request) and random ones.

    Example:
        >>> fake.faults.extend([Fault.http(503), Fault.http(503)])
        >>> fake.faults.pending
        2
    """

    def __init__(self) -> None:
        self._queue: deque[Fault] = deque()
        self._rate = 0.0
        self._choices: tuple[Fault, ...] = ()
        self._random = random.Random(0)  # noqa: S311 - not for security
        self._lock = threading.Lock()

    def push(self, fault: Fault) -> None:
        with self._lock:
            self._queue.append(fault)

    def extend(self, faults: Iterable[Fault]) -> None:
        with self._lock:
            self._queue.extend(faults)

    def set_rate(self, rate: float, faults: Sequence[Fault], *, seed: int = 0) -> None:
        """Inject one of ``faults`` (chosen at random) into a ``rate`` share of requests."""
        if not 0.0 <= rate <= 1.0:
            raise ValueError("rate must be between 0 and 1")
        if rate and not faults:
            raise ValueError("a fault rate needs faults to choose from")
        with self._lock:
            self._rate = rate
            self._choices = tuple(faults)
            self._random = random.Random(seed)  # noqa: S311

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()
            self._rate = 0.0
            self._choices = ()

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    def take_for_head(self, path: str) -> Fault | None:
        """Faults decided when the request line arrives (no operation filter, or random)."""
        with self._lock:
            for fault in self._queue:
                if fault.operation is None and fault.matches_path(path):
                    self._queue.remove(fault)
                    return fault
            if self._rate and self._random.random() < self._rate:
                return self._random.choice(self._choices)
            return None

    def take_for_body(self, path: str, names: Sequence[str]) -> Fault | None:
        """Faults filtered by GraphQL operation, decided once the body is parsed."""
        with self._lock:
            for fault in self._queue:
                if (
                    fault.operation is not None
                    and fault.matches_path(path)
                    and fault.matches_operations(names)
                ):
                    self._queue.remove(fault)
                    return fault
            return None


@dataclass(frozen=True)
class RequestRecord:
    """One request as the fake saw it (``fake.requests``)."""

    method: str
    path: str
    operation_names: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    status: int | None = None
    fault: FaultKind | None = None


@dataclass
class RequestLog:
    records: list[RequestRecord] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, record: RequestRecord) -> None:
        with self.lock:
            self.records.append(record)

    def snapshot(self) -> list[RequestRecord]:
        with self.lock:
            return list(self.records)

    def clear(self) -> None:
        with self.lock:
            self.records.clear()
