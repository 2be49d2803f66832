"""Authentication: API keys, user JWTs, renewal, guests and the login rate limit."""

# GraphQL documents read best on one line.
# ruff: noqa: E501

from __future__ import annotations

import secrets

import httpx
import pytest

from wikijs.testing import FakeClock, FakeWikiJS

from .conftest import Caller

LOGIN = """mutation ($u: String!, $p: String!) { authentication {
  login(username: $u, password: $p, strategy: "local") {
    jwt redirect mustChangePwd responseResult { succeeded errorCode slug message } } } }"""
PROFILE = "{ users { profile { id name email } } }"


def login(gql: Caller, password: str) -> dict:
    return gql(LOGIN, {"u": gql.fake.admin_email, "p": password}, token="")


def test_login_returns_a_jwt_that_acts_as_the_user(fake: FakeWikiJS, gql: Caller) -> None:
    result = login(gql, fake.admin_password)["data"]["authentication"]["login"]
    assert result["responseResult"]["succeeded"] is True
    assert result["redirect"] == "/"
    profile = gql(PROFILE, token=result["jwt"])
    assert profile["data"]["users"]["profile"]["email"] == fake.admin_email


def test_wrong_password_is_a_1002_result_not_an_error(fake: FakeWikiJS, gql: Caller) -> None:
    result = login(gql, "nope")["data"]["authentication"]["login"]
    assert result["jwt"] is None
    assert result["responseResult"] == {
        "succeeded": False,
        "errorCode": 1002,
        "slug": "AuthLoginFailed",
        "message": "Invalid email / username or password.",
    }


def test_sixth_login_in_a_minute_is_rate_limited(
    fake: FakeWikiJS, gql: Caller, clock: FakeClock
) -> None:
    for _ in range(5):
        assert login(gql, fake.admin_password)["data"]["authentication"]["login"]["jwt"]
    response = gql.post(LOGIN, {"u": fake.admin_email, "p": fake.admin_password}, token="")
    assert response.status_code == 200
    body = response.json()
    assert body["data"]["authentication"]["login"] is None
    assert body["errors"][0]["message"] == "Too many requests, please try again in 60 seconds."
    clock.advance(61)
    assert login(gql, fake.admin_password)["data"]["authentication"]["login"]["jwt"]


@pytest.mark.fake_only(
    "needs requests from two client addresses (and spends the shared login budget)"
)
def test_rate_limit_is_per_client(fake: FakeWikiJS) -> None:
    other = httpx.Client(base_url=fake.url, transport=fake.sync_transport(client="10.0.0.9"))
    mine = Caller(fake, None)
    for _ in range(6):
        mine(LOGIN, {"u": fake.admin_email, "p": "x"})
    body = other.post(
        "/graphql", json={"query": LOGIN, "variables": {"u": fake.admin_email, "p": "x"}}
    ).json()
    assert "errors" not in body


def test_garbage_token_is_silently_the_guest(guest: Caller) -> None:
    body = guest("{ users { list { id } } pages { list { id } } }", token="garbage.token.here")
    assert body["errors"][0]["message"] == "Forbidden"
    assert body["data"]["users"] == {"list": None}
    assert isinstance(body["data"]["pages"]["list"], list)  # Guests may list pages


def test_guest_profile_requires_authentication(guest: Caller) -> None:
    body = guest(PROFILE)
    error = body["errors"][0]
    assert error["message"] == "You must be authenticated to access this resource."
    assert error["extensions"]["exception"]["code"] == 1019


def test_revoked_key_is_http_500(fake: FakeWikiJS, gql: Caller) -> None:
    key = fake.create_api_key("temp", group_id=2)
    assert gql.post("{ pages { list { id } } }", token=key).status_code == 200
    key_id = max(fake.core.state.api_keys)
    gql(
        "mutation ($id: Int!) { authentication { revokeApiKey(id: $id) { responseResult { succeeded } } } }",
        {"id": key_id},
    )
    response = gql.post("{ pages { list { id } } }", token=key)
    assert response.status_code == 500
    assert response.json() == {
        "data": {},
        "errors": [{"message": "API Key is invalid or was revoked.", "path": []}],
    }


def test_disabled_api_refuses_keys_but_not_users(fake: FakeWikiJS, gql: Caller) -> None:
    jwt = fake.user_token(1)
    gql(
        "mutation { authentication { setApiState(enabled: false) { responseResult { message } } } }"
    )
    response = gql.post("{ pages { list { id } } }")
    assert response.status_code == 500
    assert response.json()["errors"][0]["message"].startswith("API is disabled.")
    state = gql("{ authentication { apiState } }", token=jwt)
    assert state["data"]["authentication"]["apiState"] is False


def test_limited_key_uses_its_group_permissions(fake: FakeWikiJS, gql: Caller) -> None:
    key = fake.create_api_key("guests", group_id=2)
    body = gql("{ users { list { id } } }", token=key)
    assert body["errors"][0]["message"] == "Forbidden"


def test_expired_jwt_within_14_days_is_renewed_in_header(
    fake: FakeWikiJS, gql: Caller, clock: FakeClock
) -> None:
    jwt = fake.user_token(1)
    clock.advance(2 * 86400)
    response = gql.http.post(
        "/graphql",
        content=b'{"query": "{ users { profile { id } } }"}',
        headers={"Authorization": f"Bearer {jwt}", "Content-Type": "application/json"},
    )
    assert response.json()["data"]["users"]["profile"]["id"] == 1
    renewed = response.headers["new-jwt"]
    assert renewed != jwt
    again = gql.post(PROFILE, token=renewed)
    assert "new-jwt" not in again.headers


def test_renewal_with_charset_sets_a_cookie_instead(
    fake: FakeWikiJS, gql: Caller, clock: FakeClock
) -> None:
    jwt = fake.user_token(1)
    clock.advance(3600)
    response = gql.http.post(
        "/graphql",
        content=b'{"query": "{ users { profile { id } } }"}',
        headers={
            "Authorization": f"Bearer {jwt}",
            "Content-Type": "application/json; charset=utf-8",
        },
    )
    assert "new-jwt" not in response.headers
    assert response.headers["set-cookie"].startswith("jwt=")


def test_jwt_expired_over_14_days_is_the_guest(
    fake: FakeWikiJS, gql: Caller, clock: FakeClock
) -> None:
    jwt = fake.user_token(1)
    clock.advance(15 * 86400)
    response = gql.post(PROFILE, token=jwt)
    assert response.status_code == 200
    assert "new-jwt" not in response.headers
    assert response.json()["errors"][0]["extensions"]["exception"]["code"] == 1019


def test_restart_renews_tokens_issued_before_it(fake: FakeWikiJS, gql: Caller) -> None:
    jwt = fake.user_token(1)
    assert "new-jwt" not in gql.post(PROFILE, token=jwt).headers
    fake.restart()
    renewed = gql.post(PROFILE, token=jwt).headers["new-jwt"]
    assert "new-jwt" not in gql.post(PROFILE, token=renewed).headers


ASSIGN = "mutation ($u: Int!) { groups { assignUser(groupId: 1, userId: $u) { responseResult { succeeded } } } }"


def test_a_group_change_spares_tokens_from_the_last_five_seconds(
    fake: FakeWikiJS, gql: Caller
) -> None:
    # WIKI.auth.revokeUserTokens records round(now - 5 s): a fresh token is not renewed
    # and keeps acting with the permissions it was issued with.
    user = fake.add_user(f"fresh-{secrets.token_hex(3)}@example.com", name="Fresh", groups=[2])
    jwt = fake.user_token(user.id)
    assert gql(ASSIGN, {"u": user.id})["data"]["groups"]["assignUser"]["responseResult"][
        "succeeded"
    ]
    response = gql.post("{ users { list { id } } }", token=jwt)
    assert "new-jwt" not in response.headers
    assert response.json()["errors"][0]["message"] == "Forbidden"


def test_group_change_renews_older_member_tokens_with_new_permissions(
    fake: FakeWikiJS, gql: Caller, clock: FakeClock
) -> None:
    user = fake.add_user("editor@example.com", name="Editor", groups=[2])
    jwt = fake.user_token(user.id)
    assert gql("{ users { list { id } } }", token=jwt)["errors"][0]["message"] == "Forbidden"
    clock.advance(6)
    gql(ASSIGN, {"u": user.id})
    response = gql.post("{ users { list { id } } }", token=jwt)
    assert "new-jwt" in response.headers
    assert "errors" not in response.json()


def test_tampered_signature_is_the_guest(fake: FakeWikiJS, gql: Caller) -> None:
    head, body, sig = fake.user_token(1).split(".")
    forged = f"{head}.{body}.{sig[::-1]}"
    assert gql(PROFILE, token=forged)["errors"][0]["extensions"]["exception"]["code"] == 1019


def test_cookie_token_is_accepted_for_graphql(fake: FakeWikiJS, guest: Caller) -> None:
    jwt = fake.user_token(1)
    response = guest.http.post(
        "/graphql", json={"query": PROFILE}, headers={"Cookie": f"other=1; jwt={jwt}"}
    )
    assert response.json()["data"]["users"]["profile"]["id"] == 1


def test_must_change_password_login_and_change(fake: FakeWikiJS, gql: Caller) -> None:
    fake.add_user(
        "new@example.com", name="Newbie", password="first-pass", must_change_password=True
    )
    first = gql(
        LOGIN.replace("jwt redirect", "jwt continuationToken redirect"),
        {"u": "new@example.com", "p": "first-pass"},
        token="",
    )
    result = first["data"]["authentication"]["login"]
    assert result["mustChangePwd"] is True
    assert result["jwt"] is None
    changed = gql(
        'mutation ($t: String!) { authentication { loginChangePassword(continuationToken: $t, newPassword: "second-pass") { jwt responseResult { succeeded } } } }',
        {"t": result["continuationToken"]},
        token="",
    )
    assert changed["data"]["authentication"]["loginChangePassword"]["jwt"]
    again = login(Caller(fake, None), "x")
    assert again["data"]["authentication"]["login"]["responseResult"]["errorCode"] == 1002


def test_unknown_strategy_is_rejected(gql: Caller) -> None:
    body = gql(
        'mutation { authentication { login(username: "a", password: "b", strategy: "ldap") { responseResult { errorCode slug } } } }',
        token="",
    )
    assert body["data"]["authentication"]["login"]["responseResult"] == {
        "errorCode": 1003,
        "slug": "AuthProviderInvalid",
    }
