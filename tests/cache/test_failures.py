"""A failing store never fails the caller: misses, a rate-limited warning, a pause."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import pytest

from wikijs._protocol.cache_keys import ALL
from wikijs.cache import CacheWarning, MemoryCache

from .conftest import Clock, cache_warnings

TAGS = (ALL, "page:1")


class Flaky(MemoryCache):
    """A MemoryCache whose store can be switched off, counting what reaches it."""

    def __init__(self, clock: Clock, **options: float) -> None:
        super().__init__(clock=clock)
        self.retry_interval = options.get("retry_interval", 2.0)
        self.warn_interval = options.get("warn_interval", 60.0)
        self.down = False
        self.calls = 0
        self.bumped: list[list[str]] = []

    def _check(self) -> None:
        self.calls += 1
        if self.down:
            raise ConnectionError("store unreachable")

    def _get(self, key: str) -> bytes | None:
        self._check()
        return super()._get(key)

    def _set(self, key: str, data: bytes, ttl: float | None) -> None:
        self._check()
        super()._set(key, data, ttl)

    def _delete(self, key: str) -> bool:
        self._check()
        return super()._delete(key)

    def _clear(self) -> None:
        self._check()
        super()._clear()

    def _snapshot(self, key: str, tags: Sequence[str]) -> tuple[bytes | None, int, list[int]]:
        self._check()
        return super()._snapshot(key, tags)

    def _bump(self, tags: Sequence[str]) -> None:
        self._check()
        self.bumped.append(list(tags))
        super()._bump(tags)


def test_every_call_degrades_instead_of_raising(clock: Clock) -> None:
    cache = Flaky(clock, retry_interval=0)
    cache.down = True
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert cache.get("a") is None
        cache.set("a", 1)
        assert cache.delete("a") is False
        cache.clear()
        assert cache.lookup("q:x", TAGS) is None
        cache.store("q:x", {}, TAGS, 0)
        cache.invalidate("page:1")
    assert [w.category for w in caught] == [CacheWarning]  # rate-limited to one
    assert "ConnectionError: store unreachable" in str(caught[0].message)
    assert cache.stats().errors == 7


def test_warnings_are_rate_limited_and_say_how_many_were_held_back(clock: Clock) -> None:
    cache = Flaky(clock, retry_interval=0, warn_interval=60)
    cache.down = True
    with cache_warnings() as first:
        for _ in range(5):
            cache.get("a")
    assert len(first) == 1
    clock.advance(61)
    with pytest.warns(CacheWarning, match="4 more failures") as second:
        cache.get("a")
    assert len(second) == 1


def test_after_a_failure_the_store_is_left_alone_for_a_while(clock: Clock) -> None:
    cache = Flaky(clock, retry_interval=5)
    cache.down = True
    with pytest.warns(CacheWarning):
        cache.get("a")
    calls = cache.calls
    cache.down = False
    for _ in range(10):
        assert cache.get("a") is None
        assert cache.lookup("q:x", TAGS) is None
    assert cache.calls == calls  # nothing reached the store
    clock.advance(5)
    cache.set("a", 1)
    assert cache.get("a") == 1


def test_invalidations_made_while_down_are_applied_first_when_it_is_back(clock: Clock) -> None:
    cache = Flaky(clock, retry_interval=5)
    found = cache.lookup("q:x", TAGS)
    cache.store("q:x", {"old": 1}, TAGS, found.clock)  # type: ignore[union-attr]
    cache.down = True
    with pytest.warns(CacheWarning):
        cache.invalidate("page:1")  # a write went through while the store was down
    cache.invalidate("page:2")  # queued without even trying (still pausing)
    cache.down = False
    clock.advance(5)
    found = cache.lookup("q:x", TAGS)
    assert found is not None
    assert found.value is None
    assert cache.bumped[-1] == ["page:1", "page:2"]


def test_a_failed_replay_keeps_the_invalidations(clock: Clock) -> None:
    cache = Flaky(clock, retry_interval=0)
    cache.down = True
    with cache_warnings():
        cache.invalidate("page:1")
        cache.get("a")  # the replay fails too
    assert cache._pending == {"page:1"}
    cache.down = False
    cache.get("a")
    assert cache._pending == set()


def test_too_many_pending_invalidations_become_one_of_everything(clock: Clock) -> None:
    cache = Flaky(clock, retry_interval=1000)
    cache.down = True
    with cache_warnings():
        for i in range(1500):
            cache.invalidate(f"page:{i}")
    assert cache._pending == {ALL}


async def test_the_async_twins_degrade_the_same_way(clock: Clock) -> None:
    cache = Flaky(clock, retry_interval=0)
    cache.down = True
    with cache_warnings():
        assert await cache.aget("a") is None
        await cache.aset("a", 1)
        assert await cache.adelete("a") is False
        await cache.aclear()
        assert await cache.alookup("q:x", TAGS) is None
        await cache.astore("q:x", {}, TAGS, 0)
        await cache.ainvalidate("page:1")
    assert cache._pending == {"page:1"}
    cache.down = False
    assert await cache.aget("a") is None
    assert cache._pending == set()
    cache.down = True
    cache.retry_interval = 10
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CacheWarning)  # rate-limited anyway
        await cache.ainvalidate("page:3")
    await cache.ainvalidate("page:4")  # pausing: queued
    assert cache._pending == {"page:3", "page:4"}
    cache.down = False
    clock.advance(10)
    assert await cache.alookup("q:y", TAGS) is not None
    assert cache._pending == set()


async def test_an_async_replay_that_fails_keeps_the_invalidations(clock: Clock) -> None:
    cache = Flaky(clock, retry_interval=0)
    cache.down = True
    with cache_warnings():
        await cache.ainvalidate("page:1")
        await cache.aget("a")
    assert cache._pending == {"page:1"}


def test_interval_validation() -> None:
    from wikijs.cache import FileCache
    from wikijs.errors import ValidationError

    with pytest.raises(ValidationError):
        FileCache(retry_interval=-1)
    with pytest.raises(ValidationError):
        FileCache(retry_interval="1")  # type: ignore[arg-type]
