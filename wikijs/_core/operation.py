"""What one GraphQL call is: its facts, read once from the document, and the call.

Every layer asks one object what an operation is. :func:`describe` parses a
document once (cached) into :class:`OperationFacts`: the name and kind of
the operation that will run (``operationName`` picks one of several;
comments, fragments and whitespace before it change nothing), whether
applying it twice leaves the wiki as applying it once, the namespace fields
it selects (what the cache keys and invalidates by), and which variables
carry credentials. The retry layer, the cache, the rate limiter and the
plugins all read these facts; none of them looks at the text again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Literal

import orjson
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
    value_from_ast_untyped,
)
from graphql.pyutils import Undefined

from ..errors import ValidationError
from .redaction import is_secret_name
from .wikijs_facts import IDEMPOTENT_MUTATIONS, SECRET_ARGUMENTS

OperationKind = Literal["query", "mutation", "subscription"]

_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")
_EMPTY: Mapping[str, Any] = MappingProxyType({})
_KINDS: dict[OperationType, OperationKind] = {
    OperationType.QUERY: "query",
    OperationType.MUTATION: "mutation",
    OperationType.SUBSCRIPTION: "subscription",
}

# Secret arguments as ``field.argument``, for fields met inside a fragment on
# a namespace type, where the namespace is not known without the schema.
_SECRET_FIELD_ARGUMENTS = frozenset(key.split(".", 1)[1] for key in SECRET_ARGUMENTS)


# -- the facts ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldUse:
    """One ``namespace { field(args) }`` selection at the top of an operation."""

    namespace: str
    namespace_key: str
    field: str
    field_key: str
    arguments: tuple[tuple[str, ValueNode], ...] = ()

    @property
    def qualified(self) -> str:
        """``pages.update``."""
        return f"{self.namespace}.{self.field}"

    def argument(self, name: str, variables: Mapping[str, Any]) -> Any:
        """The argument's value (variables resolved), or ``None`` when absent."""
        for arg_name, node in self.arguments:
            if arg_name == name:
                value = value_from_ast_untyped(node, dict(variables))
                return None if value is Undefined else value
        return None


@dataclass(frozen=True, slots=True)
class OperationFacts:
    """What an operation is, read from its document's AST once.

    Attributes:
        name: the name of the operation that runs (``""`` when anonymous).
        kind: ``"query"``, ``"mutation"`` or ``"subscription"`` of the
            operation that runs. When the document holds several and none is
            chosen, a mutation among them makes it a mutation.
        idempotent: sending it twice leaves the wiki as sending it once:
            every query, and mutations made only of the fields listed in
            :data:`~wikijs._core.wikijs_facts.IDEMPOTENT_MUTATIONS`.
        fields: the namespace fields the operation selects; the cache keys,
            tags and invalidates by them.
        opaque: something could not be analysed (a fragment spread at the
            top, a field outside any namespace, an ambiguous or unparsable
            document): never cached, and as a mutation it invalidates
            everything.
        digest: SHA-256 of the document as graphql-core prints it, so two
            spellings of one document share their cache entries.
        secret_variables: variables passed to an argument that carries a
            credential (``changePassword(current: $a, new: $b)``), whatever
            their names.
        parsed: the document is valid GraphQL syntax.
    """

    name: str
    kind: OperationKind
    idempotent: bool
    fields: tuple[FieldUse, ...] = ()
    opaque: bool = False
    digest: str = ""
    secret_variables: frozenset[str] = frozenset()
    parsed: bool = True

    @property
    def mutation(self) -> bool:
        return self.kind == "mutation"


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


@lru_cache(maxsize=2048)
def describe(document: str, operation_name: str | None = "") -> OperationFacts:
    """The facts of the operation ``document`` runs (cached: parsed once).

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


def combine(name: str, parts: Sequence[OperationFacts]) -> OperationFacts:
    """The facts of a JSON-array batch: its members' facts together."""
    kinds = {part.kind for part in parts}
    single = len(kinds) == 1
    kind: OperationKind = parts[0].kind if single else "mutation"
    return OperationFacts(
        name,
        kind,
        idempotent=single and all(part.idempotent for part in parts),
        fields=tuple(use for part in parts for use in part.fields),
        opaque=any(part.opaque for part in parts),
        secret_variables=frozenset(v for part in parts for v in part.secret_variables),
        parsed=all(part.parsed for part in parts),
    )


def http_facts(
    name: str, kind: OperationKind, *, idempotent: bool, namespace: str = ""
) -> OperationFacts:
    """The facts of an exchange that is not GraphQL (an upload, a download, ``/healthz``).

    ``namespace`` names what a write touches (``assets``), for the cache.
    """
    fields = (FieldUse(namespace, namespace, name, name),) if namespace else ()
    return OperationFacts(name, kind, idempotent=idempotent, fields=fields, opaque=not fields)


# -- the call --------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def compact(document: str) -> str:
    """The document without insignificant whitespace and comments (cached).

    Generated documents are indented for reading; compacted they are about a
    third of the size on the wire. Falls back to the text as given when it
    does not parse (the server then reports the syntax error).
    """
    from graphql.utilities import strip_ignored_characters

    try:
        return strip_ignored_characters(document)
    except (GraphQLError, RecursionError):
        return document


#: Until an operation is built: :meth:`Operation.__post_init__` replaces it.
_UNDESCRIBED = OperationFacts("", "mutation", idempotent=False, opaque=True, parsed=False)


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation on its way to the server.

    Attributes:
        name: the operation name (``GetPage``); also used in errors and metrics.
        document: the GraphQL document text (empty for a JSON-array batch and
            for exchanges that are not GraphQL).
        variables: the values, always sent as GraphQL variables.
        options: per-call options (``cache=False``, ``retry=True``, …).
        members: for a JSON-array batch, the operations it carries (the
            request body is then an array of them).
        facts: what the operation is (:func:`describe`, computed from the
            document when not given).
        http: for an exchange that is not a GraphQL POST (uploads, downloads,
            ``/healthz``), how to send it; see ``pipeline.py``.
    """

    name: str
    document: str
    variables: Mapping[str, Any] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    members: tuple[Operation, ...] = ()
    facts: OperationFacts = _UNDESCRIBED
    http: Any = None

    def __post_init__(self) -> None:
        if self.facts is _UNDESCRIBED:
            object.__setattr__(self, "facts", describe(self.document, self.name))

    @property
    def kind(self) -> OperationKind:
        """``"query"``, ``"mutation"`` or ``"subscription"`` (from :attr:`facts`)."""
        return self.facts.kind

    def payload(self) -> dict[str, Any]:
        # Only a real GraphQL name goes on the wire ("Batch[GetPage x50]" names
        # a batch in errors and metrics; its document names itself).
        wire_name = self.name if _NAME.fullmatch(self.name) else None
        payload: dict[str, Any] = {"query": compact(self.document), "operationName": wire_name}
        if self.variables:
            payload["variables"] = self.variables
        return payload

    def encode(self) -> bytes:
        """The JSON request body; values that JSON cannot carry raise ValidationError."""
        if self.members:
            return encode_json([m.payload() for m in self.members], operation=self.name)
        return encode_json(self.payload(), operation=self.name)


def encode_json(payload: Any, *, operation: str | None = None) -> bytes:
    """``orjson.dumps`` with unencodable values reported as ValidationError."""
    try:
        return orjson.dumps(payload)
    except TypeError as exc:  # orjson.JSONEncodeError subclasses TypeError
        raise ValidationError(
            f"a value cannot be sent as JSON: {exc}", operation=operation
        ) from None
