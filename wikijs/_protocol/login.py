"""The steps of a Wiki.js login, read from its answers. Pure: no I/O.

Wiki.js answers ``login``, ``loginTFA`` and ``loginChangePassword`` alike
(``server/models/users.js``, ``afterLoginChecks``): a token, or the one step
the account must take next, with a one-time continuation token. It checks in
a fixed order — a TOTP code (``mustProvideTFA``), else a first TFA set-up
when an admin enabled TFA on an account without a secret or the site
enforces TFA (``mustSetupTFA`` with the secret's QR code), then a forced
password change (``mustChangePwd``) — so a login takes at most three steps
after the password. Unset flags come back ``null``, not ``false``.

A wrong TOTP code spends the continuation of a ``"tfa"`` step (the next try
answers 1015 ``AuthValidationTokenInvalid``); a set-up's continuation stays
valid until the set-up succeeds. An abandoned set-up leaves the account
without TFA (Wiki.js stores the new secret and switches TFA off until the
first code arrives).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..auth import LoginContinuation, TFASetup
from ..errors import (
    AuthenticationError,
    LoginStepRequiredError,
    PasswordChangeRequiredError,
    TFARequiredError,
    TFASetupRequiredError,
)

if TYPE_CHECKING:
    from wikijs._generated.fragments import LoginResult

#: Login steps after the password: a TOTP code or set-up, then a password change.
MAX_STEPS = 3

#: ``AuthValidationTokenInvalid``: the continuation is spent, unknown or expired.
TOKEN_INVALID = 1015
#: ``AuthTFAFailed``: a wrong code (which spends a ``"tfa"`` continuation).
TFA_FAILED = 1005


@dataclass(frozen=True)
class LoginStep:
    """One answer of a login: a token, or the continuation of the next step."""

    token: str | None = None
    continuation: LoginContinuation | None = None
    setup: TFASetup | None = None


def read_step(result: LoginResult | None, operation: str) -> LoginStep:
    """Classify a successful login answer.

    Raises:
        AuthenticationError: the answer holds neither a token nor a step.
    """
    if result is not None and result.jwt:
        return LoginStep(token=result.jwt)
    token = result.continuation_token if result is not None else None
    if result is None or not token:
        raise AuthenticationError("login failed: the server returned no token", operation=operation)
    redirect = result.redirect
    if result.must_provide_tfa:
        return LoginStep(continuation=LoginContinuation("tfa", token, redirect))
    if result.must_setup_tfa:
        if not result.tfa_qr_image:
            raise AuthenticationError(
                "login failed: the server asked for a TFA set-up without its QR code",
                operation=operation,
            )
        return LoginStep(
            continuation=LoginContinuation("tfa_setup", token, redirect),
            setup=TFASetup(result.tfa_qr_image),
        )
    if result.must_change_pwd:
        return LoginStep(continuation=LoginContinuation("change_password", token, redirect))
    raise AuthenticationError(
        "login failed: the server returned a continuation for no known step", operation=operation
    )


def step_required(step: LoginStep, operation: str) -> LoginStepRequiredError:
    """The error for a step no callback answers, saying how to answer it."""
    continuation = step.continuation
    assert continuation is not None
    if continuation.step == "tfa":
        return TFARequiredError(
            "the account asks for a TOTP code: continue with client.account.login(tfa_code=...) "
            "or give JWTAuth a tfa_code callback",
            operation=operation,
            continuation=continuation,
        )
    if continuation.step == "tfa_setup":
        return TFASetupRequiredError(
            "the account must set up two-factor authentication: scan error.setup.qr_svg "
            "(or read error.setup.secret), then continue with "
            "client.account.login(tfa_code=...)",
            operation=operation,
            continuation=continuation,
            setup=step.setup or TFASetup(""),
        )
    return PasswordChangeRequiredError(
        "the account must choose a new password: continue with "
        "client.account.login(new_password=...) or give JWTAuth a new_password callback",
        operation=operation,
        continuation=continuation,
    )


#: Mail failures (3001 MailGenericError, 3002 MailNotConfigured, 3003
#: MailTemplateFailed) that ``register`` meets *after* creating the account.
MAIL_FAILURES = frozenset({3001, 3002, 3003})


@dataclass(frozen=True)
class Registration:
    """An account created by :meth:`~wikijs.WikiJSClient.account` ``.register``.

    Wiki.js creates it unverified: its owner cannot log in
    (``AuthenticationError`` 1014) until they open the link in the
    verification e-mail, or an administrator verifies the account
    (``users.verify``).

    Attributes:
        email: the account's email address, as Wiki.js stores it (lower-case).
        verification_email_sent: ``False`` when the wiki could not send the
            e-mail (no mail server configured): the account exists all the
            same, and only an administrator can verify it.
        problem: why the e-mail was not sent (Wiki.js's message), if it was not.
    """

    email: str
    verification_email_sent: bool = True
    problem: str | None = None
