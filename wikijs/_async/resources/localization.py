"""``client.localization``: locales and the site's language settings."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import Any

from wikijs._generated.fragments import Locale, LocaleConfig, Translation

from ..._protocol import validation as v
from ..._protocol.admin import merged_locale_variables
from ..._protocol.results import present, require
from ...errors import InvalidArgumentError
from ._base import AsyncResource


class AsyncLocalization(AsyncResource):
    """Locales: list them, install one, read and change the language settings.

    Example::

        installed = [l.code for l in await client.localization.locales() if l.is_installed]
        await client.localization.update_config(namespacing=True, namespaces=["en", "de"])
    """

    async def locales(self, *, installed: bool | None = None) -> builtins.list[Locale]:
        """The locales the server knows (``installed=True``: only installed ones).

        Example::

            for locale in await client.localization.locales():
                print(locale.code, locale.native_name, locale.is_installed)
        """
        if installed is not None and not isinstance(installed, bool):
            raise InvalidArgumentError("installed must be True, False or None", field="installed")
        result = await self._gql.list_locales()
        locales = present(require(result.localization, "localization", "ListLocales").locales)
        if installed is None:
            return locales
        return [locale for locale in locales if locale.is_installed == installed]

    async def config(self) -> LocaleConfig:
        """The site's locale, auto-update and namespacing settings.

        Example::

            config = await client.localization.config()
            print(config.locale, config.namespacing, config.namespaces)
        """
        result = await self._gql.get_locale_config()
        localization = require(result.localization, "localization", "GetLocaleConfig")
        return require(localization.config, "locale config", "GetLocaleConfig")

    async def update_config(
        self,
        *,
        locale: str | None = None,
        auto_update: bool | None = None,
        namespacing: bool | None = None,
        namespaces: Iterable[str] | None = None,
    ) -> LocaleConfig:
        """Change the given language settings only (Wiki.js needs all of them: the
        current ones are read first and sent back with yours applied).

        Example::

            config = await client.localization.update_config(namespacing=True,
                                                              namespaces=["en", "de"])
        """
        changes: dict[str, Any] = {
            name: value
            for name, value in (
                ("locale", locale),
                ("auto_update", auto_update),
                ("namespacing", namespacing),
                ("namespaces", namespaces),
            )
            if value is not None
        }
        if not changes:
            raise InvalidArgumentError("give at least one setting to change")
        # Checked (and made a list) before any I/O; merged again with the real config.
        merged_locale_variables(_Blank(), changes)
        current = await self.config()
        await self._gql.update_locale_config(**merged_locale_variables(current, changes))
        return await self.config()

    async def download(self, locale: str) -> None:
        """Install (or update) a locale's translations on the server.

        Example::

            await client.localization.download("de")
        """
        await self._gql.download_locale(locale=v.check_locale(locale))

    async def translations(
        self, locale: str, namespace: str = "common"
    ) -> builtins.list[Translation]:
        """The UI strings of a locale.

        Example::

            strings = {t.key: t.value for t in await client.localization.translations("de")}

        Raises:
            NotFoundError: the server has no such locale or namespace.
        """
        result = await self._gql.list_translations(
            locale=v.check_locale(locale), namespace=v.check_text(namespace, "namespace")
        )
        return present(
            require(result.localization, "localization", "ListTranslations").translations
        )


class _Blank:
    """A stand-in config, so changes can be checked before the real one is read."""

    locale = "en"
    auto_update = False
    namespacing = False
    namespaces: tuple[str, ...] = ()
