"""``client.logging``: the server's live log. Async client only (a websocket subscription)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from ..._protocol.events import LogEvent
from ._base import AsyncResource


class AsyncLogging(AsyncResource):
    """The live log of the server (``loggingLiveTrail``).

    Wiki.js streams it over its ``graphql-ws`` websocket, and only to a user
    JWT with ``manage:system``: log in with :class:`~wikijs.auth.JWTAuth`;
    API keys are refused.

    Example::

        async with AsyncWikiJSClient(url, auth=JWTAuth("admin@example.com", "pw")) as client:
            async for line in client.logging.live_trail():
                print(line.timestamp, line.level, line.output)
    """

    async def live_trail(self) -> AsyncIterator[LogEvent]:
        """Each line the server logs from now on, as a :class:`~wikijs.events.LogEvent`.

        The iterator runs until you stop iterating (``break``, cancellation)
        or the connection ends.

        Raises:
            AuthenticationError: the credentials may not subscribe (an API
                key, or a user without ``manage:system``).
            ConnectError: the websocket could not be opened.
            ConnectionLostError: the connection broke while listening.
        """
        async for result in self._gql.logging_live_trail():
            entry = result.logging_live_trail
            if entry is not None:
                yield LogEvent(timestamp=entry.timestamp, level=entry.level, output=entry.output)
