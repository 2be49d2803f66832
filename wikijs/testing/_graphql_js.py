"""graphql-js 15.3 (what Wiki.js 2.5 runs) where graphql-core words or orders things its own way.

graphql-core follows graphql-js: 3.2 words its request errors like graphql-js
16, 3.3 like graphql-js 17 (``Argument "PageQuery.single(id:)" of type "Int!"
is required…``, ``Variable "$id" has invalid value: …``) and reports unused
variables earlier. The fake answers as Wiki.js 2.5.314 does whatever
graphql-core is installed, so what differs is written here after graphql-js
15.3's own code (``validation/rules``, ``execution/values.js``,
``utilities/coerceInputValue.js``, ``type/scalars.js``):

* :data:`VALIDATION_RULES`: graphql-js 15's specified rules in its order.
  graphql-core's implementations, except the rules whose words or timing
  changed between graphql-core releases, which are below.
* :func:`coerce_variables`: the variables' errors, worded as graphql-js 15
  does (values printed by its ``inspect``: ``true``, ``null``, ``{ a: 1 }``).
* :func:`parse`: graphql-core's parser, refusing a description on an
  operation or fragment as graphql-js 15 does (graphql-core reads one since
  3.2.10), and :func:`syntax_error`: graphql-js 15's words for the syntax
  errors graphql-core words differently.

Checked against a real Wiki.js 2.5.314 by ``tests/testing/test_request_errors.py``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, cast

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    EnumValueNode,
    FieldNode,
    FloatValueNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    IntValueNode,
    ListValueNode,
    NullValueNode,
    ObjectFieldNode,
    ObjectValueNode,
    OperationDefinitionNode,
    StringValueNode,
    ValidationRule,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_input_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_required_argument,
    is_required_input_field,
    print_ast,
    type_from_ast,
)
from graphql import validation as rules
from graphql.language import (
    SKIP,
    DocumentNode,
    ExecutableDefinitionNode,
    Lexer,
    Source,
    TokenKind,
)
from graphql.language import parse as parse_document
from graphql.language.lexer import is_punctuator_token_kind
from graphql.pyutils import suggestion_list
from graphql.validation import ASTValidationRule

from ._errors import js_inspect

MAX_INT = 2_147_483_647
MIN_INT = -2_147_483_648
MAX_VARIABLE_ERRORS = 50  # graphql-js's execute() passes maxErrors: 50
TOO_MANY_ERRORS = "Too many errors processing variables, error limit reached. Execution aborted."


# -- printing ---------------------------------------------------------------------


def did_you_mean(suggestions: Sequence[str], sub_message: str | None = None) -> str:
    """graphql-js's ``didYouMean``: `` Did you mean "a", "b", or "c"?`` (five at most)."""
    quoted = [f'"{s}"' for s in suggestions]
    if not quoted:
        return ""
    message = " Did you mean " + (f"{sub_message} " if sub_message else "")
    if len(quoted) == 1:
        return f"{message}{quoted[0]}?"
    if len(quoted) == 2:
        return f"{message}{quoted[0]} or {quoted[1]}?"
    selected = quoted[:5]
    return f"{message}{', '.join(selected[:-1])}, or {selected[-1]}?"


def js_print(node: ValueNode) -> str:
    """graphql-js 15's ``print()`` of a value literal (``{a: 1}``, ``[1, 2]``, ``"s"``)."""
    if isinstance(node, IntValueNode | FloatValueNode | EnumValueNode):
        return node.value
    if isinstance(node, StringValueNode):
        return _block_string(node.value) if node.block else _json_string(node.value)
    if isinstance(node, BooleanValueNode):
        return "true" if node.value else "false"
    if isinstance(node, NullValueNode):
        return "null"
    if isinstance(node, VariableNode):
        return f"${node.name.value}"
    if isinstance(node, ListValueNode):
        return "[" + ", ".join(js_print(v) for v in node.values) + "]"
    if isinstance(node, ObjectValueNode):
        return "{" + ", ".join(f"{f.name.value}: {js_print(f.value)}" for f in node.fields) + "}"
    return print_ast(node)  # pragma: no cover - every value node is handled above


def _json_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _block_string(value: str) -> str:
    """``printBlockString(value, "  ")``: how graphql-js 15 prints a block string value."""
    single_line = "\n" not in value
    leading_space = value[:1] in (" ", "\t")
    multiple_lines = not single_line or value.endswith(('"', "\\"))
    result = ""
    if multiple_lines and not (single_line and leading_space):
        result += "\n  "
    result += value.replace("\n", "\n  ")
    if multiple_lines:
        result += "\n"
    return '"""' + result.replace('"""', '\\"""') + '"""'


# -- validation rules whose words or timing differ between graphql-core releases ----


class _ValuesOfCorrectType(ValidationRule):
    """graphql-js 15's ``ValuesOfCorrectTypeRule``."""

    def enter_list_value(self, node: ListValueNode, *_args: Any) -> Any:
        # TypeInfo steps into a list's item type: the parent tells whether it is a list.
        parent: Any = self.context.get_parent_input_type()
        if not is_list_type(get_nullable_type(parent)):
            # graphql-js 15's TypeInfo gives a list where a list is not expected the type
            # expected there (graphql-core 3.3's gives none).
            self._check_value(node, get_nullable_type(parent))
            return SKIP
        return None

    def enter_object_value(self, node: ObjectValueNode, *_args: Any) -> Any:
        type_ = get_named_type(self.context.get_input_type())
        if not isinstance(type_, GraphQLInputObjectType):
            self._check_value(node)
            return SKIP
        given = {field.name.value for field in node.fields}
        for name, field in type_.fields.items():
            if name not in given and is_required_input_field(field):
                self.report_error(
                    GraphQLError(
                        f'Field "{type_.name}.{name}" of required type "{field.type}" '
                        "was not provided.",
                        node,
                    )
                )
        return None

    def enter_object_field(self, node: ObjectFieldNode, *_args: Any) -> None:
        parent = get_named_type(self.context.get_parent_input_type())
        if self.context.get_input_type() is None and isinstance(parent, GraphQLInputObjectType):
            suggestions = suggestion_list(node.name.value, list(parent.fields))
            self.report_error(
                GraphQLError(
                    f'Field "{node.name.value}" is not defined by type "{parent.name}".'
                    + did_you_mean(suggestions),
                    node,
                )
            )

    def enter_null_value(self, node: NullValueNode, *_args: Any) -> None:
        type_ = self.context.get_input_type()
        if is_non_null_type(type_):
            self.report_error(
                GraphQLError(f'Expected value of type "{type_}", found {js_print(node)}.', node)
            )

    def enter_enum_value(self, node: EnumValueNode, *_args: Any) -> None:
        self._check_value(node)

    def enter_int_value(self, node: IntValueNode, *_args: Any) -> None:
        self._check_value(node)

    def enter_float_value(self, node: FloatValueNode, *_args: Any) -> None:
        self._check_value(node)

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        self._check_value(node)

    def enter_boolean_value(self, node: BooleanValueNode, *_args: Any) -> None:
        self._check_value(node)

    def _check_value(self, node: ValueNode, location_type: Any = None) -> None:
        location_type = location_type or self.context.get_input_type()
        if location_type is None:
            return
        type_ = get_named_type(location_type)
        if not is_leaf_type(type_):
            self.report_error(
                GraphQLError(
                    f'Expected value of type "{location_type}", found {js_print(node)}.', node
                )
            )
            return
        problem = _literal_problem(type_, node)
        if problem is not None:
            self.report_error(GraphQLError(problem, node))


def _literal_problem(type_: Any, node: ValueNode) -> str | None:
    """What ``type.parseLiteral(node)`` throws in graphql-js 15, or ``None``."""
    if isinstance(type_, GraphQLEnumType):
        if not isinstance(node, EnumValueNode):
            shown = js_print(node)
            return f'Enum "{type_.name}" cannot represent non-enum value: {shown}.' + _enum_hint(
                type_, shown
            )
        if node.value not in type_.values:
            return f'Value "{node.value}" does not exist in "{type_.name}" enum.' + _enum_hint(
                type_, node.value
            )
        return None
    name = type_.name
    if name == "Int":
        if not isinstance(node, IntValueNode):
            return f"Int cannot represent non-integer value: {js_print(node)}"
        if not MIN_INT <= int(node.value) <= MAX_INT:
            return f"Int cannot represent non 32-bit signed integer value: {node.value}"
    elif name == "String":
        if not isinstance(node, StringValueNode):
            return f"String cannot represent a non string value: {js_print(node)}"
    elif name == "Boolean":
        if not isinstance(node, BooleanValueNode):
            return f"Boolean cannot represent a non boolean value: {js_print(node)}"
    # No Wiki.js release uses Float or ID; its own scalars (Date, JSON…) take any
    # literal, as graphql-tools' defaults do.
    return None


def _enum_hint(type_: GraphQLEnumType, shown: str) -> str:
    return did_you_mean(suggestion_list(shown, list(type_.values)), "the enum value")


class _ProvidedRequiredArguments(ValidationRule):
    """graphql-js 15's ``ProvidedRequiredArgumentsRule`` (with its directive half)."""

    def leave_field(self, node: FieldNode, *_args: Any) -> None:
        field = self.context.get_field_def()
        if field is None:
            return
        given = {arg.name.value for arg in node.arguments or ()}
        for name, arg in field.args.items():
            if name not in given and is_required_argument(arg):
                self.report_error(
                    GraphQLError(
                        f'Field "{node.name.value}" argument "{name}" of type "{arg.type}" '
                        "is required, but it was not provided.",
                        node,
                    )
                )

    def leave_directive(self, node: DirectiveNode, *_args: Any) -> None:
        schema = self.context.schema
        directive = schema.get_directive(node.name.value) if schema else None
        if directive is None:
            return
        given = {arg.name.value for arg in node.arguments or ()}
        for name, arg in directive.args.items():
            if name not in given and is_required_argument(arg):
                self.report_error(
                    GraphQLError(
                        f'Directive "@{directive.name}" argument "{name}" of type "{arg.type}" '
                        "is required, but it was not provided.",
                        node,
                    )
                )


class _NoUndefinedVariables(ValidationRule):
    """graphql-js 15's ``NoUndefinedVariablesRule``: reported as the operation is left."""

    def __init__(self, context: Any) -> None:
        super().__init__(context)
        self._defined: set[str] = set()

    def enter_operation_definition(self, *_args: Any) -> None:
        self._defined = set()

    def enter_variable_definition(self, node: VariableDefinitionNode, *_args: Any) -> None:
        self._defined.add(node.variable.name.value)

    def leave_operation_definition(self, operation: OperationDefinitionNode, *_args: Any) -> None:
        for usage in self.context.get_recursive_variable_usages(operation):
            name = usage.node.name.value
            if name not in self._defined:
                self.report_error(
                    GraphQLError(
                        f'Variable "${name}" is not defined by operation "{operation.name.value}".'
                        if operation.name
                        else f'Variable "${name}" is not defined.',
                        [usage.node, operation],
                    )
                )


class _NoUnusedVariables(ValidationRule):
    """graphql-js 15's ``NoUnusedVariablesRule``: reported as the operation is left."""

    def __init__(self, context: Any) -> None:
        super().__init__(context)
        self._definitions: list[VariableDefinitionNode] = []

    def enter_operation_definition(self, *_args: Any) -> None:
        self._definitions = []

    def enter_variable_definition(self, node: VariableDefinitionNode, *_args: Any) -> None:
        self._definitions.append(node)

    def leave_operation_definition(self, operation: OperationDefinitionNode, *_args: Any) -> None:
        used = {u.node.name.value for u in self.context.get_recursive_variable_usages(operation)}
        for definition in self._definitions:
            name = definition.variable.name.value
            if name not in used:
                self.report_error(
                    GraphQLError(
                        f'Variable "${name}" is never used in operation "{operation.name.value}".'
                        if operation.name
                        else f'Variable "${name}" is never used.',
                        definition,
                    )
                )


_LOCATION = re.compile(r"^(Directive '@\w+' may not be used on )(\w+)\.$")


class _KnownDirectives(rules.KnownDirectivesRule):
    """graphql-core names a directive location in lower case; graphql-js as declared (``FIELD``)."""

    def report_error(self, error: GraphQLError) -> None:
        error.message = _LOCATION.sub(lambda m: f"{m[1]}{m[2].upper()}.", error.message)
        super().report_error(error)


#: graphql-js 15.3's ``specifiedRules``, in its order (the order errors come in).
VALIDATION_RULES: tuple[type[ASTValidationRule], ...] = (
    rules.ExecutableDefinitionsRule,
    rules.UniqueOperationNamesRule,
    rules.LoneAnonymousOperationRule,
    rules.SingleFieldSubscriptionsRule,
    rules.KnownTypeNamesRule,
    rules.FragmentsOnCompositeTypesRule,
    rules.VariablesAreInputTypesRule,
    rules.ScalarLeafsRule,
    rules.FieldsOnCorrectTypeRule,
    rules.UniqueFragmentNamesRule,
    rules.KnownFragmentNamesRule,
    rules.NoUnusedFragmentsRule,
    rules.PossibleFragmentSpreadsRule,
    rules.NoFragmentCyclesRule,
    rules.UniqueVariableNamesRule,
    _NoUndefinedVariables,
    _NoUnusedVariables,
    _KnownDirectives,
    rules.UniqueDirectivesPerLocationRule,
    rules.KnownArgumentNamesRule,
    rules.UniqueArgumentNamesRule,
    _ValuesOfCorrectType,
    _ProvidedRequiredArguments,
    rules.VariablesInAllowedPositionRule,
    rules.OverlappingFieldsCanBeMergedRule,
    rules.UniqueInputFieldNamesRule,
)


# -- variables ------------------------------------------------------------------------


class VariableError(GraphQLError):
    """A variable's error, already in graphql-js 15's words (no re-quoting)."""


class _TooManyErrors(Exception):
    pass


def coerce_variables(
    schema: GraphQLSchema, operation: OperationDefinitionNode, inputs: Mapping[str, Any]
) -> tuple[dict[str, Any], list[VariableError]]:
    """graphql-js 15's ``getVariableValues``: the coerced values, or the errors.

    The coerced values are what graphql-core then executes with; an absent
    variable stays absent (graphql-core applies its default itself).
    """
    errors: list[VariableError] = []

    def report(message: str, node: Any) -> None:
        if len(errors) >= MAX_VARIABLE_ERRORS:
            raise _TooManyErrors
        errors.append(VariableError(message, node))

    coerced: dict[str, Any] = {}
    try:
        for definition in operation.variable_definitions or ():
            name = definition.variable.name.value
            type_ = type_from_ast(schema, definition.type)
            if type_ is None or not is_input_type(type_):
                report(
                    f'Variable "${name}" expected value of type "{print_ast(definition.type)}" '
                    "which cannot be used as an input type.",
                    definition.type,
                )
                continue
            if name not in inputs:
                if definition.default_value is None and is_non_null_type(type_):
                    report(
                        f'Variable "${name}" of required type "{type_}" was not provided.',
                        definition,
                    )
                continue
            value = inputs[name]
            if value is None and is_non_null_type(type_):
                report(
                    f'Variable "${name}" of non-null type "{type_}" must not be null.', definition
                )
                continue

            def invalid(
                path: list[str | int],
                bad: Any,
                problem: str,
                name: str = name,
                definition: VariableDefinitionNode = definition,
            ) -> None:
                where = f' at "{name}{_path(path)}"' if path else ""
                report(
                    f'Variable "${name}" got invalid value {js_inspect(bad)}{where}; {problem}',
                    definition,
                )

            coerced[name] = _coerce(value, cast(GraphQLInputType, type_), invalid, [])
    except _TooManyErrors:
        errors.append(VariableError(TOO_MANY_ERRORS))
    return coerced, errors


def _path(path: list[str | int]) -> str:
    return "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in path)


def _coerce(value: Any, type_: GraphQLInputType, invalid: Any, path: list[str | int]) -> Any:
    """graphql-js 15's ``coerceInputValue`` for a JSON value."""
    if isinstance(type_, GraphQLNonNull):
        if value is not None:
            return _coerce(value, type_.of_type, invalid, path)
        invalid(path, value, f'Expected non-nullable type "{type_}" not to be null.')
        return None
    if value is None:
        return None
    if isinstance(type_, GraphQLList):
        item_type = type_.of_type
        if isinstance(value, list):
            return [_coerce(item, item_type, invalid, [*path, i]) for i, item in enumerate(value)]
        return [_coerce(value, item_type, invalid, path)]  # a single value is a list of one
    if isinstance(type_, GraphQLInputObjectType):
        if not isinstance(value, dict | list):  # an array is an object in JavaScript
            invalid(path, value, f'Expected type "{type_.name}" to be an object.')
            return None
        given = value if isinstance(value, dict) else {str(i): v for i, v in enumerate(value)}
        out: dict[str, Any] = {}
        for name, field in type_.fields.items():
            if name not in given:
                # No Wiki.js release declares a default for an input field.
                if is_required_input_field(field):
                    invalid(
                        path,
                        value,
                        f'Field "{name}" of required type "{field.type}" was not provided.',
                    )
                continue
            out[name] = _coerce(given[name], field.type, invalid, [*path, name])
        for name in given:
            if name not in type_.fields:
                hint = did_you_mean(suggestion_list(name, list(type_.fields)))
                invalid(path, value, f'Field "{name}" is not defined by type "{type_.name}".{hint}')
        return out
    if isinstance(type_, GraphQLEnumType):
        return _enum_value(value, type_, invalid, path)
    assert isinstance(type_, GraphQLScalarType)
    return _scalar_value(value, type_, invalid, path)


def _enum_value(value: Any, type_: GraphQLEnumType, invalid: Any, path: list[str | int]) -> Any:
    if not isinstance(value, str):
        shown = js_inspect(value)
        invalid(
            path,
            value,
            f'Enum "{type_.name}" cannot represent non-string value: {shown}.'
            + _enum_hint(type_, shown),
        )
        return None
    if value not in type_.values:
        invalid(
            path,
            value,
            f'Value "{value}" does not exist in "{type_.name}" enum.' + _enum_hint(type_, value),
        )
        return None
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _scalar_value(value: Any, type_: GraphQLScalarType, invalid: Any, path: list[str | int]) -> Any:
    """The scalars' ``parseValue`` in graphql-js 15 (JSON numbers are doubles there)."""
    name = type_.name
    if name == "Int":
        if not _is_number(value) or not math.isfinite(value) or not float(value).is_integer():
            invalid(path, value, f"Int cannot represent non-integer value: {js_inspect(value)}")
            return None
        if not MIN_INT <= value <= MAX_INT:
            shown = js_inspect(value)  # String(value): 1e+100
            invalid(path, value, f"Int cannot represent non 32-bit signed integer value: {shown}")
            return None
        return int(value)
    if name == "String":
        if not isinstance(value, str):
            invalid(path, value, f"String cannot represent a non string value: {js_inspect(value)}")
            return None
        return value
    if name == "Boolean":
        if not isinstance(value, bool):
            invalid(
                path, value, f"Boolean cannot represent a non boolean value: {js_inspect(value)}"
            )
            return None
        return value
    # No Wiki.js release uses Float or ID; its own scalars (Date, JSON…) take any
    # value, as graphql-tools' defaults do.
    return type_.parse_value(value)


# -- syntax errors ---------------------------------------------------------------------

_UNEXPECTED = re.compile(r"^Syntax Error: Unexpected character: (?:U\+([0-9A-F]{4})|'(.)')\.$")
# graphql-core 3.3's hints at a dot; graphql-js 15 stops at the dot itself.
_DOT = re.compile(
    r"^Syntax Error: (?:Unexpected '\.\.', did you mean '\.\.\.'\?"
    r"|Invalid number, expected digit before '\.', did you mean '0\.\d+'\?)$"
)
_ESCAPE = re.compile(
    r"^Syntax Error: Invalid (?:character|Unicode) escape sequence: '(\\(?:u.{0,4}|.))'\.$"
)


def parse(query: str) -> DocumentNode:
    """graphql-core's ``parse``, with graphql-js 15's syntax errors."""
    try:
        document = parse_document(query)
    except GraphQLError as error:
        raise syntax_error(error) from None
    for definition in document.definitions:
        description = getattr(definition, "description", None)
        if description is not None and isinstance(definition, ExecutableDefinitionNode):
            raise _after_description(Source(query), description.loc.start)
    return document


def _after_description(source: Source, position: int) -> GraphQLError:
    """graphql-js 15 reads a description only before a type: it fails on what follows."""
    lexer = Lexer(source)
    token = lexer.advance()
    while token.kind != TokenKind.EOF and token.start < position:
        token = lexer.advance()
    if token.kind in (TokenKind.STRING, TokenKind.BLOCK_STRING):
        token = lexer.advance()
    kind = f'"{token.kind.value}"' if is_punctuator_token_kind(token.kind) else token.kind.value
    shown = f'{kind} "{token.value}"' if token.value is not None else kind
    return GraphQLError(
        f"Syntax Error: Unexpected {shown}.", source=source, positions=[token.start]
    )


def syntax_error(error: GraphQLError) -> GraphQLError:
    """graphql-js 15's words for a syntax error graphql-core words differently."""
    message = error.message
    source, positions = error.source, error.positions
    if source is None or not positions:
        return error
    position = next(iter(positions))
    if message.startswith("Syntax Error: Unexpected description, descriptions are "):
        return _after_description(source, position)
    unexpected = _UNEXPECTED.match(message)
    if unexpected or _DOT.match(message):
        if unexpected is None:
            code = ord(".")
        elif unexpected[1] is not None:
            code = int(unexpected[1], 16)
        else:
            code = ord(unexpected[2])
        if code < 0x20 and code not in (0x09, 0x0A, 0x0D):
            text = f"Cannot contain the invalid character {_char_code(code)}."
        else:
            text = f"Cannot parse the unexpected character {_char_code(code)}."
        return GraphQLError(f"Syntax Error: {text}", source=source, positions=[position])
    escape = _ESCAPE.match(message)
    if escape:
        # graphql-js 15 points past the backslash, and shows \u with the four characters after it.
        sequence = escape[1]
        if sequence.startswith("\\u"):
            sequence = "\\u" + source.body[position + 2 : position + 6]
        return GraphQLError(
            f"Syntax Error: Invalid character escape sequence: {sequence}.",
            source=source,
            positions=[position + 1],
        )
    return error


def _char_code(code: int) -> str:
    """graphql-js 15's ``printCharCode``."""
    if code < 0x7F:
        return json.dumps(chr(code))
    return f'"\\u{code:04X}"'


__all__ = [
    "VALIDATION_RULES",
    "VariableError",
    "coerce_variables",
    "js_print",
    "parse",
    "syntax_error",
]
