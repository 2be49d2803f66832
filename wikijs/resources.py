"""The resource classes behind ``client.pages``, ``client.users``, ….

You never build these yourself: each client creates its resources on first
use. They are exported so that code can name them in annotations (and the
API reference can document them); ``Pages`` is what
``WikiJSClient.pages`` returns, ``AsyncPages`` what
``AsyncWikiJSClient.pages`` returns, and so on. The live log
(``AsyncLogging.live_trail``, a websocket subscription) exists for the async
client only.

Example::

    from wikijs import WikiJSClient
    from wikijs.resources import Pages

    def titles(pages: Pages) -> list[str]:
        return [item.title for item in pages.iter_all()]

    with WikiJSClient(url, auth="API-KEY") as client:
        print(titles(client.pages))
"""

from ._async.resources.account import AsyncAccount
from ._async.resources.analytics import AsyncAnalytics
from ._async.resources.api_keys import AsyncApiKeys
from ._async.resources.assets import AsyncAssets
from ._async.resources.authentication import AsyncAuthentication
from ._async.resources.comments import AsyncComments
from ._async.resources.contribute import AsyncContribute
from ._async.resources.groups import AsyncGroups
from ._async.resources.localization import AsyncLocalization
from ._async.resources.logging import AsyncLogging
from ._async.resources.mail import AsyncMail
from ._async.resources.navigation import AsyncNavigation
from ._async.resources.pages import AsyncPages
from ._async.resources.rendering import AsyncRendering
from ._async.resources.search import AsyncSearch
from ._async.resources.site import AsyncSite
from ._async.resources.storage import AsyncStorage
from ._async.resources.system import AsyncSystem
from ._async.resources.theming import AsyncTheming
from ._async.resources.users import AsyncUsers
from ._public import publish as _publish
from ._sync.resources.account import Account
from ._sync.resources.analytics import Analytics
from ._sync.resources.api_keys import ApiKeys
from ._sync.resources.assets import Assets
from ._sync.resources.authentication import Authentication
from ._sync.resources.comments import Comments
from ._sync.resources.contribute import Contribute
from ._sync.resources.groups import Groups
from ._sync.resources.localization import Localization
from ._sync.resources.logging import Logging
from ._sync.resources.mail import Mail
from ._sync.resources.navigation import Navigation
from ._sync.resources.pages import Pages
from ._sync.resources.rendering import Rendering
from ._sync.resources.search import Search
from ._sync.resources.site import Site
from ._sync.resources.storage import Storage
from ._sync.resources.system import System
from ._sync.resources.theming import Theming
from ._sync.resources.users import Users

__all__ = [
    "Account",
    "Analytics",
    "ApiKeys",
    "Assets",
    "AsyncAccount",
    "AsyncAnalytics",
    "AsyncApiKeys",
    "AsyncAssets",
    "AsyncAuthentication",
    "AsyncComments",
    "AsyncContribute",
    "AsyncGroups",
    "AsyncLocalization",
    "AsyncLogging",
    "AsyncMail",
    "AsyncNavigation",
    "AsyncPages",
    "AsyncRendering",
    "AsyncSearch",
    "AsyncSite",
    "AsyncStorage",
    "AsyncSystem",
    "AsyncTheming",
    "AsyncUsers",
    "Authentication",
    "Comments",
    "Contribute",
    "Groups",
    "Localization",
    "Logging",
    "Mail",
    "Navigation",
    "Pages",
    "Rendering",
    "Search",
    "Site",
    "Storage",
    "System",
    "Theming",
    "Users",
]

# Each class's __module__ is this module, where it is documented (wikijs/_public.py).
_publish(globals(), __all__, __name__)
