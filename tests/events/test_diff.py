"""Snapshot diffing: which events two listings imply. Pure, no I/O."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from wikijs.errors import ValidationError
from wikijs.events import (
    LogEvent,
    PageEvent,
    PageInfo,
    Snapshot,
    UserEvent,
    UserInfo,
    diff,
    diff_pages,
    diff_users,
    parse_event,
)

AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
T1 = datetime(2026, 1, 1, 12, tzinfo=timezone.utc)


def page(page_id: int, path: str = "docs/a", **changes: object) -> PageInfo:
    fields: dict[str, object] = {
        "id": page_id,
        "path": path,
        "locale": "en",
        "title": f"Page {page_id}",
        "updated_at": T0,
    }
    fields.update(changes)
    return PageInfo.model_validate(fields)


def kinds(events: list[PageEvent]) -> list[tuple[str, int]]:
    return [(event.type, event.page.id) for event in events]


def test_identical_listings_mean_no_events() -> None:
    pages = {1: page(1), 2: page(2, "docs/b")}
    assert diff_pages(pages, dict(pages), at=AT) == []


def test_new_ids_are_created_and_missing_ones_deleted() -> None:
    before = {1: page(1), 2: page(2, "docs/b")}
    after = {2: page(2, "docs/b"), 3: page(3, "docs/c")}
    events = diff_pages(before, after, at=AT)
    assert kinds(events) == [("page.deleted", 1), ("page.created", 3)]
    assert events[0].page == before[1]
    assert all(event.timestamp == AT for event in events)
    assert events[0].previous is None


def test_a_title_or_timestamp_change_is_an_update_naming_the_fields() -> None:
    before = {1: page(1)}
    [event] = diff_pages(before, {1: page(1, title="New", updated_at=T1)}, at=AT)
    assert (event.type, event.changes) == ("page.updated", ("title", "updated_at"))
    assert event.previous == before[1]
    assert event.page.title == "New"
    [touched] = diff_pages(before, {1: page(1, updated_at=T1)}, at=AT)
    assert touched.changes == ("updated_at",)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": "d"}, "description"),
        ({"tags": ("a",)}, "tags"),
        ({"is_published": False}, "is_published"),
        ({"is_private": True}, "is_private"),
    ],
)
def test_other_listed_fields_are_updates(change: dict[str, object], field: str) -> None:
    [event] = diff_pages({1: page(1)}, {1: page(1, **change)}, at=AT)
    assert (event.type, event.changes) == ("page.updated", (field,))


def test_a_move_is_one_event_even_though_it_touches_updated_at() -> None:
    before = {1: page(1)}
    [event] = diff_pages(before, {1: page(1, "docs/moved", updated_at=T1)}, at=AT)
    assert (event.type, event.changes) == ("page.moved", ("path",))
    assert (event.previous.path if event.previous else None, event.page.path) == (
        "docs/a",
        "docs/moved",
    )
    [relocalized] = diff_pages(before, {1: page(1, locale="de")}, at=AT)
    assert relocalized.changes == ("locale",)


def test_a_move_with_a_new_title_is_a_move_and_an_update() -> None:
    events = diff_pages({1: page(1)}, {1: page(1, "docs/z", title="Z", updated_at=T1)}, at=AT)
    assert [(e.type, e.changes) for e in events] == [
        ("page.moved", ("path",)),
        ("page.updated", ("title", "updated_at")),
    ]


def test_events_come_in_page_id_order() -> None:
    before = {5: page(5), 2: page(2)}
    after = {1: page(1), 2: page(2, title="x"), 9: page(9)}
    assert kinds(diff_pages(before, after, at=AT)) == [
        ("page.created", 1),
        ("page.updated", 2),
        ("page.deleted", 5),
        ("page.created", 9),
    ]


def user(user_id: int, email: str) -> UserInfo:
    return UserInfo(id=user_id, name=email.split("@")[0], email=email)


def test_users_created_and_deleted() -> None:
    before = {1: user(1, "a@x.org"), 2: user(2, "b@x.org")}
    after = {1: user(1, "a@x.org"), 3: user(3, "c@x.org")}
    events = diff_users(before, after, at=AT)
    assert [(e.type, e.user.id) for e in events] == [("user.deleted", 2), ("user.created", 3)]


def test_snapshots_diff_only_what_both_watched() -> None:
    before = Snapshot.of([page(1)], [user(1, "a@x.org")])
    after = Snapshot.of([page(1), page(2, "docs/b")], [user(1, "a@x.org"), user(2, "b@x.org")])
    assert [e.type for e in diff(before, after, at=AT)] == ["page.created", "user.created"]
    pages_only = Snapshot.of([page(1)])
    assert pages_only.users is None
    assert [e.type for e in diff(pages_only, after, at=AT)] == ["page.created"]
    assert diff(Snapshot(), after, at=AT) == []


def test_every_event_gets_its_own_id() -> None:
    events = diff_pages({}, {1: page(1), 2: page(2)}, at=AT)
    assert len({event.id for event in events}) == 2


def test_events_round_trip_through_json() -> None:
    moved = diff_pages(
        {1: page(1, tags=("a", "b"))}, {1: page(1, "docs/z", tags=("a", "b"))}, at=AT
    )[0]
    assert parse_event(moved.to_json()) == moved
    created = UserEvent(type="user.created", timestamp=AT, user=user(3, "c@x.org"))
    assert parse_event(created.to_json().decode()) == created
    log = LogEvent(timestamp=AT, level="warn", output="disk")
    assert parse_event(log.model_dump(mode="json")) == log
    assert isinstance(parse_event(log.to_json()), LogEvent)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not json", "must be JSON"),
        (b'{"type": "page.renamed", "timestamp": "2026-01-01T00:00:00Z"}', "not a valid event"),
        (b'{"type": "page.created", "timestamp": "2026-01-01T00:00:00Z"}', "page"),
        (b'{"type": "log", "timestamp": "yesterday", "level": "x", "output": "y"}', "timestamp"),
    ],
)
def test_parse_event_refuses_what_is_not_an_event(data: bytes, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_event(data)


def test_page_info_from_sdk_models(client: object) -> None:
    from wikijs import WikiJSClient

    assert isinstance(client, WikiJSClient)
    created = client.pages.create(title="T", path="docs/t", content="x", tags=["b", "a"])
    listed = client.pages.list()[0]
    from_list, from_page = PageInfo.from_page(listed), PageInfo.from_page(created)
    assert from_list == from_page
    assert (from_list.tags, from_list.locale_path) == (("a", "b"), "en/docs/t")
    profile = client.users.list()[0]
    assert UserInfo.from_user(profile).email == "admin@example.com"
