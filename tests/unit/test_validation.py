"""Input checks that run before anything is sent."""

from __future__ import annotations

import pytest

from wikijs._protocol import validation as v
from wikijs.errors import ValidationError
from wikijs.models import PageCreate, PageUpdate


@pytest.mark.parametrize("value", [0, -1, True, "1", 1.0, None, 2**31])
def test_bad_ids(value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        v.check_id(value, "page_id")
    assert caught.value.field == "page_id"


def test_good_id() -> None:
    assert v.check_id(7) == 7


@pytest.mark.parametrize(
    "path",
    [
        "",
        "/",
        "a b",
        "a.b",
        "a\\b",
        "a//b",
        "what?",
        "a#b",
        "tab\there",
        "new\nline",
        "nul\x00",
        "a/page",
        "login",
        "graphql/x",
        "U/file",
    ],
)
def test_illegal_paths(path: str) -> None:
    with pytest.raises(ValidationError):
        v.normalize_path(path)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/docs/start/", "docs/start"),
        ("docs", "docs"),
        ("日本/ページ", "日本/ページ"),
        ("a-b_c", "a-b_c"),
        # Shaped like a locale: Wiki.js's API accepts it (served at /en/kb/intro).
        ("kb/intro", "kb/intro"),
        ("pt-br/page", "pt-br/page"),
    ],
)
def test_paths_are_normalised(path: str, expected: str) -> None:
    assert v.normalize_path(path) == expected


def test_lone_surrogates_are_refused_with_position() -> None:
    with pytest.raises(ValidationError, match="position 3"):
        v.check_text("abc\ud800def", "content")


def test_huge_and_odd_unicode_content_is_kept_intact() -> None:
    content = "emoji \U0001f600 rtl \u05d0\u05d1 combining e\u0301 zero-width \u200b " * 20000
    assert v.check_content(content) == content


@pytest.mark.parametrize("content", ["", "   ", "\n\t"])
def test_empty_content(content: str) -> None:
    with pytest.raises(ValidationError):
        v.check_content(content)


def test_unknown_editor() -> None:
    with pytest.raises(ValidationError, match="ckeditor, code, markdown"):
        v.check_editor("wysiwyg")


@pytest.mark.parametrize("locale", ["en", "pt-br", "zh-hans", "de"])
def test_locales(locale: str) -> None:
    assert v.check_locale(locale) == locale


@pytest.mark.parametrize("locale", ["", "english!", "e", "en us"])
def test_bad_locales(locale: str) -> None:
    with pytest.raises(ValidationError):
        v.check_locale(locale)


def test_tags_are_deduplicated_and_stripped() -> None:
    assert v.check_tags([" a", "b", "a"]) == ["a", "b"]


@pytest.mark.parametrize("tags", ["a,b", [""], [1], 5])
def test_bad_tags(tags: object) -> None:
    with pytest.raises(ValidationError):
        v.check_tags(tags)


@pytest.mark.parametrize("email", ["a@b.co", "first.last+tag@example.com"])
def test_emails(email: str) -> None:
    assert v.check_email(email) == email


@pytest.mark.parametrize("email", ["", "nope", "a@b", "a b@c.d"])
def test_bad_emails(email: str) -> None:
    with pytest.raises(ValidationError):
        v.check_email(email)


def test_page_create_defaults_and_normalisation() -> None:
    page = PageCreate(title="T", path="/docs/x/", content="# x")
    assert page.path == "docs/x"
    assert page.editor == "markdown"
    assert page.locale == "en"
    assert page.is_published
    assert page.variables()["tags"] == []
    assert "script_css" not in page.variables()


def test_page_create_build_reports_our_error_type() -> None:
    with pytest.raises(ValidationError) as caught:
        PageCreate.build({"title": "T", "path": "okay", "content": "x", "colour": "red"})
    assert caught.value.field == "colour"
    with pytest.raises(ValidationError):
        PageCreate.build(title="T", path="bad path", content="x")
    with pytest.raises(ValidationError):
        PageCreate.build(PageCreate(title="T", path="page", content="c"), title="again")
    with pytest.raises(ValidationError):
        PageCreate.build(42)


def test_page_update_knows_which_fields_were_given() -> None:
    assert PageUpdate(title="x").changes() == {"title": "x"}
    assert PageUpdate(publish_start_date=None).changes() == {"publish_start_date": None}
    with pytest.raises(ValidationError):
        PageUpdate(title=None).changes()
