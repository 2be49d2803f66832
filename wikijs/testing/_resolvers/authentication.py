"""``authentication``: local login, API keys and the API switch (strategies: ``strategies.py``)."""

from __future__ import annotations

import math
import re
import secrets
from typing import Any

from graphql import GraphQLResolveInfo

from .. import _tfa as tfa
from .._auth import ISSUER
from .._clock import iso, parse_duration
from .._errors import success, wiki_error
from .._state import ApiKey, User, UserKey
from ._common import Context, Registry, context, guarded

Info = GraphQLResolveInfo

# validate.js's email pattern, near enough for the addresses tests use.
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")


#: ``userKeys`` tokens live one day (``server/models/userKeys.js``).
KEY_LIFETIME = 86400.0


def _redirect(ctx: Context, user_id: int) -> str:
    """The first of the user's groups that sends its members elsewhere, else ``/``."""
    for gid in ctx.state.group_ids_of(user_id):
        target = ctx.state.groups[gid].redirect_on_login
        if target and target != "/":
            return target
    return "/"


def _new_key(ctx: Context, kind: str, user_id: int) -> str:
    """``userKeys.generateToken``: a nanoid-like token valid for a day."""
    token = secrets.token_urlsafe(16)[:21]
    ctx.state.continuations[token] = UserKey(kind, user_id, ctx.core.now() + KEY_LIFETIME)
    return token


def _take_key(ctx: Context, kind: str, token: str, *, keep: bool = False) -> User:
    """``userKeys.validateToken``: spent on first use (unless ``keep``), 1015 if unknown or old."""
    state = ctx.state
    key = state.continuations.get(token)
    if key is None or key.kind != kind or key.user_id not in state.users:
        raise wiki_error("AuthValidationTokenInvalid")
    if not keep:
        del state.continuations[token]
    if ctx.core.now() > key.valid_until:
        raise wiki_error("AuthValidationTokenInvalid")
    return state.users[key.user_id]


def _after_login_checks(ctx: Context, user: User, *, skip_tfa: bool = False) -> dict[str, Any]:
    """``users.afterLoginChecks``: TFA first, then a forced password change, then the token.

    Only the fields of the step are set; the others answer null, as Wiki.js's do.
    """
    redirect = _redirect(ctx, user.id)
    if not skip_tfa:
        if user.tfa_is_active and user.tfa_secret:
            return {
                "mustProvideTFA": True,
                "continuationToken": _new_key(ctx, "tfa", user.id),
                "redirect": redirect,
            }
        if ctx.state.site.get("authEnforce2FA") or (user.tfa_is_active and not user.tfa_secret):
            # users.generateTFA: a new secret, and TFA off until its first code.
            user.tfa_secret = tfa.new_secret()
            user.tfa_is_active = False
            title = str(ctx.state.site.get("title") or "Wiki.js")
            return {
                "mustSetupTFA": True,
                "continuationToken": _new_key(ctx, "tfaSetup", user.id),
                "tfaQRImage": tfa.qr_svg(tfa.otpauth_uri(title, user.email, user.tfa_secret)),
                "redirect": redirect,
            }
    if user.must_change_pwd:
        return {
            "mustChangePwd": True,
            "continuationToken": _new_key(ctx, "changePwd", user.id),
            "redirect": redirect,
        }
    jwt = ctx.core.issue_user_token(user.id)
    return {"jwt": jwt, "redirect": redirect}


def m_login(ctx: Context, username: str, password: str, strategy: str) -> dict[str, Any]:
    state = ctx.state
    if strategy != "local":
        raise wiki_error("AuthProviderInvalid")
    email = username.strip().lower()
    user = next(
        (u for u in state.users.values() if u.email == email and u.provider_key == "local"), None
    )
    if user is None or not user.password or user.password != password:
        raise wiki_error("AuthLoginFailed")
    if not user.is_active:
        raise wiki_error("AuthAccountBanned")
    if not user.is_verified:
        raise wiki_error("AuthAccountNotVerified")
    result = _after_login_checks(ctx, user)
    if result.get("jwt"):
        ctx.response_headers.append(("set-cookie", f"jwt={result['jwt']}; Path=/; SameSite=Lax"))
    return {"responseResult": success("Login success"), **result}


def m_login_tfa(
    ctx: Context, continuationToken: str, securityCode: str, setup: bool | None = None
) -> dict[str, Any]:
    """``users.loginTFA``: a wrong code spends a login's token, not a set-up's."""
    if len(securityCode) == 6 and len(continuationToken) > 1:
        user = _take_key(ctx, "tfaSetup" if setup else "tfa", continuationToken, keep=bool(setup))
        if not tfa.verify(user.tfa_secret, securityCode, ctx.core.now()):
            raise wiki_error("AuthTFAFailed")
        if setup:
            user.tfa_is_active = True
        return {
            "responseResult": success("TFA success"),
            **_after_login_checks(ctx, user, skip_tfa=True),
        }
    raise wiki_error("AuthTFAInvalid")


def m_login_change_password(
    ctx: Context, continuationToken: str, newPassword: str
) -> dict[str, Any]:
    """``users.loginChangePassword``: the answer carries the token only (redirect null)."""
    if not newPassword or len(newPassword) < 6:
        raise wiki_error("InputInvalid", "Password must be at least 6 characters!")
    user = _take_key(ctx, "changePwd", continuationToken)
    if not user.is_active:
        raise wiki_error("AuthAccountBanned")
    user.password = newPassword
    user.must_change_pwd = False
    user.updated_at = ctx.core.iso()
    ctx.state.touch_user(user)
    return {
        "responseResult": success("Password changed successfully"),
        "jwt": ctx.core.issue_user_token(user.id),
    }


def _send_mail(ctx: Context) -> None:
    """``WIKI.mail.send``: the fake has no mail server, like a fresh install."""
    raise wiki_error("MailNotConfigured")


def m_forgot_password(ctx: Context, email: str) -> dict[str, Any]:
    """``users.loginForgotPassword``: unknown or inactive accounts are silently ignored."""
    user = next(
        (u for u in ctx.state.users.values() if u.email == email and u.provider_key == "local"),
        None,
    )
    if user is not None and user.is_active:
        _new_key(ctx, "resetPwd", user.id)
        _send_mail(ctx)
    return {"responseResult": success("Password reset request processed.")}


def m_register(ctx: Context, email: str, password: str, name: str) -> dict[str, Any]:
    """``users.register`` with ``verify``: the account is created before the e-mail fails."""
    state = ctx.state
    local = state.admin.strategies.get("local")
    if local is None or not local.self_registration:
        raise wiki_error("AuthRegistrationDisabled")
    email = email.lower()
    problem = register_problem(email, password, name)
    if problem:
        raise wiki_error("InputInvalid", problem)
    allowed = list(local.domain_whitelist)
    if allowed and email.rsplit("@", 1)[-1] not in allowed:
        raise wiki_error("AuthRegistrationDomainUnauthorized")
    if any(u.email == email and u.provider_key == "local" for u in state.users.values()):
        raise wiki_error("AuthAccountAlreadyExists")
    now = ctx.core.iso()
    user = User(
        id=state.next_id("users"),
        email=email,
        name=name,
        password=password,
        is_verified=False,
        created_at=now,
        updated_at=now,
    )
    state.users[user.id] = user
    state.touch_user(user)
    for gid in local.auto_enroll_groups:
        if gid in state.groups:
            state.user_groups.append((user.id, gid))
    _new_key(ctx, "verify", user.id)
    _send_mail(ctx)
    return {"responseResult": success("Registration success")}


def register_problem(email: str, password: str, name: str) -> str | None:
    """validate.js's first message for ``users.register``'s constraints, if any."""
    if not _EMAIL.fullmatch(email) or len(email) > 255:
        return "Email is not a valid email"
    if not password:
        return "Password can't be blank"
    if len(password) < 6:
        return "Password is too short (minimum is 6 characters)"
    if not name:
        return "Name can't be blank"
    if len(name) < 2:
        return "Name is too short (minimum is 2 characters)"
    if len(name) > 255:
        return "Name is too long (maximum is 255 characters)"
    return None


def api_keys(_obj: Any, info: Info) -> list[dict[str, Any]]:
    ctx = context(info)
    keys = sorted(ctx.state.api_keys.values(), key=lambda k: (k.is_revoked, k.name))
    return [
        {
            "id": k.id,
            "name": k.name,
            "keyShort": "..." + k.key[-20:],
            "expiration": k.expiration,
            "isRevoked": k.is_revoked,
            "createdAt": k.created_at,
            "updatedAt": k.updated_at,
        }
        for k in keys
    ]


def create_api_key(
    ctx: Context, name: str, expiration: str, fullAccess: bool, group: int | None = None
) -> ApiKey:
    """``apiKeys.createNewKey``: the key is a JWT ``{api, grp}``."""
    state = ctx.state
    now = ctx.core.now()
    lifetime = parse_duration(expiration)
    key_id = state.next_id("api_keys")
    group_id = 1 if fullAccess else int(group or 0)
    token = ctx.core.sign(
        {
            "api": key_id,
            "grp": group_id,
            "iat": math.floor(now),
            "exp": math.floor(now + lifetime),
            "aud": ctx.core.base_url,
            "iss": ISSUER,
        }
    )
    entry = ApiKey(
        id=key_id,
        name=name,
        key=token,
        expiration=iso(now + lifetime),
        is_revoked=False,
        group_id=group_id,
        created_at=iso(now),
        updated_at=iso(now),
    )
    state.api_keys[key_id] = entry
    return entry


def m_create_api_key(ctx: Context, **args: Any) -> dict[str, Any]:
    entry = create_api_key(ctx, **args)
    return {"key": entry.key, "responseResult": success("API Key created successfully")}


def m_revoke_api_key(ctx: Context, id: int) -> dict[str, Any]:
    key = ctx.state.api_keys.get(id)
    if key is not None:
        key.is_revoked = True
        key.updated_at = ctx.core.iso()
    return {"responseResult": success("API Key revoked successfully")}


def m_set_api_state(ctx: Context, enabled: bool) -> dict[str, Any]:
    ctx.state.api_enabled = enabled
    return {"responseResult": success("API State changed successfully")}


def api_state(_obj: Any, info: Info) -> bool:
    return context(info).state.api_enabled


def bind(registry: Registry) -> None:
    registry.namespace(
        "AuthenticationQuery",
        {
            "apiKeys": api_keys,
            "apiState": api_state,
        },
    )
    registry.namespace(
        "AuthenticationMutation",
        {
            "login": guarded(m_login),
            "loginTFA": guarded(m_login_tfa),
            "loginChangePassword": guarded(m_login_change_password),
            "forgotPassword": guarded(m_forgot_password),
            "register": guarded(m_register),
            "createApiKey": guarded(m_create_api_key),
            "revokeApiKey": guarded(m_revoke_api_key),
            "setApiState": guarded(m_set_api_state),
        },
    )
