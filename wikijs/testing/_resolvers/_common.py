"""What every resolver module shares: the request context and the registry."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLResolveInfo

from .._auth import Principal
from .._core import Core
from .._errors import GraphQLMessageError, PlainError, WikiError, response_result
from .._state import State

Resolver = Callable[..., Any]

_requests = itertools.count(1)


@dataclass
class Context:
    """``context.req`` of a Wiki.js resolver."""

    core: Core
    user: Principal
    client: str = "127.0.0.1"
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    tree_rebuilds: int = 0  # page-tree rebuilds the current mutation field ran
    #: Tells one request's writes from another's (the tag race is between requests).
    request: int = field(default_factory=lambda: next(_requests))
    #: When the request arrived (``time.monotonic()``), before it waited for its turn.
    arrived: float = field(default_factory=time.monotonic)
    #: A failed write answers no sooner than this (it waited on another's insert).
    answer_after: float = 0.0

    @property
    def state(self) -> State:
        return self.core.state

    def fork(self) -> Context:
        """The same caller in a request of its own (an operation of a JSON array)."""
        return Context(self.core, self.user, self.client, arrived=self.arrived)

    @property
    def quirks(self) -> bool:
        return self.core.quirks


def context(info: GraphQLResolveInfo) -> Context:
    ctx = info.context
    assert isinstance(ctx, Context)
    return ctx


class Registry:
    """Collects ``Type.field`` resolvers; the schema module (_schema.py) binds them."""

    def __init__(self) -> None:
        self.resolvers: dict[str, dict[str, Resolver]] = {}

    def add(self, type_name: str, field_name: str, resolver: Resolver) -> None:
        self.resolvers.setdefault(type_name, {})[field_name] = resolver

    def namespace(self, type_name: str, fields: dict[str, Resolver]) -> None:
        for name, resolver in fields.items():
            self.add(type_name, name, resolver)


def empty_namespace(_obj: Any, _info: GraphQLResolveInfo) -> dict[str, Any]:
    return {}


def guarded(func: Callable[..., dict[str, Any]]) -> Resolver:
    """Wrap a mutation body like Wiki.js's ``try { ... } catch (err) { generateError(err) }``."""

    def resolver(_obj: Any, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        try:
            return func(context(info), **args)
        except (WikiError, PlainError, GraphQLMessageError, ValueError) as error:
            return {"responseResult": response_result(error)}

    return resolver
