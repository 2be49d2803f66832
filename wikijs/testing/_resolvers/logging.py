"""``logging``: loggers, and the ``loggingLiveTrail`` subscription's payloads."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from .._errors import success
from .._modules import raw_config
from ._common import Context, Registry, context, guarded

Info = GraphQLResolveInfo


def loggers(
    _obj: Any, info: Info, filter: str | None = None, orderBy: str | None = None
) -> list[dict[str, Any]]:
    """Every logging module with its settings, in table order (none enabled on a fresh server)."""
    rows = context(info).state.admin.modules["loggers"].values()
    listed = [
        {
            **m.info,
            "key": m.key,
            "isEnabled": m.is_enabled,
            "level": m.columns.get("level"),
            "config": m.config_pairs(known_only=False),
        }
        for m in rows
    ]
    # _.sortBy(loggers, [orderBy]): the UI's "title ASC" names no property and changes nothing
    return sorted(listed, key=lambda e: str(e.get(orderBy) or "")) if orderBy else listed


def m_update_loggers(ctx: Context, loggers: list[dict[str, Any] | None] | None) -> dict[str, Any]:
    """Each logger's settings are stored as the text given (Wiki.js does not unwrap ``v`` here)."""
    admin = ctx.state.admin
    rows = admin.modules["loggers"]
    for logger in loggers or []:
        if logger is None:
            continue
        module = rows.get(logger["key"])
        if module is None:
            continue
        module.is_enabled = logger["isEnabled"]
        module.columns["level"] = logger["level"]
        module.config = raw_config(logger.get("config"))
        admin.touch("loggers", module.key)
    return {"responseResult": success("Loggers updated successfully")}


def live_trail(obj: Any, _info: Info) -> Any:
    """The subscription's root value is the event itself."""
    return obj.get("loggingLiveTrail") if isinstance(obj, dict) else None


def bind(registry: Registry) -> None:
    registry.add("LoggingQuery", "loggers", loggers)
    registry.add("LoggingMutation", "updateLoggers", guarded(m_update_loggers))
    registry.add("Subscription", "loggingLiveTrail", live_trail)
