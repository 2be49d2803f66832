"""The tools' behaviour, through the ``mcp`` client, with the server in the test's process."""

from __future__ import annotations

import pytest
from conftest import InProcess
from mcp import MCPError
from mcp_support import text

from wikijs.mcp import Policy
from wikijs.testing import FakeWikiJS

WRITER = Policy(allow_write=True, allow_delete=True)


async def test_list_pages_pages_through_the_list(fake: FakeWikiJS, in_process: InProcess) -> None:
    for n in range(5):
        fake.add_page(f"mcp-list/page-{n}", title=f"Page {n}", tags=["mcp-listed"])
    async with in_process() as session:
        first = await session.call_tool("list_pages", {"tags": ["mcp-listed"], "limit": 2})
        assert [p["path"] for p in first.structured_content["pages"]] == [
            "mcp-list/page-0",
            "mcp-list/page-1",
        ]
        assert first.structured_content["next_offset"] == 2
        last = await session.call_tool(
            "list_pages", {"tags": ["mcp-listed"], "limit": 2, "offset": 4}
        )
        assert [p["path"] for p in last.structured_content["pages"]] == ["mcp-list/page-4"]
        assert last.structured_content["next_offset"] is None
        newest = await session.call_tool(
            "list_pages",
            {"tags": ["mcp-listed"], "order_by": "UPDATED", "direction": "DESC", "limit": 1},
        )
        assert newest.structured_content["pages"][0]["tags"] == ["mcp-listed"]


async def test_list_pages_in_a_folder(fake: FakeWikiJS, in_process: InProcess) -> None:
    fake.add_page("mcp-folder/a", title="A")
    fake.add_page("mcp-folder/sub/b", title="B")
    fake.add_page("mcp-folderless", title="Not inside")
    async with in_process() as session:
        listed = await session.call_tool("list_pages", {"folder": "/mcp-folder/", "limit": 1})
        assert [p["path"] for p in listed.structured_content["pages"]] == ["mcp-folder/a"]
        assert listed.structured_content["next_offset"] == 1
        rest = await session.call_tool("list_pages", {"folder": "mcp-folder", "offset": 1})
        assert [p["path"] for p in rest.structured_content["pages"]] == ["mcp-folder/sub/b"]


async def test_list_folder_walks_the_tree(fake: FakeWikiJS, in_process: InProcess) -> None:
    fake.add_page("mcp-tree/start", title="Start")
    fake.add_page("mcp-tree/deeper/leaf", title="Leaf")
    async with in_process() as session:
        top = await session.call_tool("list_folder", {"path": ""})
        assert "mcp-tree" in [item["path"] for item in top.structured_content["items"]]
        inside = await session.call_tool("list_folder", {"path": "mcp-tree"})
        items = {item["path"]: item for item in inside.structured_content["items"]}
        assert set(items) == {"mcp-tree/deeper", "mcp-tree/start"}
        assert items["mcp-tree/deeper"]["is_folder"] is True
        assert items["mcp-tree/start"]["page_id"] is not None
        pages = await session.call_tool("list_folder", {"path": "mcp-tree", "mode": "PAGES"})
        assert [i["path"] for i in pages.structured_content["items"]] == ["mcp-tree/start"]
        missing = await session.call_tool("list_folder", {"path": "mcp-tree/nowhere"})
        assert missing.is_error
        assert "No folder 'mcp-tree/nowhere'" in text(missing)


async def test_pages_read_by_id_and_path_without_their_html(
    fake: FakeWikiJS, in_process: InProcess
) -> None:
    page = fake.add_page("mcp-read/page", title="Read me", content="# Read\n\nme", tags=["mcp-r"])
    async with in_process() as session:
        by_id = await session.call_tool("get_page", {"page_id": page.id})
        by_path = await session.call_tool("get_page_by_path", {"path": "/mcp-read/page/"})
        assert by_id.structured_content == by_path.structured_content
        assert by_id.structured_content["content"] == "# Read\n\nme"
        assert [t["tag"] for t in by_id.structured_content["tags"]] == ["mcp-r"]
        assert "render" not in by_id.structured_content
        tags = await session.call_tool("list_tags", {})
        assert "mcp-r" in [t["tag"] for t in tags.structured_content["tags"]]


async def test_history_and_a_version(fake: FakeWikiJS, in_process: InProcess) -> None:
    page = fake.add_page("mcp-history/page", title="History", content="first")
    fake.edit_page(page.id, "second")
    fake.edit_page(page.id, "third")
    async with in_process() as session:
        newest = await session.call_tool("get_page_history", {"page_id": page.id, "limit": 1})
        entries = newest.structured_content["entries"]
        assert len(entries) == 1
        assert newest.structured_content["next_offset"] == 1
        older = await session.call_tool(
            "get_page_history", {"page_id": page.id, "limit": 50, "offset": 1}
        )
        assert older.structured_content["next_offset"] is None
        trail = entries + older.structured_content["entries"]
        versions = [
            (
                await session.call_tool(
                    "get_page_version", {"page_id": page.id, "version_id": e["version_id"]}
                )
            ).structured_content
            for e in trail
        ]
        assert {"first", "second"} <= {version["content"] for version in versions}


async def test_an_update_reports_each_change_and_keeps_the_rest(
    fake: FakeWikiJS, in_process: InProcess
) -> None:
    page = fake.add_page(
        "mcp-update/page", title="Before", content="one\ntwo\n", tags=["kept"], is_published=False
    )
    async with in_process(WRITER) as session:
        result = await session.call_tool(
            "update_page", {"page_id": page.id, "title": "After", "content": "one\nthree\n"}
        )
        report = result.structured_content
        assert set(report["changes"]) == {"title", "content"}
        assert report["changes"]["title"] == {"before": "Before", "after": "After", "diff": None}
        content = report["changes"]["content"]
        assert (content["before"], content["after"]) == (
            "8 characters, 3 lines",
            "10 characters, 3 lines",
        )
        assert "-two" in content["diff"]
        assert "+three" in content["diff"]
        assert "every other field kept its value" in report["summary"]
        read = await session.call_tool("get_page", {"page_id": page.id})
        assert read.structured_content["is_published"] is False
        assert [t["tag"] for t in read.structured_content["tags"]] == ["kept"]
        again = await session.call_tool("update_page", {"page_id": page.id, "title": "After"})
        assert again.structured_content["changes"] == {}
        assert "nothing changed" in again.structured_content["summary"]
        cleared = await session.call_tool(
            "update_page", {"page_id": page.id, "tags": [], "is_published": True}
        )
        assert cleared.structured_content["changes"]["tags"]["after"] == []


async def test_mistakes_come_back_as_tool_errors_that_say_what_to_do(
    fake: FakeWikiJS, in_process: InProcess
) -> None:
    existing = fake.add_page("mcp-errors/existing", title="Existing")
    async with in_process(WRITER) as session:
        wrong_type = await session.call_tool("get_page", {"page_id": "twelve"})
        assert wrong_type.is_error
        assert text(wrong_type).startswith("Invalid arguments for get_page: page_id:")
        unknown = await session.call_tool("get_page", {"page_id": 1, "id": 1})
        assert "id: Extra inputs are not permitted" in text(unknown)
        missing = await session.call_tool("get_page", {"page_id": 999999})
        assert text(missing).startswith("Not found:")
        assert "search_pages" in text(missing)
        taken = await session.call_tool(
            "create_page", {"title": "Again", "path": "mcp-errors/existing", "content": "x"}
        )
        assert text(taken).startswith("Conflict:")
        assert "update_page" in text(taken)
        empty = await session.call_tool(
            "create_page", {"title": "Empty", "path": "mcp-errors/empty", "content": ""}
        )
        assert text(empty).startswith("Invalid input:")
        nothing = await session.call_tool("update_page", {"page_id": existing.id})
        assert "give at least one field" in text(nothing)
        bad_path = await session.call_tool(
            "move_page", {"page_id": existing.id, "destination_path": "a b?c"}
        )
        assert text(bad_path).startswith("Invalid input:")
        with pytest.raises(MCPError, match="unknown tool 'rename_page'"):
            await session.call_tool("rename_page", {})


async def test_an_unexpected_failure_is_logged_not_shown(
    fake: FakeWikiJS, in_process: InProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wikijs.resources import AsyncPages

    async def broken(self: AsyncPages) -> None:
        raise RuntimeError("a bug, with internals")

    monkeypatch.setattr(AsyncPages, "tags", broken)
    async with in_process() as session:
        result = await session.call_tool("list_tags", {})
    assert result.is_error
    assert "failed inside the server" in text(result)
    assert "internals" not in text(result)


async def test_pages_are_resources(
    fake: FakeWikiJS, in_process: InProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wikijs.mcp import _resources

    fake.add_page("mcp-res/one", title="One", description="The first")
    fake.add_page("mcp-res/html", title="HTML", editor="code", content="<p>Hallo</p>")
    monkeypatch.setattr(_resources, "PAGE_SIZE", 1)
    async with in_process() as session:
        uris: dict[str, str | None] = {}
        cursor = None
        for _ in range(1000):
            listed = await session.list_resources(cursor=cursor)
            uris |= {r.uri: r.description for r in listed.resources}
            cursor = listed.next_cursor
            if cursor is None:
                break
        assert uris["wikijs://en/mcp-res/one"] == "The first"
        assert "wikijs://en/mcp-res/html" in uris
        code = await session.read_resource("wikijs://en/mcp-res/html")
        assert (code.contents[0].text, code.contents[0].mime_type) == ("<p>Hallo</p>", "text/html")
        templates = await session.list_resource_templates()
        assert templates.resource_templates[0].uri_template == "wikijs://{locale}/{+path}"
        with pytest.raises(MCPError, match="resource not found"):
            await session.read_resource("wikijs://en/mcp-res/none")
        with pytest.raises(MCPError, match="not a page URI"):
            await session.read_resource("https://example.com/mcp-res/one")
        with pytest.raises(MCPError, match="invalid cursor"):
            await session.list_resources(cursor="later")


async def test_the_server_tells_the_assistant_what_it_may_do(
    fake: FakeWikiJS, in_process: InProcess
) -> None:
    async with in_process(Policy(allow_write=True, path_prefixes=("/docs/",))) as session:
        listed = {tool.name: tool for tool in (await session.list_tools()).tools}
        assert listed["create_page"].annotations.read_only_hint is False
        assert listed["get_page"].annotations.read_only_hint is True
        assert listed["update_page"].annotations.destructive_hint is True
        assert listed["create_page"].output_schema["properties"]["changes"]
        assert session.instructions is not None
        assert "create, update and move pages under docs/ only" in session.instructions


async def test_the_2026_protocol_revision_works_too(
    fake: FakeWikiJS, in_process: InProcess
) -> None:
    fake.add_page("mcp-modern/page", title="Modern")
    async with in_process(mode="auto") as session:  # no initialize: a per-request envelope
        assert session.protocol_version >= "2026"
        assert "get_page" in {tool.name for tool in (await session.list_tools()).tools}
        found = await session.call_tool("get_page_by_path", {"path": "mcp-modern/page"})
        assert found.structured_content["title"] == "Modern"
        read = await session.read_resource("wikijs://en/mcp-modern/page")
        assert read.contents[0].text == "# Page\n\nContent."


async def test_search_move_and_delete_report_what_they_did(
    fake: FakeWikiJS, in_process: InProcess
) -> None:
    page = fake.add_page("mcp-moving/page", title="Mover unique title", tags=["mcp-m"])
    async with in_process(WRITER) as session:
        found = await session.call_tool("search_pages", {"query": "Mover unique"})
        assert [hit["path"] for hit in found.structured_content["results"]] == ["mcp-moving/page"]
        moved = await session.call_tool(
            "move_page", {"page_id": page.id, "destination_path": "/mcp-moving/moved/"}
        )
        assert moved.structured_content["changes"] == {
            "path": {"before": "mcp-moving/page", "after": "mcp-moving/moved", "diff": None}
        }
        assert moved.structured_content["summary"] == (
            f"Moved page {page.id} from en/mcp-moving/page to en/mcp-moving/moved."
        )
        deleted = await session.call_tool("delete_page", {"page_id": page.id})
        report = deleted.structured_content
        assert (report["action"], report["path"]) == ("deleted", "mcp-moving/moved")
        assert report["changes"]["tags"] == {"before": ["mcp-m"], "after": None, "diff": None}
        assert "script_css" not in report["changes"]  # empty before: nothing to report
        again = await session.call_tool("delete_page", {"page_id": page.id})
        assert text(again).startswith("Not found:")


async def test_dates_and_long_diffs_in_a_report(fake: FakeWikiJS, in_process: InProcess) -> None:
    page = fake.add_page("mcp-dates/page", title="Dated", content="\n".join(map(str, range(100))))
    async with in_process(WRITER) as session:
        result = await session.call_tool(
            "update_page",
            {
                "page_id": page.id,
                "publish_start_date": "2030-01-02T03:04:05Z",
                "content": "\n".join(str(n * 2) for n in range(100)),
            },
        )
        changes = result.structured_content["changes"]
        assert changes["publish_start_date"]["before"] is None
        assert changes["publish_start_date"]["after"].startswith("2030-01-02T03:04:05")
        diff = changes["content"]["diff"].splitlines()
        assert len(diff) == 61
        assert diff[-1].endswith("more lines")
        cleared = await session.call_tool(
            "update_page", {"page_id": page.id, "publish_start_date": None}
        )
        assert cleared.structured_content["changes"]["publish_start_date"]["after"] is None
