# Generated from wikijs/_async/resources/site.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""``client.site``: the site configuration (title, host, features, security, uploads)."""

from __future__ import annotations

from typing import Any

from wikijs._generated.fragments import SiteConfig

from ..._core.admin import check_site_changes, merged_site_variables, site_fields
from ..._core.results import require
from ._base import Resource

SITE_SETTINGS = site_fields(SiteConfig)


class Site(Resource):
    """The site configuration: read it, change some settings.

    Example::

        config = client.site.config()
        client.site.update(title="Team Wiki", feature_page_comments=True)
    """

    def config(self) -> SiteConfig:
        """Every site setting.

        Example::

            config = client.site.config()
            print(config.title, config.host, config.upload_max_file_size)
        """
        result = self._gql.get_site_config()
        site = require(result.site, "site", "GetSiteConfig")
        return require(site.config, "site config", "GetSiteConfig")

    def update(self, **settings: Any) -> SiteConfig:
        """Change the given settings only, and return the configuration as stored.

        Settings are :class:`~wikijs.models.SiteConfig`'s snake_case names;
        names and value types are checked before anything is sent. The
        configuration is read first and every setting sent back with yours
        applied, so nothing is reset by omission.

        Example::

            config = client.site.update(title="Team Wiki", upload_max_file_size=10_000_000)

        Raises:
            ValidationError: an unknown setting or a value of the wrong type.
        """
        changes = check_site_changes(settings, SITE_SETTINGS)
        current = self.config()
        self._gql.update_site_config(**merged_site_variables(current, changes, SITE_SETTINGS))
        return self.config()
