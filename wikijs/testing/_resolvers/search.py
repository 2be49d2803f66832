"""``search``: the basic database search engine."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from .._errors import success
from ._common import Context, Registry, guarded

Info = GraphQLResolveInfo


def engines(
    _obj: Any, _info: Info, filter: str | None = None, orderBy: str | None = None
) -> list[dict[str, Any]]:
    return [
        {
            "key": "db",
            "title": "Database - Basic",
            "description": "Default basic database-based search engine.",
            "isAvailable": True,
            "isEnabled": True,
            "logo": "",
            "website": "https://www.requarks.io",
            "config": [],
        }
    ]


def m_rebuild_index(_ctx: Context) -> dict[str, Any]:
    return {"responseResult": success("Index rebuilt successfully")}


def bind(registry: Registry) -> None:
    registry.add("SearchQuery", "searchEngines", engines)
    registry.add("SearchMutation", "rebuildIndex", guarded(m_rebuild_index))
