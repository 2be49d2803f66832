"""``wikijs interactive``: a shell running the same commands against one wiki."""

from __future__ import annotations

import difflib
import re
import shlex
import sys
import traceback
from collections.abc import Sequence

import click

from ._completion import complete_line
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
        self._matches: list[str] = []

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
        except click.UsageError as exc:
            self.usage_error(exc)
        except click.ClickException as exc:
            exc.show()
        except click.exceptions.Exit:
            pass
        except click.Abort:
            self.session.note("Aborted.")
        except Exception:  # only with --debug: expected errors are ClickExceptions
            traceback.print_exc()

    def usage_error(self, exc: click.UsageError) -> None:
        """Say what was wrong and how to find out more, in the shell's terms."""
        message = exc.format_message()
        self.session.note(f"Error: {message}", style="red")
        unknown = re.match(r"No such command '(.+?)'", message)
        group = exc.ctx.command if exc.ctx is not None else self.root
        if unknown and isinstance(group, click.Group):
            known = list(group.commands)
            if group is self.root:
                known += [*self.shortcuts, *HELP_WORDS, *EXIT_WORDS]
            close = difflib.get_close_matches(unknown.group(1), known, n=3)
            hint = f"Did you mean {' or '.join(close)}? " if close else ""
            topic = "" if group is self.root else f" {group.name}"
            self.session.note(f"{hint}Type help{topic} for the commands.")
        elif exc.ctx is not None:
            path = exc.ctx.command_path.removeprefix("wikijs").strip()
            self.session.note(f"Type help {path} for its options.")

    def complete(self, line: str) -> list[str]:
        """What Tab offers for the last word of ``line``."""
        words = line.split()
        first = words[0] if words else ""
        if (
            (len(words) > 1 or line.endswith(" "))
            and first in self.shortcuts
            and (first not in self.root.commands)
        ):
            line = "pages " + line
        if first in HELP_WORDS and (len(words) > 1 or line.endswith(" ")):
            line = line.split(None, 1)[1] if len(words) > 1 else ""
        return complete_line(self.root, line, (*self.shortcuts, *HELP_WORDS, *EXIT_WORDS))

    def readline_completer(self, text: str, state: int) -> str | None:
        import readline

        if state == 0:
            line = readline.get_line_buffer()[: readline.get_endidx()]
            # Python's readline appends no space after a unique match: add it here.
            self._matches = [match + " " for match in self.complete(line)]
        return self._matches[state] if state < len(self._matches) else None

    def help(self, topic: list[str]) -> None:
        if topic:
            self.invoke([*self.expand(topic), "--help"])
            return
        lines = ["Commands (as on the command line, without 'wikijs'):"]
        for name in sorted(self.root.commands):
            command = self.root.commands[name]
            if name in ("interactive", "demo", "fake-server", "completion") or command.hidden:
                continue
            if isinstance(command, click.Group):
                lines.append(f"  {name} {'|'.join(sorted(command.commands))}")
            else:
                lines.append(f"  {name}")
        if self.shortcuts:
            lines.append(f"Shortcuts for pages: {', '.join(self.shortcuts)} (e.g. get 12)")
        lines.append("help COMMAND shows its options; exit (or Ctrl-D) leaves.")
        click.echo("\n".join(lines))

    def setup_readline(self) -> None:  # pragma: no cover - runs in a terminal (tested with a pty)
        """Line editing, history and Tab completion for ``input()``."""
        try:
            import readline
        except ImportError:
            return
        readline.set_completer(self.readline_completer)
        readline.set_completer_delims(" \t\n")
        if "libedit" in (readline.__doc__ or ""):
            readline.parse_and_bind("bind ^I rl_complete")
        else:
            readline.parse_and_bind("tab: complete")

    def loop(self) -> None:
        terminal = sys.stdin.isatty()
        prompt = "wikijs> " if terminal else ""
        if terminal:  # pragma: no cover - tested in a pty, in a child process
            self.setup_readline()
        while True:
            try:
                line = input(prompt)
            except EOFError:
                if terminal:  # pragma: no cover - Ctrl-D: end the prompt's line
                    click.echo("")
                break
            except KeyboardInterrupt:  # pragma: no cover - Ctrl-C at the prompt: a new one
                click.echo("")
                continue
            if not self.run_line(line):
                break


@click.command(cls=WikiCommand)
@pass_session
def interactive(session: Session) -> None:
    """A shell for one wiki: the same commands, without typing wikijs.

    Run pages list, get 12, users list and so on, with one connection.
    Tab completes commands and options; help lists them; exit or Ctrl-D
    leaves.
    """
    from ._app import cli

    report = session.client().health()
    if not report.reachable:
        session.fail(f"ConnectError: {report.summary()}")
    session.note(f"{report.summary()}\nType help for the commands, exit to leave.")
    Shell(cli, session).loop()
