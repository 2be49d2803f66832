"""The resource classes behind ``client.pages``, ``client.users``, ….

You never build these yourself: each client creates its resources on first
use. They are exported so that code can name them in annotations (and the
API reference can document them); ``Pages`` is what
``WikiJSClient.pages`` returns, ``AsyncPages`` what
``AsyncWikiJSClient.pages`` returns, and so on. The live log
(``AsyncLogging.live_trail``, a websocket subscription) exists for the async
client only. ``PagesWithRawResponse`` is what
``client.pages.with_raw_response`` returns: the same methods, each answering
a :class:`~wikijs.RawResponse`.

Example::

    from wikijs import WikiJSClient
    from wikijs.resources import Pages

    def titles(pages: Pages) -> list[str]:
        return [item.title for item in pages.iter_all()]

    with WikiJSClient(url, auth="API-KEY") as client:
        print(titles(client.pages))
"""

from ._async.resources.account import AsyncAccount, AsyncAccountWithRawResponse
from ._async.resources.analytics import AsyncAnalytics, AsyncAnalyticsWithRawResponse
from ._async.resources.api_keys import AsyncApiKeys, AsyncApiKeysWithRawResponse
from ._async.resources.assets import AsyncAssets, AsyncAssetsWithRawResponse
from ._async.resources.authentication import AsyncAuthentication, AsyncAuthenticationWithRawResponse
from ._async.resources.comments import AsyncComments, AsyncCommentsWithRawResponse
from ._async.resources.contribute import AsyncContribute, AsyncContributeWithRawResponse
from ._async.resources.groups import AsyncGroups, AsyncGroupsWithRawResponse
from ._async.resources.localization import AsyncLocalization, AsyncLocalizationWithRawResponse
from ._async.resources.logging import AsyncLogging, AsyncLoggingWithRawResponse
from ._async.resources.mail import AsyncMail, AsyncMailWithRawResponse
from ._async.resources.navigation import AsyncNavigation, AsyncNavigationWithRawResponse
from ._async.resources.pages import AsyncPages, AsyncPagesWithRawResponse
from ._async.resources.rendering import AsyncRendering, AsyncRenderingWithRawResponse
from ._async.resources.search import AsyncSearch, AsyncSearchWithRawResponse
from ._async.resources.site import AsyncSite, AsyncSiteWithRawResponse
from ._async.resources.storage import AsyncStorage, AsyncStorageWithRawResponse
from ._async.resources.system import AsyncSystem, AsyncSystemWithRawResponse
from ._async.resources.theming import AsyncTheming, AsyncThemingWithRawResponse
from ._async.resources.users import AsyncUsers, AsyncUsersWithRawResponse
from ._public import publish as _publish
from ._sync.resources.account import Account, AccountWithRawResponse
from ._sync.resources.analytics import Analytics, AnalyticsWithRawResponse
from ._sync.resources.api_keys import ApiKeys, ApiKeysWithRawResponse
from ._sync.resources.assets import Assets, AssetsWithRawResponse
from ._sync.resources.authentication import Authentication, AuthenticationWithRawResponse
from ._sync.resources.comments import Comments, CommentsWithRawResponse
from ._sync.resources.contribute import Contribute, ContributeWithRawResponse
from ._sync.resources.groups import Groups, GroupsWithRawResponse
from ._sync.resources.localization import Localization, LocalizationWithRawResponse
from ._sync.resources.logging import Logging, LoggingWithRawResponse
from ._sync.resources.mail import Mail, MailWithRawResponse
from ._sync.resources.navigation import Navigation, NavigationWithRawResponse
from ._sync.resources.pages import Pages, PagesWithRawResponse
from ._sync.resources.rendering import Rendering, RenderingWithRawResponse
from ._sync.resources.search import Search, SearchWithRawResponse
from ._sync.resources.site import Site, SiteWithRawResponse
from ._sync.resources.storage import Storage, StorageWithRawResponse
from ._sync.resources.system import System, SystemWithRawResponse
from ._sync.resources.theming import Theming, ThemingWithRawResponse
from ._sync.resources.users import Users, UsersWithRawResponse

__all__ = [
    "Account",
    "AccountWithRawResponse",
    "Analytics",
    "AnalyticsWithRawResponse",
    "ApiKeys",
    "ApiKeysWithRawResponse",
    "Assets",
    "AssetsWithRawResponse",
    "AsyncAccount",
    "AsyncAccountWithRawResponse",
    "AsyncAnalytics",
    "AsyncAnalyticsWithRawResponse",
    "AsyncApiKeys",
    "AsyncApiKeysWithRawResponse",
    "AsyncAssets",
    "AsyncAssetsWithRawResponse",
    "AsyncAuthentication",
    "AsyncAuthenticationWithRawResponse",
    "AsyncComments",
    "AsyncCommentsWithRawResponse",
    "AsyncContribute",
    "AsyncContributeWithRawResponse",
    "AsyncGroups",
    "AsyncGroupsWithRawResponse",
    "AsyncLocalization",
    "AsyncLocalizationWithRawResponse",
    "AsyncLogging",
    "AsyncLoggingWithRawResponse",
    "AsyncMail",
    "AsyncMailWithRawResponse",
    "AsyncNavigation",
    "AsyncNavigationWithRawResponse",
    "AsyncPages",
    "AsyncPagesWithRawResponse",
    "AsyncRendering",
    "AsyncRenderingWithRawResponse",
    "AsyncSearch",
    "AsyncSearchWithRawResponse",
    "AsyncSite",
    "AsyncSiteWithRawResponse",
    "AsyncStorage",
    "AsyncStorageWithRawResponse",
    "AsyncSystem",
    "AsyncSystemWithRawResponse",
    "AsyncTheming",
    "AsyncThemingWithRawResponse",
    "AsyncUsers",
    "AsyncUsersWithRawResponse",
    "Authentication",
    "AuthenticationWithRawResponse",
    "Comments",
    "CommentsWithRawResponse",
    "Contribute",
    "ContributeWithRawResponse",
    "Groups",
    "GroupsWithRawResponse",
    "Localization",
    "LocalizationWithRawResponse",
    "Logging",
    "LoggingWithRawResponse",
    "Mail",
    "MailWithRawResponse",
    "Navigation",
    "NavigationWithRawResponse",
    "Pages",
    "PagesWithRawResponse",
    "Rendering",
    "RenderingWithRawResponse",
    "Search",
    "SearchWithRawResponse",
    "Site",
    "SiteWithRawResponse",
    "Storage",
    "StorageWithRawResponse",
    "System",
    "SystemWithRawResponse",
    "Theming",
    "ThemingWithRawResponse",
    "Users",
    "UsersWithRawResponse",
]

# Each class's __module__ is this module, where it is documented (wikijs/_public.py).
_publish(globals(), __all__, __name__)
