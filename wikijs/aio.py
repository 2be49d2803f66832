"""The async client: the same surface as :class:`wikijs.WikiJSClient`, awaited.

Example::

    from wikijs.aio import AsyncWikiJSClient

    async with AsyncWikiJSClient("https://wiki.example.com", auth="API-KEY") as client:
        page = await client.pages.get_by_path("docs/start")
"""

from ._async.client import AsyncWikiJSClient

__all__ = ["AsyncWikiJSClient"]
