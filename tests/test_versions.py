"""One SDK for Wiki.js 2.4.75 to 2.5.314: what an older server gets, and what it cannot.

The fake plays each release with that release's schema (``FakeWikiJS(version=…)``),
refusing what it lacks the way the real server does (HTTP 400,
GRAPHQL_VALIDATION_FAILED). The client learns from that refusal, or from the
version once it has read it.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from wikijs import QueryError, UnsupportedByServerError, WikiJSClient
from wikijs._protocol.compat import api_release, missing_from
from wikijs.aio import AsyncWikiJSClient
from wikijs.auth import JWTAuth
from wikijs.errors import GraphQLErrorDetail, NotFoundError
from wikijs.middleware import RetryStrategy
from wikijs.testing import FakeWikiJS, Fault
from wikijs.versions import OLDEST_SUPPORTED_VERSION, SCHEMA_VERSION, ServerVersionWarning

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.fake_only("plays older Wiki.js releases")


@pytest.fixture
def fake_of() -> Iterator[Any]:
    fakes: list[FakeWikiJS] = []

    def make(version: str) -> FakeWikiJS:
        fakes.append(FakeWikiJS(version=version))
        return fakes[-1]

    yield make
    for fake in fakes:
        fake.close()


def client_of(fake: FakeWikiJS, **kwargs: Any) -> WikiJSClient:
    return WikiJSClient(fake.url, auth=fake.api_key, transport=fake.sync_transport(), **kwargs)


def sent(fake: FakeWikiJS) -> list[tuple[tuple[str, ...], int]]:
    """(operations, status) of every GraphQL request so far."""
    return [(r.operation_names, r.status) for r in fake.requests if r.path == "/graphql"]


# -- the version ---------------------------------------------------------------------


def test_schema_version_is_the_committed_schemas() -> None:
    header = (ROOT / "schema" / "wikijs.graphql").read_text().splitlines()[0]
    assert header == f"# Wiki.js {SCHEMA_VERSION} GraphQL schema."
    assert OLDEST_SUPPORTED_VERSION == "2.4.75"


def test_versions_map_to_the_release_whose_api_they_serve() -> None:
    assert api_release("2.4.107") == "2.4.75"
    assert api_release("2.5.170") == "2.5.117"
    assert api_release("2.5.300") == api_release(SCHEMA_VERSION) == "2.5.297"
    assert api_release("2.3.81") is None


def test_the_fake_reports_the_version_it_plays(fake_of: Any) -> None:
    assert FakeWikiJS().version == SCHEMA_VERSION
    fake = fake_of("2.5.170")
    with client_of(fake) as client, pytest.warns(ServerVersionWarning):
        assert client.system.version() == fake.version == "2.5.170"


@pytest.mark.parametrize("version", ["2.3.81", "2.6.0", "latest"])
def test_the_fake_refuses_a_release_the_sdk_does_not_support(version: str) -> None:
    with pytest.raises(ValueError, match=f"FakeWikiJS can be Wiki.js 2.4.75 to {SCHEMA_VERSION}"):
        FakeWikiJS(version=version)


# -- reading what the server says it lacks ----------------------------------------------------


def _refusal(message: str, code: str = "GRAPHQL_VALIDATION_FAILED") -> GraphQLErrorDetail:
    return GraphQLErrorDetail(message, extension_code=code)


def test_the_refusals_of_graphql_js_14_and_15_both_name_what_is_missing() -> None:
    assert missing_from(
        [
            _refusal('Cannot query field "singleByPath" on type "PageQuery".'),
            _refusal('Unknown argument "scriptCss" on field "PageMutation.create".'),  # js 15
            _refusal('Unknown argument "scriptJs" on field "create" of type "PageMutation".'),
            _refusal('Unknown type "PageRuleInput".'),
        ]
    ) == {
        "PageQuery.singleByPath",
        "PageMutation.create(scriptCss:)",
        "PageMutation.create(scriptJs:)",
        "PageRuleInput",
    }


def test_any_other_error_is_not_about_the_version() -> None:
    assert (
        missing_from([_refusal('Cannot query field "x" on type "Y".', "INTERNAL_SERVER_ERROR")])
        is None
    )
    assert missing_from([_refusal('Syntax Error: Expected Name, found "}".')]) is None
    assert missing_from([]) is None


def test_the_fake_words_refusals_like_the_graphql_js_of_its_release(fake_of: Any) -> None:
    query = "mutation { pages { delete(id: 1, force: true) { responseResult { succeeded } } } }"
    for version, wording in (
        ("2.4.107", 'Unknown argument "force" on field "delete" of type "PageMutation".'),
        ("2.5.170", 'Unknown argument "force" on field "PageMutation.delete".'),
    ):
        answer = fake_of(version).handle(
            "POST", "/graphql", headers={"content-type": "application/json"},
            body=f'{{"query": "{query}"}}'.encode(),
        )  # fmt: skip
        assert answer.status == 400
        assert answer.json()["errors"][0]["message"] == wording


# -- what an older server gets ---------------------------------------------------------------


def test_an_older_wikijs_gets_each_operation_without_what_it_lacks(fake_of: Any) -> None:
    fake = fake_of("2.4.107")
    with client_of(fake) as client:
        page = client.pages.create(title="Old", path="docs/old", content="# Old")
        assert client.pages.get(page.id).script_css is None  # 2.4 has no page scripts
        assert sent(fake)[1:] == [
            (("CreatePage",), 400),  # refused: no scriptCss argument on 2.4
            (("CreatePage",), 200),  # the same without it
            (("GetPage",), 400),  # the read-back: no Page.scriptCss
            (("GetPage",), 200),
            (("GetPage",), 200),  # learned: straight to the form 2.4 runs
        ]
        fake.reset_log()
        client.pages.create(title="Again", path="docs/again", content="x")
        assert sent(fake) == [(("CreatePage",), 200), (("GetPage",), 200)]


async def test_the_async_client_learns_the_same(fake_of: Any) -> None:
    fake = fake_of("2.4.107")
    async with AsyncWikiJSClient(
        fake.url, auth=fake.api_key, transport=fake.async_transport()
    ) as client:
        page = await client.pages.create(title="Old", path="docs/old", content="# Old")
        user = await client.users.get(1)
        assert (page.title, user.tfa_is_active, user.provider_name) == ("Old", None, None)


def test_a_value_for_an_argument_the_server_lacks_is_refused_not_dropped(fake_of: Any) -> None:
    fake = fake_of("2.4.107")
    with client_of(fake) as client:
        with pytest.raises(UnsupportedByServerError) as raised:
            client.pages.create(title="T", path="docs/t", content="x", script_css="h1 {}")
        assert str(raised.value) == (
            "pages.create needs Wiki.js ≥ 2.5.105 for scriptCss; this server is older "
            "(it has no PageMutation.create(scriptCss:))"
        )
        assert fake.core.state.pages == {}


def test_an_empty_value_for_it_means_what_the_older_release_does(fake_of: Any) -> None:
    fake = fake_of("2.4.107")
    with client_of(fake) as client:
        page = client.pages.create(title="T", path="docs/t", content="x", script_css="")
        assert client.pages.update(page.id, title="T2").title == "T2"


def test_the_site_configuration_through_the_fields_the_older_schema_has(fake_of: Any) -> None:
    fake = fake_of("2.5.170")
    with client_of(fake) as client:
        config = client.site.config()
        assert config.title  # what 2.5.170 has is there
        assert (config.footer_override, config.page_extensions, config.edit_fab) == (None,) * 3
        assert client.site.update(title="Older wiki").title == "Older wiki"
        with pytest.raises(UnsupportedByServerError) as raised:
            client.site.update(footer_override="(c) us")
        assert raised.value.required_version == "2.5.297"
        assert raised.value.missing == ("SiteMutation.updateConfig(footerOverride:)",)


def test_get_by_path_goes_through_the_page_list_where_wikijs_cannot_look_it_up(
    fake_of: Any,
) -> None:
    fake = fake_of("2.5.170")
    page = fake.add_page("docs/start", title="Start")
    with client_of(fake) as client:
        assert client.pages.get_by_path("docs/start").id == page.id
        assert sent(fake)[1:] == [
            (("GetPageByPath",), 400),
            (("ListPages",), 200),
            (("GetPage",), 200),
        ]
        fake.reset_log()
        assert client.pages.get_by_path("/docs/start/").title == "Start"
        assert sent(fake) == [(("ListPages",), 200), (("GetPage",), 200)]
        with pytest.raises(NotFoundError) as missing:
            client.pages.get_by_path("docs/nowhere")
        assert str(missing.value) == "pages.get_by_path('docs/nowhere'): no page at en/docs/nowhere"


def test_creating_many_reads_them_back_on_an_older_wikijs(fake_of: Any) -> None:
    for mode in ("alias", "array"):
        fake = fake_of("2.4.107")
        with client_of(fake, batch_mode=mode) as client:
            result = client.pages.create_many(
                [{"title": f"P{i}", "path": f"docs/p{i}", "content": "x"} for i in range(3)]
            )
            assert [p.path for p in result.success] == ["docs/p0", "docs/p1", "docs/p2"], mode
            got = client.pages.get_many([1, 2, 99])
            assert [p.id for p in got.success] == [1, 2]
            assert [type(e.error) for e in got.errors] == [NotFoundError]


def test_logging_in_with_a_password_works_on_wikijs_2_4(fake_of: Any) -> None:
    fake = fake_of("2.4.107")
    auth = JWTAuth(fake.admin_email, fake.admin_password)
    with WikiJSClient(fake.url, auth=auth, transport=fake.sync_transport()) as client:
        assert client.whoami().email == fake.admin_email


# -- what an older server cannot do -----------------------------------------------------------


def test_an_operation_the_server_lacks_raises_saying_which_release_has_it(fake_of: Any) -> None:
    fake = fake_of("2.5.170")
    page = fake.add_page("docs/convert")
    with client_of(fake) as client:
        with pytest.raises(UnsupportedByServerError) as raised:
            client.pages.convert(page.id, "code")
        error = raised.value
        assert isinstance(error, QueryError)
        assert str(error) == (
            "pages.convert needs Wiki.js ≥ 2.5.201; this server is older "
            "(it has no PageMutation.convert)"
        )
        assert (error.required_version, error.server_version) == ("2.5.201", None)
        assert error.missing == ("PageMutation.convert",)
        assert error.operation == "ConvertPage"
        assert error.errors[0].extension_code == "GRAPHQL_VALIDATION_FAILED"
        fake.reset_log()
        with pytest.raises(UnsupportedByServerError):
            client.pages.convert(page.id, "code")
        assert fake.requests == []  # known: no round trip


def test_once_the_client_knows_the_version_it_says_so_and_asks_nothing(fake_of: Any) -> None:
    fake = fake_of("2.5.170")
    with client_of(fake) as client:
        with pytest.warns(ServerVersionWarning):
            client.system.version()
        fake.reset_log()
        with pytest.raises(UnsupportedByServerError) as raised:
            client.pages.convert(1, "code")
        assert str(raised.value) == "pages.convert needs Wiki.js ≥ 2.5.201; this server is 2.5.170"
        assert raised.value.server_version == "2.5.170"
        client.site.config()
        assert sent(fake) == [(("GetSiteConfig",), 200)]  # the 2.5.170 form at once


def test_a_document_of_the_users_own_is_left_alone(fake_of: Any) -> None:
    fake = fake_of("2.4.107")
    with client_of(fake) as client:
        with pytest.raises(QueryError) as raised:
            client.execute("query GetPage { pages { single(id: 1) { scriptCss } } }")
        assert not isinstance(raised.value, UnsupportedByServerError)


# -- the warning and the health report ----------------------------------------------------


def test_the_client_warns_once_when_the_server_has_another_api(fake_of: Any) -> None:
    fake = fake_of("2.5.170")
    with client_of(fake) as client, warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        client.system.version()
        client.system.info()
        client.health()
    assert [w.category for w in seen] == [ServerVersionWarning]
    message = str(seen[0].message)
    assert message.startswith(
        "Wiki.js 2.5.170 has an older API than 2.5.314, the release the SDK was generated from; "
        "4 operations raise UnsupportedByServerError: ConvertPage, GetExportStatus, "
        "GetPageByPath, StartExport; "
    )
    assert seen[0].filename == __file__  # it points at the call


@pytest.mark.parametrize("version", [SCHEMA_VERSION, "2.5.300"])
def test_a_release_with_the_sdks_api_gets_no_warning(version: str, fake_of: Any) -> None:
    fake = fake_of(version)
    with client_of(fake) as client, warnings.catch_warnings():
        warnings.simplefilter("error", ServerVersionWarning)
        report = client.health()
    assert report.same_api is True
    assert f"Wiki.js {version}," in report.summary()


def test_health_says_which_release_the_sdk_is_built_for(fake_of: Any) -> None:
    fake = fake_of("2.4.107")
    with client_of(fake) as client, pytest.warns(ServerVersionWarning):
        report = client.health()
    assert report.ok
    assert (report.version, report.schema_version, report.same_api) == (
        "2.4.107",
        SCHEMA_VERSION,
        False,
    )
    assert f"Wiki.js 2.4.107 (the SDK is built for {SCHEMA_VERSION})" in report.summary()


REBUILD_FAILURE = (
    'Error when running job rebuild-tree: insert into "pageTree" ("ancestors") values ($1) '
    '- duplicate key value violates unique constraint "pageTree_pkey"'
)


def test_creates_whose_answer_was_lost_are_found_by_path_through_the_list(fake_of: Any) -> None:
    fake = fake_of("2.5.170")  # no singleByPath: the read-back goes through the page list
    fake.faults.push(Fault.drop_after(operation="pages.create"))
    with client_of(
        fake, retry_strategy=RetryStrategy(max_retries=2, initial_delay=0, jitter=False)
    ) as client:
        result = client.pages.create_many(
            [{"title": f"P{i}", "path": f"docs/p{i}", "content": "x"} for i in range(3)],
            chunk_size=3,
            concurrency=1,
        )
    assert [p.path for p in result.success] == ["docs/p0", "docs/p1", "docs/p2"]
    creates = [r for r in fake.requests if "pages.create" in r.fields]
    assert len(creates) == 1  # found by path, not sent again
    by_path = [r.status for r in fake.requests if "pages.singleByPath" in r.fields]
    assert by_path == [400]  # refused once, then the page list
    assert ("ListPages",) in [r.operation_names for r in fake.requests]


def test_a_page_whose_tree_job_failed_is_read_back_by_path_through_the_list(
    fake_of: Any,
) -> None:
    fake = fake_of("2.5.170")
    fake.add_page("docs/landed", title="Landed", content="x")  # what the server wrote
    answer = {"responseResult": {"succeeded": False, "errorCode": 1, "slug": "Error",
                                 "message": REBUILD_FAILURE}, "page": None}  # fmt: skip
    body = json.dumps([{"data": {"pages": {"create": answer}}}])
    fake.faults.push(Fault.http(200, body=body, operation="pages.create"))
    with client_of(fake, batch_mode="array") as client:
        result = client.pages.create_many(
            [{"title": "Landed", "path": "docs/landed", "content": "x"}]
        )
    assert [p.title for p in result.success] == ["Landed"]
    assert ("ListPages",) in [r.operation_names for r in fake.requests]


def test_a_field_whose_type_changed_shape_makes_the_operation_unsupported(fake_of: Any) -> None:
    # before 2.5.105 AuthenticationStrategy.props was [String]: the server refuses the
    # selection inside it, which names no missing field, argument or type
    fake = fake_of("2.4.107")
    with client_of(fake) as client, pytest.raises(UnsupportedByServerError) as caught:
        client.authentication.strategies()
    assert caught.value.required_version == "2.5.105"
    assert "needs Wiki.js ≥ 2.5.105" in str(caught.value)
