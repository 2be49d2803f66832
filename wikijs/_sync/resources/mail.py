# Generated from wikijs/_async/resources/mail.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""``client.mail``: the SMTP settings the wiki sends mail with, and a test message."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, overload

from wikijs._generated.fragments import MailConfig

from ..._protocol import validation as v
from ..._protocol.results import require
from ..._protocol.server_admin import mail_variables
from ...errors import InvalidArgumentError
from ._base import Resource, WithRawResponse

if TYPE_CHECKING:
    from ..._http.raw import RawResponse


class Mail(Resource):
    """Mail settings: read them, change some, send a test message.

    Needs ``manage:system``. The stored password is never sent back by
    the server: :meth:`config` shows ``"********"`` when one is set, and
    :meth:`update` keeps it unless you pass ``password``.

    Example::

        client.mail.update(host="smtp.example.com", port=587, secure=False)
        client.mail.send_test("me@example.com")
    """

    @cached_property
    def with_raw_response(self) -> MailWithRawResponse:
        """These methods, each answering a :class:`~wikijs.RawResponse`: the result
        and the HTTP exchanges it came from (see ``docs/options.md``)."""
        return MailWithRawResponse(self)

    def config(self) -> MailConfig:
        """The mail settings (the password masked).

        Example::

            config = client.mail.config()
            print(config.host, config.port, config.sender_email)
        """
        result = self._gql.get_mail_config()
        mail = require(result.mail, "mail", "GetMailConfig")
        return require(mail.config, "mail config", "GetMailConfig")

    @overload
    def update(
        self,
        *,
        sender_name: str = ...,
        sender_email: str = ...,
        host: str = ...,
        port: int = ...,
        name: str = ...,
        secure: bool = ...,
        verify_ssl: bool = ...,
        user: str = ...,
        password: str = ...,
        use_dkim: bool = ...,
        dkim_domain_name: str = ...,
        dkim_key_selector: str = ...,
        dkim_private_key: str = ...,
    ) -> MailConfig: ...

    @overload
    def update(self, settings: Mapping[str, Any]) -> MailConfig: ...

    def update(self, settings: Mapping[str, Any] | None = None, **changes: Any) -> MailConfig:
        """Change the given mail settings only, and return the settings as stored.

        Settings are keywords (or one mapping of them). Wiki.js takes every
        setting at once: the others are read first and sent back as they
        were (the masked password keeps the stored one).

        Example::

            config = client.mail.update(sender_name="Wiki", sender_email="wiki@example.com")

        The settings, as keywords:

        - ``sender_name``: the name mail comes from.
        - ``sender_email``: the address mail comes from.
        - ``host``: the SMTP server.
        - ``port``: its port (1-65535).
        - ``name``: the client host name to announce to the SMTP server.
        - ``secure``: TLS from the start (port 465) rather than STARTTLS.
        - ``verify_ssl``: verify the SMTP server's certificate.
        - ``user``: the SMTP user.
        - ``password``: the SMTP password.
        - ``use_dkim``: sign mail with DKIM.
        - ``dkim_domain_name``: the DKIM domain.
        - ``dkim_key_selector``: the DKIM selector.
        - ``dkim_private_key``: the DKIM private key (PEM).

        Raises:
            ValidationError: an unknown setting or a value of the wrong type.
        """
        if settings is not None:
            if changes or not isinstance(settings, Mapping):
                raise InvalidArgumentError("pass the settings as keywords or as one mapping")
            changes = dict(settings)
        mail_variables(None, changes)  # checked before anything is sent
        current = self.config()
        self._gql.update_mail_config(**_snake(mail_variables(current, changes)))
        return self.config()

    def send_test(self, recipient: str) -> None:
        """Send a test message with the current settings.

        Example::

            client.mail.send_test("me@example.com")

        Raises:
            ValidationError: the address is invalid.
            APIError: the server could not send it (its message says why).
        """
        recipient = v.check_email(recipient, "recipient")
        self._gql.send_test_mail(recipient_email=recipient)


def _snake(variables: dict[str, Any]) -> dict[str, Any]:
    """GraphQL argument names → the generated method's keywords."""
    names = {
        "senderName": "sender_name",
        "senderEmail": "sender_email",
        "verifySSL": "verify_ssl",
        "pass": "pass_",
        "useDKIM": "use_dkim",
        "dkimDomainName": "dkim_domain_name",
        "dkimKeySelector": "dkim_key_selector",
        "dkimPrivateKey": "dkim_private_key",
    }
    return {names.get(k, k): value for k, value in variables.items()}


# -- with_raw_response: written by scripts/unasync from the methods above; do not edit


class MailWithRawResponse(WithRawResponse):
    """``client.mail``, each method answering a :class:`~wikijs.RawResponse`.

    Its methods are those of :class:`Mail` that send their requests at
    once; each answers what the method returns (``parsed``) with the HTTP
    exchanges it came from.
    """

    _methods = frozenset({"config", "send_test", "update"})

    if TYPE_CHECKING:

        def config(self) -> RawResponse[MailConfig]:
            """Same as :meth:`Mail.config`, with its HTTP exchanges."""
            ...

        @overload
        def update(
            self,
            *,
            sender_name: str = ...,
            sender_email: str = ...,
            host: str = ...,
            port: int = ...,
            name: str = ...,
            secure: bool = ...,
            verify_ssl: bool = ...,
            user: str = ...,
            password: str = ...,
            use_dkim: bool = ...,
            dkim_domain_name: str = ...,
            dkim_key_selector: str = ...,
            dkim_private_key: str = ...,
        ) -> RawResponse[MailConfig]: ...

        @overload
        def update(self, settings: Mapping[str, Any]) -> RawResponse[MailConfig]: ...

        def update(
            self, settings: Mapping[str, Any] | None = None, **changes: Any
        ) -> RawResponse[MailConfig]:
            """Same as :meth:`Mail.update`, with its HTTP exchanges."""
            ...

        def send_test(self, recipient: str) -> RawResponse[None]:
            """Same as :meth:`Mail.send_test`, with its HTTP exchanges."""
            ...


# -- end with_raw_response
