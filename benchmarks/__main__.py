"""Run every benchmark, one after the other:

    python -m benchmarks                      # the bundled fake and replay servers
    python -m benchmarks --quick              # fewer repetitions (a couple of minutes)
    python -m benchmarks --url U --api-key K  # batch, async and cache figures on a real wiki

Each suite prints its own ratios against baselines measured in the same run:

- ``benchmarks/client.py``: batching, async vs sync, per-call overhead vs raw
  httpx, throughput vs raw aiohttp and raw httpx, import time;
- ``benchmarks/middleware_overhead.py``: rate limiter, circuit breaker, retry
  and plugin layers when they do not intervene;
- ``benchmarks/cache.py``: memory/file/Redis hits vs uncached reads, hit ratio;
- ``benchmarks/views.py``: what ``client.with_options(...)`` costs, 10,000 times;
- ``benchmarks/iter_memory.py``: ``iter_all()`` memory against wiki size.

The figures recorded in ``docs/performance.md`` come from this command.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--url", help="a real Wiki.js for the suites that take one")
    parser.add_argument("--api-key", help="its API key")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--check", action="store_true", help="exit 1 if any suite misses a target")
    args = parser.parse_args(argv)

    remote = ["--url", args.url, "--api-key", args.api_key] if args.url else []
    suites: list[tuple[str, list[str]]] = [
        ("client", ["-m", "benchmarks.client", *remote, *(["--quick"] if args.quick else [])]),
        (
            "middleware overhead",
            [
                str(HERE / "middleware_overhead.py"),
                *(["--calls", "20000", "--repeat", "3"] if args.quick else []),
            ],
        ),
        ("cache", [str(HERE / "cache.py"), *remote, *(["--repeat", "100"] if args.quick else [])]),
        ("views", [str(HERE / "views.py"), *(["--repeat", "2"] if args.quick else [])]),
        (
            "iter_all memory",
            [str(HERE / "iter_memory.py"), *(["--pages", "2000"] if args.quick else [])],
        ),
    ]
    failed: list[str] = []
    for name, command in suites:
        print(f"\n=== {name} ===", flush=True)
        check = ["--check"] if args.check and name in ("client", "cache") else []
        result = subprocess.run([sys.executable, *command, *check], cwd=HERE.parent, check=False)
        if result.returncode != 0:
            failed.append(name)
    print(
        f"\n{len(suites) - len(failed)} of {len(suites)} suites finished cleanly"
        + (f"; not: {', '.join(failed)}" if failed else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
