"""``wikijs mcp --http``: streamable HTTP on loopback, behind a bearer token of its own."""

from __future__ import annotations

import os
import re
import secrets
import selectors
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from conftest import WIKIJS, server_environment
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from wikijs.testing import FakeWikiJS


def wait_for_line(process: subprocess.Popen[str], pattern: str, seconds: float = 60) -> str:
    """The first line of the process's standard error matching ``pattern``."""
    assert process.stderr is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stderr, selectors.EVENT_READ)
    deadline = time.monotonic() + seconds
    seen = []
    while time.monotonic() < deadline:
        if selector.select(timeout=deadline - time.monotonic()):
            line = process.stderr.readline()
            if not line:
                break
            seen.append(line)
            if re.search(pattern, line):
                return line
    raise AssertionError(f"no line matching {pattern!r} in {seen}")


@pytest.fixture
def token() -> str:
    return secrets.token_urlsafe(32)


@pytest.fixture
def http_server(
    fake: FakeWikiJS, wiki_url: str, tmp_path: Path, token: str
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    if not WIKIJS.exists():
        pytest.skip("needs the installed console script")
    env = {**os.environ, **server_environment(fake, wiki_url, tmp_path), "WIKIJS_MCP_TOKEN": token}
    process = subprocess.Popen(
        [str(WIKIJS), "mcp", "--http", "--port", "0"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = wait_for_line(process, r"at http://")
        url = re.search(r"at (http://\S+/mcp)", line)
        assert url is not None, line
        yield url.group(1), process
    finally:
        process.terminate()
        process.wait(timeout=30)


async def test_http_needs_the_token_and_serves_a_session_with_it(
    fake: FakeWikiJS, http_server: tuple[str, subprocess.Popen[str]], token: str
) -> None:
    url, process = http_server
    assert url.startswith("http://127.0.0.1:")  # loopback unless told otherwise
    fake.add_page("mcp-http/page", title="Over HTTP")
    hello = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    async with httpx2.AsyncClient() as raw:
        for headers in ({}, {"Authorization": "Bearer wrong-token"}, {"Authorization": token}):
            refused = await raw.post(url, json=hello, headers=headers)
            assert refused.status_code == 401
            assert refused.headers["www-authenticate"].startswith("Bearer")
        rebound = await raw.post(  # a page elsewhere reaching loopback through DNS rebinding
            url,
            json=hello,
            headers={"Authorization": f"Bearer {token}", "Host": "wiki.attacker.example"},
        )
        assert rebound.status_code == 421, rebound.text

    async with (
        httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as http,
        Client(streamable_http_client(url, http_client=http), mode="legacy") as session,
    ):
        names = {tool.name for tool in (await session.list_tools()).tools}
        assert "search_pages" in names
        assert "create_page" not in names
        found = await session.call_tool("get_page_by_path", {"path": "mcp-http/page"})
        assert found.structured_content["title"] == "Over HTTP"

    process.terminate()
    _, stderr = process.communicate(timeout=30)
    assert token not in stderr
    assert fake.api_key not in stderr


async def test_serve_http_in_process(fake: FakeWikiJS, token: str) -> None:
    import anyio

    from wikijs.aio import AsyncWikiJSClient
    from wikijs.mcp import build_server
    from wikijs.mcp._server import BearerToken, bind, serve_http

    assert token not in repr(BearerToken(token))
    assert await BearerToken(token).verify_token(token + "x") is None
    sock = bind("127.0.0.1", 0)
    urls: list[str] = []
    started = anyio.Event()

    def ready(url: str) -> None:
        urls.append(url)
        started.set()

    wiki = AsyncWikiJSClient(fake.url, auth=fake.api_key, http_client=fake.aiohttp_session)
    async with wiki, anyio.create_task_group() as group:
        group.start_soon(lambda: serve_http(build_server(wiki), sock, token, ready=ready))
        with anyio.fail_after(30):
            await started.wait()
        async with (
            httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as http,
            Client(streamable_http_client(urls[0], http_client=http), mode="legacy") as session,
        ):
            assert (await session.list_tools()).tools
        async with httpx2.AsyncClient() as raw:
            assert (await raw.post(urls[0], json={})).status_code == 401
        group.cancel_scope.cancel()
