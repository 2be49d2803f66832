"""Server administration: login strategies, storage, rendering, analytics, mail, theming,
loggers, system utilities, contributors, comment providers and search engines.

Every test runs on the fake and, with ``--wikijs-url``, on a real Wiki.js; the
real harness restores each setting a test changes.
"""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import httpx
import pytest

from wikijs.errors import APIError, NotFoundError, ValidationError
from wikijs.models import (
    ActiveStrategy,
    AnalyticsProvider,
    AuthenticationStrategy,
    ImportedUsers,
    Logger,
    MailConfig,
    ModuleSettings,
    Renderer,
    StorageTarget,
    SystemExtension,
    ThemingConfig,
)
from wikijs.testing import FakeWikiJS


def is_real(fake: Any) -> bool:
    return bool(getattr(fake, "is_real", False))


def on_this_machine(fake: Any) -> bool:
    """Whether the server under test shares this machine's disk and loopback."""
    return httpx.URL(fake.url).host in ("127.0.0.1", "localhost", "::1")


# -- module settings -------------------------------------------------------------------


def test_module_settings_decode_values_and_describe_each(wiki: Any) -> None:
    git = wiki.storage.get("git")
    settings = ModuleSettings.of(git)
    assert settings["branch"] == "master"
    assert settings["verifySSL"] is True
    branch = settings.setting("branch")
    assert (branch.type, branch.default, branch.sensitive) == ("string", "master", False)
    assert settings.setting("authType").choices == ("basic", "ssh")
    assert settings.setting("sshPrivateKeyContent").multiline
    assert settings.definitions[0].key == "authType"  # the module's order
    with pytest.raises(KeyError):
        settings.setting("nope")


def test_module_settings_keep_secrets_out_of_repr(wiki: Any) -> None:
    settings = ModuleSettings.parse(
        [
            type("Pair", (), {"key": "token", "value": '{"sensitive":true,"value":"s3cr3t"}'})(),
            type("Pair", (), {"key": "host", "value": '{"value":"example.com"}'})(),
        ]
    )
    assert settings["token"] == "s3cr3t"
    assert "s3cr3t" not in repr(settings)
    assert "s3cr3t" not in repr(settings.setting("token"))
    assert "example.com" in repr(settings)


# -- login strategies ------------------------------------------------------------------


@pytest.mark.requires_wikijs("2.5.105")
def test_strategy_kinds_and_the_configured_ones(wiki: Any) -> None:
    kinds = wiki.authentication.strategies()
    assert all(isinstance(k, AuthenticationStrategy) for k in kinds)
    assert {"local", "ldap", "oidc", "saml"} <= {k.key for k in kinds}
    ldap = next(k for k in kinds if k.key == "ldap")
    assert ModuleSettings.of(ldap).setting("url").title  # definitions, with defaults as values
    active = wiki.authentication.active()
    assert all(isinstance(s, ActiveStrategy) for s in active)
    local = wiki.authentication.get("local")
    assert (local.strategy.key, local.strategy.title) == ("local", "Local Database")
    assert wiki.authentication.active(enabled_only=True)[0].key == active[0].key


@pytest.mark.requires_wikijs("2.5.105")
def test_update_a_strategy_keeps_the_rest(wiki: Any) -> None:
    before = wiki.authentication.get("local")
    changed = wiki.authentication.update(
        "local",
        display_name="Company accounts",
        self_registration=True,
        domain_whitelist=["example.com"],
        auto_enroll_groups=[2],
    )
    assert changed.display_name == "Company accounts"
    assert changed.self_registration is True
    assert changed.domain_whitelist == ["example.com"]
    assert changed.auto_enroll_groups == [2]
    assert (changed.is_enabled, changed.order) == (before.is_enabled, before.order)
    again = wiki.authentication.update("local", self_registration=False)
    assert again.display_name == "Company accounts"  # not reset by omission
    assert again.domain_whitelist == ["example.com"]


@pytest.mark.requires_wikijs("2.5.105")
def test_add_configure_order_and_remove_a_strategy(wiki: Any) -> None:
    added = wiki.authentication.add(
        "ldap",
        display_name="Directory",
        enabled=False,
        config={"url": "ldap://ldap.example.com:389", "searchBase": "ou=people,dc=example"},
    )
    try:
        assert (added.strategy.key, added.display_name, added.is_enabled) == (
            "ldap",
            "Directory",
            False,
        )
        settings = ModuleSettings.of(added)
        assert settings["url"] == "ldap://ldap.example.com:389"
        assert settings["searchBase"] == "ou=people,dc=example"
        assert (
            settings["tlsCertPath"]
            == ModuleSettings.of(
                next(k for k in wiki.authentication.strategies() if k.key == "ldap")
            )["tlsCertPath"]
        )  # the kind's default
        first = wiki.authentication.update(
            added.key, order=0, config={"searchFilter": "(uid={{username}})"}
        )
        assert ModuleSettings.of(first)["url"] == "ldap://ldap.example.com:389"
        assert ModuleSettings.of(first)["searchFilter"] == "(uid={{username}})"
        assert wiki.authentication.active()[0].key == added.key
    finally:
        wiki.authentication.remove(added.key)
    assert added.key not in [s.key for s in wiki.authentication.active()]


@pytest.mark.requires_wikijs("2.5.105")
@pytest.mark.parametrize(
    ("call", "args", "kwargs"),
    [
        ("update", ("local",), {}),
        ("update", ("local",), {"enabled": False}),
        ("update", ("local",), {"config": {"nope": 1}}),
        ("update", ("local",), {"order": -1}),
        ("update", ("local",), {"auto_enroll_groups": "3"}),
        ("add", ("ldap",), {"config": {"url": 389}}),
        ("add", ("ldap",), {"enabled": "yes"}),
        ("remove", ("local",), {}),
    ],
)
def test_strategy_changes_are_checked_first(
    wiki: Any, call: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    before = [(s.key, s.display_name, s.is_enabled) for s in wiki.authentication.active()]
    with pytest.raises(ValidationError):
        getattr(wiki.authentication, call)(*args, **kwargs)
    assert [(s.key, s.display_name, s.is_enabled) for s in wiki.authentication.active()] == before


@pytest.mark.requires_wikijs("2.5.105")
def test_unknown_strategies(wiki: Any) -> None:
    with pytest.raises(NotFoundError, match="no login strategy 'nope'"):
        wiki.authentication.get("nope")
    with pytest.raises(NotFoundError, match="no strategy kind 'nope'"):
        wiki.authentication.add("nope")


@pytest.mark.fake_only("counts requests: nothing may be sent without confirmation")
def test_destructive_calls_need_confirmation(wiki: Any, fake: FakeWikiJS) -> None:
    fake.reset_log()
    for call in (
        lambda: wiki.authentication.regenerate_certificates(),
        lambda: wiki.authentication.reset_guest_user(confirm=1),
        lambda: wiki.system.upgrade(),
        lambda: wiki.system.renew_https_certificate(confirm="yes"),
        lambda: wiki.system.import_users_from_v1("mongodb://mongo:27017/wiki"),
    ):
        with pytest.raises(ValidationError, match="confirm=True") as caught:
            call()
        assert caught.value.field == "confirm"
    assert fake.requests == []


@pytest.mark.fake_only("destructive: every API key of the server stops working")
def test_regenerating_certificates_voids_every_token(make_wiki: Any, fake: FakeWikiJS) -> None:
    admin = make_wiki()
    other = make_wiki(auth=fake.create_api_key("other"))
    assert other.pages.list() == []
    admin.authentication.regenerate_certificates(confirm=True)
    with pytest.raises(APIError):  # the key now reads as a bad token: the Guest, refused
        other.users.list()


@pytest.mark.fake_only("destructive: the Guest user is deleted and recreated")
def test_reset_guest_user_recreates_it_in_the_guest_group(wiki: Any, fake: FakeWikiJS) -> None:
    wiki.users.update(2, name="Visitor")
    wiki.authentication.reset_guest_user(confirm=True)
    guest = wiki.users.get(2)
    assert (guest.name, guest.email) == ("Guest", "guest@example.com")
    assert [g.id for g in guest.groups] == [2]


# -- storage -------------------------------------------------------------------------------


def test_storage_targets(wiki: Any) -> None:
    targets = wiki.storage.targets()
    assert all(isinstance(t, StorageTarget) for t in targets)
    assert {"git", "disk", "s3", "sftp"} <= {t.key for t in targets}
    assert [t.title for t in targets] == sorted(t.title for t in targets)
    git = wiki.storage.get("git")
    assert git.supported_modes == ["sync", "push", "pull"]
    assert {a.handler for a in git.actions or [] if a} >= {"sync", "importAll"}
    with pytest.raises(NotFoundError, match="no storage target 'nope'"):
        wiki.storage.get("nope")


def test_update_a_storage_target_sends_back_its_other_settings(wiki: Any) -> None:
    before = ModuleSettings.of(wiki.storage.get("s3"))
    target = wiki.storage.update("s3", config={"bucket": "wiki-backup", "region": "eu-west-1"})
    settings = ModuleSettings.of(target)
    assert (settings["bucket"], settings["region"]) == ("wiki-backup", "eu-west-1")
    assert settings["accessKeyId"] == before["accessKeyId"]
    assert target.is_enabled is False
    with pytest.raises(ValidationError, match="supports the modes push"):
        wiki.storage.update("s3", mode="pull")
    with pytest.raises(ValidationError, match="no setting 'bukket'"):
        wiki.storage.update("s3", config={"bukket": "x"})
    with pytest.raises(ValidationError, match="ISO 8601"):
        wiki.storage.update("git", sync_interval="5 minutes")


def test_storage_secrets_read_masked_and_are_kept(wiki: Any) -> None:
    if ModuleSettings.of(wiki.storage.get("sftp"))["password"]:
        pytest.skip("the server already holds an SFTP password, which a test may not replace")
    masked = wiki.storage.update("sftp", config={"password": "hunter22", "host": "sftp.example"})
    settings = ModuleSettings.of(masked)
    assert settings["password"] == "********"
    assert settings.setting("password").sensitive
    kept = wiki.storage.update("sftp", config={"host": "sftp2.example"})
    assert ModuleSettings.of(kept)["password"] == "********"  # the mask sent back kept it


@pytest.fixture
def export_dir(tmp_path_factory: pytest.TempPathFactory, fake: Any) -> Iterator[Path]:
    """A folder the server may write to: on this machine (a local real server, or the fake)."""
    if is_real(fake) and not on_this_machine(fake):
        pytest.skip("the real server writes on its own disk, which this test cannot read")
    folder = tmp_path_factory.mktemp("server-writes") / "target"
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_storage_target_enabled_and_its_action_run(
    wiki: Any, fake: Any, export_dir: Path
) -> None:
    target = wiki.storage.update("disk", enabled=True, config={"path": str(export_dir)})
    assert target.is_enabled
    assert [(s.key, s.status) for s in wiki.storage.status()] == [("disk", "operational")]
    wiki.storage.execute_action("disk", "backup")
    with pytest.raises(APIError, match="Invalid Handler"):
        wiki.storage.execute_action("disk", "noSuchAction")
    with pytest.raises(APIError, match="Invalid or Inactive"):
        wiki.storage.execute_action("s3", "exportAll")
    if is_real(fake):
        assert export_dir.is_dir()  # the real target created its folder


# -- rendering, analytics, loggers -----------------------------------------------------


def test_renderers(wiki: Any) -> None:
    renderers = wiki.rendering.renderers()
    assert all(isinstance(r, Renderer) for r in renderers)
    core = wiki.rendering.get("markdownCore")
    assert (core.input, core.output) == ("markdown", "html")
    linkify = ModuleSettings.of(core)["linkify"]
    changed = wiki.rendering.update("markdownCore", config={"linkify": not linkify})
    assert ModuleSettings.of(changed)["linkify"] is (not linkify)
    assert ModuleSettings.of(changed)["allowHTML"] == ModuleSettings.of(core)["allowHTML"]
    off = wiki.rendering.update("htmlTwemoji", enabled=False)
    assert off.is_enabled is False
    with pytest.raises(ValidationError, match="takes True or False"):
        wiki.rendering.update("markdownCore", config={"linkify": "no"})


def test_analytics_providers(wiki: Any) -> None:
    providers = wiki.analytics.providers()
    assert all(isinstance(p, AnalyticsProvider) for p in providers)
    assert [p.key for p in providers] == sorted(p.key for p in providers)
    assert wiki.analytics.providers(enabled_only=True) == []
    google = wiki.analytics.update("google", enabled=True, config={"propertyTrackingId": "G-TEST1"})
    assert google.is_enabled
    assert ModuleSettings.of(google)["propertyTrackingId"] == "G-TEST1"
    assert [p.key for p in wiki.analytics.providers(enabled_only=True)] == ["google"]


def test_loggers(wiki: Any) -> None:
    loggers = wiki.logging.loggers()
    assert all(isinstance(entry, Logger) for entry in loggers)
    sentry = wiki.logging.update(
        "sentry", level="error", config={"key": "https://k@sentry.example/1"}
    )
    assert (sentry.level, sentry.is_enabled) == ("error", False)
    assert ModuleSettings.of(sentry)["key"] == "https://k@sentry.example/1"
    with pytest.raises(ValidationError, match="level must be one of"):
        wiki.logging.update("sentry", level="loud")


# -- mail --------------------------------------------------------------------------------


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.arrived = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        self.arrived.set()
        return "250 OK"


@pytest.fixture
def smtp_server(fake: Any) -> Iterator[tuple[int, _Inbox]]:
    """An SMTP server on loopback, where the server under test can deliver."""
    if is_real(fake) and not on_this_machine(fake):
        pytest.skip("the real server cannot reach this machine's loopback")
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


def test_mail_settings_and_a_test_message(wiki: Any, smtp_server: tuple[int, _Inbox]) -> None:
    port, inbox = smtp_server
    config = wiki.mail.update(
        sender_name="Team Wiki",
        sender_email="wiki@example.com",
        host="127.0.0.1",
        port=port,
        secure=False,
        verify_ssl=False,
    )
    assert isinstance(config, MailConfig)
    assert (config.host, config.port, config.secure) == ("127.0.0.1", port, False)
    wiki.mail.send_test("someone@example.com")
    assert inbox.arrived.wait(30)
    message = inbox.messages[0]
    assert message["To"] == "someone@example.com"
    assert message["Subject"].startswith("A test email from your wiki - ")
    assert "wiki@example.com" in message["From"]


def test_mail_password_reads_masked_and_is_kept(wiki: Any) -> None:
    if wiki.mail.config().pass_:
        pytest.skip("the server already holds a mail password, which a test may not replace")
    assert wiki.mail.update(user="wiki", password="s3cret-pass").pass_ == "********"
    assert wiki.mail.update(user="wiki2").pass_ == "********"  # the mask sent back kept it


def test_mail_input_is_checked_and_unconfigured_mail_fails(wiki: Any) -> None:
    with pytest.raises(ValidationError, match="unknown mail setting"):
        wiki.mail.update(hostname="x")
    with pytest.raises(ValidationError, match="port number"):
        wiki.mail.update(port=0)
    with pytest.raises(ValidationError):
        wiki.mail.send_test("not an address")
    if wiki.mail.config().host:
        pytest.skip("mail is configured on this server")
    with pytest.raises(APIError) as caught:
        wiki.mail.send_test("someone@example.com")
    assert caught.value.code == 3002  # MailNotConfigured


# -- theming -------------------------------------------------------------------------------


@pytest.mark.requires_wikijs("2.5.293")  # tocPosition
def test_theming(wiki: Any) -> None:
    before = wiki.theming.config()
    assert isinstance(before, ThemingConfig)
    assert [t.key for t in wiki.theming.themes()] == ["default"]
    config = wiki.theming.update(
        dark_mode=not before.dark_mode,
        toc_position="right",
        inject_css=".page-title { color: white; font-weight: bold }",
    )
    assert config.dark_mode is (not before.dark_mode)
    assert config.toc_position == "right"
    # stored minified, read back through clean-css's beautifier
    assert config.inject_css == ".page-title {\n  color: #fff;\n  font-weight: 700\n}"
    assert (config.theme, config.iconset) == (before.theme, before.iconset)
    again = wiki.theming.update(inject_head="<meta name=x>")
    assert again.toc_position == "right"  # not reset by omission
    with pytest.raises(ValidationError, match="iconset must be one of"):
        wiki.theming.update(iconset="emoji")
    with pytest.raises(ValidationError, match="unknown theming setting"):
        wiki.theming.update(colour="red")


# -- system --------------------------------------------------------------------------------


def test_flags_update_keeps_the_others(wiki: Any) -> None:
    before = wiki.system.flags()
    assert set(before) >= {"ldapdebug", "sqllog"}
    after = wiki.system.update_flags({"sqllog": not before["sqllog"]})
    assert after == {**before, "sqllog": not before["sqllog"]}
    with pytest.raises(ValidationError, match="unknown flag"):
        wiki.system.update_flags({"nope": True})


def test_extensions(wiki: Any) -> None:
    extensions = wiki.system.extensions()
    assert all(isinstance(e, SystemExtension) for e in extensions)
    assert {e.key for e in extensions} == {"git", "pandoc", "puppeteer", "sharp"}


def test_telemetry_and_https_redirection(wiki: Any) -> None:
    info = wiki.system.info()
    wiki.system.set_telemetry(not info.telemetry)
    wiki.system.set_https_redirection(not info.http_redirection)
    after = wiki.system.info()
    assert after.telemetry is (not info.telemetry)
    assert after.http_redirection is (not info.http_redirection)
    assert after.telemetry_client_id == info.telemetry_client_id


@pytest.mark.fake_only("the telemetry id cannot be set back on a real server")
def test_reset_telemetry_client_id(wiki: Any) -> None:
    before = wiki.system.info().telemetry_client_id
    wiki.system.reset_telemetry_client_id()
    assert wiki.system.info().telemetry_client_id not in (before, None, "")


def test_server_without_ssl_or_companion_refuses_renewal_and_upgrade(wiki: Any) -> None:
    info = wiki.system.info()
    if info.ssl_provider or info.upgrade_capable:
        pytest.skip("this server manages certificates or can upgrade itself")
    with pytest.raises(APIError) as renewal:
        wiki.system.renew_https_certificate(confirm=True)
    assert renewal.value.code == 7002  # SystemSSLDisabled
    with pytest.raises(APIError, match="wiki-update-companion"):
        wiki.system.upgrade(confirm=True)


def test_import_from_v1_reports_a_database_out_of_reach(wiki: Any) -> None:
    with pytest.raises(APIError, match=r"failed to connect to server \[127.0.0.1:1\]"):
        wiki.system.import_users_from_v1("mongodb://127.0.0.1:1/wiki", confirm=True)
    with pytest.raises(APIError, match="Connection String is missing or invalid"):
        wiki.system.import_users_from_v1("mongodb:/", confirm=True)
    with pytest.raises(ValidationError, match="group_mode"):
        wiki.system.import_users_from_v1("mongodb://x:1/y", group_mode="ALL", confirm=True)


@pytest.mark.fake_only("needs a Wiki.js 1.x database")
def test_import_from_v1(wiki: Any, fake: FakeWikiJS) -> None:
    fake.add_v1_database(
        "mongodb://mongo:27017/wiki",
        [
            {"email": "guest", "name": "Guest", "provider": "local"},
            {
                "email": "Ann@Example.com",
                "name": "Ann",
                "provider": "local",
                "password": "$2a$07$abcdefghijklmnopqrstuv",
                "rights": [{"role": "write", "path": "/docs", "exact": False, "deny": False}],
            },
            {
                "email": "bob@example.com",
                "name": "Bob",
                "provider": "local",
                "password": "$2a$07$abcdefghijklmnopqrstuv",
                "rights": [{"role": "admin", "path": "/"}],
            },
            {
                "email": "admin@example.com",
                "name": "Clash",
                "provider": "local",
                "password": "$2a$07$abcdefghijklmnopqrstuv",
            },
        ],
    )
    result = wiki.system.import_users_from_v1(
        "mongodb://mongo:27017/wiki", group_mode="MULTI", confirm=True
    )
    assert isinstance(result, ImportedUsers)
    # a group per distinct set of rights: Ann's, and the clashing user's none (made
    # before that user failed); Bob, an admin, joins Administrators
    assert (result.users, result.groups) == (2, 2)
    assert [(f.email, f.error) for f in result.failed] == [
        ("admin@example.com", "An account already exists using this email address.")
    ]
    ann = next(u for u in wiki.users.list() if u.email == "ann@example.com")
    group = wiki.groups.get(wiki.users.get(ann.id).groups[0].id)
    assert group.name.startswith("Import_")
    assert group.page_rules[0].path == "docs"
    bob = next(u for u in wiki.users.list() if u.email == "bob@example.com")
    assert [g.id for g in wiki.users.get(bob.id).groups] == [1]


@pytest.mark.requires_wikijs("2.5.282")
def test_export(wiki: Any, fake: Any, export_dir: Path) -> None:
    wiki.system.export(str(export_dir), entities=["groups"])
    status = wiki.system.export_status()
    for _ in range(500):  # a few milliseconds a read; the export of groups is quick
        if status.status != "running":
            break
        status = wiki.system.export_status()
    assert (status.status, status.progress) == ("success", 100)
    assert status.started_at is not None
    if is_real(fake):
        assert (export_dir / "groups.json").is_file()
    with pytest.raises(APIError, match="Target directory must be empty"):
        wiki.system.export(str(export_dir), entities=["groups"])
    with pytest.raises(ValidationError, match="entities"):
        wiki.system.export(str(export_dir), entities=["everything"])
    with pytest.raises(ValidationError, match="at least one"):
        wiki.system.export(str(export_dir), entities=[])


# -- contributors, comment providers, search engines -------------------------------------


def test_contributors_of_an_offline_server(wiki: Any) -> None:
    assert wiki.contribute.contributors() == []


@pytest.mark.fake_only("plays an online server that reaches requarks.io")
def test_contributors(wiki: Any, fake: FakeWikiJS) -> None:
    fake.sponsors = [
        {
            "id": "42",
            "source": "opencollective",
            "name": "Acme",
            "joined": "2020-01-02T00:00:00.000Z",
            "website": "https://acme.example",
            "twitter": None,
            "avatar": None,
        }
    ]
    (sponsor,) = wiki.contribute.contributors()
    assert (sponsor.name, sponsor.joined.year) == ("Acme", 2020)


def test_comment_provider_settings_and_activation(wiki: Any) -> None:
    disqus = wiki.comments.update_provider("disqus", config={"accountName": "my-wiki"})
    assert ModuleSettings.of(disqus)["accountName"] == "my-wiki"
    assert disqus.is_enabled is False
    assert [p.key for p in wiki.comments.providers() if p.is_enabled] == ["default"]
    active = wiki.comments.update_provider("default", activate=True)
    assert active.is_enabled
    assert [p.key for p in wiki.comments.providers() if p.is_enabled] == ["default"]
    with pytest.raises(ValidationError):
        wiki.comments.update_provider("disqus")


def test_search_engine_settings(wiki: Any) -> None:
    algolia = wiki.search.update_engine("algolia", config={"indexName": "sdk-wiki"})
    assert ModuleSettings.of(algolia)["indexName"] == "sdk-wiki"
    assert [e.key for e in wiki.search.engines() if e.is_enabled] == ["db"]
    db = wiki.search.update_engine("db", activate=True)
    assert db.is_enabled
    with pytest.raises(NotFoundError):
        wiki.search.get_engine("nope")
