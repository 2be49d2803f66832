# Generated from wikijs/_async/resources/search.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""``client.search``: the search engines and the index (page search is ``client.pages.search``)."""

from __future__ import annotations

import builtins
from collections.abc import Mapping

from wikijs._generated.fragments import SearchEngine
from wikijs._generated.input_types import SearchEngineInput

from ..._protocol.modules import JSONValue, ModuleSettings, check_key, config_input, pick
from ..._protocol.results import present, require
from ..._protocol.server_admin import check_bool
from ...errors import InvalidArgumentError
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

    def get_engine(self, key: str) -> SearchEngine:
        """One search engine by key (``"db"``, ``"postgres"``, ``"elasticsearch"``, …).

        Example::

            engine = client.search.get_engine("elasticsearch")

        Raises:
            NotFoundError: the server has no engine with that key.
        """
        key = check_key(key)
        return pick(self.engines(), key, "search engine", "ListSearchEngines")

    def update_engine(
        self,
        key: str,
        *,
        config: Mapping[str, JSONValue] | None = None,
        activate: bool = False,
    ) -> SearchEngine:
        """Change an engine's settings, or make it the wiki's engine; return it as stored.

        One engine is active at a time: ``activate=True`` switches the
        others off, as the admin area does. The engine's other settings
        (and the other engines') are sent back as they were. Wiki.js
        activates the engine at once (creating its index); if that fails it
        goes back to the basic ``db`` engine and the error is raised.

        Example::

            client.search.update_engine(
                "elasticsearch", activate=True,
                config={"hosts": "http://es:9200", "indexName": "wiki"},
            )
            client.search.rebuild_index()

        Raises:
            NotFoundError: no engine with that key.
            ValidationError: an unknown setting or a value of the wrong type.
        """
        key = check_key(key)
        check_bool(activate, "activate")
        if config is None and not activate:
            raise InvalidArgumentError("give config to change, or activate=True")
        engines = self.engines()
        engine = pick(engines, key, "search engine", "ListSearchEngines")
        values = ModuleSettings.of(engine).merged(config or {}, module=f"search engine {key!r}")
        wanted = [
            {
                "key": e.key,
                "isEnabled": (e.key == key) if activate else e.is_enabled,
                "config": config_input(values if e.key == key else dict(ModuleSettings.of(e))),
            }
            for e in engines
        ]
        self._gql.update_search_engines(
            engines=[SearchEngineInput.model_validate(e) for e in wanted]
        )
        return self.get_engine(key)
