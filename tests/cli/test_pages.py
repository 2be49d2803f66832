"""``wikijs pages list|get|create|update|delete`` against the fake."""

from __future__ import annotations

import json
from pathlib import Path

from wikijs.testing import FakeWikiJS

from .conftest import Run, install_locales, lines


def seed(fake: FakeWikiJS) -> tuple[int, int, int]:
    """Three pages; their ids (1, 2, 3 on a fresh fake, anything on a real wiki)."""
    guide = fake.add_page(
        "docs/api-guide", title="API Guide", tags=["api", "docs"], content="# API"
    )
    start = fake.add_page("docs/start", title="Getting started", tags=["docs"], content="# Start")
    style = fake.add_page("handbook/api-style", title="Style", tags=["style"], locale="de")
    return guide.id, start.id, style.id


def test_list_prints_a_table_of_every_page(fake: FakeWikiJS, run: Run) -> None:
    seed(fake)
    result = run("pages", "list")
    assert result.exit_code == 0, result.output
    rows = lines(result.stdout)
    assert rows[0].split() == ["ID", "PATH", "TITLE", "TAGS", "UPDATED"]
    assert [row.split()[1] for row in rows[1:]] == [
        "en/docs/api-guide",
        "en/docs/start",
        "de/handbook/api-style",
    ]


def test_list_filters_by_field_substring_ignoring_case(fake: FakeWikiJS, run: Run) -> None:
    _, _, style = seed(fake)
    result = run("pages", "list", "--filter", "title:api", "--json")
    assert result.exit_code == 0, result.output
    assert [page["title"] for page in json.loads(result.stdout)] == ["API Guide"]
    by_path = json.loads(run("pages", "list", "--filter", "path:API", "--json").stdout)
    assert [page["path"] for page in by_path] == ["docs/api-guide", "handbook/api-style"]
    narrowed = run("pages", "list", "--filter", "path:api", "--filter", "locale:de", "--json")
    assert [page["id"] for page in json.loads(narrowed.stdout)] == [style]
    tagged = run("pages", "list", "--filter", "tag:docs", "--json")
    assert len(json.loads(tagged.stdout)) == 2


def test_a_tag_filter_names_the_tag_exactly(fake: FakeWikiJS, run: Run) -> None:
    fake.add_page("docs/a", title="A", tags=["a"])
    fake.add_page("docs/notes", title="Notes", tags=["releases", "ab"])
    fake.add_page("docs/upper", title="Upper", tags=["A"])
    tagged = json.loads(run("pages", "list", "--filter", "tag:a", "--json").stdout)
    assert [page["path"] for page in tagged] == ["docs/a", "docs/upper"]
    assert json.loads(run("pages", "list", "--filter", "tag:doc", "--json").stdout) == []


def test_tags_have_one_shape_in_list_get_create_and_update(fake: FakeWikiJS, run: Run) -> None:
    guide, _, _ = seed(fake)
    [listed] = json.loads(run("pages", "list", "--filter", "title:API Guide", "--json").stdout)
    got = json.loads(run("pages", "get", str(guide), "--json").stdout)
    updated = json.loads(run("pages", "update", str(guide), "--title", "API", "--json").stdout)
    # (in the order the wiki keeps them, which is its tag ids' order)
    assert listed["tags"] == got["tags"] == updated["tags"]
    assert sorted(listed["tags"]) == ["api", "docs"]


def test_list_with_limit_locale_and_tag(fake: FakeWikiJS, run: Run) -> None:
    seed(fake)
    assert len(json.loads(run("pages", "list", "--limit", "1", "--json").stdout)) == 1
    german = json.loads(run("pages", "list", "--locale", "de", "--json").stdout)
    assert [page["path"] for page in german] == ["handbook/api-style"]
    api = json.loads(run("pages", "list", "--tag", "api", "--json").stdout)
    assert [page["title"] for page in api] == ["API Guide"]
    limited = run("pages", "list", "--filter", "docs", "--limit", "1", "--json")
    assert len(json.loads(limited.stdout)) == 1


def test_list_refuses_an_unknown_filter_field_as_usage(fake: FakeWikiJS, run: Run) -> None:
    result = run("pages", "list", "--filter", "author:bob")
    assert result.exit_code == 2
    assert "title, path, tag, locale" in result.stderr


def test_get_by_id_path_and_locale_path(fake: FakeWikiJS, run: Run) -> None:
    guide, _, style = seed(fake)
    by_id = run("pages", "get", str(guide))
    assert by_id.exit_code == 0, by_id.output
    assert "title:       API Guide" in by_id.stdout
    assert by_id.stdout.rstrip().endswith("# API")
    by_path = json.loads(run("pages", "get", "docs/start", "--json").stdout)
    assert by_path["title"] == "Getting started"
    german = json.loads(run("pages", "get", "de/handbook/api-style", "--json").stdout)
    assert german["id"] == style
    flagged = json.loads(
        run("pages", "get", "handbook/api-style", "--locale", "de", "--json").stdout
    )
    assert flagged["id"] == style


def test_get_content_prints_only_the_source(fake: FakeWikiJS, run: Run) -> None:
    _, start, _ = seed(fake)
    result = run("pages", "get", str(start), "--content")
    assert result.stdout == "# Start\n"


def test_a_missing_page_is_one_typed_line_and_exit_1(fake: FakeWikiJS, run: Run) -> None:
    result = run("pages", "get", "999")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert lines(result.stderr) == [result.stderr.strip()]
    assert "no page with id" in result.stderr
    assert result.stderr.endswith("(NotFoundError)\n")
    assert "Traceback" not in result.output
    assert fake.api_key not in result.output


def test_create_from_a_content_file(fake: FakeWikiJS, run: Run, tmp_path: Path) -> None:
    source = tmp_path / "f.md"
    source.write_text("# Hello\n\nWorld.\n", encoding="utf-8")
    result = run(
        "pages", "create", "--title", "Hello there", "--content-file", str(source),
        "--tag", "a", "--tag", "b", "--description", "greeting", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    page = json.loads(result.stdout)
    assert (page["path"], page["title"], page["description"]) == (
        "hello-there",
        "Hello there",
        "greeting",
    )
    assert page["content"] == "# Hello\n\nWorld.\n"
    assert sorted(page["tags"]) == ["a", "b"]
    assert page["is_published"] is True


def test_create_from_standard_input_unpublished(fake: FakeWikiJS, run: Run) -> None:
    fake.install_locale("de")
    result = run(
        "pages", "create", "--title", "T", "--path", "notes/t", "--content-file", "-",
        "--unpublished", "--locale", "de",
        input="piped content",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    created = json.loads(run("pages", "get", "de/notes/t", "--json").stdout)
    assert result.stdout.strip() == f"created page #{created['id']} de/notes/t (T)"
    assert (created["content"], created["is_published"], created["locale"]) == (
        "piped content",
        False,
        "de",
    )


def test_create_needs_content_and_a_usable_path(fake: FakeWikiJS, run: Run) -> None:
    assert run("pages", "create", "--title", "T").exit_code == 2
    assert run("pages", "create", "--title", "!!!", "--content", "x").exit_code == 2
    both = run("pages", "create", "--title", "T", "--content", "x", "--content-file", "-")
    assert both.exit_code == 2
    missing = run("pages", "create", "--title", "T", "--content-file", "/nonexistent/f.md")
    assert missing.exit_code == 2
    assert "cannot read /nonexistent/f.md" in missing.stderr


def test_create_refuses_a_locale_the_wiki_lacks_and_names_those_it_has(
    fake: FakeWikiJS, run: Run
) -> None:
    install_locales(fake, "de")
    result = run("pages", "create", "--title", "T", "--content", "x", "--locale", "zz")
    assert result.exit_code == 2
    assert "locale 'zz' is not installed on this wiki (installed: de, en)" in result.stderr
    assert fake.core.state.pages == {}


def test_create_uses_the_wikis_default_locale(fake: FakeWikiJS, run: Run) -> None:
    install_locales(fake, "de")
    fake.core.state.locale_config["locale"] = "de"
    result = run("pages", "create", "--title", "Hallo", "--content", "x")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "created page #1 de/hallo (Hallo)"


def test_get_reads_a_locale_shaped_first_folder_as_a_path_when_no_such_page(
    fake: FakeWikiJS, run: Run
) -> None:
    fake.add_page("kb/intro", title="KB intro")
    page = json.loads(run("pages", "get", "kb/intro", "--json").stdout)
    assert (page["locale"], page["path"]) == ("en", "kb/intro")


def test_create_refused_by_the_wiki_is_a_typed_error(fake: FakeWikiJS, run: Run) -> None:
    seed(fake)
    result = run("pages", "create", "--title", "x", "--path", "docs/start", "--content", "x")
    assert result.exit_code == 1
    assert result.stderr.startswith("wikijs pages create: ")
    assert result.stderr.endswith("(ConflictError)\n")


def test_update_changes_only_what_is_given(fake: FakeWikiJS, run: Run) -> None:
    guide, _, _ = seed(fake)
    result = run("pages", "update", str(guide), "--title", "API Handbook", "--json")
    assert result.exit_code == 0, result.output
    page = json.loads(result.stdout)
    assert page["title"] == "API Handbook"
    assert page["content"] == "# API"
    assert sorted(page["tags"]) == ["api", "docs"]
    assert page["is_published"] is True


def test_update_by_path_content_tags_and_publication(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    _, start, _ = seed(fake)
    source = tmp_path / "new.md"
    source.write_text("# New", encoding="utf-8")
    result = run(
        "pages", "update", "docs/start", "--content-file", str(source), "--tag", "x",
        "--unpublish", "--description", "d",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"updated page #{start} en/docs/start (Getting started)"
    page = json.loads(run("pages", "get", str(start), "--json").stdout)
    assert (page["content"], page["is_published"], page["description"]) == ("# New", False, "d")
    cleared = run("pages", "update", str(start), "--clear-tags", "--json")
    assert json.loads(cleared.stdout)["tags"] == []


def test_update_without_changes_is_a_usage_error(fake: FakeWikiJS, run: Run) -> None:
    seed(fake)
    assert run("pages", "update", "1").exit_code == 2
    assert run("pages", "update", "1", "--tag", "a", "--clear-tags").exit_code == 2


def test_update_of_a_missing_page_fails(fake: FakeWikiJS, run: Run) -> None:
    result = run("pages", "update", "42", "--title", "x")
    assert result.exit_code == 1
    assert "no page with id" in result.stderr
    assert result.stderr.endswith("(NotFoundError)\n")


def test_delete_asks_first(fake: FakeWikiJS, run: Run) -> None:
    guide, _, _ = seed(fake)
    refused = run("pages", "delete", str(guide), input="n\n")
    assert refused.exit_code == 1
    assert f"Delete page #{guide} en/docs/api-guide (API Guide)?" in refused.stderr
    assert run("pages", "get", str(guide)).exit_code == 0
    accepted = run("pages", "delete", str(guide), input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert accepted.stdout.strip() == f"deleted page #{guide} en/docs/api-guide"
    assert run("pages", "get", str(guide)).exit_code == 1


def test_delete_with_yes_does_not_ask(fake: FakeWikiJS, run: Run) -> None:
    _, _, style = seed(fake)
    result = run("pages", "delete", "de/handbook/api-style", "--yes", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "deleted": style,
        "locale": "de",
        "path": "handbook/api-style",
    }
    assert result.stderr == ""


def test_delete_without_an_answer_aborts(fake: FakeWikiJS, run: Run) -> None:
    seed(fake)
    result = run("pages", "delete", "1")
    assert result.exit_code == 1
    assert 1 in fake.core.state.pages
