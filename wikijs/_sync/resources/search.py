# Generated from wikijs/_async/resources/search.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""``client.search``: the search engines and the index (page search is ``client.pages.search``)."""

from __future__ import annotations

import builtins

from wikijs._generated.fragments import SearchEngine

from ..._protocol.results import present, require
from ._base import Resource


class Search(Resource):
    """Search administration.

    Example::

        client.search.rebuild_index()
        results = client.pages.search("install")
    """

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
