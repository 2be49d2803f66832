# Generated from wikijs/_async/client.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""The async client. ``wikijs/_sync/client.py`` is derived from this file."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, cast

from .._backends import monotonic
from .._constants import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_TIMEOUT,
    REQUEST_MARGIN,
)
from .._facts import BODY_LIMIT, HEALTH_PATH
from .._http._sync.transport import Transport, build_transport
from .._http.config import (
    NOT_GIVEN,
    ClientConfig,
    NotGiven,
    ResponseLimits,
    TimeoutLike,
    VerifyLike,
    build_config,
)
from .._http.options import KEPT_VIEWS, options_key, view_config, view_options
from .._http.types import HttpBackend
from .._protocol import validation as v
from .._protocol.calls import public
from .._protocol.operation import VIEW_CACHE_OPTION, Operation, http_facts
from .._protocol.results import require
from .._protocol.retry import POLICY_OPTION, RETRY_OPTION
from ..auth import APIKeyAuth, Auth, AuthLike, JWTAuth, build_auth
from ..batch import BatchMode
from ..errors import ArgumentTypeError, PermissionDeniedError, WikiJSError
from ..middleware._hooks import Hooks
from .layers import build_layers
from .pipeline import RESPONSE, HTTPCall, Middleware, Pipeline
from .views import ViewRunner, below

# The generated client, batching and caching (and with them pydantic and
# graphql-core) are imported when first used, so creating a client is cheap.
if TYPE_CHECKING:
    from typing_extensions import Self

    from wikijs._generated.client import GeneratedClient

    from .._http.raw import Recorder
    from .._http.types import HttpClient, HttpTransport
    from .._protocol.cache_keys import CacheMode
    from .._protocol.health import HealthReport
    from .._protocol.identity import APIKeyIdentity, Identity
    from ..cache import CacheBackend
    from ..middleware import CircuitBreaker, RateLimiter, RetryStrategy
    from ..plugins import PluginLike
    from .batching import Batcher
    from .page_jobs import PageJobs
    from .resources.account import Account
    from .resources.analytics import Analytics
    from .resources.api_keys import ApiKeys
    from .resources.assets import Assets
    from .resources.authentication import Authentication
    from .resources.comments import Comments
    from .resources.contribute import Contribute
    from .resources.groups import Groups
    from .resources.localization import Localization
    from .resources.logging import Logging
    from .resources.mail import Mail
    from .resources.navigation import Navigation
    from .resources.pages import Pages
    from .resources.rendering import Rendering
    from .resources.search import Search
    from .resources.site import Site
    from .resources.storage import Storage
    from .resources.system import System
    from .resources.theming import Theming
    from .resources.users import Users


class WikiJSClient:
    """Client for one Wiki.js 2.5 server.

    Example::

        with WikiJSClient("https://wiki.example.com", auth="API-KEY") as client:
            page = client.pages.get(12)
            print(page.title, page.updated_at)

    Args:
        url: the wiki's base URL (``https://wiki.example.com``; a trailing
            ``/graphql`` is accepted and dropped).
        auth: an API key string, :class:`~wikijs.auth.APIKeyAuth`,
            :class:`~wikijs.auth.JWTAuth`, or ``None`` for the Guest user.
        timeout: seconds (or an ``httpx.Timeout``) that the server may stay
            silent: to connect, between bytes of the answer, for a pool slot.
        deadline: seconds one request may take in all, however the server
            trickles its answer (default: four times the read timeout, at
            least 120; ``None`` for no limit). A streamed download's body is
            bound by ``timeout`` only, once its head has arrived.
        response_limits: a :class:`~wikijs.ResponseLimits`: how large an
            answer's headers, body and decompressed body may be.
        verify: TLS verification: ``True``, ``False``, a CA bundle path or an
            ``ssl.SSLContext``.
        headers: extra headers for every request (not credentials).
        user_agent: the ``User-Agent`` to send.
        http_client: the HTTP client to send through. The sync client takes
            an ``httpx.Client``; the async client an ``aiohttp.ClientSession``
            (or a function returning one, called in the running event loop:
            the SDK then closes it) or an ``httpx.Client``. You keep
            owning a client you pass (the SDK will not close it).
        transport: an httpx transport for the httpx client the SDK builds
            (mocks, ``wikijs.testing.FakeWikiJS.sync_transport()``).
        max_connections: size of the connection pool.
        middleware: operation middleware, outermost first; each is
            ``async (operation, call_next) -> data``.
        batch_size: operations per request in ``*_many`` calls.
        batch_mode: ``"alias"`` (one aliased document, the default) or
            ``"array"`` (a JSON array of operations).
        batch_concurrency: batch requests in flight at once.
        body_limit: the largest request body the wiki accepts, in bytes
            (Wiki.js's ``bodyParserLimit``, 5 MB unless its admin changed
            it): write batches stay under it, an item too large for it
            fails alone before anything is sent, and a batch the server
            refuses as too large (HTTP 413) is split and sent again.
        cache: a :class:`~wikijs.cache.CacheBackend` (``MemoryCache``,
            ``FileCache``, ``RedisCache``) for query answers; mutations sent
            through this client invalidate what they affect. See
            ``docs/caching.md``.
        retry_strategy: a :class:`~wikijs.middleware.RetryStrategy`;
            ``True`` (the default) retries queries and unsent mutations up
            to 3 times, an int sets the number of retries, ``None`` or
            ``False`` turns retries off. See ``docs/resilience.md``.
        circuit_breaker: a :class:`~wikijs.middleware.CircuitBreaker`
            (default: none); see :attr:`circuit_breaker`.
        rate_limiter: a :class:`~wikijs.middleware.RateLimiter` (default:
            none). See ``docs/rate-limiting.md``.
        plugins: objects with ``before_request``/``after_request``/
            ``on_error`` hooks, e.g. :class:`~wikijs.plugins.LoggingPlugin`.
            See ``docs/plugins.md``.
        http_backend: deprecated, and ignored but for ``"httpx"``, which
            makes the async client build an httpx client (pass
            ``http_client=httpx.Client(...)`` instead). See
            ``docs/getting-started.md#how-requests-travel``.

    Other settings for some calls: :meth:`with_options`. A call's HTTP
    answers: ``client.pages.with_raw_response.get(12)`` (``docs/options.md``).

    Raises:
        ValidationError: an argument is invalid (checked here, before any I/O).
    """

    def __init__(
        self,
        url: str,
        auth: AuthLike = None,
        *,
        timeout: TimeoutLike = DEFAULT_TIMEOUT,
        deadline: float | None | NotGiven = NOT_GIVEN,
        response_limits: ResponseLimits | None = None,
        verify: VerifyLike = True,
        headers: Mapping[str, str] | None = None,
        user_agent: str | None = None,
        http_client: HttpClient | None = None,
        transport: HttpTransport | None = None,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        middleware: Sequence[Middleware] = (),
        batch_size: int = DEFAULT_BATCH_SIZE,
        batch_mode: BatchMode = "alias",
        batch_concurrency: int = 4,
        body_limit: int = BODY_LIMIT,
        cache: CacheBackend | None = None,
        retry_strategy: RetryStrategy | bool | int | None = True,
        circuit_breaker: CircuitBreaker | None = None,
        rate_limiter: RateLimiter | None = None,
        plugins: Sequence[PluginLike] = (),
        http_backend: HttpBackend | None = None,
    ) -> None:
        config = build_config(
            url,
            timeout=timeout,
            verify=verify,
            headers=headers,
            user_agent=user_agent,
            max_connections=max_connections,
            deadline=deadline,
            response_limits=response_limits,
        )
        self._config: ClientConfig | None = config
        self.auth: Auth = build_auth(auth)
        # -- cache: outermost of the SDK's own layers (see _sync/layers.py)
        self._cache = cache
        layers: list[Middleware] = list(middleware)
        if cache is not None:
            from ..cache import CacheBackend
            from .cache_layer import CacheLayer

            if not isinstance(cache, CacheBackend):
                raise ArgumentTypeError(
                    "cache must be a MemoryCache, FileCache, RedisCache or another "
                    f"CacheBackend, not {type(cache).__name__}",
                    field="cache",
                )
            layers.append(
                CacheLayer(
                    cache,
                    scope=config.base_url,
                    auth=self.auth,
                    credentials=lambda: self._pipeline.ensure_credentials(),
                )
            )
        # -- end cache
        # -- resilience: retry, circuit breaker, rate limiter, plugins, inside
        # the layers above, in the order layers.py explains.
        self._resilience = build_layers(
            config,
            middleware=layers,
            retry_strategy=retry_strategy,
            circuit_breaker=circuit_breaker,
            rate_limiter=rate_limiter,
            plugins=plugins,
        )
        # -- end resilience
        self._transport: Transport = build_transport(
            config, http_client=http_client, transport=transport, backend=http_backend
        )
        plugin_layer = self._resilience.plugins
        self._pipeline = Pipeline(
            config,
            self._transport,
            self.auth,
            self._resilience.middleware,
            observers=[plugin_layer] if plugin_layer is not None else [],
        )
        # checked now, built on first use
        self._batch_options = (
            v.check_positive(batch_size, "batch_size"),
            v.check_batch_mode(batch_mode),
            v.check_positive(batch_concurrency, "batch_concurrency"),
        )
        self._body_limit = v.check_positive(body_limit, "body_limit")
        self._closed = False
        #: For a view (:meth:`with_options`): the client it shares everything
        #: with, and the options its calls carry.
        self._root: WikiJSClient | None = None
        self._options: Mapping[str, Any] = {}
        self._views: dict[tuple[Any, ...], WikiJSClient] | None = {}
        self._view_template: dict[str, Any] | None = None

    # -- views -------------------------------------------------------------------

    def with_options(
        self,
        *,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        deadline: float | None | NotGiven = NOT_GIVEN,
        retry_strategy: RetryStrategy | bool | int | None | NotGiven = NOT_GIVEN,
        headers: Mapping[str, str] | None = None,
        cache: bool | CacheMode | None | NotGiven = NOT_GIVEN,
    ) -> Self:
        """This client, with other settings for the calls made through it.

        The view shares everything else with this client — its connection
        pool, cache, circuit breaker, rate limiter, plugins and credentials
        (a renewed token included) — and costs a few microseconds to make,
        so make one per call if you like: the client keeps the views it
        made, and the same arguments give the same view again. What is not
        given stays as this client (or view) has it. Closing a view closes
        nothing: close the client.

        Example::

            slow = client.with_options(timeout=120, deadline=600)
            slow.pages.update(12, content=huge)      # may take minutes
            client.pages.get(12)                     # the client's limits
            client.with_options(retry_strategy=None).pages.delete(12)

        Args:
            timeout: as the client's ``timeout=``. Without ``deadline=``, the
                deadline is lengthened to four read timeouts if that is
                longer than this client's.
            deadline: seconds one request may take in all (``None``: no limit).
            retry_strategy: as the client's: a ``RetryStrategy``, ``True``,
                a number of retries, or ``None``/``False`` for no retries.
            headers: headers for every request of the view, over the client's
                of the same name (not credentials, nor the body's headers).
            cache: ``False``/``"off"`` (neither read nor store), ``"refresh"``
                (ask the server, store the answer), ``True``/``"use"``, or
                ``None`` for the client's. A call's own ``cache=`` and a
                :func:`wikijs.cache.bypass` block come first.

        Raises:
            ValidationError: an argument is invalid.
        """
        # The same arguments make the same view: a client keeps the views it
        # made (a view's own views, being rare, are made afresh).
        views = self._views
        key: tuple[Any, ...] | None = None
        if views is not None:
            key = options_key(timeout, deadline, headers, retry_strategy, cache)
            try:
                view = views.get(key)
            except TypeError:  # unhashable: an httpx.Timeout, a list in a RetryStrategy
                key = view = None
            if view is not None:
                return cast("Self", view)
        options = view_options(
            self._options,
            self.config,
            timeout=timeout,
            deadline=deadline,
            headers=headers,
            retry_strategy=retry_strategy,
            cache=cache,
        )
        policy = options.get(POLICY_OPTION)
        if policy is not None and not isinstance(retry_strategy, NotGiven):
            Hooks.check(policy.sleep, "RetryStrategy.sleep")
        made = self._view(options)
        if views is not None and key is not None:
            if len(views) >= KEPT_VIEWS:
                views.clear()
            views[key] = made
        return made

    def _view(self, options: Mapping[str, Any]) -> Self:
        root = self._root or self
        template = root._view_template
        if template is None:
            # What a view shares with its client, and nothing it caches itself
            # (resources, the generated client): made by the thousand, a view
            # must stay a copy of a handful of references.
            template = root._view_template = {
                "auth": root.auth,
                "_cache": root._cache,
                "_resilience": root._resilience,
                "_transport": root._transport,
                "_pipeline": root._pipeline,
                "_batch_options": root._batch_options,
                "_body_limit": root._body_limit,
                "_closed": False,
                "_root": root,
                "_config": None,  # a view's, worked out when first read
                "_view_template": None,
                "_views": None,
            }
        view = object.__new__(type(self))
        state = template.copy()
        state["_options"] = options
        view.__dict__ = state
        return view

    def _recording(self, recorder: Recorder) -> Self:
        """A view whose exchanges go to ``recorder``: what ``with_raw_response`` calls run on.

        Its queries are answered by the server (a raw response shows an HTTP
        answer), and the answers stored unless the view keeps out of the cache.
        """
        cache: Any = NOT_GIVEN if self._options.get(VIEW_CACHE_OPTION) == "off" else "refresh"
        return self._view(view_options(self._options, self.config, recorder=recorder, cache=cache))

    @property
    def config(self) -> ClientConfig:
        """The client's settings, normalised (a view's: with its own timeouts, deadline
        and headers)."""
        config = self._config
        if config is None:
            assert self._root is not None
            config = self._config = view_config(self._root.config, self._options)
        return config

    @property
    def _retry_policy(self) -> RetryStrategy | None:
        """The retry policy of this client's (or view's) calls."""
        policy: RetryStrategy | None = self._options.get(
            POLICY_OPTION, self._resilience.retry.policy
        )
        return policy

    def _run(self, operation: Operation) -> dict[str, Any]:
        """Send a prepared operation (an upload, a download) with this view's options."""
        if self._options:
            operation = replace(operation, options=below(self._options, operation.options))
        return self._pipeline.run_operation(operation)

    # -- alternative constructors ------------------------------------------------

    @classmethod
    def from_env(cls, *, environ: Mapping[str, str] | None = None, **options: Any) -> WikiJSClient:
        """A client for the wiki the environment names, as the ``wikijs`` command finds it.

        ``WIKIJS_URL`` and ``WIKIJS_API_KEY`` (or ``WIKIJS_API_KEY_FILE``, a
        file holding the key); what they leave out comes from the settings
        file's profile (``WIKIJS_PROFILE``, else its default profile; see
        :meth:`from_profile`), as for the ``wikijs`` command without flags.
        Without any key the client is the Guest user.

        Example::

            # WIKIJS_URL=https://wiki.example.com WIKIJS_API_KEY=… python script.py
            with WikiJSClient.from_env() as client:
                print((client.whoami()).describe())

        Args:
            environ: the environment to read (default ``os.environ``).
            **options: any other argument of the constructor (``timeout``,
                ``retry_strategy``, ``auth`` to override the key, …).

        Raises:
            ConfigError: no URL anywhere, an unreadable key file, a broken
                settings file or a ``WIKIJS_PROFILE`` it lacks.
        """
        from .._settings import resolve

        settings = resolve(
            url=None,
            api_key=None,
            api_key_file=None,
            profile=None,
            config=None,
            timeout=None,
            environ=os.environ if environ is None else environ,
            stdin=_read_stdin,
        )
        return cls._from_settings(settings.url, settings.api_key, settings.timeout, options)

    @classmethod
    def from_profile(
        cls,
        name: str | None = None,
        *,
        config_path: str | os.PathLike[str] | None = None,
        **options: Any,
    ) -> WikiJSClient:
        """A client for a profile of the ``wikijs`` command's settings file.

        The file is ``~/.config/wikijs/config.toml`` (``$XDG_CONFIG_HOME``,
        or ``$WIKIJS_CONFIG``), written by ``wikijs config init``; each
        ``[profiles.NAME]`` holds a ``url``, an ``api_key`` (or an
        ``api_key_file``) and a ``timeout``. Only the profile counts here:
        ``WIKIJS_URL`` and ``WIKIJS_API_KEY`` do not override it.

        Example::

            with WikiJSClient.from_profile("staging") as client:
                ...

        Args:
            name: the profile (default: ``$WIKIJS_PROFILE``, else the file's
                ``default_profile``, else ``default``).
            config_path: the settings file to read instead.
            **options: any other argument of the constructor.

        Raises:
            ConfigError: no such file or profile, a broken file, or a
                profile without a URL.
        """
        from .._settings import CONFIG_ENV, PROFILE_ENV, resolve

        # The file's location and the profile's name may come from the
        # environment; the settings themselves only from the profile.
        where = {k: v for k, v in os.environ.items() if k in (CONFIG_ENV, PROFILE_ENV)}
        home = os.environ.get("XDG_CONFIG_HOME")
        if home:
            where["XDG_CONFIG_HOME"] = home
        settings = resolve(
            url=None,
            api_key=None,
            api_key_file=None,
            profile=name,
            config=os.fspath(config_path) if config_path is not None else None,
            timeout=None,
            environ=where,
            stdin=_read_stdin,
        )
        return cls._from_settings(settings.url, settings.api_key, settings.timeout, options)

    @classmethod
    def _from_settings(
        cls, url: str, api_key: str | None, timeout: float | None, options: dict[str, Any]
    ) -> WikiJSClient:
        options.setdefault("auth", api_key)
        if timeout is not None:
            options.setdefault("timeout", timeout)
        return cls(url, **options)

    # -- resources ---------------------------------------------------------------

    @cached_property
    def pages(self) -> Pages:
        """Pages: get, list, search, create, update, move, history, …"""
        from .resources.pages import Pages

        return Pages(self)

    @cached_property
    def users(self) -> Users:
        """Users: list, search, get, create, update, (de)activate, delete, …"""
        from .resources.users import Users

        return Users(self)

    @cached_property
    def groups(self) -> Groups:
        """Groups: permissions, page rules and members."""
        from .resources.groups import Groups

        return Groups(self)

    @cached_property
    def assets(self) -> Assets:
        """Assets: folders, streamed uploads and downloads, renames, deletes."""
        from .resources.assets import Assets

        return Assets(self)

    @cached_property
    def comments(self) -> Comments:
        """Comments on pages."""
        from .resources.comments import Comments

        return Comments(self)

    @cached_property
    def navigation(self) -> Navigation:
        """The navigation menu and its mode."""
        from .resources.navigation import Navigation

        return Navigation(self)

    @cached_property
    def site(self) -> Site:
        """The site configuration."""
        from .resources.site import Site

        return Site(self)

    @cached_property
    def system(self) -> System:
        """System information: version, platform, totals."""
        from .resources.system import System

        return System(self)

    @cached_property
    def localization(self) -> Localization:
        """Locales and language settings."""
        from .resources.localization import Localization

        return Localization(self)

    @cached_property
    def search(self) -> Search:
        """Search engines and the index (page search is ``pages.search``)."""
        from .resources.search import Search

        return Search(self)

    @cached_property
    def account(self) -> Account:
        """Your own account: log in (through TFA and forced password changes), register, reset."""
        from .resources.account import Account

        return Account(self)

    @cached_property
    def api_keys(self) -> ApiKeys:
        """API keys and the API switch."""
        from .resources.api_keys import ApiKeys

        return ApiKeys(self)

    @cached_property
    def authentication(self) -> Authentication:
        """Login methods (strategies): list, add, configure, remove; signing keys, Guest."""
        from .resources.authentication import Authentication

        return Authentication(self)

    @cached_property
    def storage(self) -> Storage:
        """Storage targets (Git, S3, disk, …): settings, state, actions."""
        from .resources.storage import Storage

        return Storage(self)

    @cached_property
    def rendering(self) -> Rendering:
        """The rendering pipeline's renderers and their settings."""
        from .resources.rendering import Rendering

        return Rendering(self)

    @cached_property
    def analytics(self) -> Analytics:
        """Analytics providers and their settings."""
        from .resources.analytics import Analytics

        return Analytics(self)

    @cached_property
    def mail(self) -> Mail:
        """Mail (SMTP) settings and a test message."""
        from .resources.mail import Mail

        return Mail(self)

    @cached_property
    def theming(self) -> Theming:
        """Theme, icons, dark mode and injected code."""
        from .resources.theming import Theming

        return Theming(self)

    @cached_property
    def logging(self) -> Logging:
        """Loggers and their settings; the server's live log (async client only)."""
        from .resources.logging import Logging

        return Logging(self)

    @cached_property
    def contribute(self) -> Contribute:
        """The sponsors of the Wiki.js project."""
        from .resources.contribute import Contribute

        return Contribute(self)

    @cached_property
    def graphql(self) -> GeneratedClient:
        """The generated client: one typed method per operation in ``queries/``.

        Its calls go through the same pipeline (auth, errors, middleware).
        """
        from wikijs._generated.client import GeneratedClient

        if self._options:
            return GeneratedClient(ViewRunner(self._pipeline, self._options))
        return GeneratedClient(self._pipeline)

    @cached_property
    def batcher(self) -> Batcher:
        """Sends many operations in few requests (what the ``*_many`` methods use)."""
        from .batching import Batcher

        size, mode, concurrency = self._batch_options
        return Batcher(
            self._pipeline,
            chunk_size=size,
            mode=mode,
            concurrency=concurrency,
            retry=self._retry_policy,
            options=self._options,
            # a view's batches write within its read timeout, in its client's lanes
            config=self.config,
            shared=self._root.batcher if self._root is not None else None,
            max_bytes=self._body_limit - min(REQUEST_MARGIN, self._body_limit // 8),
        )

    @cached_property
    def page_jobs(self) -> PageJobs:
        """Repairs the page tree after page writes whose worker job failed.

        See ``wikijs/_sync/page_jobs.py``: the page resources use it; you
        need it only to see how many repairs were sent (``repairs``).
        """
        from .page_jobs import PageJobs

        if self._root is not None:  # a view's page writes are its client's
            return self._root.page_jobs
        return PageJobs(self.graphql)

    @property
    def circuit_breaker(self) -> CircuitBreaker | None:
        """The ``circuit_breaker=`` given to the client (``None`` without one).

        Example::

            stats = client.circuit_breaker.stats()
            print(stats.state, stats.failure_count, stats.last_failure_time)
        """
        return self._resilience.breaker

    @property
    def cache(self) -> CacheBackend | None:
        """The ``cache=`` backend (``None`` without one).

        Example::

            client.cache.stats().hit_ratio
            client.cache.invalidate("page:12")     # what depends on page 12
            client.cache.clear()
        """
        return self._cache

    # -- direct calls ------------------------------------------------------------

    @public("execute")
    def execute(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        operation_name: str | None = None,
    ) -> dict[str, Any]:
        """Run any GraphQL document; returns ``data`` or raises a typed error.

        Values belong in ``variables``: they are sent as GraphQL variables,
        never spliced into the document.

        Example::

            data = client.execute(
                "query ($id: Int!) { pages { single(id: $id) { title } } }", {"id": 12}
            )
        """
        return self._pipeline.execute(query, variables, operation_name, options=self._options)

    @public("whoami")
    def whoami(self) -> Identity:
        """Who the credentials act as: the user, and for an API key which key it is.

        Wiki.js runs every API key's requests as user 1 (the first
        administrator) with the permissions of the key's group, so for a key
        the profile is user 1's and :attr:`~wikijs.models.Identity.api_key`
        says what the key is: its id and group (read from the key), its name
        and the group's name (when the key may list them; two more requests).

        Example::

            me = client.whoami()
            print(me.describe())   # API key "ci" (#4, full access), acting as user 1 (…)
        """
        from .._protocol.identity import Identity

        result = self.graphql.get_profile()
        profile = require(
            require(result.users, "users", "GetProfile").profile, "profile", "GetProfile"
        )
        if isinstance(self.auth, APIKeyAuth) and self.auth.key_id is not None:
            return Identity.of(profile, self._key_identity(self.auth))
        return Identity.of(profile)

    def _key_identity(self, key: APIKeyAuth) -> APIKeyIdentity:
        """The key's id and group from the key; its name and the group's when readable."""
        from .._protocol.identity import APIKeyIdentity
        from .._protocol.results import present

        name = expiration = group_name = None
        try:
            keys = (self.graphql.list_api_keys()).authentication
        except PermissionDeniedError:
            keys = None  # the key may not list keys (manage:api)
        for listed in present(keys.api_keys if keys is not None else None):
            if listed.id == key.key_id:
                name, expiration = listed.name, listed.expiration
        try:
            groups = (self.graphql.list_groups()).groups
        except PermissionDeniedError:
            groups = None  # nor groups (manage:groups)
        for group in present(groups.list_ if groups is not None else None):
            if group.id == key.group_id:
                group_name = group.name
        return APIKeyIdentity(key.key_id, key.group_id, name, group_name, expiration)

    def _has_credentials(self) -> bool:
        return isinstance(self.auth, JWTAuth) or self.auth.bearer_token() is not None

    def health(self) -> HealthReport:
        """Check the server and the credentials; never raises for a server that is down.

        Three checks, each reported rather than raised: ``GET /healthz``
        answers (and how fast), the credentials act as a real user (and
        whom), and the Wiki.js version (when the credentials may read
        ``system.info``). An unreachable server stops after the first.

        Example::

            report = client.health()
            print(report.summary())          # https://wiki…: up, Wiki.js 2.5.314, as Admin <…>
            if not report.ok:
                raise SystemExit(1)
        """
        from .._protocol.health import HealthReport

        url = self.config.base_url
        probe = Operation(
            "Health",
            "",
            options={RETRY_OPTION: False},
            facts=http_facts("Health", "query", idempotent=True),
            http=HTTPCall("GET", self.config.url(HEALTH_PATH), credentials=False),
        )
        started = monotonic()
        try:
            raw = (self._run(probe))[RESPONSE]
        except WikiJSError as exc:
            return HealthReport(
                url, reachable=False, credentials=self._has_credentials(), problems=(str(exc),)
            )
        latency = monotonic() - started
        healthy = raw.status_code == 200 and b'"ok":true' in raw.content.replace(b" ", b"")
        problems: list[str] = []
        if not healthy:
            problems.append(f"/healthz answered HTTP {raw.status_code}")
        credentials = self._has_credentials()
        user: Identity | None = None
        try:
            user = self.whoami()
        except WikiJSError as exc:
            if credentials:
                problems.append(f"credentials: {exc}")
        version: str | None = None
        try:
            info = require((self.graphql.get_system_info()).system, "system", "GetSystemInfo").info
            version = info.current_version if info is not None else None
            self._pipeline.server.observe_version(version)
        except WikiJSError as exc:
            if user is not None:
                problems.append(f"version: {exc}")
        return HealthReport(
            url,
            reachable=True,
            healthy=healthy,
            status_code=raw.status_code,
            latency=latency,
            credentials=credentials,
            authenticated=user is not None and credentials,
            user=user,
            version=version,
            problems=tuple(problems),
        )

    # -- lifecycle ----------------------------------------------------------------

    def close(self) -> None:
        """Close the connection pool (not an ``http_client`` you passed in).

        A view (:meth:`with_options`) closes nothing: close its client.
        """
        if not self._closed and self._root is None:
            self._closed = True
            self._resilience.close()
            self._transport.close()

    def __enter__(self) -> WikiJSClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        shown = f"{type(self).__name__}(url={self.config.base_url!r}, auth={self.auth!r})"
        return shown if self._root is None else f"{shown}.with_options(…)"


def _read_stdin() -> str:
    """A key file named ``-`` is standard input."""
    import sys

    return sys.stdin.read()
