"""Runs in a separate process: sends requests through a rate-limited sync client."""

from __future__ import annotations

from typing import Any


def send_requests(
    url: str, redis_url: str | None, name: str, count: int, ready: Any, go: Any
) -> None:
    from wikijs import WikiJSClient
    from wikijs.middleware import RateLimiter, RedisRateLimiter

    # margin: requests reach the server a few ms after their turn, unevenly;
    # 50 ms of slack per window keeps the server's own count at the limit.
    limiter = (
        RedisRateLimiter(
            redis_url, name=name, requests_per_second=10, strategy="sliding_window", margin=0.05
        )
        if redis_url
        else RateLimiter(requests_per_second=10, strategy="sliding_window", margin=0.05)
    )
    with WikiJSClient(url, rate_limiter=limiter, retry_strategy=None) as client:
        # open the connection before the clock starts: a first request that
        # also connects arrives later than it was booked
        client.execute("query Warm { ok }", operation_name="Warm")
        ready.set()
        if not go.wait(timeout=60):
            raise TimeoutError("the test never said go")
        for _ in range(count):
            client.execute("query Ping { ok }", operation_name="Ping")
