"""The receiving half: an ASGI app that verifies deliveries and dispatches typed events."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from typing import Any, TypeVar

import orjson

from .._protocol.events import EVENT_TYPES, LogEvent, PageEvent, UserEvent
from .._protocol.events import parse_event as _parse_event
from .._protocol.webhooks import (
    DEFAULT_TOLERANCE,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    WebhookSignatureError,
    compute_signature,
    secret_bytes,
    verify_signature,
)
from ..errors import InvalidArgumentError, ValidationError

logger = logging.getLogger("wikijs.webhooks")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Handler = TypeVar("Handler", bound=Callable[..., Any])

#: The largest delivery body accepted by default (events are small).
DEFAULT_MAX_BODY = 1024 * 1024
_NAMESPACES = sorted({name.split(".", 1)[0] for name in EVENT_TYPES if "." in name})


def _check_pattern(pattern: str) -> str:
    if not isinstance(pattern, str):
        raise InvalidArgumentError(
            "an event type is a string such as 'page.created'", field="event"
        )
    if pattern == "*" or pattern in EVENT_TYPES:
        return pattern
    if pattern.endswith(".*") and pattern[:-2] in _NAMESPACES:
        return pattern
    known = ", ".join([*EVENT_TYPES, *(f"{ns}.*" for ns in _NAMESPACES), "*"])
    raise InvalidArgumentError(f"unknown event type {pattern!r}; use one of {known}", field="event")


def _matches(pattern: str, event_type: str) -> bool:
    if pattern in ("*", event_type):
        return True
    return pattern.endswith(".*") and event_type.startswith(pattern[:-1])


class _Recent:
    """Keys seen in the last ``window`` seconds, at most ``limit`` of them."""

    def __init__(self, window: float, limit: int) -> None:
        self._window = window
        self._limit = limit
        self._expiry: OrderedDict[str, float] = OrderedDict()

    def add(self, key: str, now: float) -> bool:
        """Remember ``key``; ``False`` if it was already remembered."""
        while self._expiry and next(iter(self._expiry.values())) <= now:
            self._expiry.popitem(last=False)
        if key in self._expiry:
            return False
        self._expiry[key] = now + self._window
        while len(self._expiry) > self._limit:
            self._expiry.popitem(last=False)
        return True


class WebhookServer:
    """Receives signed webhook deliveries and calls your handlers with typed events.

    Each POST must carry a valid ``X-WikiJS-Signature`` over its
    ``X-WikiJS-Timestamp`` and body (see :mod:`wikijs.webhooks`). Bad or
    missing signatures, timestamps outside ``tolerance`` and replays of an
    accepted signature get ``401`` and are never dispatched; a body that is
    not an event gets ``400``. A valid delivery is answered ``202`` at once
    and then handed to every matching handler in registration order (sync
    handlers run in a worker thread, async ones are awaited); a handler that
    raises is logged and does not stop the others. An event id seen before
    (a sender's retry of a delivery that did arrive) is answered ``200`` and
    not dispatched again.

    Example::

        from wikijs.webhooks import WebhookServer

        server = WebhookServer(secret="webhook-secret")

        @server.on("page.created")
        def on_page_created(event):
            print(event.page.title)

        server.run(host="127.0.0.1", port=8080)

    The server is an ASGI application (:attr:`asgi_app`), so it can also be
    mounted in an existing app. :meth:`run` and :meth:`serve` need uvicorn
    (``pip install 'wikijs[webhooks]'``).

    Args:
        secret: the secret shared with the sender.
        tolerance: seconds a delivery's timestamp may differ from now.
        path: accept deliveries only at this path (``None``: any path).
        max_body_size: larger bodies are refused with ``413``.
        remember: how many recent signatures and event ids to keep for
            replay and duplicate detection.
        clock: unix seconds (replace it in tests).

    Raises:
        ValidationError: an empty secret or a negative tolerance.
    """

    def __init__(
        self,
        secret: str | bytes,
        *,
        tolerance: float = DEFAULT_TOLERANCE,
        path: str | None = None,
        max_body_size: int = DEFAULT_MAX_BODY,
        remember: int = 10_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._secret = secret_bytes(secret)
        if tolerance < 0:
            raise InvalidArgumentError("tolerance cannot be negative", field="tolerance")
        self._tolerance = float(tolerance)
        self._path = path
        self._max_body = max_body_size
        self._clock = clock
        self._handlers: list[tuple[str, Callable[..., Any]]] = []
        # A signature is valid for at most `tolerance` on either side of its
        # timestamp, so remembering it twice that long covers its whole life.
        self._signatures = _Recent(2 * self._tolerance, remember)
        self._event_ids = _Recent(max(2 * self._tolerance, 3600.0), remember)

    # -- handlers ---------------------------------------------------------------

    def on(self, event_type: str) -> Callable[[Handler], Handler]:
        """Register the decorated function for ``event_type``.

        ``event_type`` is an event type (``"page.created"``), a namespace
        (``"page.*"``) or ``"*"`` for every event. The function takes the
        event; it may be ``async``.

        Raises:
            ValidationError: an unknown event type (a typo would never match).
        """
        pattern = _check_pattern(event_type)

        def register(handler: Handler) -> Handler:
            self.add_handler(pattern, handler)
            return handler

        return register

    def add_handler(self, event_type: str, handler: Callable[..., Any]) -> None:
        """Register ``handler`` for ``event_type`` (see :meth:`on`)."""
        if not callable(handler):
            raise InvalidArgumentError("a handler must be callable", field="handler")
        self._handlers.append((_check_pattern(event_type), handler))

    def handlers_for(self, event_type: str) -> list[Callable[..., Any]]:
        """The handlers an event of this type goes to, in order."""
        return [handler for pattern, handler in self._handlers if _matches(pattern, event_type)]

    async def dispatch(self, event: PageEvent | UserEvent | LogEvent) -> int:
        """Call every matching handler with ``event``; returns how many failed."""
        failed = 0
        for handler in self.handlers_for(event.type):
            try:
                if inspect.iscoroutinefunction(handler):
                    await handler(event)
                else:
                    result = await asyncio.to_thread(handler, event)
                    if inspect.isawaitable(result):
                        await result
            except Exception:
                failed += 1
                logger.exception(
                    "webhook handler %s failed for %s %s",
                    getattr(handler, "__qualname__", repr(handler)),
                    event.type,
                    event.id,
                )
        return failed

    # -- ASGI -------------------------------------------------------------------

    @property
    def asgi_app(self) -> ASGIApp:
        """The ASGI application (the server itself), to mount or serve."""
        return self

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope.get("type")
        if kind == "lifespan":
            await self._lifespan(receive, send)
            return
        if kind != "http":
            if kind == "websocket":
                await receive()
                await send({"type": "websocket.close", "code": 1003})
            return
        if self._path is not None and scope.get("path") != self._path:
            await _respond(send, 404, {"error": "not found"})
            return
        if scope.get("method") != "POST":
            await _respond(send, 405, {"error": "use POST"}, [(b"allow", b"POST")])
            return
        body = await _read_body(receive, self._max_body)
        if body is None:
            await _respond(send, 413, {"error": "body too large"})
            return
        headers = {
            name.decode("latin-1").lower(): value.decode("latin-1")
            for name, value in scope.get("headers", ())
        }
        now = self._clock()
        signature = headers.get(SIGNATURE_HEADER.lower())
        try:
            sent_at = verify_signature(
                self._secret,
                body,
                signature=signature,
                timestamp=headers.get(TIMESTAMP_HEADER.lower()),
                now=now,
                tolerance=self._tolerance,
            )
            # Remember what was signed, not how the header spelt it: the same
            # delivery with its signature padded, repeated or listed beside
            # others is the same delivery.
            if not self._signatures.add(compute_signature(self._secret, sent_at, body), now):
                raise WebhookSignatureError("this delivery was already received", reason="replayed")
        except WebhookSignatureError as exc:
            logger.warning("refused a webhook delivery: %s", exc.message)
            await _respond(send, 401, {"error": exc.reason})
            return
        try:
            event = _parse_event(body)
        except ValidationError as exc:
            logger.warning("refused a webhook delivery: %s", exc.message)
            await _respond(send, 400, {"error": "not an event", "detail": exc.message})
            return
        if not self._event_ids.add(event.id, now):
            await _respond(send, 200, {"status": "duplicate", "id": event.id})
            return
        # Answer first: the sender is not kept waiting for the handlers.
        await _respond(send, 202, {"status": "accepted", "id": event.id})
        await self.dispatch(event)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    # -- serving ----------------------------------------------------------------

    def run(self, host: str = "127.0.0.1", port: int = 8080, **uvicorn_options: Any) -> None:
        """Serve with uvicorn until interrupted (blocks).

        Extra keyword arguments go to ``uvicorn.run`` (``ssl_certfile``,
        ``log_level``, …).
        """
        uvicorn = _uvicorn()
        options: dict[str, Any] = {"lifespan": "off", "log_level": "info", **uvicorn_options}
        uvicorn.run(self, host=host, port=port, **options)

    @contextlib.contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        """Serve in a background thread; yields the base URL (``port=0``: any free port).

        Example::

            with server.serve() as url:
                ...   # POST deliveries to url
        """
        uvicorn = _uvicorn()
        sock = _bind(host, port)
        bound_host, bound_port = sock.getsockname()[:2]
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        config = uvicorn.Config(
            self, lifespan="off", log_level="warning", access_log=False, timeout_graceful_shutdown=1
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        try:
            deadline = time.monotonic() + 10.0
            while not server.started:
                if not thread.is_alive() or time.monotonic() > deadline:
                    raise RuntimeError("the webhook server did not start")
                time.sleep(0.005)
            yield f"http://{shown}:{bound_port}"
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            sock.close()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(secret=<hidden>, tolerance={self._tolerance:g}, "
            f"handlers={len(self._handlers)})"
        )


def _uvicorn() -> Any:
    try:
        import uvicorn
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "serving webhooks needs uvicorn: pip install 'wikijs[webhooks]' "
            "(or mount server.asgi_app in your own ASGI server)"
        ) from None
    return uvicorn


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _respond(
    send: Send,
    status: int,
    payload: dict[str, Any],
    extra_headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    body = orjson.dumps(payload)
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *(extra_headers or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
