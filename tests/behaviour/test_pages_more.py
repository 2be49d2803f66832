"""The rest of the pages namespace, through both clients (the ``wiki`` fixture)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from wikijs import BatchError, InvalidArgumentError, NotFoundError, ValidationError
from wikijs.testing import FakeWikiJS


def test_links_tree_and_tag_admin(wiki: Any) -> None:
    target = wiki.pages.create(title="Target", path="docs/target", content="# Target")
    wiki.pages.create(title="Source", path="docs/source", content="See [t](/docs/target)")
    links = {item.path: item.links for item in wiki.pages.links("en")}
    assert links["en/docs/source"] == ["en/docs/target"]
    # (a real wiki may hold other folders and pages: what the test made is there)
    folders = wiki.pages.tree(mode="folders", locale="en")
    assert "docs" in [f.path for f in folders if f.is_folder]
    assert "docs/source" not in [f.path for f in folders]  # folders only
    docs = next(f for f in folders if f.path == "docs")
    children = wiki.pages.tree(parent=docs.id, mode="pages", locale="en")
    assert {c.path for c in children} >= {"docs/source", "docs/target"}
    assert all(c.path.startswith("docs/") for c in children)
    assert wiki.pages.tree(path="docs", mode="all", include_ancestors=True)

    old, new = f"old-{target.id}", f"new-{target.id}"  # names no other run has
    wiki.pages.update(target.id, tags=[old])
    tag = next(t for t in wiki.pages.tags() if t.tag == old)
    wiki.pages.update_tag(tag.id, new, "New")
    assert [t.tag for t in wiki.pages.get(target.id).tags] == [new]
    wiki.pages.delete_tag(tag.id)
    assert wiki.pages.get(target.id).tags == []


def test_conflict_checks(wiki: Any) -> None:
    page = wiki.pages.create(title="Edit", path="docs/edit", content="v1")
    checkout = datetime.now(timezone.utc) - timedelta(days=1)
    assert wiki.pages.check_conflicts(page.id, checkout) is True
    latest = wiki.pages.conflict_latest(page.id)
    assert latest.content == "v1"
    assert latest.path == "docs/edit"
    with pytest.raises(ValidationError):
        wiki.pages.check_conflicts(page.id, "yesterday")


@pytest.mark.requires_wikijs("2.5.201")
def test_convert_changes_the_editor(wiki: Any) -> None:
    page = wiki.pages.create(title="Convert", path="docs/convert", content="# M")
    wiki.pages.convert(page.id, "code")
    assert wiki.pages.get(page.id).editor == "code"


@pytest.mark.requires_wikijs("2.5.117")
def test_purge_history(wiki: Any) -> None:
    wiki.pages.purge_history("P1D")


def test_maintenance_operations(wiki: Any, fake: FakeWikiJS) -> None:
    page = wiki.pages.create(title="Maint", path="docs/maint", content="# M")
    wiki.pages.flush_cache()
    wiki.pages.rebuild_tree()
    moved = wiki.pages.migrate_locale("en", "de")
    assert moved >= 1
    assert wiki.pages.get(page.id).locale == "de"


def test_search_filters_and_enum_validation(wiki: Any, fake: FakeWikiJS) -> None:
    fake.install_locale("de")
    wiki.pages.create(title="Alpha guide", path="guides/alpha", content="x")
    wiki.pages.create(title="Alpha guide", path="guides/beta", content="x", locale="de")
    assert [r.path for r in wiki.pages.search("alpha", locale="de").results] == ["guides/beta"]
    assert wiki.pages.search("alpha", path="guides").total_hits >= 1
    with pytest.raises(ValidationError):
        wiki.pages.search("")
    with pytest.raises(ValidationError, match="order_by"):
        wiki.pages.list(order_by="POPULARITY")
    with pytest.raises(ValidationError, match="direction"):
        wiki.pages.list(direction="SIDEWAYS")
    with pytest.raises(ValidationError, match="mode"):
        wiki.pages.tree(mode="EVERYTHING")
    with pytest.raises(ValidationError):
        wiki.pages.get_by_tags([])
    assert (
        wiki.pages.list(order_by="title", direction="desc", locale="en")[0].title == "Alpha guide"
    )


def test_list_filters_by_author_and_creator(wiki: Any, fake: FakeWikiJS) -> None:
    page = wiki.pages.create(title="Mine", path="docs/mine", content="x")
    # (a real wiki may hold other pages of the administrator, user 1)
    assert page.id in [p.id for p in wiki.pages.list(creator_id=1, author_id=1)]
    assert page.id not in [p.id for p in wiki.pages.list(creator_id=2)]
    assert page.id not in [p.id for p in wiki.pages.list(author_id=2)]
    assert wiki.pages.ids(tags=[f"none-{page.id}"]) == []


def test_batch_errors_can_be_raised(wiki: Any) -> None:
    page = wiki.pages.create(title="One", path="docs/one", content="x")
    result = wiki.pages.get_many([page.id, 999_999, "seven"])
    assert repr(result) == "BatchResult(success=1, errors=2)"
    assert not result.ok
    with pytest.raises(BatchError) as caught:
        result.raise_for_errors()
    assert "2 of 3 batch items failed" in str(caught.value)
    assert isinstance(caught.value.errors[0].error, NotFoundError)
    assert caught.value.result is result
    assert wiki.pages.get_many([page.id]).raise_for_errors().ok


def test_update_many_reports_bad_items_without_sending_them(wiki: Any) -> None:
    page = wiki.pages.create(title="U", path="docs/u", content="x")
    result = wiki.pages.update_many(
        [
            {"id": page.id, "title": "U2"},
            {"id": page.id},
            "not an update",
            {"title": "no id"},
            {"id": page.id + 1000, "content": ""},
        ]
    )
    assert [type(e.error).__name__ for e in result.errors] == [
        "InvalidArgumentError",  # nothing to change
        "InvalidArgumentError",  # not an update
        "ArgumentTypeError",  # no id
        "InvalidArgumentError",  # empty content
    ]
    assert wiki.pages.get(page.id).title == "U2"


def test_create_many_validates_each_item(wiki: Any) -> None:
    result = wiki.pages.create_many(
        [
            {"title": "Ok", "path": "docs/ok", "content": "x"},
            {"title": "Bad", "path": "bad path", "content": "x"},
            {"title": "Empty", "path": "docs/empty", "content": ""},
        ],
        mode="array",
    )
    assert [p.path for p in result.success] == ["docs/ok"]
    assert [e.index for e in result.errors] == [1, 2]


def test_delete_many_and_history_paging(wiki: Any) -> None:
    page = wiki.pages.create(title="H", path="docs/h", content="v0")
    for i in range(1, 6):
        wiki.pages.update(page.id, content=f"v{i}")
    assert len(list(wiki.pages.history(page.id, page_size=2))) == len(
        list(wiki.pages.history(page.id))
    )
    result = wiki.pages.delete_many([page.id, page.id])
    assert result.success == [page.id]
    # refused before sending: two deletes of one page in flight both pass
    # Wiki.js's existence check (seen on a real 2.5.314 with write lanes)
    assert isinstance(result.errors[0].error, InvalidArgumentError)
    assert "already deleted by item 0" in result.errors[0].message


def test_a_page_is_updated_and_moved_once_per_batch(wiki: Any) -> None:
    page = wiki.pages.create(title="Once", path="docs/once", content="v0")
    updated = wiki.pages.update_many(
        [{"id": page.id, "title": "A"}, {"id": page.id, "content": "v1"}]
    )
    assert [p.id for p in updated.success] == [page.id]
    assert [e.index for e in updated.errors] == [1]
    assert "already updated by item 0; merge the changes" in updated.errors[0].message
    moved = wiki.pages.move_many([(page.id, "docs/once-a"), (page.id, "docs/once-b")])
    assert moved.success == [page.id]
    assert "page " + str(page.id) + " is already moved by item 0" in moved.errors[0].message
    stored = wiki.pages.get(page.id)
    assert (stored.title, stored.content, stored.path) == ("A", "v0", "docs/once-a")


def test_tree_of_a_path_lists_what_is_under_it(wiki: Any) -> None:
    # Wiki.js answers tree(path:) with the path's own level; the SDK lists its children
    for path in ("shelf/guide/one", "shelf/guide/two", "shelf/intro"):
        wiki.pages.create(title=path.rsplit("/", 1)[-1], path=path, content="# Page")
    under_shelf = wiki.pages.tree(path="shelf")
    assert [(i.path, i.is_folder) for i in under_shelf] == [
        ("shelf/guide", True),
        ("shelf/intro", False),
    ]
    assert {i.path for i in wiki.pages.tree(path="/shelf/guide/")} == {
        "shelf/guide/one",
        "shelf/guide/two",
    }
    assert {i.path for i in wiki.pages.tree(path="shelf/guide", mode="PAGES")} == {
        "shelf/guide/one",
        "shelf/guide/two",
    }
    assert wiki.pages.tree(path="shelf/intro") == []  # a page with nothing under it
    assert wiki.pages.tree(path="no/such/folder") == []
    guide = next(i for i in under_shelf if i.path == "shelf/guide")
    assert {i.path for i in wiki.pages.tree(parent=guide.id)} == {
        "shelf/guide/one",
        "shelf/guide/two",
    }
    with_ancestors = wiki.pages.tree(path="shelf/guide", include_ancestors=True)
    assert [i.path for i in with_ancestors][:2] == ["shelf", "shelf/guide"]
    assert {i.path for i in with_ancestors[2:]} == {"shelf/guide/one", "shelf/guide/two"}


def test_a_deleted_pages_version_is_not_found(wiki: Any) -> None:
    page = wiki.pages.create(title="Versioned", path="versioned/gone", content="# One")
    wiki.pages.update(page.id, content="# Two")
    version = next(iter(wiki.pages.history(page.id))).version_id
    assert wiki.pages.get_version(page.id, version).content == "# One"
    wiki.pages.delete(page.id)
    with pytest.raises(NotFoundError) as caught:
        wiki.pages.get_version(page.id, version)
    assert caught.value.message == f"no version {version} of page {page.id}"
