"""The ASGI application: HTTP through the sans-I/O core, plus the websocket."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from ._http import HTTPRequest
from ._ws import websocket_session

if TYPE_CHECKING:
    from ._fake import FakeWikiJS

Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Message, Receive, Send], Awaitable[None]]


async def _abort(receive: Receive, send: Send) -> bool:
    """Cut the TCP connection (uvicorn keeps the transport on the bound ``receive``).

    A response is still handed to the server afterwards, so it does not
    complain about a missing one; it goes nowhere.
    """
    transport = getattr(getattr(receive, "__self__", None), "transport", None)
    if transport is None:
        return False
    transport.abort()
    await send({"type": "http.response.start", "status": 503, "headers": []})
    await send({"type": "http.response.body", "body": b"", "more_body": False})
    return True


class ConnectionCut(Exception):
    """Raised when the server cannot abort the socket itself: the server drops it."""


def make_asgi_app(fake: FakeWikiJS) -> ASGIApp:
    async def app(scope: Message, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] == "websocket":
            await websocket_session(fake, scope, receive, send)
            return
        await _http(fake, scope, receive, send)

    return app


async def _http(fake: FakeWikiJS, scope: Message, receive: Receive, send: Send) -> None:
    client = scope.get("client") or ("127.0.0.1", 0)
    raw_path = scope.get("raw_path") or scope["path"].encode()
    request = HTTPRequest(
        scope["method"].upper(),
        raw_path.decode("latin-1").partition("?")[0],
        scope.get("query_string", b"").decode("latin-1"),
        tuple((k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in scope["headers"]),
        str(client[0]),
    )
    exchange = fake.open(request)
    if exchange.refused:
        if not await _abort(receive, send):
            raise ConnectionCut("refused")
        return
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        exchange.feed(message.get("body", b""))
        more = bool(message.get("more_body", False))
    if fake.core.meter is not None:
        # Writes hold their answer for their cost; the server goes on if the client leaves.
        response = await asyncio.to_thread(exchange.finish)
    else:
        response = exchange.finish()
    if response.delay:
        await asyncio.sleep(response.delay)
    if response.action == "hang":
        while (await receive())["type"] != "http.disconnect":
            pass  # never answer; wait until the client gives up
        return
    if response.action is not None:
        if not await _abort(receive, send):
            raise ConnectionCut(response.action)
        return
    await send(
        {
            "type": "http.response.start",
            "status": response.status,
            "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers],
        }
    )
    for chunk in response.chunks():
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b"", "more_body": False})
