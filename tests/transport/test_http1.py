"""The async client's own HTTP/1.1 path (``wikijs/_async/http1.py``), byte by byte.

A scripted asyncio server on loopback answers each request with exactly the
bytes a test gives it, so every framing the path must handle (chunked,
compressed, close-delimited, informational answers, garbage, cuts) is real
traffic over a real socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import socket
import ssl
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from wikijs import (
    ConnectError,
    ConnectionLostError,
    RequestTimeoutError,
    ValidationError,
    WikiJSClient,
)
from wikijs._async import http1
from wikijs._async.http1 import Http1Poster, ResponseHeaders
from wikijs._config import build_config
from wikijs._core.transport import choose_backend, environment_proxy
from wikijs.aio import AsyncWikiJSClient
from wikijs.errors import TransportError
from wikijs.testing import FakeWikiJS

JSON = b'{"data":{"ok":true}}'


def ok(body: bytes = JSON, *extra: str) -> bytes:
    head = "".join(f"{h}\r\n" for h in extra)
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + head.encode()
        + b"Content-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )


# What the server does with one request: answer bytes, then maybe close;
# or None to never answer (the connection stays open).
Step = tuple[bytes | None, bool]


@dataclass
class Scripted:
    """A loopback HTTP server whose answers are scripted per request."""

    answer: Callable[[int, bytes], Step] = lambda n, request: (ok(), False)
    requests: list[bytes] = field(default_factory=list)
    connections: int = 0
    open_now: int = 0
    most_open: int = 0
    url: str = ""
    writers: list[asyncio.StreamWriter] = field(default_factory=list)
    handlers: list[asyncio.Task[None]] = field(default_factory=list)
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    received: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.handlers.append(task)
        self.connections += 1
        self.open_now += 1
        self.most_open = max(self.most_open, self.open_now)
        self.writers.append(writer)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                request = head + await reader.readexactly(length)
                self.requests.append(request)
                self.received.set()
                data, close = self.answer(len(self.requests) - 1, request)
                if data is None:
                    await self.stop.wait()  # never answer (until the test ends)
                    return
                writer.write(data)
                await writer.drain()
                if close:
                    writer.close()
                    return
        finally:
            self.open_now -= 1
            writer.close()

    async def shut(self, server: asyncio.Server) -> None:
        self.stop.set()
        for writer in self.writers:
            writer.close()
        server.close()
        await server.wait_closed()
        await asyncio.gather(*self.handlers, return_exceptions=True)


@contextlib.asynccontextmanager
async def serving(
    host: str = "127.0.0.1", tls: ssl.SSLContext | None = None
) -> AsyncIterator[Scripted]:
    """A scripted server on ``host`` (over TLS with ``tls``), shut at the end."""
    state = Scripted()
    server = await asyncio.start_server(state.handle, host, 0, ssl=tls)
    shown = f"[{host}]" if ":" in host else host
    state.url = f"{'https' if tls else 'http'}://{shown}:{server.sockets[0].getsockname()[1]}"
    try:
        yield state
    finally:
        await state.shut(server)


@pytest.fixture
async def scripted() -> AsyncIterator[Scripted]:
    async with serving() as state:
        yield state


def poster_for(url: str, **options: Any) -> Http1Poster:
    return Http1Poster(build_config(url, **options))


HEADERS = {"Content-Type": "application/json", "Authorization": "Bearer KEY"}


async def post(poster: Http1Poster, url: str, body: bytes = b'{"query":"{a}"}') -> Any:
    return await poster.post(url + "/graphql", body, HEADERS, "Op")


# -- framing -------------------------------------------------------------------


async def test_keep_alive_sends_a_complete_request_and_reuses_the_connection(
    scripted: Scripted,
) -> None:
    poster = poster_for(scripted.url)
    for _ in range(5):
        response = await post(poster, scripted.url)
        assert (response.status_code, response.content) == (200, JSON)
        assert response.headers["content-type"] == "application/json"
    await poster.aclose()
    assert scripted.connections == 1
    first = scripted.requests[0]
    port = scripted.url.rsplit(":", 1)[1]
    assert first.startswith(b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:" + port.encode() + b"\r\n")
    assert b"\r\nAuthorization: Bearer KEY\r\n" in first
    assert b"\r\nAccept-Encoding: gzip, deflate\r\n" in first
    assert first.endswith(b"Content-Length: 15\r\n\r\n" + b'{"query":"{a}"}')


async def test_a_chunked_answer_is_reassembled(scripted: Scripted) -> None:
    chunked = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b'5\r\n{"dat\r\n'
        b'f\r\na":{"ok":true}}\r\n'
        b"0\r\n\r\n"
    )
    scripted.answer = lambda n, request: (chunked, False)
    poster = poster_for(scripted.url)
    assert (await post(poster, scripted.url)).content == JSON
    assert (await post(poster, scripted.url)).content == JSON  # and the connection is reused
    assert scripted.connections == 1
    await poster.aclose()


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some servers send
        ("identity", lambda data: data),
    ],
)
async def test_compressed_answers_are_decoded(
    scripted: Scripted, encoding: str, encode: Callable[[bytes], bytes]
) -> None:
    scripted.answer = lambda n, request: (ok(encode(JSON), f"Content-Encoding: {encoding}"), False)
    poster = poster_for(scripted.url)
    assert (await post(poster, scripted.url)).content == JSON
    await poster.aclose()


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (ok(b"not gzip", "Content-Encoding: gzip"), "does not decompress"),
        (ok(JSON, "Content-Encoding: br"), "unsupported Content-Encoding 'br'"),
    ],
)
async def test_undecodable_bodies_are_transport_errors(
    scripted: Scripted, answer: bytes, message: str
) -> None:
    scripted.answer = lambda n, request: (answer, False)
    poster = poster_for(scripted.url)
    with pytest.raises(TransportError, match=message):
        await post(poster, scripted.url)
    await poster.aclose()


async def test_connection_close_is_honoured(scripted: Scripted) -> None:
    scripted.answer = lambda n, request: (ok(JSON, "Connection: close"), True)
    poster = poster_for(scripted.url)
    for _ in range(3):
        assert (await post(poster, scripted.url)).content == JSON
    assert scripted.connections == 3
    await poster.aclose()


async def test_a_body_delimited_by_the_close_is_complete(scripted: Scripted) -> None:
    scripted.answer = lambda n, request: (b"HTTP/1.0 200 OK\r\n\r\n" + JSON, True)
    poster = poster_for(scripted.url)
    response = await post(poster, scripted.url)
    assert (response.status_code, response.content) == (200, JSON)
    assert (await post(poster, scripted.url)).content == JSON
    await poster.aclose()


async def test_an_informational_answer_is_skipped(scripted: Scripted) -> None:
    scripted.answer = lambda n, request: (b"HTTP/1.1 100 Continue\r\n\r\n" + ok(), False)
    poster = poster_for(scripted.url)
    response = await post(poster, scripted.url)
    assert (response.status_code, response.content) == (200, JSON)
    await poster.aclose()


async def test_repeated_headers_are_joined_and_found_in_any_case() -> None:
    headers = ResponseHeaders(
        [(b"Set-Cookie", b"a=1"), (b"set-cookie", b"b=2"), (b"New-JWT", b"t")]
    )
    assert headers["SET-COOKIE"] == "a=1, b=2"
    assert headers.get("new-jwt") == "t"
    assert headers.get("retry-after") is None
    assert "New-Jwt" in headers
    assert 1 not in headers
    assert sorted(headers) == ["new-jwt", "set-cookie"]
    assert len(headers) == 2
    assert "new-jwt" in repr(headers)
    assert "'t'" not in repr(headers)  # renewed tokens and cookies are not shown
    assert "a=1" not in repr(headers)


# -- failures --------------------------------------------------------------------


async def test_garbage_is_a_lost_connection_and_the_next_request_reconnects(
    scripted: Scripted,
) -> None:
    scripted.answer = lambda n, request: (
        (b"SSH-2.0-OpenSSH\r\n\r\n", False) if n == 0 else (ok(), False)
    )
    poster = poster_for(scripted.url)
    with pytest.raises(ConnectionLostError, match="not valid HTTP") as caught:
        await post(poster, scripted.url)
    assert caught.value.request_sent is True
    assert (await post(poster, scripted.url)).content == JSON
    assert scripted.connections == 2
    await poster.aclose()


async def test_a_cut_in_the_middle_of_the_body_is_a_lost_connection(scripted: Scripted) -> None:
    scripted.answer = lambda n, request: (
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + JSON[:5],
        True,
    )
    poster = poster_for(scripted.url)
    with pytest.raises(ConnectionLostError, match="may or may not have applied"):
        await post(poster, scripted.url)
    await poster.aclose()


async def test_a_connection_the_server_closed_while_idle_is_not_reused(
    scripted: Scripted,
) -> None:
    poster = poster_for(scripted.url)
    await post(poster, scripted.url)
    # the server closes the idle connection (as Node does after 5 s)
    scripted.writers[0].close()
    await scripted.writers[0].wait_closed()
    lost = poster._idle[0].lost
    assert lost is not None
    await lost  # the client saw the close
    assert (await post(poster, scripted.url)).content == JSON
    assert scripted.connections == 2
    await poster.aclose()


async def test_idle_connections_expire(scripted: Scripted, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http1, "KEEPALIVE_EXPIRY", 0.0)
    poster = poster_for(scripted.url)
    await post(poster, scripted.url)
    await post(poster, scripted.url)
    assert scripted.connections == 2
    await poster.aclose()


@pytest.mark.parametrize(
    ("announced", "reused"),
    [("timeout=5", True), ("timeout=1, max=100", False), ("max=100", True), (None, True)],
)
async def test_the_servers_keep_alive_timeout_is_respected(
    scripted: Scripted, announced: str | None, reused: bool
) -> None:
    extra = [f"Keep-Alive: {announced}"] if announced else []
    scripted.answer = lambda n, request: (ok(JSON, *extra), False)
    poster = poster_for(scripted.url)
    await post(poster, scripted.url)
    await post(poster, scripted.url)  # at once: well inside any expiry but zero
    assert scripted.connections == (1 if reused else 2)
    await poster.aclose()


async def test_unsolicited_bytes_retire_a_connection(scripted: Scripted) -> None:
    # an answer followed by bytes nobody asked for
    scripted.answer = lambda n, request: (ok() + (ok() if n == 0 else b""), False)
    poster = poster_for(scripted.url)
    await post(poster, scripted.url)
    assert (await post(poster, scripted.url)).content == JSON
    assert scripted.connections == 2
    await poster.aclose()


async def test_bytes_arriving_on_an_idle_connection_retire_it(scripted: Scripted) -> None:
    poster = poster_for(scripted.url, timeout=None)
    await poster.post(scripted.url + "/graphql?probe=1", b"{}", HEADERS, "Op")
    assert scripted.requests[0].startswith(b"POST /graphql?probe=1 HTTP/1.1\r\n")
    scripted.writers[0].write(b"HTTP/1.1 200 OK\r\n")
    lost = poster._idle[0].lost
    assert lost is not None
    await lost  # the client dropped the connection
    assert (await post(poster, scripted.url)).content == JSON
    assert scripted.connections == 2
    await poster.aclose()


async def test_the_read_timeout_is_on_silence_not_on_the_whole_answer(
    scripted: Scripted,
) -> None:
    poster = poster_for(scripted.url, timeout=0.2)
    loop = asyncio.get_running_loop()
    writes: list[asyncio.TimerHandle] = []

    def slow(n: int, request: bytes) -> Step:
        # the answer trickles in over ~0.4 s: twice the timeout, never 0.2 s silent
        writer = scripted.writers[0]
        pieces = [ok()[i : i + 10] for i in range(0, len(ok()), 10)]
        for i, piece in enumerate(pieces):
            writes.append(loop.call_later(0.4 * i / len(pieces), writer.write, piece))
        return b"", False

    scripted.answer = slow
    assert (await post(poster, scripted.url)).content == JSON
    await poster.aclose()


async def test_a_silent_server_times_out_and_the_connection_is_dropped(
    scripted: Scripted,
) -> None:
    scripted.answer = lambda n, request: (None, False) if n == 0 else (ok(), False)
    poster = poster_for(scripted.url, timeout=0.05)
    with pytest.raises(RequestTimeoutError) as caught:
        await post(poster, scripted.url)
    assert caught.value.request_sent is True
    assert (await post(poster, scripted.url)).content == JSON
    assert scripted.connections == 2
    await poster.aclose()


async def test_nothing_listening_is_a_connect_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    poster = poster_for(url)
    with pytest.raises(ConnectError) as caught:
        await post(poster, url)
    assert caught.value.request_sent is False


async def test_a_connect_that_hangs_times_out_unsent(monkeypatch: pytest.MonkeyPatch) -> None:
    loop = asyncio.get_running_loop()

    async def hang(*args: Any, **kwargs: Any) -> Any:
        await asyncio.Event().wait()

    monkeypatch.setattr(loop, "create_connection", hang)
    poster = poster_for("http://wiki.invalid", timeout=0.05)
    with pytest.raises(RequestTimeoutError, match="connecting") as caught:
        await post(poster, "http://wiki.invalid")
    assert caught.value.request_sent is False


async def test_a_cancelled_request_frees_its_slot_and_drops_its_connection(
    scripted: Scripted,
) -> None:
    scripted.answer = lambda n, request: (None, False) if n == 0 else (ok(), False)
    poster = poster_for(scripted.url, max_connections=1)
    task = asyncio.create_task(post(poster, scripted.url))
    await scripted.received.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert (await post(poster, scripted.url)).content == JSON
    assert scripted.connections == 2
    await poster.aclose()


# -- the pool --------------------------------------------------------------------


async def test_the_pool_never_opens_more_than_max_connections(scripted: Scripted) -> None:
    poster = poster_for(scripted.url, max_connections=3)
    results = await asyncio.gather(*(post(poster, scripted.url) for _ in range(20)))
    assert {r.content for r in results} == {JSON}
    assert scripted.most_open <= 3
    assert len(scripted.requests) == 20
    await poster.aclose()


async def test_waiting_for_a_busy_pool_times_out_unsent(scripted: Scripted) -> None:
    scripted.answer = lambda n, request: (None, False)
    poster = poster_for(scripted.url, max_connections=1, timeout=0.05)
    first = asyncio.create_task(post(poster, scripted.url))
    await scripted.received.wait()
    with pytest.raises(RequestTimeoutError, match="free connection") as caught:
        await post(poster, scripted.url)
    assert caught.value.request_sent is False
    with pytest.raises(RequestTimeoutError):
        await first
    assert len(scripted.requests) == 1


async def test_a_pool_from_a_finished_loop_starts_afresh(scripted: Scripted) -> None:
    poster = poster_for(scripted.url)
    await post(poster, scripted.url)
    first_slots = poster._slots

    def in_new_loop() -> bytes:
        return asyncio.run(post(poster, scripted.url)).content  # type: ignore[no-any-return]

    loop = asyncio.get_running_loop()
    assert await loop.run_in_executor(None, in_new_loop) == JSON
    assert poster._slots is not first_slots
    await poster.aclose()


# -- what is sent ---------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Note": "a\r\nX-Injected: 1"},
        {"X Bad": "name with a space"},
        {"X-Name": "Zoë ✓"},  # not Latin-1
    ],
)
async def test_headers_that_cannot_be_sent_are_refused_before_any_io(
    scripted: Scripted, headers: dict[str, str]
) -> None:
    poster = poster_for(scripted.url)
    with pytest.raises(ValidationError):
        await poster.post(scripted.url + "/graphql", b"{}", headers, "Op")
    assert scripted.connections == 0


async def test_latin1_header_values_and_own_accept_encoding_are_kept(scripted: Scripted) -> None:
    poster = poster_for(scripted.url)
    headers = {"X-Name": "Zoë", "Accept-Encoding": "identity", "Content-Length": "9"}
    await poster.post(scripted.url + "/graphql", b"{}", headers, "Op")
    request = scripted.requests[0]
    assert b"\r\nX-Name: Zo\xeb\r\n" in request
    assert b"gzip" not in request
    assert request.count(b"Content-Length") == 1
    await poster.aclose()


async def test_other_origins_are_refused(scripted: Scripted) -> None:
    poster = poster_for(scripted.url)
    with pytest.raises(ValidationError, match="only serves"):
        await poster.post("http://elsewhere.example/graphql", b"{}", HEADERS, "Op")
    # what may not travel raw is percent-encoded, never sent as it is
    await poster.post(scripted.url + "/a b/wiki/é\r\nX: 1?q=é&x=%41", b"{}", HEADERS, "Op")
    line = scripted.requests[0].split(b"\r\n", 1)[0]
    # (urlsplit drops CR and LF itself; nothing can end the request line early)
    assert line == b"POST /a%20b/wiki/%C3%A9X:%201?q=%C3%A9&x=%41 HTTP/1.1"
    await poster.aclose()


def test_host_headers() -> None:
    assert poster_for("http://[::1]:3000")._host_header == "[::1]:3000"
    assert poster_for("https://wiki.example.com")._host_header == "wiki.example.com"
    idn = poster_for("https://bücher.example")
    assert idn._host == "xn--bcher-kva.example"
    assert idn._port == 443


async def test_ipv6_loopback() -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    with socket.socket(socket.AF_INET6) as probe:
        try:
            probe.bind(("::1", 0))
        except OSError:
            pytest.skip("no IPv6 loopback")
    async with serving("::1") as state:
        poster = poster_for(state.url)
        assert (await post(poster, state.url)).content == JSON
        assert b"\r\nHost: [::1]:" in state.requests[0]
        await poster.aclose()


# -- TLS ---------------------------------------------------------------------------


@pytest.fixture
def certificate_authority() -> Any:
    trustme = pytest.importorskip("trustme")
    return trustme.CA()


def server_tls(certificate_authority: Any, alpn: list[str] | None = None) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    if alpn:
        context.set_alpn_protocols(alpn)
    certificate_authority.issue_cert("localhost").configure_cert(context)
    return context


@pytest.fixture
async def tls_server(certificate_authority: Any) -> AsyncIterator[tuple[str, Scripted]]:
    async with serving("localhost", server_tls(certificate_authority)) as state:
        yield state.url, state


async def test_tls_with_the_wikis_ca(
    tls_server: tuple[str, Scripted], certificate_authority: Any, tmp_path: Any
) -> None:
    url, state = tls_server
    bundle = tmp_path / "ca.pem"
    certificate_authority.cert_pem.write_to_path(str(bundle))
    for verify in (str(bundle), False):
        poster = poster_for(url, verify=verify)
        assert (await post(poster, url)).content == JSON
        assert (await post(poster, url)).content == JSON
        await poster.aclose()
    context = ssl.create_default_context()
    certificate_authority.configure_trust(context)
    poster = poster_for(url, verify=context)
    assert (await post(poster, url)).content == JSON
    await poster.aclose()
    assert state.connections == 3


@pytest.fixture
async def h2_server(certificate_authority: Any) -> AsyncIterator[tuple[str, Scripted]]:
    async with serving("localhost", server_tls(certificate_authority, ["h2"])) as state:
        yield state.url, state


async def test_alpn_offers_only_http11_and_refuses_an_h2_answer(
    h2_server: tuple[str, Scripted], certificate_authority: Any, tmp_path: Any
) -> None:
    url, state = h2_server
    # our own contexts offer only http/1.1, so a server preferring h2 cannot pick it
    bundle = tmp_path / "ca.pem"
    certificate_authority.cert_pem.write_to_path(str(bundle))
    poster = poster_for(url, verify=str(bundle))
    assert (await post(poster, url)).content == JSON
    await poster.aclose()
    assert len(state.requests) == 1

    context = ssl.create_default_context()
    certificate_authority.configure_trust(context)
    context.set_alpn_protocols(["h2", "http/1.1"])  # a context shared with an HTTP/2 client
    poster = poster_for(url, verify=context)
    with pytest.raises(ConnectError, match="chose h2") as caught:
        await post(poster, url)
    assert caught.value.request_sent is False
    assert len(state.requests) == 1


async def test_tls_with_an_unknown_ca_is_a_connect_error(tls_server: tuple[str, Scripted]) -> None:
    url, state = tls_server
    poster = poster_for(url)
    with pytest.raises(ConnectError, match="TLS") as caught:
        await post(poster, url)
    assert caught.value.request_sent is False
    assert state.requests == []


# -- choosing the backend ------------------------------------------------------------


def test_choose_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    from wikijs._backends import AsyncHttpBackend, HttpBackend

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    config = build_config("https://wiki.example.com")
    assert choose_backend(config, "auto", AsyncHttpBackend, injected=False) == "builtin"
    assert choose_backend(config, "auto", AsyncHttpBackend, injected=True) == "httpx"
    assert choose_backend(config, "auto", HttpBackend, injected=False) == "httpx"
    assert choose_backend(config, "aiohttp", AsyncHttpBackend, injected=False) == "aiohttp"
    with pytest.raises(ValidationError, match="one of 'auto', 'httpx'"):
        choose_backend(config, "builtin", HttpBackend, injected=False)
    with pytest.raises(ValidationError, match="cannot be combined"):
        choose_backend(config, "builtin", AsyncHttpBackend, injected=True)

    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    assert environment_proxy(config.base_url) == "http://proxy.internal:3128"
    assert choose_backend(config, "auto", AsyncHttpBackend, injected=False) == "aiohttp"
    assert choose_backend(config, "builtin", AsyncHttpBackend, injected=False) == "builtin"
    monkeypatch.setenv("NO_PROXY", "wiki.example.com")
    assert environment_proxy(config.base_url) is None
    assert choose_backend(config, "auto", AsyncHttpBackend, injected=False) == "builtin"


def test_without_aiohttp_a_proxy_means_httpx(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from wikijs._backends import AsyncHttpBackend

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "aiohttp" else real(name, *a)
    )
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    config = build_config("https://wiki.example.com")
    assert choose_backend(config, "auto", AsyncHttpBackend, injected=False) == "httpx"
    with pytest.raises(ValidationError, match=r"wikijs\[aiohttp\]"):
        choose_backend(config, "aiohttp", AsyncHttpBackend, injected=False)


@pytest.fixture
def served(fake: FakeWikiJS) -> Iterator[str]:
    with fake.serve() as url:
        yield url


@pytest.mark.parametrize("backend", ["auto", "builtin", "aiohttp", "httpx"])
async def test_every_backend_talks_to_the_fake(fake: FakeWikiJS, served: str, backend: Any) -> None:
    async with AsyncWikiJSClient(served, auth=fake.api_key, http_backend=backend) as client:
        expected = "builtin" if backend == "auto" else backend
        assert client._transport.backend == expected
        page = await client.pages.create(title="B", path=f"backend/{backend}", content="x")
        pages = await asyncio.gather(*(client.pages.get(page.id) for _ in range(20)))
        assert {p.id for p in pages} == {page.id}


def test_the_sync_client_takes_only_httpx(fake: FakeWikiJS) -> None:
    with pytest.raises(ValidationError, match="http_backend"):
        WikiJSClient(fake.url, auth=fake.api_key, http_backend="builtin")  # type: ignore[arg-type]
    with WikiJSClient(
        fake.url, auth=fake.api_key, transport=fake.sync_transport(), http_backend="httpx"
    ) as client:
        assert client.pages.list() == []
