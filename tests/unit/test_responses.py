"""Reading Wiki.js answers into data or typed errors (pure)."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from wikijs._protocol.responses import (
    find_failed_result,
    interpret,
    parse_retry_after,
    read_response,
)
from wikijs.errors import (
    APIError,
    AuthenticationError,
    ConflictError,
    GraphQLError,
    HTTPStatusError,
    NotFoundError,
    PermissionDeniedError,
    QueryError,
    RateLimitedError,
    ResponseError,
    ValidationError,
    WikiJSError,
)

TRANSCRIPTS = json.loads(
    (Path(__file__).parent.parent / "data" / "transcripts-2.5.314.json").read_text()
)


def transcript(title: str) -> tuple[int, bytes]:
    for item in TRANSCRIPTS:
        if item["title"] == title:
            body = item["response"]["body"]
            raw = body.encode() if isinstance(body, str) else orjson.dumps(body)
            return item["response"]["status"], raw
    raise KeyError(title)


@pytest.mark.parametrize(
    ("title", "error_type", "code"),
    [
        ("pages.create duplicate path", ConflictError, 6002),
        ("pages.create illegal path", ValidationError, 6005),
        ("pages.create empty content", ValidationError, 6004),
        ("pages.single non-existent id", NotFoundError, 6003),
        ("pages.history non-existent id", NotFoundError, None),
        ("pages.update non-existent id", NotFoundError, 1),
        ("pages.delete non-existent id", NotFoundError, 6003),
        ("pages.update (partial: only description)", ValidationError, 6004),
        ("users.create duplicate email", ConflictError, 1004),
        ("users.create invalid (short pwd)", ValidationError, 1012),
        ("users.single non-existent", NotFoundError, None),
        ("groups.assignUser again (duplicate)", ConflictError, None),
        ("groups.assignUser guest (id 2)", ValidationError, None),
        ("assets.deleteAsset non-existent", NotFoundError, 2004),
        ("no token (guest) users.list", PermissionDeniedError, None),
        ("no token (guest) pages.single", PermissionDeniedError, 6013),
        ("invalid GraphQL: syntax error", QueryError, None),
        ("invalid GraphQL: unknown field", QueryError, None),
        ("invalid GraphQL: missing required arg", QueryError, None),
        ("invalid GraphQL: wrong variable type", QueryError, None),
        ("invalid: empty query", QueryError, None),
        ("invalid: mutation via wrong operation type", QueryError, None),
        ("revoked API key used", AuthenticationError, None),
        ("pages.create requesting page.locale/editor (server bug probe)", GraphQLError, None),
    ],
)
def test_recorded_failures_become_typed_errors(
    title: str, error_type: type[WikiJSError], code: int | None
) -> None:
    status, body = transcript(title)
    with pytest.raises(error_type) as caught:
        read_response("Op", status, body)
    assert caught.value.operation == "Op"
    if code is not None:
        assert isinstance(caught.value, APIError)
        assert caught.value.code == code


@pytest.mark.parametrize(
    "title",
    ["pages.single", "pages.list", "users.list", "groups.create", "aliased multi-field query"],
)
def test_successes_return_data(title: str) -> None:
    status, body = transcript(title)
    if title == "pages.single" or title == "aliased multi-field query":
        # these recordings carry an error next to the data (toc, missing alias)
        with pytest.raises(WikiJSError):
            read_response("Op", status, body)
        return
    data = read_response("Op", status, body)
    assert isinstance(data, dict)
    assert data


def test_body_not_json_is_a_response_error_with_excerpt() -> None:
    with pytest.raises(ResponseError) as caught:
        read_response("GetPage", 200, b"<html>proxy login</html>")
    assert "proxy login" in caught.value.body_excerpt
    assert caught.value.status_code == 200


def test_bad_gateway_html_is_an_http_status_error() -> None:
    with pytest.raises(HTTPStatusError) as caught:
        read_response("GetPage", 502, b"<html>Bad Gateway</html>", "7")
    assert caught.value.status_code == 502
    assert caught.value.retry_after == 7.0


def test_429_is_rate_limited_with_retry_after() -> None:
    with pytest.raises(RateLimitedError) as caught:
        read_response("GetPage", 429, b"Too Many Requests", "3")
    assert caught.value.retry_after == 3.0


def test_login_rate_limit_message_carries_the_wait_time() -> None:
    body = orjson.dumps(
        {
            "errors": [{"message": "Too many requests, please try again in 42 seconds."}],
            "data": {"authentication": {"login": None}},
        }
    )
    with pytest.raises(RateLimitedError) as caught:
        read_response("Login", 200, body)
    assert caught.value.retry_after == 42.0


def test_unsafe_page_rule_regex_is_a_validation_error() -> None:
    body = orjson.dumps(
        {
            "errors": [
                {
                    "message": "Some Page Rules contains unsafe or exponential time regex.",
                    "path": ["groups", "update"],
                }
            ],
            "data": {"groups": {"update": None}},
        }
    )
    with pytest.raises(ValidationError):
        read_response("UpdateGroup", 200, body)


def test_api_disabled_is_an_authentication_error() -> None:
    body = orjson.dumps(
        {
            "data": {},
            "errors": [{"message": "API is disabled. You must enable it first.", "path": []}],
        }
    )
    with pytest.raises(AuthenticationError):
        read_response("GetPage", 500, body)


def test_json_array_where_object_expected() -> None:
    with pytest.raises(ResponseError):
        read_response("GetPage", 200, b"[1, 2]")


def test_null_namespace_without_errors_is_a_response_error() -> None:
    with pytest.raises(ResponseError):
        read_response("GetPage", 200, b'{"data": {"pages": null}}')


def test_all_errors_are_kept_with_paths() -> None:
    body = orjson.dumps(
        {
            "errors": [
                {"message": "first", "path": ["a", "single"]},
                {"message": "second", "path": ["b", 0]},
            ],
            "data": None,
        }
    )
    with pytest.raises(GraphQLError) as caught:
        read_response("Batch", 200, body)
    assert [e.path for e in caught.value.errors] == [("a", "single"), ("b", 0)]
    assert "and 1 more error" in str(caught.value)


def test_error_slug_comes_from_the_code() -> None:
    status, body = transcript("pages.single non-existent id")
    outcome = interpret("GetPage", status, orjson.loads(body))
    assert isinstance(outcome, NotFoundError)
    assert outcome.slug == "PageNotFound"


def test_failed_result_search_stops_at_depth() -> None:
    deep = {"a": {"b": {"c": {"responseResult": {"succeeded": False}}}}}
    assert find_failed_result(deep) is None
    shallow = {"pages": {"create": {"responseResult": {"succeeded": False, "errorCode": 6002}}}}
    assert find_failed_result(shallow) == {"succeeded": False, "errorCode": 6002}


@pytest.mark.parametrize(
    ("header", "expected"),
    [(None, None), ("", None), ("5", 5.0), ("-3", 0.0), ("soon", None)],
)
def test_retry_after_values(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header) == expected


def test_retry_after_http_date_in_the_past_is_zero() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_errors_never_show_credentials() -> None:
    # messages are built from the server's answer and the operation name only
    status, body = transcript("revoked API key used")
    with pytest.raises(AuthenticationError) as caught:
        read_response("ListPages", status, body)
    assert "Bearer" not in str(caught.value)
    assert "Bearer" not in repr(caught.value)


def test_request_sent_says_whether_the_server_may_have_seen_the_request() -> None:
    from wikijs._protocol.responses import error_from_response_result, status_error
    from wikijs.errors import CircuitOpenError, ConnectError, ValidationError

    refused = error_from_response_result(
        "CreatePage", {"succeeded": False, "errorCode": 6002, "slug": "x", "message": "taken"}
    )
    assert refused.request_sent is True
    assert status_error("GetPage", 502, b"bad gateway").request_sent is True
    assert ValidationError("title must not be blank", field="title").request_sent is False
    assert CircuitOpenError("open", retry_after=1.0).request_sent is False
    assert ConnectError("refused").request_sent is False
