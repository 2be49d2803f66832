"""Credentials: API keys, user logins (JWT) or none at all (Guest).

Wiki.js takes ``Authorization: Bearer <token>``, where the token is an API
key or a user JWT. Pass either to a client::

    WikiJSClient(url, auth="API-KEY")                       # same as APIKeyAuth
    WikiJSClient(url, auth=APIKeyAuth("API-KEY"))
    WikiJSClient(url, auth=JWTAuth("me@example.com", "password"))
    WikiJSClient(url, auth=None)                            # the Guest user

``JWTAuth`` logs in on first use, follows the renewed tokens the server
sends in the ``new-jwt`` header, and logs in again once its token is past
renewal. A login that needs one more step — a TOTP code, a first TFA
set-up, a forced password change — is answered by the callbacks given to
``JWTAuth``, or raises a :class:`~wikijs.errors.LoginStepRequiredError`
carrying a :class:`LoginContinuation`, which ``client.account.login(...)``
continues. Wiki.js never answers 401: a bad token silently acts as Guest. The
clients therefore check who an API key acts as before its first request and
turn a Guest answer into :class:`~wikijs.errors.AuthenticationError`.

The objects here hold state only; the clients do the I/O.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import orjson

from ._constants import JWT_RELOGIN_MARGIN
from ._facts import JWT_RENEWAL_WINDOW
from .errors import ArgumentTypeError, InvalidArgumentError

__all__ = [
    "APIKeyAuth",
    "Auth",
    "AuthLike",
    "JWTAuth",
    "LoginContinuation",
    "TFASetup",
    "build_auth",
]


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

    @cached_property
    def key_id(self) -> int | None:
        """The key's id in Wiki.js (``api_keys.list()``), read from the key itself.

        A Wiki.js API key is a JWT naming its id and its group; ``None``
        for a string that is not one.
        """
        return _claim_int(_jwt_claims(self._key), "api")

    @cached_property
    def group_id(self) -> int | None:
        """The group whose permissions the key carries (1, Administrators, for full access)."""
        return _claim_int(_jwt_claims(self._key), "grp")

    def cache_identity(self) -> str:
        return self._identity

    def __repr__(self) -> str:
        return "APIKeyAuth(key='<redacted>')"


def _jwt_claims(token: str) -> dict[str, Any] | None:
    """A JWT's claims, read without verifying them (the server does)."""
    try:
        payload = token.split(".")[1]
        payload += "=" * (-len(payload) % 4)
        claims = orjson.loads(base64.urlsafe_b64decode(payload))
    except (IndexError, ValueError, binascii.Error, orjson.JSONDecodeError):
        return None
    return claims if isinstance(claims, dict) else None


def _claim_int(claims: dict[str, Any] | None, name: str) -> int | None:
    value = claims.get(name) if claims is not None else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _jwt_expiry(token: str) -> float | None:
    """The ``exp`` claim of a JWT, read without verifying it (the server does)."""
    claims = _jwt_claims(token)
    exp = claims.get("exp") if claims is not None else None
    return float(exp) if isinstance(exp, (int, float)) and not isinstance(exp, bool) else None


LoginStepName = Literal["tfa", "tfa_setup", "change_password"]


@dataclass(frozen=True)
class LoginContinuation:
    """Where an unfinished login stands: the step the account must take next.

    Carried by :class:`~wikijs.errors.LoginStepRequiredError` and kept by the
    :class:`JWTAuth` that started the login; ``client.account.login(...)``
    continues from it.

    Attributes:
        step: ``"tfa"`` (enter a TOTP code), ``"tfa_setup"`` (set up TFA, then
            enter its first code) or ``"change_password"``.
        token: Wiki.js's one-time continuation token: a credential, never
            shown by ``repr``. A TOTP step's token is spent by the first code
            sent, right or wrong; a set-up's token lasts until the set-up is
            done. Tokens expire after a day.
        redirect: the path the web UI would open after the login.
    """

    step: LoginStepName
    token: str = field(repr=False)
    redirect: str | None = None

    @property
    def needs(self) -> str:
        """What answers this step: ``"tfa_code"`` or ``"new_password"``."""
        return "new_password" if self.step == "change_password" else "tfa_code"


@dataclass(frozen=True)
class TFASetup:
    """A new TOTP secret Wiki.js generated for an account's first TFA set-up.

    Wiki.js sends the secret only as an SVG QR code of an ``otpauth://`` URI,
    for an authenticator app to scan. ``uri`` and ``secret`` read it out of
    the image, for scripts that compute codes themselves (``pyotp``); they
    need ``pip install 'wikijs[tfa]'`` (zxing-cpp). The secret is a
    credential: ``repr`` shows none of it.

    Example::

        Path("tfa.svg").write_text(setup.qr_svg)       # scan it with a phone, or:
        code = pyotp.TOTP(setup.secret).now()

    Attributes:
        qr_svg: the QR code, as Wiki.js sent it (an SVG document).
    """

    qr_svg: str = field(repr=False)

    @cached_property
    def uri(self) -> str:
        """The ``otpauth://totp/<title>:<email>?secret=…`` URI in the QR code.

        Raises:
            MissingQRReaderError: zxing-cpp is not installed.
            ResponseError: the image holds no readable QR code.
        """
        from ._tfa import decode_qr

        return decode_qr(self.qr_svg)

    @property
    def secret(self) -> str:
        """The base32 TOTP secret in :attr:`uri` (30-second codes of 6 digits)."""
        from ._tfa import otpauth_secret

        return otpauth_secret(self.uri)


_CODE = re.compile(r"\d{6}")

#: A callback answering a login step: a plain function, or (async client) a
#: coroutine function.
StepCallback = Callable[[], str | Awaitable[str]]


def check_tfa_code(code: Any) -> str:
    """Six digits (spaces allowed, as authenticator apps show them)."""
    if not isinstance(code, str):
        raise ArgumentTypeError(
            f"a TOTP code is a string of 6 digits, not {type(code).__name__}", field="tfa_code"
        )
    digits = code.replace(" ", "")
    if not _CODE.fullmatch(digits):
        raise InvalidArgumentError("a TOTP code is 6 digits", field="tfa_code")
    return digits


def check_new_password(password: Any) -> str:
    """At least 6 characters, as Wiki.js requires."""
    if not isinstance(password, str):
        raise ArgumentTypeError(
            f"the new password must be a string, not {type(password).__name__}",
            field="new_password",
        )
    if len(password) < 6:
        raise InvalidArgumentError(
            "the new password must be at least 6 characters", field="new_password"
        )
    return password


class JWTAuth(Auth):
    """Log in as a user and keep the session's JWT fresh.

    The login happens on the first request. Wiki.js user tokens live 30
    minutes; the server renews them through the ``new-jwt`` response header
    for 14 days past expiry, and this object switches to each renewed token.
    A token too old to renew is replaced by logging in again.

    Some accounts need one more step after the password (Wiki.js checks in
    this order): a TOTP code (``tfa_code``), a first TFA set-up
    (``on_tfa_setup``, then ``tfa_code`` for the first code), a forced
    password change (``new_password``). Each callback answers its step
    whenever the client logs in; a step without a callback raises
    :class:`~wikijs.errors.LoginStepRequiredError` (``TFARequiredError``,
    ``TFASetupRequiredError``, ``PasswordChangeRequiredError``), and
    ``client.account.login(tfa_code=…)`` or ``(new_password=…)`` continues.
    In the async client a callback may be a coroutine function.

    Args:
        username: the login name (an email address for the local strategy).
        password: the password; kept in memory only, never shown. After a
            forced change, the new one.
        strategy: the authentication strategy key, ``"local"`` by default.
        tfa_code: returns the current TOTP code (6 digits), e.g.
            ``pyotp.TOTP(secret).now`` or ``lambda: input("Code: ")``.
        new_password: returns the new password when the account must
            change it (at least 6 characters).
        on_tfa_setup: receives the :class:`TFASetup` (QR code, secret) when
            the account must set up TFA; ``tfa_code`` then gives its first code.
        clock: seconds since the epoch; injectable for tests.

    Example::

        auth = JWTAuth("me@example.com", "pw", tfa_code=lambda: input("TOTP code: "))
        async with AsyncWikiJSClient(url, auth=auth) as client:
            page = await client.pages.get_by_path("docs/start")
    """

    def __init__(
        self,
        username: str,
        password: str,
        strategy: str = "local",
        *,
        tfa_code: StepCallback | None = None,
        new_password: StepCallback | None = None,
        on_tfa_setup: Callable[[TFASetup], object] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not isinstance(username, str) or not username.strip():
            raise InvalidArgumentError("username must be a non-empty string", field="username")
        if not isinstance(password, str) or not password:
            raise InvalidArgumentError("password must be a non-empty string", field="password")
        if not isinstance(strategy, str) or not strategy:
            raise InvalidArgumentError("strategy must be a non-empty string", field="strategy")
        for name, callback in (
            ("tfa_code", tfa_code),
            ("new_password", new_password),
            ("on_tfa_setup", on_tfa_setup),
        ):
            if callback is not None and not callable(callback):
                raise ArgumentTypeError(f"{name} must be callable", field=name)
        self.username: str = username.strip()
        self._password = password
        self.strategy = strategy
        self.tfa_code = tfa_code
        self.new_password = new_password
        self.on_tfa_setup = on_tfa_setup
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires_at: float | None = None
        self._pending: LoginContinuation | None = None
        #: how many times this object logged in (for tests and diagnostics)
        self.login_count: int = 0
        self._identity: tuple[tuple[str, str], str] | None = None

    @property
    def pending(self) -> LoginContinuation | None:
        """The unfinished login step, when a login stopped at one (else ``None``)."""
        return self._pending

    def continue_at(self, continuation: LoginContinuation | None) -> None:
        """Remember (or, with ``None``, forget) where an unfinished login stands."""
        with self._lock:
            self._pending = continuation

    def password_changed(self, password: str) -> None:
        """The account's password is now ``password`` (a forced change succeeded)."""
        with self._lock:
            self._password = password

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
