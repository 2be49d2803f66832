"""Merging operations into one aliased document, and splitting the answer. Pure.

``build_batch`` turns N operations into one document: operation *i*'s
top-level fields get the alias ``b<i>_<key>`` and its variables are renamed
``$b<i>_<name>``, so every value still travels as a GraphQL variable (never
spliced into the text); fragments are emitted once. ``split_batch`` is the
inverse: it hands each operation its share of ``data`` and of ``errors``
(matched by the first element of each error's ``path``).

Top-level mutation fields run one after another (GraphQL executes them
serially), so aliased mutations apply in input order on a conforming
server. Wiki.js documents merged this way must not use variables inside
fragments (ours do not; ``build_batch`` refuses those that do).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    NameNode,
    OperationDefinitionNode,
    OperationType,
    VariableNode,
    Visitor,
    parse,
    print_ast,
    visit,
)

from ..errors import InvalidArgumentError


@dataclass(frozen=True)
class _Parsed:
    operation: OperationDefinitionNode
    fragments: tuple[FragmentDefinitionNode, ...]
    variables: frozenset[str]


@dataclass(frozen=True)
class BatchPlan:
    """The merged document for a sequence of operation documents.

    Attributes:
        document: the merged GraphQL text.
        kind: ``"query"`` or ``"mutation"``.
        keys: per input operation, ``(alias, original response key)`` pairs.
        variables: per input operation, ``original name -> renamed name``.
    """

    document: str
    kind: str
    keys: tuple[tuple[tuple[str, str], ...], ...]
    variables: tuple[Mapping[str, str], ...]


@dataclass(frozen=True)
class BatchRequest:
    plan: BatchPlan
    variables: dict[str, Any]

    @property
    def document(self) -> str:
        return self.plan.document


class _RenameVariables(Visitor):
    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def enter_variable(self, node: VariableNode, *_: Any) -> VariableNode:
        return VariableNode(name=NameNode(value=self.prefix + node.name.value))


class _FindVariables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found: set[str] = set()

    def enter_variable(self, node: VariableNode, *_: Any) -> None:
        self.found.add(node.name.value)


@lru_cache(maxsize=256)
def _parse(document: str) -> _Parsed:
    tree = parse(document, no_location=True)
    operations = [d for d in tree.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1:
        raise InvalidArgumentError("a batched document must hold exactly one operation")
    fragments = tuple(d for d in tree.definitions if isinstance(d, FragmentDefinitionNode))
    for fragment in fragments:
        finder = _FindVariables()
        visit(fragment, finder)
        if finder.found:
            raise InvalidArgumentError(
                f"fragment {fragment.name.value} uses variables and cannot be batched"
            )
    operation = operations[0]
    names = frozenset(d.variable.name.value for d in operation.variable_definitions or ())
    return _Parsed(operation, fragments, names)


def _response_key(field: FieldNode) -> str:
    return field.alias.value if field.alias else field.name.value


@dataclass(frozen=True)
class _Renamed:
    variable_definitions: tuple[str, ...]  # printed
    selections: tuple[str, ...]  # printed, aliased
    keys: tuple[tuple[str, str], ...]
    variables: Mapping[str, str]


@lru_cache(maxsize=4096)
def _renamed(document: str, index: int) -> _Renamed:
    """Operation ``document`` as the ``index``-th member of a batch (cached)."""
    item = _parse(document)
    prefix = f"b{index}_"
    renamed: OperationDefinitionNode = visit(item.operation, _RenameVariables(prefix))
    selections: list[str] = []
    keys: list[tuple[str, str]] = []
    for selection in renamed.selection_set.selections:
        if not isinstance(selection, FieldNode):
            raise InvalidArgumentError("batched operations must select fields at the top level")
        key = _response_key(selection)
        alias = prefix + key
        aliased = FieldNode(
            alias=NameNode(value=alias),
            name=selection.name,
            arguments=selection.arguments,
            directives=selection.directives,
            selection_set=selection.selection_set,
        )
        selections.append(print_ast(aliased))
        keys.append((alias, key))
    return _Renamed(
        tuple(print_ast(d) for d in renamed.variable_definitions or ()),
        tuple(selections),
        tuple(keys),
        {name: prefix + name for name in item.variables},
    )


@lru_cache(maxsize=1024)
def _printed(fragment: FragmentDefinitionNode) -> str:
    return print_ast(fragment)


@lru_cache(maxsize=64)
def plan_batch(documents: tuple[str, ...]) -> BatchPlan:
    """The merged document for these operation documents (cached by shape)."""
    if not documents:
        raise InvalidArgumentError("a batch needs at least one operation")
    parsed = [_parse(document) for document in documents]
    kinds = {p.operation.operation for p in parsed}
    if len(kinds) != 1:
        raise InvalidArgumentError("a batch cannot mix queries and mutations")
    kind = kinds.pop()
    if kind is OperationType.SUBSCRIPTION:
        raise InvalidArgumentError("subscriptions cannot be batched")

    variable_definitions: list[str] = []
    selections: list[str] = []
    keys: list[tuple[tuple[str, str], ...]] = []
    renames: list[Mapping[str, str]] = []
    fragments: dict[str, FragmentDefinitionNode] = {}
    for index, (document, item) in enumerate(zip(documents, parsed, strict=True)):
        renamed = _renamed(document, index)
        variable_definitions.extend(renamed.variable_definitions)
        selections.extend(renamed.selections)
        keys.append(renamed.keys)
        renames.append(renamed.variables)
        for fragment in item.fragments:
            name = fragment.name.value
            known = fragments.get(name)
            if known is None:
                fragments[name] = fragment
            elif known is not fragment and _printed(known) != _printed(fragment):
                raise InvalidArgumentError(f"two different fragments are named {name}")

    # Joined from pieces printed once per (operation, position): a new
    # batch size costs string joins, not a re-print of the whole document.
    header = f"{kind.value} Batch"
    if variable_definitions:
        header += "(" + ", ".join(variable_definitions) + ")"
    body = "\n".join("  " + line for text in selections for line in text.splitlines())
    document = "\n\n".join([f"{header} {{\n{body}\n}}", *map(_printed, fragments.values())])
    return BatchPlan(
        document=document,
        kind=kind.value,
        keys=tuple(keys),
        variables=tuple(renames),
    )


def build_batch(operations: Sequence[tuple[str, Mapping[str, Any]]]) -> BatchRequest:
    """One aliased request for ``(document, variables)`` pairs."""
    plan = plan_batch(tuple(document for document, _ in operations))
    variables: dict[str, Any] = {}
    for index, (_, values) in enumerate(operations):
        rename = plan.variables[index]
        for name, value in values.items():
            if name not in rename:
                raise InvalidArgumentError(f"operation {index} has no variable ${name}")
            variables[rename[name]] = value
    return BatchRequest(plan, variables)


def split_batch(
    plan: BatchPlan, data: Any, errors: Any
) -> list[tuple[dict[str, Any] | None, list[Any]]]:
    """Each operation's ``(data, errors)`` from one merged response.

    Errors whose path does not start with one of the batch's aliases (or
    that have no path) concern the whole request and go to every operation.
    """
    owner: dict[str, tuple[int, str]] = {}
    for index, pairs in enumerate(plan.keys):
        for alias, key in pairs:
            owner[alias] = (index, key)
    shared: list[Any] = []
    per_op: list[list[Any]] = [[] for _ in plan.keys]
    for error in errors if isinstance(errors, list) else ([errors] if errors else []):
        path = error.get("path") if isinstance(error, Mapping) else None
        head = path[0] if isinstance(path, list) and path else None
        if isinstance(path, list) and isinstance(head, str) and head in owner:
            index, key = owner[head]
            per_op[index].append({**error, "path": [key, *path[1:]]})
        else:
            shared.append(error)
    out: list[tuple[dict[str, Any] | None, list[Any]]] = []
    for index, pairs in enumerate(plan.keys):
        op_data: dict[str, Any] | None = None
        if isinstance(data, Mapping):
            op_data = {key: data.get(alias) for alias, key in pairs}
        out.append((op_data, [*shared, *per_op[index]]))
    return out
