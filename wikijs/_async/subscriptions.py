"""GraphQL subscriptions over Wiki.js 2's legacy ``graphql-ws`` protocol.

Wiki.js 2 speaks subscriptions-transport-ws at ``/graphql-subscriptions``:
``connection_init`` (with ``payload.token``), ``connection_ack``, ``start``,
``data`` …, ``stop``. It needs a user JWT with ``manage:system``; API keys
are refused with ``connection_error``. Async client only.

The websocket is opened like every other connection of the client: TLS
checked with ``verify=`` (one context, :func:`~wikijs._http.environment.ssl_context`),
through the proxy the environment sets (:func:`~wikijs._http.environment.environment_proxy`),
and never to wherever a redirect points: the token is sent in
``connection_init`` once connected, so following one would hand it to
another server.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import orjson

from .._facts import SUBSCRIPTIONS_PATH
from .._http.environment import environment_proxy, ssl_context
from .._protocol.operation import Operation, encode_json
from .._protocol.responses import interpret
from ..errors import (
    AuthenticationError,
    ConnectError,
    ConnectionLostError,
    GraphQLError,
    GraphQLErrorDetail,
    ResponseError,
    WikiJSError,
)

if TYPE_CHECKING:
    from .pipeline import AsyncPipeline

PROTOCOL = "graphql-ws"
_ids = itertools.count(1)


def websocket_url(base_url: str) -> str:
    if base_url.startswith("https://"):
        return "wss://" + base_url[len("https://") :] + SUBSCRIPTIONS_PATH
    return "ws://" + base_url[len("http://") :] + SUBSCRIPTIONS_PATH


def _decode(message: Any, operation: str) -> dict[str, Any]:
    try:
        decoded = orjson.loads(message)
    except orjson.JSONDecodeError:
        raise ResponseError(
            "the subscription server sent a message that is not JSON", operation=operation
        ) from None
    if not isinstance(decoded, dict):
        raise ResponseError(
            "the subscription server sent a message that is not an object", operation=operation
        )
    return decoded


async def subscribe(pipeline: AsyncPipeline, operation: Operation) -> AsyncIterator[dict[str, Any]]:
    """Yield each event's ``data``; typed errors for refusals and broken links."""
    try:
        from websockets.asyncio.client import connect
        from websockets.exceptions import ConnectionClosed, WebSocketException
    except ImportError:  # pragma: no cover - depends on the environment
        raise WikiJSError(
            "subscriptions need the 'websockets' package: pip install 'wikijs[websockets]'",
            operation=operation.name,
        ) from None

    class _NoRedirects(connect):
        def process_redirect(self, exc: Exception) -> Exception:
            return exc  # refuse: the token would follow to the redirect's server

    token = await pipeline.ensure_credentials()
    config = pipeline.config
    name = operation.name
    subscription_id = str(next(_ids))
    url = websocket_url(config.base_url)
    proxy = environment_proxy(config.base_url)
    options: dict[str, Any] = {
        "proxy": None if proxy is None else _proxy_url(proxy.url, proxy.username, proxy.password)
    }
    if url.startswith("wss://"):
        options["ssl"] = ssl_context(config.verify)
    try:
        async with _NoRedirects(
            url,
            subprotocols=[PROTOCOL],  # type: ignore[list-item]
            user_agent_header=config.user_agent,
            open_timeout=config.timeout.connect,
            additional_headers=dict(config.headers),
            **options,
        ) as websocket:
            init: dict[str, Any] = {"type": "connection_init", "payload": {}}
            if token:
                init["payload"]["token"] = token
            await websocket.send(encode_json(init, operation=name).decode())
            while True:
                message = _decode(await websocket.recv(), name)
                kind = message.get("type")
                if kind == "connection_ack":
                    break
                if kind == "connection_error":
                    detail = (message.get("payload") or {}).get("message") or "refused"
                    raise AuthenticationError(
                        f"the subscription server refused the connection ({detail}); "
                        "subscriptions need a user JWT with manage:system (API keys are refused)",
                        operation=name,
                    )
            start = {"id": subscription_id, "type": "start", "payload": operation.payload()}
            await websocket.send(encode_json(start, operation=name).decode())
            try:
                while True:
                    message = _decode(await websocket.recv(), name)
                    kind = message.get("type")
                    if message.get("id") not in (None, subscription_id):
                        continue
                    if kind == "data":
                        outcome = interpret(name, 200, message.get("payload"))
                        if isinstance(outcome, WikiJSError):
                            raise outcome
                        yield outcome
                    elif kind == "error":
                        payload = message.get("payload")
                        errors = payload if isinstance(payload, list) else [payload]
                        raise GraphQLError(
                            "the subscription was refused",
                            operation=name,
                            errors=[GraphQLErrorDetail.from_json(e) for e in errors],
                        )
                    elif kind == "complete":
                        return
            finally:
                if websocket.state.name == "OPEN":
                    await websocket.send(
                        encode_json({"id": subscription_id, "type": "stop"}).decode()
                    )
                    await websocket.send(encode_json({"type": "connection_terminate"}).decode())
    except ConnectionClosed as exc:
        raise ConnectionLostError(
            f"the subscription connection closed ({exc})", operation=name
        ) from None
    except (OSError, WebSocketException) as exc:
        raise ConnectError(
            f"cannot open the subscription websocket ({exc})", operation=name
        ) from None


def _proxy_url(url: str, username: str | None, password: str | None) -> str:
    if username is None:
        return url
    from urllib.parse import quote

    scheme, rest = url.split("://", 1)
    userinfo = quote(username, safe="") + (":" + quote(password, safe="") if password else "")
    return f"{scheme}://{userinfo}@{rest}"
