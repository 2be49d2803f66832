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

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import orjson

from ..errors import InvalidArgumentError

if TYPE_CHECKING:
    from graphql import ValueNode

OperationKind = Literal["query", "mutation", "subscription"]

_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")

#: Operation option of a client view (``with_options(cache=...)``): its cache
#: mode, below a call's own ``cache=`` and an enclosing ``bypass()`` (the
#: SDK's own reads after a write bypass the cache, whatever the view says).
#: Here rather than in ``cache_keys`` so that a client loads that module only
#: with a cache.
VIEW_CACHE_OPTION = "view_cache"
_EMPTY: Mapping[str, Any] = MappingProxyType({})


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
                from graphql import value_from_ast_untyped
                from graphql.pyutils import Undefined

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
            :data:`~wikijs._facts.IDEMPOTENT_MUTATIONS`.
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


@lru_cache(maxsize=2048)
def describe(document: str, operation_name: str | None = "") -> OperationFacts:
    """The facts of the operation ``document`` runs (cached: parsed once).

    A document that does not parse is reported as an opaque, non-idempotent
    mutation: nothing proves it is not a write, so nothing repeats it or
    caches it (the server will refuse it anyway). graphql-core is imported
    here, on the first operation, not when a client is made.
    """
    from .operation_ast import parse_facts

    return parse_facts(document, operation_name)


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
    from graphql import GraphQLError
    from graphql.utilities import strip_ignored_characters

    try:
        return strip_ignored_characters(document)
    except (GraphQLError, RecursionError):
        return document


#: Until an operation is built: :meth:`Operation.__post_init__` replaces it.
_UNDESCRIBED = OperationFacts("", "mutation", idempotent=False, opaque=True, parsed=False)
#: Facts nobody reads (an operation built only for its payload's text).
_HEAD_FACTS = OperationFacts("", "query", idempotent=True, opaque=True)


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
        head = _encoded_head(self.name, self.document)
        if not self.variables:
            return head + b"}"
        return b"".join(
            (head, b',"variables":', encode_json(self.variables, operation=self.name), b"}")
        )


@lru_cache(maxsize=1024)
def _encoded_head(name: str, document: str) -> bytes:
    """``{"query":…,"operationName":…`` of :meth:`Operation.payload`, encoded once per operation.

    The same bytes ``payload()`` gives, without its closing brace; the
    compacted document is then not escaped again on every call.
    """
    head = orjson.dumps(Operation(name, document, facts=_HEAD_FACTS).payload())
    return head[:-1]


def encode_json(payload: Any, *, operation: str | None = None) -> bytes:
    """``orjson.dumps`` with unencodable values reported as ValidationError."""
    try:
        return orjson.dumps(payload)
    except TypeError as exc:  # orjson.JSONEncodeError subclasses TypeError
        raise InvalidArgumentError(
            f"a value cannot be sent as JSON: {exc}", operation=operation
        ) from None
