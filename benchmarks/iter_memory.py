"""Memory of walking every page: ``iter_all()`` stays flat, a list grows.

    python benchmarks/iter_memory.py                 # up to 10,000 pages
    python benchmarks/iter_memory.py --pages 2000 --batch-size 100

Fills an in-process fake Wiki.js with pages of ~2 KB each, then, for growing
numbers of pages, measures with tracemalloc the peak memory (above the
starting point) of

- ``for page in client.pages.iter_all()`` — what the SDK promises to keep
  flat: only the ids and one batch are alive at a time;
- ``list(client.pages.iter_all())`` — the same pages kept, for contrast.

The fake runs in the same process, so its work per request (one batch's
answer) is counted too; the wiki itself is built before measuring. This is a
memory measurement, not a timing benchmark.
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from collections.abc import Callable

from wikijs import WikiJSClient
from wikijs.testing import FakeWikiJS

KB = 1024
MB = 1024 * KB
CONTENT = "# Page {n}\n\n" + ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 32)


def peak_growth(work: Callable[[], object]) -> tuple[int, object]:
    """Peak traced memory above the starting point while ``work`` runs."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    start, _ = tracemalloc.get_traced_memory()
    try:
        result = work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - start, result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--pages", type=int, default=10_000, help="largest wiki size")
    parser.add_argument("--batch-size", type=int, default=50)
    args = parser.parse_args(argv)

    sizes = sorted({max(1, args.pages // 8), max(1, args.pages // 4), args.pages // 2, args.pages})
    fake = FakeWikiJS()
    started = time.perf_counter()
    made = 0
    rows = []
    with WikiJSClient(fake.url, auth=fake.api_key, transport=fake.sync_transport()) as client:
        client.whoami()  # the one-time credential check, outside the measurements
        for size in sizes:
            while made < size:
                made += 1
                fake.add_page(f"bench/{made // 1000}/page-{made}", content=CONTENT.format(n=made))
            if size == sizes[0]:
                print(f"filling the fake: {size} pages in {time.perf_counter() - started:.1f}s ...")

            def walk() -> int:
                count = 0
                for _page in client.pages.iter_all(batch_size=args.batch_size):
                    count += 1
                return count

            def keep() -> int:
                return len(list(client.pages.iter_all(batch_size=args.batch_size)))

            if size == sizes[0]:
                walk()  # first use builds models and caches: not part of the walk's cost
            walked, count = peak_growth(walk)
            kept, kept_count = peak_growth(keep)
            listed, ids = peak_growth(client.pages.ids)
            assert count == kept_count == len(ids) == size, (count, kept_count, size)
            rows.append((size, walked, kept, listed))

    print(f"\nbatch_size={args.batch_size}; peak memory above the start (tracemalloc):\n")
    print(
        f"{'pages':>8}  {'for page in iter_all()':>24}  {'list(iter_all())':>18}  {'ids alone':>11}"
    )
    for size, walked, kept, listed in rows:
        print(f"{size:>8}  {walked / MB:>21.2f} MB  {kept / MB:>15.2f} MB  {listed / MB:>8.2f} MB")
    first, last = rows[0], rows[-1]
    print(
        f"\n{last[0] // first[0]}x the pages: iter_all's peak x{last[1] / first[1]:.2f}, "
        f"keeping them x{last[2] / first[2]:.2f}.\n"
        "What iter_all holds beyond one batch is the id list, read once at the start\n"
        "(the 'ids alone' column: the JSON answer for every id, decoded);\n"
        f"a kept page costs ~{(last[2] - first[2]) / (last[0] - first[0]) / KB:.1f} KB, "
        f"an id ~{(last[3] - first[3]) / (last[0] - first[0]):.0f} bytes while it is read."
    )
    fake.close()


if __name__ == "__main__":
    main()
