"""``client.with_options(...)``: a view with other settings for its calls, sharing the rest.

Deadlines and timeouts are the transports' own, so these tests run both
clients over real sockets: the fake served on loopback (``fake.serve()``;
the real server's own URL with ``--wikijs-url``), or a loopback server that
counts connections and keeps each request's headers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from wikijs import WikiJSClient
from wikijs.aio import AsyncWikiJSClient
from wikijs.auth import APIKeyAuth, JWTAuth
from wikijs.cache import MemoryCache
from wikijs.errors import HTTPStatusError, RequestTimeoutError, ValidationError
from wikijs.middleware import CircuitBreaker, RateLimiter, RetryStrategy
from wikijs.testing import FakeWikiJS, Fault, WriteCosts

from .conftest import RecordingServer

NO_WAIT = RetryStrategy(max_retries=2, sleep=lambda _: None)


def unchecked(fake: FakeWikiJS) -> APIKeyAuth:
    """The key without the one-time identity check: the server sees only our operations."""
    return APIKeyAuth(fake.api_key, verify=False)


def sent(fake: FakeWikiJS, operation: str) -> int:
    return sum(1 for r in fake.requests if operation in r.operation_names)


# -- deadlines and timeouts ------------------------------------------------------------


def test_one_call_through_a_view_outlives_the_client_deadline_others_keep_theirs(
    fake: FakeWikiJS, connect: Callable[..., Any]
) -> None:
    page = fake.add_page("slow/page")
    with fake.serve() as url:
        client = connect(url, auth=unchecked(fake), deadline=0.25, retry_strategy=None)
        client.pages.get(page.id)
        fake.faults.push(Fault.stall(0.75, operation="GetPage"))
        assert client.with_options(deadline=30).pages.get(page.id).id == page.id
        fake.faults.push(Fault.stall(0.75, operation="GetPage"))
        with pytest.raises(RequestTimeoutError, match=r"deadline of 0\.25s"):
            client.pages.get(page.id)
        fake.faults.push(Fault.stall(0.75, operation="GetPage"))
        with pytest.raises(RequestTimeoutError, match=r"deadline of 0\.25s"):
            client.with_options(retry_strategy=None).pages.get(page.id)  # not the other view's


def test_a_slow_page_write_outlives_a_tiny_client_deadline_through_a_view(
    fake: FakeWikiJS, connect: Callable[..., Any]
) -> None:
    """On a real Wiki.js a page create takes seconds; the fake is given a second's cost."""
    if isinstance(fake, FakeWikiJS):
        fake.write_costs = WriteCosts({"pages.create": 1.0})
    with fake.serve() as url:
        client = connect(url, auth=fake.api_key, deadline=0.3, retry_strategy=None)
        client.pages.list(limit=1)  # the one-time identity check, within the deadline
        slow = client.with_options(deadline=120)
        created = slow.pages.create(title="Slow", path="views/slow-write", content="# Slow")
        assert created.path == "views/slow-write"
        with pytest.raises(RequestTimeoutError, match=r"deadline of 0\.3s"):
            client.pages.create(title="Cut", path="views/cut-write", content="# Cut")


def test_a_view_timeout_reaches_the_transport_for_its_calls_only(
    fake: FakeWikiJS, connect: Callable[..., Any]
) -> None:
    page = fake.add_page("silent/page")
    with fake.serve() as url:
        client = connect(url, auth=unchecked(fake), timeout=0.25, retry_strategy=None)
        fake.faults.push(Fault.stall(0.75, operation="GetPage"))
        assert client.with_options(timeout=30).pages.get(page.id).id == page.id
        fake.faults.push(Fault.stall(0.75, operation="GetPage"))
        with pytest.raises(RequestTimeoutError):
            client.pages.get(page.id)


def test_a_longer_view_timeout_lengthens_the_deadline_with_it(
    fake: FakeWikiJS, connect: Callable[..., Any]
) -> None:
    client = connect(fake.url, auth=fake.api_key, timeout=10, deadline=5)
    assert client.with_options(timeout=60).config.deadline == 240  # four read timeouts
    assert client.with_options(timeout=0.5).config.deadline == 5  # never shortened
    assert client.with_options(timeout=60, deadline=7).config.deadline == 7
    assert client.with_options(deadline=None).config.deadline is None
    assert client.config.deadline == 5


# -- what a view shares ----------------------------------------------------------------


def test_ten_thousand_views_open_no_connection_of_their_own(
    recorder: RecordingServer, connect: Callable[..., Any]
) -> None:
    client = connect(recorder.url, auth=APIKeyAuth("KEY", verify=False))
    client.execute("query Ping { pages { list { id } } }")
    views = [
        client.with_options(timeout=30 + i % 7, retry_strategy=i % 3, headers={"X-N": str(i % 5)})
        for i in range(10_000)
    ]
    for view in views[::500]:
        view.execute("query Ping { pages { list { id } } }")
    client.execute("query Ping { pages { list { id } } }")
    assert len(recorder.headers) == 22
    assert recorder.connections == 1


def test_view_headers_go_on_every_request_of_the_view_only(
    recorder: RecordingServer, connect: Callable[..., Any]
) -> None:
    client = connect(recorder.url, auth=APIKeyAuth("KEY", verify=False), headers={"X-Team": "docs"})
    traced = client.with_options(headers={"X-Trace": "abc", "x-team": "ops"})
    traced.execute("query A { pages { list { id } } }")
    traced.with_options(headers={"X-Span": "1"}).execute("query B { pages { list { id } } }")
    client.execute("query C { pages { list { id } } }")
    first, second, third = recorder.headers
    assert (first["x-trace"], first["x-team"]) == ("abc", "ops")
    assert (second["x-trace"], second["x-team"], second["x-span"]) == ("abc", "ops", "1")
    assert "x-trace" not in third
    assert third["x-team"] == "docs"
    for headers in (first, second, third):
        assert headers["authorization"] == "Bearer KEY"
        assert headers["content-type"] == "application/json"
    assert traced.config.headers == {"X-Trace": "abc", "x-team": "ops"}


def test_a_jwt_renewed_through_a_view_is_the_clients_token(
    fake: FakeWikiJS, connect: Callable[..., Any]
) -> None:
    auth = JWTAuth(fake.admin_email, fake.admin_password)
    client = connect(fake.url, auth=auth, transport=_transport(fake, connect))
    view = client.with_options(timeout=30)
    view.pages.list(limit=1)  # logs in through the view
    first = auth.bearer_token()
    fake.clock.advance(45 * 60)  # past the token's lifetime, still renewable
    view.pages.list(limit=1)
    renewed = auth.bearer_token()
    assert renewed != first
    client.pages.list(limit=1)
    assert auth.bearer_token() == renewed
    assert auth.login_count == 1


def _transport(fake: FakeWikiJS, connect: Callable[..., Any]) -> Any:
    return fake.sync_transport() if connect.kind == "sync" else fake.async_transport()  # type: ignore[attr-defined]


def test_views_share_the_cache_and_set_their_own_mode(
    fake: FakeWikiJS, connect: Callable[..., Any]
) -> None:
    page = fake.add_page("cached/page")
    client = connect(
        fake.url, auth=unchecked(fake), transport=_transport(fake, connect), cache=MemoryCache()
    )
    client.pages.get(page.id)
    client.with_options(timeout=30).pages.get(page.id)  # the client's cached answer
    assert sent(fake, "GetPage") == 1
    client.with_options(cache=False).pages.get(page.id)
    client.with_options(cache="refresh").pages.get(page.id)
    assert sent(fake, "GetPage") == 3
    off = client.with_options(cache=False)
    off.with_options(cache=None).pages.get(page.id)  # back to the client's: cached
    assert sent(fake, "GetPage") == 3
    assert off.cache is client.cache


def test_retry_strategy_none_turns_retries_off_for_the_view_only(
    fake: FakeWikiJS, connect: Callable[..., Any]
) -> None:
    page = fake.add_page("retried/page")
    client = connect(
        fake.url, auth=unchecked(fake), transport=_transport(fake, connect), retry_strategy=NO_WAIT
    )
    fake.faults.push(Fault.http(503, operation="GetPage"))
    assert client.pages.get(page.id).id == page.id
    fake.faults.push(Fault.http(503, operation="GetPage"))
    with pytest.raises(HTTPStatusError):
        client.with_options(retry_strategy=None).pages.get(page.id)
    fake.faults.push(Fault.http(503, operation="GetPage"))
    with pytest.raises(HTTPStatusError):
        client.with_options(retry_strategy=False).pages.get(page.id)
    assert sent(fake, "GetPage") == 4


def test_a_view_retries_where_its_client_does_not(
    fake: FakeWikiJS, connect: Callable[..., Any]
) -> None:
    page = fake.add_page("retried/page")
    client = connect(
        fake.url, auth=unchecked(fake), transport=_transport(fake, connect), retry_strategy=None
    )
    fake.faults.push(Fault.http(503, operation="GetPage"))
    with pytest.raises(HTTPStatusError):
        client.pages.get(page.id)
    fake.faults.push(Fault.http(503, operation="GetPage"))
    assert client.with_options(retry_strategy=NO_WAIT).pages.get(page.id).id == page.id


def test_a_view_without_retries_creates_a_page_once(
    fake: FakeWikiJS, connect: Callable[..., Any]
) -> None:
    client = connect(
        fake.url, auth=unchecked(fake), transport=_transport(fake, connect), retry_strategy=NO_WAIT
    )
    fake.faults.push(Fault.http(503, operation="CreatePage"))
    with pytest.raises(HTTPStatusError):
        client.with_options(retry_strategy=None).pages.create(
            title="Once", path="views/once", content="x"
        )
    assert sent(fake, "CreatePage") == 1


def test_views_share_the_breaker_the_limiter_and_the_plugins(
    fake: FakeWikiJS, connect: Callable[..., Any]
) -> None:
    seen: list[str] = []

    class Seen:
        def before_request(self, method: str, url: str, *, request: Any) -> None:
            seen.append(request.operation)

    breaker = CircuitBreaker(failure_threshold=5)
    client = connect(
        fake.url,
        auth=unchecked(fake),
        transport=_transport(fake, connect),
        retry_strategy=None,
        circuit_breaker=breaker,
        rate_limiter=RateLimiter(requests_per_second=1000, burst_size=1000),
        plugins=[Seen()],
    )
    view = client.with_options(timeout=30, headers={"X-Trace": "1"})
    assert view.circuit_breaker is breaker
    fake.faults.push(Fault.http(503))
    with pytest.raises(HTTPStatusError):
        view.pages.list()
    assert breaker.stats().failure_count == 1
    client.pages.list()
    assert seen == ["ListPages", "ListPages"]


def test_a_view_of_a_view_keeps_what_it_does_not_change(
    fake: FakeWikiJS, connect: Callable[..., Any]
) -> None:
    client = connect(fake.url, auth=fake.api_key, timeout=10, headers={"X-A": "1"})
    view = client.with_options(deadline=300, headers={"X-B": "2"})
    nested = view.with_options(timeout=20)
    assert nested.config.deadline == 300
    assert nested.config.timeout.read == 20
    assert nested.config.headers == {"X-A": "1", "X-B": "2"}
    assert nested.config.base_url == client.config.base_url


def test_closing_a_view_closes_nothing(fake: FakeWikiJS) -> None:
    page = fake.add_page("open/page")
    with WikiJSClient(fake.url, auth=fake.api_key, transport=fake.sync_transport()) as client:
        with client.with_options(timeout=30) as view:
            view.pages.get(page.id)
        assert client.pages.get(page.id).id == page.id

    async def run() -> None:
        async with AsyncWikiJSClient(
            fake.url, auth=fake.api_key, http_client=fake.aiohttp_session
        ) as aclient:
            async with aclient.with_options(timeout=30) as view:
                await view.pages.get(page.id)
            assert (await aclient.pages.get(page.id)).id == page.id

    asyncio.run(run())


# -- refused arguments -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"headers": {"Authorization": "Bearer x"}}, "pass credentials with auth="),
        ({"headers": {"cookie": "a=b"}}, "pass credentials with auth="),
        ({"headers": {"Content-Type": "text/plain"}}, "sets the 'Content-Type' header itself"),
        ({"headers": {"X-Bad": "a\nb"}}, "printable ASCII"),
        ({"headers": ["X-A"]}, "map strings to strings"),
        ({"timeout": -1}, "positive number of seconds"),
        ({"deadline": "soon"}, "deadline must be"),
        ({"retry_strategy": -2}, "retry_strategy must be"),
        ({"cache": "sometimes"}, "True, False or 'refresh'"),
    ],
)
def test_with_options_refuses_bad_arguments(
    fake: FakeWikiJS, options: dict[str, Any], message: str
) -> None:
    for client in (
        WikiJSClient(fake.url, auth=fake.api_key),
        AsyncWikiJSClient(fake.url, auth=fake.api_key),
    ):
        with pytest.raises(ValidationError, match=message):
            client.with_options(**options)


def test_the_sync_client_refuses_an_async_sleep_in_a_views_policy(fake: FakeWikiJS) -> None:
    async def sleep(seconds: float) -> None:
        return None

    with (
        WikiJSClient(fake.url, auth=fake.api_key) as client,
        pytest.raises(ValidationError, match=r"RetryStrategy\.sleep"),
    ):
        client.with_options(retry_strategy=RetryStrategy(sleep=sleep))
    AsyncWikiJSClient(fake.url, auth=fake.api_key).with_options(
        retry_strategy=RetryStrategy(sleep=sleep)
    )


def test_the_same_arguments_make_the_same_view(fake: FakeWikiJS) -> None:
    with WikiJSClient(fake.url, auth=fake.api_key) as client:
        first = client.with_options(timeout=30, retry_strategy=1, headers={"X-A": "1"})
        second = client.with_options(timeout=30, retry_strategy=1, headers={"X-A": "1"})
        default = client.with_options(timeout=30, retry_strategy=True, headers={"X-A": "1"})
        assert first is second
        assert default is not first  # True (3 retries) is not 1
        one, three = first._retry_policy, default._retry_policy
        assert one is not None
        assert three is not None
        assert (one.max_retries, three.max_retries) == (1, 3)
        assert first.with_options(deadline=5) is not first.with_options(deadline=5)  # made afresh
        # equal policies with other hooks are other policies
        waits: list[float] = []
        quick = RetryStrategy(max_retries=2, sleep=lambda _: None)
        counted = RetryStrategy(max_retries=2, sleep=waits.append)
        assert quick == counted
        assert client.with_options(retry_strategy=quick)._retry_policy is quick
        assert client.with_options(retry_strategy=counted)._retry_policy is counted
