"""A real Wiki.js behind the same surface the tests use on ``FakeWikiJS``.

``pytest --wikijs-url URL`` (or ``WIKIJS_TEST_URL``, with ``WIKIJS_TEST_API_KEY``,
``WIKIJS_TEST_ADMIN_EMAIL``, ``WIKIJS_TEST_ADMIN_PASSWORD`` and optionally
``WIKIJS_TEST_REVOKED_KEY`` in the environment) runs the behaviour suite
against that server. The ``fake`` fixture then yields a :class:`RealWikiJS`:

- the seeding helpers (``add_page``, ``add_user``, ``add_group``, ``add_asset``,
  ``create_api_key``, ``user_token``, …) do the same through the server's own
  API, as the administrator's API key;
- every fake-only knob (faults, the clock, the request log, latency, quirks
  switched off, seeded demo data, …) skips the test with a reason, at the
  moment the test reaches for it;
- :meth:`RealWikiJS.cleanup` removes what the test created — pages, users,
  groups, API keys, assets and asset folders — by comparing with a snapshot
  taken before the test, and restores the settings a test may change.

The seeding talks raw GraphQL over httpx, not through the SDK under test, so
a bug in the SDK cannot hide itself in the setup.
"""

from __future__ import annotations

import contextlib
import os
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

# Wiki.js lets an address log in five times a minute (the sixth is refused);
# the tests keep one login in reserve for the SDK's own re-logins.
_LOGIN_WINDOW = 60.0
_LOGINS_PER_WINDOW = 4

#: Seconds a real page write may take (a render and a tree rebuild, each in a
#: freshly forked worker process); generous, since CI machines are slow.
WRITE_TIMEOUT = 120.0

_FAKE_ONLY = {
    "faults": "injected faults",
    "requests": "the fake's request log",
    "reset_log": "the fake's request log",
    "clock": "the fake clock",
    "latency": "the fake's added latency",
    "core": "the fake's internals",
    "seed_demo": "the fake's seeded demo data (hundreds of page writes on a real server)",
    "emit_log": "pushing live-log events",
    "restart": "restarting the server",
    "sign_token": "signing tokens with the server's secret",
    "files_dir": "the fake's upload folder",
    "open": "the fake's sans-I/O exchange",
    "handle": "the fake's sans-I/O exchange",
    "asgi_app": "the fake's ASGI app",
    "ws_keepalive": "the fake's websocket keep-alive knob",
    "_add_log_listener": "the fake's log listeners",
    "_remove_log_listener": "the fake's log listeners",
    "add_v1_database": "a Wiki.js 1.x database to import from",
    "sponsors": "what requarks.io answers (the test server is offline)",
}


@dataclass(frozen=True)
class RealSettings:
    url: str
    api_key: str
    admin_email: str
    admin_password: str
    revoked_key: str | None = None

    @classmethod
    def from_environment(cls, url: str | None, api_key: str | None) -> RealSettings | None:
        url = url or os.environ.get("WIKIJS_TEST_URL")
        if not url:
            return None
        api_key = api_key or os.environ.get("WIKIJS_TEST_API_KEY")
        missing = [
            name
            for name, value in (
                ("WIKIJS_TEST_API_KEY (or --wikijs-api-key)", api_key),
                ("WIKIJS_TEST_ADMIN_EMAIL", os.environ.get("WIKIJS_TEST_ADMIN_EMAIL")),
                ("WIKIJS_TEST_ADMIN_PASSWORD", os.environ.get("WIKIJS_TEST_ADMIN_PASSWORD")),
            )
            if not value
        ]
        if missing:
            raise pytest.UsageError(
                f"a real Wiki.js at {url} also needs: {', '.join(missing)} "
                "(source the real server's credentials.env)"
            )
        assert api_key is not None
        return cls(
            url=url.rstrip("/"),
            api_key=api_key,
            admin_email=os.environ["WIKIJS_TEST_ADMIN_EMAIL"],
            admin_password=os.environ["WIKIJS_TEST_ADMIN_PASSWORD"],
            revoked_key=os.environ.get("WIKIJS_TEST_REVOKED_KEY") or None,
        )


@contextlib.contextmanager
def isolated(server: RealWikiJS) -> Iterator[RealWikiJS]:
    """Remove what the test created on the real server, whatever the outcome."""
    server.snapshot()
    try:
        yield server
    finally:
        problems = server.cleanup()
        if problems:
            warnings.warn(f"real Wiki.js cleanup left: {'; '.join(problems)}", stacklevel=1)


class SeedError(RuntimeError):
    """The real server refused a setup step (the test cannot start)."""


@dataclass
class Snapshot:
    pages: set[int] = field(default_factory=set)
    users: set[int] = field(default_factory=set)
    groups: set[int] = field(default_factory=set)
    api_keys: set[int] = field(default_factory=set)
    assets: set[int] = field(default_factory=set)
    folders: set[int] = field(default_factory=set)
    navigation: Any = None
    site: Any = None
    api_enabled: bool = True
    flags: Any = None
    admin: Any = None

    def to_json(self) -> str:
        import json

        return json.dumps(
            {k: sorted(v) if isinstance(v, set) else v for k, v in self.__dict__.items()}
        )

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        import json

        raw = json.loads(text)
        sets = {"pages", "users", "groups", "api_keys", "assets", "folders"}
        return cls(**{k: set(v) if k in sets else v for k, v in raw.items()})


_PAGE_FIELDS = "id path title locale isPublished"

_SITE_FIELDS = (
    "host title description robots analyticsService analyticsId company contentLicense "
    "footerOverride logoUrl pageExtensions authAutoLogin authEnforce2FA authHideLocal "
    "authLoginBgUrl authJwtAudience authJwtExpiration authJwtRenewablePeriod editFab "
    "editMenuBar editMenuBtn editMenuExternalBtn editMenuExternalName editMenuExternalIcon "
    "editMenuExternalUrl featurePageRatings featurePageComments featurePersonalWikis "
    "securityOpenRedirect securityIframe securityReferrerPolicy securityTrustProxy "
    "securitySRI securityHSTS securityHSTSDuration securityCSP securityCSPDirectives "
    "uploadMaxFileSize uploadMaxFiles uploadScanSVG uploadForceDownload"
)


class RealWikiJS:
    """A real Wiki.js for the tests, with the fake's seeding surface."""

    is_real = True
    quirks = True

    def __init__(self, settings: RealSettings) -> None:
        self.settings = settings
        self._http = httpx.Client(
            base_url=settings.url,
            timeout=WRITE_TIMEOUT,
            headers={"Authorization": f"Bearer {settings.api_key}"},
        )
        self._database = database_of(settings.url)
        self._passwords: dict[int, str] = {}
        self._logins: dict[str, list[float]] = {}
        self._admin_jwt: tuple[float, str] | None = None
        self._snapshot: Snapshot | None = None

    # -- identity (as FakeWikiJS) ---------------------------------------------------

    @property
    def url(self) -> str:
        return self.settings.url

    @property
    def api_key(self) -> str:
        return self.settings.api_key

    @property
    def admin_email(self) -> str:
        return self.settings.admin_email

    @property
    def admin_password(self) -> str:
        # A test asking for the password is about to log in with it.
        self._login_slot()
        return self.settings.admin_password

    def _login_slot(self) -> None:
        self.login_slot("login")

    def login_slot(self, field: str = "login") -> None:
        """Wait until one more ``authentication.<field>`` call fits in the server's limit.

        Wiki.js limits ``login``, ``loginTFA`` and ``loginChangePassword``
        to five calls a minute per address and field (whatever the account),
        ``forgotPassword`` to three. Only against a real server: tests that
        log in one after another would otherwise meet "Too many requests",
        which is the server's pace, not a fault of the code under test.
        """
        budget = _LOGINS_PER_WINDOW if field != "forgotPassword" else 2
        now = time.monotonic()
        recent = [t for t in self._logins.get(field, []) if now - t < _LOGIN_WINDOW]
        if len(recent) >= budget:
            time.sleep(_LOGIN_WINDOW - (now - recent[-budget]) + 1)
            now = time.monotonic()
            recent = [t for t in recent if now - t < _LOGIN_WINDOW]
        self._logins[field] = [*recent, now]

    @property
    def revoked_key(self) -> str:
        if not self.settings.revoked_key:
            pytest.skip("WIKIJS_TEST_REVOKED_KEY is not set")
        return self.settings.revoked_key

    def __getattr__(self, name: str) -> Any:
        reason = _FAKE_ONLY.get(name)
        if reason is not None:
            pytest.skip(f"fake-only: needs {reason}")
        raise AttributeError(name)

    def sync_transport(self, *, client: str | None = None) -> httpx.BaseTransport:
        """A plain network transport (what a client builds without one)."""
        if client is not None:
            pytest.skip("fake-only: requests from another client address")
        return httpx.HTTPTransport()

    def async_transport(self, *, client: str | None = None) -> httpx.AsyncBaseTransport:
        if client is not None:
            pytest.skip("fake-only: requests from another client address")
        return httpx.AsyncHTTPTransport()

    def aiohttp_session(self) -> Any:
        """A plain ``aiohttp.ClientSession`` (what the async client builds without one).

        Passed as the method itself (``http_client=fake.aiohttp_session``),
        the client calls it inside its event loop and closes the session.
        """
        import aiohttp

        return aiohttp.ClientSession()

    @contextlib.contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        yield self.url

    def close(self) -> None:
        self._http.close()

    # -- raw access ---------------------------------------------------------------

    def graphql(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else None
        response = self._http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        body = response.json()
        if body.get("errors"):
            raise SeedError(f"{query.split('(')[0].strip()}: {body['errors'][0]['message']}")
        return body["data"]  # type: ignore[no-any-return]

    def _mutate(self, query: str, variables: dict[str, Any], *path: str) -> dict[str, Any]:
        data: Any = self.graphql(query, variables)
        for key in path:
            data = data[key]
        result = data["responseResult"]
        if not result["succeeded"]:
            raise SeedError(f"{'.'.join(path)}: {result['errorCode']} {result['message']}")
        return data  # type: ignore[no-any-return]

    # -- seeding (the fake's helpers, through the API) -------------------------------

    def add_page(
        self,
        path: str,
        *,
        title: str | None = None,
        content: str = "# Page\n\nContent.",
        locale: str = "en",
        description: str = "",
        tags: Sequence[str] = (),
        editor: str = "markdown",
        is_published: bool = True,
        is_private: bool = False,
        author_id: int = 1,
    ) -> Any:
        if author_id != 1:
            pytest.skip("fake-only: pages written by another author (API keys write as user 1)")
        self.require_locale(locale)
        data = self._mutate(
            """mutation Seed($content: String!, $description: String!, $editor: String!,
                $isPublished: Boolean!, $isPrivate: Boolean!, $locale: String!, $path: String!,
                $tags: [String]!, $title: String!) {
              pages { create(content: $content, description: $description, editor: $editor,
                isPublished: $isPublished, isPrivate: $isPrivate, locale: $locale, path: $path,
                tags: $tags, title: $title) {
                  responseResult { succeeded errorCode message } page { id } } } }""",
            {
                "content": content,
                "description": description,
                "editor": editor,
                "isPublished": is_published,
                "isPrivate": is_private,
                "locale": locale,
                "path": path,
                "tags": list(tags),
                "title": title or path.rsplit("/", 1)[-1],
            },
            "pages",
            "create",
        )
        return self.page(int(data["page"]["id"]))

    def page(self, page_id: int) -> Any:
        data = self.graphql(
            """query Seed($id: Int!) { pages { single(id: $id) {
                 id path title description content locale isPublished isPrivate editor
                 createdAt updatedAt tags { tag } } } }""",
            {"id": page_id},
        )
        page = data["pages"]["single"]
        return SimpleNamespace(
            id=page["id"],
            path=page["path"],
            title=page["title"],
            description=page["description"],
            content=page["content"],
            locale=page["locale"],
            is_published=page["isPublished"],
            is_private=page["isPrivate"],
            editor=page["editor"],
            created_at=page["createdAt"],
            updated_at=page["updatedAt"],
            tags=[t["tag"] for t in page["tags"]],
        )

    def edit_page(self, page_id: int, content: str, *, author_id: int = 1) -> Any:
        if author_id != 1:
            pytest.skip("fake-only: pages written by another author (API keys write as user 1)")
        return self._update_page(page_id, content=content)

    def set_tags(self, page_id: int, tags: Sequence[str]) -> None:
        self._update_page(page_id, tags=list(tags))

    def _update_page(self, page_id: int, **changes: Any) -> Any:
        current = self.graphql(
            """query Seed($id: Int!) { pages { single(id: $id) {
                 content description editor isPublished isPrivate locale path title
                 scriptCss scriptJs publishStartDate publishEndDate tags { tag } } } }""",
            {"id": page_id},
        )["pages"]["single"]
        variables = {**current, "tags": [t["tag"] for t in current["tags"]], "id": page_id}
        variables.update(changes)
        self._mutate(
            """mutation Seed($id: Int!, $content: String, $description: String,
                $editor: String, $isPublished: Boolean, $isPrivate: Boolean, $locale: String,
                $path: String, $title: String, $scriptCss: String, $scriptJs: String,
                $publishStartDate: Date, $publishEndDate: Date, $tags: [String]) {
              pages { update(id: $id, content: $content, description: $description,
                editor: $editor, isPublished: $isPublished, isPrivate: $isPrivate,
                locale: $locale, path: $path, title: $title, scriptCss: $scriptCss,
                scriptJs: $scriptJs, publishStartDate: $publishStartDate,
                publishEndDate: $publishEndDate, tags: $tags) {
                  responseResult { succeeded errorCode message } } } }""",
            variables,
            "pages",
            "update",
        )
        return self.page(page_id)

    def install_locale(self, code: str) -> None:
        """The shared server runs offline: only skip when ``code`` is missing."""
        self.require_locale(code)

    def require_locale(self, locale: str) -> None:
        """Skip unless ``locale`` is installed: pages reference the ``locales`` table, and
        the shared test server runs offline, so it cannot download another locale."""
        installed = self.graphql("{ localization { locales { code isInstalled } } }")
        codes = {loc["code"] for loc in installed["localization"]["locales"] if loc["isInstalled"]}
        if locale not in codes:
            pytest.skip(f"the real server has no {locale!r} locale installed (it runs offline)")

    def add_user(
        self,
        email: str,
        *,
        name: str = "Test User",
        password: str = "password123",
        groups: Sequence[int] = (2,),
        must_change_password: bool = False,
    ) -> Any:
        self._mutate(
            """mutation Seed($email: String!, $name: String!, $pw: String, $groups: [Int]!,
                $must: Boolean) {
              users { create(email: $email, name: $name, passwordRaw: $pw, providerKey: "local",
                groups: $groups, mustChangePassword: $must, sendWelcomeEmail: false) {
                  responseResult { succeeded errorCode message } } } }""",
            {
                "email": email,
                "name": name,
                "pw": password,
                "groups": list(groups),
                "must": must_change_password,
            },
            "users",
            "create",
        )
        for user in self.graphql("{ users { list { id email name } } }")["users"]["list"]:
            if user["email"] == email.lower():
                self._passwords[user["id"]] = password
                return SimpleNamespace(id=user["id"], email=user["email"], name=user["name"])
        raise SeedError(f"user {email} was created but is not listed")

    def add_group(
        self,
        name: str,
        *,
        permissions: Sequence[str] | None = None,
        page_rules: Sequence[dict[str, Any]] | None = None,
    ) -> Any:
        data = self._mutate(
            """mutation Seed($name: String!) { groups { create(name: $name) {
                 responseResult { succeeded errorCode message } group { id } } } }""",
            {"name": name},
            "groups",
            "create",
        )
        group_id = int(data["group"]["id"])
        if permissions is not None or page_rules is not None:
            current = self.graphql(
                """query Seed($id: Int!) { groups { single(id: $id) {
                     name redirectOnLogin permissions
                     pageRules { id deny match roles path locales } } } }""",
                {"id": group_id},
            )["groups"]["single"]
            self._mutate(
                """mutation Seed($id: Int!, $name: String!, $redirect: String!,
                    $permissions: [String]!, $rules: [PageRuleInput]!) {
                  groups { update(id: $id, name: $name, redirectOnLogin: $redirect,
                    permissions: $permissions, pageRules: $rules) {
                      responseResult { succeeded errorCode message } } } }""",
                {
                    "id": group_id,
                    "name": name,
                    "redirect": current["redirectOnLogin"] or "/",
                    "permissions": list(permissions)
                    if permissions is not None
                    else current["permissions"],
                    "rules": [dict(r) for r in page_rules]
                    if page_rules is not None
                    else current["pageRules"],
                },
                "groups",
                "update",
            )
        return SimpleNamespace(id=group_id, name=name)

    def add_asset_folder(self, slug: str, *, parent_id: int = 0) -> int:
        self._mutate(
            """mutation Seed($parent: Int!, $slug: String!) { assets {
                 createFolder(parentFolderId: $parent, slug: $slug) {
                   responseResult { succeeded errorCode message } } } }""",
            {"parent": parent_id, "slug": slug},
            "assets",
            "createFolder",
        )
        for folder in self._folders(parent_id):
            if folder["slug"] == slug.lower():
                return int(folder["id"])
        raise SeedError(f"folder {slug} was created but is not listed")

    def _folders(self, parent_id: int) -> list[dict[str, Any]]:
        data = self.graphql(
            "query Seed($p: Int!) { assets { folders(parentFolderId: $p) { id slug } } }",
            {"p": parent_id},
        )
        return list(data["assets"]["folders"])

    def add_asset(
        self,
        filename: str,
        data: bytes,
        *,
        folder_id: int = 0,
        mime: str = "application/octet-stream",
    ) -> Any:
        response = self._http.post(
            "/u",
            files=[
                ("mediaUpload", (None, f'{{"folderId":{folder_id}}}')),
                ("mediaUpload", (filename, data, mime)),
            ],
        )
        if response.status_code != 200:
            raise SeedError(f"upload of {filename}: HTTP {response.status_code}")
        for asset in self._assets(folder_id):
            if asset["filename"] == _sanitised(filename):
                return SimpleNamespace(
                    id=asset["id"], filename=asset["filename"], file_size=asset["fileSize"]
                )
        raise SeedError(f"asset {filename} was uploaded but is not listed")

    def _assets(self, folder_id: int) -> list[dict[str, Any]]:
        data = self.graphql(
            "query Seed($f: Int!) { assets { list(folderId: $f, kind: ALL) "
            "{ id filename fileSize } } }",
            {"f": folder_id},
        )
        return list(data["assets"]["list"])

    def add_comment(self, page_id: int, content: str, *, user_id: int = 1) -> int:
        if user_id != 1:
            pytest.skip("fake-only: comments by another user")
        data = self._mutate(
            """mutation Seed($page: Int!, $content: String!) { comments {
                 create(pageId: $page, content: $content) {
                   responseResult { succeeded errorCode message } id } } }""",
            {"page": page_id, "content": content},
            "comments",
            "create",
        )
        return int(data["id"])

    def create_api_key(self, name: str, *, group_id: int = 1, expiration: str = "1y") -> str:
        data = self._mutate(
            """mutation Seed($name: String!, $exp: String!, $full: Boolean!, $group: Int) {
                 authentication { createApiKey(name: $name, expiration: $exp,
                   fullAccess: $full, group: $group) {
                     responseResult { succeeded errorCode message } key } } }""",
            {"name": name, "exp": expiration, "full": group_id == 1, "group": group_id},
            "authentication",
            "createApiKey",
        )
        return str(data["key"])

    def user_token(self, user_id: int = 1) -> str:
        """A user JWT from a real login (the administrator's is reused for 20 minutes)."""
        if user_id == 1:
            cached = self._admin_jwt
            if cached is not None and time.monotonic() - cached[0] < 20 * 60:
                return cached[1]
            token = self._login(self.admin_email, self.admin_password)
            self._admin_jwt = (time.monotonic(), token)
            return token
        password = self._passwords.get(user_id)
        if password is None:
            pytest.skip("fake-only: a token for a user the test did not create")
        users = self.graphql("{ users { list { id email } } }")["users"]["list"]
        email = next(u["email"] for u in users if u["id"] == user_id)
        return self._login(email, password)

    def _login(self, email: str, password: str) -> str:
        # The server allows five logins a minute per address; wait out the limit.
        self._login_slot()
        for _ in range(5):
            body = self._http.post(
                "/graphql",
                json={
                    "query": "mutation ($u: String!, $p: String!) { authentication { "
                    'login(username: $u, password: $p, strategy: "local") { jwt } } }',
                    "variables": {"u": email, "p": password},
                },
                headers={"Authorization": ""},
            ).json()
            errors = body.get("errors") or []
            if errors and "Too many requests" in errors[0]["message"]:
                time.sleep(_retry_seconds(errors[0]["message"]))
                continue
            jwt = ((body.get("data") or {}).get("authentication") or {}).get("login") or {}
            if not jwt.get("jwt"):
                raise SeedError(f"login as {email} failed: {body}")
            return str(jwt["jwt"])
        raise SeedError(f"login as {email}: still rate limited")

    # -- isolation --------------------------------------------------------------------

    def begin_session(self) -> None:
        """Undo what an interrupted earlier session left, then note where we start.

        The starting state is kept in a file until the session ends, so a run
        killed half-way is cleaned up by the next one.
        """
        self._restore_api()
        baseline = _baseline_file(self.url)
        if baseline.is_file():
            self._snapshot = Snapshot.from_json(baseline.read_text())
            for problem in self.cleanup():
                warnings.warn(f"real Wiki.js: leftovers of an earlier run: {problem}", stacklevel=1)
        self._ensure_locales(("de",))
        baseline.parent.mkdir(parents=True, exist_ok=True)
        baseline.write_text(self.snapshot().to_json())
        self._snapshot = None

    def end_session(self) -> None:
        _baseline_file(self.url).unlink(missing_ok=True)

    def _restore_api(self) -> None:
        """Switch the API back on if a test switched it off (needs a user JWT)."""
        # (While the API is off, any request carrying a key gets HTTP 500, /healthz too.)
        probe = self._http.post("/graphql", json={"query": "{ pages { list(limit: 1) { id } } }"})
        if "API is disabled" not in probe.text:
            return
        token = self.user_token(1)
        self.graphql(
            "mutation { authentication { setApiState(enabled: true) { "
            "responseResult { succeeded } } } }",
            token=token,
        )

    def _ensure_locales(self, codes: Sequence[str]) -> None:
        """Install locales the tests write pages in (an offline server cannot download them).

        Pages reference ``locales.code``; the fake has en, de and fr. The row
        is what ``localization.downloadLocale`` would add, without UI strings.
        """
        installed = {
            loc["code"]
            for loc in self.graphql("{ localization { locales { code isInstalled } } }")[
                "localization"
            ]["locales"]
            if loc["isInstalled"]
        }
        missing = [code for code in codes if code not in installed]
        if missing:
            _sql(
                self._database,
                *(
                    f'INSERT INTO locales (code, strings, "isRTL", name, "nativeName", '
                    f"availability, \"createdAt\", \"updatedAt\") VALUES ('{code}', '{{}}', "
                    f"false, '{code}', '{code}', 100, {_NOW}, {_NOW}) "
                    "ON CONFLICT DO NOTHING"
                    for code in missing
                    if code.isalpha()
                ),
            )

    def snapshot(self) -> Snapshot:
        pages = self.graphql("{ pages { list { id } } }")["pages"]["list"]
        users = self.graphql("{ users { list { id } } }")["users"]["list"]
        groups = self.graphql("{ groups { list { id } } }")["groups"]["list"]
        keys = self.graphql("{ authentication { apiKeys { id isRevoked } } }")["authentication"][
            "apiKeys"
        ]
        folders = self._all_folders()
        assets = {a["id"] for f in (0, *folders) for a in self._assets(f)}
        api = self.graphql("{ authentication { apiState } }")["authentication"]["apiState"]
        navigation = self.graphql(
            "{ navigation { config { mode } tree { locale items { id kind label icon "
            "targetType target visibilityMode visibilityGroups } } } }"
        )["navigation"]
        site = self.graphql(f"{{ site {{ config {{ {_SITE_FIELDS} }} }} }}")["site"]["config"]
        flags = self.graphql("{ system { flags { key value } } }")["system"]["flags"]
        admin = self.graphql(_ADMIN_QUERY)
        self._snapshot = Snapshot(
            pages={p["id"] for p in pages},
            users={u["id"] for u in users},
            groups={g["id"] for g in groups},
            api_keys={k["id"] for k in keys if not k["isRevoked"]},
            assets=assets,
            folders=set(folders),
            navigation=navigation,
            site=site,
            api_enabled=bool(api),
            flags=flags,
            admin=admin,
        )
        return self._snapshot

    def _all_folders(self) -> list[int]:
        found: list[int] = []
        pending = [0]
        while pending:
            for folder in self._folders(pending.pop()):
                found.append(int(folder["id"]))
                pending.append(int(folder["id"]))
        return found

    def cleanup(self) -> list[str]:
        """Remove what appeared since :meth:`snapshot`; returns what could not be removed."""
        before = self._snapshot
        if before is None:
            return []
        self._snapshot = None
        problems: list[str] = []
        try:
            self._restore_api()
        except (SeedError, httpx.HTTPError) as exc:
            return [f"the API stays disabled: {exc}"]

        def attempt(what: str, query: str, variables: dict[str, Any], *path: str) -> None:
            try:
                self._mutate(query, variables, *path)
            except (SeedError, httpx.HTTPError) as exc:
                problems.append(f"{what}: {exc}")

        new_pages = [
            int(page["id"])
            for page in self.graphql("{ pages { list { id } } }")["pages"]["list"]
            if page["id"] not in before.pages
        ]
        if new_pages and not self._drop_pages(new_pages):
            for page_id in new_pages:
                attempt(
                    f"page {page_id}",
                    "mutation ($id: Int!) { pages { delete(id: $id) { responseResult "
                    "{ succeeded errorCode message } } } }",
                    {"id": page_id},
                    "pages",
                    "delete",
                )
        for user in self.graphql("{ users { list { id } } }")["users"]["list"]:
            if user["id"] not in before.users:
                attempt(
                    f"user {user['id']}",
                    "mutation ($id: Int!) { users { delete(id: $id, replaceId: 1) { "
                    "responseResult { succeeded errorCode message } } } }",
                    {"id": user["id"]},
                    "users",
                    "delete",
                )
        for group in self.graphql("{ groups { list { id } } }")["groups"]["list"]:
            if group["id"] not in before.groups:
                attempt(
                    f"group {group['id']}",
                    "mutation ($id: Int!) { groups { delete(id: $id) { responseResult "
                    "{ succeeded errorCode message } } } }",
                    {"id": group["id"]},
                    "groups",
                    "delete",
                )
        keys = self.graphql("{ authentication { apiKeys { id isRevoked } } }")["authentication"][
            "apiKeys"
        ]
        for key in keys:
            if key["id"] not in before.api_keys and not key["isRevoked"]:
                attempt(
                    f"API key {key['id']}",
                    "mutation ($id: Int!) { authentication { revokeApiKey(id: $id) { "
                    "responseResult { succeeded errorCode message } } } }",
                    {"id": key["id"]},
                    "authentication",
                    "revokeApiKey",
                )
        folders = self._all_folders()
        for folder in (0, *folders):
            for asset in self._assets(folder):
                if asset["id"] not in before.assets:
                    attempt(
                        f"asset {asset['id']}",
                        "mutation ($id: Int!) { assets { deleteAsset(id: $id) { "
                        "responseResult { succeeded errorCode message } } } }",
                        {"id": asset["id"]},
                        "assets",
                        "deleteAsset",
                    )
        new_folders = [f for f in folders if f not in before.folders]
        if new_folders:
            ids = ",".join(str(int(i)) for i in new_folders)
            error = _sql(self._database, f'DELETE FROM "assetFolders" WHERE id IN ({ids})')
            if error:
                problems.append(f"asset folders {new_folders} remain: {error}")
        self._restore_settings(before, problems)
        return problems

    def _drop_pages(self, page_ids: list[int]) -> bool:
        """Delete pages in the database at once, then rebuild the tree once.

        A page delete through the API costs about a second (a tree rebuild in
        a worker process each); the tests' own deletes go through the API,
        this is only the cleanup. False when the database is out of reach.
        """
        ids = ",".join(str(int(i)) for i in page_ids)
        if _sql(
            self._database,
            f'DELETE FROM comments WHERE "pageId" IN ({ids})',
            f"DELETE FROM pages WHERE id IN ({ids})",
        ):
            return False
        for mutation in ("rebuildTree", "flushCache"):
            self.graphql(
                f"mutation {{ pages {{ {mutation} {{ responseResult {{ succeeded }} }} }} }}"
            )
        return True

    def _restore_settings(self, before: Snapshot, problems: list[str]) -> None:
        navigation = self.graphql(
            "{ navigation { config { mode } tree { locale items { id kind label icon "
            "targetType target visibilityMode visibilityGroups } } } }"
        )["navigation"]
        if navigation != before.navigation:
            try:
                self._mutate(
                    "mutation ($tree: [NavigationTreeInput]!) { navigation { updateTree("
                    "tree: $tree) { responseResult { succeeded errorCode message } } } }",
                    {"tree": before.navigation["tree"]},
                    "navigation",
                    "updateTree",
                )
                self._mutate(
                    "mutation ($mode: NavigationMode!) { navigation { updateConfig("
                    "mode: $mode) { responseResult { succeeded errorCode message } } } }",
                    {"mode": before.navigation["config"]["mode"]},
                    "navigation",
                    "updateConfig",
                )
            except SeedError as exc:
                problems.append(f"navigation: {exc}")
        flags = self.graphql("{ system { flags { key value } } }")["system"]["flags"]
        if flags != before.flags:
            try:
                self._mutate(
                    "mutation ($flags: [SystemFlagInput]!) { system { updateFlags(flags: $flags) "
                    "{ responseResult { succeeded errorCode message } } } }",
                    {"flags": before.flags},
                    "system",
                    "updateFlags",
                )
            except SeedError as exc:
                problems.append(f"system flags: {exc}")
        if before.admin is not None:
            self._restore_admin(before.admin, problems)
        site = self.graphql(f"{{ site {{ config {{ {_SITE_FIELDS} }} }} }}")["site"]["config"]
        if site != before.site:
            arguments = ", ".join(f"{k}: ${k}" for k in before.site)
            types = ", ".join(f"${k}: {_SITE_TYPES.get(k, 'String')}" for k in before.site)
            try:
                self._mutate(
                    f"mutation ({types}) {{ site {{ updateConfig({arguments}) {{ "
                    "responseResult { succeeded errorCode message } } } }",
                    dict(before.site),
                    "site",
                    "updateConfig",
                )
            except SeedError as exc:
                problems.append(f"site config: {exc}")

    def _restore_admin(self, before: dict[str, Any], problems: list[str]) -> None:
        """Login strategies, modules, mail, theming, telemetry and HTTPS redirection.

        Each setting is sent back as it was read, in the form the admin area
        writes it. Secrets the server masks (storage targets, the mail
        password) are sent back masked, which keeps what is stored: a test
        must not change a secret that was set before it.
        """
        now = self.graphql(_ADMIN_QUERY)
        for name, restore in _ADMIN_RESTORES.items():
            was, is_now = _admin_part(before, name), _admin_part(now, name)
            if was == is_now:
                continue
            if isinstance(was, list) and name != "strategies":
                # only the rows that changed: updates leave the others alone
                was = [row for row in was if row not in is_now]
            if name == "loggers":
                was = self._restore_loggers_by_sql(was, problems)
                if not was:
                    continue
            query, variables, path = restore(was)
            try:
                self._mutate(query, variables, *path)
            except (SeedError, httpx.HTTPError) as exc:
                problems.append(f"{name}: {exc}")

    def _restore_loggers_by_sql(
        self, rows: list[dict[str, Any]], problems: list[str]
    ) -> list[dict[str, Any]]:
        """Loggers whose settings are not all text, written back in the database.

        ``logging.updateLoggers`` stores each setting as the text it is given
        (a port 0 would come back "0"); the rest go through the API.
        """
        import json

        through_api = []
        for row in rows:
            values = {c["key"]: json.loads(c["value"]).get("value") for c in row["config"]}
            if all(isinstance(v, str) for v in values.values()):
                through_api.append(row)
                continue
            config = json.dumps(values).replace("'", "''")
            key = str(row["key"]).replace("'", "''")
            level = str(row["level"]).replace("'", "''")
            error = _sql(
                self._database,
                f'UPDATE loggers SET "isEnabled" = {str(bool(row["isEnabled"])).lower()}, '
                f"level = '{level}', config = '{config}' WHERE key = '{key}'",
            )
            if error:
                problems.append(f"logger {row['key']}: {error}")
        return through_api


_CONFIG = "config { key value }"
_ADMIN_QUERY = (
    "{ authentication { activeStrategies { key strategy { key } displayName order isEnabled "
    f"{_CONFIG} selfRegistration domainWhitelist autoEnrollGroups }} }} "
    f"storage {{ targets {{ key isEnabled mode syncInterval {_CONFIG} }} }} "
    f"rendering {{ renderers {{ key isEnabled {_CONFIG} }} }} "
    f"analytics {{ providers {{ key isEnabled {_CONFIG} }} }} "
    f"comments {{ providers {{ key isEnabled {_CONFIG} }} }} "
    f"search {{ searchEngines {{ key isEnabled {_CONFIG} }} }} "
    f"logging {{ loggers {{ key isEnabled level {_CONFIG} }} }} "
    "mail { config { senderName senderEmail host port name secure verifySSL user pass useDKIM "
    "dkimDomainName dkimKeySelector dkimPrivateKey } } "
    "theming { config { theme iconset darkMode tocPosition injectCSS injectHead injectBody } } "
    "system { info { telemetry httpRedirection } } }"
)
_RESULT = "{ responseResult { succeeded errorCode message } }"


def _admin_part(snapshot: dict[str, Any], name: str) -> Any:
    namespace, field = _ADMIN_PARTS[name]
    part = snapshot[namespace][field]
    if isinstance(part, list):
        # rows come back in table order, which every update changes: compare by key
        return sorted(part, key=lambda row: row["key"])
    return part


_ADMIN_PARTS = {
    "strategies": ("authentication", "activeStrategies"),
    "storage": ("storage", "targets"),
    "renderers": ("rendering", "renderers"),
    "analytics": ("analytics", "providers"),
    "comment providers": ("comments", "providers"),
    "search engines": ("search", "searchEngines"),
    "loggers": ("logging", "loggers"),
    "mail": ("mail", "config"),
    "theming": ("theming", "config"),
    "system": ("system", "info"),
}


def _wrapped(config: list[dict[str, str]]) -> list[dict[str, str]]:
    """Settings as read (JSON with a ``value``) → as the admin area writes them (``{"v": …}``)."""
    import json

    return [
        {"key": c["key"], "value": json.dumps({"v": json.loads(c["value"]).get("value")})}
        for c in config
    ]


def _raw(config: list[dict[str, str]]) -> list[dict[str, str]]:
    """Logger settings: Wiki.js stores the text it is given."""
    import json

    out = []
    for c in config:
        value = json.loads(c["value"]).get("value")
        out.append(
            {"key": c["key"], "value": value if isinstance(value, str) else json.dumps(value)}
        )
    return out


def _restore_strategies(rows: list[dict[str, Any]]) -> tuple[str, dict[str, Any], tuple[str, ...]]:
    strategies = [
        {
            "key": r["key"],
            "strategyKey": r["strategy"]["key"],
            "displayName": r["displayName"],
            "order": r["order"],
            "isEnabled": r["isEnabled"],
            "config": _wrapped(r["config"]),
            "selfRegistration": r["selfRegistration"],
            "domainWhitelist": r["domainWhitelist"],
            "autoEnrollGroups": r["autoEnrollGroups"],
        }
        for r in rows
    ]
    return (
        "mutation ($s: [AuthenticationStrategyInput]!) { authentication { "
        f"updateStrategies(strategies: $s) {_RESULT} }} }}",
        {"s": strategies},
        ("authentication", "updateStrategies"),
    )


def _restore_modules(
    mutation: str, argument: str, kind: str, path: tuple[str, ...], raw: bool = False
) -> Callable[[list[dict[str, Any]]], tuple[str, dict[str, Any], tuple[str, ...]]]:
    def restore(rows: list[dict[str, Any]]) -> tuple[str, dict[str, Any], tuple[str, ...]]:
        items = []
        for r in rows:
            item = {"key": r["key"], "isEnabled": r["isEnabled"]}
            item["config"] = _raw(r["config"]) if raw else _wrapped(r["config"])
            for column in ("mode", "syncInterval", "level"):
                if column in r:
                    item[column] = r[column]
            items.append(item)
        return (
            f"mutation ($m: {kind}) {{ {path[0]} {{ {mutation}({argument}: $m) {_RESULT} }} }}",
            {"m": items},
            path,
        )

    return restore


def _restore_mail(config: dict[str, Any]) -> tuple[str, dict[str, Any], tuple[str, ...]]:
    types = {"port": "Int!", "secure": "Boolean!", "verifySSL": "Boolean!", "useDKIM": "Boolean!"}
    declared = ", ".join(f"${k}: {types.get(k, 'String!')}" for k in config)
    arguments = ", ".join(f"{k}: ${k}" for k in config)
    return (
        f"mutation ({declared}) {{ mail {{ updateConfig({arguments}) {_RESULT} }} }}",
        dict(config),
        ("mail", "updateConfig"),
    )


def _restore_theming(config: dict[str, Any]) -> tuple[str, dict[str, Any], tuple[str, ...]]:
    types = {"theme": "String!", "iconset": "String!", "darkMode": "Boolean!"}
    declared = ", ".join(f"${k}: {types.get(k, 'String')}" for k in config)
    arguments = ", ".join(f"{k}: ${k}" for k in config)
    return (
        f"mutation ({declared}) {{ theming {{ setConfig({arguments}) {_RESULT} }} }}",
        dict(config),
        ("theming", "setConfig"),
    )


def _restore_system(info: dict[str, Any]) -> tuple[str, dict[str, Any], tuple[str, ...]]:
    # two fields of one namespace: the first's result is checked, the second's read below
    return (
        "mutation ($t: Boolean!, $r: Boolean!) { system { setTelemetry(enabled: $t) "
        f"{_RESULT} setHTTPSRedirection(enabled: $r) {_RESULT} }} }}",
        {"t": bool(info["telemetry"]), "r": bool(info["httpRedirection"])},
        ("system", "setTelemetry"),
    )


_ADMIN_RESTORES: dict[str, Callable[[Any], tuple[str, dict[str, Any], tuple[str, ...]]]] = {
    "strategies": _restore_strategies,
    "storage": _restore_modules(
        "updateTargets", "targets", "[StorageTargetInput]!", ("storage", "updateTargets")
    ),
    "renderers": _restore_modules(
        "updateRenderers", "renderers", "[RendererInput]", ("rendering", "updateRenderers")
    ),
    "analytics": _restore_modules(
        "updateProviders",
        "providers",
        "[AnalyticsProviderInput]!",
        ("analytics", "updateProviders"),
    ),
    "comment providers": _restore_modules(
        "updateProviders", "providers", "[CommentProviderInput]", ("comments", "updateProviders")
    ),
    "search engines": _restore_modules(
        "updateSearchEngines", "engines", "[SearchEngineInput]", ("search", "updateSearchEngines")
    ),
    "loggers": _restore_modules(
        "updateLoggers", "loggers", "[LoggerInput]", ("logging", "updateLoggers"), raw=True
    ),
    "mail": _restore_mail,
    "theming": _restore_theming,
    "system": _restore_system,
}


_SITE_TYPES = {
    "robots": "[String]",
    "authAutoLogin": "Boolean",
    "authEnforce2FA": "Boolean",
    "authHideLocal": "Boolean",
    "editFab": "Boolean",
    "editMenuBar": "Boolean",
    "editMenuBtn": "Boolean",
    "editMenuExternalBtn": "Boolean",
    "featurePageRatings": "Boolean",
    "featurePageComments": "Boolean",
    "featurePersonalWikis": "Boolean",
    "securityOpenRedirect": "Boolean",
    "securityIframe": "Boolean",
    "securityReferrerPolicy": "Boolean",
    "securityTrustProxy": "Boolean",
    "securitySRI": "Boolean",
    "securityHSTS": "Boolean",
    "securityHSTSDuration": "Int",
    "securityCSP": "Boolean",
    "uploadMaxFileSize": "Int",
    "uploadMaxFiles": "Int",
    "uploadScanSVG": "Boolean",
    "uploadForceDownload": "Boolean",
}


def _sanitised(filename: str) -> str:
    # Wiki.js lower-cases uploaded names and replaces spaces (server/controllers/upload.js)
    return filename.lower().replace(" ", "_")


def _retry_seconds(message: str) -> float:
    digits = "".join(ch for ch in message if ch.isdigit())
    return min(float(digits or 60) + 1, 61.0)


# Wiki.js stores timestamps as ISO-8601 text ("2026-12-04T13:20:51.445Z").
_NOW = "to_char(now() at time zone 'utc', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"


def _baseline_file(url: str) -> Path:
    slug = "".join(ch if ch.isalnum() else "-" for ch in url)
    return Path(os.environ.get("TMPDIR", "/tmp")) / f"wikijs-test-baseline-{slug}.json"


def database_of(url: str) -> dict[str, str] | None:
    """How to reach the test server's database, if it is the one at ``url``.

    A server built by ``shared/wikijs/real-server/build`` keeps its ports and
    database password in ``server.env`` (its directory in
    ``WIKIJS_TEST_SERVER_DIR``, read once when the session starts). The
    file is used only when its ``PORT`` is ``url``'s: SQL must never reach
    another server's database.
    """
    directory = Path(
        os.environ.get("WIKIJS_TEST_SERVER_DIR", Path.home() / ".cache/wikijs-real-server")
    )
    server_env = directory / "server.env"
    if not server_env.is_file():
        return None
    values = dict(
        line.split("=", 1)
        for line in server_env.read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    if values.get("PORT") != str(httpx.URL(url).port):
        return None
    return values


def _sql(database: dict[str, str] | None, *statements: str) -> str | None:
    """Run SQL on the test server's database; returns an error message or ``None``.

    Only for what the API cannot do (asset folders, locales) or does slowly
    (deleting many pages in cleanup).
    """
    if database is None:
        return "the test server's database is out of reach (WIKIJS_TEST_SERVER_DIR)"
    import subprocess

    result = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            database.get("PG_PORT", "5432"),
            "-U",
            database.get("DB_USER", "wikijs"),
            "-d",
            database.get("DB_NAME", "wiki"),
            *(arg for statement in statements for arg in ("-c", statement)),
        ],
        env={**os.environ, "PGPASSWORD": database.get("DB_PASSWORD", "")},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        return result.stderr.strip() or f"psql exited with {result.returncode}"
    return None
