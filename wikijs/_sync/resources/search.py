# Generated from wikijs/_async/resources/search.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""``client.search``: the search engines and the index (page search is ``client.pages.search``)."""

from __future__ import annotations

import builtins
from functools import cached_property
from typing import TYPE_CHECKING

from wikijs._generated.fragments import SearchEngine

from ..._protocol.results import present, require
from ._base import Resource, WithRawResponse

if TYPE_CHECKING:
    from ..._http.raw import RawResponse


class Search(Resource):
    """Search administration.

    Example::

        client.search.rebuild_index()
        results = client.pages.search("install")
    """

    @cached_property
    def with_raw_response(self) -> SearchWithRawResponse:
        """These methods, each answering a :class:`~wikijs.RawResponse`: the result
        and the HTTP exchanges it came from (see ``docs/options.md``)."""
        return SearchWithRawResponse(self)

    def engines(self) -> builtins.list[SearchEngine]:
        """The search engines the server offers, and which is enabled.

        Example::

            print([e.key for e in client.search.engines() if e.is_enabled])
        """
        result = self._gql.list_search_engines()
        return present(require(result.search, "search", "ListSearchEngines").search_engines)

    def rebuild_index(self) -> None:
        """Rebuild the search index from every page.

        Example::

            client.search.rebuild_index()
        """
        self._gql.rebuild_search_index()


# -- with_raw_response: written by scripts/unasync from the methods above; do not edit


class SearchWithRawResponse(WithRawResponse):
    """``client.search``, each method answering a :class:`~wikijs.RawResponse`.

    Its methods are those of :class:`Search` that send their requests at
    once; each answers what the method returns (``parsed``) with the HTTP
    exchanges it came from.
    """

    _methods = frozenset({"engines", "rebuild_index"})

    if TYPE_CHECKING:

        def engines(self) -> RawResponse[builtins.list[SearchEngine]]:
            """Same as :meth:`Search.engines`, with its HTTP exchanges."""
            ...

        def rebuild_index(self) -> RawResponse[None]:
            """Same as :meth:`Search.rebuild_index`, with its HTTP exchanges."""
            ...


# -- end with_raw_response
