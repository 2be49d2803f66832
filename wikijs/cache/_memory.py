"""An in-process LRU cache with a TTL."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence

from .._protocol.cache_keys import ALL
from ..errors import InvalidArgumentError
from ._base import CacheBackend


class MemoryCache(CacheBackend):
    """Answers kept in this process: the fastest, gone when the process ends.

    Least recently used entries go first once ``max_size`` is reached;
    entries also expire ``ttl`` seconds after they were stored. Safe to share
    between threads and between tasks (no lock is held across an ``await``),
    and between a sync and an async client.

    Example::

        from wikijs.cache import MemoryCache

        client = WikiJSClient(url, auth=api_key, cache=MemoryCache(ttl=300, max_size=1000))

    Args:
        ttl: seconds an entry lives (``None``: until evicted).
        max_size: entries kept at most.
        clock: seconds, monotonic (injectable for tests).
    """

    def __init__(
        self,
        ttl: float | None = 300,
        max_size: int = 1000,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(ttl=ttl, clock=clock, retry_interval=0)
        if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 1:
            raise InvalidArgumentError("max_size must be a positive integer", field="max_size")
        self.max_size = max_size
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[float | None, bytes]] = OrderedDict()
        self._tag_versions: dict[str, tuple[int, float | None]] = {}
        self._logical = 0
        # Tag versions kept at most; past that they collapse into a bump of "*".
        self._max_versions = max(1024, 4 * max_size)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"MemoryCache(ttl={self.ttl}, max_size={self.max_size})"

    def _expiry(self, ttl: float | None) -> float | None:
        return None if ttl is None else self._clock() + ttl

    def _read(self, key: str, now: float) -> bytes | None:
        item = self._entries.get(key)
        if item is None:
            return None
        expires, data = item
        if expires is not None and now >= expires:
            del self._entries[key]
            self._count(evictions=1)
            return None
        self._entries.move_to_end(key)
        return data

    def _version(self, tag: str, now: float) -> int:
        item = self._tag_versions.get(tag)
        if item is None:
            return 0
        version, expires = item
        if expires is not None and now >= expires:
            del self._tag_versions[tag]
            return 0
        return version

    def _get(self, key: str) -> bytes | None:
        with self._lock:
            return self._read(key, self._clock())

    def _set(self, key: str, data: bytes, ttl: float | None) -> None:
        expires = self._expiry(ttl)
        with self._lock:
            self._entries[key] = (expires, data)
            self._entries.move_to_end(key)
            dropped = 0
            while len(self._entries) > self.max_size:
                self._entries.popitem(last=False)
                dropped += 1
        if dropped:
            self._count(evictions=dropped)

    def _delete(self, key: str) -> bool:
        with self._lock:
            return self._entries.pop(key, None) is not None

    def _clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._tag_versions.clear()

    def _snapshot(self, key: str, tags: Sequence[str]) -> tuple[bytes | None, int, list[int]]:
        with self._lock:
            now = self._clock()
            return self._read(key, now), self._logical, [self._version(t, now) for t in tags]

    def _versions(self, tags: Sequence[str]) -> list[int]:
        with self._lock:
            now = self._clock()
            return [self._version(t, now) for t in tags]

    def _bump(self, tags: Sequence[str]) -> None:
        expires = self._expiry(self.version_ttl)
        with self._lock:
            self._logical += 1
            for tag in tags:
                self._tag_versions[tag] = (self._logical, expires)
            if len(self._tag_versions) > self._max_versions:
                self._prune_versions()

    def _prune_versions(self) -> None:
        now = self._clock()
        versions = self._tag_versions
        expired = [t for t, (_, exp) in versions.items() if exp is not None and now >= exp]
        for tag in expired:
            del self._tag_versions[tag]
        if len(self._tag_versions) > self._max_versions:
            # Forgetting a version could revive what it invalidated; bumping
            # "*" instead makes every tagged entry older than now stale.
            self._tag_versions = {ALL: (self._logical, self._expiry(self.version_ttl))}
