r"""Every error the SDK raises, in one tree rooted at :class:`WikiJSError`.

::

    WikiJSError
    ├── TransportError              the exchange with the server failed
    │   ├── ConnectError            never reached the server (safe to retry)
    │   ├── RequestTimeoutError     connect, read, write or pool timeout
    │   └── ConnectionLostError     cut mid-request: a mutation may have landed
    ├── ResponseError               the answer is not a usable GraphQL response
    │   ├── HTTPStatusError         non-2xx status with nothing to explain it
    │   └── ResponseTooLargeError   headers, body or decompressed body over a limit
    ├── GraphQLError                errors[] the SDK has no closer class for
    │   └── QueryError              400: parse, validation or variable errors
    │       └── UnsupportedByServerError   the server's Wiki.js lacks the operation
    ├── APIError                    Wiki.js refused (responseResult or error code)
    │   ├── AuthenticationError     1002, 1019, revoked key, API disabled,
    │   │   │                       credentials silently treated as Guest
    │   │   └── LoginStepRequiredError  the password was right; one more step first
    │   │       ├── TFARequiredError            a TOTP code
    │   │       ├── TFASetupRequiredError       a first TFA set-up (QR code)
    │   │       └── PasswordChangeRequiredError a new password
    │   ├── PermissionDeniedError   Forbidden, 6013 and the other *Forbidden
    │   ├── NotFoundError           6003, 2004, "Invalid Page Id", unknown ids
    │   ├── ConflictError           6002, 1004, already assigned to the group
    │   ├── PageJobError            a page write landed; its tags, render or tree did not
    │   ├── InputRejectedError      invalid input Wiki.js refused: 6004, 6005, 1012…
    │   │                           (also a ValidationError)
    │   └── RateLimitedError        the server's login limit, HTTP 429
    ├── ValidationError             invalid input, refused by Wiki.js or caught before sending
    │   ├── InputRejectedError      …by Wiki.js (the APIError above)
    │   └── InvalidArgumentError    …by the SDK, before sending (also a ValueError):
    │       │                       a bad URL, header, id, path, option
    │       └── ArgumentTypeError   a value of the wrong type (also a TypeError)
    ├── ConfigError                 the settings (environment, settings file) are unusable
    ├── ReadBackError               a write landed; reading its result back failed
    ├── CircuitOpenError            the circuit breaker is failing fast
    └── RateLimitExceededError      the client-side rate limiter said no

**Your mistakes and the server's refusals.** A wrong argument is caught
before anything is sent and raised as :class:`InvalidArgumentError` — a
``ValueError`` as Python code expects (:class:`ArgumentTypeError`, a
``TypeError``, for a value of the wrong type), with ``field`` naming the
argument, and not an :class:`APIError`: the server saw nothing. Input that
Wiki.js itself refuses is an :class:`InputRejectedError` carrying the
server's ``code``: an :class:`APIError` like every other refusal, and not a
``ValueError``. Both are :class:`ValidationError`\ s, so ``except
ValidationError`` catches both.

An error raised by a resource method reads in the terms of the call that
failed: ``str(error)`` is ``pages.get(999999): no page with id 999999``
(``error.call`` holds the call). Underneath, every error names the GraphQL
operation it came from (``error.operation``) and keeps what the server said
(``code``, ``slug``, ``message``, ``errors``). No error ever contains a
credential: messages are built from server answers, operation names and the
call's arguments with secrets masked, never from request headers.

Example::

    from wikijs import WikiJSClient, NotFoundError, WikiJSError

    try:
        client.pages.get(999999)
    except NotFoundError as exc:
        print(exc)                          # pages.get(999999): no page with id 999999
        print(exc.operation, exc.code)      # GetPage 6003
    except WikiJSError:
        raise
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .auth import LoginContinuation, TFASetup

__all__ = [
    "APIError",
    "ArgumentTypeError",
    "AuthenticationError",
    "CircuitOpenError",
    "ConfigError",
    "ConflictError",
    "ConnectError",
    "ConnectionLostError",
    "GraphQLError",
    "GraphQLErrorDetail",
    "HTTPStatusError",
    "InputRejectedError",
    "InvalidArgumentError",
    "LoginStepRequiredError",
    "NotFoundError",
    "PageJobError",
    "PasswordChangeRequiredError",
    "PermissionDeniedError",
    "QueryError",
    "RateLimitExceededError",
    "RateLimitedError",
    "ReadBackError",
    "RequestTimeoutError",
    "ResponseError",
    "ResponseTooLargeError",
    "TFARequiredError",
    "TFASetupRequiredError",
    "TransportError",
    "UnsupportedByServerError",
    "ValidationError",
    "WikiJSError",
]


@dataclass(frozen=True)
class GraphQLErrorDetail:
    """One entry of a GraphQL response's ``errors`` list.

    Attributes:
        message: the server's message.
        path: where in the result the error happened, e.g. ``("pages", "single")``.
        code: Wiki.js's numeric error code (``extensions.exception.code``), if any.
        extension_code: ``extensions.code`` (``GRAPHQL_VALIDATION_FAILED``, …).
        locations: ``(line, column)`` pairs in the document.
    """

    message: str
    path: tuple[str | int, ...] = ()
    code: int | None = None
    extension_code: str | None = None
    locations: tuple[tuple[int, int], ...] = field(default=(), repr=False)

    @classmethod
    def from_json(cls, error: Any) -> GraphQLErrorDetail:
        """Build from one decoded error object, tolerating any shape."""
        if not isinstance(error, Mapping):
            return cls(message=str(error))
        extensions = error.get("extensions")
        extensions = extensions if isinstance(extensions, Mapping) else {}
        exception = extensions.get("exception")
        exception = exception if isinstance(exception, Mapping) else {}
        raw_code = exception.get("code")
        code = raw_code if isinstance(raw_code, int) and not isinstance(raw_code, bool) else None
        raw_path = error.get("path")
        path = (
            tuple(p for p in raw_path if isinstance(p, (str, int)))
            if isinstance(raw_path, list)
            else ()
        )
        locations: list[tuple[int, int]] = []
        for loc in error.get("locations") or ():
            if isinstance(loc, Mapping):
                locations.append((int(loc.get("line", 0)), int(loc.get("column", 0))))
        ext_code = extensions.get("code")
        return cls(
            message=str(error.get("message", "")),
            path=path,
            code=code,
            extension_code=ext_code if isinstance(ext_code, str) else None,
            locations=tuple(locations),
        )

    def __str__(self) -> str:
        where = ".".join(str(p) for p in self.path)
        code = f" [{self.code}]" if self.code is not None else ""
        return f"{where}: {self.message}{code}" if where else f"{self.message}{code}"


class WikiJSError(Exception):
    """Root of every error raised by the SDK.

    Attributes:
        message: a human-readable explanation.
        operation: the GraphQL operation (or endpoint) that failed, if known.
        call: the public call it left, as written (``pages.get(999999)``),
            with secret arguments masked; ``None`` outside one.
        previous_attempt_unknown: this error ended a retried call in which an
            earlier attempt may have been applied (it was cut off after the
            request left). A ``NotFoundError`` from a retried delete then means
            the first attempt deleted it.
        request_sent: whether the request may have reached the server.
            ``False`` only when it provably did not: the SDK refused the
            input, a client-side guard (circuit breaker, rate limiter) said
            no, or the connection never opened. An answer from the server
            (or a gateway in front of it) means ``True``; whether a write was
            *applied* is another matter: a 429 was not.
    """

    call: str | None = None
    previous_attempt_unknown: bool = False
    request_sent: bool = False

    def __init__(self, message: str, *, operation: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.operation = operation

    def __str__(self) -> str:
        where = self.call or self.operation
        return f"{where}: {self.message}" if where else self.message

    def __repr__(self) -> str:
        call = f", call={self.call!r}" if self.call else ""
        return f"{type(self).__name__}({self.message!r}, operation={self.operation!r}{call})"


# -- transport -------------------------------------------------------------


class TransportError(WikiJSError):
    """The HTTP exchange failed before a complete answer arrived.

    Attributes:
        request_sent: ``False`` only when the request provably never reached
            the server, which makes even a mutation safe to send again.
    """

    request_sent: bool = True


class ConnectError(TransportError):
    """The connection could not be opened: the server never saw the request."""

    request_sent = False


class RequestTimeoutError(TransportError):
    """A connect, read, write or pool timeout expired."""

    def __init__(
        self, message: str, *, operation: str | None = None, request_sent: bool = True
    ) -> None:
        super().__init__(message, operation=operation)
        self.request_sent = request_sent


class ConnectionLostError(TransportError):
    """The connection broke after the request was sent: it may have been applied."""


# -- response shape ----------------------------------------------------------


class ResponseError(WikiJSError):
    """The server answered, but not with a usable GraphQL response.

    Attributes:
        status_code: the HTTP status.
        body_excerpt: the start of the body, for debugging.
    """

    request_sent = True

    def __init__(
        self,
        message: str,
        *,
        operation: str | None = None,
        status_code: int | None = None,
        body_excerpt: str = "",
    ) -> None:
        super().__init__(message, operation=operation)
        self.status_code = status_code
        self.body_excerpt = body_excerpt


class HTTPStatusError(ResponseError):
    """A non-2xx status with no GraphQL errors to explain it (proxies, 502s, …).

    Attributes:
        retry_after: seconds from a ``Retry-After`` header, if one was sent.
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str | None = None,
        status_code: int,
        body_excerpt: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(
            message, operation=operation, status_code=status_code, body_excerpt=body_excerpt
        )
        self.retry_after = retry_after


class ResponseTooLargeError(ResponseError):
    """The answer exceeded one of the client's limits and was not read further.

    Raised for a header block over ``max_header_size``, a body over
    ``max_body_size`` on the wire, or one that decompresses to more than
    ``max_decompressed_size`` (see :class:`~wikijs.ResponseLimits`). The
    server did answer, so a write it carried may have been applied.

    Attributes:
        limit: which limit: ``"max_header_size"``, ``"max_body_size"`` or
            ``"max_decompressed_size"``.
        size: the limit in bytes.
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str | None = None,
        status_code: int | None = None,
        limit: str,
        size: int,
    ) -> None:
        super().__init__(message, operation=operation, status_code=status_code)
        self.limit = limit
        self.size = size


# -- GraphQL -----------------------------------------------------------------


class GraphQLError(WikiJSError):
    """The response carried ``errors`` that no more specific class describes.

    Attributes:
        errors: every error the server sent, with paths and codes.
        data: whatever partial ``data`` came with them.
    """

    request_sent = True

    def __init__(
        self,
        message: str,
        *,
        operation: str | None = None,
        errors: Sequence[GraphQLErrorDetail] = (),
        data: Any = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message, operation=operation)
        self.errors: tuple[GraphQLErrorDetail, ...] = tuple(errors)
        self.data = data
        self.status_code = status_code


class QueryError(GraphQLError):
    """The server rejected the document or its variables (HTTP 400)."""


class UnsupportedByServerError(QueryError):
    """The server runs a Wiki.js release without this operation (or this argument).

    Recognised from the server's own answer (``Cannot query field …``), so
    it costs no extra request; after the first refusal the client knows and
    raises this without asking again. Methods with a fallback (such as
    ``pages.get_by_path`` through the page list) use it instead of raising.
    See ``docs/versions.md`` for which operation needs which release.

    Example::

        try:
            client.pages.convert(12, editor="ckeditor")
        except UnsupportedByServerError as exc:
            print(exc)   # pages.convert needs Wiki.js ≥ 2.5.201; this server is 2.5.170
            print(exc.required_version, exc.server_version, exc.missing)

    Attributes:
        required_version: the first release with everything the call needs,
            when the SDK knows it.
        server_version: the server's version, when the client has read it
            (``system.info()``, ``health()``); ``None`` otherwise.
        missing: what the server lacks, as schema coordinates
            (``PageQuery.singleByPath``, ``PageMutation.create(scriptCss:)``).
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str | None = None,
        required_version: str | None = None,
        server_version: str | None = None,
        missing: Sequence[str] = (),
        errors: Sequence[GraphQLErrorDetail] = (),
        status_code: int | None = None,
    ) -> None:
        super().__init__(message, operation=operation, errors=errors, status_code=status_code)
        self.required_version = required_version
        self.server_version = server_version
        self.missing: tuple[str, ...] = tuple(missing)

    def __str__(self) -> str:
        # "pages.get_by_path needs …": the method, not the whole call
        where = self.call.split("(", 1)[0] if self.call else self.operation
        return f"{where} {self.message}" if where else self.message


# -- Wiki.js API failures ----------------------------------------------------


class APIError(WikiJSError):
    """Wiki.js refused the operation.

    Raised from an unsuccessful ``responseResult`` or from an error carrying a
    Wiki.js code. Attributes:
        code: Wiki.js's numeric code (``errorCode`` or ``exception.code``).
        slug: Wiki.js's error name, e.g. ``PageDuplicateCreate``.
        errors: the GraphQL errors behind it, when it came from ``errors[]``.
    """

    request_sent: bool

    def __init__(
        self,
        message: str,
        *,
        operation: str | None = None,
        code: int | None = None,
        slug: str | None = None,
        errors: Sequence[GraphQLErrorDetail] = (),
        status_code: int | None = None,
    ) -> None:
        super().__init__(message, operation=operation)
        self.code = code
        self.slug = slug
        self.errors: tuple[GraphQLErrorDetail, ...] = tuple(errors)
        self.status_code = status_code
        # Wiki.js's refusals carry its code, errors or an HTTP status; the
        # SDK's own checks, made before sending, carry none of them.
        self.request_sent = code is not None or bool(errors) or status_code is not None

    def __str__(self) -> str:
        base = super().__str__()
        if self.call is not None:  # in the user's terms; the codes stay attributes
            return base
        label = " ".join(str(x) for x in (self.code, self.slug) if x not in (None, ""))
        return f"{base} ({label})" if label else base


class PageJobError(APIError):
    """A page write landed, then a later step of it failed: its tags, render or tree.

    Wiki.js writes the page row first, then saves the page's tags, renders
    the page and rebuilds the page tree (the last two in worker processes).
    Page writes that overlap (in parallel requests) race in two of those
    steps, and the server reports the whole write as failed although the
    row is written:

    - ``job="rebuild-tree"``: two tree rebuilds at once collide
      (``Error when running job rebuild-tree: … duplicate key``);
    - ``job="tags"``: two writes brought the same new tag at once and the
      later one's insert failed (``… "tags_tag_unique"``); its page is left
      without its tags, its render and (a create) its place in the tree;
    - ``job="render-page"``: the render failed.

    The page resources recognise this, report the write as done and complete
    the page (its tags and render at once, the tree once no page write of the
    client is in flight), so you meet this error from ``client.graphql``, or
    from a page method when completing the page failed too: then
    :attr:`page_id` and :attr:`missing` say what exists.

    Attributes:
        job: ``"rebuild-tree"``, ``"render-page"`` or ``"tags"``.
        page_id: the page that was written, when known.
        missing: what that page lacks (``"tags"``, ``"render"``, ``"tree"``),
            when the SDK could not complete it; empty otherwise.
    """

    landed = True

    def __init__(
        self,
        message: str,
        *,
        job: str,
        page_id: int | None = None,
        missing: tuple[str, ...] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.job = job
        self.page_id = page_id
        self.missing = missing


class AuthenticationError(APIError):
    """The credentials were refused, revoked, expired, or treated as Guest."""


class LoginStepRequiredError(AuthenticationError):
    """The password was right, but the account must take one more step first.

    Wiki.js answered the login with a continuation instead of a token: the
    account must enter a TOTP code, set up TFA, or choose a new password.
    Give the answer to ``client.account.login(...)`` (which continues from
    here), or give :class:`~wikijs.auth.JWTAuth` a callback that answers it
    by itself. No credential is in the message.

    Attributes:
        continuation: where the login stands
            (:class:`~wikijs.auth.LoginContinuation`; its token is a
            one-time credential, hidden from ``repr``).
    """

    #: what the account must give: ``"tfa_code"`` or ``"new_password"``
    needs: str = ""

    def __init__(self, message: str, *, continuation: LoginContinuation, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.continuation = continuation


class TFARequiredError(LoginStepRequiredError):
    """The account asks for a TOTP code: ``client.account.login(tfa_code="123456")``."""

    needs = "tfa_code"


class TFASetupRequiredError(LoginStepRequiredError):
    """The account must set up TFA: scan :attr:`setup` and answer with its first code.

    Attributes:
        setup: the new TOTP secret (:class:`~wikijs.auth.TFASetup`: the QR
            code as SVG, and the ``otpauth://`` URI and secret read from it).
    """

    needs = "tfa_code"

    def __init__(
        self, message: str, *, continuation: LoginContinuation, setup: TFASetup, **kwargs: Any
    ) -> None:
        super().__init__(message, continuation=continuation, **kwargs)
        self.setup = setup


class PasswordChangeRequiredError(LoginStepRequiredError):
    """The account must choose a new password: ``client.account.login(new_password=...)``."""

    needs = "new_password"


class PermissionDeniedError(APIError):
    """The credentials are valid but lack a permission for this operation."""


class NotFoundError(APIError):
    """The page, user, group or asset does not exist."""


class ConflictError(APIError):
    """The write collides with existing state (duplicate path, email, member)."""


class ValidationError(WikiJSError):
    """Invalid input: refused by Wiki.js, or caught by the SDK before anything was sent.

    ``except ValidationError`` catches both kinds:

    - :class:`InvalidArgumentError`: a caller's mistake the SDK caught
      before sending (also a ``ValueError``); nothing reached the server;
    - :class:`InputRejectedError`: Wiki.js refused the input (6004, 6005,
      1012, …); also an :class:`APIError`, carrying the server's ``code``.

    Attributes:
        field: the offending input field, when known.
    """

    def __init__(self, message: str, *, field: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.field = field


class InvalidArgumentError(ValidationError, ValueError):
    """A caller's mistake, caught before anything was sent: a bad value.

    Also a ``ValueError``, and never an :class:`APIError`: the server saw
    nothing. ``field`` names the argument when known.
    """

    #: Nothing was sent: the SDK refused the call before any I/O.
    request_sent = False


class ArgumentTypeError(InvalidArgumentError, TypeError):
    """A caller's mistake, caught before anything was sent: a value of the wrong type.

    Also a ``TypeError`` (and a ``ValueError``, as every :class:`InvalidArgumentError`).
    """


class InputRejectedError(ValidationError, APIError):
    """Wiki.js refused the input: an empty page (6004), an illegal path (6005), …

    An :class:`APIError` (``code``, ``slug``, ``errors`` say what the server
    answered) and a :class:`ValidationError`.
    """


class RateLimitedError(APIError):
    """The server refused because of its rate limit.

    Attributes:
        retry_after: seconds to wait before trying again, if the server said.
    """

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


# -- client-side guards ------------------------------------------------------


class ConfigError(WikiJSError):
    """The settings are unusable: no URL, a broken settings file, a missing profile.

    Raised by ``WikiJSClient.from_env()`` and ``.from_profile()`` (and the
    ``wikijs`` command); the message says which setting and why. Nothing
    was sent.
    """


class ReadBackError(WikiJSError):
    """A write landed, but reading its result back failed.

    Raised by methods that write and then return the stored record (Wiki.js
    answers ``users.create`` with ``user: null``, for one). The write itself
    succeeded: do not send it again. ``__cause__`` holds the read's error.

    Attributes:
        landed: always ``True``: the server applied the write.
    """

    landed = True
    request_sent = True


class CircuitOpenError(WikiJSError):
    """The circuit breaker is open: the call failed fast without a request.

    Attributes:
        retry_after: seconds until the breaker lets a trial request through.
    """

    def __init__(
        self, message: str, *, operation: str | None = None, retry_after: float = 0.0
    ) -> None:
        super().__init__(message, operation=operation)
        self.retry_after = retry_after


class RateLimitExceededError(WikiJSError):
    """The client-side rate limiter is configured to raise and had no token.

    Attributes:
        retry_after: seconds until a request would be allowed.
    """

    def __init__(
        self, message: str, *, operation: str | None = None, retry_after: float = 0.0
    ) -> None:
        super().__init__(message, operation=operation)
        self.retry_after = retry_after
