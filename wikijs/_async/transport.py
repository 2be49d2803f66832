"""HTTP for the client: one pooled httpx client, errors mapped to ours.

The async client sends GraphQL POSTs on a faster path when it builds its own
pool: lean HTTP/1.1 (``http1.py``) by default, aiohttp (``aiohttp_poster.py``)
behind a proxy or when asked for; see ``_core.transport.choose_backend``.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Mapping
from contextlib import asynccontextmanager

import httpx

from .._backends import AsyncHttpBackend
from .._config import ClientConfig
from .._core.transport import RawResponse, choose_backend, transport_error
from ..errors import ValidationError

# unasync: async-only
from .aiohttp_poster import AiohttpPoster
from .http1 import Http1Poster

# unasync: end


class AsyncTransport:
    """Sends requests through an ``httpx.AsyncClient`` the SDK owns or was given.

    GraphQL POSTs may take a faster path instead: see
    :func:`~wikijs._core.transport.choose_backend`.

    Args:
        config: the client configuration (timeouts, TLS, pool size).
        http_client: a ready ``httpx.AsyncClient``; the caller keeps owning it.
        transport: an ``httpx.AsyncBaseTransport`` for a client the SDK builds
            (a mock, the fake server's in-process transport, a proxy…).
        backend: ``"auto"``, ``"builtin"``, ``"aiohttp"`` or ``"httpx"``.
    """

    def __init__(
        self,
        config: ClientConfig,
        *,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        backend: AsyncHttpBackend = "auto",
    ) -> None:
        self.backend = choose_backend(
            config,
            backend,
            AsyncHttpBackend,
            injected=http_client is not None or transport is not None,
        )
        if http_client is not None:
            if not isinstance(http_client, httpx.AsyncClient):
                raise ValidationError(
                    "http_client must be an httpx.AsyncClient for this client",
                    field="http_client",
                )
            self._client = http_client
            self._owns_client = False
        else:
            if transport is not None and not isinstance(transport, httpx.AsyncBaseTransport):
                raise ValidationError(
                    "transport must be an httpx.AsyncBaseTransport for this client",
                    field="transport",
                )
            self._client = httpx.AsyncClient(
                transport=transport,
                timeout=config.timeout,
                verify=config.verify,
                limits=httpx.Limits(
                    max_connections=config.max_connections,
                    max_keepalive_connections=config.max_keepalive_connections,
                ),
                follow_redirects=False,
            )
            self._owns_client = True
        self._url_cache: dict[str, httpx.URL] = {}
        # unasync: async-only
        self._fast: Http1Poster | AiohttpPoster | None = None
        if self.backend == "builtin":
            self._fast = Http1Poster(config)
        elif self.backend == "aiohttp":
            self._fast = AiohttpPoster(config)
        # unasync: end

    def _url(self, url: str) -> httpx.URL:
        # Parsing the same URL string again on every request is a measurable
        # part of httpx's per-call cost.
        parsed = self._url_cache.get(url)
        if parsed is None:
            parsed = self._url_cache[url] = httpx.URL(url)
        return parsed

    @property
    def http_client(self) -> httpx.AsyncClient:
        return self._client

    async def post(
        self, url: str, content: bytes, headers: Mapping[str, str], operation: str
    ) -> RawResponse:
        """POST a body and read the whole answer."""
        # unasync: async-only
        if self._fast is not None:
            return await self._fast.post(url, content, headers, operation)
        # unasync: end
        try:
            response = await self._client.post(self._url(url), content=content, headers=headers)
        except httpx.HTTPError as exc:
            raise transport_error(exc, operation) from exc
        return RawResponse(response.status_code, response.headers, response.content)

    async def get(self, url: str, headers: Mapping[str, str], operation: str) -> RawResponse:
        try:
            response = await self._client.get(url, headers=headers)
        except httpx.HTTPError as exc:
            raise transport_error(exc, operation) from exc
        return RawResponse(response.status_code, response.headers, response.content)

    async def send(
        self,
        url: str,
        content: bytes | AsyncIterable[bytes],
        headers: Mapping[str, str],
        operation: str,
    ) -> RawResponse:
        """POST a body given whole or as chunks (uploads stream from disk)."""
        try:
            response = await self._client.post(url, content=content, headers=headers)
        except httpx.HTTPError as exc:
            raise transport_error(exc, operation) from exc
        return RawResponse(response.status_code, response.headers, response.content)

    @asynccontextmanager
    async def stream(
        self, url: str, headers: Mapping[str, str], operation: str
    ) -> AsyncIterator[httpx.Response]:
        """GET with the body unread: iterate ``response.aiter_bytes()`` inside the block.

        httpx failures while connecting or reading become the SDK's transport errors.
        """
        try:
            async with self._client.stream("GET", url, headers=headers) as response:
                yield response
        except httpx.HTTPError as exc:
            raise transport_error(exc, operation) from exc

    async def aclose(self) -> None:
        # unasync: async-only
        if self._fast is not None:
            await self._fast.aclose()
        # unasync: end
        if self._owns_client:
            await self._client.aclose()
