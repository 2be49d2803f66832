"""``wikijs pages import`` and ``pages export``: Markdown files with front matter."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from wikijs.cli._app import cli
from wikijs.cli._session import Runtime
from wikijs.testing import FakeWikiJS

from .conftest import Run, lines


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "pages"
    write(
        root,
        "docs/start.md",
        "---\ntitle: Getting started\ntags: [docs, intro]\ndescription: First steps\n---\n"
        "# Start\n\nWelcome.\n",
    )
    write(root, "docs/no-front-matter.md", "# A heading becomes the title\n\nText.\n")
    write(root, "de/handbuch/regeln.md", "---\ntitle: Regeln\npublished: false\n---\n# Regeln\n")
    write(root, ".hidden/skip.md", "# not imported\n")
    write(root, "notes.txt", "not markdown")
    return root


def pages_of(run: Run) -> dict[tuple[str, str], dict[str, object]]:
    listing = json.loads(run("pages", "list", "--json").stdout)
    out: dict[tuple[str, str], dict[str, object]] = {}
    for item in listing:
        page = json.loads(run("pages", "get", str(item["id"]), "--json").stdout)
        out[(page["locale"], page["path"])] = {
            "title": page["title"],
            "description": page["description"],
            "content": page["content"],
            "tags": sorted(page["tags"]),
            "published": page["is_published"],
            "editor": page["editor"],
        }
    return out


def test_import_creates_pages_from_files(fake: FakeWikiJS, run: Run, folder: Path) -> None:
    fake.install_locale("de")
    result = run("pages", "import", "--directory", str(folder))
    assert result.exit_code == 0, result.output
    assert lines(result.stdout)[-1] == "3 created, 0 updated, 0 unchanged, 0 failed"
    pages = pages_of(run)
    assert set(pages) == {
        ("en", "docs/start"),
        ("en", "docs/no-front-matter"),
        ("de", "handbuch/regeln"),
    }
    assert pages[("en", "docs/start")] == {
        "title": "Getting started",
        "description": "First steps",
        "content": "# Start\n\nWelcome.\n",
        "tags": ["docs", "intro"],
        "published": True,
        "editor": "markdown",
    }
    assert pages[("en", "docs/no-front-matter")]["title"] == "A heading becomes the title"
    assert pages[("de", "handbuch/regeln")]["published"] is False


def test_importing_again_changes_nothing(fake: FakeWikiJS, run: Run, folder: Path) -> None:
    fake.install_locale("de")
    run("pages", "import", "--directory", str(folder))
    fake.reset_log()
    again = run("pages", "import", "--directory", str(folder), "--json")
    report = json.loads(again.stdout)
    assert report["counts"] == {"create": 0, "update": 0, "unchanged": 3, "failed": 0}
    fields = [name for record in fake.requests for name in record.fields]
    assert "pages.list" in fields
    assert "pages.create" not in fields
    assert "pages.update" not in fields


def test_import_updates_only_what_the_file_states(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    start = fake.add_page(
        "docs/start", title="Old title", content="# Old", tags=["keep"], description="kept"
    )
    root = tmp_path / "in"
    write(root, "docs/start.md", "---\ntitle: New title\n---\n# New\n")
    result = run("pages", "import", "--directory", str(root), "--json")
    assert result.exit_code == 0, result.output
    [entry] = json.loads(result.stdout)["files"]
    changed = ["content", "title"]
    assert (entry["action"], entry["id"], entry["changes"]) == ("update", start.id, changed)
    page = json.loads(run("pages", "get", str(start.id), "--json").stdout)
    assert (page["title"], page["content"], page["description"]) == ("New title", "# New\n", "kept")
    assert page["tags"] == ["keep"]


def test_dry_run_reports_and_writes_nothing(fake: FakeWikiJS, run: Run, folder: Path) -> None:
    start = fake.add_page("docs/start", title="Getting started", content="# Old")
    result = run("pages", "import", "--directory", str(folder), "--dry-run")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "would create" in out
    assert (
        f"would update   docs/start.md  en/docs/start #{start.id} (content, description, tags)"
        in out
    )
    assert lines(out)[-1] == "2 would create, 1 would update, 0 unchanged, 0 failed"
    assert len(fake.core.state.pages) == 1
    assert fake.core.state.pages[1].content == "# Old"


def test_bad_files_fail_alone_and_exit_1(fake: FakeWikiJS, run: Run, tmp_path: Path) -> None:
    root = tmp_path / "in"
    write(root, "good.md", "# Good\n")
    write(root, "broken.md", "---\ntitle: [unclosed\n---\nx")
    write(root, "same.md", "---\npath: good\n---\n# Same page as good.md\n")
    (root / "latin1.md").write_bytes("caf\xe9".encode("latin-1"))
    write(root, "dup/page-a.md", "---\npath: clash/one\n---\n# A\n")
    result = run("pages", "import", "--directory", str(root), "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    outcome = {entry["file"]: (entry["action"], entry["error"]) for entry in report["files"]}
    assert outcome["good.md"] == ("create", None)
    assert outcome["dup/page-a.md"] == ("create", None)
    assert outcome["broken.md"][0] == "failed"
    assert "line 3: expected ','" in outcome["broken.md"][1]
    assert outcome["latin1.md"] == ("failed", "latin1.md: not UTF-8")
    assert outcome["same.md"][0] == "failed"
    assert [p.path for p in fake.core.state.pages.values()] == ["clash/one", "good"]


def test_a_create_refused_by_the_wiki_is_reported_per_file(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    root = tmp_path / "in"
    write(root, "fine.md", "# Fine\n")
    write(root, "weird.md", "---\neditor: wysiwyg\n---\n# Unknown editor\n")
    result = run("pages", "import", "--directory", str(root))
    assert result.exit_code == 1
    failed = [line for line in lines(result.stdout) if line.startswith("failed")]
    assert len(failed) == 1
    assert "weird.md" in failed[0]
    assert "InvalidArgumentError" in failed[0]
    assert [p.path for p in fake.core.state.pages.values()] == ["fine"]


def test_import_needs_an_existing_directory(run: Run, tmp_path: Path) -> None:
    result = run("pages", "import", "--directory", str(tmp_path / "missing"))
    assert result.exit_code == 2


def test_export_writes_locale_path_files_with_front_matter(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    fake.add_page(
        "docs/start", title="Start", content="# Start\n", tags=["b", "a"], description="d"
    )
    fake.add_page("handbuch/x", title="X", content="x", locale="de", is_published=False)
    out = tmp_path / "backup"
    result = run("pages", "export", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        f"exported 2 page(s) to {out.resolve()}: 2 new, 0 updated, 0 unchanged"
    )
    assert (out / "en/docs/start.md").read_text(encoding="utf-8") == (
        "---\n"
        'title: "Start"\n'
        'description: "d"\n'
        'tags: ["b", "a"]\n'
        'locale: "en"\n'
        'editor: "markdown"\n'
        "published: true\n"
        "private: false\n"
        "---\n"
        "# Start\n"
    )
    assert (
        (out / "de/handbuch/x.md")
        .read_text(encoding="utf-8")
        .endswith("published: false\nprivate: false\n---\nx")
    )


def test_export_filters_by_locale_and_reports_json(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    fake.add_page("docs/start", title="Start")
    fake.add_page("handbuch/x", title="X", locale="de")
    result = run("pages", "export", "--output", str(tmp_path / "b"), "--locale", "de", "--json")
    report = json.loads(result.stdout)
    assert [(p["locale"], p["path"], p["file"]) for p in report["pages"]] == [
        ("de", "handbuch/x", "de/handbuch/x.md")
    ]
    assert report["errors"] == []


def test_export_then_import_into_a_fresh_wiki_gives_the_same_pages(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    fake.seed_demo(pages=40)
    fake.add_page(
        "docs/tricky",
        title='Quotes " and: colons',
        content="---\nnot front matter\n---\n\r\nend",
        tags=["x y"],
    )
    out = tmp_path / "backup"
    assert run("pages", "export", "--output", str(out)).exit_code == 0
    before = pages_of(run)

    fresh = FakeWikiJS()
    fresh.install_locale("de")  # the demo has German pages
    try:
        fresh_runtime = Runtime(transport=fresh.sync_transport())
        args = ["--url", fresh.url, "--api-key", fresh.api_key]
        imported = CliRunner().invoke(
            cli, ["pages", "import", "--directory", str(out), *args], obj=fresh_runtime
        )
        assert imported.exit_code == 0, imported.output
        assert (
            lines(imported.stdout)[-1] == f"{len(before)} created, 0 updated, 0 unchanged, 0 failed"
        )

        def fresh_run(*argv: str) -> object:
            return CliRunner().invoke(cli, [*argv, *args], obj=fresh_runtime)

        after = pages_of(fresh_run)  # type: ignore[arg-type]
    finally:
        fresh.close()
    assert after == before


def test_import_sets_publication_and_privacy_of_existing_pages(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    fake.add_page("docs/a", title="A", content="# A")
    root = tmp_path / "in"
    write(root, "docs/a.md", "---\npublished: false\nprivate: true\n---\n# A")
    result = run("pages", "import", "--directory", str(root), "--json")
    [entry] = json.loads(result.stdout)["files"]
    assert entry["changes"] == ["is_private", "is_published"]
    assert fake.core.state.pages[1].is_published is False


def test_an_update_refused_by_the_wiki_is_reported_per_file(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    from wikijs.testing import Fault

    fake.add_page("docs/a", title="A", content="# A")
    root = tmp_path / "in"
    write(root, "docs/a.md", "# changed")
    fake.faults.push(Fault.http(400, operation="pages.update"))
    result = run("pages", "import", "--directory", str(root))
    assert result.exit_code == 1
    assert lines(result.stdout)[0].startswith(
        "failed         docs/a.md  en/docs/a #1 HTTPStatusError"
    )


def test_pages_that_cannot_be_file_names_are_skipped(
    fake: FakeWikiJS, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wikijs.cli import _exporting

    fake.add_page("docs/fine", title="Fine")
    odd = fake.add_page("docs/odd", title="Odd")
    real = _exporting.page_file_bytes

    def refuse(page: Any, *args: Any) -> bytes:
        if page.path == "docs/odd":
            raise _exporting.PageFileError("cannot be a file name")
        return real(page, *args)

    monkeypatch.setattr(_exporting, "page_file_bytes", refuse)
    result = run("pages", "export", "--output", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert f"skipped: page {odd.id} (en/'docs/odd'): cannot be a file name" in result.stderr
    assert (tmp_path / "out/en/docs/fine.md").exists()


@pytest.mark.parametrize(
    ("path", "locale"), [("docs/../x", "en"), ("docs//x", "en"), ("x", "../.."), ("a\x00b", "en")]
)
def test_export_path_refuses_unsafe_names(path: str, locale: str) -> None:
    from wikijs.cli._pagefiles import PageFileError, export_path

    with pytest.raises(PageFileError, match="cannot be a file name"):
        export_path(7, locale, path)
