"""``rendering``: the renderers (server/graph/resolvers/rendering.js)."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from .._errors import success
from .._modules import unwrap_config
from ._common import Context, Registry, context, guarded

Info = GraphQLResolveInfo


def renderers(
    _obj: Any, info: Info, filter: str | None = None, orderBy: str | None = None
) -> list[dict[str, Any]]:
    rows = context(info).state.admin.modules["renderers"].values()
    listed = [
        {
            **m.info,
            "key": m.key,
            "isEnabled": m.is_enabled,
            "config": m.config_pairs(known_only=True),
        }
        for m in rows
    ]
    # _.sortBy(renderers, [orderBy]): a property name ("title"), not "title ASC"
    return sorted(listed, key=lambda r: str(r.get(orderBy) or "")) if orderBy else listed


def m_update_renderers(
    ctx: Context, renderers: list[dict[str, Any] | None] | None
) -> dict[str, Any]:
    admin = ctx.state.admin
    rows = admin.modules["renderers"]
    for renderer in renderers or []:
        if renderer is None:
            continue
        module = rows.get(renderer["key"])
        if module is None:
            continue  # a PATCH ... WHERE key = … that matches nothing
        module.is_enabled = renderer["isEnabled"]
        module.config = unwrap_config(renderer.get("config"))
        admin.touch("renderers", module.key)
    return {"responseResult": success("Renderers updated successfully")}


def bind(registry: Registry) -> None:
    registry.add("RenderingQuery", "renderers", renderers)
    registry.add("RenderingMutation", "updateRenderers", guarded(m_update_renderers))
