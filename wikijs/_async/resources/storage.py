"""``client.storage``: the targets the wiki syncs its content to (Git, S3, local disk, …)."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any

from wikijs._generated.fragments import StorageStatus, StorageTarget
from wikijs._generated.input_types import StorageTargetInput

from ..._protocol.modules import JSONValue, ModuleSettings, check_key, config_input, pick
from ..._protocol.results import present, require
from ..._protocol.server_admin import (
    STORAGE_MODES,
    StorageMode,
    check_bool,
    check_choice,
    check_interval,
)
from ...errors import InvalidArgumentError
from ._base import AsyncResource


class AsyncStorage(AsyncResource):
    """Storage targets: list them, read their state, change one, run its actions.

    Needs ``manage:system``. A target's settings are key/value pairs:
    :class:`~wikijs.models.ModuleSettings` reads them, and :meth:`update`
    changes the ones you name and sends the rest back as they were.

    Example::

        git = await client.storage.get("git")
        print(ModuleSettings.of(git)["branch"])
        await client.storage.update("git", config={"branch": "main"})
    """

    async def targets(self) -> builtins.list[StorageTarget]:
        """Every storage target the server offers, enabled or not, by title.

        Example::

            for target in await client.storage.targets():
                print(target.key, target.is_enabled, target.mode)
        """
        result = await self._gql.list_storage_targets()
        return present(require(result.storage, "storage", "ListStorageTargets").targets)

    async def get(self, key: str) -> StorageTarget:
        """One storage target by key (``"git"``, ``"s3"``, ``"disk"``, …).

        Example::

            target = await client.storage.get("disk")

        Raises:
            NotFoundError: the server has no target with that key.
        """
        key = check_key(key)
        return pick(await self.targets(), key, "storage target", "ListStorageTargets")

    async def status(self) -> builtins.list[StorageStatus]:
        """The sync state of each enabled target.

        Example::

            for state in await client.storage.status():
                print(state.key, state.status, state.message)
        """
        result = await self._gql.get_storage_status()
        return present(require(result.storage, "storage", "GetStorageStatus").status)

    async def update(
        self,
        key: str,
        *,
        enabled: bool | None = None,
        mode: StorageMode | None = None,
        sync_interval: str | None = None,
        config: Mapping[str, JSONValue] | None = None,
    ) -> StorageTarget:
        """Change one target and return it as stored.

        Only what you pass changes: the target's other settings are read
        first and sent back as they were (secrets, which the server shows
        as ``"********"``, are kept by the server). Wiki.js then restarts
        every enabled target.

        Example::

            await client.storage.update(
                "disk", enabled=True, config={"path": "/backup/wiki", "createDailyBackups": True}
            )

        Args:
            key: the target's key.
            enabled: switch it on or off.
            mode: ``"sync"`` (both ways), ``"push"`` or ``"pull"``; one of
                the target's ``supported_modes``.
            sync_interval: how often it syncs, an ISO 8601 duration (``"PT5M"``).
            config: settings to change, by key (see ``ModuleSettings.of(target)``).

        Raises:
            NotFoundError: no target with that key.
            ValidationError: an unknown setting, a value of the wrong type,
                or a mode the target does not support.
        """
        key = check_key(key)
        if enabled is None and mode is None and sync_interval is None and config is None:
            raise InvalidArgumentError("give at least one thing to change")
        if enabled is not None:
            check_bool(enabled, "enabled")
        if mode is not None:
            check_choice(mode, STORAGE_MODES, "mode")
        if sync_interval is not None:
            sync_interval = check_interval(sync_interval)
        target = await self.get(key)
        if mode is not None and mode not in (target.supported_modes or ()):
            supported = ", ".join(m for m in target.supported_modes or () if m)
            raise InvalidArgumentError(
                f"storage target {key!r} supports the modes {supported}, not {mode!r}",
                field="mode",
            )
        values = ModuleSettings.of(target).merged(config or {}, module=f"storage target {key!r}")
        wanted: dict[str, Any] = {
            "key": key,
            "isEnabled": target.is_enabled if enabled is None else enabled,
            "mode": mode or target.mode or "push",
            "syncInterval": sync_interval or target.sync_interval,
            "config": config_input(values),
        }
        await self._gql.update_storage_targets(targets=[StorageTargetInput.model_validate(wanted)])
        return await self.get(key)

    async def execute_action(self, key: str, handler: str) -> None:
        """Run one of an enabled target's actions now (``target.actions``).

        What an action does is the target's: Git's ``"sync"`` pulls and
        pushes, its ``"importAll"`` imports every file of the repository
        into the wiki (overwriting pages of the same path), its
        ``"purge"`` deletes the server's local clone; read ``action.hint``.

        Example::

            await client.storage.execute_action("git", "sync")

        Raises:
            APIError: the target is not enabled, or has no such action.
        """
        key = check_key(key)
        handler = check_key(handler, "handler")
        await self._gql.execute_storage_action(target_key=key, handler=handler)
