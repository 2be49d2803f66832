"""Page semantics: update quirks, listing, search, history, tree, tags and more."""

# GraphQL documents read best on one line.
# ruff: noqa: E501

from __future__ import annotations

from typing import Any

import pytest

from wikijs.testing import FakeClock, FakeWikiJS

from .conftest import Caller

RR = "responseResult { succeeded errorCode slug message }"


def mutate(gql: Caller, field: str, args: str, variables: dict[str, Any] | None = None) -> Any:
    body = gql(f"mutation {{ pages {{ {field}({args}) {{ {RR} }} }} }}", variables)
    return body["data"]["pages"][field]["responseResult"]


def page(
    gql: Caller, page_id: int, fields: str = "title content isPublished scriptCss tags { tag }"
) -> Any:
    return gql(f"{{ pages {{ single(id: {page_id}) {{ {fields} }} }} }}")["data"]["pages"]["single"]


def test_update_is_not_partial(fake: FakeWikiJS, gql: Caller) -> None:
    p = fake.add_page("docs/u", title="T", content="old", tags=["a"], description="D")
    fake.core.state.pages[p.id].script_css = "body{}"
    result = mutate(gql, "update", f'id: {p.id}, content: "new", tags: ["b"]')
    assert result["succeeded"] is True
    after = page(gql, p.id, "title description content isPublished scriptCss tags { tag }")
    assert after == {
        "title": "T",
        "description": "D",
        "content": "new",
        "isPublished": False,
        "scriptCss": "",
        "tags": [{"tag": "b"}],
    }


def test_update_without_content_fails_and_changes_nothing(fake: FakeWikiJS, gql: Caller) -> None:
    p = fake.add_page("docs/u", title="T", content="old")
    assert mutate(gql, "update", f'id: {p.id}, title: "x"')["errorCode"] == 6004
    assert page(gql, p.id, "title")["title"] == "T"


def test_update_without_tags_fails_after_the_write(fake: FakeWikiJS, gql: Caller) -> None:
    p = fake.add_page("docs/u", content="# Old")
    result = mutate(gql, "update", f'id: {p.id}, content: "# New"')
    assert result == {
        "succeeded": False,
        "errorCode": 1,
        "slug": "TypeError",
        "message": "Cannot read properties of undefined (reading 'map')",
    }
    after = page(gql, p.id, "content render")
    assert after["content"] == "# New"
    assert "Old" in after["render"]


def test_update_unknown_id(gql: Caller) -> None:
    assert mutate(gql, "update", 'id: 77, content: "x"') == {
        "succeeded": False,
        "errorCode": 1,
        "slug": "Error",
        "message": "Invalid Page Id",
    }


def test_ideal_update_is_partial_and_returns_full_page(
    ideal: FakeWikiJS, ideal_gql: Caller
) -> None:
    p = ideal.add_page("docs/i", title="T", content="# H", tags=["a"])
    body = ideal_gql(
        f'mutation {{ pages {{ update(id: {p.id}, title: "New") {{ {RR} page {{ locale editor toc tags {{ id tag }} }} }} }} }}'
    )
    update = body["data"]["pages"]["update"]
    assert update["responseResult"]["succeeded"] is True
    assert update["page"]["locale"] == "en"
    assert update["page"]["toc"] == '[{"title": "H", "anchor": "#h", "children": []}]'
    assert page(ideal_gql, p.id, "title content isPublished tags { tag }") == {
        "title": "New",
        "content": "# H",
        "isPublished": True,
        "tags": [{"tag": "a"}],
    }


def test_create_rules(fake: FakeWikiJS, gql: Caller) -> None:
    args = 'content: "c", description: "", editor: "markdown", isPublished: true, isPrivate: false, locale: "en", tags: [], title: "T", path: $p'
    query = f"mutation ($p: String!) {{ pages {{ create({args}) {{ {RR} page {{ id path }} }} }} }}"
    ok = gql(query, {"p": "/docs/new/"})["data"]["pages"]["create"]
    assert ok["page"]["path"] == "docs/new"
    # Like Wiki.js's API: a locale-shaped first segment is a path, served at /en/kb/x.
    kb = gql(query, {"p": "kb/x"})["data"]["pages"]["create"]
    assert kb["page"]["path"] == "kb/x"
    for bad in ("a b", "docs/../x", "docs\\x", "docs//x", "u/upload", "x", "tab\tx"):
        assert (
            gql(query, {"p": bad})["data"]["pages"]["create"]["responseResult"]["errorCode"] == 6005
        ), bad
    assert (
        gql(query, {"p": "docs/new"})["data"]["pages"]["create"]["responseResult"]["errorCode"]
        == 6002
    )


def test_guest_cannot_create(guest: Caller) -> None:
    body = guest(
        'mutation { pages { create(content: "c", description: "", editor: "markdown", isPublished: true, isPrivate: false, locale: "en", tags: [], title: "T", path: "docs/x") { responseResult { succeeded } } } }'
    )
    assert body["errors"][0]["message"] == "Forbidden"


def test_single_by_path_and_permissions(fake: FakeWikiJS, gql: Caller, guest: Caller) -> None:
    p = fake.add_page("docs/by-path", title="By Path")
    found = gql(
        '{ pages { singleByPath(path: "docs/by-path", locale: "en") { id editor locale } } }'
    )
    assert found["data"]["pages"]["singleByPath"] == {
        "id": p.id,
        "editor": "markdown",
        "locale": "en",
    }
    missing = gql('{ pages { singleByPath(path: "nope/x", locale: "en") { id } } }')
    assert missing["errors"][0]["extensions"]["exception"]["code"] == 6003
    forbidden = guest('{ pages { singleByPath(path: "docs/by-path", locale: "en") { id } } }')
    assert forbidden["errors"][0]["extensions"]["exception"]["code"] == 6013


def test_list_filters_and_order(fake: FakeWikiJS, gql: Caller, clock: FakeClock) -> None:
    user = fake.add_user("w@example.com", name="Writer")
    fake.add_page("docs/b", title="B", tags=["x", "y"])
    clock.advance(1)
    fake.add_page("docs/a", title="A", tags=["x"], locale="de", author_id=user.id)
    clock.advance(1)
    fake.add_page("docs/c", title="C")

    def ids(args: str) -> list[Any]:
        return [
            p["id"]
            for p in gql(f"{{ pages {{ list({args}) {{ id }} }} }}")["data"]["pages"]["list"]
        ]

    assert ids("orderBy: TITLE") == [2, 1, 3]
    assert ids("orderBy: PATH, orderByDirection: DESC") == [3, 1, 2]
    assert ids("orderBy: CREATED, orderByDirection: DESC") == [3, 2, 1]
    assert ids("orderBy: UPDATED") == [1, 2, 3]
    assert ids('locale: "de"') == [2]
    assert ids(f"authorId: {user.id}") == [2]
    assert ids(f"creatorId: {user.id}") == [2]
    assert ids(f"creatorId: {user.id}, authorId: 1") == [1, 2, 3]
    assert ids('tags: ["x", "y"]') == [1]
    tags = gql('{ pages { list(tags: ["x"]) { id tags } } }')["data"]["pages"]["list"]
    assert tags == [{"id": 1, "tags": ["x"]}, {"id": 2, "tags": ["x"]}]
    assert ids("limit: 2") == [1]  # page 1 has two tag rows


def test_ideal_list_limit_counts_pages(ideal: FakeWikiJS, ideal_gql: Caller) -> None:
    ideal.add_page("docs/b", tags=["x", "y"])
    ideal.add_page("docs/c")
    listed = ideal_gql("{ pages { list(limit: 2) { id } } }")["data"]["pages"]["list"]
    assert [p["id"] for p in listed] == [1, 2]


def test_search_only_published_by_title_description_path(fake: FakeWikiJS, gql: Caller) -> None:
    fake.add_page("docs/zebra-path", title="One", content="nothing")
    fake.add_page("docs/two", title="Zebra title", content="x")
    fake.add_page("docs/three", title="Three", description="about zebras", locale="de")
    fake.add_page("docs/four", title="Zebra hidden", is_published=False)
    fake.add_page("docs/five", title="Five", content="zebra in content only")
    query = '{ pages { search(query: "ZEBRA"%s) { results { id locale } totalHits suggestions } } }'
    result = gql(query % "")["data"]["pages"]["search"]
    assert result["results"] == [
        {"id": "1", "locale": "en"},
        {"id": "2", "locale": "en"},
        {"id": "3", "locale": "de"},
    ]
    assert (result["totalHits"], result["suggestions"]) == (3, [])
    assert gql(query % ', locale: "de"')["data"]["pages"]["search"]["totalHits"] == 1
    assert gql(query % ', path: "docs/zeb"')["data"]["pages"]["search"]["totalHits"] == 1


def test_history_paging_and_actions(fake: FakeWikiJS, gql: Caller, clock: FakeClock) -> None:
    p = fake.add_page("docs/h", content="v0")
    for n in range(1, 5):
        clock.advance(1)
        fake.edit_page(p.id, f"v{n}")
    clock.advance(1)
    assert mutate(
        gql, "move", f'id: {p.id}, destinationPath: "docs/moved", destinationLocale: "en"'
    )["succeeded"]
    clock.advance(1)
    fake.edit_page(p.id, "after move")

    def trail(args: str) -> Any:
        return gql(
            f"{{ pages {{ history(id: {p.id}{args}) {{ total trail {{ versionId actionType valueBefore valueAfter }} }} }} }}"
        )["data"]["pages"]["history"]

    everything = trail("")
    assert everything["total"] == 6
    actions = [t["actionType"] for t in everything["trail"]]
    assert actions == ["move", "edit", "edit", "edit", "edit", "initial"]
    assert everything["trail"][0]["valueBefore"] == "docs/h"
    assert everything["trail"][0]["valueAfter"] == "docs/moved"
    first_page = trail(", offsetPage: 0, offsetSize: 2")
    assert [t["actionType"] for t in first_page["trail"]] == ["move", "edit"]
    middle = trail(", offsetPage: 1, offsetSize: 4")
    assert [t["actionType"] for t in middle["trail"]] == ["edit", "initial"]
    # Wiki.js's own off-by-one: a last page that ends exactly at ``total``
    # finds no older version and reports its oldest entry as a move from "".
    exact = trail(", offsetPage: 2, offsetSize: 2")
    assert [t["actionType"] for t in exact["trail"]] == ["edit", "move"]
    assert exact["trail"][1]["valueBefore"] == ""
    missing = gql("{ pages { history(id: 999) { total } } }")
    assert missing["errors"][0]["message"] == "Cannot read properties of undefined (reading 'path')"


def test_version_and_restore(fake: FakeWikiJS, gql: Caller) -> None:
    p = fake.add_page("docs/v", title="Title", content="first", tags=["t"])
    fake.edit_page(p.id, "second")
    version_id = max(fake.core.state.history)
    query = f"{{ pages {{ version(pageId: {p.id}, versionId: {version_id}) {{ content action authorId tags versionId }} }} }}"
    assert gql(query)["data"]["pages"]["version"] == {
        "content": "first",
        "action": "updated",
        "authorId": "1",
        "tags": [],
        "versionId": version_id,
    }
    assert (
        gql(f"{{ pages {{ version(pageId: {p.id}, versionId: 999) {{ content }} }} }}")["data"][
            "pages"
        ]["version"]
        is None
    )
    assert mutate(gql, "restore", f"pageId: {p.id}, versionId: {version_id}")["succeeded"]
    assert page(gql, p.id, "content")["content"] == "first"
    assert mutate(gql, "restore", f"pageId: {p.id}, versionId: 999")["errorCode"] == 6003
    assert mutate(gql, "restore", "pageId: 999, versionId: 1")["errorCode"] == 6003


def test_tree_modes_and_parents(fake: FakeWikiJS, gql: Caller) -> None:
    fake.add_page("guide/install", title="Install")
    fake.add_page("guide", title="Guide")
    fake.add_page("guide/setup/linux", title="Linux")
    fake.add_page("other", title="Other", locale="de")

    def tree(args: str) -> list[Any]:
        return gql(
            f"{{ pages {{ tree({args}) {{ id path title isFolder pageId parent depth }} }} }}"
        )["data"]["pages"]["tree"]

    root = tree('mode: ALL, locale: "en"')
    assert [(n["path"], n["isFolder"], n["pageId"]) for n in root] == [("guide", True, 2)]
    guide = root[0]["id"]  # ids follow (locale, path) order: "de" pages come first
    children = tree(f'mode: ALL, locale: "en", parent: {guide}')
    assert [n["title"] for n in children] == ["setup", "Install"]
    assert {n["parent"] for n in children} == {guide}
    folders = tree(f'mode: FOLDERS, locale: "en", parent: {guide}')
    assert [n["path"] for n in folders] == ["guide/setup"]
    pages = tree(f'mode: PAGES, locale: "en", parent: {guide}')
    assert [n["path"] for n in pages] == ["guide/install"]
    siblings = tree('mode: ALL, locale: "en", path: "guide/setup", includeAncestors: true')
    assert [n["path"] for n in siblings] == ["guide", "guide/setup", "guide/install"]
    assert tree('mode: ALL, locale: "en", path: "nowhere"') == []
    assert [n["path"] for n in tree('mode: ALL, locale: "de"')] == ["other"]


def test_links(fake: FakeWikiJS, gql: Caller) -> None:
    fake.add_page("docs/a", content="see [b](/docs/b) and [de](/de/docs/c)")
    fake.add_page("docs/b", content="no links")
    links = gql('{ pages { links(locale: "en") { id path links } } }')["data"]["pages"]["links"]
    assert links == [
        {"id": 1, "path": "en/docs/a", "links": ["en/docs/b", "de/docs/c"]},
        {"id": 2, "path": "en/docs/b", "links": []},
    ]


def test_tags_search_tags_and_tag_mutations(fake: FakeWikiJS, gql: Caller) -> None:
    fake.add_page("docs/a", tags=["Alpha", "beta"])
    fake.add_page("docs/b", tags=["alphabet"])
    tags = gql("{ pages { tags { id tag title } } }")["data"]["pages"]["tags"]
    assert [t["tag"] for t in tags] == ["alpha", "alphabet", "beta"]
    assert gql('{ pages { searchTags(query: "ALPH") } }')["data"]["pages"]["searchTags"] == [
        "alpha",
        "alphabet",
    ]
    assert mutate(gql, "updateTag", 'id: 1, tag: " Gamma ", title: "Gamma!"')["succeeded"]
    assert (
        mutate(gql, "updateTag", 'id: 99, tag: "x", title: "x"')["message"]
        == "This tag does not exist."
    )
    assert mutate(gql, "deleteTag", "id: 2")["succeeded"]
    assert mutate(gql, "deleteTag", "id: 2")["message"] == "This tag does not exist."
    assert page(gql, 1, "tags { tag title }")["tags"] == [{"tag": "gamma", "title": "Gamma!"}]


def test_delete_and_single_errors(fake: FakeWikiJS, gql: Caller) -> None:
    p = fake.add_page("docs/d")
    fake.add_comment(p.id, "a comment")
    assert mutate(gql, "delete", f"id: {p.id}")["message"] == "Page has been deleted."
    assert mutate(gql, "delete", f"id: {p.id}")["errorCode"] == 6003
    assert fake.core.state.comments == {}
    assert (
        gql(f"{{ pages {{ single(id: {p.id}) {{ id }} }} }}")["errors"][0]["message"]
        == "This page does not exist."
    )


def test_conflicts(fake: FakeWikiJS, gql: Caller, clock: FakeClock) -> None:
    p = fake.add_page("docs/c", tags=["t"])
    checkout = fake.core.state.pages[p.id].updated_at
    query = f'{{ pages {{ checkConflicts(id: {p.id}, checkoutDate: "{checkout}") }} }}'
    assert gql(query)["data"]["pages"]["checkConflicts"] is False
    clock.advance(5)
    fake.edit_page(p.id, "newer")
    assert gql(query)["data"]["pages"]["checkConflicts"] is True
    latest = gql(f"{{ pages {{ conflictLatest(id: {p.id}) {{ content tags authorId locale }} }} }}")
    assert latest["data"]["pages"]["conflictLatest"] == {
        "content": "newer",
        "tags": ["t"],
        "authorId": "1",
        "locale": "en",
    }
    missing = gql('{ pages { checkConflicts(id: 99, checkoutDate: "2020-01-01T00:00:00Z") } }')
    assert missing["errors"][0]["extensions"]["exception"]["code"] == 6003


def test_move_convert_render_and_maintenance(fake: FakeWikiJS, gql: Caller) -> None:
    a = fake.add_page("docs/a", content="# A")
    fake.add_page("docs/b")
    assert (
        mutate(gql, "move", f'id: {a.id}, destinationPath: "docs/b", destinationLocale: "en"')[
            "errorCode"
        ]
        == 6006
    )
    assert (
        mutate(gql, "move", f'id: {a.id}, destinationPath: "bad path", destinationLocale: "en"')[
            "errorCode"
        ]
        == 6005
    )
    assert (
        mutate(gql, "move", 'id: 99, destinationPath: "docs/z", destinationLocale: "en"')[
            "errorCode"
        ]
        == 6003
    )
    assert mutate(gql, "convert", f'id: {a.id}, editor: "ckeditor"')["succeeded"]
    converted = page(gql, a.id, "content contentType editor")
    assert converted["contentType"] == "html"
    assert converted["content"].startswith("<h1")
    assert mutate(gql, "convert", 'id: 99, editor: "ckeditor"')["errorCode"] == 6003
    assert mutate(gql, "render", f"id: {a.id}")["succeeded"]
    assert mutate(gql, "render", "id: 99")["errorCode"] == 6003
    for field in ("flushCache", "rebuildTree"):
        assert gql(f"mutation {{ pages {{ {field} {{ {RR} }} }} }}")["data"]["pages"][field][
            "responseResult"
        ]["succeeded"]
    migrated = gql(
        f'mutation {{ pages {{ migrateToLocale(sourceLocale: "en", targetLocale: "de") {{ count {RR} }} }} }}'
    )
    assert migrated["data"]["pages"]["migrateToLocale"]["count"] == 2
    assert mutate(gql, "purgeHistory", 'olderThan: "1d"')["succeeded"]


def test_update_can_move_and_guest_is_forbidden_on_history(
    fake: FakeWikiJS, gql: Caller, guest: Caller
) -> None:
    p = fake.add_page("docs/x", tags=["t"])
    result = mutate(gql, "update", f'id: {p.id}, content: "c", tags: ["t"], path: "docs/y"')
    assert result["succeeded"]
    assert fake.core.state.pages[p.id].path == "docs/y"
    assert (
        guest(f"{{ pages {{ history(id: {p.id}) {{ total }} }} }}")["errors"][0]["message"]
        == "Forbidden"
    )


@pytest.mark.parametrize("editor", ["code", "raw"])
def test_other_editors_render(fake: FakeWikiJS, editor: str) -> None:
    p = fake.add_page("docs/e", content='<a href="/docs/x">x</a>', editor=editor)
    assert fake.core.state.pages[p.id].render
