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


def connection_lost(detail: str, operation: str | None) -> ConnectionLostError:
    """The connection broke after the request went out: it may have been applied."""
    return ConnectionLostError(
        f"the connection broke during the request ({detail}); "
        "the server may or may not have applied it",
        operation=operation,
    )


def endpoint(exc: BaseException) -> str | None:
    """``host:port`` a failed request was going to, when the exception says (httpx, aiohttp)."""
    host, port = getattr(exc, "host", None), getattr(exc, "port", None)  # aiohttp
    if not (isinstance(host, str) and isinstance(port, int)):
        try:
            url = exc.request.url  # type: ignore[attr-defined]  # httpx
        except (AttributeError, RuntimeError):  # httpx raises RuntimeError when unset
            return None
        host, port = url.host, url.port or {"https": 443, "http": 80}.get(url.scheme)
        if not host:
            return None
    host = f"[{host}]" if ":" in host else host
    return f"{host}:{port}" if port else host


def failure_error(exc: BaseException, operation: str | None, kinds: FailureKinds) -> WikiJSError:
    """Our error for an HTTP library's failure; says whether the server may have seen it."""
    detail = str(exc) or type(exc).__name__
    where = endpoint(exc) or "the server"
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
        return ValidationError(f"invalid request URL ({detail})", operation=operation)
    return TransportError(f"HTTP transport failure ({detail})", operation=operation)


_HTTPX_FAILURES = FailureKinds(
    unsent_timeout=(httpx.ConnectTimeout, httpx.PoolTimeout),
    timeout=(httpx.TimeoutException,),
    connect=(httpx.ConnectError,),
    lost=(httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError, httpx.CloseError),
    invalid_url=(httpx.UnsupportedProtocol, httpx.InvalidURL),
)


def transport_error(exc: httpx.HTTPError, operation: str | None) -> WikiJSError:
    """Our error for an httpx failure; says whether the server may have seen it."""
    return failure_error(exc, operation, _HTTPX_FAILURES)


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
