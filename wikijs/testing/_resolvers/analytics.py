"""``analytics``: the tracking providers (server/graph/resolvers/analytics.js)."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from .._errors import success
from .._modules import unwrap_config
from ._common import Context, Registry, context, guarded

Info = GraphQLResolveInfo


def providers(_obj: Any, info: Info, isEnabled: bool | None = None) -> list[dict[str, Any]]:
    rows = context(info).state.admin.modules["analytics"].values()
    listed = [
        {
            **m.info,
            # WIKI.data.analytics keeps `props` as an object: selecting it fails, as on 2.5.314.
            "props": dict(m.definitions),
            "key": m.key,
            "isEnabled": m.is_enabled,
            "config": m.config_pairs(known_only=False),
        }
        for m in rows
        if isEnabled is None or m.is_enabled == isEnabled
    ]
    return sorted(listed, key=lambda p: p["key"])


def m_update_providers(ctx: Context, providers: list[dict[str, Any] | None]) -> dict[str, Any]:
    admin = ctx.state.admin
    rows = admin.modules["analytics"]
    for provider in providers:
        if provider is None:
            continue
        module = rows.get(provider["key"])
        if module is None:
            continue
        module.is_enabled = provider["isEnabled"]
        module.config = unwrap_config(provider.get("config"))
        admin.touch("analytics", module.key)
    return {"responseResult": success("Providers updated successfully")}


def bind(registry: Registry) -> None:
    registry.add("AnalyticsQuery", "providers", providers)
    registry.add("AnalyticsMutation", "updateProviders", guarded(m_update_providers))
