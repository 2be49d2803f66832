"""The executable schema: the real SDL, the resolvers, ``@auth`` and ``@rateLimit``.

Any supported Wiki.js release's schema can be loaded: resolvers are bound
only to the fields that release has, so an older schema simply lacks what
its Wiki.js lacked (and the server refuses it, as the real one does).

Bound with graphql-core alone: ``build_schema`` reads the SDL and each
resolver becomes its field's ``resolve``. Nothing more is needed: enum
values stay their names (what graphql-js hands a Wiki.js resolver), the
custom scalars (``Date``, ``JSON``…) keep graphql-core's default coercion
(resolvers return the strings Wiki.js sends), and ``@auth``/``@rateLimit``
are applied below. ariadne, which bound them until 0.2, added nothing else
but a graphql-core version cap (its enum patch breaks on 3.2.14).
"""

from __future__ import annotations

import functools
import math
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    assert_valid_schema,
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
    schema = build_schema(load_sdl(release))
    assert_valid_schema(schema)
    for type_name, fields in build_registry().resolvers.items():
        type_ = schema.type_map.get(type_name)
        if not isinstance(type_, GraphQLObjectType):
            continue  # a namespace this release does not have
        for field_name, resolver in fields.items():
            field = type_.fields.get(field_name)
            if field is not None:
                field.resolve = resolver
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
