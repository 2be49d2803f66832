# Generated from wikijs/_async/batching.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""Running many operations in few requests: chunks of aliased documents or JSON arrays."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from typing import Any, TypeVar

from _wikijs_generated.operations import OperationSpec

from .._backends import gather_bounded
from .._core import validation as v
from .._core.batch import build_batch, split_batch
from .._core.inputs import InputModel, split_update
from .._core.operation import Operation, combine
from .._core.responses import interpret
from .._core.variables import graphql_variables
from ..batch import BatchItemError, BatchMode, BatchResult
from ..errors import ResponseError, ValidationError, WikiJSError
from .pipeline import RAW, Pipeline

R = TypeVar("R")
T = TypeVar("T")

Outcome = dict[str, Any] | WikiJSError


@dataclass(frozen=True)
class BatchCall:
    """One operation of a batch: which one, with which variables."""

    spec: OperationSpec
    variables: Mapping[str, Any] = field(default_factory=dict)


@cache
def result_class(spec: OperationSpec) -> Any:
    """The generated pydantic class for an operation's result."""
    module = importlib.import_module(spec.result_module, "_wikijs_generated")
    return getattr(module, spec.result_class)


def _batch_name(calls: Sequence[BatchCall]) -> str:
    names = sorted({call.spec.name for call in calls})
    return f"Batch[{'+'.join(names)} x{len(calls)}]"


def check_mode(mode: Any) -> BatchMode:
    if mode not in ("alias", "array"):
        raise ValidationError(f"batch mode must be 'alias' or 'array', not {mode!r}", field="mode")
    return mode  # type: ignore[no-any-return]


class Batcher:
    """Sends operations in chunks and hands back one outcome per operation.

    Args:
        pipeline: where requests go (middleware included).
        chunk_size: operations per request.
        mode: ``"alias"`` (one aliased document) or ``"array"`` (a JSON array).
        concurrency: chunks in flight at once (async client only; the sync
            client sends chunks one after the other).
    """

    def __init__(
        self, pipeline: Pipeline, *, chunk_size: int, mode: BatchMode, concurrency: int
    ) -> None:
        self.pipeline = pipeline
        self.chunk_size = v.check_positive(chunk_size, "batch_size")
        self.mode = check_mode(mode)
        self.concurrency = v.check_positive(concurrency, "batch_concurrency")

    def run(
        self,
        calls: Sequence[BatchCall],
        *,
        chunk_size: int | None = None,
        mode: BatchMode | None = None,
    ) -> list[Outcome]:
        """One outcome per call, in order: the checked ``data`` or the typed error."""
        size = self.chunk_size if chunk_size is None else v.check_positive(chunk_size, "chunk_size")
        chosen = self.mode if mode is None else check_mode(mode)
        chunks = [calls[i : i + size] for i in range(0, len(calls), size)]
        results = gather_bounded(
            [partial(self._chunk, chunk, chosen) for chunk in chunks], self.concurrency
        )
        return [outcome for chunk in results for outcome in chunk]

    def _chunk(self, calls: Sequence[BatchCall], mode: BatchMode) -> list[Outcome]:
        kinds = {call.spec.kind for call in calls}
        if len(kinds) != 1:
            raise ValidationError("a batch cannot mix queries and mutations")
        name = _batch_name(calls)
        if mode == "alias":
            request = build_batch([(call.spec.document, call.variables) for call in calls])
            operation = Operation(name, request.document, request.variables, {RAW: True})
        else:
            members = tuple(
                Operation(call.spec.name, call.spec.document, call.variables) for call in calls
            )
            facts = combine(name, [member.facts for member in members])
            operation = Operation(name, "", {}, {RAW: True}, members, facts)
        try:
            raw = self.pipeline.run_operation(operation)
        except WikiJSError as exc:
            return [exc] * len(calls)
        status: int = raw["status"]
        payload = raw["payload"]
        if mode == "alias":
            if not isinstance(payload, Mapping):
                error = ResponseError("the batch answer is not a JSON object", operation=name)
                return [error] * len(calls)
            parts = split_batch(request.plan, payload.get("data"), payload.get("errors"))
            return [
                interpret(call.spec.name, status, {"data": data, "errors": errors})
                for call, (data, errors) in zip(calls, parts, strict=True)
            ]
        if not isinstance(payload, list) or len(payload) != len(calls):
            # A server without array support answers one error object.
            if isinstance(payload, Mapping):
                return [interpret(name, status, payload)] * len(calls)
            error = ResponseError("the batch answer is not an array of results", operation=name)
            return [error] * len(calls)
        return [
            interpret(call.spec.name, status, item)
            for call, item in zip(calls, payload, strict=True)
        ]

    def map(
        self,
        inputs: Iterable[T],
        prepare: Callable[[int, T], BatchCall | WikiJSError],
        finish: Callable[[int, T, Any], R],
        *,
        chunk_size: int | None = None,
        mode: BatchMode | None = None,
    ) -> BatchResult[R]:
        """Prepare a call per input, run them batched, finish each typed result.

        ``prepare`` may raise (or return) a WikiJSError for an invalid input,
        and ``finish`` gets the validated generated result (both also get the
        input's index); whatever either raises becomes that item's
        :class:`BatchItemError`.
        """
        items = list(inputs)
        results: list[Any] = [None] * len(items)
        pending: list[tuple[int, BatchCall]] = []
        for index, item in enumerate(items):
            try:
                prepared = prepare(index, item)
            except WikiJSError as exc:
                prepared = exc
            if isinstance(prepared, WikiJSError):
                results[index] = BatchItemError(index, item, prepared)
            else:
                pending.append((index, prepared))
        outcomes = self.run([call for _, call in pending], chunk_size=chunk_size, mode=mode)
        for (index, call), outcome in zip(pending, outcomes, strict=True):
            item = items[index]
            if isinstance(outcome, WikiJSError):
                results[index] = BatchItemError(index, item, outcome)
                continue
            try:
                results[index] = finish(
                    index, item, result_class(call.spec).model_validate(outcome)
                )
            except WikiJSError as exc:
                results[index] = BatchItemError(index, item, exc)
        return BatchResult(results)


def safe_update_many(
    batcher: Batcher,
    updates: Iterable[Any],
    *,
    model: type[InputModel],
    noun: str,
    get_many: Callable[..., BatchResult[Any]],
    merge: Callable[[Any, Mapping[str, Any]], dict[str, Any]],
    spec: OperationSpec,
    chunk_size: int | None,
    mode: BatchMode | None,
) -> BatchResult[Any]:
    """Safe partial updates of many records: one batched read, one batched write,
    one batched read of the result.

    Each item is ``{"id": 7, field: value}`` or ``(7, Model | mapping)``. Wiki.js
    updates are not partial, so every record is read, merged with its changes
    (``merge(current, changes)`` → the update's variables) and written whole;
    a record may appear once per batch. Whatever fails (validation, the read,
    the write) fails alone, as that item's :class:`BatchItemError`.
    """
    items = list(updates)
    parsed: dict[int, tuple[int, dict[str, Any]]] = {}
    errors: dict[int, WikiJSError] = {}
    seen: dict[int, int] = {}
    for index, item in enumerate(items):
        try:
            record_id, fields = split_update(item, model)
            if record_id in seen:
                raise ValidationError(
                    f"{noun} {record_id} is already updated by item {seen[record_id]}; "
                    "merge the changes into one item",
                    field="id",
                )
            seen[record_id] = index
            parsed[index] = (record_id, fields)
        except WikiJSError as exc:
            errors[index] = exc

    order = sorted(parsed)
    current = get_many([parsed[i][0] for i in order], chunk_size=chunk_size, mode=mode)
    writes: dict[int, dict[str, Any]] = {}
    for index, outcome in zip(order, current.results, strict=True):
        if isinstance(outcome, BatchItemError):
            errors[index] = outcome.error
        else:
            writes[index] = merge(outcome, parsed[index][1])

    def prepare(index: int, position: int) -> BatchCall:
        return BatchCall(spec, graphql_variables(writes[position]))

    def finish(index: int, position: int, result: Any) -> int:
        return int(writes[position]["id"])

    positions = sorted(writes)
    written = batcher.map(positions, prepare, finish, chunk_size=chunk_size, mode=mode)
    for position, write in zip(positions, written.results, strict=True):
        if isinstance(write, BatchItemError):
            errors[position] = write.error
    done = [p for p in positions if p not in errors]
    fetched = get_many([parsed[p][0] for p in done], chunk_size=chunk_size, mode=mode)
    results: list[Any] = [
        BatchItemError(i, items[i], errors[i]) if i in errors else None for i in range(len(items))
    ]
    for position, outcome in zip(done, fetched.results, strict=True):
        results[position] = (
            BatchItemError(position, items[position], outcome.error)
            if isinstance(outcome, BatchItemError)
            else outcome
        )
    return BatchResult(results)
