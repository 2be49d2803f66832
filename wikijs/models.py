"""The typed models the clients return and accept.

Result models are generated from ``queries/`` (one class per fragment,
shared by both clients); input models (``PageCreate``, ``UserCreate``,
``PageRule``, …) and a few result records (``HealthReport``,
``AssetFolderNode``, ``NewApiKey``) are written by hand. Field names are
snake_case; the GraphQL names are aliases, so ``page.is_published`` reads
``isPublished``.
"""

from wikijs._generated.enums import (
    AssetKind,
    CacheControlScope,
    NavigationMode,
    PageOrderBy,
    PageOrderByDirection,
    PageRuleMatch,
    PageTreeMode,
    SystemImportUsersGroupMode,
)
from wikijs._generated.fragments import (
    ApiKey,
    Asset,
    AssetFolder,
    AssetLocation,
    Comment,
    CommentProvider,
    Group,
    GroupMinimal,
    GroupPageRule,
    KeyValuePair,
    Locale,
    LocaleConfig,
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
    UserSearchResult,
)

from ._protocol.admin import NewApiKey
from ._protocol.assets import AssetFolderNode
from ._protocol.groups import PERMISSIONS, GroupUpdate, PageRule
from ._protocol.health import HealthReport
from ._protocol.pages import PageCreate, PageUpdate
from ._protocol.users import UserCreate, UserUpdate
from ._public import publish as _publish

__all__ = [
    "ApiKey",
    "Asset",
    "AssetFolder",
    "AssetFolderNode",
    "AssetKind",
    "AssetLocation",
    "CacheControlScope",
    "Comment",
    "CommentProvider",
    "Group",
    "GroupMinimal",
    "GroupPageRule",
    "GroupUpdate",
    "HealthReport",
    "KeyValuePair",
    "Locale",
    "LocaleConfig",
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
    "PageTreeMode",
    "PageUpdate",
    "PageVersion",
    "PageWriteResult",
    "ResponseStatus",
    "SearchEngine",
    "SiteConfig",
    "SystemImportUsersGroupMode",
    "SystemInfo",
    "Translation",
    "User",
    "UserCreate",
    "UserGroup",
    "UserLastLogin",
    "UserMinimal",
    "UserProfile",
    "UserSearchResult",
    "UserUpdate",
]

# Each class's __module__ is this module, where it is documented (wikijs/_public.py).
_publish(globals(), __all__, __name__)
