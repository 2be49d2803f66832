"""``mail``: the SMTP settings and a test message (server/graph/resolvers/mail.js).

The test message is really sent: to the SMTP server the settings name, as
nodemailer would (TLS from the start when ``secure``, else STARTTLS when the
server offers it), so a test can receive it.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from typing import Any

from graphql import GraphQLResolveInfo

from .._errors import PlainError, success, wiki_error
from ._common import Context, Registry, context, guarded

Info = GraphQLResolveInfo

MASK = "********"
NOT_SET_UP = "Mail is not setup! Please set the configuration in the administration area!"
CANNOT_SEND = "Cannot send email because mail is not setup in the administration area!"
_ARGUMENTS = (
    "senderName",
    "senderEmail",
    "host",
    "port",
    "name",
    "secure",
    "verifySSL",
    "user",
    "pass",
    "useDKIM",
    "dkimDomainName",
    "dkimKeySelector",
    "dkimPrivateKey",
)


def config(_obj: Any, info: Info) -> dict[str, Any]:
    mail = context(info).state.admin.mail
    return {**mail, "pass": MASK if mail.get("pass") else ""}


def m_update_config(ctx: Context, **args: Any) -> dict[str, Any]:
    admin = ctx.state.admin
    # an older release lacks some arguments (name, verifySSL): Wiki.js stores undefined
    stored = {name: args.get(name) for name in _ARGUMENTS}
    if stored["pass"] == MASK:
        stored["pass"] = admin.mail.get("pass", "")
    admin.mail = stored
    if len(stored["host"] or "") <= 2:
        ctx.core.log(
            "warn", "Mail is not setup! Please set the configuration in the administration area!"
        )
    return {"responseResult": success("Mail configuration updated successfully.")}


def _send(ctx: Context, recipient: str) -> None:
    mail = ctx.state.admin.mail
    if len(mail.get("host") or "") <= 2:
        ctx.core.log(
            "warn", "Cannot send email because mail is not setup in the administration area!"
        )
        raise wiki_error("MailNotConfigured")
    title = ctx.state.site.get("title") or "Wiki.js"
    message = EmailMessage()
    message["From"] = f'"{mail["senderName"]}" <{mail["senderEmail"]}>'
    message["To"] = recipient
    message["Subject"] = f"A test email from your wiki - {title}"
    message["X-Mailer"] = "Wiki.js"
    message.set_content("This is a test email sent from your wiki.")
    context_tls = ssl.create_default_context()
    if not mail.get("verifySSL", True):
        context_tls.check_hostname = False
        context_tls.verify_mode = ssl.CERT_NONE
    local = mail.get("name") or None
    try:
        smtp: smtplib.SMTP
        if mail.get("secure"):
            smtp = smtplib.SMTP_SSL(
                mail["host"], mail["port"], local_hostname=local, context=context_tls, timeout=10
            )
        else:
            smtp = smtplib.SMTP(mail["host"], mail["port"], local_hostname=local, timeout=10)
        with smtp:
            if not mail.get("secure") and smtp.has_extn("starttls"):
                smtp.starttls(context=context_tls)
            if len(mail.get("user") or "") > 1:
                smtp.login(mail["user"], mail.get("pass") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        # nodemailer's errors are plain Errors: their message reaches responseResult
        raise PlainError(str(error) or type(error).__name__) from None


def m_send_test(ctx: Context, recipientEmail: str) -> dict[str, Any]:
    if not recipientEmail or len(recipientEmail) < 6:
        raise wiki_error("MailInvalidRecipient")
    _send(ctx, recipientEmail)
    return {"responseResult": success("Test email sent successfully.")}


def bind(registry: Registry) -> None:
    registry.add("MailQuery", "config", config)
    registry.namespace(
        "MailMutation",
        {"updateConfig": guarded(m_update_config), "sendTest": guarded(m_send_test)},
    )
