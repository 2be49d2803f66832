# Generated from wikijs/_async/resources/_base.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _wikijs_generated.client import GeneratedClient

    from ..client import WikiJSClient


class Resource:
    """A namespace of the async client; holds no state of its own."""

    def __init__(self, client: WikiJSClient) -> None:
        self._client = client
        self._gql: GeneratedClient = client.graphql

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"
