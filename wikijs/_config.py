"""The clients' frozen configuration, normalised in one place."""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from ._constants import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_KEEPALIVE,
    DEFAULT_TIMEOUT,
    DEFAULT_USER_AGENT,
    GRAPHQL_PATH,
)
from .errors import ValidationError

TimeoutLike = float | int | httpx.Timeout | None
VerifyLike = bool | str | ssl.SSLContext


def normalize_base_url(url: Any) -> str:
    """``https://wiki.example.com/`` or ``…/graphql`` → ``https://wiki.example.com``."""
    if not isinstance(url, str) or not url.strip():
        raise ValidationError(
            "url must be the wiki's base URL, e.g. https://wiki.example.com", field="url"
        )
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(
            f"url {url!r} must start with http:// or https:// and name a host", field="url"
        )
    if parts.username or parts.password:
        raise ValidationError("put credentials in auth=, not in the URL", field="url")
    if parts.query or parts.fragment:
        raise ValidationError(f"url {url!r} cannot have a query string or fragment", field="url")
    path = parts.path.rstrip("/")
    if path.endswith(GRAPHQL_PATH):
        path = path[: -len(GRAPHQL_PATH)]
    return f"{parts.scheme}://{parts.netloc}{path}"


def build_timeout(timeout: TimeoutLike) -> httpx.Timeout:
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if timeout is None:
        return httpx.Timeout(None)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise ValidationError(
            f"timeout must be a positive number of seconds, not {timeout!r}", field="timeout"
        )
    return httpx.Timeout(float(timeout), connect=min(float(timeout), DEFAULT_CONNECT_TIMEOUT))


@dataclass(frozen=True)
class ClientConfig:
    """Settings shared by the sync and async clients.

    Built by :func:`build_config` from the client's keyword arguments; see
    :class:`wikijs.WikiJSClient` for what each means.
    """

    base_url: str
    timeout: httpx.Timeout = field(default_factory=lambda: build_timeout(DEFAULT_TIMEOUT))
    verify: VerifyLike = True
    headers: Mapping[str, str] = field(default_factory=dict)
    user_agent: str = DEFAULT_USER_AGENT
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    max_keepalive_connections: int = DEFAULT_MAX_KEEPALIVE

    @property
    def graphql_url(self) -> str:
        return self.base_url + GRAPHQL_PATH

    def url(self, path: str) -> str:
        return self.base_url + path

    def request_headers(self) -> dict[str, str]:
        """Headers every GraphQL request carries (before Authorization)."""
        return {
            **self.headers,
            "User-Agent": self.user_agent,
            "Accept": "application/json",
            # Exactly this value: with `; charset=utf-8` Wiki.js puts renewed
            # tokens in a cookie instead of the `new-jwt` header.
            "Content-Type": "application/json",
        }


def build_config(
    url: Any,
    *,
    timeout: TimeoutLike = DEFAULT_TIMEOUT,
    verify: VerifyLike = True,
    headers: Mapping[str, str] | None = None,
    user_agent: str | None = None,
    max_connections: int = DEFAULT_MAX_CONNECTIONS,
) -> ClientConfig:
    """Validate and normalise client settings."""
    extra: dict[str, str] = {}
    for name, value in (headers or {}).items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise ValidationError("headers must map strings to strings", field="headers")
        if name.lower() in ("authorization", "cookie"):
            raise ValidationError(
                f"pass credentials with auth=, not in a {name!r} header", field="headers"
            )
        extra[name] = value
    if (
        isinstance(max_connections, bool)
        or not isinstance(max_connections, int)
        or max_connections < 1
    ):
        raise ValidationError("max_connections must be a positive integer", field="max_connections")
    return ClientConfig(
        base_url=normalize_base_url(url),
        timeout=build_timeout(timeout),
        verify=verify,
        headers=extra,
        user_agent=user_agent or DEFAULT_USER_AGENT,
        max_connections=max_connections,
        max_keepalive_connections=min(DEFAULT_MAX_KEEPALIVE, max_connections),
    )
