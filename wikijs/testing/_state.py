"""The fake's data model: plain rows, as Wiki.js keeps them in its database.

Everything here is guarded by :attr:`State.lock` (held by the caller); the
resolvers read and write these rows directly.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import _facts as wikijs_facts
from .._facts import PERMISSIONS, stored_filename
from .._facts import sanitize_filename as facts_sanitize_name
from ._modules import AdminState, fresh_admin_state

ALL_PERMISSIONS: tuple[str, ...] = PERMISSIONS
DEFAULT_GROUP_PERMISSIONS: tuple[str, ...] = wikijs_facts.DEFAULT_GROUP_PERMISSIONS
GUEST_PERMISSIONS: tuple[str, ...] = wikijs_facts.GUEST_PERMISSIONS

ADMIN_ID = 1
GUEST_ID = 2
ADMIN_GROUP_ID = 1
GUEST_GROUP_ID = 2


def default_page_rule(roles: tuple[str, ...], rule_id: str = "default") -> dict[str, Any]:
    return {
        "id": rule_id,
        "deny": False,
        "match": "START",
        "roles": list(roles),
        "path": "",
        "locales": [],
    }


@dataclass
class User:
    id: int
    email: str
    name: str
    password: str
    provider_key: str = "local"
    is_system: bool = False
    is_active: bool = True
    is_verified: bool = True
    must_change_pwd: bool = False
    tfa_is_active: bool = False
    # The TOTP secret; None until a TFA set-up (enableTFA clears it).
    tfa_secret: str | None = None
    location: str = ""
    job_title: str = ""
    timezone: str = "America/New_York"
    date_format: str = ""
    appearance: str = ""
    locale: str = "en"
    created_at: str = ""
    updated_at: str = ""
    last_login_at: str | None = None
    # Postgres hands rows back in physical order, and an UPDATE moves a row
    # to the end: ``users.list`` (no ORDER BY) shows recently written users last.
    row_seq: int = 0


@dataclass
class Group:
    id: int
    name: str
    permissions: list[str]
    page_rules: list[dict[str, Any]]
    is_system: bool = False
    redirect_on_login: str = "/"
    created_at: str = ""
    updated_at: str = ""


@dataclass
class Tag:
    id: int
    tag: str
    title: str
    created_at: str
    updated_at: str


@dataclass
class Page:
    id: int
    path: str
    locale: str
    title: str
    description: str
    content: str
    editor: str
    content_type: str
    is_private: bool
    is_published: bool
    author_id: int
    creator_id: int
    created_at: str
    updated_at: str
    hash: str = ""
    private_ns: str | None = None
    publish_start_date: str = ""
    publish_end_date: str = ""
    render: str = ""
    toc: list[dict[str, Any]] = field(default_factory=list)
    script_css: str = ""
    script_js: str = ""
    tag_ids: list[int] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class PageVersion:
    id: int
    page_id: int
    action: str
    path: str
    locale: str
    title: str
    description: str
    content: str
    content_type: str
    editor: str
    is_private: bool
    is_published: bool
    publish_start_date: str
    publish_end_date: str
    author_id: int
    created_at: str
    version_date: str
    script_css: str = ""
    script_js: str = ""


@dataclass
class AssetFolder:
    id: int
    slug: str
    name: str
    parent_id: int | None


@dataclass
class Asset:
    id: int
    filename: str
    ext: str
    kind: str
    mime: str
    file_size: int
    folder_id: int | None
    author_id: int
    created_at: str
    updated_at: str
    blob: Path


@dataclass
class Comment:
    id: int
    page_id: int
    content: str
    render: str
    author_id: int
    name: str
    email: str
    ip: str
    reply_to: int
    created_at: str
    updated_at: str


@dataclass
class ApiKey:
    id: int
    name: str
    key: str
    expiration: str
    is_revoked: bool
    group_id: int
    created_at: str
    updated_at: str


@dataclass
class UserKey:
    """A row of ``userKeys``: a one-time token continuing a login (or a reset)."""

    kind: str  # "tfa", "tfaSetup", "changePwd", "resetPwd", "verify"
    user_id: int
    valid_until: float


@dataclass
class State:
    """All rows of one fake server."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    users: dict[int, User] = field(default_factory=dict)
    groups: dict[int, Group] = field(default_factory=dict)
    user_groups: list[tuple[int, int]] = field(default_factory=list)
    pages: dict[int, Page] = field(default_factory=dict)
    tags: dict[int, Tag] = field(default_factory=dict)
    history: dict[int, PageVersion] = field(default_factory=dict)
    folders: dict[int, AssetFolder] = field(default_factory=dict)
    assets: dict[int, Asset] = field(default_factory=dict)
    comments: dict[int, Comment] = field(default_factory=dict)
    api_keys: dict[int, ApiKey] = field(default_factory=dict)
    api_enabled: bool = True
    revocations: dict[str, float] = field(default_factory=dict)
    site: dict[str, Any] = field(default_factory=dict)
    nav_mode: str = "MIXED"
    nav_tree: list[dict[str, Any]] = field(default_factory=list)
    locale_config: dict[str, Any] = field(default_factory=dict)
    flags: dict[str, bool] = field(default_factory=dict)
    #: ``userKeys`` by token: login continuations, reset and verification tokens.
    continuations: dict[str, UserKey] = field(default_factory=dict)
    #: Login strategies, modules, mail, theming, telemetry, export (``_modules.py``).
    admin: AdminState = field(default_factory=fresh_admin_state)
    _counters: dict[str, Iterator[int]] = field(default_factory=dict)
    _row_seq: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def next_id(self, table: str) -> int:
        counter = self._counters.get(table)
        if counter is None:
            existing: dict[int, Any] = getattr(self, table)
            counter = itertools.count(max(existing, default=0) + 1)
            self._counters[table] = counter
        return next(counter)

    def touch_user(self, user: User) -> None:
        user.row_seq = next(self._row_seq)

    # -- relations ---------------------------------------------------------

    def group_ids_of(self, user_id: int) -> list[int]:
        return [g for u, g in self.user_groups if u == user_id and g in self.groups]

    def user_ids_in(self, group_id: int) -> list[int]:
        return [u for u, g in self.user_groups if g == group_id and u in self.users]

    def permissions_of(self, user_id: int) -> list[str]:
        perms: list[str] = []
        for gid in self.group_ids_of(user_id):
            for perm in self.groups[gid].permissions:
                if perm not in perms:
                    perms.append(perm)
        return perms

    def page_tags(self, page: Page) -> list[Tag]:
        return [self.tags[t] for t in page.tag_ids if t in self.tags]

    def find_page(self, path: str, locale: str) -> Page | None:
        for page in self.pages.values():
            if page.path == path and page.locale == locale:
                return page
        return None

    def folder_path(self, folder_id: int | None) -> str:
        """Slugs from the root to ``folder_id``, joined with ``/``."""
        parts: list[str] = []
        seen: set[int] = set()
        while folder_id is not None and folder_id in self.folders and folder_id not in seen:
            seen.add(folder_id)
            folder = self.folders[folder_id]
            parts.append(folder.slug)
            folder_id = folder.parent_id
        return "/".join(reversed(parts))

    def asset_path(self, asset: Asset) -> str:
        folder = self.folder_path(asset.folder_id)
        return f"{folder}/{asset.filename}" if folder else asset.filename


# -- helpers shared by resolvers and the HTTP layer ----------------------------

_ILLEGAL_IN_PATH = re.compile(r"[ .\\]|//")


def normalise_page_path(raw: str) -> str | None:
    """Return the stored form of a page path, or ``None`` when Wiki.js rejects it.

    Wiki.js 2.5.314 (``createPage``/``movePage``) rejects only dots (so ``..``
    too), spaces, backslashes and ``//``, then strips one leading and one
    trailing slash. It stores paths its router cannot reach — ``login``,
    ``u/x``, one-letter or locale-shaped first segments, tabs — which the SDK
    refuses before sending (``wikijs._protocol.validation``).
    """
    if _ILLEGAL_IN_PATH.search(raw):
        return None
    path = raw
    if path.endswith("/"):
        path = path[:-1]
    if path.startswith("/"):
        path = path[1:]
    return path


def page_hash(path: str, locale: str, private_ns: str = "") -> str:
    return hashlib.sha1(f"{locale}|{path}|{private_ns}".encode()).hexdigest()  # noqa: S324


#: Wiki.js's upload naming (lower-case, ``[\\s,;#]+`` to ``_``, sanitize-filename).
sanitize_filename = stored_filename
#: The npm ``sanitize-filename``: unsafe characters go, reserved names are empty.
sanitize_name = facts_sanitize_name


def file_ext(filename: str) -> str:
    """Node's ``path.extname``: the last dot-suffix, not counting a leading dot."""
    base = filename.rsplit("/", 1)[-1]
    index = base.rfind(".")
    if index <= 0:
        return ""
    return base[index:].lower()
