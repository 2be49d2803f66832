"""``client.<resource>.with_raw_response.<method>(...)``: the result and its HTTP exchanges."""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path
from typing import Any

import pytest

from wikijs import RawResponse, WikiJSClient
from wikijs.aio import AsyncWikiJSClient
from wikijs.auth import APIKeyAuth, JWTAuth
from wikijs.cache import MemoryCache
from wikijs.errors import NotFoundError
from wikijs.middleware import RetryStrategy
from wikijs.models import Page
from wikijs.testing import FakeWikiJS, Fault


def test_a_raw_get_shows_the_status_the_headers_and_the_page(wiki: Any, fake: FakeWikiJS) -> None:
    page = fake.add_page("raw/page", title="Raw")
    raw = wiki.pages.with_raw_response.get(page.id)
    assert isinstance(raw, RawResponse)
    assert isinstance(raw.parsed, Page)
    assert raw.parsed == wiki.pages.get(page.id)
    assert raw.status_code == 200
    assert raw.headers["Content-Type"].startswith("application/json")  # any case
    assert raw.elapsed > 0
    request = raw.request
    assert (request.method, request.url) == ("POST", f"{fake.url}/graphql")
    assert request.operation == "GetPage"
    assert request.variables == {"id": page.id}
    assert request.headers["Authorization"] == "***"
    assert fake.api_key not in repr(raw)
    assert len(raw.exchanges) == 1


def test_a_raw_response_shows_a_renewed_jwt_and_hides_it_from_its_repr(fake: FakeWikiJS) -> None:
    page = fake.add_page("renewed/page")
    auth = JWTAuth(fake.admin_email, fake.admin_password)
    with WikiJSClient(fake.url, auth=auth, transport=fake.sync_transport()) as client:
        client.pages.get(page.id)
        fake.clock.advance(45 * 60)  # past the token's lifetime, still renewable
        raw = client.pages.with_raw_response.get(page.id)
    renewed = raw.headers["new-jwt"]
    assert renewed == auth.bearer_token()
    assert raw.parsed.id == page.id
    assert renewed not in repr(raw)
    assert "'new-jwt': '***'" in repr(raw.headers)


async def test_the_async_client_shows_a_renewed_jwt_too(fake: FakeWikiJS) -> None:
    page = fake.add_page("renewed/page")
    auth = JWTAuth(fake.admin_email, fake.admin_password)
    async with AsyncWikiJSClient(fake.url, auth=auth, http_client=fake.aiohttp_session) as client:
        await client.pages.get(page.id)
        fake.clock.advance(45 * 60)
        raw = await client.pages.with_raw_response.get(page.id)
    assert raw.headers["new-jwt"] == auth.bearer_token()
    assert raw.parsed.id == page.id


def test_a_batch_shows_one_exchange_per_request(wiki: Any, fake: FakeWikiJS) -> None:
    ids = [fake.add_page(f"batch/page-{n}").id for n in range(5)]
    raw = wiki.pages.with_raw_response.get_many(ids, chunk_size=2)
    assert [page.id for page in raw.parsed.results] == ids
    assert len(raw.exchanges) == 3
    sent = [
        [(op.name, op.variables["id"]) for op in exchange.request.operations]
        for exchange in raw.exchanges
    ]
    assert sorted(pair for request in sent for pair in request) == [("GetPage", i) for i in ids]
    assert all(len(request) <= 2 for request in sent)
    assert all(e.request.operation.startswith("Batch[GetPage") for e in raw.exchanges)


def test_a_json_array_batch_shows_each_operation_it_carried(fake: FakeWikiJS) -> None:
    ids = [fake.add_page(f"array/page-{n}").id for n in range(3)]
    with WikiJSClient(
        fake.url, auth=fake.api_key, transport=fake.sync_transport(), batch_mode="array"
    ) as client:
        raw = client.pages.with_raw_response.get_many(ids)
    (exchange,) = raw.exchanges
    assert [(o.name, o.variables) for o in exchange.request.operations] == [
        ("GetPage", {"id": i}) for i in ids
    ]


async def test_the_async_accessor_names_its_client_and_refuses_what_it_lacks(
    fake: FakeWikiJS,
) -> None:
    async with AsyncWikiJSClient(fake.url, auth=fake.api_key) as client:
        raw = client.pages.with_raw_response
        assert repr(raw).startswith("<AsyncPagesWithRawResponse of AsyncWikiJSClient(")
        assert "iter_all" not in dir(raw)
        with pytest.raises(AttributeError, match="no method 'nothing'"):
            _ = raw.nothing  # type: ignore[attr-defined]
        assert raw.get is raw.get  # made once


def test_a_write_shows_every_request_it_made(wiki: Any, fake: FakeWikiJS) -> None:
    page = fake.add_page("written/page")
    raw = wiki.pages.with_raw_response.update(page.id, title="New title")
    assert raw.parsed.title == "New title"
    assert [e.request.operation for e in raw.exchanges] == ["GetPage", "UpdatePage", "GetPage"]
    assert raw.request.operation == "GetPage"  # the answer the result was read from


def test_secret_variables_and_credentials_are_masked(fake: FakeWikiJS) -> None:
    with WikiJSClient(fake.url, auth=fake.api_key, transport=fake.sync_transport()) as client:
        raw = client.users.with_raw_response.create(
            email="raw@example.com", name="Raw User", password="Secret-123!", groups=[1]
        )
    (create,) = [e.request for e in raw.exchanges if e.request.operation == "CreateUser"]
    assert create.variables["passwordRaw"] == "***"
    assert create.variables["email"] == "raw@example.com"
    assert "Secret-123!" not in repr(raw)
    assert fake.api_key not in repr(raw)


def test_retried_attempts_are_exchanges_of_their_own(fake: FakeWikiJS) -> None:
    page = fake.add_page("retried/page")
    policy = RetryStrategy(max_retries=2, sleep=lambda _: None)
    with WikiJSClient(
        fake.url, auth=fake.api_key, transport=fake.sync_transport(), retry_strategy=policy
    ) as client:
        client.pages.get(page.id)
        fake.faults.push(Fault.http(503, operation="GetPage", retry_after=0))
        raw = client.pages.with_raw_response.get(page.id)
    assert [(e.status_code, e.request.attempt) for e in raw.exchanges] == [(503, 1), (200, 2)]
    assert raw.exchanges[0].headers["retry-after"] == "0"


def test_a_raw_response_comes_from_the_server_and_refreshes_the_cache(fake: FakeWikiJS) -> None:
    page = fake.add_page("cached/page")
    with WikiJSClient(
        fake.url, auth=fake.api_key, transport=fake.sync_transport(), cache=MemoryCache()
    ) as client:
        client.pages.get(page.id)
        before = len(fake.requests)
        raw = client.pages.with_raw_response.get(page.id)  # not the cached answer
        assert raw.status_code == 200
        assert len(fake.requests) == before + 1
        client.pages.get(page.id)  # the fresh answer was stored
        assert len(fake.requests) == before + 1
        client.with_options(cache=False).pages.with_raw_response.get(page.id)
        assert len(fake.requests) == before + 2


def test_uploads_and_downloads_show_their_http_exchange(
    wiki: Any, fake: FakeWikiJS, tmp_path: Path
) -> None:
    source = tmp_path / "note.png"
    source.write_bytes(b"\x89PNG\r\n\x1a\nhello raw")
    uploaded = wiki.assets.with_raw_response.upload(file_path=str(source), folder="/")
    (upload,) = [e for e in uploaded.exchanges if e.request.operation == "UploadAsset"]
    assert (upload.request.method, upload.request.url) == ("POST", f"{fake.url}/u")
    assert upload.request.operations == ()
    downloaded = wiki.assets.with_raw_response.download(uploaded.parsed)
    assert downloaded.parsed == source.read_bytes()
    assert downloaded.request.method == "GET"
    assert downloaded.status_code == 200


def test_a_failed_raw_call_raises_as_the_method_does(wiki: Any) -> None:
    with pytest.raises(NotFoundError) as caught:
        wiki.pages.with_raw_response.get(999_999)
    assert caught.value.call == "pages.get(999999)"


def test_view_options_apply_to_raw_calls(fake: FakeWikiJS) -> None:
    page = fake.add_page("traced/page")
    with WikiJSClient(fake.url, auth=fake.api_key, transport=fake.sync_transport()) as client:
        traced = client.with_options(headers={"X-Trace": "t-1"})
        raw = traced.pages.with_raw_response.get_many([page.id])
    assert raw.request.headers["X-Trace"] == "t-1"


def test_a_call_that_sends_nothing_has_no_last_exchange(wiki: Any) -> None:
    raw = wiki.pages.with_raw_response.get_many([])
    assert raw.exchanges == ()
    with pytest.raises(LookupError, match="sent no HTTP request"):
        _ = raw.status_code


def test_lazy_iterators_have_no_raw_form(fake: FakeWikiJS) -> None:
    with WikiJSClient(fake.url, auth=fake.api_key) as client:
        raw = client.pages.with_raw_response
        with pytest.raises(AttributeError, match="as you iterate"):
            _ = raw.iter_all  # type: ignore[attr-defined]
        assert "iter_all" not in dir(raw)
        assert "get" in dir(raw)


def test_every_method_that_answers_once_has_a_raw_form() -> None:
    """The declared raw methods are the resources' own, with the same parameters."""
    import wikijs.resources as resources

    for name in resources.__all__:
        raw_class = getattr(resources, name)
        if not name.endswith("WithRawResponse"):
            continue
        resource = getattr(resources, name.removesuffix("WithRawResponse"))
        single = {
            attr
            for attr, value in vars(resource).items()
            if not attr.startswith("_")
            and inspect.isfunction(value)
            and not inspect.isgeneratorfunction(value)
            and not inspect.isasyncgenfunction(value)
            and (inspect.iscoroutinefunction(value) or not name.startswith("Async"))
        }
        assert raw_class._methods == single, name


def test_raw_calls_of_the_async_client_run_concurrently(fake: FakeWikiJS) -> None:
    ids = [fake.add_page(f"gathered/page-{n}").id for n in range(4)]

    async def run() -> list[Any]:
        async with AsyncWikiJSClient(
            fake.url, auth=APIKeyAuth(fake.api_key), http_client=fake.aiohttp_session
        ) as client:
            raw = client.pages.with_raw_response
            return list(await asyncio.gather(*(raw.get(i) for i in ids)))

    answers = asyncio.run(run())
    assert [a.parsed.id for a in answers] == ids
    assert [a.request.variables["id"] for a in answers] == ids  # each saw only its own


def test_a_raw_login_shows_its_exchange_with_credentials_masked(
    fake: FakeWikiJS, make_wiki: Any, login_slot: Any
) -> None:
    auth = JWTAuth(fake.admin_email, fake.admin_password)
    client = make_wiki(auth=auth)
    login_slot("login")
    traced = client.with_options(headers={"X-Trace": "login-1"})
    raw = traced.account.with_raw_response.login()
    assert raw.parsed is None
    (login,) = raw.exchanges
    assert (login.request.operation, login.status_code) == ("Login", 200)
    assert login.request.variables["password"] == "***"
    assert login.request.variables["username"] == fake.admin_email
    assert login.request.headers["X-Trace"] == "login-1"  # the view's settings reach the login
    token = auth.bearer_token()
    assert token is not None
    assert fake.admin_password not in repr(raw)
    assert token not in repr(raw)
    assert client.whoami().email == fake.admin_email  # the token is the client's


def test_raw_calls_without_credentials_send_none(make_wiki: Any) -> None:
    raw = make_wiki(auth=None).account.with_raw_response.forgot_password("nobody@example.com")
    assert raw.parsed is None
    assert raw.request.operation == "ForgotPassword"
    assert "Authorization" not in raw.request.headers


def test_the_admin_resources_answer_raw_too(wiki: Any) -> None:
    raw = wiki.mail.with_raw_response.config()
    assert raw.parsed == wiki.mail.config()
    assert (raw.request.operation, raw.status_code) == ("GetMailConfig", 200)
    engines = wiki.search.with_raw_response.engines()
    assert [e.key for e in engines.parsed] == [e.key for e in wiki.search.engines()]
    assert wiki.logging.with_raw_response.loggers().request.operation == "ListLoggers"


def test_a_view_remembers_asset_folders_into_its_clients_memory(
    wiki: Any, fake: FakeWikiJS, tmp_path: Path
) -> None:
    source = tmp_path / "deep.png"
    source.write_bytes(b"\x89PNG\r\n\x1a\ndeep")
    wiki.assets.ensure_folder("/shared/deep")
    asset = wiki.assets.upload(file_path=str(source), folder="/shared/deep")
    assert wiki.with_options(timeout=30).assets.download(asset) == source.read_bytes()
    fake.reset_log()
    assert wiki.with_options(timeout=31).assets.download(asset) == source.read_bytes()
    assert wiki.assets.download(asset) == source.read_bytes()
    walks = [r for r in fake.requests if "ListAssetFolders" in r.operation_names]
    assert walks == []
