"""The login's further steps as Wiki.js 2.5.314 answers them: TOTP, TFA set-up, password change.

Raw GraphQL, so that these run unchanged against a real server
(``--wikijs-url``): each login step there spends one of the five calls a
minute the server allows per address (``login_slot`` waits for room).
"""

# GraphQL documents read best on one line.
# ruff: noqa: E501

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wikijs._tfa import decode_qr, otpauth_secret
from wikijs.testing import FakeWikiJS

from .conftest import Caller

STEP = "responseResult { succeeded errorCode slug message } jwt mustChangePwd mustProvideTFA mustSetupTFA continuationToken redirect tfaQRImage"
LOGIN = f"""mutation ($u: String!, $p: String!) {{ authentication {{
  login(username: $u, password: $p, strategy: "local") {{ {STEP} }} }} }}"""
LOGIN_TFA = f"""mutation ($t: String!, $c: String!, $s: Boolean) {{ authentication {{
  loginTFA(continuationToken: $t, securityCode: $c, setup: $s) {{ {STEP} }} }} }}"""
CHANGE = f"""mutation ($t: String!, $n: String!) {{ authentication {{
  loginChangePassword(continuationToken: $t, newPassword: $n) {{ {STEP} }} }} }}"""
ENABLE_TFA = (
    "mutation ($id: Int!) { users { enableTFA(id: $id) { responseResult { succeeded } } } }"
)
PROFILE = "{ users { profile { id email } } }"

Slot = Callable[..., None]


def login(gql: Caller, slot: Slot, email: str, password: str) -> dict[str, Any]:
    slot("login")
    return gql(LOGIN, {"u": email, "p": password}, token="")["data"]["authentication"]["login"]  # type: ignore[no-any-return]


def login_tfa(
    gql: Caller, slot: Slot, token: str, code: str, setup: bool | None = None
) -> dict[str, Any]:
    slot("loginTFA")
    answer = gql(LOGIN_TFA, {"t": token, "c": code, "s": setup}, token="")
    return answer["data"]["authentication"]["loginTFA"]  # type: ignore[no-any-return]


def change(gql: Caller, slot: Slot, token: str, new: str) -> dict[str, Any]:
    slot("loginChangePassword")
    answer = gql(CHANGE, {"t": token, "n": new}, token="")
    return answer["data"]["authentication"]["loginChangePassword"]  # type: ignore[no-any-return]


def tfa_user(fake: FakeWikiJS, gql: Caller, email: str) -> Any:
    """A user on whom an admin switched TFA on (no secret yet)."""
    user = fake.add_user(email, password="first-pass-1", groups=[])
    enabled = gql(ENABLE_TFA, {"id": user.id})
    assert enabled["data"]["users"]["enableTFA"]["responseResult"]["succeeded"] is True
    return user


def test_login_answers_null_for_the_steps_it_does_not_ask(
    fake: FakeWikiJS, gql: Caller, login_slot: Slot
) -> None:
    user = fake.add_user("plain-login@example.com", password="plain-pass-1", groups=[])
    result = login(gql, login_slot, user.email, "plain-pass-1")
    assert result["jwt"]
    assert result["mustChangePwd"] is None
    assert result["mustProvideTFA"] is None
    assert result["mustSetupTFA"] is None
    assert result["continuationToken"] is None
    assert result["tfaQRImage"] is None
    assert result["redirect"] == "/"


def test_tfa_enabled_by_an_admin_on_a_user_without_a_secret_asks_for_a_set_up(
    fake: FakeWikiJS, gql: Caller, login_slot: Slot
) -> None:
    user = tfa_user(fake, gql, "tfa-setup@example.com")
    result = login(gql, login_slot, user.email, "first-pass-1")
    assert result["responseResult"]["message"] == "Login success"
    assert result["jwt"] is None
    assert result["mustSetupTFA"] is True
    assert result["mustProvideTFA"] is None
    assert result["mustChangePwd"] is None
    assert result["continuationToken"]
    assert result["tfaQRImage"].startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ')
    uri = decode_qr(result["tfaQRImage"])
    assert uri.startswith(f"otpauth://totp/Wikijs:{user.email}?secret=")
    assert len(otpauth_secret(uri)) == 32


def test_a_tfa_set_up_ends_with_a_token_and_later_logins_ask_for_a_code(
    fake: FakeWikiJS, gql: Caller, login_slot: Slot, totp: Callable[[str], str]
) -> None:
    user = tfa_user(fake, gql, "tfa-done@example.com")
    started = login(gql, login_slot, user.email, "first-pass-1")
    secret = otpauth_secret(decode_qr(started["tfaQRImage"]))
    wrong = login_tfa(gql, login_slot, started["continuationToken"], "000000", setup=True)
    assert wrong["responseResult"]["errorCode"] == 1005
    # A set-up's continuation survives a wrong code.
    done = login_tfa(gql, login_slot, started["continuationToken"], totp(secret), setup=True)
    assert done["responseResult"]["message"] == "TFA success"
    assert done["jwt"]
    assert done["mustProvideTFA"] is None
    profile = gql(PROFILE, token=done["jwt"])["data"]["users"]["profile"]
    assert profile["email"] == user.email
    again = login(gql, login_slot, user.email, "first-pass-1")
    assert again["mustProvideTFA"] is True
    assert again["mustSetupTFA"] is None
    assert again["tfaQRImage"] is None


def test_a_wrong_code_spends_the_continuation_of_a_tfa_login(
    fake: FakeWikiJS, gql: Caller, login_slot: Slot, totp: Callable[[str], str]
) -> None:
    user = tfa_user(fake, gql, "tfa-wrong@example.com")
    started = login(gql, login_slot, user.email, "first-pass-1")
    secret = otpauth_secret(decode_qr(started["tfaQRImage"]))
    login_tfa(gql, login_slot, started["continuationToken"], totp(secret), setup=True)
    asked = login(gql, login_slot, user.email, "first-pass-1")
    wrong = login_tfa(gql, login_slot, asked["continuationToken"], "000000")
    assert wrong["responseResult"]["slug"] == "AuthTFAFailed"
    right_too_late = login_tfa(gql, login_slot, asked["continuationToken"], totp(secret))
    assert right_too_late["responseResult"] == {
        "succeeded": False,
        "errorCode": 1015,
        "slug": "AuthValidationTokenInvalid",
        "message": "Invalid validation token.",
    }


def test_a_code_that_is_not_six_characters_is_refused_before_the_token_is_read(
    gql: Caller, login_slot: Slot
) -> None:
    result = login_tfa(gql, login_slot, "any-token", "12345")
    assert result["responseResult"]["errorCode"] == 1006


def test_login_change_password_with_a_valid_token(
    fake: FakeWikiJS, gql: Caller, login_slot: Slot
) -> None:
    user = fake.add_user(
        "must-change@example.com", password="old-pass-1", groups=[], must_change_password=True
    )
    started = login(gql, login_slot, user.email, "old-pass-1")
    assert started["mustChangePwd"] is True
    assert started["mustProvideTFA"] is None
    assert started["jwt"] is None
    short = change(gql, login_slot, started["continuationToken"], "abc")
    assert short["responseResult"]["errorCode"] == 1012
    assert short["responseResult"]["message"] == "Password must be at least 6 characters!"
    # The short password spent nothing: the same token still works.
    done = change(gql, login_slot, started["continuationToken"], "new-pass-2")
    assert done["responseResult"] == {
        "succeeded": True,
        "errorCode": 0,
        "slug": "ok",
        "message": "Password changed successfully",
    }
    assert done["jwt"]
    assert done["redirect"] is None
    assert done["mustChangePwd"] is None
    assert login(gql, login_slot, user.email, "new-pass-2")["jwt"]


def test_login_change_password_with_a_bogus_token_is_1015(gql: Caller, login_slot: Slot) -> None:
    result = change(gql, login_slot, "bogus-token", "new-pass-2")
    assert result["responseResult"] == {
        "succeeded": False,
        "errorCode": 1015,
        "slug": "AuthValidationTokenInvalid",
        "message": "Invalid validation token.",
    }
    assert result["jwt"] is None


FORGOT = """mutation ($e: String!) { authentication { forgotPassword(email: $e) {
  responseResult { succeeded errorCode slug message } } } }"""
REGISTER = """mutation ($e: String!, $p: String!, $n: String!) { authentication {
  register(email: $e, password: $p, name: $n) { responseResult { succeeded errorCode slug message } } } }"""


def test_a_password_reset_for_an_unknown_email_is_answered_like_any_other(
    guest: Caller, login_slot: Slot
) -> None:
    login_slot("forgotPassword")
    result = guest(FORGOT, {"e": "nobody-here@example.com"})
    assert result["data"]["authentication"]["forgotPassword"]["responseResult"] == {
        "succeeded": True,
        "errorCode": 0,
        "slug": "ok",
        "message": "Password reset request processed.",
    }


def test_a_password_reset_without_a_mail_server_is_3002(
    fake: FakeWikiJS, guest: Caller, login_slot: Slot
) -> None:
    user = fake.add_user("reset-me@example.com", password="reset-pass-1", groups=[])
    login_slot("forgotPassword")
    result = guest(FORGOT, {"e": user.email})
    status = result["data"]["authentication"]["forgotPassword"]["responseResult"]
    assert (status["errorCode"], status["slug"]) == (3002, "MailNotConfigured")


def test_registration_is_refused_while_self_registration_is_off(guest: Caller) -> None:
    result = guest(REGISTER, {"e": "newcomer@example.com", "p": "new-pass-1", "n": "Newcomer"})
    status = result["data"]["authentication"]["register"]["responseResult"]
    assert (status["errorCode"], status["slug"]) == (1010, "AuthRegistrationDisabled")


def test_registration_creates_the_account_before_the_mail_fails(
    fake: FakeWikiJS, guest: Caller, gql: Caller, self_registration: Any
) -> None:
    result = guest(REGISTER, {"e": "Joiner@Example.com", "p": "join-pass-1", "n": "Joiner"})
    status = result["data"]["authentication"]["register"]["responseResult"]
    assert (status["errorCode"], status["slug"]) == (3002, "MailNotConfigured")
    found = gql('{ users { search(query: "joiner@example.com") { id email } } }')
    assert [u["email"] for u in found["data"]["users"]["search"]] == ["joiner@example.com"]
    again = guest(REGISTER, {"e": "joiner@example.com", "p": "join-pass-1", "n": "Joiner"})
    assert again["data"]["authentication"]["register"]["responseResult"]["errorCode"] == 1004


def test_registration_checks_its_input_and_the_domain_list(
    guest: Caller, self_registration: Any
) -> None:
    def register(email: str, password: str, name: str) -> dict[str, Any]:
        answer = guest(REGISTER, {"e": email, "p": password, "n": name})
        return answer["data"]["authentication"]["register"]["responseResult"]  # type: ignore[no-any-return]

    short = register("short@example.com", "abc", "Short")
    assert (short["errorCode"], short["message"]) == (
        1012,
        "Password is too short (minimum is 6 characters)",
    )
    assert register("not-an-email", "abcdefg", "Name")["message"] == "Email is not a valid email"
    self_registration(True, ["example.org"])
    outside = register("outsider@example.com", "outside-pass-1", "Outsider")
    assert (outside["errorCode"], outside["slug"]) == (1011, "AuthRegistrationDomainUnauthorized")
