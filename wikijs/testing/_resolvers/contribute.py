"""``contribute``: Wiki.js's sponsors, which the server asks graph.requarks.io for.

The fake has no internet, like a server that cannot reach requarks.io: the
resolver catches the failure, logs it and answers nothing (``null``).
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from ._common import Registry, context

Info = GraphQLResolveInfo


def contributors(_obj: Any, info: Info) -> list[dict[str, Any]] | None:
    sponsors = context(info).core.sponsors
    if sponsors is None:
        context(info).core.log("warn", "Error: getaddrinfo ENOTFOUND graph.requarks.io")
        return None
    return list(sponsors)


def bind(registry: Registry) -> None:
    registry.add("ContributeQuery", "contributors", contributors)
