"""What every backend promises: MemoryCache, FileCache and RedisCache alike."""

from __future__ import annotations

import pytest

from wikijs._protocol.cache_keys import ALL
from wikijs.cache import CacheStats
from wikijs.errors import ValidationError

from .conftest import BackendFactory, Clock

TAGS = (ALL, "page:5", "pages:*")


def test_values_round_trip_as_json(make_backend: BackendFactory) -> None:
    cache = make_backend()
    cache.set("k", {"a": [1, 2.5, "x", None, True]})
    assert cache.get("k") == {"a": [1, 2.5, "x", None, True]}
    assert cache.get("missing") is None
    assert cache.delete("k") is True
    assert cache.delete("k") is False
    assert cache.get("k") is None


def test_only_json_is_stored_never_pickles(make_backend: BackendFactory) -> None:
    cache = make_backend()
    with pytest.raises(ValidationError):
        cache.set("k", {1, 2})
    with pytest.raises(ValidationError):
        cache.set("k", object())


def test_bookkeeping_keys_are_reserved(make_backend: BackendFactory) -> None:
    cache = make_backend()
    for call in (lambda: cache.set("_clock", 1), lambda: cache.delete("_clock"),
                 lambda: cache.get(""), lambda: cache.get(3)):  # type: ignore[arg-type]  # fmt: skip
        with pytest.raises(ValidationError):
            call()


def test_clear_removes_everything(make_backend: BackendFactory) -> None:
    cache = make_backend()
    cache.set("a", 1)
    cache.store("q:x", {"d": 1}, TAGS, 0)
    cache.clear()
    assert cache.get("a") is None
    found = cache.lookup("q:x", TAGS)
    assert found is not None
    assert found.value is None


def test_a_stored_answer_is_found_until_a_tag_is_invalidated(make_backend: BackendFactory) -> None:
    cache = make_backend()
    first = cache.lookup("q:x", TAGS)
    assert first is not None
    assert first.value is None
    cache.store("q:x", {"pages": {"single": {"id": 5}}}, TAGS, first.clock)
    hit = cache.lookup("q:x", TAGS)
    assert hit is not None
    assert hit.value == {"pages": {"single": {"id": 5}}}

    cache.invalidate("page:6")
    assert cache.lookup("q:x", TAGS).value is not None  # type: ignore[union-attr]
    cache.invalidate("page:5")
    assert cache.lookup("q:x", TAGS).value is None  # type: ignore[union-attr]


def test_a_write_while_the_read_is_in_flight_makes_its_answer_stale(
    make_backend: BackendFactory,
) -> None:
    cache = make_backend()
    before = cache.lookup("q:x", TAGS)
    assert before is not None
    cache.invalidate("page:5")  # lands between the read's lookup and its store
    cache.store("q:x", {"old": True}, TAGS, before.clock)
    assert cache.lookup("q:x", TAGS).value is None  # type: ignore[union-attr]
    after = cache.lookup("q:x", TAGS)
    cache.store("q:x", {"new": True}, TAGS, after.clock)  # type: ignore[union-attr]
    assert cache.lookup("q:x", TAGS).value == {"new": True}  # type: ignore[union-attr]


def test_clear_also_makes_in_flight_answers_stale(make_backend: BackendFactory) -> None:
    cache = make_backend()
    before = cache.lookup("q:x", TAGS)
    cache.invalidate("page:5")
    cache.clear()  # forgets the tag versions, but not the clock
    cache.store("q:x", {"old": True}, TAGS, before.clock)  # type: ignore[union-attr]
    assert cache.lookup("q:x", TAGS).value is None  # type: ignore[union-attr]


def test_tags_learnt_from_the_answer_are_checked_too(make_backend: BackendFactory) -> None:
    cache = make_backend()
    tags = (ALL, "path:en/a", "pages:*")
    found = cache.lookup("q:p", tags)
    cache.store("q:p", {"id": 9}, (*tags, "page:9"), found.clock)  # type: ignore[union-attr]
    assert cache.lookup("q:p", tags).value == {"id": 9}  # type: ignore[union-attr]
    cache.invalidate("page:9")
    assert cache.lookup("q:p", tags).value is None  # type: ignore[union-attr]


def test_refresh_skips_the_stored_answer(make_backend: BackendFactory) -> None:
    cache = make_backend()
    found = cache.lookup("q:x", TAGS)
    cache.store("q:x", {"a": 1}, TAGS, found.clock)  # type: ignore[union-attr]
    refreshed = cache.lookup("q:x", TAGS, refresh=True)
    assert refreshed is not None
    assert refreshed.value is None


def test_a_foreign_value_under_an_entry_key_is_a_miss(make_backend: BackendFactory) -> None:
    cache = make_backend()
    cache.set("q:x", {"not": "an envelope"})
    assert cache.lookup("q:x", TAGS).value is None  # type: ignore[union-attr]


def test_stats_count_hits_and_misses(make_backend: BackendFactory) -> None:
    cache = make_backend()
    cache.get("a")
    cache.set("a", 1)
    cache.get("a")
    found = cache.lookup("q:x", TAGS)
    cache.store("q:x", {}, TAGS, found.clock)  # type: ignore[union-attr]
    cache.lookup("q:x", TAGS)
    cache.lookup("q:x", TAGS)
    stats = cache.stats()
    assert (stats.hits, stats.misses, stats.errors) == (3, 2, 0)
    assert stats.hit_ratio == pytest.approx(0.6)
    cache.reset_stats()
    assert cache.stats() == CacheStats()
    assert CacheStats().hit_ratio == 0.0


def test_ttl_validation(make_backend: BackendFactory) -> None:
    for bad in (0, -1, "10", True):
        with pytest.raises(ValidationError):
            make_backend(ttl=bad)
    cache = make_backend(ttl=None)
    assert cache.ttl is None
    assert cache.version_ttl is None
    cache.set("a", 1)
    assert cache.get("a") == 1
    with pytest.raises(ValidationError):
        cache.set("a", 1, ttl=-5)


def test_expiry_with_an_injected_clock(
    make_backend: BackendFactory, clock: Clock, request: pytest.FixtureRequest
) -> None:
    if make_backend.kind == "redis":  # type: ignore[attr-defined]
        pytest.skip("Redis expires keys itself; see test_redis.py for the TTL it is given")
    cache = make_backend(ttl=10)
    cache.set("a", 1)
    cache.set("b", 2, ttl=100)
    clock.advance(9.9)
    assert cache.get("a") == 1
    clock.advance(0.2)
    assert cache.get("a") is None
    assert cache.get("b") == 2
    assert cache.stats().evictions >= 1


# -- async twins -----------------------------------------------------------------------------


async def test_async_twins(make_backend: BackendFactory) -> None:
    cache = make_backend()
    await cache.aset("k", [1, 2])
    assert await cache.aget("k") == [1, 2]
    assert await cache.adelete("k") is True
    assert await cache.aget("k") is None
    found = await cache.alookup("q:p", TAGS)
    assert found is not None
    assert found.value is None
    await cache.astore("q:p", {"id": 9}, (*TAGS, "page:9"), found.clock)
    assert (await cache.alookup("q:p", TAGS)).value == {"id": 9}  # type: ignore[union-attr]
    await cache.ainvalidate("page:9")
    assert (await cache.alookup("q:p", TAGS)).value is None  # type: ignore[union-attr]
    await cache.aset("k", 1)
    await cache.aclear()
    assert await cache.aget("k") is None
    await cache.ainvalidate()  # nothing to do
    await cache.aclose()


def test_sync_and_async_share_one_store(make_backend: BackendFactory) -> None:
    import asyncio

    cache = make_backend()
    cache.set("k", "sync")
    assert asyncio.run(cache.aget("k")) == "sync"
    asyncio.run(cache.aset("k", "async"))
    assert cache.get("k") == "async"
