"""Front matter through ruamel.yaml: any YAML mapping read, written back key by key. Pure."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
        "published: true\n"
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


def test_what_documentation_sites_write_is_read() -> None:
    # A blog post as Material for MkDocs writes it: dates, nested values,
    # folded text, anchors.
    meta, body = fm.split(
        "---\n"
        "date:\n"
        "  created: 2023-12-14\n"
        "  updated: 2024-01-02\n"
        "authors:\n"
        "  - squidfunk\n"
        "categories: [General]\n"
        "links:\n"
        "  - setup/setting-up-a-blog.md\n"
        "  - Plugins:\n"
        "    - plugins/blog.md\n"
        "description: >\n"
        "  Folded over\n"
        "  two lines\n"
        "base: &base {x: 1}\n"
        "copy: *base\n"
        "---\n"
        "# Post\n"
    )
    assert meta is not None
    assert str(meta["date"]["created"]) == "2023-12-14"
    assert meta["links"][1] == {"Plugins": ["plugins/blog.md"]}
    assert meta["description"] == "Folded over two lines\n"
    assert meta["copy"] == {"x": 1}
    assert body == "# Post\n"


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


def test_only_newlines_end_lines_not_unicode_separators() -> None:
    text = fm.dump({"title": "a\u2028---\u2029b"}) + "body\u2028---\u2029---\n"
    assert "\u2028" not in text.split("body")[0]  # written as YAML's \\L escape
    meta, body = fm.split(text)
    assert meta == {"title": "a\u2028---\u2029b"}
    assert body == "body\u2028---\u2029---\n"


@pytest.mark.parametrize(
    ("block", "line", "message"),
    [
        ("title: T\n", 1, "no closing"),
        ("title: T\n  nested: x\n---\n", 3, "not allowed"),
        ("just text\n---\n", 2, "key: value"),
        ("- a\n- b\n---\n", 2, "key: value"),
        ("a: 1\na: 2\n---\n", 3, "duplicate key"),
        ("a: [1, 2\n---\n", 3, "expected ','"),
        ('a: "bad \\q"\n---\n', 2, "unknown escape"),
        ("a: 'x'y'\n---\n", 2, "YAML"),
        ("a: *nowhere\n---\n", 2, "undefined alias"),
    ],
)
def test_yaml_that_does_not_parse_is_refused_with_its_line(
    block: str, line: int, message: str
) -> None:
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


TITLES = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
FIELDS = st.fixed_dictionaries(
    {
        "title": TITLES,
        "description": TITLES,
        "tags": st.lists(TITLES, max_size=4),
        "locale": st.sampled_from(["en", "de", "zh-hans"]),
        "published": st.booleans(),
        "private": st.booleans(),
    }
)


@settings(max_examples=300, deadline=None)
@given(fields=FIELDS, content=st.text(st.characters(exclude_categories=("Cs",)), max_size=80))
def test_dump_output_always_parses_back(fields: dict[str, object], content: str) -> None:
    """Whatever a page holds, the file ``dump()`` writes reads back as the same values."""
    meta, body = fm.split(fm.dump(fields) + content)
    assert meta == fields
    assert body == content


@settings(max_examples=200, deadline=None)
@given(title=TITLES, tags=st.lists(TITLES, max_size=3))
def test_rewrite_changes_only_the_given_keys(title: str, tags: list[str]) -> None:
    original = (
        "---\n"
        "# kept: a comment\n"
        "title: Old title   # trailing\n"
        "date: 2024-05-01\n"
        "authors:\n"
        "  - ana   # first\n"
        "  - ben\n"
        "\n"
        "# about the tags\n"
        "tags: [a, b]\n"
        "extra: {nested: [1, 2]}\n"
        "---\n"
    )
    block, _ = fm.read(original + "body\n")
    written = fm.rewrite(block, {"title": title, "tags": tags})
    meta, body = fm.split(written + "body\n")
    assert meta is not None
    assert (meta["title"], list(meta["tags"])) == (title, tags)
    assert list(meta) == ["title", "date", "authors", "tags", "extra"]
    for kept in (
        "# kept: a comment\n",
        "date: 2024-05-01\nauthors:\n  - ana   # first\n  - ben\n\n# about the tags\n",
        "extra: {nested: [1, 2]}\n",
    ):
        assert kept in written
    assert body == "body\n"


def test_rewrite_without_changes_is_the_block_as_it_was() -> None:
    original = "---\r\n# c\r\ntitle:   'T'\r\nx: [1,2]\r\n---\r\n"
    block, _ = fm.read(original + "body")
    assert fm.rewrite(block, {}) == original


def test_rewrite_adds_a_new_key_at_the_end_in_the_files_line_endings() -> None:
    block, _ = fm.read("---\r\ntitle: T\r\n---\r\nbody")
    assert fm.rewrite(block, {"description": "D"}) == (
        '---\r\ntitle: T\r\ndescription: "D"\r\n---\r\n'
    )


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


def test_a_file_with_front_matter_only_is_a_page_holding_a_comment() -> None:
    from wikijs.cli._pagefiles import EMPTY_PAGE, without_placeholder

    item = read("redirect.md", "---\ntemplate: redirect.html\n---\n  \n")
    assert item.content == "  \n" + EMPTY_PAGE  # type: ignore[attr-defined]
    assert without_placeholder(item.content) == "  \n"  # type: ignore[attr-defined]
    assert without_placeholder("text" + EMPTY_PAGE) == "text" + EMPTY_PAGE


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("de/x.md", "---\nlocale: en\n---\nx", "folder says locale 'de'"),
        ("page.md", "---\ntitle: [a]\n---\nx", "title must be text"),
        ("page.md", "---\npublished: maybe\n---\nx", "published must be true or false"),
        ("page.md", "---\ntags: 3\n---\nx", "tags must be a list"),
        ("x.md", "---\ntitle: T\n", "no closing"),
        ("e/bad path.md", "x", "starts with 'e'"),
        ("x.md", "---\nlocale: not a locale\n---\nx", "locale"),
    ],
)
def test_page_file_problems(name: str, text: str, message: str) -> None:
    with pytest.raises(PageFileError, match=message):
        read(name, text)
