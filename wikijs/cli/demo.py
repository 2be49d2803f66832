"""``wikijs demo``: a short, readable tour of the SDK.

With no arguments it starts the embedded fake Wiki.js (seeded with a few
hundred pages in two locales, users, groups and assets) and needs no
network; with ``--url`` and ``--api-key`` it runs the same tour against a
real server and removes everything it created.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .. import ConflictError, NotFoundError, ValidationError, WikiJSClient
from ..aio import AsyncWikiJSClient

Echo = Callable[[str], None]


@contextmanager
def _connection(url: str | None, api_key: str | None) -> Iterator[tuple[dict[str, Any], str]]:
    """Client keyword arguments for both clients, and a description."""
    if url:
        if not api_key:
            raise SystemExit("wikijs demo: --url needs --api-key")
        yield {"sync": {"url": url, "auth": api_key}, "async": {"url": url, "auth": api_key}}, url
        return
    from ..testing import FakeWikiJS

    fake = FakeWikiJS()
    try:
        fake.seed_demo()
        yield (
            {
                "sync": {"url": fake.url, "auth": fake.api_key, "transport": fake.sync_transport()},
                "async": {
                    "url": fake.url,
                    "auth": fake.api_key,
                    "transport": fake.async_transport(),
                },
            },
            "the embedded fake Wiki.js 2.5 (in memory, no network)",
        )
    finally:
        fake.close()


def _section(echo: Echo, title: str) -> None:
    echo("")
    echo(f"== {title}")


def run_demo(url: str | None = None, api_key: str | None = None, echo: Echo = print) -> int:
    """Run the tour; returns the exit status."""
    prefix = f"wikijs-demo-{secrets.token_hex(3)}"
    with _connection(url, api_key) as (options, where):
        echo(f"wikijs demo against {where}")
        created: list[int] = []
        with WikiJSClient(**options["sync"]) as client:
            try:
                _sync_tour(client, prefix, created, echo)
                asyncio.run(_async_tour(options["async"], prefix, echo))
            finally:
                if created:
                    _section(echo, "Cleaning up")
                    result = client.pages.delete_many(created)
                    echo(f"deleted {len(result.success)} page(s) the demo created")
    echo("")
    echo("Done. Next: docs/getting-started.md")
    return 0


def _sync_tour(client: WikiJSClient, prefix: str, created: list[int], echo: Echo) -> None:
    _section(echo, "Health and identity  (WikiJSClient)")
    echo(client.health().summary())
    me = client.whoami()
    echo(f"authenticated as {me.name} <{me.email}>, groups: {', '.join(me.groups)}")

    _section(echo, "Listing and paging")
    ids = client.pages.ids()
    echo(f"the wiki has {len(ids)} pages")
    for item in client.pages.list(limit=5, order_by="title"):
        echo(f"  #{item.id:<4} {item.locale}/{item.path}  {item.title!r}  tags={item.tags}")
    second = client.pages.list(limit=5, offset=5, order_by="title")
    echo(f"next page of 5 (offset=5) starts at {second[0].path if second else '-'}")
    started = time.perf_counter()
    total_chars = pages = 0
    for page in client.pages.iter_all(batch_size=50):
        pages += 1
        total_chars += len(page.content)
    elapsed = time.perf_counter() - started
    echo(f"iter_all(): read {pages} full pages ({total_chars:,} characters) in {elapsed:.2f}s")

    _section(echo, "Searching")
    first = client.pages.list(limit=1, order_by="id")
    term = first[0].title.split()[0] if first and first[0].title else "wiki"
    hits = client.pages.search(term)
    echo(f"search({term!r}): {hits.total_hits} hit(s); first: {[h.path for h in hits.results[:3]]}")

    _section(echo, "Writing: create, safe partial update, history")
    page = client.pages.create(
        title="Welcome",
        path=f"{prefix}/welcome",
        content="# Welcome\n\nCreated by `wikijs demo`.",
        description="A page made by the demo",
        tags=["demo", "sdk"],
    )
    created.append(page.id)
    echo(f"created #{page.id} at {page.path}, published={page.is_published}")
    page = client.pages.update(page.id, title="Welcome (renamed)")
    tags = [tag.tag for tag in page.tags]
    echo(
        f"updated only the title -> {page.title!r}; still published={page.is_published}, "
        f"tags={tags}, content kept={page.content.startswith('# Welcome')}"
    )
    trail = list(client.pages.history(page.id))
    echo(f"history: {len(trail)} entr{'y' if len(trail) == 1 else 'ies'}")

    _section(echo, "Batches: many operations, few requests")
    notes = client.pages.create_many(
        [
            {"title": f"Note {i}", "path": f"{prefix}/notes/{i}", "content": f"# Note {i}"}
            for i in range(10)
        ]
    )
    created.extend(p.id for p in notes)
    echo(f"create_many(10): {len(notes.success)} created, {len(notes.errors)} failed")
    result = client.pages.get_many([*created[:3], 999_999])
    echo(f"get_many([3 ids, 999999]): {len(result.success)} pages, errors:")
    for error in result.errors:
        echo(f"  item {error.index} ({error.input}): {type(error.error).__name__}: {error.error}")

    _section(echo, "Users, groups and assets")
    users, groups = client.users.list(), client.groups.list()
    echo(f"{len(users)} users ({', '.join(u.name for u in users[:3])}, ...), {len(groups)} groups")
    payload = b"id,name\n1,wikijs demo\n" * 1000
    asset = client.assets.upload(payload, filename=f"{prefix}.csv")
    echo(f"uploaded {asset.filename} ({asset.file_size} bytes) through POST /u, streamed")
    try:
        back = client.assets.download(asset.id)
        echo(f"downloaded it again: {'identical' if back == payload else 'DIFFERENT'}")
    finally:
        client.assets.delete(asset.id)

    _section(echo, "Errors are typed")
    try:
        client.pages.get(999_999)
    except NotFoundError as exc:
        echo(f"NotFoundError: {exc}")
    try:
        client.pages.create(title="Again", path=f"{prefix}/welcome", content="dup")
    except ConflictError as exc:
        echo(f"ConflictError: {exc}")
    try:
        client.pages.create(title="Bad", path="not a valid path", content="x")
    except ValidationError as exc:
        echo(f"ValidationError (nothing was sent): {exc}")


async def _async_tour(options: dict[str, Any], prefix: str, echo: Echo) -> None:
    _section(echo, "The async client: same surface, awaited  (AsyncWikiJSClient)")
    async with AsyncWikiJSClient(**options) as client:
        ids = await client.pages.ids()
        sample = ids[:20]
        started = time.perf_counter()
        pages = await asyncio.gather(*(client.pages.get(page_id) for page_id in sample))
        elapsed = time.perf_counter() - started
        echo(f"gather(): {len(pages)} concurrent pages.get in {elapsed:.2f}s")
        german = 0
        async for _page in client.pages.iter_all(locale="de"):
            german += 1
        echo(f"async for over iter_all(locale='de'): {german} pages")
        try:
            await client.pages.get_by_path(f"{prefix}/does-not-exist")
        except NotFoundError as exc:
            echo(f"NotFoundError, awaited: {exc}")
