"""Resilience middleware: retries, a circuit breaker and rate limits.

Each piece is configured on the client and works alone or combined; the
client runs them in one fixed order (``wikijs/_async/layers.py``)::

    your middleware → retry → circuit breaker → rate limiter → plugins → send

Example::

    from wikijs import WikiJSClient
    from wikijs.middleware import CircuitBreaker, RateLimiter, RetryStrategy

    client = WikiJSClient(
        url, auth=api_key,
        retry_strategy=RetryStrategy(max_retries=5, backoff="exponential"),
        circuit_breaker=CircuitBreaker(failure_threshold=5, recovery_timeout=60),
        rate_limiter=RateLimiter(requests_per_second=10, burst_size=20),
    )

See ``docs/resilience.md`` and ``docs/rate-limiting.md``.
"""

from .._core.breaker import BreakerStats, CircuitBreaker, CircuitState, counts_as_failure
from .._core.ratelimit import Limit, RateLimiter, RateLimitEvent, Reservation
from .._core.retry import (
    DEFAULT_RETRY_ON,
    RetryDecision,
    RetryStrategy,
    decide,
    never_sent,
    retry_mutations,
)
from .redis import RedisBackend, RedisRateLimiter

__all__ = [
    "BreakerStats",
    "CircuitBreaker",
    "CircuitState",
    "DEFAULT_RETRY_ON",
    "Limit",
    "RateLimitEvent",
    "RateLimiter",
    "RedisBackend",
    "RedisRateLimiter",
    "Reservation",
    "RetryDecision",
    "RetryStrategy",
    "counts_as_failure",
    "decide",
    "never_sent",
    "retry_mutations",
]
