"""Shared fixtures: a fresh fake Wiki.js per test, and both clients wired to it
beneath the HTTP library each uses in production: httpx in-process for the
sync client, aiohttp over a loopback socket in the test's event loop for the
async one (``FakeWikiJS.aiohttp_session``).

With ``--wikijs-url URL`` (or ``WIKIJS_TEST_URL`` and the other
``WIKIJS_TEST_*`` variables, see ``tests/real_server.py``) the same fixtures
talk to that real Wiki.js instead: ``fake`` is then a
:class:`real_server.RealWikiJS`, which seeds through the server's API, skips
a test that reaches for a fake-only knob, and removes what the test created.

With ``--wikijs-version 2.4.107`` (or ``WIKIJS_TEST_VERSION``) the fake is
that Wiki.js release: its schema is that release's (``schema/history``), so
the SDK meets what the release lacks. A test of an operation the release
lacks altogether is marked ``@pytest.mark.requires_wikijs("2.5.201")``: on
an older fake its body must raise ``UnsupportedByServerError``. Elsewhere the
client learns what the release lacks from its refusals, as it would from a
real one; a test that counts requests first lets the client read the
version (``known_server``), which spares those refusals.

``wiki`` is the sync client, or the async client seen through
:class:`SyncView`, which runs each coroutine (and each step of an async
iterator) on a private event loop: a behaviour test taking ``wiki`` runs
twice, exercising both the written-once async code and its derived sync twin.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import os
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from _sync_view import SyncView
from real_server import RealSettings, RealWikiJS, isolated

if TYPE_CHECKING:
    from wikijs import WikiJSClient
    from wikijs.aio import AsyncWikiJSClient
    from wikijs.testing import FakeWikiJS


_REAL = pytest.StashKey["RealSettings | None"]()
_VERSION = pytest.StashKey["str | None"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("wikijs", "the Wiki.js the behaviour tests talk to")
    group.addoption(
        "--wikijs-url",
        default=None,
        help="run the behaviour tests against this real Wiki.js (default: $WIKIJS_TEST_URL, "
        "else the bundled fake); also needs WIKIJS_TEST_API_KEY, WIKIJS_TEST_ADMIN_EMAIL "
        "and WIKIJS_TEST_ADMIN_PASSWORD",
    )
    group.addoption(
        "--wikijs-version",
        default=None,
        help="make the fake this Wiki.js release, e.g. 2.4.107: its schema, its version "
        "(default: $WIKIJS_TEST_VERSION, else the SDK's own, wikijs.versions.SCHEMA_VERSION)",
    )
    group.addoption(
        "--wikijs-api-key",
        default=None,
        help="a full-access API key of that Wiki.js (default: $WIKIJS_TEST_API_KEY)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_REAL] = RealSettings.from_environment(
        config.getoption("--wikijs-url"), config.getoption("--wikijs-api-key")
    )
    config.addinivalue_line(
        "markers", "fake_only(reason): needs the fake Wiki.js; skipped against a real one"
    )
    config.addinivalue_line(
        "markers",
        "requires_wikijs(version): the operation under test needs this Wiki.js release; "
        "on an older fake the test must raise UnsupportedByServerError",
    )
    config.stash[_VERSION] = config.getoption("--wikijs-version") or os.environ.get(
        "WIKIJS_TEST_VERSION"
    )


def pytest_report_header(config: pytest.Config) -> str:
    settings = config.stash[_REAL]
    if settings is None:
        version = config.stash[_VERSION]
        being = f" being Wiki.js {version}" if version else ""
        return f"wikijs: behaviour tests on the bundled fake Wiki.js{being}"
    return f"wikijs: behaviour tests on the real Wiki.js at {settings.url}"


def _older(version: str, than: str) -> bool:
    from wikijs.versions import parse_version

    return (parse_version(version) or (0, 0, 0)) < (parse_version(than) or (0, 0, 0))


def _expect_unsupported(test: Callable[..., Any], required: str) -> Callable[..., Any]:
    """``test`` whose body must fail with UnsupportedByServerError naming ``required``."""
    from wikijs.errors import UnsupportedByServerError

    def check(error: UnsupportedByServerError) -> None:
        assert error.required_version is not None
        assert not _older(error.required_version, required), error

    if inspect.iscoroutinefunction(test):

        @functools.wraps(test)
        async def async_body(*args: Any, **kwargs: Any) -> None:
            with pytest.raises(UnsupportedByServerError) as raised:
                await test(*args, **kwargs)
            check(raised.value)

        return async_body

    @functools.wraps(test)
    def body(*args: Any, **kwargs: Any) -> None:
        with pytest.raises(UnsupportedByServerError) as raised:
            test(*args, **kwargs)
        check(raised.value)

    return body


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    version = config.stash[_VERSION]
    if config.stash[_REAL] is None and version is not None:
        for item in items:
            marker = item.get_closest_marker("requires_wikijs")
            if marker is not None and isinstance(item, pytest.Function):
                required = marker.args[0]
                if _older(version, required):
                    item.obj = _expect_unsupported(item.obj, required)
    if config.stash[_REAL] is None:
        return
    for item in items:
        marker = item.get_closest_marker("fake_only")
        if marker is not None:
            reason = marker.args[0] if marker.args else marker.kwargs.get("reason", "")
            item.add_marker(pytest.mark.skip(reason=f"fake-only: {reason}"))


@pytest.fixture(scope="session")
def real_wiki(pytestconfig: pytest.Config) -> Iterator[RealWikiJS | None]:
    """The real Wiki.js named by --wikijs-url / WIKIJS_TEST_URL, or ``None``."""
    settings = pytestconfig.stash[_REAL]
    if settings is None:
        yield None
        return
    server = RealWikiJS(settings)
    server.begin_session()
    try:
        yield server
    finally:
        server.end_session()
        server.close()


@pytest.fixture
def fake(real_wiki: RealWikiJS | None, pytestconfig: pytest.Config) -> Iterator[FakeWikiJS]:
    """The Wiki.js under test: a fresh fake, or the real one (see the module docstring)."""
    if real_wiki is not None:
        with isolated(real_wiki) as server:
            yield server  # type: ignore[misc]
        return
    from wikijs.testing import FakeWikiJS

    server = FakeWikiJS(version=pytestconfig.stash[_VERSION])
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def wikijs_version(fake: FakeWikiJS) -> str:
    """The Wiki.js version under test (the real server's is the SDK's own)."""
    from wikijs.versions import SCHEMA_VERSION

    return getattr(fake, "version", None) or SCHEMA_VERSION


@pytest.fixture
def known_server(fake: FakeWikiJS, wikijs_version: str) -> Callable[[Any], Any]:
    """``known_server(client)``: the client reads the version, the log forgets it.

    For tests that count requests or script faults by request: a client that
    knows an older Wiki.js's version sends each operation in the form that
    release runs, without a first refusal. On the SDK's own release it does
    nothing (returns an awaitable for an async client, to await).
    """
    from wikijs.versions import SCHEMA_VERSION, ServerVersionWarning

    async def nothing() -> None:
        return None

    def introduce(client: Any) -> Any:
        if wikijs_version == SCHEMA_VERSION:
            return nothing() if _is_async(client) else None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ServerVersionWarning)
            answer = client.system.version()
        if inspect.isawaitable(answer):

            async def then_forget() -> None:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ServerVersionWarning)
                    await answer
                fake.reset_log()

            return then_forget()
        fake.reset_log()
        return None

    return introduce


def _is_async(client: Any) -> bool:
    from wikijs.aio import AsyncWikiJSClient

    return isinstance(client, AsyncWikiJSClient)


@pytest.fixture
def client(fake: FakeWikiJS) -> Iterator[WikiJSClient]:
    from wikijs import WikiJSClient

    with WikiJSClient(fake.url, auth=fake.api_key, transport=fake.sync_transport()) as c:
        yield c


@pytest.fixture
async def aclient(fake: FakeWikiJS) -> AsyncIterator[AsyncWikiJSClient]:
    from wikijs.aio import AsyncWikiJSClient

    async with AsyncWikiJSClient(
        fake.url, auth=fake.api_key, http_client=fake.aiohttp_session
    ) as c:
        yield c


@pytest.fixture(params=["sync", "async"])
def wiki(request: pytest.FixtureRequest, fake: FakeWikiJS) -> Iterator[Any]:
    """A client of ``fake``: the sync one, or the async one through SyncView."""
    if request.param == "sync":
        from wikijs import WikiJSClient

        with WikiJSClient(fake.url, auth=fake.api_key, transport=fake.sync_transport()) as client:
            yield client
        return
    from wikijs.aio import AsyncWikiJSClient

    loop = asyncio.new_event_loop()
    aclient = AsyncWikiJSClient(fake.url, auth=fake.api_key, http_client=fake.aiohttp_session)
    try:
        yield SyncView(aclient, loop)
    finally:
        loop.run_until_complete(aclient.aclose())
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


@pytest.fixture(params=["sync", "async"])
def make_wiki(request: pytest.FixtureRequest, fake: FakeWikiJS) -> Iterator[Any]:
    """Build clients of ``fake`` with options, like ``wiki`` (sync, or async through SyncView)."""
    from wikijs import WikiJSClient
    from wikijs.aio import AsyncWikiJSClient

    loop = asyncio.new_event_loop()
    closers: list[Any] = []

    def build(**options: Any) -> Any:
        options.setdefault("auth", fake.api_key)
        if request.param == "sync":
            client = WikiJSClient(fake.url, transport=fake.sync_transport(), **options)
            closers.append(client.close)
            return client
        aclient = AsyncWikiJSClient(fake.url, http_client=fake.aiohttp_session, **options)
        closers.append(lambda: loop.run_until_complete(aclient.aclose()))
        return SyncView(aclient, loop)

    try:
        yield build
    finally:
        for close in closers:
            close()
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


@pytest.fixture
def login_slot(real_wiki: RealWikiJS | None) -> Callable[..., None]:
    """``login_slot(field="login")`` before a login step the test sends.

    Against a real Wiki.js it waits for room in the server's rate limit
    (five ``login``/``loginTFA``/``loginChangePassword`` calls a minute per
    address and field); on the fake, whose limit restarts with each test,
    it does nothing.
    """
    if real_wiki is None:
        return lambda field="login": None
    return real_wiki.login_slot


@pytest.fixture
def totp(fake: FakeWikiJS) -> Callable[[str], str]:
    """``totp(secret)``: the TOTP code the server accepts now (by the fake's clock)."""
    import time

    import pyotp

    def code(secret: str) -> str:
        if getattr(fake, "is_real", False):
            # Wiki.js accepts the current 30-second step only: not one about to end.
            left = 30 - time.time() % 30
            if left < 3:
                time.sleep(left + 0.1)
            return str(pyotp.TOTP(secret).now())
        return str(pyotp.TOTP(secret).at(fake.clock.now()))

    return code


@pytest.fixture
def self_registration(fake: FakeWikiJS) -> Iterator[Callable[..., None]]:
    """Self-registration of the local strategy on for the test (then off, as installed).

    The fixture's value switches it again: ``self_registration(True, ["example.org"])``
    also limits it to those e-mail domains.
    """

    def local(on: bool, domains: list[str] | None = None) -> None:
        if not getattr(fake, "is_real", False):
            row = fake.core.state.admin.strategies["local"]
            row.self_registration, row.domain_whitelist = on, list(domains or [])
            return
        strategy = {
            "key": "local",
            "strategyKey": "local",
            "displayName": "Local",
            "order": 0,
            "isEnabled": True,
            "config": [],
            "selfRegistration": on,
            "domainWhitelist": domains or [],
            "autoEnrollGroups": [],
        }
        fake.graphql(  # type: ignore[attr-defined]
            "mutation ($s: [AuthenticationStrategyInput]!) { authentication { "
            "updateStrategies(strategies: $s) { responseResult { succeeded } } } }",
            {"s": [strategy]},
        )

    local(True)
    try:
        yield local
    finally:
        local(False)
