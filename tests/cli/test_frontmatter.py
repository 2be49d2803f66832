"""The front matter subset: parsed strictly, written as plain YAML. Pure."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from wikijs.cli import _frontmatter as fm
from wikijs.cli._pagefiles import LocaleFolders, PageFileError, read_page_file


def test_no_front_matter_leaves_the_text_alone() -> None:
    assert fm.split("# Title\n---\n") == (None, "# Title\n---\n")


def test_scalars_lists_and_comments() -> None:
    meta, body = fm.split(
        "---\n"
        'title: "Quote \\" and # hash"  # a comment\n'
        "plain: some text # trailing\n"
        "single: 'it''s'\n"
        "tags: [docs, \"two words\", 'x, y']\n"
        "empty_list: []\n"
        "aliases:\n"
        "  - one\n"
        "  - 'two'\n"
        "published: yes\n"
        "draft: False\n"
        "order: -3\n"
        "nothing: ~\n"
        "blank:\n"
        "\n"
        "# full-line comment\n"
        "---\n"
        "body\n"
    )
    assert meta == {
        "title": 'Quote " and # hash',
        "plain": "some text",
        "single": "it's",
        "tags": ["docs", "two words", "x, y"],
        "empty_list": [],
        "aliases": ["one", "two"],
        "published": True,
        "draft": False,
        "order": -3,
        "nothing": None,
        "blank": None,
    }
    assert body == "body\n"


def test_block_list_items_at_column_zero() -> None:
    meta, body = fm.split("---\ntags:\n- a\n- b\ntitle: T\n---\n")
    assert meta == {"tags": ["a", "b"], "title": "T"}
    assert body == ""


def test_crlf_files_keep_their_body_exactly() -> None:
    meta, body = fm.split("---\r\ntitle: T\r\n---\r\nline 1\r\nline 2")
    assert meta == {"title": "T"}
    assert body == "line 1\r\nline 2"


def test_closing_fence_at_the_end_of_the_file() -> None:
    assert fm.split("---\ntitle: T\n---") == ({"title": "T"}, "")


@pytest.mark.parametrize(
    ("block", "line", "message"),
    [
        ("title: T\n", 1, "no closing"),
        ("title: T\n  nested: x\n---\n", 3, "indentation"),
        ("just text\n---\n", 2, "key: value"),
        ("a: 1\na: 2\n---\n", 3, "twice"),
        ("a: [1, 2\n---\n", 2, "same line"),
        ("a: [[1]]\n---\n", 2, "nested lists"),
        ('a: ["x]\n---\n', 2, "unterminated"),
        ("a: {b: 1}\n---\n", 2, "not supported"),
        ("a: |\n---\n", 2, "not supported"),
        ('a: "bad \\q"\n---\n', 2, "double-quoted"),
        ("a: 'x'y'\n---\n", 2, "single-quoted"),
    ],
)
def test_unsupported_syntax_is_refused_with_its_line(block: str, line: int, message: str) -> None:
    with pytest.raises(fm.FrontMatterError) as caught:
        fm.split("---\n" + block)
    assert caught.value.line == line
    assert message in str(caught.value)


def test_dump_then_split_round_trips() -> None:
    fields = {
        "title": 'Tricky: "quotes", #hash, \\ and ünïcode',
        "tags": ["a", "b c", "d,e"],
        "published": False,
        "count": 3,
        "description": "",
    }
    text = fm.dump(fields) + "content\n"
    assert fm.split(text) == (fields, "content\n")


def test_dump_refuses_keys_that_are_not_plain_names() -> None:
    with pytest.raises(ValueError, match="plain name"):
        fm.dump({"bad key": 1})


WIKI_LOCALES = LocaleFolders("auto", frozenset({"en", "de"}))


def read(name: str, text: str, locale: str = "en") -> object:
    return read_page_file(PurePosixPath(name), text, default_locale=locale, folders=WIKI_LOCALES)


def test_page_file_path_and_locale_from_its_location() -> None:
    plain = read_page_file(PurePosixPath("docs/start.md"), "# Start here\n", default_locale="fr")
    assert (plain.locale, plain.path, plain.fallback_title, plain.title) == (
        "fr",
        "docs/start",
        "Start here",
        None,
    )
    german = read_page_file(
        PurePosixPath("de/docs/x.md"), "x", default_locale="en", folders=WIKI_LOCALES
    )
    assert (german.locale, german.path, german.fallback_title) == ("de", "docs/x", "x")


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("auto", ("en", "kb/section-1/article-1")),  # the wiki has no locale "kb"
        ("never", ("en", "kb/section-1/article-1")),
        ("always", None),  # "kb" looks like a locale code: refused, naming the installed ones
    ],
)
def test_a_folder_is_a_locale_only_when_the_wiki_has_it_or_when_told(
    mode: str, expected: tuple[str, str] | None
) -> None:
    folders = LocaleFolders(mode, frozenset({"en", "de"}))  # type: ignore[arg-type]
    name = PurePosixPath("kb/section-1/article-1.md")
    if expected is None:
        with pytest.raises(PageFileError, match=r"'kb' is not installed .*installed: de, en"):
            read_page_file(name, "x", default_locale="en", folders=folders)
        return
    item = read_page_file(name, "x", default_locale="en", folders=folders)
    assert (item.locale, item.path) == expected


def test_never_keeps_even_an_installed_locale_folder_in_the_path() -> None:
    folders = LocaleFolders("never", frozenset({"en", "de"}))
    item = read_page_file(PurePosixPath("de/x.md"), "x", default_locale="en", folders=folders)
    assert (item.locale, item.path) == ("en", "de/x")


def test_a_front_matter_locale_the_wiki_lacks_is_refused() -> None:
    with pytest.raises(PageFileError, match=r"notes.md: locale 'fr' is not installed"):
        read("notes.md", "---\nlocale: fr\n---\nx")


def test_page_file_front_matter_fields() -> None:
    item = read_page_file(
        PurePosixPath("zh-hans/notes/n.md"),  # the front matter names the folder's locale
        "---\nlocale: zh-hans\ntitle: T\ntags: a, b\npublished: false\nprivate: true\n"
        "editor: code\ndescription: 42\nfoo: bar\npath: elsewhere/n\n---\nbody",
        default_locale="en",
    )
    assert (item.locale, item.path, item.title, item.tags) == (
        "zh-hans",
        "elsewhere/n",
        "T",
        ("a", "b"),
    )
    assert (item.published, item.private, item.editor, item.description) == (
        False,
        True,
        "code",
        "42",
    )
    assert item.ignored_keys == ("foo",)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("de/x.md", "---\nlocale: en\n---\nx", "folder says locale 'de'"),
        ("page.md", "---\ntitle: [a]\n---\nx", "title must be text"),
        ("page.md", "---\npublished: maybe\n---\nx", "published must be true or false"),
        ("page.md", "---\ntags: 3\n---\nx", "tags must be a list"),
        ("x.md", "---\ntitle: T\n", "no closing"),
        ("bad path.md", "x", "whitespace"),
        ("x.md", "---\nlocale: not a locale\n---\nx", "locale"),
        ("page.md", "---\ntitle: T\n---\n  \n", "content is empty"),
    ],
)
def test_page_file_problems(name: str, text: str, message: str) -> None:
    with pytest.raises(PageFileError, match=message):
        read(name, text)
