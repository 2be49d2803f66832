"""What an operation is, read once from its AST (pure: no I/O)."""

from __future__ import annotations

import pytest

from wikijs._facts import IDEMPOTENT_MUTATIONS
from wikijs._generated.operations import OPERATIONS
from wikijs._protocol.batch import build_batch
from wikijs._protocol.operation import Operation, combine, describe

DELETE = "mutation Delete($id: Int!) { pages { delete(id: $id) { responseResult { succeeded } } } }"


@pytest.mark.parametrize(
    "document",
    [
        DELETE,
        "# remove the draft\n" + DELETE,
        "\ufeff  \n\n" + DELETE,
        "fragment R on DefaultResponse { succeeded }\n"
        "mutation Delete($id: Int!) { pages { delete(id: $id) { responseResult { ...R } } } }",
        '"""described"""\n' + DELETE.replace("mutation Delete", "mutation"),
    ],
    ids=["plain", "comment-first", "bom-and-blank-lines", "fragment-first", "string-first"],
)
def test_a_mutation_is_a_mutation_whatever_comes_before_it(document: str) -> None:
    facts = describe(document, "Delete")
    assert facts.kind == "mutation"
    if document.startswith('"""') and not _parses_described_operations():
        # graphql-core before 3.2.10 refuses a description on an operation (so does
        # Wiki.js's graphql-js 15): an opaque write, never repeated.
        assert not facts.parsed
        assert not facts.idempotent
        return
    assert facts.parsed
    assert facts.idempotent


def _parses_described_operations() -> bool:
    from graphql import GraphQLError, parse

    try:
        parse('"""d""" query { a }')
    except GraphQLError:
        return False
    return True


def test_a_document_that_does_not_parse_is_treated_as_a_write() -> None:
    facts = describe("mutation { pages { delete(id: 1) { ", "")
    assert not facts.parsed
    assert facts.kind == "mutation"
    assert not facts.idempotent
    assert facts.opaque


def test_the_operation_named_by_operation_name_decides_the_kind() -> None:
    document = "query List { pages { list { id } } }\n" + DELETE
    assert describe(document, "List").kind == "query"
    assert describe(document, "Delete").kind == "mutation"
    assert describe(document, "Delete").name == "Delete"


def test_several_operations_and_none_chosen_count_as_a_write() -> None:
    document = "query List { pages { list { id } } }\n" + DELETE
    facts = describe(document, "")
    assert facts.kind == "mutation"
    assert facts.opaque
    assert not facts.idempotent


def test_a_query_that_starts_with_the_word_mutation_in_a_comment_is_a_query() -> None:
    facts = describe("# mutation M { x }\nquery { pages { list { id } } }", "")
    assert facts.kind == "query"
    assert facts.idempotent


def test_secret_arguments_are_found_by_what_the_operation_is() -> None:
    change = OPERATIONS["ChangePassword"].document
    assert describe(change, "ChangePassword").secret_variables == {"current", "new"}
    login = OPERATIONS["Login"].document
    assert "password" in describe(login, "Login").secret_variables
    renamed = (
        "mutation ($a: String!, $b: String!) "
        "{ users { changePassword(current: $a, new: $b) { jwt } } }"
    )
    assert describe(renamed, "").secret_variables == {"a", "b"}


def test_secret_arguments_inside_a_fragment_on_a_namespace_are_found() -> None:
    document = (
        "fragment C on UserMutation { changePassword(current: $x, new: $y) { jwt } }\n"
        "mutation ($x: String!, $y: String!) { users { ...C } }"
    )
    assert describe(document, "").secret_variables == {"x", "y"}


def test_provider_settings_that_hold_api_keys_are_secret() -> None:
    document = (
        "mutation ($s: [AuthenticationStrategyInput]!) "
        "{ authentication { updateStrategies(strategies: $s) { responseResult { succeeded } } } }"
    )
    assert describe(document, "").secret_variables == {"s"}


def test_an_aliased_batch_keeps_each_fields_facts() -> None:
    update = OPERATIONS["UpdatePage"].document
    request = build_batch([(update, {"id": 1}), (update, {"id": 2})])
    facts = describe(request.document, "Batch[UpdatePage x2]")
    assert facts.kind == "mutation"
    assert facts.idempotent
    assert [use.qualified for use in facts.fields] == ["pages.update", "pages.update"]


def test_a_json_array_batch_combines_its_members() -> None:
    delete = Operation("DeletePage", OPERATIONS["DeletePage"].document, {"id": 1})
    create = Operation("CreatePage", OPERATIONS["CreatePage"].document, {})
    assert combine("b", [delete.facts, delete.facts]).idempotent
    assert not combine("b", [delete.facts, create.facts]).idempotent


def test_operations_read_their_facts_from_the_document() -> None:
    operation = Operation("Delete", "# first a comment\n" + DELETE, {"id": 1})
    assert operation.kind == "mutation"
    assert operation.facts is describe("# first a comment\n" + DELETE, "Delete")


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_every_generated_operation_has_an_idempotency_fact(name: str) -> None:
    spec = OPERATIONS[name]
    facts = describe(spec.document, name)
    assert facts.kind == spec.kind
    if spec.kind != "mutation":
        assert facts.idempotent
    else:
        expected = all(use.qualified in IDEMPOTENT_MUTATIONS for use in facts.fields)
        assert facts.idempotent is expected


@pytest.mark.parametrize(
    ("name", "idempotent"),
    [
        ("CreatePage", False),
        ("UpdatePage", True),
        ("DeletePage", True),
        ("MovePage", True),
        ("CreateUser", False),
        ("UpdateUser", True),
        ("CreateGroup", False),
        ("UpdateGroup", True),
        ("ChangePassword", False),
    ],
)
def test_the_idempotency_table(name: str, idempotent: bool) -> None:
    assert describe(OPERATIONS[name].document, name).idempotent is idempotent


def test_the_documented_table_matches_the_facts() -> None:
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "resilience.md").read_text()
    cells = [[cell.strip(" `*") for cell in line.split("|")[1:-1]] for line in text.splitlines()]
    documented = {
        row[0]: row[2] == "yes" for row in cells if len(row) == 4 and row[2] in ("yes", "no")
    }
    mutations = {name for name, spec in OPERATIONS.items() if spec.kind == "mutation"}
    assert set(documented) == mutations
    for name, idempotent in documented.items():
        assert describe(OPERATIONS[name].document, name).idempotent is idempotent, name
