"""``client.analytics``: the tracking services the wiki reports to."""

from __future__ import annotations

import builtins
from collections.abc import Mapping

from wikijs._generated.fragments import AnalyticsProvider
from wikijs._generated.input_types import AnalyticsProviderInput

from ..._protocol.modules import JSONValue, ModuleSettings, check_key, config_input, pick
from ..._protocol.results import present, require
from ..._protocol.server_admin import check_bool
from ...errors import InvalidArgumentError
from ._base import AsyncResource


class AsyncAnalytics(AsyncResource):
    """Analytics providers (Google Analytics, Matomo, …): list, switch on, configure.

    Needs ``manage:system``.

    Example::

        await client.analytics.update("google", enabled=True, config={"propertyTrackingId": "G-1"})
    """

    async def providers(self, *, enabled_only: bool = False) -> builtins.list[AnalyticsProvider]:
        """Every analytics provider the server offers (or only the enabled ones).

        Example::

            print([p.key for p in await client.analytics.providers(enabled_only=True)])
        """
        check_bool(enabled_only, "enabled_only")
        result = await self._gql.list_analytics_providers(is_enabled=True if enabled_only else None)
        return present(require(result.analytics, "analytics", "ListAnalyticsProviders").providers)

    async def get(self, key: str) -> AnalyticsProvider:
        """One provider by key (``"google"``, ``"matomo"``, …).

        Example::

            provider = await client.analytics.get("matomo")

        Raises:
            NotFoundError: the server has no provider with that key.
        """
        key = check_key(key)
        return pick(await self.providers(), key, "analytics provider", "ListAnalyticsProviders")

    async def update(
        self,
        key: str,
        *,
        enabled: bool | None = None,
        config: Mapping[str, JSONValue] | None = None,
    ) -> AnalyticsProvider:
        """Switch a provider on or off or change some of its settings; return it as stored.

        The provider's other settings are read first and sent back as they were.

        Example::

            provider = await client.analytics.update(
                "matomo", enabled=True, config={"siteId": 1, "serverHost": "https://m.example.com"}
            )

        Raises:
            NotFoundError: no provider with that key.
            ValidationError: an unknown setting or a value of the wrong type.
        """
        key = check_key(key)
        if enabled is None and config is None:
            raise InvalidArgumentError("give enabled or config to change")
        if enabled is not None:
            check_bool(enabled, "enabled")
        provider = await self.get(key)
        values = ModuleSettings.of(provider).merged(
            config or {}, module=f"analytics provider {key!r}"
        )
        wanted = {
            "key": key,
            "isEnabled": provider.is_enabled if enabled is None else enabled,
            "config": config_input(values),
        }
        await self._gql.update_analytics_providers(
            providers=[AnalyticsProviderInput.model_validate(wanted)]
        )
        return await self.get(key)
