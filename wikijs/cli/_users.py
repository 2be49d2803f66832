"""``wikijs users …``: list and create accounts."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from ._session import Session, WikiGroup, pass_session

if TYPE_CHECKING:
    from ..models import UserOrder


@click.group(cls=WikiGroup)
def users() -> None:
    """Read and create user accounts."""


@users.command("list")
@click.option("--filter", "needle", metavar="TEXT", help="Name or email contains TEXT.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many users.")
@click.option(
    "--order-by",
    type=click.Choice(["id", "name", "email", "created_at", "last_login_at"]),
    default="id",
    show_default=True,
)
@pass_session
def list_users(
    session: Session, needle: str | None, limit: int | None, order_by: UserOrder
) -> None:
    """List users (id, name, email, provider, active, last login)."""
    found = session.client().users.list(filter=needle, order_by=order_by, limit=limit)
    if session.json:
        session.print_json(found)
        return
    session.table(
        ["ID", "NAME", "EMAIL", "PROVIDER", "ACTIVE", "LAST LOGIN"],
        ([u.id, u.name, u.email, u.provider_key, u.is_active, u.last_login_at] for u in found),
        styles=["cyan", "bold", None, "dim", None, "dim"],
        flexible=[1, 2],
    )


def _read_password(password_file: str | None) -> str:
    if password_file == "-":  # noqa: S105 - "-" means standard input
        return sys.stdin.readline().rstrip("\r\n")
    if password_file is not None:
        try:
            with open(password_file, encoding="utf-8") as handle:
                return handle.readline().rstrip("\r\n")
        except OSError as exc:
            raise click.BadParameter(
                f"cannot read {password_file}: {exc.strerror or exc}", param_hint="--password-file"
            ) from None
    value: str = click.prompt(
        "Password for the new user", hide_input=True, confirmation_prompt=True, err=True
    )
    return value


@users.command("create")
@click.option("--email", required=True, help="The login email.")
@click.option("--name", required=True, help="The display name.")
@click.option(
    "--password-file",
    metavar="PATH",
    help="Read the password from the first line of this file ('-': standard input); "
    "otherwise it is asked for, hidden.",
)
@click.option(
    "--group",
    "groups",
    multiple=True,
    metavar="ID|NAME",
    help="Add the user to this group (repeatable).",
)
@click.option("--must-change-password", is_flag=True, help="Force a new password at first login.")
@pass_session
def create_user(
    session: Session,
    email: str,
    name: str,
    password_file: str | None,
    groups: tuple[str, ...],
    must_change_password: bool,
) -> None:
    """Create a local user account."""
    client = session.client()
    group_ids: list[int] = []
    if groups:
        known = {group.name.lower(): group.id for group in client.groups.list()}
        for group in groups:
            if group.isdigit():
                group_ids.append(int(group))
            elif group.lower() in known:
                group_ids.append(known[group.lower()])
            else:
                raise click.BadParameter(
                    f"no group named {group!r} (groups: {', '.join(sorted(known))})",
                    param_hint="--group",
                )
    password = _read_password(password_file)
    user = client.users.create(
        email=email,
        name=name,
        password=password,
        groups=group_ids,
        must_change_password=must_change_password,
    )
    if session.json:
        session.print_json(user)
    else:
        session.print(f"created user #{user.id} {user.name} <{user.email}>")
