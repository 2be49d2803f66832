"""The two transports behind the one interface: which one a client uses, what it
owns, and how each library's failures become the SDK's errors."""

from __future__ import annotations

import asyncio
import socket
import warnings
from collections.abc import Iterator

import aiohttp
import httpx
import pytest

from wikijs import (
    ConnectError,
    ConnectionLostError,
    JWTAuth,
    NotFoundError,
    RequestTimeoutError,
    ValidationError,
    WikiJSClient,
)
from wikijs._http._async.aiohttp import AiohttpTransport, aiohttp_error
from wikijs._http._async.httpx import AsyncHttpxTransport
from wikijs._http.base import Request, ResponseHeaders
from wikijs._http.config import build_config
from wikijs.aio import AsyncWikiJSClient
from wikijs.errors import ResponseError, ResponseTooLargeError, TransportError
from wikijs.testing import FakeWikiJS, Fault


@pytest.fixture
def served(fake: FakeWikiJS) -> Iterator[str]:
    with fake.serve() as url:
        yield url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- which transport --------------------------------------------------------------


async def test_the_async_client_sends_through_aiohttp(fake: FakeWikiJS, served: str) -> None:
    async with AsyncWikiJSClient(served, auth=fake.api_key) as client:
        assert isinstance(client._transport, AiohttpTransport)
        page = await client.pages.create(title="Fast", path="fast/path", content="x")
        pages = await asyncio.gather(*(client.pages.get(page.id) for _ in range(30)))
        assert {p.id for p in pages} == {page.id}
        with pytest.raises(NotFoundError):
            await client.pages.get(999_999)


async def test_an_httpx_transport_or_client_given_to_the_async_client_keeps_httpx(
    fake: FakeWikiJS,
) -> None:
    async with AsyncWikiJSClient(
        fake.url, auth=fake.api_key, transport=fake.async_transport()
    ) as client:
        assert isinstance(client._transport, AsyncHttpxTransport)
        assert await client.pages.list() == []
    async with httpx.AsyncClient(transport=fake.async_transport()) as mine:
        async with AsyncWikiJSClient(fake.url, auth=fake.api_key, http_client=mine) as client:
            assert await client.pages.list() == []
        assert not mine.is_closed


async def test_a_session_given_is_used_and_left_open(fake: FakeWikiJS) -> None:
    session = fake.aiohttp_session()
    try:
        async with AsyncWikiJSClient(fake.url, auth=fake.api_key, http_client=session) as client:
            assert await client.pages.list() == []
            assert client._transport.session is session
        assert not session.closed
    finally:
        await session.close()


async def test_a_session_factory_is_called_when_needed_and_closed_by_the_client(
    fake: FakeWikiJS,
) -> None:
    made: list[aiohttp.ClientSession] = []

    def factory() -> aiohttp.ClientSession:
        made.append(fake.aiohttp_session())
        return made[-1]

    client = AsyncWikiJSClient(fake.url, auth=fake.api_key, http_client=factory)
    assert made == []
    assert await client.pages.list() == []
    await client.aclose()
    assert len(made) == 1
    assert made[0].closed


def test_what_is_not_a_client_is_refused() -> None:
    with pytest.raises(ValidationError, match="http_client"):
        AsyncWikiJSClient("https://wiki.example.com", http_client=object())  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="http_client"):
        WikiJSClient("https://wiki.example.com", http_client=object())  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="transport"):
        AsyncWikiJSClient("https://wiki.example.com", transport=object())  # type: ignore[arg-type]


def test_http_backend_is_deprecated_and_httpx_still_chooses_httpx() -> None:
    with pytest.warns(DeprecationWarning, match="http_backend"):
        client = AsyncWikiJSClient("https://wiki.example.com", http_backend="httpx")
    assert isinstance(client._transport, AsyncHttpxTransport)
    with pytest.warns(DeprecationWarning, match="http_backend"):
        client = AsyncWikiJSClient("https://wiki.example.com", http_backend="builtin")
    assert isinstance(client._transport, AiohttpTransport)
    with pytest.warns(DeprecationWarning, match="http_backend"):
        WikiJSClient("https://wiki.example.com", http_backend="auto").close()
    with pytest.raises(ValidationError, match="http_backend"):
        AsyncWikiJSClient("https://wiki.example.com", http_backend="curl")  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        WikiJSClient("https://wiki.example.com").close()


# -- behaviour over aiohttp ------------------------------------------------------------


async def test_renewed_tokens_are_read_from_aiohttp_answers(fake: FakeWikiJS, served: str) -> None:
    auth = JWTAuth(fake.admin_email, fake.admin_password)
    async with AsyncWikiJSClient(served, auth=auth) as client:
        await client.pages.list()
        before = auth.bearer_token()
        fake.clock.advance(3600)
        await client.pages.list()
        assert auth.bearer_token() != before
        assert auth.login_count == 1


@pytest.mark.parametrize("client", [WikiJSClient, AsyncWikiJSClient])
async def test_nothing_listening_is_a_connect_error(client: type) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    if client is WikiJSClient:
        with client(url, retry_strategy=None) as sync, pytest.raises(ConnectError) as caught:
            sync.pages.list()
    else:
        async with client(url, retry_strategy=None) as aclient:
            with pytest.raises(ConnectError) as caught:
                await aclient.pages.list()
    assert caught.value.request_sent is False


async def test_a_cut_connection_is_connection_lost(fake: FakeWikiJS, served: str) -> None:
    async with AsyncWikiJSClient(served, auth=fake.api_key, retry_strategy=None) as client:
        await client.pages.list()
        fake.faults.push(Fault.drop_after(operation="pages.list"))
        with pytest.raises(ConnectionLostError) as caught:
            await client.pages.list()
    assert caught.value.request_sent is True


async def test_a_stalled_server_times_out(fake: FakeWikiJS, served: str) -> None:
    async with AsyncWikiJSClient(
        served, auth=fake.api_key, timeout=0.1, retry_strategy=None
    ) as client:
        await client.pages.list()
        fake.faults.push(Fault.stall(0.5, operation="pages.list"))
        with pytest.raises(RequestTimeoutError):
            await client.pages.list()


async def test_a_session_from_a_finished_loop_is_replaced(served: str) -> None:
    transport = AiohttpTransport(build_config(served))
    request = Request(
        "POST",
        served + "/graphql",
        {"Content-Type": "application/json"},
        b'{"query": "{ pages { list { id } } }"}',
        "Q",
    )

    async def once() -> int:
        return (await transport.send(request)).status_code

    assert await once() == 200
    first = transport.session
    # a new event loop (as with a second asyncio.run) gets its own session
    result = await asyncio.get_running_loop().run_in_executor(None, lambda: asyncio.run(once()))
    assert result == 200
    assert transport.session is not first
    await transport.aclose()


def test_a_ca_bundle_that_cannot_be_read_is_refused_at_construction() -> None:
    for client in (WikiJSClient, AsyncWikiJSClient):
        with pytest.raises(ValidationError, match="CA bundle"):
            client("https://wiki.example.com", verify="/nonexistent/ca.pem")


# -- the error mapping, case by case -----------------------------------------------------


def test_aiohttp_failures_map_to_the_sdks_errors() -> None:
    config = build_config("https://wiki.example.com")
    request = Request("POST", "https://wiki.example.com/graphql", {}, b"", "Op")
    assert isinstance(aiohttp_error(aiohttp.InvalidURL("x"), request, config), ValidationError)
    assert type(aiohttp_error(aiohttp.ClientError("boom"), request, config)) is TransportError
    timeout = aiohttp_error(asyncio.TimeoutError(), request, config)
    assert isinstance(timeout, RequestTimeoutError)
    assert timeout.request_sent is True
    early = aiohttp_error(aiohttp.ConnectionTimeoutError(), request, config)
    assert isinstance(early, RequestTimeoutError)
    assert early.request_sent is False
    garbled = aiohttp.ClientResponseError(None, (), status=400, message="Invalid status line")  # type: ignore[arg-type]
    assert type(aiohttp_error(garbled, request, config)) is ResponseError
    flood = aiohttp.ClientResponseError(None, (), status=400, message="Too many headers received")  # type: ignore[arg-type]
    assert isinstance(aiohttp_error(flood, request, config), ResponseTooLargeError)
    assert isinstance(aiohttp_error(ValueError("bad header"), request, config), ValidationError)


def test_response_headers_hide_credentials_in_their_repr() -> None:
    headers = ResponseHeaders(httpx.Headers({"New-JWT": "secret.token", "X-Other": "shown"}))
    assert headers.get("new-jwt") == "secret.token"
    assert "new-jwt" in headers
    assert "secret.token" not in repr(headers)
    assert "shown" in repr(headers)
    assert len(headers) == 2
    assert sorted(headers) == ["new-jwt", "x-other"]
