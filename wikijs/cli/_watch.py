"""``wikijs watch``: poll the wiki, print each change or POST it to a webhook."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._session import Session, WikiCommand, describe, pass_session

if TYPE_CHECKING:
    from ..events import PageEvent, UserEvent

SECRET_ENV = "WIKIJS_WEBHOOK_SECRET"  # noqa: S105 - a variable name, not a secret


def describe_event(event: PageEvent | UserEvent) -> str:
    from ..events import PageEvent

    when = event.timestamp.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(event, PageEvent):
        page = event.page
        line = f"{when}  {event.type:<13} #{page.id} {page.locale}/{page.path} ({page.title})"
        if event.type == "page.moved" and event.previous is not None:
            line += f" from {event.previous.locale}/{event.previous.path}"
        elif event.type == "page.updated":
            line += f" [{', '.join(event.changes)}]"
        return line
    return f"{when}  {event.type:<13} #{event.user.id} {event.user.name} <{event.user.email}>"


def _secret(secret: str | None, secret_file: Path | None) -> str | None:
    if secret is not None:
        return secret
    if secret_file is not None:
        try:
            value = secret_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise click.BadParameter(
                f"cannot read {secret_file}: {exc.strerror or exc}", param_hint="--secret-file"
            ) from None
        if not value:
            raise click.BadParameter(f"{secret_file} is empty", param_hint="--secret-file")
        return value
    return os.environ.get(SECRET_ENV) or None


@click.command(cls=WikiCommand)
@click.option("--webhook", metavar="URL", help="POST each event, signed, to this URL.")
@click.option(
    "--secret",
    metavar="SECRET",
    help=f"The webhook's signing secret [env: {SECRET_ENV}]; prefer --secret-file.",
)
@click.option(
    "--secret-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read the signing secret from this file.",
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    help="Seconds between polls.",
)
@click.option(
    "--namespace",
    "namespaces",
    multiple=True,
    type=click.Choice(["pages", "users"]),
    default=("pages",),
    show_default=True,
    help="What to watch (repeatable).",
)
@click.option(
    "--polls",
    type=click.IntRange(min=1),
    help="Stop after this many polls; the first only takes a baseline (default: run until Ctrl-C).",
)
@click.option(
    "--max-attempts",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="POSTs per event at most (retries on connection errors and 5xx).",
)
@pass_session
def watch(
    session: Session,
    webhook: str | None,
    secret: str | None,
    secret_file: Path | None,
    interval: float,
    namespaces: tuple[str, ...],
    polls: int | None,
    max_attempts: int,
) -> None:
    """Poll the wiki and report each change: printed, or POSTed to a webhook.

    Wiki.js 2.5 sends no webhooks itself; this lists the wiki every
    --interval seconds and reports page.created, page.updated, page.moved,
    page.deleted (and user.created, user.deleted). With --webhook each
    event is POSTed as JSON, signed with X-WikiJS-Signature (HMAC-SHA256
    of timestamp + "." + body). With --json, events print as JSON lines.
    Exits 1 if a delivery failed for good.
    """
    # imported here: `wikijs --help` and the other commands do not need them
    import orjson

    from ..events import Watcher
    from ..webhooks import WebhookDeliveryError, WebhookSender

    signing = _secret(secret, secret_file)
    if webhook and not signing:
        raise click.UsageError(
            f"--webhook needs a signing secret: --secret-file PATH, --secret or {SECRET_ENV}"
        )
    client = session.client()
    watcher = Watcher(client, interval=interval, namespaces=namespaces, sleep=session.runtime.sleep)
    sender = (
        WebhookSender(webhook, signing, max_attempts=max_attempts, sleep=session.runtime.sleep)
        if webhook and signing
        else None
    )
    failed = 0
    target = f", delivering to {sender.url}" if sender else ""
    session.note(
        f"watching {' and '.join(namespaces)} on {client.config.base_url} every {interval:g}s"
        f"{target}; Ctrl-C stops"
    )
    try:
        for event in watcher.events(polls=polls):
            if session.json:
                click.echo(orjson.dumps(event.model_dump(mode="json")).decode())
            else:
                session.print(describe_event(event))
            if sender is None:
                continue
            try:
                delivery = sender.send(event)
            except WebhookDeliveryError as exc:
                failed += 1
                session.note(f"not delivered: {describe(exc)}")
            else:
                session.note(
                    f"delivered {event.type} {event.id} (HTTP {delivery.status_code}, "
                    f"{delivery.attempts} attempt{'s' if delivery.attempts != 1 else ''})"
                )
    except KeyboardInterrupt:  # pragma: no cover - needs a real Ctrl-C
        session.note("stopped")
    finally:
        if sender is not None:
            sender.close()
    if failed:
        raise click.exceptions.Exit(1)
