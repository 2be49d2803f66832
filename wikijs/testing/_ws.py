"""The legacy ``graphql-ws`` protocol (subscriptions-transport-ws) for ``loggingLiveTrail``.

:class:`GraphQLWSSession` is sans-I/O: it turns incoming messages and log
events into outgoing messages; :func:`websocket_session` drives it over ASGI.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from graphql import (
    DocumentNode,
    GraphQLError,
    OperationType,
    execute,
    get_operation_ast,
    validate,
)

from ._auth import Principal, principal_from_payload, verify_jwt
from ._core import Core, LogEvent
from ._errors import PlainError, format_execution_error, format_request_error
from ._graphql_js import VALIDATION_RULES, parse
from ._resolvers import Context

if TYPE_CHECKING:
    from ._fake import FakeWikiJS

Message = dict[str, Any]
PROTOCOL = "graphql-ws"


@dataclass
class _Subscription:
    document: DocumentNode
    variables: dict[str, Any] | None
    operation_name: str | None


class _NoRequest:
    """``context.req.user`` where there is no request: reading it is a TypeError."""

    def __getattr__(self, name: str) -> Any:
        raise PlainError("Cannot read properties of undefined (reading 'user')", "TypeError")


@dataclass
class GraphQLWSSession:
    """Protocol state of one websocket connection."""

    core: Core
    context: Context | None = None
    subscriptions: dict[str, _Subscription] = field(default_factory=dict)
    closed: bool = False
    keepalive: bool = False  # send "ka" after the ack (subscriptions-transport-ws keepAlive)

    def receive(self, text: str) -> list[Message]:
        try:
            message = json.loads(text)
            kind = message.get("type")
        except (ValueError, AttributeError):
            return [{"type": "error", "payload": {"message": "Message must be JSON-parseable."}}]
        if kind == "connection_init":
            return self._init(message.get("payload") or {})
        if kind == "connection_terminate":
            self.closed = True
            return []
        if self.context is None:
            self.closed = True
            return [{"type": "connection_error", "payload": {"message": "Unauthorized"}}]
        op_id = str(message.get("id", ""))
        if kind == "start":
            return self._start(op_id, message.get("payload") or {})
        if kind == "stop":
            if self.subscriptions.pop(op_id, None) is not None:
                return [{"type": "complete", "id": op_id, "payload": None}]
            return []
        return [{"type": "error", "id": op_id, "payload": {"message": "Invalid message type!"}}]

    def _init(self, payload: dict[str, Any]) -> list[Message]:
        """Only a user JWT carrying ``manage:system`` may subscribe; API keys are refused."""
        token = payload.get("token") or payload.get("authToken")
        claims = verify_jwt(str(token), self.core.secret) if token else None
        allowed = (
            claims is not None
            and "api" not in claims
            and float(claims.get("exp", 0)) > self.core.now()
            and "manage:system" in claims.get("permissions", [])
        )
        if not allowed or claims is None:
            self.closed = True
            return [{"type": "connection_error", "payload": {"message": "Unauthorized"}}]
        principal_from_payload(claims)  # a well-formed user token, or no session
        # Resolvers run without an HTTP request on the socket: context.req is undefined.
        self.context = Context(self.core, cast(Principal, _NoRequest()))
        keepalive = [{"type": "ka"}] if self.keepalive else []
        return [{"type": "connection_ack"}, *keepalive]

    def _start(self, op_id: str, payload: dict[str, Any]) -> list[Message]:
        try:
            document = parse(str(payload.get("query", "")))
        except GraphQLError as error:
            return [{"type": "error", "id": op_id, "payload": {"message": error.message}}]
        errors = validate(self.core.schema, document, VALIDATION_RULES)
        if errors:
            body = {
                "errors": [format_request_error(e, "GRAPHQL_VALIDATION_FAILED") for e in errors]
            }
            return [
                {"type": "data", "id": op_id, "payload": body},
                {"type": "complete", "id": op_id, "payload": None},
            ]
        variables = payload.get("variables") if isinstance(payload.get("variables"), dict) else None
        name = payload.get("operationName") or None
        operation = get_operation_ast(document, name)
        if operation is not None and operation.operation == OperationType.SUBSCRIPTION:
            self.subscriptions[op_id] = _Subscription(document, variables, name)
            return []
        result = self._execute(document, variables, name, None)
        return [
            {"type": "data", "id": op_id, "payload": result},
            {"type": "complete", "id": op_id, "payload": None},
        ]

    def _execute(
        self, document: DocumentNode, variables: Any, name: str | None, root: Any
    ) -> dict[str, Any]:
        assert self.context is not None
        with self.core.state.lock:
            result = execute(
                self.core.schema,
                document,
                root_value=root,
                context_value=self.context,
                variable_values=variables,
                operation_name=name,
            )
        assert not hasattr(result, "__await__")
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            # Errors on the socket carry only their code, never an "exception".
            body["errors"] = [
                {**error, "extensions": {"code": error["extensions"]["code"]}}
                for error in (format_execution_error(e) for e in result.errors)
            ]
        return body

    def event(self, event: LogEvent) -> list[Message]:
        root = {
            "loggingLiveTrail": {
                "timestamp": event.timestamp,
                "level": event.level,
                "output": event.output,
            }
        }
        return [
            {
                "type": "data",
                "id": op_id,
                "payload": self._execute(sub.document, sub.variables, sub.operation_name, root),
            }
            for op_id, sub in list(self.subscriptions.items())
        ]


Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


async def websocket_session(fake: FakeWikiJS, scope: Message, receive: Receive, send: Send) -> None:
    """Drive one ``graphql-ws`` connection over the ASGI websocket interface."""
    first = await receive()
    if first["type"] != "websocket.connect":
        return
    if (
        PROTOCOL not in scope.get("subprotocols", [])
        or scope.get("path") != "/graphql-subscriptions"
    ):
        await send({"type": "websocket.close", "code": 1002})
        return
    await send({"type": "websocket.accept", "subprotocol": PROTOCOL})
    session = GraphQLWSSession(fake.core, keepalive=bool(fake.ws_keepalive))
    loop = asyncio.get_running_loop()
    events: asyncio.Queue[LogEvent] = asyncio.Queue()

    def listener(event: LogEvent) -> None:
        loop.call_soon_threadsafe(events.put_nowait, event)

    async def emit(messages: list[Message]) -> None:
        for message in messages:
            await send({"type": "websocket.send", "text": json.dumps(message)})

    async def pump() -> None:
        while True:
            event = await events.get()
            await emit(session.event(event))

    async def keepalive(interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            if session.context is not None:
                await emit([{"type": "ka"}])

    fake._add_log_listener(listener)
    tasks = [asyncio.ensure_future(pump())]
    if fake.ws_keepalive:
        tasks.append(asyncio.ensure_future(keepalive(fake.ws_keepalive)))
    try:
        while not session.closed:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None and message.get("bytes") is not None:
                text = message["bytes"].decode("utf-8", errors="replace")
            await emit(session.receive(text or ""))
        await send({"type": "websocket.close", "code": 1000})
    finally:
        fake._remove_log_listener(listener)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
