"""The resource classes behind ``client.pages``, ``client.users``, ….

You never build these yourself: each client creates its resources on first
use. They are exported so that code can name them in annotations (and the
API reference can document them); ``Pages`` is what
``WikiJSClient.pages`` returns, ``AsyncPages`` what
``AsyncWikiJSClient.pages`` returns, and so on. ``AsyncLogging`` (the live
log, a websocket subscription) exists for the async client only.
``PagesWithRawResponse`` is what ``client.pages.with_raw_response`` returns:
the same methods, each answering a :class:`~wikijs.RawResponse`.

Example::

    from wikijs import WikiJSClient
    from wikijs.resources import Pages

    def titles(pages: Pages) -> list[str]:
        return [item.title for item in pages.iter_all()]

    with WikiJSClient(url, auth="API-KEY") as client:
        print(titles(client.pages))
"""

from ._async.resources.api_keys import AsyncApiKeys, AsyncApiKeysWithRawResponse
from ._async.resources.assets import AsyncAssets, AsyncAssetsWithRawResponse
from ._async.resources.comments import AsyncComments, AsyncCommentsWithRawResponse
from ._async.resources.groups import AsyncGroups, AsyncGroupsWithRawResponse
from ._async.resources.localization import AsyncLocalization, AsyncLocalizationWithRawResponse
from ._async.resources.logging import AsyncLogging
from ._async.resources.navigation import AsyncNavigation, AsyncNavigationWithRawResponse
from ._async.resources.pages import AsyncPages, AsyncPagesWithRawResponse
from ._async.resources.search import AsyncSearch, AsyncSearchWithRawResponse
from ._async.resources.site import AsyncSite, AsyncSiteWithRawResponse
from ._async.resources.system import AsyncSystem, AsyncSystemWithRawResponse
from ._async.resources.users import AsyncUsers, AsyncUsersWithRawResponse
from ._public import publish as _publish
from ._sync.resources.api_keys import ApiKeys, ApiKeysWithRawResponse
from ._sync.resources.assets import Assets, AssetsWithRawResponse
from ._sync.resources.comments import Comments, CommentsWithRawResponse
from ._sync.resources.groups import Groups, GroupsWithRawResponse
from ._sync.resources.localization import Localization, LocalizationWithRawResponse
from ._sync.resources.navigation import Navigation, NavigationWithRawResponse
from ._sync.resources.pages import Pages, PagesWithRawResponse
from ._sync.resources.search import Search, SearchWithRawResponse
from ._sync.resources.site import Site, SiteWithRawResponse
from ._sync.resources.system import System, SystemWithRawResponse
from ._sync.resources.users import Users, UsersWithRawResponse

__all__ = [
    "ApiKeys",
    "ApiKeysWithRawResponse",
    "Assets",
    "AssetsWithRawResponse",
    "AsyncApiKeys",
    "AsyncApiKeysWithRawResponse",
    "AsyncAssets",
    "AsyncAssetsWithRawResponse",
    "AsyncComments",
    "AsyncCommentsWithRawResponse",
    "AsyncGroups",
    "AsyncGroupsWithRawResponse",
    "AsyncLocalization",
    "AsyncLocalizationWithRawResponse",
    "AsyncLogging",
    "AsyncNavigation",
    "AsyncNavigationWithRawResponse",
    "AsyncPages",
    "AsyncPagesWithRawResponse",
    "AsyncSearch",
    "AsyncSearchWithRawResponse",
    "AsyncSite",
    "AsyncSiteWithRawResponse",
    "AsyncSystem",
    "AsyncSystemWithRawResponse",
    "AsyncUsers",
    "AsyncUsersWithRawResponse",
    "Comments",
    "CommentsWithRawResponse",
    "Groups",
    "GroupsWithRawResponse",
    "Localization",
    "LocalizationWithRawResponse",
    "Navigation",
    "NavigationWithRawResponse",
    "Pages",
    "PagesWithRawResponse",
    "Search",
    "SearchWithRawResponse",
    "Site",
    "SiteWithRawResponse",
    "System",
    "SystemWithRawResponse",
    "Users",
    "UsersWithRawResponse",
]

# Each class's __module__ is this module, where it is documented (wikijs/_public.py).
_publish(globals(), __all__, __name__)
