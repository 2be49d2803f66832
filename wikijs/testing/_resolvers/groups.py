"""``groups``: permissions, page rules and memberships."""

from __future__ import annotations

import importlib
import re
from typing import Any

from graphql import GraphQLResolveInfo

from .._errors import GraphQLMessageError, response_result, success
from .._state import DEFAULT_GROUP_PERMISSIONS, GUEST_ID, Group, default_page_rule
from ._common import Context, Registry, context

Info = GraphQLResolveInfo

_ELEVATED = ("users", "groups", "navigation", "theme", "api", "system")
_REPEATS = frozenset({"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"})


def safe_regex(pattern: str, limit: int = 25) -> bool:
    """The npm ``safe-regex`` check Wiki.js runs on REGEX page rules: the pattern
    parses, no repetition nests inside another (star height 1) and there are at
    most ``limit`` repetitions in all."""
    # The stdlib's regex parser: re._parser since 3.11, sre_parse before.
    parser = getattr(re, "_parser", None) or importlib.import_module("sre_parse")
    try:
        parsed = parser.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    repetitions = 0

    def walk(items: Any, height: int) -> bool:
        nonlocal repetitions
        for op, value in items:
            name = str(op)
            if name in _REPEATS:
                repetitions += 1
                if height + 1 > 1 or repetitions > limit:
                    return False
                if not walk(value[2], height + 1):
                    return False
            elif name == "SUBPATTERN":
                if not walk(value[-1], height):
                    return False
            elif name == "BRANCH":
                if not all(walk(branch, height) for branch in value[1]):
                    return False
            elif name in ("ASSERT", "ASSERT_NOT"):
                if not walk(value[1], height):
                    return False
        return True

    return walk(parsed, 0)


def group_full(ctx: Context, group: Group) -> dict[str, Any]:
    return {
        "id": group.id,
        "name": group.name,
        "isSystem": group.is_system,
        "redirectOnLogin": group.redirect_on_login,
        "permissions": list(group.permissions),
        "pageRules": [dict(rule) for rule in group.page_rules],
        "createdAt": group.created_at,
        "updatedAt": group.updated_at,
        "_id": group.id,
    }


def resolve_users(obj: dict[str, Any], info: Info) -> list[dict[str, Any]]:
    ctx = context(info)
    state = ctx.state
    return [
        {
            "id": u.id,
            "name": u.name,
            "email": u.email,
            "providerKey": u.provider_key,
            "isSystem": u.is_system,
            "isActive": u.is_active,
            "createdAt": u.created_at,
            "lastLoginAt": u.last_login_at,
        }
        for u in (state.users[uid] for uid in state.user_ids_in(int(obj["_id"])))
    ]


def list_groups(
    _obj: Any, info: Info, filter: str | None = None, orderBy: str | None = None
) -> list[dict[str, Any]]:
    ctx = context(info)
    state = ctx.state
    return [
        {
            "id": g.id,
            "name": g.name,
            "isSystem": g.is_system,
            "userCount": len(state.user_ids_in(g.id)),
            "createdAt": g.created_at,
            "updatedAt": g.updated_at,
        }
        for g in sorted(state.groups.values(), key=lambda g: g.id)
    ]


def single(_obj: Any, info: Info, id: int) -> dict[str, Any] | None:
    ctx = context(info)
    group = ctx.state.groups.get(id)
    return group_full(ctx, group) if group else None


def _exclusive(ctx: Context, included: tuple[str, ...], excluded: tuple[str, ...]) -> bool:
    """``checkExclusiveAccess``: has one of ``included`` but none of ``excluded``."""
    perms = set(ctx.user.permissions)
    return bool(perms & set(included)) and not perms & set(excluded)


def _fail(ctx: Context, message: str) -> dict[str, Any]:
    """Wiki.js throws here; ``quirks=False`` answers with a ``responseResult`` instead."""
    if ctx.quirks:
        raise GraphQLMessageError(message)
    return {"responseResult": response_result(ValueError(message))}


def assign_user(_obj: Any, info: Info, groupId: int, userId: int) -> dict[str, Any]:
    """Quirk: failures are thrown into ``errors[]``, not returned as ``responseResult``."""
    ctx = context(info)
    state = ctx.state
    if userId == GUEST_ID:
        return _fail(ctx, "Cannot assign the Guest user to a group.")
    group = state.groups.get(groupId)
    if group is None:
        return _fail(ctx, "Invalid Group ID")
    if _exclusive(
        ctx, ("manage:users", "write:groups"), ("manage:groups", "manage:system")
    ) and any(p.split(":")[-1] in _ELEVATED for p in group.permissions):
        return _fail(ctx, "You are not authorized to assign a user to this administrative group.")
    if _exclusive(ctx, ("manage:groups",), ("manage:system",)) and any(
        p.split(":")[-1] == "system" for p in group.permissions
    ):
        return _fail(
            ctx,
            "You are not authorized to assign a user to a group with the manage:system permission.",
        )
    if userId not in state.users:
        return _fail(ctx, "Invalid User ID")
    if (userId, groupId) in state.user_groups:
        return _fail(ctx, "User is already assigned to group.")
    state.user_groups.append((userId, groupId))
    ctx.core.revoke_tokens("u", userId)
    return {"responseResult": success("User has been assigned to group.")}


def unassign_user(_obj: Any, info: Info, groupId: int, userId: int) -> dict[str, Any]:
    ctx = context(info)
    state = ctx.state
    if userId == GUEST_ID:
        return _fail(ctx, "Cannot unassign Guest user")
    if userId == 1 and groupId == 1:
        return _fail(ctx, "Cannot unassign Administrator user from Administrators group.")
    if groupId not in state.groups:
        return _fail(ctx, "Invalid Group ID")
    if userId not in state.users:
        return _fail(ctx, "Invalid User ID")
    state.user_groups = [(u, g) for u, g in state.user_groups if (u, g) != (userId, groupId)]
    ctx.core.revoke_tokens("u", userId)
    return {"responseResult": success("User has been unassigned from group.")}


def create_group(ctx: Context, name: str) -> Group:
    state = ctx.state
    now = ctx.core.iso()
    group = Group(
        id=state.next_id("groups"),
        name=name,
        permissions=list(DEFAULT_GROUP_PERMISSIONS),
        page_rules=[default_page_rule(DEFAULT_GROUP_PERMISSIONS)],
        created_at=now,
        updated_at=now,
    )
    state.groups[group.id] = group
    return group


def create(_obj: Any, info: Info, name: str) -> dict[str, Any]:
    ctx = context(info)
    group = create_group(ctx, name)
    return {
        "responseResult": success("Group created successfully."),
        "group": group_full(ctx, group),
    }


def update(
    _obj: Any,
    info: Info,
    id: int,
    name: str,
    permissions: list[str | None],
    pageRules: list[dict[str, Any] | None],
    redirectOnLogin: str | None = None,  # required from Wiki.js 2.5.105, absent before
) -> dict[str, Any]:
    ctx = context(info)
    state = ctx.state
    rules = [rule for rule in pageRules if rule is not None]
    if any(r.get("match") == "REGEX" and not safe_regex(str(r.get("path", ""))) for r in rules):
        return _fail(ctx, "Some Page Rules contains unsafe or exponential time regex.")
    perms = [p for p in permissions if p is not None]
    if _exclusive(ctx, ("write:groups",), ("manage:groups", "manage:system")) and any(
        p.split(":")[-1] in _ELEVATED for p in perms
    ):
        return _fail(
            ctx,
            "You are not authorized to manage this group or assign these administrative "
            "permissions.",
        )
    if _exclusive(ctx, ("manage:groups",), ("manage:system",)) and any(
        p.split(":")[-1] == "system" for p in perms
    ):
        return _fail(
            ctx,
            "You are not authorized to manage this group or assign the manage:system permissions.",
        )
    group = state.groups.get(id)
    if group is not None:
        group.name = name
        if redirectOnLogin is not None:
            group.redirect_on_login = redirectOnLogin or "/"
        group.permissions = perms
        group.page_rules = [dict(rule) for rule in rules]
        group.updated_at = ctx.core.iso()
    ctx.core.revoke_tokens("g", id)
    return {"responseResult": success("Group has been updated.")}


def delete(_obj: Any, info: Info, id: int) -> dict[str, Any]:
    ctx = context(info)
    state = ctx.state
    if id in (1, 2):
        return _fail(ctx, "Cannot delete this group.")
    state.groups.pop(id, None)
    state.user_groups = [(u, g) for u, g in state.user_groups if g != id]
    ctx.core.revoke_tokens("g", id)
    return {"responseResult": success("Group has been deleted.")}


def bind(registry: Registry) -> None:
    registry.namespace("GroupQuery", {"list": list_groups, "single": single})
    registry.namespace(
        "GroupMutation",
        {
            "create": create,
            "update": update,
            "delete": delete,
            "assignUser": assign_user,
            "unassignUser": unassign_user,
        },
    )
    registry.add("Group", "users", resolve_users)
