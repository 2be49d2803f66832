"""``wikijs health …``: is the wiki up, who are we, how big is it."""

from __future__ import annotations

import math
from collections.abc import Callable

import click

from ..errors import PermissionDeniedError
from . import _output
from ._session import Session, WikiGroup, pass_session


@click.group(cls=WikiGroup)
def health() -> None:
    """Check the server and the credentials."""


@health.command("check")
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0,
    metavar="SECONDS",
    help="Keep checking for up to SECONDS until the wiki is healthy (e.g. after starting it).",
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=2.0,
    show_default=True,
    metavar="SECONDS",
    help="Seconds between checks while waiting.",
)
@pass_session
def check(session: Session, wait: float, interval: float) -> None:
    """Reachability, version and who the credentials act as.

    Exits 1 when unhealthy (after --wait, if given).
    """
    client = session.client()
    report = client.health()
    if not report.ok and wait > 0:
        checks = max(1, math.ceil(wait / interval))
        with session.progress(f"waiting for {report.url}", checks, noun="checks") as tracker:
            for _ in range(checks):
                session.runtime.sleep(interval)
                report = client.health()
                tracker.advance(1)
                if report.ok:
                    tracker.update(checks)
                    break
    if session.json:
        session.print_json({"ok": report.ok, **_output.jsonable(report)})
    else:
        user = report.user
        session.fields(
            [
                ("url", report.url),
                ("status", "ok" if report.ok else "NOT OK"),
                ("reachable", report.reachable),
                (
                    "healthz",
                    f"HTTP {report.status_code}" if report.status_code is not None else None,
                ),
                (
                    "latency",
                    f"{report.latency * 1000:.1f} ms" if report.latency is not None else None,
                ),
                ("version", report.version),
                (
                    "user",
                    f"{user.name} <{user.email}>"
                    if user is not None and report.authenticated
                    else ("Guest" if not report.credentials else None),
                ),
                *(("problem", problem) for problem in report.problems),
            ]
        )
    if not report.ok:
        raise click.exceptions.Exit(1)


@health.command("stats")
@pass_session
def stats(session: Session) -> None:
    """How many pages, users, groups and tags the wiki has."""
    client = session.client()
    counts: dict[str, int | None] = dict.fromkeys(("pages", "users", "groups", "tags"))
    source = "system info"
    try:
        info = client.system.info()
        counts.update(
            pages=info.pages_total,
            users=info.users_total,
            groups=info.groups_total,
            tags=info.tags_total,
        )
    except PermissionDeniedError:
        source = "listings (system info needs manage:system)"
    listings: dict[str, Callable[[], int]] = {
        "pages": lambda: len(client.pages.ids()),
        "users": lambda: len(client.users.list()),
        "groups": lambda: len(client.groups.list()),
        "tags": lambda: len(client.pages.tags()),
    }
    for name, count in listings.items():
        if counts[name] is None:
            counts[name] = count()
    if session.json:
        session.print_json({**counts, "source": source})
    else:
        session.fields([*counts.items(), ("source", source)])
