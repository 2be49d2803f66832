"""``comments``: the default comment provider, and the providers' settings."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from .._auth import check_access
from .._clock import parse_iso
from .._errors import PlainError, success, wiki_error
from .._modules import unwrap_config
from .._render import render_markdown
from .._state import GUEST_ID, Comment
from ._common import Context, Registry, context, guarded

Info = GraphQLResolveInfo

OMITTED: Any = object()
_REPLY_TO_NULL = (
    'insert into "comments" ("authorId", "content", "createdAt", "email", "ip", "name", '
    '"pageId", "render", "replyTo", "updatedAt") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, '
    '$10) returning "id" - null value in column "replyTo" of relation "comments" violates '
    "not-null constraint"
)


def comment_dict(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.id,
        "content": comment.content,
        "render": comment.render,
        "authorId": comment.author_id,
        "authorName": comment.name,
        "authorEmail": comment.email,
        "authorIP": comment.ip,
        "createdAt": comment.created_at,
        "updatedAt": comment.updated_at,
    }


def list_comments(_obj: Any, info: Info, locale: str, path: str) -> list[dict[str, Any]]:
    ctx = context(info)
    page = ctx.state.find_page(path, locale)
    if page is None:
        return []
    if not check_access(ctx.state, ctx.user, ["read:comments"], {"path": path, "locale": locale}):
        raise wiki_error("CommentViewForbidden", where="list")
    rows = [c for c in ctx.state.comments.values() if c.page_id == page.id]
    return [comment_dict(c) for c in sorted(rows, key=lambda c: (c.created_at, c.id))]


def single(_obj: Any, info: Info, id: int) -> dict[str, Any]:
    ctx = context(info)
    comment = ctx.state.comments.get(id)
    page = ctx.state.pages.get(comment.page_id) if comment else None
    if comment is None or page is None:
        raise wiki_error("CommentNotFound", where="single")
    if not check_access(
        ctx.state, ctx.user, ["read:comments"], {"path": page.path, "locale": page.locale}
    ):
        raise wiki_error("CommentViewForbidden", where="single")
    return comment_dict(comment)


def m_create(
    ctx: Context,
    pageId: int,
    content: str,
    replyTo: Any = OMITTED,
    guestName: str | None = None,
    guestEmail: str | None = None,
    *,
    seeding: bool = False,
) -> dict[str, Any]:
    """``comments.create``; ``seeding`` (the fake's own helpers) skips the per-author delay."""
    state = ctx.state
    page = state.pages.get(pageId)
    if page is None:
        raise wiki_error("PageNotFound")
    if not check_access(
        state, ctx.user, ["write:comments"], {"path": page.path, "locale": page.locale}
    ):
        raise wiki_error("CommentPostForbidden")
    if len(content.strip()) < 2:
        raise wiki_error("CommentContentMissing")
    if ctx.user.id == GUEST_ID:
        if not guestName or len(guestName.strip()) < 2 or not guestEmail or "@" not in guestEmail:
            raise wiki_error("InputInvalid")
        name, email = guestName.strip(), guestEmail.strip()
    else:
        user = state.users.get(ctx.user.id)
        name = user.name if user else ctx.user.name
        email = user.email if user else ctx.user.email
    provider = state.admin.modules["commentProviders"].get("default")
    min_delay = (provider.config.get("minDelay") if provider else None) or 0
    if not seeding and isinstance(min_delay, int | float) and min_delay > 0:
        # server/modules/comments/default/comment.js: one comment per author (all guests
        # count as one) every minDelay seconds
        last = max(
            (
                parse_iso(c.updated_at)
                for c in state.comments.values()
                if c.author_id == ctx.user.id
            ),
            default=None,
        )
        if last is not None and ctx.core.now() - min_delay < last:
            raise PlainError(
                "Your administrator has set a time limit before you can post another "
                "comment. Try again later."
            )
    if replyTo is None:
        # given as null (not left out): the insert carries it, and the column is NOT NULL
        raise PlainError(_REPLY_TO_NULL, name="NotNullViolationError")
    now = ctx.core.iso()
    comment = Comment(
        id=state.next_id("comments"),
        page_id=page.id,
        content=content,
        render=render_markdown(content, page.locale).html,
        author_id=ctx.user.id,
        name=name,
        email=email,
        ip=ctx.client,
        reply_to=0 if replyTo is OMITTED else int(replyTo),
        created_at=now,
        updated_at=now,
    )
    state.comments[comment.id] = comment
    return {"responseResult": success("New comment posted successfully"), "id": comment.id}


def _editable(ctx: Context, id: int) -> Comment:
    state = ctx.state
    comment = state.comments.get(id)
    page = state.pages.get(comment.page_id) if comment else None
    if comment is None or page is None:
        raise wiki_error("CommentNotFound")
    access = {"path": page.path, "locale": page.locale}
    may_manage = check_access(state, ctx.user, ["manage:comments"], access)
    is_author = comment.author_id == ctx.user.id and ctx.user.id != GUEST_ID
    if not may_manage and not (
        is_author and check_access(state, ctx.user, ["write:comments"], access)
    ):
        raise wiki_error("CommentManageForbidden")
    return comment


def m_update(ctx: Context, id: int, content: str) -> dict[str, Any]:
    comment = _editable(ctx, id)
    if len(content.strip()) < 2:
        raise wiki_error("CommentContentMissing")
    comment.content = content
    comment.render = render_markdown(content).html
    comment.updated_at = ctx.core.iso()
    return {"responseResult": success("Comment updated successfully"), "render": comment.render}


def m_delete(ctx: Context, id: int) -> dict[str, Any]:
    comment = _editable(ctx, id)
    del ctx.state.comments[comment.id]
    return {"responseResult": success("Comment deleted successfully")}


def providers(_obj: Any, info: Info) -> list[dict[str, Any]]:
    """``commentProviders.getProviders()``, sorted by key; settings the module defines."""
    rows = context(info).state.admin.modules["commentProviders"].values()
    listed = [
        {
            **m.info,
            "key": m.key,
            "isEnabled": m.is_enabled,
            "config": m.config_pairs(known_only=True),
        }
        for m in rows
    ]
    return sorted(listed, key=lambda p: p["key"])


def m_update_providers(
    ctx: Context, providers: list[dict[str, Any] | None] | None
) -> dict[str, Any]:
    admin = ctx.state.admin
    rows = admin.modules["commentProviders"]
    for provider in providers or []:
        if provider is None:
            continue
        module = rows.get(provider["key"])
        if module is None:
            continue
        module.is_enabled = provider["isEnabled"]
        module.config = unwrap_config(provider.get("config"))
        admin.touch("commentProviders", module.key)
    # initProvider: the first enabled row (in table order) becomes the provider.
    active = next((m.key for m in rows.values() if m.is_enabled), None)
    if active is not None:
        admin.comment_provider = active
    return {"responseResult": success("Comment Providers updated successfully")}


def bind(registry: Registry) -> None:
    registry.namespace(
        "CommentQuery", {"list": list_comments, "single": single, "providers": providers}
    )
    registry.namespace(
        "CommentMutation",
        {
            "create": guarded(m_create),
            "update": guarded(m_update),
            "delete": guarded(m_delete),
            "updateProviders": guarded(m_update_providers),
        },
    )
