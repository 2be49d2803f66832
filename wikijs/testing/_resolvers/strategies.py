"""``authentication``'s strategies: the kinds, the configured ones, and their upkeep.

Login itself (and API keys) is in ``authentication.py``.
"""

from __future__ import annotations

import secrets
from typing import Any

from graphql import GraphQLResolveInfo

from .._auth import check_access
from .._errors import PlainError, success
from .._modules import NEUTRAL_ICON, Strategy, js_json, unwrap_config
from .._state import GUEST_GROUP_ID, GUEST_ID, User
from ._common import Context, Registry, context, guarded

Info = GraphQLResolveInfo

_SYS = ("manage:system",)


def _kind_listing(kind: dict[str, Any]) -> dict[str, Any]:
    listed = {k: v for k, v in kind.items() if k != "hasIcon"}
    listed["icon"] = NEUTRAL_ICON if kind.get("hasIcon") else None
    return listed


def strategies(_obj: Any, info: Info) -> list[dict[str, Any]]:
    """Every strategy module, ``props`` as key/value pairs (``WIKI.data.authentication``)."""
    return [_kind_listing(kind) for kind in context(info).state.admin.strategy_kinds]


def _definitions(kind: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    import json

    return {p["key"]: json.loads(p["value"]) for p in (kind or {}).get("props") or []}


def _raw_kind(kind: dict[str, Any] | None) -> dict[str, Any]:
    """The strategy module as ``activeStrategies`` hands it over: ``props`` unconverted.

    Wiki.js passes ``WIKI.data.authentication``'s entry itself, whose
    ``props`` is an object: selecting it fails as on the real server.
    """
    if kind is None:
        return {}
    raw = _kind_listing(kind)
    raw["props"] = _definitions(kind)
    return raw


def _listing(ctx: Context, row: Strategy) -> dict[str, Any]:
    kind = ctx.state.admin.kind(row.strategy_key)
    definitions = _definitions(kind)
    config = sorted(
        (
            {"key": key, "value": js_json({**definitions[key], "value": value})}
            for key, value in row.config.items()
            if key in definitions
        ),
        key=lambda pair: pair["key"],
    )
    return {
        "key": row.key,
        "strategy": _raw_kind(kind),
        "displayName": row.display_name,
        "order": row.order,
        "isEnabled": row.is_enabled,
        "config": config,
        "selfRegistration": row.self_registration,
        "domainWhitelist": list(row.domain_whitelist),
        "autoEnrollGroups": list(row.auto_enroll_groups),
    }


def active_strategies(_obj: Any, info: Info, enabledOnly: bool | None = None) -> list[Any]:
    ctx = context(info)
    rows = sorted(ctx.state.admin.strategies.values(), key=lambda s: s.order)
    listed = [_listing(ctx, row) for row in rows]
    return [s for s in listed if s["isEnabled"]] if enabledOnly else listed


def _restricted(field: str) -> Any:
    """A field of ``AuthenticationActiveStrategy`` that needs ``manage:system``."""

    def resolver(obj: dict[str, Any], info: Info) -> Any:
        ctx = context(info)
        if not check_access(ctx.state, ctx.user, _SYS):
            raise PlainError("Forbidden")
        return obj.get(field)

    return resolver


def _activate(ctx: Context) -> None:
    """``WIKI.auth.activateStrategies``: each configured strategy (enabled or not:
    ``getStrategies`` does not filter) is set up and logs that it is ready."""
    for row in sorted(ctx.state.admin.strategies.values(), key=lambda s: s.order):
        ctx.core.log("info", f"Authentication Strategy {row.display_name}: [ OK ]")


def m_update_strategies(ctx: Context, strategies: list[dict[str, Any] | None]) -> dict[str, Any]:
    admin = ctx.state.admin
    given = [s for s in strategies if s is not None]
    for entry in given:
        row = Strategy(
            key=entry["key"],
            strategy_key=entry["strategyKey"],
            display_name=entry["displayName"],
            order=entry["order"],
            is_enabled=entry["isEnabled"],
            config=unwrap_config(entry.get("config")),
            self_registration=entry["selfRegistration"],
            domain_whitelist=list(entry["domainWhitelist"]),
            auto_enroll_groups=list(entry["autoEnrollGroups"]),
        )
        admin.strategies[row.key] = row  # patched where it exists, inserted where not
    keys = {entry["key"] for entry in given}
    for key in [k for k in admin.strategies if k not in keys]:
        row = admin.strategies[key]
        if any(u.provider_key == key for u in ctx.state.users.values()):
            # The strategies before it were already written: Wiki.js has no transaction here.
            raise PlainError(
                f"Cannot delete {row.display_name} as 1 or more users are still using it."
            )
        del admin.strategies[key]
    _activate(ctx)
    return {"responseResult": success("Strategies updated successfully")}


def m_regenerate_certificates(ctx: Context) -> dict[str, Any]:
    """New signing keys: every token signed with the old ones, API keys included, is void."""
    ctx.core.log("info", "Regenerating certificates...")
    ctx.core.secret = secrets.token_bytes(32)
    ctx.state.admin.certificates += 1
    _activate(ctx)
    ctx.core.log("info", "Regenerated certificates: [ COMPLETED ]")
    return {"responseResult": success("Certificates have been regenerated successfully.")}


def m_reset_guest_user(ctx: Context) -> dict[str, Any]:
    """``WIKI.auth.resetGuestUser``: user 2 deleted and inserted again, in the Guest group only."""
    state = ctx.state
    ctx.core.log("info", "Resetting guest account...")
    for user_id in [
        u.id
        for u in state.users.values()
        if u.id == GUEST_ID or (u.provider_key == "local" and u.email == "guest@example.com")
    ]:
        del state.users[user_id]
        state.user_groups = [(u, g) for u, g in state.user_groups if u != user_id]
    now = ctx.core.iso()
    guest = User(
        id=GUEST_ID,
        email="guest@example.com",
        name="Guest",
        password="",
        is_system=True,
        created_at=now,
        updated_at=now,
    )
    state.users[GUEST_ID] = guest
    state.touch_user(guest)
    state.user_groups.append((GUEST_ID, GUEST_GROUP_ID))
    ctx.core.log("info", "Guest user has been reset: [ COMPLETED ]")
    return {"responseResult": success("Guest user has been reset successfully.")}


def bind(registry: Registry) -> None:
    registry.namespace(
        "AuthenticationQuery",
        {"strategies": strategies, "activeStrategies": active_strategies},
    )
    registry.namespace(
        "AuthenticationMutation",
        {
            "updateStrategies": guarded(m_update_strategies),
            "regenerateCertificates": guarded(m_regenerate_certificates),
            "resetGuestUser": guarded(m_reset_guest_user),
        },
    )
    registry.namespace(
        "AuthenticationActiveStrategy",
        {field: _restricted(field) for field in ("config", "domainWhitelist", "autoEnrollGroups")},
    )
