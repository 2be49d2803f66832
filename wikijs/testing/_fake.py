"""``FakeWikiJS``: the public face of the fake server."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ._auth import Principal, api_principal, sign_jwt
from ._clock import FakeClock
from ._core import Core
from ._costs import CostMeter, WriteCosts
from ._faults import FaultInjector, RequestLog, RequestRecord
from ._http import Exchange, HTTPCore, HTTPRequest, HTTPResponse, make_request
from ._resolvers import Context
from ._resolvers.assets import m_create_folder
from ._resolvers.authentication import create_api_key
from ._resolvers.comments import m_create as create_comment
from ._resolvers.groups import create_group
from ._resolvers.pages import add_version, associate_tags, create_page
from ._resolvers.users import create_user
from ._schema import executable_schema
from ._seed import demo_plan, fill_config_defaults, seed_initial, tiny_png
from ._state import ADMIN_GROUP_ID, Asset, Group, Page, User, file_ext, sanitize_filename

if TYPE_CHECKING:
    import aiohttp
    import httpx

    from ._asgi import ASGIApp
    from .server import BackgroundServer


class FakeWikiJS:
    """An in-memory Wiki.js 2.5.314 that executes real GraphQL against the real schema.

    Example:
        >>> fake = FakeWikiJS()
        >>> client = httpx.Client(base_url=fake.url, transport=fake.sync_transport())
        >>> client.post("/graphql", json={"query": "{ pages { list { id } } }"},
        ...             headers={"Authorization": f"Bearer {fake.api_key}"}).json()
        {'data': {'pages': {'list': []}}}
        >>> with fake.serve() as url:   # the same server on a loopback socket
        ...     httpx.get(f"{url}/healthz").json()
        {'ok': True}
        >>> fake.close()

    Args:
        clock: the time source (a :class:`FakeClock`); tokens and rate limits use it.
        quirks: ``True`` (default) reproduces Wiki.js 2.5.314's known quirks;
            ``False`` gives an idealised server (see the package docstring).
        latency: seconds added to every HTTP answer.
        write_costs: how long each write keeps the server busy (default: none); see
            :class:`WriteCosts` and ``WriteCosts.measured()``.
        url: the base URL for in-process transports.
        admin_email: the seeded administrator's login.
        admin_password: the seeded administrator's password.
        version: the Wiki.js release to be (default: ``wikijs.versions.SCHEMA_VERSION``,
            the one the SDK was generated from). Any from 2.4.75 on: the fake
            then serves that release's schema (``schema/history``), refuses
            what it lacks as the real server does, and reports the version in
            ``system.info``; its resolvers otherwise behave like 2.5.314's.

    Raises:
        ValueError: ``version`` is not a release the SDK supports.
    """

    def __init__(
        self,
        *,
        clock: FakeClock | None = None,
        quirks: bool = True,
        latency: float = 0.0,
        url: str = "http://wikijs.fake",
        admin_email: str = "admin@example.com",
        admin_password: str = "admin-password",  # noqa: S107 - a test fixture's password
        spool_threshold: int = 1024 * 1024,
        write_costs: WriteCosts | None = None,
        version: str | None = None,
    ) -> None:
        self._core = Core(clock or FakeClock(), quirks, url.rstrip("/"))
        self.write_costs = write_costs
        self._core.version, release = _release(version)
        # Wiki.js ran graphql-js 14 until 2.5, which words some errors differently.
        self._core.graphql_js = 14 if release is not None and release.startswith("2.4.") else 15
        self._core.schema = executable_schema(release)
        self._faults = FaultInjector()
        self._log = RequestLog()
        self._http = HTTPCore(self._core, self._faults, self._log)
        self._http.latency = latency
        self._http.spool_threshold = spool_threshold
        # Wiki.js 2.5 gives subscriptions-transport-ws no keepAlive: no "ka" messages.
        self.ws_keepalive: float | None = None
        self._admin_email = admin_email
        self._admin_password = admin_password
        with self._core.state.lock:
            seed_initial(self._core, admin_email, admin_password)
            key = create_api_key(
                self._admin_context(), name="fake-admin", expiration="1y", fullAccess=True
            )
        self._api_key = key.key
        self._servers: list[BackgroundServer] = []

    # -- identity ------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Base URL to pair with :meth:`sync_transport`/:meth:`async_transport`."""
        return self._core.base_url

    @property
    def api_key(self) -> str:
        """A full-access (Administrators group) API key created at start."""
        return self._api_key

    @property
    def admin_email(self) -> str:
        return self._admin_email

    @property
    def admin_password(self) -> str:
        return self._admin_password

    @property
    def clock(self) -> FakeClock:
        return self._core.clock

    @property
    def quirks(self) -> bool:
        return self._core.quirks

    @property
    def version(self) -> str:
        """The Wiki.js version the fake reports; its schema is that release's."""
        return self._core.version

    @property
    def files_dir(self) -> Path:
        """The temporary folder holding uploaded files (removed by :meth:`close`)."""
        return self._core.files

    # -- knobs -----------------------------------------------------------------------

    @property
    def latency(self) -> float:
        """Seconds added to every HTTP answer (sync sleeps, async awaits)."""
        return self._http.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        self._http.latency = max(0.0, seconds)

    @property
    def write_costs(self) -> WriteCosts | None:
        """Seconds each write keeps the server busy (``None``: writes are free).

        Example:
            >>> fake.write_costs = WriteCosts.measured().scaled(0.01)
        """
        meter = self._core.meter
        return meter.costs if meter is not None else None

    @write_costs.setter
    def write_costs(self, costs: WriteCosts | None) -> None:
        self._core.meter = CostMeter(costs) if costs is not None else None

    @property
    def faults(self) -> FaultInjector:
        """Scripted and random fault injection (see :class:`Fault`)."""
        return self._faults

    @property
    def requests(self) -> list[RequestRecord]:
        """Every HTTP request seen so far (method, path, operations, status, fault)."""
        return self._log.snapshot()

    def reset_log(self) -> None:
        self._log.clear()

    def restart(self) -> None:
        """Simulate a server restart: user JWTs issued before it get renewed on use,
        and settings never saved since setup take Wiki.js's defaults (``app/data.yml``)."""
        with self._core.state.lock:
            self._core.restart()
            fill_config_defaults(self._core.state)

    # -- the HTTP surface ---------------------------------------------------------

    def open(self, request: HTTPRequest) -> Exchange:
        """Start a sans-I/O exchange (used by the transports and the ASGI app)."""
        return self._http.open(request)

    def handle(
        self,
        method: str,
        target: str,
        *,
        headers: Iterable[tuple[str, str]] | dict[str, str] = (),
        body: bytes | Iterable[bytes] = b"",
        client: str = "127.0.0.1",
    ) -> HTTPResponse:
        """Run one request without any transport (delays are not applied).

        Example:
            >>> fake.handle("GET", "/healthz").json()
            {'ok': True}
        """
        items = headers.items() if isinstance(headers, dict) else headers
        return self._http.handle(make_request(method, target, items, client), body)

    def sync_transport(self, *, client: str = "127.0.0.1") -> httpx.BaseTransport:
        """An ``httpx`` transport that calls this fake in-process (no sockets)."""
        from ._transports import FakeSyncTransport

        return FakeSyncTransport(self._http, client)

    def async_transport(self, *, client: str = "127.0.0.1") -> httpx.AsyncBaseTransport:
        """The asynchronous twin of :meth:`sync_transport`."""
        from ._transports import FakeAsyncTransport

        return FakeAsyncTransport(self._http, client)

    def aiohttp_session(self) -> aiohttp.ClientSession:
        """An ``aiohttp.ClientSession`` whose every ``http://`` request reaches this fake.

        Call it inside the running event loop, or pass the method itself as
        the async client's ``http_client=``: the client calls it when first
        needed and closes the session. The fake is served on a loopback
        socket in that event loop, under aiohttp's real connection pool and
        parser — the transport the async client uses in production.

        Example::

            client = AsyncWikiJSClient(fake.url, auth=fake.api_key,
                                       http_client=fake.aiohttp_session)
        """
        from ._aiohttp import fake_session

        return fake_session(self._http)

    def asgi_app(self) -> ASGIApp:
        """An ASGI application (HTTP and the ``graphql-ws`` websocket)."""
        from ._asgi import make_asgi_app

        return make_asgi_app(self)

    @contextlib.contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        """Run the fake under uvicorn in a background thread; yields its base URL.

        Example:
            >>> with fake.serve() as url:
            ...     httpx.get(url + "/healthz")
        """
        from .server import BackgroundServer

        server = BackgroundServer(self.asgi_app(), host, port)
        server.start()
        try:
            yield server.url
        finally:
            server.stop()

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve the fake on a socket until :meth:`close`; returns its base URL.

        :meth:`serve` without the ``with`` block, for scripts and for the
        examples in the docs, which must run when pasted as they are.

        Example:
            >>> fake = FakeWikiJS()
            >>> url = fake.start()      # http://127.0.0.1:<port>
            >>> httpx.get(f"{url}/healthz").json()
            {'ok': True}
            >>> fake.close()            # stops the server too
        """
        from .server import BackgroundServer

        server = BackgroundServer(self.asgi_app(), host, port)
        server.start()
        self._servers.append(server)
        return server.url

    # -- logging subscription -----------------------------------------------------

    def emit_log(self, level: str, output: str) -> None:
        """Push a ``loggingLiveTrail`` event to every websocket subscriber."""
        self._core.emit_log(level, output)

    def _add_log_listener(self, listener: Any) -> None:
        with self._core.log_lock:
            self._core.log_listeners.append(listener)

    def _remove_log_listener(self, listener: Any) -> None:
        with self._core.log_lock:
            if listener in self._core.log_listeners:
                self._core.log_listeners.remove(listener)

    @property
    def core(self) -> Core:
        """Internals, for the ASGI and websocket layers."""
        return self._core

    # -- direct state setup --------------------------------------------------------

    def _admin_context(self) -> Context:
        return Context(self._core, api_principal(self._core.state, ADMIN_GROUP_ID))

    def _context_for(self, user_id: int) -> Context:
        state = self._core.state
        user = state.users[user_id]
        principal = Principal(
            user.id,
            user.email,
            user.name,
            tuple(state.permissions_of(user.id)) or ("manage:system",),
            tuple(state.group_ids_of(user.id)),
        )
        return Context(self._core, principal)

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
    ) -> Page:
        """Create a page directly (same validation as ``pages.create``); a locale
        that is not installed yet is installed first, as an administrator would."""
        with self._core.state.lock:
            self.install_locale(locale)
            ctx = self._admin_context()
            page = create_page(
                ctx,
                {
                    "path": path,
                    "title": title or path.rsplit("/", 1)[-1],
                    "content": content,
                    "locale": locale,
                    "description": description,
                    "tags": list(tags),
                    "editor": editor,
                    "isPublished": is_published,
                    "isPrivate": is_private,
                },
            )
            page.author_id = page.creator_id = author_id
            return page

    def install_locale(self, code: str) -> None:
        """Install a locale (as ``localization.downloadLocale`` does): pages
        reference the ``locales`` table, so a page in a locale that is not
        installed fails to be written.

        Example:
            >>> fake.install_locale("de")
        """
        with self._core.state.lock:
            cfg = self._core.state.locale_config
            for listed in (cfg.setdefault("installed", ["en"]), cfg.setdefault("downloaded", [])):
                if code not in listed:
                    listed.append(code)

    def edit_page(self, page_id: int, content: str, *, author_id: int = 1) -> Page:
        """Record a new version of a page (history grows like ``pages.update``)."""
        with self._core.state.lock:
            ctx = self._admin_context()
            page = self._core.state.pages[page_id]
            add_version(ctx, page, "updated")
            page.content = content
            page.author_id = author_id
            page.updated_at = self._core.iso()
            self._core.render_page(page)
            return page

    def add_user(
        self,
        email: str,
        *,
        name: str = "Test User",
        password: str = "password123",  # noqa: S107 - fixture data
        groups: Sequence[int] = (2,),
        must_change_password: bool = False,
    ) -> User:
        """Create a local user directly (same validation as ``users.create``)."""
        with self._core.state.lock:
            return create_user(
                self._admin_context(),
                email=email,
                name=name,
                passwordRaw=password,
                providerKey="local",
                groups=list(groups),
                mustChangePassword=must_change_password,
            )

    def add_group(
        self,
        name: str,
        *,
        permissions: Sequence[str] | None = None,
        page_rules: Sequence[dict[str, Any]] | None = None,
    ) -> Group:
        """Create a group (defaults as ``groups.create``) and optionally set its rules."""
        with self._core.state.lock:
            group = create_group(self._admin_context(), name)
            if permissions is not None:
                group.permissions = list(permissions)
            if page_rules is not None:
                group.page_rules = [dict(rule) for rule in page_rules]
            return group

    def add_asset_folder(self, slug: str, *, parent_id: int = 0) -> int:
        """Create an asset folder; returns its id."""
        with self._core.state.lock:
            m_create_folder(self._admin_context(), parentFolderId=parent_id, slug=slug)
            return max(self._core.state.folders)

    def add_asset(
        self,
        filename: str,
        data: bytes,
        *,
        folder_id: int = 0,
        mime: str = "application/octet-stream",
    ) -> Asset:
        """Store a file as if uploaded through ``POST /u``."""
        core = self._core
        with core.state.lock:
            name = sanitize_filename(filename)
            blob = core.files / f"asset-seed-{name}-{len(core.state.assets) + 1}"
            blob.write_bytes(data)
            now = core.iso()
            asset = Asset(
                id=core.state.next_id("assets"),
                filename=name,
                ext=file_ext(filename),
                kind="image" if mime.startswith("image/") else "binary",
                mime=mime,
                file_size=len(data),
                folder_id=folder_id or None,
                author_id=1,
                created_at=now,
                updated_at=now,
                blob=blob,
            )
            core.state.assets[asset.id] = asset
            return asset

    def add_comment(self, page_id: int, content: str, *, user_id: int = 1) -> int:
        """Post a comment on a page as ``user_id``; returns its id."""
        with self._core.state.lock:
            result = create_comment(
                self._context_for(user_id), pageId=page_id, content=content, seeding=True
            )
            return int(result["id"])

    def create_api_key(
        self, name: str, *, group_id: int = ADMIN_GROUP_ID, expiration: str = "1y"
    ) -> str:
        """Create an API key acting with ``group_id``'s permissions; returns the key."""
        with self._core.state.lock:
            entry = create_api_key(
                self._admin_context(),
                name=name,
                expiration=expiration,
                fullAccess=group_id == ADMIN_GROUP_ID,
                group=group_id,
            )
            return entry.key

    def user_token(self, user_id: int = 1) -> str:
        """A fresh user JWT (as ``authentication.login`` returns), without logging in."""
        with self._core.state.lock:
            return self._core.issue_user_token(user_id)

    def sign_token(self, payload: dict[str, Any]) -> str:
        """Sign an arbitrary payload with the server's key (for expiry/tamper tests)."""
        return sign_jwt(payload, self._core.secret)

    def add_v1_database(self, connection_string: str, users: Sequence[Mapping[str, Any]]) -> None:
        """A Wiki.js 1.x MongoDB that ``system.importUsersFromV1`` can read.

        Each user is a 1.x record: ``email``, ``name``, ``provider``,
        ``password`` (its hash) and ``rights`` (``[{role: "read"|"write"|
        "admin", path, exact, deny}]``). Any other connection string fails
        to connect, as from a server with no such database in reach.

        Example:
            >>> fake.add_v1_database("mongodb://mongo:27017/wiki", [
            ...     {"email": "ann@example.com", "name": "Ann", "provider": "local",
            ...      "password": "$2a$07$...", "rights": [{"role": "write", "path": "/"}]},
            ... ])
        """
        with self._core.state.lock:
            self._core.state.admin.v1_databases[connection_string] = [dict(u) for u in users]

    @property
    def sponsors(self) -> list[dict[str, Any]] | None:
        """What graph.requarks.io answers for ``contribute.contributors``.

        ``None`` (the default) is unreachable, as from an offline server: the
        query answers ``null``. Set a list of ``{id, source, name, joined,
        website, twitter, avatar}`` to play an online one.
        """
        return self._core.sponsors

    @sponsors.setter
    def sponsors(self, sponsors: Sequence[Mapping[str, Any]] | None) -> None:
        self._core.sponsors = None if sponsors is None else [dict(s) for s in sponsors]

    def set_tags(self, page_id: int, tags: Sequence[str]) -> None:
        with self._core.state.lock:
            associate_tags(self._admin_context(), self._core.state.pages[page_id], list(tags))

    def seed_demo(
        self,
        pages: int = 220,
        *,
        users: int = 6,
        seed: int = 2025,
        comments: int = 12,
        history: int = 20,
    ) -> None:
        """Fill the wiki with a deterministic demo: pages in ``en``/``de`` over
        several tags, users, two extra groups, comments, history and assets."""
        with self._core.state.lock:
            editors = self.add_group(
                "Editors",
                permissions=[
                    "read:pages",
                    "write:pages",
                    "manage:pages",
                    "delete:pages",
                    "read:history",
                    "read:assets",
                    "write:assets",
                    "read:comments",
                    "write:comments",
                ],
            )
            editors.page_rules[0]["roles"] = list(editors.permissions)
            readers = self.add_group("Readers")
            user_ids = []
            for n in range(users):
                group = editors.id if n % 2 == 0 else readers.id
                user = self.add_user(
                    f"user{n + 1}@example.com", name=f"Demo User {n + 1}", groups=[group]
                )
                user_ids.append(user.id)
            created: list[Page] = []
            plan = demo_plan(pages, seed)
            # A real wiki stores a page's locale as a reference to an installed one.
            installed = self._core.state.locale_config.setdefault("installed", ["en"])
            installed.extend(sorted({s["locale"] for s in plan} - set(installed)))
            for spec in plan:
                author = user_ids[len(created) % len(user_ids)] if user_ids else 1
                if self._core.state.find_page(spec["path"], spec["locale"]) is not None:
                    continue
                created.append(
                    self.add_page(
                        spec["path"],
                        title=spec["title"],
                        content=spec["content"],
                        locale=spec["locale"],
                        description=spec["description"],
                        tags=spec["tags"],
                        is_published=spec["is_published"],
                        author_id=author,
                    )
                )
            for n, page in enumerate(created[:history]):
                self.edit_page(page.id, page.content + f"\n\nRevision {n + 1}.")
            for n in range(comments if created else 0):
                target = created[(n * 7) % len(created)]
                commenter = user_ids[n % len(user_ids)] if user_ids else 1
                self.add_comment(target.id, f"Comment {n + 1} on {target.title}", user_id=commenter)
            folder = self.add_asset_folder("images")
            self.add_asset_folder("docs")
            for n, colour in enumerate(((255, 0, 0), (0, 128, 0), (0, 0, 255))):
                self.add_asset(
                    f"pixel-{n + 1}.png", tiny_png(colour), folder_id=folder, mime="image/png"
                )
            self.add_asset("readme.txt", b"Demo asset.\n", mime="text/plain")

    # -- lifecycle --------------------------------------------------------------------

    def close(self) -> None:
        """Stop the servers :meth:`start` started; remove uploaded files."""
        while self._servers:
            self._servers.pop().stop()
        self._core.close()

    def __enter__(self) -> FakeWikiJS:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _release(version: str | None) -> tuple[str, str | None]:
    """The version to report, and the API release to serve (``None``: the SDK's own)."""
    from ..versions import API_RELEASES, SCHEMA_VERSION, api_release, parse_version

    if version is None or version == SCHEMA_VERSION:
        return SCHEMA_VERSION, None
    parsed = parse_version(version)
    newest = parse_version(SCHEMA_VERSION)
    release = api_release(version) if parsed is not None else None
    if parsed is None or newest is None or release is None or parsed > newest:
        raise ValueError(
            f"FakeWikiJS can be Wiki.js {API_RELEASES[0]} to {SCHEMA_VERSION}, not {version!r}"
        )
    return version, None if release == api_release(SCHEMA_VERSION) else release
