"""Shared internals of one fake server: state, clock, secrets and authentication."""

from __future__ import annotations

import itertools
import secrets
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._facts import API_DISABLED, API_KEY_INVALID
from ._auth import (
    RENEWAL_PERIOD,
    Principal,
    RateLimiter,
    api_principal,
    guest_principal,
    principal_from_payload,
    sign_jwt,
    user_token_payload,
    verify_jwt,
)
from ._clock import FakeClock, iso, parse_iso
from ._costs import CostMeter
from ._render import render_content
from ._state import Page, State

# winston's default colours for npm levels (red, yellow, green, green, cyan, blue, magenta).
_LEVEL_COLOURS = {
    "error": 31,
    "warn": 33,
    "info": 32,
    "http": 32,
    "verbose": 36,
    "debug": 34,
    "silly": 35,
}


@dataclass
class AuthOutcome:
    """The result of the authentication middleware for one request."""

    principal: Principal | None = None
    error: str | None = None
    new_token: str | None = None


@dataclass
class LogEvent:
    timestamp: str
    level: str
    output: str


@dataclass
class Core:
    """Internals shared by the GraphQL resolvers and the HTTP layer."""

    clock: FakeClock
    quirks: bool
    base_url: str
    state: State = field(default_factory=State)
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    limiter: RateLimiter = field(default_factory=RateLimiter)
    files: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="fake-wikijs-")))
    log_listeners: list[Callable[[LogEvent], None]] = field(default_factory=list)
    log_lock: threading.Lock = field(default_factory=threading.Lock)
    schema: Any = None
    boot: int = 0
    token_seq: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    meter: CostMeter | None = None  # write costs, when switched on
    revoked_seq: dict[str, int] = field(default_factory=dict)
    #: The Wiki.js version the fake reports (its schema is that release's).
    version: str = ""
    #: graphql-js major version of that release: 14 before 2.5, 15 after.
    graphql_js: int = 15
    #: What graph.requarks.io answers for ``contribute.contributors``: ``None`` is
    #: unreachable (as from an offline server).
    sponsors: list[dict[str, Any]] | None = None

    def now(self) -> float:
        return self.clock.now()

    def iso(self) -> str:
        return self.clock.isoformat()

    # -- tokens ------------------------------------------------------------------

    def issue_user_token(self, user_id: int) -> str:
        """``users.refreshToken``: a fresh JWT, and the login date moves."""
        state = self.state
        now = self.now()
        payload = user_token_payload(state, user_id, now, self.base_url)
        # Private claims make "issued before a restart/revocation" exact even
        # when the clock is frozen (Wiki.js compares ``iat`` with timestamps).
        payload["fk_boot"] = self.boot
        payload["fk_seq"] = next(self.token_seq)
        token = sign_jwt(payload, self.secret)
        state.users[user_id].last_login_at = iso(now)
        state.touch_user(state.users[user_id])
        return token

    def sign(self, payload: dict[str, Any]) -> str:
        return sign_jwt(payload, self.secret)

    def revoke_tokens(self, kind: str, ident: int) -> None:
        """``WIKI.auth.revokeUserTokens``: tokens issued before now get renewed."""
        # WIKI.auth.revokeUserTokens stores round(now - 5 s): a token issued in the
        # last five seconds or so keeps its old permissions.
        self.state.revocations[f"{kind}{ident}"] = float(round(self.now() - 5))

    def authenticate(self, token: str | None) -> AuthOutcome:
        """Wiki.js's ``authenticate`` middleware (caller holds the state lock)."""
        state = self.state
        now = self.now()
        payload = verify_jwt(token, self.secret) if token else None
        if payload is None:
            return AuthOutcome(guest_principal(state))
        must_renew = False
        try:
            expires = float(payload.get("exp", 0))
        except (TypeError, ValueError):
            return AuthOutcome(guest_principal(state))
        if expires <= now:
            if "api" in payload or now - expires >= RENEWAL_PERIOD:
                if "api" in payload:
                    return AuthOutcome(error=API_KEY_INVALID)
                return AuthOutcome(guest_principal(state))
            must_renew = True
        if "api" in payload:
            if not state.api_enabled:
                return AuthOutcome(error=API_DISABLED)
            key = state.api_keys.get(int(payload["api"]))
            if key is None or key.is_revoked or parse_iso(key.expiration) <= now:
                return AuthOutcome(error=API_KEY_INVALID)
            return AuthOutcome(api_principal(state, int(payload.get("grp", 0))))
        try:
            principal = principal_from_payload(payload)
        except (KeyError, TypeError, ValueError):
            return AuthOutcome(guest_principal(state))
        issued = float(payload.get("iat", 0))
        revoked = state.revocations
        must_renew = must_renew or (
            int(payload.get("fk_boot", -1)) < self.boot
            or issued < revoked.get(f"u{principal.id}", float("-inf"))
            or any(issued < revoked.get(f"g{gid}", float("-inf")) for gid in principal.groups)
        )
        if must_renew:
            user = state.users.get(principal.id)
            if user is None or not user.is_active:
                return AuthOutcome(guest_principal(state))
            fresh = self.issue_user_token(user.id)
            payload = verify_jwt(fresh, self.secret) or {}
            return AuthOutcome(principal_from_payload(payload), new_token=fresh)
        return AuthOutcome(principal)

    # -- pages ---------------------------------------------------------------------

    def render_page(self, page: Page) -> None:
        rendered = render_content(page.content, page.content_type, page.locale)
        page.render = rendered.html
        page.toc = rendered.toc
        page.links = rendered.links

    # -- logging -----------------------------------------------------------------

    def emit_log(self, level: str, output: str) -> LogEvent:
        event = LogEvent(self.iso(), level, output)
        with self.log_lock:
            listeners = list(self.log_listeners)
        for listener in listeners:
            listener(event)
        return event

    def log(self, level: str, message: str) -> LogEvent:
        """A line of the server's own log, formatted as Wiki.js's winston logger does.

        The live trail sends ``info[MESSAGE]``: ``<ISO time> [MASTER] <coloured level>: <text>``.
        """
        colour = _LEVEL_COLOURS.get(level, 39)
        output = f"{self.iso()} [MASTER] \x1b[{colour}m{level}\x1b[39m: {message}"
        return self.emit_log(level, output)

    def restart(self) -> None:
        """Forget in-memory state of the process (rate limits, revocation list)."""
        self.boot += 1
        self.limiter.clear()
        self.state.revocations.clear()

    def close(self) -> None:
        shutil.rmtree(self.files, ignore_errors=True)


def bearer_token(headers: Mapping[str, str]) -> str | None:
    value = headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def cookie_token(headers: Mapping[str, str]) -> str | None:
    for part in headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == "jwt" and value:
            return value
    return None
