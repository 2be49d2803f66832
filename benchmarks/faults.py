"""Page writes under injected faults: how many complete, is any duplicated, is every failure honest?

    python -m benchmarks.faults                           # an embedded fake on loopback
    python -m benchmarks.faults --url URL --api-key KEY   # a real Wiki.js

with, as defaults, ``--seed 1 --rate 0.23 --pages 20 --client both --require 0.99``.

Between the client and the wiki sits ``wikijs.testing.FaultProxy``, which
faults a share (``--rate``) of all requests, each fault drawn from
``--faults`` by a generator seeded with ``--seed``; each client starts from
the same seed. The default mix is the one issue 12 names: 502, 429 with
``Retry-After``, a connection dropped after the wiki answered, and an answer
stalled past the client's timeout (never sent).

Each client, one call at a time, creates ``--pages`` pages under a unique
prefix, then updates each of them (new title, description, content and tags,
through ``pages.update``, which sends every field). The clients keep their
default settings except ``timeout`` (``--timeout``; default 15 s on a real
wiki, above its slowest page writes, which take 0.5-6 s; 1 s on the fake).

Then the wiki is read directly, not through the proxy:

- a write **completed** when the call returned and the wiki holds what it
  wrote (the update's fields; for a create, the page at its path);
- a **duplicate** is a second page at an intended path or a page under the
  prefix at no intended path; an update applied more than once (an extra
  version in the page's history) is counted too, but not judged: a full
  update repeated leaves the page as it was meant to be;
- a write reported done that the wiki does not hold is **said ok, lost**,
  unless the call returned the page as written (the SDK reads it back): then
  another client changed it later (**gone later**; on a shared server, a test
  suite's clean-up deletes every page it did not see before), and the run is
  not valid;
- each **failure** is listed with its exception type and ``request_sent``,
  compared with the proxy's record of the call's last request: saying
  ``request_sent=False`` for a forwarded request is untrue; ``True`` for one
  dropped before forwarding is all a client can know.

The pages are deleted at the end. Exit status 1 when completed writes fall
below ``--require`` (default 0.99), or any page is duplicated, any write is
said ok but lost or gone later, or any failure is untyped, has no
``request_sent``, or an untrue one.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import secrets
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from wikijs import NotFoundError, WikiJSClient, WikiJSError
from wikijs.aio import AsyncWikiJSClient
from wikijs.middleware import RetryStrategy
from wikijs.models import Page
from wikijs.testing import Fault, FaultProxy, ProxyRecord

DEFAULT_FAULTS = "502,429,drop_after,stall"
WRITE_FIELDS = ("pages.create", "pages.update")
_T = TypeVar("_T")


def fault_mix(names: str, retry_after: float) -> list[Fault]:
    """``--faults``: names separated by commas; a repeated name weighs more."""
    known: dict[str, Fault] = {
        "502": Fault.http(502),
        "429": Fault.http(429, retry_after=retry_after),
        "503": Fault.http(503, retry_after=retry_after),
        "drop_before": Fault.refuse(),
        "drop_after": Fault.drop_after(),
        "drop_after_early": Fault.drop_after(wait=False),
        "stall": Fault.stall(math.inf),
    }
    mix = []
    for name in (n.strip() for n in names.split(",") if n.strip()):
        if name not in known:
            raise SystemExit(f"unknown fault {name!r}; choose from {', '.join(known)}")
        mix.append(known[name])
    if not mix:
        raise SystemExit("--faults names no fault")
    return mix


# -- what the run means to write, and what happened ----------------------------------


@dataclass(frozen=True)
class Intent:
    index: int
    path: str
    created: dict[str, Any]
    updated: dict[str, Any]


def intents(prefix: str, count: int) -> list[Intent]:
    out = []
    for i in range(count):
        path = f"{prefix}/page-{i}"
        created = {
            "title": f"Fault test {i}",
            "path": path,
            "content": f"# Page {i}\n\nfirst version",
            "description": "created",
            "tags": ["faults"],
        }
        updated = {
            "title": f"Fault test {i} (updated)",
            "content": f"# Page {i}\n\nsecond version",
            "description": "updated",
            "tags": ["faults", "updated"],
            "is_published": True,
            "is_private": False,
        }
        out.append(Intent(i, path, created, updated))
    return out


@dataclass
class Attempt:
    kind: str  # "create" or "update"
    intent: Intent
    error: BaseException | None
    last_request: ProxyRecord | None  # the call's last request, as the proxy saw it
    returned_ok: bool = False  # the call returned the page as it meant to write it
    landed: bool = False  # filled in by verify()

    @property
    def vanished(self) -> bool:
        """Returned as written, read back by the SDK, then gone: another client's doing."""
        return self.error is None and self.returned_ok and not self.landed

    @property
    def lied(self) -> bool:
        """Reported done, yet neither the answer nor the wiki shows the write."""
        return self.error is None and not self.returned_ok and not self.landed

    @property
    def completed(self) -> bool:
        return self.error is None and self.landed

    @property
    def truth(self) -> str:
        """Whether the error's ``request_sent`` agrees with the proxy's record."""
        error, record = self.error, self.last_request
        if not isinstance(error, WikiJSError):
            return "untyped"
        sent = getattr(error, "request_sent", None)
        if sent is None:
            return "absent"
        if record is None:
            return "no request"
        if sent is False and record.forwarded:
            return "untrue"
        if sent is True and not record.forwarded:
            return "unprovable"  # dropped before forwarding: the client cannot tell
        return "true"


@dataclass
class ClientRun:
    client: str
    attempts: list[Attempt]
    records: list[ProxyRecord]
    seconds: float
    duplicate_pages: int = 0
    stray_pages: int = 0
    extra_versions: int = 0

    def of(self, kind: str) -> list[Attempt]:
        return [a for a in self.attempts if a.kind == kind]


@dataclass
class Report:
    runs: list[ClientRun] = field(default_factory=list)

    @property
    def attempts(self) -> list[Attempt]:
        return [a for run in self.runs for a in run.attempts]

    @property
    def completed_share(self) -> float:
        attempts = self.attempts
        return sum(a.completed for a in attempts) / len(attempts) if attempts else 1.0

    @property
    def duplicates(self) -> int:
        return sum(r.duplicate_pages + r.stray_pages for r in self.runs)

    def problems(self, require: float) -> list[str]:
        found = []
        if self.completed_share < require:
            found.append(f"completed {self.completed_share:.1%} < {require:.0%}")
        if self.duplicates:
            found.append(f"{self.duplicates} duplicated pages")
        lied = sum(a.lied for a in self.attempts)
        if lied:
            found.append(f"{lied} reported done but missing")
        vanished = sum(a.vanished for a in self.attempts)
        if vanished:
            found.append(f"{vanished} written, then changed by another client: rerun")
        truths = Counter(a.truth for a in self.attempts if a.error is not None)
        for truth, problem in (
            ("untyped", "untyped errors"),
            ("untrue", "untrue request_sent"),
            ("absent", "errors without request_sent"),
        ):
            if truths[truth]:
                found.append(f"{truths[truth]} {problem}")
        return found


# -- the two clients --------------------------------------------------------------------


class _Recorder:
    """Attempt bookkeeping shared by both drivers: the call's last request."""

    def __init__(self, proxy: FaultProxy) -> None:
        self.proxy = proxy
        self.attempts: list[Attempt] = []
        self._mark = 0

    def start(self) -> None:
        self._mark = len(self.proxy.records)

    def done(
        self, kind: str, intent: Intent, error: BaseException | None, page: Page | None = None
    ) -> None:
        mine = self.proxy.records[self._mark :]
        wanted = intent.created if kind == "create" else intent.updated
        returned_ok = page is not None and shows(page, wanted)
        self.attempts.append(Attempt(kind, intent, error, mine[-1] if mine else None, returned_ok))


def shows(page: Page, fields: dict[str, Any]) -> bool:
    """Whether ``page`` holds the title, description, content and tags in ``fields``."""
    return (page.title, page.description, page.content, sorted(t.tag for t in page.tags)) == (
        fields["title"],
        fields["description"],
        fields["content"],
        sorted(fields["tags"]),
    )


def client_options(timeout: float, retry: RetryStrategy | None) -> dict[str, Any]:
    options: dict[str, Any] = {"timeout": timeout}
    if retry is not None:
        options["retry_strategy"] = retry
    return options


def existing_id(direct: WikiJSClient, path: str) -> int | None:
    try:
        return direct.pages.get_by_path(path).id
    except NotFoundError:
        return None


def run_sync(
    proxy: FaultProxy, key: str, plan: list[Intent], options: dict[str, Any], direct: WikiJSClient
) -> list[Attempt]:
    recorder = _Recorder(proxy)
    ids: dict[int, int | None] = {}
    with WikiJSClient(proxy.url, auth=key, **options) as client:
        for intent in plan:
            recorder.start()
            try:
                page = client.pages.create(**intent.created)
            except Exception as exc:
                recorder.done("create", intent, exc)
                proxy.wait_idle()
                ids[intent.index] = existing_id(direct, intent.path)
            else:
                recorder.done("create", intent, None, page)
                ids[intent.index] = page.id
        for intent in plan:
            page_id = ids[intent.index]
            if page_id is None:
                continue  # nothing to update: the create is already a failure
            recorder.start()
            try:
                page = client.pages.update(page_id, **intent.updated)
            except Exception as exc:
                recorder.done("update", intent, exc)
            else:
                recorder.done("update", intent, None, page)
    return recorder.attempts


async def _attempt(call: Awaitable[_T]) -> tuple[_T | None, BaseException | None]:
    try:
        return await call, None
    except Exception as exc:
        return None, exc


async def run_async(
    proxy: FaultProxy, key: str, plan: list[Intent], options: dict[str, Any], direct: WikiJSClient
) -> list[Attempt]:
    recorder = _Recorder(proxy)
    ids: dict[int, int | None] = {}
    async with AsyncWikiJSClient(proxy.url, auth=key, **options) as client:
        for intent in plan:
            recorder.start()
            page, error = await _attempt(client.pages.create(**intent.created))
            recorder.done("create", intent, error, page)
            if page is not None:
                ids[intent.index] = page.id
            else:
                await asyncio.to_thread(proxy.wait_idle)
                ids[intent.index] = await asyncio.to_thread(existing_id, direct, intent.path)
        for intent in plan:
            page_id = ids[intent.index]
            if page_id is None:
                continue
            recorder.start()
            page, error = await _attempt(client.pages.update(page_id, **intent.updated))
            recorder.done("update", intent, error, page)
    return recorder.attempts


# -- checking on the wiki itself ----------------------------------------------------------


def verify(direct: WikiJSClient, prefix: str, plan: list[Intent], run: ClientRun) -> None:
    """Read the wiki directly: what landed, and what landed twice."""
    by_path: dict[str, list[int]] = {}
    for item in direct.pages.list():
        if item.path.startswith(prefix + "/"):
            by_path.setdefault(item.path, []).append(item.id)
    intended = {intent.path for intent in plan}
    run.stray_pages = sum(len(ids) for path, ids in by_path.items() if path not in intended)
    updated_ok = {a.intent.index for a in run.of("update") if a.error is None}
    landed: dict[tuple[str, int], bool] = {}
    for intent in plan:
        ids = by_path.get(intent.path, [])
        run.duplicate_pages += max(len(ids) - 1, 0)
        if not ids:
            landed[("create", intent.index)] = landed[("update", intent.index)] = False
            continue
        page = direct.pages.get(ids[0])
        update_landed = shows(page, intent.updated)
        landed[("create", intent.index)] = True
        landed[("update", intent.index)] = update_landed
        # Each applied update stores one version (the state it replaced).
        versions = sum(1 for _ in direct.pages.history(page.id))
        expected = 1 if update_landed or intent.index in updated_ok else 0
        run.extra_versions += max(versions - expected, 0)
    for attempt in run.attempts:
        attempt.landed = landed[(attempt.kind, attempt.intent.index)]


def clean_up(direct: WikiJSClient, prefix: str) -> str:
    """Delete every page under ``prefix``; a second round for deletes that reported failure.

    A delete's tree rebuild can collide with another client's and report
    failure after the page is gone, hence counting what is left, not errors.
    """
    deleted = 0
    for _ in range(2):
        doomed = [p.id for p in direct.pages.list() if p.path.startswith(prefix + "/")]
        for page_id in doomed:
            try:
                direct.pages.delete(page_id)
            except WikiJSError:
                continue
            deleted += 1
    left = [p.path for p in direct.pages.list() if p.path.startswith(prefix + "/")]
    return f"{deleted} pages deleted" + (f"; left behind: {', '.join(left)}" if left else "")


# -- the run ----------------------------------------------------------------------------


@contextmanager
def upstream(url: str | None, api_key: str | None) -> Iterator[tuple[str, str]]:
    if url is not None:
        if not api_key:
            raise SystemExit("--url needs --api-key")
        yield url, api_key
        return
    from wikijs.testing import FakeWikiJS

    with FakeWikiJS() as fake, fake.serve() as served:
        yield served, fake.api_key


def run(
    url: str | None = None,
    api_key: str | None = None,
    *,
    pages: int = 20,
    rate: float = 0.23,
    seed: int = 1,
    clients: Sequence[str] = ("sync", "async"),
    faults: str = DEFAULT_FAULTS,
    retry_after: float = 1.0,
    timeout: float | None = None,
    retry: RetryStrategy | None = None,
    out: Callable[[str], None] = print,
) -> Report:
    """Run the experiment; ``retry`` replaces the client's default policy (tests: zero backoff)."""
    mix = fault_mix(faults, retry_after)
    timeout = timeout if timeout is not None else (15.0 if url else 1.0)
    prefix = f"faults-{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}"
    report = Report()
    with (
        upstream(url, api_key) as (wiki, key),
        FaultProxy(wiki) as proxy,
        WikiJSClient(wiki, auth=key) as direct,
    ):
        out(
            f"wiki {'at ' + wiki if url else '(embedded fake) at ' + wiki}; prefix {prefix}; "
            f"{pages} pages per client; faults {faults} on {rate:.0%} of requests, seed {seed}; "
            f"client timeout {timeout:g} s; Retry-After {retry_after:g} s; "
            + ("default retries" if retry is None else f"retries {retry}")
        )
        try:
            for name in clients:
                client_prefix = f"{prefix}/{name}"
                plan = intents(client_prefix, pages)
                proxy.reset_log()
                proxy.faults.set_rate(rate, mix, seed=seed)
                options = client_options(timeout, retry)
                started = time.monotonic()
                if name == "sync":
                    attempts = run_sync(proxy, key, plan, options, direct)
                else:
                    attempts = asyncio.run(run_async(proxy, key, plan, options, direct))
                proxy.faults.clear()
                proxy.wait_idle()
                seconds = time.monotonic() - started
                client_run = ClientRun(name, attempts, proxy.records, seconds)
                verify(direct, client_prefix, plan, client_run)
                report.runs.append(client_run)
                print_run(client_run, timeout, out)
        finally:
            proxy.faults.clear()
            out(f"cleaned up: {clean_up(direct, prefix)}")
    return report


# -- printing ---------------------------------------------------------------------------


def _share(part: int, whole: int) -> str:
    return f"{part} ({part / whole:.1%})" if whole else "0"


def print_run(run: ClientRun, timeout: float, out: Callable[[str], None]) -> None:
    records = run.records
    faulted = Counter(r.fault.label for r in records if r.fault is not None)
    mix = ", ".join(f"{label} x{n}" for label, n in faulted.most_common())
    writes = [
        r.upstream_seconds
        for r in records
        if r.fault is None and r.upstream_seconds is not None and set(r.fields) & set(WRITE_FIELDS)
    ]
    out(f"\n{run.client} client: {run.seconds:.0f} s")
    share = _share(sum(faulted.values()), len(records))
    out(f"  requests through the proxy: {len(records)}, faulted {share}: {mix}")
    if writes:
        slowest = max(writes)
        out(f"  slowest unfaulted write upstream: {slowest:.1f} s (client timeout {timeout:g} s)")
    header = (
        "write",
        "attempted",
        "completed",
        "failed, landed",
        "failed, lost",
        "said ok, lost",
        "gone later",
    )
    rows = [header]
    for kind in ("create", "update"):
        attempts = run.of(kind)
        n = len(attempts)
        rows.append(
            (
                kind,
                str(n),
                _share(sum(a.completed for a in attempts), n),
                str(sum(1 for a in attempts if a.error is not None and a.landed)),
                str(sum(1 for a in attempts if a.error is not None and not a.landed)),
                str(sum(a.lied for a in attempts)),
                str(sum(a.vanished for a in attempts)),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        out("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    out(
        f"  duplicated: {run.duplicate_pages} extra pages at a path, {run.stray_pages} stray "
        f"pages; {run.extra_versions} extra versions (an update applied again)"
    )
    failures = [a for a in run.attempts if a.error is not None]
    if failures:
        out("  failures (the call's last request as the proxy saw it):")
    for a in failures:
        error = a.error
        sent = getattr(error, "request_sent", None)
        record = a.last_request
        seen = (
            "no request"
            if record is None
            else f"{record.fault.label if record.fault else 'no fault'}, "
            + ("forwarded" if record.forwarded else "not forwarded")
            + f", {'/'.join(record.operation_names) or record.path}"
        )
        out(
            f"    {a.kind} #{a.intent.index}: {type(error).__name__} "
            f"({getattr(error, 'operation', None)}), request_sent={'-' if sent is None else sent}; "
            f"{seen}; {'landed' if a.landed else 'not landed'}; request_sent {a.truth}"
        )
        out(f"      {str(error)[:160]}")


def print_verdict(report: Report, require: float, out: Callable[[str], None]) -> list[str]:
    attempts = report.attempts
    truths = Counter(a.truth for a in attempts if a.error is not None)
    out(
        f"\nall clients: {_share(sum(a.completed for a in attempts), len(attempts))} of "
        f"{len(attempts)} writes completed (required {require:.0%}); duplicated: "
        f"{report.duplicates}; failures' request_sent: "
        + (", ".join(f"{k} {v}" for k, v in sorted(truths.items())) or "no failures")
    )
    problems = report.problems(require)
    out("verdict: " + ("PASS" if not problems else "FAIL (" + "; ".join(problems) + ")"))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.faults", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--url", help="a real Wiki.js (default: an embedded fake on loopback)")
    parser.add_argument("--api-key", help="its API key (full access)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rate", type=float, default=0.23, help="share of requests faulted")
    parser.add_argument("--pages", type=int, default=20, help="pages created then updated")
    parser.add_argument("--client", choices=["sync", "async", "both"], default="both")
    parser.add_argument("--faults", default=DEFAULT_FAULTS, help="the mix, comma-separated")
    parser.add_argument("--retry-after", type=float, default=1.0, help="seconds, for 429/503")
    parser.add_argument("--timeout", type=float, help="client timeout (15 s real, 1 s fake)")
    parser.add_argument("--require", type=float, default=0.99, help="completed share needed")
    args = parser.parse_args(argv)
    report = run(
        args.url,
        args.api_key,
        pages=args.pages,
        rate=args.rate,
        seed=args.seed,
        clients=("sync", "async") if args.client == "both" else (args.client,),
        faults=args.faults,
        retry_after=args.retry_after,
        timeout=args.timeout,
    )
    return 1 if print_verdict(report, args.require, print) else 0


if __name__ == "__main__":
    sys.exit(main())
