"""``client.rendering``: the pipeline that turns page sources into HTML."""

from __future__ import annotations

import builtins
from collections.abc import Mapping

from wikijs._generated.fragments import Renderer
from wikijs._generated.input_types import RendererInput

from ..._protocol.modules import JSONValue, ModuleSettings, check_key, config_input, pick
from ..._protocol.results import present, require
from ..._protocol.server_admin import check_bool
from ...errors import InvalidArgumentError
from ._base import AsyncResource


class AsyncRendering(AsyncResource):
    """The renderers: list them, switch one on or off, change its settings.

    Needs ``manage:system``. Pages keep the HTML they were rendered with
    until they are rendered again (``client.pages.render``).

    Example::

        await client.rendering.update("markdownCore", config={"linkify": False})
    """

    async def renderers(self) -> builtins.list[Renderer]:
        """Every renderer of the pipeline, enabled or not.

        Example::

            for renderer in await client.rendering.renderers():
                print(renderer.key, renderer.input, "→", renderer.output, renderer.is_enabled)
        """
        result = await self._gql.list_renderers()
        return present(require(result.rendering, "rendering", "ListRenderers").renderers)

    async def get(self, key: str) -> Renderer:
        """One renderer by key (``"markdownCore"``, ``"htmlSecurity"``, …).

        Example::

            renderer = await client.rendering.get("markdownCore")

        Raises:
            NotFoundError: the server has no renderer with that key.
        """
        key = check_key(key)
        return pick(await self.renderers(), key, "renderer", "ListRenderers")

    async def update(
        self,
        key: str,
        *,
        enabled: bool | None = None,
        config: Mapping[str, JSONValue] | None = None,
    ) -> Renderer:
        """Switch a renderer on or off or change some of its settings; return it as stored.

        The renderer's other settings are read first and sent back as they were.

        Example::

            renderer = await client.rendering.update("markdownCore", config={"breaks": False})

        Raises:
            NotFoundError: no renderer with that key.
            ValidationError: an unknown setting or a value of the wrong type.
        """
        key = check_key(key)
        if enabled is None and config is None:
            raise InvalidArgumentError("give enabled or config to change")
        if enabled is not None:
            check_bool(enabled, "enabled")
        renderer = await self.get(key)
        values = ModuleSettings.of(renderer).merged(config or {}, module=f"renderer {key!r}")
        wanted = {
            "key": key,
            "isEnabled": renderer.is_enabled if enabled is None else enabled,
            "config": config_input(values),
        }
        await self._gql.update_renderers(renderers=[RendererInput.model_validate(wanted)])
        return await self.get(key)
