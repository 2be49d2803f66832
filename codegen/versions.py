"""Which operation runs on which Wiki.js, worked out from ``schema/history``.

For every operation in ``queries/`` and every API release of the history
(newest first), ``scripts/generate`` validates the operation against that
release's schema:

- valid: the operation runs there as written (``complete_since``);
- invalid only because fields or arguments are missing, and what is left
  still selects something in every selection set: a **variant** — the same
  operation without them — runs there; the SDK sends it to such a server
  and the model fields it leaves out read ``None``;
- anything else (the root field is missing, a type changed): the operation
  does not run on that release or any older one; calling it there raises
  ``UnsupportedByServerError``.

The result is written into ``wikijs/_generated/versions.py`` (the tables the
client reads at run time) and, as a table, into ``docs/versions.md``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graphql import (
    ArgumentNode,
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FieldsOnCorrectTypeRule,
    FragmentsOnCompositeTypesRule,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    KnownArgumentNamesRule,
    KnownTypeNamesRule,
    NoUnusedVariablesRule,
    PossibleFragmentSpreadsRule,
    ProvidedRequiredArgumentsRule,
    ScalarLeafsRule,
    SelectionSetNode,
    ValuesOfCorrectTypeRule,
    VariableDefinitionNode,
    VariableNode,
    VariablesAreInputTypesRule,
    VariablesInAllowedPositionRule,
    build_schema,
    print_ast,
    validate,
    visit,
)
from graphql.language import (
    REMOVE,
    FragmentDefinitionNode,
    OperationDefinitionNode,
    Visitor,
)

from . import schemas
from .diagnostics import definition_of
from .queries import Queries
from .queries import load as load_queries

# The rules whose verdict depends on the schema: the operations already
# passed every rule against the current schema, so only these can change
# their verdict on an older one (and the others cost most of the time).
SCHEMA_RULES: tuple[type[ASTValidationRule], ...] = (
    FieldsOnCorrectTypeRule,
    FragmentsOnCompositeTypesRule,
    KnownArgumentNamesRule,
    KnownTypeNamesRule,
    PossibleFragmentSpreadsRule,
    ProvidedRequiredArgumentsRule,
    ScalarLeafsRule,
    ValuesOfCorrectTypeRule,
    VariablesAreInputTypesRule,
    VariablesInAllowedPositionRule,
)
# Removing an argument can leave its variable unused.
DOWNGRADE_RULES = (*SCHEMA_RULES, NoUnusedVariablesRule)

_FIELD = re.compile(r"^Cannot query field '(\w+)' on type '(\w+)'\.")
_ARGUMENT = re.compile(r"^Unknown argument '(\w+)' on field '(\w+)\.(\w+)'\.")
_UNUSED = re.compile(r"^Variable '\$(\w+)' is never used")
_UNKNOWN_TYPE = re.compile(r"^Unknown type '(\w+)'\.")


@dataclass(frozen=True)
class Release:
    """One API release: its first version and its schema."""

    version: str
    schema: GraphQLSchema


@dataclass(frozen=True)
class Variant:
    """An operation without what an older release lacks."""

    since: str
    until: str
    document: str
    removed: tuple[str, ...]
    dropped: tuple[tuple[str, str], ...]  # (variable, the argument it fed)


@dataclass(frozen=True)
class Requirement:
    """What one operation needs of the server."""

    operation: str
    complete_since: str
    variants: tuple[Variant, ...] = ()  # newest first
    unsupported_below: str | None = None  # no form runs below this release
    lacking: tuple[str, ...] = ()  # what the release below that lacks

    @property
    def runs_since(self) -> str:
        return self.variants[-1].since if self.variants else self.complete_since


@dataclass
class Table:
    """Every operation's requirement, and when each schema element appeared."""

    oldest: str
    newest: str
    releases: tuple[str, ...]
    requirements: dict[str, Requirement] = field(default_factory=dict)
    introduced: dict[str, str] = field(default_factory=dict)

    @property
    def optional_fields(self) -> set[tuple[str, str]]:
        """``(type, field)`` pairs some supported release lacks: read as ``None`` there."""
        out = set()
        for requirement in self.requirements.values():
            for variant in requirement.variants:
                for coordinate in variant.removed:
                    if "(" not in coordinate:
                        type_name, _, field_name = coordinate.partition(".")
                        out.add((type_name, field_name))
        return out

    def restricted(self) -> list[Requirement]:
        """The operations that do not run complete on the oldest release, by name."""
        return [self.requirements[name] for name in sorted(self.requirements)]


def coordinate_of(message: str) -> tuple[str, str] | None:
    """``("field", "Page.scriptCss")`` and the like, from a graphql-core message."""
    if match := _FIELD.match(message):
        return "field", f"{match.group(2)}.{match.group(1)}"
    if match := _ARGUMENT.match(message):
        return "argument", f"{match.group(2)}.{match.group(3)}({match.group(1)}:)"
    if match := _UNUSED.match(message):
        return "variable", match.group(1)
    if match := _UNKNOWN_TYPE.match(message):
        return "type", match.group(1)
    return None


class _Remove(Visitor):
    def __init__(self, doomed: set[int]) -> None:
        super().__init__()
        self.doomed = doomed

    def enter(self, node: object, *_: object) -> object:
        return REMOVE if id(node) in self.doomed else None


class _EmptySelections(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def enter_selection_set(self, node: SelectionSetNode, *_: object) -> None:
        if not node.selections:
            self.found = True


def downgrade(
    document: DocumentNode, schema: GraphQLSchema
) -> tuple[DocumentNode, list[str], list[tuple[str, str]]] | list[str]:
    """``document`` without what ``schema`` lacks, or what makes that impossible."""
    removed: dict[str, None] = {}
    fed: dict[str, str] = {}
    dropped: list[tuple[str, str]] = []
    for _ in range(10):
        errors = validate(schema, document, DOWNGRADE_RULES)
        if not errors:
            return document, list(removed), dropped
        doomed: set[int] = set()
        blockers: list[str] = []
        for error in errors:
            found = coordinate_of(error.message)
            node = error.nodes[0] if error.nodes else None
            if found is None or node is None or found[0] == "type":
                blockers.append(found[1] if found else error.message)
                continue
            kind, coordinate = found
            if kind == "field" and isinstance(node, FieldNode):
                removed[coordinate] = None
            elif kind == "argument" and isinstance(node, ArgumentNode):
                removed[coordinate] = None
                for variable in _variables_in(node):
                    fed.setdefault(variable, coordinate)
            elif kind == "variable" and isinstance(node, VariableDefinitionNode):
                dropped.append((coordinate, fed.get(coordinate, "")))
            else:
                blockers.append(error.message)
                continue
            doomed.add(id(node))
        if blockers:
            return blockers
        document = visit(document, _Remove(doomed))
        empty = _EmptySelections()
        visit(document, empty)
        if empty.found:
            # Nothing would be left to select somewhere: the removed field
            # was the point of the operation.
            return [c for c in removed if "(" not in c] or list(removed)
    return ["the operation does not settle"]  # pragma: no cover - a cycle would be a bug


def _variables_in(node: ArgumentNode) -> list[str]:
    names: list[str] = []

    class Collect(Visitor):
        def enter_variable(self, variable: VariableNode, *_: object) -> None:
            names.append(variable.name.value)

    visit(node, Collect())
    return names


def failing(queries: Queries, schema: GraphQLSchema) -> set[str]:
    """The operations that do not validate against ``schema`` as written."""
    out: set[str] = set()
    for error in validate(schema, queries.document, SCHEMA_RULES):
        for node in error.nodes or ():
            owner = definition_of(node, queries)
            if isinstance(owner, FragmentDefinitionNode):
                out.update(queries.users_of(owner.name.value))
            elif isinstance(owner, OperationDefinitionNode) and owner.name is not None:
                out.add(owner.name.value)
    return out


def requirement(
    name: str, queries: Queries, releases: Sequence[Release], fails: Sequence[set[str]]
) -> Requirement:
    """What operation ``name`` needs, from the newest release down.

    ``fails[i]``: the operations that do not validate on ``releases[i]``.
    """
    document = queries.document_of(name)
    newest = releases[-1]
    complete_since = newest.version
    variants: list[Variant] = []
    for index in range(len(releases) - 1, -1, -1):
        release = releases[index]
        if not variants and name not in fails[index]:
            complete_since = release.version
            continue
        outcome = downgrade(document, release.schema)
        if isinstance(outcome, list):
            return Requirement(
                name,
                complete_since,
                tuple(variants),
                unsupported_below=releases[index + 1].version,
                lacking=tuple(outcome),
            )
        smaller, removed, dropped = outcome
        text = print_ast(smaller)
        until = variants[-1].since if variants else complete_since
        if variants and variants[-1].document == text:
            previous = variants.pop()
            until = previous.until
        variants.append(
            Variant(release.version, until, text, tuple(sorted(removed)), tuple(sorted(dropped)))
        )
    return Requirement(name, complete_since, tuple(variants))


def exists(schema: GraphQLSchema, coordinate: str) -> bool:
    """Whether ``Type``, ``Type.field`` or ``Type.field(arg:)`` is in ``schema``."""
    type_name, _, rest = coordinate.partition(".")
    type_ = schema.type_map.get(type_name)
    if not rest:
        return type_ is not None
    if not isinstance(type_, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
        return False
    field_name, _, arg = rest.partition("(")
    found = type_.fields.get(field_name)
    if found is None:
        return False
    if not arg:
        return True
    return arg.rstrip(":)") in getattr(found, "args", {})


def build_table(queries: Queries, releases: Sequence[Release]) -> Table:
    """The requirement of every operation that needs more than the oldest release."""
    table = Table(
        oldest=releases[0].version,
        newest=releases[-1].version,
        releases=tuple(r.version for r in releases),
    )
    fails = [failing(queries, release.schema) for release in releases]
    coordinates: set[str] = set()
    for name in sorted(set().union(*fails)):
        found = requirement(name, queries, releases, fails)
        table.requirements[name] = found
        coordinates.update(found.lacking)
        for variant in found.variants:
            coordinates.update(variant.removed)
    for coordinate in sorted(coordinates):
        since = _introduced(coordinate, releases)
        if since is not None:
            table.introduced[coordinate] = since
    return table


def _introduced(coordinate: str, releases: Sequence[Release]) -> str | None:
    since = None
    for release in reversed(releases):
        if not exists(release.schema, coordinate):
            break
        since = release.version
    return since


@dataclass(frozen=True)
class Versions:
    """The table, the release the SDK is generated from, and the history files used."""

    table: Table
    schema_version: str
    files: tuple[schemas.Release, ...]


@functools.lru_cache(maxsize=4)
def table_for(schema_path: str, queries_path: str, history_path: str) -> Versions:
    """The table for these inputs (computed once per process: both codegen runs use it).

    The releases are the history files up to the schema's own version, and
    the schema itself when its API differs from the newest of them.
    """
    text = Path(schema_path).read_text(encoding="utf-8")
    version = schemas.header_version(Path(schema_path))
    if version is None:
        raise schemas.SchemaError(
            f"{schema_path}: no '# Wiki.js X GraphQL schema.' header (write it with "
            "scripts/pull-schema)"
        )
    target = schemas.Version.parse(version)
    files = tuple(
        release
        for release in schemas.history(Path(history_path))
        if schemas.Version.parse(release.version) <= target
    )
    releases = [Release(release.version, release.load()) for release in files]
    if not files or schemas.body(files[-1].path.read_text(encoding="utf-8")) != schemas.body(text):
        releases.append(Release(version, build_schema(text)))
    table = build_table(load_queries(Path(queries_path)), releases)
    return Versions(table, version, files)


# -- output ----------------------------------------------------------------------


MODULE = '''{header}
"""Which Wiki.js each operation needs, from schema/history (codegen/versions.py).

``SCHEMA_VERSION`` is the release the clients and models were generated
from; ``API_RELEASES`` the first release of each API version the SDK
supports, oldest first. An operation listed in ``REQUIREMENTS`` does not run
as written on every supported release: below ``complete_since`` the client
sends the first of its ``variants`` whose ``since`` the server reaches (the
same operation without the fields and arguments in ``removed``), and below
``unsupported_below`` it raises ``UnsupportedByServerError``.
``INTRODUCED`` says in which release each of those fields and arguments
appeared.
"""

from typing import Final, NamedTuple, Optional


class Variant(NamedTuple):
    since: str
    until: str
    document: str
    removed: tuple[str, ...]
    dropped: tuple[tuple[str, str], ...]


class Requirement(NamedTuple):
    complete_since: str
    variants: tuple[Variant, ...]
    unsupported_below: Optional[str]
    lacking: tuple[str, ...]


SCHEMA_VERSION: Final = {schema_version!r}
API_RELEASES: Final[tuple[str, ...]] = {releases}

REQUIREMENTS: Final[dict[str, Requirement]] = {{
{requirements}
}}

INTRODUCED: Final[dict[str, str]] = {{
{introduced}
}}
'''


def render_module(table: Table, *, header: str, schema_version: str) -> str:
    entries = []
    for requirement in table.restricted():
        variants = "".join(
            "            Variant(\n"
            f"                {v.since!r},\n"
            f"                {v.until!r},\n"
            f"                {v.document!r},\n"
            f"                {_tuple(v.removed)},\n"
            f"                {_tuple(v.dropped)},\n"
            "            ),\n"
            for v in requirement.variants
        )
        variant_tuple = f"(\n{variants}        )" if variants else "()"
        entries.append(
            f"    {requirement.operation!r}: Requirement(\n"
            f"        {requirement.complete_since!r},\n"
            f"        {variant_tuple},\n"
            f"        {requirement.unsupported_below!r},\n"
            f"        {_tuple(requirement.lacking)},\n"
            "    ),"
        )
    introduced = [f"    {c!r}: {v!r}," for c, v in sorted(table.introduced.items())]
    return MODULE.format(
        header=header.rstrip("\n"),
        schema_version=schema_version,
        releases=_tuple(table.releases),
        requirements="\n".join(entries),
        introduced="\n".join(introduced),
    )


def _tuple(items: Iterable[object]) -> str:
    items = list(items)
    if not items:
        return "()"
    if len(items) == 1:
        return f"({items[0]!r},)"
    return "(" + ", ".join(repr(item) for item in items) + ")"


def render_markdown(table: Table) -> str:
    """The table of ``docs/versions.md``: operations that need more than the oldest release."""
    lines = [
        "| operation | as written, from | on older releases |",
        "|---|---|---|",
    ]
    for requirement in table.restricted():
        older: list[str] = []
        if requirement.variants:
            oldest = requirement.variants[-1]
            by_release: dict[str, list[str]] = {}
            for coordinate in oldest.removed:
                since = table.introduced.get(coordinate, requirement.complete_since)
                by_release.setdefault(since, []).append(_short(coordinate))
            missing = "; ".join(
                f"{', '.join(names)} ({since})"
                for since, names in sorted(
                    by_release.items(),
                    key=lambda item: schemas.Version.parse(item[0]),
                    reverse=True,
                )
            )
            older.append(f"from {oldest.since}, without what each release lacks: {missing}")
        if requirement.unsupported_below is not None:
            older.append(f"below {requirement.unsupported_below}: `UnsupportedByServerError`")
        lines.append(
            f"| `{requirement.operation}` | {requirement.complete_since} | {'<br>'.join(older)} |"
        )
    return "\n".join(lines) + "\n"


def _short(coordinate: str) -> str:
    """``Page.scriptCss`` → `scriptCss`; ``T.f(arg:)`` → `arg:`."""
    field_part = coordinate.split(".", 1)[-1]
    if "(" in field_part:
        return f"`{field_part.split('(', 1)[1].rstrip(')')}`"
    return f"`{field_part}`"
