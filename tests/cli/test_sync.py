"""``wikijs sync DIR``: both ways, by content hash and front matter, conflicts left alone."""

from __future__ import annotations

import json
from pathlib import Path

from wikijs.testing import FakeWikiJS

from .conftest import Run, lines


def seed(fake: FakeWikiJS) -> tuple[int, int, int, int]:
    """Four pages; their ids: local, remote, both, quiet (1 to 4 on a fresh fake)."""
    return (
        fake.add_page("docs/local", title="Local", content="# Local\n").id,
        fake.add_page("docs/remote", title="Remote", content="# Remote\n").id,
        fake.add_page("docs/both", title="Both", content="# Both\n").id,
        fake.add_page("docs/quiet", title="Quiet", content="# Quiet\n").id,
    )


def content(run: Run, page_id: int) -> str:
    """The page's source as the wiki has it."""
    result = run("pages", "get", str(page_id), "--content")
    assert result.exit_code == 0, result.output
    return result.stdout


def exists(run: Run, page_id: int) -> bool:
    return run("pages", "get", str(page_id)).exit_code == 0


def test_sync_round_trips_a_change_on_each_side_and_leaves_a_conflict_alone(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    local_id, remote_id, both_id, _ = seed(fake)
    tree = tmp_path / "docs"
    first = run("sync", str(tree))
    assert first.exit_code == 0, first.output
    assert lines(first.stdout)[-1] == (
        "sync: 0 pushed, 4 pulled, 0 in sync, 0 conflicts, 0 held, 0 failed"
    )
    local, both = tree / "en/docs/local.md", tree / "en/docs/both.md"
    local.write_text(local.read_text().replace("# Local", "# Local, edited here"))
    both.write_text(both.read_text().replace("# Both", "# Both, edited here"))
    fake.edit_page(remote_id, "# Remote, edited in the wiki\n")
    fake.edit_page(both_id, "# Both, edited in the wiki\n")
    (tree / "en/docs/new.md").write_text("---\ntitle: New\ntags: [fresh]\n---\n# New\n")

    plan = run("sync", str(tree), "--dry-run")
    assert plan.exit_code == 1  # the conflict
    diff = [line for line in lines(plan.stdout) if line.startswith("    ")]
    assert diff[:2] == ["    --- en/docs/both.md (here)", "    +++ en/docs/both (in the wiki)"]
    assert "    -# Both, edited here" in diff
    assert "    +# Both, edited in the wiki" in diff
    assert [line for line in lines(plan.stdout) if not line.startswith("    ")] == [
        "CONFLICT      en/docs/both.md    en/docs/both  (content) changed here and in the "
        "wiki since the last sync (--prefer local or --prefer wiki settles it)",
        "push          en/docs/local.md -> en/docs/local  (content)",
        "push (new)    en/docs/new.md -> en/docs/new",
        "pull          en/docs/remote.md <- en/docs/remote  (content)",
        "sync: 2 to push, 1 to pull, 1 in sync, 1 conflicts, 0 held, 0 failed",
    ]
    assert content(run, local_id) == "# Local\n"

    result = run("sync", str(tree))
    assert result.exit_code == 1
    assert "CONFLICT      en/docs/both.md" in result.stdout
    assert lines(result.stdout)[-1] == (
        "sync: 2 pushed, 1 pulled, 1 in sync, 1 conflicts, 0 held, 0 failed"
    )
    assert content(run, local_id) == "# Local, edited here\n"
    assert (tree / "en/docs/remote.md").read_text().endswith("# Remote, edited in the wiki\n")
    new = json.loads(run("pages", "get", "docs/new", "--json").stdout)
    assert (new["title"], new["content"]) == ("New", "# New\n")
    # The conflict: neither side touched.
    assert both.read_text().endswith("# Both, edited here\n")
    assert content(run, both_id) == "# Both, edited in the wiki\n"

    again = run("sync", str(tree), "--json")
    assert again.exit_code == 1
    report = json.loads(again.stdout)
    assert report["counts"] == {
        "pushed": 0,
        "pulled": 0,
        "deleted in the wiki": 0,
        "deleted here": 0,
        "in sync": 4,
        "conflicts": 1,
        "held": 0,
        "failed": 0,
    }
    [conflict] = report["items"]
    assert (conflict["file"], conflict["step"]) == ("en/docs/both.md", "conflict")

    resolved = run("sync", str(tree), "--prefer", "wiki")
    assert resolved.exit_code == 0, resolved.output
    assert "pulled        en/docs/both.md <- en/docs/both  (content) --prefer wiki" in (
        resolved.stdout
    )
    assert both.read_text().endswith("# Both, edited in the wiki\n")
    assert lines(run("sync", str(tree)).stdout)[-1].startswith("sync: 0 pushed, 0 pulled, 5")


def test_prefer_local_settles_conflicts_with_the_files_and_never_deletes(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    a = fake.add_page("docs/a", title="A", content="# A\n").id
    b = fake.add_page("docs/b", title="B", content="# B\n").id
    tree = tmp_path / "t"
    run("sync", str(tree))
    (tree / "en/docs/a.md").write_text("# A here\n")
    fake.edit_page(a, "# A there\n")
    (tree / "en/docs/b.md").unlink()
    fake.edit_page(b, "# B there\n")
    result = run("sync", str(tree), "--prefer", "local", "--delete")
    assert result.exit_code == 1  # the deletion stays a conflict
    assert content(run, a) == "# A here\n"
    assert content(run, b) == "# B there\n"
    assert "--prefer never deletes" in result.stdout
    wiki = run("sync", str(tree), "--prefer", "wiki")
    assert wiki.exit_code == 0, wiki.output
    assert (tree / "en/docs/b.md").read_text().endswith("# B there\n")


def test_an_unchanged_tree_reads_no_page(fake: FakeWikiJS, run: Run, tmp_path: Path) -> None:
    seed(fake)
    run("sync", str(tmp_path / "t"))
    fake.reset_log()
    result = run("sync", str(tmp_path / "t"))
    assert result.exit_code == 0
    assert lines(result.stdout) == [
        "sync: 0 pushed, 0 pulled, 4 in sync, 0 conflicts, 0 held, 0 failed"
    ]
    assert not [r for r in fake.requests if "pages.single" in r.fields]
    assert not [r for r in fake.requests if "pages.update" in r.fields]


def test_the_same_change_on_both_sides_is_no_conflict(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    a = fake.add_page("docs/a", title="A", content="# A\n").id
    tree = tmp_path / "t"
    run("sync", str(tree))
    file = tree / "en/docs/a.md"
    file.write_text(file.read_text().replace("# A", "# A2"))
    fake.edit_page(a, "# A2\n")
    result = run("sync", str(tree))
    assert result.exit_code == 0, result.output
    assert lines(result.stdout)[-1].startswith("sync: 0 pushed, 0 pulled, 1 in sync")


def test_push_only_and_pull_only_hold_the_other_direction(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    local_id, remote_id, _, _ = seed(fake)
    tree = tmp_path / "t"
    run("sync", str(tree))
    (tree / "en/docs/local.md").write_text("# mine\n")
    fake.edit_page(remote_id, "# theirs\n")
    pushed = run("sync", str(tree), "--push")
    assert pushed.exit_code == 0, pushed.output
    assert (
        "held          en/docs/remote.md    en/docs/remote  (content) pull not done: --push only"
        in (pushed.stdout)
    )
    assert content(run, local_id) == "# mine\n"
    assert not (tree / "en/docs/remote.md").read_text().endswith("# theirs\n")
    pulled = run("sync", str(tree), "--pull")
    assert pulled.exit_code == 0, pulled.output
    assert (tree / "en/docs/remote.md").read_text().endswith("# theirs\n")


def test_deletions_are_reported_and_carried_over_only_with_delete(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    local_id, remote_id, _, _ = seed(fake)
    tree = tmp_path / "t"
    run("sync", str(tree))
    (tree / "en/docs/local.md").unlink()
    assert run("pages", "delete", str(remote_id), "--yes").exit_code == 0
    held = run("sync", str(tree))
    assert held.exit_code == 0
    # held deletions are neither pushed, pulled nor deleted
    assert lines(held.stdout)[-1] == (
        "sync: 0 pushed, 0 pulled, 2 in sync, 0 conflicts, 2 held, 0 failed"
    )
    assert "deleted here (--delete deletes the page)" in held.stdout
    assert "deleted in the wiki (--delete removes the file)" in held.stdout
    assert exists(run, local_id)
    deleted = run("sync", str(tree), "--delete")
    assert deleted.exit_code == 0, deleted.output
    assert not exists(run, local_id)
    assert not (tree / "en/docs/remote.md").exists()
    # a deletion is counted as one, not as a push or a pull
    assert lines(deleted.stdout)[-1] == (
        "sync: 0 pushed, 0 pulled, 1 deleted in the wiki, 1 deleted here, 2 in sync, "
        "0 conflicts, 0 held, 0 failed"
    )
    assert lines(run("sync", str(tree)).stdout)[-1].startswith(
        "sync: 0 pushed, 0 pulled, 2 in sync"
    )


def test_a_file_and_a_page_that_differ_before_any_sync_conflict(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    a = fake.add_page("docs/a", title="A", content="# In the wiki\n").id
    tree = tmp_path / "t"
    (tree / "docs").mkdir(parents=True)
    (tree / "docs/a.md").write_text("# Here\n")
    result = run("sync", str(tree))
    assert result.exit_code == 1
    assert "the file and the page differ and were never synced" in result.stdout
    assert content(run, a) == "# In the wiki\n"
    assert (tree / "docs/a.md").read_text() == "# Here\n"


def test_path_prefix_mirrors_one_part_of_the_wiki(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    fake.add_page("docs/a", title="A", content="# A\n")
    fake.add_page("docs/sub/b", title="B", content="# B\n")
    fake.add_page("docsx/c", title="C", content="# C\n")
    fake.add_page("other/d", title="D", content="# D\n")
    tree = tmp_path / "t"
    result = run("sync", str(tree), "--path-prefix", "docs")
    assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*.md"))
    assert files == ["en/docs/a.md", "en/docs/sub/b.md"]
    (tree / "en/other").mkdir()
    (tree / "en/other/e.md").write_text("# E\n")
    again = run("sync", str(tree), "--path-prefix", "docs")
    assert again.exit_code == 0, again.output
    assert "1 file(s) outside --locale/--path-prefix left alone (en/other/e.md)" in again.stderr
    assert fake.core.state.find_page("other/e", "en") is None


def test_export_path_prefix(fake: FakeWikiJS, run: Run, tmp_path: Path) -> None:
    fake.add_page("docs/a", title="A")
    fake.add_page("docsx/c", title="C")
    result = run("pages", "export", "--output", str(tmp_path / "o"), "--path-prefix", "/docs/")
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "o").rglob("*.md")] == ["a.md"]


def test_ctrl_c_during_a_push_reads_as_everywhere_else(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    from wikijs.cli._session import Runtime

    from .test_import_batches import Observed

    tree = tmp_path / "t"
    for n in range(4):
        (tree / "docs").mkdir(parents=True, exist_ok=True)
        (tree / f"docs/n-{n}.md").write_text(f"# N {n}\n")
    result = run(
        "sync", str(tree), "--batch-size", "2",
        obj=Runtime(transport=Observed(fake, interrupt_after_write=1)),
    )  # fmt: skip
    assert result.exit_code == 130
    assert "Interrupted (Ctrl-C): what was pushed or pulled is recorded" in result.stderr
    assert "Run the same command again to finish" in result.stderr
    assert "not confirmed" in result.stdout
    again = run("sync", str(tree))
    assert again.exit_code == 0, again.output
    assert len(fake.core.state.pages) == 4
