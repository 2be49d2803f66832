"""What one GraphQL call is, as the middleware sees it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Literal

import orjson

from ..errors import ValidationError

OperationKind = Literal["query", "mutation", "subscription"]

_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")
_EMPTY: Mapping[str, Any] = MappingProxyType({})


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
    except GraphQLError:
        return document


def operation_kind(document: str) -> OperationKind:
    """Whether a document's (first) operation is a query, mutation or subscription."""
    head = document.lstrip()
    if head.startswith("mutation"):
        return "mutation"
    if head.startswith("subscription"):
        return "subscription"
    return "query"


@dataclass(frozen=True, slots=True)
class Operation:
    """One GraphQL operation on its way to the server.

    Attributes:
        name: the operation name (``GetPage``); also used in errors and metrics.
        document: the GraphQL document text.
        variables: the values, always sent as GraphQL variables.
        kind: ``"query"``, ``"mutation"`` or ``"subscription"``; only queries
            are cached, and mutations are retried only when provably unsent.
        options: per-call options (``cache=False``, ``retry=True``, …).
        members: for a JSON-array batch, the operations it carries (the
            request body is then an array of them).
    """

    name: str
    document: str
    variables: Mapping[str, Any] = field(default_factory=dict)
    kind: OperationKind = "query"
    options: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    members: tuple[Operation, ...] = ()

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
