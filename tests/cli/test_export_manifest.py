"""``pages export`` never loses a local edit: the manifest, --force and --dry-run."""

from __future__ import annotations

import json
from pathlib import Path

from wikijs.cli._manifest import NAME
from wikijs.testing import FakeWikiJS

from .conftest import Run, lines


def export(run: Run, out: Path, *extra: str) -> tuple[int, str, str]:
    result = run("pages", "export", "--output", str(out), *extra)
    return result.exit_code, result.stdout, result.stderr


def test_export_refuses_to_overwrite_a_locally_edited_file(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    a = fake.add_page("docs/a", title="A", content="# A\n")
    b = fake.add_page("docs/b", title="B", content="# B\n")
    out = tmp_path / "backup"
    assert export(run, out)[0] == 0
    edited = out / "en/docs/a.md"
    edited.write_text(edited.read_text() + "\nmy local note\n", encoding="utf-8")
    fake.edit_page(a.id, "# A, edited in the wiki\n")
    fake.edit_page(b.id, "# B, edited in the wiki\n")

    status, stdout, _ = export(run, out)
    assert status == 1
    assert "kept               en/docs/a.md  edited here since the last export" in stdout
    assert lines(stdout)[-1].endswith(
        "0 new, 1 updated, 0 unchanged, 1 kept (edited here: --force overwrites)"
    )
    assert edited.read_text(encoding="utf-8").endswith("my local note\n")
    assert (out / "en/docs/b.md").read_text(encoding="utf-8").endswith("# B, edited in the wiki\n")

    status, stdout, _ = export(run, out, "--force")
    assert status == 0, stdout
    assert "overwritten        en/docs/a.md" in stdout
    assert edited.read_text(encoding="utf-8").endswith("# A, edited in the wiki\n")


def test_a_file_edited_while_its_page_did_not_change_is_kept_too(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    fake.add_page("docs/a", title="A", content="# A\n")
    out = tmp_path / "backup"
    export(run, out)
    (out / "en/docs/a.md").write_text("mine\n", encoding="utf-8")
    status, stdout, _ = export(run, out)
    assert status == 1
    assert "kept" in stdout
    assert (out / "en/docs/a.md").read_text(encoding="utf-8") == "mine\n"


def test_a_file_that_was_there_before_any_export_is_not_overwritten(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    fake.add_page("docs/a", title="A", content="# A\n")
    out = tmp_path / "backup"
    (out / "en/docs").mkdir(parents=True)
    (out / "en/docs/a.md").write_text("someone's notes\n", encoding="utf-8")
    status, _stdout, _ = export(run, out)
    assert status == 1
    assert (out / "en/docs/a.md").read_text(encoding="utf-8") == "someone's notes\n"


def test_dry_run_shows_what_would_change_and_writes_nothing(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    fake.add_page("docs/a", title="A", content="# A\n")
    b = fake.add_page("docs/b", title="B", content="# B\n")
    fake.add_page("docs/c", title="C", content="# C\n")
    out = tmp_path / "backup"
    export(run, out, "--locale", "en")
    manifest = (out / NAME).read_bytes()
    (out / "en/docs/a.md").write_text("mine\n", encoding="utf-8")
    fake.edit_page(b.id, "# B2\n")
    fake.add_page("docs/d", title="D", content="# D\n")

    status, stdout, _ = export(run, out, "--dry-run")
    assert status == 1  # a file would be kept
    assert lines(stdout) == [
        "would keep         en/docs/a.md  edited here since the last export; --force overwrites it",
        "would update       en/docs/b.md",
        "would write (new)  en/docs/d.md",
        f"would export 3 page(s) to {out.resolve()}: 1 new, 1 updated, 1 unchanged, "
        "1 kept (edited here: --force overwrites)",
    ]
    assert not (out / "en/docs/d.md").exists()
    assert (out / "en/docs/b.md").read_text(encoding="utf-8").endswith("# B\n")
    assert (out / NAME).read_bytes() == manifest


def test_unchanged_pages_are_not_downloaded_again(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    pages = [fake.add_page(f"docs/p{n}", title=f"P{n}") for n in range(5)]
    out = tmp_path / "backup"
    export(run, out)
    fake.edit_page(pages[2].id, "# changed\n")
    fake.reset_log()
    status, stdout, _ = export(run, out, "--json")
    assert status == 0
    report = json.loads(stdout)
    assert report["counts"]["unchanged"] == 4
    assert report["counts"]["updated"] == 1
    fetched = [r for r in fake.requests if "pages.single" in r.fields]
    assert len(fetched) == 1


def test_files_of_deleted_pages_stay_and_are_reported(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    fake.add_page("docs/a", title="A")
    fake.add_page("docs/b", title="B")
    out = tmp_path / "backup"
    export(run, out)
    fake.core.state.pages.pop(2)
    status, _stdout, stderr = export(run, out)
    assert status == 0
    assert "1 file(s) of pages no longer in the wiki were left in place: en/docs/b.md" in stderr
    assert (out / "en/docs/b.md").exists()
    assert "en/docs/b.md" not in json.loads((out / NAME).read_text())["files"]


def test_a_manifest_from_another_wiki_protects_every_differing_file(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    a = fake.add_page("docs/a", title="A", content="# A\n")
    out = tmp_path / "backup"
    export(run, out)
    data = json.loads((out / NAME).read_text())
    data["wiki"] = "https://other.example.com"
    (out / NAME).write_text(json.dumps(data))
    fake.edit_page(a.id, "# A2\n")
    status, stdout, stderr = export(run, out)
    assert status == 1
    assert "was last written from https://other.example.com" in stderr
    assert "kept" in stdout


def test_an_unreadable_manifest_stops_the_export(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    fake.add_page("docs/a", title="A")
    out = tmp_path / "backup"
    out.mkdir()
    (out / NAME).write_text("{not json")
    status, _stdout, stderr = export(run, out)
    assert status == 1
    assert stderr.startswith("wikijs pages export: ")
    assert "move it away" in stderr
    assert not (out / "en").exists()
