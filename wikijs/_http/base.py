"""What every HTTP exchange shares, whatever library carries it. No I/O, no library.

- :class:`Request`: the one request shape (GraphQL POSTs and JSON-array
  batches, ``/u`` uploads, asset downloads, ``/healthz``);
- :class:`ResponseHeaders`: case-insensitive, the cap on a header block, and
  secrets kept out of its repr;
- :class:`BodyReader`: the caps on a body, on the wire and decompressed,
  with gzip/deflate undone in bounded steps (a gzip bomb stops at the cap);
- :class:`FailureKinds` / :func:`failure_error`: one library's exceptions
  mapped to the SDK's errors, saying whether the server may have seen the
  request;
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import (
    ConnectError,
    ConnectionLostError,
    InvalidArgumentError,
    RequestTimeoutError,
    ResponseError,
    ResponseTooLargeError,
    TransportError,
    WikiJSError,
)
from .config import ResponseLimits

#: What the SDK asks servers to compress with: what :class:`BodyReader` undoes.
ACCEPT_ENCODING = "gzip, deflate"


@dataclass(frozen=True, slots=True)
class Request:
    """One HTTP request, as every transport takes it.

    Attributes:
        method: ``"POST"`` or ``"GET"``.
        url: the absolute URL.
        headers: the request headers (credentials included; never logged).
        body: ``bytes``, or an iterable of chunks (an async iterable for the
            async client) for a streamed upload.
        operation: the name errors carry (``GetPage``, ``UploadAsset``).
        stream: leave the answer's body unread (downloads): the transport
            returns once the head has arrived, and the caller iterates.
    """

    method: str
    url: str
    headers: Mapping[str, str]
    body: Any = b""
    operation: str = ""
    stream: bool = False


# Response headers that carry credentials (a renewed token, session cookies).
_SECRET_HEADERS = frozenset({"new-jwt", "set-cookie"})


class ResponseHeaders(Mapping[str, str]):
    """An answer's headers, looked up case-insensitively (repeats joined by ``, ``).

    Built from the raw header lines both libraries expose, so the two
    transports answer with the same type; its repr hides the values of
    headers that carry credentials.
    """

    __slots__ = ("_headers",)

    def __init__(self, headers: Mapping[str, str]) -> None:
        self._headers = {name.lower(): value for name, value in headers.items()}

    @classmethod
    def from_raw(
        cls,
        raw: Iterable[tuple[bytes, bytes]],
        limits: ResponseLimits,
        operation: str | None,
        status_code: int | None = None,
    ) -> ResponseHeaders:
        """Read raw header lines, refusing a block over ``limits.max_header_size``.

        The HTTP libraries bound what they parse (h11 at 100 KiB, aiohttp at
        16 KiB a line and 128 lines); this applies the client's own limit.
        """
        items: dict[str, str] = {}
        size = 0
        for raw_name, raw_value in raw:
            size += len(raw_name) + len(raw_value) + 4
            name = raw_name.decode("latin-1").lower()
            value = raw_value.decode("latin-1")
            items[name] = f"{items[name]}, {value}" if name in items else value
        if size > limits.max_header_size:
            raise too_large("max_header_size", limits.max_header_size, operation, status_code)
        headers = cls.__new__(cls)
        headers._headers = items
        return headers

    def __getitem__(self, name: str) -> str:
        return self._headers[name.lower()]

    def get(self, name: str, default: Any = None) -> Any:
        return self._headers.get(name.lower(), default)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._headers

    def __iter__(self) -> Iterator[str]:
        return iter(self._headers)

    def __len__(self) -> int:
        return len(self._headers)

    def __repr__(self) -> str:
        shown = {
            name: ("***" if name.lower() in _SECRET_HEADERS else value)
            for name, value in self._headers.items()
        }
        return f"ResponseHeaders({shown!r})"


def too_large(
    limit: str, size: int, operation: str | None, status_code: int | None = None
) -> ResponseTooLargeError:
    what = {
        "max_header_size": "headers",
        "max_body_size": "body",
        "max_decompressed_size": "decompressed body",
    }[limit]
    return ResponseTooLargeError(
        f"the answer's {what} exceeded {limit}={size} bytes; it was not read further",
        operation=operation,
        status_code=status_code,
        limit=limit,
        size=size,
    )


class _Inflater:
    """gzip or deflate, undone at most ``step`` bytes at a time."""

    def __init__(self, encoding: str) -> None:
        self._deflate = encoding == "deflate"
        wbits = zlib.MAX_WBITS if self._deflate else 16 + zlib.MAX_WBITS
        self._zlib = zlib.decompressobj(wbits)

    def feed(self, data: bytes, step: int) -> Iterator[bytes]:
        pending = data
        while pending:
            try:
                piece = self._zlib.decompress(pending, step)
            except zlib.error:
                if not self._deflate:
                    raise
                # "deflate" is zlib-wrapped by the RFC, but raw from some servers.
                self._deflate = False
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            self._deflate = False
            pending = self._zlib.unconsumed_tail
            if piece:
                yield piece

    def flush(self) -> bytes:
        return self._zlib.flush()


class BodyReader:
    """Reads one body within the client's limits, undoing gzip/deflate as it goes.

    ``feed`` takes the bytes as they arrive and returns the decoded bytes;
    ``finish`` returns whatever remains. Raises :class:`ResponseTooLargeError`
    as soon as the raw or the decoded size passes its limit, having held no
    more than the limit (plus one step) in memory: a gzip bomb is stopped
    after ``max_decompressed_size`` bytes, not after it has filled memory.
    ``limited=False`` (streamed downloads) only decodes, in bounded steps.
    """

    STEP = 256 * 1024

    def __init__(
        self,
        limits: ResponseLimits,
        encoding: str | None,
        operation: str | None,
        *,
        status_code: int | None = None,
        limited: bool = True,
    ) -> None:
        self._limits = limits
        self._operation = operation
        self._status = status_code
        self._limited = limited
        self._raw = 0
        self._decoded = 0
        coding = (encoding or "").strip().lower()
        if coding in ("", "identity"):
            self._inflater: _Inflater | None = None
        elif coding in ("gzip", "x-gzip", "deflate"):
            self._inflater = _Inflater(coding)
        else:
            raise ResponseError(
                f"the server compressed its answer with {encoding!r}, which was not asked for",
                operation=operation,
                status_code=status_code,
            )

    def check_length(self, declared: str | None) -> None:
        """Refuse at once a body whose ``Content-Length`` is over the limit."""
        if (
            self._limited
            and declared
            and declared.isdigit()
            and int(declared) > self._limits.max_body_size
        ):
            raise too_large(
                "max_body_size", self._limits.max_body_size, self._operation, self._status
            )

    def _count(self, piece: bytes) -> bytes:
        self._decoded += len(piece)
        if self._limited and self._decoded > self._limits.max_decompressed_size:
            raise too_large(
                "max_decompressed_size",
                self._limits.max_decompressed_size,
                self._operation,
                self._status,
            )
        return piece

    def feed(self, data: bytes) -> bytes:
        """The decoded bytes of ``data``, joined (a body read whole, within its limits)."""
        pieces = list(self.pieces(data))
        if not pieces:
            return b""
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)

    def pieces(self, data: bytes) -> Iterator[bytes]:
        """The decoded bytes of ``data``, at most :attr:`STEP` bytes at a time.

        What a streamed download reads: a few kilobytes of gzip can stand for
        hundreds of megabytes (Wiki.js compresses assets it serves), which
        must reach the file piece by piece, never joined in memory.
        """
        self._raw += len(data)
        if self._limited and self._raw > self._limits.max_body_size:
            raise too_large(
                "max_body_size", self._limits.max_body_size, self._operation, self._status
            )
        if self._inflater is None:
            if data:
                yield data
            return
        step = min(self.STEP, self._limits.max_decompressed_size + 1)
        try:
            for piece in self._inflater.feed(data, step):
                yield self._count(piece)
        except zlib.error as exc:
            raise self.corrupt(exc) from None

    def finish(self) -> bytes:
        if self._inflater is None:
            return b""
        try:
            return self._count(self._inflater.flush())
        except zlib.error as exc:
            raise self.corrupt(exc) from None

    def corrupt(self, exc: zlib.error) -> ResponseError:
        return ResponseError(
            f"the server's compressed answer is corrupt ({exc})",
            operation=self._operation,
            status_code=self._status,
        )


# -- failures -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FailureKinds:
    """One HTTP library's exceptions, grouped by what they say about the request.

    Checked in this order, so a subclass listed in an earlier group wins.
    """

    unsent_timeout: tuple[type[BaseException], ...]  # before the request went out
    timeout: tuple[type[BaseException], ...]  # waiting for the answer
    connect: tuple[type[BaseException], ...]  # the connection never opened
    lost: tuple[type[BaseException], ...]  # broke after the request went out
    invalid_url: tuple[type[BaseException], ...]
    #: ``(host, port)`` the failed request was going to, if the exception says.
    endpoint: Callable[[BaseException], tuple[str, int | None] | None] = lambda exc: None


def connection_lost(detail: str, operation: str | None) -> ConnectionLostError:
    """The connection broke after the request went out: it may have been applied."""
    return ConnectionLostError(
        f"the connection broke during the request ({detail}); "
        "the server may or may not have applied it",
        operation=operation,
    )


def _where(exc: BaseException, kinds: FailureKinds) -> str:
    host_port = kinds.endpoint(exc)
    if host_port is None:
        return "the server"
    host, port = host_port
    host = f"[{host}]" if ":" in host else host
    return f"{host}:{port}" if port else host


def failure_error(exc: BaseException, operation: str | None, kinds: FailureKinds) -> WikiJSError:
    """Our error for an HTTP library's failure; says whether the server may have seen it."""
    detail = str(exc) or type(exc).__name__
    where = _where(exc, kinds)
    if isinstance(exc, kinds.unsent_timeout):
        return RequestTimeoutError(
            f"timed out before the request was sent to {where} ({detail})",
            operation=operation,
            request_sent=False,
        )
    if isinstance(exc, kinds.timeout):
        return RequestTimeoutError(
            f"timed out waiting for the server ({detail})", operation=operation
        )
    if isinstance(exc, kinds.connect):
        return ConnectError(f"cannot connect to {where} ({detail})", operation=operation)
    if isinstance(exc, kinds.lost):
        return connection_lost(detail, operation)
    if isinstance(exc, kinds.invalid_url):
        return InvalidArgumentError(f"invalid request URL ({detail})", operation=operation)
    return TransportError(f"HTTP transport failure ({detail})", operation=operation)
