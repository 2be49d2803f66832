"""Precise transport edge cases, with httpx.MockTransport (both clients)."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from typing import Any

import httpx
import orjson
import pytest

from wikijs import (
    AuthenticationError,
    ConnectError,
    ConnectionLostError,
    JWTAuth,
    NotFoundError,
    PasswordChangeRequiredError,
    RateLimitedError,
    RequestTimeoutError,
    ResponseError,
    ValidationError,
    WikiJSClient,
)
from wikijs.aio import AsyncWikiJSClient

PROFILE = {
    "id": 1,
    "name": "Administrator",
    "email": "admin@example.com",
    "providerKey": "local",
    "providerName": "Local",
    "isSystem": False,
    "isVerified": True,
    "location": "",
    "jobTitle": "",
    "timezone": "UTC",
    "dateFormat": "",
    "appearance": "",
    "createdAt": "2026-11-26T04:18:54.634Z",
    "updatedAt": "2026-11-26T04:18:54.634Z",
    "lastLoginAt": None,
    "groups": ["Administrators"],
    "pagesTotal": 2,
}
TAG = {
    "id": 1,
    "tag": "sdk",
    "title": "sdk",
    "createdAt": "2026-11-26T04:20:36.588Z",
    "updatedAt": "2026-11-26T04:20:36.588Z",
}
PAGE = {
    "id": 2,
    "path": "sdk-test/hello",
    "locale": "en",
    "hash": "h",
    "title": "Hello",
    "description": "d",
    "isPrivate": False,
    "isPublished": True,
    "privateNS": None,
    "publishStartDate": "",
    "publishEndDate": "",
    "tags": [TAG],
    "content": "# Hello",
    "render": "<h1>Hello</h1>",
    "contentType": "markdown",
    "editor": "markdown",
    "scriptCss": "",
    "scriptJs": "",
    "createdAt": "2026-11-26T04:20:51.445Z",
    "updatedAt": "2026-11-26T04:20:52.823Z",
    "authorId": 1,
    "authorName": "Administrator",
    "authorEmail": "admin@example.com",
    "creatorId": 1,
    "creatorName": "Administrator",
    "creatorEmail": "admin@example.com",
}


def jwt(exp: float, n: int = 0) -> str:
    payload = base64.urlsafe_b64encode(orjson.dumps({"id": 1, "exp": exp, "n": n})).rstrip(b"=")
    return f"h.{payload.decode()}.s"


Handler = Callable[[httpx.Request, dict[str, Any]], httpx.Response]


class Recorder:
    """A scripted server: routes by operation name, records every request."""

    def __init__(self, routes: dict[str, Handler]) -> None:
        self.routes = routes
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        body = orjson.loads(request.content)
        return self.routes[body.get("operationName") or "*"](request, body)

    def names(self) -> list[str]:
        return [orjson.loads(r.content).get("operationName") for r in self.requests]


def ok(data: dict[str, Any], headers: dict[str, str] | None = None) -> Handler:
    return lambda request, body: httpx.Response(200, json={"data": data}, headers=headers)


def profile_ok() -> Handler:
    return ok({"users": {"profile": PROFILE}})


def page_ok(headers: dict[str, str] | None = None) -> Handler:
    return ok({"pages": {"single": PAGE}}, headers)


# Single attempts: these tests pin what one exchange does (retries are
# tested in tests/resilience).
def make_sync(recorder: Recorder, auth: Any = "KEY") -> WikiJSClient:
    return WikiJSClient(
        "http://wiki.test", auth=auth, transport=httpx.MockTransport(recorder), retry_strategy=None
    )


def make_async(recorder: Recorder, auth: Any = "KEY") -> AsyncWikiJSClient:
    async def handler(request: httpx.Request) -> httpx.Response:
        await request.aread()
        return recorder(request)

    return AsyncWikiJSClient(
        "http://wiki.test", auth=auth, transport=httpx.MockTransport(handler), retry_strategy=None
    )


def test_content_type_is_exactly_application_json_and_values_are_variables() -> None:
    recorder = Recorder({"GetProfile": profile_ok(), "GetPage": page_ok()})
    with make_sync(recorder) as client:
        client.pages.get(2)
    request = recorder.requests[-1]
    assert request.headers["content-type"] == "application/json"
    assert request.headers["authorization"] == "Bearer KEY"
    body = orjson.loads(request.content)
    assert body["variables"] == {"id": 2}
    assert "2" not in body["query"].split("(")[0]


def test_api_key_identity_is_checked_once_before_the_first_request() -> None:
    recorder = Recorder({"GetProfile": profile_ok(), "GetPage": page_ok()})
    with make_sync(recorder) as client:
        client.pages.get(2)
        client.pages.get(2)
    assert recorder.names() == ["GetProfile", "GetPage", "GetPage"]


def test_api_key_the_server_treats_as_guest_is_an_authentication_error() -> None:
    guest = {
        "errors": [
            {
                "message": "You must be authenticated to access this resource.",
                "path": ["users", "profile"],
                "extensions": {"code": "INTERNAL_SERVER_ERROR", "exception": {"code": 1019}},
            }
        ],
        "data": {"users": {"profile": None}},
    }
    recorder = Recorder({"GetProfile": lambda r, b: httpx.Response(200, json=guest)})
    with (
        make_sync(recorder, auth="garbage") as client,
        pytest.raises(AuthenticationError) as caught,
    ):
        client.pages.list()
    assert "Guest" in str(caught.value)
    assert recorder.names() == ["GetProfile"]


def test_revoked_key_500_is_read_from_the_body() -> None:
    revoked = {
        "data": {},
        "errors": [{"message": "API Key is invalid or was revoked.", "path": []}],
    }
    recorder = Recorder({"GetProfile": lambda r, b: httpx.Response(500, json=revoked)})
    with make_sync(recorder) as client, pytest.raises(AuthenticationError):
        client.pages.get(1)


def login_route(tokens: list[str], calls: list[dict[str, Any]]) -> Handler:
    def handler(request: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        calls.append(body["variables"])
        token = tokens.pop(0)
        result = {"succeeded": True, "errorCode": 0, "slug": "ok", "message": "Login success"}
        return httpx.Response(
            200,
            json={
                "data": {
                    "authentication": {
                        "login": {
                            "responseResult": result,
                            "jwt": token,
                            "mustChangePwd": False,
                            "mustProvideTFA": False,
                            "mustSetupTFA": False,
                            "continuationToken": None,
                            "redirect": "/",
                        }
                    }
                }
            },
        )

    return handler


def test_jwt_logs_in_lazily_and_follows_renewed_tokens() -> None:
    first, renewed = jwt(time.time() + 1800, 1), jwt(time.time() + 1800, 2)
    calls: list[dict[str, Any]] = []
    recorder = Recorder(
        {
            "Login": login_route([first], calls),
            "GetPage": page_ok({"new-jwt": renewed}),
        }
    )
    auth = JWTAuth("admin@example.com", "pw")
    with make_sync(recorder, auth) as client:
        assert recorder.requests == []
        client.pages.get(2)
        client.pages.get(2)
    assert recorder.names() == ["Login", "GetPage", "GetPage"]
    assert "authorization" not in recorder.requests[0].headers
    assert recorder.requests[1].headers["authorization"] == f"Bearer {first}"
    assert recorder.requests[2].headers["authorization"] == f"Bearer {renewed}"
    assert calls == [{"username": "admin@example.com", "password": "pw", "strategy": "local"}]
    assert auth.login_count == 1


def test_jwt_past_renewal_logs_in_again() -> None:
    now = [time.time()]
    tokens = [jwt(now[0] + 1800, 1), jwt(now[0] + 20 * 86400, 2)]
    calls: list[dict[str, Any]] = []
    recorder = Recorder({"Login": login_route(tokens, calls), "GetPage": page_ok()})
    auth = JWTAuth("admin@example.com", "pw", clock=lambda: now[0])
    with make_sync(recorder, auth) as client:
        client.pages.get(2)
        now[0] += 15 * 86400
        client.pages.get(2)
    assert recorder.names() == ["Login", "GetPage", "Login", "GetPage"]
    assert auth.login_count == 2


def test_jwt_token_silently_guest_is_replaced_by_a_new_login() -> None:
    now = time.time()
    tokens = [jwt(now + 1800, 1), jwt(now + 1800, 2)]
    calls: list[dict[str, Any]] = []
    forbidden = {
        "errors": [{"message": "Forbidden", "path": ["pages", "single"]}],
        "data": {"pages": {"single": None}},
    }
    guest_profile = {
        "errors": [
            {
                "message": "You must be authenticated to access this resource.",
                "path": ["users", "profile"],
                "extensions": {"exception": {"code": 1019}},
            }
        ],
        "data": {"users": {"profile": None}},
    }

    def page(request: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        if request.headers["authorization"].endswith(tokens_seen[0]):
            return httpx.Response(200, json=forbidden)
        return httpx.Response(200, json={"data": {"pages": {"single": PAGE}}})

    tokens_seen = [tokens[0]]
    recorder = Recorder(
        {
            "Login": login_route(tokens, calls),
            "GetPage": page,
            "GetProfile": lambda r, b: httpx.Response(200, json=guest_profile),
        }
    )
    with make_sync(recorder, JWTAuth("a@b.co", "pw")) as client:
        assert client.pages.get(2).title == "Hello"
    assert recorder.names() == ["Login", "GetPage", "GetProfile", "Login", "GetPage"]


def test_genuine_permission_errors_are_not_retried_forever() -> None:
    forbidden = {
        "errors": [{"message": "Forbidden", "path": ["pages", "single"]}],
        "data": {"pages": {"single": None}},
    }
    calls: list[dict[str, Any]] = []
    recorder = Recorder(
        {
            "Login": login_route([jwt(time.time() + 1800)], calls),
            "GetPage": lambda r, b: httpx.Response(200, json=forbidden),
            "GetProfile": profile_ok(),
        }
    )
    with make_sync(recorder, JWTAuth("a@b.co", "pw")) as client:
        for _ in range(2):
            with pytest.raises(Exception) as caught:
                client.pages.get(2)
            assert type(caught.value).__name__ == "PermissionDeniedError"
    assert recorder.names() == ["Login", "GetPage", "GetProfile", "GetPage"]


def test_wrong_password_is_an_authentication_error() -> None:
    failed = {
        "data": {
            "authentication": {
                "login": {
                    "responseResult": {
                        "succeeded": False,
                        "errorCode": 1002,
                        "slug": "AuthLoginFailed",
                        "message": "Invalid email / username or password.",
                    },
                    "jwt": None,
                    "mustChangePwd": None,
                    "mustProvideTFA": None,
                    "mustSetupTFA": None,
                    "continuationToken": None,
                    "redirect": None,
                }
            }
        }
    }
    recorder = Recorder({"Login": lambda r, b: httpx.Response(200, json=failed)})
    with (
        make_sync(recorder, JWTAuth("a@b.co", "wrong")) as client,
        pytest.raises(AuthenticationError) as caught,
    ):
        client.pages.get(1)
    assert caught.value.code == 1002
    assert "wrong" not in str(caught.value)


def test_login_rate_limit_reports_the_wait() -> None:
    limited = {
        "errors": [
            {
                "message": "Too many requests, please try again in 37 seconds.",
                "path": ["authentication", "login"],
            }
        ],
        "data": {"authentication": {"login": None}},
    }
    recorder = Recorder({"Login": lambda r, b: httpx.Response(200, json=limited)})
    with (
        make_sync(recorder, JWTAuth("a@b.co", "pw")) as client,
        pytest.raises(RateLimitedError) as caught,
    ):
        client.pages.get(1)
    assert caught.value.retry_after == 37


def test_must_change_password_is_explained() -> None:
    result = {
        "data": {
            "authentication": {
                "login": {
                    "responseResult": {
                        "succeeded": True,
                        "errorCode": 0,
                        "slug": "ok",
                        "message": None,
                    },
                    "jwt": None,
                    "mustChangePwd": True,
                    "mustProvideTFA": False,
                    "mustSetupTFA": False,
                    "continuationToken": "one-time-ct",
                    "redirect": None,
                }
            }
        }
    }
    recorder = Recorder({"Login": lambda r, b: httpx.Response(200, json=result)})
    with (
        make_sync(recorder, JWTAuth("a@b.co", "pw")) as client,
        pytest.raises(PasswordChangeRequiredError, match="choose a new password") as raised,
    ):
        client.pages.get(1)
    assert raised.value.continuation.step == "change_password"
    assert "one-time-ct" not in repr(raised.value.continuation)


@pytest.mark.parametrize(
    ("exception", "error_type", "sent"),
    [
        (httpx.ConnectError("refused"), ConnectError, False),
        (httpx.ConnectTimeout("slow"), RequestTimeoutError, False),
        (httpx.PoolTimeout("pool"), RequestTimeoutError, False),
        (httpx.ReadTimeout("slow"), RequestTimeoutError, True),
        (httpx.RemoteProtocolError("cut"), ConnectionLostError, True),
        (httpx.ReadError("reset"), ConnectionLostError, True),
    ],
)
def test_transport_failures_say_whether_the_request_was_sent(
    exception: Exception, error_type: type[Exception], sent: bool
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exception

    transport = httpx.MockTransport(handler)
    with (
        WikiJSClient("http://wiki.test", transport=transport, retry_strategy=None) as client,
        pytest.raises(error_type) as caught,
    ):
        client.pages.get(1)
    assert caught.value.request_sent is sent  # type: ignore[attr-defined]
    assert caught.value.operation == "GetPage"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, content=b"<html>captive portal</html>"),
        httpx.Response(200, json={"data": {"pages": {"single": {"id": "not-an-int"}}}}),
        httpx.Response(200, json=[1, 2, 3]),
        httpx.Response(200, json={"data": None}),
        httpx.Response(200, content=b'{"data": {"pages": '),
    ],
)
def test_garbage_answers_are_response_errors(answer: httpx.Response) -> None:
    transport = httpx.MockTransport(lambda r: answer)
    with (
        WikiJSClient("http://wiki.test", transport=transport, retry_strategy=None) as client,
        pytest.raises(ResponseError),
    ):
        client.pages.get(1)


def test_unencodable_values_fail_before_sending() -> None:
    recorder = Recorder({})
    with WikiJSClient("http://wiki.test", transport=httpx.MockTransport(recorder)) as client:
        with pytest.raises(ValidationError):
            client.execute("query ($x: String) { pages { searchTags(query: $x) } }", {"x": {1, 2}})
        with pytest.raises(ValidationError):
            client.pages.create(title="T", path="page", content="bad \udc00 surrogate")
    assert recorder.requests == []


def test_execute_runs_any_document_with_variables() -> None:
    recorder = Recorder({"*": ok({"pages": {"searchTags": ["a"]}})})
    with WikiJSClient("http://wiki.test", transport=httpx.MockTransport(recorder)) as client:
        data = client.execute("query ($q: String!) { pages { searchTags(query: $q) } }", {"q": "a"})
    assert data == {"pages": {"searchTags": ["a"]}}
    assert orjson.loads(recorder.requests[0].content)["variables"] == {"q": "a"}


async def test_async_client_shares_the_behaviour() -> None:
    recorder = Recorder({"GetProfile": profile_ok(), "GetPage": page_ok()})
    async with make_async(recorder) as client:
        page = await client.pages.get(2)
        assert page.publish_start_date is None
        assert page.created_at.year == 2026
    assert recorder.names() == ["GetProfile", "GetPage"]


async def test_async_not_found() -> None:
    missing = {
        "errors": [
            {
                "message": "This page does not exist.",
                "path": ["pages", "single"],
                "extensions": {"exception": {"code": 6003}},
            }
        ],
        "data": {"pages": {"single": None}},
    }
    recorder = Recorder(
        {"GetProfile": profile_ok(), "GetPage": lambda r, b: httpx.Response(200, json=missing)}
    )
    async with make_async(recorder) as client:
        with pytest.raises(NotFoundError):
            await client.pages.get(99)


def test_user_supplied_http_client_is_not_closed() -> None:
    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200)))
    with WikiJSClient("http://wiki.test", http_client=http):
        pass
    assert not http.is_closed
    http.close()
    with pytest.raises(ValidationError):
        WikiJSClient("http://wiki.test", http_client=httpx.AsyncClient())  # type: ignore[arg-type]
