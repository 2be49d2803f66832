"""Help texts: connection options listed once, no RST markup, summaries never cut."""

from __future__ import annotations

import re
from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from wikijs.cli._app import cli

CONNECTION = ("--url", "--api-key", "--api-key-file", "--profile", "--config", "--timeout")


def every_command(
    group: click.Group = cli, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, command in sorted(group.commands.items()):
        if name == "fake-server":  # its --help is the server's own (argparse)
            continue
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from every_command(command, (*path, name))


COMMANDS = [pytest.param(path, command, id=" ".join(path)) for path, command in every_command()]


def help_of(*path: str, width: int = 80) -> str:
    result = CliRunner().invoke(cli, [*path, "--help"], terminal_width=width)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_root_lists_the_connection_options() -> None:
    text = help_of()
    for option in (*CONNECTION, "--json", "--no-progress", "--debug"):
        assert option in text


@pytest.mark.parametrize(("path", "command"), COMMANDS)
def test_commands_do_not_repeat_the_connection_options(
    path: tuple[str, ...], command: click.Command
) -> None:
    text = help_of(*path)
    if path[0] == "demo":  # the demo's own --url/--api-key pick a real wiki to tour
        return
    listed = re.findall(r"^  (--[a-z-]+)", text.split("Options:", 1)[1], re.MULTILINE)
    assert not set(listed) & set(CONNECTION)


@pytest.mark.parametrize(("path", "command"), COMMANDS)
@pytest.mark.parametrize("width", [60, 80, 120])
def test_help_has_no_markup_and_no_cut_summaries(
    path: tuple[str, ...], command: click.Command, width: int
) -> None:
    text = help_of(*path, width=width)
    assert "`" not in text
    assert "…" not in text
    if isinstance(command, click.Group):
        listing = text.split("Commands:", 1)[1]
        assert "..." not in listing.replace("[ARGS]...", "")


def test_options_after_the_command_still_work() -> None:
    # Hidden from the command's help, still accepted there (API contract:
    # `wikijs interactive --url ... --api-key ...`).
    result = CliRunner().invoke(cli, ["pages", "list", "--url"], terminal_width=80)
    assert result.exit_code == 2
    assert "Option '--url' requires an argument" in result.output
