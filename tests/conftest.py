"""Shared fixtures: a fresh fake Wiki.js per test, and both clients wired to it
in-process (no sockets).

With ``--wikijs-url URL`` (or ``WIKIJS_TEST_URL`` and the other
``WIKIJS_TEST_*`` variables, see ``tests/real_server.py``) the same fixtures
talk to that real Wiki.js instead: ``fake`` is then a
:class:`real_server.RealWikiJS`, which seeds through the server's API, skips
a test that reaches for a fake-only knob, and removes what the test created.

``wiki`` is the sync client, or the async client seen through
:class:`SyncView`, which runs each coroutine (and each step of an async
iterator) on a private event loop: a behaviour test taking ``wiki`` runs
twice, exercising both the written-once async code and its derived sync twin.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from real_server import RealSettings, RealWikiJS, isolated

if TYPE_CHECKING:
    from wikijs import WikiJSClient
    from wikijs.aio import AsyncWikiJSClient
    from wikijs.testing import FakeWikiJS


_REAL = pytest.StashKey["RealSettings | None"]()


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


def pytest_report_header(config: pytest.Config) -> str:
    settings = config.stash[_REAL]
    if settings is None:
        return "wikijs: behaviour tests on the bundled fake Wiki.js"
    return f"wikijs: behaviour tests on the real Wiki.js at {settings.url}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
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
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def fake(real_wiki: RealWikiJS | None) -> Iterator[FakeWikiJS]:
    """The Wiki.js under test: a fresh fake, or the real one (see the module docstring)."""
    if real_wiki is not None:
        with isolated(real_wiki) as server:
            yield server  # type: ignore[misc]
        return
    from wikijs.testing import FakeWikiJS

    server = FakeWikiJS()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def client(fake: FakeWikiJS) -> Iterator[WikiJSClient]:
    from wikijs import WikiJSClient

    with WikiJSClient(fake.url, auth=fake.api_key, transport=fake.sync_transport()) as c:
        yield c


@pytest.fixture
async def aclient(fake: FakeWikiJS) -> AsyncIterator[AsyncWikiJSClient]:
    from wikijs.aio import AsyncWikiJSClient

    async with AsyncWikiJSClient(
        fake.url, auth=fake.api_key, transport=fake.async_transport()
    ) as c:
        yield c


class SyncView:
    """Drive an async client (or one of its resources) with plain calls."""

    def __init__(self, target: Any, loop: asyncio.AbstractEventLoop) -> None:
        self._target = target
        self._loop = loop

    def __getattr__(self, name: str) -> Any:
        from wikijs._async.resources._base import AsyncResource

        value = getattr(self._target, name)
        if isinstance(value, AsyncResource):
            return SyncView(value, self._loop)
        if not callable(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            result = value(*args, **kwargs)
            if inspect.iscoroutine(result):
                return self._loop.run_until_complete(result)
            if inspect.isasyncgen(result):
                return self._iterate(result)
            return result

        return call

    def _iterate(self, agen: AsyncIterator[Any]) -> Iterator[Any]:
        while True:
            try:
                yield self._loop.run_until_complete(agen.__anext__())
            except StopAsyncIteration:
                return


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
    aclient = AsyncWikiJSClient(fake.url, auth=fake.api_key, transport=fake.async_transport())
    try:
        yield SyncView(aclient, loop)
    finally:
        loop.run_until_complete(aclient.aclose())
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
