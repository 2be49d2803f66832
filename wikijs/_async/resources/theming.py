"""``client.theming``: the wiki's look (theme, icons, dark mode, injected code)."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, overload

from wikijs._generated.fragments import Theme, ThemingConfig

from ..._protocol.results import present, require
from ..._protocol.server_admin import IconSet, TocPosition, theming_variables
from ...errors import InvalidArgumentError
from ._base import AsyncResource, AsyncWithRawResponse

if TYPE_CHECKING:
    from ..._http.raw import RawResponse


class AsyncTheming(AsyncResource):
    """Theming: read the settings, change some; list the themes.

    Needs ``manage:theme`` or ``manage:system``.

    Example::

        await client.theming.update(dark_mode=True, toc_position="right")
    """

    @cached_property
    def with_raw_response(self) -> AsyncThemingWithRawResponse:
        """These methods, each answering a :class:`~wikijs.RawResponse`: the result
        and the HTTP exchanges it came from (see ``docs/options.md``)."""
        return AsyncThemingWithRawResponse(self)

    async def config(self) -> ThemingConfig:
        """The theming settings.

        Example::

            config = await client.theming.config()
            print(config.theme, config.dark_mode, config.inject_css)
        """
        result = await self._gql.get_theming_config()
        theming = require(result.theming, "theming", "GetThemingConfig")
        return require(theming.config, "theming config", "GetThemingConfig")

    async def themes(self) -> builtins.list[Theme]:
        """The themes the server offers (2.5 has one: ``default``).

        Example::

            print([theme.key for theme in await client.theming.themes()])
        """
        result = await self._gql.list_themes()
        return present(require(result.theming, "theming", "ListThemes").themes)

    @overload
    async def update(self, settings: Mapping[str, Any]) -> ThemingConfig: ...

    @overload
    async def update(
        self,
        *,
        theme: str = ...,
        iconset: IconSet = ...,
        dark_mode: bool = ...,
        toc_position: TocPosition = ...,
        inject_css: str = ...,
        inject_head: str = ...,
        inject_body: str = ...,
    ) -> ThemingConfig: ...

    async def update(
        self, settings: Mapping[str, Any] | None = None, **changes: Any
    ) -> ThemingConfig:
        """Change the given settings only, and return the settings as stored.

        Wiki.js takes every setting at once and resets what it is not
        given: the others are read first and sent back as they were. It
        minifies ``inject_css`` when storing it and formats it when reading
        it back, so the CSS you read is equivalent, not equal, to yours.

        Example::

            config = await client.theming.update(inject_css=".page-title { color: teal; }")

        The settings, as keywords:

        - ``theme``: the theme's key (``"default"``).
        - ``iconset``: ``"mdi"`` (Material Design Icons), ``"fa"`` (Font
          Awesome 5) or ``"fa4"`` (Font Awesome 4).
        - ``dark_mode``: dark colours.
        - ``toc_position``: ``"left"``, ``"right"`` or ``"hidden"``.
        - ``inject_css``: CSS added to every page.
        - ``inject_head``: HTML added to every page's head.
        - ``inject_body``: HTML added at the end of every page's body.

        Raises:
            ValidationError: an unknown setting or a value it cannot take.
        """
        if settings is not None:
            if changes or not isinstance(settings, Mapping):
                raise InvalidArgumentError("pass the settings as keywords or as one mapping")
            changes = dict(settings)
        theming_variables(None, changes)  # checked before anything is sent
        current = await self.config()
        variables = theming_variables(current, changes)
        await self._gql.set_theming_config(
            theme=variables["theme"],
            iconset=variables["iconset"],
            dark_mode=variables["darkMode"],
            toc_position=variables["tocPosition"],
            inject_css=variables["injectCSS"],
            inject_head=variables["injectHead"],
            inject_body=variables["injectBody"],
        )
        return await self.config()


# -- with_raw_response: written by scripts/unasync from the methods above; do not edit


class AsyncThemingWithRawResponse(AsyncWithRawResponse):
    """``client.theming``, each method answering a :class:`~wikijs.RawResponse`.

    Its methods are those of :class:`AsyncTheming` that send their requests at
    once; each answers what the method returns (``parsed``) with the HTTP
    exchanges it came from.
    """

    _methods = frozenset({"config", "themes", "update"})

    if TYPE_CHECKING:

        async def config(self) -> RawResponse[ThemingConfig]:
            """Same as :meth:`AsyncTheming.config`, with its HTTP exchanges."""
            ...

        async def themes(self) -> RawResponse[builtins.list[Theme]]:
            """Same as :meth:`AsyncTheming.themes`, with its HTTP exchanges."""
            ...

        @overload
        async def update(self, settings: Mapping[str, Any]) -> RawResponse[ThemingConfig]: ...

        @overload
        async def update(
            self,
            *,
            theme: str = ...,
            iconset: IconSet = ...,
            dark_mode: bool = ...,
            toc_position: TocPosition = ...,
            inject_css: str = ...,
            inject_head: str = ...,
            inject_body: str = ...,
        ) -> RawResponse[ThemingConfig]: ...

        async def update(
            self, settings: Mapping[str, Any] | None = None, **changes: Any
        ) -> RawResponse[ThemingConfig]:
            """Same as :meth:`AsyncTheming.update`, with its HTTP exchanges."""
            ...


# -- end with_raw_response
