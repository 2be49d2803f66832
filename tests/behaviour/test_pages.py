"""Pages against the fake Wiki.js, with both clients."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest

from wikijs import (
    AuthenticationError,
    ConflictError,
    JWTAuth,
    NotFoundError,
    ValidationError,
    WikiJSClient,
    WikiJSError,
)
from wikijs.aio import AsyncWikiJSClient
from wikijs.models import Page, PageUpdate
from wikijs.testing import FakeWikiJS


def graphql_requests(fake: FakeWikiJS) -> list[tuple[str, ...]]:
    return [r.operation_names for r in fake.requests if r.path == "/graphql"]


def test_create_read_update_title_delete(wiki: Any, fake: FakeWikiJS) -> None:
    page = wiki.pages.create(
        title="Hello",
        path="docs/hello",
        content="# Hello\n\nBody.",
        tags=["sdk", "test"],
        description="A page",
    )
    assert isinstance(page, Page)
    assert page.path == "docs/hello"
    assert page.locale == "en"
    assert page.editor == "markdown"
    assert wiki.pages.get(page.id).title == "Hello"
    assert wiki.pages.get_by_path("docs/hello").id == page.id

    updated = wiki.pages.update(page.id, title="Hello again")
    assert updated.title == "Hello again"
    assert updated.is_published is True
    assert updated.content == "# Hello\n\nBody."
    assert updated.description == "A page"
    assert [t.tag for t in updated.tags] == ["sdk", "test"]

    wiki.pages.delete(page.id)
    with pytest.raises(NotFoundError):
        wiki.pages.get(page.id)


async def test_async_create_read_update_title_delete(aclient: AsyncWikiJSClient) -> None:
    page = await aclient.pages.create(
        title="Hello", path="docs/hello", content="# Hello", tags=["sdk"], is_published=True
    )
    assert (await aclient.pages.get_by_path("docs/hello")).id == page.id
    updated = await aclient.pages.update(page.id, PageUpdate(title="Renamed"))
    assert updated.is_published
    assert updated.content == "# Hello"
    assert [t.tag for t in updated.tags] == ["sdk"]
    await aclient.pages.delete(page.id)
    with pytest.raises(NotFoundError):
        await aclient.pages.get(page.id)


@pytest.mark.requires_wikijs("2.5.105")  # page scripts
def test_safe_partial_update_keeps_scripts_and_unpublished_state(wiki: Any) -> None:
    page = wiki.pages.create(
        title="Styled",
        path="docs/styled",
        content="x",
        script_css="h1{color:red}",  # already minified: Wiki.js stores CSS through clean-css
        script_js="1;",
        is_published=False,
    )
    updated = wiki.pages.update(page.id, description="only this")
    assert updated.script_css == "h1{color:red}"
    assert updated.script_js == "1;"
    assert updated.is_published is False
    assert updated.description == "only this"


def test_update_can_clear_and_set_publish_dates(wiki: Any) -> None:
    start = datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    page = wiki.pages.create(
        title="Dated", path="docs/dated", content="x", publish_start_date=start
    )
    assert page.publish_start_date == start
    assert page.publish_end_date is None
    kept = wiki.pages.update(page.id, title="Still dated")
    assert kept.publish_start_date == start
    cleared = wiki.pages.update(page.id, publish_start_date=None)
    assert cleared.publish_start_date is None


def test_the_server_quirk_would_unpublish_without_the_safe_update(
    client: WikiJSClient, fake: FakeWikiJS
) -> None:
    page = client.pages.create(title="Raw", path="docs/raw", content="x")
    # the raw mutation with only a title and content: Wiki.js unpublishes the page
    client.graphql.update_page(id=page.id, title="Raw 2", content="x", tags=[])
    assert client.pages.get(page.id).is_published is False


def test_duplicate_path_is_a_conflict(wiki: Any) -> None:
    wiki.pages.create(title="A", path="dup/path", content="a")
    with pytest.raises(ConflictError) as caught:
        wiki.pages.create(title="B", path="/dup/path/", content="b")
    assert caught.value.code == 6002
    assert isinstance(caught.value, WikiJSError)


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.pages.get(987_654),
        lambda c: c.pages.update(987_654, title="x"),
        lambda c: c.pages.delete(987_654),
        lambda c: list(c.pages.history(987_654)),
        lambda c: c.pages.get_by_path("nowhere/such-page"),
    ],
    ids=["get", "update", "delete", "history", "get_by_path"],
)
def test_unknown_ids_are_not_found(wiki: Any, call: Callable[[Any], object]) -> None:
    with pytest.raises(NotFoundError):
        call(wiki)


def test_bad_input_fails_before_any_request(wiki: Any, fake: FakeWikiJS) -> None:
    wiki.pages.list(limit=1)
    fake.reset_log()
    for kwargs in (
        {"title": "t", "path": "a b", "content": "x"},
        {"title": "t", "path": "okay", "content": "   "},
        {"title": "t", "path": "okay", "content": "x", "editor": "word"},
        {"title": "t\x00", "path": "okay", "content": "x"},
    ):
        with pytest.raises(ValidationError):
            wiki.pages.create(**kwargs)
    with pytest.raises(ValidationError):
        wiki.pages.get(0)
    assert fake.requests == []


def test_huge_unicode_content_round_trips(wiki: Any) -> None:
    content = "# Ünïcödé 🚀\n\n" + ("مرحبا 世界 e\u0301 \u200b \U0001d518 " * 60_000)
    assert len(content.encode()) > 1_500_000
    page = wiki.pages.create(title="Big ✓", path="docs/big", content=content)
    assert wiki.pages.get(page.id).content == content


def test_content_beyond_the_server_limit_is_a_validation_error(wiki: Any, fake: FakeWikiJS) -> None:
    before = len(wiki.pages.ids())
    with pytest.raises(ValidationError) as caught:
        wiki.pages.create(title="Too big", path="docs/too-big", content="x" * 6_000_000)
    assert caught.value.status_code == 413
    assert "5 MB" in str(caught.value)
    assert len(wiki.pages.ids()) == before


def test_revoked_key_is_an_authentication_error(fake: FakeWikiJS) -> None:
    key = fake.create_api_key("temp")
    with WikiJSClient(fake.url, auth=key, transport=fake.sync_transport()) as other:
        assert isinstance(other.pages.ids(), list)
        with WikiJSClient(fake.url, auth=fake.api_key, transport=fake.sync_transport()) as admin:
            keys = admin.graphql.list_api_keys().authentication
            assert keys is not None
            assert keys.api_keys is not None
            key_id = next(k.id for k in keys.api_keys if k is not None and k.name == "temp")
            admin.graphql.revoke_api_key(id=key_id)
        with pytest.raises(AuthenticationError):
            other.pages.list(limit=1)


def test_garbage_key_is_an_authentication_error_not_an_empty_wiki(fake: FakeWikiJS) -> None:
    with (
        WikiJSClient(fake.url, auth="garbage.token.here", transport=fake.sync_transport()) as c,
        pytest.raises(AuthenticationError),
    ):
        c.pages.list()


def test_wrong_password_is_an_authentication_error(fake: FakeWikiJS) -> None:
    auth = JWTAuth(fake.admin_email, "wrong-password")
    with (
        WikiJSClient(fake.url, auth=auth, transport=fake.sync_transport()) as c,
        pytest.raises(AuthenticationError) as caught,
    ):
        c.pages.get(1)
    assert caught.value.code == 1002
    assert "wrong-password" not in str(caught.value) + repr(caught.value)


def test_jwt_login_and_renewal_against_the_fake(fake: FakeWikiJS) -> None:
    auth = JWTAuth(fake.admin_email, fake.admin_password)
    with WikiJSClient(fake.url, auth=auth, transport=fake.sync_transport()) as c:
        first = c.pages.list(limit=1)
        token = auth.bearer_token()
        fake.clock.advance(45 * 60)  # past the 30-minute lifetime, still renewable
        c.pages.list(limit=1)
        assert auth.bearer_token() != token  # switched to the token from `new-jwt`
        assert auth.login_count == 1
        assert c.pages.list(limit=1) == first


def test_list_offset_and_limit_are_exact_despite_the_join_row_quirk(
    wiki: Any, fake: FakeWikiJS
) -> None:
    fake.seed_demo(pages=60)
    everything = [item.id for item in wiki.pages.list(order_by="id")]
    paged: list[int] = []
    for offset in range(0, len(everything), 8):
        paged += [item.id for item in wiki.pages.list(limit=8, offset=offset, order_by="id")]
    assert paged == everything


def test_iter_all_yields_every_page_in_id_order_with_content(
    wiki: Any, fake: FakeWikiJS, known_server: Any
) -> None:
    fake.seed_demo(pages=130)
    expected = sorted(wiki.pages.ids())
    known_server(wiki)
    fake.reset_log()
    pages = list(wiki.pages.iter_all(batch_size=50))
    assert [p.id for p in pages] == expected
    assert all(isinstance(p, Page) and p.content for p in pages)
    # one id list, then ceil(130 / 50) aliased batches
    assert len(graphql_requests(fake)) == 1 + 3


async def test_async_iter_all_and_filters(aclient: AsyncWikiJSClient, fake: FakeWikiJS) -> None:
    fake.seed_demo(pages=40)
    german = [p async for p in aclient.pages.iter_all(locale="de")]
    assert german
    assert all(p.locale == "de" for p in german)


def test_search_tags_tree_history_version_restore(wiki: Any) -> None:
    page = wiki.pages.create(title="Searchable zebra", path="zoo/zebra", content="v1", tags=["zoo"])
    assert [hit.path for hit in wiki.pages.search("zebra").results] == ["zoo/zebra"]
    assert "zoo" in [tag.tag for tag in wiki.pages.tags()]
    assert wiki.pages.search_tags("zo") == ["zoo"]
    assert any(item.path == "zoo" and item.is_folder for item in wiki.pages.tree(mode="all"))
    assert [item.tags for item in wiki.pages.get_by_tags(["zoo"])] == [["zoo"]]
    wiki.pages.update(page.id, content="v2")
    wiki.pages.update(page.id, content="v3")
    trail = list(wiki.pages.history(page.id, page_size=1))
    assert len(trail) >= 2
    oldest = trail[-1]
    version = wiki.pages.get_version(page.id, oldest.version_id)
    assert version.content in {"v1", "v2"}
    wiki.pages.restore(page.id, oldest.version_id)
    assert wiki.pages.get(page.id).content == version.content


def test_move_render_convert(wiki: Any) -> None:
    page = wiki.pages.create(title="Mover", path="move/mover", content="# Move me")
    wiki.pages.move(page.id, "moved/here")
    assert wiki.pages.get(page.id).path == "moved/here"
    wiki.pages.render(page.id)
    other = wiki.pages.create(title="Other", path="other/page", content="x")
    with pytest.raises(ConflictError):
        wiki.pages.move(other.id, "moved/here")


def test_get_many_120_ids_some_missing_in_3_requests(
    wiki: Any, fake: FakeWikiJS, known_server: Any
) -> None:
    fake.seed_demo(pages=110)
    ids = wiki.pages.ids()[:110] + list(range(900_001, 900_011))
    known_server(wiki)
    fake.reset_log()
    result = wiki.pages.get_many(ids)
    assert len(result.results) == 120
    assert [p.id for p in result.success] == ids[:110]
    assert [e.index for e in result.errors] == list(range(110, 120))
    assert all(isinstance(e.error, NotFoundError) for e in result.errors)
    assert len(graphql_requests(fake)) == 3


def test_create_many_with_3_collisions_creates_exactly_47(wiki: Any, fake: FakeWikiJS) -> None:
    for path in ("bulk/3", "bulk/17", "bulk/40"):
        wiki.pages.create(title="existing", path=path, content="already here")
    before = len(wiki.pages.ids())
    items = [{"title": f"Bulk {i}", "path": f"bulk/{i}", "content": f"# {i}"} for i in range(50)]
    result = wiki.pages.create_many(items)
    assert [e.index for e in result.errors] == [3, 17, 40]
    assert all(isinstance(e.error, ConflictError) for e in result.errors)
    assert [e.input for e in result.errors] == [items[3], items[17], items[40]]
    assert len(result.success) == 47
    assert len(wiki.pages.ids()) == before + 47


def test_same_path_twice_in_one_batch_is_one_page_and_one_conflict(
    wiki: Any,
) -> None:
    result = wiki.pages.create_many(
        [
            {"title": "First", "path": "twice/p", "content": "1"},
            {"title": "Second", "path": "twice/p", "content": "2"},
        ]
    )
    assert [p.title for p in result.success] == ["First"]
    assert [e.index for e in result.errors] == [1]
    assert isinstance(result.errors[0].error, ConflictError)
    assert len(wiki.pages.list(tags=None, locale="en")) >= 1
    assert wiki.pages.get_by_path("twice/p").title == "First"


@pytest.mark.parametrize("mode", ["alias", "array"])
def test_update_many_is_safe_and_partial(wiki: Any, mode: str) -> None:
    a = wiki.pages.create(title="A", path="many/a", content="a", tags=["x"], is_published=False)
    b = wiki.pages.create(title="B", path="many/b", content="b", tags=["y"])
    result = wiki.pages.update_many(
        [{"id": a.id, "title": "A2"}, (b.id, {"content": "b2"}), {"id": 999_999, "title": "nope"}],
        mode=mode,  # type: ignore[arg-type]
    )
    assert [p.id for p in result.success] == [a.id, b.id]
    assert isinstance(result.errors[0].error, NotFoundError)
    assert result.errors[0].index == 2
    a2, b2 = wiki.pages.get(a.id), wiki.pages.get(b.id)
    assert (a2.title, a2.content, a2.is_published, [t.tag for t in a2.tags]) == (
        "A2",
        "a",
        False,
        ["x"],
    )
    assert (b2.title, b2.content, [t.tag for t in b2.tags]) == ("B", "b2", ["y"])


def test_update_many_refuses_the_same_page_twice(wiki: Any) -> None:
    a = wiki.pages.create(title="A", path="twice/a", content="a")
    result = wiki.pages.update_many([{"id": a.id, "title": "1"}, {"id": a.id, "content": "2"}])
    assert len(result.success) == 1
    assert isinstance(result.errors[0].error, ValidationError)


async def test_async_batches_run_chunks_concurrently_in_order(
    aclient: AsyncWikiJSClient, fake: FakeWikiJS
) -> None:
    created = await aclient.pages.create_many(
        [{"title": f"C{i}", "path": f"conc/{i}", "content": "x"} for i in range(25)], chunk_size=4
    )
    created.raise_for_errors()
    ids = [p.id for p in created]
    fetched = await aclient.pages.get_many(list(reversed(ids)), chunk_size=3)
    assert [p.id for p in fetched] == list(reversed(ids))
    deleted = await aclient.pages.delete_many(ids)
    assert deleted.success == ids
