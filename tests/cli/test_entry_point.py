"""The ``wikijs`` entry point: exit statuses, one-line errors, --debug, the console script."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wikijs.cli import main
from wikijs.errors import NotFoundError
from wikijs.testing import FakeWikiJS

from .conftest import Run


def test_debug_lets_the_typed_error_through(fake: FakeWikiJS, run: Run) -> None:
    result = run("pages", "get", "999", "--debug")
    assert result.exit_code == 1
    assert isinstance(result.exception, NotFoundError)


def test_main_returns_statuses_and_prints_one_line(
    fake: FakeWikiJS, capsys: pytest.CaptureFixture[str]
) -> None:
    page = fake.add_page("docs/start", title="Start", content="# Start")
    with fake.serve() as url:
        key = ["--url", url, "--api-key", fake.api_key]
        assert main(["pages", "get", str(page.id), "--content", *key]) == 0
        assert capsys.readouterr().out == "# Start\n"
        assert main(["pages", "get", "999", *key]) == 1
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err.count("\n") == 1
        assert captured.err.startswith("wikijs pages get: no page with id")
        assert main(["health", "check", "--url", url, "--api-key", "bad-key"]) == 1
        assert "bad-key" not in capsys.readouterr().out
        assert main(["pages", "delete", str(page.id), *key]) == 1  # no answer on stdin: aborted
        assert main(["pages", "list", "--limit", "0", *key]) == 2
        assert "Invalid value for '--limit'" in capsys.readouterr().err
    assert main(["--version"]) == 0
    assert "wikijs, version" in capsys.readouterr().out


def test_an_unreachable_wiki_is_a_typed_line_and_a_hint(run: Run) -> None:
    import socket

    from wikijs.cli._session import Runtime

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run(
        "pages", "list", "--url", f"http://127.0.0.1:{port}", "--api-key", "k",
        connect=False, obj=Runtime(client_options={"retry_strategy": None}),
    )  # fmt: skip
    assert result.exit_code == 1
    first, advice = result.stderr.splitlines()
    assert first.startswith("wikijs pages list: cannot connect to ")
    assert first.endswith("(ConnectError)")
    assert advice == (
        f"  hint: is the wiki running at http://127.0.0.1:{port}? 'wikijs health check' tells"
    )
    assert "Traceback" not in result.output


def console_script() -> Path:
    script = Path(sys.executable).parent / ("wikijs.exe" if os.name == "nt" else "wikijs")
    if not script.exists():  # pragma: no cover - the project is installed in tests
        pytest.skip("the wikijs console script is not installed")
    return script


def test_the_installed_console_script_runs_the_demo() -> None:
    script = console_script()
    version = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=30)
    assert version.returncode == 0
    assert version.stdout.startswith("wikijs, version ")
    started = time.monotonic()
    demo = subprocess.run([script, "demo"], capture_output=True, text=True, timeout=60)
    elapsed = time.monotonic() - started
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.rstrip().endswith("Done. Next: docs/getting-started.md")
    assert elapsed < 20


def test_the_console_script_exits_2_on_usage_errors() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIKIJS_")}
    env["XDG_CONFIG_HOME"] = "/nonexistent-xdg"
    result = subprocess.run(
        [console_script(), "pages", "list"], capture_output=True, text=True, timeout=30, env=env
    )
    assert result.returncode == 2
    assert "no wiki URL" in result.stderr


def test_main_says_aborted_when_a_confirmation_gets_no_answer(
    fake: FakeWikiJS, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    page = fake.add_page("docs/start")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    with fake.serve() as url:
        key = ["--url", url, "--api-key", fake.api_key]
        assert main(["pages", "delete", str(page.id), *key]) == 1
        assert capsys.readouterr().err.rstrip().endswith("Aborted.")
        assert main(["pages", "get", str(page.id), *key]) == 0  # still there


def test_the_demo_runs_in_process(run: Run) -> None:
    result = run("demo", connect=False)
    assert result.exit_code == 0, result.output
    assert "Done. Next: docs/getting-started.md" in result.stdout


def test_fake_server_is_still_wired(run: Run) -> None:
    result = run("fake-server", "--help", connect=False)
    assert result.exit_code == 0
    assert "--seed-demo" in result.stdout
