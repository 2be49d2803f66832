"""A documentation tree as docs teams keep them: imported whole, exported back, synced both ways.

The tree (written here, in the shape of real projects' ``docs/`` folders)
has nested folders, YAML front matter with keys the wiki does not store,
file names Wiki.js refuses (spaces, dots, CJK), images beside the pages,
relative links written several ways, and a link to a missing file.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx
import pytest

from wikijs.cli._manifest import NAME
from wikijs.testing import FakeWikiJS

from .conftest import Run, lines

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>\n'

FILES: dict[str, str | bytes] = {
    "index.md": (
        "---\n"
        "title: Welcome\n"
        "# shown on the home page\n"
        "hide: [navigation]\n"
        "---\n"
        "# Welcome\n\n"
        "Start with the [guide](guide/) or [setup](guide/setup.md#install).\n"
        "Notes: [Fibonacci](notes/10.1%20斐波那契数列.md) and [the post][post].\n\n"
        "![logo](img/logo.png)\n\n"
        "[post]: <blog/posts/2024-05-01 hello.world.md>\n"
    ),
    "img/logo.png": PNG,
    "guide/index.md": (
        "# Guide\n\n"
        "Back [home](../index.md), then [setup](./setup.md) and [setup again](setup.md).\n"
        '<img src="shots/a b.png" width="40"> and ![logo](../img/logo.png "Logo").\n\n'
        "```md\n[not a link](nowhere.md)\n```\n"
        "Inline `[code](nowhere.md)` stays. A [wiki link](/en/guide/setup) stays too.\n"
        "From the root: ![icon](/_media/icon.svg), ![gone](/img/gone.png).\n"
    ),
    "_media/icon.svg": SVG.replace(b"4", b"6"),
    "guide/setup.md": (
        "---\n"
        "title: Setting up\n"
        "description: >\n"
        "  How to install\n"
        "tags: [setup, guide]\n"
        "date:\n"
        "  created: 2024-05-01   # first draft\n"
        "authors:\n"
        "  - ana\n"
        "---\n"
        "# Setting up\n\n## Install\n\nSee ![shot](shots/a%20b.png).\n"
    ),
    "guide/shots/a b.png": PNG[::-1],
    "notes/10.1 斐波那契数列.md": (
        "# 10.1 斐波那契数列\n\n见 [设置](../guide/setup.md)。![缺失](missing.png)\n"
    ),
    "blog/posts/2024-05-01 hello.world.md": (
        "---\n"
        "date: 2024-05-01\n"
        "categories: [News]\n"
        "links:\n"
        "  - guide/setup.md\n"
        "  - Plugins:\n"
        "    - plugins/blog.md\n"
        "draft: false\n"
        "---\n"
        "# Hello, world\n\n![diagram](hello.world/diagram.svg)\n"
    ),
    "blog/posts/hello.world/diagram.svg": SVG,
    "README.txt": "not a page, and nothing links to it\n",
}

PATHS = [
    "blog/posts/2024-05-01-hello-world",
    "guide/index",
    "guide/setup",
    "index",
    "notes/10-1-斐波那契数列",
]


def make_tree(root: Path) -> Path:
    for name, data in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


@pytest.fixture
def imported(run: Run, tmp_path: Path) -> Path:
    """The tree, imported into the fake with default options."""
    tree = make_tree(tmp_path / "docs")
    assert run("pages", "import", "--directory", str(tree)).exit_code == 0
    return tree


def page(fake: FakeWikiJS, path: str) -> object:
    found = fake.core.state.find_page(path, "en")
    assert found is not None, path
    return found


def served(fake: FakeWikiJS, url_path: str) -> httpx.Response:
    with httpx.Client(transport=fake.sync_transport(), base_url=fake.url) as http:
        return http.get(url_path, headers={"Authorization": f"Bearer {fake.api_key}"})


def test_a_docs_tree_imports_whole_with_default_options(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    tree = make_tree(tmp_path / "docs")

    result = run("pages", "import", "--directory", str(tree))

    assert result.exit_code == 0, result.output
    assert lines(result.stdout)[-1] == "5 created, 0 updated, 0 unchanged, 0 failed"
    assert sorted(p.path for p in fake.core.state.pages.values()) == PATHS
    home = page(fake, "index")
    assert home.content == (  # type: ignore[attr-defined]
        "# Welcome\n\n"
        "Start with the [guide](/en/guide/index) or [setup](/en/guide/setup#install).\n"
        "Notes: [Fibonacci](/en/notes/10-1-斐波那契数列) and [the post][post].\n\n"
        "![logo](/img/logo.png)\n\n"
        "[post]: </en/blog/posts/2024-05-01-hello-world>\n"
    )
    guide = page(fake, "guide/index").content  # type: ignore[attr-defined]
    assert '<img src="/guide/shots/a_b.png" width="40">' in guide
    assert "```md\n[not a link](nowhere.md)\n```" in guide
    assert "`[code](nowhere.md)`" in guide
    setup = page(fake, "guide/setup")
    assert (setup.title, setup.description) == ("Setting up", "How to install\n")  # type: ignore[attr-defined]
    # Every link between the pages resolves, and the wiki shows none as missing
    # (pages linking to pages created after them are rendered again; how many
    # depends on the order the write lanes finish in).
    for stored in fake.core.state.pages.values():
        assert "is-internal-link is-valid-page" in stored.render or not stored.links
        assert "is-invalid-page" not in stored.render, stored.path
    # Every image the pages show is there, at the address the page uses.
    for address, data in (
        ("/img/logo.png", PNG),
        ("/guide/shots/a_b.png", PNG[::-1]),
        ("/blog/posts/hello-world/diagram.svg", SVG),
    ):
        answer = served(fake, address)
        assert (answer.status_code, answer.content) == (200, data), address
    notes = result.stderr
    assert (
        "note: front matter keys the wiki does not store stay only in the files: "
        "date (2 files), authors (1 file), categories (1 file), draft (1 file), "
        "hide (1 file), links (1 file)" in " ".join(notes.split())
    )
    assert "link left as written: notes/10.1 斐波那契数列.md: missing.png (no such file)" in notes
    assert (
        "link left as written: guide/index.md: /img/gone.png (an absolute path to a file "
        "the folder does not have)" in notes
    )
    assert "/en/guide/setup" not in notes  # a wiki address is not a missing file
    assert "assets: 4 uploaded, 0 unchanged, 0 failed" in notes
    assert (tree / NAME).exists()


def test_a_page_linking_to_a_page_created_after_it_is_rendered_again(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    tree = make_tree(tmp_path / "docs")

    # one lane: the files go in order, so index.md (linking to notes/, created
    # after it) is the one page Wiki.js first rendered with a missing link
    result = run("pages", "import", "--directory", str(tree), "--concurrency", "1")

    assert result.exit_code == 0, result.output
    assert "rendered 1 page(s) again" in result.stderr
    assert "is-invalid-page" not in page(fake, "index").render  # type: ignore[attr-defined]


def test_a_link_from_the_sites_root_resolves_in_a_folder_of_several_sites(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    # two projects' docs/ folders side by side: "/" is each one's own root
    root = tmp_path / "sites"
    for site, data in (("one", PNG), ("two", PNG[::-1])):
        (root / site / "_media").mkdir(parents=True)
        (root / site / "_media" / "logo.png").write_bytes(data)
        (root / site / "README.md").write_text(f"# {site}\n\n![logo](/_media/logo.png)\n")

    result = run("pages", "import", "--directory", str(root))

    assert result.exit_code == 0, result.output
    assert "left as written" not in result.stderr
    for site, data in (("one", PNG), ("two", PNG[::-1])):
        content = page(fake, f"{site}/README").content  # type: ignore[attr-defined]
        assert f"![logo](/{site}/_media/logo.png)" in content
        assert served(fake, f"/{site}/_media/logo.png").content == data


def test_importing_the_tree_again_sends_nothing(
    fake: FakeWikiJS, run: Run, tmp_path: Path, imported: Path
) -> None:
    tree = imported
    fake.reset_log()

    again = run("pages", "import", "--directory", str(tree), "--json")

    assert again.exit_code == 0, again.output
    report = json.loads(again.stdout)
    assert report["counts"] == {"create": 0, "update": 0, "unchanged": 5, "failed": 0}
    assert [a["action"] for a in report["assets"]] == ["unchanged"] * 4
    assert report["unstored_keys"] == ["authors", "categories", "date", "draft", "hide", "links"]
    assert not [r for r in fake.requests if r.path == "/u" or "pages.create" in r.fields]


def test_export_writes_the_files_back_as_they_were(
    fake: FakeWikiJS, run: Run, tmp_path: Path, imported: Path
) -> None:
    tree = imported
    copy = tmp_path / "copy"
    shutil.copytree(tree, copy)
    for name in FILES:
        if name.endswith(".md"):  # keep the front matter, lose the body
            text = (copy / name).read_text(encoding="utf-8")
            head = text[: text.index("---\n", 4) + 4] if text.startswith("---\n") else ""
            (copy / name).write_text(head + "lost\n", encoding="utf-8")

    result = run("pages", "export", "--output", str(copy), "--force")

    assert result.exit_code == 0, result.output
    assert_same_markdown(copy, tree)


def assert_same_markdown(written: Path, source: Path) -> None:
    """``written`` holds the Markdown files of the tree, byte for byte, and no others."""
    markdown = sorted(name for name in FILES if name.endswith(".md"))
    assert sorted(p.relative_to(written).as_posix() for p in written.rglob("*.md")) == markdown
    for name in markdown:  # names, front matter (comments, unstored keys), links
        assert (written / name).read_bytes() == (source / name).read_bytes(), name


def test_an_export_into_a_fresh_folder_given_the_import_manifest_reproduces_the_files(
    fake: FakeWikiJS, run: Run, tmp_path: Path, imported: Path
) -> None:
    tree = imported
    fresh = tmp_path / "fresh"

    result = run("pages", "export", "--output", str(fresh), "--manifest", str(tree))

    assert result.exit_code == 0, result.output
    assert_same_markdown(fresh, tree)
    assert (fresh / NAME).exists()

    # A description edited in the wiki: only that key of the file changes.
    setup_id = str(page(fake, "guide/setup").id)  # type: ignore[attr-defined]
    edited = run("pages", "update", setup_id, "--description", "Edited in the wiki")
    assert edited.exit_code == 0, edited.output
    again = tmp_path / "again"
    assert run("pages", "export", "--output", str(again), "--manifest", str(tree)).exit_code == 0
    source = (tree / "guide/setup.md").read_text(encoding="utf-8")
    assert (again / "guide/setup.md").read_text(encoding="utf-8") == source.replace(
        "description: >\n  How to install\n", 'description: "Edited in the wiki"\n'
    )

    # --manifest starts a folder; one with a manifest of its own is refused.
    refused = run("pages", "export", "--output", str(fresh), "--manifest", str(tree))
    assert refused.exit_code == 2
    assert "has a manifest of its own" in refused.output


def test_a_fresh_export_holds_every_page_with_what_the_wiki_stores(
    fake: FakeWikiJS, run: Run, tmp_path: Path, imported: Path
) -> None:
    out = tmp_path / "fresh"

    result = run("pages", "export", "--output", str(out))

    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md"))
    assert written == [f"en/{path}.md" for path in PATHS]
    setup = (out / "en/guide/setup.md").read_text(encoding="utf-8")
    assert 'title: "Setting up"' in setup
    assert 'tags: ["setup", "guide"]' in setup or 'tags: ["guide", "setup"]' in setup


def test_sync_on_the_tree_loses_nothing_without_delete(
    fake: FakeWikiJS, run: Run, tmp_path: Path, imported: Path
) -> None:
    tree = imported
    first = run("sync", str(tree))
    assert first.exit_code == 0, first.output
    assert lines(first.stdout)[-1] == (
        "sync: 0 pushed, 0 pulled, 5 in sync, 0 conflicts, 0 held, 0 failed"
    )
    notes, setup = tree / "notes/10.1 斐波那契数列.md", tree / "guide/setup.md"
    # edit here, edit there, delete here, delete there, both edit one page
    notes.write_text(notes.read_text(encoding="utf-8") + "\n本地修改。\n", encoding="utf-8")
    wiki_edit = page(fake, "guide/index")
    fake.edit_page(wiki_edit.id, wiki_edit.content + "\nEdited in the wiki.\n")  # type: ignore[attr-defined]
    (tree / "index.md").unlink()
    post = page(fake, "blog/posts/2024-05-01-hello-world")
    assert run("pages", "delete", str(post.id), "--yes").exit_code == 0  # type: ignore[attr-defined]
    setup.write_text(setup.read_text(encoding="utf-8") + "\nHere.\n", encoding="utf-8")
    both = page(fake, "guide/setup")
    fake.edit_page(both.id, both.content + "\nThere.\n")  # type: ignore[attr-defined]

    result = run("sync", str(tree))

    assert result.exit_code == 1  # the conflict
    assert lines(result.stdout)[-1] == (
        "sync: 1 pushed, 1 pulled, 0 in sync, 1 conflicts, 2 held, 0 failed"
    )
    assert "本地修改" in page(fake, "notes/10-1-斐波那契数列").content  # type: ignore[attr-defined]
    assert (tree / "guide/index.md").read_text(encoding="utf-8").endswith("Edited in the wiki.\n")
    assert "[setup](./setup.md)" in (tree / "guide/index.md").read_text(encoding="utf-8")
    assert page(fake, "index") is not None  # deleted here: the page stays
    assert (tree / "blog/posts/2024-05-01 hello.world.md").exists()  # deleted there: kept
    assert setup.read_text(encoding="utf-8").endswith("Here.\n")
    assert page(fake, "guide/setup").content.endswith("There.\n")  # type: ignore[attr-defined]

    deleted = run("sync", str(tree), "--delete")
    assert deleted.exit_code == 1  # the conflict is still there
    assert fake.core.state.find_page("index", "en") is None
    assert not (tree / "blog/posts/2024-05-01 hello.world.md").exists()
    assert setup.read_text(encoding="utf-8").endswith("Here.\n")
    assert page(fake, "guide/setup").content.endswith("There.\n")  # type: ignore[attr-defined]


def test_sync_pulls_a_field_the_file_does_not_state(
    fake: FakeWikiJS, run: Run, tmp_path: Path, imported: Path
) -> None:
    tree = imported
    assert run("sync", str(tree)).exit_code == 0
    notes = page(fake, "notes/10-1-斐波那契数列")
    assert (
        run(
            "pages",
            "update",
            str(notes.id),
            "--description",
            "斐波那契",  # type: ignore[attr-defined]
        ).exit_code
        == 0
    )

    result = run("sync", str(tree))

    assert result.exit_code == 0, result.output
    assert (
        "pulled        notes/10.1 斐波那契数列.md <- en/notes/10-1-斐波那契数列  (description)"
        in (result.stdout)
    )
    text = (tree / "notes/10.1 斐波那契数列.md").read_text(encoding="utf-8")
    assert text.startswith('---\ndescription: "斐波那契"\n---\n# 10.1 斐波那契数列\n')
    assert "[设置](../guide/setup.md)" in text


def test_path_prefix_imports_one_part_and_ignores_the_rest(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    tree = make_tree(tmp_path / "docs")
    (tree / "notes/broken.md").write_text("---\ntitle: [oops\n---\nx\n", encoding="utf-8")

    result = run("pages", "import", "--directory", str(tree), "--path-prefix", "guide")

    assert result.exit_code == 0, result.output
    assert sorted(p.path for p in fake.core.state.pages.values()) == ["guide/index", "guide/setup"]
    assert lines(result.stdout)[-1] == "2 created, 0 updated, 0 unchanged, 0 failed"
    assert "4 file(s) outside --path-prefix guide left alone" in result.stderr


def test_strict_names_refuses_and_lists_every_problem_of_a_name(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    tree = make_tree(tmp_path / "docs")

    result = run("pages", "import", "--directory", str(tree), "--strict-names", "--dry-run")

    assert result.exit_code == 1
    out = result.stdout
    assert (
        "notes/10.1 斐波那契数列.md: cannot be a wiki path: '10.1 斐波那契数列' contains "
        "'.', a space" in out
    )
    assert "blog/posts/2024-05-01 hello.world.md: cannot be a wiki path: " in out
    assert not fake.core.state.pages


def test_dry_run_applies_the_checks_of_the_real_run(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    tree = tmp_path / "in"
    tree.mkdir()
    (tree / "huge.md").write_text("# Huge\n" + "x" * (6 * 1024 * 1024), encoding="utf-8")
    (tree / "long-title.md").write_text(f"---\ntitle: {'t' * 300}\n---\nx\n", encoding="utf-8")
    (tree / "e").mkdir()
    (tree / "e/reserved.md").write_text("# R\n", encoding="utf-8")
    (tree / "fine.md").write_text("# Fine\n", encoding="utf-8")

    dry = run("pages", "import", "--directory", str(tree), "--dry-run")
    real = run("pages", "import", "--directory", str(tree))

    assert dry.exit_code == real.exit_code == 1
    for out in (dry.stdout, real.stdout):
        assert "huge.md needs a request of about 6.0 MB" in out
        assert "long-title.md: the title is 300 characters; Wiki.js stores at most 255" in out
        assert "e/reserved.md: cannot be a wiki path: it starts with 'e'" in out
    assert lines(dry.stdout)[-1] == "1 would create, 0 would update, 0 unchanged, 3 failed"
    assert lines(real.stdout)[-1] == "1 created, 0 updated, 0 unchanged, 3 failed"


def test_an_asset_the_folder_did_not_upload_is_not_replaced_unless_told(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    folder = fake.add_asset_folder("img")
    theirs = fake.add_asset("logo.png", b"someone else's logo", folder_id=folder)
    tree = make_tree(tmp_path / "docs")

    kept = run("pages", "import", "--directory", str(tree))

    assert kept.exit_code == 1
    assert "img/logo.png -> /img/logo.png  an asset of this name" in kept.stdout
    assert served(fake, "/img/logo.png").content == b"someone else's logo"
    replaced = run("pages", "import", "--directory", str(tree), "--replace-assets")
    assert replaced.exit_code == 0, replaced.output
    assert served(fake, "/img/logo.png").content == PNG
    assert theirs.id in fake.core.state.assets


def test_tags_the_wiki_lower_cases_are_the_same_tags(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    # Wiki.js stores tags trimmed and lower-cased: " Setup" and "setup" are one tag.
    tree = tmp_path / "t"
    tree.mkdir()
    (tree / "page.md").write_text("---\ntags: [' Setup', Guide]\n---\n# P\n", encoding="utf-8")
    assert run("pages", "import", "--directory", str(tree)).exit_code == 0

    again = run("pages", "import", "--directory", str(tree))
    out = tmp_path / "out"
    shutil.copytree(tree, out)
    (out / "page.md").write_text("---\ntags: [' Setup', Guide]\n---\nlost\n", encoding="utf-8")
    exported = run("pages", "export", "--output", str(out), "--force")

    assert lines(again.stdout)[-1] == "0 created, 0 updated, 1 unchanged, 0 failed"
    assert exported.exit_code == 0, exported.output
    assert (out / "page.md").read_bytes() == (tree / "page.md").read_bytes()


def test_a_page_made_in_the_wiki_comes_to_the_trees_layout(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    # The imported tree has no locale folders: a new page joins it as <path>.md.
    tree = make_tree(tmp_path / "docs")
    assert run("pages", "import", "--directory", str(tree)).exit_code == 0
    fake.add_page("guide/from-the-wiki", title="From the wiki", content="# New\n")

    plan = run("sync", str(tree), "--dry-run")
    result = run("sync", str(tree))

    assert "pull (new)    guide/from-the-wiki.md <- en/guide/from-the-wiki" in plan.stdout
    assert result.exit_code == 0, result.output
    assert (tree / "guide/from-the-wiki.md").read_text(encoding="utf-8").endswith("# New\n")
    assert not (tree / "en").exists()
