"""Client-side rate limits: token bucket and sliding window. No I/O.

Both strategies work by *reservation*: a caller asks when it may send, the
limiter books that instant (possibly in the future) under a lock and says
how long to wait. Waiting is the caller's business (the rate limit layer
sleeps), so the limiter never blocks and serves threads and tasks alike,
first come first served.

- **token bucket** (``"token_bucket"``), kept as GCRA (one number per
  bucket, the *theoretical arrival time*): long-run ``requests_per_second``,
  with up to ``burst_size`` requests at once after a quiet spell.
- **sliding window** (``"sliding_window"``): never more than ``burst_size``
  requests in any ``burst_size / requests_per_second`` seconds — with the
  default burst, at most ``requests_per_second`` in any one second.

Limits are chosen per operation (see :meth:`RateLimiter.limit_for`): each
request is paced by exactly one limit, the most specific that matches it —
its operation name in ``endpoint_limits`` (``"CreatePage"``; a batched
request goes by the names of the operations it carries), else its kind
(``"mutation"``, ``"query"``), else the default. One limit per request keeps
every queue first come, first served: a slow limit for writes never holds
up reads queued behind it.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ..errors import InvalidArgumentError

if TYPE_CHECKING:
    from ._redis import RedisBackend

Strategy = Literal["token_bucket", "sliding_window"]
OnLimit = Literal["wait", "raise"] | Callable[["RateLimitEvent"], "Awaitable[Any] | Any"]
_STRATEGIES = ("token_bucket", "sliding_window")
#: The key of the limit every request draws from.
DEFAULT_KEY = "*"
KIND_KEYS = frozenset({"query", "mutation", "subscription"})
_NEGLIGIBLE = 1e-9


def _positive(value: Any, name: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value <= 0
    ):
        raise InvalidArgumentError(f"{name} must be a positive number, not {value!r}", field=name)
    return float(value)


def _burst(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidArgumentError(f"{name} must be an integer >= 1, not {value!r}", field=name)
    return value


def _strategy(value: Any) -> Strategy:
    if value not in _STRATEGIES:
        raise InvalidArgumentError(
            f"strategy must be 'token_bucket' or 'sliding_window', not {value!r}",
            field="strategy",
        )
    return value  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Limit:
    """One rate limit, for ``endpoint_limits`` entries that need more than a number.

    Example::

        from wikijs.middleware import Limit, RateLimiter

        limiter = RateLimiter(
            default_rps=10,
            endpoint_limits={"CreatePage": Limit(2, burst_size=1), "mutation": 5},
        )

    Args:
        requests_per_second: the long-run rate.
        burst_size: requests allowed at once (default: one second's worth,
            at least 1).
        strategy: ``"token_bucket"`` or ``"sliding_window"`` (default: the
            limiter's).
    """

    requests_per_second: float
    burst_size: int | None = None
    strategy: Strategy | None = None

    def __post_init__(self) -> None:
        _positive(self.requests_per_second, "requests_per_second")
        if self.burst_size is not None:
            _burst(self.burst_size, "burst_size")
        if self.strategy is not None:
            _strategy(self.strategy)


@dataclass(frozen=True, slots=True)
class BucketSpec:
    """A resolved limit: which bucket, and its numbers.

    For a token bucket, ``interval`` is the seconds per request and
    ``tolerance`` how far ahead of the steady rate a burst may run; for a
    sliding window, at most ``capacity`` requests in ``window`` seconds.
    """

    key: str
    strategy: Strategy
    rate: float
    burst: int

    @property
    def interval(self) -> float:
        return 1.0 / self.rate

    @property
    def tolerance(self) -> float:
        return (self.burst - 1) / self.rate

    @property
    def capacity(self) -> int:
        return self.burst

    @property
    def window(self) -> float:
        return self.burst / self.rate


def resolve(
    key: str, limit: Limit | float | int, strategy: Strategy, margin: float = 0.0
) -> BucketSpec:
    """The bucket for one configured limit (a number is requests per second).

    ``margin`` stretches each window of ``burst`` requests by that many
    seconds (the rate is lowered to match), so requests that arrive at the
    server a little late or early cannot put one too many in its window.
    """
    if not isinstance(limit, Limit):
        limit = Limit(_positive(limit, f"endpoint_limits[{key!r}]"))
    rate = float(limit.requests_per_second)
    burst = limit.burst_size if limit.burst_size is not None else max(1, math.floor(rate))
    if margin:
        rate = burst / (burst / rate + margin)
    return BucketSpec(key, limit.strategy or strategy, rate, burst)


_BATCH = re.compile(r"^Batch\[(.+) x\d+\]$")


def operation_names(operation: str) -> list[str]:
    """The names an operation is known by: its own, or a batch's members'."""
    batch = _BATCH.match(operation)
    return batch.group(1).split("+") if batch else [operation]


class _TokenBucket:
    """GCRA: ``tat`` is when the bucket would be empty at the steady rate."""

    __slots__ = ("spec", "tat")

    def __init__(self, spec: BucketSpec) -> None:
        self.spec = spec
        self.tat = -math.inf

    def earliest(self) -> float:
        return self.tat - self.spec.tolerance

    def commit(self, at: float) -> None:
        self.tat = max(self.tat, at) + self.spec.interval


class _SlidingWindow:
    """The grant times of the last ``capacity`` requests (some may lie ahead)."""

    __slots__ = ("grants", "spec")

    def __init__(self, spec: BucketSpec) -> None:
        self.spec = spec
        self.grants: deque[float] = deque(maxlen=spec.capacity)

    def earliest(self) -> float:
        grants = self.grants
        if not grants:
            return -math.inf
        # Full: wait until the oldest of the last `capacity` grants leaves the
        # window. Never before the latest grant, so grants stay in order.
        if len(grants) == grants.maxlen:
            return max(grants[-1], grants[0] + self.spec.window)
        return grants[-1]

    def commit(self, at: float) -> None:
        self.grants.append(at)


@dataclass(frozen=True, slots=True)
class Reservation:
    """A limiter's answer: ``granted`` (and booked) or not, and the wait in seconds."""

    granted: bool
    wait: float


@dataclass(frozen=True, slots=True)
class RateLimitEvent:
    """What an ``on_limit`` callback receives when a request has to wait.

    Attributes:
        operation: the operation's name (``"CreatePage"``).
        kind: ``"query"`` or ``"mutation"``.
        wait: seconds the request would wait for its turn.
    """

    operation: str
    kind: str
    wait: float


class RateLimiter:
    """Keeps requests under a rate: waits for a turn, or refuses.

    Example::

        from wikijs import WikiJSClient
        from wikijs.middleware import RateLimiter

        client = WikiJSClient(
            url,
            auth=api_key,
            rate_limiter=RateLimiter(
                requests_per_second=10, burst_size=20, strategy="token_bucket", on_limit="wait"
            ),
        )

    Per-operation limits: each request is paced by the most specific limit
    that matches it — its operation name (``"CreatePage"``), else its kind
    (``"mutation"`` or ``"query"``), else the default::

        # CreatePage: 2/s; other mutations: 5/s; everything else: 10/s.
        RateLimiter(default_rps=10, endpoint_limits={"CreatePage": 2, "mutation": 5})

    Args:
        requests_per_second: the default limit, for requests that no
            ``endpoint_limits`` entry matches (``None`` with
            ``endpoint_limits``: those requests are not limited).
        burst_size: requests allowed at once (default: one second's worth).
            For ``"sliding_window"`` it is the window's capacity: at most
            ``burst_size`` requests in ``burst_size / requests_per_second``
            seconds.
        strategy: ``"token_bucket"`` or ``"sliding_window"``.
        on_limit: ``"wait"`` (sleep until the turn comes), ``"raise"``
            (:class:`~wikijs.errors.RateLimitExceededError` with
            ``retry_after``), or a callback given a :class:`RateLimitEvent`
            before waiting (it may raise to refuse instead; in the async
            client it may be a coroutine function).
        default_rps: another name for ``requests_per_second``.
        endpoint_limits: ``{operation name or kind: requests per second or Limit}``.
        max_wait: refuse (``RateLimitExceededError``) instead of waiting
            longer than this many seconds.
        respect_retry_after: when the server refuses for rate limiting
            (HTTP 429, the login limit, a ``Retry-After``), hold every request
            for the time it asked, up to this many seconds (``0``: never).
        backend: a :class:`~wikijs.middleware.RedisBackend` to share the
            limit across processes and machines (default: this process).
        margin: seconds of slack per window for delivery jitter: each
            window of ``burst_size`` requests is stretched by ``margin``, so
            a server enforcing the same limit never sees one request too many
            when some arrive later than they left (``0.05`` covers loopback
            and most LANs).
        clock: monotonic seconds (default ``time.monotonic``).
        sleep: the function that waits (default ``asyncio.sleep`` /
            ``time.sleep``); tests pass one that advances a fake clock.

    One limiter may be shared by several clients and threads: they then
    share the limit. Limits count HTTP requests (a batch is one request).

    Raises:
        ValidationError: an argument is out of range.
    """

    def __init__(
        self,
        requests_per_second: float | None = None,
        burst_size: int | None = None,
        strategy: Strategy = "token_bucket",
        on_limit: OnLimit = "wait",
        *,
        default_rps: float | None = None,
        endpoint_limits: Mapping[str, Limit | float | int] | None = None,
        max_wait: float | None = None,
        respect_retry_after: float = 60.0,
        backend: RedisBackend | None = None,
        margin: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None] | None] | None = None,
    ) -> None:
        if (
            requests_per_second is not None
            and default_rps is not None
            and requests_per_second != default_rps
        ):
            raise InvalidArgumentError(
                "requests_per_second and default_rps name the same limit; give one",
                field="default_rps",
            )
        rps = requests_per_second if requests_per_second is not None else default_rps
        self.strategy: Strategy = _strategy(strategy)
        if on_limit not in ("wait", "raise") and not callable(on_limit):
            raise InvalidArgumentError(
                f"on_limit must be 'wait', 'raise' or a callable, not {on_limit!r}",
                field="on_limit",
            )
        self.on_limit = on_limit
        if isinstance(margin, bool) or not isinstance(margin, (int, float)) or not 0 <= margin < 60:
            raise InvalidArgumentError(
                f"margin must be seconds in [0, 60), not {margin!r}", field="margin"
            )
        self.margin: float = float(margin)
        limits: dict[str, BucketSpec] = {}
        if rps is not None:
            limits[DEFAULT_KEY] = resolve(
                DEFAULT_KEY,
                Limit(_positive(rps, "requests_per_second"), burst_size=burst_size),
                self.strategy,
                self.margin,
            )
        elif burst_size is not None:
            raise InvalidArgumentError(
                "burst_size needs requests_per_second (or default_rps)", field="burst_size"
            )
        for key, value in (endpoint_limits or {}).items():
            if not isinstance(key, str) or not key or key == DEFAULT_KEY:
                raise InvalidArgumentError(
                    f"endpoint_limits keys are operation names or 'query'/'mutation', not {key!r}",
                    field="endpoint_limits",
                )
            limits[key] = resolve(key, value, self.strategy, self.margin)
        if not limits:
            raise InvalidArgumentError(
                "give requests_per_second (or default_rps) or endpoint_limits",
                field="requests_per_second",
            )
        if max_wait is not None and (
            isinstance(max_wait, bool) or not isinstance(max_wait, (int, float)) or max_wait < 0
        ):
            raise InvalidArgumentError(
                f"max_wait must be seconds >= 0, not {max_wait!r}", field="max_wait"
            )
        if (
            isinstance(respect_retry_after, bool)
            or not isinstance(respect_retry_after, (int, float))
            or respect_retry_after < 0
        ):
            raise InvalidArgumentError(
                f"respect_retry_after must be seconds >= 0, not {respect_retry_after!r}",
                field="respect_retry_after",
            )
        if sleep is not None and not callable(sleep):
            raise InvalidArgumentError("sleep must be callable", field="sleep")
        self.limits: Mapping[str, BucketSpec] = limits
        self.max_wait: float | None = None if max_wait is None else float(max_wait)
        self.respect_retry_after: float = float(respect_retry_after)
        self.backend = backend
        self.clock = clock
        self.sleep = sleep
        self._lock = threading.Lock()
        self._buckets: dict[str, _TokenBucket | _SlidingWindow] = {
            key: (_TokenBucket(spec) if spec.strategy == "token_bucket" else _SlidingWindow(spec))
            for key, spec in limits.items()
        }
        self._routes: dict[tuple[str, str], BucketSpec | None] = {}
        self._paused_until = -math.inf

    @property
    def callback(self) -> Callable[[RateLimitEvent], Any] | None:
        return None if isinstance(self.on_limit, str) else self.on_limit

    @property
    def blocks(self) -> bool:
        """Whether a limited request waits (``"wait"`` or a callback) rather than raising."""
        return self.on_limit != "raise"

    def limit_for(self, operation: str, kind: str) -> BucketSpec | None:
        """The one limit that paces an operation: its name's, its kind's, or the default."""
        key = (operation, kind)
        if key in self._routes:
            return self._routes[key]
        chosen = None
        for candidate in operation_names(operation):
            if candidate not in KIND_KEYS and candidate in self.limits:
                chosen = self.limits[candidate]
                break
        if chosen is None:
            chosen = self.limits.get(kind) or self.limits.get(DEFAULT_KEY)
        if len(self._routes) < 4096:  # names come from code, not data; bound it anyway
            self._routes[key] = chosen
        return chosen

    def reserve(
        self, operation: str, kind: str, *, block: bool | None = None, now: float | None = None
    ) -> Reservation:
        """Book the next turn for one request, or refuse without booking.

        Args:
            operation: the operation's name.
            kind: ``"query"`` or ``"mutation"``.
            block: book even if the turn lies ahead (default: ``on_limit``
                is not ``"raise"``); ``max_wait`` still applies.
            now: the current time (default: ``clock()``).

        Returns:
            ``Reservation(True, wait)`` — send after ``wait`` seconds — or
            ``Reservation(False, wait)``: nothing was booked; the turn would
            have come after ``wait`` seconds.
        """
        if block is None:
            block = self.blocks
        spec = self.limit_for(operation, kind)
        bucket = None if spec is None else self._buckets[spec.key]
        with self._lock:
            current = self.clock() if now is None else now
            at = max(current, self._paused_until)
            if bucket is not None:
                at = max(at, bucket.earliest())
            wait = at - current
            if wait < _NEGLIGIBLE:  # float dust from summing intervals is not a wait
                wait, at = 0.0, current
            if wait > 0 and (not block or (self.max_wait is not None and wait > self.max_wait)):
                return Reservation(False, wait)
            if bucket is not None:
                bucket.commit(at)
        return Reservation(True, wait)

    def pause(self, seconds: float, *, now: float | None = None) -> float:
        """Hold every request for ``seconds`` (capped by ``respect_retry_after``).

        Called when the server refuses for rate limiting; returns the pause applied.
        """
        seconds = min(max(seconds, 0.0), self.respect_retry_after)
        if seconds > 0:
            with self._lock:
                current = self.clock() if now is None else now
                self._paused_until = max(self._paused_until, current + seconds)
        return seconds

    def __repr__(self) -> str:
        limits = ", ".join(
            f"{key}={spec.rate:g}/s burst {spec.burst} ({spec.strategy})"
            for key, spec in self.limits.items()
        )
        where = "redis" if self.backend is not None else "local"
        return f"RateLimiter({limits}; on_limit={self.on_limit!r}, {where})"
