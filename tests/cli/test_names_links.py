"""File names to wiki paths, and links found, rewritten and written back. Pure."""

from __future__ import annotations

import time
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wikijs.cli import _links
from wikijs.cli._names import NameProblem, asset_folder, fix_segment, page_path
from wikijs.cli._pagefiles import LocaleFolders, read_page_file, restore_links
from wikijs.cli._tree import Tree, link_item


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("10.1 斐波那契数列", "10-1-斐波那契数列"),
        ("11. 旋转数组的最小数字", "11-旋转数组的最小数字"),
        ("v1.2-notes", "v1-2-notes"),
        ("What is it?", "What-is-it"),
        ("Leetcode 题解 - 双指针", "Leetcode-题解-双指针"),
        ("a\u2028b\tc", "a-b-c"),
        ('say "hi": <now>|*', "say-hi-now"),
        ("keep_this-(and)-that!", "keep_this-(and)-that!"),
        ("--x--", "--x--"),
        ("100% #1", "100-1"),
    ],
)
def test_the_default_rule(name: str, path: str) -> None:
    assert fix_segment(name) == path


def test_a_name_with_several_problems_lists_them_all() -> None:
    with pytest.raises(NameProblem) as caught:
        page_path(["e", "a b.c?"], strict=True)
    assert caught.value.problems == (
        "'a b.c?' contains a space, '.', '?'",
        "it starts with 'e', which Wiki.js reserves (one-letter names and its own routes)",
    )


def test_what_the_rule_cannot_fix_is_refused() -> None:
    with pytest.raises(NameProblem, match="nothing a wiki path can hold"):
        page_path(["docs", "..."])
    with pytest.raises(NameProblem, match=r"Wiki\.js stores 255"):
        page_path(["x" * 300])
    assert page_path(["de", "x"]) == "de/x"  # a locale-shaped folder: served at /en/de/x


def test_asset_folders_follow_the_rule_lower_cased() -> None:
    assert asset_folder(["My Pics", "v1.0"]) == "my-pics/v1-0"


def test_links_are_found_outside_code_and_comments() -> None:
    text = (
        "See [a](a.md#x) ![b](img/b.png 'T') [c](<c d.md>) [e](a_(b).md)\n"
        "`[no](no.md)` ``x `[no](no.md)` x`` <!-- [no](no.md) -->\n"
        "```\n[no](no.md)\n```\n"
        '   [ref]: ../r.md "t"\n'
        "<img alt='x' src=\"s.png\"> <a href=h.md>h</a>\n"
    )
    assert [link.target for link in _links.find(text)] == [
        "a.md#x",
        "img/b.png",
        "c d.md",
        "a_(b).md",
        "../r.md",
        "s.png",
        "h.md",
    ]


def test_scanning_stays_linear_on_hostile_lines() -> None:
    hostile = ["](" * 20_000, "`" * 20_000 + "x", "<img " * 10_000, "[a](" + "(" * 20_000]
    # CPU time, not wall time: a busy machine does not fail the test, a
    # super-linear pattern (seconds of CPU here) still does.
    started = time.process_time()
    for line in hostile:
        _links.find(line)
    assert time.process_time() - started < 2


def test_relative_links_become_wiki_links_and_come_back_as_written(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img/a.png").write_bytes(b"png")
    folders = LocaleFolders("auto", frozenset({"en"}))
    body = (
        "[s](setup.md) [s again](./setup.md#x) [abs](/en/setup) ![i](img/a.png) "
        "[gone](gone.md) [out](../../x.md)\n"
    )
    item = read_page_file(PurePosixPath("index.md"), body, default_locale="en", folders=folders)
    setup = read_page_file(PurePosixPath("setup.md"), "# S\n", default_locale="en", folders=folders)
    tree = Tree(tmp_path)
    linked = link_item(tree, item, {"setup.md": setup}, asset_root="", locale="en")
    assert linked.content == (
        "[s](/en/setup) [s again](/en/setup#x) [abs](/en/setup) ![i](/img/a.png) "
        "[gone](gone.md) [out](../../x.md)\n"
    )
    assert [(m.target, m.reason) for m in tree.unresolved] == [
        ("gone.md", "no such file"),
        ("../../x.md", "outside the folder"),
    ]
    assert restore_links(linked.content, linked.links) == body


NAMES = st.sampled_from(
    ["alpha.md", "./alpha.md", "b%20c.md", "sub/../alpha.md", "img/x.png", "/en/alpha"]
)


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(
        st.tuples(st.text(st.characters(exclude_categories=("Cs",)), max_size=12), NAMES),
        max_size=8,
    )
)
def test_import_then_export_gives_the_body_back(tmp_path_factory: object, words: list) -> None:
    root = Path(str(tmp_path_factory.mktemp("t")))  # type: ignore[attr-defined]
    (root / "img").mkdir()
    (root / "img/x.png").write_bytes(b"x")
    body = "".join(f"{text} [l]({target}) " for text, target in words) + "\n# T\n"
    folders = LocaleFolders("auto", frozenset({"en"}))
    item = read_page_file(PurePosixPath("page.md"), body, default_locale="en", folders=folders)
    pages = {
        "alpha.md": read_page_file(
            PurePosixPath("alpha.md"), "# A", default_locale="en", folders=folders
        ),
        "b c.md": read_page_file(
            PurePosixPath("b c.md"), "# B", default_locale="en", folders=folders
        ),
    }
    linked = link_item(Tree(root), item, pages, asset_root="", locale="en")
    assert restore_links(linked.content, linked.links) == item.body
