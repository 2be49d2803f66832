"""client.users against the fake Wiki.js (both clients, see conftest.SyncView)."""

from __future__ import annotations

from typing import Any

import pytest

from wikijs.errors import (
    APIError,
    AuthenticationError,
    ConflictError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from wikijs.models import User, UserCreate, UserMinimal, UserProfile, UserUpdate
from wikijs.testing import FakeWikiJS

# Remove with the SDK fix: a strict xfail turns into a failure once it passes.


def test_create_returns_the_stored_user_although_the_server_answers_null(wiki: Any) -> None:
    user = wiki.users.create(email="Ada@Example.com", name="Ada", password="s3cret!", groups=[1])
    assert isinstance(user, User)
    assert user.email == "ada@example.com"
    assert [group.id for group in user.groups] == [1]


def test_create_accepts_positional_fields_a_model_or_a_mapping(wiki: Any) -> None:
    assert wiki.users.create("cy@example.com", "Cy", "secret").name == "Cy"
    user = wiki.users.create(UserCreate(email="bo@example.com", name="Bo", password="secret"))
    assert user.name == "Bo"
    mapped = {"email": "di@example.com", "name": "Di", "password": "secret"}
    assert wiki.users.create(mapped).email == "di@example.com"
    with pytest.raises(ValidationError, match="not both"):
        wiki.users.create(mapped, groups=[1])


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"email": "not-an-email", "name": "X", "password": "secret"}, "email"),
        ({"email": "a@example.com", "name": "  ", "password": "secret"}, "name"),
        ({"email": "a@example.com", "name": "A", "password": "secret"}, "name"),
        ({"email": "a@example.com", "name": "Al", "password": "12345"}, "password"),
        ({"email": "a@example.com", "name": "Al"}, "password"),
        ({"email": "a@example.com", "name": "Al", "password": "secret", "groups": [0]}, "groups"),
    ],
)
def test_create_validates_before_sending(
    wiki: Any, fake: FakeWikiJS, fields: dict[str, Any], field: str
) -> None:
    fake.reset_log()
    with pytest.raises(ValidationError) as caught:
        wiki.users.create(**fields)
    assert caught.value.field == field
    assert fake.requests == []


def test_create_with_a_taken_email_is_a_conflict(wiki: Any) -> None:
    with pytest.raises(ConflictError):
        wiki.users.create(email="admin@example.com", name="Again", password="secret")


def test_list_filters_orders_and_pages_on_the_client(wiki: Any, fake: FakeWikiJS) -> None:
    for name in ("Carol", "alice", "Bob"):
        fake.add_user(f"{name.lower()}@corp.example", name=name)
    names = [u.name for u in wiki.users.list(filter="corp.EXAMPLE", order_by="name")]
    assert names == ["alice", "Bob", "Carol"]
    assert [u.name for u in wiki.users.list(filter="corp", order_by="-name", limit=2)] == [
        "Carol",
        "Bob",
    ]
    ids = [u.id for u in wiki.users.list()]
    assert ids == sorted(ids)
    assert [u.id for u in wiki.users.list(limit=2, offset=1)] == ids[1:3]
    assert all(isinstance(u, UserMinimal) for u in wiki.users.list())


def test_list_rejects_unknown_order(wiki: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        wiki.users.list(order_by="password")
    assert caught.value.field == "order_by"


def test_iter_all_yields_every_user_lazily_in_batches(
    wiki: Any, fake: FakeWikiJS, known_server: Any
) -> None:
    for n in range(7):
        fake.add_user(f"walker{n}@example.com", name=f"Walker {n}")
    wiki.users.profile()  # the client's one-time credential check happens here
    known_server(wiki)
    fake.reset_log()
    walk = iter(wiki.users.iter_all(batch_size=3))
    first = next(walk)
    assert isinstance(first, User)
    assert len(fake.requests) == 2  # the list and the first batch: nothing more yet
    users = [first, *walk]
    # one list, then ceil(9 / 3) batched reads
    assert len(fake.requests) == 1 + 3
    assert [u.id for u in users] == sorted(u.id for u in wiki.users.list())
    assert all(u.groups for u in users)


def test_iter_all_skips_users_deleted_during_the_walk(wiki: Any, fake: FakeWikiJS) -> None:
    doomed = fake.add_user("doomed@example.com", name="Doomed")
    emails = []
    for user in wiki.users.iter_all(batch_size=1):
        emails.append(user.email)
        if user.id == 1:
            wiki.users.delete(doomed.id)
    assert "doomed@example.com" not in emails


def test_search_and_get_by_email(wiki: Any, fake: FakeWikiJS) -> None:
    fake.add_user("grace@example.com", name="Grace Hopper")
    assert [u.email for u in wiki.users.search("Hopper")] == ["grace@example.com"]
    assert wiki.users.get_by_email("GRACE@example.com").name == "Grace Hopper"
    with pytest.raises(NotFoundError):
        wiki.users.get_by_email("nobody@example.com")


def test_get_missing_user_is_not_found(wiki: Any) -> None:
    with pytest.raises(NotFoundError):
        wiki.users.get(999)


def test_profile_is_the_api_keys_user(wiki: Any) -> None:
    me = wiki.users.profile()
    assert isinstance(me, UserProfile)
    assert me.id == 1


def test_update_changes_only_the_given_fields(wiki: Any, fake: FakeWikiJS) -> None:
    user = fake.add_user("edit@example.com", name="Edit Me", groups=[1, 2])
    wiki.users.update(user.id, location="Berlin", job_title="Writer", timezone="Europe/Berlin")
    before = wiki.users.get(user.id)
    after = wiki.users.update(user.id, name="Edited")
    assert after.name == "Edited"
    for field in ("email", "location", "job_title", "timezone", "date_format", "appearance"):
        assert getattr(after, field) == getattr(before, field)
    assert [g.id for g in after.groups] == [g.id for g in before.groups] == [1, 2]


def test_update_replaces_groups_and_accepts_a_model(wiki: Any, fake: FakeWikiJS) -> None:
    user = fake.add_user("groups@example.com", groups=[2])
    after = wiki.users.update(user.id, UserUpdate(groups=[1]))
    assert [g.id for g in after.groups] == [1]


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"location": ""}, "location"), ({"name": None}, "name"), ({"password": "123"}, "password")],
)
def test_update_refuses_what_wikijs_would_ignore(
    wiki: Any, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        wiki.users.update(1, **fields)
    assert caught.value.field == field


def test_update_with_nothing_to_change_is_refused(wiki: Any) -> None:
    with pytest.raises(ValidationError):
        wiki.users.update(1)


def test_set_password_lets_the_user_log_in(wiki: Any, fake: FakeWikiJS) -> None:
    from wikijs import JWTAuth, WikiJSClient

    user = fake.add_user("pw@example.com")
    wiki.users.set_password(user.id, "brand-new-pw")
    auth = JWTAuth("pw@example.com", "brand-new-pw")
    with WikiJSClient(fake.url, auth=auth, transport=fake.sync_transport()) as other:
        assert other.whoami().email == "pw@example.com"


def test_reset_password_reports_the_servers_no_op(wiki: Any) -> None:
    with pytest.raises(APIError, match="set_password"):
        wiki.users.reset_password(1)


def test_lifecycle_switches(wiki: Any, fake: FakeWikiJS) -> None:
    user = fake.add_user("switch@example.com")
    wiki.users.deactivate(user.id)
    assert wiki.users.get(user.id).is_active is False
    wiki.users.activate(user.id)
    assert wiki.users.get(user.id).is_active is True
    wiki.users.verify(user.id)
    assert wiki.users.get(user.id).is_verified is True


@pytest.mark.requires_wikijs("2.5.105")
def test_two_factor_switches(wiki: Any, fake: FakeWikiJS) -> None:
    user = fake.add_user("tfa@example.com")
    wiki.users.enable_tfa(user.id)
    assert wiki.users.get(user.id).tfa_is_active is True
    wiki.users.disable_tfa(user.id)
    assert wiki.users.get(user.id).tfa_is_active is False


def test_delete_passes_content_to_the_replacement(wiki: Any, fake: FakeWikiJS) -> None:
    user = fake.add_user("leaver@example.com")
    page = fake.add_page("docs/left-behind", author_id=user.id)
    wiki.users.delete(user.id)
    with pytest.raises(NotFoundError):
        wiki.users.get(user.id)
    assert wiki.pages.get(page.id).author_id == 1


def test_delete_checks_ids_and_protects_system_accounts(wiki: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        wiki.users.delete(5, replace_id=5)
    assert caught.value.field == "replace_id"
    with pytest.raises(PermissionDeniedError):
        wiki.users.delete(2)


def test_last_logins(wiki: Any, fake: FakeWikiJS) -> None:
    fake.user_token(1)  # a login moves lastLoginAt
    logins = wiki.users.last_logins()
    assert [login.id for login in logins] == [1]


# -- batches ---------------------------------------------------------------------


def test_get_many_keeps_input_order_and_reports_missing(wiki: Any) -> None:
    result = wiki.users.get_many([2, 999, 1])
    assert [u.id for u in result] == [2, 1]
    assert [(e.index, e.input) for e in result.errors] == [(1, 999)]
    assert isinstance(result.errors[0].error, NotFoundError)


def test_create_many_returns_stored_users_and_item_errors(wiki: Any) -> None:
    result = wiki.users.create_many(
        [
            {"email": "m1@example.com", "name": "M1", "password": "secret"},
            {"email": "bad", "name": "M2", "password": "secret"},
            UserCreate(email="m3@example.com", name="M3", password="secret"),
            {"email": "M1@example.com", "name": "Dup", "password": "secret"},
            {"email": "admin@example.com", "name": "Taken", "password": "secret"},
        ]
    )
    assert [u.email for u in result] == ["m1@example.com", "m3@example.com"]
    errors = {e.index: type(e.error) for e in result.errors}
    assert errors == {1: InvalidArgumentError, 3: ConflictError, 4: ConflictError}


def test_update_many_is_a_safe_partial_update(wiki: Any, fake: FakeWikiJS) -> None:
    a = fake.add_user("ua@example.com", name="Ua", groups=[1])
    b = fake.add_user("ub@example.com", name="Ub")
    result = wiki.users.update_many(
        [
            {"id": a.id, "job_title": "Lead"},
            (b.id, UserUpdate(name="Ub2")),
            {"id": 999, "name": "Ghost"},
            {"id": a.id, "name": "Twice"},
            "nonsense",
        ]
    )
    assert [(u.id, u.name, u.job_title) for u in result] == [
        (a.id, "Ua", "Lead"),
        (b.id, "Ub2", ""),
    ]
    assert [g.id for g in result.success[0].groups] == [1]
    errors = {e.index: type(e.error) for e in result.errors}
    assert errors == {2: NotFoundError, 3: InvalidArgumentError, 4: InvalidArgumentError}


def test_delete_many(wiki: Any, fake: FakeWikiJS) -> None:
    ids = [fake.add_user(f"d{n}@example.com").id for n in range(3)]
    result = wiki.users.delete_many([*ids, 2])
    assert result.success == ids
    assert isinstance(result.errors[0].error, PermissionDeniedError)
    assert {u.id for u in wiki.users.list()} == {1, 2}


def test_update_profile_changes_only_what_is_given(make_wiki: Any, fake: FakeWikiJS) -> None:
    user = fake.add_user("profile@example.com", name="Pro File")
    me = make_wiki(auth=fake.user_token(user.id))
    changed = me.users.update_profile(location="Lyon", appearance="dark", date_format="YYYY-MM-DD")
    assert (changed.location, changed.appearance, changed.date_format) == (
        "Lyon",
        "dark",
        "YYYY-MM-DD",
    )
    assert changed.name == "Pro File"
    again = me.users.update_profile(job_title="Editor")
    assert (again.job_title, again.location) == ("Editor", "Lyon")


@pytest.mark.parametrize(
    "fields",
    [{}, {"appearance": "pink"}, {"date_format": "D/M/Y"}, {"name": " "}, {"timezone": ""}],
)
def test_update_profile_input_is_checked_first(wiki: Any, fake: FakeWikiJS, fields: Any) -> None:
    before = wiki.users.profile()
    with pytest.raises(ValidationError):
        wiki.users.update_profile(**fields)
    assert wiki.users.profile() == before


def test_change_password_of_the_caller(make_wiki: Any, fake: FakeWikiJS) -> None:
    from wikijs import JWTAuth

    user = fake.add_user("changer@example.com", password="first-secret")
    me = make_wiki(auth=fake.user_token(user.id))
    with pytest.raises(AuthenticationError):
        me.users.change_password("not-it", "second-secret")
    with pytest.raises(ValidationError):
        me.users.change_password("first-secret", "short")
    me.users.change_password("first-secret", "second-secret")
    again = make_wiki(auth=JWTAuth("changer@example.com", "second-secret"))
    assert again.whoami().email == "changer@example.com"
