"""``client.system``: what the server runs on and which version."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from wikijs._generated.fragments import SystemInfo

from ..._protocol.results import require
from ._base import AsyncResource, AsyncWithRawResponse

if TYPE_CHECKING:
    from ..._http.raw import RawResponse


class AsyncSystem(AsyncResource):
    """System information (needs ``manage:system``).

    Example::

        info = await client.system.info()
        print(info.current_version, info.db_type, info.pages_total)
    """

    @cached_property
    def with_raw_response(self) -> AsyncSystemWithRawResponse:
        """These methods, each answering a :class:`~wikijs.RawResponse`: the result
        and the HTTP exchanges it came from (see ``docs/options.md``)."""
        return AsyncSystemWithRawResponse(self)

    async def info(self) -> SystemInfo:
        """Version, platform, database and totals.

        Example::

            info = await client.system.info()
            print(info.current_version, info.users_total)

        Raises:
            PermissionDeniedError: the credentials lack ``manage:system``.
        """
        result = await self._gql.get_system_info()
        system = require(result.system, "system", "GetSystemInfo")
        info = require(system.info, "system info", "GetSystemInfo")
        # the client now knows which Wiki.js it talks to (and warns if it is another API)
        self._client._pipeline.server.observe_version(info.current_version)
        return info

    async def version(self) -> str:
        """The Wiki.js version, e.g. ``2.5.314``.

        Example::

            print(await client.system.version())
        """
        return (await self.info()).current_version or ""


# -- with_raw_response: written by scripts/unasync from the methods above; do not edit


class AsyncSystemWithRawResponse(AsyncWithRawResponse):
    """``client.system``, each method answering a :class:`~wikijs.RawResponse`.

    Its methods are those of :class:`AsyncSystem` that send their requests at
    once; each answers what the method returns (``parsed``) with the HTTP
    exchanges it came from.
    """

    _methods = frozenset({"info", "version"})

    if TYPE_CHECKING:

        async def info(self) -> RawResponse[SystemInfo]:
            """Same as :meth:`AsyncSystem.info`, with its HTTP exchanges."""
            ...

        async def version(self) -> RawResponse[str]:
            """Same as :meth:`AsyncSystem.version`, with its HTTP exchanges."""
            ...


# -- end with_raw_response
