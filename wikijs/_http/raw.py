"""Raw responses: the HTTP answers a call's typed result came from.

``client.pages.with_raw_response.get(12)`` runs ``pages.get(12)`` through a
view of the client whose exchanges are recorded (:class:`Recorder`, carried
to the pipeline by the view's :class:`~wikijs._http.options.CallOptions`),
and answers a :class:`RawResponse`: the typed result, and every HTTP
exchange the call made — its status, headers and timing, and the request as
the SDK sent it, with credentials left out and secret variables masked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .._protocol.operation import describe
from .._protocol.redaction import REDACTED, is_secret_name, redact
from .._protocol.retry import ATTEMPT_OPTION
from .base import Request, ResponseHeaders

if TYPE_CHECKING:
    from .._protocol.operation import Operation

T = TypeVar("T")
#: Covariant: a ``RawResponse[Page]`` is a ``RawResponse[Page | None]``.
T_co = TypeVar("T_co", covariant=True)

#: Operation option set by the batcher on an aliased batch: the calls it carries,
#: as ``(name, document, variables)`` (what a raw response shows per operation).
CALLS_OPTION = "calls"


@dataclass(frozen=True, slots=True)
class RawOperation:
    """One GraphQL operation a request carried.

    Attributes:
        name: its name (``GetPage``).
        variables: its variables, with those that carry credentials shown as
            ``***`` (a password, a token: by name or by the argument they fill).
    """

    name: str
    variables: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class RawRequest:
    """The request the SDK sent, as a raw response shows it.

    Attributes:
        method: ``POST`` (GraphQL, uploads) or ``GET`` (downloads, ``/healthz``).
        url: the URL it went to.
        headers: the headers sent, credentials (``Authorization``, cookies)
            shown as ``***``.
        operation: the name errors and plugins give it: ``GetPage``, or
            ``Batch[GetPage x50]`` for a batch.
        operations: the GraphQL operations it carried, each with its
            variables (one, or one per item of a batch; none for an upload
            or a download).
        attempt: 1 for the first attempt, 2 for the first retry, …
    """

    method: str
    url: str
    headers: Mapping[str, str]
    operation: str
    operations: tuple[RawOperation, ...]
    attempt: int = 1

    @property
    def variables(self) -> Mapping[str, Any]:
        """The variables of a request that carried one operation (``{}`` otherwise)."""
        return self.operations[0].variables if len(self.operations) == 1 else {}


@dataclass(frozen=True, slots=True)
class RawExchange:
    """One HTTP request and the answer to it.

    Attributes:
        request: what was sent.
        status_code: the answer's HTTP status.
        headers: the answer's headers: case-insensitive, and a renewed token
            (``new-jwt``) or cookie hidden from their repr.
        elapsed: seconds from sending the request to having read the answer
            (its head, for a streamed download).
    """

    request: RawRequest
    status_code: int
    headers: ResponseHeaders
    elapsed: float


@dataclass(frozen=True, slots=True)
class RawResponse(Generic[T_co]):
    """A call's typed result, and the HTTP exchanges it came from.

    ``status_code``, ``headers``, ``elapsed`` and ``request`` are the last
    exchange's: the answer the result was read from. A call that sends more
    than one request (a retry, ``pages.create`` and the read of the page it
    wrote, a batch in several chunks) lists them all in ``exchanges``.

    Example::

        raw = client.pages.with_raw_response.get(12)
        page = raw.parsed                       # the Page, as pages.get returns it
        print(raw.status_code, raw.elapsed, raw.headers.get("content-type"))
        print(raw.request.operation, raw.request.variables)   # GetPage {'id': 12}

    Attributes:
        parsed: what the method returns without ``with_raw_response``.
        exchanges: every HTTP request the call sent that got an answer, in
            order (a request that got none raised instead).
    """

    parsed: T_co
    exchanges: tuple[RawExchange, ...]

    @property
    def last(self) -> RawExchange:
        """The last exchange.

        Raises:
            LookupError: the call sent no request (``get_many([])``).
        """
        if not self.exchanges:
            raise LookupError("the call sent no HTTP request")
        return self.exchanges[-1]

    @property
    def status_code(self) -> int:
        """The last answer's HTTP status."""
        return self.last.status_code

    @property
    def headers(self) -> ResponseHeaders:
        """The last answer's headers (case-insensitive; secrets hidden from the repr)."""
        return self.last.headers

    @property
    def elapsed(self) -> float:
        """Seconds the last exchange took."""
        return self.last.elapsed

    @property
    def request(self) -> RawRequest:
        """The last request sent."""
        return self.last.request


def _operations(operation: Operation) -> tuple[RawOperation, ...]:
    if operation.http is not None:
        return ()
    if operation.members:
        return tuple(
            RawOperation(m.name, redact(m.variables, m.facts.secret_variables))
            for m in operation.members
        )
    calls = operation.options.get(CALLS_OPTION)
    if calls is not None:
        return tuple(
            RawOperation(name, redact(variables, describe(document, name).secret_variables))
            for name, document, variables in calls
        )
    variables = redact(operation.variables, operation.facts.secret_variables)
    return (RawOperation(operation.name, variables),)


class Recorder:
    """Collects the exchanges of one raw call (see the module docstring)."""

    __slots__ = ("exchanges",)

    def __init__(self) -> None:
        self.exchanges: list[RawExchange] = []

    def record(
        self,
        request: Request,
        operation: Operation,
        status_code: int,
        headers: ResponseHeaders,
        elapsed: float,
    ) -> None:
        sent = RawRequest(
            request.method,
            request.url,
            {
                name: REDACTED if is_secret_name(name) else value
                for name, value in request.headers.items()
            },
            request.operation,
            _operations(operation),
            operation.options.get(ATTEMPT_OPTION, 1),
        )
        self.exchanges.append(RawExchange(sent, status_code, headers, elapsed))

    def done(self, parsed: T) -> RawResponse[T]:
        """The raw response of a call that returned ``parsed``."""
        return RawResponse(parsed, tuple(self.exchanges))
