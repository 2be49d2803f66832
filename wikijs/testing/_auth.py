"""Tokens, principals and permission checks, after Wiki.js's ``server/core/auth.js``."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import re
import threading
from dataclasses import dataclass
from typing import Any

from ._state import GUEST_ID, State

TOKEN_LIFETIME = 30 * 60.0
RENEWAL_PERIOD = 14 * 86400.0
ISSUER = "urn:wiki.js"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_jwt(payload: dict[str, Any], secret: bytes) -> str:
    """Sign ``payload`` as an HS256 JWT."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    signing_input = f"{header}.{body}".encode("ascii")
    signature = hmac.new(secret, signing_input, hashlib.sha256).digest()
    return f"{header}.{body}.{_b64(signature)}"


def verify_jwt(token: str, secret: bytes) -> dict[str, Any] | None:
    """The payload of a well-formed token with a valid signature (expired or not)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        header = json.loads(_unb64(parts[0]))
        expected = hmac.new(secret, f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
        if header.get("alg") != "HS256" or not hmac.compare_digest(expected, _unb64(parts[2])):
            return None
        payload = json.loads(_unb64(parts[1]))
    except (ValueError, UnicodeDecodeError, AttributeError):
        return None
    return payload if isinstance(payload, dict) else None


@dataclass(frozen=True)
class Principal:
    """Who a request acts as (``req.user`` in Wiki.js)."""

    id: int
    email: str
    name: str
    permissions: tuple[str, ...]
    groups: tuple[int, ...]
    is_api: bool = False

    @property
    def is_guest(self) -> bool:
        return self.id == GUEST_ID


def guest_principal(state: State) -> Principal:
    user = state.users[GUEST_ID]
    return Principal(
        id=GUEST_ID,
        email=user.email,
        name=user.name,
        permissions=tuple(state.permissions_of(GUEST_ID)),
        groups=tuple(state.group_ids_of(GUEST_ID)),
    )


def api_principal(state: State, group_id: int) -> Principal:
    group = state.groups.get(group_id)
    return Principal(
        id=1,
        email="api@localhost",
        name="API",
        permissions=tuple(group.permissions if group else ()),
        groups=(group_id,),
        is_api=True,
    )


def user_token_payload(state: State, user_id: int, now: float, audience: str) -> dict[str, Any]:
    user = state.users[user_id]
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "av": None,
        "tz": user.timezone,
        "lc": user.locale,
        "df": user.date_format,
        "ap": user.appearance,
        "permissions": state.permissions_of(user.id),
        "groups": state.group_ids_of(user.id),
        "iat": math.floor(now),
        "nbf": math.floor(now) - 10,
        "exp": math.floor(now + TOKEN_LIFETIME),
        "aud": audience,
        "iss": ISSUER,
    }


def principal_from_payload(payload: dict[str, Any]) -> Principal:
    return Principal(
        id=int(payload["id"]),
        email=str(payload.get("email", "")),
        name=str(payload.get("name", "")),
        permissions=tuple(str(p) for p in payload.get("permissions", [])),
        groups=tuple(int(g) for g in payload.get("groups", [])),
    )


# -- permission checks ------------------------------------------------------------

_PRIORITY: dict[str, tuple[str, ...]] = {
    "START": ("END", "REGEX", "EXACT", "TAG"),
    "END": ("REGEX", "EXACT", "TAG"),
    "REGEX": ("EXACT", "TAG"),
    "TAG": ("EXACT",),
    "EXACT": (),
}


def check_access(
    state: State,
    user: Principal,
    permissions: list[str] | tuple[str, ...],
    page: dict[str, Any] | None = None,
) -> bool:
    """``WIKI.auth.checkAccess``: global permissions, then the groups' page rules."""
    if "manage:system" in user.permissions:
        return True
    if not set(user.permissions) & set(permissions):
        return False
    if page is None:
        return True
    path = str(page.get("path") or "")
    locale = page.get("locale")
    tags = page.get("tags") or []
    deny = False
    match: str | None = None
    specificity = ""
    for gid in user.groups:
        group = state.groups.get(gid)
        if group is None:
            continue
        for rule in group.page_rules:
            locales = rule.get("locales") or []
            if locales and locale not in locales:
                continue
            if not set(rule.get("roles") or []) & set(permissions):
                continue
            rule_path = str(rule.get("path") or "")
            kind = str(rule.get("match"))
            hit = False
            if kind == "START":
                hit = f"/{path}".startswith(f"/{rule_path}")
            elif kind == "END":
                hit = path.endswith(rule_path)
            elif kind == "REGEX":
                try:
                    hit = re.search(rule_path, path) is not None
                except re.error:
                    hit = False
            elif kind == "TAG":
                hit = rule_path in tags
            elif kind == "EXACT":
                hit = f"/{path}" == f"/{rule_path}"
            if not hit:
                continue
            if len(rule_path) == len(specificity):
                if match in _PRIORITY.get(kind, ()):
                    continue
                if match == kind and deny and not rule.get("deny"):
                    continue
            elif len(rule_path) < len(specificity):
                continue
            deny, match, specificity = bool(rule.get("deny")), kind, rule_path
    return match is not None and not deny


# -- @auth and @rateLimit as declared in Wiki.js's schema files -------------------
# The introspected SDL keeps the directive definitions but not their uses, so
# the requirements are listed here, field by field.

_SYS = "manage:system"
AUTH_REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "AssetQuery.list": (_SYS, "read:assets"),
    "AssetQuery.folders": (_SYS, "read:assets"),
    "AssetMutation.createFolder": (_SYS, "write:assets"),
    "AssetMutation.renameAsset": (_SYS, "manage:assets"),
    "AssetMutation.deleteAsset": (_SYS, "manage:assets"),
    "AssetMutation.flushTempUploads": (_SYS,),
    "AuthenticationQuery.apiKeys": (_SYS, "manage:api"),
    "AuthenticationQuery.apiState": (_SYS, "manage:api"),
    "AuthenticationQuery.strategies": (_SYS,),
    "AuthenticationMutation.createApiKey": (_SYS, "manage:api"),
    "AuthenticationMutation.revokeApiKey": (_SYS, "manage:api"),
    "AuthenticationMutation.setApiState": (_SYS, "manage:api"),
    "AuthenticationMutation.updateStrategies": (_SYS,),
    "AuthenticationMutation.regenerateCertificates": (_SYS,),
    "AuthenticationMutation.resetGuestUser": (_SYS,),
    "CommentQuery.providers": (_SYS,),
    "CommentQuery.list": (_SYS, "read:comments"),
    "CommentQuery.single": (_SYS, "read:comments"),
    "CommentMutation.updateProviders": (_SYS,),
    "CommentMutation.create": (_SYS, "write:comments"),
    "CommentMutation.update": (_SYS, "write:comments", "manage:comments"),
    "CommentMutation.delete": (_SYS, "write:comments", "manage:comments"),
    "GroupQuery.list": (_SYS, "write:groups", "manage:groups"),
    "GroupQuery.single": (_SYS, "write:groups", "manage:groups"),
    "GroupMutation.create": (_SYS, "write:groups", "manage:groups"),
    "GroupMutation.update": (_SYS, "write:groups", "manage:groups"),
    "GroupMutation.delete": (_SYS, "write:groups", "manage:groups"),
    "GroupMutation.assignUser": (_SYS, "write:groups", "manage:groups"),
    "GroupMutation.unassignUser": (_SYS, "write:groups", "manage:groups"),
    "LocalizationMutation.downloadLocale": (_SYS,),
    "LocalizationMutation.updateLocale": (_SYS,),
    "LoggingQuery.loggers": (_SYS,),
    "LoggingMutation.updateLoggers": (_SYS,),
    "NavigationQuery.tree": (_SYS, "manage:navigation"),
    "NavigationQuery.config": (_SYS, "manage:navigation"),
    "NavigationMutation.updateTree": (_SYS, "manage:navigation"),
    "NavigationMutation.updateConfig": (_SYS, "manage:navigation"),
    "PageQuery.history": (_SYS, "read:history"),
    "PageQuery.version": (_SYS, "read:history"),
    "PageQuery.search": (_SYS, "read:pages"),
    "PageQuery.list": (_SYS, "read:pages"),
    "PageQuery.single": (_SYS, "read:pages"),
    "PageQuery.singleByPath": (_SYS, "read:pages"),
    "PageQuery.tags": (_SYS, "read:pages"),
    "PageQuery.searchTags": (_SYS, "read:pages"),
    "PageQuery.tree": (_SYS, "read:pages"),
    "PageQuery.links": (_SYS, "read:pages"),
    "PageQuery.checkConflicts": (_SYS, "write:pages", "manage:pages"),
    "PageQuery.conflictLatest": (_SYS, "write:pages", "manage:pages"),
    "PageMutation.create": (_SYS, "write:pages", "manage:pages"),
    "PageMutation.update": (_SYS, "write:pages", "manage:pages"),
    "PageMutation.convert": (_SYS, "write:pages", "manage:pages"),
    "PageMutation.move": (_SYS, "manage:pages"),
    "PageMutation.delete": (_SYS, "delete:pages"),
    "PageMutation.deleteTag": (_SYS,),
    "PageMutation.updateTag": (_SYS,),
    "PageMutation.flushCache": (_SYS,),
    "PageMutation.migrateToLocale": (_SYS,),
    "PageMutation.rebuildTree": (_SYS,),
    "PageMutation.render": (_SYS,),
    "PageMutation.restore": (_SYS, "write:pages", "manage:pages"),
    "PageMutation.purgeHistory": (_SYS,),
    "SearchQuery.searchEngines": (_SYS,),
    "SearchMutation.rebuildIndex": (_SYS,),
    "SearchMutation.updateSearchEngines": (_SYS,),
    "SiteQuery.config": (_SYS,),
    "SiteMutation.updateConfig": (_SYS,),
    "SystemQuery.flags": (_SYS,),
    "SystemQuery.info": (_SYS,),
    "SystemQuery.extensions": (_SYS,),
    "SystemQuery.exportStatus": (_SYS,),
    "SystemMutation.updateFlags": (_SYS,),
    "SystemMutation.resetTelemetryClientId": (_SYS,),
    "SystemMutation.setTelemetry": (_SYS,),
    "SystemMutation.performUpgrade": (_SYS,),
    "SystemMutation.importUsersFromV1": (_SYS,),
    "SystemMutation.setHTTPSRedirection": (_SYS,),
    "SystemMutation.renewHTTPSCertificate": (_SYS,),
    "SystemMutation.export": (_SYS,),
    "UserQuery.list": (_SYS, "write:users", "manage:users"),
    "UserQuery.search": (_SYS, "write:groups", "manage:groups", "write:users", "manage:users"),
    "UserQuery.single": (_SYS, "manage:users"),
    "UserQuery.lastLogins": (_SYS, "write:groups", "manage:groups", "write:users", "manage:users"),
    "UserMutation.create": (_SYS, "write:users", "manage:users"),
    "UserMutation.update": (_SYS, "manage:users"),
    "UserMutation.delete": (_SYS, "manage:users"),
    "UserMutation.verify": (_SYS, "manage:users"),
    "UserMutation.activate": (_SYS, "manage:users"),
    "UserMutation.deactivate": (_SYS, "manage:users"),
    "UserMutation.enableTFA": (_SYS, "manage:users"),
    "UserMutation.disableTFA": (_SYS, "manage:users"),
    "UserMutation.resetPassword": (_SYS, "manage:users"),
}

# (limit, duration seconds) per client address.
RATE_LIMITS: dict[str, tuple[int, int]] = {
    "AuthenticationMutation.login": (5, 60),
    "AuthenticationMutation.loginTFA": (5, 60),
    "AuthenticationMutation.loginChangePassword": (5, 60),
    "AuthenticationMutation.forgotPassword": (3, 60),
    "CommentMutation.create": (1, 15),
}


class RateLimiter:
    """Fixed windows per key, like rate-limiter-flexible's memory store."""

    def __init__(self) -> None:
        self._windows: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def consume(self, key: str, limit: int, duration: float, now: float) -> float | None:
        """Count one call; return the seconds to wait when over the limit."""
        with self._lock:
            start, count = self._windows.get(key, (now, 0))
            if now - start >= duration:
                start, count = now, 0
            count += 1
            self._windows[key] = (start, count)
            if count > limit:
                return max(0.0, start + duration - now)
            return None

    def clear(self) -> None:
        with self._lock:
            self._windows.clear()
