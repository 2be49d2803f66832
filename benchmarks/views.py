"""What a client view costs to make: ``client.with_options(...)``, 10,000 times.

    python benchmarks/views.py              # about 10 seconds
    python benchmarks/views.py --repeat 3 --check

A view is meant to be made per call (``client.with_options(timeout=5).pages.get(1)``),
so making one must cost microseconds: the target is under 50 ms for 10,000
views. Measured for both clients and several argument sets, best of
``--repeat`` rounds, with the garbage collector paused as for any
micro-benchmark; also a view with its first resource (``view.pages``: the
resource and its generated client), which a per-call view needs too.

A client keeps the views it made (the same arguments give the same view),
so the "distinct" row, whose every view has arguments of its own, shows what
making a new view costs. The baseline, measured in the same run, is
``dataclasses.replace`` of the client's configuration: the least a copy of
the client's settings costs, to read the figures against on a busy machine.
That views open no connection of their own is a test
(``tests/call_options/test_views.py``), not a figure.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import sys
import time
from collections.abc import Callable
from typing import Any

from wikijs import WikiJSClient
from wikijs.aio import AsyncWikiJSClient

VIEWS = 10_000
TARGET_MS = 50.0
URL = "http://127.0.0.1:9"  # never contacted: views send nothing

CASES: dict[str, Callable[[Any, int], Any]] = {
    "timeout=": lambda c, i: c.with_options(timeout=30),
    "deadline=": lambda c, i: c.with_options(deadline=600),
    "retry_strategy=None": lambda c, i: c.with_options(retry_strategy=None),
    "headers=": lambda c, i: c.with_options(headers={"X-Request-Id": "job-42"}),
    "cache=False": lambda c, i: c.with_options(cache=False),
    "all five": lambda c, i: c.with_options(
        timeout=30, deadline=600, retry_strategy=None, headers={"X-Trace": "1"}, cache=False
    ),
    "distinct (no shortcut)": lambda c, i: c.with_options(timeout=1 + i),
    "view + view.pages": lambda c, i: c.with_options(timeout=30).pages,
    "baseline: replace(config)": lambda c, i: dataclasses.replace(c.config, deadline=i),
}


def best_of(make: Callable[[Any, int], Any], client: Any, views: int, repeat: int) -> float:
    """Seconds for ``views`` views, best of ``repeat`` rounds."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            for i in range(views):
                make(client, i)
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return best


def run(views: int = VIEWS, repeat: int = 5) -> dict[tuple[str, str], float]:
    """Milliseconds per ``views`` views, by (client, case)."""
    figures: dict[tuple[str, str], float] = {}
    clients = [WikiJSClient(URL, auth="KEY"), AsyncWikiJSClient(URL, auth="KEY")]
    for client in clients:
        for case, make in CASES.items():
            seconds = best_of(make, client, views, repeat)
            figures[type(client).__name__, case] = seconds * 1000
    clients[0].close()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--views", type=int, default=VIEWS)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="exit 1 over the target")
    args = parser.parse_args(argv)
    figures = run(args.views, args.repeat)
    print(f"{args.views:,} views, best of {args.repeat} (target < {TARGET_MS:g} ms per 10,000):")
    ok = True
    for (client, case), ms in figures.items():
        per_10k = ms * 10_000 / args.views
        within = case.startswith(("view +", "baseline")) or per_10k < TARGET_MS
        ok = ok and within
        mark = "" if within else "  (over the target)"
        each = ms * 1000 / args.views
        print(f"  {client:<18} {case:<26} {ms:8.1f} ms  {each:6.2f} µs each{mark}")
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
