"""Faults over real sockets: the fake Wiki.js served on loopback (``fake.serve()``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from wikijs import WikiJSClient
from wikijs.aio import AsyncWikiJSClient
from wikijs.auth import APIKeyAuth
from wikijs.errors import CircuitOpenError, ConnectionLostError, HTTPStatusError, NotFoundError
from wikijs.middleware import BreakerStats, CircuitBreaker, RateLimiter, RetryStrategy
from wikijs.testing import FakeWikiJS, Fault

from .conftest import ManualClock


@pytest.fixture
def served(fake: FakeWikiJS) -> Iterator[str]:
    with fake.serve() as url:
        yield url


def sent(fake: FakeWikiJS, operation: str | None = None) -> int:
    """Requests the server saw (faulted ones included), of one operation or all.

    Faults without an ``operation`` filter strike before the body is read,
    so their records carry no operation name: count those with ``None``.
    """
    return sum(1 for r in fake.requests if operation is None or operation in r.operation_names)


def connect(fake: FakeWikiJS, url: str, **kwargs: Any) -> WikiJSClient:
    # verify=False: no identity check, so the server sees only our operations.
    return WikiJSClient(url, auth=APIKeyAuth(fake.api_key, verify=False), **kwargs)


def test_the_breaker_opens_on_the_threshold_and_nothing_more_reaches_the_server(
    fake: FakeWikiJS, served: str, clock: ManualClock
) -> None:
    seen_when_opened: list[int] = []

    def on_open(stats: BreakerStats) -> None:
        seen_when_opened.append(sent(fake))

    breaker = CircuitBreaker(
        failure_threshold=3, recovery_timeout=30, success_threshold=2, on_open=on_open, clock=clock
    )
    fake.faults.extend([Fault.http(503)] * 3)
    with connect(fake, served, retry_strategy=None, circuit_breaker=breaker) as client:
        for _ in range(3):
            with pytest.raises(HTTPStatusError):
                client.pages.list()
        assert seen_when_opened == [3]  # opened on the failure that crossed the threshold
        for _ in range(10):
            with pytest.raises(CircuitOpenError):
                client.pages.list()
        assert sent(fake) == 3  # the open circuit sent nothing

        clock.advance(30)
        client.pages.list()
        assert client.circuit_breaker is not None
        assert client.circuit_breaker.stats().state == "half_open"
        client.pages.list()
        assert client.circuit_breaker.stats().state == "closed"
        assert sent(fake) == 5


def test_a_retry_after_from_the_server_is_waited_out(
    fake: FakeWikiJS, served: str, clock: ManualClock
) -> None:
    fake.faults.push(Fault.http(429, retry_after=2))
    policy = RetryStrategy(initial_delay=0, sleep=clock.sleep, clock=clock)
    limiter = RateLimiter(50, clock=clock, sleep=clock.sleep)
    with connect(fake, served, retry_strategy=policy, rate_limiter=limiter) as client:
        client.pages.list()
    assert clock.sleeps == [2.0]  # once: the retry's wait also ended the limiter's hold
    assert sent(fake) == 2


def test_a_create_cut_after_it_was_applied_is_not_written_twice(
    fake: FakeWikiJS, served: str
) -> None:
    fake.faults.push(Fault.drop_after(operation="CreatePage"))
    with connect(fake, served, retry_strategy=RetryStrategy(initial_delay=0)) as client:
        page = client.pages.create(title="Once", path="docs/once", content="only once")
        assert page.content == "only once"
        assert [p.path for p in client.pages.list()] == ["docs/once"]
    assert sent(fake, "CreatePage") == 1


def test_a_create_that_timed_out_after_it_was_applied_is_found(
    fake: FakeWikiJS, served: str
) -> None:
    fake.faults.push(Fault.stall(1.0, operation="CreatePage"))
    with connect(
        fake, served, timeout=0.2, retry_strategy=RetryStrategy(initial_delay=0)
    ) as client:
        page = client.pages.create(title="Slow", path="docs/slow", content="eventually")
        assert page.title == "Slow"
        assert [p.path for p in client.pages.list()] == ["docs/slow"]
    assert sent(fake, "CreatePage") == 1


def test_a_create_cut_before_it_was_read_is_ambiguous_to_the_client(
    fake: FakeWikiJS, served: str
) -> None:
    # On a real socket the client cannot tell "closed unread" from "cut after
    # applying": a write that is not idempotent is reported, not repeated.
    fake.faults.push(Fault.refuse())
    with connect(fake, served, retry_strategy=RetryStrategy(initial_delay=0)) as client:
        with pytest.raises(ConnectionLostError) as caught:
            client.graphql.create_group(name="Once")
        assert caught.value.request_sent is not False
        assert [g.name for g in client.groups.list()].count("Once") == 0
    assert sent(fake, "CreateGroup") == 0  # refused before the body was read


def test_an_idempotent_delete_cut_mid_way_is_sent_again(fake: FakeWikiJS, served: str) -> None:
    page_id = fake.add_page("docs/gone").id
    fake.faults.push(Fault.refuse())
    with connect(fake, served, retry_strategy=RetryStrategy(initial_delay=0)) as client:
        client.pages.delete(page_id)
        with pytest.raises(NotFoundError):
            client.pages.get(page_id)


def test_a_delete_whose_first_attempt_landed_is_reported_done(
    fake: FakeWikiJS, served: str
) -> None:
    # The answer to the first attempt is lost after the server deleted the
    # page; the second attempt finds nothing to delete, which proves the first.
    page_id = fake.add_page("docs/landed").id
    fake.faults.push(Fault.drop_after(operation="DeletePage"))
    with connect(fake, served, retry_strategy=RetryStrategy(initial_delay=0)) as client:
        client.pages.delete(page_id)
        with pytest.raises(NotFoundError):
            client.pages.get(page_id)
    assert sent(fake, "DeletePage") == 2


def test_a_refused_delete_of_a_missing_page_is_still_an_error(
    fake: FakeWikiJS, served: str
) -> None:
    with (
        connect(fake, served, retry_strategy=RetryStrategy(initial_delay=0)) as client,
        pytest.raises(NotFoundError) as caught,
    ):
        client.pages.delete(987_654)
    assert caught.value.previous_attempt_unknown is False


async def test_queries_recover_from_every_kind_of_fault(fake: FakeWikiJS, served: str) -> None:
    page_id = fake.add_page("docs/read", content="stable").id
    fake.faults.extend(
        [Fault.http(502), Fault.refuse(), Fault.drop_after(), Fault.stall(1.0), Fault.http(503)]
    )
    async with AsyncWikiJSClient(
        served,
        auth=APIKeyAuth(fake.api_key, verify=False),
        timeout=0.2,
        retry_strategy=RetryStrategy(initial_delay=0, max_retries=5),
    ) as client:
        page = await client.pages.get(page_id)
    assert page.content == "stable"
    assert sent(fake) == 6  # faults chosen at the request line carry no operation name
