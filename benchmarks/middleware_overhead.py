"""What the resilience layers cost per call when they do not intervene.

    python benchmarks/middleware_overhead.py            # about 10 seconds
    python benchmarks/middleware_overhead.py --calls 50000 --repeat 3

Each layer runs in the real middleware chain of both clients (the same
``_chain`` the pipeline uses), in front of a terminal that answers at once,
so the numbers are the layer's own cost: a rate limiter that is never
limiting, a closed circuit breaker, a retry layer that never retries, a
plugin with empty hooks. The baseline — the chain with no layer — is
measured in the same run; overhead is the difference, per call, best of
``--repeat`` rounds. The target is under 20 µs per layer.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import time
from collections.abc import Callable
from typing import Any

from wikijs._async import pipeline as async_pipeline
from wikijs._async.layers import (
    AsyncBreakerLayer,
    AsyncPluginLayer,
    AsyncRateLimitLayer,
    AsyncRetryLayer,
)
from wikijs._protocol.operation import Operation
from wikijs._sync import pipeline as sync_pipeline
from wikijs._sync.layers import BreakerLayer, PluginLayer, RateLimitLayer, RetryLayer
from wikijs.middleware import CircuitBreaker, RateLimiter, RetryStrategy

TARGET_US = 20.0
DATA: dict[str, Any] = {"pages": {"single": {"id": 1}}}
OPERATION = Operation("GetPage", "query GetPage($id: Int!) { pages { single(id: $id) { id } } }",
                      {"id": 1})  # fmt: skip
URL = "http://wiki.example.com/graphql"


class QuietPlugin:
    def before_request(self, method: str, url: str, **kwargs: Any) -> None:
        return None

    def after_request(self, response: Any) -> None:
        return None


def never_limiting() -> RateLimiter:
    # A limit no benchmark reaches: the limiter books a turn and never waits.
    return RateLimiter(requests_per_second=1e9, burst_size=10**9)


def sync_layers() -> dict[str, list[Any]]:
    return {
        "rate limiter": [RateLimitLayer(never_limiting())],
        "circuit breaker": [BreakerLayer(CircuitBreaker())],
        "retry": [RetryLayer(RetryStrategy())],
        "plugin (no-op)": [PluginLayer([QuietPlugin()], URL)],
        "all four": [
            RetryLayer(RetryStrategy()),
            BreakerLayer(CircuitBreaker()),
            RateLimitLayer(never_limiting()),
            PluginLayer([QuietPlugin()], URL),
        ],
    }


def async_layers() -> dict[str, list[Any]]:
    return {
        "rate limiter": [AsyncRateLimitLayer(never_limiting())],
        "circuit breaker": [AsyncBreakerLayer(CircuitBreaker())],
        "retry": [AsyncRetryLayer(RetryStrategy())],
        "plugin (no-op)": [AsyncPluginLayer([QuietPlugin()], URL)],
        "all four": [
            AsyncRetryLayer(RetryStrategy()),
            AsyncBreakerLayer(CircuitBreaker()),
            AsyncRateLimitLayer(never_limiting()),
            AsyncPluginLayer([QuietPlugin()], URL),
        ],
    }


def time_sync(layers: list[Any], calls: int, repeat: int) -> float:
    def terminal(operation: Operation) -> dict[str, Any]:
        return DATA

    call = sync_pipeline._chain(layers, terminal)
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        for _ in range(calls):
            call(OPERATION)
        best = min(best, time.perf_counter() - start)
    return best / calls


def time_async(layers: list[Any], calls: int, repeat: int) -> float:
    async def terminal(operation: Operation) -> dict[str, Any]:
        return DATA

    call = async_pipeline._chain(layers, terminal)

    async def run() -> float:
        best = float("inf")
        for _ in range(repeat):
            gc.collect()
            start = time.perf_counter()
            for _ in range(calls):
                await call(OPERATION)
            best = min(best, time.perf_counter() - start)
        return best / calls

    return asyncio.run(run())


def report(
    title: str,
    layers: dict[str, list[Any]],
    timer: Callable[[list[Any], int, int], float],
    calls: int,
    repeat: int,
) -> bool:
    baseline = timer([], calls, repeat)
    print(f"\n{title}: baseline (no layer) {baseline * 1e6:7.2f} µs per call")
    print(f"  {'layer':<18} {'per call':>10} {'overhead':>10}")
    ok = True
    for name, stack in layers.items():
        per_call = timer(stack, calls, repeat)
        overhead = (per_call - baseline) * 1e6
        # The target is per layer; "all four" is shown for the total.
        within = name == "all four" or overhead < TARGET_US
        ok = ok and within
        mark = "" if within else f"  (over {TARGET_US:g} µs)"
        print(f"  {name:<18} {per_call * 1e6:8.2f} µs {overhead:8.2f} µs{mark}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=100_000, help="calls per round")
    parser.add_argument("--repeat", type=int, default=5, help="rounds; the best counts")
    args = parser.parse_args(argv)
    print(f"{args.calls} calls per round, best of {args.repeat}; target < {TARGET_US:g} µs/layer")
    ok = report("sync client", sync_layers(), time_sync, args.calls, args.repeat)
    ok = report("async client", async_layers(), time_async, args.calls, args.repeat) and ok
    print("\nwithin target" if ok else "\nOVER TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
