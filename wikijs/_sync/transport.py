# Generated from wikijs/_async/transport.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""HTTP for the client: one pooled httpx client, errors mapped to ours.

The async client sends GraphQL POSTs on a faster path when it builds its own
pool: lean HTTP/1.1 (``http1.py``) by default, aiohttp (``aiohttp_poster.py``)
behind a proxy or when asked for; see ``_core.transport.choose_backend``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

import httpx

from .._backends import HttpBackend
from .._config import ClientConfig
from .._core.transport import RawResponse, choose_backend, transport_error
from ..errors import ValidationError


class Transport:
    """Sends requests through an ``httpx.Client`` the SDK owns or was given.

    GraphQL POSTs may take a faster path instead: see
    :func:`~wikijs._core.transport.choose_backend`.

    Args:
        config: the client configuration (timeouts, TLS, pool size).
        http_client: a ready ``httpx.Client``; the caller keeps owning it.
        transport: an ``httpx.BaseTransport`` for a client the SDK builds
            (a mock, the fake server's in-process transport, a proxy…).
        backend: ``"auto"``, ``"builtin"``, ``"aiohttp"`` or ``"httpx"``.
    """

    def __init__(
        self,
        config: ClientConfig,
        *,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        backend: HttpBackend = "auto",
    ) -> None:
        self.backend = choose_backend(
            config,
            backend,
            HttpBackend,
            injected=http_client is not None or transport is not None,
        )
        if http_client is not None:
            if not isinstance(http_client, httpx.Client):
                raise ValidationError(
                    "http_client must be an httpx.Client for this client",
                    field="http_client",
                )
            self._client = http_client
            self._owns_client = False
        else:
            if transport is not None and not isinstance(transport, httpx.BaseTransport):
                raise ValidationError(
                    "transport must be an httpx.BaseTransport for this client",
                    field="transport",
                )
            self._client = httpx.Client(
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

    def _url(self, url: str) -> httpx.URL:
        # Parsing the same URL string again on every request is a measurable
        # part of httpx's per-call cost.
        parsed = self._url_cache.get(url)
        if parsed is None:
            parsed = self._url_cache[url] = httpx.URL(url)
        return parsed

    @property
    def http_client(self) -> httpx.Client:
        return self._client

    def post(
        self, url: str, content: bytes, headers: Mapping[str, str], operation: str
    ) -> RawResponse:
        """POST a body and read the whole answer."""
        try:
            response = self._client.post(self._url(url), content=content, headers=headers)
        except httpx.HTTPError as exc:
            raise transport_error(exc, operation) from exc
        return RawResponse(response.status_code, response.headers, response.content)

    def get(self, url: str, headers: Mapping[str, str], operation: str) -> RawResponse:
        try:
            response = self._client.get(url, headers=headers)
        except httpx.HTTPError as exc:
            raise transport_error(exc, operation) from exc
        return RawResponse(response.status_code, response.headers, response.content)

    def send(
        self,
        url: str,
        content: bytes | Iterable[bytes],
        headers: Mapping[str, str],
        operation: str,
    ) -> RawResponse:
        """POST a body given whole or as chunks (uploads stream from disk)."""
        try:
            response = self._client.post(url, content=content, headers=headers)
        except httpx.HTTPError as exc:
            raise transport_error(exc, operation) from exc
        return RawResponse(response.status_code, response.headers, response.content)

    @contextmanager
    def stream(
        self, url: str, headers: Mapping[str, str], operation: str
    ) -> Iterator[httpx.Response]:
        """GET with the body unread: iterate ``response.iter_bytes()`` inside the block.

        httpx failures while connecting or reading become the SDK's transport errors.
        """
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                yield response
        except httpx.HTTPError as exc:
            raise transport_error(exc, operation) from exc

    def close(self) -> None:
        if self._owns_client:
            self._client.close()
