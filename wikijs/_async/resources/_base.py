from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _wikijs_generated.async_client import AsyncGeneratedClient

    from ..client import AsyncWikiJSClient


class AsyncResource:
    """A namespace of the async client; holds no state of its own."""

    def __init__(self, client: AsyncWikiJSClient) -> None:
        self._client = client
        self._gql: AsyncGeneratedClient = client.graphql

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"
