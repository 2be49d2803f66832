"""``verify=`` holds for every connection a client opens, over real TLS handshakes
on loopback: GraphQL through either client, and the subscription websocket,
which also never follows a redirect (its token would go with it)."""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
import trustme

from wikijs import APIKeyAuth, ConnectError
from wikijs.aio import AsyncWikiJSClient

from ._servers import attempt, ok_answer, read_request, scripted


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def ca_bundle(authority: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    authority.cert_pem.write_to_path(str(path))
    return str(path)


def server_context(authority: trustme.CA) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture
def tls_url(authority: trustme.CA) -> Iterator[str]:
    """A GraphQL endpoint answering over TLS with a certificate of the test CA."""
    context = server_context(authority)

    def answer(connection: socket.socket, stopping: threading.Event) -> None:
        with context.wrap_socket(connection, server_side=True) as secured:
            if read_request(secured):
                ok_answer(secured, stopping)

    with scripted(answer, read=False) as server:
        yield server.url.replace("http://", "https://")


@pytest.mark.parametrize("kind", ["sync", "async"])  # a client of your own keeps its TLS
def test_a_ca_bundle_given_as_verify_is_trusted(kind: str, tls_url: str, ca_bundle: str) -> None:
    outcome = attempt(kind, tls_url, verify=ca_bundle)
    assert outcome.error is None
    assert outcome.data == {"pages": {"list": []}}


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_an_unknown_authority_is_refused_before_anything_is_sent(kind: str, tls_url: str) -> None:
    outcome = attempt(kind, tls_url)
    assert isinstance(outcome.error, ConnectError)
    assert outcome.error.request_sent is False


# -- the subscription websocket ------------------------------------------------------------


@asynccontextmanager
async def graphql_ws(context: ssl.SSLContext | None, seen: list[Any]) -> AsyncIterator[str]:
    """A minimal ``graphql-ws`` server: acknowledges, sends one log line, completes."""
    from websockets.asyncio.server import serve

    async def session(websocket: Any) -> None:
        async for raw in websocket:
            message = json.loads(raw)
            seen.append(message)
            if message["type"] == "connection_init":
                await websocket.send(json.dumps({"type": "connection_ack"}))
            elif message["type"] == "start":
                line = {"level": "info", "output": "hello", "timestamp": "2026-01-01T00:00:00Z"}
                data = {"data": {"loggingLiveTrail": line}}
                await websocket.send(
                    json.dumps({"id": message["id"], "type": "data", "payload": data})
                )
                await websocket.send(json.dumps({"id": message["id"], "type": "complete"}))

    async with serve(session, "127.0.0.1", 0, ssl=context, subprotocols=["graphql-ws"]) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        scheme = "https" if context is not None else "http"
        yield f"{scheme}://127.0.0.1:{port}"


async def test_the_subscription_websocket_trusts_the_ca_bundle_given(
    authority: trustme.CA, ca_bundle: str
) -> None:
    seen: list[Any] = []
    async with graphql_ws(server_context(authority), seen) as url:
        client = AsyncWikiJSClient(url, auth=APIKeyAuth("TOKEN", verify=False), verify=ca_bundle)
        lines = [event.output async for event in client.logging.live_trail()]
        await client.aclose()
    assert lines == ["hello"]
    assert seen[0] == {"type": "connection_init", "payload": {"token": "TOKEN"}}


async def test_the_subscription_websocket_refuses_an_unknown_authority(
    authority: trustme.CA,
) -> None:
    seen: list[Any] = []
    async with graphql_ws(server_context(authority), seen) as url:
        client = AsyncWikiJSClient(url, auth=APIKeyAuth("TOKEN", verify=False))
        with pytest.raises(ConnectError):
            async for _ in client.logging.live_trail():
                pass
        await client.aclose()
    assert seen == []


async def test_the_subscription_websocket_never_follows_a_redirect() -> None:
    seen: list[Any] = []
    async with graphql_ws(None, seen) as elsewhere:

        async def redirect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await reader.readuntil(b"\r\n\r\n")
            target = elsewhere.replace("http://", "ws://") + "/graphql-subscriptions"
            writer.write(
                f"HTTP/1.1 302 Found\r\nLocation: {target}\r\nContent-Length: 0\r\n\r\n".encode()
            )
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(redirect, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        client = AsyncWikiJSClient(
            f"http://127.0.0.1:{port}", auth=APIKeyAuth("TOKEN", verify=False)
        )
        with pytest.raises(ConnectError, match="302"):
            async for _ in client.logging.live_trail():
                pass
        await client.aclose()
        server.close()
        await server.wait_closed()
    assert seen == []  # the token never reached the other server
