"""The typed models the clients return and accept.

Result models are generated from ``queries/`` (one class per fragment,
shared by both clients); input models (``PageCreate``, ``PageUpdate``) are
written here. Field names are snake_case; the GraphQL names are aliases, so
``page.is_published`` reads ``isPublished``.
"""

from _wikijs_generated.enums import PageOrderBy, PageOrderByDirection
from _wikijs_generated.fragments import (
    ApiKey,
    Page,
    PageConflictLatest,
    PageHistoryEntry,
    PageLinkItem,
    PageListItem,
    PageSearchResponse,
    PageSearchResult,
    PageTag,
    PageTreeItem,
    PageVersion,
    PageWriteResult,
    ResponseStatus,
    SystemInfo,
    UserProfile,
)

from ._core.pages import PageCreate, PageUpdate

__all__ = [
    "ApiKey",
    "Page",
    "PageConflictLatest",
    "PageCreate",
    "PageHistoryEntry",
    "PageLinkItem",
    "PageListItem",
    "PageOrderBy",
    "PageOrderByDirection",
    "PageSearchResponse",
    "PageSearchResult",
    "PageTag",
    "PageTreeItem",
    "PageUpdate",
    "PageVersion",
    "PageWriteResult",
    "ResponseStatus",
    "SystemInfo",
    "UserProfile",
]
