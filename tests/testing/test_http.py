"""The HTTP surface: POST/GET GraphQL, batching, request errors, health and routing."""

# GraphQL documents read best on one line.
# ruff: noqa: E501

from __future__ import annotations

import json

import httpx
import pytest

from wikijs.testing import FakeWikiJS
from wikijs.testing._http import json_syntax_error

from .conftest import Caller


def test_get_query_works(fake: FakeWikiJS, gql: Caller) -> None:
    page = fake.add_page("docs/listed-by-get")
    response = gql.http.get(
        "/graphql", params={"query": "{ pages { list { id } } }"}, headers=gql.headers()
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert {"id": page.id} in response.json()["data"]["pages"]["list"]


def test_get_with_variables_and_operation_name(fake: FakeWikiJS, gql: Caller) -> None:
    page = fake.add_page("docs/get", title="Via GET")
    response = gql.http.get(
        "/graphql",
        params={
            "query": "query A($id: Int!) { pages { single(id: $id) { title } } } query B { pages { tags { id } } }",
            "variables": f'{{"id": {page.id}}}',
            "operationName": "A",
        },
        headers=gql.headers(),
    )
    assert response.json()["data"]["pages"]["single"]["title"] == "Via GET"
    assert fake.requests[-1].operation_names == ("A",)


def test_get_mutation_is_405(gql: Caller) -> None:
    response = gql.http.get(
        "/graphql",
        params={"query": "mutation { pages { flushCache { responseResult { succeeded } } } }"},
        headers=gql.headers(),
    )
    assert response.status_code == 405
    assert response.text == "GET supports only query operation"
    assert response.headers["allow"] == "POST"


def test_get_without_query_serves_playground_to_browsers(gql: Caller) -> None:
    browser = gql.http.get("/graphql", headers={"Accept": "text/html"})
    assert browser.status_code == 200
    assert browser.headers["content-type"] == "text/html"
    assert gql.http.get("/graphql").status_code == 400


def test_get_with_bad_variables_json_is_400(gql: Caller) -> None:
    response = gql.http.get(
        "/graphql", params={"query": "{ pages { tags { id } } }", "variables": "{"}
    )
    assert response.status_code == 400


def test_batch_array_returns_results_in_order(fake: FakeWikiJS, gql: Caller) -> None:
    page = fake.add_page("docs/batch", title="Batched")
    response = gql.http.post(
        "/graphql",
        json=[
            {
                "query": "query ($id: Int!) { pages { single(id: $id) { title } } }",
                "variables": {"id": page.id},
            },
            {"query": "{ pages { single(id: 999) { title } } }"},
            {"query": "{ pages { nope } }"},
            {"query": ""},
        ],
        headers=gql.headers(),
    )
    body = response.json()
    assert response.status_code == 200
    assert body[0] == {"data": {"pages": {"single": {"title": "Batched"}}}}
    assert body[1]["errors"][0]["message"] == "This page does not exist."
    assert body[2]["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert body[3] == {
        "errors": [
            {
                "message": "Must provide query string.",
                "extensions": {"code": "INTERNAL_SERVER_ERROR", "exception": {}},
            }
        ]
    }


@pytest.mark.parametrize("body", [b"[]", b"{}", b""], ids=["empty-batch", "empty-object", "empty"])
def test_a_body_without_keys_is_500_body_missing(gql: Caller, body: bytes) -> None:
    response = gql.http.post(
        "/graphql", content=body, headers={**gql.headers(), "Content-Type": "application/json"}
    )
    assert response.status_code == 500
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text == "POST body missing. Did you forget use body-parser middleware?"


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        ("{ pages { list { id } ", None, "GRAPHQL_PARSE_FAILED"),
        ("{ pages { single { id } } }", None, "GRAPHQL_VALIDATION_FAILED"),
        ("query ($id: Int!) { pages { single(id: $id) { id } } }", {"id": "abc"}, "BAD_USER_INPUT"),
    ],
)
def test_request_errors_are_400_with_codes(
    gql: Caller, query: str, variables: dict | None, code: str
) -> None:
    response = gql.post(query, variables)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": code, "exception": {}}
    assert "'" not in error["message"].replace("n't", "")


def test_unknown_operation_name_is_400(gql: Caller) -> None:
    response = gql.http.post(
        "/graphql",
        json={"query": "query A { pages { tags { id } } }", "operationName": "B"},
        headers=gql.headers(),
    )
    assert response.status_code == 400


def test_non_json_body_is_400_with_node_message(gql: Caller) -> None:
    response = gql.http.post(
        "/graphql",
        content=b"this is not json",
        headers={**gql.headers(), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "data": {},
        "errors": [{"message": "Unexpected token 't', \"#\" is not valid JSON", "path": []}],
    }


def test_json_syntax_messages() -> None:
    assert json_syntax_error("") == "Unexpected end of JSON input"
    assert json_syntax_error('{"a": ') == "Unexpected end of JSON input"
    assert json_syntax_error('{"a" 1}') == 'Unexpected token \'1\', "{\\"a\\" 1}" is not valid JSON'
    long_body = '{"query": "' + "x" * 50 + '" oops}'
    assert json_syntax_error(long_body).startswith("Unexpected token 'o', \"...")


def test_body_over_the_5mb_body_parser_limit_is_413(gql: Caller) -> None:
    big = b'{"query": "' + b"x" * (5 * 1024 * 1024 + 10) + b'"}'
    response = gql.http.post(
        "/graphql", content=big, headers={**gql.headers(), "Content-Type": "application/json"}
    )
    assert response.status_code == 413


def test_non_json_content_type_means_no_body(gql: Caller) -> None:
    response = gql.http.post("/graphql", content=b"query=x", headers={"Content-Type": "text/plain"})
    assert response.status_code == 500
    assert response.text == "POST body missing. Did you forget use body-parser middleware?"


def test_a_body_without_query_is_400(gql: Caller) -> None:
    response = gql.http.post("/graphql", json={"variables": {}}, headers=gql.headers())
    assert response.status_code == 400
    assert response.text == "Must provide query string."


def test_healthz_and_unknown_routes(fake: FakeWikiJS) -> None:
    assert fake.handle("GET", "/healthz").json() == {"ok": True}
    assert fake.handle("POST", "/nowhere").status == 404
    assert fake.handle("PUT", "/graphql").status == 405
    assert fake.handle("GET", "/some/page").status == 404


@pytest.mark.fake_only("a field the fake lacks is the fake's own failure")
def test_a_field_without_resolver_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from wikijs.testing import _schema
    from wikijs.testing._resolvers import build_registry

    registry = build_registry()
    del registry.resolvers["ThemingQuery"]["config"]
    monkeypatch.setattr(_schema, "build_registry", lambda: registry)
    _schema.executable_schema.cache_clear()
    try:
        with FakeWikiJS() as fake:
            query = {"query": "{ theming { config { theme } } pages { tags { id } } }"}
            body = fake.handle(
                "POST",
                "/graphql",
                body=json.dumps(query).encode(),
                headers={
                    "Authorization": f"Bearer {fake.api_key}",
                    "Content-Type": "application/json",
                },
            ).json()
    finally:
        _schema.executable_schema.cache_clear()
    assert body["errors"][0]["message"] == "ThemingQuery.config is not implemented by FakeWikiJS"
    assert body["data"]["pages"] == {"tags": []}


def test_every_namespace_field_of_the_schema_has_a_resolver() -> None:
    from graphql import GraphQLObjectType, build_schema

    from wikijs.testing._resolvers import build_registry
    from wikijs.testing._schema import load_sdl

    schema = build_schema(load_sdl())
    bound = build_registry().resolvers
    missing = set()
    for root in (schema.query_type, schema.mutation_type):
        assert root is not None
        for namespace in root.fields.values():
            kind = namespace.type
            assert isinstance(kind, GraphQLObjectType)
            missing |= {
                f"{kind.name}.{f}" for f in kind.fields if f not in bound.get(kind.name, {})
            }
    assert not missing


def test_aliases_fail_independently(fake: FakeWikiJS, gql: Caller) -> None:
    page = fake.add_page("docs/alias")
    body = gql(
        "query ($a: Int!, $b: Int!) { a: pages { single(id: $a) { id } } b: pages { single(id: $b) { id } } }",
        {"a": page.id, "b": 999},
    )
    assert body["data"] == {"a": {"single": {"id": page.id}}, "b": {"single": None}}
    assert body["errors"][0]["path"] == ["b", "single"]


def test_request_log_counts_round_trips(fake: FakeWikiJS, gql: Caller) -> None:
    gql("query Named { pages { list { id } tags { id } } }")
    gql("mutation { pages { flushCache { responseResult { succeeded } } } }")
    first, second = fake.requests
    assert first.operation_names == ("Named",)
    assert first.fields == ("pages.list", "pages.tags")
    assert first.status == 200
    assert second.fields == ("pages.flushCache",)
    fake.reset_log()
    assert fake.requests == []


def test_handle_accepts_dict_headers_and_chunk_iterables(fake: FakeWikiJS) -> None:
    response = fake.handle(
        "POST",
        "/graphql",
        headers={"Content-Type": "application/json"},
        body=iter([b'{"query": "{ pages', b' { tags { id } } }"}']),
    )
    assert response.json() == {"data": {"pages": {"tags": []}}}


async def test_async_transport_round_trip(fake: FakeWikiJS) -> None:
    async with httpx.AsyncClient(base_url=fake.url, transport=fake.async_transport()) as client:
        response = await client.post(
            "/graphql",
            json={"query": "{ users { profile { id } } }"},
            headers={"Authorization": f"Bearer {fake.api_key}"},
        )
    assert response.json() == {"data": {"users": {"profile": {"id": 1}}}}
