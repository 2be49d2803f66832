"""Pushing Markdown files to the wiki, for ``pages import`` and ``sync``.

Reading: every Markdown file under a folder (hidden ones skipped) becomes a
:class:`~._pagefiles.PageFile`, or a failed :class:`~._pagefiles.Action`.

Writing (:class:`PageWriter`): creates, then updates, in batches of at most
``batch_size`` files, sized to the wiki's measured write speed, whose
request stays under the wiki's body limit (Wiki.js's ``bodyParserLimit``,
5 MB unless the admin changed it), several batches in flight at once (as
many as the SDK's write lanes find the wiki sustains, or ``concurrency``).
A file too large for one request fails alone, before anything is sent; a
batch the wiki still refuses as too large (HTTP 413: nothing was applied) is
split in two and sent again. Ctrl-C stops between or during batches and
raises :class:`Interrupted`, with every action saying whether it was
written.
"""

from __future__ import annotations

import itertools
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import orjson

from ..batch import DEFAULT_BATCH_SIZE, BatchItemError
from ..errors import TransportError, WikiJSError
from . import _output
from ._pagefiles import (
    LOCALE_FOLDER,
    MARKDOWN_SUFFIXES,
    Action,
    LocaleFolders,
    PageFile,
    PageFileError,
    plan,
    read_page_file,
)
from ._progress import Tracker
from ._session import describe

if TYPE_CHECKING:
    from .. import WikiJSClient
    from ..models import Page

#: Wiki.js 2.5 hands its ``bodyParserLimit`` setting to body-parser; "5mb" by
#: default (server/app/data.yml), answered over it with HTTP 413.
BODY_LIMIT = 5 * 1024 * 1024
#: Bytes each file adds to a batch besides its fields: its share of the
#: aliased mutation document (about 1 KB, measured) and JSON punctuation.
ITEM_OVERHEAD = 2048
#: Files written per request at most. Wiki.js renders each written page and
#: rebuilds its page tree, one file after the other (0.5-6 s each on a small
#: server); within this cap the writer sizes batches by the measured speed.
WRITE_BATCH_SIZE = 10


class Interrupted(Exception):
    """Ctrl-C came while writing; the actions record what was done."""


def collect(
    directory: Path, default_locale: str, folders: LocaleFolders
) -> tuple[list[PageFile], list[Action], dict[str, bytes]]:
    """Every Markdown file under ``directory`` (hidden ones skipped), read.

    Returns the readable files, a failed action per unusable one, and every
    file's bytes by its ``/``-separated path under ``directory``.
    """
    items: list[PageFile] = []
    failures: list[Action] = []
    raw: dict[str, bytes] = {}
    files = sorted(
        p
        for p in directory.rglob("*")
        if p.suffix.lower() in MARKDOWN_SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(directory).parts)
    )
    for file in files:
        relative = PurePosixPath(file.relative_to(directory).as_posix())
        data = file.read_bytes()
        raw[relative.as_posix()] = data
        try:
            text = data.decode("utf-8-sig")
            items.append(
                read_page_file(relative, text, default_locale=default_locale, folders=folders)
            )
        except (PageFileError, UnicodeDecodeError) as exc:
            message = str(exc) if isinstance(exc, PageFileError) else f"{relative}: not UTF-8"
            failures.append(Action(relative.as_posix(), "", "", "failed", error=message))
    return items, failures, raw


def locale_lookalikes(directory: Path, folders: LocaleFolders) -> list[str]:
    """Top folders shaped like a locale code that are paths here (the wiki lacks them)."""
    if folders.mode != "auto":
        return []
    return sorted(
        child.name
        for child in directory.iterdir()
        if child.is_dir()
        and not child.name.startswith(".")
        and LOCALE_FOLDER.match(child.name)
        and not folders.is_locale(child.name)
    )


def read_existing(
    client: WikiJSClient,
    keys: Iterable[tuple[str, str]],
    tracker_for: Callable[[int], Any],
    listing: Sequence[Any] | None = None,
) -> dict[tuple[str, str], Page]:
    """The wiki's current pages at these ``(locale, path)`` keys, fetched in batches."""
    if listing is None:
        listing = client.pages.list()
    ids = {(item.locale, item.path): item.id for item in listing}
    wanted = sorted({ids[key] for key in keys if key in ids})
    existing: dict[tuple[str, str], Page] = {}
    with tracker_for(len(wanted)) as tracker:
        for start in range(0, len(wanted), DEFAULT_BATCH_SIZE):
            chunk = wanted[start : start + DEFAULT_BATCH_SIZE]
            for outcome in client.pages.get_many(chunk, chunk_size=len(chunk)).results:
                if not isinstance(outcome, BatchItemError):
                    existing[(outcome.locale, outcome.path)] = outcome
            tracker.advance(len(chunk))
    return existing


def plan_import(items: list[PageFile], existing: dict[tuple[str, str], Page]) -> list[Action]:
    """What to do with each file, each write's request size estimated."""
    actions = plan(items, existing)
    for action in actions:
        if action.kind == "update":
            page = existing[(action.locale, action.path)]
            content = action.fields.get("content", page.content)
            action.size = request_size({**action.fields, "content": content}) + _meta_size(page)
        elif action.kind == "create":
            action.size = request_size(action.fields)
    return actions


def _meta_size(page: Page) -> int:
    # A safe partial update sends the page's other fields as they are.
    return len(page.title.encode()) + len(page.description.encode()) + 64 * len(page.tags)


def request_size(fields: dict[str, Any]) -> int:
    """What one file adds to a batch request, in bytes (an upper estimate)."""
    return len(orjson.dumps(fields, default=str)) + ITEM_OVERHEAD


def too_large(error: object) -> bool:
    return isinstance(error, WikiJSError) and getattr(error, "status_code", None) == 413


class PageWriter:
    """Sends planned creates and updates in batches; see the module docstring.

    A batch holds at most ``batch_size`` files and stays under the body
    limit. How many files go in it is learned as the work goes on: the first
    batch holds two, and each next one as many as the wiki wrote in about a
    third of the read timeout the time before (Wiki.js writes one page after
    another, 0.5-6 s each), so no request nears the timeout on a slow
    server and a fast one gets full batches.

    Several batches are in flight at once, each in a thread of its own: as
    many as the client's write lanes have found the wiki sustains (they
    start at two and grow while pages per second grow; Wiki.js renders and
    rebuilds the tree of overlapping requests in parallel worker processes),
    or ``concurrency``. With one, batches go from the calling thread, one
    after another.

    Args:
        client: where to write.
        batch_size: files per request at most.
        body_limit: the wiki's request body limit in bytes.
        concurrency: batches in flight at once; ``None`` lets the client's
            write lanes choose.
        tracker: advanced once per file done (written or failed).
        report: called with each action once its outcome is known.
        clock: seconds, to time the batches (``time.monotonic``).
    """

    def __init__(
        self,
        client: WikiJSClient,
        *,
        batch_size: int = WRITE_BATCH_SIZE,
        body_limit: int = BODY_LIMIT,
        concurrency: int | None = None,
        tracker: Tracker,
        report: Callable[[Action], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        # The SDK keeps write requests under Wiki.js's default 5 MB; --body-limit
        # tells of a wiki configured otherwise. And the command sizes each
        # request itself, from the same measurements, so that progress and
        # Ctrl-C can be reported per file: the SDK's own time budget would
        # only split the request again.
        client.batcher.max_bytes = body_limit
        client.batcher.write_budget = None
        self.batch_size = batch_size
        self.body_limit = body_limit
        self.concurrency = concurrency
        self.byte_cap = body_limit
        self.tracker = tracker
        self.report = report
        self.clock = clock
        read = client.config.timeout.read
        self.target_seconds = (read if read is not None else 30.0) / 3
        self.limit = min(2, batch_size)

    def _take(self, queue: deque[Action]) -> list[Action]:
        """The next batch: the next files, up to the current count and byte limits."""
        batch: list[Action] = []
        used = 0
        while queue and len(batch) < self.limit:
            if batch and used + queue[0].size > self.byte_cap:
                break
            action = queue.popleft()
            batch.append(action)
            used += action.size
        return batch

    def _learn(self, files: int, seconds: float) -> None:
        per_file = seconds / files
        fits = int(self.target_seconds / per_file) if per_file > 0 else self.batch_size
        self.limit = max(1, min(self.batch_size, fits))

    def _oversized(self, action: Action) -> None:
        action.kind = "failed"
        action.error = (
            f"{action.file} needs a request of about {_output.size(action.size)}, more than "
            f"the wiki's body limit of {_output.size(self.body_limit)} (Wiki.js's "
            "bodyParserLimit; raise it there and pass --body-limit); nothing was sent"
        )
        self.report(action)
        self.tracker.advance(1)

    def run(self, actions: Sequence[Action]) -> None:
        """Write every ``create`` and ``update`` action, recording each outcome on it.

        Raises:
            Interrupted: Ctrl-C; the batches in flight are ``interrupted`` and
                the rest ``skipped``.
        """
        queues: list[deque[Action]] = []
        for kind in ("create", "update"):
            waiting: deque[Action] = deque()
            for action in actions:
                if action.kind != kind:
                    continue
                if action.size > self.body_limit:
                    self._oversized(action)
                else:
                    waiting.append(action)
            queues.append(waiting)
        finished: queue.SimpleQueue[tuple[int, bool, Any]] = queue.SimpleQueue()
        running: dict[int, tuple[list[Action], float]] = {}  # number -> (batch, started)
        numbers = itertools.count()
        try:
            for waiting in queues:  # the creates, then the updates
                while waiting or running:
                    while waiting and len(running) < self._lanes(waiting[0].kind):
                        number = next(numbers)
                        batch = self._take(waiting)
                        running[number] = (batch, self.clock())
                        self._start(number, batch, finished)
                    number, ok, value = finished.get()
                    if not ok:
                        raise value
                    batch, started = running.pop(number)
                    self._finished(waiting, batch, value, self.clock() - started)
        except KeyboardInterrupt:
            for batch, _ in running.values():
                for action in batch:
                    action.kind = "interrupted"
                    action.error = "sent when Ctrl-C came: it may or may not have been written"
            for waiting in queues:
                for action in waiting:
                    action.kind = "skipped"
            raise Interrupted from None

    def _lanes(self, kind: str) -> int:
        """Batches of ``kind`` to keep in flight now."""
        if self.concurrency is not None:
            return self.concurrency
        operation = "CreatePage" if kind == "create" else "UpdatePage"
        return max(1, self.client.batcher.planner(operation).lanes)

    def _start(
        self,
        number: int,
        batch: list[Action],
        finished: queue.SimpleQueue[tuple[int, bool, Any]],
    ) -> None:
        """Send ``batch``; its outcomes (or what it raised) arrive on ``finished``.

        With one lane, in this thread, so Ctrl-C meets the request itself;
        otherwise in a daemon thread, whose exceptions (Ctrl-C included) the
        calling thread raises when it takes them from ``finished``.
        """
        if self._lanes(batch[0].kind) == 1:
            finished.put((number, True, self._send(batch)))
            return

        def send() -> None:
            try:
                finished.put((number, True, self._send(batch)))
            except BaseException as exc:  # handed to the calling thread, raised there
                finished.put((number, False, exc))

        threading.Thread(target=send, name=f"wikijs-import-{number}", daemon=True).start()

    def _finished(
        self,
        waiting: deque[Action],
        batch: list[Action],
        outcomes: list[Page | WikiJSError],
        seconds: float,
    ) -> None:
        """Record one batch's outcomes, or queue it again smaller after a 413."""
        if len(batch) > 1 and all(too_large(o) for o in outcomes):
            # The limit is lower than assumed and nothing was applied:
            # send the same files again in smaller requests.
            self.byte_cap = sum(a.size for a in batch) // 2
            self.limit = max(1, len(batch) // 2)
            waiting.extendleft(reversed(batch))
            return
        self._learn(len(batch), seconds)
        for action, outcome in zip(batch, outcomes, strict=True):
            # (a create whose page landed although Wiki.js reported
            # a failed tree rebuild is a success already: create_many)
            self._record(action, outcome)
            self.report(action)
        self.tracker.advance(len(batch))

    def _send(self, batch: list[Action]) -> list[Page | WikiJSError]:
        if batch[0].kind == "create":
            result = self.client.pages.create_many(
                [a.fields for a in batch], chunk_size=len(batch), concurrency=self.concurrency
            )
        else:
            result = self.client.pages.update_many(
                [{"id": a.page_id, **a.fields} for a in batch],
                chunk_size=len(batch),
                concurrency=self.concurrency,
            )
        return [o.error if isinstance(o, BatchItemError) else o for o in result.results]

    def _record(self, action: Action, outcome: Page | WikiJSError) -> None:
        if isinstance(outcome, WikiJSError):
            action.kind = "failed"
            if too_large(outcome):
                action.error = (
                    f"{action.file}: the wiki refused the request as too large (HTTP 413); "
                    f"its body limit is below the {_output.size(self.body_limit)} assumed: "
                    "pass a smaller --body-limit, or raise bodyParserLimit in Wiki.js"
                )
            elif isinstance(outcome, TransportError) and outcome.request_sent:
                action.error = (
                    f"{describe(outcome)} (it may have been written: run the same "
                    "command again, it compares and skips what is already there)"
                )
            else:
                action.error = describe(outcome)
        else:
            action.page = outcome
            action.page_id = outcome.id
