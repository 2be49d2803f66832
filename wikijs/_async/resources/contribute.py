"""``client.contribute``: the sponsors of the Wiki.js project."""

from __future__ import annotations

import builtins

from wikijs._generated.fragments import Contributor

from ..._protocol.results import present, require
from ._base import AsyncResource


class AsyncContribute(AsyncResource):
    """The people and companies sponsoring Wiki.js, as the admin area's Contribute page shows.

    Example::

        for sponsor in await client.contribute.contributors():
            print(sponsor.name, sponsor.website)
    """

    async def contributors(self) -> builtins.list[Contributor]:
        """The sponsors, as the server fetches them from ``graph.requarks.io``.

        Empty when the server cannot reach requarks.io (it answers
        nothing then, not an error).

        Example::

            names = [sponsor.name for sponsor in await client.contribute.contributors()]
        """
        result = await self._gql.list_contributors()
        return present(require(result.contribute, "contribute", "ListContributors").contributors)
