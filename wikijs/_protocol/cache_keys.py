"""What a cached answer is keyed by, what it depends on, and when it is stale. Pure.

Keys
    ``q:<OperationName>:<digest>``, where the digest is a SHA-256 over the
    SDK version, the wiki's base URL, the identity the request runs as
    (:meth:`wikijs.auth.Auth.cache_identity`, a fingerprint, never the
    credential), the normalised document and the variables as canonical JSON.

Tags
    Every cached answer depends on a few *tags*; every mutation bumps the
    tags it can affect. The tags are strings:

    ========================  ==============================================
    ``*``                     everything (permission changes, ``clear()``)
    ``<namespace>:*``         one GraphQL namespace: ``pages:*``, ``users:*``
    ``pages:list``            lists, search, tree, tags, links of pages
    ``page:<id>``             one page: by id, its history, its versions
    ``path:<locale>/<path>``  whatever lives at a path
    ========================  ==============================================

    Tags come from the document itself (its namespace and field, and the
    arguments' values, as :func:`~wikijs._protocol.operation.describe` reads
    them), not from operation names, so any document — the generated ones,
    aliased batches, ``client.execute`` — is handled the same way. What
    cannot be analysed is not cached (queries) or bumps ``*`` (mutations).

Versions
    The backend keeps one logical clock and, per tag, the clock value of its
    last bump. A lookup reads the entry, the clock and the tags' versions in
    one round trip; a miss stores the answer with that clock reading (taken
    *before* the request was sent). An entry is fresh while no tag it depends
    on was bumped after that reading. So a write that lands while a read is
    in flight still invalidates what the read brings back, and an answer can
    carry tags learnt from its own result (the id of a page read by path).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import orjson

from .._constants import VERSION
from ..errors import InvalidArgumentError
from .operation import FieldUse, OperationFacts, describe

ALL = "*"
PAGE_LISTS = "pages:list"
#: Prefix of the cache's own bookkeeping keys (the clock, tag versions).
RESERVED_PREFIX = "_"
ENTRY_PREFIX = "q:"
CLOCK_KEY = "_clock"
VERSION_PREFIX = "_v:"

#: The per-call option: ``cache=False`` (neither read nor store),
#: ``cache="refresh"`` (fetch and store), ``cache=True`` (the default).
CACHE_OPTION = "cache"

CacheMode = Literal["use", "refresh", "off"]


def namespace_tag(namespace: str) -> str:
    """``pages`` → ``pages:*``."""
    return f"{namespace}:*"


def page_tag(page_id: int | str) -> str:
    """The tag of one page: ``page:12``."""
    return f"page:{page_id}"


def path_tag(locale: str, path: str) -> str:
    """The tag of what lives at a path: ``path:en/docs/start``."""
    return f"path:{locale}/{path.strip('/')}"


def version_key(tag: str) -> str:
    """The bookkeeping key holding a tag's version."""
    return VERSION_PREFIX + tag


# -- per-call bypass -------------------------------------------------------------

_MODE: ContextVar[CacheMode | None] = ContextVar("wikijs_cache_mode", default=None)


@contextmanager
def bypass(*, refresh: bool = False) -> Iterator[None]:
    """Skip the cache for the calls made inside the block (this thread or task).

    Args:
        refresh: fetch from the server but store the fresh answers, instead
            of leaving the cache untouched.

    Example::

        from wikijs.cache import bypass

        with bypass():
            page = client.pages.get(12)          # always from the server
        with bypass(refresh=True):
            page = client.pages.get(12)          # from the server, and cached
    """
    token = _MODE.set("refresh" if refresh else "off")
    try:
        yield
    finally:
        _MODE.reset(token)


def cache_mode(options: Mapping[str, Any]) -> CacheMode:
    """The mode for one call: its ``cache=`` option, else the enclosing ``bypass()``."""
    value = options.get(CACHE_OPTION, None)
    if value is None:
        return _MODE.get() or "use"
    if value is True or value == "use":
        return "use"
    if value is False or value == "off":
        return "off"
    if value == "refresh":
        return "refresh"

    raise InvalidArgumentError(
        f"the cache option is True, False or 'refresh', not {value!r}", field=CACHE_OPTION
    )


# -- what a query depends on ---------------------------------------------------------

#: Never cached: authentication state and identity checks, and the two page
#: queries whose purpose is to see the latest state.
_UNCACHED_NAMESPACES = frozenset({"authentication"})
_UNCACHED_FIELDS = frozenset(
    {("users", "profile"), ("pages", "checkConflicts"), ("pages", "conflictLatest")}
)
_PAGE_BY_ID = {"single": "id", "history": "id", "version": "pageId"}


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _query_field_tags(use: FieldUse, variables: Mapping[str, Any]) -> list[str] | None:
    if use.namespace in _UNCACHED_NAMESPACES or (use.namespace, use.field) in _UNCACHED_FIELDS:
        return None
    if use.namespace != "pages":
        return []
    if use.field in _PAGE_BY_ID:
        page_id = _int(use.argument(_PAGE_BY_ID[use.field], variables))
        return None if page_id is None else [page_tag(page_id)]
    if use.field == "singleByPath":
        path = use.argument("path", variables)
        locale = use.argument("locale", variables)
        if not isinstance(path, str) or not isinstance(locale, str):
            return None
        return [path_tag(locale, path)]
    # list, search, searchTags, tags, tree, links, and page fields added later:
    # every page write that can change them bumps pages:list.
    return [PAGE_LISTS]


@dataclass(frozen=True, slots=True)
class QueryPlan:
    """How to cache one query: its key and the tags it depends on.

    Attributes:
        key: the entry's key.
        tags: the tags known before the request (``*`` always included).
        by_path: ``(namespace key, field key)`` of page-by-path selections,
            whose result's id becomes a ``page:<id>`` tag.
    """

    key: str
    tags: tuple[str, ...]
    by_path: tuple[tuple[str, str], ...] = ()


def _canonical(value: Any) -> bytes | None:
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    except TypeError:
        return None


@lru_cache(maxsize=1024)
def _safe_name(name: str) -> str:
    cleaned = "".join(ch for ch in name if ch.isalnum() or ch == "_")
    return cleaned[:64] or "_"


def _key(scope: str, identity: str, operation_name: str, digest: str, canonical: bytes) -> str:
    material = b"\x1f".join(
        (VERSION.encode(), scope.encode(), identity.encode(), digest.encode(), canonical)
    )
    return f"{ENTRY_PREFIX}{_safe_name(operation_name)}:{hashlib.sha256(material).hexdigest()}"


def entry_key(
    scope: str, identity: str, operation_name: str, digest: str, variables: Mapping[str, Any]
) -> str | None:
    """The key of one answer; ``None`` when the variables are not JSON."""
    canonical = _canonical(variables)
    if canonical is None:
        return None
    return _key(scope, identity, operation_name, digest, canonical)


def query_plan(
    document: str,
    operation_name: str,
    variables: Mapping[str, Any],
    *,
    scope: str,
    identity: str,
) -> QueryPlan | None:
    """The plan for caching a query, or ``None`` when it must not be cached."""
    canonical = _canonical(variables)
    if canonical is None:
        return None
    return _plan(document, operation_name, canonical, scope, identity)


@lru_cache(maxsize=4096)
def _plan(
    document: str, operation_name: str, canonical: bytes, scope: str, identity: str
) -> QueryPlan | None:
    # Cached: a read-mostly client asks for the same few plans again and again.
    info = describe(document, operation_name)
    if info.kind != "query" or info.opaque or not info.fields:
        return None
    variables = orjson.loads(canonical)
    tags = {ALL}
    by_path: list[tuple[str, str]] = []
    for use in info.fields:
        field_tags = _query_field_tags(use, variables)
        if field_tags is None:
            return None
        tags.add(namespace_tag(use.namespace))
        tags.update(field_tags)
        if use.namespace == "pages" and use.field == "singleByPath":
            by_path.append((use.namespace_key, use.field_key))
    key = _key(scope, identity, operation_name, info.digest, canonical)
    return QueryPlan(key, tuple(sorted(tags)), tuple(by_path))


def result_tags(plan: QueryPlan, data: Any) -> tuple[str, ...]:
    """Tags learnt from an answer: the id of each page read by path."""
    found: list[str] = []
    for namespace_key, field_key in plan.by_path:
        namespace = data.get(namespace_key) if isinstance(data, Mapping) else None
        page = namespace.get(field_key) if isinstance(namespace, Mapping) else None
        page_id = _int(page.get("id")) if isinstance(page, Mapping) else None
        if page_id is not None:
            found.append(page_tag(page_id))
    return tuple(found)


# -- what a mutation invalidates ---------------------------------------------------------

_AUTH_NEUTRAL = frozenset({"login", "loginTFA", "loginChangePassword", "forgotPassword"})
_USERS_LOCAL = frozenset({"create", "updateProfile", "changePassword", "verify"})
_GROUPS_LOCAL = frozenset({"create"})
_PAGE_WIDE = frozenset({"deleteTag", "updateTag", "migrateToLocale", "purgeHistory", "flushCache"})


def _page_mutation_tags(use: FieldUse, variables: Mapping[str, Any]) -> list[str]:
    field = use.field
    if field in _PAGE_WIDE:
        return [namespace_tag("pages")]
    if field == "rebuildTree":
        return [PAGE_LISTS]
    if field == "create":
        path, locale = use.argument("path", variables), use.argument("locale", variables)
        if isinstance(path, str) and isinstance(locale, str):
            return [path_tag(locale, path), PAGE_LISTS]
        return [namespace_tag("pages")]
    id_argument = "pageId" if field == "restore" else "id"
    page_id = _int(use.argument(id_argument, variables))
    if page_id is None or field not in {"update", "delete", "move", "render", "convert", "restore"}:
        return [namespace_tag("pages")]
    tags = [page_tag(page_id)]
    if field != "render":
        tags.append(PAGE_LISTS)
    if field == "delete":
        tags.append(namespace_tag("comments"))
    if field in ("update", "move"):
        prefix = "destination" if field == "move" else ""
        path = use.argument(f"{prefix}Path" if prefix else "path", variables)
        locale = use.argument(f"{prefix}Locale" if prefix else "locale", variables)
        if isinstance(path, str) and isinstance(locale, str):
            tags.append(path_tag(locale, path))
        elif field == "move":
            return [namespace_tag("pages")]
    return tags


def _mutation_field_tags(use: FieldUse, variables: Mapping[str, Any]) -> list[str]:
    namespace, field = use.namespace, use.field
    if namespace == "pages":
        return _page_mutation_tags(use, variables)
    if namespace == "authentication":
        return [] if field in _AUTH_NEUTRAL else [ALL]
    if namespace == "users":
        # Group membership, activation and deletion change what someone may read.
        if field in _USERS_LOCAL:
            return [namespace_tag("users"), namespace_tag("groups")]
        return [ALL]
    if namespace == "groups":
        # Permissions, page rules and members: what everyone may read.
        if field in _GROUPS_LOCAL:
            return [namespace_tag("groups")]
        return [ALL]
    if namespace == "system":
        return [ALL]
    if namespace == "search":
        return [namespace_tag("search"), PAGE_LISTS]
    return [namespace_tag(namespace)]


def mutation_tags(
    document: str, operation_name: str, variables: Mapping[str, Any]
) -> tuple[str, ...]:
    """The tags a mutation can affect (``*`` when the document cannot be analysed)."""
    return fields_mutation_tags(describe(document, operation_name), variables)


def fields_mutation_tags(facts: OperationFacts, variables: Mapping[str, Any]) -> tuple[str, ...]:
    """The tags a described mutation can affect (``*`` when it is opaque)."""
    if facts.opaque:
        return (ALL,)
    tags: set[str] = set()
    for use in facts.fields:
        tags.update(_mutation_field_tags(use, variables))
    return tuple(sorted(tags))


def batch_mutation_tags(
    members: Sequence[tuple[str, str, Mapping[str, Any]]],
) -> tuple[str, ...]:
    """The union of :func:`mutation_tags` over ``(document, name, variables)`` items."""
    tags: set[str] = set()
    for document, name, variables in members:
        tags.update(mutation_tags(document, name, variables))
    return tuple(sorted(tags))


# -- stored answers ----------------------------------------------------------------------

ENVELOPE_FORMAT = 1


@dataclass(frozen=True, slots=True)
class Envelope:
    """One stored answer: the clock reading before it was fetched, its tags, its data."""

    clock: int
    tags: tuple[str, ...]
    data: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"f": ENVELOPE_FORMAT, "c": self.clock, "t": list(self.tags), "d": self.data}

    @classmethod
    def from_json(cls, value: Any) -> Envelope | None:
        """Read a stored envelope; ``None`` for anything else (treated as a miss)."""
        if not isinstance(value, dict) or value.get("f") != ENVELOPE_FORMAT:
            return None
        clock, tags, data = value.get("c"), value.get("t"), value.get("d")
        if not isinstance(clock, int) or isinstance(clock, bool) or not isinstance(data, dict):
            return None
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            return None
        return cls(clock, tuple(tags), data)

    def is_fresh(self, versions: Mapping[str, int]) -> bool:
        """No tag of this entry was bumped after the entry's clock reading.

        A tag without a version was never bumped (or its version expired,
        which the backends allow only after every entry it could affect).
        An entry without the ``*`` tag is not ours and never fresh.
        """
        if ALL not in self.tags:
            return False
        return all(versions.get(tag, 0) <= self.clock for tag in self.tags)


def next_clock(current: int, now_us: int) -> int:
    """The clock after a bump: past ``current``, and at least the wall clock in µs.

    Starting from the wall clock means that a clock lost with its store (a
    wiped Redis, a deleted directory) restarts above every earlier reading.
    """
    return max(current + 1, now_us)
