"""Fixtures for the cache tests: the shared redis-server, clocks, backends."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest_redis import RedisServer, redis_server, redis_url, restartable_redis

from wikijs.cache import CacheBackend, CacheWarning, FileCache, MemoryCache, RedisCache

__all__ = ["redis_server", "redis_url", "restartable_redis"]


@contextmanager
def cache_warnings() -> Iterator[list[warnings.WarningMessage]]:
    """Record every warning of the block (none filtered out) and require a CacheWarning."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield caught
    assert any(issubclass(w.category, CacheWarning) for w in caught), caught


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


BackendFactory = Callable[..., CacheBackend]


@pytest.fixture(params=["memory", "file", "redis"])
def make_backend(
    request: pytest.FixtureRequest, tmp_path: Path, clock: Clock
) -> Iterator[BackendFactory]:
    """A factory for one kind of backend (all three, one after the other)."""
    kind = request.param
    made: list[CacheBackend] = []

    def make(**options: object) -> CacheBackend:
        backend: CacheBackend
        if kind == "memory":
            backend = MemoryCache(clock=clock, **options)  # type: ignore[arg-type]
        elif kind == "file":
            backend = FileCache(tmp_path / "cache", clock=clock, **options)  # type: ignore[arg-type]
        else:
            url = request.getfixturevalue("redis_url")
            backend = RedisCache(url=url, clock=clock, **options)  # type: ignore[arg-type]
        made.append(backend)
        return backend

    make.kind = kind  # type: ignore[attr-defined]
    yield make
    for backend in made:
        backend.close()


@pytest.fixture
def stopped_redis(restartable_redis: RedisServer) -> RedisServer:
    restartable_redis.stop()
    return restartable_redis
