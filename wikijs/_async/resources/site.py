"""``client.site``: the site configuration (title, host, features, security, uploads)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, overload

from wikijs._generated.fragments import SiteConfig

from ..._protocol.admin import check_site_changes, merged_site_variables, site_fields
from ..._protocol.results import require
from ...errors import InvalidArgumentError
from ._base import AsyncResource

SITE_SETTINGS = site_fields(SiteConfig)


class AsyncSite(AsyncResource):
    """The site configuration: read it, change some settings.

    Example::

        config = await client.site.config()
        await client.site.update(title="Team Wiki", feature_page_comments=True)
    """

    async def config(self) -> SiteConfig:
        """Every site setting.

        Example::

            config = await client.site.config()
            print(config.title, config.host, config.upload_max_file_size)
        """
        result = await self._gql.get_site_config()
        site = require(result.site, "site", "GetSiteConfig")
        return require(site.config, "site config", "GetSiteConfig")

    @overload
    async def update(self, settings: Mapping[str, Any]) -> SiteConfig: ...

    @overload
    async def update(
        self,
        *,
        host: str = ...,
        title: str = ...,
        description: str = ...,
        robots: Iterable[str] = ...,
        analytics_service: str = ...,
        analytics_id: str = ...,
        company: str = ...,
        content_license: str = ...,
        footer_override: str = ...,
        logo_url: str = ...,
        page_extensions: str = ...,
        auth_auto_login: bool = ...,
        auth_enforce_2_fa: bool = ...,
        auth_hide_local: bool = ...,
        auth_login_bg_url: str = ...,
        auth_jwt_audience: str = ...,
        auth_jwt_expiration: str = ...,
        auth_jwt_renewable_period: str = ...,
        edit_fab: bool = ...,
        edit_menu_bar: bool = ...,
        edit_menu_btn: bool = ...,
        edit_menu_external_btn: bool = ...,
        edit_menu_external_name: str = ...,
        edit_menu_external_icon: str = ...,
        edit_menu_external_url: str = ...,
        feature_page_ratings: bool = ...,
        feature_page_comments: bool = ...,
        feature_personal_wikis: bool = ...,
        security_open_redirect: bool = ...,
        security_iframe: bool = ...,
        security_referrer_policy: bool = ...,
        security_trust_proxy: bool = ...,
        security_sri: bool = ...,
        security_hsts: bool = ...,
        security_hsts_duration: int = ...,
        security_csp: bool = ...,
        security_csp_directives: str = ...,
        upload_max_file_size: int = ...,
        upload_max_files: int = ...,
        upload_scan_svg: bool = ...,
        upload_force_download: bool = ...,
    ) -> SiteConfig: ...

    async def update(self, settings: Mapping[str, Any] | None = None, **changes: Any) -> SiteConfig:
        """Change the given settings only, and return the configuration as stored.

        Settings are :class:`~wikijs.models.SiteConfig`'s snake_case names,
        as keywords or in one mapping; names and value types are checked
        before anything is sent. The configuration is read first and every
        setting sent back with yours applied, so nothing is reset by omission.

        Example::

            config = await client.site.update(title="Team Wiki", upload_max_file_size=10_000_000)

        Raises:
            ValidationError: an unknown setting or a value of the wrong type.
        """
        if settings is not None:
            if changes or not isinstance(settings, Mapping):
                raise InvalidArgumentError("pass the settings as keywords or as one mapping")
            changes = dict(settings)
        changes = check_site_changes(changes, SITE_SETTINGS)
        current = await self.config()
        await self._gql.update_site_config(**merged_site_variables(current, changes, SITE_SETTINGS))
        return await self.config()
