"""The pure batch builder: merge N operations into one aliased document, split back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLSchema, build_schema, parse, validate
from hypothesis import given, settings
from hypothesis import strategies as st

from wikijs._generated.operations import (
    CREATE_PAGE,
    DELETE_PAGE,
    GET_PAGE,
    GET_PAGE_BY_PATH,
    LIST_PAGES,
)
from wikijs._protocol.batch import build_batch, plan_batch, split_batch
from wikijs.errors import ValidationError

SDL = (Path(__file__).parents[2] / "schema" / "wikijs.graphql").read_text()


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    return build_schema(SDL)


def test_merged_document_is_valid_against_the_schema(schema: GraphQLSchema) -> None:
    request = build_batch([(GET_PAGE.document, {"id": 1}), (GET_PAGE.document, {"id": 2})])
    assert validate(schema, parse(request.document)) == []
    assert request.variables == {"b0_id": 1, "b1_id": 2}
    assert "b0_pages: pages" in request.document
    assert "b1_pages: pages" in request.document


def test_shared_fragments_are_emitted_once() -> None:
    request = build_batch([(GET_PAGE.document, {"id": i}) for i in range(1, 6)])
    assert request.document.count("fragment Page on Page") == 1
    assert request.document.count("fragment PageTag on PageTag") == 1


def test_different_operations_of_one_kind_merge(schema: GraphQLSchema) -> None:
    request = build_batch(
        [
            (GET_PAGE.document, {"id": 3}),
            (GET_PAGE_BY_PATH.document, {"path": "a/b", "locale": "en"}),
            (LIST_PAGES.document, {"limit": 2}),
        ]
    )
    assert validate(schema, parse(request.document)) == []
    assert request.variables == {"b0_id": 3, "b1_path": "a/b", "b1_locale": "en", "b2_limit": 2}


def test_mutations_merge_into_one_mutation(schema: GraphQLSchema) -> None:
    request = build_batch([(DELETE_PAGE.document, {"id": 1}), (DELETE_PAGE.document, {"id": 2})])
    assert request.plan.kind == "mutation"
    assert request.document.startswith("mutation Batch(")
    assert validate(schema, parse(request.document)) == []


def test_queries_and_mutations_do_not_mix() -> None:
    with pytest.raises(ValidationError):
        build_batch([(GET_PAGE.document, {"id": 1}), (DELETE_PAGE.document, {"id": 1})])


def test_unknown_variable_is_refused() -> None:
    with pytest.raises(ValidationError):
        build_batch([(GET_PAGE.document, {"nope": 1})])


def test_empty_batch_is_refused() -> None:
    with pytest.raises(ValidationError):
        plan_batch(())


def test_fragments_using_variables_are_refused() -> None:
    document = (
        "query Q($id: Int!) { pages { ...F } } fragment F on PageQuery { single(id: $id) { id } }"
    )
    with pytest.raises(ValidationError):
        build_batch([(document, {"id": 1})])


def test_same_shape_reuses_the_plan() -> None:
    first = build_batch([(GET_PAGE.document, {"id": 1})] * 3)
    second = build_batch([(GET_PAGE.document, {"id": 9})] * 3)
    assert first.plan is second.plan


def test_split_hands_each_operation_its_data_and_errors() -> None:
    plan = build_batch([(GET_PAGE.document, {"id": 1}), (GET_PAGE.document, {"id": 2})]).plan
    data = {"b0_pages": {"single": {"id": 1}}, "b1_pages": {"single": None}}
    errors = [{"message": "This page does not exist.", "path": ["b1_pages", "single"]}]
    (data0, errors0), (data1, errors1) = split_batch(plan, data, errors)
    assert data0 == {"pages": {"single": {"id": 1}}}
    assert errors0 == []
    assert data1 == {"pages": {"single": None}}
    assert errors1 == [{"message": "This page does not exist.", "path": ["pages", "single"]}]


def test_errors_without_an_alias_path_concern_everyone() -> None:
    plan = build_batch([(GET_PAGE.document, {"id": 1}), (GET_PAGE.document, {"id": 2})]).plan
    errors = [{"message": "API Key is invalid or was revoked.", "path": []}]
    parts = split_batch(plan, {}, errors)
    assert all(part_errors == errors for _, part_errors in parts)


# -- properties --------------------------------------------------------------

graphql_like = st.text(
    alphabet=st.sampled_from(
        [*'{}()[]$:!"\\ \n#@.,query mutation fragment on ', "\u00e9", "\u4e2d", "\U0001f600"]
    ),
    max_size=40,
)
values = st.one_of(
    graphql_like,
    st.text(max_size=30),
    st.integers(min_value=-(2**31), max_value=2**31 - 1),
    st.booleans(),
    st.none(),
    st.lists(graphql_like, max_size=4),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(graphql_like, graphql_like, st.lists(graphql_like, max_size=3)),
        min_size=1,
        max_size=12,
    )
)
def test_values_travel_only_as_variables(items: list[tuple[str, str, list[str]]]) -> None:
    operations: list[tuple[str, dict[str, Any]]] = []
    for title, content, tags in items:
        operations.append(
            (
                CREATE_PAGE.document,
                {
                    "title": title,
                    "content": content,
                    "tags": tags,
                    "path": "p",
                    "description": "",
                    "editor": "markdown",
                    "isPublished": True,
                    "isPrivate": False,
                    "locale": "en",
                },
            )
        )
    request = build_batch(operations)
    # the document does not depend on the values at all
    assert request.document == plan_batch((CREATE_PAGE.document,) * len(items)).document
    for index, (title, content, tags) in enumerate(items):
        assert request.variables[f"b{index}_title"] == title
        assert request.variables[f"b{index}_content"] == content
        assert request.variables[f"b{index}_tags"] == tags


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=1, max_value=10_000), st.booleans()),
        min_size=1,
        max_size=60,
    ),
    st.lists(values, max_size=3),
)
def test_split_is_the_inverse_of_merge(items: list[tuple[int, bool]], noise: list[Any]) -> None:
    plan = build_batch([(GET_PAGE.document, {"id": page_id}) for page_id, _ in items]).plan
    data: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    for index, (page_id, missing) in enumerate(items):
        alias = f"b{index}_pages"
        data[alias] = {"single": None if missing else {"id": page_id, "noise": noise}}
        if missing:
            errors.append({"message": f"missing {page_id}", "path": [alias, "single"]})
    parts = split_batch(plan, data, errors)
    assert len(parts) == len(items)
    for (page_id, missing), (part_data, part_errors) in zip(items, parts, strict=True):
        assert part_data is not None
        if missing:
            assert part_data == {"pages": {"single": None}}
            assert part_errors == [{"message": f"missing {page_id}", "path": ["pages", "single"]}]
        else:
            assert part_data == {"pages": {"single": {"id": page_id, "noise": noise}}}
            assert part_errors == []
