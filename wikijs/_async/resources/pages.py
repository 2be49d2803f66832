"""``client.pages``: every page operation Wiki.js 2.5 offers."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import datetime
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any, ClassVar, overload

from wikijs._generated.enums import PageOrderBy, PageOrderByDirection, PageTreeMode
from wikijs._generated.fragments import (
    Page,
    PageConflictLatest,
    PageHistoryEntry,
    PageLinkItem,
    PageListItem,
    PageSearchResponse,
    PageTag,
    PageTreeItem,
    PageVersion,
)
from wikijs._generated.get_page import GetPage
from wikijs._generated.get_page_by_path import GetPageByPath
from wikijs._generated.operations import (
    CREATE_PAGE,
    DELETE_PAGE,
    GET_PAGE,
    GET_PAGE_BY_PATH,
    LIST_PAGE_IDS,
    MOVE_PAGE,
    RENDER_PAGE,
    UPDATE_PAGE,
)

from ..._constants import DEFAULT_BATCH_SIZE, DEFAULT_HISTORY_PAGE_SIZE
from ..._facts import DEFAULT_LOCALE
from ..._protocol import validation as v
from ..._protocol.cache_keys import bypass
from ..._protocol.inputs import split_update
from ..._protocol.options import Direction, PageOrder, TreeMode, page_order, tree_mode
from ..._protocol.pages import (
    Editor,
    PageCreate,
    PageUpdate,
    full_update_variables,
    is_created_page,
    list_is_complete,
    merged_update_variables,
    update_applied,
)
from ..._protocol.results import found, present, require
from ..._protocol.retry import outcome_unknown
from ..._protocol.variables import graphql_variables
from ...batch import BatchItemError, BatchMode, BatchResult, ProgressCallback
from ...errors import (
    ConflictError,
    InvalidArgumentError,
    NotFoundError,
    PageJobError,
    ReadBackError,
    ResponseError,
    UnsupportedByServerError,
    WikiJSError,
)
from ..batching import BatchCall, safe_update_many
from ..layers import pause
from ..page_jobs import tag_names
from ._base import AsyncResource, AsyncWithRawResponse, already_applied

if TYPE_CHECKING:
    from ..._http.raw import RawResponse

#: Times a page's fields are sent again when its new tag collided with another
#: write's (each time someone else brought a new tag of it at the same moment).
TAG_REPAIR_ATTEMPTS = 3


def _update_fields(variables: Mapping[str, Any]) -> dict[str, Any]:
    """A create's arguments as ``update_page``'s: the same names, every field."""
    return {name: value for name, value in variables.items() if name != "id"}


def _parse_move(item: Any) -> tuple[int, str, str | None]:
    """One ``move_many`` item as ``(page id, destination path, locale or None)``."""
    if isinstance(item, tuple) and len(item) in (2, 3):
        page_id, path, *rest = item
        locale = rest[0] if rest else None
    elif isinstance(item, Mapping):
        unknown = set(item) - {"id", "path", "locale"}
        if unknown:
            raise InvalidArgumentError(
                f"a move is {{'id', 'path', 'locale'}}; unknown: {', '.join(sorted(unknown))}"
            )
        page_id, path, locale = item.get("id"), item.get("path"), item.get("locale")
    else:
        raise InvalidArgumentError(
            "a move is {'id': ..., 'path': ...} or (id, path[, locale]), "
            f"not {type(item).__name__}"
        )
    return (
        v.check_id(page_id, "id"),
        v.normalize_path(path, "path"),
        None if locale is None else v.check_locale(locale),
    )


def _tags_raced(error: WikiJSError) -> bool:
    """A page write whose new tag collided with another write's (its row is written)."""
    return isinstance(error, PageJobError) and error.job == "tags"


def _incomplete(
    page_id: int,
    spec: PageCreate | None,
    cause: WikiJSError,
    missing: tuple[str, ...] | None = None,
) -> PageJobError:
    """What a page write that landed incomplete left, when completing it failed."""
    if spec is not None:
        where = f"page {spec.locale}/{spec.path} (id {page_id}) was created"
        missing = missing or ("tags", "render", "tree")
    else:
        where = f"page {page_id} was changed (its content and fields)"
        missing = missing or ("tags", "render")
    error = PageJobError(
        f"{where}, but its {', '.join(missing)} could not be saved: {cause}",
        operation="CreatePage" if spec is not None else "UpdatePage",
        job="tags" if "tags" in missing else "render-page",
        page_id=page_id,
        missing=missing,
    )
    error.request_sent = True
    return error


def _list_filters(
    order_by: Any,
    direction: Any,
    tags: Iterable[str] | None,
    locale: str | None,
    creator_id: int | None,
    author_id: int | None,
) -> dict[str, Any]:
    filters: dict[str, Any] = {}
    field, sense = page_order(order_by, direction)
    if field is not None:
        filters["order_by"] = PageOrderBy(field)
    if sense is not None:
        filters["order_by_direction"] = PageOrderByDirection(sense)
    if tags is not None:
        filters["tags"] = v.check_tags(tags)
    if locale is not None:
        filters["locale"] = v.check_locale(locale)
    if creator_id is not None:
        filters["creator_id"] = v.check_id(creator_id, "creator_id")
    if author_id is not None:
        filters["author_id"] = v.check_id(author_id, "author_id")
    return filters


class AsyncPages(AsyncResource):
    """Pages: read, list, search, write, move, version.

    Example::

        async with AsyncWikiJSClient(url, auth="API-KEY") as client:
            page = await client.pages.create(title="Hello", path="docs/hello", content="# Hi")
            page = await client.pages.update(page.id, title="Hello again")
            async for page in client.pages.iter_all():
                print(page.path)
    """

    _subjects: ClassVar[Mapping[str, str]] = {
        "get_by_path": "page at {locale}/{path}",
        # a deleted page's version reaches a TypeError on the server ("Cannot read
        # properties of undefined (reading 'path')"), typed NotFoundError
        "get_version": "version {version_id} of page {page_id}",
    }

    @cached_property
    def with_raw_response(self) -> AsyncPagesWithRawResponse:
        """These methods, each answering a :class:`~wikijs.RawResponse`: the result
        and the HTTP exchanges it came from (see ``docs/options.md``)."""
        return AsyncPagesWithRawResponse(self)

    # -- reading ----------------------------------------------------------------

    async def get(self, page_id: int) -> Page:
        """The page with this id, every field included.

        Raises:
            NotFoundError: no such page (Wiki.js code 6003).
            PermissionDeniedError: the credentials may not read it (6013).
        """
        page_id = v.check_id(page_id, "page_id")
        result = await self._gql.get_page(id=page_id)
        return found(require(result.pages, "pages", "GetPage").single, f"page {page_id}", "GetPage")

    async def get_by_path(self, path: str, locale: str = DEFAULT_LOCALE) -> Page:
        """The page at ``path`` in ``locale``.

        Wiki.js before 2.5.296 cannot look a page up by path: there the
        client finds its id in the page list (one request per locale), then
        reads it by id.

        Example::

            page = await client.pages.get_by_path("docs/start")
        """
        path = v.normalize_path(path)
        locale = v.check_locale(locale)
        if not self._lacks_by_path():
            try:
                result = await self._gql.get_page_by_path(path=path, locale=locale)
            except UnsupportedByServerError:
                pass  # an older Wiki.js: through the page list, below
            else:
                pages = require(result.pages, "pages", "GetPageByPath")
                return found(pages.single_by_path, f"page {locale}/{path}", "GetPageByPath")
        (page_id,) = await self._ids_at([(path, locale)])
        if page_id is None:
            raise NotFoundError(f"page {locale}/{path} does not exist", operation="ListPages")
        by_id = await self._gql.get_page(id=page_id)
        page = require(by_id.pages, "pages", "GetPage").single
        return found(page, f"page {locale}/{path}", "GetPage")

    def _lacks_by_path(self) -> bool:
        """Whether the server is known to lack ``pages.singleByPath`` (Wiki.js < 2.5.296)."""
        return self._client._pipeline.server.lacks(GET_PAGE_BY_PATH.name)

    async def _ids_at(self, keys: Sequence[tuple[str, str]]) -> builtins.list[int | None]:
        """The id of the page at each ``(path, locale)``, from the page list of each locale."""
        index: dict[tuple[str, str], int] = {}
        for locale in sorted({locale for _, locale in keys}):
            result = await self._gql.list_pages(locale=locale)
            for item in require(result.pages, "pages", "ListPages").list_:
                index.setdefault((item.path, item.locale), item.id)
        return [index.get(key) for key in keys]

    async def list(
        self,
        limit: int | None = None,
        offset: int = 0,
        *,
        order_by: PageOrder | PageOrderBy | None = None,
        direction: Direction | PageOrderByDirection | None = None,
        tags: Iterable[str] | None = None,
        locale: str | None = None,
        creator_id: int | None = None,
        author_id: int | None = None,
    ) -> builtins.list[PageListItem]:
        """Pages as listed by Wiki.js, filtered and ordered by the server.

        Wiki.js has no offset: ``offset`` is applied here. Wiki.js also
        counts ``limit`` in page x tag rows and before access checks, so an
        answer can hold fewer pages than exist, and its last page only some
        of its tags. The client asks again with a larger limit until it has
        more than ``offset + limit`` pages, or a larger limit brings nothing
        new: the result is exactly the slice asked for, each page with all
        its tags. For walking every page, :meth:`iter_all` is cheaper.

        With ``tags``, Wiki.js lists each page with only the tags asked for
        (it filters the joined tag rows); :meth:`get` has all of them.

        Args:
            limit: at most this many items.
            offset: skip this many items first.
            order_by: ``"id"``, ``"path"``, ``"title"``, ``"created_at"`` or
                ``"updated_at"``; ``"-title"`` for descending order.
            direction: ``"asc"`` or ``"desc"``.
            tags: only pages carrying these tags.
            locale: only pages in this locale.
            creator_id: only pages created by this user.
            author_id: only pages last edited by this user.
        """
        offset = v.check_non_negative(offset, "offset")
        filters = _list_filters(order_by, direction, tags, locale, creator_id, author_id)
        if limit is None:
            result = await self._gql.list_pages(**filters)
            return require(result.pages, "pages", "ListPages").list_[offset:]
        wanted = v.check_positive(limit, "limit") + offset
        ask = wanted
        previous: builtins.list[PageListItem] | None = None
        while True:
            result = await self._gql.list_pages(limit=ask, **filters)
            items = require(result.pages, "pages", "ListPages").list_
            if list_is_complete(items, previous, wanted):
                return items[offset:wanted]
            previous, ask = items, ask * 2

    async def get_by_tags(
        self, tags: Iterable[str], *, locale: str | None = None, limit: int | None = None
    ) -> builtins.list[PageListItem]:
        """Pages carrying every one of ``tags``."""
        tags = v.check_tags(tags)
        if not tags:
            raise InvalidArgumentError("give at least one tag", field="tags")
        return await self.list(limit=limit, tags=tags, locale=locale)

    async def ids(
        self,
        *,
        order_by: PageOrder | PageOrderBy | None = "id",
        direction: Direction | PageOrderByDirection | None = "asc",
        tags: Iterable[str] | None = None,
        locale: str | None = None,
        creator_id: int | None = None,
        author_id: int | None = None,
    ) -> builtins.list[int]:
        """The ids of every page the credentials can see (nothing else is fetched)."""
        filters = _list_filters(order_by, direction, tags, locale, creator_id, author_id)
        # Read as plain JSON, not one model per id: iter_all() holds this list
        # for the whole walk, so it should be ints and nothing more.
        data = await self._client.execute(
            LIST_PAGE_IDS.document, graphql_variables(filters), operation_name="ListPageIds"
        )
        items = require(data.get("pages"), "pages", "ListPageIds").get("list")
        ids: builtins.list[int] = []
        for item in items or ():
            value = item.get("id") if isinstance(item, dict) else None
            if not isinstance(value, int) or isinstance(value, bool):
                raise ResponseError(
                    "the page list holds an id that is not an integer", operation="ListPageIds"
                )
            ids.append(value)
        return ids

    async def iter_all(
        self,
        batch_size: int = DEFAULT_BATCH_SIZE,
        *,
        tags: Iterable[str] | None = None,
        locale: str | None = None,
        creator_id: int | None = None,
        author_id: int | None = None,
    ) -> AsyncIterator[Page]:
        """Every page, in id order, complete with content — lazily.

        Only the list of ids is held; pages are fetched ``batch_size`` at a
        time in one aliased request each and handed out one by one, so
        memory stays flat however large the wiki. Pages deleted while the
        walk is under way are skipped.

        Example::

            async for page in client.pages.iter_all(batch_size=100):
                print(page.path, len(page.content))
        """
        batch_size = v.check_positive(batch_size, "batch_size")
        ids = await self.ids(tags=tags, locale=locale, creator_id=creator_id, author_id=author_id)
        for start in range(0, len(ids), batch_size):
            batch = await self.get_many(ids[start : start + batch_size], chunk_size=batch_size)
            for page in batch.success:
                yield page
            del batch

    async def search(
        self, query: str, *, path: str | None = None, locale: str | None = None
    ) -> PageSearchResponse:
        """Full-text search with the wiki's search engine.

        Wiki.js's default engine matches titles, descriptions and paths of
        published pages only; result ids are strings.
        """
        query = v.check_text(query, "query", allow_empty=False)
        filters: dict[str, Any] = {}
        if path is not None:
            filters["path"] = v.check_text(path, "path")
        if locale is not None:
            filters["locale"] = v.check_locale(locale)
        result = await self._gql.search_pages(query=query, **filters)
        return require(result.pages, "pages", "SearchPages").search

    async def history(
        self, page_id: int, *, page_size: int = DEFAULT_HISTORY_PAGE_SIZE
    ) -> AsyncIterator[PageHistoryEntry]:
        """The page's change trail, newest first, fetched a server page at a time.

        Example::

            async for entry in client.pages.history(12):
                print(entry.version_id, entry.action_type, entry.version_date)
        """
        page_id = v.check_id(page_id, "page_id")
        page_size = v.check_positive(page_size, "page_size")
        offset_page = 0
        seen = 0
        while True:
            result = await self._gql.get_page_history(
                id=page_id, offset_page=offset_page, offset_size=page_size
            )
            history = found(
                require(result.pages, "pages", "GetPageHistory").history,
                f"page {page_id}",
                "GetPageHistory",
            )
            trail = present(history.trail)
            for entry in trail:
                yield entry
            seen += len(trail)
            if not trail or len(trail) < page_size or seen >= history.total:
                return
            offset_page += 1

    async def get_version(self, page_id: int, version_id: int) -> PageVersion:
        """One stored version of a page.

        Example::

            async for entry in client.pages.history(12):
                old = await client.pages.get_version(12, entry.version_id)
                print(entry.version_date, old.title)

        Raises:
            NotFoundError: no such version of that page, or the page was deleted.
        """
        page_id = v.check_id(page_id, "page_id")
        version_id = v.check_id(version_id, "version_id")
        result = await self._gql.get_page_version(page_id=page_id, version_id=version_id)
        return found(
            require(result.pages, "pages", "GetPageVersion").version,
            f"version {version_id} of page {page_id}",
            "GetPageVersion",
        )

    async def tags(self) -> builtins.list[PageTag]:
        """Every tag in the wiki."""
        result = await self._gql.list_page_tags()
        return require(result.pages, "pages", "ListPageTags").tags

    async def search_tags(self, query: str) -> builtins.list[str]:
        """Tag names matching ``query``."""
        query = v.check_text(query, "query", allow_empty=False)
        result = await self._gql.search_page_tags(query=query)
        return require(result.pages, "pages", "SearchPageTags").search_tags

    async def tree(
        self,
        *,
        path: str | None = None,
        parent: int | None = None,
        mode: TreeMode | PageTreeMode = "all",
        locale: str = DEFAULT_LOCALE,
        include_ancestors: bool = False,
    ) -> builtins.list[PageTreeItem]:
        """The folders and pages under ``path`` or the folder id ``parent`` (the root level
        when neither is given), folders first, then by title.

        Wiki.js's own ``tree(path: …)`` answers the level ``path`` is on (it and
        its siblings); to list what is *under* a path the SDK finds the
        path's folder first and then asks for its children: two requests.
        A path that is a page without sub-pages, or no entry at all, has
        nothing under it. For a path's level, pass its ``parent`` id.

        Wiki.js 2.5.314 fails on ``mode: PAGES`` (its resolver calls a query
        builder method that does not exist, ``andWhereNotNull``), so that
        mode asks for ``ALL`` and keeps the entries that are pages.

        Example::

            docs = await client.pages.tree(path="docs")
            for item in docs:
                print("📁" if item.is_folder else "📄", item.path)
            deeper = await client.pages.tree(parent=docs[0].id)

        Args:
            path: a folder path (``"docs/guides"``): list what is in it.
            parent: a folder's id (``PageTreeItem.id``; 0 is the root).
            mode: ``"folders"``, ``"pages"`` or ``"all"``.
            include_ancestors: with ``path``, also the folders above the
                listed entries: the path's own folder and its ancestors.
        """
        chosen = PageTreeMode(tree_mode(mode))
        locale = v.check_locale(locale)
        include_ancestors = v.check_flag(include_ancestors, "include_ancestors")
        wanted = PageTreeMode.ALL if chosen is PageTreeMode.PAGES else chosen
        folder_path = v.check_text(path, "path").strip("/") if path is not None else None
        if parent is not None:
            parent = v.check_non_negative(parent, "parent")
        ancestors: builtins.list[PageTreeItem] = []
        if folder_path and parent is None:
            level = await self._tree(
                path=folder_path,
                mode=PageTreeMode.ALL,
                locale=locale,
                include_ancestors=include_ancestors,
            )
            folder = next((i for i in level if i.path == folder_path and i.is_folder), None)
            if folder is None:
                return []
            if include_ancestors:
                ancestors = [i for i in level if i.parent != folder.parent] + [folder]
            parent = folder.id
        items = await self._tree(parent=parent or 0, mode=wanted, locale=locale)
        if chosen is PageTreeMode.PAGES:
            items = [item for item in items if item.page_id is not None]
        return ancestors + items

    async def _tree(self, **args: Any) -> builtins.list[PageTreeItem]:
        result = await self._gql.get_page_tree(**args)
        return present(require(result.pages, "pages", "GetPageTree").tree)

    async def links(self, locale: str = DEFAULT_LOCALE) -> builtins.list[PageLinkItem]:
        """Every page of ``locale`` with the paths it links to.

        As Wiki.js returns them, both ``path`` and each entry of ``links``
        start with a locale (``"en/docs/start"``), unlike ``Page.path``.
        """
        result = await self._gql.get_page_links(locale=v.check_locale(locale))
        return present(require(result.pages, "pages", "GetPageLinks").links)

    async def check_conflicts(self, page_id: int, checkout_date: datetime) -> bool:
        """Whether the page changed since ``checkout_date`` (an editor's check)."""
        if not isinstance(checkout_date, datetime):
            raise InvalidArgumentError("checkout_date must be a datetime", field="checkout_date")
        result = await self._gql.check_page_conflicts(
            id=v.check_id(page_id, "page_id"), checkout_date=checkout_date
        )
        return require(result.pages, "pages", "CheckPageConflicts").check_conflicts

    async def conflict_latest(self, page_id: int) -> PageConflictLatest:
        """The latest saved state of a page, for resolving an edit conflict."""
        result = await self._gql.get_page_conflict_latest(id=v.check_id(page_id, "page_id"))
        return require(result.pages, "pages", "GetPageConflictLatest").conflict_latest

    # -- writing ----------------------------------------------------------------

    @overload
    async def create(self, page: PageCreate | Mapping[str, Any]) -> Page: ...

    @overload
    async def create(
        self,
        *,
        title: str,
        path: str,
        content: str,
        description: str = "",
        editor: Editor = "markdown",
        locale: str = "en",
        is_published: bool = True,
        is_private: bool = False,
        tags: Iterable[str] = (),
        script_css: str | None = None,
        script_js: str | None = None,
        publish_start_date: datetime | None = None,
        publish_end_date: datetime | None = None,
    ) -> Page: ...

    async def create(
        self, page: PageCreate | Mapping[str, Any] | None = None, **fields: Any
    ) -> Page:
        """Create a page and return it as stored.

        Pass the fields as keywords, or one :class:`~wikijs.models.PageCreate`
        (or a mapping of the same fields).

        Example::

            page = await client.pages.create(
                title="Start", path="docs/start", content="# Welcome", tags=["docs"]
            )

        Args:
            page: a :class:`~wikijs.models.PageCreate` or a mapping of its
                fields, instead of the keywords.

        Keyword Args:
            title (str): the page title (not blank).
            path (str): where the page lives, e.g. ``docs/start``.
            content (str): the source text (not empty).
            description (str): a short summary shown in listings and search.
            editor (str): ``markdown``, ``code`` or ``ckeditor``.
            locale (str): the page's locale.
            is_published (bool): visible to readers.
            is_private (bool): private page (unused by Wiki.js 2.5).
            tags (Iterable[str]): tag names.
            script_css (str | None): CSS for this page only.
            script_js (str | None): JavaScript for this page only.
            publish_start_date (datetime | None): visible from this moment.
            publish_end_date (datetime | None): visible until this moment.

        Retries are safe: after a failure that may have reached the server
        (a cut connection, a timeout, a 5xx), the page is looked up by path
        and locale before writing again; if it is there with this title and
        content, the earlier attempt landed and that page is returned.

        Raises:
            ValidationError: bad input, caught before sending (empty content,
                illegal path, unknown editor) or refused by the server.
            ConflictError: a page already exists at that path (6002).
        """
        spec: PageCreate = PageCreate.build(page, **fields)
        variables = spec.variables()
        jobs = self._client.page_jobs

        async def send(attempt: int) -> int | Page | None:
            # The layer's own retries are off: run_checked decides, checking first.
            try:
                async with self._client.batcher.turn("CreatePage"):
                    result = await self._gql.create_page(**variables, retry=False, attempt=attempt)
            except PageJobError as exc:
                # The page row is in; a later step (tags, render, tree) failed:
                # the tree is rebuilt after the writes, the rest completed below.
                jobs.failed(exc)
                return None  # found by its path
            created = require(result.pages, "pages", "CreatePage").create
            if created is not None and created.page is not None:
                return created.page.id
            return None  # quirk: the write can succeed with a null page

        async def landed() -> Page | None:
            try:
                existing = await self.get_by_path(spec.path, spec.locale)
            except NotFoundError:
                return None
            return existing if is_created_page(existing, spec) else None

        client = self._client
        async with jobs.writing(), jobs.tags.holding(spec.tags) as claim:
            outcome = await client._resilience.retry.run_checked(
                send, landed, operation="CreatePage", policy=client._retry_policy
            )
            claim.landed = True
            stored = await self._read_back(outcome, spec)
            return await self._completed(stored, spec, variables)

    async def _completed(self, page: Page, spec: PageCreate, variables: Mapping[str, Any]) -> Page:
        """The page a create wrote, whole: with its tags and its HTML.

        A create can land without them: its tag insert collided with another
        write bringing the same new tag (the server stopped there), or its
        answer never came (a timeout: the page is found by its path while the
        server is still at work on it). Missing tags are saved by writing the
        page again as an update (which renders it too), a missing render by
        rendering it; the tree is rebuilt once the writes in flight are over.
        """
        if tag_names(spec.tags) != tag_names(tag.tag for tag in page.tags):
            await self._complete(page.id, variables, None, spec)
        elif not page.render:
            (rendered,) = await self._rendered([page.id])
            if rendered is not None:
                return rendered
            try:
                async with self._client.batcher.turn("RenderPage"):
                    await self._gql.render_page(id=page.id)
            except WikiJSError as exc:
                if not outcome_unknown(exc):
                    raise _incomplete(page.id, spec, exc, ("render",)) from exc
                # The answer was lost (a timeout while workers queue up): the
                # render may have finished since; the page says.
                (rendered,) = await self._rendered([page.id])
                if rendered is None:
                    raise _incomplete(page.id, spec, exc, ("render",)) from exc
        else:
            return page
        self._client.page_jobs.failed_tree()
        return await self._read_back(page.id, spec)

    async def _rendered(self, page_ids: Sequence[int]) -> builtins.list[Page | None]:
        """Each page once the server has rendered it, or ``None`` if it has not yet.

        A create whose answer was lost is found by its path while the server
        may still be at work on it: its render comes a moment later. The
        pages are read again after the retry policy's pauses (as many as it
        allows retries); those still without HTML are the caller's to render.
        """
        if not page_ids:
            return []
        waiting = dict.fromkeys(page_ids)
        found: dict[int, Page] = {}
        policy = self._client._retry_policy
        for attempt in range(1, (policy.max_retries if policy else 0) + 1):
            assert policy is not None
            await pause(policy.sleep, policy.backoff_delay(attempt, policy.rng))
            with bypass(refresh=True):
                now = await self.get_many(builtins.list(waiting))
            for page in now.success:
                if page.render:
                    found[page.id] = page
                    waiting.pop(page.id, None)
            if not waiting:
                break
        return [found.get(page_id) for page_id in page_ids]

    async def _complete(
        self,
        page_id: int,
        variables: Mapping[str, Any],
        error: WikiJSError | None,
        spec: PageCreate | None = None,
    ) -> None:
        """Write a page whose tags did not land again, whole, as an update.

        Wiki.js saves a page's tags after its row: when another write brought
        the same new tag a moment before, the insert fails on
        ``tags_tag_unique`` and the page is left without its tags and render
        (and, for a create, its place in the tree). An update with every
        field saves the tags (they exist now) and renders it; an update is
        idempotent, so it may go again if it meets the same race.

        Raises:
            PageJobError: the page could not be completed (``landed``: its row
                is written); the message says what it lacks.
        """
        for _ in range(TAG_REPAIR_ATTEMPTS):
            try:
                async with self._client.batcher.turn("UpdatePage"):
                    await self._gql.update_page(id=page_id, **_update_fields(variables))
            except PageJobError as exc:
                if exc.job != "tags":
                    self._client.page_jobs.failed(exc, page_id)
                    return  # the tags are in; the render or tree is repaired later
                error = exc  # another new tag of someone else's, at the same moment
                continue
            except WikiJSError as exc:
                raise _incomplete(page_id, spec, exc) from exc
            return
        assert error is not None
        raise _incomplete(page_id, spec, error)

    async def _read_back(self, outcome: int | Page | None, spec: PageCreate) -> Page:
        """The page a create just wrote, read whole (the create answers only a part).

        A failed read does not undo the create: it raises ReadBackError
        (``landed`` is true), never the create's own failure.
        """
        if isinstance(outcome, Page):
            return outcome
        try:
            if outcome is None:
                return await self.get_by_path(spec.path, spec.locale)
            return await self.get(outcome)
        except WikiJSError as exc:
            raise ReadBackError(
                f"page {spec.locale}/{spec.path} was created, but reading it back failed: {exc}",
                operation="CreatePage",
            ) from exc

    @overload
    async def update(self, page_id: int, changes: PageUpdate | Mapping[str, Any]) -> Page: ...

    @overload
    async def update(
        self,
        page_id: int,
        *,
        title: str = ...,
        path: str = ...,
        content: str = ...,
        description: str = ...,
        editor: Editor = ...,
        locale: str = ...,
        is_published: bool = ...,
        is_private: bool = ...,
        tags: Iterable[str] = ...,
        script_css: str = ...,
        script_js: str = ...,
        publish_start_date: datetime | None = ...,
        publish_end_date: datetime | None = ...,
    ) -> Page: ...

    async def update(
        self, page_id: int, changes: PageUpdate | Mapping[str, Any] | None = None, **fields: Any
    ) -> Page:
        """Change only the given fields of a page and return it as stored.

        Wiki.js's ``pages.update`` is not partial (it unpublishes, blanks
        scripts and drops tags by omission), so this reads the page and
        sends every field with your changes applied (given every field, it
        sends them without reading first). The fields are those of
        :meth:`create`; ``publish_start_date=None`` (or the end date) clears
        the date. The page is read back after the write: the server's answer
        holds the HTML of before the update.

        Example::

            page = await client.pages.update(12, title="New title")

        Raises:
            NotFoundError: no such page.
            ValidationError: bad input.
        """
        page_id = v.check_id(page_id, "page_id")
        wanted = PageUpdate.build(changes, **fields).changes()
        variables = full_update_variables(page_id, wanted)
        if variables is None:  # a partial update: the rest comes from the page as it is
            # Past the cache: every field is sent back, so a stale copy would undo
            # changes made elsewhere (the web UI) since it was cached.
            with bypass(refresh=True):
                current = await self.get(page_id)
            variables = merged_update_variables(current, wanted)
        jobs = self._client.page_jobs
        async with jobs.writing(), jobs.tags.holding(variables["tags"]) as claim:
            await self._page_write(
                lambda: self._gql.update_page(**variables), page_id, "UpdatePage"
            )
            claim.landed = True
        return await self.get(page_id)

    async def _page_write(
        self, write: Callable[[], Awaitable[Any]], page_id: int | None, operation: str
    ) -> None:
        """Run a page write in one of the client's write lanes; a failed render or
        tree job after it counts as done.

        The write waits while the client has as many page writes out as the
        planner of ``operation`` allows (see ``AsyncBatcher.slots``).

        Wiki.js changes the page row before its worker jobs run, so a
        PageJobError means the change landed: it is noted for repair (see
        ``_async/page_jobs.py``) instead of raised. A write whose tags did
        not land (another write brought the same new tag at the same moment)
        is a full update here, so it is sent again.
        """
        for attempt in range(1, TAG_REPAIR_ATTEMPTS + 1):
            try:
                async with self._client.batcher.turn(operation):
                    await write()
            except PageJobError as exc:
                if exc.job != "tags":
                    self._client.page_jobs.failed(exc, page_id)
                elif attempt < TAG_REPAIR_ATTEMPTS:
                    continue
                elif page_id is not None:
                    raise _incomplete(page_id, None, exc) from exc
                else:
                    raise
            return

    async def delete(self, page_id: int) -> None:
        """Delete a page (its history stays until purged).

        Raises:
            NotFoundError: no such page (6003).
        """
        page_id = v.check_id(page_id, "page_id")
        async with self._client.page_jobs.writing():
            await already_applied(
                lambda: self._page_write(
                    lambda: self._gql.delete_page(id=page_id), None, "DeletePage"
                ),
                NotFoundError,
            )

    async def move(
        self, page_id: int, destination_path: str, destination_locale: str | None = None
    ) -> None:
        """Move a page to another path (and optionally locale).

        Raises:
            ConflictError: a page already exists at the destination (6006).
        """
        page_id = v.check_id(page_id, "page_id")
        destination_path = v.normalize_path(destination_path, "destination_path")
        if destination_locale is None:
            destination_locale = (await self.get(page_id)).locale
        destination_locale = v.check_locale(destination_locale, "destination_locale")
        move = partial(
            self._gql.move_page,
            id=page_id,
            destination_path=destination_path,
            destination_locale=destination_locale,
        )
        async with self._client.page_jobs.writing():
            try:
                await self._page_write(move, page_id, "MovePage")
            except ConflictError as exc:
                # Retried after an attempt cut off mid-way: is the page there already?
                if not exc.previous_attempt_unknown:
                    raise
                with bypass(refresh=True):
                    page = await self.get(page_id)
                if (page.path, page.locale) != (destination_path, destination_locale):
                    raise

    async def render(self, page_id: int) -> None:
        """Re-render a page's HTML from its source."""
        await self._gql.render_page(id=v.check_id(page_id, "page_id"))

    async def restore(self, page_id: int, version_id: int) -> None:
        """Restore a page to one of its stored versions."""
        page_id = v.check_id(page_id, "page_id")
        restore = partial(
            self._gql.restore_page, page_id=page_id, version_id=v.check_id(version_id, "version_id")
        )
        async with self._client.page_jobs.writing():
            await self._page_write(restore, page_id, "RestorePage")

    async def convert(self, page_id: int, editor: str) -> None:
        """Convert a page to another editor (``markdown``, ``code``, ``ckeditor``)."""
        page_id = v.check_id(page_id, "page_id")
        convert = partial(self._gql.convert_page, id=page_id, editor=v.check_editor(editor))
        async with self._client.page_jobs.writing():
            await self._page_write(convert, page_id, "ConvertPage")

    async def delete_tag(self, tag_id: int) -> None:
        """Delete a tag from every page."""
        await self._gql.delete_page_tag(id=v.check_id(tag_id, "tag_id"))

    async def update_tag(self, tag_id: int, tag: str, title: str) -> None:
        """Rename a tag and its display title."""
        await self._gql.update_page_tag(
            id=v.check_id(tag_id, "tag_id"),
            tag=v.check_text(tag, "tag", allow_empty=False),
            title=v.check_text(title, "title", allow_empty=False),
        )

    async def flush_cache(self) -> None:
        """Empty the server's page cache."""
        await self._gql.flush_page_cache()

    async def rebuild_tree(self) -> None:
        """Rebuild the server's page tree."""
        await self._gql.rebuild_page_tree()

    async def migrate_locale(self, source_locale: str, target_locale: str) -> int:
        """Move every page of one locale to another; returns how many moved."""
        result = await self._gql.migrate_pages_to_locale(
            source_locale=v.check_locale(source_locale, "source_locale"),
            target_locale=v.check_locale(target_locale, "target_locale"),
        )
        migrated = require(result.pages, "pages", "MigratePagesToLocale").migrate_to_locale
        return (migrated.count if migrated else None) or 0

    async def purge_history(self, older_than: str) -> None:
        """Delete history older than an ISO-8601 duration such as ``P1M``."""
        await self._gql.purge_page_history(
            older_than=v.check_text(older_than, "older_than", allow_empty=False)
        )

    # -- batches --------------------------------------------------------------

    async def get_many(
        self,
        page_ids: Iterable[int],
        *,
        chunk_size: int | None = None,
        mode: BatchMode | None = None,
    ) -> BatchResult[Page]:
        """Many pages in few requests (``batch_size`` per aliased request).

        Example::

            result = await client.pages.get_many([1, 2, 3])
            pages = result.success          # in input order
            missing = [e.input for e in result.errors]

        Every id gets an outcome in input order: the page, or a
        :class:`~wikijs.batch.BatchItemError` holding e.g. a NotFoundError.
        """

        def prepare(index: int, page_id: int) -> BatchCall:
            return BatchCall(GET_PAGE, {"id": v.check_id(page_id, "page_id")})

        def finish(index: int, page_id: int, result: GetPage) -> Page:
            pages = require(result.pages, "pages", "GetPage")
            return found(pages.single, f"page {page_id}", "GetPage")

        return await self._client.batcher.map(
            v.check_items(page_ids, "page_ids", "page ids"),
            prepare,
            finish,
            chunk_size=chunk_size,
            mode=mode,
        )

    async def create_many(
        self,
        pages: Iterable[PageCreate | Mapping[str, Any]],
        *,
        chunk_size: int | None = None,
        mode: BatchMode | None = None,
        progress: ProgressCallback | None = None,
        concurrency: int | None = None,
    ) -> BatchResult[Page]:
        """Create many pages in few requests; returns them as stored.

        Items are validated one by one (an invalid item fails alone), and
        two items with the same locale and path end as one page and one
        ConflictError. The creates of one request run in input order.

        A real Wiki.js spends seconds on each page write, so requests hold
        only as many creates as the server can finish within half the
        client's timeout, and several requests run at once (write lanes),
        as many as raise the server's throughput (see ``docs/batch.md``).
        When a request fails without an answer, each of its pages is looked
        up by path: the ones there with this title and content are
        reported created, the others sent again. A page whose tags collided
        with another write's new tag is completed (see :meth:`create`).

        Example::

            result = await client.pages.create_many(
                [{"title": f"Note {i}", "path": f"notes/{i}", "content": "..."} for i in range(50)],
                progress=lambda p: print(f"{p.done}/{p.total}"),
            )
            result.raise_for_errors()

        Args:
            chunk_size: at most this many creates per request.
            mode: ``"alias"`` or ``"array"`` (see the client's ``batch_mode``).
            progress: called after every request with a
                :class:`~wikijs.batch.BatchProgress`.
            concurrency: requests in flight at once (default: chosen by
                measuring the server's throughput, starting at two).
        """
        if concurrency is not None:
            v.check_positive(concurrency, "concurrency")
        items = builtins.list(v.check_items(pages, "pages", "PageCreate or mappings"))
        v.check_callback(progress, "progress")
        specs: dict[int, PageCreate] = {}
        first_at: dict[tuple[str, str], int] = {}

        def prepare(index: int, item: Any) -> BatchCall:
            spec = PageCreate.build(item)
            key = (spec.locale, spec.path)
            if key in first_at:
                raise ConflictError(
                    f"item {first_at[key]} of this batch already creates {spec.locale}/{spec.path}",
                    operation="CreatePage",
                    code=6002,
                    slug="PageDuplicateCreate",
                )
            first_at[key] = index
            specs[index] = spec
            return BatchCall(CREATE_PAGE, graphql_variables(spec.variables()), tag_names(spec.tags))

        def finish(index: int, item: Any, result: Any) -> int | None:
            created = require(result.pages, "pages", "CreatePage").create
            return created.page.id if created is not None and created.page is not None else None

        async def reconcile(pending: Sequence[tuple[int, Any]]) -> builtins.list[int | None]:
            wanted = [specs[index] for index, _ in pending]
            return [
                page.id if page is not None and is_created_page(page, spec) else None
                for spec, page in zip(wanted, await self._at_paths(wanted), strict=True)
            ]

        jobs = self._client.page_jobs
        async with jobs.writing():
            written = await self._client.batcher.map(
                items,
                prepare,
                finish,
                chunk_size=chunk_size,
                mode=mode,
                reconcile=reconcile,
                progress=progress,
                concurrency=concurrency,
                gate=jobs.tags,
            )
            written = await self._created_anyway(written, specs)
            stored = await self._refetch(written, items, specs, chunk_size=chunk_size, mode=mode)
            return await self._completed_many(stored, items, specs, concurrency)

    async def _at_paths(self, specs: Sequence[PageCreate]) -> builtins.list[Page | None]:
        """The page at each spec's path and locale, or ``None`` (read in batches)."""
        if self._lacks_by_path():
            return await self._at_paths_listed(specs)

        def prepare(index: int, spec: PageCreate) -> BatchCall:
            return BatchCall(GET_PAGE_BY_PATH, {"path": spec.path, "locale": spec.locale})

        def finish(index: int, spec: PageCreate, result: GetPageByPath) -> Page | None:
            return require(result.pages, "pages", "GetPageByPath").single_by_path

        found = await self._client.batcher.map(specs, prepare, finish)
        pages: builtins.list[Page | None] = []
        for outcome in found.results:
            if isinstance(outcome, BatchItemError):
                if isinstance(outcome.error, UnsupportedByServerError):
                    return await self._at_paths_listed(specs)
                if not isinstance(outcome.error, NotFoundError):
                    raise outcome.error
                pages.append(None)
            else:
                pages.append(outcome)
        return pages

    async def _by_id(self, keys: Sequence[Any]) -> builtins.list[Any]:
        """``keys`` with each ``(path, locale)`` replaced by its page's id, where listed."""
        paths = [key for key in keys if not isinstance(key, int)]
        ids = dict(zip(paths, await self._ids_at(paths), strict=True)) if paths else {}
        return [key if isinstance(key, int) else ids.get(key) or key for key in keys]

    async def _at_paths_listed(self, specs: Sequence[PageCreate]) -> builtins.list[Page | None]:
        """:meth:`_at_paths` for a Wiki.js without ``singleByPath``: ids from the list."""
        ids = await self._ids_at([(spec.path, spec.locale) for spec in specs])
        fetched = await self.get_many([page_id for page_id in ids if page_id is not None])
        for failure in fetched.errors:
            if not isinstance(failure.error, NotFoundError):  # gone since listed: not there
                raise failure.error
        by_id = {page.id: page for page in fetched.success}
        return [by_id.get(page_id) if page_id is not None else None for page_id in ids]

    async def _created_anyway(
        self, written: BatchResult[Any], specs: Mapping[int, PageCreate]
    ) -> BatchResult[Any]:
        """Count as created what the server wrote although it reported a failure.

        A PageJobError comes after the page row is in: its tree rebuild,
        render or tag insert failed (the page is completed afterwards, see
        :meth:`_completed_many`). A ConflictError for a create sent again
        after an unknown outcome may be the earlier attempt, landed late: the
        page at that path with this title and content settles it.
        """
        results = builtins.list(written.results)
        doubtful: builtins.list[int] = []
        for index, outcome in enumerate(results):
            if not isinstance(outcome, BatchItemError):
                continue
            error = outcome.error
            if isinstance(error, PageJobError):
                self._client.page_jobs.failed(error)
                results[index] = None  # found by path when read back
            elif isinstance(error, ConflictError) and error.previous_attempt_unknown:
                doubtful.append(index)
        if doubtful:
            pages = await self._at_paths([specs[i] for i in doubtful])
            for index, page in zip(doubtful, pages, strict=True):
                if page is not None and is_created_page(page, specs[index]):
                    results[index] = page.id
        return BatchResult(results)

    async def _completed_many(
        self,
        stored: BatchResult[Page],
        items: Sequence[Any],
        specs: Mapping[int, PageCreate],
        concurrency: int | None,
    ) -> BatchResult[Page]:
        """:meth:`_completed` for a batch: each created page with its tags and HTML.

        Pages whose tags did not land are written again whole, as updates;
        pages without HTML are rendered (each in a batch of its own); then
        they are read again. A page that cannot be completed ends as a
        :class:`~wikijs.errors.PageJobError` saying what it lacks.
        """
        untagged: builtins.list[tuple[int, int]] = []
        unrendered: builtins.list[tuple[int, int]] = []
        for index, page in enumerate(stored.results):
            if isinstance(page, BatchItemError):
                continue
            if tag_names(specs[index].tags) != tag_names(tag.tag for tag in page.tags):
                untagged.append((index, page.id))
            elif not page.render:
                unrendered.append((index, page.id))
        if not untagged and not unrendered:
            return stored
        results: builtins.list[Any] = builtins.list(stored.results)
        done = await self._retag_many(untagged, results, items, specs, concurrency)
        if unrendered:  # perhaps still being rendered after a lost answer: wait a little
            rendered = await self._rendered([page_id for _, page_id in unrendered])
            for (index, _), now in zip(unrendered, rendered, strict=True):
                if now is not None:
                    results[index] = now
            unrendered = [u for u, now in zip(unrendered, rendered, strict=True) if now is None]
        if unrendered:
            calls = [BatchCall(RENDER_PAGE, {"id": page_id}) for _, page_id in unrendered]
            outcomes = await self._client.batcher.write(calls, None, concurrency=concurrency)
            lost = [
                (index, page_id)
                for (index, page_id), outcome in zip(unrendered, outcomes, strict=True)
                if isinstance(outcome, WikiJSError) and outcome_unknown(outcome)
            ]
            # renders whose answers were lost may have finished since: the pages say
            since = dict(zip(lost, await self._rendered([p for _, p in lost]), strict=True))
            for (index, page_id), outcome in zip(unrendered, outcomes, strict=True):
                if isinstance(outcome, WikiJSError) and since.get((index, page_id)) is None:
                    error = _incomplete(page_id, specs[index], outcome, ("render",))
                    results[index] = BatchItemError(index, items[index], error)
                else:
                    done.append((index, page_id))
        self._client.page_jobs.failed_tree()
        fetched = await self.get_many([page_id for _, page_id in done])
        for (index, _), page in zip(done, fetched.results, strict=True):
            if isinstance(page, BatchItemError):
                unread = ReadBackError(
                    f"the page was written, but reading it back failed: {page.error}",
                    operation=page.error.operation,
                )
                unread.__cause__ = page.error
                page = BatchItemError(index, items[index], unread)
            results[index] = page
        return BatchResult(results)

    async def _retag_many(
        self,
        untagged: Sequence[tuple[int, int]],
        results: builtins.list[Any],
        items: Sequence[Any],
        specs: Mapping[int, PageCreate],
        concurrency: int | None,
    ) -> builtins.list[tuple[int, int]]:
        """:meth:`_complete` for many pages: returns the ``(index, id)`` of those done."""
        done: builtins.list[tuple[int, int]] = []
        last: dict[int, WikiJSError] = {}
        todo = builtins.list(untagged)
        for _ in range(TAG_REPAIR_ATTEMPTS):
            if not todo:
                break
            calls = [
                BatchCall(
                    UPDATE_PAGE,
                    graphql_variables({"id": page_id, **_update_fields(specs[i].variables())}),
                    tag_names(specs[i].tags),
                )
                for i, page_id in todo
            ]
            outcomes = await self._client.batcher.write(
                calls, None, concurrency=concurrency, gate=self._client.page_jobs.tags
            )
            again: builtins.list[tuple[int, int]] = []
            for (index, page_id), outcome in zip(todo, outcomes, strict=True):
                if isinstance(outcome, PageJobError) and outcome.job == "tags":
                    last[index] = outcome
                    again.append((index, page_id))
                elif isinstance(outcome, PageJobError):
                    self._client.page_jobs.failed(outcome, page_id)
                    done.append((index, page_id))
                elif isinstance(outcome, WikiJSError):
                    error = _incomplete(page_id, specs[index], outcome)
                    results[index] = BatchItemError(index, items[index], error)
                else:
                    done.append((index, page_id))
            todo = again
        for index, page_id in todo:
            error = _incomplete(page_id, specs[index], last[index])
            results[index] = BatchItemError(index, items[index], error)
        return done

    async def _refetch(
        self,
        written: BatchResult[Any],
        inputs: builtins.list[Any],
        specs: Mapping[int, Any],
        *,
        chunk_size: int | None,
        mode: BatchMode | None,
    ) -> BatchResult[Page]:
        """Replace each written item's id (or None: find it by path) by the stored page."""
        slots: list[int] = []
        keys: list[Any] = []
        for index, outcome in enumerate(written.results):
            if isinstance(outcome, BatchItemError):
                continue
            slots.append(index)
            spec = specs[index]
            keys.append(outcome if outcome is not None else (spec.path, spec.locale))

        def prepare(index: int, key: Any) -> BatchCall:
            if isinstance(key, int):
                return BatchCall(GET_PAGE, {"id": key})
            if self._lacks_by_path():  # not in the page list either
                raise NotFoundError(f"page {key[1]}/{key[0]} does not exist", operation="ListPages")
            return BatchCall(GET_PAGE_BY_PATH, {"path": key[0], "locale": key[1]})

        def finish(index: int, key: Any, result: GetPage | GetPageByPath) -> Page:
            page: Page | None
            if isinstance(result, GetPage):
                page = require(result.pages, "pages", "GetPage").single
            else:
                page = require(result.pages, "pages", "GetPageByPath").single_by_path
            return found(page, f"page {key}", "GetPage")

        if self._lacks_by_path():
            keys = await self._by_id(keys)
        fetched = await self._client.batcher.map(
            keys, prepare, finish, chunk_size=chunk_size, mode=mode
        )
        outcomes = builtins.list(fetched.results)
        redo = [
            position
            for position, outcome in enumerate(outcomes)
            if isinstance(outcome, BatchItemError)
            and isinstance(outcome.error, UnsupportedByServerError)
        ]
        if redo:  # an older Wiki.js without singleByPath: through the page list
            again = await self._client.batcher.map(
                await self._by_id([keys[p] for p in redo]), prepare, finish, chunk_size=chunk_size
            )
            for position, outcome in zip(redo, again.results, strict=True):
                outcomes[position] = outcome
        results: builtins.list[Page | BatchItemError] = builtins.list(written.results)
        for slot, outcome in zip(slots, outcomes, strict=True):
            if isinstance(outcome, BatchItemError):
                error = ReadBackError(
                    f"the page was written, but reading it back failed: {outcome.error}",
                    operation=outcome.error.operation,
                )
                error.__cause__ = outcome.error
                outcome = BatchItemError(slot, inputs[slot], error)
            results[slot] = outcome
        return BatchResult(results)

    async def update_many(
        self,
        updates: Iterable[Mapping[str, Any] | tuple[int, PageUpdate | Mapping[str, Any]]],
        *,
        chunk_size: int | None = None,
        mode: BatchMode | None = None,
        progress: ProgressCallback | None = None,
        concurrency: int | None = None,
    ) -> BatchResult[Page]:
        """Safe partial updates of many pages: one batched read, one batched write.

        Each update is ``{"id": 12, "title": ...}`` or ``(12, PageUpdate(...))``;
        only the given fields change (see :meth:`update`). A page may appear
        once per batch. Write requests are sized for the server's real cost
        like :meth:`create_many`'s; when one fails without an answer, the
        pages are read again and those already showing the update count as
        done (the others are sent again: an update of every field is
        idempotent). Several write requests run at once, like
        :meth:`create_many`'s (``concurrency`` fixes how many).

        Example::

            await client.pages.update_many([{"id": 1, "content": "..."}, {"id": 2, "title": "T"}])
        """
        if concurrency is not None:
            v.check_positive(concurrency, "concurrency")
        updates = v.check_items(updates, "updates", "updates")
        v.check_callback(progress, "progress")
        jobs = self._client.page_jobs
        async with jobs.writing():
            result = await safe_update_many(
                self._client.batcher,
                updates,
                model=PageUpdate,
                noun="page",
                get_many=self.get_many,
                merge=merged_update_variables,
                spec=UPDATE_PAGE,
                chunk_size=chunk_size,
                mode=mode,
                applied=update_applied,
                landed_anyway=self._job_failed,
                progress=progress,
                concurrency=concurrency,
                gate=jobs.tags,
                claims=lambda variables: tag_names(variables["tags"]),
                again=_tags_raced,
                attempts=TAG_REPAIR_ATTEMPTS,
            )
        results = builtins.list(result.results)
        for index, outcome in enumerate(results):
            if isinstance(outcome, BatchItemError) and _tags_raced(outcome.error):
                assert isinstance(outcome.error, WikiJSError)
                page_id, _ = split_update(outcome.input, PageUpdate)
                error = _incomplete(page_id, None, outcome.error)
                results[index] = BatchItemError(index, outcome.input, error)
        return BatchResult(results)

    def _job_failed(self, error: WikiJSError) -> bool:
        """Whether ``error`` is a worker job failing after the write landed (noted for repair)."""
        if isinstance(error, PageJobError) and error.job != "tags":
            self._client.page_jobs.failed(error)
            return True
        return False

    async def delete_many(
        self,
        page_ids: Iterable[int],
        *,
        chunk_size: int | None = None,
        mode: BatchMode | None = None,
        progress: ProgressCallback | None = None,
        concurrency: int | None = None,
    ) -> BatchResult[int]:
        """Delete many pages in few requests; each success is the deleted id.

        Requests are sized for the server's real cost (about a second per
        page delete), several at once like :meth:`create_many`'s
        (``concurrency`` fixes how many); when one fails without an answer,
        the pages that are gone count as deleted and the others are sent
        again. A page named twice is deleted once: the second item fails
        alone, before anything is sent.
        """
        if concurrency is not None:
            v.check_positive(concurrency, "concurrency")
        ids = builtins.list(v.check_items(page_ids, "page_ids", "page ids"))
        v.check_callback(progress, "progress")

        # Two deletes of one page in flight at once may both pass Wiki.js's
        # existence check: the second is refused here, before sending.
        once = v.OncePerBatch("page", "deleted", "a page is deleted once per batch", "page_ids")

        def prepare(index: int, page_id: int) -> BatchCall:
            checked = v.check_id(page_id, "page_id")
            once.check(checked, index)
            return BatchCall(DELETE_PAGE, {"id": checked})

        def finish(index: int, page_id: int, result: Any) -> int:
            return page_id

        async def reconcile(pending: Sequence[tuple[int, int]]) -> builtins.list[int | None]:
            now = await self.get_many([page_id for _, page_id in pending])
            return [
                page_id
                if isinstance(page, BatchItemError) and isinstance(page.error, NotFoundError)
                else None
                for (_, page_id), page in zip(pending, now.results, strict=True)
            ]

        async with self._client.page_jobs.writing():
            result = await self._client.batcher.map(
                ids,
                prepare,
                finish,
                chunk_size=chunk_size,
                mode=mode,
                reconcile=reconcile,
                progress=progress,
                concurrency=concurrency,
            )
            # A job failing after the delete: the page is gone all the same.
            results: builtins.list[int | BatchItemError] = builtins.list(result.results)
            for index, outcome in enumerate(results):
                if isinstance(outcome, BatchItemError) and isinstance(outcome.error, PageJobError):
                    self._client.page_jobs.failed(outcome.error)
                    results[index] = ids[index]
        return BatchResult(results)

    async def move_many(
        self,
        moves: Iterable[Mapping[str, Any] | tuple[int, str] | tuple[int, str, str]],
        *,
        chunk_size: int | None = None,
        mode: BatchMode | None = None,
        progress: ProgressCallback | None = None,
        concurrency: int | None = None,
    ) -> BatchResult[int]:
        """Move many pages in few requests; each success is the moved page's id.

        Each move is ``{"id": 12, "path": "new/place"}`` (``"locale"`` too,
        to move it to another locale) or ``(12, "new/place"[, "fr"])``;
        without a locale a page keeps its own. The pages are read first (one
        batched request), so a missing page fails alone, and so do a second
        move of one page and a second move to one destination.

        Moves go several requests at once, like :meth:`create_many`'s
        (``concurrency`` fixes how many), unless one move's destination is
        where another page of the batch is now: then they run one request
        at a time, in input order, so that the page moving away goes first.
        When a request fails without an answer, the pages found at their
        destinations count as moved and the others are sent again.

        Example::

            moves = [(12, "archive/a"), {"id": 13, "path": "archive/b"}]
            result = await client.pages.move_many(moves)
            result.raise_for_errors()
        """
        if concurrency is not None:
            v.check_positive(concurrency, "concurrency")
        items = builtins.list(v.check_items(moves, "moves", "moves"))
        v.check_callback(progress, "progress")
        wanted: dict[int, tuple[int, str, str | None]] = {}
        errors: dict[int, WikiJSError] = {}
        once = v.OncePerBatch("page", "moved", "a page moves once per batch")
        for index, item in enumerate(items):
            try:
                page_id, path, locale = _parse_move(item)
                once.check(page_id, index)
                wanted[index] = (page_id, path, locale)
            except WikiJSError as exc:
                errors[index] = exc
        order = sorted(wanted)
        current = await self.get_many([wanted[i][0] for i in order], chunk_size=chunk_size)
        targets: dict[int, tuple[int, str, str]] = {}
        here: set[tuple[str, str]] = set()
        claimed: dict[tuple[str, str], int] = {}
        for index, page in zip(order, current.results, strict=True):
            if isinstance(page, BatchItemError):
                errors[index] = page.error
                continue
            page_id, path, locale = wanted[index]
            destination = (path, locale or page.locale)
            if destination in claimed:
                errors[index] = ConflictError(
                    f"item {claimed[destination]} of this batch already moves a page to "
                    f"{destination[1]}/{destination[0]}",
                    operation="MovePage",
                    code=6006,
                    slug="PagePathCollision",
                )
                continue
            claimed[destination] = index
            here.add((page.path, page.locale))
            targets[index] = (page_id, *destination)
        # A destination another page of the batch leaves: one request at a time, in order.
        ordered = any((path, locale) in here for _, path, locale in targets.values())

        def prepare(index: int, position: int) -> BatchCall:
            page_id, path, locale = targets[position]
            variables = {"id": page_id, "destinationPath": path, "destinationLocale": locale}
            return BatchCall(MOVE_PAGE, variables)

        def finish(index: int, position: int, result: Any) -> int:
            return targets[position][0]

        async def arrived(positions: Sequence[int]) -> builtins.list[int | None]:
            ids = [targets[p][0] for p in positions]
            with bypass(refresh=True):
                now = await self.get_many(ids)
            return [
                targets[p][0]
                if not isinstance(page, BatchItemError)
                and (page.path, page.locale) == targets[p][1:]
                else None
                for p, page in zip(positions, now.results, strict=True)
            ]

        async def reconcile(pending: Sequence[tuple[int, int]]) -> builtins.list[int | None]:
            return await arrived([position for _, position in pending])

        positions = sorted(targets)
        jobs = self._client.page_jobs
        async with jobs.writing():
            written = await self._client.batcher.map(
                positions,
                prepare,
                finish,
                chunk_size=chunk_size,
                mode=mode,
                reconcile=reconcile,
                progress=progress,
                concurrency=1 if ordered else concurrency,
            )
        doubtful: builtins.list[int] = []
        results: builtins.list[int | BatchItemError] = [
            BatchItemError(i, items[i], errors[i]) if i in errors else 0 for i in range(len(items))
        ]
        for position, outcome in zip(positions, written.results, strict=True):
            if isinstance(outcome, BatchItemError):
                error = outcome.error
                if isinstance(error, PageJobError):  # moved; its tree rebuild lost a race
                    jobs.failed(error, targets[position][0])
                    results[position] = targets[position][0]
                    continue
                if isinstance(error, ConflictError) and error.previous_attempt_unknown:
                    doubtful.append(position)  # perhaps our own earlier attempt
                results[position] = BatchItemError(position, items[position], error)
            else:
                results[position] = outcome
        if doubtful:
            for position, moved in zip(doubtful, await arrived(doubtful), strict=True):
                if moved is not None:
                    results[position] = moved
        return BatchResult(results)


# -- with_raw_response: written by scripts/unasync from the methods above; do not edit


class AsyncPagesWithRawResponse(AsyncWithRawResponse):
    """``client.pages``, each method answering a :class:`~wikijs.RawResponse`.

    Its methods are those of :class:`AsyncPages` that send their requests at
    once; each answers what the method returns (``parsed``) with the HTTP
    exchanges it came from.
    """

    _methods = frozenset(
        {
            "check_conflicts",
            "conflict_latest",
            "convert",
            "create",
            "create_many",
            "delete",
            "delete_many",
            "delete_tag",
            "flush_cache",
            "get",
            "get_by_path",
            "get_by_tags",
            "get_many",
            "get_version",
            "ids",
            "links",
            "list",
            "migrate_locale",
            "move",
            "move_many",
            "purge_history",
            "rebuild_tree",
            "render",
            "restore",
            "search",
            "search_tags",
            "tags",
            "tree",
            "update",
            "update_many",
            "update_tag",
        }
    )

    if TYPE_CHECKING:

        async def get(self, page_id: int) -> RawResponse[Page]:
            """Same as :meth:`AsyncPages.get`, with its HTTP exchanges."""
            ...

        async def get_by_path(self, path: str, locale: str = DEFAULT_LOCALE) -> RawResponse[Page]:
            """Same as :meth:`AsyncPages.get_by_path`, with its HTTP exchanges."""
            ...

        async def list(
            self,
            limit: int | None = None,
            offset: int = 0,
            *,
            order_by: PageOrder | PageOrderBy | None = None,
            direction: Direction | PageOrderByDirection | None = None,
            tags: Iterable[str] | None = None,
            locale: str | None = None,
            creator_id: int | None = None,
            author_id: int | None = None,
        ) -> RawResponse[builtins.list[PageListItem]]:
            """Same as :meth:`AsyncPages.list`, with its HTTP exchanges."""
            ...

        async def get_by_tags(
            self, tags: Iterable[str], *, locale: str | None = None, limit: int | None = None
        ) -> RawResponse[builtins.list[PageListItem]]:
            """Same as :meth:`AsyncPages.get_by_tags`, with its HTTP exchanges."""
            ...

        async def ids(
            self,
            *,
            order_by: PageOrder | PageOrderBy | None = "id",
            direction: Direction | PageOrderByDirection | None = "asc",
            tags: Iterable[str] | None = None,
            locale: str | None = None,
            creator_id: int | None = None,
            author_id: int | None = None,
        ) -> RawResponse[builtins.list[int]]:
            """Same as :meth:`AsyncPages.ids`, with its HTTP exchanges."""
            ...

        async def search(
            self, query: str, *, path: str | None = None, locale: str | None = None
        ) -> RawResponse[PageSearchResponse]:
            """Same as :meth:`AsyncPages.search`, with its HTTP exchanges."""
            ...

        async def get_version(self, page_id: int, version_id: int) -> RawResponse[PageVersion]:
            """Same as :meth:`AsyncPages.get_version`, with its HTTP exchanges."""
            ...

        async def tags(self) -> RawResponse[builtins.list[PageTag]]:
            """Same as :meth:`AsyncPages.tags`, with its HTTP exchanges."""
            ...

        async def search_tags(self, query: str) -> RawResponse[builtins.list[str]]:
            """Same as :meth:`AsyncPages.search_tags`, with its HTTP exchanges."""
            ...

        async def tree(
            self,
            *,
            path: str | None = None,
            parent: int | None = None,
            mode: TreeMode | PageTreeMode = "all",
            locale: str = DEFAULT_LOCALE,
            include_ancestors: bool = False,
        ) -> RawResponse[builtins.list[PageTreeItem]]:
            """Same as :meth:`AsyncPages.tree`, with its HTTP exchanges."""
            ...

        async def links(
            self, locale: str = DEFAULT_LOCALE
        ) -> RawResponse[builtins.list[PageLinkItem]]:
            """Same as :meth:`AsyncPages.links`, with its HTTP exchanges."""
            ...

        async def check_conflicts(self, page_id: int, checkout_date: datetime) -> RawResponse[bool]:
            """Same as :meth:`AsyncPages.check_conflicts`, with its HTTP exchanges."""
            ...

        async def conflict_latest(self, page_id: int) -> RawResponse[PageConflictLatest]:
            """Same as :meth:`AsyncPages.conflict_latest`, with its HTTP exchanges."""
            ...

        @overload
        async def create(self, page: PageCreate | Mapping[str, Any]) -> RawResponse[Page]: ...

        @overload
        async def create(
            self,
            *,
            title: str,
            path: str,
            content: str,
            description: str = "",
            editor: Editor = "markdown",
            locale: str = "en",
            is_published: bool = True,
            is_private: bool = False,
            tags: Iterable[str] = (),
            script_css: str | None = None,
            script_js: str | None = None,
            publish_start_date: datetime | None = None,
            publish_end_date: datetime | None = None,
        ) -> RawResponse[Page]: ...

        async def create(
            self, page: PageCreate | Mapping[str, Any] | None = None, **fields: Any
        ) -> RawResponse[Page]:
            """Same as :meth:`AsyncPages.create`, with its HTTP exchanges."""
            ...

        @overload
        async def update(
            self, page_id: int, changes: PageUpdate | Mapping[str, Any]
        ) -> RawResponse[Page]: ...

        @overload
        async def update(
            self,
            page_id: int,
            *,
            title: str = ...,
            path: str = ...,
            content: str = ...,
            description: str = ...,
            editor: Editor = ...,
            locale: str = ...,
            is_published: bool = ...,
            is_private: bool = ...,
            tags: Iterable[str] = ...,
            script_css: str = ...,
            script_js: str = ...,
            publish_start_date: datetime | None = ...,
            publish_end_date: datetime | None = ...,
        ) -> RawResponse[Page]: ...

        async def update(
            self, page_id: int, changes: PageUpdate | Mapping[str, Any] | None = None, **fields: Any
        ) -> RawResponse[Page]:
            """Same as :meth:`AsyncPages.update`, with its HTTP exchanges."""
            ...

        async def delete(self, page_id: int) -> RawResponse[None]:
            """Same as :meth:`AsyncPages.delete`, with its HTTP exchanges."""
            ...

        async def move(
            self, page_id: int, destination_path: str, destination_locale: str | None = None
        ) -> RawResponse[None]:
            """Same as :meth:`AsyncPages.move`, with its HTTP exchanges."""
            ...

        async def render(self, page_id: int) -> RawResponse[None]:
            """Same as :meth:`AsyncPages.render`, with its HTTP exchanges."""
            ...

        async def restore(self, page_id: int, version_id: int) -> RawResponse[None]:
            """Same as :meth:`AsyncPages.restore`, with its HTTP exchanges."""
            ...

        async def convert(self, page_id: int, editor: str) -> RawResponse[None]:
            """Same as :meth:`AsyncPages.convert`, with its HTTP exchanges."""
            ...

        async def delete_tag(self, tag_id: int) -> RawResponse[None]:
            """Same as :meth:`AsyncPages.delete_tag`, with its HTTP exchanges."""
            ...

        async def update_tag(self, tag_id: int, tag: str, title: str) -> RawResponse[None]:
            """Same as :meth:`AsyncPages.update_tag`, with its HTTP exchanges."""
            ...

        async def flush_cache(self) -> RawResponse[None]:
            """Same as :meth:`AsyncPages.flush_cache`, with its HTTP exchanges."""
            ...

        async def rebuild_tree(self) -> RawResponse[None]:
            """Same as :meth:`AsyncPages.rebuild_tree`, with its HTTP exchanges."""
            ...

        async def migrate_locale(self, source_locale: str, target_locale: str) -> RawResponse[int]:
            """Same as :meth:`AsyncPages.migrate_locale`, with its HTTP exchanges."""
            ...

        async def purge_history(self, older_than: str) -> RawResponse[None]:
            """Same as :meth:`AsyncPages.purge_history`, with its HTTP exchanges."""
            ...

        async def get_many(
            self,
            page_ids: Iterable[int],
            *,
            chunk_size: int | None = None,
            mode: BatchMode | None = None,
        ) -> RawResponse[BatchResult[Page]]:
            """Same as :meth:`AsyncPages.get_many`, with its HTTP exchanges."""
            ...

        async def create_many(
            self,
            pages: Iterable[PageCreate | Mapping[str, Any]],
            *,
            chunk_size: int | None = None,
            mode: BatchMode | None = None,
            progress: ProgressCallback | None = None,
            concurrency: int | None = None,
        ) -> RawResponse[BatchResult[Page]]:
            """Same as :meth:`AsyncPages.create_many`, with its HTTP exchanges."""
            ...

        async def update_many(
            self,
            updates: Iterable[Mapping[str, Any] | tuple[int, PageUpdate | Mapping[str, Any]]],
            *,
            chunk_size: int | None = None,
            mode: BatchMode | None = None,
            progress: ProgressCallback | None = None,
            concurrency: int | None = None,
        ) -> RawResponse[BatchResult[Page]]:
            """Same as :meth:`AsyncPages.update_many`, with its HTTP exchanges."""
            ...

        async def delete_many(
            self,
            page_ids: Iterable[int],
            *,
            chunk_size: int | None = None,
            mode: BatchMode | None = None,
            progress: ProgressCallback | None = None,
            concurrency: int | None = None,
        ) -> RawResponse[BatchResult[int]]:
            """Same as :meth:`AsyncPages.delete_many`, with its HTTP exchanges."""
            ...

        async def move_many(
            self,
            moves: Iterable[Mapping[str, Any] | tuple[int, str] | tuple[int, str, str]],
            *,
            chunk_size: int | None = None,
            mode: BatchMode | None = None,
            progress: ProgressCallback | None = None,
            concurrency: int | None = None,
        ) -> RawResponse[BatchResult[int]]:
            """Same as :meth:`AsyncPages.move_many`, with its HTTP exchanges."""
            ...


# -- end with_raw_response
