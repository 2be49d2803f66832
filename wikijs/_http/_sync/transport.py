# Generated from wikijs/_http/_async/transport.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""The one door to the network: every HTTP exchange is a Request sent through a transport.

GraphQL POSTs (one operation or a JSON array of them), ``/u`` uploads,
asset downloads and ``/healthz`` all go through
``Transport.send(request) -> Response``; the pipeline's middleware
chain (retry, circuit breaker, rate limiter, plugins) wraps that call, so
every exchange gets the same retries, limits and plugin events.

:class:`Exchange` is the whole exchange, written once: the deadline,
the header cap, the common answer read whole, streamed and compressed
bodies within their caps, giving the connection back. A backend supplies
only the calls of its library (open, head, read, chunks, release, one error
mapping):

- **aiohttp** (``aiohttp.py``): the async client's transport;
- **httpx** (``httpx.py``): the sync client's, and the async client's when
  you pass it an ``httpx.Client`` or transport.
"""

from __future__ import annotations

import warnings
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, Protocol, TypeVar

from ..._constants import DEFAULT_DOWNLOAD_CHUNK
from ...errors import InvalidArgumentError, WikiJSError
from ..base import ACCEPT_ENCODING, BodyReader, Request, ResponseHeaders
from ..config import ClientConfig
from ..deadline import Deadline, check_deadline
from ..types import HTTP_BACKENDS, HttpClient, HttpTransport

#: One library's answer object (``aiohttp.ClientResponse``, ``httpx.Response``).
R = TypeVar("R")


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


class Exchange(ABC, Generic[R]):
    """One HTTP exchange, whatever the library: what both backends share.

    :meth:`send` bounds the exchange by the deadline, reads the head within
    the header cap, and then either reads the common answer (its length
    known, not compressed) in one call, or reads a compressed or
    unknown-length body through :class:`BodyReader` within the body caps,
    or hands a streamed answer to the caller. A backend implements the
    abstract methods with its library's calls, each turning that library's
    failures into the SDK's errors through its one mapping (:meth:`error`).
    """

    def __init__(self, config: ClientConfig) -> None:
        self._config = config
        self._limits = config.limits
        self._deadline = Deadline(config.deadline)

    # -- what a backend supplies ------------------------------------------------------

    @abstractmethod
    def open(self, request: Request, headers: dict[str, str]) -> R:
        """Send the request; return once the answer's head has arrived."""

    @abstractmethod
    def head(self, response: R) -> tuple[int, Iterable[tuple[bytes, bytes]]]:
        """The status and the raw header lines."""

    @abstractmethod
    def read(self, request: Request, response: R) -> bytes:
        """The rest of a body whose length is known and within the limit, as sent."""

    @abstractmethod
    def chunks(self, request: Request, response: R, size: int) -> Iterator[bytes]:
        """The body as sent (still compressed), at most ``size`` bytes at a time."""

    @abstractmethod
    def release(self, response: R) -> None:
        """Give the connection back once the body has been read."""

    @abstractmethod
    def discard(self, response: R) -> None:
        """Close the connection of an answer that was not read to its end."""

    @abstractmethod
    def error(self, exc: BaseException, request: Request) -> WikiJSError:
        """The SDK's error for one of the library's exceptions (the one mapping)."""

    def prefetched(self, response: R) -> bytes | None:
        """The body, if whoever made the answer has already read it (a mock)."""
        return None

    def headers_for(self, request: Request) -> dict[str, str]:
        """The headers sent: the request's, with the encodings the SDK can undo."""
        headers = dict(request.headers)
        headers.setdefault("Accept-Encoding", ACCEPT_ENCODING)
        return headers

    # -- the exchange -----------------------------------------------------------------

    def send(self, request: Request) -> Response:
        headers = self.headers_for(request)
        deadline = self._deadline
        watch = deadline.start()
        try:
            response = self.open(request, headers)
            try:
                answer = self._answer(request, response)
            except BaseException:
                self.discard(response)
                raise
        except BaseException as exc:
            if (error := deadline.stop(watch, exc, request.operation)) is not None:
                raise error from None
            raise
        deadline.stop(watch, None, request.operation)
        return answer

    def _answer(self, request: Request, response: R) -> Response:
        status, raw_headers = self.head(response)
        limits = self._limits
        operation = request.operation
        headers = ResponseHeaders.from_raw(raw_headers, limits, operation, status)
        encoding = headers.get("content-encoding")
        length = headers.get("content-length")
        content = self.prefetched(response)
        if content is not None:
            BodyReader(limits, None, operation, status_code=status).check_length(str(len(content)))
            return Response(status, headers, content)
        if request.stream or encoding is not None or length is None:
            return self._stream_or_read(request, response, status, headers, encoding)
        # The common answer: its length is known; read it whole if within the limit.
        if len(length) > 18 or not length.isdigit() or int(length) > limits.max_body_size:
            BodyReader(limits, None, operation, status_code=status).check_length(length)
        content = self.read(request, response)
        self.release(response)
        return Response(status, headers, content)

    def _stream_or_read(
        self,
        request: Request,
        response: R,
        status: int,
        headers: ResponseHeaders,
        encoding: str | None,
    ) -> Response:
        limits = self._limits

        def reader(limited: bool) -> BodyReader:
            return BodyReader(
                limits, encoding, request.operation, status_code=status, limited=limited
            )

        def chunks(size: int) -> Iterator[bytes]:
            return self.chunks(request, response, size)

        if request.stream:

            def close() -> None:
                self.release(response)

            return Response(status, headers, chunks=chunks, reader=reader, close=close)
        body_reader = reader(True)
        body_reader.check_length(headers.get("content-length"))
        content = read_body(chunks(BodyReader.STEP), body_reader)
        self.release(response)
        return Response(status, headers, content)


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
        if backend not in HTTP_BACKENDS and backend != "builtin":  # removed in 0.2
            raise InvalidArgumentError(
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
            raise InvalidArgumentError(
                f"http_backend={backend!r} cannot be combined with http_client= or transport=",
                field="http_backend",
            )
    from .httpx import HttpxTransport

    return HttpxTransport(config, http_client=http_client, transport=transport)
