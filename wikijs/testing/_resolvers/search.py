"""``search``: the basic database search engine."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from graphql import GraphQLResolveInfo

from .._errors import success
from ._common import Context, Registry, guarded

Info = GraphQLResolveInfo


@functools.cache
def _catalogue_text() -> str:
    return resources.files("wikijs.testing").joinpath("modules-2.5.314.json").read_text("utf-8")


def module_catalogue() -> dict[str, Any]:
    """The ``searchEngines`` and ``loggers`` a real 2.5.314 lists (a fresh copy)."""
    return json.loads(_catalogue_text())  # type: ignore[no-any-return]


def engines(
    _obj: Any, _info: Info, filter: str | None = None, orderBy: str | None = None
) -> list[dict[str, Any]]:
    """Every search module of 2.5.314 with its default settings; only ``db`` is enabled."""
    found = module_catalogue()["searchEngines"]
    return sorted(found, key=lambda e: str(e.get(orderBy, ""))) if orderBy else found


def m_rebuild_index(_ctx: Context) -> dict[str, Any]:
    return {"responseResult": success("Index rebuilt successfully")}


def bind(registry: Registry) -> None:
    registry.add("SearchQuery", "searchEngines", engines)
    registry.add("SearchMutation", "rebuildIndex", guarded(m_rebuild_index))
