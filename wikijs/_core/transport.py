"""Transport-level facts shared by both clients: raw responses and httpx errors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from ..errors import (
    ConnectError,
    ConnectionLostError,
    RequestTimeoutError,
    TransportError,
    ValidationError,
    WikiJSError,
)


@dataclass(frozen=True, slots=True)
class RawResponse:
    """A complete HTTP answer, before any GraphQL interpretation."""

    status_code: int
    headers: Mapping[str, str]  # case-insensitive (httpx.Headers or aiohttp's CIMultiDict)
    content: bytes


def transport_error(exc: httpx.HTTPError, operation: str | None) -> WikiJSError:
    """Our error for an httpx failure; says whether the server may have seen it."""
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout)):
        return RequestTimeoutError(
            f"timed out before the request was sent ({detail})",
            operation=operation,
            request_sent=False,
        )
    if isinstance(exc, httpx.TimeoutException):
        return RequestTimeoutError(
            f"timed out waiting for the server ({detail})", operation=operation
        )
    if isinstance(exc, httpx.ConnectError):
        return ConnectError(f"cannot connect to the server ({detail})", operation=operation)
    if isinstance(
        exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError, httpx.CloseError)
    ):
        return ConnectionLostError(
            f"the connection broke during the request ({detail}); "
            "the server may or may not have applied it",
            operation=operation,
        )
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return ValidationError(f"invalid request URL ({detail})", operation=operation)
    return TransportError(f"HTTP transport failure ({detail})", operation=operation)
