"""WebhookServer: verify, refuse, dispatch to typed handlers; as ASGI app and on loopback."""

from __future__ import annotations

import asyncio
import logging
import threading
from datetime import datetime, timezone
from typing import Any

import httpx
import pytest

from wikijs.errors import ValidationError
from wikijs.events import LogEvent, PageEvent, PageInfo, UserEvent, UserInfo
from wikijs.webhooks import WebhookServer, compute_signature

SECRET = "webhook-secret"
NOW = 1_767_225_600
AT = datetime(2026, 1, 1, tzinfo=timezone.utc)


def page_event(title: str = "Start", kind: str = "page.created") -> PageEvent:
    return PageEvent(
        type=kind,  # type: ignore[arg-type]
        timestamp=AT,
        page=PageInfo(id=12, path="docs/start", locale="en", title=title),
    )


def headers_for(body: bytes, timestamp: int = NOW, secret: str = SECRET) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "X-WikiJS-Timestamp": str(timestamp),
        "X-WikiJS-Signature": compute_signature(secret, timestamp, body),
    }


class Harness:
    """A server with a frozen clock, driven in-process through httpx's ASGI transport."""

    def __init__(self, **options: Any) -> None:
        self.now = float(NOW)
        self.server = WebhookServer(SECRET, clock=lambda: self.now, **options)
        self.received: list[tuple[str, Any]] = []

    async def post(
        self, body: bytes, headers: dict[str, str] | None = None, path: str = "/"
    ) -> httpx.Response:
        transport = httpx.ASGITransport(app=self.server.asgi_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hooks") as client:
            return await client.post(
                path, content=body, headers=headers if headers is not None else headers_for(body)
            )


@pytest.fixture
def harness() -> Harness:
    harness = Harness()

    @harness.server.on("page.created")
    def on_page_created(event: PageEvent) -> None:
        harness.received.append(("created", event.page.title))

    return harness


async def test_a_signed_event_is_accepted_and_dispatched(harness: Harness) -> None:
    event = page_event()
    response = await harness.post(event.to_json())
    assert response.status_code == 202
    assert response.json() == {"status": "accepted", "id": event.id}
    assert harness.received == [("created", "Start")]


async def test_other_event_types_do_not_reach_the_handler(harness: Harness) -> None:
    response = await harness.post(page_event(kind="page.deleted").to_json())
    assert response.status_code == 202
    assert harness.received == []


@pytest.mark.parametrize(
    ("mangle", "reason"),
    [
        (lambda body, h: (body.replace(b"Start", b"Evil!"), h), "mismatch"),
        (lambda body, h: (body, headers_for(body, secret="wrong-secret")), "mismatch"),
        (lambda body, h: (body, headers_for(body, timestamp=NOW - 301)), "stale"),
        (lambda body, h: (body, {"X-WikiJS-Timestamp": str(NOW)}), "missing"),
        (lambda body, h: (body, {**h, "X-WikiJS-Timestamp": "soon"}), "malformed"),
    ],
)
async def test_bad_deliveries_get_401_and_are_never_dispatched(
    harness: Harness, mangle: Any, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    body = page_event().to_json()
    body, headers = mangle(body, headers_for(body))
    with caplog.at_level(logging.WARNING, logger="wikijs.webhooks"):
        response = await harness.post(body, headers)
    assert response.status_code == 401
    assert response.json() == {"error": reason}
    assert harness.received == []
    assert SECRET not in caplog.text


@pytest.mark.parametrize(
    "variant",
    [
        lambda sig: f" {sig} ",
        lambda sig: f"{sig},{sig}",
        lambda sig: f"sha256={'0' * 64}, {sig}",
        lambda sig: f"{sig},",
    ],
    ids=["padded", "repeated", "beside-another", "trailing-comma"],
)
async def test_every_spelling_of_a_replayed_signature_is_refused(
    harness: Harness, variant: Any
) -> None:
    body = page_event().model_dump_json().encode()
    headers = headers_for(body)
    assert (await harness.post(body, headers)).status_code == 202
    respelt = {**headers, "X-WikiJS-Signature": variant(headers["X-WikiJS-Signature"])}
    replay = await harness.post(body, respelt)
    assert replay.status_code == 401
    assert replay.json() == {"error": "replayed"}


async def test_a_replayed_delivery_is_refused(harness: Harness) -> None:
    body = page_event().to_json()
    headers = headers_for(body)
    assert (await harness.post(body, headers)).status_code == 202
    harness.now += 60
    replay = await harness.post(body, headers)
    assert replay.status_code == 401
    assert replay.json() == {"error": "replayed"}
    assert harness.received == [("created", "Start")]


async def test_a_resent_event_is_acknowledged_once(harness: Harness) -> None:
    body = page_event().to_json()
    assert (await harness.post(body, headers_for(body))).status_code == 202
    harness.now += 5
    again = await harness.post(body, headers_for(body, timestamp=NOW + 5))
    assert again.status_code == 200
    assert again.json()["status"] == "duplicate"
    assert len(harness.received) == 1


async def test_a_signed_body_that_is_not_an_event_is_400(harness: Harness) -> None:
    for body in (b"not json", b'{"type": "page.renamed"}'):
        response = await harness.post(body)
        assert response.status_code == 400
        assert response.json()["error"] == "not an event"
    assert harness.received == []


async def test_method_path_and_size_limits() -> None:
    harness = Harness(path="/hooks/wiki", max_body_size=64)
    transport = httpx.ASGITransport(app=harness.server)
    async with httpx.AsyncClient(transport=transport, base_url="http://hooks") as client:
        assert (await client.get("/hooks/wiki")).status_code == 405
        assert (await client.get("/hooks/wiki")).headers["allow"] == "POST"
        assert (await client.post("/elsewhere", content=b"{}")).status_code == 404
    body = page_event().to_json()
    assert len(body) > 64
    assert (await harness.post(body, path="/hooks/wiki")).status_code == 413
    small = b"{}"
    assert (await harness.post(small, path="/hooks/wiki")).status_code == 400


async def test_handlers_run_in_order_and_one_failure_does_not_stop_the_rest(
    caplog: pytest.LogCaptureFixture,
) -> None:
    harness = Harness()
    calls: list[str] = []
    server = harness.server
    threads: list[int] = []

    @server.on("*")
    def everything(event: Any) -> None:
        calls.append(f"* {event.type}")
        threads.append(threading.get_ident())

    @server.on("page.*")
    def broken(event: Any) -> None:
        calls.append("broken")
        raise RuntimeError("handler bug")

    @server.on("page.updated")
    async def updated(event: PageEvent) -> None:
        await asyncio.sleep(0)
        calls.append(f"async {event.page.title}")

    server.add_handler("user.created", lambda event: calls.append(f"user {event.user.email}"))

    with caplog.at_level(logging.ERROR, logger="wikijs.webhooks"):
        response = await harness.post(page_event("New", "page.updated").to_json())
    assert response.status_code == 202
    assert calls == ["* page.updated", "broken", "async New"]
    assert threads != [threading.get_ident()]  # sync handlers run in a worker thread
    assert "webhook handler" in caplog.text
    assert "handler bug" in caplog.text
    calls.clear()
    user = UserEvent(
        type="user.created", timestamp=AT, user=UserInfo(id=3, name="A", email="a@x.org")
    )
    await harness.post(user.to_json())
    log = LogEvent(timestamp=AT, level="warn", output="disk")
    await harness.post(log.to_json())
    assert calls == ["* user.created", "user a@x.org", "* log"]
    assert await server.dispatch(page_event(kind="page.moved")) == 1


def test_handlers_for_lists_matching_handlers() -> None:
    server = WebhookServer(SECRET)

    def a(event: Any) -> None: ...

    def b(event: Any) -> None: ...

    server.on("user.*")(a)
    server.on("user.deleted")(b)
    assert server.handlers_for("user.deleted") == [a, b]
    assert server.handlers_for("user.created") == [a]
    assert server.handlers_for("page.created") == []


@pytest.mark.parametrize("bad", ["page.create", "pages.*", "", "user", 3])
def test_unknown_event_types_are_refused_at_registration(bad: Any) -> None:
    with pytest.raises(ValidationError):
        WebhookServer(SECRET).on(bad)


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValidationError):
        WebhookServer("")
    with pytest.raises(ValidationError):
        WebhookServer(SECRET, tolerance=-1)
    with pytest.raises(ValidationError):
        WebhookServer(SECRET).add_handler("log", "not callable")  # type: ignore[arg-type]


def test_repr_hides_the_secret() -> None:
    server = WebhookServer(SECRET)
    server.on("log")(print)
    assert repr(server) == "WebhookServer(secret=<hidden>, tolerance=300, handlers=1)"


async def test_lifespan_and_websocket_scopes() -> None:
    server = WebhookServer(SECRET)
    incoming = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return incoming.pop(0)

    async def send(message: Any) -> None:
        sent.append(message)

    await server({"type": "lifespan"}, receive, send)
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    sent.clear()
    incoming.append({"type": "websocket.connect"})
    await server({"type": "websocket"}, receive, send)
    assert sent == [{"type": "websocket.close", "code": 1003}]


def test_serve_on_loopback() -> None:
    server = WebhookServer(SECRET)
    got = threading.Event()
    titles: list[str] = []

    @server.on("page.created")
    def on_page_created(event: PageEvent) -> None:
        titles.append(event.page.title)
        got.set()

    body = page_event("Over the wire").to_json()
    import time

    with server.serve() as url:
        assert url.startswith("http://127.0.0.1:")
        response = httpx.post(url, content=body, headers=headers_for(body, int(time.time())))
        assert response.status_code == 202
        assert got.wait(timeout=10)
    assert titles == ["Over the wire"]


def test_run_hands_the_app_to_uvicorn(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    server = WebhookServer(SECRET, max_connections=20)
    server.run(host="0.0.0.0", port=9000, log_level="warning", timeout_keep_alive=2)
    [(app, options)] = calls
    assert app is server
    protocol = options.pop("http")
    assert options == {
        "host": "0.0.0.0",
        "port": 9000,
        "lifespan": "off",
        "log_level": "warning",
        "limit_concurrency": 20,
        "timeout_keep_alive": 2,  # what the caller gives wins
        "h11_max_incomplete_event_size": 16 * 1024,
    }
    from uvicorn.protocols.http.h11_impl import H11Protocol

    assert issubclass(protocol, H11Protocol)


async def test_a_handler_returning_an_awaitable_is_awaited() -> None:
    harness = Harness()
    seen: list[str] = []

    async def record(event: Any) -> None:
        seen.append(event.type)

    harness.server.add_handler("log", lambda event: record(event))
    log = LogEvent(timestamp=AT, level="info", output="x")
    assert (await harness.post(log.to_json())).status_code == 202
    assert seen == ["log"]


async def test_memory_of_signatures_is_bounded_and_expires() -> None:
    harness = Harness(remember=1, tolerance=10)
    first, second = page_event("one").to_json(), page_event("two").to_json()
    first_headers = headers_for(first)
    assert (await harness.post(first, first_headers)).status_code == 202
    assert (await harness.post(first, first_headers)).json() == {"error": "replayed"}
    assert (await harness.post(second)).status_code == 202
    # remember=1: the second delivery pushed the first out of memory.
    assert (await harness.post(first, first_headers)).status_code == 202
    harness.now += 25  # past twice the tolerance: forgotten, and stale anyway
    assert (await harness.post(first, first_headers)).json() == {"error": "stale"}
    assert harness.received == []  # (no handlers registered here)
