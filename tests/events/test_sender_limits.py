"""What a receiver cannot do to a WebhookSender, over real loopback sockets.

A delivery needs only the status of the answer: the sender reads the head
and closes the connection, so a receiver answering at great length costs it
nothing, and a receiver trickling its answer holds it no longer than its
``timeout``. Both senders: the sync one (httpx) and the async one (aiohttp).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import tracemalloc
from datetime import datetime, timezone
from typing import Any

import pytest
from transport._servers import scripted

from wikijs.events import PageEvent, PageInfo
from wikijs.webhooks import AsyncWebhookSender, WebhookDeliveryError, WebhookSender

pytestmark = pytest.mark.parametrize("kind", ["sync", "async"])

EVENT = PageEvent(
    type="page.created",
    timestamp=datetime(2026, 1, 1, tzinfo=timezone.utc),
    page=PageInfo(id=12, path="docs/start", locale="en", title="Start"),
)
HUGE = 150 << 20


def deliver(kind: str, url: str, **options: Any) -> tuple[Any, float]:
    """One ``send(EVENT)`` through the sender ``kind`` names: its outcome and seconds."""
    options.setdefault("max_attempts", 1)
    started = time.monotonic()
    if kind == "sync":
        with WebhookSender(url, "s3cret", **options) as sender:
            try:
                outcome: Any = sender.send(EVENT)
            except WebhookDeliveryError as exc:
                outcome = exc
        return outcome, time.monotonic() - started

    async def run() -> Any:
        async with AsyncWebhookSender(url, "s3cret", **options) as sender:
            try:
                return await sender.send(EVENT)
            except WebhookDeliveryError as exc:
                return exc

    outcome = asyncio.run(run())
    return outcome, time.monotonic() - started


class Flood:
    """Accepts with a 150 MiB body, counting how much of it the sender let through."""

    def __init__(self) -> None:
        self.sent = 0

    def __call__(self, connection: socket.socket, stopping: threading.Event) -> None:
        connection.sendall(b"HTTP/1.1 202 Accepted\r\nContent-Length: %d\r\n\r\n" % HUGE)
        chunk = b"x" * (1 << 20)
        try:
            while self.sent < HUGE and not stopping.is_set():
                connection.sendall(chunk)
                self.sent += len(chunk)
        except OSError:
            pass  # the sender closed the connection: what it was meant to do


def test_a_150_mib_answer_is_not_read(kind: str) -> None:
    flood = Flood()
    with scripted(flood) as server:
        tracemalloc.start()
        try:
            outcome, seconds = deliver(kind, server.url, timeout=30)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert outcome.status_code == 202
    assert flood.sent < 32 << 20  # what the sockets' buffers took; never the body
    assert peak < 8 << 20
    assert seconds < 10


def trickle(prefix: bytes) -> Any:
    """Send ``prefix``, then a byte every half second until the test ends."""

    def answer(connection: socket.socket, stopping: threading.Event) -> None:
        connection.sendall(prefix)
        while not stopping.wait(0.5):
            connection.sendall(b"a")

    return answer


def test_a_trickled_answer_does_not_hold_send_past_its_timeout(kind: str) -> None:
    with scripted(trickle(b"HTTP/1.1 202 Accepted\r\nX-Slow: ")) as server:
        outcome, seconds = deliver(kind, server.url, timeout=0.8)
    assert isinstance(outcome, WebhookDeliveryError), outcome
    assert "deadline" in str(outcome)
    assert 0.7 <= seconds < 3.0


def test_a_trickled_body_after_an_accepting_head_is_not_waited_for(kind: str) -> None:
    with scripted(trickle(b"HTTP/1.1 202 Accepted\r\nContent-Length: 1000\r\n\r\n")) as server:
        outcome, seconds = deliver(kind, server.url, timeout=5)
    assert outcome.status_code == 202
    assert seconds < 2.0
