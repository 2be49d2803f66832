"""``site``: the site configuration."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from .._errors import success
from ._common import Context, Registry, context, guarded

Info = GraphQLResolveInfo


def config(_obj: Any, info: Info) -> dict[str, Any]:
    return dict(context(info).state.site)


def m_update_config(ctx: Context, **args: Any) -> dict[str, Any]:
    """``_.get(args, name, current)``: a setting given as null is stored as null."""
    for key, value in args.items():
        ctx.state.site[key] = value
    return {"responseResult": success("Site configuration updated successfully")}


def bind(registry: Registry) -> None:
    registry.add("SiteQuery", "config", config)
    registry.add("SiteMutation", "updateConfig", guarded(m_update_config))
