"""``client.search``: the search engines and the index (page search is ``client.pages.search``)."""

from __future__ import annotations

import builtins
from functools import cached_property
from typing import TYPE_CHECKING

from wikijs._generated.fragments import SearchEngine

from ..._protocol.results import present, require
from ._base import AsyncResource, AsyncWithRawResponse

if TYPE_CHECKING:
    from ..._http.raw import RawResponse


class AsyncSearch(AsyncResource):
    """Search administration.

    Example::

        await client.search.rebuild_index()
        results = await client.pages.search("install")
    """

    @cached_property
    def with_raw_response(self) -> AsyncSearchWithRawResponse:
        """These methods, each answering a :class:`~wikijs.RawResponse`: the result
        and the HTTP exchanges it came from (see ``docs/options.md``)."""
        return AsyncSearchWithRawResponse(self)

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


# -- with_raw_response: written by scripts/unasync from the methods above; do not edit


class AsyncSearchWithRawResponse(AsyncWithRawResponse):
    """``client.search``, each method answering a :class:`~wikijs.RawResponse`.

    Its methods are those of :class:`AsyncSearch` that send their requests at
    once; each answers what the method returns (``parsed``) with the HTTP
    exchanges it came from.
    """

    _methods = frozenset({"engines", "rebuild_index"})

    if TYPE_CHECKING:

        async def engines(self) -> RawResponse[builtins.list[SearchEngine]]:
            """Same as :meth:`AsyncSearch.engines`, with its HTTP exchanges."""
            ...

        async def rebuild_index(self) -> RawResponse[None]:
            """Same as :meth:`AsyncSearch.rebuild_index`, with its HTTP exchanges."""
            ...


# -- end with_raw_response
