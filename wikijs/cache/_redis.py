"""A cache in Redis: shared by processes and hosts, invalidated across all of them."""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .._protocol.cache_keys import CLOCK_KEY, version_key
from ..errors import InvalidArgumentError
from ._base import CacheBackend

# Advance the clock past both its last value and the server's time in µs, and
# stamp each tag with it: one atomic step, whatever the number of clients.
# (The wall-clock floor means a clock lost in a restart restarts above every
# earlier reading; "%d" because Lua 5.1 prints large numbers as 1.7e+15.)
_BUMP = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local value = tonumber(redis.call('GET', KEYS[1]) or '0') + 1
if now > value then value = now end
local text = string.format('%d', value)
redis.call('SET', KEYS[1], text)
local ttl = tonumber(ARGV[1])
for i = 2, #KEYS do
  if ttl > 0 then
    redis.call('SET', KEYS[i], text, 'PX', ttl)
  else
    redis.call('SET', KEYS[i], text)
  end
end
return value
"""

_MISSING_REDIS = (
    "RedisCache needs the redis package, which is not installed: pip install 'wikijs[redis]'"
)


def _import_redis() -> Any:
    try:
        import redis
        import redis.asyncio
    except ImportError as exc:
        raise ImportError(_MISSING_REDIS) from exc
    return redis


def _int(value: Any) -> int:
    try:
        return int(value) if value is not None else 0
    except (TypeError, ValueError):
        return 0


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None and parts.username is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, f"***@{host}", parts.path, parts.query, parts.fragment))


class RedisCache(CacheBackend):
    """Answers kept in Redis, shared by every process that uses the same
    server and ``key_prefix`` — and so is invalidation: a write made by one
    process makes the others' copies stale on their next read.

    Uses redis-py (``pip install 'wikijs[redis]'``) with a connection pool
    for the sync client and one per event loop for the async client. Every
    key starts with ``key_prefix``, so several applications or wikis can
    share one Redis database. When Redis is unreachable, calls go to the
    server uncached (slower, not failing) and Redis is tried again every
    ``retry_interval`` seconds.

    Example::

        from wikijs.cache import RedisCache

        cache = RedisCache(url="redis://localhost:6379/0", ttl=600, key_prefix="wikijs:")
        client = WikiJSClient(url, auth=api_key, cache=cache)

    Args:
        url: a ``redis://`` or ``rediss://`` URL; or give ``host`` and ``port``.
        host: the server's host, when no ``url`` is given.
        port: the server's port, when no ``url`` is given.
        db: the database number, when no ``url`` is given.
        username: the user name, when no ``url`` is given.
        password: the password, when no ``url`` is given.
        ssl: ``True`` for TLS, when no ``url`` is given.
        ttl: seconds an entry lives (``None``: until evicted by Redis).
        key_prefix: put before every key.
        max_connections: pool size (per event loop for the async client).
        socket_timeout: seconds to wait for an answer before giving up.
        connect_timeout: seconds to wait for a connection.
        retry_interval: after a failure, seconds to work without Redis.
        clock: seconds, for the intervals (injectable for tests).

    Raises:
        ImportError: the ``redis`` package is missing.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        host: str = "localhost",
        port: int = 6379,
        db: int = 0,
        username: str | None = None,
        password: str | None = None,
        ssl: bool = False,
        ttl: float | None = 600,
        key_prefix: str = "wikijs:",
        max_connections: int = 50,
        socket_timeout: float = 0.5,
        connect_timeout: float = 0.5,
        retry_interval: float = 2.0,
        warn_interval: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._redis = _import_redis()
        super().__init__(
            ttl=ttl, retry_interval=retry_interval, warn_interval=warn_interval, clock=clock
        )
        if url is not None and (not isinstance(url, str) or "://" not in url):
            raise InvalidArgumentError("url must be a redis:// or rediss:// URL", field="url")
        if not isinstance(key_prefix, str):
            raise InvalidArgumentError("key_prefix must be a string", field="key_prefix")
        self.url = url
        self.key_prefix = key_prefix
        self._pool_options: dict[str, Any] = {
            "max_connections": max_connections,
            "timeout": connect_timeout,
            "socket_timeout": socket_timeout,
            "socket_connect_timeout": connect_timeout,
        }
        self._server: dict[str, Any] = {
            "host": host,
            "port": port,
            "db": db,
            "username": username,
            "password": password,
        }
        self._ssl = ssl
        self._sync: Any = None
        self._sync_bump: Any = None
        self._async: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, tuple[Any, Any]] = (
            weakref.WeakKeyDictionary()
        )
        self._clock_key = key_prefix + CLOCK_KEY

    def __repr__(self) -> str:
        where = (
            _redact(self.url)
            if self.url
            else f"host={self._server['host']!r}, port={self._server['port']}"
        )
        if self.url:
            where = f"url={where!r}"
        return f"RedisCache({where}, key_prefix={self.key_prefix!r}, ttl={self.ttl})"

    # -- connections -----------------------------------------------------------------

    def _pool(self, module: Any, retry: Any) -> Any:
        options = {**self._pool_options, "retry": retry}
        if self.url is not None:
            return module.BlockingConnectionPool.from_url(self.url, **options)
        server = {k: v for k, v in self._server.items() if v is not None}
        if self._ssl:
            options["connection_class"] = module.SSLConnection
        return module.BlockingConnectionPool(**server, **options)

    def _client(self) -> Any:
        if self._sync is None:
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            # One immediate retry: a pooled connection broken by a restart
            # reconnects transparently; a server that is down fails fast.
            pool = self._pool(self._redis, Retry(NoBackoff(), 1))
            self._sync = self._redis.Redis(connection_pool=pool)
            self._sync_bump = self._sync.register_script(_BUMP)
        return self._sync

    def _aclient(self) -> tuple[Any, Any]:
        loop = asyncio.get_running_loop()
        found = self._async.get(loop)
        if found is None:
            from redis.asyncio.retry import Retry
            from redis.backoff import NoBackoff

            module = self._redis.asyncio
            client = module.Redis(connection_pool=self._pool(module, Retry(NoBackoff(), 1)))
            found = (client, client.register_script(_BUMP))
            self._async[loop] = found
        return found

    def _key(self, key: str) -> str:
        return self.key_prefix + key

    def _snapshot_keys(self, key: str, tags: Sequence[str]) -> list[str]:
        return [self._key(key), self._clock_key, *(self._key(version_key(t)) for t in tags)]

    def _bump_args(self, tags: Sequence[str]) -> tuple[list[str], list[int]]:
        ttl = self.version_ttl
        keys = [self._clock_key, *(self._key(version_key(t)) for t in tags)]
        return keys, [0 if ttl is None else int(ttl * 1000)]

    def _set_args(self, ttl: float | None) -> dict[str, Any]:
        return {} if ttl is None else {"px": max(1, int(ttl * 1000))}

    def _pattern(self) -> str:
        escaped = "".join("\\" + ch if ch in "*?[]\\" else ch for ch in self.key_prefix)
        return escaped + "*"

    # -- primitives (sync) -------------------------------------------------------------

    def _get(self, key: str) -> bytes | None:
        value: bytes | None = self._client().get(self._key(key))
        return value

    def _set(self, key: str, data: bytes, ttl: float | None) -> None:
        self._client().set(self._key(key), data, **self._set_args(ttl))

    def _delete(self, key: str) -> bool:
        return bool(self._client().delete(self._key(key)))

    def _clear(self) -> None:
        client = self._client()
        batch: list[bytes] = []
        for name in client.scan_iter(match=self._pattern(), count=500):
            if name != self._clock_key.encode():
                batch.append(name)
            if len(batch) >= 500:
                client.unlink(*batch)
                batch.clear()
        if batch:
            client.unlink(*batch)

    def _snapshot(self, key: str, tags: Sequence[str]) -> tuple[bytes | None, int, list[int]]:
        values = self._client().mget(self._snapshot_keys(key, tags))
        return values[0], _int(values[1]), [_int(v) for v in values[2:]]

    def _versions(self, tags: Sequence[str]) -> list[int]:
        values = self._client().mget([self._key(version_key(t)) for t in tags])
        return [_int(v) for v in values]

    def _bump(self, tags: Sequence[str]) -> None:
        self._client()
        keys, args = self._bump_args(tags)
        self._sync_bump(keys=keys, args=args)

    # -- primitives (async) ---------------------------------------------------------------

    async def _aget(self, key: str) -> bytes | None:
        client, _ = self._aclient()
        value: bytes | None = await client.get(self._key(key))
        return value

    async def _aset(self, key: str, data: bytes, ttl: float | None) -> None:
        client, _ = self._aclient()
        await client.set(self._key(key), data, **self._set_args(ttl))

    async def _adelete(self, key: str) -> bool:
        client, _ = self._aclient()
        return bool(await client.delete(self._key(key)))

    async def _aclear(self) -> None:
        client, _ = self._aclient()
        batch: list[bytes] = []
        async for name in client.scan_iter(match=self._pattern(), count=500):
            if name != self._clock_key.encode():
                batch.append(name)
            if len(batch) >= 500:
                await client.unlink(*batch)
                batch.clear()
        if batch:
            await client.unlink(*batch)

    async def _asnapshot(
        self, key: str, tags: Sequence[str]
    ) -> tuple[bytes | None, int, list[int]]:
        client, _ = self._aclient()
        values = await client.mget(self._snapshot_keys(key, tags))
        return values[0], _int(values[1]), [_int(v) for v in values[2:]]

    async def _aversions(self, tags: Sequence[str]) -> list[int]:
        client, _ = self._aclient()
        values = await client.mget([self._key(version_key(t)) for t in tags])
        return [_int(v) for v in values]

    async def _abump(self, tags: Sequence[str]) -> None:
        _, bump = self._aclient()
        keys, args = self._bump_args(tags)
        await bump(keys=keys, args=args)

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the sync connection pool (a later call opens a new one)."""
        client, self._sync = self._sync, None
        if client is not None:
            client.close()
            client.connection_pool.disconnect()

    async def aclose(self) -> None:
        """Close this event loop's connection pool (and the sync one)."""
        self.close()
        found = self._async.pop(asyncio.get_running_loop(), None)
        if found is not None:
            await found[0].aclose()
            await found[0].connection_pool.disconnect()
