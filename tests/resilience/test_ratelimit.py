"""Rate-limit reservations (token bucket and sliding window), without any I/O."""

from __future__ import annotations

import itertools
import threading
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wikijs.errors import ValidationError
from wikijs.middleware import Limit, RateLimiter

from .conftest import ManualClock


def grants(limiter: RateLimiter, arrivals: list[float], name: str = "GetPage") -> list[float]:
    """When each request (arriving at the given times) is allowed to go."""
    out = []
    for now in arrivals:
        turn = limiter.reserve(name, "query", now=now)
        assert turn.granted
        out.append(now + turn.wait)
    return out


def in_order(times: list[float]) -> bool:
    """Non-decreasing, give or take float rounding in ``now + wait``."""
    return all(later >= earlier - 1e-9 for earlier, later in itertools.pairwise(times))


def most_in_any_window(times: list[float], window: float) -> int:
    """The largest number of times inside any half-open window [t, t + window)."""
    times = sorted(times)
    best, left = 0, 0
    for right, t in enumerate(times):
        while times[left] <= t - window + 1e-9:
            left += 1
        best = max(best, right - left + 1)
    return best


class TestTokenBucket:
    def test_a_burst_goes_at_once_then_the_steady_rate(self) -> None:
        limiter = RateLimiter(requests_per_second=10, burst_size=20)
        times = grants(limiter, [0.0] * 25)
        assert times[:20] == [0.0] * 20
        assert times[20:] == pytest.approx([0.1, 0.2, 0.3, 0.4, 0.5])

    def test_the_default_burst_is_one_seconds_worth(self) -> None:
        limiter = RateLimiter(requests_per_second=5)
        assert grants(limiter, [0.0] * 6)[-1] == pytest.approx(0.2)

    def test_quiet_time_refills_the_bucket(self) -> None:
        limiter = RateLimiter(requests_per_second=10, burst_size=2)
        grants(limiter, [0.0, 0.0])
        assert grants(limiter, [5.0, 5.0, 5.0]) == pytest.approx([5.0, 5.0, 5.1])

    @settings(max_examples=150, deadline=None)
    @given(
        rate=st.sampled_from([1.0, 3.0, 10.0, 50.0]),
        burst=st.integers(1, 15),
        gaps=st.lists(st.floats(0, 0.5), min_size=1, max_size=80),
    )
    def test_never_more_than_burst_plus_rate_times_span(
        self, rate: float, burst: int, gaps: list[float]
    ) -> None:
        limiter = RateLimiter(requests_per_second=rate, burst_size=burst)
        arrivals, now = [], 0.0
        for gap in gaps:
            now += gap
            arrivals.append(now)
        times = grants(limiter, arrivals)
        assert in_order(times)
        for i, start in enumerate(times):
            for j in range(i, len(times)):
                span = times[j] - start
                assert j - i + 1 <= burst + rate * span + 1e-6


class TestSlidingWindow:
    def test_at_most_the_limit_in_any_second(self) -> None:
        limiter = RateLimiter(requests_per_second=10, strategy="sliding_window")
        times = grants(limiter, [0.0] * 35)
        assert times[:10] == [0.0] * 10
        assert times[10:20] == pytest.approx([1.0] * 10)
        assert most_in_any_window(times, 1.0) == 10

    def test_burst_size_is_the_window_capacity(self) -> None:
        limiter = RateLimiter(requests_per_second=10, burst_size=20, strategy="sliding_window")
        times = grants(limiter, [0.0] * 21)
        assert times[20] == pytest.approx(2.0)  # 20 per 2 s

    @settings(max_examples=150, deadline=None)
    @given(
        rate=st.sampled_from([1.0, 4.0, 10.0]),
        burst=st.integers(1, 12),
        gaps=st.lists(st.floats(0, 0.7), min_size=1, max_size=80),
    )
    def test_never_more_than_capacity_in_any_window(
        self, rate: float, burst: int, gaps: list[float]
    ) -> None:
        limiter = RateLimiter(requests_per_second=rate, burst_size=burst, strategy="sliding_window")
        arrivals, now = [], 0.0
        for gap in gaps:
            now += gap
            arrivals.append(now)
        times = grants(limiter, arrivals)
        assert in_order(times)
        assert all(t >= a for t, a in zip(times, arrivals, strict=True))
        assert most_in_any_window(times, burst / rate) <= burst


class TestRefusing:
    def test_raise_mode_books_nothing(self) -> None:
        limiter = RateLimiter(requests_per_second=1, burst_size=1, on_limit="raise")
        assert limiter.reserve("GetPage", "query", now=0.0).granted
        refused = limiter.reserve("GetPage", "query", now=0.25)
        assert not refused.granted
        assert refused.wait == pytest.approx(0.75)
        # Refusals took no turn: the next one is still due at 1.0.
        assert limiter.reserve("GetPage", "query", now=1.0).granted

    def test_max_wait_refuses_long_waits(self) -> None:
        limiter = RateLimiter(requests_per_second=1, burst_size=1, max_wait=2)
        for expected in (0, 1, 2):
            assert limiter.reserve("GetPage", "query", now=0.0).wait == pytest.approx(expected)
        refused = limiter.reserve("GetPage", "query", now=0.0)
        assert not refused.granted
        assert refused.wait == pytest.approx(3)


class TestPerOperation:
    def limiter(self, **kwargs: Any) -> RateLimiter:
        return RateLimiter(
            default_rps=10,
            endpoint_limits={"CreatePage": 2, "mutation": 5, "UploadAsset": Limit(1, 1)},
            **kwargs,
        )

    def test_the_most_specific_limit_applies(self) -> None:
        limiter = self.limiter()
        assert limiter.limit_for("CreatePage", "mutation").key == "CreatePage"  # type: ignore[union-attr]
        assert limiter.limit_for("DeletePage", "mutation").key == "mutation"  # type: ignore[union-attr]
        assert limiter.limit_for("GetPage", "query").key == "*"  # type: ignore[union-attr]

    def test_a_batch_goes_by_its_members_names(self) -> None:
        limiter = self.limiter()
        batch = limiter.limit_for("Batch[CreatePage x50]", "mutation")
        assert batch is not None
        assert batch.key == "CreatePage"
        reads = limiter.limit_for("Batch[GetPage+GetPageByPath x2]", "query")
        assert reads is not None
        assert reads.key == "*"

    def test_a_slower_endpoint_limit_paces_only_its_operation(self) -> None:
        limiter = self.limiter()
        creates = grants(limiter, [0.0] * 4, "CreatePage")
        assert creates == pytest.approx([0.0, 0.0, 0.5, 1.0])
        # Reads queued after the creates are not held up by them.
        assert grants(limiter, [0.0] * 10) == [0.0] * 10

    def test_operations_without_a_limit_are_not_limited(self) -> None:
        limiter = RateLimiter(endpoint_limits={"mutation": 1})
        assert limiter.limit_for("GetPage", "query") is None
        assert grants(limiter, [0.0] * 50) == [0.0] * 50

    def test_limit_objects(self) -> None:
        limiter = self.limiter()
        upload = limiter.limit_for("UploadAsset", "mutation")
        assert upload is not None
        assert (upload.rate, upload.burst, upload.strategy) == (1.0, 1, "token_bucket")
        mixed = RateLimiter(1, endpoint_limits={"x": Limit(2, strategy="sliding_window")})
        assert mixed.limits["x"].strategy == "sliding_window"
        assert mixed.limits["*"].strategy == "token_bucket"


class TestPause:
    def test_a_pause_holds_every_request(self) -> None:
        limiter = RateLimiter(requests_per_second=100)
        assert limiter.pause(3, now=10.0) == 3
        assert limiter.reserve("GetPage", "query", now=10.0).wait == pytest.approx(3)

    def test_the_pause_is_capped(self) -> None:
        limiter = RateLimiter(requests_per_second=100, respect_retry_after=5)
        assert limiter.pause(3600, now=0.0) == 5
        disabled = RateLimiter(requests_per_second=100, respect_retry_after=0)
        assert disabled.pause(10, now=0.0) == 0
        assert disabled.reserve("GetPage", "query", now=0.0).wait == 0


class TestConfiguration:
    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({}, "requests_per_second"),
            ({"requests_per_second": 0}, "requests_per_second"),
            ({"requests_per_second": float("inf")}, "requests_per_second"),
            ({"requests_per_second": 10, "default_rps": 5}, "default_rps"),
            ({"requests_per_second": 10, "burst_size": 0}, "burst_size"),
            ({"burst_size": 5, "endpoint_limits": {"x": 1}}, "burst_size"),
            ({"requests_per_second": 10, "strategy": "leaky"}, "strategy"),
            ({"requests_per_second": 10, "on_limit": "drop"}, "on_limit"),
            ({"requests_per_second": 10, "max_wait": -1}, "max_wait"),
            ({"requests_per_second": 10, "respect_retry_after": -1}, "respect_retry_after"),
            ({"requests_per_second": 10, "sleep": 5}, "sleep"),
            ({"endpoint_limits": {"": 1}}, "endpoint_limits"),
            ({"endpoint_limits": {"*": 1}}, "endpoint_limits"),
        ],
    )
    def test_bad_values_are_refused(self, kwargs: dict[str, Any], field: str) -> None:
        with pytest.raises(ValidationError) as caught:
            RateLimiter(**kwargs)
        assert caught.value.field == field

    def test_a_bad_endpoint_limit_names_its_key(self) -> None:
        with pytest.raises(ValidationError, match="CreatePage"):
            RateLimiter(endpoint_limits={"CreatePage": -2})
        with pytest.raises(ValidationError):
            Limit(5, burst_size=0)
        with pytest.raises(ValidationError):
            Limit(5, strategy="fixed")  # type: ignore[arg-type]

    def test_same_value_under_both_names_is_fine(self) -> None:
        assert RateLimiter(requests_per_second=3, default_rps=3).limits["*"].rate == 3

    def test_repr_and_modes(self) -> None:
        limiter = RateLimiter(10, on_limit="raise")
        assert "10/s" in repr(limiter)
        assert not limiter.blocks
        assert limiter.callback is None
        callback = RateLimiter(10, on_limit=print)
        assert callback.blocks
        assert callback.callback is print


def test_threads_sharing_a_limiter_never_exceed_it() -> None:
    clock = ManualClock(0.0)
    limiter = RateLimiter(requests_per_second=50, strategy="sliding_window", clock=clock)
    booked: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def work() -> None:
        start.wait()
        for _ in range(100):
            turn = limiter.reserve("GetPage", "query")
            with lock:
                booked.append(clock() + turn.wait)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(booked) == 800
    assert most_in_any_window(booked, 1.0) == 50
    assert max(booked) == pytest.approx(15.0)  # 800 turns at 50 per second


class TestMargin:
    def test_a_margin_stretches_each_window(self) -> None:
        from wikijs.middleware._ratelimit import resolve

        plain = resolve("default", 10, "sliding_window")
        stretched = resolve("default", 10, "sliding_window", margin=0.05)
        assert plain.window == pytest.approx(1.0)
        assert stretched.window == pytest.approx(1.05)
        assert stretched.capacity == plain.capacity == 10

    @pytest.mark.parametrize("margin", [-0.1, 60, True, "0.05"])
    def test_a_bad_margin_is_refused(self, margin: object) -> None:
        from wikijs.errors import ValidationError
        from wikijs.middleware import RateLimiter

        with pytest.raises(ValidationError):
            RateLimiter(requests_per_second=10, margin=margin)  # type: ignore[arg-type]
