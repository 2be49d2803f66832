"""``wikijs users list|create`` and ``wikijs health check|stats``."""

from __future__ import annotations

import json
from pathlib import Path

from wikijs.testing import FakeWikiJS, Fault

from .conftest import Run, lines

# Remove with the SDK fix: a strict xfail turns into a failure once it passes.


def test_users_list_table_and_filters(fake: FakeWikiJS, run: Run) -> None:
    ada = fake.add_user("ada@example.com", name="Ada Lovelace")
    bob = fake.add_user("bob@example.com", name="Bob")
    table = run("users", "list")
    assert table.exit_code == 0, table.output
    rows = lines(table.stdout)
    assert rows[0].split()[:3] == ["ID", "NAME", "EMAIL"]
    # the administrator (1) and the guest (2), then the users just added
    assert [row.split()[0] for row in rows[1:]] == ["1", "2", str(ada.id), str(bob.id)]
    found = json.loads(run("users", "list", "--filter", "ADA", "--json").stdout)
    assert [user["email"] for user in found] == ["ada@example.com"]
    limited = json.loads(
        run("users", "list", "--order-by", "name", "--limit", "2", "--json").stdout
    )
    assert [user["name"] for user in limited] == ["Ada Lovelace", "Administrator"]


def test_users_create_with_a_password_file_and_groups(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    editors = fake.add_group("Editors")
    secret = tmp_path / "pw"
    secret.write_text("s3cret-pass\nignored second line\n")
    result = run(
        "users", "create", "--email", "user@example.com", "--name", "John Doe",
        "--password-file", str(secret), "--group", "editors", "--group", "2", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    user = json.loads(result.stdout)
    assert (user["email"], user["name"]) == ("user@example.com", "John Doe")
    assert sorted(group["id"] for group in user["groups"]) == sorted([editors.id, 2])
    assert "s3cret-pass" not in result.output


def test_users_create_asks_for_the_password_hidden(fake: FakeWikiJS, run: Run) -> None:
    result = run(
        "users", "create", "--email", "user@example.com", "--name", "John Doe",
        input="hidden-pass\nhidden-pass\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().startswith("created user #")
    assert "<user@example.com>" in result.stdout
    assert "hidden-pass" not in result.output


def test_users_create_reads_the_password_from_standard_input(fake: FakeWikiJS, run: Run) -> None:
    result = run(
        "users", "create", "--email", "u@example.com", "--name", "Ursula", "--password-file", "-",
        input="piped-pass\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def test_users_create_failures(fake: FakeWikiJS, run: Run, tmp_path: Path) -> None:
    fake.add_user("taken@example.com")
    duplicate = run(
        "users", "create", "--email", "taken@example.com", "--name", "Xavier",
        "--password-file", "-", input="long-enough\n",
    )  # fmt: skip
    assert duplicate.exit_code == 1
    assert duplicate.stderr.startswith("wikijs users create: ")
    assert "(ConflictError)" in duplicate.stderr
    short = run(
        "users", "create", "--email", "new@example.com", "--name", "Xavier", "--password-file", "-",
        input="abc\n",
    )  # fmt: skip
    assert short.exit_code == 1
    assert short.stderr.startswith("wikijs users create: ")
    assert "(InvalidArgumentError)" in short.stderr
    unknown_group = run(
        "users", "create", "--email", "n@example.com", "--name", "Xavier", "--group", "Nobody",
        "--password-file", "-", input="long-enough\n",
    )  # fmt: skip
    assert unknown_group.exit_code == 2
    assert "no group named 'Nobody'" in unknown_group.stderr
    missing = run(
        "users", "create", "--email", "n@example.com", "--name", "Xavier",
        "--password-file", str(tmp_path / "nope"),
    )  # fmt: skip
    assert missing.exit_code == 2


def test_health_check_reports_version_and_user(fake: FakeWikiJS, run: Run) -> None:
    result = run("health", "check")
    assert result.exit_code == 0, result.output
    assert "status:    ok" in result.stdout
    assert "version:   2.5.314" in result.stdout
    assert "user:      Administrator <admin@example.com>" in result.stdout
    report = json.loads(run("health", "check", "--json").stdout)
    assert report["ok"] is True
    assert report["user"]["email"] == "admin@example.com"


def test_health_check_as_guest(fake: FakeWikiJS, run: Run) -> None:
    result = run("health", "check", "--url", fake.url, connect=False)
    assert result.exit_code == 0, result.output
    assert "user:      Guest" in result.stdout


def test_health_check_fails_for_bad_credentials(fake: FakeWikiJS, run: Run) -> None:
    result = run("health", "check", "--url", fake.url, "--api-key", "garbage", connect=False)
    assert result.exit_code == 1
    assert "status:    NOT OK" in result.stdout
    assert "garbage" not in result.output


def test_health_check_fails_when_unreachable(fake: FakeWikiJS, run: Run) -> None:
    fake.faults.push(Fault.refuse(path="/healthz"))
    result = run("health", "check", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["ok"], report["reachable"]) == (False, False)


def test_health_stats_from_system_info(fake: FakeWikiJS, run: Run) -> None:
    fake.seed_demo(pages=12)
    stats = json.loads(run("health", "stats", "--json").stdout)
    assert stats == {
        "pages": len(fake.core.state.pages),
        "users": len(fake.core.state.users),
        "groups": len(fake.core.state.groups),
        "tags": len(fake.core.state.tags),
        "source": "system info",
    }


def test_health_stats_falls_back_to_listings(fake: FakeWikiJS, run: Run) -> None:
    fake.seed_demo(pages=12)
    group = fake.add_group("Auditors", permissions=["read:pages", "manage:users", "manage:groups"])
    group.page_rules[0]["roles"] = ["read:pages"]
    key = fake.create_api_key("auditor", group_id=group.id)
    result = run("health", "stats", "--url", fake.url, "--api-key", key, connect=False)
    assert result.exit_code == 0, result.output
    assert "source: listings (system info needs manage:system)" in result.stdout
    assert f"pages:  {len(fake.core.state.pages)}" in result.stdout


def test_health_check_waits_for_the_wiki_with_progress(fake: FakeWikiJS, run: Run) -> None:
    for _ in range(3):
        fake.faults.push(Fault.refuse(path="/healthz"))
    result = run("health", "check", "--wait", "20", "--interval", "2")
    assert result.exit_code == 0, result.output
    assert "status:    ok" in result.stdout
    progress = [line for line in lines(result.stderr) if line.startswith("waiting for ")]
    assert progress[0] == "waiting for http://wikijs.fake: 1/10 checks (10%)"
    assert progress[-1] == "waiting for http://wikijs.fake: 10/10 checks (100%)"


def test_health_check_gives_up_after_waiting(fake: FakeWikiJS, run: Run) -> None:
    for _ in range(4):
        fake.faults.push(Fault.refuse(path="/healthz"))
    result = run("health", "check", "--wait", "3", "--interval", "1")
    assert result.exit_code == 1
    assert "NOT OK" in result.stdout
    assert "waiting for http://wikijs.fake: 3/3 checks (100%)" in result.stderr
