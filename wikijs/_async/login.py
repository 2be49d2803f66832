"""Drives a :class:`~wikijs.auth.JWTAuth` login through its steps.

``_protocol/login.py`` reads each answer; this runs the exchanges: the password,
then each step the account must take (a TOTP code, a first TFA set-up, a
password change), answered by an argument of ``client.account.login(...)``,
by the callback ``JWTAuth`` was given, or else raised as a
:class:`~wikijs.errors.LoginStepRequiredError` that keeps its continuation
on the ``JWTAuth`` for the next attempt. The pipeline calls it under its
credentials lock, through the SDK's own runner (plugins see every exchange;
their variables are redacted).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._protocol.login import (
    MAX_STEPS,
    TFA_FAILED,
    TOKEN_INVALID,
    LoginStep,
    read_step,
    step_required,
)
from .._protocol.results import require
from ..auth import JWTAuth, LoginContinuation, check_new_password, check_tfa_code
from ..errors import AuthenticationError
from ..middleware._hooks import AsyncHooks

if TYPE_CHECKING:
    from wikijs._generated.async_client import AsyncGeneratedClient

_CALLBACKS = ("tfa_code", "new_password", "on_tfa_setup")


def check_callbacks(auth: JWTAuth) -> None:
    """Refuse, when the client is built, callbacks it cannot call (sync: coroutines)."""
    for name in _CALLBACKS:
        AsyncHooks.check(getattr(auth, name), f"JWTAuth.{name}")


class AsyncLoginFlow:
    """One login of ``auth``, from the password (or a pending step) to a token."""

    def __init__(self, client: AsyncGeneratedClient, auth: JWTAuth) -> None:
        self._client = client
        self._auth = auth

    async def run(self, *, tfa_code: str | None = None, new_password: str | None = None) -> None:
        """Log in, answering each step; the token ends up on ``auth``.

        Raises:
            LoginStepRequiredError: a step that neither an argument nor a
                callback answers (its continuation stays on ``auth``).
            AuthenticationError: a refusal (wrong password 1002, wrong
                code 1005, spent continuation 1015, …).
        """
        auth = self._auth
        answers: dict[str, Any] = {"tfa_code": tfa_code, "new_password": new_password}
        pending = auth.pending
        resumed = pending is not None
        step = LoginStep(continuation=pending) if resumed else await self._password()
        for _ in range(MAX_STEPS + 1):
            if step.token is not None:
                auth.continue_at(None)
                auth.set_token(step.token, from_login=True)
                return
            continuation = step.continuation
            assert continuation is not None
            auth.continue_at(continuation)
            if step.setup is not None and auth.on_tfa_setup is not None:
                await AsyncHooks.call(auth.on_tfa_setup, step.setup)
            answer = answers.pop(continuation.needs, None)
            if answer is None:
                callback = auth.tfa_code if continuation.needs == "tfa_code" else auth.new_password
                if callback is None:
                    raise step_required(step, "Login")
                answer = await AsyncHooks.call(callback)
            try:
                step = await self._answer(continuation, answer)
            except AuthenticationError as exc:
                spent = exc.code == TOKEN_INVALID or (
                    exc.code == TFA_FAILED and continuation.step == "tfa"
                )
                if not spent:
                    raise
                auth.continue_at(None)  # the next login starts from the password
                if not (resumed and exc.code == TOKEN_INVALID):
                    raise
                # A continuation kept from an earlier attempt had expired: start over once.
                resumed = False
                step = await self._password()
                continue
            resumed = False
        raise AuthenticationError(
            f"login failed: the server asked for more than {MAX_STEPS} steps", operation="Login"
        )

    async def _password(self) -> LoginStep:
        result = await self._client.login(**self._auth.login_variables())
        answer = require(result.authentication, "authentication", "Login").login
        return read_step(answer, "Login")

    async def _answer(self, continuation: LoginContinuation, answer: Any) -> LoginStep:
        if continuation.step == "change_password":
            password = check_new_password(answer)
            changed = await self._client.login_change_password(
                continuation_token=continuation.token, new_password=password
            )
            # Changed on the server: later logins need the new password.
            self._auth.password_changed(password)
            namespace = require(changed.authentication, "authentication", "LoginChangePassword")
            return read_step(namespace.login_change_password, "LoginChangePassword")
        code = check_tfa_code(answer)
        if continuation.step == "tfa_setup":
            checked = await self._client.login_tfa(
                continuation_token=continuation.token, security_code=code, setup=True
            )
        else:
            checked = await self._client.login_tfa(
                continuation_token=continuation.token, security_code=code
            )
        return read_step(
            require(checked.authentication, "authentication", "LoginTFA").login_tfa, "LoginTFA"
        )
