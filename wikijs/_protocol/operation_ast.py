"""Reading an operation's facts from its GraphQL AST (see :mod:`.operation`).

Apart so that graphql-core loads with the first operation, not with the client.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    parse,
    print_ast,
)

from .._facts import IDEMPOTENT_MUTATIONS, SECRET_ARGUMENTS
from .operation import FieldUse, OperationFacts, OperationKind
from .redaction import is_secret_name

_KINDS: dict[OperationType, OperationKind] = {
    OperationType.QUERY: "query",
    OperationType.MUTATION: "mutation",
    OperationType.SUBSCRIPTION: "subscription",
}

# Secret arguments as ``field.argument``, for fields met inside a fragment on
# a namespace type, where the namespace is not known without the schema.
_SECRET_FIELD_ARGUMENTS = frozenset(key.split(".", 1)[1] for key in SECRET_ARGUMENTS)


def _response_key(node: FieldNode) -> str:
    return node.alias.value if node.alias else node.name.value


def _pick(
    operations: Sequence[OperationDefinitionNode], name: str
) -> OperationDefinitionNode | None:
    if len(operations) == 1:
        return operations[0]
    named = [op for op in operations if op.name is not None and op.name.value == name]
    return named[0] if len(named) == 1 else None


def _fields(operation: OperationDefinitionNode) -> tuple[tuple[FieldUse, ...], bool]:
    uses: list[FieldUse] = []
    opaque = False
    for top in operation.selection_set.selections:
        if not isinstance(top, FieldNode):
            opaque = True
            continue
        if top.name.value == "__typename":
            continue
        if top.selection_set is None or top.name.value.startswith("__"):
            opaque = True  # not a namespace (introspection, or a schema we do not know)
            continue
        for inner in top.selection_set.selections:
            if not isinstance(inner, FieldNode):
                opaque = True
                continue
            if inner.name.value == "__typename":
                continue
            uses.append(
                FieldUse(
                    namespace=top.name.value,
                    namespace_key=_response_key(top),
                    field=inner.name.value,
                    field_key=_response_key(inner),
                    arguments=tuple((a.name.value, a.value) for a in inner.arguments or ()),
                )
            )
    return tuple(uses), opaque


def _collect(value: ValueNode, secret: bool, found: set[str]) -> None:
    """Variables in an argument value that is secret, or sits under a secret-named field."""
    if isinstance(value, VariableNode):
        if secret:
            found.add(value.name.value)
    elif isinstance(value, ListValueNode):
        for element in value.values:
            _collect(element, secret, found)
    elif isinstance(value, ObjectValueNode):
        for entry in value.fields:
            _collect(entry.value, secret or is_secret_name(entry.name.value), found)


def _secrets(selections: SelectionSetNode | None, parent: str | None, found: set[str]) -> None:
    """Variables passed to secret arguments anywhere below ``selections``.

    ``parent`` is the enclosing field (the namespace, for the fields that
    take arguments); ``None`` at the root of a fragment on a namespace type.
    """
    if selections is None:
        return
    for node in selections.selections:
        if isinstance(node, FieldNode):
            name = node.name.value
            for argument in node.arguments or ():
                key = f"{name}.{argument.name.value}"
                secret = (
                    f"{parent}.{key}" in SECRET_ARGUMENTS
                    if parent is not None
                    else key in _SECRET_FIELD_ARGUMENTS
                )
                _collect(argument.value, secret or is_secret_name(argument.name.value), found)
            _secrets(node.selection_set, name, found)
        else:  # inline fragments keep the parent; spreads are walked as definitions
            _secrets(getattr(node, "selection_set", None), parent, found)


def _secret_variables(tree: DocumentNode) -> frozenset[str]:
    found: set[str] = set()
    for definition in tree.definitions:
        if isinstance(definition, (OperationDefinitionNode, FragmentDefinitionNode)):
            _secrets(definition.selection_set, None, found)
    return frozenset(found)


def _idempotent(kind: OperationKind, fields: tuple[FieldUse, ...], opaque: bool) -> bool:
    if kind != "mutation":
        return True
    return bool(fields) and not opaque and all(u.qualified in IDEMPOTENT_MUTATIONS for u in fields)


def parse_facts(document: str, operation_name: str | None = "") -> OperationFacts:
    """The facts of the operation ``document`` runs, read from its AST.

    A document that does not parse is reported as an opaque, non-idempotent
    mutation: nothing proves it is not a write, so nothing repeats it or
    caches it (the server will refuse it anyway).
    """
    name = operation_name or ""
    try:
        tree = parse(document, no_location=True)
        digest = hashlib.sha256(print_ast(tree).encode()).hexdigest()
        secrets = _secret_variables(tree)
    except (GraphQLError, RecursionError, UnicodeError):
        # Not GraphQL, or nested too deeply to walk: the server will say so.
        digest = hashlib.sha256(document.encode("utf-8", "replace")).hexdigest()
        return OperationFacts(
            name, "mutation", idempotent=False, opaque=True, digest=digest, parsed=False
        )
    operations = [d for d in tree.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = _pick(operations, name)
    if chosen is None:
        # Several operations and none chosen (or none at all): the server
        # refuses it, but if any could be a write, treat it as one.
        kinds = {_KINDS[op.operation] for op in operations}
        kind: OperationKind = (
            "mutation"
            if "mutation" in kinds
            else "subscription"
            if "subscription" in kinds
            else "query"
        )
        return OperationFacts(
            name,
            kind,
            idempotent=kind != "mutation",
            opaque=True,
            digest=digest,
            secret_variables=secrets,
        )
    kind = _KINDS[chosen.operation]
    fields, opaque = _fields(chosen)
    return OperationFacts(
        chosen.name.value if chosen.name is not None else name,
        kind,
        idempotent=_idempotent(kind, fields, opaque),
        fields=fields,
        opaque=opaque,
        digest=digest,
        secret_variables=secrets,
    )
