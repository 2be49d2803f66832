"""How one operation travels: middleware → credentials → HTTP → typed result.

The generated client builds the document and validates the result; between
the two, every operation passes through :class:`AsyncPipeline`:

1. the middleware chain, outermost first: user middleware, cache, retry,
   circuit breaker, rate limiter, plugins (see ``layers.py`` for why), each
   ``async (operation, call_next) -> data``;
2. credentials: a lazy login for :class:`~wikijs.auth.JWTAuth` (through
   every step the account needs: ``login.py``), a one-time check that an API
   key is not silently treated as Guest. These exchanges of the SDK's own
   skip the outer layers (a login is never cached, retried or refused by
   the breaker on the caller's behalf) but pass the *observers*, the
   plugins, so that plugins see every request that goes out;
3. the HTTP exchange through the client's one transport
   (``transport.py``), switching to any token sent in ``new-jwt``, in the
   form the server's Wiki.js release runs (``_protocol/compat.py``: an older
   release refuses what it lacks, and gets the operation without it);
4. :func:`~wikijs._protocol.responses.read_response`, which turns every way
   Wiki.js reports failure into a typed error.

Exchanges that are not GraphQL — ``/u`` uploads, asset downloads,
``/healthz`` — travel the same way: an :class:`~wikijs._protocol.operation.Operation`
whose ``http`` is an :class:`AsyncHTTPCall` goes through the same middleware
chain (so it is retried, rate limited, seen by plugins and invalidates the
cache like any other), and its call turns a refusal into a typed error
before any layer sees the answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .._backends import AsyncLock
from .._http._async.transport import AsyncResponse, AsyncTransport
from .._http.base import ACCEPT_ENCODING, Request
from .._http.config import ClientConfig
from .._http.options import VIEW_OPTION
from .._protocol.operation import Operation
from .._protocol.responses import decode_json, read_response
from ..auth import Auth, JWTAuth
from ..errors import (
    ArgumentTypeError,
    AuthenticationError,
    PermissionDeniedError,
    QueryError,
    ResponseError,
    WikiJSError,
)
from .login import AsyncLoginFlow, check_callbacks
from .server_api import ServerAPI
from .views import below, send_with_options

if TYPE_CHECKING:
    from wikijs._generated.async_client import AsyncGeneratedClient

NextCall = Callable[[Operation], Awaitable[dict[str, Any]]]
AsyncMiddleware = Callable[[Operation, NextCall], Awaitable[dict[str, Any]]]

#: Operation option: return ``{"status", "payload"}`` instead of checked data.
RAW = "raw"
#: Operation option: send without credentials (self-registration, password
#: reset requests), so that a ``JWTAuth`` client does not log in first.
ANONYMOUS = "anonymous"
#: Where an :class:`AsyncHTTPCall`'s answer is in the data the chain returns.
RESPONSE = "response"


@dataclass(frozen=True, slots=True)
class AsyncHTTPCall:
    """An exchange that is not a GraphQL POST (``Operation.http``).

    Attributes:
        method: ``"GET"`` or ``"POST"``.
        url: the absolute URL.
        headers: headers besides the client's own and the credentials.
        body: the body, or a function making it again for each attempt
            (an upload streamed from a file).
        stream: leave the answer's body unread (downloads).
        credentials: send the client's credentials (``/healthz`` needs none).
        check: looks at the answer and raises the typed error for a refusal
            (it may read the body of a streamed answer).
    """

    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Any = b""
    stream: bool = False
    credentials: bool = True
    check: Callable[[AsyncResponse], Awaitable[None]] | None = None


_GUEST_MESSAGE = (
    "the server treats these credentials as the Guest user: the key or token "
    "is unknown, tampered with, expired, or belongs to another Wiki.js"
)


def invalid_result(operation_name: str, error: Exception) -> Exception:
    """The typed error for an answer that does not fit the operation's result type."""
    first = ""
    errors = getattr(error, "errors", None)
    if callable(errors):
        details = errors()
        if details:
            where = ".".join(str(p) for p in details[0].get("loc", ()))
            first = f" ({where}: {details[0].get('msg')})"
    return ResponseError(
        f"the server's answer does not match the expected result{first}",
        operation=operation_name,
    )


def _chain(middleware: Sequence[AsyncMiddleware], terminal: NextCall) -> NextCall:
    call = terminal
    for layer in reversed(middleware):
        call = _link(layer, call)
    return call


def _link(layer: AsyncMiddleware, call_next: NextCall) -> NextCall:
    # Calls the layer directly (for the async client: no extra coroutine per layer).
    def call(operation: Operation) -> Awaitable[dict[str, Any]]:
        return layer(operation, call_next)

    return call


class _BareRunner:
    """Runs the SDK's own auth operations: observers only, no auth recovery.

    ``options`` are a client view's (``client.with_options(...).account.login()``):
    its headers, timeouts, and a raw response's recorder.
    """

    def __init__(self, pipeline: AsyncPipeline, options: Mapping[str, Any] | None = None) -> None:
        self._pipeline = pipeline
        self._options = options or {}

    async def run(
        self,
        document: str,
        operation_name: str,
        variables: dict[str, Any],
        options: Mapping[str, Any],
    ) -> dict[str, Any]:
        operation = Operation(operation_name, document, variables, below(self._options, options))
        return await self._pipeline.run_own(operation)

    def invalid_result(self, operation_name: str, error: Exception) -> Exception:
        return invalid_result(operation_name, error)

    # unasync: async-only
    def subscribe(
        self,
        document: str,
        operation_name: str,
        variables: dict[str, Any],
        options: Mapping[str, Any],
    ) -> Any:
        raise NotImplementedError("the SDK's own operations never subscribe")

    # unasync: end


class AsyncPipeline:
    """Runs operations for the generated client; see the module docstring."""

    def __init__(
        self,
        config: ClientConfig,
        transport: AsyncTransport,
        auth: Auth,
        middleware: Sequence[AsyncMiddleware] = (),
        observers: Sequence[AsyncMiddleware] = (),
    ) -> None:
        self.config = config
        self.transport = transport
        self.auth = auth
        self._url = config.graphql_url
        self._headers = config.request_headers()
        self._token_headers: tuple[str, dict[str, str]] | None = None
        self._auth_lock = AsyncLock()
        self._identity_checked = not auth.verify_identity
        # Tokens whose identity a Forbidden answer made us check, and that
        # turned out to be real users (so later Forbiddens are genuine).
        self._confirmed_tokens: set[str] = set()
        #: What the client has learned of the server's Wiki.js API.
        self.server = ServerAPI()
        self._call = _chain(middleware, self._send)
        # The SDK's own exchanges (login, identity check) pass the observers only.
        self.run_own: NextCall = _chain(observers, self._send_own)
        if isinstance(auth, JWTAuth):
            check_callbacks(auth)

    @cached_property
    def bare(self) -> AsyncGeneratedClient:
        """The generated client for the SDK's own login and identity checks."""
        from wikijs._generated.async_client import AsyncGeneratedClient

        return AsyncGeneratedClient(_BareRunner(self))

    # -- the runner protocol used by the generated client --------------------

    def run(
        self,
        document: str,
        operation_name: str,
        variables: dict[str, Any],
        options: Mapping[str, Any],
    ) -> Awaitable[dict[str, Any]]:
        # The chain's call itself (async: no coroutine of this method's own per call).
        return self._call(Operation(operation_name, document, variables, options))

    def invalid_result(self, operation_name: str, error: Exception) -> Exception:
        return invalid_result(operation_name, error)

    async def run_operation(self, operation: Operation) -> dict[str, Any]:
        """Send a prepared operation through the middleware chain."""
        return await self._call(operation)

    async def execute(
        self,
        document: str,
        variables: Mapping[str, Any] | None = None,
        operation_name: str | None = None,
        *,
        options: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Run any document through the whole pipeline (middleware included)."""
        if not isinstance(document, str):
            raise ArgumentTypeError("the query must be a GraphQL document string", field="query")
        if variables is not None and not isinstance(variables, Mapping):
            raise ArgumentTypeError(
                "variables must be a mapping of names to values", field="variables"
            )
        if operation_name is not None and not isinstance(operation_name, str):
            raise ArgumentTypeError("operation_name must be a string", field="operation_name")
        operation = Operation(operation_name or "", document, dict(variables or {}), options or {})
        return await self._call(operation)

    # unasync: async-only
    def subscribe(
        self,
        document: str,
        operation_name: str,
        variables: dict[str, Any],
        options: Mapping[str, Any],
    ) -> Any:
        from .subscriptions import subscribe

        return subscribe(self, Operation(operation_name, document, variables, options))

    # unasync: end

    # -- credentials -----------------------------------------------------------

    async def ensure_credentials(self) -> str | None:
        """The token to send, after logging in or checking identity if needed."""
        token = self.auth.bearer_token()
        if self._identity_checked and (token is not None or not isinstance(self.auth, JWTAuth)):
            return token
        async with self._auth_lock:
            if isinstance(self.auth, JWTAuth) and self.auth.bearer_token() is None:
                await self._login()
            if not self._identity_checked:
                await self._check_identity()
                self._identity_checked = True
        return self.auth.bearer_token()

    async def _login(
        self,
        tfa_code: str | None = None,
        new_password: str | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> None:
        assert isinstance(self.auth, JWTAuth)
        runner = self.bare
        if options:
            from wikijs._generated.async_client import AsyncGeneratedClient

            runner = AsyncGeneratedClient(_BareRunner(self, options))
        await AsyncLoginFlow(runner, self.auth).run(tfa_code=tfa_code, new_password=new_password)

    async def login(
        self,
        *,
        tfa_code: str | None = None,
        new_password: str | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> None:
        """Log in now, or finish a login that stopped at a step (``client.account.login``).

        ``options`` are the calling view's (its exchange settings reach the login's requests).
        """
        if not isinstance(self.auth, JWTAuth):
            raise ArgumentTypeError(
                "logging in needs a user's credentials: give the client JWTAuth(email, password)",
                field="auth",
            )
        async with self._auth_lock:
            has_answer = tfa_code is not None or new_password is not None
            if self.auth.bearer_token() is None or self.auth.pending is not None or has_answer:
                self.auth.forget_token()
                await self._login(tfa_code, new_password, options)

    async def _check_identity(self) -> None:
        try:
            await self.bare.get_profile()
        except (AuthenticationError, PermissionDeniedError) as exc:
            raise AuthenticationError(
                _GUEST_MESSAGE, operation="GetProfile", code=getattr(exc, "code", None)
            ) from None

    async def _recover(self, error: WikiJSError, token: str | None) -> bool:
        """After a refusal: was the token silently Guest? If so re-login (JWT).

        Returns whether the operation should be sent once more.
        """
        if token is None or token in self._confirmed_tokens:
            return False
        if not isinstance(error, (PermissionDeniedError, AuthenticationError)):
            return False
        async with self._auth_lock:
            if self.auth.bearer_token() != token:
                return True  # another task already replaced it
            try:
                await self.bare.get_profile()
            except (AuthenticationError, PermissionDeniedError):
                if not isinstance(self.auth, JWTAuth):
                    raise AuthenticationError(_GUEST_MESSAGE, operation="GetProfile") from None
                self.auth.forget_token(token)
                await self._login()
                return True
            self._confirmed_tokens.add(token)
            return False

    # -- the exchange ----------------------------------------------------------

    async def _send_own(self, operation: Operation) -> dict[str, Any]:
        return await self.exchange(operation, self.auth.bearer_token())

    async def _send(self, operation: Operation) -> dict[str, Any]:
        if operation.http is not None:
            return await self._send_http(operation, operation.http)
        if operation.options.get(ANONYMOUS):
            return await self.exchange(operation, None)
        token = self.auth.bearer_token()
        if not self._identity_checked or (token is None and isinstance(self.auth, JWTAuth)):
            token = await self.ensure_credentials()
        try:
            return await self.exchange(operation, token)
        except (PermissionDeniedError, AuthenticationError) as exc:
            if await self._recover(exc, token):
                return await self.exchange(operation, self.auth.bearer_token())
            raise

    async def exchange(self, operation: Operation, token: str | None) -> dict[str, Any]:
        """One operation, read into data or a typed error, in the form the server runs.

        An older Wiki.js refusing what its schema lacks costs one more round
        trip, once per operation and client: the variant without it.
        """
        learned = False
        while True:  # one coroutine for both tries: this runs on every call
            try:
                sent = self._adapt(operation)
                request = Request(
                    "POST", self._url, self._headers_for(token), sent.encode(), sent.name
                )
                view = sent.options.get(VIEW_OPTION)
                response = await (
                    self.transport.send(request)
                    if view is None
                    else send_with_options(self.transport, request, sent, view)
                )
                self.observe_headers(response.headers)
                status = response.status_code
                # Retry-After only matters on refusals; header lookups cost on every call.
                retry_after = response.headers.get("retry-after") if status >= 300 else None
                if sent.options.get(RAW):
                    # Batches split the answer themselves: only a body that is not
                    # JSON at all fails the whole request here.
                    payload = decode_json(
                        sent.name, status, response.content, retry_after, url=self._url
                    )
                    return {"status": status, "payload": payload}
                return read_response(
                    sent.name, status, response.content, retry_after, url=self._url
                )
            except QueryError as exc:
                if learned or not self.server.learn(operation.name, operation.document, exc):
                    raise
                learned = True

    def _adapt(self, operation: Operation) -> Operation:
        document, variables = self.server.adapt(
            operation.name, operation.document, operation.variables
        )
        if document is operation.document:
            return operation
        return replace(operation, document=document, variables=variables)

    async def _send_http(self, operation: Operation, call: AsyncHTTPCall) -> dict[str, Any]:
        token = await self.ensure_credentials() if call.credentials else None
        config = self.config
        headers = {
            **config.headers,
            "User-Agent": config.user_agent,
            "Accept-Encoding": ACCEPT_ENCODING,
            **call.headers,
        }
        if token:
            headers["Authorization"] = f"Bearer {token}"
        body = call.body() if callable(call.body) else call.body
        request = Request(call.method, call.url, headers, body, operation.name, call.stream)
        view = operation.options.get(VIEW_OPTION)
        response = await (
            self.transport.send(request)
            if view is None
            else send_with_options(self.transport, request, operation, view)
        )
        try:
            if call.credentials:
                self.observe_headers(response.headers)
            if call.check is not None:
                await call.check(response)
        except BaseException:
            await response.aclose()
            raise
        return {"status": response.status_code, RESPONSE: response}

    def _headers_for(self, token: str | None) -> Mapping[str, str]:
        if not token:
            return self._headers
        cached = self._token_headers
        if cached is None or cached[0] != token:
            cached = self._token_headers = (
                token,
                {**self._headers, "Authorization": f"Bearer {token}"},
            )
        return cached[1]

    def observe_headers(self, headers: Mapping[str, str]) -> None:
        """Switch to a renewed token when the server sends one."""
        if isinstance(self.auth, JWTAuth):
            renewed = headers.get("new-jwt")
            if renewed:
                self.auth.set_token(renewed)
