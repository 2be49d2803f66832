"""The circuit breaker's state machine. No I/O; safe to share across threads.

::

    CLOSED ──(failure_threshold failures in a row)──▶ OPEN
      ▲                                                │
      │                                      recovery_timeout passes
      │                                                ▼
      └──(success_threshold successes)──────────── HALF_OPEN ──(a failure)──▶ OPEN

While OPEN every call fails fast with :class:`~wikijs.errors.CircuitOpenError`
and nothing is sent. In HALF_OPEN a limited number of trial calls go
through at a time; the others still fail fast.

Every method takes a short lock and never blocks otherwise, so one breaker
serves threads and asyncio tasks alike. Callbacks run after the lock is
released, in the thread that caused the change.
"""

from __future__ import annotations

import enum
import inspect
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import (
    APIError,
    CircuitOpenError,
    GraphQLError,
    InvalidArgumentError,
    ResponseError,
    TransportError,
)

logger = logging.getLogger("wikijs.middleware")


class CircuitState(str, enum.Enum):
    """The breaker's state; compares equal to ``"closed"``, ``"open"``, ``"half_open"``."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class BreakerStats:
    """A snapshot of a :class:`CircuitBreaker`.

    Attributes:
        state: ``CircuitState.CLOSED``, ``OPEN`` or ``HALF_OPEN``.
        failure_count: failures in a row that count toward opening.
        success_count: successful trial calls since the circuit half-opened.
        last_failure_time: wall-clock time (``time.time()``) of the last
            counted failure, or ``None``.
        opened_at: wall-clock time the circuit last opened, or ``None``.
        retry_after: seconds until an open circuit lets a trial through.
        total_failures: counted failures since the breaker was made.
        total_successes: successes since the breaker was made.
        rejected: calls refused while open or half-open.
    """

    state: CircuitState
    failure_count: int
    success_count: int
    last_failure_time: float | None
    opened_at: float | None
    retry_after: float
    total_failures: int
    total_successes: int
    rejected: int


StateListener = Callable[[CircuitState, CircuitState, BreakerStats], Any]
StatsCallback = Callable[[BreakerStats], Any]


def counts_as_failure(error: BaseException) -> bool:
    """The default: does this failure say the server is unhealthy?

    Transport failures and timeouts do, and so do 5xx answers. A 4xx, a
    validation error, a not-found or any answer Wiki.js reasoned about
    (an ``APIError``) does not: the server is up and said no.
    """
    if isinstance(error, TransportError):
        return True
    if isinstance(error, (ResponseError, GraphQLError)):
        status = error.status_code
        return status is not None and status >= 500
    return False


class Permit:
    """A call's ticket through the breaker; report its outcome exactly once."""

    __slots__ = ("_breaker", "_done", "generation", "trial")

    def __init__(self, breaker: CircuitBreaker, trial: bool, generation: int) -> None:
        self._breaker = breaker
        self.trial: bool = trial
        self.generation: int = generation
        self._done = False

    def success(self) -> None:
        if not self._done:
            self._done = True
            self._breaker._record(self, ok=True)

    def failure(self) -> None:
        if not self._done:
            self._done = True
            self._breaker._record(self, ok=False)

    def release(self) -> None:
        """The call ended without telling anything about the server's health."""
        if not self._done:
            self._done = True
            self._breaker._release(self)


def _check_callback(value: Any, name: str) -> None:
    if value is None:
        return
    if not callable(value):
        raise InvalidArgumentError(f"{name} must be callable", field=name)
    if inspect.iscoroutinefunction(value):
        raise InvalidArgumentError(
            f"{name} must be a plain function: the breaker calls it synchronously, "
            "from whichever thread or task changed its state",
            field=name,
        )


class CircuitBreaker:
    """Stops calling a failing server for a while, then probes it carefully.

    Example::

        from wikijs import WikiJSClient
        from wikijs.middleware import CircuitBreaker

        breaker = CircuitBreaker(
            failure_threshold=5, recovery_timeout=60, success_threshold=2,
            on_open=lambda stats: print("circuit opened after", stats.failure_count, "failures"),
        )
        client = WikiJSClient(url, auth=api_key, circuit_breaker=breaker)
        print(client.circuit_breaker.stats().state)      # closed

    Args:
        failure_threshold: counted failures in a row that open the circuit.
        recovery_timeout: seconds the circuit stays open before a trial call.
        success_threshold: successful trial calls that close it again.
        half_open_max_calls: trial calls allowed in flight at once.
        on_open: called with :class:`BreakerStats` when the circuit opens.
        on_close: called with :class:`BreakerStats` when it closes.
        on_half_open: called with :class:`BreakerStats` when it half-opens.
        on_state_change: called with ``(old, new, stats)`` on every change.
        is_failure: decides which errors count (default
            :func:`counts_as_failure`: transport errors, timeouts, 5xx).
        name: a label for logs and metrics.
        clock: monotonic seconds (default ``time.monotonic``).
        wall_clock: epoch seconds for ``last_failure_time`` (default ``time.time``).

    Callbacks are plain functions; one that raises is logged and ignored.
    A breaker may be shared by several clients (and threads): they then
    open and close together.

    Raises:
        ValidationError: an argument is out of range.
    """

    def __init__(
        self,
        failure_threshold: int = 5,
        recovery_timeout: float = 60.0,
        success_threshold: int = 2,
        *,
        half_open_max_calls: int = 1,
        on_open: StatsCallback | None = None,
        on_close: StatsCallback | None = None,
        on_half_open: StatsCallback | None = None,
        on_state_change: StateListener | None = None,
        is_failure: Callable[[BaseException], bool] | None = None,
        name: str = "default",
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        for value, field in (
            (failure_threshold, "failure_threshold"),
            (success_threshold, "success_threshold"),
            (half_open_max_calls, "half_open_max_calls"),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidArgumentError(
                    f"{field} must be an integer >= 1, not {value!r}", field=field
                )
        if (
            isinstance(recovery_timeout, bool)
            or not isinstance(recovery_timeout, (int, float))
            or recovery_timeout < 0
        ):
            raise InvalidArgumentError(
                f"recovery_timeout must be a number of seconds >= 0, not {recovery_timeout!r}",
                field="recovery_timeout",
            )
        for callback, field in (
            (on_open, "on_open"),
            (on_close, "on_close"),
            (on_half_open, "on_half_open"),
            (on_state_change, "on_state_change"),
            (is_failure, "is_failure"),
        ):
            _check_callback(callback, field)
        self.failure_threshold = failure_threshold
        self.recovery_timeout: float = float(recovery_timeout)
        self.success_threshold = success_threshold
        self.half_open_max_calls = half_open_max_calls
        self.name = name
        self.is_failure: Callable[[BaseException], bool] = is_failure or counts_as_failure
        self._on_open = on_open
        self._on_close = on_close
        self._on_half_open = on_half_open
        self._listeners: list[StateListener] = [on_state_change] if on_state_change else []
        self._clock = clock
        self._wall_clock = wall_clock
        self._lock = threading.Lock()
        self._state = CircuitState.CLOSED
        self._failures = 0
        self._successes = 0
        self._trials = 0
        self._generation = 0
        self._opened_mono = 0.0
        self._opened_at: float | None = None
        self._last_failure_time: float | None = None
        self._total_failures = 0
        self._total_successes = 0
        self._rejected = 0

    # -- observing ----------------------------------------------------------------

    @property
    def state(self) -> CircuitState:
        """The current state (an open circuit whose timeout passed reads HALF_OPEN)."""
        with self._lock:
            changes = self._advance()
            state = self._state
        self._notify(changes)
        return state

    def stats(self) -> BreakerStats:
        """A consistent snapshot: ``.state .failure_count .last_failure_time`` and more."""
        with self._lock:
            changes = self._advance()
            stats = self._snapshot()
        self._notify(changes)
        return stats

    def add_listener(self, listener: StateListener) -> None:
        """Also call ``listener(old, new, stats)`` on every state change."""
        _check_callback(listener, "listener")
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: StateListener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    # -- the call protocol ------------------------------------------------------

    def acquire(self, operation: str | None = None) -> Permit:
        """Let a call through, or raise :class:`CircuitOpenError` at once.

        Report the outcome on the returned ``Permit``: ``success()``,
        ``failure()``, or ``release()`` when the outcome says nothing about
        the server's health.
        """
        with self._lock:
            changes = self._advance()
            state = self._state
            if state is CircuitState.CLOSED:
                permit = Permit(self, False, self._generation)
            elif state is CircuitState.HALF_OPEN and self._trials < self.half_open_max_calls:
                self._trials += 1
                permit = Permit(self, True, self._generation)
            else:
                self._rejected += 1
                wait = self._remaining()
                permit = None
        self._notify(changes)
        if permit is None:
            message = (
                f"the circuit breaker is open; the next trial call is allowed in {wait:.1f}s"
                if state is CircuitState.OPEN
                else "the circuit breaker is half-open and a trial call is already under way"
            )
            raise CircuitOpenError(message, operation=operation, retry_after=wait)
        return permit

    def record(self, permit: Permit, error: BaseException | None) -> None:
        """Report a finished call: ``None`` for success, else the error it raised."""
        if error is None:
            permit.success()
        elif self.is_failure(error):
            permit.failure()
        elif isinstance(error, Exception) and _answered(error):
            permit.success()  # the server answered coherently: it is up
        else:
            permit.release()

    def reset(self) -> None:
        """Close the circuit and forget the failures (an operator's override)."""
        with self._lock:
            changes = []
            if self._state is not CircuitState.CLOSED:
                changes = self._move(CircuitState.CLOSED)
            self._failures = 0
        self._notify(changes)

    # -- internals (call with the lock held, except _notify) ---------------------

    def _remaining(self) -> float:
        if self._state is not CircuitState.OPEN:
            return 0.0
        return max(0.0, self._opened_mono + self.recovery_timeout - self._clock())

    def _advance(self) -> list[tuple[CircuitState, CircuitState, BreakerStats]]:
        if (
            self._state is CircuitState.OPEN
            and self._clock() - self._opened_mono >= self.recovery_timeout
        ):
            return self._move(CircuitState.HALF_OPEN)
        return []

    def _move(self, new: CircuitState) -> list[tuple[CircuitState, CircuitState, BreakerStats]]:
        old = self._state
        self._state = new
        self._generation += 1
        self._successes = 0
        self._trials = 0
        if new is CircuitState.OPEN:
            self._opened_mono = self._clock()
            self._opened_at = self._wall_clock()
        elif new is CircuitState.CLOSED:
            self._failures = 0
        logger.log(
            logging.WARNING if new is CircuitState.OPEN else logging.INFO,
            "circuit breaker %r: %s -> %s",
            self.name,
            old.value,
            new.value,
        )
        return [(old, new, self._snapshot())]

    def _snapshot(self) -> BreakerStats:
        return BreakerStats(
            state=self._state,
            failure_count=self._failures,
            success_count=self._successes,
            last_failure_time=self._last_failure_time,
            opened_at=self._opened_at,
            retry_after=self._remaining(),
            total_failures=self._total_failures,
            total_successes=self._total_successes,
            rejected=self._rejected,
        )

    def _record(self, permit: Permit, *, ok: bool) -> None:
        with self._lock:
            changes = self._advance()
            # A trial from an earlier half-open spell no longer speaks for
            # the server's current health.
            trial = permit.trial and permit.generation == self._generation
            if trial:
                self._trials -= 1
            if ok:
                self._total_successes += 1
                if self._state is CircuitState.HALF_OPEN and trial:
                    self._successes += 1
                    if self._successes >= self.success_threshold:
                        changes += self._move(CircuitState.CLOSED)
                elif self._state is CircuitState.CLOSED:
                    self._failures = 0
            else:
                self._total_failures += 1
                self._last_failure_time = self._wall_clock()
                if self._state is CircuitState.HALF_OPEN and trial:
                    changes += self._move(CircuitState.OPEN)
                elif self._state is CircuitState.CLOSED:
                    self._failures += 1
                    if self._failures >= self.failure_threshold:
                        changes += self._move(CircuitState.OPEN)
        self._notify(changes)

    def _release(self, permit: Permit) -> None:
        with self._lock:
            if permit.trial and permit.generation == self._generation:
                self._trials -= 1

    def _notify(self, changes: list[tuple[CircuitState, CircuitState, BreakerStats]]) -> None:
        for old, new, stats in changes:
            specific = {
                CircuitState.OPEN: self._on_open,
                CircuitState.CLOSED: self._on_close,
                CircuitState.HALF_OPEN: self._on_half_open,
            }[new]
            if specific is not None:
                _safely(specific, stats)
            for listener in list(self._listeners):
                _safely(listener, old, new, stats)

    def __repr__(self) -> str:
        stats = self.stats()
        return (
            f"CircuitBreaker(name={self.name!r}, state={stats.state.value!r}, "
            f"failures={stats.failure_count}/{self.failure_threshold})"
        )


def _answered(error: Exception) -> bool:
    """The error carries an answer from the server (as opposed to a local refusal)."""
    return isinstance(error, (APIError, ResponseError, GraphQLError))


def _safely(callback: Callable[..., Any], *args: Any) -> None:
    try:
        callback(*args)
    except Exception:
        logger.exception("a circuit breaker callback raised; ignored")
