# Generated from wikijs/_async/resources/system.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""``client.system``: what the server runs on and which version."""

from __future__ import annotations

from wikijs._generated.fragments import SystemInfo

from ..._protocol.results import require
from ._base import Resource


class System(Resource):
    """System information (needs ``manage:system``).

    Example::

        info = client.system.info()
        print(info.current_version, info.db_type, info.pages_total)
    """

    def info(self) -> SystemInfo:
        """Version, platform, database and totals.

        Example::

            info = client.system.info()
            print(info.current_version, info.users_total)

        Raises:
            PermissionDeniedError: the credentials lack ``manage:system``.
        """
        result = self._gql.get_system_info()
        system = require(result.system, "system", "GetSystemInfo")
        info = require(system.info, "system info", "GetSystemInfo")
        # the client now knows which Wiki.js it talks to (and warns if it is another API)
        self._client._pipeline.server.observe_version(info.current_version)
        return info

    def version(self) -> str:
        """The Wiki.js version, e.g. ``2.5.314``.

        Example::

            print(client.system.version())
        """
        return (self.info()).current_version or ""
