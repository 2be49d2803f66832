"""A whole session with ``wikijs mcp`` over stdio, as an assistant would drive it.

These run on the fake served on loopback, and on a real Wiki.js with
``--wikijs-url`` (the harness removes the pages they create).
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
from conftest import Launch
from mcp import MCPError
from mcp_support import page_writes, text

from wikijs import WikiJSClient
from wikijs.errors import NotFoundError
from wikijs.mcp import TOOLS
from wikijs.testing import FakeWikiJS

WRITE_TOOLS = {"create_page", "update_page", "move_page", "delete_page"}


async def test_initialize_list_search_read_create_update_move_delete(
    fake: FakeWikiJS, launch: Launch, sdk: WikiJSClient
) -> None:
    run = uuid.uuid4().hex[:8]
    fake.add_page(
        f"mcp-{run}/seed", title=f"Seed {run}", content="# Seed\n\nFrom the wiki.", tags=["seed"]
    )
    async with launch("--allow-write", "--allow-delete") as session:
        # initialize (the handshake ran on entering): who answered, what it offers
        assert session.server_info is not None
        assert session.server_info.name == "wikijs"
        assert session.server_capabilities.tools is not None
        assert session.server_capabilities.resources is not None

        listed = await session.list_tools()
        assert {tool.name for tool in listed.tools} == {tool.name for tool in TOOLS}
        resources = await session.list_resources()
        uris = {resource.uri for resource in resources.resources}
        while resources.next_cursor:
            resources = await session.list_resources(cursor=resources.next_cursor)
            uris |= {resource.uri for resource in resources.resources}
        assert f"wikijs://en/mcp-{run}/seed" in uris

        found = await session.call_tool("search_pages", {"query": f"Seed {run}"})
        assert not found.is_error, text(found)
        assert f"mcp-{run}/seed" in [hit["path"] for hit in found.structured_content["results"]]

        read = await session.read_resource(f"wikijs://en/mcp-{run}/seed")
        assert read.contents[0].text == "# Seed\n\nFrom the wiki."
        assert read.contents[0].mime_type == "text/markdown"

        created = await session.call_tool(
            "create_page",
            {
                "title": "Made by an assistant",
                "path": f"mcp-{run}/made",
                "content": "# First draft",
                "tags": ["mcp-alpha", "mcp-beta"],
                "description": "Written over MCP",
            },
        )
        assert not created.is_error, text(created)
        report = created.structured_content
        assert report["action"] == "created"
        assert report["changes"]["tags"]["after"] == ["mcp-alpha", "mcp-beta"]
        page_id = report["page_id"]

        updated = await session.call_tool(
            "update_page", {"page_id": page_id, "content": "# Second draft\n\nBetter."}
        )
        assert not updated.is_error, text(updated)
        assert set(updated.structured_content["changes"]) == {"content"}
        page = sdk.pages.get(page_id)
        assert page.content == "# Second draft\n\nBetter."
        assert sorted(tag.tag for tag in page.tags) == ["mcp-alpha", "mcp-beta"]
        assert page.is_published is True
        assert (page.title, page.description) == ("Made by an assistant", "Written over MCP")

        moved = await session.call_tool(
            "move_page", {"page_id": page_id, "destination_path": f"mcp-{run}/moved"}
        )
        assert not moved.is_error, text(moved)
        assert moved.structured_content["changes"]["path"] == {
            "before": f"mcp-{run}/made",
            "after": f"mcp-{run}/moved",
            "diff": None,
        }
        assert sdk.pages.get_by_path(f"mcp-{run}/moved").id == page_id

        deleted = await session.call_tool("delete_page", {"page_id": page_id})
        assert not deleted.is_error, text(deleted)
        assert deleted.structured_content["action"] == "deleted"
        with pytest.raises(NotFoundError):
            sdk.pages.get(page_id)
        gone = await session.call_tool("get_page", {"page_id": page_id})
        assert gone.is_error
        assert text(gone).startswith("Not found:")


async def test_without_allow_write_no_write_tool_is_listed_or_runs(
    fake: FakeWikiJS, launch: Launch, sdk: WikiJSClient
) -> None:
    page = fake.add_page("mcp-readonly/page", title="Read only")
    async with launch() as session:
        listed = {tool.name for tool in (await session.list_tools()).tools}
        assert not listed & WRITE_TOOLS
        assert "get_page" in listed
        calls = {
            "create_page": {"title": "No", "path": "mcp-readonly/new", "content": "no"},
            "update_page": {"page_id": page.id, "content": "changed"},
            "move_page": {"page_id": page.id, "destination_path": "mcp-readonly/moved"},
            "delete_page": {"page_id": page.id},
        }
        for name, arguments in calls.items():
            with pytest.raises(MCPError, match=r"read-only.*--allow-write"):
                await session.call_tool(name, arguments)
    with pytest.raises(NotFoundError):
        sdk.pages.get_by_path("mcp-readonly/new")
    assert sdk.pages.get(page.id).content == page.content
    assert sdk.pages.get(page.id).path == "mcp-readonly/page"


async def test_delete_needs_its_own_flag(
    fake: FakeWikiJS, launch: Launch, sdk: WikiJSClient
) -> None:
    page = fake.add_page("mcp-keep/page", title="Kept")
    async with launch("--allow-write") as session:
        listed = {tool.name for tool in (await session.list_tools()).tools}
        assert listed >= {"create_page", "update_page", "move_page"}
        assert "delete_page" not in listed
        with pytest.raises(MCPError, match="--allow-delete"):
            await session.call_tool("delete_page", {"page_id": page.id})
    assert sdk.pages.get(page.id).title == "Kept"


async def test_a_write_outside_the_path_prefix_is_refused_before_anything_is_sent(
    fake: FakeWikiJS, launch: Launch, sdk: WikiJSClient
) -> None:
    inside = fake.add_page("docs/mcp-inside", title="Inside")
    outside = fake.add_page("mcp-outside/page", title="Outside")
    async with launch("--allow-write", "--allow-delete", "--path-prefix", "docs/") as session:
        before = None if getattr(fake, "is_real", False) else len(page_writes(fake))
        refusals = {
            "create_page": {"title": "No", "path": "mcp-outside/new", "content": "no"},
            "update_page": {"page_id": outside.id, "title": "Changed"},
            "move_page": {"page_id": inside.id, "destination_path": "mcp-outside/moved"},
            "delete_page": {"page_id": outside.id},
        }
        for name, arguments in refusals.items():
            result = await session.call_tool(name, arguments)
            assert result.is_error, name
            assert "outside the paths this server may write (docs/)" in text(result)
            assert "nothing was sent" in text(result)
        if before is not None:
            assert len(page_writes(fake)) == before
        allowed = await session.call_tool(
            "create_page", {"title": "Yes", "path": "docs/mcp-new", "content": "yes"}
        )
        assert not allowed.is_error, text(allowed)
    with pytest.raises(NotFoundError):
        sdk.pages.get_by_path("mcp-outside/new")
    assert sdk.pages.get(outside.id).title == "Outside"
    assert sdk.pages.get(inside.id).path == "docs/mcp-inside"


async def test_eight_parallel_creates_sharing_a_new_tag_all_land_with_the_tag(
    fake: FakeWikiJS, launch: Launch, sdk: WikiJSClient
) -> None:
    run = uuid.uuid4().hex[:8]
    tag = f"mcp-shared-{run}"
    async with launch("--allow-write") as session:
        results = await asyncio.gather(
            *(
                session.call_tool(
                    "create_page",
                    {
                        "title": f"Parallel {n}",
                        "path": f"mcp-{run}/parallel-{n}",
                        "content": f"# Page {n}",
                        "tags": [tag],
                    },
                )
                for n in range(8)
            )
        )
    failed = [text(result) for result in results if result.is_error]
    assert not failed, failed
    for n, result in enumerate(results):
        page = sdk.pages.get(result.structured_content["page_id"])
        assert page.path == f"mcp-{run}/parallel-{n}"
        assert [t.tag for t in page.tags] == [tag]
    assert len(sdk.pages.get_by_tags([tag])) == 8
