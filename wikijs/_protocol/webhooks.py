"""Webhook signing, verification and delivery retries. Pure: no I/O, no clock.

A delivery is an HTTP POST whose body is the event's JSON, with::

    X-WikiJS-Timestamp: <unix seconds>
    X-WikiJS-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>." + body, keyed by the secret>
    X-WikiJS-Event: page.created
    X-WikiJS-Delivery: <event id>

The timestamp is inside the signature, so a captured delivery cannot be
re-dated; receivers refuse timestamps outside a tolerance window, and
refuse a signature they have already accepted (a replay).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from ..errors import InvalidArgumentError, WikiJSError

SIGNATURE_HEADER = "X-WikiJS-Signature"
TIMESTAMP_HEADER = "X-WikiJS-Timestamp"
EVENT_HEADER = "X-WikiJS-Event"
DELIVERY_HEADER = "X-WikiJS-Delivery"
SCHEME = "sha256"
#: Seconds a delivery's timestamp may differ from the receiver's clock.
DEFAULT_TOLERANCE = 300.0

_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")

Reason = Literal["missing", "malformed", "mismatch", "stale", "replayed"]


class WebhookSignatureError(WikiJSError):
    """A delivery's signature or timestamp is missing, wrong, stale or replayed.

    Attributes:
        reason: ``missing``, ``malformed``, ``mismatch``, ``stale`` or ``replayed``.
    """

    def __init__(self, message: str, *, reason: Reason) -> None:
        super().__init__(message, operation="webhook")
        self.reason: Reason = reason


class WebhookDeliveryError(WikiJSError):
    """A webhook delivery failed for good (after any retries).

    Attributes:
        url: the endpoint, without query string or credentials.
        attempts: how many POSTs were made.
        status_code: the last HTTP status, if the endpoint answered.
    """

    def __init__(
        self, message: str, *, url: str, attempts: int, status_code: int | None = None
    ) -> None:
        super().__init__(message, operation="webhook")
        self.url = url
        self.attempts = attempts
        self.status_code = status_code


def secret_bytes(secret: str | bytes) -> bytes:
    """The HMAC key; an empty secret is refused (it would sign nothing)."""
    key = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    if not key:
        raise InvalidArgumentError("the webhook secret cannot be empty", field="secret")
    return key


def compute_signature(secret: str | bytes, timestamp: int | str, body: bytes) -> str:
    """``sha256=<hex>`` over ``"<timestamp>." + body``.

    Example::

        compute_signature("s3cret", 1767225600, b'{"type":"log"}')
    """
    message = str(timestamp).encode("ascii") + b"." + body
    digest = hmac.new(secret_bytes(secret), message, hashlib.sha256).hexdigest()
    return f"{SCHEME}={digest}"


def signed_headers(
    secret: str | bytes, body: bytes, *, timestamp: int, event_type: str, event_id: str
) -> dict[str, str]:
    """The headers of one delivery attempt."""
    return {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: compute_signature(secret, timestamp, body),
        EVENT_HEADER: event_type,
        DELIVERY_HEADER: event_id,
    }


def verify_signature(
    secret: str | bytes,
    body: bytes,
    *,
    signature: str | None,
    timestamp: str | None,
    now: float,
    tolerance: float = DEFAULT_TOLERANCE,
) -> int:
    """Check a delivery; returns its timestamp.

    ``signature`` may list several comma-separated values (a sender rotating
    its secret); one must match. Comparison is constant-time.

    Raises:
        WebhookSignatureError: missing, malformed, mismatched or stale.
    """
    if not signature or not timestamp:
        raise WebhookSignatureError(
            f"the {SIGNATURE_HEADER} and {TIMESTAMP_HEADER} headers are required",
            reason="missing",
        )
    if not _TIMESTAMP.match(timestamp.strip()):
        raise WebhookSignatureError(
            f"{TIMESTAMP_HEADER} must be whole unix seconds", reason="malformed"
        )
    sent_at = int(timestamp.strip())
    expected = compute_signature(secret, sent_at, body)
    offered = [part.strip() for part in signature.split(",") if part.strip()]
    matched = False
    for candidate in offered:
        # Compare every candidate: the time taken does not tell which matched.
        matched |= hmac.compare_digest(expected.encode(), candidate.encode())
    if not matched:
        raise WebhookSignatureError("the signature does not match", reason="mismatch")
    if abs(now - sent_at) > tolerance:
        raise WebhookSignatureError(
            f"the timestamp is more than {tolerance:g}s away from now", reason="stale"
        )
    return sent_at


@dataclass(frozen=True)
class DeliveryPolicy:
    """How a sender retries: bounded attempts, exponential backoff.

    A delivery is retried after a connection failure, a timeout, a 5xx,
    408 or 429 (waiting ``Retry-After`` seconds when given, up to
    ``max_delay``); any other answer is final.

    Attributes:
        max_attempts: POSTs per event at most (1 = no retries).
        initial_delay: seconds before the second attempt; doubled each time.
        max_delay: the longest wait between two attempts.
    """

    max_attempts: int = 5
    initial_delay: float = 0.5
    max_delay: float = 30.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise InvalidArgumentError("max_attempts must be at least 1", field="max_attempts")
        if self.initial_delay < 0 or self.max_delay < 0:
            raise InvalidArgumentError("delays cannot be negative", field="initial_delay")

    @staticmethod
    def retryable(status_code: int | None) -> bool:
        """Whether an answer (``None``: no answer at all) is worth another attempt."""
        return status_code is None or status_code >= 500 or status_code in (408, 429)

    def next_delay(
        self, attempts: int, status_code: int | None, retry_after: str | None = None
    ) -> float | None:
        """Seconds to wait before attempt ``attempts + 1``, or ``None`` to stop."""
        if attempts >= self.max_attempts or not self.retryable(status_code):
            return None
        delay: float = self.initial_delay * 2.0 ** max(attempts - 1, 0)
        if retry_after is not None and retry_after.strip().isdigit():
            delay = max(delay, float(retry_after.strip()))
        return min(delay, self.max_delay)


@dataclass(frozen=True)
class Delivery:
    """A delivered event.

    Attributes:
        event_id: the event's id (sent as ``X-WikiJS-Delivery``).
        status_code: the endpoint's 2xx answer.
        attempts: how many POSTs it took.
    """

    event_id: str
    status_code: int
    attempts: int


def safe_url(url: str) -> str:
    """``url`` without credentials, query or fragment, for messages and logs."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return f"{parts.scheme}://{host}{parts.path}"
