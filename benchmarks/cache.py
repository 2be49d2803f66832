"""How much the cache saves: cached vs uncached ``pages.get``, and a hit ratio.

    python benchmarks/cache.py                         # against the fake Wiki.js on loopback
    python benchmarks/cache.py --url https://wiki.example.com --api-key KEY
    python benchmarks/cache.py --redis-url redis://localhost:6379/0 --check

Measured in one run, with the same client settings:

- an uncached ``pages.get`` (a loopback HTTP round trip to the server);
- a ``MemoryCache`` hit (target: at least 50x faster);
- a ``RedisCache`` hit (target: at least 5x faster) — against ``--redis-url``,
  or a ``redis-server`` this script starts on a free port when one is installed;
- a ``FileCache`` hit (no target; for comparison);
- the hit ratio of a read-mostly script (target: above 80 %): reads by id
  and by path skewed towards popular pages, page lists, and one update for
  every fifty operations, all through the client so that updates invalidate.

The script writes only to pages it creates under ``bench-cache/<run>/`` and
deletes them at the end. ``--check`` exits with status 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

from wikijs import WikiJSClient
from wikijs.cache import CacheBackend, FileCache, MemoryCache, RedisCache

PAGES = 40
TARGETS = {"memory": 50.0, "redis": 5.0}
HIT_RATIO_TARGET = 0.80


def per_call(fn: Callable[[], object], repeat: int) -> float:
    """Median seconds per call over ``repeat`` calls (after one warm-up call)."""
    fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


@contextlib.contextmanager
def fake_server() -> Iterator[tuple[str, str]]:
    from wikijs.testing import FakeWikiJS

    fake = FakeWikiJS()
    try:
        with fake.serve() as url:
            yield url, fake.api_key
    finally:
        fake.close()


@contextlib.contextmanager
def redis_server(url: str | None) -> Iterator[str | None]:
    if url:
        yield url
        return
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    workdir = tempfile.mkdtemp(prefix="bench-redis-")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", workdir],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.01)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait()
        shutil.rmtree(workdir, ignore_errors=True)


def create_pages(client: WikiJSClient, run: str) -> list[tuple[int, str]]:
    pages = []
    for i in range(PAGES):
        page = client.pages.create(
            title=f"Cache benchmark {i}",
            path=f"bench-cache/{run}/page-{i}",
            content=f"# Page {i}\n\n" + "Some text for the benchmark. " * 40,
            tags=["bench"],
        )
        pages.append((page.id, page.path))
    return pages


def read_mostly(client: WikiJSClient, pages: list[tuple[int, str]], operations: int) -> None:
    """A docs-site-like script: popular pages read often, a few edits."""
    rng = random.Random(7)
    weights = [1 / (rank + 1) for rank in range(len(pages))]  # Zipf-like popularity
    for step in range(operations):
        page_id, path = rng.choices(pages, weights)[0]
        roll = rng.random()
        if step % 50 == 49:
            client.pages.update(page_id, content=f"# Edited at step {step}\n")
        elif roll < 0.55:
            client.pages.get(page_id)
        elif roll < 0.9:
            client.pages.get_by_path(path)
        else:
            client.pages.list(tags=["bench"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="a Wiki.js to measure instead of the fake")
    parser.add_argument("--api-key", help="its API key (with --url)")
    parser.add_argument("--redis-url", help="a Redis to use instead of starting redis-server")
    parser.add_argument("--repeat", type=int, default=300, help="calls per measurement")
    parser.add_argument("--operations", type=int, default=1000, help="steps of the script")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.url and not args.api_key:
        parser.error("--url needs --api-key")

    run = uuid.uuid4().hex[:8]
    failures: list[str] = []
    backends: dict[str, CacheBackend] = {}
    server = contextlib.nullcontext((args.url, args.api_key)) if args.url else fake_server()
    with server as (url, api_key), redis_server(args.redis_url) as redis_url:
        print(f"server: {url if args.url else 'fake Wiki.js on loopback (' + url + ')'}")
        with WikiJSClient(url, auth=api_key) as plain:
            pages = create_pages(plain, run)
            page_id = pages[0][0]
            try:
                uncached = per_call(partial(plain.pages.get, page_id), args.repeat)
                print(f"uncached pages.get      {uncached * 1e6:9.1f} µs")

                backends["memory"] = MemoryCache(ttl=300)
                if redis_url:
                    backends["redis"] = RedisCache(url=redis_url, key_prefix=f"bench-{run}:")
                else:
                    print("redis: skipped (no redis-server installed and no --redis-url)")
                cache_dir = Path(tempfile.mkdtemp(prefix="bench-file-cache-"))
                backends["file"] = FileCache(cache_dir, ttl=300)
                for name, backend in backends.items():
                    with WikiJSClient(url, auth=api_key, cache=backend) as cached:
                        hit = per_call(partial(cached.pages.get, page_id), args.repeat)
                    speedup = uncached / hit
                    target = TARGETS.get(name)
                    verdict = ""
                    if target is not None:
                        verdict = f"target {target:.0f}x: {'ok' if speedup >= target else 'MISSED'}"
                        if speedup < target:
                            failures.append(f"{name} hit only {speedup:.1f}x faster")
                    print(f"{name:6} hit {hit * 1e6:20.1f} µs  {speedup:7.1f}x  {verdict}")
                backends.pop("file").clear()
                shutil.rmtree(cache_dir, ignore_errors=True)

                cache = MemoryCache(ttl=300)
                with WikiJSClient(url, auth=api_key, cache=cache) as cached:
                    started = time.perf_counter()
                    read_mostly(cached, pages, args.operations)
                    elapsed = time.perf_counter() - started
                stats = cache.stats()
                ok = stats.hit_ratio > HIT_RATIO_TARGET
                if not ok:
                    failures.append(f"hit ratio {stats.hit_ratio:.1%}")
                print(
                    f"read-mostly script      {args.operations} operations in {elapsed:.2f}s: "
                    f"{stats.hits} hits, {stats.misses} misses, hit ratio {stats.hit_ratio:.1%} "
                    f"(target > {HIT_RATIO_TARGET:.0%}: {'ok' if ok else 'MISSED'})"
                )
            finally:
                plain.pages.delete_many([page for page, _ in pages])
                for backend in backends.values():
                    backend.clear()
    if failures:
        print("missed: " + "; ".join(failures))
    return 1 if failures and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
