"""``navigation``: the site navigation tree and mode."""

from __future__ import annotations

import copy
from typing import Any

from graphql import GraphQLResolveInfo

from .._errors import success
from ._common import Context, Registry, context, guarded

Info = GraphQLResolveInfo


def tree(_obj: Any, info: Info) -> list[dict[str, Any]]:
    return copy.deepcopy(context(info).state.nav_tree)


def config(_obj: Any, info: Info) -> dict[str, Any]:
    return {"mode": context(info).state.nav_mode}


def m_update_tree(ctx: Context, tree: list[dict[str, Any] | None]) -> dict[str, Any]:
    ctx.state.nav_tree = [copy.deepcopy(t) for t in tree if t is not None]
    return {"responseResult": success("Navigation updated successfully")}


def m_update_config(ctx: Context, mode: str) -> dict[str, Any]:
    ctx.state.nav_mode = mode
    return {"responseResult": success("Navigation mode updated successfully")}


def bind(registry: Registry) -> None:
    registry.namespace("NavigationQuery", {"tree": tree, "config": config})
    registry.namespace(
        "NavigationMutation",
        {"updateTree": guarded(m_update_tree), "updateConfig": guarded(m_update_config)},
    )
