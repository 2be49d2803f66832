"""Running GraphQL requests the way Apollo Server 2 (inside Wiki.js) answers them."""

from __future__ import annotations

import json
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    VariableDefinitionNode,
    execute,
    get_operation_ast,
    validate,
)
from graphql.language import parser as graphql_parser

from ._costs import spend_write_costs
from ._errors import format_execution_error, format_request_error, graphql_js_14
from ._graphql_js import VALIDATION_RULES, VariableError, coerce_variables, parse
from ._resolvers import Context
from ._schema import executable_schema


@dataclass
class GraphQLAnswer:
    """One HTTP answer to a GraphQL request (single or batch)."""

    status: int
    body: Any
    is_text: bool = False
    headers: list[tuple[str, str]] = field(default_factory=list)
    operation_names: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)


def describe(operation: OperationDefinitionNode | None) -> list[str]:
    """``namespace.field`` for every selected field under the root (``pages.single``)."""
    names: list[str] = []
    if operation is None:
        return names
    for root in operation.selection_set.selections:
        if not isinstance(root, FieldNode):
            continue
        children = root.selection_set.selections if root.selection_set else ()
        subs = [c.name.value for c in children if isinstance(c, FieldNode)]
        names.extend(f"{root.name.value}.{s}" for s in subs) if subs else names.append(
            root.name.value
        )
    return names


T = TypeVar("T")

# -- deep documents ------------------------------------------------------------------
# graphql-js 15 (Wiki.js 2.5.314) parses, validates and runs a document nested
# 3,000 levels deep; at 3,500-4,000 levels its stack overflows and the server
# answers 400 GRAPHQL_PARSE_FAILED "Maximum call stack size exceeded" (measured:
# the exact depth moves with what the JIT compiled). graphql-core needs more
# than Python's default recursion limit from about 150 levels, so the fake runs
# deeper documents on a thread with a deeper stack, and refuses what Wiki.js
# cannot parse as Wiki.js does.
MAX_NESTING = 3000
_SHALLOW = 100
_FRAMES_PER_LEVEL = 20
_DEEP_STACK = 256 * 1024 * 1024
_deep = threading.Lock()

_NOT_NESTING = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"|#[^\n\r]*')
_NESTERS = re.compile(r"[{}\[\]()]")


@lru_cache(maxsize=1024)
def nesting(query: str) -> int:
    """How deep ``query``'s braces, brackets and parentheses nest (strings and comments aside)."""
    depth = deepest = 0
    for mark in _NESTERS.findall(_NOT_NESTING.sub("", query)):
        if mark in "{[(":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def with_stack(query: str, work: Callable[[], T]) -> T:
    """``work()``, on a thread with room for graphql-core to recurse if ``query`` is deep."""
    depth = nesting(query)
    if depth <= _SHALLOW:
        return work()
    outcome: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            outcome.append((True, work()))
        except BaseException as exc:  # handed to the caller's thread
            outcome.append((False, exc))

    with _deep:
        limit = sys.getrecursionlimit()
        stack = threading.stack_size(_DEEP_STACK)
        sys.setrecursionlimit(max(limit, _FRAMES_PER_LEVEL * depth + 2000))
        # graphql-core 3.2.14 stops parsing at 200 levels (MAX_NESTING_DEPTH, for
        # PyPy's sake); graphql-js, and so Wiki.js, parses deeper: the cap is
        # raised for this document only.
        capped = getattr(graphql_parser, "MAX_NESTING_DEPTH", None)
        if capped is not None:
            graphql_parser.MAX_NESTING_DEPTH = max(capped, depth + 1)
        try:
            worker = threading.Thread(target=run, name="wikijs-fake-deep-document")
            worker.start()
            worker.join()
        finally:
            threading.stack_size(stack)
            sys.setrecursionlimit(limit)
            if capped is not None:
                graphql_parser.MAX_NESTING_DEPTH = capped
    done, value = outcome[0]
    if not done:
        raise value
    return value  # type: ignore[no-any-return]


# Apollo Server keeps parsed and validated documents in an LRU "document
# store"; so does the fake, which makes repeated operations cheap (as on the
# real server) and keeps benchmarks about the client rather than the parser.
@lru_cache(maxsize=1024)
def parse_cached(query: str) -> DocumentNode | GraphQLError:
    if nesting(query) > MAX_NESTING:
        return GraphQLError("Maximum call stack size exceeded")
    try:
        return with_stack(query, lambda: parse(query))
    except GraphQLError as error:
        return error


@lru_cache(maxsize=1024)
def validate_cached(schema: GraphQLSchema, query: str) -> tuple[GraphQLError, ...]:
    document = parse_cached(query)
    assert isinstance(document, DocumentNode)
    return with_stack(query, lambda: tuple(validate(schema, document, VALIDATION_RULES)))


def operation_of(query: str, operation_name: str | None) -> OperationDefinitionNode | None:
    document = parse_cached(query)
    if isinstance(document, GraphQLError):
        return None
    return get_operation_ast(document, operation_name)


def run_single(
    params: Any, ctx: Context, *, via_get: bool = False, answer: GraphQLAnswer | None = None
) -> GraphQLAnswer:
    """Parse, validate and execute one ``{query, variables, operationName}``."""
    out = answer or GraphQLAnswer(200, None)
    if not isinstance(params, dict):
        out.status, out.body, out.is_text = 400, "Must provide query string.", True
        return out
    query = params.get("query")
    if not query or not isinstance(query, str):
        out.status, out.body, out.is_text = 400, "Must provide query string.", True
        return out
    variables = params.get("variables")
    if isinstance(variables, str):
        try:
            variables = json.loads(variables) if variables else None
        except ValueError:
            out.status, out.body, out.is_text = 400, "Variables are invalid JSON.", True
            return out
    operation_name = params.get("operationName") or None
    document = parse_cached(query)
    if isinstance(document, GraphQLError):
        out.status = 400
        error = format_request_error(document, "GRAPHQL_PARSE_FAILED")
        out.body = {"errors": [error]}
        return out
    operation = get_operation_ast(document, operation_name)
    if operation is not None:
        if operation.name is not None:
            out.operation_names.append(operation.name.value)
        out.fields.extend(describe(operation))
    invalid = validate_cached(ctx.core.schema, query)
    if invalid:
        out.status = 400
        errors = [format_request_error(e, "GRAPHQL_VALIDATION_FAILED") for e in invalid]
        if ctx.core.graphql_js == 14:
            for error in errors:
                error["message"] = graphql_js_14(error["message"])
        out.body = {"errors": errors}
        return out
    if via_get and operation is not None and operation.operation != OperationType.QUERY:
        out.status, out.body, out.is_text = 405, "GET supports only query operation", True
        out.headers.append(("allow", "POST"))
        return out
    inputs = variables if isinstance(variables, dict) else {}
    if operation is not None:
        # graphql-js 15's coercion and words (graphql-core's vary by version); graphql-core
        # then runs with the coerced values. Without an operation, execute() says why.
        inputs, variable_errors = coerce_variables(ctx.core.schema, operation, inputs)
        if variable_errors:
            out.status = 400
            out.body = {"errors": [_variable_error(e) for e in variable_errors]}
            return out
    result = with_stack(
        query,
        lambda: execute(
            ctx.core.schema,
            document,
            context_value=ctx,
            variable_values=inputs,
            operation_name=operation_name,
            middleware=[spend_write_costs] if ctx.core.meter is not None else None,
        ),
    )
    assert not hasattr(result, "__await__"), "resolvers are synchronous"
    if result.data is None and result.errors:
        out.status = 400
        out.body = {"errors": [format_request_error(e, _request_code(e)) for e in result.errors]}
        return out
    out.status = 200
    if result.errors:
        out.body = {
            "errors": [format_execution_error(e) for e in result.errors],
            "data": result.data,
        }
    else:
        out.body = {"data": result.data}
    return out


def _request_code(error: GraphQLError) -> str:
    """Apollo Server 2 marks as user input only a variable's invalid value (requestPipeline)."""
    nodes = error.nodes or []
    node = nodes[0] if len(nodes) == 1 else None
    if isinstance(node, VariableDefinitionNode):
        prefix = f'Variable "${node.variable.name.value}" got invalid value '
        if error.message.startswith(prefix):
            return "BAD_USER_INPUT"
    return "INTERNAL_SERVER_ERROR"


def _variable_error(error: VariableError) -> dict[str, Any]:
    formatted = format_request_error(error, _request_code(error))
    formatted["message"] = error.message  # already graphql-js's words, quotes and all
    return formatted


# apollo-server-core's runHttpQuery answers a POST whose parsed body has no keys
# (``{}``, ``[]``, or a body that was not JSON and so never parsed) with this.
BODY_MISSING = "POST body missing. Did you forget use body-parser middleware?"


def run_payload(payload: Any, ctx: Context) -> GraphQLAnswer:
    """A POSTed JSON body: one operation, or an array of them.

    Apollo Server runs the operations of an array at once (``Promise.all``);
    with write costs on, so does the fake, so page writes in one array race
    as they do on Wiki.js. Without costs they run in order (nothing to race).
    """
    if isinstance(payload, dict | list) and not payload:
        return GraphQLAnswer(500, BODY_MISSING, is_text=True)
    if not isinstance(payload, list):
        return run_single(payload, ctx)
    if ctx.core.meter is not None and len(payload) > 1:
        answers = _run_together(payload, ctx)
    else:
        answers = [run_single(item, ctx, answer=GraphQLAnswer(200, None)) for item in payload]
    batch = GraphQLAnswer(200, [])
    for one in answers:
        batch.operation_names.extend(one.operation_names)
        batch.fields.extend(one.fields)
        if one.is_text:
            # Inside a batch a request error is formatted like any other error.
            error = {
                "message": one.body,
                "extensions": {"code": "INTERNAL_SERVER_ERROR", "exception": {}},
            }
            batch.body.append({"errors": [error]})
        else:
            batch.body.append(one.body)
    return batch


def _run_together(payload: list[Any], ctx: Context) -> list[GraphQLAnswer]:
    """Each operation of an array in a thread of its own, as one request each.

    The caller holds the state lock; it is let go while they run (each takes
    it in turn, and write costs let it go while they are spent).
    """
    answers: list[GraphQLAnswer | None] = [None] * len(payload)
    forks = [ctx.fork() for _ in payload]
    lock = ctx.state.lock

    def run(index: int) -> None:
        with lock:
            answers[index] = run_single(
                payload[index], forks[index], answer=GraphQLAnswer(200, None)
            )

    threads = [threading.Thread(target=run, args=(n,), daemon=True) for n in range(len(payload))]
    lock.release()
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        lock.acquire()
    for fork in forks:
        ctx.response_headers.extend(fork.response_headers)
    return [answer if answer is not None else GraphQLAnswer(500, "failed") for answer in answers]


__all__ = ["GraphQLAnswer", "executable_schema", "operation_of", "run_payload", "run_single"]
