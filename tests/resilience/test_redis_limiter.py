"""The shared rate limit in a real redis-server (started by the tests)."""

from __future__ import annotations

import logging
import multiprocessing
import sys
import uuid
from typing import Any

import pytest
import redis
import redis.asyncio

from wikijs import WikiJSClient
from wikijs._async.layers import AsyncRedisGate
from wikijs._sync.layers import RedisGate
from wikijs.aio import AsyncWikiJSClient
from wikijs.errors import RateLimitExceededError, ValidationError
from wikijs.middleware import RateLimiter, RedisBackend, RedisRateLimiter
from wikijs.testing import FakeWikiJS

from ._counting_server import counting_server
from ._redis_worker import send_requests

pytestmark = pytest.mark.redis

#: How far apart in time a request's turn and its arrival at the server may
#: drift (sleep overshoot, scheduling, loopback). A client-side limit decides
#: when requests leave; it cannot make them arrive more evenly than that.


def gate(limiter: RateLimiter) -> RedisGate:
    assert limiter.backend is not None
    return RedisGate(limiter, limiter.backend)


def unique() -> str:
    return uuid.uuid4().hex


def most_in_any_window(times: list[float], window: float) -> int:
    times = sorted(times)
    best, left = 0, 0
    for right, t in enumerate(times):
        while times[left] <= t - window:
            left += 1
        best = max(best, right - left + 1)
    return best


class TestScript:
    def test_a_token_bucket_lets_a_burst_through_then_paces(self, redis_url: str) -> None:
        turns = gate(
            RedisRateLimiter(redis_url, name=unique(), requests_per_second=10, burst_size=3)
        )
        waits = [turns.reserve("GetPage", "query", True).wait for _ in range(5)]
        assert waits[:3] == [0, 0, 0]
        assert 0.05 < waits[3] <= 0.1
        assert 0.15 < waits[4] <= 0.2
        turns.close()

    def test_a_sliding_window_allows_the_capacity_per_window(self, redis_url: str) -> None:
        limiter = RedisRateLimiter(
            redis_url, name=unique(), requests_per_second=5, strategy="sliding_window"
        )
        turns = gate(limiter)
        waits = [turns.reserve("GetPage", "query", True).wait for _ in range(11)]
        assert waits[:5] == [0] * 5
        assert all(0.9 < w <= 1.0 for w in waits[5:10])
        assert 1.9 < waits[10] <= 2.0
        turns.close()

    def test_a_refusal_books_nothing(self, redis_url: str) -> None:
        name = unique()
        turns = gate(RedisRateLimiter(redis_url, name=name, requests_per_second=1, burst_size=1))
        assert turns.reserve("GetPage", "query", False).granted
        for _ in range(3):
            refused = turns.reserve("GetPage", "query", False)
            assert not refused.granted
            assert 0.9 < refused.wait <= 1.0
        booked = turns.reserve("GetPage", "query", True)
        assert booked.granted
        assert 0.9 < booked.wait <= 1.0  # the refusals did not push it back
        turns.close()

    def test_max_wait(self, redis_url: str) -> None:
        limiter = RedisRateLimiter(
            redis_url, name=unique(), requests_per_second=1, burst_size=1, max_wait=1.5
        )
        turns = gate(limiter)
        assert turns.reserve("GetPage", "query", True).granted
        assert turns.reserve("GetPage", "query", True).granted
        assert not turns.reserve("GetPage", "query", True).granted
        turns.close()

    def test_per_operation_limits_live_under_their_own_keys(self, redis_url: str) -> None:
        name = unique()
        limiter = RedisRateLimiter(
            redis_url, name=name, default_rps=100, endpoint_limits={"CreatePage": 1}
        )
        turns = gate(limiter)
        assert turns.reserve("CreatePage", "mutation", True).wait == 0
        assert turns.reserve("CreatePage", "mutation", True).wait > 0.9
        assert turns.reserve("GetPage", "query", True).wait == 0
        keys = sorted(k.decode() for k in redis.Redis.from_url(redis_url).keys(f"*{name}*"))
        assert keys == [
            f"wikijs:ratelimit:{{{name}}}:token_bucket:*",
            f"wikijs:ratelimit:{{{name}}}:token_bucket:CreatePage",
        ]
        turns.close()

    def test_operations_without_a_limit_pass(self, redis_url: str) -> None:
        turns = gate(RedisRateLimiter(redis_url, name=unique(), endpoint_limits={"mutation": 1}))
        assert all(turns.reserve("GetPage", "query", False).granted for _ in range(20))
        turns.close()

    def test_a_server_refusal_holds_every_process(self, redis_url: str) -> None:
        name = unique()
        one = gate(RedisRateLimiter(redis_url, name=name, requests_per_second=100))
        other = gate(RedisRateLimiter(redis_url, name=name, requests_per_second=100))
        one.pause(2.0)
        one.pause(0.5)  # a shorter hold never shortens a longer one
        assert 1.9 < other.reserve("GetPage", "query", True).wait <= 2.0
        capped = gate(
            RedisRateLimiter(
                redis_url, name=unique(), requests_per_second=100, respect_retry_after=0
            )
        )
        capped.pause(5)
        assert capped.reserve("GetPage", "query", True).wait == 0
        for turns in (one, other, capped):
            turns.close()

    def test_two_limiters_with_one_name_share_the_limit(self, redis_url: str) -> None:
        name = unique()
        first = gate(RedisRateLimiter(redis_url, name=name, requests_per_second=1, burst_size=2))
        second = gate(RedisRateLimiter(redis_url, name=name, requests_per_second=1, burst_size=2))
        assert first.reserve("GetPage", "query", False).granted
        assert second.reserve("GetPage", "query", False).granted
        assert not first.reserve("GetPage", "query", False).granted
        assert not second.reserve("GetPage", "query", False).granted
        first.close()
        second.close()

    async def test_the_async_client_talks_to_redis_asynchronously(self, redis_url: str) -> None:
        limiter = RedisRateLimiter(redis_url, name=unique(), requests_per_second=10, burst_size=1)
        assert limiter.backend is not None
        turns = AsyncRedisGate(limiter, limiter.backend)
        first = await turns.reserve("GetPage", "query", True)
        second = await turns.reserve("GetPage", "query", True)
        await turns.pause(0.001)
        assert first.wait == 0
        assert 0.05 < second.wait <= 0.1
        await turns.aclose()


class TestUnavailable:
    def dead_url(self) -> str:
        from .conftest import free_port

        return f"redis://127.0.0.1:{free_port()}/0"

    def test_refuses_when_redis_is_unreachable(self) -> None:
        backend = RedisBackend(self.dead_url(), socket_timeout=0.5)
        turns = gate(RateLimiter(10, backend=backend))
        with pytest.raises(RateLimitExceededError, match="unreachable") as caught:
            turns.reserve("GetPage", "query", True)
        assert caught.value.operation == "GetPage"
        turns.pause(1)  # only logged
        turns.close()

    def test_fail_open_lets_requests_through(self, caplog: pytest.LogCaptureFixture) -> None:
        turns = gate(RedisRateLimiter(self.dead_url(), fail_open=True, requests_per_second=10))
        with caplog.at_level(logging.WARNING, logger="wikijs.middleware"):
            assert turns.reserve("GetPage", "query", True).granted
        assert "unreachable" in caplog.text
        turns.close()


class TestConfiguration:
    def test_bad_values(self) -> None:
        with pytest.raises(ValidationError):
            RedisBackend("http://localhost:6379")
        with pytest.raises(ValidationError):
            RedisBackend(name="a{b}")
        assert "wiki" in repr(RedisBackend(name="wiki"))

    def test_a_missing_redis_package_says_what_to_install(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setitem(sys.modules, "redis", None)
        with pytest.raises(ImportError, match=r"wikijs\[redis\]"):
            RedisBackend("redis://localhost:6379/0")

    def test_clients_you_give_stay_yours(self, redis_url: str) -> None:
        mine = redis.Redis.from_url(redis_url)
        limiter = RateLimiter(10, backend=RedisBackend(client=mine, name=unique()))
        turns = gate(limiter)
        assert turns.reserve("GetPage", "query", True).granted
        turns.close()
        assert mine.ping()  # not closed by the SDK
        mine.close()

    async def test_each_client_needs_its_own_kind_of_redis_client(self, redis_url: str) -> None:
        sync_only = RateLimiter(10, backend=RedisBackend(client=redis.Redis.from_url(redis_url)))
        with pytest.raises(ValidationError, match="async_client"):
            AsyncWikiJSClient("http://wiki.test", rate_limiter=sync_only)
        async_client = redis.asyncio.Redis.from_url(redis_url)
        async_only = RateLimiter(10, backend=RedisBackend(async_client=async_client))
        with pytest.raises(ValidationError, match="client="):
            WikiJSClient("http://wiki.test", rate_limiter=async_only)
        async with AsyncWikiJSClient("http://wiki.test", rate_limiter=async_only):
            pass
        assert await async_client.ping()
        await async_client.aclose()


def test_a_client_raises_when_the_shared_limit_is_spent(redis_url: str, fake: FakeWikiJS) -> None:
    limiter = RedisRateLimiter(
        redis_url, name=unique(), requests_per_second=1, burst_size=2, on_limit="raise"
    )
    with WikiJSClient(
        fake.url, auth=fake.api_key, transport=fake.sync_transport(), rate_limiter=limiter
    ) as client:
        client.pages.list()
        client.pages.list()
        with pytest.raises(RateLimitExceededError) as caught:
            client.pages.list()
    assert 0 < caught.value.retry_after <= 1


def run_two_processes(url: str, redis_url: str | None, name: str, count: int) -> None:
    context = multiprocessing.get_context("spawn")
    go = context.Event()
    readies = [context.Event() for _ in range(2)]
    workers = [
        context.Process(target=send_requests, args=(url, redis_url, name, count, ready, go))
        for ready in readies
    ]
    for worker in workers:
        worker.start()
    try:
        for ready in readies:
            assert ready.wait(timeout=60), "a worker did not start"
        go.set()
        for worker in workers:
            worker.join(timeout=120)
            assert worker.exitcode == 0
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
                worker.join()


def test_two_processes_sharing_a_redis_limit_stay_under_it(redis_url: str) -> Any:
    """Two processes, one limit of 10 requests/s: the server sees at most 10 per second."""
    with counting_server() as server:
        run_two_processes(server.url, redis_url, unique(), count=20)
        arrivals = sorted(server.arrivals)
    assert len(arrivals) == 40
    assert most_in_any_window(arrivals, 1.0) <= 10
    # 40 requests at 10 per 1.05 s: four full windows, so at least three of them.
    assert arrivals[-1] - arrivals[0] >= 3 * 1.05


def test_without_sharing_the_same_two_processes_exceed_it() -> None:
    """The check above can fail: two separate limits of 10/s let 20 through."""
    with counting_server() as server:
        run_two_processes(server.url, None, unique(), count=20)
        arrivals = sorted(server.arrivals)
    assert len(arrivals) == 40
    assert most_in_any_window(arrivals, 1.0) > 10
