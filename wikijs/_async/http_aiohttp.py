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
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

import aiohttp

from .._config import ClientConfig
from .._constants import KEEPALIVE_EXPIRY
from .._core.transport import (
    ACCEPT_ENCODING,
    BodyReader,
    FailureKinds,
    Request,
    ResponseHeaders,
    basic_auth,
    environment_proxy,
    failure_error,
    ssl_context,
    too_large,
)
from .._deadline import AsyncDeadline
from ..errors import ResponseError, ValidationError, WikiJSError
from .transport import AsyncResponse, read_body

if TYPE_CHECKING:
    from .._backends import AsyncHttpClient

#: The longest header line aiohttp's parser accepts (it buffers no more).
_MAX_LINE = 16 * 1024
_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError, OSError)


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
    return ValidationError(f"the request cannot be sent ({exc})", operation=operation)


class AiohttpTransport:
    """Sends through an aiohttp session: its own, or the one (or the factory) given.

    Args:
        config: the client configuration (timeouts, TLS, pool size, limits).
        session: an ``aiohttp.ClientSession`` (the caller keeps owning and
            closing it), or a function returning one, called in the running
            loop when first needed (the SDK then closes it).
    """

    def __init__(self, config: ClientConfig, session: AsyncHttpClient | None = None) -> None:
        self._config = config
        self._given: aiohttp.ClientSession | None = None
        self._factory: Callable[[], aiohttp.ClientSession] | None = None
        if isinstance(session, aiohttp.ClientSession):
            self._given = session
        elif callable(session):
            self._factory = session
        elif session is not None:
            raise ValidationError(
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
            try:
                self._ssl = ssl_context(config.verify)
            except OSError as exc:
                raise ValidationError(
                    f"verify: cannot load the CA bundle ({exc})", field="verify"
                ) from None
        timeout = config.timeout
        self._timeout = aiohttp.ClientTimeout(
            total=None,  # the deadline (AsyncDeadline) bounds the whole exchange
            connect=timeout.pool,
            sock_connect=timeout.connect,
            sock_read=timeout.read,
        )
        self._line = min(config.limits.max_header_size, _MAX_LINE)
        self._deadline = AsyncDeadline(config.deadline)

    def _open(self) -> aiohttp.ClientSession:
        if self._factory is not None:
            session = self._factory()
            if not isinstance(session, aiohttp.ClientSession):
                raise ValidationError(
                    "the http_client= factory must return an aiohttp.ClientSession",
                    field="http_client",
                )
            return session
        return aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(
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
            session = self._own = self._open()
            self._loop = loop
        return session

    @property
    def session(self) -> aiohttp.ClientSession | None:
        """The session in use (``None`` before the first request)."""
        return self._given or self._own

    async def send(self, request: Request) -> AsyncResponse:
        headers = request.headers
        if self._extra_headers or "Accept-Encoding" not in headers:
            headers = {"Accept-Encoding": ACCEPT_ENCODING, **headers, **self._extra_headers}
        deadline = self._deadline
        watch = deadline.start()
        try:
            try:
                response = await self._session().request(
                    request.method,
                    request.url,
                    data=request.body,
                    headers=headers,
                    allow_redirects=False,
                    proxy=self._proxy,
                    proxy_headers=self._proxy_headers,
                    timeout=self._timeout,
                    ssl=self._ssl,
                    auto_decompress=False,
                    max_line_size=self._line,
                    max_field_size=self._line,
                )
            except (*_ERRORS, ValueError, TypeError) as exc:
                raise aiohttp_error(exc, request, self._config) from exc
            try:
                answer = await self._answer(request, response)
            except BaseException:
                response.close()
                raise
        except BaseException as exc:
            if (error := deadline.stop(watch, exc, request.operation)) is not None:
                raise error from None
            raise
        deadline.stop(watch, None, request.operation)
        return answer

    async def _answer(self, request: Request, response: aiohttp.ClientResponse) -> AsyncResponse:
        status = response.status
        limits = self._config.limits
        headers = ResponseHeaders.from_raw(response.raw_headers, limits, request.operation, status)
        encoding = headers.get("content-encoding")
        length = headers.get("content-length")
        if request.stream or encoding is not None or length is None:
            return await self._stream_or_read(request, response, headers, encoding, length)
        # The common answer: its length is known; read it whole if within the limit.
        if len(length) > 18 or not length.isdigit() or int(length) > limits.max_body_size:
            BodyReader(limits, None, request.operation, status_code=status).check_length(length)
        try:
            content = await response.read()
        except _ERRORS as exc:
            raise aiohttp_error(exc, request, self._config) from exc
        response.release()
        return AsyncResponse(status, headers, content)

    async def _stream_or_read(
        self,
        request: Request,
        response: aiohttp.ClientResponse,
        headers: ResponseHeaders,
        encoding: str | None,
        length: str | None,
    ) -> AsyncResponse:
        status = response.status
        limits = self._config.limits

        def reader(limited: bool) -> BodyReader:
            return BodyReader(
                limits, encoding, request.operation, status_code=status, limited=limited
            )

        async def chunks(size: int) -> AsyncIterator[bytes]:
            try:
                async for raw in response.content.iter_chunked(size):
                    yield raw
            except _ERRORS as exc:
                raise aiohttp_error(exc, request, self._config) from exc

        if request.stream:

            async def close() -> None:
                response.release()

            return AsyncResponse(status, headers, chunks=chunks, reader=reader, close=close)
        body_reader = reader(True)
        body_reader.check_length(length)
        content = await read_body(chunks(BodyReader.STEP), body_reader)
        response.release()
        return AsyncResponse(status, headers, content)

    async def aclose(self) -> None:
        session, self._own = self._own, None
        if session is not None and not session.closed:
            with contextlib.suppress(RuntimeError):  # its loop may already be gone
                await session.close()
