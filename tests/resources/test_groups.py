"""client.groups against the fake Wiki.js (both clients)."""

from __future__ import annotations

from typing import Any

import pytest

from wikijs.errors import ConflictError, NotFoundError, ValidationError
from wikijs.models import Group, GroupMinimal, GroupUpdate, PageRule
from wikijs.testing import FakeWikiJS

WRITE = ["read:pages", "write:pages"]


def test_create_with_defaults(wiki: Any) -> None:
    group = wiki.groups.create("Plain")
    assert isinstance(group, Group)
    assert group.permissions == ["read:pages", "read:assets", "read:comments", "write:comments"]
    assert [(r.id, r.match.value, r.path) for r in group.page_rules] == [("default", "START", "")]


def test_create_with_permissions_and_rules_then_updates(wiki: Any) -> None:
    rule = PageRule(match="exact", path="docs/start", roles=WRITE, locales=["en"])
    group = wiki.groups.create(
        "Writers", permissions=WRITE, page_rules=[rule, {"path": "x", "roles": ["read:pages"]}]
    )
    assert group.permissions == WRITE
    assert [(r.match.value, r.path, r.roles, r.locales) for r in group.page_rules] == [
        ("EXACT", "docs/start", WRITE, ["en"]),
        ("START", "x", ["read:pages"], []),
    ]
    assert group.page_rules[0].id == rule.id
    assert group.page_rules[1].id  # generated


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"permissions": ["read:pages", "fly:pages"]}, "permissions"),
        ({"permissions": "read:pages"}, "permissions"),
        ({"page_rules": [{"match": "SOMETIMES", "roles": WRITE}]}, "match"),
        ({"page_rules": [{"path": "x", "roles": []}]}, "roles"),
        ({"page_rules": [{"roles": ["read:pages"], "locales": ["not a locale"]}]}, "locales"),
        (
            {"page_rules": [PageRule(id="a", roles=WRITE), PageRule(id="a", roles=WRITE)]},
            "page_rules",
        ),
        ({"page_rules": [42]}, "page_rules"),
        ({"redirect_on_login": "home"}, "redirect_on_login"),
    ],
)
def test_create_validates_before_sending(
    wiki: Any, fake: FakeWikiJS, kwargs: dict[str, Any], field: str
) -> None:
    fake.reset_log()
    with pytest.raises(ValidationError) as caught:
        wiki.groups.create("Bad", **kwargs)
    assert caught.value.field == field
    assert fake.requests == []


def test_create_needs_a_name(wiki: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        wiki.groups.create(" ")
    assert caught.value.field == "name"


@pytest.mark.requires_wikijs("2.5.105")  # redirect_on_login
def test_update_changes_only_the_given_field(wiki: Any) -> None:
    rule = PageRule(match="START", path="docs", roles=WRITE)
    group = wiki.groups.create(
        "Before", permissions=WRITE, page_rules=[rule], redirect_on_login="/docs"
    )
    after = wiki.groups.update(group.id, name="After")
    assert after.name == "After"
    assert after.permissions == WRITE
    assert after.redirect_on_login == "/docs"
    assert [r.model_dump() for r in after.page_rules] == [r.model_dump() for r in group.page_rules]


def test_update_accepts_a_model_and_rules_read_back(wiki: Any) -> None:
    group = wiki.groups.create("Model")
    rules = [
        *group.page_rules,
        PageRule(match="TAG", path="secret", roles=["read:pages"], deny=True),
    ]
    after = wiki.groups.update(group.id, GroupUpdate(page_rules=rules))
    assert [(r.match.value, r.deny) for r in after.page_rules] == [("START", False), ("TAG", True)]
    assert wiki.groups.set_permissions(group.id, ["read:pages"]).permissions == ["read:pages"]
    assert len(wiki.groups.set_page_rules(group.id, rules[:1]).page_rules) == 1


def test_update_missing_group_is_not_found(wiki: Any) -> None:
    with pytest.raises(NotFoundError):
        wiki.groups.update(999, name="Ghost")


def test_list_filters_orders_and_pages(wiki: Any, fake: FakeWikiJS) -> None:
    added = [fake.add_group(name).id for name in ("Zeta team", "alpha team", "Other")]
    fake.add_user("second-guest@example.com", groups=[2])
    assert [g.name for g in wiki.groups.list(filter="TEAM", order_by="name")] == [
        "alpha team",
        "Zeta team",
    ]
    everything = wiki.groups.list()
    assert all(isinstance(g, GroupMinimal) for g in everything)
    assert [g.id for g in everything] == [1, 2, *added]
    assert [g.id for g in wiki.groups.list(limit=2, offset=3)] == added[1:]
    assert next(g.id for g in wiki.groups.list(order_by="user_count", direction="desc")) == 2


def test_iter_all_yields_full_groups(wiki: Any, fake: FakeWikiJS) -> None:
    fake.add_group("Third")
    groups = list(wiki.groups.iter_all(batch_size=2))
    assert [g.name for g in groups] == ["Administrators", "Guests", "Third"]
    assert all(isinstance(g.permissions, list) for g in groups)


def test_members(wiki: Any, fake: FakeWikiJS) -> None:
    group = wiki.groups.create("Crew")
    users = [fake.add_user(f"crew{n}@example.com", name=f"Crew {n}") for n in range(3)]
    for user in reversed(users):
        wiki.groups.add_user(group.id, user.id)
    assert [u.id for u in wiki.groups.list_members(group.id)] == [u.id for u in users]
    assert [u.name for u in wiki.groups.list_members(group.id, order_by="-name", limit=1)] == [
        "Crew 2"
    ]
    assert [u.id for u in wiki.groups.iter_members(group.id)] == [u.id for u in users]
    wiki.groups.remove_user(group.id, users[0].id)
    assert sorted(u.id for u in wiki.groups.get(group.id).users) == [u.id for u in users[1:]]


def test_adding_a_member_twice_is_a_conflict(wiki: Any, fake: FakeWikiJS) -> None:
    user = fake.add_user("twice@example.com")
    wiki.groups.add_user(1, user.id)
    with pytest.raises(ConflictError, match="already assigned"):
        wiki.groups.add_user(1, user.id)


def test_guest_cannot_join_and_missing_groups_are_not_found(wiki: Any) -> None:
    with pytest.raises(ValidationError):
        wiki.groups.add_user(1, 2)
    with pytest.raises(NotFoundError):
        wiki.groups.list_members(999)
    with pytest.raises(NotFoundError):
        wiki.groups.get(999)


def test_delete(wiki: Any) -> None:
    group = wiki.groups.create("Doomed")
    wiki.groups.delete(group.id)
    with pytest.raises(NotFoundError):
        wiki.groups.get(group.id)
    with pytest.raises(ValidationError):
        wiki.groups.delete(1)


# -- batches ---------------------------------------------------------------------


def test_get_many(wiki: Any) -> None:
    result = wiki.groups.get_many([2, 999, 1])
    assert [g.id for g in result] == [2, 1]
    assert result.errors[0].index == 1


def test_create_many_then_update_many_then_delete_many(wiki: Any) -> None:
    created = wiki.groups.create_many(
        [
            "Readers",
            {"name": "Writers", "permissions": WRITE},
            {"name": "Broken", "permissions": ["nope"]},
            {"permissions": WRITE},
            7,
        ]
    )
    assert [(g.name, g.permissions[:2]) for g in created] == [
        ("Readers", ["read:pages", "read:assets"]),
        ("Writers", WRITE),
    ]
    assert sorted(e.index for e in created.errors) == [2, 3, 4]
    readers, writers = created.success
    updated = wiki.groups.update_many(
        [
            {"id": readers.id, "name": "Readers 2"},
            (writers.id, {"permissions": ["read:pages"]}),
            (999, {}),
        ]
    )
    assert [(g.name, g.permissions) for g in updated] == [
        ("Readers 2", readers.permissions),
        ("Writers", ["read:pages"]),
    ]
    assert isinstance(updated.errors[0].error, ValidationError)
    deleted = wiki.groups.delete_many([readers.id, writers.id, 1])
    assert deleted.success == [readers.id, writers.id]
    assert [e.index for e in deleted.errors] == [2]
