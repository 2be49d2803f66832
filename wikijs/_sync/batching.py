# Generated from wikijs/_async/batching.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

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
import itertools
import logging
from collections import Counter
from collections.abc import (
    Callable,
    Collection,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, partial
from typing import Any, Protocol, TypeVar

import orjson

from wikijs._generated.operations import OperationSpec

from .._backends import Condition, Lanes, gather_bounded, monotonic
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
from .._protocol.writes import (
    CostModel,
    LanePlanner,
    Overlap,
    is_idempotent,
    lane_share,
    plan_chunks,
)
from ..batch import BatchItemError, BatchMode, BatchProgress, BatchResult, ProgressCallback
from ..errors import (
    InvalidArgumentError,
    PageJobError,
    QueryError,
    RateLimitedError,
    RequestTimeoutError,
    ResponseError,
    TransportError,
    UnsupportedByServerError,
    WikiJSError,
)
from .layers import pause
from .pipeline import RAW, Pipeline

logger = logging.getLogger("wikijs.batch")

R = TypeVar("R")
T = TypeVar("T")

Outcome = dict[str, Any] | WikiJSError
_TOKENS = itertools.count(1)

#: ``reconcile(pending)``: for items whose write may have landed, the finished
#: value of each that did (read back from the server), or ``None``.
Reconcile = Callable[[Sequence[tuple[int, Any]]], Sequence[Any | None]]
#: The same, by position in the batch's calls.
Settle = Callable[[Sequence[int]], Sequence[Any | None]]


@dataclass(frozen=True)
class BatchCall:
    """One operation of a batch: which one, with which variables.

    ``claims``: names the write may bring into being that no other write in
    flight may bring at the same time (a page's tags: Wiki.js creates a new
    tag on first use, and two writes creating it at once collide).
    """

    spec: OperationSpec
    variables: Mapping[str, Any] = field(default_factory=dict)
    claims: frozenset[str] = frozenset()


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


class WriteGate(Protocol):
    """Keeps two writes in flight from bringing the same new name (a tag) at once.

    ``claims`` of a :class:`BatchCall` are what it checks. The page
    resources' gate is :class:`~wikijs._sync.page_jobs.TagGate`.
    """

    def load(self) -> None:
        """Learn which names exist already (once)."""

    def new(self, names: frozenset[str]) -> frozenset[str]:
        """Which of ``names`` a write would bring into being, as far as known."""

    def try_claim(self, names: frozenset[str]) -> object | None:
        """A claim on ``names``, or ``None`` while another write in flight holds one of them."""

    def claim(self, names: frozenset[str]) -> object:
        """A claim on ``names``, waiting for writes in flight that hold one of them."""

    def release(self, claim: object, *, landed: Collection[str]) -> None:
        """The write is over; ``landed``: the names it is known to have brought."""


@dataclass(frozen=True)
class _Sent:
    """What one request of a write batch came back with."""

    token: int
    chunk: Sequence[int]
    results: list[Outcome] | None  # one per item, or None when the request failed whole
    failure: WikiJSError | None
    started: float
    ended: float


@dataclass
class _WriteRun:
    """The state of one :meth:`Batcher.write`: what is queued, what came back."""

    calls: Sequence[BatchCall]
    sizes: Sequence[int]
    outcomes: list[Outcome | Landed | None]
    queue: list[int]
    tries: dict[int, int] = field(default_factory=dict)
    resent: set[int] = field(default_factory=set)  # sent again after an unknown outcome

    def __post_init__(self) -> None:
        self.tries = dict.fromkeys(self.queue, 0)

    @staticmethod
    def next_token() -> int:
        """A name for one request, unique in the process (slots are shared by batches)."""
        return next(_TOKENS)

    def names(self, chunk: Sequence[int]) -> frozenset[str]:
        return frozenset(name for p in chunk for name in self.calls[p].claims)

    def landed_names(self, sent: _Sent) -> frozenset[str]:
        """The claimed names of the items the server is known to have written."""
        if sent.results is None:
            return frozenset()
        return frozenset(
            name
            for position, outcome in zip(sent.chunk, sent.results, strict=True)
            if not isinstance(outcome, WikiJSError) or _landed(outcome)
            for name in self.calls[position].claims
        )


def _landed(error: WikiJSError) -> bool:
    """A page write that landed although a later step failed (not a tag race: its
    tags are what did not land)."""
    return isinstance(error, PageJobError) and error.job != "tags"


def _raced(error: WikiJSError) -> bool:
    """A write that collided with another in flight on something they share (a new tag)."""
    return isinstance(error, PageJobError) and error.job == "tags"


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


def _pause(policy: RetryStrategy, attempt: int, error: WikiJSError) -> None:
    wait = server_retry_after(error)
    delay = wait if wait is not None else policy.backoff_delay(attempt, policy.rng)
    pause(policy.sleep, min(delay, policy.max_retry_after))


class WriteSlots:
    """The page write requests of one client in flight: what its lanes count.

    Every write request of the client takes a slot while it is out: the
    batches' chunks and the page resources' single writes (a caller's
    ``gather`` or threads) alike. A request waits while the client already
    has as many out as the planner of its mutation allows, so the planners'
    measurements, and the server's load, cover all of them.
    """

    def __init__(self) -> None:
        self._busy = 0
        self._changed = Condition()
        self._overlap = Overlap()

    @property
    def busy(self) -> int:
        """Write requests of the client out now."""
        return self._busy

    def take(self, token: object, limit: int, *, wait: bool) -> bool:
        """A slot for ``token`` while fewer than ``limit`` are taken (``wait``: until then)."""
        with self._changed:
            while self._busy >= limit:
                if not wait:
                    return False
                self._changed.wait()
            self._busy += 1
            self._overlap.start(token, monotonic())
            return True

    def give(self, token: object, at: float | None = None) -> float:
        """Give ``token``'s slot back (its request ended ``at``); the requests out, on
        average, beside it and with it while it was."""
        with self._changed:
            self._busy -= 1
            in_flight = self._overlap.finish(token, monotonic() if at is None else at)
            self._changed.notify_all()
            return in_flight


class Batcher:
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
        shared: the client's batcher, for a view's: the view writes with what
            it has measured of the server (costs, lane planners) and in its
            write lanes (one server, one count of requests in flight).
    """

    def __init__(
        self,
        pipeline: Pipeline,
        *,
        chunk_size: int,
        mode: BatchMode,
        concurrency: int,
        retry: RetryStrategy | None = None,
        max_bytes: int = MAX_REQUEST_BYTES,
        options: Mapping[str, Any] | None = None,
        config: ClientConfig | None = None,
        shared: Batcher | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.chunk_size = v.check_positive(chunk_size, "batch_size")
        self.mode = v.check_batch_mode(mode)
        self.concurrency = v.check_positive(concurrency, "batch_concurrency")
        self.retry = retry
        self.max_bytes = max_bytes
        self.options: Mapping[str, Any] = options or {}
        self.costs: CostModel = shared.costs if shared is not None else CostModel()
        self._planners: dict[str, LanePlanner] = shared._planners if shared is not None else {}
        #: The client's write requests in flight (batches and single page writes).
        self.slots: WriteSlots = shared.slots if shared is not None else WriteSlots()
        read = (config or pipeline.config).timeout.read
        #: Estimated server seconds one write request may hold (None: no limit).
        self.write_budget = read * WRITE_BUDGET_FRACTION if read else None

    def run(
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
        results = gather_bounded(
            [partial(self._chunk, chunk, chosen) for chunk in chunks], self.concurrency
        )
        return [outcome for chunk in results for outcome in chunk]

    def _chunk(self, calls: Sequence[BatchCall], mode: BatchMode) -> list[Outcome]:
        try:
            return self._send_chunk(calls, mode)
        except ChunkFailed as failed:
            return [failed.error] * len(calls)

    def _send_chunk(
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
        outcomes = self._send_adapted(calls, mode, options)
        if self._learn(calls, outcomes, mode):
            outcomes = self._send_adapted(calls, mode, options)
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

    def _send_adapted(
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
            answers = self._request([call for _, call in sendable], mode, options)
            for (position, _), answer in zip(sendable, answers, strict=True):
                outcomes[position] = answer
        return outcomes

    def _request(
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
            raw = self.pipeline.run_operation(operation)
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

    def map(
        self,
        inputs: Iterable[T],
        prepare: Callable[[int, T], BatchCall | WikiJSError],
        finish: Callable[[int, T, Any], R],
        *,
        chunk_size: int | None = None,
        mode: BatchMode | None = None,
        reconcile: Reconcile | None = None,
        progress: ProgressCallback | None = None,
        concurrency: int | None = None,
        gate: WriteGate | None = None,
    ) -> BatchResult[R]:
        """Prepare a call per input, run them batched, finish each typed result.

        ``prepare`` may raise (or return) a WikiJSError for an invalid input,
        and ``finish`` gets the validated generated result (both also get the
        input's index); whatever either raises becomes that item's
        :class:`BatchItemError`. Mutations run through :meth:`write`, with
        ``reconcile`` (the finished value of each item that landed, read
        back, or ``None``) settling the items whose fate a failure left
        unknown; ``progress`` hears after every request; ``concurrency`` and
        ``gate`` go to :meth:`write`.
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

                def settle(positions: Sequence[int]) -> Sequence[Any | None]:
                    return check([(pending[p][0], items[pending[p][0]]) for p in positions])

            outcomes: list[Any] = self.write(
                calls,
                settle,
                chunk_size=chunk_size,
                mode=mode,
                progress=progress,
                failed=len(items) - len(pending),
                concurrency=concurrency,
                gate=gate,
            )
        else:
            outcomes = self.run(calls, chunk_size=chunk_size, mode=mode)
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

    @contextmanager
    def turn(self, operation: str) -> Iterator[None]:
        """Hold a write slot for one single write of ``operation`` (a page resource's).

        It waits while the client has as many write requests out as the
        operation's planner allows; its time and outcome teach the planner
        and the cost model as a batch's requests do.
        """
        planner = self.planner(operation)
        token = _WriteRun.next_token()
        self.slots.take(token, planner.lanes, wait=True)
        started = monotonic()
        given = False
        try:
            yield
        except (RequestTimeoutError, RateLimitedError):
            self.slots.give(token)
            given = True
            planner.trouble()
            raise
        finally:
            if not given:
                in_flight = self.slots.give(token)
        seconds = monotonic() - started
        planner.observe(1, seconds, in_flight)
        self.costs.observe(operation, seconds, 1, in_flight)

    def planner(self, operation: str) -> LanePlanner:
        """The lane planner of one mutation: how many of its requests go at once.

        Kept for the client's life, so a second batch starts where the first
        ended (see :class:`~wikijs._protocol.writes.LanePlanner`).
        """
        planner = self._planners.get(operation)
        if planner is None:
            planner = self._planners[operation] = LanePlanner()
        return planner

    def write(
        self,
        calls: Sequence[BatchCall],
        settle: Settle | None,
        *,
        chunk_size: int | None = None,
        mode: BatchMode | None = None,
        progress: ProgressCallback | None = None,
        failed: int = 0,
        concurrency: int | None = None,
        gate: WriteGate | None = None,
    ) -> list[Outcome | Landed]:
        """Send mutations in chunks sized for the server, several requests at once.

        A chunk's estimated server time stays under :attr:`write_budget` and
        its body under :attr:`max_bytes`. Up to ``concurrency`` chunks are in
        flight at once (lanes); without it, the mutation's
        :meth:`planner` chooses from the throughput it measures. Without
        ``chunk_size``, requests get smaller towards the end of the batch so
        that the lanes finish together; with it, each request holds that
        many writes (fewer only for the time and byte budgets). Outcomes
        come back in input order whatever order the chunks finish in. When a
        chunk fails as a whole and its fate is unknown, ``settle(positions)``
        reads back which of its writes landed (their finished values, kept
        as :class:`Landed`); the others are sent again, in chunks sized by
        the slower estimate, while the retry policy allows. A chunk of several
        items that the server refuses as too large (HTTP 413: nothing was
        applied) is sent again in smaller chunks, and the lower limit is
        kept. Without ``settle``, only idempotent writes are sent again after an unknown
        outcome (a create would be doubled). With ``gate``, two requests in
        flight never carry the same new name (a page tag neither has seen
        on the server: the second would collide with the first on Wiki.js's
        unique index). ``failed`` counts inputs refused before this call
        (for ``progress``).
        """
        size = self.chunk_size if chunk_size is None else v.check_positive(chunk_size, "chunk_size")
        chosen = self.mode if mode is None else v.check_batch_mode(mode)
        fixed = None if concurrency is None else v.check_positive(concurrency, "concurrency")
        outcomes: list[Outcome | Landed | None] = [None] * len(calls)
        sizes = [_encoded_size(call) for call in calls]
        for position, encoded in enumerate(sizes):
            if encoded > self.max_bytes:
                outcomes[position] = InvalidArgumentError(
                    f"the item is {encoded:,} bytes as JSON, over the server's request body "
                    f"limit of {self.max_bytes:,} bytes",
                    operation=calls[position].spec.name,
                )
        queued = [p for p in range(len(calls)) if outcomes[p] is None]
        run = _WriteRun(calls, sizes, outcomes, queued)
        if not run.queue:
            return [o if o is not None else ResponseError("no outcome") for o in outcomes]
        name = calls[run.queue[0]].spec.name
        planner = self.planner(name)
        if gate is not None and any(calls[p].claims for p in run.queue):
            gate.load()
        else:
            gate = None
        slots = self.slots
        held: dict[int, Any] = {}  # token -> its gate claim (or None): each holds a slot
        try:
            with Lanes[_Sent]() as lanes:
                while run.queue or len(lanes):
                    limit = fixed or planner.lanes
                    while run.queue and len(lanes) < limit:
                        chunk = self._next_chunk(
                            run, name, size, limit, gate, share=chunk_size is None
                        )
                        claim = None
                        if gate is not None:  # a claim first, then a slot: never the reverse
                            claim = gate.try_claim(run.names(chunk))
                            if claim is None:
                                if len(lanes):
                                    break  # held by a write of ours in flight: after it
                                claim = gate.claim(run.names(chunk))
                        token = run.next_token()
                        if not slots.take(token, limit, wait=not len(lanes)):
                            if gate is not None and claim is not None:
                                gate.release(claim, landed=())
                            break  # the client's other writes fill the lanes: after ours
                        run.queue = run.queue[len(chunk) :]
                        held[token] = claim
                        lanes.start(
                            partial(self._lane, token, chunk, [calls[p] for p in chunk], chosen),
                            alone=limit == 1,
                        )
                    sent = lanes.next_done()
                    in_flight = slots.give(sent.token, sent.ended)
                    claim = held.pop(sent.token)
                    if gate is not None and claim is not None:
                        gate.release(claim, landed=run.landed_names(sent))
                    self._finished(run, sent, in_flight, planner, settle)
                    if progress is not None:
                        settled = [o for o in outcomes if o is not None]
                        errors = failed + sum(isinstance(o, WikiJSError) for o in settled)
                        progress(
                            BatchProgress(
                                done=failed + len(settled), total=failed + len(calls), failed=errors
                            )
                        )
        finally:
            for token, claim in held.items():
                slots.give(token)
                if gate is not None and claim is not None:
                    gate.release(claim, landed=())
        return [o if o is not None else ResponseError("no outcome") for o in outcomes]

    def _next_chunk(
        self,
        run: _WriteRun,
        name: str,
        size: int,
        lanes: int,
        gate: WriteGate | None,
        *,
        share: bool,
    ) -> list[int]:
        """The next request's positions: a prefix of the queue, within every budget.

        Its estimated time is that of its writes with ``lanes`` requests out
        (see :class:`~wikijs._protocol.writes.CostModel`). With several lanes and
        ``share``, a request holds about half of a lane's share of what is
        left, so the lanes finish together. A write that brings a new
        name (a tag) that a later write of the queue also carries ends its
        request, so the later ones wait for it as briefly as possible.
        """
        queue = run.queue
        cap = min(size, lane_share(len(queue), lanes)) if share else size
        window = queue[:cap]
        ends: set[int] = set()
        if gate is not None:
            carried = Counter(n for p in queue for n in run.calls[p].claims)
            for index, position in enumerate(window):
                if any(carried[n] > 1 for n in gate.new(run.calls[position].claims)):
                    ends.add(index)
                    break
        first = plan_chunks(
            [run.sizes[p] for p in window],
            self.costs.estimate(name) * lanes,
            max_items=cap,
            budget=self.write_budget,
            max_bytes=self.max_bytes,
            ends=ends,
        )[0]
        return window[: len(first)]

    def _lane(
        self, token: int, chunk: Sequence[int], calls: Sequence[BatchCall], mode: BatchMode
    ) -> _Sent:
        """One request of a write batch, run beside the others; it touches nothing shared."""
        started = monotonic()
        try:
            # The retry layer stays out: a chunk that failed is settled by
            # the batch, item by item, instead of being sent again whole.
            results = self._send_chunk(calls, mode, {RETRY_OPTION: False})
        except ChunkFailed as failed_chunk:
            return _Sent(token, chunk, None, failed_chunk.error, started, monotonic())
        return _Sent(token, chunk, results, None, started, monotonic())

    def _finished(
        self,
        run: _WriteRun,
        sent: _Sent,
        in_flight: float,
        planner: LanePlanner,
        settle: Settle | None,
    ) -> None:
        """Record what one request of a write batch did; queue again what must go again."""
        chunk = sent.chunk
        name = run.calls[chunk[0]].spec.name
        refusals = [sent.failure] if sent.results is None else sent.results
        if len(chunk) > 1 and all(isinstance(o, WikiJSError) and _too_large(o) for o in refusals):
            # Refused before it was read (nothing applied): the server's body
            # limit is below the one assumed. Learn a lower one and send the
            # same items again in smaller requests.
            self.max_bytes = max(1, sum(run.sizes[p] for p in chunk) // 2)
            logger.info(
                "%s: a request of %d items was too large for the server (HTTP 413); "
                "sending them again in requests of at most %d bytes",
                name,
                len(chunk),
                self.max_bytes,
            )
            run.queue = list(chunk) + run.queue
            return
        seconds = sent.ended - sent.started
        self.costs.observe(name, seconds, len(chunk), in_flight)
        if sent.results is not None:
            whole = True  # every write ran its full course (its timing means something)
            raced = False
            for position, outcome in zip(chunk, sent.results, strict=True):
                if isinstance(outcome, WikiJSError):
                    if position in run.resent:
                        # e.g. a ConflictError that may be our own earlier write
                        outcome.previous_attempt_unknown = True
                    raced = raced or _raced(outcome)
                    whole = whole and isinstance(outcome, PageJobError)
                run.outcomes[position] = outcome
            if raced or any(isinstance(o, RateLimitedError) for o in sent.results):
                planner.trouble()
            elif whole:
                planner.observe(len(chunk), seconds, in_flight)
            return
        failure = sent.failure
        assert failure is not None
        if isinstance(failure, RequestTimeoutError) or refused_unprocessed(failure):
            planner.trouble()
        again = self._settle(
            chunk, failure, settle, run.outcomes, run.tries, [run.calls[p] for p in chunk]
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
            _pause(self.retry, max(run.tries[p] for p in again), failure)
            if outcome_unknown(failure):
                run.resent.update(again)
            run.queue = again + run.queue

    def _settle(
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
                    landed = settle(chunk)
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
    applied: Callable[[Any, Mapping[str, Any]], bool] | None = None,
    landed_anyway: Callable[[WikiJSError], bool] | None = None,
    progress: ProgressCallback | None = None,
    concurrency: int | None = None,
    gate: WriteGate | None = None,
    claims: Callable[[Mapping[str, Any]], frozenset[str]] | None = None,
    again: Callable[[WikiJSError], bool] | None = None,
    attempts: int = 3,
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
    write whose worker job failed after the row changed); one for which
    ``again(error)`` is true is sent again, up to ``attempts`` writes in all
    (a page update whose new tag collided with another write's). Writes go
    ``concurrency`` requests at once (the batcher's planner chooses without
    it); ``claims(variables)`` names what ``gate`` must keep two writes in
    flight from bringing at once (see :meth:`Batcher.write`).
    """
    items = list(updates)
    parsed: dict[int, tuple[int, dict[str, Any]]] = {}
    errors: dict[int, WikiJSError] = {}
    once = v.OncePerBatch(noun, "updated", "merge the changes into one item")
    for index, item in enumerate(items):
        try:
            record_id, fields = split_update(item, model)
            once.check(record_id, index)
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
        variables = writes[position]
        names = claims(variables) if claims is not None else frozenset()
        return BatchCall(spec, graphql_variables(variables), names)

    def finish(index: int, position: int, result: Any) -> int:
        return int(writes[position]["id"])

    def reconcile(pending: Sequence[tuple[int, int]]) -> list[int | None]:
        if applied is None:
            return [None] * len(pending)
        ids = [int(writes[position]["id"]) for _, position in pending]
        now = get_many(ids, chunk_size=chunk_size, mode=mode)
        return [
            record_id
            if not isinstance(record, BatchItemError) and applied(record, writes[position])
            else None
            for (_, position), record_id, record in zip(pending, ids, now.results, strict=True)
        ]

    positions = sorted(writes)
    outcomes: dict[int, Any] = {}
    todo = positions
    for attempt in range(1, max(1, attempts) + 1):
        written = batcher.map(
            todo,
            prepare,
            finish,
            chunk_size=chunk_size,
            mode=mode,
            reconcile=reconcile,
            progress=progress if attempt == 1 else None,
            concurrency=concurrency,
            gate=gate,
        )
        outcomes.update(zip(todo, written.results, strict=True))
        todo = [
            position
            for position in todo
            if again is not None
            and isinstance(outcomes[position], BatchItemError)
            and again(outcomes[position].error)
        ]
        if not todo or attempt == attempts:
            break
    for position in positions:
        write = outcomes[position]
        if isinstance(write, BatchItemError):
            if landed_anyway is not None and landed_anyway(write.error):
                continue
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
