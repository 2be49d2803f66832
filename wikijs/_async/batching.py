"""Running many operations in few requests: chunks of aliased documents or JSON arrays.

Reads go out in chunks of ``batch_size``, several at once. Writes are sized
for what the server really costs: a chunk holds no more estimated server
time than half the client's read timeout (``_protocol/writes.py`` has the figures
measured on a real Wiki.js, refined by what this client measures) and no more
bytes than the server's body limit, and chunks run one after another (page
writes in parallel collide in Wiki.js's page-tree rebuild). When a chunk's
fate is unknown (cut connection, timeout, 5xx), the resource reads back which
items landed; the others are sent again, so a landed item is never reported
as failed.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from typing import Any, TypeVar

import orjson

from wikijs._generated.operations import OperationSpec

from .._backends import async_gather_bounded, monotonic
from .._constants import MAX_REQUEST_BYTES, WRITE_BUDGET_FRACTION
from .._http.config import ClientConfig
from .._http.raw import CALLS_OPTION
from .._protocol import validation as v
from .._protocol.batch import build_batch, split_batch
from .._protocol.inputs import InputModel, split_update
from .._protocol.operation import Operation, combine
from .._protocol.responses import interpret
from .._protocol.retry import (
    RETRY_OPTION,
    RetryStrategy,
    outcome_unknown,
    refused_unprocessed,
    retryable_status,
    server_retry_after,
)
from .._protocol.variables import graphql_variables
from .._protocol.writes import CostModel, is_idempotent, plan_chunks
from ..batch import BatchItemError, BatchMode, BatchProgress, BatchResult, ProgressCallback
from ..errors import (
    InvalidArgumentError,
    QueryError,
    ResponseError,
    TransportError,
    UnsupportedByServerError,
    WikiJSError,
)
from .layers import pause
from .pipeline import RAW, AsyncPipeline

logger = logging.getLogger("wikijs.batch")

R = TypeVar("R")
T = TypeVar("T")

Outcome = dict[str, Any] | WikiJSError

#: ``reconcile(pending)``: for items whose write may have landed, the finished
#: value of each that did (read back from the server), or ``None``.
Reconcile = Callable[[Sequence[tuple[int, Any]]], Awaitable[Sequence[Any | None]]]
#: The same, by position in the batch's calls.
Settle = Callable[[Sequence[int]], Awaitable[Sequence[Any | None]]]


@dataclass(frozen=True)
class BatchCall:
    """One operation of a batch: which one, with which variables."""

    spec: OperationSpec
    variables: Mapping[str, Any] = field(default_factory=dict)


@cache
def result_class(spec: OperationSpec) -> Any:
    """The generated pydantic class for an operation's result."""
    module = importlib.import_module(spec.result_module, "wikijs._generated")
    return getattr(module, spec.result_class)


def _batch_name(calls: Sequence[BatchCall]) -> str:
    names = sorted({call.spec.name for call in calls})
    return f"Batch[{'+'.join(names)} x{len(calls)}]"


@dataclass(frozen=True)
class Landed:
    """An item whose write was confirmed by reading it back: its finished value."""

    value: Any


def _encoded_size(call: BatchCall) -> int:
    """The bytes one item adds to a request body (variables and its document)."""
    try:
        return len(orjson.dumps(call.variables)) + len(call.spec.document)
    except TypeError:
        return len(call.spec.document)  # the request's own encoding reports it


class ChunkFailed(Exception):
    """A batch request failed as a whole (nothing per item to read)."""

    def __init__(self, error: WikiJSError) -> None:
        super().__init__(str(error))
        self.error = error


def _too_large(error: WikiJSError) -> bool:
    """HTTP 413: the server refused the request body unread (Wiki.js's bodyParserLimit)."""
    return getattr(error, "status_code", None) == 413


def _worth_repeating(error: WikiJSError) -> bool:
    """Whether writes that did not land may be sent again after ``error``.

    Yes after a transport failure, a refusal that processed nothing (429,
    503 with Retry-After) and a 5xx; no after Wiki.js refused the request
    itself (a GraphQL or validation error would only repeat).
    """
    if refused_unprocessed(error) or isinstance(error, TransportError):
        return True
    status = retryable_status(error)
    return status is not None and status >= 500


async def _pause(policy: RetryStrategy, attempt: int, error: WikiJSError) -> None:
    wait = server_retry_after(error)
    delay = wait if wait is not None else policy.backoff_delay(attempt, policy.rng)
    await pause(policy.sleep, min(delay, policy.max_retry_after))


class AsyncBatcher:
    """Sends operations in chunks and hands back one outcome per operation.

    Args:
        pipeline: where requests go (middleware included).
        chunk_size: operations per request.
        mode: ``"alias"`` (one aliased document) or ``"array"`` (a JSON array).
        concurrency: chunks in flight at once (async client only; the sync
            client sends chunks one after the other).
        retry: the policy for writes sent again (``None``: none are).
        options: what every batch request carries (a client view's options).
        config: whose read timeout bounds a write request (the pipeline's
            by default).
        costs: what has been measured of the server's write costs (shared
            by a client and its views).
    """

    def __init__(
        self,
        pipeline: AsyncPipeline,
        *,
        chunk_size: int,
        mode: BatchMode,
        concurrency: int,
        retry: RetryStrategy | None = None,
        max_bytes: int = MAX_REQUEST_BYTES,
        options: Mapping[str, Any] | None = None,
        config: ClientConfig | None = None,
        costs: CostModel | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.chunk_size = v.check_positive(chunk_size, "batch_size")
        self.mode = v.check_batch_mode(mode)
        self.concurrency = v.check_positive(concurrency, "batch_concurrency")
        self.retry = retry
        self.max_bytes = max_bytes
        self.options: Mapping[str, Any] = options or {}
        self.costs = costs if costs is not None else CostModel()
        read = (config or pipeline.config).timeout.read
        #: Estimated server seconds one write request may hold (None: no limit).
        self.write_budget = read * WRITE_BUDGET_FRACTION if read else None

    async def run(
        self,
        calls: Sequence[BatchCall],
        *,
        chunk_size: int | None = None,
        mode: BatchMode | None = None,
    ) -> list[Outcome]:
        """One outcome per call, in order: the checked ``data`` or the typed error."""
        size = self.chunk_size if chunk_size is None else v.check_positive(chunk_size, "chunk_size")
        chosen = self.mode if mode is None else v.check_batch_mode(mode)
        chunks = [calls[i : i + size] for i in range(0, len(calls), size)]
        results = await async_gather_bounded(
            [partial(self._chunk, chunk, chosen) for chunk in chunks], self.concurrency
        )
        return [outcome for chunk in results for outcome in chunk]

    async def _chunk(self, calls: Sequence[BatchCall], mode: BatchMode) -> list[Outcome]:
        try:
            return await self._send_chunk(calls, mode)
        except ChunkFailed as failed:
            return [failed.error] * len(calls)

    async def _send_chunk(
        self, calls: Sequence[BatchCall], mode: BatchMode, options: Mapping[str, Any] | None = None
    ) -> list[Outcome]:
        """One request for ``calls``: an outcome per call, or ChunkFailed for the whole.

        Each call goes in the form the server's Wiki.js runs (``_protocol/compat.py``);
        one it cannot run fails alone. When an older Wiki.js refuses the
        request for what its schema lacks, the chunk is sent once more in the
        forms that leave it out.
        """
        kinds = {call.spec.kind for call in calls}
        if len(kinds) != 1:
            raise InvalidArgumentError("a batch cannot mix queries and mutations")
        outcomes = await self._send_adapted(calls, mode, options)
        if self._learn(calls, outcomes, mode):
            outcomes = await self._send_adapted(calls, mode, options)
        return outcomes

    def _learn(self, calls: Sequence[BatchCall], outcomes: Sequence[Outcome], mode: str) -> bool:
        refused = [
            (call, outcome)
            for call, outcome in zip(calls, outcomes, strict=True)
            if isinstance(outcome, QueryError) and not isinstance(outcome, UnsupportedByServerError)
        ]
        if not refused:
            return False
        server = self.pipeline.server
        if mode == "alias":  # one document: its errors are everyone's
            operations = [(call.spec.name, call.spec.document) for call, _ in refused]
            return server.learn_batch(operations, refused[0][1].errors)
        learned = [
            server.learn_batch([(call.spec.name, call.spec.document)], error.errors)
            for call, error in refused
        ]
        return any(learned)

    async def _send_adapted(
        self, calls: Sequence[BatchCall], mode: BatchMode, options: Mapping[str, Any] | None
    ) -> list[Outcome]:
        server = self.pipeline.server
        outcomes: list[Outcome] = []
        sendable: list[tuple[int, BatchCall]] = []
        for position, call in enumerate(calls):
            try:
                document, variables = server.adapt(
                    call.spec.name, call.spec.document, call.variables
                )
            except UnsupportedByServerError as exc:
                outcomes.append(exc)
                continue
            outcomes.append({})
            sendable.append((position, BatchCall(call.spec._replace(document=document), variables)))
        if sendable:
            answers = await self._request([call for _, call in sendable], mode, options)
            for (position, _), answer in zip(sendable, answers, strict=True):
                outcomes[position] = answer
        return outcomes

    async def _request(
        self, calls: Sequence[BatchCall], mode: BatchMode, options: Mapping[str, Any] | None
    ) -> list[Outcome]:
        name = _batch_name(calls)
        chosen = {**self.options, RAW: True, **(options or {})}
        if mode == "alias":
            request = build_batch([(call.spec.document, call.variables) for call in calls])
            # the calls as written, for a raw response (their variables are renamed)
            chosen[CALLS_OPTION] = tuple((c.spec.name, c.spec.document, c.variables) for c in calls)
            operation = Operation(name, request.document, request.variables, chosen)
        else:
            members = tuple(
                Operation(call.spec.name, call.spec.document, call.variables) for call in calls
            )
            facts = combine(name, [member.facts for member in members])
            operation = Operation(name, "", {}, chosen, members, facts)
        try:
            raw = await self.pipeline.run_operation(operation)
        except WikiJSError as exc:
            raise ChunkFailed(exc) from None
        status: int = raw["status"]
        payload = raw["payload"]
        if mode == "alias":
            if not isinstance(payload, Mapping):
                error = ResponseError("the batch answer is not a JSON object", operation=name)
                raise ChunkFailed(error)
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
            raise ChunkFailed(error)
        return [
            interpret(call.spec.name, status, item)
            for call, item in zip(calls, payload, strict=True)
        ]

    async def map(
        self,
        inputs: Iterable[T],
        prepare: Callable[[int, T], BatchCall | WikiJSError],
        finish: Callable[[int, T, Any], R],
        *,
        chunk_size: int | None = None,
        mode: BatchMode | None = None,
        reconcile: Reconcile | None = None,
        progress: ProgressCallback | None = None,
    ) -> BatchResult[R]:
        """Prepare a call per input, run them batched, finish each typed result.

        ``prepare`` may raise (or return) a WikiJSError for an invalid input,
        and ``finish`` gets the validated generated result (both also get the
        input's index); whatever either raises becomes that item's
        :class:`BatchItemError`. Mutations run through :meth:`write`, with
        ``reconcile`` (the finished value of each item that landed, read
        back, or ``None``) settling the items whose fate a failure left
        unknown; ``progress`` hears after every request.
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
        calls = [call for _, call in pending]
        if calls and calls[0].spec.kind == "mutation":
            settle: Settle | None = None
            if reconcile is not None:
                check = reconcile

                async def settle(positions: Sequence[int]) -> Sequence[Any | None]:
                    return await check([(pending[p][0], items[pending[p][0]]) for p in positions])

            outcomes: list[Any] = await self.write(
                calls,
                settle,
                chunk_size=chunk_size,
                mode=mode,
                progress=progress,
                failed=len(items) - len(pending),
            )
        else:
            outcomes = await self.run(calls, chunk_size=chunk_size, mode=mode)
        for (index, call), outcome in zip(pending, outcomes, strict=True):
            item = items[index]
            if isinstance(outcome, Landed):
                results[index] = outcome.value
                continue
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

    async def write(
        self,
        calls: Sequence[BatchCall],
        settle: Settle | None,
        *,
        chunk_size: int | None = None,
        mode: BatchMode | None = None,
        progress: ProgressCallback | None = None,
        failed: int = 0,
    ) -> list[Outcome | Landed]:
        """Send mutations in chunks sized for the server, one chunk at a time.

        A chunk's estimated server time stays under :attr:`write_budget` and
        its body under :attr:`max_bytes`. When a chunk fails as a whole and
        its fate is unknown, ``settle(positions)`` reads back which of its
        writes landed (their finished values, kept as :class:`Landed`); the
        others are sent again, in chunks sized by the slower estimate, while
        the retry policy allows. A chunk of several items that the server
        refuses as too large (HTTP 413: nothing was applied) is sent again in
        smaller chunks, and the lower limit is kept. Without ``settle``, only idempotent writes
        are sent again after an unknown outcome (a create would be doubled).
        ``failed`` counts inputs refused before this call (for ``progress``).
        """
        size = self.chunk_size if chunk_size is None else v.check_positive(chunk_size, "chunk_size")
        chosen = self.mode if mode is None else v.check_batch_mode(mode)
        outcomes: list[Outcome | Landed | None] = [None] * len(calls)
        sizes = [_encoded_size(call) for call in calls]
        for position, encoded in enumerate(sizes):
            if encoded > self.max_bytes:
                outcomes[position] = InvalidArgumentError(
                    f"the item is {encoded:,} bytes as JSON, over the server's request body "
                    f"limit of {self.max_bytes:,} bytes",
                    operation=calls[position].spec.name,
                )
        queue = [p for p in range(len(calls)) if outcomes[p] is None]
        tries = dict.fromkeys(queue, 0)
        resent: set[int] = set()  # sent again after a request whose fate was unknown
        while queue:
            name = calls[queue[0]].spec.name
            first = plan_chunks(
                [sizes[p] for p in queue],
                self.costs.estimate(name),
                max_items=size,
                budget=self.write_budget,
                max_bytes=self.max_bytes,
            )[0]
            chunk, queue = queue[: len(first)], queue[len(first) :]
            started = monotonic()
            try:
                # The retry layer stays out: a chunk that failed is settled
                # here, item by item, instead of being sent again whole.
                results = await self._send_chunk(
                    [calls[p] for p in chunk], chosen, {RETRY_OPTION: False}
                )
            except ChunkFailed as failed_chunk:
                failure: WikiJSError | None = failed_chunk.error
                results = [failed_chunk.error] * len(chunk)
            else:
                failure = None
            if len(chunk) > 1 and all(
                isinstance(o, WikiJSError) and _too_large(o) for o in results
            ):
                # Refused before it was read (nothing applied): the server's
                # body limit is below the one assumed. Learn a lower one and
                # send the same items again in smaller requests.
                self.max_bytes = max(1, sum(sizes[p] for p in chunk) // 2)
                logger.info(
                    "%s: a request of %d items was too large for the server (HTTP 413); "
                    "sending them again in requests of at most %d bytes",
                    name,
                    len(chunk),
                    self.max_bytes,
                )
                queue = chunk + queue
                continue
            if failure is None:
                for position, outcome in zip(chunk, results, strict=True):
                    if position in resent and isinstance(outcome, WikiJSError):
                        # e.g. a ConflictError that may be our own earlier write
                        outcome.previous_attempt_unknown = True
                    outcomes[position] = outcome
            self.costs.observe(name, monotonic() - started, len(chunk))
            if failure is not None:
                again = await self._settle(
                    chunk, failure, settle, outcomes, tries, [calls[p] for p in chunk]
                )
                if again:
                    logger.info(
                        "%s: %d of %d writes did not land (%s); sending them again",
                        name,
                        len(again),
                        len(chunk),
                        type(failure).__name__,
                    )
                    assert self.retry is not None
                    await _pause(self.retry, max(tries[p] for p in again), failure)
                    if outcome_unknown(failure):
                        resent.update(again)
                    queue = again + queue
            if progress is not None:
                settled = [o for o in outcomes if o is not None]
                errors = failed + sum(isinstance(o, WikiJSError) for o in settled)
                progress(
                    BatchProgress(
                        done=failed + len(settled), total=failed + len(calls), failed=errors
                    )
                )
        return [o if o is not None else ResponseError("no outcome") for o in outcomes]

    async def _settle(
        self,
        chunk: Sequence[int],
        failure: WikiJSError,
        settle: Settle | None,
        outcomes: list[Outcome | Landed | None],
        tries: dict[int, int],
        calls: Sequence[BatchCall],
    ) -> list[int]:
        """After a chunk failed whole: record what landed; return what to send again."""
        landed: Sequence[Any | None] = [None] * len(chunk)
        if outcome_unknown(failure):
            if settle is None and not all(is_idempotent(call.spec.name) for call in calls):
                # Nothing tells what landed, and sending again may double it.
                for position in chunk:
                    outcomes[position] = failure
                return []
            if settle is not None:
                try:
                    landed = await settle(chunk)
                except WikiJSError as exc:
                    logger.warning("could not read back which writes landed: %s", exc)
                    for position in chunk:
                        outcomes[position] = failure
                    return []
        again: list[int] = []
        for position, value in zip(chunk, landed, strict=True):
            if value is not None:
                outcomes[position] = Landed(value)
                continue
            tries[position] += 1
            policy = self.retry
            if (
                policy is not None
                and tries[position] <= policy.max_retries
                and _worth_repeating(failure)
            ):
                again.append(position)
            else:
                outcomes[position] = failure
        return again


async def safe_update_many(
    batcher: AsyncBatcher,
    updates: Iterable[Any],
    *,
    model: type[InputModel],
    noun: str,
    get_many: Callable[..., Awaitable[BatchResult[Any]]],
    merge: Callable[[Any, Mapping[str, Any]], dict[str, Any]],
    spec: OperationSpec,
    chunk_size: int | None,
    mode: BatchMode | None,
    applied: Callable[[Any, Mapping[str, Any]], bool] | None = None,
    landed_anyway: Callable[[WikiJSError], bool] | None = None,
    progress: ProgressCallback | None = None,
) -> BatchResult[Any]:
    """Safe partial updates of many records: one batched read, one batched write,
    one batched read of the result.

    Each item is ``{"id": 7, field: value}`` or ``(7, Model | mapping)``. Wiki.js
    updates are not partial, so every record is read, merged with its changes
    (``merge(current, changes)`` → the update's variables) and written whole;
    a record may appear once per batch. Whatever fails (validation, the read,
    the write) fails alone, as that item's :class:`BatchItemError`. When a
    write request fails without an answer, each record is read again and
    ``applied(record, variables)`` tells whether the update is in; a write
    error for which ``landed_anyway(error)`` is true counts as done (a page
    write whose worker job failed after the row changed).
    """
    items = list(updates)
    parsed: dict[int, tuple[int, dict[str, Any]]] = {}
    errors: dict[int, WikiJSError] = {}
    seen: dict[int, int] = {}
    for index, item in enumerate(items):
        try:
            record_id, fields = split_update(item, model)
            if record_id in seen:
                raise InvalidArgumentError(
                    f"{noun} {record_id} is already updated by item {seen[record_id]}; "
                    "merge the changes into one item",
                    field="id",
                )
            seen[record_id] = index
            parsed[index] = (record_id, fields)
        except WikiJSError as exc:
            errors[index] = exc

    order = sorted(parsed)
    current = await get_many([parsed[i][0] for i in order], chunk_size=chunk_size, mode=mode)
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

    async def reconcile(pending: Sequence[tuple[int, int]]) -> list[int | None]:
        if applied is None:
            return [None] * len(pending)
        ids = [int(writes[position]["id"]) for _, position in pending]
        now = await get_many(ids, chunk_size=chunk_size, mode=mode)
        return [
            record_id
            if not isinstance(record, BatchItemError) and applied(record, writes[position])
            else None
            for (_, position), record_id, record in zip(pending, ids, now.results, strict=True)
        ]

    positions = sorted(writes)
    written = await batcher.map(
        positions,
        prepare,
        finish,
        chunk_size=chunk_size,
        mode=mode,
        reconcile=reconcile,
        progress=progress,
    )
    for position, write in zip(positions, written.results, strict=True):
        if isinstance(write, BatchItemError):
            if landed_anyway is not None and landed_anyway(write.error):
                continue
            errors[position] = write.error
    done = [p for p in positions if p not in errors]
    fetched = await get_many([parsed[p][0] for p in done], chunk_size=chunk_size, mode=mode)
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
