"""``pages``: the page model of Wiki.js 2.5 (``server/models/pages.js``), quirks included."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from graphql import GraphQLResolveInfo

from .._auth import check_access
from .._clock import parse_duration, parse_iso
from .._css import minify_css
from .._errors import (
    GraphQLMessageError,
    PlainError,
    js_inspect,
    success,
    wiki_error,
)
from .._state import Page, PageVersion, State, Tag, normalise_page_path, page_hash
from ._common import Context, Registry, context, guarded

Info = GraphQLResolveInfo

# The ``editors`` table (server/modules/editor/*/definition.yml): key → contentType.
CONTENT_TYPES = {
    "api": "yml",
    "asciidoc": "asciidoc",
    "ckeditor": "html",
    "code": "html",
    "markdown": "markdown",
    "redirect": "redirect",
    "wysiwyg": "html",
}
_INSERT_PAGE = (
    'insert into "pages" ("authorId", "content", "contentType", "createdAt", "creatorId", '
    '"description", "editorKey", "extra", "hash", "isPrivate", "isPublished", "localeCode", '
    '"path", "publishEndDate", "publishStartDate", "title", "toc", "updatedAt") values ($1, $2, '
    '$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) returning "id"'
)
_MOVE_PAGE = (
    'update "pages" set "path" = $1, "localeCode" = $2, "title" = $3, "hash" = $4, '
    '"updatedAt" = $5 where "pages"."id" = $6'
)
_UNDEFINED_WHERE = (
    "undefined passed as a property in argument #0 for 'where' operation. "
    "Call skipUndefined() method to ignore the undefined values."
)


def foreign_key_error(statement: str, constraint: str) -> PlainError:
    """What objection reports when PostgreSQL refuses a row for a missing reference."""
    return PlainError(
        f'{statement} - insert or update on table "pages" violates foreign key constraint '
        f'"{constraint}"',
        "ForeignKeyViolationError",
    )


def locale_installed(state: State, locale: str | None) -> bool:
    """Pages reference the ``locales`` table: only installed locales take pages."""
    return locale in state.locale_config.get("installed", ["en"])


def page_access(page: Page, state: State) -> dict[str, Any]:
    return {
        "path": page.path,
        "locale": page.locale,
        "tags": [t.tag for t in state.page_tags(page)],
    }


def tag_dict(tag: Tag) -> dict[str, Any]:
    return {
        "id": tag.id,
        "tag": tag.tag,
        "title": tag.title,
        "createdAt": tag.created_at,
        "updatedAt": tag.updated_at,
    }


def page_dict(ctx: Context, page: Page, *, mutation_result: bool = False) -> dict[str, Any]:
    """A ``Page`` object; mutation results miss fields in quirks mode.

    Quirk: ``createPage``/``updatePage`` return the raw database row, which
    has ``localeCode``/``editorKey``/``extra`` instead of ``locale``/
    ``editor``/``scriptCss``/``scriptJs``: selecting ``locale`` or ``editor``
    nulls the whole ``page`` (non-null violation), scripts come back null and
    tag rows carry only ``tag`` and ``title``.
    """
    state = ctx.state
    author = state.users.get(page.author_id)
    creator = state.users.get(page.creator_id)
    bare = mutation_result and ctx.quirks
    out: dict[str, Any] = {
        "id": page.id,
        "path": page.path,
        "hash": page.hash,
        "title": page.title,
        "description": page.description,
        "isPrivate": page.is_private,
        "isPublished": page.is_published,
        "privateNS": page.private_ns,
        "publishStartDate": page.publish_start_date,
        "publishEndDate": page.publish_end_date,
        "content": page.content,
        "render": page.render,
        "_toc": page.toc,
        "contentType": page.content_type,
        "createdAt": page.created_at,
        "updatedAt": page.updated_at,
        "authorId": page.author_id,
        "authorName": author.name if author else "",
        "authorEmail": author.email if author else "",
        "creatorId": page.creator_id,
        "creatorName": creator.name if creator else "",
        "creatorEmail": creator.email if creator else "",
    }
    tags = [tag_dict(t) for t in state.page_tags(page)]
    if bare:
        out["tags"] = [{"tag": t["tag"], "title": t["title"]} for t in tags]
        out["scriptCss"] = None
        out["scriptJs"] = None
    else:
        out.update(
            tags=tags,
            locale=page.locale,
            editor=page.editor,
            scriptCss=page.script_css,
            scriptJs=page.script_js,
        )
    return out


def resolve_toc(obj: dict[str, Any], info: Info) -> str | None:
    """Quirk: ``toc`` is stored as an array but typed ``String``: always an error."""
    toc = obj.get("_toc", [])
    if context(info).quirks:
        raise GraphQLMessageError("String cannot represent value: " + js_inspect(toc))
    return json.dumps(toc)


def resolve_page_tags(obj: dict[str, Any], _info: Info) -> list[dict[str, Any]]:
    return list(obj.get("tags", []))


# -- tags ---------------------------------------------------------------------


_INSERT_TAGS = 'insert into "tags" ("createdAt", "tag", "title", "updatedAt") values '
_TAGS_UNIQUE = ' returning "id" - duplicate key value violates unique constraint "tags_tag_unique"'


def tag_insert_failure(count: int) -> PlainError:
    """What objection reports when the tags a write inserts already exist."""
    rows = ", ".join(
        "(" + ", ".join(f"${row * 4 + n}" for n in range(1, 5)) + ")" for row in range(count)
    )
    return PlainError(_INSERT_TAGS + rows + _TAGS_UNIQUE, "UniqueViolationError")


def associate_tags(ctx: Context, page: Page, tags: list[str] | None) -> None:
    """``tags.associateTags``: creates missing tags; ``None`` fails like Wiki.js.

    With write costs on, a tag whose insert by another request had not
    committed when this one arrived (see ``WriteCosts.tag_window``) is one
    this write did not see when it read the tag list: it inserts it again,
    with the others it did not find, and fails on ``tags_tag_unique`` once
    that insert has committed (the page row is written; its tags and render
    are not).
    """
    if tags is None:
        raise PlainError("Cannot read properties of undefined (reading 'map')", "TypeError")
    state = ctx.state
    wanted: list[str] = []
    for raw in tags:
        norm = raw.strip().lower()
        if norm and norm not in wanted:
            wanted.append(norm)
    by_name = {t.tag: t for t in state.tags.values()}
    meter = ctx.core.meter
    if meter is not None:
        commits = [meter.tag_contended(n, ctx.request, ctx.arrived) for n in wanted if n in by_name]
        waited = [c for c in commits if c is not None]
        if waited:
            # It read the tag list before those inserts committed: it inserts
            # them too, with the tags it did not find, once they have.
            ctx.answer_after = max(waited)
            unseen = sum(1 for c in commits if c is not None)
            raise tag_insert_failure(sum(1 for n in wanted if n not in by_name) + unseen)
    ids: list[int] = []
    now = ctx.core.iso()
    for name in wanted:
        tag = by_name.get(name)
        if tag is None:
            tag = Tag(state.next_id("tags"), name, name, now, now)
            state.tags[tag.id] = tag
            if meter is not None:
                meter.tag_created(name, ctx.request)
        ids.append(tag.id)
    page.tag_ids = sorted(ids)


# -- history ------------------------------------------------------------------


def add_version(ctx: Context, page: Page, action: str) -> PageVersion:
    state = ctx.state
    version = PageVersion(
        id=state.next_id("history"),
        page_id=page.id,
        action=action,
        path=page.path,
        locale=page.locale,
        title=page.title,
        description=page.description,
        content=page.content,
        content_type=page.content_type,
        editor=page.editor,
        is_private=page.is_private,
        is_published=page.is_published,
        publish_start_date=page.publish_start_date,
        publish_end_date=page.publish_end_date,
        author_id=page.author_id,
        created_at=page.created_at,
        version_date=page.updated_at,
        script_css=page.script_css,
        script_js=page.script_js,
    )
    state.history[version.id] = version
    return version


def history_trail(state: State, page_id: int, offset_page: int, offset_size: int) -> dict[str, Any]:
    """``pageHistory.getHistory``, including its ``initial``/``move`` inference."""
    rows = sorted(
        (v for v in state.history.values() if v.page_id == page_id),
        key=lambda v: (v.version_date, v.id),
        reverse=True,
    )
    total = len(rows)
    start = offset_page * offset_size
    results = rows[start : start + offset_size]
    upper = (offset_page + 1) * offset_size
    prev: PageVersion | None = None
    if total >= upper and upper < total:
        prev = rows[upper]
    trail: list[dict[str, Any]] = []
    for version in reversed(results):
        action = "edit"
        before = after = None
        if prev is None and total < upper:
            action = "initial"
        elif (prev.path if prev else "") != version.path:
            action = "move"
            before = prev.path if prev else ""
            after = version.path
        author = state.users.get(version.author_id)
        trail.insert(
            0,
            {
                "versionId": version.id,
                "authorId": version.author_id,
                "authorName": author.name if author else "",
                "actionType": action,
                "valueBefore": before,
                "valueAfter": after,
                "versionDate": version.version_date,
            },
        )
        prev = version
    return {"trail": trail, "total": total}


# -- tree ---------------------------------------------------------------------


def page_tree(state: State) -> list[dict[str, Any]]:
    """The ``pageTree`` table as the ``rebuild-tree`` job builds it."""
    tree: list[dict[str, Any]] = []
    index: dict[tuple[str, str], dict[str, Any]] = {}
    for page in sorted(state.pages.values(), key=lambda p: (p.locale, p.path)):
        parts = page.path.split("/")
        current = ""
        parent: int | None = None
        ancestors: list[int] = []
        for depth, part in enumerate(parts, start=1):
            is_folder = depth < len(parts)
            current = f"{current}/{part}" if current else part
            found = index.get((page.locale, current))
            if found is None:
                node: dict[str, Any] = {
                    "id": len(tree) + 1,
                    "locale": page.locale,
                    "path": current,
                    "depth": depth,
                    "title": part if is_folder else page.title,
                    "isFolder": is_folder,
                    "isPrivate": (not is_folder) and page.is_private,
                    "privateNS": None if is_folder else page.private_ns,
                    "parent": parent,
                    "pageId": None if is_folder else page.id,
                    "ancestors": list(ancestors),
                }
                tree.append(node)
                index[(page.locale, current)] = node
                parent = node["id"]
            else:
                if is_folder and not found["isFolder"]:
                    found["isFolder"] = True
                if not is_folder and found["pageId"] is None:
                    found["pageId"] = page.id
                    found["title"] = page.title
                parent = found["id"]
            ancestors.append(parent)
    return tree


# -- queries ------------------------------------------------------------------


def _page_or_raise(ctx: Context, page_id: int, where: str) -> Page:
    page = ctx.state.pages.get(page_id)
    if page is None:
        raise wiki_error("PageNotFound", where=where)
    return page


def single(_obj: Any, info: Info, id: int) -> dict[str, Any]:
    ctx = context(info)
    page = _page_or_raise(ctx, id, "single")
    if not check_access(
        ctx.state, ctx.user, ["manage:pages", "delete:pages"], page_access(page, ctx.state)
    ):
        raise wiki_error("PageViewForbidden", where="single")
    return page_dict(ctx, page)


def single_by_path(_obj: Any, info: Info, path: str, locale: str) -> dict[str, Any]:
    ctx = context(info)
    page = ctx.state.find_page(path, locale)
    if page is None:
        raise wiki_error("PageNotFound", where="singleByPath")
    if not check_access(
        ctx.state, ctx.user, ["manage:pages", "delete:pages"], page_access(page, ctx.state)
    ):
        raise wiki_error("PageViewForbidden", where="singleByPath")
    return page_dict(ctx, page)


def _by_id(page: Page) -> Any:
    return page.id


_ORDER_KEYS: dict[str, Callable[[Page], Any]] = {
    "CREATED": lambda p: p.created_at,
    "PATH": lambda p: p.path,
    "TITLE": lambda p: p.title,
    "UPDATED": lambda p: p.updated_at,
}


def list_pages(
    _obj: Any,
    info: Info,
    limit: int | None = None,
    orderBy: str | None = None,
    orderByDirection: str | None = None,
    tags: list[str] | None = None,
    locale: str | None = None,
    creatorId: int | None = None,
    authorId: int | None = None,
) -> list[dict[str, Any]]:
    """``pages.list``. Quirk: ``limit`` counts page x tag join rows, before access filtering."""
    ctx = context(info)
    state = ctx.state
    pages = list(state.pages.values())
    if locale:
        pages = [p for p in pages if p.locale == locale]
    if creatorId and authorId and creatorId > 0 and authorId > 0:
        pages = [p for p in pages if p.creator_id == creatorId or p.author_id == authorId]
    else:
        if creatorId and creatorId > 0:
            pages = [p for p in pages if p.creator_id == creatorId]
        if authorId and authorId > 0:
            pages = [p for p in pages if p.author_id == authorId]
    wanted = [t.strip().lower() for t in tags] if tags else []
    key: Callable[[Page], Any] = _ORDER_KEYS.get(orderBy or "ID", _by_id)
    pages.sort(key=lambda p: (key(p), p.id), reverse=orderByDirection == "DESC")
    # One row per (page, tag) like the SQL join; a tag filter also filters the rows.
    rows: list[tuple[Page, str | None]] = []
    for page in pages:
        names = [t.tag for t in state.page_tags(page)]
        if wanted:
            names = [n for n in names if n in wanted]
            if not names:
                continue
        rows.extend((page, n) for n in names) if names else rows.append((page, None))
    if limit:
        rows = rows[:limit] if ctx.quirks else rows
    grouped: dict[int, list[str]] = {}
    order: list[Page] = []
    for page, name in rows:
        if page.id not in grouped:
            grouped[page.id] = []
            order.append(page)
        if name is not None:
            grouped[page.id].append(name)
    results: list[dict[str, Any]] = []
    for page in order:
        if not check_access(
            state, ctx.user, ["read:pages"], {"path": page.path, "locale": page.locale}
        ):
            continue
        names = grouped[page.id]
        if wanted and not all(t in names for t in (tags or [])):
            continue
        results.append(
            {
                "id": page.id,
                "path": page.path,
                "locale": page.locale,
                "title": page.title,
                "description": page.description,
                "contentType": page.content_type,
                "isPublished": page.is_published,
                "isPrivate": page.is_private,
                "privateNS": page.private_ns,
                "createdAt": page.created_at,
                "updatedAt": page.updated_at,
                "tags": names,
            }
        )
    if limit and not ctx.quirks:
        results = results[:limit]
    return results


def search(
    _obj: Any, info: Info, query: str, path: str | None = None, locale: str | None = None
) -> dict[str, Any]:
    """The basic database engine: published pages by title, description or path."""
    ctx = context(info)
    state = ctx.state
    needle = query.lower()
    hits: list[Page] = []
    for page in sorted(state.pages.values(), key=lambda p: p.id):
        if not page.is_published:
            continue
        if locale and page.locale != locale:
            continue
        if path and not page.path.startswith(path):
            continue
        if (
            needle in page.title.lower()
            or needle in page.description.lower()
            or needle in page.path.lower()
        ):
            hits.append(page)
    hits = hits[:100]
    results = [
        {
            "id": page.id,
            "title": page.title,
            "description": page.description,
            "path": page.path,
            "locale": page.locale,
        }
        for page in hits
        if check_access(state, ctx.user, ["read:pages"], page_access(page, state))
    ]
    return {"results": results, "suggestions": [], "totalHits": len(hits)}


def history(
    _obj: Any, info: Info, id: int, offsetPage: int | None = None, offsetSize: int | None = None
) -> dict[str, Any]:
    ctx = context(info)
    page = ctx.state.pages.get(id)
    if page is None:
        raise PlainError("Cannot read properties of undefined (reading 'path')", "TypeError")
    if not check_access(ctx.state, ctx.user, ["read:history"], page_access(page, ctx.state)):
        raise wiki_error("PageHistoryForbidden", where="history")
    return history_trail(ctx.state, id, offsetPage or 0, offsetSize or 100)


def version(_obj: Any, info: Info, pageId: int, versionId: int) -> dict[str, Any] | None:
    ctx = context(info)
    page = ctx.state.pages.get(pageId)
    if page is None:
        raise PlainError("Cannot read properties of undefined (reading 'path')", "TypeError")
    if not check_access(ctx.state, ctx.user, ["read:history"], page_access(page, ctx.state)):
        raise wiki_error("PageHistoryForbidden", where="version")
    entry = ctx.state.history.get(versionId)
    if entry is None or entry.page_id != pageId:
        return None
    author = ctx.state.users.get(entry.author_id)
    return {
        "action": entry.action,
        "authorId": str(entry.author_id),
        "authorName": author.name if author else "",
        "content": entry.content,
        "contentType": entry.content_type,
        "createdAt": entry.created_at,
        "description": entry.description,
        "editor": entry.editor,
        "isPrivate": entry.is_private,
        "isPublished": entry.is_published,
        "locale": entry.locale,
        "pageId": entry.page_id,
        "path": entry.path,
        "publishEndDate": entry.publish_end_date,
        "publishStartDate": entry.publish_start_date,
        "tags": [],
        "title": entry.title,
        "versionDate": entry.version_date,
        "versionId": entry.id,
    }


def tags_query(_obj: Any, info: Info) -> list[dict[str, Any]]:
    ctx = context(info)
    state = ctx.state
    seen: dict[int, Tag] = {}
    for page in state.pages.values():
        if check_access(
            state, ctx.user, ["read:pages"], {"path": page.path, "locale": page.locale}
        ):
            for tag in state.page_tags(page):
                seen[tag.id] = tag
    return [tag_dict(t) for t in sorted(seen.values(), key=lambda t: t.tag)]


def search_tags(_obj: Any, info: Info, query: str) -> list[str]:
    ctx = context(info)
    state = ctx.state
    needle = query.strip().lower()
    found: list[str] = []
    for page in sorted(state.pages.values(), key=lambda p: p.id):
        if not check_access(
            state, ctx.user, ["read:pages"], {"path": page.path, "locale": page.locale}
        ):
            continue
        for tag in state.page_tags(page):
            if needle in tag.tag.lower() and tag.tag not in found:
                found.append(tag.tag)
    return found[:5]


def tree(
    _obj: Any,
    info: Info,
    mode: str,
    locale: str,
    path: str | None = None,
    parent: int | None = None,
    includeAncestors: bool | None = None,
) -> list[dict[str, Any]]:
    ctx = context(info)
    nodes = page_tree(ctx.state)
    current: dict[str, Any] | None = None
    if path and not parent:
        current = next((n for n in nodes if n["path"] == path and n["locale"] == locale), None)
        if current is None:
            return []
        parent = current["parent"] or 0
    if mode == "PAGES":
        # Wiki.js 2.5.314 builds this filter with a knex method that does not
        # exist, so the field fails for every PAGES query that gets this far
        # (the SDK's pages.tree asks for ALL and keeps the pages).
        raise PlainError("builder.andWhereNotNull is not a function")
    selected = []
    for node in nodes:
        if node["locale"] != locale:
            continue
        if mode == "FOLDERS" and not node["isFolder"]:
            continue
        if mode == "PAGES" and node["pageId"] is None:
            continue
        if not parent or parent < 1:
            if node["parent"] is not None:
                continue
        elif node["parent"] != parent and not (
            includeAncestors and current is not None and node["id"] in current["ancestors"]
        ):
            continue
        selected.append(node)
    selected.sort(key=lambda n: (not n["isFolder"], n["title"]))
    return [
        {**n, "parent": n["parent"] or 0}
        for n in selected
        if check_access(ctx.state, ctx.user, ["read:pages"], {"path": n["path"], "locale": locale})
    ]


def links(_obj: Any, info: Info, locale: str) -> list[dict[str, Any]]:
    # Locale-prefixed paths, as Wiki.js 2.5's page resolver builds them
    # (`${args.locale}/${val.path}` and `${val.locale}/${val.link}`).
    ctx = context(info)
    state = ctx.state
    results: list[dict[str, Any]] = []
    for page in sorted(state.pages.values(), key=lambda p: p.id):
        if page.locale != locale:
            continue
        if not check_access(state, ctx.user, ["read:pages"], {"path": page.path, "locale": locale}):
            continue
        results.append(
            {
                "id": page.id,
                "title": page.title,
                "path": f"{locale}/{page.path}",
                "links": [
                    f"{link_locale}/{link_path}"
                    for link_locale, link_path in page.links
                    if check_access(
                        state, ctx.user, ["read:pages"], {"path": link_path, "locale": link_locale}
                    )
                ],
            }
        )
    return results


def check_conflicts(_obj: Any, info: Info, id: int, checkoutDate: str) -> bool:
    ctx = context(info)
    page = _page_or_raise(ctx, id, "checkConflicts")
    if not check_access(
        ctx.state, ctx.user, ["write:pages", "manage:pages"], page_access(page, ctx.state)
    ):
        raise wiki_error("PageUpdateForbidden", where="checkConflicts")
    try:
        return parse_iso(page.updated_at) > parse_iso(checkoutDate)
    except ValueError:
        return False


def conflict_latest(_obj: Any, info: Info, id: int) -> dict[str, Any]:
    ctx = context(info)
    page = _page_or_raise(ctx, id, "conflictLatest")
    if not check_access(
        ctx.state, ctx.user, ["write:pages", "manage:pages"], page_access(page, ctx.state)
    ):
        raise wiki_error("PageViewForbidden", where="conflictLatest")
    author = ctx.state.users.get(page.author_id)
    return {
        "id": page.id,
        "authorId": str(page.author_id),
        "authorName": author.name if author else "",
        "content": page.content,
        "createdAt": page.created_at,
        "description": page.description,
        "isPublished": page.is_published,
        "locale": page.locale,
        "path": page.path,
        "tags": [t.tag for t in ctx.state.page_tags(page)],
        "title": page.title,
        "updatedAt": page.updated_at,
    }


# -- mutations ------------------------------------------------------------------


def create_page(ctx: Context, args: dict[str, Any]) -> Page:
    """``pages.createPage``; raises the Wiki.js error on failure."""
    state = ctx.state
    path = normalise_page_path(str(args["path"]))
    if path is None:
        raise wiki_error("PageIllegalPath")
    locale = str(args["locale"])
    if not check_access(state, ctx.user, ["write:pages"], {"locale": locale, "path": path}):
        raise wiki_error("PageDeleteForbidden" if ctx.quirks else "PageCreateForbidden")
    if state.find_page(path, locale) is not None:
        raise wiki_error("PageDuplicateCreate")
    content = args.get("content")
    if not content or not str(content).strip():
        raise wiki_error("PageEmptyContent")
    editor = str(args["editor"])
    if editor not in CONTENT_TYPES:
        raise foreign_key_error(_INSERT_PAGE, "pages_editorkey_foreign")
    if not locale_installed(state, locale):
        raise foreign_key_error(_INSERT_PAGE, "pages_localecode_foreign")
    access = {"locale": locale, "path": path}
    now = ctx.core.iso()
    is_private = bool(args.get("isPrivate"))
    page = Page(
        id=state.next_id("pages"),
        path=path,
        locale=locale,
        title=str(args["title"]),
        description=str(args.get("description") or ""),
        content=str(content),
        editor=editor,
        content_type=CONTENT_TYPES.get(editor, "text"),
        is_private=is_private,
        is_published=bool(args.get("isPublished")),
        author_id=ctx.user.id,
        creator_id=ctx.user.id,
        created_at=now,
        updated_at=now,
        hash=page_hash(path, locale, "TODO" if is_private else ""),
        publish_start_date=args.get("publishStartDate") or "",
        publish_end_date=args.get("publishEndDate") or "",
        script_css=minify_css(args.get("scriptCss") or "")
        if check_access(state, ctx.user, ["write:styles"], access)
        else "",
        script_js=(args.get("scriptJs") or "")
        if check_access(state, ctx.user, ["write:scripts"], access)
        else "",
    )
    state.pages[page.id] = page
    associate_tags(ctx, page, list(args.get("tags") or []))
    ctx.core.render_page(page)
    ctx.core.reconnect_links(locale, path, "create")
    return page


def update_page(ctx: Context, args: dict[str, Any], action: str = "updated") -> Page:
    """``pages.updatePage``.

    Quirks (``quirks=True``): not a partial update. Omitted ``isPublished``
    unpublishes, omitted scripts and publish dates are blanked, omitted
    ``tags`` fail *after* the row was written (render left stale). Omitted
    ``title``/``description`` are kept (undefined is skipped by the ORM).
    """
    state = ctx.state
    page = state.pages.get(int(args["id"]))
    if page is None:
        raise PlainError("Invalid Page Id")
    access = page_access(page, state)
    if not check_access(state, ctx.user, ["write:pages"], access):
        raise wiki_error("PageUpdateForbidden")
    partial = not ctx.quirks
    content = args.get("content")
    if content is None and partial:
        content = page.content
    if not content or not str(content).strip():
        raise wiki_error("PageEmptyContent")
    add_version(ctx, page, action)
    target = {"locale": args.get("locale"), "path": args.get("path")}
    if ("scriptCss" in args or not partial) and check_access(
        state, ctx.user, ["write:styles"], target
    ):
        page.script_css = minify_css(args.get("scriptCss") or "")
    if ("scriptJs" in args or not partial) and check_access(
        state, ctx.user, ["write:scripts"], target
    ):
        page.script_js = args.get("scriptJs") or ""
    page.author_id = ctx.user.id
    page.content = str(content)
    if args.get("description") is not None:
        page.description = str(args["description"])
    if args.get("title") is not None:
        page.title = str(args["title"])
    if args.get("isPublished") is not None or not partial:
        page.is_published = bool(args.get("isPublished"))
    for key, attr in (
        ("publishStartDate", "publish_start_date"),
        ("publishEndDate", "publish_end_date"),
    ):
        if key in args or not partial:
            setattr(page, attr, args.get(key) or "")
    if args.get("isPrivate") is not None and partial:
        page.is_private = bool(args["isPrivate"])
    if args.get("editor") is not None and partial:
        page.editor = str(args["editor"])
        page.content_type = CONTENT_TYPES.get(page.editor, "text")
    page.updated_at = ctx.core.iso()
    tags = args.get("tags")
    if tags is None and partial:
        tags = [t.tag for t in state.page_tags(page)]
    associate_tags(ctx, page, tags)
    ctx.core.render_page(page)
    new_locale = args.get("locale")
    new_path = args.get("path")
    if (new_locale and new_locale != page.locale) or (new_path and new_path != page.path):
        # Quirk: without a locale the move looks its destination up with `undefined`.
        fallback = None if ctx.quirks else page.locale
        move_page(ctx, page, str(new_path or page.path), new_locale or fallback)
    return page


def move_page(ctx: Context, page: Page, destination: str, locale: str | None) -> None:
    state = ctx.state
    path = normalise_page_path(destination)
    if path is None:
        raise wiki_error("PageIllegalPath")
    if not check_access(state, ctx.user, ["manage:pages"], page_access(page, state)):
        raise wiki_error("PageMoveForbidden")
    if not check_access(state, ctx.user, ["write:pages"], {"locale": locale, "path": path}):
        raise wiki_error("PageMoveForbidden")
    if locale is None:
        raise PlainError(_UNDEFINED_WHERE)
    if state.find_page(path, locale) is not None:
        raise wiki_error("PagePathCollision")
    add_version(ctx, page, "moved")
    if not locale_installed(state, locale):
        raise foreign_key_error(_MOVE_PAGE, "pages_localecode_foreign")
    ctx.tree_rebuilds += 1
    source = (page.locale, page.path)
    if page.title == page.path:
        page.title = path
    page.path = path
    page.locale = locale
    page.hash = page_hash(path, locale, "TODO" if page.is_private else "")
    page.updated_at = ctx.core.iso()
    ctx.core.reconnect_links(locale, path, "move", source)
    ctx.core.reconnect_links(locale, path, "create")


def m_create(ctx: Context, **args: Any) -> dict[str, Any]:
    page = create_page(ctx, args)
    answer = page_dict(ctx, page, mutation_result=True)
    if ctx.quirks:
        # The answer is the row read before the render job ran: no HTML yet.
        answer["render"] = None
    return {"responseResult": success("Page created successfully."), "page": answer}


def m_update(ctx: Context, **args: Any) -> dict[str, Any]:
    before = ctx.state.pages.get(int(args["id"]))
    previous = before.render if before is not None else None
    page = update_page(ctx, args)
    answer = page_dict(ctx, page, mutation_result=True)
    if ctx.quirks:
        # The answer is the row read before the render job ran: the old HTML.
        answer["render"] = previous
    return {"responseResult": success("Page has been updated."), "page": answer}


def m_delete(ctx: Context, id: int) -> dict[str, Any]:
    state = ctx.state
    page = state.pages.get(id)
    if page is None:
        raise wiki_error("PageNotFound")
    if not check_access(state, ctx.user, ["delete:pages"], page_access(page, state)):
        raise wiki_error("PageDeleteForbidden")
    add_version(ctx, page, "deleted")
    del state.pages[id]
    ctx.core.reconnect_links(page.locale, page.path, "delete")
    if ctx.core.meter is not None:
        ctx.core.meter.page_deleted()
    for comment_id in [c.id for c in state.comments.values() if c.page_id == id]:
        del state.comments[comment_id]
    return {"responseResult": success("Page has been deleted.")}


def m_move(ctx: Context, id: int, destinationPath: str, destinationLocale: str) -> dict[str, Any]:
    page = ctx.state.pages.get(id)
    if page is None:
        raise wiki_error("PageNotFound")
    move_page(ctx, page, destinationPath, destinationLocale)
    return {"responseResult": success("Page has been moved.")}


def m_convert(ctx: Context, id: int, editor: str) -> dict[str, Any]:
    """``pages.convertPage``: markdown to HTML takes the render; HTML to markdown
    (turndown in Wiki.js) keeps the content here. No render follows."""
    page = ctx.state.pages.get(id)
    if page is None:
        raise PlainError("Invalid Page Id")
    if page.editor == editor:
        raise PlainError("Page is already using this editor. Nothing to convert.")
    if not check_access(ctx.state, ctx.user, ["write:pages"], page_access(page, ctx.state)):
        raise wiki_error("PageUpdateForbidden")
    new_type = CONTENT_TYPES.get(editor, "text")
    if page.content_type != new_type:
        if (page.content_type, new_type) not in (("markdown", "html"), ("html", "markdown")):
            raise PlainError("Unsupported source / destination content types combination.")
        if page.content_type == "markdown" and not page.render:
            raise PlainError("Aborted conversion because rendered page content is empty!")
        add_version(ctx, page, "updated")
        if page.content_type == "markdown":
            page.content = page.render
    page.editor = editor
    page.content_type = new_type
    page.updated_at = ctx.core.iso()
    return {"responseResult": success("Page has been converted.")}


def m_restore(ctx: Context, pageId: int, versionId: int) -> dict[str, Any]:
    state = ctx.state
    page = state.pages.get(pageId)
    if page is None:
        raise wiki_error("PageNotFound")
    if not check_access(state, ctx.user, ["write:pages"], page_access(page, state)):
        raise wiki_error("PageRestoreForbidden")
    entry = state.history.get(versionId)
    if entry is None or entry.page_id != pageId:
        raise wiki_error("PageNotFound")
    update_page(
        ctx,
        {
            "id": pageId,
            "content": entry.content,
            "description": entry.description,
            "title": entry.title,
            "isPublished": entry.is_published,
            "isPrivate": entry.is_private,
            "publishStartDate": entry.publish_start_date,
            "publishEndDate": entry.publish_end_date,
            # pageHistory.getVersion hands over no scripts and `tags: []`: the page
            # loses its tags (and an author with write:styles/scripts, its scripts)
            "scriptCss": None if ctx.quirks else entry.script_css,
            "scriptJs": None if ctx.quirks else entry.script_js,
            "tags": [] if ctx.quirks else [t.tag for t in state.page_tags(page)],
            "path": entry.path,
            "locale": entry.locale,
        },
        action="restored",
    )
    return {"responseResult": success("Page version restored successfully.")}


def m_render(ctx: Context, id: int) -> dict[str, Any]:
    page = ctx.state.pages.get(id)
    if page is None:
        raise wiki_error("PageNotFound")
    ctx.core.render_page(page)
    return {"responseResult": success("Page rendered successfully.")}


def m_delete_tag(ctx: Context, id: int) -> dict[str, Any]:
    state = ctx.state
    if id not in state.tags:
        raise PlainError("This tag does not exist.")
    del state.tags[id]
    for page in state.pages.values():
        page.tag_ids = [t for t in page.tag_ids if t != id]
    return {"responseResult": success("Tag has been deleted.")}


def m_update_tag(ctx: Context, id: int, tag: str, title: str) -> dict[str, Any]:
    row = ctx.state.tags.get(id)
    if row is None:
        raise PlainError("This tag does not exist.")
    row.tag = tag.strip().lower()
    row.title = title.strip()
    row.updated_at = ctx.core.iso()
    return {"responseResult": success("Tag has been updated successfully.")}


def m_flush_cache(_ctx: Context) -> dict[str, Any]:
    return {"responseResult": success("Pages Cache has been flushed successfully.")}


def m_rebuild_tree(_ctx: Context) -> dict[str, Any]:
    return {"responseResult": success("Page tree rebuilt successfully.")}


def m_migrate(ctx: Context, sourceLocale: str, targetLocale: str) -> dict[str, Any]:
    count = 0
    for page in ctx.state.pages.values():
        if page.locale == sourceLocale and ctx.state.find_page(page.path, targetLocale) is None:
            page.locale = targetLocale
            count += 1
    return {
        "responseResult": success("Migrated content to target locale successfully."),
        "count": count,
    }


def m_purge_history(ctx: Context, olderThan: str) -> dict[str, Any]:
    cutoff = ctx.core.now() - parse_duration(olderThan)
    state = ctx.state
    for vid in [v.id for v in state.history.values() if parse_iso(v.version_date) < cutoff]:
        del state.history[vid]
    return {"responseResult": success("Page history purged successfully.")}


def bind(registry: Registry) -> None:
    registry.namespace(
        "PageQuery",
        {
            "single": single,
            "singleByPath": single_by_path,
            "list": list_pages,
            "search": search,
            "history": history,
            "version": version,
            "tags": tags_query,
            "searchTags": search_tags,
            "tree": tree,
            "links": links,
            "checkConflicts": check_conflicts,
            "conflictLatest": conflict_latest,
        },
    )
    registry.namespace(
        "PageMutation",
        {
            "create": guarded(m_create),
            "update": guarded(m_update),
            "delete": guarded(m_delete),
            "move": guarded(m_move),
            "convert": guarded(m_convert),
            "restore": guarded(m_restore),
            "render": guarded(m_render),
            "deleteTag": guarded(m_delete_tag),
            "updateTag": guarded(m_update_tag),
            "flushCache": guarded(m_flush_cache),
            "rebuildTree": guarded(m_rebuild_tree),
            "migrateToLocale": guarded(m_migrate),
            "purgeHistory": guarded(m_purge_history),
        },
    )
    registry.add("Page", "toc", resolve_toc)
    registry.add("Page", "tags", resolve_page_tags)
