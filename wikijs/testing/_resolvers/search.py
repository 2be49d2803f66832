"""``search``: the engines (server/graph/resolvers/search.js); queries are ``pages.search``."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from .._errors import success
from .._modules import unwrap_config
from ._common import Context, Registry, context, guarded

Info = GraphQLResolveInfo


def engines(
    _obj: Any, info: Info, filter: str | None = None, orderBy: str | None = None
) -> list[dict[str, Any]]:
    """Every search module with its settings, in table order (a fresh server uses ``db``)."""
    rows = context(info).state.admin.modules["searchEngines"].values()
    listed = [
        {
            **m.info,
            "key": m.key,
            "isEnabled": m.is_enabled,
            "config": m.config_pairs(known_only=True),
        }
        for m in rows
    ]
    # _.sortBy(engines, [orderBy]): a property name, such as the UI's "title"
    return sorted(listed, key=lambda e: str(e.get(orderBy) or "")) if orderBy else listed


def m_update_search_engines(
    ctx: Context, engines: list[dict[str, Any] | None] | None
) -> dict[str, Any]:
    admin = ctx.state.admin
    rows = admin.modules["searchEngines"]
    for engine in engines or []:
        if engine is None:
            continue
        module = rows.get(engine["key"])
        if module is None:
            continue
        module.is_enabled = engine["isEnabled"]
        module.config = unwrap_config(engine.get("config"))
        admin.touch("searchEngines", module.key)
    # initEngine({activate: true}): the first enabled row (in table order) becomes the engine.
    active = next((m.key for m in rows.values() if m.is_enabled), None)
    if active is not None:
        admin.search_engine = active
    return {"responseResult": success("Search Engines updated successfully")}


def m_rebuild_index(_ctx: Context) -> dict[str, Any]:
    return {"responseResult": success("Index rebuilt successfully")}


def bind(registry: Registry) -> None:
    registry.add("SearchQuery", "searchEngines", engines)
    registry.namespace(
        "SearchMutation",
        {
            "rebuildIndex": guarded(m_rebuild_index),
            "updateSearchEngines": guarded(m_update_search_engines),
        },
    )
