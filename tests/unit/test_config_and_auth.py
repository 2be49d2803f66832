"""Client configuration and credential objects."""

from __future__ import annotations

import base64

import httpx
import orjson
import pytest

from wikijs import APIKeyAuth, JWTAuth, WikiJSClient
from wikijs._http.config import Timeout, build_config, build_timeout, normalize_base_url
from wikijs.auth import build_auth
from wikijs.errors import ValidationError


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://wiki.example.com", "https://wiki.example.com"),
        ("https://wiki.example.com/", "https://wiki.example.com"),
        ("https://wiki.example.com/graphql", "https://wiki.example.com"),
        ("http://10.0.0.5:3000/wiki/", "http://10.0.0.5:3000/wiki"),
    ],
)
def test_base_url_normalisation(url: str, expected: str) -> None:
    assert normalize_base_url(url) == expected


@pytest.mark.parametrize(
    "url", ["", "wiki.example.com", "ftp://x", "https://user:pw@x.com", "https://x.com/?a=1", 5]
)
def test_bad_urls(url: object) -> None:
    with pytest.raises(ValidationError):
        normalize_base_url(url)


def test_credentials_in_the_url_are_not_echoed() -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_base_url("https://admin:hunter2@wiki.example.com")
    assert "hunter2" not in str(caught.value)


def test_timeouts() -> None:
    assert build_timeout(5).read == 5.0
    assert build_timeout(None).read is None
    # An httpx.Timeout is read by its four parts: the config holds no httpx type.
    assert build_timeout(httpx.Timeout(1.0, connect=2.0)) == Timeout(2.0, 1.0, 1.0, 1.0)
    assert build_timeout(Timeout(1.0, None, 3.0, 4.0)) == Timeout(1.0, None, 3.0, 4.0)
    for bad in (0, -1, True, "3"):
        with pytest.raises(ValidationError):
            build_timeout(bad)  # type: ignore[arg-type]


def test_credentials_cannot_hide_in_headers() -> None:
    with pytest.raises(ValidationError):
        build_config("https://x.com", headers={"Authorization": "Bearer abc"})
    config = build_config("https://x.com", headers={"X-Team": "docs"})
    assert config.request_headers()["Content-Type"] == "application/json"
    assert config.request_headers()["X-Team"] == "docs"


def test_config_is_frozen() -> None:
    config = build_config("https://x.com")
    with pytest.raises(AttributeError):
        config.base_url = "https://y.com"  # type: ignore[misc]


def test_api_key_never_shows() -> None:
    auth = APIKeyAuth("secret-key-value")
    assert "secret-key-value" not in repr(auth)
    assert "secret-key-value" not in auth.cache_identity()
    assert auth.authorization_header() == {"Authorization": "Bearer secret-key-value"}
    client = WikiJSClient("https://wiki.example.com", auth="secret-key-value")
    assert "secret-key-value" not in repr(client)
    assert "secret-key-value" not in repr(client.config)


@pytest.mark.parametrize("key", ["", "   ", "has space", 5])
def test_bad_api_keys(key: object) -> None:
    with pytest.raises(ValidationError):
        APIKeyAuth(key)  # type: ignore[arg-type]


def test_build_auth() -> None:
    assert build_auth(None).bearer_token() is None
    assert build_auth(None).cache_identity() == "guest"
    assert isinstance(build_auth("k"), APIKeyAuth)
    with pytest.raises(ValidationError):
        build_auth(42)  # type: ignore[arg-type]


def jwt(exp: float) -> str:
    payload = base64.urlsafe_b64encode(orjson.dumps({"id": 1, "exp": exp})).rstrip(b"=")
    return f"header.{payload.decode()}.signature"


def test_jwt_auth_hides_the_password_and_tracks_expiry() -> None:
    now = [1_000_000.0]
    auth = JWTAuth("me@example.com", "pa55word", clock=lambda: now[0])
    assert "pa55word" not in repr(auth)
    assert "me@example.com" in repr(auth)
    assert auth.bearer_token() is None
    token = jwt(now[0] + 1800)
    auth.set_token(token, from_login=True)
    assert auth.bearer_token() == token
    assert auth.login_count == 1
    # expired, but still renewable by the server for 14 days
    now[0] += 3 * 24 * 3600
    assert auth.bearer_token() == token
    # past renewal: a new login is needed
    now[0] += 12 * 24 * 3600
    assert auth.bearer_token() is None


def test_jwt_identity_is_stable_across_renewals() -> None:
    auth = JWTAuth("Me@Example.com", "pw")
    before = auth.cache_identity()
    auth.set_token(jwt(2e9))
    assert auth.cache_identity() == before
    assert JWTAuth("me@example.com", "other").cache_identity() == before


def test_unreadable_jwt_has_unknown_expiry() -> None:
    auth = JWTAuth("me", "pw")
    auth.set_token("not-a-jwt")
    assert auth.expires_at is None
    assert auth.bearer_token() == "not-a-jwt"
    auth.forget_token("other")
    assert auth.bearer_token() == "not-a-jwt"
    auth.forget_token()
    assert auth.bearer_token() is None


@pytest.mark.parametrize(("user", "password"), [("", "pw"), ("me", ""), (None, "pw")])
def test_bad_jwt_credentials(user: object, password: object) -> None:
    with pytest.raises(ValidationError):
        JWTAuth(user, password)  # type: ignore[arg-type]


def test_an_api_key_names_its_id_and_group() -> None:
    import base64
    import json

    from wikijs import APIKeyAuth

    claims = base64.urlsafe_b64encode(json.dumps({"api": 7, "grp": 3}).encode()).decode()
    key = APIKeyAuth(f"eyJhbGciOiJSUzI1NiJ9.{claims.rstrip('=')}.signature")
    assert (key.key_id, key.group_id) == (7, 3)
    assert (APIKeyAuth("not-a-jwt").key_id, APIKeyAuth("a.b.c").group_id) == (None, None)
