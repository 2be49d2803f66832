"""``storage``: the targets content is synced to (server/graph/resolvers/storage.js)."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from .._errors import PlainError, success
from .._modules import Module, unwrap_config
from ._common import Context, Registry, context, guarded

Info = GraphQLResolveInfo

MASK = "********"


def _schedule(module: Module) -> str | None:
    """The definition's ``schedule``: GraphQL shows ``false`` as the string ``"false"``."""
    default = module.info.get("syncIntervalDefault")
    return None if default in (None, "false") else str(default)


def _listing(module: Module) -> dict[str, Any]:
    return {
        **module.info,
        "key": module.key,
        "isEnabled": module.is_enabled,
        "mode": module.columns.get("mode"),
        "syncInterval": module.columns.get("syncInterval") or _schedule(module) or "P0D",
        "config": module.config_pairs(known_only=True, mask=True),
    }


def targets(_obj: Any, info: Info) -> list[dict[str, Any]]:
    rows = context(info).state.admin.modules["storage"].values()
    listed = [_listing(m) for m in rows]
    return sorted(listed, key=lambda t: (t["title"], t["key"]))


def status(_obj: Any, info: Info) -> list[dict[str, Any]]:
    rows = context(info).state.admin.modules["storage"].values()
    return [
        {
            "key": m.key,
            "title": m.info.get("title"),
            "status": m.columns["state"].get("status", "pending"),
            "message": m.columns["state"].get("message", "Initializing..."),
            "lastAttempt": m.columns["state"].get("lastAttempt"),
        }
        for m in rows
        if m.is_enabled
    ]


def _init_targets(ctx: Context) -> None:
    """``storage.initTargets``: each enabled target starts; the fake's always succeed."""
    for module in sorted(ctx.state.admin.modules["storage"].values(), key=lambda m: m.key):
        if module.is_enabled:
            module.columns["state"] = {
                "status": "operational",
                "message": "",
                "lastAttempt": ctx.core.iso(),
            }


def m_update_targets(ctx: Context, targets: list[dict[str, Any] | None]) -> dict[str, Any]:
    admin = ctx.state.admin
    rows = admin.modules["storage"]
    for target in targets:
        if target is None or target["key"] not in rows:
            continue
        module = rows[target["key"]]
        config = unwrap_config(target.get("config"))
        for key, value in config.items():
            if value == MASK:
                config[key] = module.config.get(key, "")
        module.is_enabled = target["isEnabled"]
        module.columns["mode"] = target["mode"]
        module.columns["syncInterval"] = target.get("syncInterval")
        module.config = config
        module.columns["state"] = {
            "status": "pending",
            "message": "Initializing...",
            "lastAttempt": None,
        }
        admin.touch("storage", module.key)
    _init_targets(ctx)
    return {"responseResult": success("Storage targets updated successfully")}


# Handlers every storage module has besides its actions (Wiki.js checks _.hasIn(fn, handler)).
_LIFECYCLE = (
    "init",
    "sync",
    "activated",
    "deactivated",
    "created",
    "updated",
    "deleted",
    "renamed",
)


def m_execute_action(ctx: Context, targetKey: str, handler: str) -> dict[str, Any]:
    module = ctx.state.admin.modules["storage"].get(targetKey)
    if module is None or not module.is_enabled:
        raise PlainError("Invalid or Inactive Storage Target")
    handlers = [a["handler"] for a in module.info.get("actions") or []]
    if handler not in handlers and handler not in _LIFECYCLE:
        raise PlainError("Invalid Handler for Storage Target")
    return {"responseResult": success("Action completed.")}


def bind(registry: Registry) -> None:
    registry.namespace("StorageQuery", {"targets": targets, "status": status})
    registry.namespace(
        "StorageMutation",
        {"updateTargets": guarded(m_update_targets), "executeAction": guarded(m_execute_action)},
    )
