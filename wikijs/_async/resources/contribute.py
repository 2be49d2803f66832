"""``client.contribute``: the sponsors of the Wiki.js project."""

from __future__ import annotations

import builtins
from functools import cached_property
from typing import TYPE_CHECKING

from wikijs._generated.fragments import Contributor

from ..._protocol.results import present, require
from ._base import AsyncResource, AsyncWithRawResponse

if TYPE_CHECKING:
    from ..._http.raw import RawResponse


class AsyncContribute(AsyncResource):
    """The people and companies sponsoring Wiki.js, as the admin area's Contribute page shows.

    Example::

        for sponsor in await client.contribute.contributors():
            print(sponsor.name, sponsor.website)
    """

    @cached_property
    def with_raw_response(self) -> AsyncContributeWithRawResponse:
        """These methods, each answering a :class:`~wikijs.RawResponse`: the result
        and the HTTP exchanges it came from (see ``docs/options.md``)."""
        return AsyncContributeWithRawResponse(self)

    async def contributors(self) -> builtins.list[Contributor]:
        """The sponsors, as the server fetches them from ``graph.requarks.io``.

        Empty when the server cannot reach requarks.io (it answers
        nothing then, not an error).

        Example::

            names = [sponsor.name for sponsor in await client.contribute.contributors()]
        """
        result = await self._gql.list_contributors()
        return present(require(result.contribute, "contribute", "ListContributors").contributors)


# -- with_raw_response: written by scripts/unasync from the methods above; do not edit


class AsyncContributeWithRawResponse(AsyncWithRawResponse):
    """``client.contribute``, each method answering a :class:`~wikijs.RawResponse`.

    Its methods are those of :class:`AsyncContribute` that send their requests at
    once; each answers what the method returns (``parsed``) with the HTTP
    exchanges it came from.
    """

    _methods = frozenset({"contributors"})

    if TYPE_CHECKING:

        async def contributors(self) -> RawResponse[builtins.list[Contributor]]:
            """Same as :meth:`AsyncContribute.contributors`, with its HTTP exchanges."""
            ...


# -- end with_raw_response
