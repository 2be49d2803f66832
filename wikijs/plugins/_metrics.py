"""``MetricsPlugin``: request counts, latency, errors, retries and breaker state."""

from __future__ import annotations

import importlib
import re
import threading
import weakref
from collections import defaultdict
from typing import Any

from ..errors import InvalidArgumentError
from ..middleware._breaker import BreakerStats, CircuitState
from ._types import RequestInfo, ResponseInfo

_MISSING = (
    "MetricsPlugin(backend='prometheus') needs the 'prometheus_client' package; "
    "install it with: pip install 'wikijs[metrics]'"
)
#: ``wikijs_circuit_breaker_state`` values.
STATE_VALUES = {CircuitState.CLOSED: 0, CircuitState.HALF_OPEN: 1, CircuitState.OPEN: 2}
_BATCH_SIZE = re.compile(r" x\d+\]$")
#: Latency buckets (seconds): loopback to slow wide-area.
DEFAULT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


def _label(operation: str) -> str:
    """An operation label of bounded cardinality (batch sizes dropped)."""
    return _BATCH_SIZE.sub("]", operation)


class _Prometheus:
    """The metric objects, created once per registry (registering twice fails)."""

    _by_registry: weakref.WeakKeyDictionary[Any, dict[str, _Prometheus]] = (
        weakref.WeakKeyDictionary()
    )
    _lock = threading.Lock()

    def __init__(self, prometheus: Any, registry: Any, namespace: str, buckets: Any) -> None:
        self.requests = prometheus.Counter(
            "requests",
            "GraphQL requests sent, by outcome",
            ["operation", "kind", "outcome"],
            namespace=namespace,
            registry=registry,
        )
        self.duration = prometheus.Histogram(
            "request_duration_seconds",
            "Time from sending a request to its answer",
            ["operation", "kind"],
            namespace=namespace,
            registry=registry,
            buckets=buckets,
        )
        self.errors = prometheus.Counter(
            "errors",
            "Failed requests, by error type",
            ["operation", "error"],
            namespace=namespace,
            registry=registry,
        )
        self.retries = prometheus.Counter(
            "retries",
            "Requests that were retries of an earlier attempt",
            ["operation"],
            namespace=namespace,
            registry=registry,
        )
        self.breaker_state = prometheus.Gauge(
            "circuit_breaker_state",
            "Circuit breaker state: 0 closed, 1 half-open, 2 open",
            namespace=namespace,
            registry=registry,
        )

    @classmethod
    def get(cls, registry: Any, namespace: str, buckets: Any) -> _Prometheus:
        try:
            prometheus = importlib.import_module("prometheus_client")
        except ImportError as exc:
            raise ImportError(_MISSING) from exc
        if registry is None:
            registry = prometheus.REGISTRY
        with cls._lock:
            per_namespace = cls._by_registry.setdefault(registry, {})
            metrics = per_namespace.get(namespace)
            if metrics is None:
                metrics = per_namespace[namespace] = cls(prometheus, registry, namespace, buckets)
            return metrics


class MemoryMetrics:
    """The ``backend="memory"`` store: plain counters, for tests and quick looks."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: defaultdict[tuple[str, str, str], int] = defaultdict(int)
        self.durations: defaultdict[tuple[str, str], list[float]] = defaultdict(list)
        self.errors: defaultdict[tuple[str, str], int] = defaultdict(int)
        self.retries: defaultdict[str, int] = defaultdict(int)
        self.breaker_state = 0

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": dict(self.requests),
                "durations": {key: list(value) for key, value in self.durations.items()},
                "errors": dict(self.errors),
                "retries": dict(self.retries),
                "breaker_state": self.breaker_state,
            }


class MetricsPlugin:
    """Exports client metrics, to Prometheus by default.

    Metrics (with the default ``namespace="wikijs"``):

    - ``wikijs_requests_total{operation, kind, outcome}`` — requests sent,
      ``outcome`` is ``ok`` or ``error``;
    - ``wikijs_request_duration_seconds{operation, kind}`` — latency histogram;
    - ``wikijs_errors_total{operation, error}`` — failures by error class;
    - ``wikijs_retries_total{operation}`` — attempts that were retries;
    - ``wikijs_circuit_breaker_state`` — 0 closed, 1 half-open, 2 open.

    Example::

        from prometheus_client import CollectorRegistry
        from wikijs import WikiJSClient
        from wikijs.plugins import MetricsPlugin

        registry = CollectorRegistry()
        client = WikiJSClient(
            url, auth=api_key, plugins=[MetricsPlugin(backend="prometheus", registry=registry)]
        )

    Args:
        backend: ``"prometheus"`` (needs ``pip install 'wikijs[metrics]'``)
            or ``"memory"`` (counters kept in :attr:`memory`).
        registry: a ``prometheus_client.CollectorRegistry`` (default: the
            global ``REGISTRY``). Plugins sharing a registry share metrics.
        namespace: the metric name prefix.
        buckets: latency histogram buckets in seconds.

    Raises:
        ImportError: ``prometheus_client`` is missing.
        ValidationError: an unknown backend.
    """

    def __init__(
        self,
        backend: str = "prometheus",
        *,
        registry: Any = None,
        namespace: str = "wikijs",
        buckets: tuple[float, ...] = DEFAULT_BUCKETS,
    ) -> None:
        if backend not in ("prometheus", "memory"):
            raise InvalidArgumentError(
                f"backend must be 'prometheus' or 'memory', not {backend!r}", field="backend"
            )
        self.backend = backend
        self.memory: MemoryMetrics | None = None
        self._prometheus: _Prometheus | None = None
        if backend == "prometheus":
            self._prometheus = _Prometheus.get(registry, namespace, buckets)
        else:
            self.memory = MemoryMetrics()

    def before_request(self, method: str, url: str, **kwargs: Any) -> None:
        request: RequestInfo = kwargs["request"]
        if request.attempt > 1:
            operation = _label(request.operation)
            if self._prometheus is not None:
                self._prometheus.retries.labels(operation).inc()
            elif self.memory is not None:
                with self.memory._lock:
                    self.memory.retries[operation] += 1

    def _observe(self, response: ResponseInfo, outcome: str) -> None:
        operation = _label(response.operation)
        kind = response.request.kind
        if self._prometheus is not None:
            self._prometheus.requests.labels(operation, kind, outcome).inc()
            self._prometheus.duration.labels(operation, kind).observe(response.duration)
        elif self.memory is not None:
            with self.memory._lock:
                self.memory.requests[(operation, kind, outcome)] += 1
                self.memory.durations[(operation, kind)].append(response.duration)

    def after_request(self, response: ResponseInfo) -> None:
        self._observe(response, "ok")

    def on_error(self, error: BaseException, response: ResponseInfo) -> None:
        self._observe(response, "error")
        operation, name = _label(response.operation), type(error).__name__
        if self._prometheus is not None:
            self._prometheus.errors.labels(operation, name).inc()
        elif self.memory is not None:
            with self.memory._lock:
                self.memory.errors[(operation, name)] += 1

    def on_circuit_change(self, old: CircuitState, new: CircuitState, stats: BreakerStats) -> None:
        value = STATE_VALUES[new]
        if self._prometheus is not None:
            self._prometheus.breaker_state.set(value)
        elif self.memory is not None:
            self.memory.breaker_state = value

    def __repr__(self) -> str:
        return f"MetricsPlugin(backend={self.backend!r})"
