"""What slow or greedy clients cannot do to a WebhookServer, over real loopback sockets.

A connection that trickles its request head is cut after ``header_timeout``,
one that trickles its body is answered 408 after ``body_timeout``, and
connections past ``max_connections`` are refused with 503, so a valid
delivery gets through while many trickling connections are open.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timezone

import pytest

from wikijs.errors import ValidationError
from wikijs.events import PageEvent, PageInfo
from wikijs.webhooks import (
    WebhookDeliveryError,
    WebhookSender,
    WebhookServer,
    compute_signature,
)

SECRET = "webhook-secret"
EVENT = PageEvent(
    type="page.created",
    timestamp=datetime(2026, 1, 1, tzinfo=timezone.utc),
    page=PageInfo(id=12, path="docs/start", locale="en", title="Start"),
)
HEAD = b"POST / HTTP/1.1\r\nHost: hooks\r\n"


class Trickler:
    """A connection sending ``start``, then a byte every 50 ms, until the server ends it."""

    def __init__(self, url: str, start: bytes, stopping: threading.Event) -> None:
        host, _, port = url.removeprefix("http://").partition(":")
        self.socket = socket.create_connection((host, int(port)), timeout=10)
        self.answer = b""
        self.ended = threading.Event()
        self.socket.sendall(start)
        self._thread = threading.Thread(target=self._run, args=(stopping,), daemon=True)
        self._thread.start()

    def _run(self, stopping: threading.Event) -> None:
        self.socket.settimeout(0.05)
        with suppress(OSError):
            while not stopping.is_set():
                try:
                    chunk = self.socket.recv(4096)
                except TimeoutError:
                    self.socket.sendall(b"a")
                    continue
                if not chunk:
                    break
                self.answer += chunk
        self.ended.set()

    def close(self) -> None:
        with suppress(OSError):
            self.socket.close()
        self._thread.join(timeout=5)


@contextmanager
def tricklers(url: str, starts: list[bytes]) -> Iterator[list[Trickler]]:
    stopping = threading.Event()
    opened: list[Trickler] = []
    try:
        opened.extend(Trickler(url, start, stopping) for start in starts)
        yield opened
    finally:
        stopping.set()
        for trickler in opened:
            trickler.close()


def all_ended(opened: list[Trickler], within: float) -> bool:
    until = time.monotonic() + within
    return all(t.ended.wait(max(0.0, until - time.monotonic())) for t in opened)


def test_a_valid_delivery_succeeds_while_70_connections_trickle() -> None:
    server = WebhookServer(SECRET, header_timeout=1.0, body_timeout=1.0)
    got = threading.Event()
    server.add_handler("page.created", lambda event: got.set())
    starts = [HEAD + b"X-Slow: "] * 35 + [HEAD + b"Content-Length: 5000\r\n\r\n{"] * 35
    with server.serve() as url, tricklers(url, starts) as opened:
        with WebhookSender(url, SECRET, timeout=5, max_attempts=1) as sender:
            delivery = sender.send(EVENT)
        assert delivery.status_code == 202
        assert got.wait(5)
        assert not any(t.ended.is_set() for t in opened)  # all 70 were still open
        # ... and the server ends them once their time is up.
        assert all_ended(opened, within=5)
    slow_heads, slow_bodies = opened[:35], opened[35:]
    assert all(t.answer.startswith(b"HTTP/1.1 408 ") for t in slow_heads)
    assert all(t.answer.startswith(b"HTTP/1.1 408 ") for t in slow_bodies)


def test_a_head_trickled_past_the_header_timeout_is_cut() -> None:
    server = WebhookServer(SECRET, header_timeout=0.3)
    with server.serve() as url, tricklers(url, [HEAD + b"X-Slow: "]) as (slow,):
        started = time.monotonic()
        assert slow.ended.wait(5)
        assert 0.25 <= time.monotonic() - started < 3
    assert slow.answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")


def test_a_connection_idle_after_its_first_delivery_is_held_to_the_header_timeout() -> None:
    server = WebhookServer(SECRET, header_timeout=0.3)
    body = EVENT.to_json()
    timestamp = int(time.time())
    first = (
        HEAD
        + b"Content-Type: application/json\r\nX-WikiJS-Timestamp: %d\r\n" % timestamp
        + b"X-WikiJS-Signature: %s\r\n" % compute_signature(SECRET, timestamp, body).encode()
        + b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    )
    # The first request is whole; the second trickles its head on the same connection.
    with server.serve() as url, tricklers(url, [first + HEAD + b"X-Slow: "]) as (slow,):
        assert slow.ended.wait(5)
    assert slow.answer.startswith(b"HTTP/1.1 202 ")
    assert b"HTTP/1.1 408 Request Timeout\r\n" in slow.answer


def test_a_body_trickled_past_the_body_timeout_is_answered_408() -> None:
    server = WebhookServer(SECRET, body_timeout=0.3)
    start = HEAD + b"Content-Length: 5000\r\n\r\n{"
    with server.serve() as url, tricklers(url, [start]) as (slow,):
        started = time.monotonic()
        assert slow.ended.wait(5)
        assert 0.25 <= time.monotonic() - started < 3
    assert slow.answer.startswith(b"HTTP/1.1 408 ")


def test_connections_past_max_connections_are_refused_with_503() -> None:
    server = WebhookServer(SECRET, max_connections=5)
    with (
        server.serve() as url,
        tricklers(url, [HEAD + b"X-Slow: "] * 5),
        WebhookSender(url, SECRET, timeout=5, max_attempts=1) as sender,
        pytest.raises(WebhookDeliveryError) as refused,
    ):
        sender.send(EVENT)
    assert refused.value.status_code == 503


def test_an_unfinished_head_over_16_kib_is_refused_with_400() -> None:
    server = WebhookServer(SECRET)
    with server.serve() as url:
        host, _, port = url.removeprefix("http://").partition(":")
        with socket.create_connection((host, int(port)), timeout=10) as connection:
            connection.sendall(HEAD + b"X-Big: " + b"b" * (20 << 10))  # and no end in sight
            answer = connection.recv(4096)
    assert answer.startswith(b"HTTP/1.1 400 ")


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("header_timeout", 0),
        ("header_timeout", None),
        ("body_timeout", -1),
        ("body_timeout", "30"),
        ("max_connections", 0),
        ("max_connections", 2.5),
    ],
)
def test_bad_limits_are_refused(option: str, value: object) -> None:
    with pytest.raises(ValidationError, match=option):
        WebhookServer(SECRET, **{option: value})  # type: ignore[arg-type]
