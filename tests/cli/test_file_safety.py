"""The commands that touch the user's disk lose nothing and write nowhere else.

One test per finding of the file-handling review (issue 22), each written
against the code that had the flaw: symlinks followed out of the tree, a
file that does not parse taken for a deleted one, ``--prefer`` deleting,
a pull dropping ``path:`` and unknown keys, server-given file names
written outside the target, a cubic heading pattern, predictable temporary
names, and one unwritable page stopping an export.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import httpx
import pytest

from wikijs.cli._session import Runtime
from wikijs.testing import FakeWikiJS

from .conftest import Run, lines

SECRET = 'api_key = "super-secret-key"\n'


def page_contents(fake: FakeWikiJS) -> list[str]:
    return [page.content for page in fake.core.state.pages.values()]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- 1. symlinks ------------------------------------------------------------------------


def test_import_never_publishes_a_file_a_symlink_points_to_outside_the_folder(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    secret = write(tmp_path / "home/.config/wikijs/config.toml", SECRET)
    tree = tmp_path / "docs"
    write(tree / "intro.md", "# Intro\n")
    (tree / "notes.md").symlink_to(secret)
    (tree / "linked").symlink_to(secret.parent, target_is_directory=True)

    result = run("pages", "import", "--directory", str(tree))

    assert not any("super-secret-key" in text for text in page_contents(fake))
    assert result.exit_code == 1
    assert "notes.md" in result.stdout
    assert "symbolic link" in result.stdout
    assert [p.path for p in fake.core.state.pages.values()] == ["intro"]


def test_sync_never_pushes_a_file_a_symlink_points_to_outside_the_folder(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    secret = write(tmp_path / "home/config.toml", SECRET)
    tree = tmp_path / "docs"
    write(tree / "intro.md", "# Intro\n")
    (tree / "notes.md").symlink_to(secret)

    result = run("sync", str(tree))

    assert not any("super-secret-key" in text for text in page_contents(fake))
    assert result.exit_code == 1
    assert "notes.md" in result.stdout


# -- 2. a file that exists is never "deleted here" ---------------------------------------


def test_sync_delete_keeps_the_page_of_a_file_that_does_not_parse(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    page = fake.add_page("docs/a", title="A", content="# A\n")
    tree = tmp_path / "tree"
    assert run("sync", str(tree)).exit_code == 0
    file = tree / "en/docs/a.md"
    file.write_text(file.read_text(encoding="utf-8").replace('title: "A"', 'title: "A'))

    result = run("sync", str(tree), "--delete")

    assert page.id in fake.core.state.pages
    assert result.exit_code == 1
    assert "en/docs/a.md" in result.stdout
    assert file.exists()


def test_a_title_with_a_line_separator_survives_sync_and_delete(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    page = fake.add_page("docs/sep", title="one\u2028two\u2029three\x85four", content="# S\n")
    tree = tmp_path / "tree"
    assert run("sync", str(tree)).exit_code == 0

    again = run("sync", str(tree), "--delete")

    assert again.exit_code == 0, again.output
    assert page.id in fake.core.state.pages
    assert lines(again.stdout)[-1] == (
        "sync: 0 pushed, 0 pulled, 1 in sync, 0 conflicts, 0 held, 0 failed"
    )


# -- 3. deletions only with --delete; --prefer never deletes -------------------------------


def test_prefer_wiki_keeps_a_locally_edited_file_whose_page_was_deleted(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    page = fake.add_page("docs/a", title="A", content="# A\n")
    tree = tmp_path / "tree"
    assert run("sync", str(tree)).exit_code == 0
    file = tree / "en/docs/a.md"
    file.write_text(file.read_text(encoding="utf-8") + "\nmy edit\n", encoding="utf-8")
    assert run("pages", "delete", str(page.id), "--yes").exit_code == 0

    for extra in ((), ("--delete",)):
        result = run("sync", str(tree), "--prefer", "wiki", *extra)
        assert file.exists(), result.output
        assert file.read_text(encoding="utf-8").endswith("my edit\n")


def test_prefer_local_keeps_a_page_edited_in_the_wiki_whose_file_was_deleted(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    page = fake.add_page("docs/a", title="A", content="# A\n")
    tree = tmp_path / "tree"
    assert run("sync", str(tree)).exit_code == 0
    (tree / "en/docs/a.md").unlink()
    fake.edit_page(page.id, "# A, edited in the wiki\n")

    for extra in ((), ("--delete",)):
        result = run("sync", str(tree), "--prefer", "local", *extra)
        assert page.id in fake.core.state.pages, result.output
        assert fake.core.state.pages[page.id].content == "# A, edited in the wiki\n"


# -- 4. a pull keeps path:, locale: and keys the wiki does not store -----------------------


def test_a_pull_keeps_path_and_unknown_keys_so_the_file_stays_with_its_page(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    tree = tmp_path / "tree"
    file = write(
        tree / "notes.md",
        "---\n# who wrote it\nauthors: [ana]\npath: docs/elsewhere\ndate: 2024-05-01\n---\n"
        "# Notes\n",
    )
    assert run("sync", str(tree)).exit_code == 0
    [page] = fake.core.state.pages.values()
    assert page.path == "docs/elsewhere"
    fake.edit_page(page.id, "# Notes, edited in the wiki\n")

    pulled = run("sync", str(tree))
    assert pulled.exit_code == 0, pulled.output
    text = file.read_text(encoding="utf-8")
    assert "path: docs/elsewhere" in text
    assert "# who wrote it\nauthors: [ana]\n" in text
    assert "date: 2024-05-01" in text
    assert text.endswith("# Notes, edited in the wiki\n")

    again = run("sync", str(tree), "--delete")
    assert again.exit_code == 0, again.output
    assert [p.path for p in fake.core.state.pages.values()] == ["docs/elsewhere"]


# -- 5. server-given file names stay in the target folder ---------------------------------


class Renaming(httpx.BaseTransport):
    """The fake, reporting the asset ``escaped.sh`` under another name (as a hostile
    or broken server could) and serving it at whatever URL that name gives."""

    def __init__(self, fake: FakeWikiJS, name: str) -> None:
        self.inner = fake.sync_transport()
        self.name = name

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.path.endswith(".sh"):
            request = httpx.Request("GET", request.url.copy_with(path="/escaped.sh"))
        response = self.inner.handle_request(request)
        if request.method != "POST":
            return response
        body = response.read().replace(b'"escaped.sh"', json.dumps(self.name).encode())
        return httpx.Response(response.status_code, headers=response.headers, content=body)


@pytest.mark.parametrize("name", ["../escaped.sh", "/tmp/wikijs-absolute-escape.sh"])
def test_assets_download_keeps_a_server_given_name_inside_the_target(
    fake: FakeWikiJS, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    asset = fake.add_asset("escaped.sh", b"echo pwned\n")
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    outside = [tmp_path / "escaped.sh", Path("/tmp/wikijs-absolute-escape.sh")]
    for path in outside:
        path.unlink(missing_ok=True)
    runtime = Runtime(transport=Renaming(fake, name))

    first = run("assets", "download", str(asset.id), obj=runtime)
    second = run("assets", "download", str(asset.id), "--output", str(here), "--force", obj=runtime)

    assert not any(path.exists() for path in outside)
    assert (here / Path(name).name).read_bytes() == b"echo pwned\n", first.output + second.output


# -- 6. linear patterns --------------------------------------------------------------------


def test_a_heading_line_with_thousands_of_spaces_is_read_in_linear_time(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    tree = tmp_path / "tree"
    write(tree / "slow.md", "# a" + " " * 2000 + "b\n\ntext\n")
    # CPU time, not wall time: a busy machine does not fail the test, a
    # super-linear pattern (seconds of CPU here) still does.
    started = time.process_time()
    result = run("pages", "import", "--directory", str(tree), "--dry-run")
    assert result.exit_code == 0, result.output
    assert time.process_time() - started < 5


def test_the_fakes_renderer_reads_such_a_heading_in_linear_time() -> None:
    from wikijs.testing._render import render_markdown

    # CPU time, not wall time: a busy machine does not fail the test, a
    # super-linear pattern (seconds of CPU here) still does.
    started = time.process_time()
    render_markdown("# a" + " " * 2000 + "b\n")
    render_markdown("## a" + "\t" * 2000 + "b #\n")
    assert time.process_time() - started < 1


# -- 7. temporary files cannot be redirected ----------------------------------------------


def test_export_writes_through_unpredictable_temporary_files(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    fake.add_page("docs/a", title="A", content="# A\n")
    out = tmp_path / "backup"
    folder = out / "en/docs"
    folder.mkdir(parents=True)
    victims = [write(tmp_path / f"victim-{n}", "precious\n") for n in range(2)]
    pid = os.getpid()
    (folder / f".a.md.{pid}.tmp").symlink_to(victims[0])
    (out / f".wikijs-manifest.json.{pid}.tmp").symlink_to(victims[1])

    result = run("pages", "export", "--output", str(out))

    assert result.exit_code == 0, result.output
    assert [v.read_text(encoding="utf-8") for v in victims] == ["precious\n"] * 2
    assert not (folder / "a.md").is_symlink()
    assert (folder / "a.md").read_text(encoding="utf-8").endswith("# A\n")


# -- 8. one page that cannot be written never stops the rest --------------------------------


def test_a_page_whose_name_the_file_system_refuses_fails_alone(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    long = fake.add_page("docs/" + "长" * 120, title="Long", content="# Long\n")
    nul = fake.add_page("docs/nul", title="NUL", content="# NUL\n")
    fake.core.state.pages[nul.id].path = "docs/n\x00l"
    fake.add_page("docs/fine", title="Fine", content="# Fine\n")
    out = tmp_path / "backup"

    result = run("pages", "export", "--output", str(out))

    assert result.exit_code == 1
    assert (out / "en/docs/fine.md").read_text(encoding="utf-8").endswith("# Fine\n")
    assert (out / ".wikijs-manifest.json").exists()
    assert f"page {long.id}" in result.stderr
    assert f"page {nul.id}" in result.stderr
