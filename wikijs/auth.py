"""Credentials: API keys, user logins (JWT) or none at all (Guest).

Wiki.js takes ``Authorization: Bearer <token>``, where the token is an API
key or a user JWT. Pass either to a client::

    WikiJSClient(url, auth="API-KEY")                       # same as APIKeyAuth
    WikiJSClient(url, auth=APIKeyAuth("API-KEY"))
    WikiJSClient(url, auth=JWTAuth("me@example.com", "password"))
    WikiJSClient(url, auth=None)                            # the Guest user

``JWTAuth`` logs in on first use, follows the renewed tokens the server
sends in the ``new-jwt`` header, and logs in again once its token is past
renewal. Wiki.js never answers 401: a bad token silently acts as Guest. The
clients therefore check who an API key acts as before its first request and
turn a Guest answer into :class:`~wikijs.errors.AuthenticationError`.

The objects here hold state only; the clients do the I/O.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import threading
import time
from collections.abc import Callable
from typing import Any

import orjson

from ._constants import JWT_RELOGIN_MARGIN
from ._facts import JWT_RENEWAL_WINDOW
from .errors import ArgumentTypeError, InvalidArgumentError

__all__ = ["APIKeyAuth", "Auth", "AuthLike", "JWTAuth", "build_auth"]


class Auth:
    """Base of the credential types. Never shows its secret in ``repr``."""

    #: whether the clients verify, before the first request, that the server
    #: does not treat these credentials as Guest
    verify_identity: bool = False

    def bearer_token(self) -> str | None:
        """The token to send now, or ``None`` when a login is needed first."""
        raise NotImplementedError

    def cache_identity(self) -> str:
        """Who the requests run as, for cache keys: never the credential itself."""
        raise NotImplementedError

    def authorization_header(self) -> dict[str, str]:
        token = self.bearer_token()
        return {"Authorization": f"Bearer {token}"} if token else {}


class _GuestAuth(Auth):
    def bearer_token(self) -> str | None:
        return None

    def cache_identity(self) -> str:
        return "guest"

    def __repr__(self) -> str:
        return "GuestAuth()"


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


class APIKeyAuth(Auth):
    """An API key created in Wiki.js's administration area (or ``authentication.createApiKey``).

    Args:
        key: the key.
        verify: check once, before the first request, that the server accepts
            the key (a garbage or foreign key otherwise reads as Guest).

    Example::

        client = WikiJSClient("https://wiki.example.com", auth=APIKeyAuth(os.environ["WIKIJS_KEY"]))
    """

    def __init__(self, key: str, *, verify: bool = True) -> None:
        if not isinstance(key, str):
            raise ArgumentTypeError("an API key must be a non-empty string", field="auth")
        if not key.strip():
            raise InvalidArgumentError("an API key must be a non-empty string", field="auth")
        if any(ch.isspace() for ch in key.strip()) or "\x00" in key:
            raise InvalidArgumentError("an API key cannot contain whitespace", field="auth")
        if not (key.isascii() and key.strip().isprintable()):
            raise InvalidArgumentError(
                "an API key is printable ASCII (it travels in a header)", field="auth"
            )
        self._key = key.strip()
        self.verify_identity = verify
        # computed once: every cached call asks for it
        self._identity = "key:" + _fingerprint("api-key", self._key)

    def bearer_token(self) -> str | None:
        return self._key

    def cache_identity(self) -> str:
        return self._identity

    def __repr__(self) -> str:
        return "APIKeyAuth(key='<redacted>')"


def _jwt_expiry(token: str) -> float | None:
    """The ``exp`` claim of a JWT, read without verifying it (the server does)."""
    try:
        payload = token.split(".")[1]
        payload += "=" * (-len(payload) % 4)
        claims = orjson.loads(base64.urlsafe_b64decode(payload))
    except (IndexError, ValueError, binascii.Error, orjson.JSONDecodeError):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    return float(exp) if isinstance(exp, (int, float)) and not isinstance(exp, bool) else None


class JWTAuth(Auth):
    """Log in as a user and keep the session's JWT fresh.

    The login happens on the first request. Wiki.js user tokens live 30
    minutes; the server renews them through the ``new-jwt`` response header
    for 14 days past expiry, and this object switches to each renewed token.
    A token too old to renew is replaced by logging in again.

    Args:
        username: the login name (an email address for the local strategy).
        password: the password; kept in memory only, never shown.
        strategy: the authentication strategy key, ``"local"`` by default.
        clock: seconds since the epoch; injectable for tests.

    Example::

        async with AsyncWikiJSClient(url, auth=JWTAuth("me@example.com", "pw")) as client:
            page = await client.pages.get_by_path("docs/start")
    """

    def __init__(
        self,
        username: str,
        password: str,
        strategy: str = "local",
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not isinstance(username, str) or not username.strip():
            raise InvalidArgumentError("username must be a non-empty string", field="username")
        if not isinstance(password, str) or not password:
            raise InvalidArgumentError("password must be a non-empty string", field="password")
        if not isinstance(strategy, str) or not strategy:
            raise InvalidArgumentError("strategy must be a non-empty string", field="strategy")
        self.username: str = username.strip()
        self._password = password
        self.strategy = strategy
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires_at: float | None = None
        #: how many times this object logged in (for tests and diagnostics)
        self.login_count: int = 0
        self._identity: tuple[tuple[str, str], str] | None = None

    def login_variables(self) -> dict[str, Any]:
        """Variables for the ``Login`` mutation."""
        return {"username": self.username, "password": self._password, "strategy": self.strategy}

    def bearer_token(self) -> str | None:
        with self._lock:
            if self._token is None:
                return None
            if self._expires_at is not None:
                usable_until = self._expires_at + JWT_RENEWAL_WINDOW - JWT_RELOGIN_MARGIN
                if self._clock() >= usable_until:
                    self._token = None
                    return None
            return self._token

    def set_token(self, token: str, *, from_login: bool = False) -> None:
        """Switch to a token from a login or a ``new-jwt`` header."""
        if not token:
            return
        with self._lock:
            self._token = token
            self._expires_at = _jwt_expiry(token)
            if from_login:
                self.login_count += 1

    def forget_token(self, token: str | None = None) -> None:
        """Drop the token (only if it is still ``token``, when given) to force a login."""
        with self._lock:
            if token is None or token == self._token:
                self._token = None
                self._expires_at = None

    @property
    def expires_at(self) -> float | None:
        """When the current token expires (epoch seconds), if known."""
        return self._expires_at

    def cache_identity(self) -> str:
        who = (self.strategy, self.username.lower())
        cached = self._identity
        if cached is None or cached[0] != who:
            cached = self._identity = (who, "user:" + _fingerprint("jwt", *who))
        return cached[1]

    def __repr__(self) -> str:
        return (
            f"JWTAuth(username={self.username!r}, strategy={self.strategy!r}, "
            "password='<redacted>')"
        )


AuthLike = Auth | str | None


def build_auth(auth: AuthLike) -> Auth:
    """Normalise the ``auth`` argument: a string is an API key, ``None`` is Guest."""
    if auth is None:
        return _GuestAuth()
    if isinstance(auth, Auth):
        return auth
    if isinstance(auth, str):
        return APIKeyAuth(auth)
    raise ArgumentTypeError(
        f"auth must be an API key string, APIKeyAuth, JWTAuth or None, not {type(auth).__name__}",
        field="auth",
    )
