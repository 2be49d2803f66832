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

from .._protocol.retry import (
    DEFAULT_RETRY_ON,
    RetryDecision,
    RetryStrategy,
    decide,
    never_sent,
    retry_mutations,
)
from .._public import publish as _publish
from ._breaker import BreakerStats, CircuitBreaker, CircuitState, counts_as_failure
from ._ratelimit import Limit, RateLimiter, RateLimitEvent, Reservation
from ._redis import RedisBackend, RedisRateLimiter

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

# Each class's __module__ is this module, where it is documented (wikijs/_public.py).
_publish(globals(), __all__, __name__)
