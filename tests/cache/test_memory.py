"""MemoryCache: LRU, bounded, safe across threads and tasks."""

from __future__ import annotations

import asyncio
import threading

import pytest

from wikijs._protocol.cache_keys import ALL
from wikijs.cache import MemoryCache
from wikijs.errors import ValidationError

from .conftest import Clock


def test_least_recently_used_goes_first() -> None:
    cache = MemoryCache(max_size=2)
    cache.set("a", 1)
    cache.set("b", 2)
    cache.get("a")  # a is now the most recent
    cache.set("c", 3)
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c")) == (1, 3)
    assert len(cache) == 2
    assert cache.stats().evictions == 1


def test_max_size_is_validated() -> None:
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValidationError):
            MemoryCache(max_size=bad)  # type: ignore[arg-type]
    assert repr(MemoryCache(ttl=5, max_size=3)) == "MemoryCache(ttl=5.0, max_size=3)"


def test_threads_share_it_safely() -> None:
    cache = MemoryCache(max_size=50)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(300):
                key = f"k{(n * 7 + i) % 80}"
                cache.set(key, i)
                cache.get(key)
                if i % 10 == 0:
                    cache.invalidate(f"page:{i}")
                    found = cache.lookup(f"q:{i % 5}", (ALL, f"page:{i}"))
                    assert found is not None
                    cache.store(f"q:{i % 5}", {"i": i}, (ALL,), found.clock)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(cache) <= 50
    stats = cache.stats()
    assert stats.hits + stats.misses == 8 * 300 + 8 * 30


async def test_tasks_share_it_safely() -> None:
    cache = MemoryCache(max_size=10)

    async def work(n: int) -> None:
        for i in range(50):
            await cache.aset(f"k{i % 20}", n)
            await asyncio.sleep(0)
            await cache.aget(f"k{i % 20}")

    await asyncio.gather(*(work(n) for n in range(10)))
    assert len(cache) == 10


def test_expired_tag_versions_are_forgotten(clock: Clock) -> None:
    cache = MemoryCache(ttl=10, clock=clock)
    found = cache.lookup("q:x", (ALL, "page:1"))
    cache.invalidate("page:1")
    clock.advance(cache.version_ttl + 1)  # type: ignore[operator]
    # The entry the bump invalidated has long expired too.
    cache.store("q:x", {"a": 1}, (ALL, "page:1"), found.clock)  # type: ignore[union-attr]
    assert cache.lookup("q:x", (ALL, "page:1")).value == {"a": 1}  # type: ignore[union-attr]


def test_too_many_tag_versions_collapse_into_invalidating_everything(clock: Clock) -> None:
    cache = MemoryCache(ttl=None, max_size=1, clock=clock)
    found = cache.lookup("q:x", (ALL, "page:0"))
    cache.store("q:x", {"a": 1}, (ALL, "page:0"), found.clock)  # type: ignore[union-attr]
    for i in range(1, 1100):
        cache.invalidate(f"page:{i}")
    assert len(cache._tag_versions) <= 1024
    # page:0 was never bumped, but its version may have been forgotten: the
    # collapse must invalidate the entry rather than risk reviving it.
    assert cache.lookup("q:x", (ALL, "page:0")).value is None  # type: ignore[union-attr]


def test_expired_versions_are_pruned_before_collapsing(clock: Clock) -> None:
    cache = MemoryCache(ttl=1, max_size=1, clock=clock)
    for i in range(1000):
        cache.invalidate(f"page:{i}")
    clock.advance(100)
    for i in range(30):
        cache.invalidate(f"user:{i}")
    assert "*" not in cache._tag_versions
    assert len(cache._tag_versions) == 30
