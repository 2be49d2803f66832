"""Wiki.js error values and how the real server renders them on the wire.

Three kinds of failures leave a resolver, and Apollo Server 2 renders each with
a different ``extensions.exception``:

* :class:`WikiError` (Wiki.js's own ``WIKI.Error.*``): ``{stack, code, message}``.
* :class:`GraphQLMessageError` (``throw new GraphQLError(...)``): ``{message}``.
* :class:`PlainError` (``new Error(...)``, JavaScript ``TypeError``s): ``{}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from graphql import GraphQLError

from .._facts import ERRORS


class PlainError(Exception):
    """A plain JavaScript ``Error``/``TypeError``: the message only."""

    def __init__(self, message: str, name: str = "Error") -> None:
        super().__init__(message)
        self.message = message
        self.name = name


class GraphQLMessageError(Exception):
    """A ``GraphQLError`` thrown by a resolver: rendered with ``exception.message``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class WikiError(Exception):
    """One of Wiki.js's coded errors (``server/helpers/error.js``)."""

    def __init__(self, name: str, code: int, message: str, where: str = "resolver") -> None:
        super().__init__(message)
        self.name = name
        self.code = code
        self.message = message
        self.where = where

    def stack(self) -> str:
        return (
            f"{self.name} {self.code}: {self.message}\n"
            f"    at {self.where} (/wiki/server/graph/resolvers/fake.js)\n"
            "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)"
        )


_CATALOGUE = ERRORS


def wiki_error(name: str, message: str | None = None, where: str = "resolver") -> WikiError:
    """Build the named Wiki.js error; ``message`` overrides the default text."""
    code, default = _CATALOGUE[name]
    return WikiError(name, code, message or default, where)


def response_result(error: BaseException) -> dict[str, Any]:
    """``graphHelper.generateError``: a failed ``responseResult``."""
    if isinstance(error, WikiError):
        return {
            "succeeded": False,
            "errorCode": error.code,
            "slug": error.name,
            "message": error.message,
        }
    name = error.name if isinstance(error, PlainError) else "Error"
    return {
        "succeeded": False,
        "errorCode": 1,
        "slug": name,
        "message": str(error) or "An unexpected error occured.",
    }


def success(message: str) -> dict[str, Any]:
    """``graphHelper.generateSuccess``."""
    return {"succeeded": True, "errorCode": 0, "slug": "ok", "message": message}


def format_execution_error(error: GraphQLError) -> dict[str, Any]:
    """Render an execution error the way Apollo Server 2 does for Wiki.js."""
    original = error.original_error
    exception: dict[str, Any]
    if isinstance(original, WikiError):
        exception = {"stack": original.stack(), "code": original.code, "message": original.message}
    elif isinstance(original, GraphQLMessageError):
        exception = {"message": original.message}
    else:
        exception = {}
    out: dict[str, Any] = {"message": error.message}
    if error.locations:
        out["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if error.path is not None:
        out["path"] = list(error.path)
    out["extensions"] = {"code": "INTERNAL_SERVER_ERROR", "exception": exception}
    return out


def format_request_error(error: GraphQLError, code: str) -> dict[str, Any]:
    """Render a parse/validation/variable error (sent with HTTP 400)."""
    out: dict[str, Any] = {"message": js_quotes(error.message)}
    if error.locations:
        out["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    out["extensions"] = {"code": code, "exception": {}}
    return out


_SINGLE_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def js_quotes(message: str) -> str:
    """graphql-core quotes names with ``'``; graphql-js (what Wiki.js runs) uses ``"``."""
    return _SINGLE_QUOTED.sub(lambda m: '"' + m.group(1) + '"', message)


_ARGUMENT_15 = re.compile(r'^Unknown argument "(\w+)" on field "(\w+)\.(\w+)"\.')


def graphql_js_14(message: str) -> str:
    """graphql-js 14's wording (Wiki.js 2.4) of a graphql-js 15 validation message."""
    return _ARGUMENT_15.sub(r'Unknown argument "\1" on field "\3" of type "\2".', message)


_MAX_ARRAY = 10
_MAX_DEPTH = 2


def _js_number(value: float) -> str:
    """JavaScript's ``String(number)``: ``1`` for 1.0, ``1e+100``, ``NaN``, ``Infinity``."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    text = repr(value)
    return re.sub(r"e([+-])0*(\d)", r"e\1\2", text)


def js_inspect(value: Any) -> str:
    """graphql-js's ``inspect()``: how it prints a value it cannot serialise."""
    return _inspect(value, [])


def _inspect(value: Any, seen: list[int]) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON.stringify keeps non-ASCII as is
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _js_number(value)
    if isinstance(value, Mapping):
        seen = [*seen, id(value)]
        if not value:
            return "{}"
        if len(seen) > _MAX_DEPTH:
            return "[Object]"
        return "{ " + ", ".join(f"{k}: {_inspect(v, seen)}" for k, v in value.items()) + " }"
    if isinstance(value, Sequence):
        seen = [*seen, id(value)]
        if not value:
            return "[]"
        if len(seen) > _MAX_DEPTH:
            return "[Array]"
        items = [_inspect(v, seen) for v in value[:_MAX_ARRAY]]
        remaining = len(value) - _MAX_ARRAY
        if remaining == 1:
            items.append("... 1 more item")
        elif remaining > 1:
            items.append(f"... {remaining} more items")
        return "[" + ", ".join(items) + "]"
    return str(value)


class NotImplementedByFake(GraphQLMessageError):
    """A namespace the fake does not model."""

    def __init__(self, namespace: str) -> None:
        super().__init__(f"{namespace} is not implemented by FakeWikiJS")
