"""The executable schema: the real SDL, ariadne bindings, ``@auth`` and ``@rateLimit``."""

from __future__ import annotations

import functools
import math
from importlib import resources
from pathlib import Path
from typing import Any

import ariadne
from graphql import (
    GraphQLField,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    default_field_resolver,
)

from ._auth import AUTH_REQUIREMENTS, RATE_LIMITS, check_access
from ._errors import NotImplementedByFake, PlainError
from ._resolvers import build_registry
from ._resolvers._common import Resolver, context


def load_sdl() -> str:
    """The Wiki.js 2.5.314 SDL shipped with the generated package (or the repo copy)."""
    try:
        return resources.files("wikijs._generated").joinpath("schema.graphql").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        repo = Path(__file__).resolve().parents[2] / "schema" / "wikijs.graphql"
        return repo.read_text("utf-8")


def _with_auth(resolver: Resolver, required: tuple[str, ...]) -> Resolver:
    def guarded(obj: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        ctx = context(info)
        if not check_access(ctx.state, ctx.user, required):
            raise PlainError("Forbidden")
        return resolver(obj, info, **args)

    return guarded


def _with_rate_limit(resolver: Resolver, key: str, limit: int, duration: int) -> Resolver:
    def limited(obj: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        ctx = context(info)
        wait = ctx.core.limiter.consume(f"{ctx.client}:{key}", limit, duration, ctx.core.now())
        if wait is not None:
            seconds = max(1, math.ceil(wait))
            raise PlainError(f"Too many requests, please try again in {seconds} seconds.")
        return resolver(obj, info, **args)

    return limited


def _missing(key: str) -> Resolver:
    def resolver(_obj: Any, _info: GraphQLResolveInfo, **_args: Any) -> Any:
        raise NotImplementedByFake(key)

    return resolver


@functools.lru_cache(maxsize=1)
def executable_schema() -> GraphQLSchema:
    """Build once per process: resolvers find their server through the context."""
    registry = build_registry()
    bindables = []
    for type_name, fields in registry.resolvers.items():
        obj = ariadne.ObjectType(type_name)
        for field_name, resolver in fields.items():
            obj.set_field(field_name, resolver)
        bindables.append(obj)
    schema: GraphQLSchema = ariadne.make_executable_schema(load_sdl(), *bindables)
    namespaces = set()
    for root in (schema.query_type, schema.mutation_type):
        assert root is not None
        for field in root.fields.values():
            named = field.type
            if isinstance(named, GraphQLObjectType):
                namespaces.add(named.name)
    for type_name in sorted(namespaces):
        gql_type = schema.type_map[type_name]
        assert isinstance(gql_type, GraphQLObjectType)
        for field_name, field in gql_type.fields.items():
            key = f"{type_name}.{field_name}"
            if field.resolve is None:
                field.resolve = _missing(key)
            _decorate(field, key)
    return schema


def _decorate(field: GraphQLField, key: str) -> None:
    resolver: Resolver = field.resolve or default_field_resolver
    required = AUTH_REQUIREMENTS.get(key)
    if required:
        resolver = _with_auth(resolver, required)
    if key in RATE_LIMITS:
        limit, duration = RATE_LIMITS[key]
        resolver = _with_rate_limit(resolver, key, limit, duration)
    field.resolve = resolver
