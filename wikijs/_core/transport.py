"""Transport-level facts shared by both clients: raw responses and httpx errors."""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, get_args
from urllib.parse import urlsplit

import httpx

from .._config import ClientConfig
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


def environment_proxy(url: str) -> str | None:
    """The proxy that ``HTTP(S)_PROXY``/``ALL_PROXY`` (minus ``NO_PROXY``) set for ``url``."""
    from urllib.request import getproxies, proxy_bypass

    parts = urlsplit(url)
    proxies = getproxies()
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy or proxy_bypass(parts.netloc):
        return None
    return proxy


def choose_backend(config: ClientConfig, backend: str, allowed: Any, *, injected: bool) -> str:
    """Which backend carries GraphQL POSTs, given ``http_backend=`` and the client's kind.

    ``allowed`` is the client's ``Literal`` of choices. For the async client,
    ``"auto"`` is the SDK's own HTTP/1.1 path (``"builtin"``) unless the
    environment sets a proxy for the wiki (then aiohttp when installed, else
    httpx) or an httpx client or transport was passed in (then httpx). The
    sync client always uses httpx. Uploads and downloads always use httpx.
    """
    choices = get_args(allowed)
    if backend not in choices:
        raise ValidationError(
            f"http_backend must be one of {', '.join(map(repr, choices))}, not {backend!r}",
            field="http_backend",
        )
    if injected:
        if backend not in ("auto", "httpx"):
            raise ValidationError(
                f"http_backend={backend!r} cannot be combined with http_client= or transport=",
                field="http_backend",
            )
        return "httpx"
    aiohttp_installed = importlib.util.find_spec("aiohttp") is not None
    if backend == "aiohttp" and not aiohttp_installed:
        raise ValidationError(
            'http_backend="aiohttp" needs aiohttp: pip install "wikijs[aiohttp]"',
            field="http_backend",
        )
    if backend != "auto":
        return backend
    if "builtin" not in choices:
        return "httpx"
    if environment_proxy(config.base_url) is not None:
        return "aiohttp" if aiohttp_installed else "httpx"
    return "builtin"
