# Generated from wikijs/_async/transport.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""The one door to the network: every HTTP exchange is a Request sent through a transport.

GraphQL POSTs (one operation or a JSON array of them), ``/u`` uploads,
asset downloads and ``/healthz`` all go through
``Transport.send(request) -> Response``; the pipeline's middleware
chain (retry, circuit breaker, rate limiter, plugins) wraps that call, so
every exchange gets the same retries, limits and plugin events.

One implementation per HTTP library, each with one error mapping:

- **aiohttp** (``http_aiohttp.py``): the async client's transport;
- **httpx** (``http_httpx.py``): the sync client's, and the async client's
  when you pass it an ``httpx.Client`` or transport.

What does not depend on the library is written once and shared: the total
deadline (``wikijs/_deadline.py``), the caps on headers, body and
decompressed body, and the decoding of gzip/deflate
(``wikijs/_core/transport.py``).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Protocol

from .._backends import HTTP_BACKENDS
from .._config import ClientConfig
from .._constants import DEFAULT_DOWNLOAD_CHUNK
from .._core.transport import BodyReader, Request, ResponseHeaders
from .._deadline import check_deadline
from ..errors import ValidationError

if TYPE_CHECKING:
    from .._backends import HttpClient, HttpTransport


class Response:
    """One HTTP answer, read whole or (for ``Request(stream=True)``) streamed.

    Attributes:
        status_code: the HTTP status.
        headers: case-insensitive; secrets hidden from its repr.
        content: the decoded body of an answer read whole.
    """

    __slots__ = ("_chunks", "_close", "_reader", "content", "headers", "status_code")

    def __init__(
        self,
        status_code: int,
        headers: ResponseHeaders,
        content: bytes = b"",
        *,
        chunks: Callable[[int], Iterator[bytes]] | None = None,
        reader: Callable[[bool], BodyReader] | None = None,
        close: Callable[[], None] | None = None,
    ) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content
        self._chunks = chunks
        self._reader = reader
        self._close = close

    def iter_bytes(self, chunk_size: int = DEFAULT_DOWNLOAD_CHUNK) -> Iterator[bytes]:
        """The body as it arrives, decoded (gzip is undone in bounded steps)."""
        if self._chunks is None or self._reader is None:
            if self.content:
                yield self.content
            return
        reader = self._reader(False)
        for raw in self._chunks(chunk_size):
            for piece in reader.pieces(raw):
                yield piece
        tail = reader.finish()
        if tail:
            yield tail

    def read(self) -> bytes:
        """Read a streamed body whole, within the client's limits (an error's body)."""
        if self._chunks is None or self._reader is None:
            return self.content
        self.content = read_body(self._chunks(DEFAULT_DOWNLOAD_CHUNK), self._reader(True))
        return self.content

    def close(self) -> None:
        """Give the connection back (streamed answers; a no-op otherwise)."""
        close, self._close = self._close, None
        if close is not None:
            close()


def read_body(chunks: Iterator[bytes], reader: BodyReader) -> bytes:
    """A whole body, within the reader's limits and the exchange's deadline."""
    parts: list[bytes] = []
    for raw in chunks:
        piece = reader.feed(raw)
        if piece:
            parts.append(piece)
        check_deadline(None)
    tail = reader.finish()
    if tail:
        parts.append(tail)
    return parts[0] if len(parts) == 1 else b"".join(parts)


class Transport(Protocol):
    """The interface every HTTP exchange goes through (see the module docstring)."""

    def send(self, request: Request) -> Response:
        """Send ``request``; its answer read whole, or its head only when it streams.

        Raises the SDK's errors only: :class:`~wikijs.errors.TransportError`
        (and its subclasses) when no complete answer came,
        :class:`~wikijs.errors.ResponseTooLargeError` when it was over a limit.
        """
        ...

    def close(self) -> None: ...


def build_transport(
    config: ClientConfig,
    *,
    http_client: HttpClient | None = None,
    transport: HttpTransport | None = None,
    backend: str | None = None,
) -> Transport:
    """The client's transport, chosen by what it was given.

    httpx carries the requests when given an httpx client or transport (and
    always for the sync client); otherwise the async client sends through
    aiohttp: a session of its own, the ``aiohttp.ClientSession`` given, or
    one made by a zero-argument factory when first needed.

    ``backend`` is the deprecated ``http_backend=``: ``"httpx"`` still
    builds an httpx client; the other values mean the default.
    """
    if backend is not None:
        if backend not in HTTP_BACKENDS:
            raise ValidationError(
                f"http_backend must be one of {', '.join(map(repr, HTTP_BACKENDS))}, "
                f"not {backend!r}",
                field="http_backend",
            )
        warnings.warn(
            "http_backend= is deprecated and will be removed: the async client sends "
            "through aiohttp, the sync client through httpx; pass http_client= to send "
            "through a client of your own",
            DeprecationWarning,
            stacklevel=3,
        )
        if backend not in ("auto", "httpx") and (http_client is not None or transport is not None):
            raise ValidationError(
                f"http_backend={backend!r} cannot be combined with http_client= or transport=",
                field="http_backend",
            )
    from .http_httpx import HttpxTransport

    return HttpxTransport(config, http_client=http_client, transport=transport)
