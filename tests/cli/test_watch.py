"""``wikijs watch``: poll, print changes, or POST them signed to a webhook."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from wikijs.cli._session import Runtime
from wikijs.events import PageEvent
from wikijs.testing import FakeWikiJS
from wikijs.webhooks import WebhookServer

from .conftest import Run, lines


def scripted(fake: FakeWikiJS, *steps: Callable[[], object]) -> Runtime:
    """A runtime whose waits between polls perform ``steps``, one per wait."""
    todo = list(steps)
    return Runtime(transport=fake.sync_transport(), sleep=lambda seconds: todo.pop(0)())


def test_watch_prints_each_change(fake: FakeWikiJS, run: Run) -> None:
    fake.add_page("docs/a", title="A")
    runtime = scripted(
        fake,
        lambda: fake.add_page("docs/b", title="B"),
        lambda: (fake.clock.advance(60), fake.edit_page(1, "new content")),
    )
    result = run("watch", "--interval", "5", "--polls", "3", obj=runtime)
    assert result.exit_code == 0, result.output
    assert "watching pages on http://wikijs.fake every 5s; Ctrl-C stops" in result.stderr
    events = [line.split()[2:] for line in lines(result.stdout)]
    assert events == [
        ["page.created", "#2", "en/docs/b", "(B)"],
        ["page.updated", "#1", "en/docs/a", "(A)", "[updated_at]"],
    ]


def test_watch_prints_json_lines(fake: FakeWikiJS, run: Run) -> None:
    runtime = scripted(fake, lambda: fake.add_user("ada@example.com", name="Ada"))
    result = run("watch", "--namespace", "users", "--polls", "2", "--json", obj=runtime)
    assert result.exit_code == 0, result.output
    [event] = [json.loads(line) for line in lines(result.stdout)]
    assert (event["type"], event["user"]["email"]) == ("user.created", "ada@example.com")


def test_watch_reports_moves(fake: FakeWikiJS, run: Run) -> None:
    page = fake.add_page("docs/a", title="A")
    from wikijs import WikiJSClient

    client = WikiJSClient(fake.url, auth=fake.api_key, transport=fake.sync_transport())
    runtime = scripted(fake, lambda: client.pages.move(page.id, "docs/z"))
    result = run("watch", "--polls", "2", obj=runtime)
    client.close()
    assert result.stdout.split()[2:] == [
        "page.moved",
        f"#{page.id}",
        "en/docs/z",
        "(A)",
        "from",
        "en/docs/a",
    ]


def test_watch_delivers_to_a_webhook(fake: FakeWikiJS, run: Run, tmp_path: Path) -> None:
    server = WebhookServer(secret="webhook-secret")
    titles: list[str] = []
    got = threading.Event()

    @server.on("page.created")
    def on_page_created(event: PageEvent) -> None:
        titles.append(event.page.title)
        got.set()

    secret = tmp_path / "secret"
    secret.write_text("webhook-secret\n")
    runtime = scripted(fake, lambda: fake.add_page("docs/new", title="Fresh page"))
    with server.serve() as hook:
        result = run(
            "watch", "--webhook", hook, "--secret-file", str(secret), "--polls", "2", obj=runtime
        )
        assert result.exit_code == 0, result.output
        assert got.wait(timeout=10)
    assert titles == ["Fresh page"]
    assert "delivered page.created" in result.stderr
    assert "(HTTP 202, 1 attempt)" in result.stderr
    assert "webhook-secret" not in result.output


def test_a_failed_delivery_is_reported_and_exits_1(fake: FakeWikiJS, run: Run) -> None:
    server = WebhookServer(secret="the-real-secret")
    runtime = scripted(fake, lambda: fake.add_page("docs/new"))
    with server.serve() as hook:
        result = run(
            "watch", "--webhook", hook, "--polls", "2", obj=runtime,
            env={"WIKIJS_WEBHOOK_SECRET": "a-wrong-secret"},
        )  # fmt: skip
    assert result.exit_code == 1
    assert "not delivered: WebhookDeliveryError:" in result.stderr
    assert "HTTP 401" in result.stderr
    assert "a-wrong-secret" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--webhook", "http://127.0.0.1:9/hook"], "needs a signing secret"),
        (["--webhook", "http://x/h", "--secret-file", "/nonexistent/secret"], "cannot read"),
    ],
)
def test_watch_usage_errors(run: Run, args: list[str], message: str) -> None:
    result = run("watch", *args, "--polls", "1")
    assert result.exit_code == 2
    assert message in result.stderr


def test_an_empty_secret_file_is_refused(run: Run, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_text(" \n")
    result = run("watch", "--webhook", "http://x/h", "--secret-file", str(empty), "--polls", "1")
    assert result.exit_code == 2
    assert "is empty" in result.stderr


def fake_users(run: Run) -> list[dict[str, Any]]:
    """The wiki's users, read through the CLI."""
    return json.loads(run("users", "list", "--json").stdout)  # type: ignore[no-any-return]


def test_watch_prints_user_events_and_takes_a_secret_flag(fake: FakeWikiJS, run: Run) -> None:
    server = WebhookServer(secret="flag-secret")
    runtime = scripted(fake, lambda: fake.add_user("ada@example.com", name="Ada"))
    with server.serve() as hook:
        result = run(
            "watch", "--namespace", "users", "--polls", "2", "--webhook", hook,
            "--secret", "flag-secret", obj=runtime,
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    [ada] = [user for user in fake_users(run) if user["email"] == "ada@example.com"]
    assert result.stdout.split()[2:] == [
        "user.created",
        f"#{ada['id']}",
        "Ada",
        "<ada@example.com>",
    ]
