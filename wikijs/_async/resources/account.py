"""``client.account``: your own account — logging in step by step, registering, resetting."""

from __future__ import annotations

from typing import Any

from ..._protocol import validation as v
from ..._protocol.login import MAIL_FAILURES, Registration
from ..._protocol.operation import Operation
from ...errors import APIError, InvalidArgumentError
from ..pipeline import ANONYMOUS
from ._base import AsyncResource


class AsyncAccount(AsyncResource):
    """The account the client logs in with, and what anyone may do without one.

    Example::

        auth = JWTAuth("me@example.com", "password")
        async with AsyncWikiJSClient(url, auth=auth) as client:
            try:
                await client.account.login()
            except TFARequiredError:
                await client.account.login(tfa_code=input("TOTP code: "))
    """

    async def login(self, *, tfa_code: str | None = None, new_password: str | None = None) -> None:
        """Log in now, or finish a login that stopped at a step.

        The client logs in by itself on its first request; call this to log
        in at a moment of your choosing, or to answer the step a login
        stopped at (a :class:`~wikijs.errors.LoginStepRequiredError`): a
        TOTP code for ``TFARequiredError`` and ``TFASetupRequiredError``, a
        new password for ``PasswordChangeRequiredError``. Answers may also be
        given up front: each is used for its step, and steps without one go
        to the ``JWTAuth`` callbacks. With a valid token and nothing to
        answer, nothing is sent.

        Example::

            try:
                await client.account.login()
            except PasswordChangeRequiredError:
                await client.account.login(new_password=getpass("New password: "))

        Args:
            tfa_code: the current 6-digit TOTP code.
            new_password: the new password (at least 6 characters); the
                ``JWTAuth`` uses it from then on.

        Raises:
            ArgumentTypeError: the client's credentials are not a ``JWTAuth``.
            LoginStepRequiredError: a further step nothing answers.
            AuthenticationError: a wrong password (1002), a wrong code (1005;
                the next call logs in from the password again), an expired
                continuation (1015).
        """
        await self._client._pipeline.login(tfa_code=tfa_code, new_password=new_password)

    async def register(self, email: str, password: str, name: str) -> Registration:
        """Create an account with the local login, as the wiki's sign-up page does.

        Needs self-registration switched on for the local strategy (in the
        administration area, or ``authentication.updateStrategies``), and
        the email's domain on its allow-list when it has one. Sent without
        credentials. The account starts unverified: see :class:`Registration`.

        Example::

            created = await client.account.register("new@example.com", "s3cret-pw", "New User")
            if not created.verification_email_sent:
                print("ask an administrator to verify", created.email)

        Raises:
            PermissionDeniedError: self-registration is off (1010) or the
                domain is not allowed (1011).
            ConflictError: an account with this email exists (1004).
            ValidationError: an invalid email, a password under 6 characters
                or a name under 2 (1012; also checked before sending).
        """
        email = v.check_email(email)
        password = v.check_text(password, "password", allow_empty=False)
        name = v.check_text(name, "name", allow_empty=False).strip()
        if len(password) < 6:
            raise InvalidArgumentError("password must be at least 6 characters", field="password")
        if not 2 <= len(name) <= 255:
            raise InvalidArgumentError("name must be 2 to 255 characters", field="name")
        try:
            await self._anonymous("Register", {"email": email, "password": password, "name": name})
        except APIError as exc:
            if exc.code not in MAIL_FAILURES:
                raise
            # Wiki.js creates the account, then fails to send its verification e-mail.
            return Registration(email.lower(), verification_email_sent=False, problem=exc.message)
        return Registration(email.lower())

    async def forgot_password(self, email: str) -> None:
        """Ask the wiki to e-mail a password-reset link to a local account.

        Wiki.js answers the same whether or not the account exists (so the
        answer tells nobody which emails have accounts), and sends nothing
        for an unknown or deactivated one. Sent without credentials.

        Example::

            await client.account.forgot_password("me@example.com")

        Raises:
            APIError: the wiki could not send the e-mail (3002
                ``MailNotConfigured`` when no mail server is set up).
            RateLimitedError: the server's limit (3 requests a minute per address).
        """
        await self._anonymous("ForgotPassword", {"email": v.check_email(email)})

    async def _anonymous(self, name: str, variables: dict[str, Any]) -> dict[str, Any]:
        from wikijs._generated import operations

        spec = getattr(operations, _constant(name))
        operation = Operation(spec.name, spec.document, variables, {ANONYMOUS: True})
        return await self._client._pipeline.run_operation(operation)


def _constant(name: str) -> str:
    """``ForgotPassword`` → ``FORGOT_PASSWORD``, the spec's name in ``operations``."""
    return "".join(f"_{c}" if c.isupper() else c.upper() for c in name).lstrip("_")
