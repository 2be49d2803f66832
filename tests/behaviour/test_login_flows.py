"""Logins that need more than a password, completed through the SDK, with both clients.

The accounts are set up as an administrator would (``users.create`` with
``must_change_password``, ``users.enable_tfa``), then a ``JWTAuth`` client
logs in: a first TFA set-up, a TOTP login, a forced password change, by
callbacks or by continuing after the step's error. With ``--wikijs-url``
they run against a real Wiki.js, which limits each login step to five calls
a minute per address: ``login_slot`` waits for room before each one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from wikijs import (
    APIError,
    AuthenticationError,
    JWTAuth,
    PasswordChangeRequiredError,
    PermissionDeniedError,
    TFARequiredError,
    TFASetup,
    TFASetupRequiredError,
    ValidationError,
)
from wikijs.testing import FakeWikiJS

Slot = Callable[..., None]

# Wiki.js 2.5.105 added enableTFA (and the set-up step) and forgotPassword.
TFA_AND_RESETS = pytest.mark.requires_wikijs("2.5.105")


@pytest.fixture
def admin(make_wiki: Any) -> Any:
    return make_wiki()


def tfa_user(fake: FakeWikiJS, admin: Any, email: str, **options: Any) -> Any:
    user = fake.add_user(email, password="first-pass-1", groups=[], **options)
    admin.users.enable_tfa(user.id)
    return user


@TFA_AND_RESETS
def test_a_first_tfa_set_up_completes_through_callbacks(
    fake: FakeWikiJS, admin: Any, make_wiki: Any, login_slot: Slot, totp: Callable[[str], str]
) -> None:
    user = tfa_user(fake, admin, "sdk-setup@example.com")
    setups: list[TFASetup] = []
    auth = JWTAuth(
        user.email,
        "first-pass-1",
        on_tfa_setup=setups.append,
        tfa_code=lambda: totp(setups[-1].secret),
    )
    login_slot("login")
    login_slot("loginTFA")
    client = make_wiki(auth=auth)
    assert client.whoami().email == user.email
    assert auth.login_count == 1
    assert auth.pending is None
    (setup,) = setups
    assert setup.uri.startswith(f"otpauth://totp/Wikijs:{user.email}?secret=")
    assert setup.secret not in repr(setup)
    assert admin.users.get(user.id).tfa_is_active is True


@TFA_AND_RESETS
def test_a_totp_login_completes_with_the_tfa_code_callback(
    fake: FakeWikiJS, admin: Any, make_wiki: Any, login_slot: Slot, totp: Callable[[str], str]
) -> None:
    user = tfa_user(fake, admin, "sdk-totp@example.com")
    setups: list[TFASetup] = []
    login_slot("login")
    login_slot("loginTFA")
    make_wiki(
        auth=JWTAuth(
            user.email,
            "first-pass-1",
            on_tfa_setup=setups.append,
            tfa_code=lambda: totp(setups[-1].secret),
        )
    ).account.login()
    secret = setups[0].secret
    codes: list[str] = []

    def code() -> str:
        codes.append(totp(secret))
        return codes[-1]

    login_slot("login")
    login_slot("loginTFA")
    client = make_wiki(auth=JWTAuth(user.email, "first-pass-1", tfa_code=code))
    assert client.whoami().email == user.email
    assert len(codes) == 1


@TFA_AND_RESETS
def test_a_totp_login_continues_after_the_tfa_required_error(
    fake: FakeWikiJS, admin: Any, make_wiki: Any, login_slot: Slot, totp: Callable[[str], str]
) -> None:
    user = tfa_user(fake, admin, "sdk-totp-steps@example.com")
    auth = JWTAuth(user.email, "first-pass-1")
    client = make_wiki(auth=auth)
    login_slot("login")
    with pytest.raises(TFASetupRequiredError) as setup_needed:
        client.pages.list()
    secret = setup_needed.value.setup.secret
    assert setup_needed.value.continuation.step == "tfa_setup"
    assert auth.pending == setup_needed.value.continuation
    login_slot("loginTFA")
    client.account.login(tfa_code=totp(secret))
    assert client.whoami().email == user.email

    again = make_wiki(auth=JWTAuth(user.email, "first-pass-1"))
    login_slot("login")
    with pytest.raises(TFARequiredError) as code_needed:
        again.whoami()
    assert code_needed.value.continuation.token not in str(code_needed.value)
    assert code_needed.value.continuation.token not in repr(code_needed.value.continuation)
    login_slot("loginTFA")
    again.account.login(tfa_code=totp(secret))
    assert again.whoami().email == user.email


@TFA_AND_RESETS
def test_a_wrong_code_fails_and_the_next_login_starts_from_the_password(
    fake: FakeWikiJS, admin: Any, make_wiki: Any, login_slot: Slot, totp: Callable[[str], str]
) -> None:
    user = tfa_user(fake, admin, "sdk-wrong-code@example.com")
    setups: list[TFASetup] = []
    login_slot("login")
    login_slot("loginTFA")
    make_wiki(
        auth=JWTAuth(
            user.email,
            "first-pass-1",
            on_tfa_setup=setups.append,
            tfa_code=lambda: totp(setups[-1].secret),
        )
    ).account.login()
    auth = JWTAuth(user.email, "first-pass-1")
    client = make_wiki(auth=auth)
    login_slot("login")
    with pytest.raises(TFARequiredError):
        client.account.login()
    login_slot("loginTFA")
    with pytest.raises(AuthenticationError) as wrong:
        client.account.login(tfa_code="000000")
    assert wrong.value.code == 1005
    assert auth.pending is None  # Wiki.js spent the continuation
    login_slot("login")
    login_slot("loginTFA")
    client.account.login(tfa_code=totp(setups[0].secret))
    assert client.whoami().email == user.email


def test_a_forced_password_change_completes_with_the_new_password_callback(
    fake: FakeWikiJS, make_wiki: Any, login_slot: Slot
) -> None:
    user = fake.add_user(
        "sdk-change@example.com", password="old-pass-1", groups=[], must_change_password=True
    )
    auth = JWTAuth(user.email, "old-pass-1", new_password=lambda: "new-pass-2")
    login_slot("login")
    login_slot("loginChangePassword")
    client = make_wiki(auth=auth)
    assert client.whoami().email == user.email
    # The JWTAuth logs in with the new password from now on.
    auth.forget_token()
    login_slot("login")
    assert client.whoami().email == user.email
    assert auth.login_count == 2


def test_a_forced_password_change_continues_after_its_error(
    fake: FakeWikiJS, make_wiki: Any, login_slot: Slot
) -> None:
    user = fake.add_user(
        "sdk-change-steps@example.com", password="old-pass-1", groups=[], must_change_password=True
    )
    client = make_wiki(auth=JWTAuth(user.email, "old-pass-1"))
    login_slot("login")
    with pytest.raises(PasswordChangeRequiredError) as needed:
        client.account.login()
    assert needed.value.continuation.needs == "new_password"
    with pytest.raises(ValidationError):
        client.account.login(new_password="abc")  # refused before sending
    login_slot("loginChangePassword")
    client.account.login(new_password="new-pass-2")
    assert client.whoami().email == user.email
    login_slot("login")
    assert make_wiki(auth=JWTAuth(user.email, "new-pass-2")).whoami().email == user.email


@TFA_AND_RESETS
def test_tfa_set_up_then_password_change_in_one_login(
    fake: FakeWikiJS, admin: Any, make_wiki: Any, login_slot: Slot, totp: Callable[[str], str]
) -> None:
    user = tfa_user(fake, admin, "sdk-both@example.com", must_change_password=True)
    setups: list[TFASetup] = []
    auth = JWTAuth(
        user.email,
        "first-pass-1",
        on_tfa_setup=setups.append,
        tfa_code=lambda: totp(setups[-1].secret),
        new_password=lambda: "second-pass-2",
    )
    login_slot("login")
    login_slot("loginTFA")
    login_slot("loginChangePassword")
    assert make_wiki(auth=auth).whoami().email == user.email
    assert len(setups) == 1


def test_explicit_login_with_a_valid_token_sends_nothing(
    fake: FakeWikiJS, make_wiki: Any, login_slot: Slot
) -> None:
    user = fake.add_user("sdk-plain@example.com", password="plain-pass-1", groups=[])
    auth = JWTAuth(user.email, "plain-pass-1")
    client = make_wiki(auth=auth)
    login_slot("login")
    client.account.login()
    client.account.login()
    assert auth.login_count == 1


def test_register_is_refused_while_self_registration_is_off(make_wiki: Any) -> None:
    guest = make_wiki(auth=None)
    with pytest.raises(PermissionDeniedError) as refused:
        guest.account.register("newcomer@example.com", "new-pass-1", "Newcomer")
    assert refused.value.code == 1010


def test_register_creates_an_unverified_account_even_without_a_mail_server(
    admin: Any, make_wiki: Any, self_registration: Any
) -> None:
    created = make_wiki(auth=None).account.register("Joiner@Example.com", "join-pass-1", "Joiner")
    assert created.email == "joiner@example.com"
    assert created.verification_email_sent is False
    assert created.problem == "The mail configuration is incomplete or invalid."
    (found,) = admin.users.search("joiner@example.com")
    assert admin.users.get(found.id).is_verified is False


def test_register_checks_its_input_before_sending(make_wiki: Any) -> None:
    guest = make_wiki(auth=None)
    with pytest.raises(ValidationError, match="at least 6"):
        guest.account.register("newcomer@example.com", "abc", "Newcomer")
    with pytest.raises(ValidationError):
        guest.account.register("not-an-email", "new-pass-1", "Newcomer")
    with pytest.raises(ValidationError, match="2 to 255"):
        guest.account.register("newcomer@example.com", "new-pass-1", "N")


@TFA_AND_RESETS
def test_forgot_password_for_an_unknown_email_returns(make_wiki: Any, login_slot: Slot) -> None:
    login_slot("forgotPassword")
    assert make_wiki(auth=None).account.forgot_password("nobody-here@example.com") is None


@TFA_AND_RESETS
def test_forgot_password_without_a_mail_server_says_so(
    fake: FakeWikiJS, make_wiki: Any, login_slot: Slot
) -> None:
    user = fake.add_user("sdk-reset@example.com", password="reset-pass-1", groups=[])
    login_slot("forgotPassword")
    with pytest.raises(APIError) as failed:
        make_wiki(auth=None).account.forgot_password(user.email)
    assert failed.value.code == 3002


def test_a_jwt_client_registers_without_logging_in(fake: FakeWikiJS, make_wiki: Any) -> None:
    auth = JWTAuth("someone@example.com", "never-used-1")
    client = make_wiki(auth=auth)
    with pytest.raises(PermissionDeniedError):
        client.account.register("newcomer@example.com", "new-pass-1", "Newcomer")
    assert auth.login_count == 0


def test_login_needs_user_credentials(make_wiki: Any) -> None:
    with pytest.raises(TypeError, match="JWTAuth"):
        make_wiki().account.login()
