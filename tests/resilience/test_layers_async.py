"""The same layers through the async client (derived code paths, awaited hooks)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from wikijs.aio import AsyncWikiJSClient
from wikijs.auth import APIKeyAuth
from wikijs.errors import (
    CircuitOpenError,
    ConnectionLostError,
    HTTPStatusError,
    RateLimitedError,
    RateLimitExceededError,
    ValidationError,
)
from wikijs.middleware import CircuitBreaker, RateLimiter, RetryStrategy
from wikijs.testing import FakeWikiJS, Fault

from .conftest import ManualClock, Script, ok

URL = "https://wiki.example.com"
QUERY = "query Ping { site { ping } }"
MUTATION = "mutation Touch { pages { touch } }"


def status(code: int, **headers: str) -> httpx.Response:
    return httpx.Response(code, text=f"{code} from a proxy", headers=headers)


def connect(script: Script, clock: ManualClock, **kwargs: Any) -> AsyncWikiJSClient:
    kwargs.setdefault(
        "retry_strategy",
        RetryStrategy(initial_delay=1, jitter=False, sleep=clock.async_sleep, clock=clock),
    )
    return AsyncWikiJSClient(
        URL,
        auth=APIKeyAuth("key", verify=False),
        transport=httpx.MockTransport(script.ahandle),
        **kwargs,
    )


async def test_gives_up_with_the_last_error(
    script: Callable[..., Script], clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    answers = script(status(503))
    policy = RetryStrategy(max_retries=2, initial_delay=0.5, jitter=False, sleep=clock.sleep)
    with caplog.at_level(logging.DEBUG, logger="wikijs.middleware"):
        async with connect(answers, clock, retry_strategy=policy) as client:
            with pytest.raises(HTTPStatusError):
                await client.execute(QUERY, operation_name="Ping")
    assert answers.count == 3
    assert clock.sleeps == [0.5, 1.0]  # a plain sleep function works in the async client too
    assert "not retrying after attempt 3" in caplog.text


async def test_a_mutation_that_may_have_landed_is_not_repeated(
    script: Callable[..., Script], clock: ManualClock
) -> None:
    answers = script(httpx.ReadError("reset"), ok())
    async with connect(answers, clock) as client:
        with pytest.raises(ConnectionLostError):
            await client.execute(MUTATION)
        assert await client.execute(MUTATION, operation_name="Touch") == {"ok": True}
    assert answers.count == 2


async def test_the_real_sleep_is_used_without_an_injected_one(
    script: Callable[..., Script], clock: ManualClock
) -> None:
    answers = script(status(503), ok())
    async with connect(answers, clock, retry_strategy=RetryStrategy(initial_delay=0.001)) as client:
        assert await client.execute(QUERY) == {"ok": True}


async def test_the_breaker_fails_fast_without_sending(
    script: Callable[..., Script], clock: ManualClock
) -> None:
    answers = script(status(502))
    breaker = CircuitBreaker(failure_threshold=2, clock=clock)
    async with connect(answers, clock, retry_strategy=None, circuit_breaker=breaker) as client:
        for _ in range(2):
            with pytest.raises(HTTPStatusError):
                await client.execute(QUERY)
        with pytest.raises(CircuitOpenError):
            await client.execute(QUERY)
        assert client.circuit_breaker is breaker
    assert answers.count == 2


async def test_the_limiter_refuses_in_raise_mode(
    script: Callable[..., Script], clock: ManualClock
) -> None:
    answers = script()
    limiter = RateLimiter(1, burst_size=1, on_limit="raise", clock=clock)
    async with connect(answers, clock, rate_limiter=limiter) as client:
        await client.execute(QUERY)
        with pytest.raises(RateLimitExceededError):
            await client.execute(QUERY)
    assert answers.count == 1


async def test_the_limiter_waits_and_holds_on_server_refusals(
    script: Callable[..., Script], clock: ManualClock
) -> None:
    answers = script(status(429, **{"Retry-After": "3"}), ok())
    limiter = RateLimiter(2, burst_size=1, clock=clock, sleep=clock.async_sleep)
    async with connect(answers, clock, retry_strategy=None, rate_limiter=limiter) as client:
        with pytest.raises(RateLimitedError):
            await client.execute(QUERY)
        await client.execute(QUERY)
    assert clock.sleeps == [3.0]


async def test_plugins_veto_observe_and_are_checked(
    script: Callable[..., Script], clock: ManualClock
) -> None:
    class Veto:
        def before_request(self, method: str, url: str, **kwargs: Any) -> None:
            raise PermissionError("frozen")

    class Broken:
        async def on_error(self, error: BaseException, response: Any) -> None:
            raise RuntimeError("plugin bug")

    answers = script(status(503), ok())
    async with connect(answers, clock, plugins=[Veto()]) as client:
        with pytest.raises(PermissionError):
            await client.execute(QUERY)
    async with connect(answers, clock, plugins=[Broken()]) as client:
        assert await client.execute(QUERY) == {"ok": True}
    with pytest.raises(ValidationError, match="not a plugin"):
        connect(answers, clock, plugins=[object()])


async def test_pages_create_checks_before_writing_again(fake: FakeWikiJS) -> None:
    fake.faults.push(Fault.http(503, operation="CreatePage"))
    fake.faults.push(Fault.refuse(operation="CreatePage"))
    async with AsyncWikiJSClient(
        fake.url,
        auth=fake.api_key,
        transport=fake.async_transport(),
        retry_strategy=RetryStrategy(initial_delay=0),
    ) as client:
        page = await client.pages.create(title="T", path="docs/async", content="body")
    names = [n for r in fake.requests for n in r.operation_names if n != "GetProfile"]
    assert names == ["CreatePage", "GetPageByPath", "CreatePage", "CreatePage", "GetPage"]
    assert page.title == "T"


async def test_pages_create_reports_the_write_failure_when_the_check_fails(
    fake: FakeWikiJS,
) -> None:
    fake.faults.push(Fault.drop_after(operation="CreatePage"))
    fake.faults.extend([Fault.http(503, operation="GetPageByPath")] * 2)
    async with AsyncWikiJSClient(
        fake.url,
        auth=fake.api_key,
        transport=fake.async_transport(),
        retry_strategy=RetryStrategy(initial_delay=0, max_retries=1),
    ) as client:
        with pytest.raises(ConnectionLostError):
            await client.pages.create(title="T", path="docs/async", content="body")


async def test_pages_create_without_retries(fake: FakeWikiJS) -> None:
    async with AsyncWikiJSClient(
        fake.url, auth=fake.api_key, transport=fake.async_transport(), retry_strategy=None
    ) as client:
        page = await client.pages.create(title="T", path="docs/plain", content="body")
    assert page.path == "docs/plain"


async def test_an_unreachable_shared_limit(caplog: pytest.LogCaptureFixture) -> None:
    from wikijs.middleware import RedisRateLimiter

    from .conftest import free_port

    dead = f"redis://127.0.0.1:{free_port()}/0"
    closed = RedisRateLimiter(dead, requests_per_second=10)
    async with AsyncWikiJSClient(URL, rate_limiter=closed, retry_strategy=None) as client:
        with pytest.raises(RateLimitExceededError, match="unreachable"):
            await client.execute(QUERY)
        assert client._resilience.limiter is not None
        await client._resilience.limiter.gate.pause(1.0)  # only logged
    assert "Retry-After" in caplog.text

    answers = Script([ok()])
    opened = RedisRateLimiter(dead, requests_per_second=10, fail_open=True)
    async with AsyncWikiJSClient(
        URL, rate_limiter=opened, transport=httpx.MockTransport(answers.ahandle)
    ) as client:
        assert await client.execute(QUERY) == {"ok": True}
