"""Signing and verifying deliveries, and the delivery retry policy. Pure."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from wikijs.errors import ValidationError
from wikijs.webhooks import (
    DeliveryPolicy,
    WebhookSignatureError,
    compute_signature,
    verify_signature,
)

SECRET = "webhook-secret"
BODY = b'{"type":"page.created"}'
NOW = 1_767_225_600


def test_the_signature_is_an_hmac_of_timestamp_dot_body() -> None:
    expected = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert compute_signature(SECRET, NOW, BODY) == f"sha256={expected}"
    assert compute_signature(SECRET.encode(), str(NOW), BODY) == f"sha256={expected}"


def verify(**overrides: object) -> int:
    options: dict[str, object] = {
        "signature": compute_signature(SECRET, NOW, BODY),
        "timestamp": str(NOW),
        "now": NOW + 10,
        "tolerance": 300,
    }
    options.update(overrides)
    body = options.pop("body", BODY)
    secret = options.pop("secret", SECRET)
    return verify_signature(secret, body, **options)  # type: ignore[arg-type]


def test_a_good_delivery_verifies() -> None:
    assert verify() == NOW


def reason(**overrides: object) -> str:
    with pytest.raises(WebhookSignatureError) as caught:
        verify(**overrides)
    return caught.value.reason


def test_a_tampered_body_is_refused() -> None:
    assert reason(body=BODY.replace(b"created", b"deleted")) == "mismatch"


def test_the_wrong_secret_is_refused() -> None:
    assert reason(secret="another-secret") == "mismatch"


def test_a_re_dated_delivery_is_refused() -> None:
    assert reason(timestamp=str(NOW + 5)) == "mismatch"


def test_stale_and_future_timestamps_are_refused() -> None:
    old = NOW - 301
    assert (
        reason(timestamp=str(old), signature=compute_signature(SECRET, old, BODY), now=NOW)
        == "stale"
    )
    future = NOW + 400
    assert (
        reason(timestamp=str(future), signature=compute_signature(SECRET, future, BODY), now=NOW)
        == "stale"
    )
    edge = NOW - 300
    assert (
        verify(timestamp=str(edge), signature=compute_signature(SECRET, edge, BODY), now=NOW)
        == edge
    )


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"signature": None}, "missing"),
        ({"timestamp": ""}, "missing"),
        ({"timestamp": "yesterday"}, "malformed"),
        ({"timestamp": "-5"}, "malformed"),
        ({"signature": "sha256=00"}, "mismatch"),
        ({"signature": "md5=abc"}, "mismatch"),
    ],
)
def test_missing_and_malformed_headers(overrides: dict[str, object], expected: str) -> None:
    assert reason(**overrides) == expected


def test_one_of_several_signatures_may_match() -> None:
    good = compute_signature(SECRET, NOW, BODY)
    assert verify(signature=f"sha256=deadbeef, {good}") == NOW


def test_an_empty_secret_is_refused() -> None:
    with pytest.raises(ValidationError, match="secret cannot be empty"):
        compute_signature("", NOW, BODY)


def test_the_policy_backs_off_exponentially_up_to_a_cap() -> None:
    policy = DeliveryPolicy(max_attempts=6, initial_delay=0.5, max_delay=3)
    assert [policy.next_delay(n, 503) for n in range(1, 7)] == [0.5, 1.0, 2.0, 3, 3, None]


def test_the_policy_retries_only_passing_failures() -> None:
    policy = DeliveryPolicy()
    assert policy.next_delay(1, None) == 0.5  # no answer at all
    for status in (500, 502, 503, 504, 408, 429):
        assert policy.next_delay(1, status) is not None
    for status in (400, 401, 403, 404, 410, 422):
        assert policy.next_delay(1, status) is None


def test_retry_after_is_honoured_up_to_the_cap() -> None:
    policy = DeliveryPolicy(max_delay=10)
    assert policy.next_delay(1, 429, "4") == 4
    assert policy.next_delay(1, 429, "120") == 10
    assert policy.next_delay(1, 503, "Wed, 21 Oct 2015 07:28:00 GMT") == 0.5


@pytest.mark.parametrize("options", [{"max_attempts": 0}, {"initial_delay": -1}, {"max_delay": -1}])
def test_bad_policies_are_refused(options: dict[str, float]) -> None:
    with pytest.raises(ValidationError):
        DeliveryPolicy(**options)  # type: ignore[arg-type]
