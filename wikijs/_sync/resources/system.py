# Generated from wikijs/_async/resources/system.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""``client.system``: what the server runs on and which version."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping

from wikijs._generated.enums import SystemImportUsersGroupMode
from wikijs._generated.fragments import SystemExportStatus, SystemExtension, SystemInfo
from wikijs._generated.input_types import SystemFlagInput

from ..._protocol import validation as v
from ..._protocol.results import present, require
from ..._protocol.server_admin import (
    EXPORT_ENTITIES,
    IMPORT_GROUP_MODES,
    ExportEntity,
    ImportedUsers,
    ImportGroupMode,
    check_bool,
    check_choice,
    check_confirmed,
    check_entities,
    merged_flags,
)
from ...errors import InvalidArgumentError
from ._base import Resource


class System(Resource):
    """The server: information, flags, extensions, telemetry, HTTPS, export, upgrade.

    Needs ``manage:system``.

    Example::

        info = client.system.info()
        print(info.current_version, info.db_type, info.pages_total)
        client.system.export("/backups/wiki-2025-01-01", entities=["pages", "assets"])
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

    def flags(self) -> dict[str, bool]:
        """The server's developer flags (``ldapdebug``, ``sqllog``) and whether each is on.

        Example::

            print(client.system.flags())   # {'ldapdebug': False, 'sqllog': False}
        """
        result = self._gql.list_system_flags()
        found = present(require(result.system, "system", "ListSystemFlags").flags)
        return {flag.key: flag.value for flag in found}

    def update_flags(self, flags: Mapping[str, bool]) -> dict[str, bool]:
        """Switch some flags on or off; return every flag as stored.

        Wiki.js replaces the whole set: the other flags are read first and
        sent back as they were.

        Example::

            client.system.update_flags({"sqllog": True})

        Raises:
            ValidationError: a flag the server does not have, or a value not True/False.
        """
        if not isinstance(flags, Mapping):
            raise InvalidArgumentError("flags is a mapping of flag → True/False", field="flags")
        merged_flags(dict.fromkeys(flags, False), flags)  # checked before anything is sent
        wanted = merged_flags(self.flags(), flags)
        self._gql.update_system_flags(
            flags=[SystemFlagInput.model_validate(flag) for flag in wanted]
        )
        return self.flags()

    def extensions(self) -> builtins.list[SystemExtension]:
        """The optional server extensions (Git, Pandoc, Puppeteer, Sharp) and whether installed.

        Example::

            print({e.key: e.is_installed for e in client.system.extensions()})
        """
        result = self._gql.list_system_extensions()
        return present(require(result.system, "system", "ListSystemExtensions").extensions)

    def set_telemetry(self, enabled: bool) -> None:
        """Allow or stop the anonymous usage report the server sends to requarks.io.

        Example::

            client.system.set_telemetry(False)
        """
        self._gql.set_telemetry(enabled=check_bool(enabled, "enabled"))

    def reset_telemetry_client_id(self) -> None:
        """Give the server a new anonymous telemetry id (``info().telemetry_client_id``).

        Example::

            client.system.reset_telemetry_client_id()
        """
        self._gql.reset_telemetry_client_id()

    def set_https_redirection(self, enabled: bool) -> None:
        """Redirect plain HTTP to HTTPS, or stop (takes effect when the server restarts).

        Only meaningful on a server that serves HTTPS itself
        (``info().https_port``); behind a proxy, redirect there.

        Example::

            client.system.set_https_redirection(True)
        """
        self._gql.set_https_redirection(enabled=check_bool(enabled, "enabled"))

    def renew_https_certificate(self, *, confirm: bool = False) -> None:
        """Ask Let's Encrypt for a new certificate now and restart HTTPS. **Disruptive.**

        The HTTPS server restarts (open connections drop), and Let's
        Encrypt's rate limits count the request. Only for a server that
        manages its own Let's Encrypt certificate; others refuse.

        Example::

            client.system.renew_https_certificate(confirm=True)

        Args:
            confirm: must be ``True``; without it nothing is sent.

        Raises:
            ValidationError: ``confirm`` is not ``True``.
            APIError: HTTPS is off, or its certificate is not from Let's Encrypt.
        """
        check_confirmed(
            confirm,
            "system.renew_https_certificate()",
            "requests a new certificate and restarts the HTTPS server",
        )
        self._gql.renew_https_certificate()

    def upgrade(self, *, confirm: bool = False) -> None:
        """Upgrade Wiki.js to the latest release. **Destructive, server-wide.**

        Only for a server run with the ``wiki-update-companion`` container
        (``info().upgrade_capable``): the companion replaces the running
        container with the latest image, so the wiki goes down and comes
        back as another version. Back up first. Other servers refuse.

        Example::

            if (client.system.info()).upgrade_capable:
                client.system.upgrade(confirm=True)

        Args:
            confirm: must be ``True``; without it nothing is sent.

        Raises:
            ValidationError: ``confirm`` is not ``True``.
            APIError: the server has no upgrade companion.
        """
        check_confirmed(
            confirm, "system.upgrade()", "replaces the running Wiki.js with the latest release"
        )
        self._gql.perform_upgrade()

    def import_users_from_v1(
        self,
        connection_string: str,
        *,
        group_mode: ImportGroupMode = "MULTI",
        confirm: bool = False,
    ) -> ImportedUsers:
        """Import the users of a Wiki.js 1.x installation from its MongoDB. **Writes server-wide.**

        Every 1.x user becomes a user here (with their 1.x password hash);
        groups are created for them. It cannot be undone but user by user.

        Example::

            result = client.system.import_users_from_v1(
                "mongodb://mongo:27017/wiki", group_mode="SINGLE", confirm=True
            )
            print(result.users, "users,", result.groups, "groups;", len(result.failed), "failed")

        Args:
            connection_string: the MongoDB connection string of the 1.x wiki.
            group_mode: ``"MULTI"`` (a group per distinct set of 1.x rights,
                admins into Administrators), ``"SINGLE"`` (one new group
                for everyone) or ``"NONE"`` (no groups).
            confirm: must be ``True``; without it nothing is sent.

        Raises:
            ValidationError: ``confirm`` is not ``True``, or a bad argument.
            APIError: the server could not read the 1.x database.
        """
        connection_string = v.check_text(connection_string, "connection_string", allow_empty=False)
        mode = check_choice(
            getattr(group_mode, "value", group_mode), IMPORT_GROUP_MODES, "group_mode"
        )
        check_confirmed(
            confirm,
            "system.import_users_from_v1()",
            "creates a user for every Wiki.js 1.x user, and groups for them",
        )
        result = self._gql.import_users_from_v_1(
            mongo_db_conn_string=connection_string, group_mode=SystemImportUsersGroupMode(mode)
        )
        done = require(
            require(result.system, "system", "ImportUsersFromV1").import_users_from_v_1,
            "import result",
            "ImportUsersFromV1",
        )
        return ImportedUsers(
            users=done.users_count or 0,
            groups=done.groups_count or 0,
            failed=tuple(present(done.failed)),
        )

    def export(self, path: str, *, entities: Iterable[ExportEntity] = EXPORT_ENTITIES) -> None:
        """Start exporting the wiki to a folder on the server's disk (see :meth:`export_status`).

        The folder (absolute, or relative to the Wiki.js installation) must
        be empty or not exist; the server creates it. The export runs in
        the background: this returns once it has started.

        Example::

            client.system.export("/backups/wiki", entities=["pages", "assets", "users"])
            while (client.system.export_status()).status == "running":
                ...

        Args:
            path: where the server writes the export.
            entities: what to export, any of ``"assets"``, ``"comments"``,
                ``"groups"``, ``"history"``, ``"navigation"``, ``"pages"``,
                ``"settings"``, ``"users"`` (default: all).

        Raises:
            ValidationError: an unknown entity, or none.
            APIError: the folder is not empty, or an export is already running.
        """
        path = v.check_text(path, "path", allow_empty=False)
        wanted = check_entities(entities)
        self._gql.start_export(entities=wanted, path=path)

    def export_status(self) -> SystemExportStatus:
        """How the current (or last) export is going.

        ``status`` is ``"notrunning"`` before any export, then
        ``"running"``, ``"success"`` or ``"error"`` (with ``message``).

        Example::

            status = client.system.export_status()
            print(status.status, status.progress)
        """
        result = self._gql.get_export_status()
        system = require(result.system, "system", "GetExportStatus")
        return require(system.export_status, "export status", "GetExportStatus")
