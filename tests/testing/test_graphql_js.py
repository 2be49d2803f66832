"""graphql-js 15's words, piece by piece (``wikijs/testing/_graphql_js.py``).

The answers as a whole are checked against a real Wiki.js in
``test_request_errors.py``; these are the parts no refused request there
reaches on its own.
"""

from __future__ import annotations

import pytest
from graphql import GraphQLError, OperationDefinitionNode, parse_value
from graphql import parse as core_parse

from wikijs.testing._graphql_js import (
    MAX_VARIABLE_ERRORS,
    TOO_MANY_ERRORS,
    coerce_variables,
    did_you_mean,
    js_print,
    parse,
    syntax_error,
)
from wikijs.testing._schema import executable_schema


@pytest.mark.parametrize(
    ("suggestions", "said"),
    [
        ([], ""),
        (["a"], ' Did you mean "a"?'),
        (["a", "b"], ' Did you mean "a" or "b"?'),
        (["a", "b", "c"], ' Did you mean "a", "b", or "c"?'),
        (list("abcdefg"), ' Did you mean "a", "b", "c", "d", or "e"?'),  # five at most
    ],
)
def test_did_you_mean(suggestions: list[str], said: str) -> None:
    assert did_you_mean(suggestions) == said


def test_did_you_mean_names_what_it_suggests() -> None:
    assert did_you_mean(["TITLE"], "the enum value") == ' Did you mean the enum value "TITLE"?'


@pytest.mark.parametrize(
    ("literal", "printed"),
    [
        (
            '{ a: 1 b: [true null $v] c: {d: "é\\n"} }',
            '{a: 1, b: [true, null, $v], c: {d: "é\\n"}}',
        ),
        ('"""one line"""', '"""one line"""'),
        ('"""two\n lines"""', '"""\n  two\n  lines\n"""'),
        ('""" leading space"""', '""" leading space"""'),
        ('"""ends in a quote"\n"""', '"""\n  ends in a quote"\n"""'),
        ("ENUM_VALUE", "ENUM_VALUE"),
        ("-1.5e3", "-1.5e3"),
    ],
)
def test_values_print_as_graphql_js_15_prints_them(literal: str, printed: str) -> None:
    assert js_print(parse_value(literal)) == printed


def _operation(query: str) -> OperationDefinitionNode:
    (operation,) = core_parse(query).definitions
    assert isinstance(operation, OperationDefinitionNode)
    return operation


def test_variable_errors_stop_at_fifty_as_in_graphql_js() -> None:
    operation = _operation("query ($t: [String!]) { pages { list(tags: $t) { id } } }")
    coerced, errors = coerce_variables(executable_schema(), operation, {"t": list(range(60))})
    assert errors[1].message == (
        'Variable "$t" got invalid value 1 at "t[1]"; String cannot represent a non string value: 1'
    )
    assert len(errors) == MAX_VARIABLE_ERRORS + 1
    assert errors[-1].message == TOO_MANY_ERRORS
    assert coerced == {}


def test_a_variable_of_no_input_type_is_named_even_past_validation() -> None:
    operation = _operation("query ($p: PageQuery, $n: Nope) { pages { list { id } } }")
    _, errors = coerce_variables(executable_schema(), operation, {"p": {}, "n": 1})
    assert [e.message for e in errors] == [
        'Variable "$p" expected value of type "PageQuery" which cannot be used as an input type.',
        'Variable "$n" expected value of type "Nope" which cannot be used as an input type.',
    ]


def test_coerced_values_are_what_graphql_js_would_run_with() -> None:
    operation = _operation(
        'query ($id: Int!, $t: [String!], $o: PageOrderBy, $s: String = "x") '
        "{ pages { single(id: $id) { id } list(tags: $t, orderBy: $o, locale: $s) { id } } }"
    )
    coerced, errors = coerce_variables(
        executable_schema(), operation, {"id": 3.0, "t": "one", "o": "TITLE"}
    )
    assert errors == []
    assert coerced == {"id": 3, "t": ["one"], "o": "TITLE"}  # $s is left to its default


def test_descriptions_on_operations_are_refused_as_graphql_js_15_refuses_them() -> None:
    with pytest.raises(GraphQLError) as caught:
        parse('"""d""" query { pages { list { id } } }')
    assert caught.value.message == 'Syntax Error: Unexpected Name "query".'
    assert [(loc.line, loc.column) for loc in caught.value.locations or ()] == [(1, 9)]


def test_an_error_without_a_source_is_left_as_it_is() -> None:
    error = GraphQLError("Syntax Error: Unexpected character: U+0007.")
    assert syntax_error(error) is error
