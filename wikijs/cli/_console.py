"""Where output goes: Rich on a terminal, plain lines everywhere else.

Standard output carries data and standard error commentary, each decided
on its own: a table piped into ``grep`` stays plain, aligned text while the
progress bar on the terminal's standard error still draws. Colour follows
Rich's rules, which honour ``NO_COLOR``, ``FORCE_COLOR`` and ``TERM=dumb``.
Rich is imported only when a terminal is there to draw on.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any

import click

from . import _output

if TYPE_CHECKING:
    from rich.console import Console


#: What a shell reports for a program ended by SIGPIPE (its reader went away).
EXIT_BROKEN_PIPE = 141


def discard_stdout() -> None:
    """After a broken pipe: send what is left of standard output nowhere.

    ``wikijs pages list | head -1``: the reader went away. Python would
    complain again when it flushes standard output at exit.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout without a descriptor
        pass


def _stream(err: bool) -> IO[str]:
    return sys.stderr if err else sys.stdout


def is_terminal(err: bool = False) -> bool:
    """Is standard output (or error) a terminal that can draw (not ``TERM=dumb``)?"""
    stream = _stream(err)
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):  # a closed or odd stream
        return False
    return tty and os.environ.get("TERM", "").lower() != "dumb"


#: A flexible column keeps at least this many characters on a narrow terminal.
MIN_FLEXIBLE = 8


class Terminal:
    """The two output streams, with a Rich console for each that is a terminal."""

    def __init__(self) -> None:
        self._consoles: dict[bool, Console] = {}

    def console(self, err: bool = False) -> Console:
        """A Rich console writing to standard output (or error)."""
        console = self._consoles.get(err)
        if console is None:
            from rich.console import Console

            console = Console(file=_stream(err), highlight=False, soft_wrap=True)
            self._consoles[err] = console
        return console

    def rich(self, err: bool = False) -> bool:
        """Whether to render with Rich on this stream (a terminal) or write plain text."""
        return is_terminal(err)

    def line(self, text: str, *, style: str | None = None, err: bool = False) -> None:
        """One line of text, styled on a terminal."""
        if style and self.rich(err):
            from rich.text import Text

            self.console(err).print(Text(text, style=style))
        else:
            click.echo(text, err=err)

    def table(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        styles: Sequence[str | None] = (),
        flexible: Sequence[int] = (),
    ) -> None:
        """A table: fitted to the terminal's width with Rich, else plain aligned text.

        On a terminal too narrow for the whole table, the ``flexible``
        columns (by index) give up width in proportion to theirs and end in
        ``…``; the others (ids, dates) keep theirs. Every row stays one line.
        """
        if not self.rich():
            click.echo(_output.table(headers, rows))
            return
        from rich import box
        from rich.measure import Measurement
        from rich.table import Table
        from rich.text import Text

        cells = [[_output.cell(value, None) for value in row] for row in rows]
        natural = [
            max([len(header), *(len(row[i]) for row in cells)]) for i, header in enumerate(headers)
        ]
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
        for index, header in enumerate(headers):
            style = styles[index] if index < len(styles) else None
            table.add_column(header, style=style, no_wrap=True, overflow="ellipsis")
        for row in cells:
            table.add_row(*(Text(text) for text in row))
        console = self.console()
        unbounded = console.options.update_width(sum(natural) * 2 + 100)
        needed = Measurement.get(console, unbounded, table).maximum
        widths = list(natural)
        for floor in (MIN_FLEXIBLE, 3):  # a little of each first; on a very narrow one, more
            excess = needed - console.width
            shrinkable = [i for i in flexible if widths[i] > floor]
            spare = sum(widths[i] - floor for i in shrinkable)
            if excess <= 0 or not spare:
                break
            for i in shrinkable:
                give = min(widths[i] - floor, -(-excess * (widths[i] - floor) // spare))
                widths[i] -= give
                needed -= give
                table.columns[i].max_width = widths[i]
        console.print(table, soft_wrap=False)

    def fields(self, pairs: Iterable[tuple[str, Any]]) -> None:
        """``name: value`` lines, names in bold on a terminal."""
        items = list(pairs)
        if not self.rich():
            click.echo(_output.fields(items))
            return
        from rich.text import Text

        width = max((len(name) for name, _ in items), default=0)
        console = self.console()
        for name, value in items:
            text = Text((name + ":").ljust(width + 1), style="bold")
            text.append(" " + _output.cell(value, None))
            console.print(text)
