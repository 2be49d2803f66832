"""The interface every cache backend implements, and what they share.

A backend stores JSON values (never pickles) under string keys, with a
time-to-live, and keeps the bookkeeping that invalidation needs: a logical
clock and, per tag, the clock value of its last bump (see
:mod:`wikijs._protocol.cache_keys`). Subclasses implement a handful of private
primitives; this class turns them into the public API, counts hits and
misses, and makes every failure of the store (Redis down, disk full, an
unwritable directory) a :class:`CacheWarning` and a miss — never an
exception in the caller's request.
"""

from __future__ import annotations

import logging
import threading
import time
import warnings
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson

from .._protocol.cache_keys import ALL, RESERVED_PREFIX, Envelope
from ..errors import InvalidArgumentError

__all__ = ["CacheBackend", "CacheStats", "CacheWarning", "Lookup"]

logger = logging.getLogger("wikijs.cache")

T = TypeVar("T")

#: Pending invalidations kept while the store is unreachable, before they
#: collapse into one "invalidate everything".
_MAX_PENDING = 1000


class CacheWarning(RuntimeWarning):
    """A cache backend failed; requests go to the server without it for a while.

    Filter it like any warning::

        import warnings
        from wikijs.cache import CacheWarning

        warnings.simplefilter("ignore", CacheWarning)
    """


@dataclass(frozen=True, slots=True)
class CacheStats:
    """Counters of one backend object, since it was created (or :meth:`CacheBackend.reset_stats`).

    Attributes:
        hits: lookups answered from the cache.
        misses: lookups that went to the server (absent, expired or stale).
        evictions: entries dropped to respect the size cap or their TTL.
        errors: failures of the store, each one answered without the cache.
    """

    hits: int = 0
    misses: int = 0
    evictions: int = 0
    errors: int = 0

    @property
    def lookups(self) -> int:
        return self.hits + self.misses

    @property
    def hit_ratio(self) -> float:
        """``hits / (hits + misses)``; ``0.0`` before the first lookup."""
        return self.hits / self.lookups if self.lookups else 0.0


@dataclass(frozen=True, slots=True)
class Lookup:
    """The outcome of :meth:`CacheBackend.lookup`.

    Attributes:
        value: the cached data, or ``None`` on a miss.
        clock: the clock reading to store a fresh answer with.
    """

    value: dict[str, Any] | None
    clock: int


def _check_key(key: Any) -> str:
    if not isinstance(key, str) or not key:
        raise InvalidArgumentError("a cache key is a non-empty string", field="key")
    if key.startswith(RESERVED_PREFIX):
        raise InvalidArgumentError(
            f"cache keys starting with {RESERVED_PREFIX!r} are the cache's own", field="key"
        )
    return key


def check_ttl(ttl: Any, name: str = "ttl") -> float | None:
    if ttl is None:
        return None
    if isinstance(ttl, bool) or not isinstance(ttl, (int, float)) or not ttl > 0:
        raise InvalidArgumentError(
            f"{name} must be a positive number of seconds or None", field=name
        )
    return float(ttl)


def encode(value: Any) -> bytes:
    try:
        return orjson.dumps(value)
    except TypeError as exc:
        raise InvalidArgumentError(
            f"the value cannot be stored as JSON: {exc}", field="value"
        ) from None


def decode(data: bytes | None) -> Any:
    if data is None:
        return None
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return None


class CacheBackend(ABC):
    """Where the client keeps answers: :class:`~wikijs.cache.MemoryCache`,
    :class:`~wikijs.cache.FileCache` or :class:`~wikijs.cache.RedisCache`.

    Every method has an async twin with an ``a`` prefix (``get``/``aget``,
    ``set``/``aset``, …): the sync client uses the former, the async client
    the latter, and one backend object serves both.

    Values are JSON (dicts, lists, strings, numbers, booleans, ``None``);
    keys are strings, and keys starting with ``_`` belong to the cache's
    bookkeeping. No method raises because the store failed: reads miss,
    writes are skipped, a :class:`CacheWarning` is issued (at most once per
    ``warn_interval``) and the store is left alone for ``retry_interval``.

    Example::

        from wikijs.cache import MemoryCache

        cache = MemoryCache(ttl=300, max_size=1000)
        client = WikiJSClient(url, auth=api_key, cache=cache)
        client.pages.get(12)
        print(cache.stats().hit_ratio)
        cache.invalidate("page:12")      # evict what depends on page 12
        cache.clear()                    # evict everything

    Args:
        ttl: seconds an entry lives (``None``: until evicted or invalidated).
        retry_interval: after a failure, seconds to answer without the store
            before trying it again.
        warn_interval: at most one :class:`CacheWarning` per this many seconds.
        clock: seconds, for the two intervals (injectable for tests).
    """

    def __init__(
        self,
        *,
        ttl: float | None,
        retry_interval: float = 2.0,
        warn_interval: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl: float | None = check_ttl(ttl)
        if isinstance(retry_interval, bool) or not isinstance(retry_interval, (int, float)):
            raise InvalidArgumentError("retry_interval must be a number", field="retry_interval")
        if retry_interval < 0:
            raise InvalidArgumentError("retry_interval cannot be negative", field="retry_interval")
        self.retry_interval: float = float(retry_interval)
        self.warn_interval: float = float(warn_interval)
        self._now = clock
        self._stats_lock = threading.Lock()
        self._hits = self._misses = self._evictions = self._errors = 0
        self._down_until: float | None = None
        self._last_warning: float | None = None
        self._suppressed = 0
        self._pending: set[str] = set()

    @property
    def version_ttl(self) -> float | None:
        """How long tag versions live: past any entry that one could invalidate."""
        return None if self.ttl is None else 2 * self.ttl + 60

    # -- the primitives a backend implements ------------------------------------

    @abstractmethod
    def _get(self, key: str) -> bytes | None: ...

    @abstractmethod
    def _set(self, key: str, data: bytes, ttl: float | None) -> None: ...

    @abstractmethod
    def _delete(self, key: str) -> bool: ...

    @abstractmethod
    def _clear(self) -> None:
        """Drop every entry and tag version (keep the clock)."""

    @abstractmethod
    def _snapshot(self, key: str, tags: Sequence[str]) -> tuple[bytes | None, int, list[int]]:
        """The entry, the clock and the tags' versions, in one round trip if possible."""

    @abstractmethod
    def _versions(self, tags: Sequence[str]) -> list[int]:
        """The tags' versions (0 for a tag never bumped)."""

    @abstractmethod
    def _bump(self, tags: Sequence[str]) -> None:
        """Advance the clock and set each tag's version to it (lasting ``version_ttl``)."""

    async def _aget(self, key: str) -> bytes | None:
        return self._get(key)

    async def _aset(self, key: str, data: bytes, ttl: float | None) -> None:
        self._set(key, data, ttl)

    async def _adelete(self, key: str) -> bool:
        return self._delete(key)

    async def _aclear(self) -> None:
        self._clear()

    async def _asnapshot(
        self, key: str, tags: Sequence[str]
    ) -> tuple[bytes | None, int, list[int]]:
        return self._snapshot(key, tags)

    async def _aversions(self, tags: Sequence[str]) -> list[int]:
        return self._versions(tags)

    async def _abump(self, tags: Sequence[str]) -> None:
        self._bump(tags)

    # -- failure handling ------------------------------------------------------------

    def _count(self, *, hits: int = 0, misses: int = 0, evictions: int = 0) -> None:
        with self._stats_lock:
            self._hits += hits
            self._misses += misses
            self._evictions += evictions

    def _available(self) -> bool:
        return self._down_until is None or self._now() >= self._down_until

    def _failed(self, what: str, exc: BaseException) -> None:
        now = self._now()
        with self._stats_lock:
            self._errors += 1
        self._down_until = now + self.retry_interval
        logger.debug("%s: %s failed: %r", type(self).__name__, what, exc)
        if self._last_warning is not None and now - self._last_warning < self.warn_interval:
            self._suppressed += 1
            return
        self._last_warning = now
        more = ""
        if self._suppressed:
            more = f" ({self._suppressed} more failures since the last warning)"
        self._suppressed = 0
        warnings.warn(
            f"{type(self).__name__}: {what} failed ({type(exc).__name__}: {exc}); "
            f"requests go to the server without the cache for now{more}",
            CacheWarning,
            stacklevel=4,
        )

    def _recovered(self) -> None:
        if self._down_until is not None:
            self._down_until = None
            logger.info("%s: the store answers again", type(self).__name__)

    def _queue(self, tags: Iterable[str]) -> None:
        if ALL in self._pending:
            return  # everything is invalidated already
        self._pending.update(tags)
        if ALL in self._pending or len(self._pending) > _MAX_PENDING:
            self._pending = {ALL}

    def _take_pending(self) -> list[str]:
        pending = sorted(self._pending)
        self._pending.clear()
        return pending

    def _guarded(self, what: str, call: Callable[[], T], default: T) -> T:
        if not self._available():
            return default
        try:
            if self._pending:
                pending = self._take_pending()
                try:
                    self._bump(pending)
                except BaseException:
                    self._queue(pending)
                    raise
            result = call()
        except Exception as exc:
            self._failed(what, exc)
            return default
        self._recovered()
        return result

    async def _aguarded(self, what: str, call: Callable[[], Awaitable[T]], default: T) -> T:
        if not self._available():
            return default
        try:
            if self._pending:
                pending = self._take_pending()
                try:
                    await self._abump(pending)
                except BaseException:
                    self._queue(pending)
                    raise
            result = await call()
        except Exception as exc:
            self._failed(what, exc)
            return default
        self._recovered()
        return result

    # -- key/value API ---------------------------------------------------------------

    def get(self, key: str) -> Any | None:
        """The value stored under ``key``, or ``None`` (absent, expired, store down)."""
        key = _check_key(key)
        data = self._guarded("get", lambda: self._get(key), None)
        self._count(hits=data is not None, misses=data is None)
        return decode(data)

    async def aget(self, key: str) -> Any | None:
        """Async :meth:`get`."""
        key = _check_key(key)
        data = await self._aguarded("get", lambda: self._aget(key), None)
        self._count(hits=data is not None, misses=data is None)
        return decode(data)

    def set(self, key: str, value: Any, ttl: float | None = None) -> None:
        """Store a JSON value for ``ttl`` seconds (default: the backend's ``ttl``).

        Raises:
            ValidationError: the key is reserved or the value is not JSON.
        """
        key, data = _check_key(key), encode(value)
        lifetime = check_ttl(ttl) or self.ttl
        self._guarded("set", lambda: self._set(key, data, lifetime), None)

    async def aset(self, key: str, value: Any, ttl: float | None = None) -> None:
        """Async :meth:`set`."""
        key, data = _check_key(key), encode(value)
        lifetime = check_ttl(ttl) or self.ttl
        await self._aguarded("set", lambda: self._aset(key, data, lifetime), None)

    def delete(self, key: str) -> bool:
        """Remove one entry; whether it existed.

        Entries the client stores are keyed by ``q:<Operation>:<digest>``
        (see :func:`wikijs.cache.operation_key`); to evict by meaning, use
        :meth:`invalidate`.
        """
        key = _check_key(key)
        return self._guarded("delete", lambda: self._delete(key), False)

    async def adelete(self, key: str) -> bool:
        """Async :meth:`delete`."""
        key = _check_key(key)
        return await self._aguarded("delete", lambda: self._adelete(key), False)

    def _clear_all(self) -> None:
        self._clear()
        self._bump([ALL])

    async def _aclear_all(self) -> None:
        await self._aclear()
        await self._abump([ALL])

    def clear(self) -> None:
        """Remove every entry of this backend (its ``key_prefix`` only, for Redis)."""
        self._guarded("clear", self._clear_all, None)

    async def aclear(self) -> None:
        """Async :meth:`clear`."""
        await self._aguarded("clear", self._aclear_all, None)

    # -- invalidation ------------------------------------------------------------------

    def invalidate(self, *tags: str) -> None:
        """Make every cached answer that depends on one of ``tags`` stale.

        Tags: ``"page:12"``, ``"path:en/docs/start"``, ``"pages:list"``,
        ``"pages:*"``, ``"users:*"``, ``"*"`` (see ``docs/caching.md``).
        When the store is down, the tags are kept and applied first thing
        once it answers again.

        Example::

            client.cache.invalidate("page:12", "pages:list")
        """
        wanted = sorted(set(tags))
        if not wanted:
            return
        if not self._available():
            self._queue(wanted)
            return

        def run() -> None:
            try:
                self._bump(wanted)
            except BaseException:
                self._queue(wanted)
                raise

        self._guarded("invalidate", run, None)

    async def ainvalidate(self, *tags: str) -> None:
        """Async :meth:`invalidate`."""
        wanted = sorted(set(tags))
        if not wanted:
            return
        if not self._available():
            self._queue(wanted)
            return

        async def run() -> None:
            try:
                await self._abump(wanted)
            except BaseException:
                self._queue(wanted)
                raise

        await self._aguarded("invalidate", run, None)

    # -- the client's protocol -------------------------------------------------------------

    def _fresh(
        self, raw: bytes | None, tags: Sequence[str], versions: Sequence[int], refresh: bool
    ) -> tuple[Envelope | None, list[str], dict[str, int]]:
        if refresh or raw is None:
            return None, [], {}
        envelope = Envelope.from_json(decode(raw))
        if envelope is None:
            return None, [], {}
        known = dict(zip(tags, versions, strict=True))
        return envelope, [t for t in envelope.tags if t not in known], known

    def lookup(self, key: str, tags: Sequence[str], *, refresh: bool = False) -> Lookup | None:
        """The client's read: a fresh answer or a miss, plus the clock to store with.

        ``None`` means the store is unavailable: send the request uncached.
        """

        def run() -> Lookup:
            raw, clock, versions = self._snapshot(key, tags)
            envelope, extra, known = self._fresh(raw, tags, versions, refresh)
            if envelope is None:
                return Lookup(None, clock)
            if extra:
                known.update(zip(extra, self._versions(extra), strict=True))
            return Lookup(envelope.data if envelope.is_fresh(known) else None, clock)

        result = self._guarded("lookup", run, None)
        if result is not None:
            self._count(hits=result.value is not None, misses=result.value is None)
        return result

    async def alookup(
        self, key: str, tags: Sequence[str], *, refresh: bool = False
    ) -> Lookup | None:
        """Async :meth:`lookup`."""

        async def run() -> Lookup:
            raw, clock, versions = await self._asnapshot(key, tags)
            envelope, extra, known = self._fresh(raw, tags, versions, refresh)
            if envelope is None:
                return Lookup(None, clock)
            if extra:
                known.update(zip(extra, await self._aversions(extra), strict=True))
            return Lookup(envelope.data if envelope.is_fresh(known) else None, clock)

        result = await self._aguarded("lookup", run, None)
        if result is not None:
            self._count(hits=result.value is not None, misses=result.value is None)
        return result

    def _envelope(self, data: dict[str, Any], tags: Iterable[str], clock: int) -> bytes:
        return encode(Envelope(clock, tuple(sorted({ALL, *tags})), data).to_json())

    def store(self, key: str, data: dict[str, Any], tags: Iterable[str], clock: int) -> None:
        """The client's write: an answer fetched after reading ``clock``."""
        payload = self._envelope(data, tags, clock)
        self._guarded("store", lambda: self._set(key, payload, self.ttl), None)

    async def astore(self, key: str, data: dict[str, Any], tags: Iterable[str], clock: int) -> None:
        """Async :meth:`store`."""
        payload = self._envelope(data, tags, clock)
        await self._aguarded("store", lambda: self._aset(key, payload, self.ttl), None)

    # -- statistics and lifecycle ----------------------------------------------------------------

    def stats(self) -> CacheStats:
        """Hits, misses, evictions and errors counted by this object (this process)."""
        with self._stats_lock:
            return CacheStats(self._hits, self._misses, self._evictions, self._errors)

    def reset_stats(self) -> None:
        with self._stats_lock:
            self._hits = self._misses = self._evictions = self._errors = 0

    def close(self) -> None:  # noqa: B027 - nothing to release for most backends
        """Release connections (Redis); the object stays usable."""

    async def aclose(self) -> None:
        """Async :meth:`close`."""
        self.close()
