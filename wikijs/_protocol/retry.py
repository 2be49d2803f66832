"""Retry policy as data, and the pure decision built on it. No I/O.

:class:`RetryStrategy` is an immutable policy; :func:`decide` looks at one
failure and says "retry after N seconds" or "stop". The retry layer
(``wikijs/_async/layers.py``) is a thin loop around the two.

Every GraphQL call is a POST, so whether a failure may be retried is a
property of the *operation*: a query may always be sent again; a mutation
when the request provably never reached the server
(``TransportError.request_sent is False``), when it was refused unprocessed
(429, or 503 with ``Retry-After``), when its effect is idempotent (see
``wikijs/_protocol/writes.py``: updates that send every field, deletes, moves),
or when the caller opted in (``retry=True`` on the call, or
:func:`retry_mutations`). Creates check whether they landed before writing
again (the resources' ``run_checked``).
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import (
    CircuitOpenError,
    GraphQLError,
    HTTPStatusError,
    InvalidArgumentError,
    RateLimitedError,
    RateLimitExceededError,
    ResponseError,
    TransportError,
    WikiJSError,
)

Backoff = Literal["exponential", "linear", "constant"]
SleepFunction = Callable[[float], "Awaitable[None] | None"]

_BACKOFFS = ("exponential", "linear", "constant")
#: The statuses retried by default: rate limited, and the gateway family.
DEFAULT_RETRY_ON: tuple[int, ...] = (429, 500, 502, 503, 504)
#: The jitter fraction ``jitter=True`` stands for: delays land in [½d, d].
DEFAULT_JITTER = 0.5
#: Operations the pipeline sends itself before the caller's operation.
#: A failure reported by one of them proves the caller's request was not sent.
CREDENTIAL_OPERATIONS = frozenset({"Login", "GetProfile"})

#: Operation option: ``True`` retries a mutation like a query, ``False``
#: disables retries for the call, a :class:`RetryStrategy` replaces the policy.
RETRY_OPTION = "retry"
#: Operation option set by the retry layer on repeated attempts (2, 3, …).
ATTEMPT_OPTION = "attempt"

_mutation_scope: ContextVar[bool] = ContextVar("wikijs_retry_mutations", default=False)


@contextmanager
def retry_mutations(enabled: bool = True) -> Iterator[None]:
    """Retry mutations inside this block as freely as queries.

    Use it around calls you know to be idempotent (setting a value, deleting
    by id) when you prefer a retry to an ambiguous failure. It applies to
    the current thread or task (and tasks it starts).

    Example::

        from wikijs.middleware import retry_mutations

        with retry_mutations():
            client.pages.delete(12)      # re-sent even if the connection broke

    Args:
        enabled: ``False`` restores the default inside a nested block.
    """
    token = _mutation_scope.set(enabled)
    try:
        yield
    finally:
        _mutation_scope.reset(token)


def mutations_opted_in() -> bool:
    """Whether the current context is inside :func:`retry_mutations`."""
    return _mutation_scope.get()


def _check_number(value: Any, name: str, *, minimum: float = 0.0, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
        raise InvalidArgumentError(
            f"{name} must be a number >= {minimum}, not {value!r}", field=name
        )


@dataclass(frozen=True)
class RetryStrategy:
    """When and how long to wait before sending a failed operation again.

    Queries are retried on transport failures and on the statuses in
    ``retry_on``. Mutations are retried only when the request provably
    never reached the server, unless the call opts in (``retry=True`` on a
    ``client.graphql`` call, or the :func:`retry_mutations` block).
    ``client.pages.create`` retries safely on its own: after an ambiguous
    failure it looks the page up before writing again.

    Example::

        from wikijs import WikiJSClient
        from wikijs.middleware import RetryStrategy

        client = WikiJSClient(
            url,
            auth=api_key,
            retry_strategy=RetryStrategy(
                max_retries=5, backoff="exponential", initial_delay=1, max_delay=60,
                jitter=True, retry_on=[429, 500, 502, 503, 504],
            ),
        )

    Args:
        max_retries: attempts after the first one (``0`` never retries).
        backoff: ``"exponential"`` (``initial_delay * 2**n``), ``"linear"``
            (``initial_delay * (n + 1)``) or ``"constant"``.
        initial_delay: seconds before the first retry.
        max_delay: the longest backoff between two attempts.
        jitter: ``True`` spreads each delay randomly over [½d, d] so many
            clients do not retry in step; a float picks the fraction
            (``0.2`` → [0.8d, d]); ``False`` keeps delays exact.
        retry_on: HTTP statuses worth retrying (429 also covers the login
            rate limit, which Wiki.js reports with HTTP 200).
        retry_transport_errors: retry connection failures and timeouts.
        max_retry_after: the longest ``Retry-After`` honoured; a server
            asking for more ends the retries (waiting less would only earn
            another refusal).
        max_elapsed: a cap on the total time spent retrying one call
            (``None``: no cap besides ``max_retries``).
        sleep: the function that waits (tests pass one that returns at
            once); default: ``asyncio.sleep`` / ``time.sleep``.
        clock: monotonic seconds, for ``max_elapsed``; default ``time.monotonic``.
        rng: the random source for jitter (``random.Random(seed)`` for
            reproducible delays).

    Raises:
        ValidationError: an argument is out of range.
    """

    max_retries: int = 3
    backoff: Backoff = "exponential"
    initial_delay: float = 0.5
    max_delay: float = 30.0
    jitter: bool | float = True
    retry_on: Iterable[int] = DEFAULT_RETRY_ON
    retry_transport_errors: bool = True
    max_retry_after: float = 60.0
    max_elapsed: float | None = 120.0
    sleep: SleepFunction | None = field(default=None, compare=False, repr=False)
    clock: Callable[[], float] | None = field(default=None, compare=False, repr=False)
    rng: random.Random | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if (
            isinstance(self.max_retries, bool)
            or not isinstance(self.max_retries, int)
            or self.max_retries < 0
        ):
            raise InvalidArgumentError(
                f"max_retries must be an integer >= 0, not {self.max_retries!r}",
                field="max_retries",
            )
        if self.backoff not in _BACKOFFS:
            raise InvalidArgumentError(
                f"backoff must be one of {', '.join(_BACKOFFS)}, not {self.backoff!r}",
                field="backoff",
            )
        _check_number(self.initial_delay, "initial_delay")
        _check_number(self.max_delay, "max_delay")
        _check_number(self.max_retry_after, "max_retry_after")
        _check_number(self.max_elapsed, "max_elapsed", allow_none=True)
        jitter = self.jitter
        if not isinstance(jitter, bool) and (
            not isinstance(jitter, (int, float)) or not 0 <= jitter <= 1
        ):
            raise InvalidArgumentError(
                f"jitter must be True, False or a fraction in [0, 1], not {jitter!r}",
                field="jitter",
            )
        try:
            statuses = frozenset(int(s) for s in self.retry_on)
        except (TypeError, ValueError):
            raise InvalidArgumentError(
                f"retry_on must be HTTP status codes, not {self.retry_on!r}", field="retry_on"
            ) from None
        if any(not 100 <= s <= 599 for s in statuses):
            raise InvalidArgumentError(
                f"retry_on must be HTTP status codes, not {sorted(statuses)}", field="retry_on"
            )
        # Normalised once so the decision is a set lookup; frozen, hence the
        # object.__setattr__.
        object.__setattr__(self, "retry_on", statuses)

    @property
    def jitter_fraction(self) -> float:
        if self.jitter is True:
            return DEFAULT_JITTER
        if self.jitter is False:
            return 0.0
        return float(self.jitter)

    def backoff_delay(self, retry: int, rng: random.Random | None = None) -> float:
        """The pause before retry number ``retry`` (1 = the first retry)."""
        steps = max(retry - 1, 0)
        if self.backoff == "exponential":
            # min() before the power would overflow for huge retry counts.
            base = self.initial_delay * 2.0 ** min(steps, 64)
        elif self.backoff == "linear":
            base = self.initial_delay * (steps + 1)
        else:
            base = self.initial_delay
        delay = min(base, self.max_delay)
        fraction = self.jitter_fraction
        if fraction and delay:
            delay *= 1.0 - fraction * (rng or _RNG).random()
        return delay


_RNG = random.Random()  # noqa: S311 - jitter, not cryptography


@dataclass(frozen=True, slots=True)
class RetryDecision:
    """The outcome of :func:`decide`: retry after ``delay`` seconds, or stop."""

    retry: bool
    delay: float = 0.0
    reason: str = ""


def _stop(reason: str) -> RetryDecision:
    return RetryDecision(False, 0.0, reason)


def never_sent(error: BaseException, operation: str | None = None) -> bool:
    """Whether ``error`` proves the operation never reached the server.

    True for a transport failure with ``request_sent=False`` (the connection
    was never opened), and for a failure of the pipeline's own login or
    identity check, which run before the operation is sent.
    """
    if isinstance(error, TransportError) and error.request_sent is False:
        return True
    if isinstance(error, WikiJSError) and operation:
        origin = error.operation
        return origin in CREDENTIAL_OPERATIONS and origin != operation
    return False


def retryable_status(error: BaseException) -> int | None:
    """The HTTP status a retry decision keys on, if the error has one.

    The login rate limit arrives with HTTP 200 but means what 429 means.
    """
    if isinstance(error, RateLimitedError):
        return 429
    if isinstance(error, (HTTPStatusError, GraphQLError)):
        return error.status_code
    return None


def refused_unprocessed(error: BaseException) -> bool:
    """Whether the server (or a proxy) refused the request without processing it.

    A 429 means "too many requests, not served"; a 503 that carries
    ``Retry-After`` means "unavailable, come back later". Either way nothing
    was applied, so even a create may be sent again.
    """
    if isinstance(error, RateLimitedError):
        return True
    if isinstance(error, HTTPStatusError):
        status = error.status_code
        return status == 429 or (status == 503 and error.retry_after is not None)
    return False


def outcome_unknown(error: BaseException, operation: str | None = None) -> bool:
    """Whether a failed attempt may have been applied by the server.

    True when the request may have left and no usable answer came back: a
    transport failure after sending (cut connection, read timeout), a 5xx
    with nothing to explain it, an answer that is not GraphQL. False when it
    provably never left, was refused unprocessed, or Wiki.js answered.
    """
    if never_sent(error, operation) or refused_unprocessed(error):
        return False
    if isinstance(error, TransportError):
        return True
    if isinstance(error, HTTPStatusError):
        return (error.status_code or 0) >= 500
    return isinstance(error, ResponseError)


def server_retry_after(error: BaseException) -> float | None:
    """Seconds the server asked us to wait (``Retry-After`` or the login limit)."""
    if isinstance(error, (RateLimitedError, HTTPStatusError)):
        return error.retry_after
    return None


def decide(
    policy: RetryStrategy,
    attempt: int,
    error: BaseException,
    elapsed: float,
    *,
    mutation: bool = False,
    opted_in: bool = False,
    idempotent: bool = False,
    operation: str | None = None,
    rng: random.Random | None = None,
) -> RetryDecision:
    """Whether to send an operation again after ``attempt`` failed with ``error``.

    Args:
        policy: the retry policy.
        attempt: how many attempts were made so far (1 after the first).
        error: what the last attempt raised.
        elapsed: seconds since the first attempt started.
        mutation: the operation changes state.
        opted_in: the caller declared the mutation safe to repeat.
        idempotent: sending the mutation twice has the effect of sending it
            once (see ``wikijs/_protocol/writes.py``), so an unknown outcome may
            be settled by sending it again.
        operation: the operation's name (to recognise failures of the
            pipeline's own credential steps).
        rng: the random source for jitter (``policy.rng`` if not given).

    Returns:
        ``RetryDecision(True, delay)`` or ``RetryDecision(False, reason=...)``.
    """
    if attempt > policy.max_retries:
        return _stop(f"gave up after {attempt} attempts")
    if isinstance(error, (CircuitOpenError, RateLimitExceededError)):
        return _stop("the client-side guard refused; retrying would not help")
    if not isinstance(error, WikiJSError):
        return _stop("not an SDK error")
    unsent = never_sent(error, operation)
    if isinstance(error, TransportError):
        if not policy.retry_transport_errors:
            return _stop("transport errors are not retried")
    else:
        status = retryable_status(error)
        if status is None or status not in policy.retry_on:
            return _stop("the failure is not retryable")
    if mutation and not (opted_in or unsent or idempotent or refused_unprocessed(error)):
        return _stop("a mutation that may have reached the server is not repeated")
    wait = server_retry_after(error)
    if wait is not None:
        if wait > policy.max_retry_after:
            return _stop(f"the server asked to wait {wait:g}s, more than max_retry_after")
        delay = wait
    else:
        delay = policy.backoff_delay(attempt, rng or policy.rng)
    if policy.max_elapsed is not None and elapsed + delay > policy.max_elapsed:
        return _stop("the retry time budget (max_elapsed) is spent")
    return RetryDecision(True, delay)


def build_retry_strategy(value: Any) -> RetryStrategy | None:
    """Normalise the client's ``retry_strategy=`` shorthand.

    ``True`` → the default policy, an int → that many retries, ``None`` or
    ``False`` → no retries, a :class:`RetryStrategy` as is.
    """
    if value is None or value is False:
        return None
    if value is True:
        return RetryStrategy()
    if isinstance(value, RetryStrategy):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return RetryStrategy(max_retries=value) if value > 0 else None
    raise InvalidArgumentError(
        "retry_strategy must be a RetryStrategy, True/False, None or a number of retries "
        f"(>= 0), not {value!r}",
        field="retry_strategy",
    )
