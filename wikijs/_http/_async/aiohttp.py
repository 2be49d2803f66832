"""The async client's transport, on aiohttp. Async-only: no sync twin is derived.

Why aiohttp: measured against a real Wiki.js, gather(100) of ``pages.get``
through aiohttp reaches the server's own limit, where ``httpx.AsyncClient``
spends milliseconds of CPU per request in httpcore's pool at that
concurrency (``docs/performance.md``). aiohttp is a well-kept, widely used
HTTP stack, so the SDK keeps no HTTP/1.1 code of its own.

One error mapping (:func:`aiohttp_error`). The session the SDK opens (one
per event loop, on first use) keeps idle connections for
``KEEPALIVE_EXPIRY`` seconds, keeps no cookies, follows no redirects, and
goes through the proxy the environment sets (``environment_proxy``: the
same reading as the sync client's; aiohttp's own ignores ``ALL_PROXY``).
A session you pass (``http_client=aiohttp.ClientSession(...)``) is used as
it is, with the SDK's timeouts, limits and proxy applied per request.

The session the SDK opens pools its connections through
:class:`GuardedConnector`: aiohttp (up to 3.14.5 at least) keeps parsing
what a server sends on an idle pooled connection and queues it, so the
next request on that connection would read an answer no one asked for as
its own (aio-libs/aiohttp#13656). A session you pass keeps its own
connector, and with it aiohttp's behaviour.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator, Callable, Iterable
from typing import TYPE_CHECKING, Any, cast

import aiohttp
from aiohttp.client_proto import ResponseHandler

from ..._constants import KEEPALIVE_EXPIRY
from ...errors import InvalidArgumentError, ResponseError, WikiJSError
from ..base import FailureKinds, Request, failure_error, too_large
from ..config import ClientConfig, Timeout
from ..environment import basic_auth, environment_proxy, ssl_context
from ..types import AsyncHttpClient
from .transport import MAX_TIMEOUTS, AsyncExchange

if TYPE_CHECKING:
    from aiohttp.client_reqrep import ConnectionKey
    from aiohttp.connector import Connection
    from aiohttp.tracing import Trace

#: The longest header line aiohttp's parser accepts (it buffers no more).
_MAX_LINE = 16 * 1024
_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError, OSError)


class ReadTimer(ResponseHandler):
    """aiohttp's connection protocol, with the read timeout kept by one lazy timer.

    aiohttp bounds silence (``sock_read``, the client's read timeout) by
    cancelling a timer and scheduling a new one each time a request starts
    and each time bytes arrive: two timers per request, about 5 % of the
    client's CPU at gather(100) (docs/performance.md). Here a restart only
    notes when the silence began; the one timer, when it fires, re-arms for
    the end of the current silence, and raises aiohttp's own timeout only
    when the silence lasted the whole timeout. The timeout is the same to
    the microsecond; a connection in steady use schedules about one timer
    per timeout instead of two per request. (Private aiohttp methods,
    present from 3.11 to 3.14.5; the connector falls back to aiohttp's
    own protocol where they are missing.)
    """

    _quiet_since: float | None = None  # None: no read is being watched

    def _reschedule_timeout(self) -> None:
        timeout = self._read_timeout
        if not timeout:
            self._drop_timeout()
            return
        loop = self._loop
        now = loop.time()
        self._quiet_since = now
        handle = self._read_timeout_handle
        if handle is None or handle.when() > now + timeout:
            # none armed, or armed for a longer timeout than this request's
            if handle is not None:
                handle.cancel()
            self._read_timeout_handle = loop.call_at(now + timeout, self._check_silence)

    def _drop_timeout(self) -> None:
        # Stop watching; an armed timer stays and will find nothing to do.
        self._quiet_since = None

    def _check_silence(self) -> None:
        self._read_timeout_handle = None
        since, timeout = self._quiet_since, self._read_timeout
        if since is None or not timeout:
            return
        due = since + timeout
        if due > self._loop.time():  # bytes came since it was armed: wait for the rest
            self._read_timeout_handle = self._loop.call_at(due, self._check_silence)
            return
        self._on_read_timeout()

    def connection_lost(self, exc: BaseException | None) -> None:
        handle, self._read_timeout_handle = self._read_timeout_handle, None
        if handle is not None:  # a closed connection keeps no timer
            handle.cancel()
        super().connection_lost(exc)


#: The aiohttp releases whose private timer methods :class:`ReadTimer` was
#: read against and tested with; a later one keeps aiohttp's own protocol
#: until it is checked (a changed meaning, not only a missing name, could
#: leave a read unbounded).
_READ_TIMER_RELEASES = ((3, 11), (3, 14))


def _lazy_timer_fits(version: str = aiohttp.__version__) -> bool:
    """Whether this aiohttp is one :class:`ReadTimer` knows, with the methods it replaces."""
    try:
        release = tuple(int(part) for part in version.split(".")[:2])
    except ValueError:
        return False
    low, high = _READ_TIMER_RELEASES
    if not low <= release <= high:
        return False
    probe = ResponseHandler.__dict__
    return all(
        name in probe
        for name in ("_reschedule_timeout", "_drop_timeout", "_on_read_timeout", "connection_lost")
    )


class GuardedConnector(aiohttp.TCPConnector):
    """aiohttp's TCP connector, never reusing a pooled connection that holds unread bytes.

    An idle connection has nothing to read: anything queued on it (an answer
    the server pushed unasked, a body left unfinished) belongs to no
    request, so the connection is closed rather than handed to the next one.
    aiohttp's own ``_get`` checks only that the connection is open and not
    expired (3.14.5); this override can go once it refuses such a one too.

    Its connections keep their read timeout with :class:`ReadTimer`.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        if _lazy_timer_fits():
            factory = functools.partial(ReadTimer, loop=self._loop)
            self._factory = cast("functools.partial[ResponseHandler]", factory)

    async def _get(self, key: ConnectionKey, traces: list[Trace]) -> Connection | None:
        while (connection := await super()._get(key, traces)) is not None:
            protocol = connection.protocol
            if protocol is not None and not protocol.should_close:
                return connection
            connection.close()
        return None


def _endpoint(exc: BaseException) -> tuple[str, int | None] | None:
    host, port = getattr(exc, "host", None), getattr(exc, "port", None)
    return (host, port) if isinstance(host, str) and isinstance(port, int) else None


@functools.cache
def _failures() -> FailureKinds:
    return FailureKinds(
        unsent_timeout=(aiohttp.ConnectionTimeoutError,),
        timeout=(asyncio.TimeoutError, aiohttp.ServerTimeoutError),
        connect=(aiohttp.ClientConnectorError,),
        lost=(
            aiohttp.ServerDisconnectedError,
            aiohttp.ClientPayloadError,
            aiohttp.ClientOSError,
            aiohttp.ClientConnectionResetError,
        ),
        invalid_url=(aiohttp.InvalidURL,),
        endpoint=_endpoint,
    )


def aiohttp_error(exc: BaseException, request: Request, config: ClientConfig) -> WikiJSError:
    """Our error for an aiohttp failure; says whether the server may have seen the request."""
    operation = request.operation
    if isinstance(exc, aiohttp.ClientResponseError):
        # Raised while reading the head (we never ask for raise_for_status):
        # the answer is not HTTP aiohttp accepts.
        detail = exc.message
        if "Too many headers" in detail or "Got more than" in detail:
            return too_large("max_header_size", config.limits.max_header_size, operation)
        return ResponseError(
            f"the server's answer is not valid HTTP ({detail})", operation=operation
        )
    if isinstance(exc, _ERRORS):
        return failure_error(exc, operation, _failures())
    # aiohttp lets some input errors through as they are (a bad header value).
    return InvalidArgumentError(f"the request cannot be sent ({exc})", operation=operation)


def _ends_with_connection(response: aiohttp.ClientResponse) -> bool:
    """Whether the body's end is the connection's: no length, not chunked."""
    if response.content_length is not None:
        return False
    coding = response.headers.get("Transfer-Encoding", "")
    return "chunked" not in coding.lower()


def _client_timeout(timeout: Timeout) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(
        total=None,  # the deadline (AsyncDeadline) bounds the whole exchange
        connect=timeout.pool,
        sock_connect=timeout.connect,
        sock_read=timeout.read,
    )


class AiohttpTransport(AsyncExchange["aiohttp.ClientResponse"]):
    """Sends through an aiohttp session: its own, or the one (or the factory) given.

    Args:
        config: the client configuration (timeouts, TLS, pool size, limits).
        session: an ``aiohttp.ClientSession`` (the caller keeps owning and
            closing it), or a function returning one, called in the running
            loop when first needed (the SDK then closes it).
    """

    def __init__(self, config: ClientConfig, session: AsyncHttpClient | None = None) -> None:
        super().__init__(config)
        self._given: aiohttp.ClientSession | None = None
        self._factory: Callable[[], aiohttp.ClientSession] | None = None
        if isinstance(session, aiohttp.ClientSession):
            self._given = session
        elif callable(session):
            self._factory = session
        elif session is not None:
            raise InvalidArgumentError(
                "http_client must be an aiohttp.ClientSession (or a function returning one) "
                "or an httpx.AsyncClient",
                field="http_client",
            )
        self._own: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        proxy = environment_proxy(config.base_url)
        self._proxy = proxy.url if proxy is not None else None
        self._proxy_headers: dict[str, str] | None = None
        self._extra_headers: dict[str, str] = {}
        if proxy is not None and proxy.username:
            credential = {"Proxy-Authorization": basic_auth(proxy.username, proxy.password)}
            if config.base_url.startswith("https://"):
                self._proxy_headers = credential  # on the CONNECT that opens the tunnel
            else:
                self._extra_headers = credential  # a plain-HTTP proxy reads each request
        self._ssl: Any = True
        if session is None:
            self._ssl = ssl_context(config.verify)
        self._timeout = _client_timeout(config.timeout)
        self._timeouts: dict[Timeout, aiohttp.ClientTimeout] = {}
        self._line = min(config.limits.max_header_size, _MAX_LINE)

    def _timeout_for(self, request: Request) -> aiohttp.ClientTimeout:
        # A client view's timeouts, built once per view's setting rather than per request.
        assert request.timeout is not None
        built = self._timeouts.get(request.timeout)
        if built is None:
            if len(self._timeouts) >= MAX_TIMEOUTS:
                self._timeouts.clear()
            built = self._timeouts[request.timeout] = _client_timeout(request.timeout)
        return built

    def _open_session(self) -> aiohttp.ClientSession:
        if self._factory is not None:
            session = self._factory()
            if not isinstance(session, aiohttp.ClientSession):
                raise InvalidArgumentError(
                    "the http_client= factory must return an aiohttp.ClientSession",
                    field="http_client",
                )
            return session
        return aiohttp.ClientSession(
            connector=GuardedConnector(
                limit=self._config.max_connections,
                ssl=self._ssl,
                keepalive_timeout=KEEPALIVE_EXPIRY,
            ),
            cookie_jar=aiohttp.DummyCookieJar(),
            trust_env=False,
            auto_decompress=False,
        )

    def _session(self) -> aiohttp.ClientSession:
        if self._given is not None:
            return self._given
        loop = asyncio.get_running_loop()
        session = self._own
        if session is None or session.closed or self._loop is not loop:
            # A session belongs to one event loop; a client reused from a new
            # loop (asyncio.run twice) gets a fresh one.
            session = self._own = self._open_session()
            self._loop = loop
        return session

    @property
    def session(self) -> aiohttp.ClientSession | None:
        """The session in use (``None`` before the first request)."""
        return self._given or self._own

    def headers_for(self, request: Request) -> dict[str, str]:
        headers = super().headers_for(request)
        headers.update(self._extra_headers)
        return headers

    async def open(self, request: Request, headers: dict[str, str]) -> aiohttp.ClientResponse:
        try:
            return await self._session().request(
                request.method,
                request.url,
                data=request.body,
                headers=headers,
                allow_redirects=False,
                proxy=self._proxy,
                proxy_headers=self._proxy_headers,
                timeout=self._timeout if request.timeout is None else self._timeout_for(request),
                ssl=self._ssl,
                auto_decompress=False,
                max_line_size=self._line,
                max_field_size=self._line,
            )
        except (*_ERRORS, ValueError, TypeError) as exc:
            raise self.error(exc, request) from exc

    def head(self, response: aiohttp.ClientResponse) -> tuple[int, Iterable[tuple[bytes, bytes]]]:
        return response.status, response.raw_headers

    async def read(self, request: Request, response: aiohttp.ClientResponse) -> bytes:
        try:
            return await response.read()
        except _ERRORS as exc:
            raise self.error(exc, request) from exc

    async def chunks(
        self, request: Request, response: aiohttp.ClientResponse, size: int
    ) -> AsyncIterator[bytes]:
        try:
            async for raw in response.content.iter_chunked(size):
                yield raw
        except _ERRORS as exc:
            raise self.error(exc, request) from exc
        if _ends_with_connection(response):
            # aiohttp ends such a body at the connection's end, clean or not:
            # a reset reads as the end of a whole body, and only the
            # connection's protocol keeps the cause.
            cause = getattr(response, "_protocol", None)
            lost = cause.exception() if cause is not None else None
            if isinstance(lost, OSError):
                raise self.error(lost, request) from lost

    async def release(self, response: aiohttp.ClientResponse) -> None:
        response.release()

    async def discard(self, response: aiohttp.ClientResponse) -> None:
        response.close()

    def error(self, exc: BaseException, request: Request) -> WikiJSError:
        return aiohttp_error(exc, request, self._config)

    async def aclose(self) -> None:
        session, self._own = self._own, None
        if session is not None and not session.closed:
            with contextlib.suppress(RuntimeError):  # its loop may already be gone
                await session.close()
