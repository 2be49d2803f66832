"""``whoami()`` and ``health()`` name the API key in use, and say Wiki.js acts as user 1."""

from __future__ import annotations

from typing import Any

from wikijs import JWTAuth
from wikijs.models import Identity
from wikijs.testing import FakeWikiJS


def test_a_full_access_key_is_named_and_acts_as_user_1(fake: FakeWikiJS, wiki: Any) -> None:
    me = wiki.whoami()
    assert isinstance(me, Identity)
    assert me.id == 1
    key = me.api_key
    assert key is not None
    assert key.full_access
    assert key.group_id == 1
    assert key.acts_as_user_id == 1
    assert key.name  # a full-access key may list the keys
    assert key.group_name == "Administrators"
    assert me.describe().startswith(
        f'API key "{key.name}" (#{key.id}, full access), acting as user 1 ('
    )
    report = wiki.health()
    assert f'with API key "{key.name}"' in report.summary()
    assert report.user.api_key == key


def test_a_key_limited_to_a_group_says_so(fake: FakeWikiJS, make_wiki: Any) -> None:
    group = fake.add_group("Key readers", permissions=["read:pages"])
    limited = make_wiki(auth=fake.create_api_key("identity-reader", group_id=group.id))
    me = limited.whoami()
    key = me.api_key
    assert key is not None
    assert (key.group_id, key.full_access) == (group.id, False)
    # Without manage:api and manage:groups the key cannot read the names.
    assert (key.name, key.group_name) == (None, None)
    assert me.id == 1  # Wiki.js answers with user 1's profile all the same
    assert me.describe() == (
        f"API key (#{key.id}, group #{group.id}), acting as user 1 "
        f"({me.name} <{me.email}>) with its group's permissions"
    )
    assert "with its group's permissions" in limited.health().summary()


def test_a_key_that_may_read_names_shows_them(fake: FakeWikiJS, make_wiki: Any) -> None:
    group = fake.add_group("Key auditors", permissions=["manage:api", "manage:groups"])
    client = make_wiki(auth=fake.create_api_key("identity-auditor", group_id=group.id))
    key = client.whoami().api_key
    assert key is not None
    assert (key.name, key.group_name) == ("identity-auditor", "Key auditors")
    assert (
        key.describe()
        == f'API key "identity-auditor" (#{key.id}, group "Key auditors" #{group.id})'
    )


def test_a_users_login_has_no_key(fake: FakeWikiJS, make_wiki: Any, login_slot: Any) -> None:
    user = fake.add_user("identity-user@example.com", password="identity-pass-1", name="Ida")
    login_slot("login")
    me = make_wiki(auth=JWTAuth(user.email, "identity-pass-1")).whoami()
    assert (me.email, me.api_key) == (user.email, None)
    assert me.describe() == f"Ida <{user.email}>"
