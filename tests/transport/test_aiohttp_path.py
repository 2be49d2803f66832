"""The async client's aiohttp path (``http_backend="aiohttp"``), over real loopback sockets."""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Iterator

import pytest

from wikijs import ConnectError, ConnectionLostError, NotFoundError, RequestTimeoutError
from wikijs._async.aiohttp_poster import AiohttpPoster, _ssl_option, aiohttp_error
from wikijs._config import build_config
from wikijs.aio import AsyncWikiJSClient
from wikijs.errors import TransportError, ValidationError
from wikijs.testing import FakeWikiJS, Fault


@pytest.fixture
def served(fake: FakeWikiJS) -> Iterator[str]:
    with fake.serve() as url:
        yield url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_graphql_goes_through_aiohttp_when_asked(fake: FakeWikiJS, served: str) -> None:
    async with AsyncWikiJSClient(served, auth=fake.api_key, http_backend="aiohttp") as client:
        assert isinstance(client._transport._fast, AiohttpPoster)
        page = await client.pages.create(title="Fast", path="fast/path", content="x")
        pages = await asyncio.gather(*(client.pages.get(page.id) for _ in range(30)))
        assert {p.id for p in pages} == {page.id}
        with pytest.raises(NotFoundError):
            await client.pages.get(999_999)


async def test_an_injected_transport_keeps_httpx(fake: FakeWikiJS) -> None:
    async with AsyncWikiJSClient(
        fake.url, auth=fake.api_key, transport=fake.async_transport()
    ) as c:
        assert c._transport._fast is None
        assert await c.pages.list() == []


async def test_new_jwt_headers_are_read_from_aiohttp_responses(
    fake: FakeWikiJS, served: str
) -> None:
    from wikijs import JWTAuth

    auth = JWTAuth(fake.admin_email, fake.admin_password)
    async with AsyncWikiJSClient(served, auth=auth, http_backend="aiohttp") as client:
        await client.pages.list()
        before = auth.bearer_token()
        fake.clock.advance(3600)
        await client.pages.list()
        assert auth.bearer_token() != before
        assert auth.login_count == 1


async def test_nothing_listening_is_a_connect_error() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    async with AsyncWikiJSClient(
        url, auth=None, retry_strategy=None, http_backend="aiohttp"
    ) as client:
        with pytest.raises(ConnectError) as caught:
            await client.pages.list()
    assert caught.value.request_sent is False


async def test_a_cut_connection_is_connection_lost(fake: FakeWikiJS, served: str) -> None:
    async with AsyncWikiJSClient(
        served, auth=fake.api_key, retry_strategy=None, http_backend="aiohttp"
    ) as client:
        await client.pages.list()
        fake.faults.push(Fault.drop_after(operation="pages.list"))
        with pytest.raises(ConnectionLostError) as caught:
            await client.pages.list()
    assert caught.value.request_sent is True


async def test_a_stalled_server_times_out(fake: FakeWikiJS, served: str) -> None:
    async with AsyncWikiJSClient(
        served, auth=fake.api_key, timeout=0.1, retry_strategy=None, http_backend="aiohttp"
    ) as client:
        await client.pages.list()
        fake.faults.push(Fault.stall(0.5, operation="pages.list"))
        with pytest.raises(RequestTimeoutError):
            await client.pages.list()


async def test_a_session_from_a_finished_loop_is_replaced(fake: FakeWikiJS, served: str) -> None:
    poster = AiohttpPoster(build_config(served))
    body = b'{"query": "{ pages { list { id } } }"}'
    headers = {"Content-Type": "application/json"}

    async def once() -> int:
        return (await poster.post(served + "/graphql", body, headers, "Q")).status_code

    assert await once() == 200
    first = poster._session
    # a new event loop (as with a second asyncio.run) gets its own session
    result = await asyncio.get_running_loop().run_in_executor(None, lambda: asyncio.run(once()))
    assert result == 200
    assert poster._session is not first
    await poster.aclose()


def test_tls_options() -> None:
    assert _ssl_option(True) is True
    assert _ssl_option(False) is False
    context = ssl.create_default_context()
    assert _ssl_option(context) is context
    with pytest.raises(OSError):
        _ssl_option("/nonexistent/ca.pem")


def test_error_mapping_covers_the_rest() -> None:
    import aiohttp

    assert isinstance(aiohttp_error(aiohttp.InvalidURL("x"), "Op"), ValidationError)
    assert type(aiohttp_error(aiohttp.ClientError("boom"), "Op")) is TransportError
    timeout = aiohttp_error(asyncio.TimeoutError(), "Op")
    assert isinstance(timeout, RequestTimeoutError)
    assert timeout.request_sent is True
    early = aiohttp_error(aiohttp.ConnectionTimeoutError(), "Op")
    assert isinstance(early, RequestTimeoutError)
    assert early.request_sent is False
