"""The tools: each one SDK call (or two), its schemas derived from the SDK.

A tool is declared once here: its name, what a model choosing it needs to
know, the SDK method whose signature gives its arguments
(:class:`~wikijs.mcp._schemas.Arguments`), the SDK model that is its result,
and a small function that calls the SDK. Writes check the server's
:class:`~wikijs.mcp._policy.Policy` before anything is sent and answer with a
:class:`WriteReport` of what changed, read back from the wiki.
"""

from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from wikijs.aio import AsyncWikiJSClient
from wikijs.models import (
    Page,
    PageCreate,
    PageHistoryEntry,
    PageListItem,
    PageSearchResponse,
    PageTag,
    PageTreeItem,
    PageUpdate,
    PageVersion,
)
from wikijs.resources import AsyncPages

from ._policy import Access, Policy
from ._schemas import Arguments, json_schema, without

Runner = Callable[[AsyncWikiJSClient, Policy, BaseModel], Awaitable[Any]]

#: Most items one list call returns, and how many unless the caller says.
MAX_ITEMS = 500
DEFAULT_ITEMS = 50
#: Lines of a content diff shown in a write report.
DIFF_LINES = 60


class ToolError(Exception):
    """A failure the tool explains itself (the text goes to the model as it is)."""


@dataclass(frozen=True)
class Tool:
    """One tool: what it is called, what it does, its arguments and its result.

    Attributes:
        name: the tool's name.
        title: a short human-readable name.
        description: for a model choosing a tool: what it does, costs, returns.
        access: ``read``, ``write`` or ``delete`` (see :class:`Policy`).
        arguments: where its arguments come from.
        result: the type of its result (an SDK model, or an object wrapping SDK values).
        run: calls the SDK with the validated arguments and returns the result.
        leave_out: fields of the result model the tool does not send.
        destructive: it may remove or overwrite what is there.
        idempotent: calling it again with the same arguments changes nothing more.
    """

    name: str
    title: str
    description: str
    access: Access
    arguments: Arguments
    result: Any
    run: Runner
    leave_out: frozenset[str] = field(default_factory=frozenset)
    destructive: bool = False
    idempotent: bool = True

    @cached_property
    def input_model(self) -> type[BaseModel]:
        """The pydantic model that validates a call's arguments."""
        name = "".join(part.capitalize() for part in self.name.split("_"))
        return self.arguments.model(f"{name}Arguments")

    @cached_property
    def input_schema(self) -> dict[str, Any]:
        return self.arguments.schema(self.input_model)

    @cached_property
    def output_schema(self) -> dict[str, Any]:
        return without(json_schema(self.result), self.leave_out)

    @cached_property
    def _adapter(self) -> TypeAdapter[Any]:
        return TypeAdapter(self.result)

    def dump(self, value: Any) -> dict[str, Any]:
        """The result as JSON-ready data, matching :attr:`output_schema`."""
        data: dict[str, Any] = self._adapter.dump_python(
            value, mode="json", by_alias=False, exclude=set(self.leave_out) or None
        )
        return data


def given(arguments: BaseModel, *, leave: Sequence[str] = ()) -> dict[str, Any]:
    """The arguments as keywords for the SDK (all of them, defaults included)."""
    return {k: v for k, v in dict(arguments).items() if k not in leave}


# -- write reports ------------------------------------------------------------------


class Change(BaseModel):
    """How one field of a page changed."""

    model_config: ClassVar[ConfigDict] = ConfigDict(use_attribute_docstrings=True)

    before: Any = None
    "The value before the write (None for a new page). Long text is given by its size."
    after: Any = None
    "The value after the write, as read back from the wiki (None for a deleted page)."
    diff: str | None = None
    "For text fields: a unified diff of the change (cut after 60 lines)."


Action = Literal["created", "updated", "moved", "deleted"]


class WriteReport(BaseModel):
    """What a write did, as the wiki stored it."""

    model_config: ClassVar[ConfigDict] = ConfigDict(use_attribute_docstrings=True)

    action: Action
    "What happened to the page."
    page_id: int
    "The page's id."
    locale: str
    "The page's locale, after the write."
    path: str
    "The page's path, after the write (before it, for a delete)."
    title: str
    "The page's title."
    changes: dict[str, Change]
    "Each field that changed; fields left out did not change."
    summary: str
    "One sentence saying what was done."


#: The fields a write can change: those of the SDK's PageUpdate.
WRITABLE = tuple(PageUpdate.model_fields)
#: Values not worth reporting for a page that was just created or deleted.
EMPTY: tuple[Any, ...] = (None, "", [])
#: Text fields reported by size and diff rather than in full.
LONG_TEXT = frozenset({"content", "script_css", "script_js"})


def _value(page: Page, name: str) -> Any:
    value = getattr(page, name)
    if name == "tags":
        return sorted(tag.tag for tag in page.tags)
    if isinstance(value, datetime):
        return value.isoformat()
    if name in LONG_TEXT:
        return value or ""
    return value


def _size(text: str) -> str:
    lines = text.count("\n") + 1 if text else 0
    return f"{len(text)} characters, {lines} line{'' if lines == 1 else 's'}"


def _diff(before: str, after: str) -> str:
    lines = list(
        difflib.unified_diff(
            before.splitlines(), after.splitlines(), "before", "after", lineterm="", n=2
        )
    )
    if len(lines) > DIFF_LINES:
        lines = [*lines[:DIFF_LINES], f"... {len(lines) - DIFF_LINES} more lines"]
    return "\n".join(lines)


def changes(before: Page | None, after: Page | None) -> dict[str, Change]:
    """The writable fields that differ between two states of a page (either may be absent)."""
    found: dict[str, Change] = {}
    for name in WRITABLE:
        old = _value(before, name) if before is not None else None
        new = _value(after, name) if after is not None else None
        if old == new or (None in (before, after) and old in EMPTY and new in EMPTY):
            continue  # unchanged, or an empty field of a page created or deleted
        if name in LONG_TEXT:
            diff = _diff(old, new) if old is not None and new is not None else None
            old = _size(old) if old is not None else None
            new = _size(new) if new is not None else None
            found[name] = Change(before=old, after=new, diff=diff)
        else:
            found[name] = Change(before=old, after=new)
    return found


def _where(page: Page) -> str:
    return f"{page.locale}/{page.path}"


def report(action: Action, before: Page | None, after: Page | None, summary: str) -> WriteReport:
    page = after if after is not None else before
    assert page is not None
    return WriteReport(
        action=action,
        page_id=page.id,
        locale=page.locale,
        path=page.path,
        title=page.title,
        changes=changes(before, after),
        summary=summary,
    )


# -- the tools' calls ------------------------------------------------------------------


async def _search(client: AsyncWikiJSClient, policy: Policy, a: BaseModel) -> Any:
    return await client.pages.search(**given(a))


async def _get(client: AsyncWikiJSClient, policy: Policy, a: BaseModel) -> Any:
    return await client.pages.get(**given(a))


async def _get_by_path(client: AsyncWikiJSClient, policy: Policy, a: BaseModel) -> Any:
    return await client.pages.get_by_path(**given(a))


class PageList(BaseModel):
    """A slice of the page list."""

    model_config: ClassVar[ConfigDict] = ConfigDict(use_attribute_docstrings=True)

    pages: list[PageListItem]
    "The pages, in the order asked for."
    offset: int
    "How many pages came before this slice."
    next_offset: int | None
    "The offset of the next slice, or None when this is the last."


async def _list(client: AsyncWikiJSClient, policy: Policy, a: BaseModel) -> PageList:
    limit: int = a.limit  # type: ignore[attr-defined]
    offset: int = a.offset  # type: ignore[attr-defined]
    folder: str | None = a.folder  # type: ignore[attr-defined]
    filters = given(a, leave=("limit", "offset", "folder"))
    if folder and folder.strip("/"):
        prefix = folder.strip("/") + "/"
        every = await client.pages.list(**filters)
        under = [item for item in every if item.path.startswith(prefix)]
        items = under[offset : offset + limit + 1]
    else:
        # One more than asked for tells whether another slice follows.
        items = await client.pages.list(limit=limit + 1, offset=offset, **filters)
    more = len(items) > limit
    next_offset = offset + limit if more else None
    return PageList(pages=items[:limit], offset=offset, next_offset=next_offset)


class FolderListing(BaseModel):
    """What a folder of the page tree holds."""

    folder: str
    "The folder listed ('' for the top level)."
    locale: str
    "The locale whose tree was read."
    items: list[PageTreeItem]
    "Its folders and pages, folders first."


async def _folder(client: AsyncWikiJSClient, policy: Policy, a: BaseModel) -> FolderListing:
    folder = (a.path or "").strip("/")  # type: ignore[attr-defined]
    mode, locale = a.mode, a.locale  # type: ignore[attr-defined]
    parent = 0  # Wiki.js lists the top level for parent 0
    if folder:
        # The tree of a path is the level that path is on; its children need its id.
        level = await client.pages.tree(path=folder, locale=locale)
        match = [item for item in level if item.path == folder and item.is_folder]
        if not match:
            raise ToolError(
                f"No folder '{folder}' in locale {locale}. list_folder with its parent "
                "folder ('' for the top level) shows the folders there."
            )
        parent = match[0].id
    items = await client.pages.tree(parent=parent, mode=mode, locale=locale)
    return FolderListing(folder=folder, locale=locale, items=items)


class TagList(BaseModel):
    """The wiki's tags."""

    tags: list[PageTag]
    "Every tag."


async def _tags(client: AsyncWikiJSClient, policy: Policy, a: BaseModel) -> TagList:
    return TagList(tags=await client.pages.tags())


class History(BaseModel):
    """A slice of a page's change trail, newest first."""

    entries: list[PageHistoryEntry]
    "The entries, newest first."
    offset: int
    "How many newer entries came before this slice."
    next_offset: int | None
    "The offset of the next (older) slice, or None when this is the last."


async def _history(client: AsyncWikiJSClient, policy: Policy, a: BaseModel) -> History:
    limit: int = a.limit  # type: ignore[attr-defined]
    offset: int = a.offset  # type: ignore[attr-defined]
    wanted = offset + limit + 1
    entries: list[PageHistoryEntry] = []
    async for entry in client.pages.history(a.page_id, page_size=min(wanted, 100)):  # type: ignore[attr-defined]
        entries.append(entry)
        if len(entries) >= wanted:
            break
    window = entries[offset:]
    more = len(window) > limit
    next_offset = offset + limit if more else None
    return History(entries=window[:limit], offset=offset, next_offset=next_offset)


async def _version(client: AsyncWikiJSClient, policy: Policy, a: BaseModel) -> Any:
    return await client.pages.get_version(**given(a))


def _set(arguments: BaseModel, leave: Sequence[str] = ()) -> dict[str, Any]:
    """Only the arguments the caller gave (a partial update sends nothing else)."""
    return {k: getattr(arguments, k) for k in arguments.model_fields_set if k not in leave}


async def _create(client: AsyncWikiJSClient, policy: Policy, a: BaseModel) -> WriteReport:
    spec = PageCreate.build(_set(a))
    policy.check_paths("create a page", [spec.path])
    page = await client.pages.create(spec)
    state = "published" if page.is_published else "not published"
    tags = f", tags: {', '.join(_value(page, 'tags'))}" if page.tags else ""
    return report(
        "created", None, page, f"Created page {page.id} at {_where(page)} ({state}{tags})."
    )


async def _update(client: AsyncWikiJSClient, policy: Policy, a: BaseModel) -> WriteReport:
    page_id: int = a.page_id  # type: ignore[attr-defined]
    wanted = PageUpdate.build(_set(a, leave=("page_id",)))
    wanted.changes()  # refuses an empty update before anything is read
    before = await client.pages.get(page_id)
    policy.check_paths("update a page", [before.path, *([wanted.path] if wanted.path else [])])
    after = await client.pages.update(page_id, wanted)
    done = report("updated", before, after, "")
    if done.changes:
        listed = ", ".join(done.changes)
        done.summary = (
            f"Updated page {page_id} at {_where(after)}: changed {listed}; every other field "
            "kept its value."
        )
    else:
        done.summary = (
            f"Page {page_id} at {_where(after)} already had these values: nothing changed."
        )
    return done


async def _move(client: AsyncWikiJSClient, policy: Policy, a: BaseModel) -> WriteReport:
    page_id: int = a.page_id  # type: ignore[attr-defined]
    destination = PageUpdate.build(path=a.destination_path).path  # type: ignore[attr-defined]
    assert destination is not None
    before = await client.pages.get(page_id)
    policy.check_paths("move a page", [before.path, destination])
    await client.pages.move(page_id, destination, a.destination_locale)  # type: ignore[attr-defined]
    after = await client.pages.get(page_id)
    return report(
        "moved", before, after, f"Moved page {page_id} from {_where(before)} to {_where(after)}."
    )


async def _delete(client: AsyncWikiJSClient, policy: Policy, a: BaseModel) -> WriteReport:
    page_id: int = a.page_id  # type: ignore[attr-defined]
    before = await client.pages.get(page_id)
    policy.check_paths("delete a page", [before.path])
    await client.pages.delete(page_id)
    return report(
        "deleted",
        before,
        None,
        f"Deleted page {page_id} at {_where(before)} ({before.title!r}); its history stays "
        "on the wiki until purged.",
    )


# -- the table -------------------------------------------------------------------------

_LIMIT = (int, Field(DEFAULT_ITEMS, ge=1, le=MAX_ITEMS, description="At most this many items."))
_OFFSET = (int, Field(0, ge=0, description="Skip this many items (the last call's next_offset)."))
_LOCALE = "The locale, such as 'en'."
_PATH = "The page's path, without locale or leading slash: 'docs/start', not '/en/docs/start'."
_ID = "The page's numeric id (search_pages, list_pages and get_page_by_path give it)."

TOOLS: tuple[Tool, ...] = (
    Tool(
        name="search_pages",
        title="Search pages",
        description=(
            "Find pages with the wiki's search engine. Wiki.js's default engine matches the "
            "words of titles, descriptions and paths of published pages, not their content "
            "(a search engine the wiki's administrator configured may index content too). "
            "Cost: one quick request. Returns the hits (id as a string, path, locale, title, "
            "description), spelling suggestions and the total number of hits. Read a hit "
            "with get_page_by_path."
        ),
        access="read",
        arguments=Arguments(
            AsyncPages.search,
            descriptions={
                "query": "Words to look for.",
                "path": "Only pages whose path starts with this.",
                "locale": "Only pages in this locale, such as 'en'.",
            },
        ),
        result=PageSearchResponse,
        run=_search,
    ),
    Tool(
        name="get_page",
        title="Read a page by id",
        description=(
            "Read one page by its numeric id: its source (Markdown, HTML or code, as its "
            "editor writes it), title, description, path, locale, tags, publication state "
            "and dates, editor, scripts, author and creator. Cost: one request; the content "
            "can be long. Use get_page_by_path when you know the path."
        ),
        access="read",
        arguments=Arguments(AsyncPages.get, descriptions={"page_id": _ID}),
        result=Page,
        leave_out=frozenset({"render"}),
        run=_get,
    ),
    Tool(
        name="get_page_by_path",
        title="Read a page by path",
        description=(
            "Read one page by its path and locale: its source (Markdown, HTML or code), "
            "title, description, id, tags, publication state and dates, editor, scripts, "
            "author and creator. Cost: one request; the content can be long."
        ),
        access="read",
        arguments=Arguments(
            AsyncPages.get_by_path, descriptions={"path": _PATH, "locale": _LOCALE}
        ),
        result=Page,
        leave_out=frozenset({"render"}),
        run=_get_by_path,
    ),
    Tool(
        name="list_pages",
        title="List pages",
        description=(
            "List pages with their metadata but not their content: id, path, locale, title, "
            "description, tag names, publication state, creation and update dates. Filter by "
            "tags (pages carrying all of them), locale, folder (paths under it), author or "
            "creator id; order by ID, PATH, TITLE, CREATED or UPDATED (order_by UPDATED with "
            "direction DESC lists the recently changed first). Paged: limit (default 50, at "
            "most 500) and offset; next_offset is set when more pages follow. Cost: one "
            "request (with folder, the whole list is read once and filtered)."
        ),
        access="read",
        arguments=Arguments(
            AsyncPages.list,
            narrower={"limit": _LIMIT, "offset": _OFFSET},
            extra={
                "folder": (
                    str | None,
                    Field(None, description="Only pages under this folder path, such as 'docs'."),
                )
            },
            descriptions={
                "tags": "Only pages carrying every one of these tags (tag names).",
                "locale": "Only pages in this locale, such as 'en'.",
            },
        ),
        result=PageList,
        run=_list,
    ),
    Tool(
        name="list_folder",
        title="List a folder",
        description=(
            "List what a folder of the page tree holds: its subfolders and pages, each with "
            "path, title, is_folder, and page_id (null for a folder with no page of its own). "
            "Give '' for the top level; walk deeper with a subfolder's path. Cost: one or two "
            "requests."
        ),
        access="read",
        arguments=Arguments(
            AsyncPages.tree,
            only=("path", "mode", "locale"),
            descriptions={
                "path": "The folder's path, such as 'docs' ('' or null: the top level).",
                "mode": "ALL (folders and pages), FOLDERS or PAGES.",
                "locale": _LOCALE,
            },
        ),
        result=FolderListing,
        run=_folder,
    ),
    Tool(
        name="list_tags",
        title="List tags",
        description=(
            "Every tag of the wiki: its name (what list_pages filters by and pages carry), "
            "display title and dates. Cost: one request."
        ),
        access="read",
        arguments=Arguments(AsyncPages.tags),
        result=TagList,
        run=_tags,
    ),
    Tool(
        name="get_page_history",
        title="Page history",
        description=(
            "A page's change trail, newest first: for each change its version_id, date, "
            "author and action (such as updated or moved). Paged: limit (default 50) and "
            "offset. Read the page as it was with get_page_version. Cost: one request per "
            "100 entries."
        ),
        access="read",
        arguments=Arguments(
            AsyncPages.history,
            only=("page_id",),
            extra={"limit": _LIMIT, "offset": _OFFSET},
            descriptions={"page_id": _ID},
        ),
        result=History,
        run=_history,
    ),
    Tool(
        name="get_page_version",
        title="Read a page version",
        description=(
            "One stored version of a page, as it was then: content, title, description, "
            "path, locale, tags, editor and publication state. version_id comes from "
            "get_page_history. Cost: one request."
        ),
        access="read",
        arguments=Arguments(
            AsyncPages.get_version,
            descriptions={"page_id": _ID, "version_id": "The version's id (get_page_history)."},
        ),
        result=PageVersion,
        run=_version,
    ),
    Tool(
        name="create_page",
        title="Create a page",
        description=(
            "Create a page at a path that is free. title, path and content are required; "
            "the page is published unless is_published is false. Cost: a few seconds (the "
            "wiki renders the page and rebuilds its page tree). Safe to call again after a "
            "failure: it never creates the page twice. Returns a report of the page as "
            "stored (id, path, locale, title, every field set). Fails if a page exists at "
            "that path: change that one with update_page instead."
        ),
        access="write",
        arguments=Arguments(
            AsyncPages.create,
            descriptions={
                "path": _PATH,
                "content": "The page's source, in the format of its editor (Markdown by default).",
                "locale": "The page's locale ('en' by default).",
                "tags": "Tag names; a tag that does not exist yet is created.",
            },
        ),
        result=WriteReport,
        run=_create,
        idempotent=False,
    ),
    Tool(
        name="update_page",
        title="Update a page",
        description=(
            "Change some fields of a page; every field you leave out keeps its value (tags, "
            "publication state, scripts and dates are never dropped). content replaces the "
            "whole source: read the page first and send it back edited. Cost: a few seconds. "
            "Returns what changed, field by field, as read back from the wiki (long text as "
            "its size and a diff)."
        ),
        access="write",
        arguments=Arguments(
            AsyncPages.update,
            described_by=(AsyncPages.create,),
            descriptions={
                "page_id": _ID,
                "path": "A new path (this moves the page); without locale or leading slash.",
                "publish_start_date": "Visible from this moment; null clears it.",
                "publish_end_date": "Visible until this moment; null clears it.",
            },
        ),
        result=WriteReport,
        run=_update,
        destructive=True,
    ),
    Tool(
        name="move_page",
        title="Move a page",
        description=(
            "Move a page to another path (and, if given, another locale). Links to its old "
            "path are not rewritten. Cost: a few seconds. Fails if a page exists at the "
            "destination. Returns the old and new path and locale."
        ),
        access="write",
        arguments=Arguments(
            AsyncPages.move,
            descriptions={
                "page_id": _ID,
                "destination_path": "The new path, without locale or leading slash.",
                "destination_locale": "The new locale (default: the page's own).",
            },
        ),
        result=WriteReport,
        run=_move,
    ),
    Tool(
        name="delete_page",
        title="Delete a page",
        description=(
            "Delete a page: it disappears from the wiki (its history stays until an "
            "administrator purges it). Cost: about a second. Returns what was deleted, "
            "every field as it was."
        ),
        access="delete",
        arguments=Arguments(AsyncPages.delete, descriptions={"page_id": _ID}),
        result=WriteReport,
        run=_delete,
        destructive=True,
    ),
)

BY_NAME: Mapping[str, Tool] = {tool.name: tool for tool in TOOLS}
