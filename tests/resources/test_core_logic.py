"""The pure logic behind the resources: paging, inputs, names, answers (no network)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from types import SimpleNamespace
from typing import Any

import pytest

from wikijs._protocol import paging
from wikijs._protocol.admin import (
    check_expiration,
    check_site_changes,
    merged_locale_variables,
    merged_site_variables,
    navigation_item,
    navigation_tree,
    site_fields,
)
from wikijs._protocol.assets import (
    check_kind,
    check_new_name,
    download_error,
    download_path,
    file_extension,
    folder_segments,
    sanitize,
    stored_filename,
    upload_error,
)
from wikijs._protocol.groups import PERMISSIONS, check_permissions, merged_group_variables
from wikijs._protocol.users import merged_user_variables, pick_by_email
from wikijs.errors import (
    HTTPStatusError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ResponseError,
    ValidationError,
)
from wikijs.models import (
    AssetFolderNode,
    AssetKind,
    GroupUpdate,
    HealthReport,
    NewApiKey,
    PageRule,
    SiteConfig,
    UserCreate,
    UserUpdate,
)

# -- paging ---------------------------------------------------------------------------


@dataclass
class Row:
    id: int
    name: str
    seen: datetime | None = None


ROWS = [Row(3, "carol"), Row(1, "Alice", datetime(2026, 1, 1, tzinfo=timezone.utc)), Row(2, "bob")]
FIELDS = {"id": "id", "name": "name", "seen": "seen", "last_seen": "seen"}


def test_window_slices_after_offset() -> None:
    window = paging.Window.build(2, 1)
    assert window.end == 3
    assert window.apply([0, 1, 2, 3, 4]) == [1, 2]
    assert paging.Window.build().apply([1, 2]) == [1, 2]


@pytest.mark.parametrize(
    ("limit", "offset", "field"), [(0, 0, "limit"), (1, -1, "offset"), (True, 0, "limit")]
)
def test_window_checks(limit: Any, offset: Any, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        paging.Window.build(limit, offset)
    assert caught.value.field == field


def test_ordering_by_name_is_case_insensitive_and_reversible() -> None:
    assert [r.id for r in paging.Ordering.build("name", "asc", FIELDS).apply(ROWS)] == [1, 2, 3]
    assert [r.id for r in paging.Ordering.build("-name", None, FIELDS).apply(ROWS)] == [3, 2, 1]
    assert [r.id for r in paging.Ordering.build("name", "desc", FIELDS).apply(ROWS)] == [3, 2, 1]
    assert [r.id for r in paging.Ordering.build("seen", "asc", FIELDS).apply(ROWS)] == [3, 2, 1]
    assert [r.id for r in paging.Ordering.build(None, "desc", FIELDS).apply(ROWS)] == [2, 1, 3]
    by_id = paging.Ordering.build(None, "asc", FIELDS, default="id")
    assert [r.id for r in by_id.apply(ROWS)] == [1, 2, 3]


OLDER = "is deprecated: write"


@pytest.mark.parametrize(
    ("order_by", "direction", "canonical", "warning"),
    [
        ("NAME", "asc", ("name", False), f"order_by='NAME' {OLDER} order_by='name'"),
        ("-NAME", "asc", ("name", True), f"order_by='-NAME' {OLDER} order_by='-name'"),
        ("lastSeen", "asc", ("seen", False), f"order_by='lastSeen' {OLDER} order_by='seen'"),
        ("last_seen", "asc", ("seen", False), f"order_by='last_seen' {OLDER} order_by='seen'"),
        ("name", "DESC", ("name", True), f"direction='DESC' {OLDER} direction='desc'"),
    ],
)
def test_older_spellings_still_order_and_warn(
    order_by: str, direction: str, canonical: tuple[str, bool], warning: str
) -> None:
    with pytest.warns(DeprecationWarning, match=re.escape(warning)) as caught:
        ordering = paging.Ordering.build(order_by, direction, FIELDS)
    assert (ordering.attribute, ordering.descending) == canonical
    assert caught[0].filename == __file__  # the warning points at the caller's line


@pytest.mark.parametrize(("order_by", "direction"), [("secret", "asc"), (3, "asc"), ("id", "UP")])
def test_ordering_checks(order_by: Any, direction: Any) -> None:
    with pytest.raises(ValidationError):
        paging.Ordering.build(order_by, direction, FIELDS)


def test_select_filters_orders_then_slices() -> None:
    needle = paging.check_filter(" B ")
    assert needle == "b"
    picked = paging.select(
        ROWS,
        keep=lambda r: paging.matches(needle, r.name),
        ordering=paging.Ordering("id"),
        window=paging.Window(1, 0),
    )
    assert picked == [Row(2, "bob")]
    assert paging.check_filter(None) is None
    assert paging.check_filter("  ") is None
    assert paging.matches(None, "anything")
    assert not paging.matches("x", None, "abc")


def test_chunked() -> None:
    assert list(paging.chunked([1, 2, 3, 4, 5], 2)) == [[1, 2], [3, 4], [5]]
    with pytest.raises(ValidationError):
        list(paging.chunked([1], 0))


# -- users ----------------------------------------------------------------------------


def test_user_create_variables() -> None:
    spec = UserCreate(email=" Ada@Example.COM ", name=" Ada ", password="secret", groups=[3, 3, 1])
    assert spec.variables() == {
        "email": "ada@example.com",
        "name": "Ada",
        "provider_key": "local",
        "groups": [3, 1],
        "must_change_password": False,
        "send_welcome_email": False,
        "password_raw": "secret",
    }
    sso = UserCreate(email="x@example.com", name="Xi", provider="oidc")
    assert "password_raw" not in sso.variables()


def test_user_create_refuses_unknown_fields() -> None:
    with pytest.raises(ValidationError):
        UserCreate.build({"email": "x@example.com", "name": "X", "password": "secret", "admin": 1})
    with pytest.raises(ValidationError):
        UserCreate(email="x@example.com", name="x" * 256, password="secret")
    with pytest.raises(ValidationError):
        UserCreate(email="x@example.com", name="Xi", password="secret", groups="1")


def test_merged_user_variables_keep_everything_not_changed() -> None:
    user = SimpleNamespace(
        id=7,
        name="Ada",
        email="ada@example.com",
        location="London",
        job_title="",
        timezone="Europe/London",
        date_format="",
        appearance="dark",
        groups=[SimpleNamespace(id=1), SimpleNamespace(id=3)],
    )
    changes = UserUpdate(name="Ada L", password="newpass").changes()
    assert merged_user_variables(user, changes) == {
        "id": 7,
        "name": "Ada L",
        "email": "ada@example.com",
        "location": "London",
        "job_title": "",
        "timezone": "Europe/London",
        "date_format": "",
        "appearance": "dark",
        "groups": [1, 3],
        "new_password": "newpass",
    }


def test_pick_by_email_wants_an_exact_match() -> None:
    users = [
        SimpleNamespace(id=1, email="xada@example.com"),
        SimpleNamespace(id=4, email="Ada@example.com"),
    ]
    assert pick_by_email(users, "ada@EXAMPLE.com").id == 4
    assert pick_by_email(users, "bo@example.com") is None


# -- groups -----------------------------------------------------------------------------


def test_the_22_permissions() -> None:
    assert len(PERMISSIONS) == len(set(PERMISSIONS)) == 22
    assert check_permissions(["read:pages", "read:pages", "manage:system"]) == [
        "read:pages",
        "manage:system",
    ]


def test_page_rule_defaults_and_variables() -> None:
    rule = PageRule(roles=["read:pages"])
    assert (rule.match, rule.path, rule.deny, rule.locales) == ("START", "", False, [])
    assert len(rule.id) == 12
    assert rule.id != PageRule(roles=["read:pages"]).id
    assert (
        PageRule(match="regex", path="^a.*", roles=["read:pages"]).as_variable()["match"] == "REGEX"
    )
    read_back = SimpleNamespace(
        id="r1",
        match=SimpleNamespace(value="TAG"),
        path="t",
        roles=["read:pages"],
        deny=True,
        locales=["en"],
    )
    assert PageRule.coerce(read_back).as_variable() == {
        "id": "r1",
        "deny": True,
        "match": "TAG",
        "roles": ["read:pages"],
        "path": "t",
        "locales": ["en"],
    }


def test_merged_group_variables_send_all_four_fields() -> None:
    group = SimpleNamespace(
        id=3,
        name="Team",
        redirect_on_login=None,
        permissions=["read:pages"],
        page_rules=[
            SimpleNamespace(
                id="default", match="START", path="", roles=["read:pages"], deny=False, locales=[]
            )
        ],
    )
    out = merged_group_variables(group, GroupUpdate(name="Crew").changes())
    assert out == {
        "id": 3,
        "name": "Crew",
        "redirect_on_login": "/",
        "permissions": ["read:pages"],
        "page_rules": [
            {
                "id": "default",
                "deny": False,
                "match": "START",
                "roles": ["read:pages"],
                "path": "",
                "locales": [],
            }
        ],
    }
    with pytest.raises(ValidationError):
        GroupUpdate().changes()
    with pytest.raises(ValidationError):
        GroupUpdate(name=None).changes()


# -- assets -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("original", "stored"),
    [
        ("Order Test.bin", "order_test.bin"),
        ("My  Photo,v2;final#1.PNG", "my_photo_v2_final_1.png"),
        ('a<b>c:d"e|f?g*h.txt', "abcdefgh.txt"),
        ("trailing dots. . .", "trailing_dots._._"),
        ("...", ""),
        ("con.txt", ""),
        ("ctrl\x01\x9fname.bin", "ctrlname.bin"),
        ("日本語 ファイル.png", "日本語_ファイル.png"),
    ],
)
def test_stored_filename_matches_the_server(original: str, stored: str) -> None:
    assert stored_filename(original) == stored


def test_sanitize_truncates_to_255_utf8_bytes_without_splitting() -> None:
    name = "é" * 200
    assert len(sanitize(name).encode()) == 254
    assert file_extension("archive.tar.GZ") == ".gz"
    assert file_extension(".hidden") == ""


def test_folder_paths() -> None:
    assert folder_segments(" /Images//2026/ ") == ["images", "2026"]
    assert folder_segments("/") == []
    with pytest.raises(ValidationError):
        folder_segments("a/../b")
    assert download_path("images/2026", "my file.png") == "/images/2026/my%20file.png"
    assert download_path("", "root.png") == "/root.png"


def test_kinds_and_rename_targets() -> None:
    assert [check_kind(k) for k in ("image", "binary", "all", AssetKind.IMAGE)] == [
        "IMAGE",
        "BINARY",
        "ALL",
        "IMAGE",
    ]
    with pytest.warns(DeprecationWarning, match="kind='images' is deprecated: write kind='image'"):
        assert check_kind("images") == "IMAGE"
    with pytest.warns(DeprecationWarning, match="kind='ALL' is deprecated: write kind='all'"):
        assert check_kind("ALL") == "ALL"
    assert check_new_name("New.PNG") == "new.png"
    for bad in ("a", "x/y.png", "bad?.png"):
        with pytest.raises(ValidationError):
            check_new_name(bad)


def test_folder_node_walk() -> None:
    leaf = AssetFolderNode(3, "c", "c", "a/b/c", 2)
    tree = AssetFolderNode(1, "a", "a", "a", 0, (AssetFolderNode(2, "b", "b", "a/b", 1, (leaf,)),))
    assert [n.path for n in tree.walk()] == ["a", "a/b", "a/b/c"]


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (413, b"", ValidationError),
        (502, b"<html>bad gateway</html>", HTTPStatusError),
        (429, b"", RateLimitedError),
        (500, b'{"errors":[{"message":"boom"}]}', HTTPStatusError),
        (201, b"", ResponseError),
    ],
)
def test_upload_answers(status: int, body: bytes, error: type[Exception]) -> None:
    assert upload_error(200, b"ok") is None
    assert isinstance(upload_error(status, body), error)


def test_download_answers() -> None:
    assert isinstance(download_error(404, b"", "asset /x"), NotFoundError)
    assert isinstance(download_error(403, b"", "asset /x"), PermissionDeniedError)
    assert isinstance(download_error(500, b"", "asset /x"), HTTPStatusError)


# -- admin ------------------------------------------------------------------------------


@pytest.mark.parametrize("good", ["1y", "30d", "12h", "2 days", "90m", "1.5w"])
def test_expirations(good: str) -> None:
    assert check_expiration(good) == good


def test_site_settings_are_derived_from_the_model() -> None:
    kinds = site_fields(SiteConfig)
    assert kinds["title"] == "str"
    assert kinds["edit_fab"] == "bool"
    assert kinds["upload_max_file_size"] == "int"
    assert kinds["robots"] == "list"
    changes = check_site_changes({"title": "T", "robots": ("a",)}, kinds)
    assert changes == {"title": "T", "robots": ["a"]}
    current = SimpleNamespace(**{**dict.fromkeys(kinds), "host": "https://w"})
    assert merged_site_variables(current, changes, kinds) == {"host": "https://w", **changes}


def test_navigation_inputs() -> None:
    item = navigation_item({"label": "Home", "targetType": "home", "id": "h"})
    assert item == {
        "id": "h",
        "kind": "link",
        "label": "Home",
        "targetType": "home",
        "target": "",
        "visibilityMode": "all",
        "visibilityGroups": [],
    }
    tree = navigation_tree([{"locale": "en", "items": [{"kind": "divider"}]}])
    assert tree[0]["locale"] == "en"
    assert tree[0]["items"][0]["kind"] == "divider"
    for bad in ({"en": [{}], "en ": None}, {"xx yy": []}, "nonsense", {"en": "items"}):
        with pytest.raises(ValidationError):
            navigation_tree(bad)
    with pytest.raises(ValidationError):
        navigation_tree([{"locale": "en", "items": []}, {"locale": "en", "items": []}])


def test_locale_settings() -> None:
    current = SimpleNamespace(locale="en", auto_update=True, namespacing=False, namespaces=[])
    assert merged_locale_variables(current, {"namespaces": ("en", "de")}) == {
        "locale": "en",
        "auto_update": True,
        "namespacing": False,
        "namespaces": ["en", "de"],
    }
    for bad in ({"locale": "english please"}, {"namespaces": "en"}, {"colour": 1}):
        with pytest.raises(ValidationError):
            merged_locale_variables(current, bad)


def test_new_api_key_hides_its_secret() -> None:
    new = NewApiKey("s3cr3t-token", SimpleNamespace(id=4, name="ci"))
    assert "s3cr3t" not in repr(new)
    assert (new.id, new.name) == (4, "ci")


def test_health_summaries() -> None:
    down = HealthReport("https://w", reachable=False, credentials=True, problems=("no route",))
    assert not down.ok
    assert down.summary() == "https://w: unreachable, no route"
    user = SimpleNamespace(name="Ada", email="ada@example.com")
    up = HealthReport(
        "https://w",
        True,
        True,
        200,
        0.01,
        credentials=True,
        authenticated=True,
        user=user,
        version="2.5.314",
    )
    assert up.ok
    assert up.summary() == "https://w: up, Wiki.js 2.5.314, as Ada <ada@example.com>"
