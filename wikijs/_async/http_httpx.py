"""The transport on httpx: the sync client's, and the async client's when given httpx.

One error mapping (:func:`httpx_error`) for everything httpx raises. The
pool the SDK builds reads through the deadline-aware network backend (see
``wikijs/_deadline.py``), keeps idle connections for ``KEEPALIVE_EXPIRY``
seconds, never follows redirects (they would carry the credentials
elsewhere), and goes through the proxy the environment sets, resolved the
same way as for aiohttp.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import httpx

from .._config import ClientConfig
from .._constants import KEEPALIVE_EXPIRY
from .._core.transport import (
    ACCEPT_ENCODING,
    BodyReader,
    FailureKinds,
    Request,
    ResponseHeaders,
    environment_proxy,
    failure_error,
    ssl_context,
    too_large,
)
from .._deadline import AsyncDeadline, async_enforce_deadlines
from ..errors import ValidationError, WikiJSError
from .transport import AsyncResponse, read_body

if TYPE_CHECKING:
    from .._backends import AsyncHttpClient, AsyncHttpTransport

_FAILURES = FailureKinds(
    unsent_timeout=(httpx.ConnectTimeout, httpx.PoolTimeout),
    timeout=(httpx.TimeoutException,),
    connect=(httpx.ConnectError,),
    lost=(httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError, httpx.CloseError),
    invalid_url=(httpx.UnsupportedProtocol, httpx.InvalidURL),
)


def httpx_error(exc: Exception, request: Request, config: ClientConfig) -> WikiJSError:
    """Our error for an httpx failure; says whether the server may have seen the request."""
    if isinstance(exc, httpx.RemoteProtocolError) and "buffer too long" in str(exc):
        # h11 stops reading a head past 100 KiB.
        limit = config.limits.max_header_size
        return too_large("max_header_size", limit, request.operation)
    if isinstance(exc, (httpx.HTTPError, httpx.InvalidURL)):
        return failure_error(exc, request.operation, _FAILURES)
    # httpx lets some input errors through as they are (a bad header value).
    return ValidationError(f"the request cannot be sent ({exc})", operation=request.operation)


class AsyncHttpxTransport:
    """Sends through an ``httpx.AsyncClient`` the SDK builds, or the one given.

    Args:
        config: the client configuration (timeouts, TLS, pool size, limits).
        http_client: a ready ``httpx.AsyncClient``; the caller keeps owning it.
        transport: an ``httpx.AsyncBaseTransport`` for the client the SDK
            builds (a mock, ``FakeWikiJS.async_transport()``…).
    """

    def __init__(
        self,
        config: ClientConfig,
        *,
        http_client: AsyncHttpClient | None = None,
        transport: AsyncHttpTransport | None = None,
    ) -> None:
        self._config = config
        self._limits = config.limits
        self._deadline = AsyncDeadline(config.deadline)
        self._urls: dict[str, httpx.URL] = {}
        if http_client is not None:
            if not isinstance(http_client, httpx.AsyncClient):
                raise ValidationError(
                    "http_client must be an httpx.AsyncClient for this client",
                    field="http_client",
                )
            if transport is not None:
                raise ValidationError(
                    "give http_client= or transport=, not both", field="transport"
                )
            self._client = http_client
            self._owns_client = False
            return
        if transport is not None and not isinstance(transport, httpx.AsyncBaseTransport):
            raise ValidationError(
                "transport must be an httpx.AsyncBaseTransport for this client",
                field="transport",
            )
        if transport is None:
            transport = self._pool(config)
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=config.timeout,
            follow_redirects=False,
            trust_env=False,
        )
        self._owns_client = True

    @staticmethod
    def _pool(config: ClientConfig) -> httpx.AsyncHTTPTransport:
        proxy = environment_proxy(config.base_url)
        proxy_option: httpx.Proxy | None = None
        if proxy is not None:
            auth = (proxy.username, proxy.password or "") if proxy.username else None
            proxy_option = httpx.Proxy(proxy.url, auth=auth)
        try:
            context = ssl_context(config.verify)
        except OSError as exc:
            raise ValidationError(
                f"verify: cannot load the CA bundle ({exc})", field="verify"
            ) from None
        pool = httpx.AsyncHTTPTransport(
            verify=context,
            limits=httpx.Limits(
                max_connections=config.max_connections,
                max_keepalive_connections=config.max_keepalive_connections,
                keepalive_expiry=KEEPALIVE_EXPIRY,
            ),
            proxy=proxy_option,
            trust_env=False,
        )
        async_enforce_deadlines(pool)
        return pool

    @property
    def http_client(self) -> httpx.AsyncClient:
        return self._client

    def _url(self, url: str) -> httpx.URL:
        # Parsing the same URL again on every request is a measurable part
        # of httpx's per-call cost.
        parsed = self._urls.get(url)
        if parsed is None:
            parsed = self._urls[url] = httpx.URL(url)
        return parsed

    async def send(self, request: Request) -> AsyncResponse:
        headers = request.headers
        if "Accept-Encoding" not in headers:
            headers = {**headers, "Accept-Encoding": ACCEPT_ENCODING}
        try:
            built = self._client.build_request(
                request.method, self._url(request.url), headers=headers, content=request.body
            )
        except (httpx.HTTPError, httpx.InvalidURL, ValueError, TypeError) as exc:
            raise httpx_error(exc, request, self._config) from exc
        deadline = self._deadline
        watch = deadline.start()
        try:
            try:
                response = await self._client.send(built, stream=True)
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                raise httpx_error(exc, request, self._config) from exc
            try:
                answer = await self._answer(request, response)
            except BaseException:
                await response.aclose()
                raise
        except BaseException as exc:
            if (error := deadline.stop(watch, exc, request.operation)) is not None:
                raise error from exc
            raise
        deadline.stop(watch, None, request.operation)
        return answer

    async def _answer(self, request: Request, response: httpx.Response) -> AsyncResponse:
        status = response.status_code
        limits = self._limits
        headers = ResponseHeaders.from_raw(response.headers.raw, limits, request.operation, status)
        encoding = headers.get("content-encoding")
        length = headers.get("content-length")
        if response.is_stream_consumed:
            # Already read by whoever made it (a mock transport's answer).
            content = response.content
            BodyReader(limits, None, request.operation, status_code=status).check_length(
                str(len(content))
            )
            return AsyncResponse(status, headers, content)
        if request.stream or encoding is not None or length is None:
            return await self._stream_or_read(request, response, headers, encoding, length)
        # The common answer: its length is known; read it whole if within the limit.
        if len(length) > 18 or not length.isdigit() or int(length) > limits.max_body_size:
            BodyReader(limits, None, request.operation, status_code=status).check_length(length)
        try:
            content = await response.aread()
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise httpx_error(exc, request, self._config) from exc
        finally:
            await response.aclose()
        return AsyncResponse(status, headers, content)

    async def _stream_or_read(
        self,
        request: Request,
        response: httpx.Response,
        headers: ResponseHeaders,
        encoding: str | None,
        length: str | None,
    ) -> AsyncResponse:
        status = response.status_code
        limits = self._limits

        def reader(limited: bool) -> BodyReader:
            return BodyReader(
                limits, encoding, request.operation, status_code=status, limited=limited
            )

        async def chunks(size: int) -> AsyncIterator[bytes]:
            try:
                async for raw in response.aiter_raw(size):
                    yield raw
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                raise httpx_error(exc, request, self._config) from exc

        if request.stream:
            return AsyncResponse(
                status, headers, chunks=chunks, reader=reader, close=response.aclose
            )
        body_reader = reader(True)
        body_reader.check_length(length)
        try:
            content = await read_body(chunks(BodyReader.STEP), body_reader)
        finally:
            await response.aclose()
        return AsyncResponse(status, headers, content)

    async def aclose(self) -> None:
        if self._owns_client:
            with contextlib.suppress(RuntimeError):  # its loop may already be gone
                await self._client.aclose()
