"""Every malformed input at the public surface is a ValidationError raised before
anything is sent: an InvalidArgumentError (a ValueError) for a bad value, an
ArgumentTypeError (a TypeError) for a wrong type. Never a raw ValueError,
UnicodeError, OverflowError, RecursionError or an HTTP library's exception.
Wiki.js's own refusals stay ValidationErrors that are not ValueErrors."""

from __future__ import annotations

import math
from typing import Any

import pytest

from wikijs import (
    ArgumentTypeError,
    InvalidArgumentError,
    ResponseLimits,
    ValidationError,
    WikiJSClient,
)
from wikijs.aio import AsyncWikiJSClient
from wikijs.testing import FakeWikiJS

BASE = "https://wiki.example.com"


def refused(build: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        build()
    return caught.value


URLS = [
    "",
    "   ",
    "ftp://wiki.example.com",
    "http://",
    "http://exa mple.com",
    "http://wiki.example.com:99999",
    "http://wiki.example.com:port",
    "http://wiki.example.com:0",
    "http://[::1",
    "http://" + "a" * 64 + ".example.com",
    "http://\udcff.example.com",
    "http://bad\x00host",
    "http://user:pw@wiki.example.com",
    "http://wiki.example.com/?q=1",
    "http://wiki.example.com/#top",
]


@pytest.mark.parametrize("client", [WikiJSClient, AsyncWikiJSClient])
@pytest.mark.parametrize("url", URLS)
def test_a_malformed_url_is_an_invalid_argument(client: type, url: str) -> None:
    error = refused(lambda: client(url, auth="KEY"))
    assert isinstance(error, InvalidArgumentError)
    assert isinstance(error, ValueError)
    assert error.field == "url"


@pytest.mark.parametrize("client", [WikiJSClient, AsyncWikiJSClient])
@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"headers": {"Bad Name": "v"}}, "headers"),
        ({"headers": {"X-Split": "a\r\nInjected: b"}}, "headers"),
        ({"headers": {"X-Accent": "café"}}, "headers"),
        ({"headers": {"Authorization": "Bearer x"}}, "headers"),
        ({"user_agent": "agent\nX-Evil: 1"}, "user_agent"),
        ({"timeout": math.nan}, "timeout"),
        ({"timeout": math.inf}, "timeout"),
        ({"timeout": -1}, "timeout"),
        ({"deadline": 0}, "deadline"),
        ({"deadline": math.nan}, "deadline"),
        ({"max_connections": 0}, "max_connections"),
        ({"verify": "/nonexistent/ca.pem"}, "verify"),
        ({"auth": "key with space"}, "auth"),
        ({"auth": "clé"}, "auth"),
        ({"auth": ""}, "auth"),
    ],
)
def test_a_bad_value_is_an_invalid_argument(
    client: type, options: dict[str, Any], field: str
) -> None:
    options = {"auth": "KEY", **options}
    error = refused(lambda: client(BASE, **options))
    assert isinstance(error, InvalidArgumentError)
    assert not isinstance(error, ArgumentTypeError)
    assert error.field == field


@pytest.mark.parametrize("client", [WikiJSClient, AsyncWikiJSClient])
@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"url": 12}, "url"),
        ({"headers": {1: "v"}}, "headers"),
        ({"headers": {"X": 1}}, "headers"),
        ({"headers": "X-Header: v"}, "headers"),
        ({"timeout": "5"}, "timeout"),
        ({"deadline": "soon"}, "deadline"),
        ({"max_connections": "10"}, "max_connections"),
        ({"verify": 1}, "verify"),
        ({"auth": 12345}, "auth"),
        ({"response_limits": {"max_body_size": 10}}, "response_limits"),
        ({"cache": "memory"}, "cache"),
        ({"plugins": "LoggingPlugin"}, "plugins"),
    ],
)
def test_a_wrong_type_is_an_argument_type_error(
    client: type, options: dict[str, Any], field: str
) -> None:
    options = {"auth": "KEY", **options}
    url = options.pop("url", BASE)
    error = refused(lambda: client(url, **options))
    assert isinstance(error, ArgumentTypeError)
    assert isinstance(error, TypeError)
    assert error.field == field


@pytest.mark.parametrize(
    "url", ["http://exa mple.com/hook", "http://hooks.example.com:99999/", "ftp://x/", 42]
)
def test_a_webhook_sender_refuses_a_malformed_url(url: Any) -> None:
    from wikijs.webhooks import WebhookSender

    error = refused(lambda: WebhookSender(url, secret="s3cret"))
    assert isinstance(error, InvalidArgumentError)
    assert error.field == "url"


def test_limits_are_checked_when_made() -> None:
    for bad in (0, -1, True, 1.5):
        error = refused(lambda bad=bad: ResponseLimits(max_body_size=bad))
        assert isinstance(error, InvalidArgumentError)


def test_bad_calls_are_caught_before_sending(wiki: Any, fake: FakeWikiJS) -> None:
    fake.reset_log()
    nested: Any = []
    for _ in range(100_000):
        nested = [nested]
    cases = [
        lambda: wiki.pages.get("1"),
        lambda: wiki.pages.get(True),
        lambda: wiki.pages.get(2**40),
        lambda: wiki.pages.get_by_path("a\x00b"),
        lambda: wiki.pages.get_by_path("\udcffpage"),
        lambda: wiki.execute(12),
        lambda: wiki.execute("{ pages { list { id } } }", [1, 2]),
        lambda: wiki.execute("{ pages { list { id } } }", {"x": object()}),
        lambda: wiki.execute("{ pages { list { id } } }", {"x": nested}),
        lambda: wiki.execute("{ pages { list { id } } }", {"x": 10**30}),
        lambda: wiki.execute("{ pages { list { id } } }", operation_name=5),
    ]
    for case in cases:
        error = refused(case)
        assert isinstance(error, InvalidArgumentError), error
    assert [r for r in fake.requests if r.operation_names != ("GetProfile",)] == []


def test_a_refusal_by_wikijs_is_an_api_error_and_not_a_value_error(wiki: Any) -> None:
    error = refused(
        lambda: wiki.execute(
            'mutation { pages { create(content: "", description: "", editor: "markdown", '
            'isPublished: true, isPrivate: false, locale: "en", path: "docs/empty", tags: [], '
            'title: "t") { responseResult { succeeded errorCode slug message } } } }'
        )
    )
    assert error.code == 6004
    assert not isinstance(error, (InvalidArgumentError, ValueError))


def test_a_document_nested_beyond_recursion_is_described_not_raised() -> None:
    from wikijs._protocol.operation import describe

    deep = "{" * 50_000 + "}" * 50_000
    facts = describe(deep, "")
    assert not facts.parsed
    assert facts.kind == "mutation"
