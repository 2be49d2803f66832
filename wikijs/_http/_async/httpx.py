"""The transport on httpx: the sync client's, and the async client's when given httpx.

One error mapping (:func:`httpx_error`) for everything httpx raises. The
pool the SDK builds reads through the deadline-aware network backend (see
``httpx_deadline.py``), keeps idle connections for ``KEEPALIVE_EXPIRY``
seconds, never follows redirects (they would carry the credentials
elsewhere), and goes through the proxy the environment sets, resolved the
same way as for aiohttp.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable
from typing import Any

import httpx

from ..._constants import KEEPALIVE_EXPIRY
from ...errors import InvalidArgumentError, WikiJSError
from ..base import FailureKinds, Request, failure_error, too_large
from ..config import ClientConfig, Timeout
from ..environment import environment_proxy, ssl_context
from ..httpx_deadline import async_enforce_deadlines
from ..types import AsyncHttpClient, AsyncHttpTransport
from .transport import MAX_TIMEOUTS, AsyncExchange


def _endpoint(exc: BaseException) -> tuple[str, int | None] | None:
    try:
        url = exc.request.url  # type: ignore[attr-defined]
    except (AttributeError, RuntimeError):  # httpx raises RuntimeError when unset
        return None
    if not url.host:
        return None
    return url.host, url.port or {"https": 443, "http": 80}.get(url.scheme)


_FAILURES = FailureKinds(
    unsent_timeout=(httpx.ConnectTimeout, httpx.PoolTimeout),
    timeout=(httpx.TimeoutException,),
    connect=(httpx.ConnectError,),
    lost=(httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError, httpx.CloseError),
    invalid_url=(httpx.UnsupportedProtocol, httpx.InvalidURL),
    endpoint=_endpoint,
)
_ERRORS = (httpx.HTTPError, httpx.InvalidURL)


def is_httpx(value: Any) -> bool:
    """Whether ``http_client=``/``transport=`` is one of httpx's (for this client)."""
    return isinstance(value, (httpx.AsyncClient, httpx.AsyncBaseTransport))


def httpx_error(exc: BaseException, request: Request, config: ClientConfig) -> WikiJSError:
    """Our error for an httpx failure; says whether the server may have seen the request."""
    if isinstance(exc, httpx.RemoteProtocolError) and "buffer too long" in str(exc):
        # h11 stops reading a head past 100 KiB.
        limit = config.limits.max_header_size
        return too_large("max_header_size", limit, request.operation)
    if isinstance(exc, _ERRORS):
        return failure_error(exc, request.operation, _FAILURES)
    # httpx lets some input errors through as they are (a bad header value).
    return InvalidArgumentError(f"the request cannot be sent ({exc})", operation=request.operation)


def build_timeout(config: ClientConfig) -> httpx.Timeout:
    return httpx_timeout(config.timeout)


def httpx_timeout(timeout: Timeout) -> httpx.Timeout:
    return httpx.Timeout(
        connect=timeout.connect, read=timeout.read, write=timeout.write, pool=timeout.pool
    )


class AsyncHttpxTransport(AsyncExchange[httpx.Response]):
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
        super().__init__(config)
        self._urls: dict[str, httpx.URL] = {}
        self._timeouts: dict[Timeout, httpx.Timeout] = {}
        if http_client is not None:
            if not isinstance(http_client, httpx.AsyncClient):
                raise InvalidArgumentError(
                    "http_client must be an httpx.AsyncClient for this client",
                    field="http_client",
                )
            if transport is not None:
                raise InvalidArgumentError(
                    "give http_client= or transport=, not both", field="transport"
                )
            self._client = http_client
            self._owns_client = False
            return
        if transport is not None and not isinstance(transport, httpx.AsyncBaseTransport):
            raise InvalidArgumentError(
                "transport must be an httpx.AsyncBaseTransport for this client",
                field="transport",
            )
        if transport is None:
            transport = self._pool(config)
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=build_timeout(config),
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
        pool = httpx.AsyncHTTPTransport(
            verify=ssl_context(config.verify),
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

    def _timeout_for(self, timeout: Timeout) -> httpx.Timeout:
        # A client view's timeouts, built once per view's setting rather than per request.
        built = self._timeouts.get(timeout)
        if built is None:
            if len(self._timeouts) >= MAX_TIMEOUTS:
                self._timeouts.clear()
            built = self._timeouts[timeout] = httpx_timeout(timeout)
        return built

    def _url(self, url: str) -> httpx.URL:
        # Parsing the same URL again on every request is a measurable part
        # of httpx's per-call cost.
        parsed = self._urls.get(url)
        if parsed is None:
            parsed = self._urls[url] = httpx.URL(url)
        return parsed

    async def open(self, request: Request, headers: dict[str, str]) -> httpx.Response:
        try:
            built = self._client.build_request(
                request.method,
                self._url(request.url),
                headers=headers,
                content=request.body,
                timeout=httpx.USE_CLIENT_DEFAULT
                if request.timeout is None
                else self._timeout_for(request.timeout),
            )
            return await self._client.send(built, stream=True)
        except (*_ERRORS, ValueError, TypeError) as exc:
            raise self.error(exc, request) from exc

    def head(self, response: httpx.Response) -> tuple[int, Iterable[tuple[bytes, bytes]]]:
        return response.status_code, response.headers.raw

    def prefetched(self, response: httpx.Response) -> bytes | None:
        # Already read by whoever made it (a mock transport's answer).
        return response.content if response.is_stream_consumed else None

    async def read(self, request: Request, response: httpx.Response) -> bytes:
        try:
            return await response.aread()
        except _ERRORS as exc:
            raise self.error(exc, request) from exc

    async def chunks(
        self, request: Request, response: httpx.Response, size: int
    ) -> AsyncIterator[bytes]:
        try:
            async for raw in response.aiter_raw(size):
                yield raw
        except _ERRORS as exc:
            raise self.error(exc, request) from exc

    async def release(self, response: httpx.Response) -> None:
        await response.aclose()

    async def discard(self, response: httpx.Response) -> None:
        await response.aclose()

    def error(self, exc: BaseException, request: Request) -> WikiJSError:
        return httpx_error(exc, request, self._config)

    async def aclose(self) -> None:
        if self._owns_client:
            with contextlib.suppress(RuntimeError):  # its loop may already be gone
                await self._client.aclose()
