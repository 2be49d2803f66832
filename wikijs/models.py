"""The typed models the clients return and accept.

Result models are generated from ``queries/`` (one class per fragment,
shared by both clients); input models (``PageCreate``, ``UserCreate``,
``PageRule``, …) and a few result records (``HealthReport``,
``AssetFolderNode``, ``NewApiKey``, ``Identity``, ``Registration``) are
written by hand. Field names are
snake_case; the GraphQL names are aliases, so ``page.is_published`` reads
``isPublished``.
"""

from wikijs._generated.enums import (
    AssetKind,
    NavigationMode,
    PageOrderBy,
    PageOrderByDirection,
    PageRuleMatch,
)
from wikijs._generated.fragments import (
    ApiKey,
    Asset,
    AssetFolder,
    Comment,
    CommentProvider,
    Group,
    GroupMinimal,
    GroupPageRule,
    KeyValuePair,
    Locale,
    LocaleConfig,
    LoginResult,
    NavigationItem,
    NavigationTree,
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
    SearchEngine,
    SiteConfig,
    SystemInfo,
    Translation,
    User,
    UserGroup,
    UserLastLogin,
    UserMinimal,
    UserProfile,
)

from ._core.admin import NewApiKey
from ._core.assets import AssetFolderNode
from ._core.groups import PERMISSIONS, GroupUpdate, PageRule
from ._core.health import HealthReport
from ._core.identity import APIKeyIdentity, Identity
from ._core.login import Registration
from ._core.pages import PageCreate, PageUpdate
from ._core.users import UserCreate, UserUpdate

__all__ = [
    "APIKeyIdentity",
    "ApiKey",
    "Asset",
    "AssetFolder",
    "AssetFolderNode",
    "AssetKind",
    "Comment",
    "CommentProvider",
    "Group",
    "GroupMinimal",
    "GroupPageRule",
    "GroupUpdate",
    "HealthReport",
    "Identity",
    "KeyValuePair",
    "Locale",
    "LocaleConfig",
    "LoginResult",
    "NavigationItem",
    "NavigationMode",
    "NavigationTree",
    "NewApiKey",
    "PERMISSIONS",
    "Page",
    "PageConflictLatest",
    "PageCreate",
    "PageHistoryEntry",
    "PageLinkItem",
    "PageListItem",
    "PageOrderBy",
    "PageOrderByDirection",
    "PageRule",
    "PageRuleMatch",
    "PageSearchResponse",
    "PageSearchResult",
    "PageTag",
    "PageTreeItem",
    "PageUpdate",
    "PageVersion",
    "PageWriteResult",
    "Registration",
    "ResponseStatus",
    "SearchEngine",
    "SiteConfig",
    "SystemInfo",
    "Translation",
    "User",
    "UserCreate",
    "UserGroup",
    "UserLastLogin",
    "UserMinimal",
    "UserProfile",
    "UserUpdate",
]
