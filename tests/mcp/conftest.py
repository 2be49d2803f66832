"""Sessions with ``wikijs mcp``, driven by the official ``mcp`` client.

``launch(*options)`` starts the installed ``wikijs mcp`` as a subprocess
talking over stdio, pointed through ``WIKIJS_URL``/``WIKIJS_API_KEY`` at the
Wiki.js under test (the fake served on loopback, or the real one with
``--wikijs-url``), and yields a connected :class:`mcp.Client` after the
``initialize`` handshake. Its standard error goes to ``server_log``.
``in_process(policy)`` builds the same server in the test's process, on the
SDK's async client, for the tests of the tools' details.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

from wikijs import WikiJSClient
from wikijs.aio import AsyncWikiJSClient
from wikijs.mcp import Policy, build_server

if TYPE_CHECKING:
    from wikijs.testing import FakeWikiJS

WIKIJS = Path(sys.executable).parent / "wikijs"

Launch = Callable[..., AbstractAsyncContextManager[Client]]
InProcess = Callable[..., AbstractAsyncContextManager[Client]]


@pytest.fixture
def wiki_url(fake: FakeWikiJS) -> Iterator[str]:
    """The URL of the Wiki.js under test, reachable from another process."""
    with fake.serve() as url:
        yield url


@pytest.fixture
def server_log(tmp_path: Path) -> Path:
    return tmp_path / "server-stderr.txt"


def server_environment(fake: FakeWikiJS, url: str, home: Path) -> dict[str, str]:
    return {
        "WIKIJS_URL": url,
        "WIKIJS_API_KEY": fake.api_key,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
    }


@pytest.fixture
def launch(fake: FakeWikiJS, wiki_url: str, tmp_path: Path, server_log: Path) -> Launch:
    if not WIKIJS.exists():
        pytest.skip("needs the installed console script")

    @asynccontextmanager
    async def session(*options: str, env: dict[str, str] | None = None) -> AsyncIterator[Client]:
        params = StdioServerParameters(
            command=str(WIKIJS),
            args=["mcp", *options],
            env={**server_environment(fake, wiki_url, tmp_path), **(env or {})},
        )
        with server_log.open("a", encoding="utf-8") as errlog:
            # mode="legacy": the initialize handshake, as desktop assistants do it.
            async with Client(stdio_client(params, errlog=errlog), mode="legacy") as client:
                yield client

    return session


@pytest.fixture
def in_process(fake: FakeWikiJS) -> InProcess:
    @asynccontextmanager
    async def session(policy: Policy | None = None, mode: str = "legacy") -> AsyncIterator[Client]:
        wiki = AsyncWikiJSClient(fake.url, auth=fake.api_key, http_client=fake.aiohttp_session)
        async with wiki, Client(build_server(wiki, policy), mode=mode) as client:
            yield client

    return session


@pytest.fixture
def sdk(fake: FakeWikiJS, wiki_url: str) -> Iterator[WikiJSClient]:
    """The SDK's own view of the wiki, to check what the server did."""
    with WikiJSClient(wiki_url, auth=fake.api_key) as client:
        yield client
