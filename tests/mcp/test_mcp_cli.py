"""``wikijs mcp`` on the command line: options that cannot go together, the HTTP token."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from wikijs.cli._app import cli
from wikijs.cli._mcp import TOKEN_ENV, bearer_token


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("WIKIJS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--allow-delete"], "--allow-delete needs --allow-write"),
        (["--path-prefix", "docs/"], "--path-prefix needs --allow-write"),
        (["--allow-write", "--path-prefix", "/"], "a path prefix cannot be empty"),
        (["--port", "9000"], "--host, --port and --token-file go with --http"),
        (["--http"], f"--http needs a bearer token: set {TOKEN_ENV}"),
        (["--api-key-file", "-"], "standard input carries the protocol"),
        ([], "no wiki URL"),
    ],
)
def test_options_that_cannot_work_are_usage_errors(options: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["mcp", *options])
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_the_token_comes_from_the_environment_first(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(TOKEN_ENV, "t" * 32)
    assert bearer_token(str(tmp_path / "unused")) == "t" * 32
    assert not (tmp_path / "unused").exists()
    monkeypatch.setenv(TOKEN_ENV, "short")
    with pytest.raises(click.UsageError, match="too short"):
        bearer_token(None)


def test_a_token_file_is_made_private_once_then_read(tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "mcp-token"
    made = bearer_token(str(path))
    assert len(made) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert bearer_token(str(path)) == made
