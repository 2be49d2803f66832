"""The cache layer: the outermost middleware, in front of retries and limits.

Queries are answered from the :class:`~wikijs.cache.CacheBackend` when a
fresh answer is there, and stored after a miss; mutations go through and
then invalidate the tags they can affect (whether they succeeded or not: a
failed write may still have landed). A cache hit never consumes a rate-limit
token or opens a circuit, and the store's failures never reach the caller
(the backend turns them into warnings and misses).

Keys, tags and freshness are decided in :mod:`wikijs._protocol.cache_keys`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from .._protocol.cache_keys import cache_mode, fields_mutation_tags, query_plan, result_tags
from .._protocol.operation import Operation
from ..auth import Auth
from ..cache import CacheBackend
from .pipeline import RAW, NextCall


def invalidated_by(operation: Operation) -> tuple[str, ...]:
    """The tags a mutation (or a batch of them) can affect."""
    if operation.members:
        tags: set[str] = set()
        for member in operation.members:
            tags.update(fields_mutation_tags(member.facts, member.variables))
        return tuple(sorted(tags))
    return fields_mutation_tags(operation.facts, operation.variables)


class AsyncCacheLayer:
    """Middleware that caches query answers in ``backend``.

    Args:
        backend: where answers live.
        scope: the wiki's base URL (answers of two wikis never mix).
        auth: whose answers these are (:meth:`~wikijs.auth.Auth.cache_identity`).
        credentials: awaited before answering from the cache, so that a
            cached answer is only ever served to credentials the server
            accepted (a login for :class:`~wikijs.auth.JWTAuth`, whose cache
            identity does not involve the password).
    """

    def __init__(
        self,
        backend: CacheBackend,
        *,
        scope: str,
        auth: Auth,
        credentials: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        self.backend = backend
        self.scope = scope
        self.auth = auth
        self.credentials = credentials

    async def __call__(self, operation: Operation, call_next: NextCall) -> dict[str, Any]:
        kind = operation.facts.kind
        if kind == "mutation":
            try:
                return await call_next(operation)
            finally:
                await self.backend.ainvalidate(*invalidated_by(operation))
        if (
            kind != "query"
            or operation.members
            or operation.http is not None
            or operation.options.get(RAW)
        ):
            return await call_next(operation)
        mode = cache_mode(operation.options)
        if mode == "off":
            return await call_next(operation)
        try:
            identity = self.auth.cache_identity()
        except NotImplementedError:  # a custom Auth that cannot say whom it acts as
            return await call_next(operation)
        plan = query_plan(
            operation.document,
            operation.name,
            operation.variables,
            scope=self.scope,
            identity=identity,
        )
        if plan is None:
            return await call_next(operation)
        if self.credentials is not None:
            await self.credentials()
        found = await self.backend.alookup(plan.key, plan.tags, refresh=mode == "refresh")
        if found is not None and found.value is not None:
            return found.value
        data = await call_next(operation)
        if found is not None:
            tags = (*plan.tags, *result_tags(plan, data))
            await self.backend.astore(plan.key, data, tags, found.clock)
        return data
