"""``wikijs assets list|upload|download|delete`` against the fake, progress counted in bytes."""

from __future__ import annotations

import json
from pathlib import Path

from wikijs.testing import FakeWikiJS

from .conftest import Run, lines


def files(tmp_path: Path) -> list[Path]:
    made = []
    for name, size in (("Logo One.png", 300_000), ("notes.txt", 5_000)):
        path = tmp_path / name
        path.write_bytes(b"\x89PNG" + bytes(size - 4) if name.endswith(".png") else b"n" * size)
        made.append(path)
    return made


def test_upload_list_download_delete(fake: FakeWikiJS, run: Run, tmp_path: Path) -> None:
    logo, notes = files(tmp_path)
    uploaded = run(
        "assets", "upload", str(logo), str(notes), "--folder", "/images/2026", "--create-folders"
    )
    assert uploaded.exit_code == 0, uploaded.output
    out = lines(uploaded.stdout)
    assert out[0].startswith(f"uploaded  {logo} -> #")
    assert out[0].endswith("images/2026/logo_one.png (293.0 KB)")
    # Not a terminal: a progress line per tenth of the bytes, ending at the total.
    progress = [line for line in lines(uploaded.stderr) if line.startswith("upload: ")]
    assert len(progress) >= 2
    assert progress[-1] == "upload: 297.9 KB of 297.9 KB (100%)"

    listed = json.loads(run("assets", "list", "/images/2026", "--json").stdout)
    assert sorted(a["filename"] for a in listed) == ["logo_one.png", "notes.txt"]
    table = run("assets", "list", "--recursive")
    assert "images/2026/notes.txt" in table.stdout

    target = tmp_path / "back.png"
    got = run("assets", "download", "images/2026/logo_one.png", "--output", str(target))
    assert got.exit_code == 0, got.output
    assert target.read_bytes() == logo.read_bytes()
    assert "download: 293.0 KB of 293.0 KB (100%)" in got.stderr
    again = run("assets", "download", "images/2026/logo_one.png", "--output", str(target))
    assert again.exit_code == 1
    assert "exists: --force replaces it" in again.stderr
    piped = run("assets", "download", str(listed[0]["id"]), "--output", "-")
    assert piped.stdout_bytes in (logo.read_bytes(), notes.read_bytes())

    deleted = run("assets", "delete", "images/2026/notes.txt", "--yes")
    assert deleted.exit_code == 0, deleted.output
    assert lines(deleted.stdout)[0].endswith("images/2026/notes.txt")
    assert [a.filename for a in fake.core.state.assets.values()] == ["logo_one.png"]


def test_a_missing_folder_fails_that_file_and_exits_1(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    logo, _ = files(tmp_path)
    result = run("assets", "upload", str(logo), "--folder", "/nowhere")
    assert result.exit_code == 1
    assert "NotFoundError" in result.stderr
    assert not fake.core.state.assets


def test_delete_asks_first(fake: FakeWikiJS, run: Run, tmp_path: Path) -> None:
    logo, _ = files(tmp_path)
    run("assets", "upload", str(logo))
    refused = run("assets", "delete", "logo_one.png", input="n\n")
    assert refused.exit_code == 1
    assert "Delete #" in refused.stderr
    assert fake.core.state.assets
