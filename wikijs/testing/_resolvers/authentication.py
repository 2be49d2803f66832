"""``authentication``: local login, API keys and the API switch (strategies: ``strategies.py``)."""

from __future__ import annotations

import math
import secrets
from typing import Any

from graphql import GraphQLResolveInfo

from .._auth import ISSUER
from .._clock import iso, parse_duration
from .._errors import success, wiki_error
from .._state import ApiKey
from ._common import Context, Registry, context, guarded

Info = GraphQLResolveInfo


def _redirect(ctx: Context, user_id: int) -> str:
    for gid in ctx.state.group_ids_of(user_id):
        return ctx.state.groups[gid].redirect_on_login or "/"
    return "/"


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
    redirect = _redirect(ctx, user.id)
    if user.must_change_pwd or user.tfa_is_active:
        token = secrets.token_urlsafe(24)
        state.continuations[token] = user.id
        return {
            "responseResult": success("Login success"),
            "jwt": None,
            "mustChangePwd": user.must_change_pwd,
            "mustProvideTFA": user.tfa_is_active and not user.must_change_pwd,
            "mustSetupTFA": False,
            "continuationToken": token,
            "redirect": redirect,
        }
    jwt = ctx.core.issue_user_token(user.id)
    ctx.response_headers.append(("set-cookie", f"jwt={jwt}; Path=/; SameSite=Lax"))
    return {
        "responseResult": success("Login success"),
        "jwt": jwt,
        "mustChangePwd": False,
        "mustProvideTFA": False,
        "mustSetupTFA": False,
        "redirect": redirect,
    }


def m_login_change_password(
    ctx: Context, continuationToken: str, newPassword: str
) -> dict[str, Any]:
    state = ctx.state
    user_id = state.continuations.get(continuationToken)
    user = state.users.get(user_id) if user_id is not None else None
    if user is None:
        raise wiki_error("AuthTFAInvalid")
    if len(newPassword) < 6:
        raise wiki_error("InputInvalid", "Password must be at least 6 characters!")
    del state.continuations[continuationToken]
    user.password = newPassword
    user.must_change_pwd = False
    user.updated_at = ctx.core.iso()
    jwt = ctx.core.issue_user_token(user.id)
    return {
        "responseResult": success("Login success"),
        "jwt": jwt,
        "redirect": _redirect(ctx, user.id),
        "mustChangePwd": False,
        "mustProvideTFA": False,
    }


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
            "loginChangePassword": guarded(m_login_change_password),
            "createApiKey": guarded(m_create_api_key),
            "revokeApiKey": guarded(m_revoke_api_key),
            "setApiState": guarded(m_set_api_state),
        },
    )
