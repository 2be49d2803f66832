"""What stops generation, every problem at once, each where it is.

``scripts/generate`` checks the inputs before ariadne-codegen sees them, so
a schema that lost fields used by ``queries/`` ends in a list such as::

    queries/pages.graphql:187:5 [operation GetPageByPath] Cannot query field
        'singleByPath' on type 'PageQuery'.
    queries/pages.graphql:32:3 [fragment Page, used by GetPage, GetPageByPath]
        Cannot query field 'scriptCss' on type 'Page'.

(one line each), then the overlay entries (``codegen/plugin.py``) naming
what the schema lacks, and exit status 2, instead of a traceback naming
only a field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from graphql import (
    ASTValidationRule,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    specified_rules,
    validate,
)
from graphql.language import ExecutableDefinitionNode, FragmentDefinitionNode, Node

from .queries import Queries

# ariadne-codegen's default (settings.skip_validation_rules): a fragment no
# operation uses is allowed.
SKIPPED_RULES = ("NoUnusedFragmentsRule",)
# graphql-core stops at 100 errors unless told otherwise.
_MAX_ERRORS = 100_000


@dataclass(frozen=True)
class Problem:
    """One located problem: ``file:line:col [owner] message``."""

    file: str
    line: int
    column: int
    owner: str
    message: str

    def __str__(self) -> str:
        owner = f" [{self.owner}]" if self.owner else ""
        return f"{self.file}:{self.line}:{self.column}{owner} {self.message}"


def rules(skipped: Sequence[str] = SKIPPED_RULES) -> list[type[ASTValidationRule]]:
    return [rule for rule in specified_rules if rule.__name__ not in skipped]


def check_queries(schema: GraphQLSchema, queries: Queries) -> list[Problem]:
    """Every syntax and validation problem of ``queries`` against ``schema``."""
    problems = [Problem(s.file, s.line, s.column, "syntax", s.message) for s in queries.syntax]
    errors = validate(schema, queries.document, rules(), max_errors=_MAX_ERRORS)
    problems += [_locate(error, queries) for error in errors]
    return problems


def _locate(error: GraphQLError, queries: Queries) -> Problem:
    node = next((n for n in error.nodes or () if n.loc is not None), None)
    if node is None or node.loc is None:
        return Problem("queries", 0, 0, "", error.message)
    location = node.loc.source.get_location(node.loc.start)
    return Problem(
        node.loc.source.name,
        location.line,
        location.column,
        _owner(node, queries),
        error.message,
    )


def definition_of(node: Node, queries: Queries) -> ExecutableDefinitionNode | None:
    """The operation or fragment whose text holds ``node``."""
    if node.loc is None:
        return None
    for definition in queries.definitions:
        loc = definition.loc
        if loc is None or loc.source is not node.loc.source:
            continue
        if loc.start <= node.loc.start < loc.end:
            return definition
    return None


def _owner(node: Node, queries: Queries) -> str:
    """``operation GetPage``, or ``fragment Page, used by A, B`` for what holds ``node``."""
    definition = definition_of(node, queries)
    return "" if definition is None else _describe(definition, queries)


def _describe(definition: ExecutableDefinitionNode, queries: Queries) -> str:
    name = definition.name.value if definition.name else "(anonymous)"
    if isinstance(definition, FragmentDefinitionNode):
        users = queries.users_of(name)
        used = f", used by {', '.join(users)}" if users else ", used by no operation"
        return f"fragment {name}{used}"
    return f"operation {name}"


def check_overlay(
    schema: GraphQLSchema, overlay: Sequence[tuple[str, str, str]], where: str
) -> list[str]:
    """Overlay entries that do not fit the schema, each on one line."""
    problems = []
    for type_name, field_name, change in overlay:
        type_ = schema.type_map.get(type_name)
        if not isinstance(type_, GraphQLObjectType):
            problems.append(f"{where}: {type_name}.{field_name} ({change}): no type {type_name}")
            continue
        field = type_.fields.get(field_name)
        if field is None:
            problems.append(
                f"{where}: {type_name}.{field_name} ({change}): {type_name} has no field "
                f"{field_name}"
            )
            continue
        inner = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        if change == "non_null_items" and not isinstance(inner, GraphQLList):
            problems.append(f"{where}: {type_name}.{field_name} ({change}): not a list")
        elif change not in ("nullable", "non_null_items"):
            problems.append(f"{where}: {type_name}.{field_name}: unknown change {change!r}")
    return problems


def relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
