"""Measure what writes cost a real Wiki.js, alone and several at once.

    python -m benchmarks.write_costs --url URL --api-key KEY
    python -m benchmarks.write_costs --url URL --api-key KEY --repeat 5 --lanes 1,2,3,4,8 --rounds 3

(``--url``/``--api-key`` default to ``WIKIJS_TEST_URL``/``WIKIJS_TEST_API_KEY``.)
Raw GraphQL over httpx, not the SDK, so that nothing of the SDK's is measured.
Everything it creates is removed at the end. Three parts:

1. **sequential**: each write ``--repeat`` times, one after another, under a
   unique prefix; the median seconds of each (the ``seconds`` of
   ``WRITE_SECONDS`` of ``wikijs/_facts/__init__.py``, which the SDK's planner starts from and
   the fake's ``WriteCosts.measured()`` charges).
2. **concurrency**: page creates with 1, 2, … (``--lanes``) requests in
   flight, each lane sending ``--per-lane`` creates one after the other; the
   levels alternate within each of ``--rounds`` rounds, so load from
   elsewhere on the machine hits them alike. Prints pages per second at each
   level and its ratio to one lane in the same round (median over rounds):
   ``CONCURRENT_SPEEDUP`` in ``wikijs/_facts/__init__.py``.
3. **races**: ``--race`` page creates at once that share one new tag, then as
   many moves and deletes at once; prints every ``responseResult`` that failed
   and what the wiki holds afterwards (tags, render, tree).

The last lines print the tables in the form ``writes.py`` holds them.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

RR = "responseResult { succeeded errorCode slug message }"
CREATE = (
    "mutation ($p: String!, $c: String!, $t: [String]!) { pages { create(content: $c, "
    'description: "", editor: "markdown", isPublished: true, isPrivate: false, locale: "en", '
    'path: $p, tags: $t, title: "Cost") { ' + RR + " page { id } } } }"
)
UPDATE = (
    "mutation ($id: Int!, $c: String!) { pages { update(id: $id, content: $c, tags: "
    '["cost"], isPublished: true, title: "Cost", description: "") { ' + RR + " } } }"
)
DELETE = "mutation ($id: Int!) { pages { delete(id: $id) { " + RR + " } } }"
MOVE = (
    "mutation ($id: Int!, $p: String!) { pages { move(id: $id, destinationPath: $p, "
    'destinationLocale: "en") { ' + RR + " } } }"
)
RENDER = "mutation ($id: Int!) { pages { render(id: $id) { " + RR + " } } }"
REBUILD = "mutation { pages { rebuildTree { " + RR + " } } }"
USER_CREATE = (
    'mutation ($e: String!) { users { create(email: $e, name: "Cost", passwordRaw: '
    '"cost-password", providerKey: "local", groups: [2]) { ' + RR + " } } }"
)
USER_UPDATE = 'mutation ($id: Int!) { users { update(id: $id, name: "Cost 2") { ' + RR + " } } }"
USER_DELETE = "mutation ($id: Int!) { users { delete(id: $id, replaceId: 1) { " + RR + " } } }"
GROUP_CREATE = "mutation ($n: String!) { groups { create(name: $n) { " + RR + " group { id } } } }"
GROUP_UPDATE = (
    'mutation ($id: Int!) { groups { update(id: $id, name: "Cost 2", redirectOnLogin: "/", '
    'permissions: ["read:pages"], pageRules: []) { ' + RR + " } } }"
)
GROUP_DELETE = "mutation ($id: Int!) { groups { delete(id: $id) { " + RR + " } } }"
PAGE = "query ($id: Int!) { pages { single(id: $id) { id path render tags { tag } } } }"
LIST = "{ pages { list(limit: 1000000) { id path } } }"
TREE = (
    'query ($parent: Int) { pages { tree(mode: ALL, locale: "en", includeAncestors: false, '
    "parent: $parent) { id path pageId isFolder } } }"
)


class Wiki:
    """Raw GraphQL calls, safe to share between threads."""

    def __init__(self, url: str, key: str) -> None:
        self.http = httpx.Client(
            base_url=url,
            headers={"Authorization": f"Bearer {key}"},
            timeout=600,
            limits=httpx.Limits(max_connections=64),
        )

    def call(self, query: str, **variables: Any) -> tuple[float, dict[str, Any]]:
        started = time.perf_counter()
        body = self.http.post("/graphql", json={"query": query, "variables": variables}).json()
        elapsed = time.perf_counter() - started
        if body.get("errors"):
            raise RuntimeError(body["errors"][0]["message"])
        return elapsed, body["data"]

    def pages_under(self, prefix: str) -> list[dict[str, Any]]:
        listed = self.call(LIST)[1]["pages"]["list"]
        return [p for p in listed if p["path"].startswith(prefix + "/")]

    def tree_page_ids(self) -> set[int]:
        """Every page id in the page tree (walked folder by folder)."""
        ids: set[int] = set()
        parents: list[int] = [0]
        while parents:
            items = self.call(TREE, parent=parents.pop())[1]["pages"]["tree"]
            for item in items:
                if item["pageId"]:
                    ids.add(item["pageId"])
                if item["isFolder"]:
                    parents.append(item["id"])
        return ids


def result(data: dict[str, Any]) -> dict[str, Any]:
    namespace = next(iter(data.values()))
    return dict(next(iter(namespace.values())))


def sequential(wiki: Wiki, prefix: str, repeat: int, made: list[int]) -> dict[str, list[float]]:
    """Every write ``repeat`` times, one at a time: seconds per call."""
    times: dict[str, list[float]] = {}

    def timed(name: str, query: str, **variables: Any) -> dict[str, Any]:
        elapsed, data = wiki.call(query, **variables)
        times.setdefault(name, []).append(elapsed)
        outcome = result(data)
        if not outcome["responseResult"]["succeeded"]:
            print(f"  {name} failed: {json.dumps(outcome['responseResult'])}", file=sys.stderr)
        return outcome

    for n in range(repeat):
        created = timed("pages.create", CREATE, p=f"{prefix}/p{n}", c=f"# Page {n}\n\nText.", t=[])
        page_id = created["page"]["id"]
        made.append(page_id)
        timed("pages.update", UPDATE, id=page_id, c=f"# Page {n}\n\nChanged.")
        timed("pages.render", RENDER, id=page_id)
        timed("pages.move", MOVE, id=page_id, p=f"{prefix}/moved{n}")
        timed("pages.rebuildTree", REBUILD)
    for page_id in list(made):
        timed("pages.delete", DELETE, id=page_id)
        made.remove(page_id)
    for n in range(repeat):
        email = f"{prefix}-{n}@example.com"
        timed("users.create", USER_CREATE, e=email)
        _, data = wiki.call("query ($q: String!) { users { search(query: $q) { id } } }", q=email)
        user_id = data["users"]["search"][0]["id"]
        timed("users.update", USER_UPDATE, id=user_id)
        timed("users.delete", USER_DELETE, id=user_id)
        group_id = timed("groups.create", GROUP_CREATE, n=f"{prefix}-{n}")["group"]["id"]
        timed("groups.update", GROUP_UPDATE, id=group_id)
        timed("groups.delete", GROUP_DELETE, id=group_id)
    return times


def lanes_of(wiki: Wiki, prefix: str, lanes: int, per_lane: int) -> tuple[float, int]:
    """``lanes`` threads, each creating ``per_lane`` pages one after the other.

    Returns the seconds until the last answer and how many creates failed
    (a failed rebuild-tree job still wrote its page; it counts as written).
    """
    failed = 0
    lock = threading.Lock()

    def lane(number: int) -> None:
        nonlocal failed
        for n in range(per_lane):
            _, data = wiki.call(CREATE, p=f"{prefix}/l{number}-{n}", c=f"# {number} {n}", t=[])
            if not result(data)["responseResult"]["succeeded"]:
                with lock:
                    failed += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(lanes) as pool:
        list(pool.map(lane, range(lanes)))
    return time.perf_counter() - started, failed


def concurrency(
    wiki: Wiki, prefix: str, levels: Sequence[int], rounds: int, per_lane: int
) -> dict[int, list[float]]:
    """Pages per second at each level of concurrency over one lane's, per round."""
    ratios: dict[int, list[float]] = {level: [] for level in levels}
    for number in range(rounds):
        rates: dict[int, float] = {}
        order = list(levels) if number % 2 == 0 else list(reversed(levels))
        for level in order:
            where = f"{prefix}/c{number}-{level}"
            seconds, failed = lanes_of(wiki, where, level, per_lane)
            pages = level * per_lane
            rates[level] = pages / seconds
            print(
                f"  round {number + 1}, {level} in flight: {pages} pages in {seconds:6.1f} s "
                f"= {rates[level]:.2f} pages/s ({failed} answered a failed job)",
                flush=True,
            )
            for page in wiki.pages_under(where):
                wiki.call(DELETE, id=page["id"])
        for level in levels:
            ratios[level].append(rates[level] / rates[levels[0]])
    return ratios


def at_once(wiki: Wiki, query: str, variables: list[dict[str, Any]]) -> list[dict[str, Any]]:
    with ThreadPoolExecutor(len(variables)) as pool:
        answers = list(pool.map(lambda v: wiki.call(query, **v), variables))
    return [result(data)["responseResult"] for _, data in answers]


def races(wiki: Wiki, prefix: str, count: int) -> None:
    """Writes at once that share a new tag and a folder: what fails, what the wiki holds."""
    tag = f"{prefix}-tag"
    variables = [{"p": f"{prefix}/race/{n}", "c": f"# Race {n}", "t": [tag]} for n in range(count)]
    started = time.perf_counter()
    answers = at_once(wiki, CREATE, variables)
    took = time.perf_counter() - started
    print(f"\n{count} creates at once sharing the new tag {tag!r}: {took:.1f} s")
    report(answers)
    pages = wiki.pages_under(prefix)
    in_tree = wiki.tree_page_ids()
    for page in sorted(pages, key=lambda p: p["id"]):
        single = wiki.call(PAGE, id=page["id"])[1]["pages"]["single"]
        tags = [t["tag"] for t in single["tags"]]
        print(
            f"  page {page['id']} {page['path']}: tags {tags}, rendered {bool(single['render'])}, "
            f"in the tree {page['id'] in in_tree}"
        )
    ids = [p["id"] for p in pages]
    moved = at_once(wiki, MOVE, [{"id": i, "p": f"{prefix}/raced/{n}"} for n, i in enumerate(ids)])
    print(f"{len(ids)} moves at once:")
    report(moved)
    deleted = at_once(wiki, DELETE, [{"id": i} for i in ids])
    print(f"{len(ids)} deletes at once:")
    report(deleted)
    print(f"  pages left: {len(wiki.pages_under(prefix))}")


def report(answers: list[dict[str, Any]]) -> None:
    failed = [a for a in answers if not a["succeeded"]]
    print(f"  {len(failed)} of {len(answers)} answered succeeded: false")
    for answer in failed:
        print(f"    {json.dumps(answer)}")


def table(times: dict[str, list[float]], speedup: dict[int, list[float]]) -> None:
    print(f"\n{'operation':<18} {'median s':>9} {'min':>6} {'max':>6}  n")
    for name, values in times.items():
        print(
            f"{name:<18} {statistics.median(values):9.2f} {min(values):6.2f} "
            f"{max(values):6.2f}  {len(values)}"
        )
    if speedup:
        print("\nin flight  pages/s over one lane (median; each round)")
        for level, values in speedup.items():
            each = ", ".join(f"{v:.2f}" for v in values)
            print(f"{level:>9}  {statistics.median(values):.2f}  ({each})")
    print("\n# WRITE_SECONDS in wikijs/_facts/__init__.py")
    for name, values in times.items():
        print(f'    "{name}": {statistics.median(values):.2f},')
    if speedup:
        pairs = ", ".join(f"{k}: {statistics.median(v):.2f}" for k, v in speedup.items())
        print(f"CONCURRENT_SPEEDUP = {{{pairs}}}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("WIKIJS_TEST_URL"))
    parser.add_argument("--api-key", default=os.environ.get("WIKIJS_TEST_API_KEY"))
    parser.add_argument("--repeat", type=int, default=5, help="sequential runs of each write")
    parser.add_argument("--lanes", default="1,2,3,4,8", help="levels of concurrency to measure")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of all levels")
    parser.add_argument("--per-lane", type=int, default=3, help="creates each lane sends")
    parser.add_argument("--race", type=int, default=8, help="writes at once for the race part")
    parser.add_argument(
        "--only", action="append", choices=("sequential", "concurrency", "races"), default=None
    )
    args = parser.parse_args(argv)
    if not args.url or not args.api_key:
        parser.error("give --url and --api-key (or WIKIJS_TEST_URL, WIKIJS_TEST_API_KEY)")
    chosen = set(args.only or ("sequential", "concurrency", "races"))
    levels = sorted({int(level) for level in args.lanes.split(",")})
    if levels[0] != 1:
        levels.insert(0, 1)
    wiki = Wiki(args.url, args.api_key)
    prefix = f"write-costs-{secrets.token_hex(4)}"
    made: list[int] = []
    times: dict[str, list[float]] = {}
    speedup: dict[int, list[float]] = {}
    steps: list[tuple[str, Callable[[], object]]] = []
    if "sequential" in chosen:
        steps.append(
            ("sequential", lambda: times.update(sequential(wiki, prefix, args.repeat, made)))
        )
    if "concurrency" in chosen:
        steps.append(
            (
                "concurrency",
                lambda: speedup.update(
                    concurrency(wiki, prefix, levels, args.rounds, args.per_lane)
                ),
            )
        )
    if "races" in chosen and args.race > 1:
        steps.append(("races", lambda: races(wiki, prefix, args.race)))
    try:
        for name, step in steps:
            print(f"\n== {name}", flush=True)
            step()
        table(times, speedup)
    finally:
        for page in wiki.pages_under(prefix):
            wiki.call(DELETE, id=page["id"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
