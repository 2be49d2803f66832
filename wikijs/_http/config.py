"""The clients' frozen configuration, normalised in one place."""

from __future__ import annotations

import math
import re
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final, Literal, Protocol, final
from urllib.parse import SplitResult, urlsplit

from .._constants import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_DEADLINE,
    DEFAULT_MAX_BODY_SIZE,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_DECOMPRESSED_SIZE,
    DEFAULT_MAX_HEADER_SIZE,
    DEFAULT_MAX_KEEPALIVE,
    DEFAULT_TIMEOUT,
    DEFAULT_USER_AGENT,
)
from .._facts import GRAPHQL_PATH
from ..errors import ArgumentTypeError, InvalidArgumentError


class TimeoutParts(Protocol):
    """Per-phase timeouts, as an ``httpx.Timeout`` or a :class:`Timeout` carries them."""

    @property
    def connect(self) -> float | None: ...
    @property
    def read(self) -> float | None: ...
    @property
    def write(self) -> float | None: ...
    @property
    def pool(self) -> float | None: ...


@dataclass(frozen=True, slots=True)
class Timeout:
    """The seconds each phase of a request may take (``None``: no limit).

    ``timeout=`` takes a number (every phase, connecting at most
    ``DEFAULT_CONNECT_TIMEOUT``), an ``httpx.Timeout`` or one of these.
    """

    connect: float | None
    read: float | None
    write: float | None
    pool: float | None


TimeoutLike = float | int | TimeoutParts | None
VerifyLike = bool | str | ssl.SSLContext


# A URL carries no whitespace or control characters anywhere.
_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f]")
# RFC 9110 token characters for header names; values are visible ASCII, space and tab.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")


def check_http_url(url: Any, field: str = "url") -> SplitResult:
    """An absolute http(s) URL that every HTTP library will accept, split.

    Raises:
        ValidationError: not a string, not http(s), no host, whitespace or
            control characters, an invalid port or host name.
    """
    if not isinstance(url, str):
        raise ArgumentTypeError(
            f"{field} must be an http(s) URL as a string, not {type(url).__name__}", field=field
        )
    if not url.strip():
        raise InvalidArgumentError(
            f"{field} must be an http(s) URL, e.g. https://wiki.example.com", field=field
        )
    url = url.strip()
    if _UNSAFE_IN_URL.search(url):
        raise InvalidArgumentError(
            f"{field} {url!r} contains whitespace or control characters", field=field
        )
    try:
        parts: SplitResult = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidArgumentError(
            f"{field} {url!r} is not a valid URL ({exc})", field=field
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidArgumentError(
            f"{field} {url!r} must start with http:// or https:// and name a host", field=field
        )
    host = parts.hostname
    if ":" not in host:  # an IPv6 literal needs no IDNA
        try:
            host.encode("idna")
        except UnicodeError as exc:
            raise InvalidArgumentError(
                f"{field} {url!r} has an invalid host name ({exc})", field=field
            ) from None
    if port == 0:
        raise InvalidArgumentError(f"{field} {url!r} has an invalid port", field=field)
    return parts


def normalize_base_url(url: Any) -> str:
    """``https://wiki.example.com/`` or ``…/graphql`` → ``https://wiki.example.com``.

    Raises:
        ValidationError: see :func:`check_http_url`; also credentials, a
            query or a fragment.
    """
    parts = check_http_url(url)
    if parts.username or parts.password:
        raise InvalidArgumentError("put credentials in auth=, not in the URL", field="url")
    if parts.query or parts.fragment or url.strip().endswith(("?", "#")):
        raise InvalidArgumentError(
            f"url {url!r} cannot have a query string or fragment", field="url"
        )
    path = parts.path.rstrip("/")
    if path.endswith(GRAPHQL_PATH):
        path = path[: -len(GRAPHQL_PATH)]
    return f"{parts.scheme}://{parts.netloc}{path}"


def check_header(name: Any, value: Any, field: str = "headers") -> None:
    """A header name must be a token; a value visible ASCII (no line breaks)."""
    if not isinstance(name, str) or not isinstance(value, str):
        raise ArgumentTypeError(f"{field} must map strings to strings", field=field)
    if not _TOKEN.fullmatch(name):
        raise InvalidArgumentError(f"{field}: {name!r} is not a valid header name", field=field)
    if not _HEADER_VALUE.fullmatch(value):
        raise InvalidArgumentError(
            f"{field}: the value of {name!r} must be printable ASCII without line breaks",
            field=field,
        )


def _seconds(value: Any) -> bool:
    return (
        not isinstance(value, bool)
        and isinstance(value, (int, float))
        and math.isfinite(value)
        and value > 0
    )


def build_timeout(timeout: TimeoutLike) -> Timeout:
    if timeout is None:
        return Timeout(None, None, None, None)
    if isinstance(timeout, (int, float)) and not isinstance(timeout, bool):
        if not _seconds(timeout):
            raise InvalidArgumentError(
                f"timeout must be a positive number of seconds, not {timeout!r}", field="timeout"
            )
        seconds = float(timeout)
        return Timeout(min(seconds, DEFAULT_CONNECT_TIMEOUT), seconds, seconds, seconds)
    parts: tuple[Any, ...] = tuple(
        getattr(timeout, name, _MISSING) for name in ("connect", "read", "write", "pool")
    )
    if _MISSING in parts:
        raise ArgumentTypeError(
            f"timeout must be a number of seconds, None or an httpx.Timeout, not {timeout!r}",
            field="timeout",
        )
    for part in parts:
        if part is not None and not _seconds(part):
            raise InvalidArgumentError(
                f"timeout parts must be positive numbers of seconds, not {part!r}",
                field="timeout",
            )
    return Timeout(*(None if part is None else float(part) for part in parts))


_MISSING = object()


def build_deadline(deadline: Any, timeout: Timeout) -> float | None:
    """``deadline=``, or by default four read timeouts (at least DEFAULT_DEADLINE)."""
    if isinstance(deadline, NotGiven):
        if timeout.read is None:
            return None
        return max(DEFAULT_DEADLINE, 4 * timeout.read)
    if deadline is None:
        return None
    if not _seconds(deadline):
        error = (
            ArgumentTypeError if not isinstance(deadline, (int, float)) else InvalidArgumentError
        )
        raise error(
            f"deadline must be a positive number of seconds or None, not {deadline!r}",
            field="deadline",
        )
    return float(deadline)


@final
class NotGiven:
    """The type of :data:`NOT_GIVEN`: an argument left out, told apart from ``None``.

    ``deadline=None`` means "no deadline"; leaving ``deadline`` out means
    "the default". Signatures say ``float | None | NotGiven``, so a type
    checker still refuses a wrong default.
    """

    _instance: ClassVar[NotGiven | None] = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


#: Tells "not given" from ``None`` in keyword arguments.
NOT_GIVEN: Final = NotGiven()


@dataclass(frozen=True)
class ResponseLimits:
    """How much of one answer the client reads before giving up.

    An answer over a limit ends in :class:`~wikijs.errors.ResponseTooLargeError`
    after no more than the limit was held in memory: a gzip bomb stops at
    ``max_decompressed_size``, a flood of headers at ``max_header_size``.
    Streamed downloads (``assets.download``) are written out as they arrive
    and are bound by neither body limit.

    Example::

        from wikijs import ResponseLimits, WikiJSClient

        client = WikiJSClient(url, auth=api_key,
                              response_limits=ResponseLimits(max_body_size=8 * 1024 * 1024))

    Args:
        max_header_size: bytes of the status line and headers (64 KiB).
        max_body_size: bytes of the body as it arrives on the wire (64 MiB).
        max_decompressed_size: bytes of the body once gzip or deflate is
            undone (256 MiB).
    """

    max_header_size: int = DEFAULT_MAX_HEADER_SIZE
    max_body_size: int = DEFAULT_MAX_BODY_SIZE
    max_decompressed_size: int = DEFAULT_MAX_DECOMPRESSED_SIZE

    def __post_init__(self) -> None:
        for name in ("max_header_size", "max_body_size", "max_decompressed_size"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidArgumentError(
                    f"{name} must be a positive number of bytes, not {value!r}", field=name
                )


@dataclass(frozen=True)
class ClientConfig:
    """Settings shared by the sync and async clients.

    Built by :func:`build_config` from the client's keyword arguments; see
    :class:`wikijs.WikiJSClient` for what each means.
    """

    base_url: str
    timeout: Timeout = field(default_factory=lambda: build_timeout(DEFAULT_TIMEOUT))
    verify: VerifyLike = True
    headers: Mapping[str, str] = field(default_factory=dict)
    user_agent: str = DEFAULT_USER_AGENT
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    max_keepalive_connections: int = DEFAULT_MAX_KEEPALIVE
    limits: ResponseLimits = field(default_factory=ResponseLimits)
    deadline: float | None = DEFAULT_DEADLINE

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
            "Accept-Encoding": "gzip, deflate",  # what BodyReader undoes
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
    deadline: float | None | NotGiven = NOT_GIVEN,
    response_limits: ResponseLimits | None = None,
) -> ClientConfig:
    """Validate and normalise client settings."""
    extra: dict[str, str] = {}
    if headers is not None and not isinstance(headers, Mapping):
        raise ArgumentTypeError("headers must map strings to strings", field="headers")
    for name, value in (headers or {}).items():
        check_header(name, value)
        if name.lower() in ("authorization", "cookie"):
            raise InvalidArgumentError(
                f"pass credentials with auth=, not in a {name!r} header", field="headers"
            )
        extra[name] = value
    if isinstance(max_connections, bool) or not isinstance(max_connections, int):
        raise ArgumentTypeError(
            "max_connections must be a positive integer", field="max_connections"
        )
    if max_connections < 1:
        raise InvalidArgumentError(
            "max_connections must be a positive integer", field="max_connections"
        )
    if user_agent is not None:
        check_header("User-Agent", user_agent, "user_agent")
    if not isinstance(verify, (bool, str, ssl.SSLContext)):
        raise ArgumentTypeError(
            "verify must be True, False, a CA bundle path or an ssl.SSLContext", field="verify"
        )
    if response_limits is not None and not isinstance(response_limits, ResponseLimits):
        raise ArgumentTypeError(
            "response_limits must be a wikijs.ResponseLimits", field="response_limits"
        )
    built = build_timeout(timeout)
    return ClientConfig(
        base_url=normalize_base_url(url),
        timeout=built,
        verify=verify,
        headers=extra,
        user_agent=user_agent or DEFAULT_USER_AGENT,
        max_connections=max_connections,
        max_keepalive_connections=min(DEFAULT_MAX_KEEPALIVE, max_connections),
        limits=response_limits or ResponseLimits(),
        deadline=build_deadline(deadline, built),
    )
