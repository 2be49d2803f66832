"""The Rich side of the output, in-process: what a terminal gets, rendered at a fixed width.

``test_terminal.py`` runs the real thing on a pseudo-terminal; these tests
pretend the streams are terminals so the same code runs under coverage.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wikijs.cli import _console
from wikijs.cli._progress import LineTracker
from wikijs.testing import FakeWikiJS

from .conftest import Run


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_console, "is_terminal", lambda err=False: True)
    monkeypatch.setenv("COLUMNS", "60")


@pytest.mark.usefixtures("terminal")
def test_a_terminal_table_fits_its_width(fake: FakeWikiJS, run: Run) -> None:
    long = fake.add_page(
        "docs/long",
        title="A remarkably long title that would never fit in a narrow terminal window",
        tags=["one", "two", "three"],
    )
    result = run("pages", "list")
    assert result.exit_code == 0, result.output
    rows = [row for row in result.stdout.splitlines() if row.strip()]
    assert all(len(row) <= 60 for row in rows), rows
    assert "…" in rows[-1]
    assert rows[0].split() == ["ID", "PATH", "TITLE", "TAGS", "UPDATED"]  # none dropped
    assert rows[-1].split()[0] == str(long.id)


@pytest.mark.usefixtures("terminal")
def test_terminal_fields_and_styled_lines(fake: FakeWikiJS, run: Run, tmp_path: Path) -> None:
    page = fake.add_page("docs/start", title="Start", content="# Start")
    shown = run("pages", "get", str(page.id))
    assert "title:       Start" in shown.stdout
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/new.md").write_text("# New\n", encoding="utf-8")
    imported = run("pages", "import", "--directory", str(tmp_path))
    assert imported.exit_code == 0, imported.output
    # Standard output and error are the same terminal: while the bar is
    # drawn (on standard error) the results are printed above it.
    new = json.loads(run("pages", "get", "docs/new", "--json").stdout)
    assert f"created        docs/new.md  en/docs/new #{new['id']}" in imported.stderr
    assert "import" in imported.stderr
    assert imported.stdout == "1 created, 0 updated, 0 unchanged, 0 failed\n"


@pytest.mark.usefixtures("terminal")
def test_progress_bars_for_bytes(fake: FakeWikiJS, run: Run, tmp_path: Path) -> None:
    blob = tmp_path / "blob.bin"
    blob.write_bytes(b"x" * 200_000)
    result = run("assets", "upload", str(blob))
    assert result.exit_code == 0, result.output
    assert "upload" in result.stderr


def test_no_progress_means_none(fake: FakeWikiJS, run: Run, tmp_path: Path) -> None:
    (tmp_path / "note.md").write_text("# A\n", encoding="utf-8")
    result = run("--no-progress", "pages", "import", "--directory", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "import:" not in result.stderr


def test_line_progress_reports_each_tenth_once() -> None:
    seen: list[str] = []
    tracker = LineTracker("export", 25, "items", "pages", seen.append)
    for _ in range(25):
        tracker.advance(1)
    assert seen == [
        f"export: {n}/25 pages ({100 * n // 25}%)" for n in (3, 6, 9, 12, 15, 18, 21, 24, 25)
    ]
    bytes_seen: list[str] = []
    sized = LineTracker("download", 4 * 1024 * 1024, "bytes", "", bytes_seen.append)
    sized.update(2 * 1024 * 1024)
    sized.update(4 * 1024 * 1024)
    assert bytes_seen == [
        "download: 2.0 MB of 4.0 MB (50%)",
        "download: 4.0 MB of 4.0 MB (100%)",
    ]


def test_sizes_read_and_print_like_wikijs_settings() -> None:
    from wikijs.cli._output import parse_size, size

    assert parse_size("5mb") == parse_size("5 MB") == 5 * 1024 * 1024
    assert parse_size("512kb") == 512 * 1024
    assert parse_size("1048576") == 1048576
    assert size(3 * 1024**3) == "3.0 GB"
    for bad in ("", "lots", "-1mb", "nan"):
        with pytest.raises(ValueError):
            parse_size(bad)
