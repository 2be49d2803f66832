"""What a client view changes for its calls (``client.with_options(...)``), normalised once.

A view is the client with other defaults for its calls: it shares the
connection pool, cache, breaker, limiter, plugins and credentials of the
client it came from. Its settings travel with each operation in
``Operation.options``, as defaults below the call's own options:

- ``VIEW_OPTION`` → :class:`CallOptions`: what the exchange needs (timeouts,
  deadline, headers, a raw response's :class:`~wikijs._http.raw.Recorder`),
  read by the pipeline when it builds the :class:`~wikijs._http.base.Request`;
- ``POLICY_OPTION`` → the retry policy (``None``: no retries), read by the retry layer;
- ``VIEW_CACHE_OPTION`` → the cache mode, read by the cache layer.

:func:`view_options` checks the arguments once, when the view is made, so
that making one costs microseconds and sending through one nothing more
than applying them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from .._constants import DEADLINE_READ_TIMEOUTS
from .._protocol.operation import VIEW_CACHE_OPTION
from .._protocol.retry import POLICY_OPTION, build_retry_strategy
from ..errors import ArgumentTypeError, InvalidArgumentError
from .config import (
    NOT_GIVEN,
    ClientConfig,
    NotGiven,
    Timeout,
    build_deadline,
    build_timeout,
    check_header,
)

if TYPE_CHECKING:
    from .base import Request
    from .raw import Recorder

#: Operation option: the view's :class:`CallOptions`.
VIEW_OPTION = "view"

_EMPTY: Mapping[str, str] = MappingProxyType({})

# Headers a view may not set: credentials belong in auth= (as for the
# client's headers=), and the SDK sets these itself for the body it sends and
# the encodings it can undo.
_CREDENTIALS = frozenset({"authorization", "cookie", "proxy-authorization"})
_PROTOCOL = frozenset(
    {"content-type", "content-length", "content-encoding", "transfer-encoding", "host"}
    | {"accept-encoding", "connection"}
)


class CallOptions(NamedTuple):
    """The exchange settings of a client view (see the module docstring).

    A named tuple: made once per view, it must cost next to nothing.

    Attributes:
        timeout: the view's timeouts (``None``: the client's).
        deadline: the view's deadline (:data:`NOT_GIVEN`: the client's).
        headers: the view's headers, over the client's of the same name.
        recorder: where a raw response's exchanges go.
        names: the view's header names, lower-cased.
    """

    timeout: Timeout | None = None
    deadline: float | None | NotGiven = NOT_GIVEN
    headers: Mapping[str, str] = _EMPTY
    recorder: Recorder | None = None
    names: frozenset[str] = frozenset()

    def apply(self, request: Request) -> Request:
        """``request`` with the view's headers, timeouts and deadline."""
        headers = request.headers
        if self.headers:
            names = self.names
            headers = {n: v for n, v in headers.items() if n.lower() not in names}
            headers.update(self.headers)
        return replace(request, headers=headers, timeout=self.timeout, deadline=self.deadline)


_NONE = CallOptions()


def _merge_headers(base: Mapping[str, str], extra: Mapping[str, str]) -> dict[str, str]:
    """``base`` with ``extra`` over it, names compared without case."""
    names = {name.lower() for name in extra}
    merged = {name: value for name, value in base.items() if name.lower() not in names}
    merged.update(extra)
    return merged


def _check_headers(headers: Any) -> dict[str, str]:
    if not isinstance(headers, Mapping):
        raise ArgumentTypeError("headers must map strings to strings", field="headers")
    checked: dict[str, str] = {}
    for name, value in headers.items():
        check_header(name, value)
        lowered = name.lower()
        if lowered in _CREDENTIALS:
            raise InvalidArgumentError(
                f"pass credentials with auth=, not in a {name!r} header", field="headers"
            )
        if lowered in _PROTOCOL:
            raise InvalidArgumentError(
                f"the SDK sets the {name!r} header itself; it cannot be set per view",
                field="headers",
            )
        checked[name] = value
    return checked


#: Views a client keeps, by their arguments (the same arguments, the same view).
KEPT_VIEWS = 64


def options_key(
    timeout: Any, deadline: Any, headers: Any, retry_strategy: Any, cache: Any
) -> tuple[Any, ...]:
    """The arguments of ``with_options`` as a dictionary key (unhashable ones fail to hash).

    Each value goes with its type, so ``retry_strategy=True`` (the default
    policy) and ``retry_strategy=1`` (one retry) are different keys. A
    ``RetryStrategy`` counts by identity: two policies equal but for their
    ``sleep`` or ``clock`` are different policies (the view that keeps one
    keeps it alive, so its identity is not reused while it is a key).
    """
    if headers is not None:
        items = getattr(headers, "items", None)
        headers = (type(headers), tuple(items()) if items is not None else headers)
    if type(retry_strategy) not in _PLAIN:
        retry_strategy = id(retry_strategy)
    return (
        type(timeout), timeout, type(deadline), deadline, headers,
        type(retry_strategy), retry_strategy, type(cache), cache,
    )  # fmt: skip


_PLAIN = frozenset({bool, int, type(None), NotGiven})


def view_options(
    options: Mapping[str, Any],
    config: ClientConfig,
    *,
    timeout: Any = NOT_GIVEN,
    deadline: Any = NOT_GIVEN,
    headers: Any = None,
    retry_strategy: Any = NOT_GIVEN,
    cache: Any = NOT_GIVEN,
    recorder: Recorder | None = None,
) -> dict[str, Any]:
    """A view's operation options, from its parent's and the changes.

    ``options`` and ``config`` are the parent's (a client's: no options).
    A view given ``timeout`` but no ``deadline`` keeps its parent's
    deadline, lengthened to four read timeouts if that is longer (a view
    for slow calls does not die at the old deadline); ``timeout=None``
    (no timeouts) makes no deadline.

    Raises:
        ValidationError: an argument is invalid.
    """
    new = dict(options)
    view: CallOptions = new.get(VIEW_OPTION) or _NONE
    built, until, extra, recording, names = view
    exchange = False  # the timeouts, the deadline or the headers change
    if not isinstance(deadline, NotGiven):
        until = build_deadline(deadline, config.timeout)
        exchange = True
    if not isinstance(timeout, NotGiven):
        built = _timeout(timeout)
        if isinstance(deadline, NotGiven):  # at least four of its read timeouts
            current = config.deadline
            reads = built.read
            until = (
                None
                if current is None or reads is None
                else max(current, DEADLINE_READ_TIMEOUTS * reads)
            )
        exchange = True
    if headers is not None:
        merged = _merge_headers(extra, _check_headers(headers))
        extra, names = MappingProxyType(merged), frozenset(name.lower() for name in merged)
        exchange = True
    if exchange or recorder is not None:
        new[VIEW_OPTION] = tuple.__new__(
            CallOptions, (built, until, extra, recorder or recording, names)
        )
    if not isinstance(retry_strategy, NotGiven):
        new[POLICY_OPTION] = build_retry_strategy(retry_strategy)
    if not isinstance(cache, NotGiven):
        if cache is None:
            new.pop(VIEW_CACHE_OPTION, None)
        else:
            from .._protocol.cache_keys import check_cache_mode

            new[VIEW_CACHE_OPTION] = check_cache_mode(cache, "cache")
    return new


_TIMEOUTS: dict[tuple[type, float], Timeout] = {}


def _timeout(timeout: Any) -> Timeout:
    """:func:`build_timeout`, remembered for plain numbers (views repeat theirs)."""
    if type(timeout) not in (int, float):
        return build_timeout(timeout)
    key = (type(timeout), timeout)
    built = _TIMEOUTS.get(key)
    if built is None:
        if len(_TIMEOUTS) >= 256:
            _TIMEOUTS.clear()
        built = _TIMEOUTS[key] = build_timeout(timeout)
    return built


def view_config(config: ClientConfig, options: Mapping[str, Any]) -> ClientConfig:
    """A view's configuration: its client's ``config``, with the view's timeouts, deadline
    and headers (what ``view.config`` shows; worked out when first read).

    Built by copying the frozen instance's fields rather than through
    ``dataclasses.replace``, which would validate again what is valid and
    cost several times as much.
    """
    view: CallOptions | None = options.get(VIEW_OPTION)
    if view is None:
        return config
    derived = object.__new__(ClientConfig)
    fields = derived.__dict__
    fields.update(config.__dict__)
    if view.timeout is not None:
        fields["timeout"] = view.timeout
    if not isinstance(view.deadline, NotGiven):
        fields["deadline"] = view.deadline
    if view.headers:
        fields["headers"] = _merge_headers(config.headers, view.headers)
    return derived
