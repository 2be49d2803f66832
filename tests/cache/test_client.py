"""The cache seen through the clients, against the fake Wiki.js."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from wikijs import JWTAuth, WikiJSClient
from wikijs.aio import AsyncWikiJSClient
from wikijs.cache import CacheBackend, FileCache, MemoryCache, RedisCache, bypass, operation_key
from wikijs.errors import AuthenticationError, NotFoundError, PermissionDeniedError, ValidationError
from wikijs.testing import FakeWikiJS

from .conftest import BackendFactory, Clock, cache_warnings
from .test_failures import Flaky


def sent(fake: FakeWikiJS, operation: str) -> int:
    """How many requests carried this operation."""
    return sum(operation in record.operation_names for record in fake.requests)


def sync_client(fake: FakeWikiJS, cache: CacheBackend | None, **options: object) -> WikiJSClient:
    auth = options.pop("auth", fake.api_key)
    return WikiJSClient(
        fake.url,
        auth=auth,
        transport=fake.sync_transport(),
        cache=cache,
        **options,  # type: ignore[arg-type]
    )


def async_client(
    fake: FakeWikiJS, cache: CacheBackend | None, **options: object
) -> AsyncWikiJSClient:
    auth = options.pop("auth", fake.api_key)
    return AsyncWikiJSClient(
        fake.url,
        auth=auth,
        transport=fake.async_transport(),
        cache=cache,
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture
def page_id(fake: FakeWikiJS) -> int:
    return int(fake.add_page("docs/start", title="Start", content="first").id)


@pytest.fixture
def memory(clock: Clock) -> MemoryCache:
    return MemoryCache(ttl=300, clock=clock)


@pytest.fixture
def cached(fake: FakeWikiJS, memory: MemoryCache) -> Iterator[WikiJSClient]:
    with sync_client(fake, memory) as client:
        yield client


# -- done when: read, update through the client, read again --------------------------------


def test_read_update_read_returns_the_new_content(
    fake: FakeWikiJS, page_id: int, make_backend: BackendFactory
) -> None:
    with sync_client(fake, make_backend()) as client:
        assert client.pages.get(page_id).content == "first"
        assert client.pages.get(page_id).content == "first"
        assert sent(fake, "GetPage") == 1
        client.pages.update(page_id, content="second")
        assert client.pages.get(page_id).content == "second"
        assert client.pages.get_by_path("docs/start").content == "second"


async def test_read_update_read_returns_the_new_content_async(
    fake: FakeWikiJS, page_id: int, make_backend: BackendFactory
) -> None:
    async with async_client(fake, make_backend()) as client:
        assert (await client.pages.get(page_id)).content == "first"
        assert (await client.pages.get(page_id)).content == "first"
        assert sent(fake, "GetPage") == 1
        await client.pages.update(page_id, content="second")
        assert (await client.pages.get(page_id)).content == "second"
        assert (await client.pages.get_by_path("docs/start")).content == "second"


def test_the_cached_answer_is_the_same_typed_model(cached: WikiJSClient, page_id: int) -> None:
    first = cached.pages.get(page_id)
    second = cached.pages.get(page_id)
    assert type(first) is type(second)
    assert first == second
    assert second is not first


def test_a_sync_and_an_async_client_share_one_backend(
    fake: FakeWikiJS, page_id: int, memory: MemoryCache
) -> None:
    with sync_client(fake, memory) as client:
        client.pages.get(page_id)

    async def read() -> str:
        async with async_client(fake, memory) as aclient:
            return (await aclient.pages.get(page_id)).content

    assert asyncio.run(read()) == "first"
    assert sent(fake, "GetPage") == 1


# -- what is cached and for whom -------------------------------------------------------------


def test_a_guest_never_receives_an_admin_answer(
    fake: FakeWikiJS, page_id: int, memory: MemoryCache
) -> None:
    with sync_client(fake, memory) as admin, sync_client(fake, memory, auth=None) as guest:
        assert admin.pages.get(page_id).content == "first"
        with pytest.raises(PermissionDeniedError):
            guest.pages.get(page_id)
        with pytest.raises(PermissionDeniedError):
            guest.pages.get(page_id)  # errors are not cached either
    assert sent(fake, "GetPage") == 3


def test_a_login_with_the_wrong_password_gets_nothing_from_the_cache(
    fake: FakeWikiJS, page_id: int, memory: MemoryCache
) -> None:
    right = JWTAuth(fake.admin_email, fake.admin_password)
    wrong = JWTAuth(fake.admin_email, "not-the-password")
    assert right.cache_identity() == wrong.cache_identity()  # same user, same entries
    with sync_client(fake, memory, auth=right) as client:
        client.pages.get(page_id)
    with sync_client(fake, memory, auth=wrong) as client, pytest.raises(AuthenticationError):
        client.pages.get(page_id)


def test_no_credential_is_stored(
    fake: FakeWikiJS, page_id: int, make_backend: BackendFactory
) -> None:
    cache = make_backend()
    jwt = JWTAuth(fake.admin_email, fake.admin_password)
    with sync_client(fake, cache) as by_key, sync_client(fake, cache, auth=jwt) as by_login:
        by_key.pages.get(page_id)
        by_key.pages.list()
        by_login.pages.get(page_id)
        token = jwt.bearer_token()
    assert token
    secrets = [fake.api_key, fake.admin_password, token]
    stored = dump(cache)
    assert stored
    for secret in secrets:
        assert secret.encode() not in stored


def dump(cache: CacheBackend) -> bytes:
    """Every key and value the backend holds, as bytes."""
    if isinstance(cache, MemoryCache):
        return b"".join(k.encode() + v for k, (_, v) in cache._entries.items())
    if isinstance(cache, FileCache):
        paths = [p for p in cache.cache_dir.rglob("*") if p.is_file()]
        return b"".join(str(p).encode() + p.read_bytes() for p in paths)
    assert isinstance(cache, RedisCache)
    server = cache._client()
    return b"".join(k + (server.get(k) or b"") for k in server.keys("*"))


def test_login_and_identity_checks_are_never_cached(fake: FakeWikiJS, memory: MemoryCache) -> None:
    with sync_client(fake, memory) as client:
        client.whoami()
        client.whoami()
    assert sent(fake, "GetProfile") == 3  # the key's one-time check, then each whoami
    with sync_client(fake, memory, auth=JWTAuth(fake.admin_email, fake.admin_password)) as client:
        client.whoami()
        client.whoami()
    assert sent(fake, "Login") == 1
    assert sent(fake, "GetProfile") == 5


def test_query_batches_are_sent_as_they_are(
    cached: WikiJSClient, fake: FakeWikiJS, page_id: int
) -> None:
    cached.pages.get_many([page_id])
    cached.pages.get_many([page_id])
    assert (
        sum(r.operation_names and r.operation_names[0].startswith("Batch") for r in fake.requests)
        == 2
    )


def test_documents_run_with_execute_are_cached_too(cached: WikiJSClient, fake: FakeWikiJS) -> None:
    query = "query { pages { tags { tag } } }"
    cached.execute(query)
    cached.execute(query)
    assert len([r for r in fake.requests if "pages.tags" in r.fields]) == 1


# -- bypassing ---------------------------------------------------------------------------------


def test_a_call_can_skip_the_cache(cached: WikiJSClient, fake: FakeWikiJS, page_id: int) -> None:
    cached.graphql.get_page(id=page_id)
    cached.graphql.get_page(id=page_id, cache=False)
    assert sent(fake, "GetPage") == 2
    fake.edit_page(page_id, "edited elsewhere")
    stale = cached.graphql.get_page(id=page_id)
    assert stale.pages.single.content == "first"  # type: ignore[union-attr]
    fresh = cached.graphql.get_page(id=page_id, cache="refresh")
    assert fresh.pages.single.content == "edited elsewhere"  # type: ignore[union-attr]
    assert cached.pages.get(page_id).content == "edited elsewhere"  # refresh stored it


def test_a_block_can_skip_the_cache(cached: WikiJSClient, fake: FakeWikiJS, page_id: int) -> None:
    cached.pages.get(page_id)
    fake.edit_page(page_id, "edited elsewhere")
    with bypass():
        assert cached.pages.get(page_id).content == "edited elsewhere"
    assert cached.pages.get(page_id).content == "first"  # bypass() stored nothing
    with bypass(refresh=True):
        cached.pages.get(page_id)
    assert cached.pages.get(page_id).content == "edited elsewhere"


def test_a_bad_cache_option_is_refused(cached: WikiJSClient, page_id: int) -> None:
    with pytest.raises(ValidationError):
        cached.graphql.get_page(id=page_id, cache="maybe")


def test_writes_made_elsewhere_show_once_the_ttl_has_passed(
    cached: WikiJSClient, fake: FakeWikiJS, page_id: int, clock: Clock
) -> None:
    cached.pages.get(page_id)
    fake.edit_page(page_id, "edited in the web UI")
    clock.advance(299)
    assert cached.pages.get(page_id).content == "first"
    clock.advance(2)
    assert cached.pages.get(page_id).content == "edited in the web UI"


def test_entries_can_be_deleted_by_key(
    cached: WikiJSClient, fake: FakeWikiJS, page_id: int
) -> None:
    cached.pages.get(page_id)
    key = operation_key(cached, "GetPage", {"id": page_id})
    assert cached.cache is not None
    assert cached.cache.get(key) is not None
    assert cached.cache.delete(key) is True
    cached.pages.get(page_id)
    assert sent(fake, "GetPage") == 2


def test_operation_key_refuses_what_it_cannot_key(cached: WikiJSClient) -> None:
    with pytest.raises(ValidationError):
        operation_key(cached, "NoSuchOperation")
    with pytest.raises(ValidationError):
        operation_key(cached, "Mine", document="query {")
    with pytest.raises(ValidationError):
        operation_key(cached, "GetPage", {"id": {1, 2}})
    mine = "query Mine { pages { tags { tag } } }"
    assert operation_key(cached, "Mine", document=mine).startswith("q:Mine:")


# -- invalidation --------------------------------------------------------------------------------


def test_moving_a_page_evicts_its_old_path(cached: WikiJSClient, page_id: int) -> None:
    assert cached.pages.get_by_path("docs/start").id == page_id
    cached.pages.move(page_id, "docs/moved")
    with pytest.raises(NotFoundError):
        cached.pages.get_by_path("docs/start")
    assert cached.pages.get_by_path("docs/moved").id == page_id
    assert cached.pages.get(page_id).path == "docs/moved"


def test_creating_and_deleting_pages_evict_lists(cached: WikiJSClient, page_id: int) -> None:
    assert [p.id for p in cached.pages.list()] == [page_id]
    created = cached.pages.create(title="New", path="docs/new", content="x")
    assert {p.id for p in cached.pages.list()} == {page_id, created.id}
    cached.pages.delete(page_id)
    assert [p.id for p in cached.pages.list()] == [created.id]
    with pytest.raises(NotFoundError):
        cached.pages.get(page_id)


@pytest.mark.parametrize("mode", ["alias", "array"])
def test_batched_writes_invalidate_every_page_they_touch(
    fake: FakeWikiJS, memory: MemoryCache, mode: str
) -> None:
    ids = [int(fake.add_page(f"batch/p{i}", content=f"v{i}").id) for i in range(3)]
    with sync_client(fake, memory, batch_mode=mode) as client:
        assert [client.pages.get(i).content for i in ids] == ["v0", "v1", "v2"]
        client.pages.update_many([{"id": ids[n], "content": f"new{n}"} for n in range(2)])
        assert [client.pages.get(i).content for i in ids] == ["new0", "new1", "v2"]
        client.pages.delete_many(ids[:1])
        with pytest.raises(NotFoundError):
            client.pages.get(ids[0])


def test_a_failed_write_still_invalidates(
    cached: WikiJSClient, fake: FakeWikiJS, page_id: int
) -> None:
    cached.pages.get(page_id)
    fake.edit_page(page_id, "changed elsewhere")
    with pytest.raises(NotFoundError):
        cached.pages.delete(999_999)  # the layer cannot tell what a failure left behind
    cached.graphql.render_page(id=page_id)
    assert cached.pages.get(page_id).content == "changed elsewhere"


def test_user_changes_invalidate_everything(
    cached: WikiJSClient, fake: FakeWikiJS, page_id: int
) -> None:
    user = fake.add_user("someone@example.com")
    cached.pages.get(page_id)
    cached.execute("query { users { list { id } } }")
    cached.execute(
        "mutation ($id: Int!) { users { deactivate(id: $id) { responseResult { succeeded } } } }",
        {"id": user.id},
    )
    cached.execute("query { users { list { id } } }")
    cached.pages.get(page_id)
    assert len([r for r in fake.requests if "users.list" in r.fields]) == 2
    assert sent(fake, "GetPage") == 2  # permissions may have changed: pages too


def test_asset_changes_invalidate_assets_only(
    cached: WikiJSClient, fake: FakeWikiJS, page_id: int
) -> None:
    folders = "query { assets { folders(parentFolderId: 0) { id slug } } }"
    cached.pages.get(page_id)
    assert cached.execute(folders)["assets"]["folders"] == []
    cached.execute(
        'mutation { assets { createFolder(parentFolderId: 0, slug: "img") '
        "{ responseResult { succeeded } } } }"
    )
    assert [f["slug"] for f in cached.execute(folders)["assets"]["folders"]] == ["img"]
    cached.pages.get(page_id)
    assert sent(fake, "GetPage") == 1


def test_invalidating_by_tag(cached: WikiJSClient, fake: FakeWikiJS, page_id: int) -> None:
    cached.pages.get(page_id)
    fake.edit_page(page_id, "changed elsewhere")
    assert cached.cache is not None
    cached.cache.invalidate(f"page:{page_id}")
    assert cached.pages.get(page_id).content == "changed elsewhere"


class HeldAnswers(httpx.AsyncBaseTransport):
    """Holds answers back, once told to, until the test releases them."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.hold = False
        self.answered = asyncio.Event()
        self.release = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if self.hold:
            self.answered.set()
            await self.release.wait()
        return response


async def test_a_write_during_a_read_leaves_no_stale_entry(
    fake: FakeWikiJS, page_id: int, memory: MemoryCache
) -> None:
    held = HeldAnswers(fake.async_transport())
    reader = AsyncWikiJSClient(fake.url, auth=fake.api_key, transport=held, cache=memory)
    async with reader, async_client(fake, memory) as writer:
        await reader.whoami()
        held.hold = True
        read = asyncio.create_task(reader.pages.get(page_id))
        await held.answered.wait()  # the server answered "first"; not yet stored
        held.hold = False
        await writer.pages.update(page_id, content="second")
        held.release.set()
        assert (await read).content == "first"
        assert (await reader.pages.get(page_id)).content == "second"


# -- configuration and failures ------------------------------------------------------------


def test_the_cache_property(fake: FakeWikiJS, memory: MemoryCache) -> None:
    with sync_client(fake, None) as plain, sync_client(fake, memory) as cached:
        assert plain.cache is None
        assert cached.cache is memory


def test_the_cache_argument_is_checked(fake: FakeWikiJS) -> None:
    with pytest.raises(ValidationError):
        WikiJSClient(fake.url, cache="memory")  # type: ignore[arg-type]


def test_a_broken_store_slows_calls_down_but_never_fails_them(
    fake: FakeWikiJS, page_id: int, clock: Clock
) -> None:
    broken = Flaky(clock, retry_interval=0)
    broken.down = True
    with sync_client(fake, broken) as client, cache_warnings() as caught:
        assert client.pages.get(page_id).content == "first"
        client.pages.update(page_id, content="second")
        assert client.pages.get(page_id).content == "second"
    assert len(caught) == 1
    broken.down = False
    with sync_client(fake, broken) as client:
        client.pages.get(page_id)
        client.pages.get(page_id)
    assert broken.stats().hits == 1


async def test_a_broken_store_never_fails_async_calls(
    fake: FakeWikiJS, page_id: int, clock: Clock
) -> None:
    broken = Flaky(clock, retry_interval=0)
    broken.down = True
    with cache_warnings():
        async with async_client(fake, broken) as client:
            assert (await client.pages.get(page_id)).content == "first"
            await client.pages.update(page_id, content="second")
            assert (await client.pages.get(page_id)).content == "second"


FRAGMENT_FIRST_DELETE = """
fragment Status on ResponseStatus { succeeded }
mutation ($id: Int!) { pages { delete(id: $id) { responseResult { ...Status } } } }
"""


def test_a_mutation_after_a_fragment_still_invalidates(cached: WikiJSClient, page_id: int) -> None:
    cached.pages.get(page_id)
    cached.execute(FRAGMENT_FIRST_DELETE, {"id": page_id})
    with pytest.raises(NotFoundError):
        cached.pages.get(page_id)


async def test_the_async_layer_handles_every_kind_of_call(
    fake: FakeWikiJS, page_id: int, memory: MemoryCache
) -> None:
    async with async_client(fake, memory, batch_mode="array") as client:
        await client.whoami()
        await client.whoami()  # never cached
        assert sent(fake, "GetProfile") == 3
        await client.graphql.get_page(id=page_id)
        await client.graphql.get_page(id=page_id, cache=False)
        assert sent(fake, "GetPage") == 2
        await client.pages.update_many([{"id": page_id, "content": "batched"}])
        assert (await client.pages.get(page_id)).content == "batched"
        await client.execute(FRAGMENT_FIRST_DELETE, {"id": page_id})
        with pytest.raises(NotFoundError):
            await client.pages.get(page_id)


def test_an_update_starts_from_the_page_as_stored_not_as_cached(
    cached: WikiJSClient, fake: FakeWikiJS, page_id: int
) -> None:
    cached.pages.get(page_id)
    fake.edit_page(page_id, "written in the web UI")
    updated = cached.pages.update(page_id, title="Renamed")
    assert updated.title == "Renamed"
    assert updated.content == "written in the web UI"  # not reverted to the cached copy
