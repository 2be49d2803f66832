"""The loopback server (uvicorn), the ``graphql-ws`` websocket and ``fake-server``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from wikijs.testing import FakeWikiJS, Fault
from wikijs.testing._asgi import ConnectionCut, make_asgi_app
from wikijs.testing._ws import GraphQLWSSession

from .conftest import downloaded

REPO = Path(__file__).resolve().parents[2]
TRAIL = "subscription { loggingLiveTrail { level output timestamp } }"


@pytest.fixture
def served(fake: FakeWikiJS) -> Iterator[str]:
    with fake.serve() as url:
        yield url


def ws_url(url: str) -> str:
    return url.replace("http://", "ws://") + "/graphql-subscriptions"


def recv(ws: ClientConnection) -> dict:
    return json.loads(ws.recv(timeout=5))


def send(ws: ClientConnection, message: dict) -> None:
    ws.send(json.dumps(message))


def test_loopback_serves_graphql_and_health(fake: FakeWikiJS, served: str) -> None:
    assert httpx.get(f"{served}/healthz").json() == {"ok": True}
    response = httpx.post(
        f"{served}/graphql",
        json={"query": "{ users { profile { id } } }"},
        headers={"Authorization": f"Bearer {fake.api_key}"},
    )
    assert response.json() == {"data": {"users": {"profile": {"id": 1}}}}
    assert response.headers["content-type"] == "application/json; charset=utf-8"


def test_loopback_refuse_and_drop_after(fake: FakeWikiJS, served: str) -> None:
    create = {
        "query": 'mutation { pages { create(content: "x", description: "", editor: "markdown", '
        'isPublished: true, isPrivate: false, locale: "en", path: "docs/cut", tags: [], '
        'title: "Cut") { responseResult { succeeded } } } }'
    }
    headers = {"Authorization": f"Bearer {fake.api_key}"}
    # The server aborts the socket: the client sees a reset or an end of
    # stream depending on timing; both mean no answer.
    cut = (httpx.RemoteProtocolError, httpx.ReadError)
    fake.faults.push(Fault.refuse())
    with pytest.raises(cut):
        httpx.post(f"{served}/graphql", json=create, headers=headers)
    assert fake.core.state.pages == {}
    fake.faults.push(Fault.drop_after(operation="pages.create"))
    with pytest.raises(cut):
        httpx.post(f"{served}/graphql", json=create, headers=headers)
    assert [p.path for p in fake.core.state.pages.values()] == ["docs/cut"]
    fake.faults.push(Fault.http(429, retry_after=3))
    limited = httpx.get(f"{served}/healthz")
    assert (limited.status_code, limited.headers["retry-after"]) == (429, "3")


def test_loopback_streams_uploads_and_downloads(fake: FakeWikiJS, served: str) -> None:
    boundary = "b0undary"
    data = os.urandom(300_000)
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="mediaUpload"\r\n\r\n'
            f'{{"folderId": 0}}\r\n--{boundary}\r\nContent-Disposition: form-data; '
            f'name="mediaUpload"; filename="Blob.bin"\r\n\r\n'
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = httpx.post(
        f"{served}/u",
        content=iter([body[i : i + 8192] for i in range(0, len(body), 8192)]),
        headers={
            "Authorization": f"Bearer {fake.api_key}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    assert response.text == "ok"
    assert downloaded(fake, httpx.get(f"{served}/blob.bin")).content == data


@pytest.mark.fake_only("the fake's keep-alive knob")
def test_keep_alives_only_when_asked_for(fake: FakeWikiJS, served: str) -> None:
    fake.ws_keepalive = 0.05
    with connect(ws_url(served), subprotocols=["graphql-ws"]) as ws:
        send(ws, {"type": "connection_init", "payload": {"token": fake.user_token(1)}})
        assert recv(ws) == {"type": "connection_ack"}
        assert recv(ws) == {"type": "ka"}
        assert recv(ws) == {"type": "ka"}


def test_subscription_receives_emitted_logs(fake: FakeWikiJS, served: str) -> None:
    with connect(ws_url(served), subprotocols=["graphql-ws"]) as ws:
        send(ws, {"type": "connection_init", "payload": {"token": fake.user_token(1)}})
        assert recv(ws) == {"type": "connection_ack"}  # Wiki.js sends no "ka" keep-alives
        send(ws, {"id": "1", "type": "start", "payload": {"query": TRAIL}})
        # A query on the same socket answers only after the subscription is registered;
        # its resolvers find no HTTP request there (context.req is undefined).
        send(ws, {"id": "2", "type": "start", "payload": {"query": "{ users { profile { id } } }"}})
        assert recv(ws) == {
            "type": "data",
            "id": "2",
            "payload": {
                "errors": [
                    {
                        "message": "Cannot read properties of undefined (reading 'user')",
                        "locations": [{"line": 1, "column": 11}],
                        "path": ["users", "profile"],
                        "extensions": {"code": "INTERNAL_SERVER_ERROR"},
                    }
                ],
                "data": {"users": {"profile": None}},
            },
        }
        assert recv(ws) == {"type": "complete", "id": "2", "payload": None}
        fake.emit_log("warn", "disk almost full")
        event = recv(ws)
        assert event["id"] == "1"
        assert event["payload"]["data"]["loggingLiveTrail"]["output"] == "disk almost full"
        send(ws, {"id": "1", "type": "stop"})
        assert recv(ws) == {"type": "complete", "id": "1", "payload": None}
        send(ws, {"type": "connection_terminate"})
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=5)


def test_api_keys_cannot_subscribe(fake: FakeWikiJS, served: str) -> None:
    with connect(ws_url(served), subprotocols=["graphql-ws"]) as ws:
        send(ws, {"type": "connection_init", "payload": {"token": fake.api_key}})
        assert recv(ws) == {"type": "connection_error", "payload": {"message": "Unauthorized"}}
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=5)


def test_websocket_needs_the_graphql_ws_subprotocol(served: str) -> None:
    with pytest.raises(Exception), connect(ws_url(served)) as ws:  # noqa: B017 - rejected
        ws.recv(timeout=5)


def test_session_protocol_errors(fake: FakeWikiJS) -> None:
    session = GraphQLWSSession(fake.core)
    assert session.receive("not json")[0]["type"] == "error"
    assert session.receive('{"type": "start", "id": "1"}') == [
        {"type": "connection_error", "payload": {"message": "Unauthorized"}}
    ]
    session = GraphQLWSSession(fake.core)
    user = fake.add_user("plain@example.com", name="Plain")
    assert (
        session.receive(
            json.dumps({"type": "connection_init", "payload": {"token": fake.user_token(user.id)}})
        )[0]["type"]
        == "connection_error"
    )
    session = GraphQLWSSession(fake.core)
    session.receive(
        json.dumps({"type": "connection_init", "payload": {"token": fake.user_token(1)}})
    )
    assert (
        session.receive('{"type": "start", "id": "p", "payload": {"query": "{"}}')[0]["type"]
        == "error"
    )
    invalid = session.receive('{"type": "start", "id": "v", "payload": {"query": "{ nope }"}}')
    assert invalid[0]["payload"]["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert invalid[1] == {"type": "complete", "id": "v", "payload": None}
    assert (
        session.receive('{"type": "bogus", "id": "x"}')[0]["payload"]["message"]
        == "Invalid message type!"
    )
    assert session.receive('{"type": "stop", "id": "unknown"}') == []


async def test_asgi_app_without_uvicorn_cannot_abort(fake: FakeWikiJS) -> None:
    app = make_asgi_app(fake)
    fake.faults.push(Fault.refuse())
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/healthz",
        "headers": [],
        "query_string": b"",
    }

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    sent: list[dict] = []

    async def send_(message: dict) -> None:
        sent.append(message)

    with pytest.raises(ConnectionCut):
        await app(scope, receive, send_)
    await app(scope, receive, send_)
    assert sent[0]["status"] == 200
    lifespan = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])

    async def life_receive() -> dict:
        return next(lifespan)

    await app({"type": "lifespan"}, life_receive, send_)
    assert sent[-1] == {"type": "lifespan.shutdown.complete"}


def test_fake_server_command_prints_url_and_key_and_stops_on_sigterm() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wikijs.testing.server",
            "--port",
            "0",
            "--seed-demo",
            "--latency",
            "1",
            "--json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        details = json.loads(process.stdout.readline())
        url, key = details["url"], details["api_key"]
        assert url.startswith("http://127.0.0.1:")
        assert details["admin_email"] == "admin@example.com"
        response = httpx.post(
            f"{url}/graphql",
            json={"query": "{ pages { list(limit: 1000) { id } } }"},
            headers={"Authorization": f"Bearer {key}"},
            timeout=10,
        )
        assert len(response.json()["data"]["pages"]["list"]) >= 200
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_bound_socket_declares_tcp_so_asyncio_disables_nagle() -> None:
    import socket

    from wikijs.testing.server import _bind

    sock = _bind("127.0.0.1", 0)
    try:
        # asyncio sets TCP_NODELAY only on accepted sockets whose proto is TCP;
        # without it each answer stalls ~40 ms on a delayed ACK.
        assert sock.proto == socket.IPPROTO_TCP
    finally:
        sock.close()


def test_start_serves_until_close() -> None:
    fake = FakeWikiJS()
    url = fake.start()
    second = fake.start()
    assert url != second
    assert httpx.get(f"{url}/healthz").json() == {"ok": True}
    assert httpx.get(f"{second}/healthz").json() == {"ok": True}
    fake.close()
    for stopped in (url, second):
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{stopped}/healthz")


def test_fake_server_without_uvicorn_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`wikijs[cli]` does not bring the socket server; the command says which extra does."""
    from wikijs.testing.server import main

    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if not installed
    assert main(["--port", "0"]) == 1
    assert capsys.readouterr().err == (
        "fake-server: serving the fake Wiki.js on a socket needs uvicorn: "
        "pip install 'wikijs[testing]'\n"
    )
