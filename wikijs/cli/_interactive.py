"""``wikijs interactive``: a shell running the same commands against one wiki."""

from __future__ import annotations

import contextlib
import shlex
import sys
import traceback
from collections.abc import Sequence

import click

from ._session import Session, WikiCommand, pass_session

EXIT_WORDS = ("exit", "quit")
HELP_WORDS = ("help", "?")


class Shell:
    """Reads lines, runs each as a ``wikijs`` command line in one session.

    A first word that is a ``pages`` command (``list``, ``get``, …) and not
    a top-level one means ``pages <word>``. Errors are shown and the shell
    goes on; ``exit``, ``quit`` or end of input leave it.
    """

    def __init__(self, root: click.Group, session: Session) -> None:
        self.root = root
        self.session = session
        pages = root.commands.get("pages")
        self.shortcuts: Sequence[str] = (
            sorted(pages.commands) if isinstance(pages, click.Group) else ()
        )

    def words(self, line: str) -> list[str] | None:
        try:
            return shlex.split(line, comments=True)
        except ValueError as exc:
            self.session.note(f"cannot read that line: {exc}")
            return None

    def expand(self, words: list[str]) -> list[str]:
        head = words[0]
        if head not in self.root.commands and head in self.shortcuts:
            return ["pages", *words]
        return words

    def run_line(self, line: str) -> bool:
        """Run one line; ``False`` when the shell should end."""
        words = self.words(line)
        if not words:
            return True
        head = words[0].lower()
        if head in EXIT_WORDS:
            return False
        if head in HELP_WORDS:
            self.help(words[1:])
            return True
        if head == "interactive":
            self.session.note("already in the interactive shell")
            return True
        self.invoke(self.expand(words))
        return True

    def invoke(self, words: list[str]) -> None:
        try:
            # No parent: help and errors say `wikijs pages get`, not the outer command.
            with self.root.make_context("wikijs", list(words), obj=self.session) as sub:
                self.root.invoke(sub)
        except click.ClickException as exc:
            exc.show()
        except click.exceptions.Exit:
            pass
        except click.Abort:
            self.session.note("Aborted.")
        except Exception:  # only with --debug: expected errors are ClickExceptions
            traceback.print_exc()

    def help(self, topic: list[str]) -> None:
        if topic:
            self.invoke([*self.expand(topic), "--help"])
            return
        lines = ["Commands (as on the command line, without 'wikijs'):"]
        for name in sorted(self.root.commands):
            command = self.root.commands[name]
            if name in ("interactive", "demo", "fake-server") or command.hidden:
                continue
            if isinstance(command, click.Group):
                lines.append(f"  {name} {'|'.join(sorted(command.commands))}")
            else:
                lines.append(f"  {name}")
        if self.shortcuts:
            lines.append(f"Shortcuts for pages: {', '.join(self.shortcuts)} (e.g. get 12)")
        lines.append("help COMMAND shows its options; exit (or Ctrl-D) leaves.")
        click.echo("\n".join(lines))

    def loop(self) -> None:
        prompt = "wikijs> " if sys.stdin.isatty() else ""
        if prompt:  # pragma: no cover - needs a terminal
            with contextlib.suppress(ImportError):
                import readline  # noqa: F401 - line editing and history for input()
        while True:
            try:
                line = input(prompt)
            except EOFError:
                break
            except KeyboardInterrupt:  # pragma: no cover - needs a terminal
                click.echo("", err=True)
                continue
            if not self.run_line(line):
                break


@click.command(cls=WikiCommand)
@pass_session
def interactive(session: Session) -> None:
    """A shell for one wiki: run `pages list`, `get 12`, `users list`, …; `help`, `exit`."""
    from ._app import cli

    report = session.client().health()
    if not report.reachable:
        session.fail(f"ConnectError: {report.summary()}")
    session.note(f"{report.summary()}\nType help for the commands, exit to leave.")
    Shell(cli, session).loop()
