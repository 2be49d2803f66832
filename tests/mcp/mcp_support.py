"""Helpers of the MCP tests (imported as ``mcp_support``; fixtures are in conftest.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wikijs.testing import FakeWikiJS

#: The mutations of a page write, as the fake's request log names their fields.
PAGE_WRITES = {"pages.create", "pages.update", "pages.move", "pages.delete"}


def text(result: Any) -> str:
    """The text of a tool result's first content block."""
    return str(result.content[0].text)


def page_writes(fake: FakeWikiJS) -> list[str]:
    """The page mutations the fake has answered so far."""
    return [f for record in fake.requests for f in record.fields if f in PAGE_WRITES]
