"""The fake beneath aiohttp (``FakeWikiJS.aiohttp_session``): a loopback server in
the test's own event loop, with faults that look as they would over a socket."""

from __future__ import annotations

import time

import pytest

from wikijs import ConnectionLostError
from wikijs.aio import AsyncWikiJSClient
from wikijs.middleware import RetryStrategy
from wikijs.testing import FakeWikiJS, Fault


def client_of(fake: FakeWikiJS, **options: object) -> AsyncWikiJSClient:
    return AsyncWikiJSClient(
        fake.url, auth=fake.api_key, http_client=fake.aiohttp_session, **options
    )


@pytest.mark.fake_only("the fake's own session routes any host to the fake")
async def test_any_host_in_the_url_reaches_the_fake(fake: FakeWikiJS) -> None:
    fake.add_page("docs/here")
    async with AsyncWikiJSClient(
        "http://wiki.anything.test:8443", auth=fake.api_key, http_client=fake.aiohttp_session
    ) as client:
        assert [p.path for p in await client.pages.list()] == ["docs/here"]


async def test_a_refused_request_is_a_cut_connection_and_a_query_is_retried(
    fake: FakeWikiJS,
) -> None:
    async with client_of(fake, retry_strategy=RetryStrategy(initial_delay=0)) as client:
        await client.pages.list()
        fake.faults.push(Fault.refuse())
        assert await client.pages.list() == []
    async with client_of(fake, retry_strategy=None) as client:
        fake.faults.push(Fault.drop_after(operation="pages.list"))
        with pytest.raises(ConnectionLostError):
            await client.pages.list()


async def test_latency_and_stalls_are_awaited_not_slept(fake: FakeWikiJS) -> None:
    async with client_of(fake) as client:
        await client.pages.list()
        fake.latency = 0.05
        fake.faults.push(Fault.stall(0.1))
        started = time.monotonic()
        await client.pages.list()
        assert time.monotonic() - started >= 0.15
        fake.latency = 0.0


async def test_closing_the_client_stops_the_listener(fake: FakeWikiJS) -> None:
    session = fake.aiohttp_session()
    async with AsyncWikiJSClient(fake.url, auth=fake.api_key, http_client=session) as client:
        await client.pages.list()
    await session.close()
    assert session.closed
    never_used = fake.aiohttp_session()
    await never_used.close()
