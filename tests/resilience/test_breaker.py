"""The circuit breaker's state machine, without any I/O."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest

from wikijs.errors import (
    CircuitOpenError,
    ConnectError,
    HTTPStatusError,
    InputRejectedError,
    InvalidArgumentError,
    NotFoundError,
    RateLimitExceededError,
    RequestTimeoutError,
    ValidationError,
)
from wikijs.middleware import BreakerStats, CircuitBreaker, CircuitState, counts_as_failure

from .conftest import ManualClock


def breaker(clock: ManualClock, **kwargs: Any) -> CircuitBreaker:
    options: dict[str, Any] = {
        "failure_threshold": 3,
        "recovery_timeout": 30,
        "success_threshold": 2,
        "clock": clock,
        "wall_clock": lambda: 1_700_000_000.0,
    }
    options.update(kwargs)
    return CircuitBreaker(**options)


def fail(b: CircuitBreaker, error: BaseException | None = None) -> None:
    b.record(b.acquire("GetPage"), error or ConnectError("down"))


def succeed(b: CircuitBreaker) -> None:
    b.record(b.acquire("GetPage"), None)


class TestOpening:
    def test_opens_on_the_failure_that_crosses_the_threshold(self, clock: ManualClock) -> None:
        opened: list[BreakerStats] = []
        b = breaker(clock, on_open=opened.append)
        fail(b)
        fail(b)
        assert b.state is CircuitState.CLOSED
        assert b.stats().failure_count == 2
        fail(b)
        assert b.state is CircuitState.OPEN
        assert len(opened) == 1
        assert opened[0].state == "open"
        assert opened[0].failure_count == 3

    def test_an_open_circuit_fails_fast_with_the_time_left(self, clock: ManualClock) -> None:
        b = breaker(clock)
        for _ in range(3):
            fail(b)
        clock.advance(10)
        with pytest.raises(CircuitOpenError) as caught:
            b.acquire("GetPage")
        assert caught.value.operation == "GetPage"
        assert caught.value.retry_after == pytest.approx(20)
        assert b.stats().rejected == 1

    def test_a_success_resets_the_run_of_failures(self, clock: ManualClock) -> None:
        b = breaker(clock)
        fail(b)
        fail(b)
        succeed(b)
        fail(b)
        fail(b)
        assert b.state is CircuitState.CLOSED

    @pytest.mark.parametrize(
        "error",
        [
            NotFoundError("missing", code=6003),
            InputRejectedError("bad", code=6005),
            HTTPStatusError("teapot", status_code=418),
        ],
    )
    def test_answers_that_say_no_do_not_count(self, clock: ManualClock, error: Exception) -> None:
        b = breaker(clock)
        fail(b)
        fail(b)
        fail(b, error)  # the server answered: it is up, so the run is broken
        fail(b)
        assert b.state is CircuitState.CLOSED

    def test_local_refusals_tell_nothing(self, clock: ManualClock) -> None:
        b = breaker(clock)
        fail(b)
        fail(b)
        fail(b, RateLimitExceededError("later", retry_after=1))
        assert b.stats().failure_count == 2
        fail(b, InvalidArgumentError("a caller's mistake: nothing was sent", field="id"))
        assert b.stats().failure_count == 2
        fail(b)
        assert b.state is CircuitState.OPEN

    def test_timeouts_and_5xx_count(self) -> None:
        assert counts_as_failure(RequestTimeoutError("slow"))
        assert counts_as_failure(HTTPStatusError("bad gateway", status_code=502))
        assert not counts_as_failure(HTTPStatusError("nope", status_code=404))
        assert not counts_as_failure(ValueError("x"))

    def test_a_custom_failure_predicate(self, clock: ManualClock) -> None:
        b = breaker(clock, failure_threshold=1, is_failure=lambda e: isinstance(e, NotFoundError))
        fail(b, ConnectError("x"))
        assert b.state is CircuitState.CLOSED
        fail(b, NotFoundError("x"))
        assert b.state is CircuitState.OPEN


class TestRecovery:
    def open_breaker(self, clock: ManualClock, **kwargs: Any) -> CircuitBreaker:
        b = breaker(clock, **kwargs)
        for _ in range(3):
            fail(b)
        return b

    def test_half_opens_after_the_recovery_timeout(self, clock: ManualClock) -> None:
        half: list[BreakerStats] = []
        b = self.open_breaker(clock, on_half_open=half.append)
        clock.advance(29.9)
        assert b.state is CircuitState.OPEN
        clock.advance(0.1)
        assert b.state is CircuitState.HALF_OPEN
        assert len(half) == 1

    def test_closes_after_enough_successful_trials(self, clock: ManualClock) -> None:
        closed: list[BreakerStats] = []
        b = self.open_breaker(clock, on_close=closed.append)
        clock.advance(30)
        succeed(b)
        assert b.state is CircuitState.HALF_OPEN
        assert b.stats().success_count == 1
        succeed(b)
        assert b.state is CircuitState.CLOSED
        assert len(closed) == 1
        assert b.stats().failure_count == 0

    def test_one_trial_at_a_time(self, clock: ManualClock) -> None:
        b = self.open_breaker(clock)
        clock.advance(30)
        trial = b.acquire("GetPage")
        with pytest.raises(CircuitOpenError, match="trial"):
            b.acquire("GetPage")
        trial.success()
        b.acquire("GetPage").success()
        assert b.state is CircuitState.CLOSED

    def test_more_trials_when_allowed(self, clock: ManualClock) -> None:
        b = self.open_breaker(clock, half_open_max_calls=2)
        clock.advance(30)
        first, second = b.acquire(), b.acquire()
        with pytest.raises(CircuitOpenError):
            b.acquire()
        first.success()
        second.success()
        assert b.state is CircuitState.CLOSED

    def test_a_failed_trial_reopens_for_another_timeout(self, clock: ManualClock) -> None:
        opened: list[BreakerStats] = []
        b = self.open_breaker(clock, on_open=opened.append)
        clock.advance(30)
        fail(b)
        assert b.state is CircuitState.OPEN
        assert len(opened) == 2
        clock.advance(29)
        assert b.state is CircuitState.OPEN

    def test_a_trial_that_told_nothing_frees_its_slot(self, clock: ManualClock) -> None:
        b = self.open_breaker(clock)
        clock.advance(30)
        b.record(b.acquire(), RateLimitExceededError("later"))
        succeed(b)
        succeed(b)
        assert b.state is CircuitState.CLOSED

    def test_a_stale_trial_does_not_speak_for_a_later_spell(self, clock: ManualClock) -> None:
        b = self.open_breaker(clock, half_open_max_calls=2)
        clock.advance(30)
        stale = b.acquire()
        fail(b)  # the other trial fails: open again
        clock.advance(30)
        stale.success()  # from the earlier half-open spell: ignored
        assert b.stats().success_count == 0
        assert b.state is CircuitState.HALF_OPEN

    def test_outcomes_are_reported_once(self, clock: ManualClock) -> None:
        b = breaker(clock, failure_threshold=2)
        permit = b.acquire()
        permit.failure()
        permit.failure()
        permit.release()
        assert b.stats().failure_count == 1

    def test_reset_closes_at_once(self, clock: ManualClock) -> None:
        b = self.open_breaker(clock)
        b.reset()
        assert b.state is CircuitState.CLOSED
        succeed(b)


class TestObserving:
    def test_stats_carry_the_contract_fields(self, clock: ManualClock) -> None:
        b = breaker(clock)
        stats = b.stats()
        assert (stats.state, stats.failure_count, stats.last_failure_time) == ("closed", 0, None)
        fail(b)
        stats = b.stats()
        assert stats.failure_count == 1
        assert stats.last_failure_time == 1_700_000_000.0
        assert stats.total_failures == 1
        assert str(stats.state) == "closed"

    def test_listeners_see_every_change(self, clock: ManualClock) -> None:
        changes: list[tuple[str, str]] = []
        b = breaker(clock, on_state_change=lambda old, new, stats: changes.append((old, new)))
        extra: list[str] = []

        def listener(old: CircuitState, new: CircuitState, stats: BreakerStats) -> None:
            extra.append(new.value)

        b.add_listener(listener)
        for _ in range(3):
            fail(b)
        clock.advance(30)
        succeed(b)
        succeed(b)
        assert changes == [("closed", "open"), ("open", "half_open"), ("half_open", "closed")]
        assert extra == ["open", "half_open", "closed"]
        b.remove_listener(listener)
        b.remove_listener(listener)  # twice is harmless
        for _ in range(3):
            fail(b)
        assert extra == ["open", "half_open", "closed"]

    def test_a_raising_callback_is_logged_and_ignored(
        self, clock: ManualClock, caplog: pytest.LogCaptureFixture
    ) -> None:
        def explode(stats: BreakerStats) -> None:
            raise RuntimeError("callback bug")

        b = breaker(clock, on_open=explode)
        with caplog.at_level(logging.ERROR, logger="wikijs.middleware"):
            for _ in range(3):
                fail(b)
        assert b.state is CircuitState.OPEN
        assert "callback" in caplog.text

    def test_repr(self, clock: ManualClock) -> None:
        assert "closed" in repr(breaker(clock, name="wiki"))


class TestConfiguration:
    @pytest.mark.parametrize(
        "kwargs",
        [
            {"failure_threshold": 0},
            {"success_threshold": True},
            {"half_open_max_calls": 0},
            {"recovery_timeout": -1},
            {"on_open": "print"},
        ],
    )
    def test_bad_values_are_refused(self, kwargs: dict[str, Any]) -> None:
        with pytest.raises(ValidationError):
            CircuitBreaker(**kwargs)

    def test_callbacks_must_be_plain_functions(self) -> None:
        async def on_open(stats: BreakerStats) -> None: ...

        with pytest.raises(ValidationError, match="plain function"):
            CircuitBreaker(on_open=on_open)


def test_threads_share_one_breaker_consistently() -> None:
    b = CircuitBreaker(failure_threshold=1_000_000)
    start = threading.Barrier(8)

    def work(index: int) -> None:
        start.wait()
        for n in range(2_000):
            permit = b.acquire()
            if (index + n) % 2:
                permit.failure()
            else:
                permit.success()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stats = b.stats()
    assert stats.total_failures + stats.total_successes == 16_000
    assert stats.total_failures == 8_000


def test_concurrent_trials_never_exceed_the_limit() -> None:
    clock = ManualClock()
    b = CircuitBreaker(failure_threshold=1, recovery_timeout=1, success_threshold=5, clock=clock)
    b.acquire().failure()
    clock.advance(1)
    granted: list[object] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def try_once() -> None:
        start.wait()
        try:
            permit = b.acquire()
        except CircuitOpenError:
            return
        with lock:
            granted.append(permit)

    threads = [threading.Thread(target=try_once) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(granted) == 1
