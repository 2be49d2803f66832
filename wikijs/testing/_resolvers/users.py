"""``users``: accounts, profiles and the local strategy's validation rules."""

from __future__ import annotations

import re
from typing import Any

from graphql import GraphQLResolveInfo

from .._errors import PlainError, success, wiki_error
from .._state import GUEST_ID, User
from ._common import Context, Registry, context, guarded

Info = GraphQLResolveInfo

_EMAIL = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]+$")
DATE_FORMATS = ("", "DD/MM/YYYY", "DD.MM.YYYY", "MM/DD/YYYY", "YYYY-MM-DD", "YYYY/MM/DD")


def minimal(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "providerKey": user.provider_key,
        "isSystem": user.is_system,
        "isActive": user.is_active,
        "createdAt": user.created_at,
        "lastLoginAt": user.last_login_at,
    }


def group_dict(ctx: Context, gid: int) -> dict[str, Any]:
    from .groups import group_full

    return group_full(ctx, ctx.state.groups[gid])


def user_full(ctx: Context, user: User) -> dict[str, Any]:
    return {
        **minimal(user),
        "providerName": "Local" if user.provider_key == "local" else user.provider_key,
        "providerId": None,
        "providerIs2FACapable": user.provider_key == "local",
        "isVerified": user.is_verified,
        "location": user.location,
        "jobTitle": user.job_title,
        "timezone": user.timezone,
        "dateFormat": user.date_format,
        "appearance": user.appearance,
        "updatedAt": user.updated_at,
        "tfaIsActive": user.tfa_is_active,
        "groups": [group_dict(ctx, gid) for gid in ctx.state.group_ids_of(user.id)],
    }


def list_users(
    _obj: Any, info: Info, filter: str | None = None, orderBy: str | None = None
) -> list[dict[str, Any]]:
    """Quirk: no ORDER BY, so Postgres's physical order (last written last)."""
    ctx = context(info)
    users = list(ctx.state.users.values())
    users.sort(key=(lambda u: u.row_seq) if ctx.quirks else (lambda u: u.id))
    return [minimal(u) for u in users]


_SEARCH_COLUMNS = ("id", "email", "name", "providerKey", "createdAt")


def search_users(_obj: Any, info: Info, query: str) -> list[dict[str, Any]]:
    """Quirk: ``LIKE`` on email or name (case-sensitive), at most 10, and only five
    columns selected: ``isSystem``/``isActive`` then fail as non-null fields and
    ``lastLoginAt`` is null."""
    ctx = context(info)
    hits = [
        u
        for u in sorted(ctx.state.users.values(), key=lambda u: u.row_seq)
        if query in u.email or query in u.name
    ]
    rows = [minimal(u) for u in hits[:10]]
    if ctx.quirks:
        rows = [{key: row[key] if key in _SEARCH_COLUMNS else None for key in row} for row in rows]
    return rows


def single(_obj: Any, info: Info, id: int) -> dict[str, Any]:
    ctx = context(info)
    user = ctx.state.users.get(id)
    if user is None:
        raise PlainError("Cannot set properties of undefined (setting 'password')", "TypeError")
    return user_full(ctx, user)


def _caller(ctx: Context, where: str) -> User:
    if ctx.user.id < 1 or ctx.user.id == GUEST_ID:
        raise wiki_error("AuthRequired", where=where)
    user = ctx.state.users.get(ctx.user.id)
    if user is None:
        raise wiki_error("AuthRequired", where=where)
    if not user.is_active:
        raise wiki_error("AuthAccountBanned", where=where)
    return user


def profile(_obj: Any, info: Info) -> dict[str, Any]:
    ctx = context(info)
    user = _caller(ctx, "profile")
    state = ctx.state
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "providerKey": user.provider_key,
        "providerName": "Local" if user.provider_key == "local" else "Unknown",
        "isSystem": user.is_system,
        "isVerified": user.is_verified,
        "location": user.location,
        "jobTitle": user.job_title,
        "timezone": user.timezone,
        "dateFormat": user.date_format,
        "appearance": user.appearance,
        "createdAt": user.created_at,
        "updatedAt": user.updated_at,
        "lastLoginAt": user.last_login_at or user.updated_at,
        "groups": [state.groups[g].name for g in state.group_ids_of(user.id)],
        "pagesTotal": sum(1 for p in state.pages.values() if p.creator_id == user.id),
    }


def last_logins(_obj: Any, info: Info) -> list[dict[str, Any]]:
    ctx = context(info)
    users = [u for u in ctx.state.users.values() if u.last_login_at]
    users.sort(key=lambda u: u.last_login_at or "", reverse=True)
    return [{"id": u.id, "name": u.name, "lastLoginAt": u.last_login_at} for u in users[:10]]


def validate_new_user(email: str, name: str, password: str | None, local: bool) -> None:
    """validate.js's first message for the local strategy's constraints."""
    if len(email) > 255 or not _EMAIL.match(email):
        raise wiki_error("InputInvalid", "Email is not a valid email")
    if local:
        if not password:
            raise wiki_error("InputInvalid", "Password raw can't be blank")
        if len(password) < 6:
            raise wiki_error("InputInvalid", "Password raw is too short (minimum is 6 characters)")
    if not name.strip():
        raise wiki_error("InputInvalid", "Name can't be blank")
    if len(name) < 2:
        raise wiki_error("InputInvalid", "Name is too short (minimum is 2 characters)")
    if len(name) > 255:
        raise wiki_error("InputInvalid", "Name is too long (maximum is 255 characters)")


def create_user(
    ctx: Context,
    email: str,
    name: str,
    passwordRaw: str | None = None,
    providerKey: str = "local",
    groups: list[int | None] | None = None,
    mustChangePassword: bool | None = None,
    sendWelcomeEmail: bool | None = None,
) -> User:
    state = ctx.state
    email = email.lower()
    validate_new_user(email, name, passwordRaw, providerKey == "local")
    if any(u.email == email and u.provider_key == providerKey for u in state.users.values()):
        raise wiki_error("AuthAccountAlreadyExists")
    now = ctx.core.iso()
    user = User(
        id=state.next_id("users"),
        email=email,
        name=name,
        password=passwordRaw or "",
        provider_key=providerKey,
        must_change_pwd=providerKey == "local" and mustChangePassword is True,
        created_at=now,
        updated_at=now,
    )
    state.users[user.id] = user
    state.touch_user(user)
    for gid in groups or []:
        if gid is not None and gid in state.groups and (user.id, gid) not in state.user_groups:
            state.user_groups.append((user.id, gid))
    return user


def m_create(ctx: Context, **args: Any) -> dict[str, Any]:
    """Quirk: the new user is never returned (``user: null``)."""
    user = create_user(ctx, **args)
    return {
        "responseResult": success("User created successfully"),
        "user": None if ctx.quirks else user_full(ctx, user),
    }


def update_user(ctx: Context, args: dict[str, Any]) -> None:
    """``users.updateUser``: empty values leave a field alone."""
    state = ctx.state
    user = state.users.get(int(args["id"]))
    if user is None:
        raise wiki_error("UserNotFound")
    email = args.get("email")
    if email and email != user.email:
        if any(
            u.email == email.lower() and u.provider_key == user.provider_key and u.id != user.id
            for u in state.users.values()
        ):
            raise wiki_error("AuthAccountAlreadyExists")
        user.email = email.lower()
    if args.get("name") and args["name"] != user.name:
        user.name = str(args["name"]).strip()
    password = args.get("newPassword")
    if password:
        if len(password) < 6:
            raise wiki_error("InputInvalid", "Password must be at least 6 characters!")
        user.password = password
    groups = args.get("groups")
    if isinstance(groups, list):
        current = state.group_ids_of(user.id)
        wanted = [g for g in groups if g is not None]
        for gid in wanted:
            if gid not in current and gid in state.groups:
                state.user_groups.append((user.id, gid))
        state.user_groups = [(u, g) for u, g in state.user_groups if u != user.id or g in wanted]
        ctx.core.revoke_tokens("u", user.id)
    for key, attr in (("location", "location"), ("jobTitle", "job_title")):
        if args.get(key):
            setattr(user, attr, str(args[key]).strip())
    if args.get("timezone"):
        user.timezone = str(args["timezone"])
    for key, attr in (("dateFormat", "date_format"), ("appearance", "appearance")):
        if args.get(key) is not None:
            setattr(user, attr, str(args[key]))
    user.updated_at = ctx.core.iso()
    state.touch_user(user)


def m_update(ctx: Context, **args: Any) -> dict[str, Any]:
    update_user(ctx, args)
    return {"responseResult": success("User updated successfully")}


def m_delete(ctx: Context, id: int, replaceId: int) -> dict[str, Any]:
    state = ctx.state
    if id <= 2:
        raise wiki_error("UserDeleteProtected")
    if id not in state.users:
        raise wiki_error("UserNotFound")
    for page in state.pages.values():
        if page.author_id == id:
            page.author_id = replaceId
        if page.creator_id == id:
            page.creator_id = replaceId
    for asset in state.assets.values():
        if asset.author_id == id:
            asset.author_id = replaceId
    for comment in state.comments.values():
        if comment.author_id == id:
            comment.author_id = replaceId
    for version in state.history.values():
        if version.author_id == id:
            version.author_id = replaceId
    del state.users[id]
    state.user_groups = [(u, g) for u, g in state.user_groups if u != id]
    ctx.core.revoke_tokens("u", id)
    return {"responseResult": success("User deleted successfully")}


def _patch(attr: str, value: bool, message: str, *, protect: bool = False) -> Any:
    def mutate(ctx: Context, id: int) -> dict[str, Any]:
        if protect and id <= 2:
            raise PlainError("Cannot deactivate system accounts.")
        user = ctx.state.users.get(id)
        if user is not None:
            setattr(user, attr, value)
            user.updated_at = ctx.core.iso()
            ctx.state.touch_user(user)
            if protect:
                ctx.core.revoke_tokens("u", id)
        return {"responseResult": success(message)}

    return mutate


def _tfa(active: bool, message: str) -> Any:
    """``enableTFA``/``disableTFA``: both clear the secret, so enabling means a new set-up."""

    def mutate(ctx: Context, id: int) -> dict[str, Any]:
        user = ctx.state.users.get(id)
        if user is not None:
            user.tfa_is_active = active
            user.tfa_secret = None
            user.updated_at = ctx.core.iso()
            ctx.state.touch_user(user)
        return {"responseResult": success(message)}

    return mutate


def reset_password(_obj: Any, _info: Info, id: int) -> bool:
    """Wiki.js 2.5 ships this mutation as ``return false``: ``responseResult`` is null."""
    return False


def m_update_profile(
    ctx: Context,
    name: str,
    location: str,
    jobTitle: str,
    timezone: str,
    dateFormat: str,
    appearance: str,
) -> dict[str, Any]:
    user = _caller(ctx, "updateProfile")
    if not user.is_verified:
        raise wiki_error("AuthAccountNotVerified")
    if dateFormat not in DATE_FORMATS or appearance not in ("", "light", "dark"):
        raise wiki_error("InputInvalid")
    update_user(
        ctx,
        {
            "id": user.id,
            "name": name.strip(),
            "jobTitle": jobTitle.strip(),
            "location": location.strip(),
            "timezone": timezone,
            "dateFormat": dateFormat,
            "appearance": appearance,
        },
    )
    return {
        "responseResult": success("User profile updated successfully"),
        "jwt": ctx.core.issue_user_token(user.id),
    }


def m_change_password(ctx: Context, current: str, new: str) -> dict[str, Any]:
    user = _caller(ctx, "changePassword")
    if not user.is_verified:
        raise wiki_error("AuthAccountNotVerified")
    if user.provider_key != "local":
        raise wiki_error("AuthProviderInvalid")
    if current != user.password:
        raise wiki_error("AuthPasswordInvalid")
    update_user(ctx, {"id": user.id, "newPassword": new})
    return {
        "responseResult": success("Password changed successfully"),
        "jwt": ctx.core.issue_user_token(user.id),
    }


def bind(registry: Registry) -> None:
    registry.namespace(
        "UserQuery",
        {
            "list": list_users,
            "search": search_users,
            "single": single,
            "profile": profile,
            "lastLogins": last_logins,
        },
    )
    registry.namespace(
        "UserMutation",
        {
            "create": guarded(m_create),
            "update": guarded(m_update),
            "delete": guarded(m_delete),
            "verify": guarded(_patch("is_verified", True, "User verified successfully")),
            "activate": guarded(_patch("is_active", True, "User activated successfully")),
            "deactivate": guarded(
                _patch("is_active", False, "User deactivated successfully", protect=True)
            ),
            "enableTFA": guarded(_tfa(True, "User 2FA enabled successfully")),
            "disableTFA": guarded(_tfa(False, "User 2FA disabled successfully")),
            "resetPassword": reset_password,
            "updateProfile": guarded(m_update_profile),
            "changePassword": guarded(m_change_password),
        },
    )
