# Generated from wikijs/_async/layers.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""The SDK's own middleware layers, and the one place that puts them in order.

Each layer is a middleware, ``(operation, call_next) -> data`` (see
``pipeline.py``), around the logic of each: retry decisions (``wikijs/_protocol/retry.py``),
the breaker's state machine (``wikijs/middleware/_breaker.py``), rate-limit
reservations (``wikijs/middleware/_ratelimit.py``). The order, outermost first, is::

    user middleware → [cache] → retry → circuit breaker → rate limiter → plugins → send

- **retry outside the breaker**: every attempt asks the breaker, so an
  opening circuit stops a retry loop at once (``CircuitOpenError`` is
  final) instead of hammering a failing server.
- **breaker outside the rate limiter**: a call refused by an open circuit
  costs no rate-limit turn, and time spent waiting for a turn is not
  mistaken for the server's slowness.
- **rate limiter inside retry**: every attempt is a real request, so every
  attempt takes a turn; a shared (Redis) limit then holds for retries too.
- **plugins innermost, once per attempt**: they see exactly the requests
  that go out, each with its attempt number and its own duration.
- **the cache** (when configured) sits outside all of these (the client
  passes it in with the user's middleware): a hit sends nothing, so
  nothing inside it should run or count.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from .._backends import monotonic, sleep
from .._http.config import ClientConfig
from .._protocol.operation import Operation
from .._protocol.retry import (
    ATTEMPT_OPTION,
    RETRY_OPTION,
    RetryStrategy,
    build_retry_strategy,
    decide,
    mutations_opted_in,
    outcome_unknown,
    server_retry_after,
)
from ..errors import (
    ArgumentTypeError,
    ConflictError,
    HTTPStatusError,
    InvalidArgumentError,
    RateLimitedError,
    RateLimitExceededError,
    WikiJSError,
)
from ..middleware._breaker import CircuitBreaker
from ..middleware._hooks import Hooks
from ..middleware._ratelimit import RateLimiter, RateLimitEvent, Reservation
from ..middleware._redis import (
    PAUSE_SCRIPT,
    RESERVE_SCRIPT,
    RedisBackend,
    RedisConnector,
    parse_reservation,
    pause_micros,
)
from ..plugins._types import RequestInfo, ResponseInfo
from .pipeline import RAW, Middleware, NextCall

logger = logging.getLogger("wikijs.middleware")
plugin_logger = logging.getLogger("wikijs.plugins")

T = TypeVar("T")


def pause(sleeper: Callable[[float], Any] | None, seconds: float) -> None:
    """Wait ``seconds`` with the policy's ``sleep`` (zero in tests) or the real one."""
    if seconds <= 0:
        return
    if sleeper is None:
        sleep(seconds)
    else:
        Hooks.call(sleeper, seconds)


# -- retry ------------------------------------------------------------------------


#: Operation option set by the batcher: the batch's writes are all idempotent.
IDEMPOTENT_OPTION = "idempotent"


def operation_idempotent(operation: Operation) -> bool:
    """Whether a mutation may be sent again after an unknown outcome."""
    marked = operation.options.get(IDEMPOTENT_OPTION)
    if marked is not None:
        return bool(marked)
    return operation.facts.idempotent


class RetryLayer:
    """Sends an operation again while :func:`~wikijs._protocol.retry.decide` says so.

    Per call, the ``retry`` option (``client.graphql.get_page(id=1,
    retry=False)``) disables retries (``False``), retries a mutation like a
    query (``True``), or replaces the policy (a ``RetryStrategy``).
    """

    def __init__(self, policy: RetryStrategy) -> None:
        Hooks.check(policy.sleep, "RetryStrategy.sleep")
        self.policy = policy

    def _clock(self, policy: RetryStrategy) -> Callable[[], float]:
        return policy.clock or monotonic

    def __call__(self, operation: Operation, call_next: NextCall) -> dict[str, Any]:
        option = operation.options.get(RETRY_OPTION)
        if option is False:
            return call_next(operation)
        policy = option if isinstance(option, RetryStrategy) else self.policy
        clock = self._clock(policy)
        start = clock()
        attempt = 1
        current = operation
        unknown = False  # an earlier attempt may have been applied
        while True:
            try:
                return call_next(current)
            except WikiJSError as exc:
                # worked out only on failure: the success path stays cheap
                opted_in = option is True or mutations_opted_in()
                mutation = operation.kind == "mutation"
                decision = decide(
                    policy,
                    attempt,
                    exc,
                    clock() - start,
                    mutation=mutation,
                    opted_in=opted_in,
                    idempotent=mutation and operation_idempotent(operation),
                    operation=operation.name,
                )
                if unknown:
                    exc.previous_attempt_unknown = True
                unknown = unknown or (mutation and outcome_unknown(exc, operation.name))
                if not decision.retry:
                    if attempt > 1:
                        logger.debug(
                            "%s: not retrying after attempt %d: %s",
                            operation.name,
                            attempt,
                            decision.reason,
                        )
                    raise
                logger.debug(
                    "%s: attempt %d failed (%s); retrying in %.3fs",
                    operation.name,
                    attempt,
                    type(exc).__name__,
                    decision.delay,
                )
            pause(policy.sleep, decision.delay)
            attempt += 1
            current = replace(operation, options={**operation.options, ATTEMPT_OPTION: attempt})

    def run_checked(
        self,
        send: Callable[[int], T],
        landed: Callable[[], T | None],
        *,
        operation: str,
    ) -> T:
        """Retry a write that cannot simply be repeated: check before writing again.

        ``send(attempt)`` performs the write (with the layer's own retries
        off); ``landed()`` looks for its effect and returns it, or ``None``.
        After a failure that may have reached the server, the write is sent
        again only once ``landed()`` found nothing; a failure that provably
        never reached it is retried at once.
        """
        policy = self.policy
        clock = self._clock(policy)
        start = clock()
        attempt = 1
        unknown = False  # an earlier attempt may have been applied
        while True:
            try:
                return send(attempt)
            except WikiJSError as exc:
                if unknown and isinstance(exc, ConflictError):
                    # The conflict may be our own earlier attempt, applied late
                    # (a server keeps writing after the client gave up).
                    found = self._landed_or_none(landed)
                    if found is not None:
                        logger.info("%s: an earlier attempt was applied", operation)
                        return found
                decision = decide(
                    policy, attempt, exc, clock() - start, mutation=True, opted_in=True,
                    operation=operation,
                )  # fmt: skip
                if unknown:
                    exc.previous_attempt_unknown = True
                if not decision.retry:
                    raise
                failure = exc
            pause(policy.sleep, decision.delay)
            attempt += 1
            if not outcome_unknown(failure, operation):
                continue
            unknown = True
            try:
                found = landed()
            except WikiJSError:
                # Whether the write landed is unknown: report the write's failure.
                raise failure from None
            if found is not None:
                logger.info("%s: the earlier attempt was applied; not writing again", operation)
                return found

    @staticmethod
    def _landed_or_none(landed: Callable[[], T | None]) -> T | None:
        try:
            return landed()
        except WikiJSError:
            return None


# -- circuit breaker ------------------------------------------------------------


class BreakerLayer:
    """Fails fast while the circuit is open; reports every outcome to the breaker."""

    def __init__(self, breaker: CircuitBreaker) -> None:
        self.breaker = breaker

    def __call__(self, operation: Operation, call_next: NextCall) -> dict[str, Any]:
        permit = self.breaker.acquire(operation.name)
        try:
            data = call_next(operation)
        except BaseException as exc:
            self.breaker.record(permit, exc)
            raise
        if (operation.options.get(RAW) or operation.http is not None) and data.get(
            "status", 200
        ) >= 500:
            permit.failure()  # a batch, or an exchange left unchecked, got a server error
        else:
            permit.success()
        return data


# -- rate limiter ---------------------------------------------------------------


class LocalGate:
    """Reservations from the limiter's own in-process state."""

    def __init__(self, limiter: RateLimiter) -> None:
        self._limiter = limiter

    def reserve(self, operation: str, kind: str, block: bool) -> Reservation:
        return self._limiter.reserve(operation, kind, block=block)

    def pause(self, seconds: float) -> None:
        self._limiter.pause(seconds)

    def close(self) -> None:
        return None


class RedisGate:
    """Reservations from a limit shared through Redis (one atomic script per turn)."""

    def __init__(self, limiter: RateLimiter, backend: RedisBackend) -> None:
        self._limiter = limiter
        self._backend = backend
        self._client, self._owned = RedisConnector.connect(backend)
        self._reserve = self._client.register_script(RESERVE_SCRIPT)
        self._hold = self._client.register_script(PAUSE_SCRIPT)

    def reserve(self, operation: str, kind: str, block: bool) -> Reservation:
        limiter = self._limiter
        keys, args = self._backend.reserve_call(
            limiter.limit_for(operation, kind), block=block, max_wait=limiter.max_wait
        )
        try:
            reply = self._reserve(keys=keys, args=args)
        except Exception as exc:
            return self._unreachable(exc, operation)
        return parse_reservation(reply)

    def _unreachable(self, error: Exception, operation: str) -> Reservation:
        if self._backend.fail_open:
            logger.warning(
                "the shared rate limit in Redis is unreachable (%s); sending unlimited", error
            )
            return Reservation(True, 0.0)
        raise RateLimitExceededError(
            f"the shared rate limit in Redis is unreachable ({type(error).__name__}: {error})",
            operation=operation,
            retry_after=1.0,
        ) from error

    def pause(self, seconds: float) -> None:
        seconds = min(seconds, self._limiter.respect_retry_after)
        if seconds <= 0:
            return
        try:
            self._hold(keys=[self._backend.pause_key], args=[pause_micros(seconds)])
        except Exception as exc:  # the limit still holds; only the hint is lost
            logger.warning("could not share the server's Retry-After through Redis: %s", exc)

    def close(self) -> None:
        if self._owned:
            self._client.close()


class RateLimitLayer:
    """Waits for (or refuses) a turn before each attempt; holds all on server refusals."""

    def __init__(self, limiter: RateLimiter) -> None:
        Hooks.check(limiter.callback, "on_limit")
        Hooks.check(limiter.sleep, "RateLimiter.sleep")
        self.limiter = limiter
        self.gate: LocalGate | RedisGate = (
            LocalGate(limiter) if limiter.backend is None else RedisGate(limiter, limiter.backend)
        )

    def __call__(self, operation: Operation, call_next: NextCall) -> dict[str, Any]:
        limiter = self.limiter
        callback = limiter.callback
        name, kind = operation.name, operation.kind
        if callback is None:
            turn = self.gate.reserve(name, kind, limiter.blocks)
        else:
            turn = self.gate.reserve(name, kind, False)
            if not turn.granted:
                Hooks.call(callback, RateLimitEvent(name, kind, turn.wait))
                turn = self.gate.reserve(name, kind, True)
        if not turn.granted:
            raise RateLimitExceededError(
                f"the client-side rate limit allows the next request in {turn.wait:.3f}s",
                operation=name,
                retry_after=turn.wait,
            )
        pause(limiter.sleep, turn.wait)
        try:
            return call_next(operation)
        except (RateLimitedError, HTTPStatusError) as exc:
            wait = server_retry_after(exc)
            if (
                wait
                and limiter.respect_retry_after
                and (isinstance(exc, RateLimitedError) or exc.status_code in (429, 503))
            ):
                self.gate.pause(wait)
            raise

    def close(self) -> None:
        self.gate.close()


# -- plugins ----------------------------------------------------------------------

_HOOKS = ("before_request", "after_request", "on_error")


class PluginLayer:
    """Runs the plugins' hooks around each attempt."""

    def __init__(self, plugins: Sequence[Any], url: str) -> None:
        self.plugins = tuple(plugins)
        self._url = url
        found: dict[str, list[Callable[..., Any]]] = {hook: [] for hook in _HOOKS}
        for plugin in self.plugins:
            hooks = [getattr(plugin, hook, None) for hook in _HOOKS]
            if all(hook is None for hook in hooks) and not hasattr(plugin, "on_circuit_change"):
                raise InvalidArgumentError(
                    f"{type(plugin).__name__} is not a plugin: it has none of "
                    "before_request, after_request, on_error, on_circuit_change",
                    field="plugins",
                )
            for name, hook in zip(_HOOKS, hooks, strict=True):
                if hook is not None:
                    Hooks.check(hook, f"{type(plugin).__name__}.{name}")
                    found[name].append(hook)
        self._before = found["before_request"]
        self._after = found["after_request"]
        self._error = found["on_error"]

    def __call__(self, operation: Operation, call_next: NextCall) -> dict[str, Any]:
        http = operation.http
        method, url = ("POST", self._url) if http is None else (http.method, http.url)
        request = RequestInfo(
            operation, url, operation.options.get(ATTEMPT_OPTION, 1), time.perf_counter(), method
        )
        for hook in self._before:
            Hooks.call(hook, method, url, request=request)
        try:
            data = call_next(operation)
        except Exception as exc:
            failed = ResponseInfo(
                request,
                time.perf_counter() - request.started,
                ok=False,
                status=getattr(exc, "status_code", None),
                error=exc,
            )
            for hook in self._error:
                _quietly(hook, exc, failed)
            raise
        raw = operation.options.get(RAW) or http is not None
        status = data.get("status", 200) if raw else 200
        answered = ResponseInfo(
            request, time.perf_counter() - request.started, ok=True, status=status, data=data
        )
        for hook in self._after:
            _quietly(hook, answered)
        return data


def _quietly(hook: Callable[..., Any], *args: Any) -> None:
    try:
        Hooks.call(hook, *args)
    except Exception:
        name = getattr(hook, "__qualname__", hook)
        plugin_logger.exception("plugin hook %s raised; ignored", name)


# -- assembly ---------------------------------------------------------------------


class Resilience:
    """The layers one client runs, in order, and what they need closed."""

    def __init__(
        self,
        middleware: list[Middleware],
        *,
        retry: RetryLayer | None,
        breaker: CircuitBreaker | None,
        limiter: RateLimitLayer | None,
        plugins: PluginLayer | None,
        listeners: Sequence[Callable[..., Any]] = (),
    ) -> None:
        self.middleware = middleware
        self.retry = retry
        self.breaker = breaker
        self.limiter = limiter
        self.plugins = plugins
        self._listeners = tuple(listeners)

    def close(self) -> None:
        """Close connections the layers opened (a Redis limit) and detach listeners."""
        if self.breaker is not None:
            for listener in self._listeners:
                self.breaker.remove_listener(listener)
        if self.limiter is not None:
            self.limiter.close()


def build_layers(
    config: ClientConfig,
    *,
    middleware: Sequence[Middleware] = (),
    retry_strategy: Any = True,
    circuit_breaker: CircuitBreaker | None = None,
    rate_limiter: RateLimiter | None = None,
    plugins: Sequence[Any] = (),
) -> Resilience:
    """Put the client's layers in their one order (see the module docstring).

    ``middleware`` are the outer layers, outermost first: the user's
    middleware, then the cache layer when the client has a cache.

    Raises:
        ValidationError: a layer is misconfigured (for the sync client: an
            asynchronous hook or callback).
    """
    retry_policy = build_retry_strategy(retry_strategy)
    if circuit_breaker is not None and not isinstance(circuit_breaker, CircuitBreaker):
        raise ArgumentTypeError(
            f"circuit_breaker must be a CircuitBreaker, not {type(circuit_breaker).__name__}",
            field="circuit_breaker",
        )
    if rate_limiter is not None and not isinstance(rate_limiter, RateLimiter):
        raise ArgumentTypeError(
            f"rate_limiter must be a RateLimiter, not {type(rate_limiter).__name__}",
            field="rate_limiter",
        )
    if isinstance(plugins, (str, bytes)) or not isinstance(plugins, Sequence):
        raise ArgumentTypeError("plugins must be a list of plugin objects", field="plugins")
    retry = RetryLayer(retry_policy) if retry_policy is not None else None
    limiter = RateLimitLayer(rate_limiter) if rate_limiter is not None else None
    plugin_layer = PluginLayer(plugins, config.graphql_url) if plugins else None
    listeners: list[Callable[..., Any]] = []
    if circuit_breaker is not None:
        for plugin in plugins:
            listener = getattr(plugin, "on_circuit_change", None)
            if listener is not None:
                circuit_breaker.add_listener(listener)
                listeners.append(listener)

    layers: list[Middleware] = list(middleware)
    if retry is not None:
        layers.append(retry)
    if circuit_breaker is not None:
        layers.append(BreakerLayer(circuit_breaker))
    if limiter is not None:
        layers.append(limiter)
    if plugin_layer is not None:
        layers.append(plugin_layer)
    return Resilience(
        layers,
        retry=retry,
        breaker=circuit_breaker,
        limiter=limiter,
        plugins=plugin_layer,
        listeners=listeners,
    )
