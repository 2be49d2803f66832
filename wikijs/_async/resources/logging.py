"""``client.logging``: the loggers, and the server's live log (async client only)."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING

from wikijs._generated.fragments import Logger
from wikijs._generated.input_types import LoggerInput

from ..._protocol.events import LogEvent
from ..._protocol.modules import (
    JSONValue,
    ModuleSettings,
    check_config,
    check_key,
    config_input,
    pick,
)
from ..._protocol.results import present, require
from ..._protocol.server_admin import LOG_LEVELS, LogLevel, check_bool, check_choice
from ...errors import InvalidArgumentError
from ._base import AsyncResource, AsyncWithRawResponse

if TYPE_CHECKING:
    from ..._http.raw import RawResponse

# unasync: async-only
if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from ..._protocol.events import LogEvent
# unasync: end


class AsyncLogging(AsyncResource):
    """The loggers the server can send its log to (Sentry, Loggly, …), and its live log.

    Needs ``manage:system``. The live log (``live_trail()``) streams over
    Wiki.js's ``graphql-ws`` websocket, and only to a user JWT with
    ``manage:system``: log in with :class:`~wikijs.auth.JWTAuth`; API keys
    are refused. It is offered by the async client only.

    Example::

        await client.logging.update("sentry", enabled=True, level="warn", config={"key": DSN})
    """

    @cached_property
    def with_raw_response(self) -> AsyncLoggingWithRawResponse:
        """These methods, each answering a :class:`~wikijs.RawResponse`: the result
        and the HTTP exchanges it came from (see ``docs/options.md``)."""
        return AsyncLoggingWithRawResponse(self)

    async def loggers(self) -> builtins.list[Logger]:
        """Every logger the server offers, enabled or not.

        Example::

            for logger in await client.logging.loggers():
                print(logger.key, logger.is_enabled, logger.level)
        """
        result = await self._gql.list_loggers()
        return present(require(result.logging, "logging", "ListLoggers").loggers)

    async def get(self, key: str) -> Logger:
        """One logger by key (``"sentry"``, ``"loggly"``, …).

        Example::

            logger = await client.logging.get("sentry")

        Raises:
            NotFoundError: the server has no logger with that key.
        """
        key = check_key(key)
        return pick(await self.loggers(), key, "logger", "ListLoggers")

    async def update(
        self,
        key: str,
        *,
        enabled: bool | None = None,
        level: LogLevel | None = None,
        config: Mapping[str, JSONValue] | None = None,
    ) -> Logger:
        """Switch a logger on or off, set its level or some settings; return it as stored.

        The logger's other settings are read first and sent back as they
        were. Wiki.js stores a logger's settings as the plain text it is
        given (it does not unwrap them as it does for other modules), so
        they are sent that way, and a number setting reads back as text
        (``"0"``) once any change went through the API.

        Example::

            logger = await client.logging.update("sentry", level="error")

        Args:
            level: the lowest level sent: ``"error"``, ``"warn"``,
                ``"info"``, ``"verbose"`` or ``"debug"``.

        Raises:
            NotFoundError: no logger with that key.
            ValidationError: an unknown setting, a value of the wrong type
                or an unknown level.
        """
        key = check_key(key)
        config = check_config(config)
        if enabled is None and level is None and config is None:
            raise InvalidArgumentError("give enabled, level or config to change")
        if enabled is not None:
            check_bool(enabled, "enabled")
        if level is not None:
            check_choice(level, LOG_LEVELS, "level")
        logger = await self.get(key)
        values = ModuleSettings.of(logger).merged(config or {}, module=f"logger {key!r}")
        wanted = {
            "key": key,
            "isEnabled": logger.is_enabled if enabled is None else enabled,
            "level": level or logger.level or "info",
            "config": config_input(values, raw=True),
        }
        await self._gql.update_loggers(loggers=[LoggerInput.model_validate(wanted)])
        return await self.get(key)

    # unasync: async-only
    async def live_trail(self) -> AsyncIterator[LogEvent]:
        """Each line the server logs from now on, as a :class:`~wikijs.events.LogEvent`.

        The iterator runs until you stop iterating (``break``, cancellation)
        or the connection ends.

        Example::

            async with AsyncWikiJSClient(url, auth=JWTAuth("admin@example.com", "pw")) as client:
                async for line in client.logging.live_trail():
                    print(line.timestamp, line.level, line.output)

        Raises:
            AuthenticationError: the credentials may not subscribe (an API
                key, or a user without ``manage:system``).
            ConnectError: the websocket could not be opened.
            ConnectionLostError: the connection broke while listening.
        """
        async for result in self._gql.logging_live_trail():
            entry = result.logging_live_trail
            if entry is not None:
                from ..._protocol.events import LogEvent

                yield LogEvent(timestamp=entry.timestamp, level=entry.level, output=entry.output)

    # unasync: end


# -- with_raw_response: written by scripts/unasync from the methods above; do not edit


class AsyncLoggingWithRawResponse(AsyncWithRawResponse):
    """``client.logging``, each method answering a :class:`~wikijs.RawResponse`.

    Its methods are those of :class:`AsyncLogging` that send their requests at
    once; each answers what the method returns (``parsed``) with the HTTP
    exchanges it came from.
    """

    _methods = frozenset({"get", "loggers", "update"})

    if TYPE_CHECKING:

        async def loggers(self) -> RawResponse[builtins.list[Logger]]:
            """Same as :meth:`AsyncLogging.loggers`, with its HTTP exchanges."""
            ...

        async def get(self, key: str) -> RawResponse[Logger]:
            """Same as :meth:`AsyncLogging.get`, with its HTTP exchanges."""
            ...

        async def update(
            self,
            key: str,
            *,
            enabled: bool | None = None,
            level: LogLevel | None = None,
            config: Mapping[str, JSONValue] | None = None,
        ) -> RawResponse[Logger]:
            """Same as :meth:`AsyncLogging.update`, with its HTTP exchanges."""
            ...


# -- end with_raw_response
