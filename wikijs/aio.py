"""The async client: the same surface as :class:`wikijs.WikiJSClient`, awaited.

Example::

    from wikijs.aio import AsyncWikiJSClient

    async with AsyncWikiJSClient("https://wiki.example.com", auth="API-KEY") as client:
        page = await client.pages.get_by_path("docs/start")
"""

from ._async.client import AsyncWikiJSClient
from ._public import publish as _publish

__all__ = ["AsyncWikiJSClient"]

# Each class's __module__ is this module, where it is documented (wikijs/_public.py).
_publish(globals(), __all__, __name__)
