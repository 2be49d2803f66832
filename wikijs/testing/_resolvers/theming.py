"""``theming``: theme, icons, dark mode, injected code (server/graph/resolvers/theming.js)."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from .._css import beautify_css, minify_css
from .._errors import success
from ._common import Context, Registry, context, guarded

Info = GraphQLResolveInfo


def themes(_obj: Any, _info: Info) -> list[dict[str, Any]]:
    return [{"key": "default", "title": "Default", "author": "requarks.io"}]


def config(_obj: Any, info: Info) -> dict[str, Any]:
    theming = context(info).state.admin.theming
    return {
        "theme": theming["theme"],
        "iconset": theming["iconset"],
        "darkMode": theming["darkMode"],
        "tocPosition": theming.get("tocPosition") or "left",
        # read back through clean-css's beautifier
        "injectCSS": beautify_css(theming.get("injectCSS") or ""),
        "injectHead": theming["injectHead"],
        "injectBody": theming["injectBody"],
    }


def m_set_config(
    ctx: Context,
    theme: str,
    iconset: str,
    darkMode: bool,
    tocPosition: str | None = None,
    injectCSS: str | None = None,
    injectHead: str | None = None,
    injectBody: str | None = None,
) -> dict[str, Any]:
    if injectCSS:
        injectCSS = minify_css(injectCSS)
    ctx.state.admin.theming = {
        **ctx.state.admin.theming,
        "theme": theme,
        "iconset": iconset,
        "darkMode": darkMode,
        "tocPosition": tocPosition or "left",
        "injectCSS": injectCSS or "",
        "injectHead": injectHead or "",
        "injectBody": injectBody or "",
    }
    return {"responseResult": success("Theme config updated")}


def bind(registry: Registry) -> None:
    registry.namespace("ThemingQuery", {"themes": themes, "config": config})
    registry.add("ThemingMutation", "setConfig", guarded(m_set_config))
