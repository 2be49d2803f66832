"""Errors read in the user's terms: the call that failed and the object it named.

The GraphQL operation and Wiki.js's code stay on the error as attributes;
the message says what the user asked for (``pages.get(999999): no page with
id 999999``), where the SDK tried to go (host and port; the URL that
answered 404), and input that cannot work is refused before sending.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest

from wikijs import (
    AuthenticationError,
    ConnectError,
    HTTPStatusError,
    NotFoundError,
    ValidationError,
    WikiJSClient,
)
from wikijs.aio import AsyncWikiJSClient
from wikijs.testing import FakeWikiJS


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# -- 1. the call and the object ------------------------------------------------------


def test_a_missing_page_is_named_by_the_call_and_keeps_its_operation_and_code(wiki: Any) -> None:
    with pytest.raises(NotFoundError) as caught:
        wiki.pages.get(999999)
    error = caught.value
    assert str(error) == "pages.get(999999): no page with id 999999"
    assert (error.call, error.operation, error.code) == ("pages.get(999999)", "GetPage", 6003)
    assert error.errors[0].message == "This page does not exist."  # the server's words, kept


def test_every_resource_names_its_missing_object(wiki: Any) -> None:
    cases = [
        (lambda: wiki.users.get(424242), "users.get(424242): no user with id 424242"),
        (lambda: wiki.groups.get(4242), "groups.get(4242): no group with id 4242"),
        (
            lambda: wiki.pages.update(999999, title="New"),
            "pages.update(999999, title='New'): no page with id 999999",
        ),
        (
            lambda: wiki.pages.get_by_path("missing/page"),
            "pages.get_by_path('missing/page'): no page at en/missing/page",
        ),
        (lambda: list(wiki.pages.history(999999)), "pages.history(999999): no page with id 999999"),
    ]
    for call, message in cases:
        with pytest.raises(NotFoundError) as caught:
            call()
        assert str(caught.value) == message


def test_secret_arguments_never_appear_in_the_call(wiki: Any) -> None:
    with pytest.raises(NotFoundError) as caught:
        wiki.users.set_password(424242, "s3cret-Pa55")
    assert str(caught.value) == "users.set_password(424242, ***): no user with id 424242"
    assert "s3cret" not in repr(caught.value)


def test_the_identity_check_of_a_first_call_reports_that_call(fake: FakeWikiJS) -> None:
    client = WikiJSClient(fake.url, auth="not-a-key", transport=fake.sync_transport())
    with client, pytest.raises(AuthenticationError) as caught:
        client.pages.get(1)
    assert str(caught.value).startswith("pages.get(1): the server treats these credentials as")
    assert caught.value.operation == "GetProfile"  # what ran underneath stays an attribute


# -- 2. a wrong base URL ---------------------------------------------------------------


def test_a_404_from_the_graphql_endpoint_says_the_url_is_not_the_wikis_root(
    fake: FakeWikiJS,
) -> None:
    url = fake.url + "/docs"
    client = WikiJSClient(url, auth=fake.api_key, transport=fake.sync_transport())
    with client, pytest.raises(HTTPStatusError) as caught:
        client.pages.get(1)
    assert caught.value.status_code == 404
    assert str(caught.value) == (
        f"pages.get(1): {url}/graphql answered HTTP 404: {url} is probably not the wiki's "
        "root URL (give the address of the wiki's home page; the SDK adds /graphql)"
    )


async def test_the_async_client_says_the_same_about_a_404(fake: FakeWikiJS) -> None:
    url = fake.url + "/wiki"
    async with AsyncWikiJSClient(
        url, auth=fake.api_key, transport=fake.async_transport()
    ) as client:
        with pytest.raises(HTTPStatusError, match=f"{url}/graphql answered HTTP 404"):
            await client.pages.list()


# -- 3. connection errors name host and port -------------------------------------------


def test_the_sync_client_names_host_and_port_it_could_not_reach() -> None:
    port = closed_port()
    client = WikiJSClient(f"http://127.0.0.1:{port}", auth="KEY", retry_strategy=None)
    with client, pytest.raises(ConnectError) as caught:
        client.pages.get(1)
    assert str(caught.value).startswith(f"pages.get(1): cannot connect to 127.0.0.1:{port} (")


@pytest.mark.parametrize("backend", ["auto", "httpx", "aiohttp"])
def test_the_async_client_names_host_and_port_on_every_backend(backend: Any) -> None:
    port = closed_port()

    async def attempt() -> ConnectError:
        async with AsyncWikiJSClient(
            f"http://127.0.0.1:{port}", auth="KEY", retry_strategy=None, http_backend=backend
        ) as client:
            with pytest.raises(ConnectError) as caught:
                await client.pages.get(1)
            return caught.value

    error = asyncio.run(attempt())
    assert str(error).startswith(f"pages.get(1): cannot connect to 127.0.0.1:{port} (")


# -- 4. blank titles ---------------------------------------------------------------------


@pytest.mark.parametrize("title", ["", "   ", "\t\n"])
def test_a_blank_title_is_refused_before_sending(wiki: Any, fake: FakeWikiJS, title: str) -> None:
    page = wiki.pages.create(title="Kept", path="messages/kept", content="x")
    before = len(wiki.pages.list())
    with pytest.raises(ValidationError) as created:
        wiki.pages.create(title=title, path="messages/blank", content="x")
    with pytest.raises(ValidationError) as updated:
        wiki.pages.update(page.id, title=title)
    assert created.value.field == updated.value.field == "title"
    assert str(created.value).endswith(": title cannot be empty")
    assert len(wiki.pages.list()) == before
    assert wiki.pages.get(page.id).title == "Kept"
