"""``client.search``: the search engines and the index (page search is ``client.pages.search``)."""

from __future__ import annotations

import builtins

from wikijs._generated.fragments import SearchEngine

from ..._protocol.results import present, require
from ._base import AsyncResource


class AsyncSearch(AsyncResource):
    """Search administration.

    Example::

        await client.search.rebuild_index()
        results = await client.pages.search("install")
    """

    async def engines(self) -> builtins.list[SearchEngine]:
        """The search engines the server offers, and which is enabled.

        Example::

            print([e.key for e in await client.search.engines() if e.is_enabled])
        """
        result = await self._gql.list_search_engines()
        return present(require(result.search, "search", "ListSearchEngines").search_engines)

    async def rebuild_index(self) -> None:
        """Rebuild the search index from every page.

        Example::

            await client.search.rebuild_index()
        """
        await self._gql.rebuild_search_index()
