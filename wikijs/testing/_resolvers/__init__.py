"""GraphQL resolvers, one module per Wiki.js namespace."""

from __future__ import annotations

from . import (
    analytics,
    assets,
    authentication,
    comments,
    contribute,
    groups,
    localization,
    logging,
    mail,
    navigation,
    pages,
    rendering,
    search,
    site,
    storage,
    strategies,
    system,
    theming,
    users,
)
from ._common import Context, Registry, empty_namespace

MODULES = (
    analytics,
    assets,
    authentication,
    comments,
    contribute,
    groups,
    localization,
    logging,
    mail,
    navigation,
    pages,
    rendering,
    search,
    site,
    storage,
    strategies,
    system,
    theming,
    users,
)
#: Every namespace of Wiki.js 2.5.314 (``contribute`` has no mutations).
NAMESPACES = (
    "analytics",
    "assets",
    "authentication",
    "comments",
    "contribute",
    "groups",
    "localization",
    "logging",
    "mail",
    "navigation",
    "pages",
    "rendering",
    "search",
    "site",
    "storage",
    "system",
    "theming",
    "users",
)


def build_registry() -> Registry:
    registry = Registry()
    for module in MODULES:
        module.bind(registry)
    for root in ("Query", "Mutation"):
        for name in NAMESPACES:
            registry.add(root, name, empty_namespace)
    return registry


__all__ = ["Context", "Registry", "build_registry"]
