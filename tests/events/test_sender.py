"""WebhookSender: signed POSTs, bounded retries, the secret kept out of sight."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timezone

import httpx
import pytest

from wikijs.errors import ValidationError
from wikijs.events import LogEvent, PageEvent, PageInfo
from wikijs.webhooks import (
    AsyncWebhookSender,
    WebhookDeliveryError,
    WebhookSender,
    verify_signature,
)

SECRET = "s3cret-value"
NOW = 1_767_225_600
EVENT = PageEvent(
    type="page.created",
    timestamp=datetime(2026, 1, 1, tzinfo=timezone.utc),
    page=PageInfo(id=12, path="docs/start", locale="en", title="Start"),
)


def recorder(statuses: list[int | Exception], seen: list[httpx.Request]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        outcome = statuses.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        headers = {"Retry-After": "2"} if outcome == 429 else {}
        return httpx.Response(outcome, headers=headers)

    return httpx.MockTransport(handle)


def sender_for(
    statuses: list[int | Exception],
    seen: list[httpx.Request],
    waits: list[float],
    clock: Callable[[], float] = lambda: NOW,
    **options: object,
) -> WebhookSender:
    return WebhookSender(
        "https://user:pw@hooks.example.com/wiki?token=abc",
        SECRET,
        transport=recorder(statuses, seen),
        sleep=waits.append,
        clock=clock,
        **options,  # type: ignore[arg-type]
    )


def test_a_delivery_is_signed_json() -> None:
    seen: list[httpx.Request] = []
    with sender_for([204], seen, []) as sender:
        delivery = sender.send(EVENT)
    assert (delivery.event_id, delivery.status_code, delivery.attempts) == (EVENT.id, 204, 1)
    [request] = seen
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["x-wikijs-event"] == "page.created"
    assert request.headers["x-wikijs-delivery"] == EVENT.id
    assert request.headers["x-wikijs-timestamp"] == str(NOW)
    assert request.headers["user-agent"].startswith("wikijs-webhooks/")
    assert request.content == EVENT.to_json()
    verify_signature(
        SECRET,
        request.content,
        signature=request.headers["x-wikijs-signature"],
        timestamp=request.headers["x-wikijs-timestamp"],
        now=NOW,
    )


def test_5xx_and_connection_errors_are_retried_with_backoff_and_fresh_signatures() -> None:
    seen: list[httpx.Request] = []
    waits: list[float] = []
    times = iter([NOW, NOW + 100, NOW + 200, NOW + 300])
    sender = sender_for(
        [503, httpx.ConnectError("refused"), 429, 200], seen, waits, clock=lambda: next(times)
    )
    delivery = sender.send(EVENT)
    assert (delivery.status_code, delivery.attempts) == (200, 4)
    assert waits == [0.5, 1.0, 2.0]  # Retry-After 2 matches the backoff here
    stamps = [r.headers["x-wikijs-timestamp"] for r in seen]
    assert stamps == [str(NOW), str(NOW + 100), str(NOW + 200), str(NOW + 300)]
    assert len({r.headers["x-wikijs-signature"] for r in seen}) == 4


def test_a_4xx_answer_is_final() -> None:
    seen: list[httpx.Request] = []
    waits: list[float] = []
    sender = sender_for([401], seen, waits)
    with pytest.raises(WebhookDeliveryError) as caught:
        sender.send(EVENT)
    assert (caught.value.status_code, caught.value.attempts) == (401, 1)
    assert waits == []
    assert "HTTP 401" in str(caught.value)


def test_retries_are_bounded(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[httpx.Request] = []
    waits: list[float] = []
    sender = sender_for([500] * 3, seen, waits, max_attempts=3, initial_delay=0.1)
    with (
        caplog.at_level(logging.WARNING, logger="wikijs.webhooks"),
        pytest.raises(WebhookDeliveryError) as caught,
    ):
        sender.send(EVENT)
    assert len(seen) == 3
    assert waits == [0.1, 0.2]
    error = caught.value
    assert (error.attempts, error.status_code) == (3, 500)
    assert error.url == "https://hooks.example.com/wiki"
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "attempt 2 of 3" in logged
    for text in (str(error), logged, repr(sender)):
        assert SECRET not in text
        assert "token=abc" not in text
        assert "pw@" not in text


def test_every_attempt_failing_to_connect() -> None:
    seen: list[httpx.Request] = []
    sender = sender_for([httpx.ConnectError("")] * 2, seen, [], max_attempts=2)
    with pytest.raises(
        WebhookDeliveryError,
        match=r"after 2 attempts \(ConnectError: cannot connect to hooks.example.com:443",
    ) as caught:
        sender.send(EVENT)
    assert caught.value.status_code is None


@pytest.mark.parametrize(
    ("url", "secret"), [("ftp://x", SECRET), ("hooks.example.com", SECRET), ("https://x", "")]
)
def test_bad_settings_are_refused(url: str, secret: str) -> None:
    with pytest.raises(ValidationError):
        WebhookSender(url, secret)


def test_sender_properties() -> None:
    sender = WebhookSender("https://hooks.example.com:8443/w?x=1", SECRET, max_attempts=2)
    assert sender.url == "https://hooks.example.com:8443/w"
    assert sender.policy.max_attempts == 2
    assert repr(sender) == "WebhookSender(url='https://hooks.example.com:8443/w', secret=<hidden>)"
    sender.close()


async def test_the_async_sender() -> None:
    seen: list[httpx.Request] = []
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(502 if len(seen) == 1 else 202)

    log = LogEvent(timestamp=datetime(2026, 1, 1, tzinfo=timezone.utc), level="info", output="x")
    async with AsyncWebhookSender(
        "http://127.0.0.1:9/hook", SECRET, transport=httpx.MockTransport(handle), sleep=sleep
    ) as sender:
        delivery = await sender.send(log)
    assert (delivery.status_code, delivery.attempts, waits) == (202, 2, [0.5])
    assert seen[0].headers["x-wikijs-event"] == "log"


async def test_the_async_sender_gives_up_and_validates() -> None:
    async def sleep(seconds: float) -> None: ...

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    async with AsyncWebhookSender(
        "https://hooks.example.com/w?k=1", SECRET, transport=httpx.MockTransport(refuse),
        sleep=sleep, max_attempts=2,
    ) as sender:  # fmt: skip
        assert (sender.url, sender.policy.max_attempts) == ("https://hooks.example.com/w", 2)
        assert SECRET not in repr(sender)
        refused = r"ConnectError: cannot connect to hooks.example.com:443 \(refused\)"
        with pytest.raises(WebhookDeliveryError, match=refused):
            await sender.send(EVENT)
    with pytest.raises(ValidationError):
        AsyncWebhookSender("mailto:x", SECRET)
