"""``pages.create`` retries without ever writing a page twice (fake server, in-process)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from wikijs import WikiJSClient
from wikijs.aio import AsyncWikiJSClient
from wikijs.errors import ConflictError, ConnectionLostError, HTTPStatusError
from wikijs.middleware import RetryStrategy
from wikijs.plugins import ResponseInfo
from wikijs.testing import FakeWikiJS, Fault

FAST = RetryStrategy(initial_delay=0, max_retries=3)
PAGE = {"title": "Runbook", "path": "ops/runbook", "content": "# Restart the thing"}


def operations(fake: FakeWikiJS) -> list[str]:
    return [name for record in fake.requests for name in record.operation_names]


def pages_at(fake: FakeWikiJS, client: WikiJSClient, path: str) -> list[Any]:
    return [p for p in client.pages.list() if p.path == path]


@pytest.fixture
def make(fake: FakeWikiJS) -> Iterator[Any]:
    opened: list[WikiJSClient] = []

    def build(**kwargs: Any) -> WikiJSClient:
        kwargs.setdefault("retry_strategy", FAST)
        client = WikiJSClient(
            fake.url, auth=fake.api_key, transport=fake.sync_transport(), **kwargs
        )
        opened.append(client)
        return client

    yield build
    for client in opened:
        client.close()


def test_an_applied_create_whose_answer_was_lost_is_found_not_repeated(
    fake: FakeWikiJS, make: Any
) -> None:
    client = make()
    fake.faults.push(Fault.drop_after(operation="CreatePage"))
    page = client.pages.create(**PAGE)
    assert (page.title, page.content, page.path) == (PAGE["title"], PAGE["content"], PAGE["path"])
    assert operations(fake).count("CreatePage") == 1
    assert "GetPageByPath" in operations(fake)
    assert len(pages_at(fake, client, PAGE["path"])) == 1


def test_a_create_refused_before_processing_is_written_again_after_a_check(
    fake: FakeWikiJS, make: Any
) -> None:
    client = make()
    fake.faults.push(Fault.http(503, operation="CreatePage"))
    page = client.pages.create(**PAGE)
    trail = [op for op in operations(fake) if op != "GetProfile"]
    assert trail == ["CreatePage", "GetPageByPath", "CreatePage", "GetPage"]
    assert page.content == PAGE["content"]
    assert len(pages_at(fake, client, PAGE["path"])) == 1


def test_a_create_that_never_left_is_sent_again_at_once(fake: FakeWikiJS, make: Any) -> None:
    client = make()
    fake.faults.push(Fault.refuse(operation="CreatePage"))
    client.pages.create(**PAGE)
    trail = [op for op in operations(fake) if op != "GetProfile"]
    assert trail == ["CreatePage", "CreatePage", "GetPage"]


def test_someone_elses_page_at_the_path_is_not_taken_for_ours(fake: FakeWikiJS, make: Any) -> None:
    class Rival:
        """Creates a different page at the path right after our first attempt fails."""

        done = False

        def on_error(self, error: BaseException, response: ResponseInfo) -> None:
            if response.operation == "CreatePage" and not self.done:
                self.done = True
                fake.add_page(PAGE["path"], title="Theirs", content="their content")

    client = make(plugins=[Rival()])
    fake.faults.push(Fault.http(502, operation="CreatePage"))
    with pytest.raises(ConflictError):
        client.pages.create(**PAGE)
    (page,) = pages_at(fake, client, PAGE["path"])
    assert page.title == "Theirs"


def test_without_retries_the_ambiguity_reaches_the_caller(fake: FakeWikiJS, make: Any) -> None:
    client = make(retry_strategy=None)
    fake.faults.push(Fault.drop_after(operation="CreatePage"))
    with pytest.raises(ConnectionLostError):
        client.pages.create(**PAGE)
    assert len(pages_at(fake, client, PAGE["path"])) == 1  # it had landed


def test_gives_up_after_max_retries(fake: FakeWikiJS, make: Any) -> None:
    client = make(retry_strategy=RetryStrategy(initial_delay=0, max_retries=2))
    fake.faults.extend([Fault.http(503, operation="CreatePage")] * 3)
    with pytest.raises(HTTPStatusError):
        client.pages.create(**PAGE)
    assert operations(fake).count("CreatePage") == 3
    assert pages_at(fake, client, PAGE["path"]) == []


def test_when_the_check_itself_fails_the_write_failure_is_reported(
    fake: FakeWikiJS, make: Any
) -> None:
    client = make(retry_strategy=RetryStrategy(initial_delay=0, max_retries=1))
    fake.faults.push(Fault.drop_after(operation="CreatePage"))
    fake.faults.extend([Fault.http(503, operation="GetPageByPath")] * 2)
    with pytest.raises(ConnectionLostError):
        client.pages.create(**PAGE)
    assert operations(fake).count("CreatePage") == 1


async def test_the_async_client_checks_before_writing_again(fake: FakeWikiJS) -> None:
    fake.faults.push(Fault.drop_after(operation="CreatePage"))
    async with AsyncWikiJSClient(
        fake.url, auth=fake.api_key, transport=fake.async_transport(), retry_strategy=FAST
    ) as client:
        page = await client.pages.create(**PAGE)
        assert page.content == PAGE["content"]
        found = [p for p in await client.pages.list() if p.path == PAGE["path"]]
    assert len(found) == 1
    assert operations(fake).count("CreatePage") == 1


def test_the_servers_login_limit_is_waited_out_for_a_mutation(fake: FakeWikiJS) -> None:
    """Wiki.js refuses a 6th login within 60 s; the write behind it was never sent."""
    from wikijs.auth import JWTAuth
    from wikijs.middleware import RateLimiter

    waits: list[float] = []

    def wait(seconds: float) -> None:  # time passes for the server too, without sleeping
        waits.append(seconds)
        fake.clock.advance(seconds)

    for _ in range(5):  # use up the server's login allowance
        with WikiJSClient(
            fake.url,
            auth=JWTAuth(fake.admin_email, fake.admin_password),
            transport=fake.sync_transport(),
        ) as other:
            other.whoami()
    limiter = RateLimiter(100, clock=fake.clock.now, sleep=wait)
    with WikiJSClient(
        fake.url,
        auth=JWTAuth(fake.admin_email, fake.admin_password),
        transport=fake.sync_transport(),
        retry_strategy=RetryStrategy(initial_delay=0, sleep=wait),
        rate_limiter=limiter,
    ) as client:
        page = client.pages.create(**PAGE)
    assert page.title == PAGE["title"]
    assert len(waits) == 1
    assert 0 < waits[0] <= 60  # the server's "try again in N seconds", waited once
    assert operations(fake).count("CreatePage") == 1
