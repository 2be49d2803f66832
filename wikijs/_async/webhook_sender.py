"""Delivering events to a webhook endpoint. ``wikijs/_sync/webhook_sender.py`` is derived
from this file; signing and the retry policy are pure (``wikijs._protocol.webhooks``).

Deliveries go through the SDK's HTTP door (``wikijs/_http``) like every
request of the clients: one total deadline per attempt, and only the head of
the endpoint's answer is read (its status is all a delivery needs), so a
receiver that answers slowly or at length cannot hold the sender."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .._backends import async_sleep
from .._constants import VERSION
from .._http._async.transport import build_transport
from .._http.base import Request
from .._http.config import ResponseLimits, build_config, check_header, check_http_url
from .._protocol.events import Event
from .._protocol.webhooks import (
    Delivery,
    DeliveryPolicy,
    WebhookDeliveryError,
    safe_url,
    secret_bytes,
    signed_headers,
)
from ..errors import TransportError

if TYPE_CHECKING:
    from .._http.types import AsyncHttpTransport

logger = logging.getLogger("wikijs.webhooks")

#: The most of a receiver's answer a delivery reads: its head. The body is
#: never read; the connection it came on is closed instead.
_HEADER_LIMIT = 16 * 1024


class AsyncWebhookSender:
    """POSTs events as signed JSON to one endpoint, retrying passing failures.

    Each attempt is signed afresh (``X-WikiJS-Timestamp`` and
    ``X-WikiJS-Signature: sha256=…``; see :mod:`wikijs.webhooks`), so a
    retry an hour later is not refused as stale. Connection failures,
    timeouts, 5xx, 408 and 429 are retried with exponential backoff, at most
    ``max_attempts`` POSTs in all; any other non-2xx answer is final. The
    secret is never logged or shown.

    Example::

        async with AsyncWebhookSender("https://hooks.example.com/wiki", secret="s3cret") as sender:
            async for event in AsyncWatcher(client):
                await sender.send(event)

    Args:
        url: the endpoint (``http://`` or ``https://``).
        secret: the shared secret the receiver verifies with.
        timeout: seconds per attempt, from connecting to the answer's head.
        max_attempts: POSTs per event at most (1: no retries).
        initial_delay: seconds before the first retry, doubled after each.
        max_delay: the longest wait between attempts.
        headers: extra headers for every delivery.
        transport: an ``httpx`` transport to send through (tests, proxies).
        sleep: waits between attempts (replace it in tests).
        clock: unix seconds for the timestamp header.

    Raises:
        ValidationError: a bad URL, an empty secret or bad retry settings.
    """

    def __init__(
        self,
        url: str,
        secret: str | bytes,
        *,
        timeout: float = 10.0,
        max_attempts: int = 5,
        initial_delay: float = 0.5,
        max_delay: float = 30.0,
        headers: Mapping[str, str] | None = None,
        transport: AsyncHttpTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = async_sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        check_http_url(url)
        self._secret = secret_bytes(secret)
        self._url = url
        self._shown_url = safe_url(url)
        self._policy = DeliveryPolicy(max_attempts, initial_delay, max_delay)
        self._sleep = sleep
        self._clock = clock
        parts = urlsplit(url)
        for name, value in (headers or {}).items():
            check_header(name, value)
        self._headers = {
            "User-Agent": f"wikijs-webhooks/{VERSION}",
            "Content-Type": "application/json",
            **(headers or {}),
        }
        host = parts.netloc.rpartition("@")[2]  # credentials travel in the URL only
        config = build_config(
            f"{parts.scheme}://{host}",
            timeout=timeout,
            max_connections=4,
            deadline=timeout,
            response_limits=ResponseLimits(max_header_size=_HEADER_LIMIT),
        )
        self._http = build_transport(config, transport=transport)

    @property
    def url(self) -> str:
        """The endpoint, without query string or credentials."""
        return self._shown_url

    @property
    def policy(self) -> DeliveryPolicy:
        return self._policy

    async def send(self, event: Event) -> Delivery:
        """Deliver one event; returns once the endpoint answered 2xx.

        Raises:
            WebhookDeliveryError: a final non-2xx answer, or every attempt failed.
        """
        body = event.to_json()
        attempts = 0
        while True:
            attempts += 1
            headers = signed_headers(
                self._secret,
                body,
                timestamp=int(self._clock()),
                event_type=event.type,
                event_id=event.id,
            )
            status: int | None = None
            retry_after: str | None = None
            request = Request(
                "POST",
                self._url,
                {**self._headers, **headers},
                body,
                operation="WebhookDelivery",
                stream=True,  # the head is the answer; the body is never read
            )
            try:
                response = await self._http.send(request)
            except TransportError as exc:
                problem = f"{type(exc).__name__}: {exc.message}"
            else:
                await response.aclose()
                status = response.status_code
                if 200 <= status < 300:
                    return Delivery(event.id, status, attempts)
                retry_after = response.headers.get("Retry-After")
                problem = f"HTTP {status}"
            delay = self._policy.next_delay(attempts, status, retry_after)
            if delay is None:
                raise WebhookDeliveryError(
                    f"delivering {event.type} {event.id} to {self._shown_url} failed after "
                    f"{attempts} attempt{'s' if attempts != 1 else ''} ({problem})",
                    url=self._shown_url,
                    attempts=attempts,
                    status_code=status,
                )
            logger.warning(
                "delivering %s %s to %s failed (%s); attempt %d of %d in %gs",
                event.type,
                event.id,
                self._shown_url,
                problem,
                attempts + 1,
                self._policy.max_attempts,
                delay,
            )
            await self._sleep(delay)

    async def aclose(self) -> None:
        """Close the connections."""
        await self._http.aclose()

    async def __aenter__(self) -> AsyncWebhookSender:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={self._shown_url!r}, secret=<hidden>)"
