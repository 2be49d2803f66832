"""A rate limit shared through Redis: one limit for many processes and machines.

Every decision is one atomic Lua script run by the Redis server, timed by
the Redis server's own clock (``TIME``), so processes on machines whose
clocks disagree still share one limit exactly. The script implements the
same two strategies, with the same reservation semantics, as the local
limiter (``wikijs/middleware/_ratelimit.py``).

Needs the ``redis`` package: ``pip install 'wikijs[redis]'``.
"""

from __future__ import annotations

import importlib
from typing import Any

from ..errors import InvalidArgumentError
from ._ratelimit import BucketSpec, RateLimiter, Reservation

#: Atomically: find the earliest instant the limit allows, and book it (or not).
#: KEYS[1] the pause key, KEYS[2] the bucket's key (absent: only the pause).
#: ARGV[1] "1" to book a turn that lies ahead, "0" to refuse instead;
#: ARGV[2] the longest wait to book, in µs (-1: no limit); ARGV[3..5] the
#: bucket: "t" (token bucket, GCRA) with interval and tolerance in µs, or "w"
#: (sliding window) with capacity and window length in µs.
#: Returns {booked (1/0), wait in µs}. Times are µs of the Redis clock, so
#: machines whose clocks disagree still share one limit.
RESERVE_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local at = now
local paused = tonumber(redis.call('GET', KEYS[1]) or '0')
if paused > at then at = paused end
local kind = ARGV[3]
local a = tonumber(ARGV[4])
local b = tonumber(ARGV[5])
if kind == 't' then
  local tat = tonumber(redis.call('GET', KEYS[2]) or '0')
  if tat - b > at then at = tat - b end
elseif kind == 'w' then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', string.format('%.0f', now - b))
  local n = redis.call('ZCARD', KEYS[2])
  if n > 0 then
    local last = tonumber(redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')[2])
    if last + 1 > at then at = last + 1 end
    if n >= a then
      local oldest = tonumber(redis.call('ZRANGE', KEYS[2], -a, -a, 'WITHSCORES')[2])
      if oldest + b > at then at = oldest + b end
    end
  end
end
local wait = at - now
local max_wait = tonumber(ARGV[2])
if wait > 0 and (ARGV[1] == '0' or (max_wait >= 0 and wait > max_wait)) then
  return {0, wait}
end
if kind == 't' then
  local tat = tonumber(redis.call('GET', KEYS[2]) or '0')
  if at > tat then tat = at end
  tat = tat + a
  redis.call('SET', KEYS[2], string.format('%.0f', tat),
    'PX', math.ceil((tat - now) / 1000) + 1000)
elseif kind == 'w' then
  local stamp = string.format('%.0f', at)
  redis.call('ZADD', KEYS[2], stamp, stamp)
  redis.call('PEXPIRE', KEYS[2], math.ceil((at - now + b) / 1000) + 1000)
end
return {1, wait}
"""

#: Hold every process's requests for ARGV[1] µs (never shortens a longer hold).
PAUSE_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local hold = tonumber(ARGV[1])
local untilv = now + hold
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilv > current then
  redis.call('SET', KEYS[1], string.format('%.0f', untilv), 'PX', math.ceil(hold / 1000) + 1)
end
return 1
"""

_MISSING = (
    "the Redis rate limit needs the 'redis' package; install it with: pip install 'wikijs[redis]'"
)


def import_redis() -> Any:
    """The ``redis`` module, or an ImportError that says how to get it."""
    try:
        return importlib.import_module("redis")
    except ImportError as exc:
        raise ImportError(_MISSING) from exc


class RedisBackend:
    """Where a shared rate limit lives: a Redis server, and a name for the limit.

    Every process (and client) that uses the same Redis and ``name`` shares
    one limit. Keys look like ``wikijs:ratelimit:{default}:*`` (the braces
    keep them in one Redis Cluster slot) and expire on their own.

    Example::

        from wikijs.middleware import RateLimiter, RedisBackend

        limiter = RateLimiter(
            requests_per_second=10,
            strategy="sliding_window",
            backend=RedisBackend(url="redis://localhost:6379/0", name="wiki-prod"),
        )

    Args:
        url: a ``redis://`` or ``rediss://`` URL.
        name: the shared limit's name.
        key_prefix: the prefix of every key.
        client: a ready ``redis.Redis`` for the sync client (you keep owning it).
        async_client: a ready ``redis.asyncio.Redis`` for the async client
            (you keep owning it).
        fail_open: when Redis cannot be reached, let requests through
            unlimited (logged) instead of refusing them with
            :class:`~wikijs.errors.RateLimitExceededError`.
        socket_timeout: seconds to wait for Redis.

    Raises:
        ImportError: the ``redis`` package is not installed.
        ValidationError: a bad argument.
    """

    def __init__(
        self,
        url: str = "redis://localhost:6379/0",
        *,
        name: str = "default",
        key_prefix: str = "wikijs:ratelimit:",
        client: Any = None,
        async_client: Any = None,
        fail_open: bool = False,
        socket_timeout: float = 2.0,
    ) -> None:
        if client is None and async_client is None:
            if not isinstance(url, str) or not url.startswith(("redis://", "rediss://", "unix://")):
                raise InvalidArgumentError(
                    f"url must be a redis://, rediss:// or unix:// URL, not {url!r}", field="url"
                )
            import_redis()
        if not isinstance(name, str) or not name or "{" in name or "}" in name:
            raise InvalidArgumentError(
                f"name must be a non-empty string without braces, not {name!r}", field="name"
            )
        self.url = url
        self.name = name
        self.key_prefix = key_prefix
        self.client = client
        self.async_client = async_client
        self.fail_open = fail_open
        self.socket_timeout = socket_timeout

    def key(self, bucket: str) -> str:
        """The Redis key of one bucket of this limit."""
        return f"{self.key_prefix}{{{self.name}}}:{bucket}"

    @property
    def pause_key(self) -> str:
        return self.key("pause")

    def reserve_call(
        self, spec: BucketSpec | None, *, block: bool, max_wait: float | None
    ) -> tuple[list[str], list[str]]:
        """The keys and arguments of one ``RESERVE_SCRIPT`` call."""
        keys = [self.pause_key]
        args = ["1" if block else "0", "-1" if max_wait is None else str(_micros(max_wait))]
        if spec is None:
            args += ["-", "0", "0"]
        else:
            keys.append(self.key(f"{spec.strategy}:{spec.key}"))
            if spec.strategy == "token_bucket":
                args += ["t", str(_micros(spec.interval)), str(_micros(spec.tolerance))]
            else:
                args += ["w", str(spec.capacity), str(_micros(spec.window))]
        return keys, args

    def __repr__(self) -> str:
        return f"RedisBackend(name={self.name!r}, key_prefix={self.key_prefix!r})"


def _micros(seconds: float) -> int:
    return max(0, round(seconds * 1_000_000))


def parse_reservation(reply: Any) -> Reservation:
    """The script's ``{booked, wait µs}`` as a :class:`Reservation`."""
    booked, wait = reply
    return Reservation(bool(int(booked)), max(0, int(wait)) / 1_000_000)


def pause_micros(seconds: float) -> str:
    return str(_micros(seconds))


class RedisRateLimiter(RateLimiter):
    """A :class:`~wikijs.middleware.RateLimiter` whose limit lives in Redis.

    Shorthand for ``RateLimiter(..., backend=RedisBackend(url, name=...))``.

    Example::

        from wikijs.middleware import RedisRateLimiter

        limiter = RedisRateLimiter(
            "redis://localhost:6379/0", name="wiki-prod",
            requests_per_second=10, strategy="sliding_window",
        )

    Args:
        url: the Redis URL.
        name: the shared limit's name.
        fail_open: see :class:`RedisBackend`.
        **kwargs: the :class:`~wikijs.middleware.RateLimiter` arguments.
    """

    def __init__(
        self,
        url: str = "redis://localhost:6379/0",
        *,
        name: str = "default",
        fail_open: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(backend=RedisBackend(url, name=name, fail_open=fail_open), **kwargs)


class AsyncRedisConnector:
    """Opens the async client's connection to a :class:`RedisBackend`."""

    @staticmethod
    def connect(backend: RedisBackend) -> tuple[Any, bool]:
        """The client to use, and whether the SDK owns (and closes) it."""
        if backend.async_client is not None:
            return backend.async_client, False
        if backend.client is not None:
            raise InvalidArgumentError(
                "this RedisBackend holds a sync redis client; give async_client= "
                "(a redis.asyncio.Redis) for the async client",
                field="async_client",
            )
        import_redis()
        module = importlib.import_module("redis.asyncio")
        return (
            module.Redis.from_url(backend.url, socket_timeout=backend.socket_timeout),
            True,
        )


class RedisConnector:
    """Opens the sync client's connection to a :class:`RedisBackend`."""

    @staticmethod
    def connect(backend: RedisBackend) -> tuple[Any, bool]:
        """The client to use, and whether the SDK owns (and closes) it."""
        if backend.client is not None:
            return backend.client, False
        if backend.async_client is not None:
            raise InvalidArgumentError(
                "this RedisBackend holds an async redis client; give client= "
                "(a redis.Redis) for the sync client",
                field="client",
            )
        redis = import_redis()
        return redis.Redis.from_url(backend.url, socket_timeout=backend.socket_timeout), True
