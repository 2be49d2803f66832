"""``wikijs interactive``: the same commands in a shell, fed through standard input."""

from __future__ import annotations

import json

from wikijs.testing import FakeWikiJS

from .conftest import Run


def test_a_session_runs_commands_and_shortcuts(fake: FakeWikiJS, run: Run) -> None:
    fake.add_page("docs/start", title="Start", content="# Start")
    api = fake.add_page("docs/api", title="API", content="# API")
    session = "\n".join(
        [
            "pages list --json",
            f"get {api.id} --content",
            "# a comment line",
            "",
            "users list --json",
            "exit",
            "pages list",  # never reached
        ]
    )
    result = run("interactive", input=session + "\n")
    assert result.exit_code == 0, result.output
    assert "up, Wiki.js 2.5.314, with API key" in result.stderr
    assert "acting as user 1 (Administrator" in result.stderr
    assert "Type help" in result.stderr
    decoder = json.JSONDecoder()
    listed, end = decoder.raw_decode(result.stdout)
    assert [page["path"] for page in listed] == ["docs/api", "docs/start"]
    rest = result.stdout[end:]
    assert rest.startswith("\n# API\n")
    users = json.loads(rest[len("\n# API\n") :])
    assert [user["id"] for user in users][:2] == [1, 2]  # the administrator and the guest


def test_errors_are_shown_and_the_session_goes_on(fake: FakeWikiJS, run: Run) -> None:
    start = fake.add_page("docs/start", title="Start", content="# Start")
    session = (
        "get 999999\npages list --filter bogus:x\nunknown-command\nget 'unclosed\n"
        f"get {start.id} --content\n"
    )
    result = run("interactive", input=session)
    assert result.exit_code == 0, result.output
    assert "NotFoundError: pages.get(999999): no page with id 999999\n" in result.stderr
    assert "unknown field 'bogus'" in result.stderr
    assert "No such command 'unknown-command'" in result.stderr
    assert "cannot read that line" in result.stderr
    assert result.stdout == "# Start\n"


def test_help_lists_commands_and_explains_one(run: Run) -> None:
    result = run("interactive", input="help\nhelp get\n? users create\ninteractive\nquit\n")
    assert result.exit_code == 0, result.output
    assert "pages create|delete|export|get|import|list|update" in result.stdout
    assert "Shortcuts for pages: create, delete, export, get, import, list, update" in result.stdout
    assert "Usage: wikijs pages get [OPTIONS] PAGE" in result.stdout
    assert "Usage: wikijs users create" in result.stdout
    assert "already in the interactive shell" in result.stderr


def test_one_client_serves_the_whole_session(fake: FakeWikiJS, run: Run) -> None:
    def profile_checks(script: str) -> int:
        fake.reset_log()
        result = run("interactive", input=script)
        assert result.exit_code == 0, result.output
        return sum("GetProfile" in r.operation_names for r in fake.requests)

    # A new client would check its API key again (one GetProfile) for each line.
    assert profile_checks("pages list\npages list\nusers list\n") == profile_checks("")


def test_a_declined_confirmation_does_not_end_the_session(fake: FakeWikiJS, run: Run) -> None:
    start = fake.add_page("docs/start", title="Start")
    result = run("interactive", input=f"delete {start.id}\nn\npages list --json\n")
    assert result.exit_code == 0, result.output
    assert "Aborted." in result.stderr
    assert len(json.loads(result.stdout)) == 1


def test_an_unreachable_wiki_ends_before_the_prompt(fake: FakeWikiJS, run: Run) -> None:
    from wikijs.testing import Fault

    fake.faults.push(Fault.refuse(path="/healthz"))
    result = run("interactive", input="pages list\n")
    assert result.exit_code == 1
    assert result.stderr.startswith("ConnectError: ")
    assert result.stdout == ""


def test_unknown_commands_get_a_hint_in_the_shells_terms(fake: FakeWikiJS, run: Run) -> None:
    result = run("interactive", input="pagez list\npages lisst\nget\n")
    assert result.exit_code == 0, result.output
    assert "Error: No such command 'pagez'." in result.stderr
    assert "Did you mean pages? Type help for the commands." in result.stderr
    assert "Did you mean list? Type help pages for the commands." in result.stderr
    assert "Type help pages get for its options." in result.stderr
    assert "Try 'wikijs" not in result.stderr


def test_tab_completion_offers_commands_shortcuts_and_options() -> None:
    from wikijs.cli._app import cli
    from wikijs.cli._interactive import Shell
    from wikijs.cli._session import Session

    shell = Shell(cli, Session())
    assert shell.complete("pa") == ["pages"]
    assert "exit" in shell.complete("")
    assert shell.complete("pages ex") == ["export"]
    assert shell.complete("get 12 --con") == ["--content"]  # a pages shortcut
    assert shell.complete("help us") == ["users"]
    assert shell.complete("sync docs --locale-dirs a") == ["always", "auto"]
    assert shell.complete("get 'unclosed") == []
