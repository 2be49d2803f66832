"""``client.navigation``: the site's navigation menu, one tree per locale."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping
from typing import Any

from wikijs._generated.enums import NavigationMode
from wikijs._generated.fragments import NavigationItem, NavigationTree
from wikijs._generated.input_types import NavigationTreeInput

from ..._facts import DEFAULT_LOCALE
from ..._protocol import validation as v
from ..._protocol.admin import check_navigation_mode, navigation_tree
from ..._protocol.results import present, require
from ._base import AsyncResource


class AsyncNavigation(AsyncResource):
    """Navigation: read and replace the menu, read and set its mode.

    Example::

        await client.navigation.set_items("en", [
            {"label": "Home", "target_type": "home", "icon": "mdi-home"},
            {"kind": "divider"},
            {"label": "Docs", "target_type": "page", "target": "/docs"},
        ])
        await client.navigation.set_mode("STATIC")
    """

    async def tree(self) -> builtins.list[NavigationTree]:
        """Every locale's menu.

        Example::

            for tree in await client.navigation.tree():
                print(tree.locale, [item.label for item in tree.items])
        """
        result = await self._gql.get_navigation_tree()
        return present(require(result.navigation, "navigation", "GetNavigationTree").tree)

    async def items(self, locale: str = DEFAULT_LOCALE) -> builtins.list[NavigationItem]:
        """One locale's menu items (empty if it has none).

        Example::

            labels = [item.label for item in await client.navigation.items("en")]
        """
        locale = v.check_locale(locale)
        for tree in await self.tree():
            if tree.locale == locale:
                return builtins.list(tree.items)
        return []

    async def update_tree(
        self, tree: Iterable[NavigationTree | Mapping[str, Any]] | Mapping[str, Any]
    ) -> builtins.list[NavigationTree]:
        """Replace the whole menu: every locale not given is emptied.

        ``tree`` is a list of trees (as read, or ``{"locale": ..., "items":
        [...]}``) or a ``{locale: items}`` mapping. Items are mappings or
        read items; ``id`` is generated when missing.

        Example::

            await client.navigation.update_tree({"en": [{"label": "Home", "target_type": "home"}]})
        """
        variables = navigation_tree(tree)
        await self._gql.update_navigation_tree(
            tree=[NavigationTreeInput.model_validate(item) for item in variables]
        )
        return await self.tree()

    async def set_items(
        self, locale: str, items: Iterable[NavigationItem | Mapping[str, Any]]
    ) -> builtins.list[NavigationItem]:
        """Replace one locale's menu, keeping the other locales' as they are.

        Example::

            await client.navigation.set_items("en", [{"label": "Docs", "target": "/docs"}])
        """
        locale = v.check_locale(locale)
        wanted = navigation_tree({locale: builtins.list(items)})
        trees = {tree.locale: tree.items for tree in await self.tree()}
        trees[locale] = wanted[0]["items"]
        await self._gql.update_navigation_tree(
            tree=[NavigationTreeInput.model_validate(item) for item in navigation_tree(trees)]
        )
        return await self.items(locale)

    async def mode(self) -> NavigationMode:
        """How the menu is built: ``NONE``, ``TREE``, ``MIXED`` or ``STATIC``.

        Example::

            print(await client.navigation.mode())
        """
        result = await self._gql.get_navigation_config()
        return require(result.navigation, "navigation", "GetNavigationConfig").config.mode

    async def set_mode(self, mode: NavigationMode | str) -> None:
        """Choose how the menu is built.

        Example::

            await client.navigation.set_mode("MIXED")
        """
        await self._gql.update_navigation_config(mode=NavigationMode(check_navigation_mode(mode)))
