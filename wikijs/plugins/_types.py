"""What plugins are, and what their hooks receive."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from .._protocol.redaction import redact

if TYPE_CHECKING:
    from .._protocol.operation import Operation


class RequestInfo:
    """One attempt at one operation, as plugins see it (before it is sent).

    Attributes:
        operation: the operation's name (``"GetPage"``; a batch is named
            after its members, e.g. ``"GetPage*50"``).
        kind: ``"query"`` or ``"mutation"`` (an upload is a mutation, a
            download or a health check a query).
        method: the HTTP method: ``"POST"`` for GraphQL and uploads,
            ``"GET"`` for downloads and ``/healthz``.
        url: the GraphQL endpoint, or the URL of the upload, download or
            health check.
        attempt: 1 for the first try, 2 for the first retry, …
        variables: the operation's variables with secrets replaced by
            ``"***"``: every variable the operation passes to an argument
            that carries a credential, by what the operation is
            (``changePassword(current: $a, new: $b)``, ``login(password:
            $p)``, provider settings holding API keys), and any key named
            like a password, token or key; computed when first read.
        batch_size: how many operations a batched request carries (1 otherwise).
        started: ``time.perf_counter()`` when the attempt began.

    Credentials never appear here: headers are not part of it.
    """

    __slots__ = ("_method", "_operation", "_variables", "attempt", "started", "url")

    url: str
    attempt: int
    started: float

    def __init__(
        self, operation: Operation, url: str, attempt: int, started: float, method: str = "POST"
    ) -> None:
        self._operation = operation
        self._variables: Mapping[str, Any] | None = None
        self._method = method
        self.url = url
        self.attempt = attempt
        self.started = started

    @property
    def operation(self) -> str:
        return self._operation.name

    @property
    def kind(self) -> str:
        return self._operation.kind

    @property
    def method(self) -> str:
        return self._method

    @property
    def batch_size(self) -> int:
        return len(self._operation.members) or 1

    @property
    def variables(self) -> Mapping[str, Any]:
        if self._variables is None:
            operation = self._operation
            self._variables = redact(operation.variables, operation.facts.secret_variables)
        return self._variables

    def __repr__(self) -> str:
        return (
            f"RequestInfo(operation={self.operation!r}, kind={self.kind!r}, "
            f"attempt={self.attempt}, url={self.url!r})"
        )


class ResponseInfo:
    """How one attempt ended, as plugins see it.

    Attributes:
        request: the :class:`RequestInfo` of the attempt.
        operation: shortcut for ``request.operation``.
        duration: seconds from sending to the answer (or the failure).
        ok: ``True`` when the operation succeeded.
        status: the HTTP status when known (200 on success; a failure's
            ``status_code``; ``None`` for transport failures).
        error: the typed error when ``ok`` is false.
        data: the operation's ``data`` on success. The answer of an
            operation that carries credentials (a login step, a password
            change: see ``RequestInfo.variables``) comes redacted like its
            variables, so that the token it holds (``jwt``,
            ``continuationToken``, the TFA set-up's QR code) never reaches a
            plugin; other answers are as the server sent them.
    """

    __slots__ = ("_data", "_redacted", "duration", "error", "ok", "request", "status")

    request: RequestInfo
    duration: float
    ok: bool
    status: int | None
    error: BaseException | None

    def __init__(
        self,
        request: RequestInfo,
        duration: float,
        *,
        ok: bool,
        status: int | None,
        error: BaseException | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> None:
        self.request = request
        self.duration = duration
        self.ok = ok
        self.status = status
        self.error = error
        self._data = data
        self._redacted = False

    @property
    def data(self) -> Mapping[str, Any] | None:
        if not self._redacted:
            self._redacted = True
            if self._data is not None and self.request._operation.facts.secret_variables:
                self._data = redact(self._data)
        return self._data

    @property
    def operation(self) -> str:
        return self.request.operation

    def __repr__(self) -> str:
        return (
            f"ResponseInfo(operation={self.operation!r}, ok={self.ok}, status={self.status}, "
            f"duration={self.duration:.6f})"
        )


class Plugin(Protocol):
    """What a plugin may implement; every hook is optional.

    Hooks run once per attempt (a retried call runs them again, with
    ``request.attempt`` counting up), innermost in the pipeline: they see
    exactly the requests that go out. In the async client a hook may be a
    coroutine function; the sync client refuses those when it is built.

    - ``before_request(method, url, *, request)``: just before sending;
      raising here stops the request (nothing is sent).
    - ``after_request(response)``: the attempt succeeded.
    - ``on_error(error, response)``: the attempt failed with ``error``.
    - ``on_circuit_change(old, new, stats)``: the client's circuit breaker
      changed state.

    An exception raised by ``after_request``, ``on_error`` or
    ``on_circuit_change`` is logged (logger ``wikijs.plugins``) and
    ignored: the outcome of the request stands.

    Example::

        class Timer:
            def before_request(self, method, url, **kwargs):
                print("->", method, kwargs["request"].operation)

            def after_request(self, response):
                print("<-", response.operation, f"{response.duration * 1000:.1f} ms")

            def on_error(self, error, response):
                print("!!", response.operation, type(error).__name__)
    """

    def before_request(self, method: str, url: str, **kwargs: Any) -> Any: ...

    def after_request(self, response: ResponseInfo) -> Any: ...

    def on_error(self, error: BaseException, response: ResponseInfo) -> Any: ...


class BeforeRequestHook(Protocol):
    """A plugin with a ``before_request`` hook (see :class:`Plugin`)."""

    def before_request(self, method: str, url: str, **kwargs: Any) -> Any: ...


class AfterRequestHook(Protocol):
    """A plugin with an ``after_request`` hook (see :class:`Plugin`)."""

    def after_request(self, response: ResponseInfo) -> Any: ...


class OnErrorHook(Protocol):
    """A plugin with an ``on_error`` hook (see :class:`Plugin`)."""

    def on_error(self, error: BaseException, response: ResponseInfo) -> Any: ...


class OnCircuitChangeHook(Protocol):
    """A plugin with an ``on_circuit_change`` hook (see :class:`Plugin`)."""

    def on_circuit_change(self, old: Any, new: Any, stats: Any) -> Any: ...


#: What ``plugins=`` takes: any object with at least one of the hooks. Every
#: hook is optional, so a plugin need not implement all of :class:`Plugin`;
#: an object with none is a type error (and refused at run time).
PluginLike = BeforeRequestHook | AfterRequestHook | OnErrorHook | OnCircuitChangeHook
