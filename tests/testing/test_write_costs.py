"""Write costs, overlapping writes and their races (``FakeWikiJS(write_costs=...)``).

The race tests run on the fake and, through ``--wikijs-url``, on a real
Wiki.js, where concurrent page writes collide in their rebuild-tree jobs and
on new tags.
"""

# GraphQL documents read best on one line.
# ruff: noqa: E501

from __future__ import annotations

import asyncio
import re
import secrets
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from real_server import RealWikiJS, isolated

from wikijs._facts import CONCURRENT_SPEEDUP, WRITE_SECONDS
from wikijs.testing import FakeWikiJS, WriteCosts

from .conftest import Caller, http_client

RR = "responseResult { succeeded errorCode slug message }"
CREATE = f'mutation ($p: String!) {{ pages {{ create(content: "x", description: "", editor: "markdown", isPublished: true, isPrivate: false, locale: "en", path: $p, tags: [], title: "T") {{ {RR} page {{ id }} }} }} }}'
MOVE = f'mutation ($id: Int!, $p: String!) {{ pages {{ move(id: $id, destinationPath: $p, destinationLocale: "en") {{ {RR} }} }} }}'
DELETE = f"mutation ($id: Int!) {{ pages {{ delete(id: $id) {{ {RR} }} }} }}"
REBUILD_PREFIX = 'Error when running job rebuild-tree: insert into "pageTree" ("ancestors", "depth", "id", "isFolder", "isPrivate", "localeCode", "pageId", "parent", "path", "privateNS", "title") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)'
REBUILD_SUFFIX = ' - duplicate key value violates unique constraint "pageTree_pkey"'


def test_measured_costs_and_scaling() -> None:
    measured = WriteCosts.measured()
    assert measured.cost("pages.create") > measured.cost("pages.delete") > 0
    assert measured.cost("pages.create") == WRITE_SECONDS["pages.create"]  # one table
    assert measured.cost("pages.convert") == WRITE_SECONDS["pages.update"]
    assert measured.cost("pages.list") == 0.0
    assert measured.workers == 2
    assert measured.speedup == CONCURRENT_SPEEDUP
    assert measured.tag_window > 0
    fast = measured.scaled(0.01)
    assert fast.cost("pages.create") == pytest.approx(measured.cost("pages.create") / 100)
    assert fast.rebuild_window == pytest.approx(measured.rebuild_window / 100)
    assert fast.tag_window == pytest.approx(measured.tag_window / 100)
    assert fast.speedup == measured.speedup
    with pytest.raises(ValueError):
        WriteCosts({"pages.create": -1})
    with pytest.raises(ValueError):
        WriteCosts(workers=0)
    with pytest.raises(ValueError):
        WriteCosts(tag_window=-1)
    with pytest.raises(ValueError):
        WriteCosts(speedup={0: 1.0})
    with pytest.raises(ValueError):
        WriteCosts(speedup={})
    with pytest.raises(ValueError):
        measured.scaled(-1)
    with pytest.raises(TypeError):
        measured.seconds["pages.create"] = 0  # type: ignore[index]


def test_costs_are_off_by_default_and_can_be_switched() -> None:
    with FakeWikiJS() as fake:
        assert fake.write_costs is None
        fake.write_costs = WriteCosts.measured()
        assert fake.write_costs == WriteCosts.measured()
        fake.write_costs = None
        assert fake.write_costs is None


def _elapsed(gql: Caller, query: str, variables: dict[str, Any] | None = None) -> tuple[float, Any]:
    started = time.monotonic()
    body = gql(query, variables)
    return time.monotonic() - started, body


def test_a_write_holds_its_answer_and_costs_add_up_within_a_request() -> None:
    with FakeWikiJS(write_costs=WriteCosts({"pages.create": 0.05})) as fake:
        gql = Caller(fake, fake.api_key)
        took, body = _elapsed(gql, CREATE, {"p": "docs/one"})
        assert body["data"]["pages"]["create"]["responseResult"]["succeeded"]
        assert took >= 0.05
        two = f'mutation {{ a: pages {{ create(content: "x", description: "", editor: "markdown", isPublished: true, isPrivate: false, locale: "en", path: "docs/a", tags: [], title: "A") {{ {RR} }} }} b: pages {{ create(content: "x", description: "", editor: "markdown", isPublished: true, isPrivate: false, locale: "en", path: "docs/b", tags: [], title: "B") {{ {RR} }} }} }}'
        took, body = _elapsed(gql, two)
        assert body["data"]["a"]["create"]["responseResult"]["succeeded"]
        assert body["data"]["b"]["create"]["responseResult"]["succeeded"]
        assert took >= 0.1  # mutation fields run one after another
        took, body = _elapsed(gql, CREATE, {"p": "docs/one"})  # a duplicate: refused at once
        assert body["data"]["pages"]["create"]["responseResult"]["errorCode"] == 6002
        assert took < 0.05
        gql.http.close()


def _together(gql: Caller, query: str, variables: list[dict[str, Any]]) -> float:
    """Seconds until ``variables``' writes, sent at once, are all answered."""
    start = threading.Barrier(len(variables))

    def send(index: int) -> None:
        start.wait()
        gql(query, variables[index])

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(variables))]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - began


@pytest.mark.parametrize(("speedup", "low", "high"), [(1.0, 0.4, 0.55), (2.0, 0.2, 0.35)])
def test_writes_in_flight_share_the_servers_speed(speedup: float, low: float, high: float) -> None:
    # Two writes of 0.2 s at once: no faster than one after the other when the
    # server gains nothing from overlap, as fast as one when it doubles.
    costs = WriteCosts({"groups.create": 0.2}, speedup={1: 1.0, 2: speedup})
    with FakeWikiJS(write_costs=costs) as fake:
        gql = Caller(fake, fake.api_key)
        create = f"mutation ($n: String!) {{ groups {{ create(name: $n) {{ {RR} }} }} }}"
        took = _together(gql, create, [{"n": "A"}, {"n": "B"}])
        assert low <= took < high
        assert fake.core.meter is not None
        assert fake.core.meter.peak == 2
        gql.http.close()


def test_the_workers_limit_queues_concurrent_writes() -> None:
    costs = WriteCosts({"groups.create": 0.05}, workers=1)
    with FakeWikiJS(write_costs=costs) as fake:
        gql = Caller(fake, fake.api_key)
        create = f"mutation ($n: String!) {{ groups {{ create(name: $n) {{ {RR} }} }} }}"
        threads = [threading.Thread(target=gql, args=(create, {"n": f"g{n}"})) for n in range(4)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert time.monotonic() - started >= 0.2  # one at a time
        gql.http.close()


async def test_the_write_lands_before_its_cost_and_survives_a_client_that_gives_up() -> None:
    with FakeWikiJS(write_costs=WriteCosts({"pages.create": 1.0})) as fake:
        headers = {"Authorization": f"Bearer {fake.api_key}"}
        async with httpx.AsyncClient(base_url=fake.url, transport=fake.async_transport()) as client:
            post = client.post(
                "/graphql", json={"query": CREATE, "variables": {"p": "docs/late"}}, headers=headers
            )
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(post, timeout=0.3)
            listed = await client.post(
                "/graphql", json={"query": "{ pages { list { path } } }"}, headers=headers
            )
        assert listed.json()["data"]["pages"]["list"] == [{"path": "docs/late"}]


def test_a_served_fake_keeps_writing_after_a_client_timeout() -> None:
    with FakeWikiJS(write_costs=WriteCosts({"pages.create": 1.0})) as fake, fake.serve() as url:
        headers = {"Authorization": f"Bearer {fake.api_key}"}
        with pytest.raises(httpx.ReadTimeout):
            httpx.post(
                f"{url}/graphql",
                json={"query": CREATE, "variables": {"p": "docs/cut"}},
                headers=headers,
                timeout=0.3,
            )
        listed = httpx.post(
            f"{url}/graphql", json={"query": "{ pages { list { path } } }"}, headers=headers
        )
        assert listed.json()["data"]["pages"]["list"] == [{"path": "docs/cut"}]


@pytest.fixture
def racing(real_wiki: RealWikiJS | None) -> Iterator[FakeWikiJS]:
    """A fake whose page writes overlap for a tenth of a second, or the real server."""
    if real_wiki is not None:
        with isolated(real_wiki) as server:
            yield server  # type: ignore[misc]
        return
    costs = WriteCosts(
        {
            "pages.create": 0.1,
            "pages.update": 0.1,
            "pages.move": 0.1,
            "pages.delete": 0.1,
            "pages.rebuildTree": 0.1,
        },
        rebuild_window=0.1,
        tag_window=0.5,
    )
    with FakeWikiJS(write_costs=costs) as server:
        yield server


def _at_once(fake: FakeWikiJS, query: str, variables: list[dict[str, Any]]) -> list[dict[str, Any]]:
    answers: list[dict[str, Any]] = [{} for _ in variables]
    start = threading.Barrier(len(variables))

    def send(index: int) -> None:
        with http_client(fake) as client:
            start.wait()
            body = client.post(
                "/graphql",
                json={"query": query, "variables": variables[index]},
                headers={"Authorization": f"Bearer {fake.api_key}"},
            ).json()
        answers[index] = next(iter(body["data"]["pages"].values()))

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(variables))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def _check_failures(answers: list[dict[str, Any]]) -> int:
    failed = [a for a in answers if not a["responseResult"]["succeeded"]]
    for answer in failed:
        result = answer["responseResult"]
        assert (result["errorCode"], result["slug"]) == (1, "Error")
        assert result["message"].startswith(REBUILD_PREFIX)
        assert result["message"].endswith(REBUILD_SUFFIX)
        assert answer.get("page") is None
    return len(failed)


def test_concurrent_page_writes_lose_tree_rebuilds_but_land(
    fake: FakeWikiJS, racing: FakeWikiJS
) -> None:
    fake = racing
    tag = f"race{secrets.token_hex(3)}"
    paths = [f"{tag}/p{n}" for n in range(6)]
    created = _at_once(fake, CREATE, [{"p": p} for p in paths])
    gql = Caller(fake, fake.api_key)
    listed = gql("{ pages { list { id path } } }")["data"]["pages"]["list"]
    ids = sorted(p["id"] for p in listed if p["path"].startswith(f"{tag}/"))
    assert len(ids) == len(paths)  # every create landed, whatever it answered
    failures = _check_failures(created)
    moved = _at_once(fake, MOVE, [{"id": i, "p": f"{tag}/moved{n}"} for n, i in enumerate(ids)])
    failures += _check_failures(moved)
    listed = gql("{ pages { list { id path } } }")["data"]["pages"]["list"]
    assert sorted(p["path"] for p in listed if p["path"].startswith(f"{tag}/")) == sorted(
        f"{tag}/moved{n}" for n in range(len(ids))
    )
    rebuilt = gql(f"mutation {{ pages {{ rebuildTree {{ {RR} }} }} }}")
    assert rebuilt["data"]["pages"]["rebuildTree"]["responseResult"]["succeeded"]
    roots = gql(
        f'{{ pages {{ tree(path: "{tag}", mode: ALL, locale: "en", includeAncestors: false) {{ id path }} }} }}'
    )["data"]["pages"]["tree"]
    folder = next(n["id"] for n in roots if n["path"] == tag)
    tree = gql(
        f'{{ pages {{ tree(parent: {folder}, mode: ALL, locale: "en", includeAncestors: false) {{ pageId }} }} }}'
    )
    assert sorted(n["pageId"] for n in tree["data"]["pages"]["tree"]) == ids
    deleted = _at_once(fake, DELETE, [{"id": i} for i in ids])
    failures += _check_failures(deleted)
    listed = gql("{ pages { list { path } } }")["data"]["pages"]["list"]
    assert not [p for p in listed if p["path"].startswith(f"{tag}/")]
    gql.http.close()
    if not getattr(fake, "is_real", False):
        assert failures >= 3  # the fake's overlapping windows always collide


def test_a_page_deleted_during_a_rebuild_breaks_its_foreign_key() -> None:
    # Seen on the shared real server: a rebuild that selected a page another request
    # deleted before its insert fails on pagetree_pageid_foreign.
    costs = WriteCosts({"pages.create": 2.0, "groups.create": 0.5}, rebuild_window=2.0)
    with FakeWikiJS(write_costs=costs) as fake:
        doomed = fake.add_page("docs/doomed")
        gql = Caller(fake, fake.api_key)
        later_delete = f'mutation {{ g: groups {{ create(name: "Later") {{ {RR} }} }} d: pages {{ delete(id: {doomed.id}) {{ {RR} }} }} }}'
        answers: dict[str, Any] = {}
        creating = threading.Thread(
            target=lambda: answers.update(create=gql(CREATE, {"p": "docs/rebuilt"}))
        )
        creating.start()
        deleted = gql(later_delete)  # the delete lands half a second in
        creating.join()
        assert deleted["data"]["d"]["delete"]["responseResult"]["succeeded"]
        result = answers["create"]["data"]["pages"]["create"]["responseResult"]
        assert (result["errorCode"], result["slug"]) == (1, "Error")
        assert result["message"].startswith(REBUILD_PREFIX)
        assert result["message"].endswith(
            ' - insert or update on table "pageTree" violates foreign key constraint "pagetree_pageid_foreign"'
        )
        listed = gql("{ pages { list { path } } }")["data"]["pages"]["list"]
        assert listed == [{"path": "docs/rebuilt"}]
        gql.http.close()


TAGGED = f'mutation ($p: String!, $t: [String]!) {{ pages {{ create(content: "# x", description: "", editor: "markdown", isPublished: true, isPrivate: false, locale: "en", path: $p, tags: $t, title: "T") {{ {RR} page {{ id }} }} }} }}'
PAGE = "query ($id: Int!) { pages { single(id: $id) { id path render tags { tag } } } }"
TAG_RACE = re.compile(
    r'^insert into "tags" \("createdAt", "tag", "title", "updatedAt"\) values \(\$1, \$2, \$3, \$4\)'
    r'(, \(\$\d+, \$\d+, \$\d+, \$\d+\))* returning "id" - duplicate key value violates unique '
    r'constraint "tags_tag_unique"$'
)


def _pages_under(gql: Caller, prefix: str) -> list[dict[str, Any]]:
    listed = gql("{ pages { list { id path } } }")["data"]["pages"]["list"]
    singles = [
        gql(PAGE, {"id": p["id"]})["data"]["pages"]["single"]
        for p in listed
        if p["path"].startswith(f"{prefix}/")
    ]
    return sorted(singles, key=lambda p: p["path"])


def _tag_race_failures(answers: list[dict[str, Any]]) -> int:
    failed = [a["responseResult"] for a in answers if not a["responseResult"]["succeeded"]]
    for result in failed:
        assert (result["errorCode"], result["slug"]) in {(1, "UniqueViolationError"), (1, "Error")}
        if result["slug"] == "UniqueViolationError":
            assert TAG_RACE.match(result["message"]), result["message"]
    return sum(1 for r in failed if r["slug"] == "UniqueViolationError")


def test_creates_sharing_a_new_tag_at_once_leave_pages_without_it(
    fake: FakeWikiJS, racing: FakeWikiJS
) -> None:
    fake = racing
    prefix, tag = f"tagrace{secrets.token_hex(3)}", f"new-{secrets.token_hex(3)}"
    answers = _at_once(fake, TAGGED, [{"p": f"{prefix}/p{n}", "t": [tag]} for n in range(6)])
    gql = Caller(fake, fake.api_key)
    pages = _pages_under(gql, prefix)
    assert len(pages) == 6  # every page exists, whatever its write answered
    raced = _tag_race_failures(answers)
    whole = [p for p in pages if [t["tag"] for t in p["tags"]] == [tag] and p["render"]]
    bare = [p for p in pages if not p["tags"] and not p["render"]]
    assert len(bare) == raced  # each failed write: its row, nothing after it
    assert len(whole) + len(bare) == 6
    gql.http.close()
    if not getattr(fake, "is_real", False):
        assert raced >= 1  # the fake's writes sent together always collide


def test_an_update_bringing_a_new_tag_at_once_with_another_keeps_its_row_change(
    fake: FakeWikiJS, racing: FakeWikiJS
) -> None:
    fake = racing
    prefix, tag = f"updrace{secrets.token_hex(3)}", f"new-{secrets.token_hex(3)}"
    gql = Caller(fake, fake.api_key)
    ids = [
        gql(TAGGED, {"p": f"{prefix}/p{n}", "t": []})["data"]["pages"]["create"]["page"]["id"]
        for n in range(4)
    ]
    update = f'mutation ($id: Int!, $t: [String]!) {{ pages {{ update(id: $id, content: "# changed", description: "", editor: "markdown", isPublished: true, isPrivate: false, locale: "en", tags: $t, title: "Changed") {{ {RR} }} }} }}'
    answers = _at_once(fake, update, [{"id": i, "t": [tag]} for i in ids])
    raced = _tag_race_failures(answers)
    pages = _pages_under(gql, prefix)
    contents = [gql(f"{{ pages {{ single(id: {p['id']}) {{ content }} }} }}") for p in pages]
    assert [c["data"]["pages"]["single"]["content"] for c in contents] == ["# changed"] * 4
    untagged = [p for p in pages if not p["tags"]]
    assert len(untagged) == raced  # the row changed; its tags (and render) did not
    gql.http.close()
    if not getattr(fake, "is_real", False):
        assert raced >= 1


def test_the_operations_of_a_json_array_run_at_once(fake: FakeWikiJS, racing: FakeWikiJS) -> None:
    # Apollo Server runs an array's operations with Promise.all: page writes in
    # one array race each other like separate requests.
    fake = racing
    prefix, tag = f"arrace{secrets.token_hex(3)}", f"new-{secrets.token_hex(3)}"
    with http_client(fake) as client:
        body = client.post(
            "/graphql",
            json=[
                {"query": TAGGED, "variables": {"p": f"{prefix}/p{n}", "t": [tag]}}
                for n in range(4)
            ],
            headers={"Authorization": f"Bearer {fake.api_key}"},
        ).json()
    answers = [item["data"]["pages"]["create"] for item in body]
    raced = _tag_race_failures(answers)
    gql = Caller(fake, fake.api_key)
    assert len(_pages_under(gql, prefix)) == 4
    gql.http.close()
    if not getattr(fake, "is_real", False):
        assert raced >= 1


def test_a_write_answer_holds_the_page_as_it_was_before_its_render(fake: FakeWikiJS) -> None:
    # Why pages.create and pages.update read the page back: the page in their
    # answer is the row read before the render job ran (and lacks locale,
    # editor and scripts, which cannot be selected there).
    gql = Caller(fake, fake.api_key)
    path = f"answer{secrets.token_hex(3)}/page"
    fields = "id render content"
    create = f'mutation ($p: String!) {{ pages {{ create(content: "# First", description: "", editor: "markdown", isPublished: true, isPrivate: false, locale: "en", path: $p, tags: [], title: "T") {{ {RR} page {{ {fields} }} }} }} }}'
    created = gql(create, {"p": path})["data"]["pages"]["create"]
    assert created["responseResult"]["succeeded"]
    assert created["page"]["render"] is None  # not rendered yet
    page_id = created["page"]["id"]
    first = gql(PAGE, {"id": page_id})["data"]["pages"]["single"]["render"]
    assert "First" in first
    update = f'mutation ($id: Int!) {{ pages {{ update(id: $id, content: "# Second", description: "", editor: "markdown", isPublished: true, isPrivate: false, locale: "en", tags: [], title: "T") {{ {RR} page {{ {fields} }} }} }} }}'
    updated = gql(update, {"id": page_id})["data"]["pages"]["update"]
    assert updated["page"]["content"] == "# Second"
    assert updated["page"]["render"] == first  # the render of before the update
    assert "Second" in gql(PAGE, {"id": page_id})["data"]["pages"]["single"]["render"]
    gql.http.close()
