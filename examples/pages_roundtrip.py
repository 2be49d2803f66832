"""Create, read, update (title only) and delete a page — with both clients.

    python examples/pages_roundtrip.py                       # against the embedded fake
    python examples/pages_roundtrip.py --url URL --api-key KEY

After the title-only update the page must still be published, with the same
content and tags: Wiki.js's own pages.update would unpublish it and drop its
tags; the SDK's update is a safe partial update.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
from typing import Any

from wikijs import WikiJSClient
from wikijs.aio import AsyncWikiJSClient
from wikijs.models import Page

CONTENT = "# Round trip\n\nWritten by examples/pages_roundtrip.py."
TAGS = ["example", "round-trip"]


def check(page: Page, title: str) -> None:
    assert page.title == title, page.title
    assert page.is_published, "the page was unpublished"
    assert page.content == CONTENT, "the content changed"
    assert [tag.tag for tag in page.tags] == TAGS, [tag.tag for tag in page.tags]


def sync_round_trip(options: dict[str, Any], path: str) -> None:
    with WikiJSClient(**options) as client:
        page = client.pages.create(title="Round trip", path=path, content=CONTENT, tags=TAGS)
        try:
            check(client.pages.get(page.id), "Round trip")
            check(client.pages.get_by_path(path), "Round trip")
            check(client.pages.update(page.id, title="Round trip, renamed"), "Round trip, renamed")
        finally:
            client.pages.delete(page.id)
    print(f"WikiJSClient:      created, read by id and path, renamed, deleted {path}")


async def async_round_trip(options: dict[str, Any], path: str) -> None:
    async with AsyncWikiJSClient(**options) as client:
        page = await client.pages.create(title="Round trip", path=path, content=CONTENT, tags=TAGS)
        try:
            check(await client.pages.get(page.id), "Round trip")
            check(await client.pages.get_by_path(path), "Round trip")
            renamed = await client.pages.update(page.id, title="Round trip, renamed")
            check(renamed, "Round trip, renamed")
        finally:
            await client.pages.delete(page.id)
    print(f"AsyncWikiJSClient: created, read by id and path, renamed, deleted {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url")
    parser.add_argument("--api-key")
    args = parser.parse_args(argv)
    path = f"examples/round-trip-{secrets.token_hex(3)}"
    if args.url:
        sync_round_trip({"url": args.url, "auth": args.api_key}, path)
        asyncio.run(async_round_trip({"url": args.url, "auth": args.api_key}, path + "-async"))
        return 0
    from wikijs.testing import FakeWikiJS

    with FakeWikiJS() as fake:
        sync_round_trip(
            {"url": fake.url, "auth": fake.api_key, "transport": fake.sync_transport()}, path
        )
        options = {"url": fake.url, "auth": fake.api_key, "transport": fake.async_transport()}
        asyncio.run(async_round_trip(options, path + "-async"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
