"""Tab completion: click's own, for bash, zsh and fish and inside ``wikijs interactive``."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import click
from click.shell_completion import ShellComplete, get_completion_class

SHELLS = ("bash", "zsh", "fish")
COMPLETE_VAR = "_WIKIJS_COMPLETE"


def detect_shell() -> str | None:
    name = Path(os.environ.get("SHELL", "")).name
    return name if name in SHELLS else None


@click.command("completion")
@click.argument("shell", required=False, type=click.Choice(SHELLS))
def completion(shell: str | None) -> None:
    """Print the tab-completion script for bash, zsh or fish.

    Load it from your shell's start-up file:

    \b
      bash: eval "$(wikijs completion bash)"          in ~/.bashrc
      zsh:  eval "$(wikijs completion zsh)"           in ~/.zshrc
      fish: wikijs completion fish > ~/.config/fish/completions/wikijs.fish

    Without SHELL, the one $SHELL names.
    """
    from ._app import cli

    chosen = shell or detect_shell()
    if chosen is None:
        raise click.UsageError("name the shell: wikijs completion bash|zsh|fish")
    complete = get_completion_class(chosen)
    assert complete is not None  # every name in SHELLS is one of click's
    click.echo(complete(cli, {}, "wikijs", COMPLETE_VAR).source())


def complete_line(root: click.Group, line: str, extra: tuple[str, ...] = ()) -> list[str]:
    """Completions for the last word of a partly typed command line (the interactive shell).

    ``extra`` are words the shell itself understands (``help``, ``exit``),
    offered for the first word.
    """
    try:
        words = shlex.split(line)
    except ValueError:  # an open quote: complete nothing rather than guess
        return []
    if line and not line[-1].isspace() and words:
        args, incomplete = words[:-1], words[-1]
    else:
        args, incomplete = words, ""
    found = [
        item.value
        for item in ShellComplete(root, {}, "wikijs", COMPLETE_VAR).get_completions(
            args, incomplete
        )
        if item.type == "plain"
    ]
    if not args:
        found += [word for word in extra if word.startswith(incomplete) and word not in found]
    return sorted(found)
