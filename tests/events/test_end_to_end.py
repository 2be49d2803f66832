"""Whole paths over real sockets: watcher → sender → WebhookServer, and the live log."""

from __future__ import annotations

import asyncio
import contextlib
import threading

import pytest

from wikijs import JWTAuth, WikiJSClient
from wikijs.aio import AsyncWikiJSClient
from wikijs.errors import AuthenticationError
from wikijs.events import LogEvent, PageEvent, Watcher
from wikijs.testing import FakeWikiJS
from wikijs.webhooks import WebhookSender, WebhookServer


def test_watcher_to_sender_to_server(fake: FakeWikiJS) -> None:
    server = WebhookServer(secret="webhook-secret")
    received: list[PageEvent] = []
    done = threading.Event()

    @server.on("page.created")
    def on_page_created(event: PageEvent) -> None:
        received.append(event)
        done.set()

    with (
        server.serve() as hook_url,
        WikiJSClient(fake.url, auth=fake.api_key, transport=fake.sync_transport()) as client,
        WebhookSender(hook_url, "webhook-secret") as sender,
    ):
        watcher = Watcher(
            client,
            interval=30,
            sleep=lambda s: client.pages.create(title="Hello hooks", path="docs/hi", content="x"),
        )
        deliveries = [sender.send(event) for event in watcher.events(polls=2)]
        assert [d.status_code for d in deliveries] == [202]
        assert done.wait(timeout=10)
    assert [event.page.title for event in received] == ["Hello hooks"]
    assert received[0].id == deliveries[0].event_id


def test_a_sender_with_the_wrong_secret_is_turned_away(fake: FakeWikiJS) -> None:
    from wikijs.webhooks import WebhookDeliveryError

    server = WebhookServer(secret="right")
    server.on("*")(lambda event: pytest.fail("must not be dispatched"))
    event = LogEvent(timestamp="2026-01-01T00:00:00Z", level="info", output="x")  # type: ignore[arg-type]
    with (
        server.serve() as hook_url,
        WebhookSender(hook_url, "wrong") as sender,
        pytest.raises(WebhookDeliveryError) as caught,
    ):
        sender.send(event)
    assert (caught.value.status_code, caught.value.attempts) == (401, 1)


async def test_live_trail_streams_the_server_log(fake: FakeWikiJS) -> None:
    with fake.serve() as url:
        async with AsyncWikiJSClient(
            url, auth=JWTAuth(fake.admin_email, fake.admin_password)
        ) as client:
            lines: asyncio.Queue[LogEvent] = asyncio.Queue()

            async def listen() -> None:
                async for line in client.logging.live_trail():
                    await lines.put(line)

            task = asyncio.ensure_future(listen())
            try:
                # The subscription starts asynchronously: ping until one arrives.
                deadline = asyncio.get_running_loop().time() + 10
                while True:
                    fake.emit_log("debug", "ping")
                    try:
                        await asyncio.wait_for(lines.get(), timeout=0.05)
                        break
                    except asyncio.TimeoutError:
                        assert asyncio.get_running_loop().time() < deadline, "no log line arrived"
                fake.emit_log("warn", "disk almost full")
                fake.emit_log("error", "out of disk")
                seen: list[LogEvent] = []
                while len(seen) < 2:
                    line = await asyncio.wait_for(lines.get(), timeout=10)
                    if line.output != "ping":
                        seen.append(line)
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
    assert [(line.type, line.level, line.output) for line in seen] == [
        ("log", "warn", "disk almost full"),
        ("log", "error", "out of disk"),
    ]
    assert seen[0].timestamp.tzinfo is not None


async def test_live_trail_refuses_api_keys(fake: FakeWikiJS) -> None:
    with fake.serve() as url:
        async with AsyncWikiJSClient(url, auth=fake.api_key) as client:
            with pytest.raises(AuthenticationError, match="manage:system"):
                async for _line in client.logging.live_trail():
                    pass  # pragma: no cover - refused before any line
