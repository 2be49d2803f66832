"""Progress for long work: a Rich bar on a terminal, a line per tenth of the work elsewhere.

Progress goes to standard error, so standard output stays data. Which kind
is used depends on standard error alone: a bar when it is a terminal, plain
lines (``import: 20/200 files (10%)``) when it is a file or a pipe, and
nothing with ``--no-progress``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, Protocol

from . import _output

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

Unit = Literal["items", "bytes"]

#: Non-terminal output gets about this many lines per task (one per tenth).
LINES_PER_TASK = 10


class Tracker(Protocol):
    """What a command reports its progress to."""

    def advance(self, amount: int = 1) -> None: ...

    def update(self, completed: int, total: int | None = None) -> None: ...

    def close(self) -> None: ...


class NullTracker:
    """Progress nobody sees (``--no-progress``, or nothing long to do)."""

    def advance(self, amount: int = 1) -> None:
        pass

    def update(self, completed: int, total: int | None = None) -> None:
        pass

    def close(self) -> None:
        pass


def amount(value: int, unit: Unit, noun: str) -> str:
    """``12 files`` or ``3.1 MB``."""
    return _output.size(value) if unit == "bytes" else f"{value} {noun}"


class LineTracker:
    """A line on standard error each time another tenth of the work is done.

    Example output for 200 files: ``import: 20/200 files (10%)`` …
    ``import: 200/200 files (100%)``.
    """

    def __init__(
        self, label: str, total: int, unit: Unit, noun: str, echo: Callable[[str], None]
    ) -> None:
        self.label = label
        self.total = total
        self.unit = unit
        self.noun = noun
        self.echo = echo
        self.completed = 0
        self.reported = 0
        self.step = max(1, math.ceil(total / LINES_PER_TASK))

    def advance(self, amount: int = 1) -> None:
        self.update(self.completed + amount)

    def update(self, completed: int, total: int | None = None) -> None:
        if total is not None and total != self.total:
            self.total = total
            self.step = max(1, math.ceil(total / LINES_PER_TASK))
        self.completed = completed
        if completed - self.reported >= self.step or (
            completed >= self.total > self.reported and completed > self.reported
        ):
            self.reported = completed
            self.echo(self.describe())

    def describe(self) -> str:
        if self.unit == "bytes":
            done = f"{_output.size(self.completed)} of {_output.size(self.total)}"
        else:
            done = f"{self.completed}/{self.total} {self.noun}"
        percent = f" ({100 * self.completed // self.total}%)" if self.total else ""
        return f"{self.label}: {done}{percent}"

    def close(self) -> None:
        pass


class BarTracker:
    """A Rich progress bar on the terminal's standard error."""

    def __init__(self, label: str, total: int, unit: Unit, noun: str, console: Console) -> None:
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            MofNCompleteColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        if unit == "bytes":
            columns = [
                TextColumn("{task.description}"),
                BarColumn(),
                DownloadColumn(binary_units=True),
                TransferSpeedColumn(),
                TimeRemainingColumn(),
            ]
        else:
            columns = [
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn(noun),
                TaskProgressColumn(),
                TimeRemainingColumn(),
            ]
        self.progress: Progress = Progress(
            *columns,
            console=console,
            transient=False,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self.task = self.progress.add_task(label, total=total)
        self.progress.start()

    @property
    def console(self) -> Console:
        return self.progress.console

    def advance(self, amount: int = 1) -> None:
        self.progress.advance(self.task, amount)

    def update(self, completed: int, total: int | None = None) -> None:
        self.progress.update(self.task, completed=completed, total=total)

    def close(self) -> None:
        self.progress.stop()
