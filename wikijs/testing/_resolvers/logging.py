"""``logging``: loggers, and the ``loggingLiveTrail`` subscription's payloads."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from ._common import Registry
from .search import module_catalogue

Info = GraphQLResolveInfo


def loggers(
    _obj: Any, _info: Info, filter: str | None = None, orderBy: str | None = None
) -> list[dict[str, Any]]:
    """Every logging module of 2.5.314 with its default settings (none enabled)."""
    found = module_catalogue()["loggers"]
    return sorted(found, key=lambda e: str(e.get(orderBy, ""))) if orderBy else found


def live_trail(obj: Any, _info: Info) -> Any:
    """The subscription's root value is the event itself."""
    return obj.get("loggingLiveTrail") if isinstance(obj, dict) else None


def bind(registry: Registry) -> None:
    registry.add("LoggingQuery", "loggers", loggers)
    registry.add("Subscription", "loggingLiveTrail", live_trail)
