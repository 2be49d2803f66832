"""The executable schema: the real SDL, ariadne bindings, ``@auth`` and ``@rateLimit``.

Any supported Wiki.js release's schema can be loaded: resolvers are bound
only to the fields that release has, so an older schema simply lacks what
its Wiki.js lacked (and the server refuses it, as the real one does).
"""

from __future__ import annotations

import functools
import math
from typing import Any

import ariadne
from graphql import (
    GraphQLField,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    build_schema,
    default_field_resolver,
)

from .._facts import schema_text
from ._auth import AUTH_REQUIREMENTS, RATE_LIMITS, check_access
from ._errors import NotImplementedByFake, PlainError
from ._resolvers import build_registry
from ._resolvers._common import Resolver, context


def load_sdl(release: str | None = None) -> str:
    """The SDL of an API release (``schemas/history``), or of the SDK's own when ``None``."""
    return schema_text(release)


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


@functools.cache
def executable_schema(release: str | None = None) -> GraphQLSchema:
    """Build once per release and process: resolvers find their server through the context."""
    sdl = load_sdl(release)
    available = build_schema(sdl).type_map
    registry = build_registry()
    bindables = []
    for type_name, fields in registry.resolvers.items():
        type_ = available.get(type_name)
        if not isinstance(type_, GraphQLObjectType):
            continue
        obj = ariadne.ObjectType(type_name)
        for field_name, resolver in fields.items():
            if field_name in type_.fields:
                obj.set_field(field_name, resolver)
        bindables.append(obj)
    schema: GraphQLSchema = ariadne.make_executable_schema(sdl, *bindables)
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
