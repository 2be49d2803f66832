"""What changed between two Wiki.js schemas, and what it means for ``queries/``.

    scripts/schema-diff OLD NEW [--fail-on-breaking] [--queries DIR]

OLD and NEW are SDL files (ours, or a Wiki.js checkout's
``server/graph/schemas`` folder) or introspection JSON. Every change is
classed the way graphql-core judges it for clients — **breaking**
(``find_breaking_changes``: a removed field, a new required argument),
**dangerous** (``find_dangerous_changes``: a new enum value, a new optional
argument) or **safe** (additions, an output made non-null) — and annotated
with the operations of ``queries/`` it touches. Then come the fields,
arguments and root queries NEW adds that no operation uses yet: what a
maintainer could now offer. ``--fail-on-breaking`` exits 1 when a change
breaks an operation or the schema (2 means the inputs could not be read).

``scripts/pull-schema`` prints the same report against the committed schema
before it replaces it.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from graphql import (
    BreakingChange,
    DangerousChange,
    FieldNode,
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    TypeInfo,
    TypeInfoVisitor,
    find_breaking_changes,
    find_dangerous_changes,
    get_named_type,
    is_introspection_type,
    is_specified_scalar_type,
    visit,
)
from graphql.language import (
    ArgumentNode,
    FragmentDefinitionNode,
    InlineFragmentNode,
    VariableDefinitionNode,
    Visitor,
)

from . import schemas
from .queries import ROOT, Queries
from .queries import load as load_queries

LEVELS = ("breaking", "dangerous", "safe")


@dataclass(frozen=True)
class Change:
    """One difference between the schemas."""

    level: str  # "breaking", "dangerous" or "safe"
    kind: str  # graphql-core's change type, or ours for safe changes
    coordinate: str  # Type, Type.field or Type.field(arg:)
    description: str
    operations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Addition:
    """Something NEW offers that no operation uses."""

    kind: str  # "root query", "root mutation", "field" or "argument"
    coordinate: str


@dataclass
class SchemaDiff:
    old_label: str
    new_label: str
    changes: list[Change] = field(default_factory=list)
    unused: list[Addition] = field(default_factory=list)

    def count(self, level: str) -> int:
        return sum(1 for change in self.changes if change.level == level)

    @property
    def breaking(self) -> bool:
        return self.count("breaking") > 0


# -- what the operations use ---------------------------------------------------


def usage(queries: Queries, schema: GraphQLSchema) -> dict[str, set[str]]:
    """Every schema coordinate each operation uses, as seen through ``schema``.

    Types (of fields, variables, fragments), ``Type.field``,
    ``Type.field(arg:)``, and the input fields its variables can carry.
    """
    out: dict[str, set[str]] = {}
    for name in queries.operations:
        used: set[str] = set()
        info = TypeInfo(schema)
        visit(queries.document_of(name), TypeInfoVisitor(info, _Collect(info, schema, used)))
        out[name] = used
    return out


class _Collect(Visitor):
    def __init__(self, info: TypeInfo, schema: GraphQLSchema, used: set[str]) -> None:
        super().__init__()
        self.info = info
        self.schema = schema
        self.used = used
        self.fields: list[str] = []

    def enter_field(self, node: FieldNode, *_: object) -> None:
        self.fields.append(node.name.value)
        parent = self.info.get_parent_type()
        if parent is None:
            return
        self.used.add(parent.name)
        self.used.add(f"{parent.name}.{node.name.value}")
        definition = self.info.get_field_def()
        if definition is not None:
            self.used.add(get_named_type(definition.type).name)

    def leave_field(self, node: FieldNode, *_: object) -> None:
        self.fields.pop()

    def enter_argument(self, node: ArgumentNode, *_: object) -> None:
        parent = self.info.get_parent_type()
        if parent is not None and self.fields and self.info.get_directive() is None:
            self.used.add(f"{parent.name}.{self.fields[-1]}({node.name.value}:)")
        argument = self.info.get_argument()
        if argument is not None:
            self._input(get_named_type(argument.type))

    def enter_variable_definition(self, node: VariableDefinitionNode, *_: object) -> None:
        self._input(self.schema.get_type(_type_name(node)))

    def enter_fragment_definition(self, node: FragmentDefinitionNode, *_: object) -> None:
        self.used.add(node.type_condition.name.value)

    def enter_inline_fragment(self, node: InlineFragmentNode, *_: object) -> None:
        if node.type_condition is not None:
            self.used.add(node.type_condition.name.value)

    def _input(self, type_: GraphQLNamedType | None, seen: set[str] | None = None) -> None:
        if type_ is None:
            return
        seen = set() if seen is None else seen
        if type_.name in seen:
            return
        seen.add(type_.name)
        self.used.add(type_.name)
        if isinstance(type_, GraphQLInputObjectType):
            for name, input_field in type_.fields.items():
                self.used.add(f"{type_.name}.{name}")
                self._input(get_named_type(input_field.type), seen)


def _type_name(node: VariableDefinitionNode) -> str:
    type_node = node.type
    while hasattr(type_node, "type"):
        type_node = type_node.type
    return type_node.name.value  # type: ignore[attr-defined]


# -- the changes -------------------------------------------------------------------


_PATTERNS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    # (change type, description pattern, coordinate template)
    ("FIELD_REMOVED", re.compile(r"^(\w+)\.(\w+) was removed\."), "{0}.{1}"),
    ("FIELD_CHANGED_KIND", re.compile(r"^(\w+)\.(\w+) changed type"), "{0}.{1}"),
    ("ARG_REMOVED", re.compile(r"^(\w+)\.(\w+) arg (\w+) was removed\."), "{0}.{1}({2}:)"),
    ("ARG_CHANGED_KIND", re.compile(r"^(\w+)\.(\w+) arg (\w+) has changed type"), "{0}.{1}({2}:)"),
    (
        "ARG_DEFAULT_VALUE_CHANGE",
        re.compile(r"^(\w+)\.(\w+) arg (\w+) has changed defaultValue"),
        "{0}.{1}({2}:)",
    ),
    ("REQUIRED_ARG_ADDED", re.compile(r"^A required arg (\w+) on (\w+)\.(\w+)"), "{1}.{2}({0}:)"),
    ("OPTIONAL_ARG_ADDED", re.compile(r"^An optional arg (\w+) on (\w+)\.(\w+)"), "{1}.{2}({0}:)"),
    (
        "REQUIRED_INPUT_FIELD_ADDED",
        re.compile(r"^A required field (\w+) on input type (\w+)"),
        "{1}.{0}",
    ),
    (
        "OPTIONAL_INPUT_FIELD_ADDED",
        re.compile(r"^An optional field (\w+) on input type (\w+)"),
        "{1}.{0}",
    ),
    ("VALUE_REMOVED_FROM_ENUM", re.compile(r"^(\w+) was removed from enum type (\w+)"), "{1}.{0}"),
    ("VALUE_ADDED_TO_ENUM", re.compile(r"^(\w+) was added to enum type (\w+)"), "{1}.{0}"),
    ("TYPE_REMOVED_FROM_UNION", re.compile(r"^(\w+) was removed from union type (\w+)"), "{1}"),
    ("TYPE_ADDED_TO_UNION", re.compile(r"^(\w+) was added to union type (\w+)"), "{1}"),
    ("IMPLEMENTED_INTERFACE_REMOVED", re.compile(r"^(\w+) no longer implements"), "{0}"),
    ("INTERFACE_ADDED_TO_OBJECT", re.compile(r"^(\w+) added to interfaces"), "{0}"),
    ("TYPE_REMOVED", re.compile(r"^(\w+) was removed\."), "{0}"),
    ("TYPE_CHANGED_KIND", re.compile(r"^(\w+) changed from"), "{0}"),
)


def coordinate_of(change: BreakingChange | DangerousChange) -> str:
    """The schema coordinate a graphql-core change is about (``""`` for directives)."""
    kind = change.type.name
    for pattern_kind, pattern, template in _PATTERNS:
        if pattern_kind == kind:
            match = pattern.match(change.description)
            if match:
                return template.format(*match.groups())
    return ""


def _matches(kind: str, coordinate: str) -> list[str]:
    """The usage keys a change touches: what an operation must use to be affected."""
    if not coordinate:
        return []
    if kind in ("OPTIONAL_ARG_ADDED", "REQUIRED_ARG_ADDED", "ARG_DEFAULT_VALUE_CHANGE"):
        return [coordinate.split("(", 1)[0]]
    if kind in ("VALUE_ADDED_TO_ENUM", "VALUE_REMOVED_FROM_ENUM"):
        return [coordinate.split(".", 1)[0]]
    if kind in ("REQUIRED_INPUT_FIELD_ADDED", "OPTIONAL_INPUT_FIELD_ADDED"):
        return [coordinate.split(".", 1)[0]]
    return [coordinate]


def _named_types(schema: GraphQLSchema) -> dict[str, GraphQLNamedType]:
    return {
        name: type_
        for name, type_ in schema.type_map.items()
        if not is_introspection_type(type_) and not is_specified_scalar_type(type_)
    }


def _fields(type_: GraphQLNamedType) -> dict[str, GraphQLField | GraphQLInputField]:
    if isinstance(type_, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
        return dict(type_.fields)
    return {}


def safe_changes(old: GraphQLSchema, new: GraphQLSchema, judged: set[str]) -> list[Change]:
    """What graphql-core does not report because no client can break on it.

    New types, fields and directives, outputs that became non-null and
    arguments or input fields that became nullable. ``judged``: coordinates
    already classed breaking or dangerous.
    """
    out: list[Change] = []
    old_types, new_types = _named_types(old), _named_types(new)
    for name in sorted(set(new_types) - set(old_types)):
        kind = type(new_types[name]).__name__.removeprefix("GraphQL").removesuffix("Type")
        out.append(Change("safe", "TYPE_ADDED", name, f"{kind} {name} was added."))
    for name in sorted(set(old_types) & set(new_types)):
        old_type, new_type = old_types[name], new_types[name]
        if type(old_type) is not type(new_type):
            continue
        old_fields, new_fields = _fields(old_type), _fields(new_type)
        is_input = isinstance(new_type, GraphQLInputObjectType)
        for field_name in sorted(new_fields):
            coordinate = f"{name}.{field_name}"
            if field_name not in old_fields:
                if not is_input:
                    out.append(
                        Change("safe", "FIELD_ADDED", coordinate, f"{coordinate} was added.")
                    )
                continue
            before, after = str(old_fields[field_name].type), str(new_fields[field_name].type)
            if before != after and coordinate not in judged:
                kind = "INPUT_FIELD_CHANGED_KIND" if is_input else "FIELD_CHANGED_KIND"
                out.append(
                    Change(
                        "safe",
                        kind,
                        coordinate,
                        f"{coordinate} changed type from {before} to {after}.",
                    )
                )
            if not is_input:
                out += _safe_argument_changes(
                    coordinate, old_fields[field_name], new_fields[field_name], judged
                )
        if isinstance(new_type, GraphQLEnumType) and isinstance(old_type, GraphQLEnumType):
            continue  # added values are dangerous (graphql-core reports them)
        if isinstance(new_type, GraphQLUnionType):
            continue
    old_directives = {d.name for d in old.directives}
    for directive in sorted(d.name for d in new.directives if d.name not in old_directives):
        out.append(Change("safe", "DIRECTIVE_ADDED", f"@{directive}", f"@{directive} was added."))
    return out


def _safe_argument_changes(
    coordinate: str, before: object, after: object, judged: set[str]
) -> list[Change]:
    out = []
    old_args: dict[str, GraphQLArgument] = getattr(before, "args", {})
    new_args: dict[str, GraphQLArgument] = getattr(after, "args", {})
    for name in sorted(set(old_args) & set(new_args)):
        arg_coordinate = f"{coordinate}({name}:)"
        old_type, new_type = str(old_args[name].type), str(new_args[name].type)
        if old_type != new_type and arg_coordinate not in judged:
            out.append(
                Change(
                    "safe",
                    "ARG_CHANGED_KIND",
                    arg_coordinate,
                    f"{coordinate} arg {name} changed type from {old_type} to {new_type}.",
                )
            )
    return out


def diff(
    old: GraphQLSchema,
    new: GraphQLSchema,
    queries: Queries | None = None,
    *,
    old_label: str = "OLD",
    new_label: str = "NEW",
) -> SchemaDiff:
    """Every change from ``old`` to ``new``, and what ``new`` adds unused."""
    result = SchemaDiff(old_label, new_label)
    used_old = usage(queries, old) if queries else {}
    used_new = usage(queries, new) if queries else {}
    used = {name: used_old.get(name, set()) | used_new.get(name, set()) for name in used_old}

    def affected(kind: str, coordinate: str) -> tuple[str, ...]:
        keys = _matches(kind, coordinate)
        return tuple(
            sorted(name for name, coords in used.items() if any(k in coords for k in keys))
        )

    judged: set[str] = set()
    for level, changes in (
        ("breaking", find_breaking_changes(old, new)),
        ("dangerous", find_dangerous_changes(old, new)),
    ):
        for change in changes:
            coordinate = coordinate_of(change)
            judged.add(coordinate)
            result.changes.append(
                Change(
                    level,
                    change.type.name,
                    coordinate,
                    change.description,
                    affected(change.type.name, coordinate),
                )
            )
    for change in safe_changes(old, new, judged):
        result.changes.append(
            Change(
                change.level,
                change.kind,
                change.coordinate,
                change.description,
                affected(change.kind, change.coordinate),
            )
        )
    result.unused = unused_additions(old, new, used_new)
    return result


def unused_additions(
    old: GraphQLSchema, new: GraphQLSchema, used: dict[str, set[str]]
) -> list[Addition]:
    """Fields, arguments and root queries in ``new`` (not ``old``) no operation uses."""
    everything: set[str] = set().union(*used.values()) if used else set()
    roots = _root_kinds(new)
    out: list[Addition] = []
    old_types = old.type_map
    for name, type_ in sorted(new.type_map.items()):
        if name.startswith("__") or not isinstance(
            type_, (GraphQLObjectType, GraphQLInterfaceType)
        ):
            continue
        before = old_types.get(name)
        old_fields = _fields(before) if before is not None else {}
        if before is None and name not in roots:
            continue  # a new type: reachable only through a new field, listed there
        for field_name, definition in sorted(type_.fields.items()):
            coordinate = f"{name}.{field_name}"
            if field_name not in old_fields:
                if coordinate not in everything:
                    out.append(Addition(roots.get(name, "field"), coordinate))
                continue
            old_args = getattr(old_fields[field_name], "args", {})
            for arg in sorted(set(definition.args) - set(old_args)):
                arg_coordinate = f"{coordinate}({arg}:)"
                if arg_coordinate not in everything:
                    out.append(Addition("argument", arg_coordinate))
    order = {"root query": 0, "root mutation": 1, "root subscription": 2, "field": 3, "argument": 4}
    return sorted(out, key=lambda a: (order.get(a.kind, 9), a.coordinate))


def _root_kinds(schema: GraphQLSchema) -> dict[str, str]:
    """Root types and Wiki.js's namespace types (``PageQuery``), by what they hold."""
    out: dict[str, str] = {}
    for kind, root in (
        ("root query", schema.query_type),
        ("root mutation", schema.mutation_type),
        ("root subscription", schema.subscription_type),
    ):
        if root is None:
            continue
        out[root.name] = kind
        for definition in root.fields.values():
            named = get_named_type(definition.type)
            if isinstance(named, GraphQLObjectType):
                out.setdefault(named.name, kind)
    return out


# -- the report --------------------------------------------------------------------


def render(result: SchemaDiff, *, limit: int = 12) -> str:
    """The diff as text for a terminal or a pull request."""
    total = len(result.changes)
    counts = ", ".join(f"{result.count(level)} {level}" for level in LEVELS)
    lines = [
        f"Schema diff {result.old_label} -> {result.new_label}: {total} change"
        f"{'s' if total != 1 else ''} ({counts})"
    ]
    for level in LEVELS:
        touched = sorted(
            {name for c in result.changes if c.level == level for name in c.operations}
        )
        if touched:
            lines.append(
                f"  {level} changes touch {len(touched)} operation"
                f"{'s' if len(touched) != 1 else ''}: {_names(touched, limit)}"
            )
    for level in LEVELS:
        changes = [c for c in result.changes if c.level == level]
        if not changes:
            continue
        lines.append("")
        lines.append(f"{level.capitalize()} ({len(changes)}):")
        for change in changes:
            lines.append(f"  {change.kind:<26} {change.description}")
            if change.operations:
                lines.append(f"  {'':<26}   affects {_names(change.operations, limit)}")
    if result.unused:
        lines.append("")
        lines.append(f"New in {result.new_label} and used by no operation ({len(result.unused)}):")
        for addition in result.unused:
            lines.append(f"  {addition.kind:<18} {addition.coordinate}")
    elif any(c.kind in ("FIELD_ADDED", "OPTIONAL_ARG_ADDED") for c in result.changes):
        lines.append("")
        lines.append(f"Every addition in {result.new_label} is used by an operation.")
    return "\n".join(lines) + "\n"


def _names(names: Iterable[str], limit: int) -> str:
    names = list(names)
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" and {len(names) - limit} more"


def label(loaded: schemas.LoadedSchema, path: Path) -> str:
    return f"Wiki.js {loaded.version}" if loaded.version else str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="schema-diff", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("old", type=Path, help="the schema before (SDL, folder or introspection)")
    parser.add_argument("new", type=Path, help="the schema after")
    parser.add_argument(
        "--queries", type=Path, default=ROOT / "queries", help="the operations (default: queries/)"
    )
    parser.add_argument(
        "--fail-on-breaking", action="store_true", help="exit 1 when a change is breaking"
    )
    args = parser.parse_args(argv)
    try:
        old = schemas.load(args.old)
        new = schemas.load(args.new)
    except schemas.SchemaError as exc:
        print(f"schema-diff: {exc}", file=sys.stderr)
        return 2
    queries = load_queries(args.queries) if args.queries.is_dir() else None
    result = diff(
        old.schema,
        new.schema,
        queries,
        old_label=label(old, args.old),
        new_label=label(new, args.new),
    )
    sys.stdout.write(render(result))
    return 1 if args.fail_on_breaking and result.breaking else 0


if __name__ == "__main__":
    sys.exit(main())
