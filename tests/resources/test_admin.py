"""Comments, navigation, site, system, localization, search, API keys and health."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from wikijs.errors import (
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from wikijs.models import (
    ApiKey,
    Comment,
    HealthReport,
    Locale,
    NavigationMode,
    NewApiKey,
    SiteConfig,
    SystemInfo,
)
from wikijs.testing import FakeWikiJS

# -- comments ------------------------------------------------------------------------


def test_comment_lifecycle(wiki: Any, fake: FakeWikiJS) -> None:
    page = fake.add_page("docs/commented")
    first = wiki.comments.create(page.id, "First!")
    assert isinstance(first, Comment)
    assert (first.content, first.author_id) == ("First!", 1)
    fake.clock.advance(31)  # one comment per client every 15 s, per author every 30 s
    reply = wiki.comments.create(page.id, "A **reply**", reply_to=first.id)
    assert "<strong>reply</strong>" in reply.render
    assert [c.id for c in wiki.comments.list(page.id)] == [first.id, reply.id]
    assert [c.id for c in wiki.comments.list("docs/commented", locale="en")] == [first.id, reply.id]
    assert [c.id for c in wiki.comments.list(page.id, order_by="-id", limit=1)] == [reply.id]
    assert [c.id for c in wiki.comments.iter_all(page.id)] == [first.id, reply.id]
    assert wiki.comments.update(first.id, "Edited").content == "Edited"
    assert wiki.comments.get(first.id).content == "Edited"
    wiki.comments.delete(first.id)
    with pytest.raises(NotFoundError):
        wiki.comments.get(first.id)


def test_comment_validation_and_missing_pages(wiki: Any, fake: FakeWikiJS) -> None:
    page = fake.add_page("docs/quiet")
    fake.reset_log()
    with pytest.raises(ValidationError) as caught:
        wiki.comments.create(page.id, " x ")
    assert caught.value.field == "content"
    with pytest.raises(ValidationError):
        wiki.comments.create(page.id, "fine", guest_email="nope")
    assert fake.requests == []
    with pytest.raises(NotFoundError):
        wiki.comments.list(999)
    with pytest.raises(NotFoundError):
        wiki.comments.create(999, "Hello there")
    assert wiki.comments.list("docs/nothing-here") == []


def test_comment_providers(wiki: Any) -> None:
    providers = wiki.comments.providers()
    assert [p.key for p in providers if p.is_enabled] == ["default"]


# -- navigation ----------------------------------------------------------------------


def test_navigation_items_per_locale(wiki: Any) -> None:
    items = wiki.navigation.set_items(
        "en",
        [
            {"label": "Home", "target_type": "home", "icon": "mdi-home"},
            {"kind": "divider"},
            {"kind": "header", "label": "Docs"},
            {
                "label": "Start",
                "target": "/docs/start",
                "visibility_mode": "restricted",
                "visibility_groups": [1],
            },
        ],
    )
    assert [(i.kind, i.label) for i in items] == [
        ("link", "Home"),
        ("divider", None),
        ("header", "Docs"),
        ("link", "Start"),
    ]
    assert items[3].visibility_groups == [1]
    wiki.navigation.set_items("de", [{"label": "Start", "target": "/de/start"}])
    # Changing German kept the English menu, ids included.
    assert [i.id for i in wiki.navigation.items("en")] == [i.id for i in items]
    assert {t.locale for t in wiki.navigation.tree()} == {"en", "de"}
    assert wiki.navigation.items("fr") == []
    trees = wiki.navigation.update_tree({"fr": [{"label": "Accueil", "target_type": "home"}]})
    assert [t.locale for t in trees] == ["fr"]


@pytest.mark.parametrize(
    "item",
    [
        {"kind": "banner"},
        {"label": "No target", "target_type": "page"},
        {"target": "/x"},
        {"label": "x", "target_type": "rocket", "target": "/x"},
        {"label": "x", "target": "/x", "colour": "red"},
        {"label": "x", "target": "/x", "visibility_mode": "some"},
        "not an item",
    ],
)
def test_navigation_items_are_validated(wiki: Any, item: Any) -> None:
    with pytest.raises(ValidationError):
        wiki.navigation.set_items("en", [item])


def test_navigation_mode(wiki: Any) -> None:
    wiki.navigation.set_mode("static")
    assert wiki.navigation.mode() == NavigationMode.STATIC
    wiki.navigation.set_mode(NavigationMode.MIXED)
    assert wiki.navigation.mode() is NavigationMode.MIXED
    with pytest.raises(ValidationError):
        wiki.navigation.set_mode("sideways")


# -- site, system, localization, search -----------------------------------------------


def test_site_update_is_partial_and_checked(wiki: Any) -> None:
    before = wiki.site.config()
    assert isinstance(before, SiteConfig)
    after = wiki.site.update(title="Team Wiki", upload_max_file_size=1234, robots=["noindex"])
    assert (after.title, after.upload_max_file_size, after.robots) == (
        "Team Wiki",
        1234,
        ["noindex"],
    )
    assert after.host == before.host
    assert after.company == before.company
    for bad in (
        {"titel": "x"},
        {"title": 3},
        {"upload_max_file_size": -1},
        {"edit_fab": "yes"},
        {"robots": "noindex"},
        {"title": None},
        {},
    ):
        with pytest.raises(ValidationError):
            wiki.site.update(**bad)


@pytest.mark.filterwarnings("ignore::wikijs.versions.ServerVersionWarning")
def test_system_info(wiki: Any, wikijs_version: str) -> None:
    info = wiki.system.info()
    assert isinstance(info, SystemInfo)
    assert wiki.system.version() == info.current_version == wikijs_version


def test_localization(wiki: Any, real_wiki: object) -> None:
    if real_wiki is not None:
        pytest.skip("fake-only: the real test server runs offline and cannot download locales")
    locales = wiki.localization.locales()
    assert all(isinstance(locale, Locale) for locale in locales)
    assert [locale.code for locale in wiki.localization.locales(installed=True)] == ["en"]
    wiki.localization.download("de")
    assert {loc.code for loc in wiki.localization.locales(installed=True)} == {"en", "de"}
    before = wiki.localization.config()
    after = wiki.localization.update_config(namespacing=True, namespaces=["en", "de"])
    assert (after.namespacing, after.namespaces) == (True, ["en", "de"])
    assert (after.locale, after.auto_update) == (before.locale, before.auto_update)
    assert {t.key for t in wiki.localization.translations("de")} >= {"actions.save"}
    with pytest.raises(ValidationError):
        wiki.localization.update_config()
    with pytest.raises(ValidationError):
        wiki.localization.update_config(namespacing="yes")
    with pytest.raises(ValidationError):
        wiki.localization.locales(installed="yes")


def test_search_admin(wiki: Any) -> None:
    assert [e.key for e in wiki.search.engines() if e.is_enabled] == ["db"]
    wiki.search.rebuild_index()


# -- API keys ------------------------------------------------------------------------


def test_api_key_lifecycle(wiki: Any, fake: FakeWikiJS) -> None:
    from wikijs import WikiJSClient

    new = wiki.api_keys.create("ci", expiration="30d", group=2)
    assert isinstance(new, NewApiKey)
    assert new.key not in repr(new)
    assert (new.name, new.api_key.is_revoked) == ("ci", False)
    keys = wiki.api_keys.list()
    assert all(isinstance(k, ApiKey) for k in keys)
    assert new.id in [k.id for k in keys]
    assert [k.id for k in wiki.api_keys.iter_all()] == [k.id for k in keys]
    limited = WikiJSClient(fake.url, auth=new.key, transport=fake.sync_transport())
    with limited, pytest.raises(PermissionDeniedError):
        limited.users.list()
    wiki.api_keys.revoke(new.id)
    assert new.id not in [k.id for k in wiki.api_keys.list(include_revoked=False)]
    revoked = WikiJSClient(fake.url, auth=new.key, transport=fake.sync_transport())
    with revoked, pytest.raises(AuthenticationError):
        revoked.pages.list()


def test_api_key_validation(wiki: Any) -> None:
    for kwargs in (
        {"name": ""},
        {"name": "x", "expiration": "soon"},
        {"name": "x", "expiration": "0d"},
        {"name": "x", "full_access": True, "group": 2},
        {"name": "x", "full_access": False},
        {"name": "x", "full_access": "yes"},
    ):
        with pytest.raises(ValidationError):
            wiki.api_keys.create(**kwargs)


def test_api_state(wiki: Any, fake: FakeWikiJS) -> None:
    from wikijs import JWTAuth, WikiJSClient

    assert wiki.api_keys.state() is True
    with pytest.raises(ValidationError):
        wiki.api_keys.set_state("on")
    auth = JWTAuth(fake.admin_email, fake.admin_password)
    with WikiJSClient(fake.url, auth=auth, transport=fake.sync_transport()) as admin:
        admin.api_keys.set_state(False)
        assert admin.api_keys.state() is False
        with pytest.raises(AuthenticationError):
            wiki.users.list()
        admin.api_keys.set_state(True)
    assert wiki.api_keys.state() is True


# -- health ----------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::wikijs.versions.ServerVersionWarning")
def test_health_of_a_working_server(wiki: Any, wikijs_version: str) -> None:
    report = wiki.health()
    assert isinstance(report, HealthReport)
    assert report.ok
    assert report.reachable
    assert report.healthy
    assert report.authenticated
    assert (report.version, report.user.id, report.status_code) == (wikijs_version, 1, 200)
    assert report.latency is not None
    assert report.latency >= 0
    assert "up" in report.summary()
    assert "Administrator" in report.summary()


def test_health_with_rejected_credentials(fake: FakeWikiJS) -> None:
    from wikijs import WikiJSClient

    with WikiJSClient(fake.url, auth="garbage.token.here", transport=fake.sync_transport()) as c:
        report = c.health()
    assert report.reachable
    assert report.healthy
    assert not report.authenticated
    assert not report.ok
    assert report.version is None
    assert "credentials" in report.problems[0]
    assert "NOT accepted" in report.summary()


def test_health_as_guest(fake: FakeWikiJS) -> None:
    from wikijs import WikiJSClient

    with WikiJSClient(fake.url, transport=fake.sync_transport()) as guest:
        report = guest.health()
    assert report.ok
    assert not report.credentials
    assert not report.authenticated
    assert "as Guest" in report.summary()


def test_health_of_an_unreachable_server_is_reported_not_raised() -> None:
    from wikijs import WikiJSClient

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with WikiJSClient(
        "http://wiki.invalid",
        auth="key",
        transport=httpx.MockTransport(refuse),
    ) as client:
        report = client.health()
    assert not report.reachable
    assert not report.ok
    assert "cannot connect" in report.problems[0]
    assert "unreachable" in report.summary()


@pytest.mark.filterwarnings("ignore::wikijs.versions.ServerVersionWarning")
def test_health_of_an_unhealthy_server(fake: FakeWikiJS) -> None:
    from wikijs import WikiJSClient
    from wikijs.testing import Fault

    fake.faults.push(Fault.http(503, path="/healthz"))
    with WikiJSClient(fake.url, auth=fake.api_key, transport=fake.sync_transport()) as c:
        report = c.health()
    assert report.reachable
    assert not report.healthy
    assert not report.ok
    assert report.status_code == 503
    assert "unhealthy (HTTP 503)" in report.summary()
