"""GraphQL resolvers, one module per Wiki.js namespace."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from .._errors import NotImplementedByFake
from . import (
    assets,
    authentication,
    comments,
    groups,
    localization,
    logging,
    navigation,
    pages,
    search,
    site,
    system,
    users,
)
from ._common import Context, Registry, empty_namespace

IMPLEMENTED = (
    "assets",
    "authentication",
    "comments",
    "groups",
    "localization",
    "logging",
    "navigation",
    "pages",
    "search",
    "site",
    "system",
    "users",
)
NOT_IMPLEMENTED = ("analytics", "contribute", "mail", "rendering", "storage", "theming")


def _not_implemented(namespace: str) -> Any:
    def resolver(_obj: Any, _info: GraphQLResolveInfo) -> None:
        raise NotImplementedByFake(namespace)

    return resolver


def build_registry() -> Registry:
    registry = Registry()
    for module in (
        assets,
        authentication,
        comments,
        groups,
        localization,
        logging,
        navigation,
        pages,
        search,
        site,
        system,
        users,
    ):
        module.bind(registry)
    for root in ("Query", "Mutation"):
        for name in IMPLEMENTED:
            registry.add(root, name, empty_namespace)
        for name in NOT_IMPLEMENTED:
            if root == "Mutation" and name == "contribute":
                continue
            registry.add(root, name, _not_implemented(name))
    return registry


__all__ = ["Context", "Registry", "build_registry"]
