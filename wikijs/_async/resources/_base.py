from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from ..._core import paging
from ...batch import BatchItemError, BatchResult
from ...errors import NotFoundError

if TYPE_CHECKING:
    from wikijs._generated.async_client import AsyncGeneratedClient

    from ..client import AsyncWikiJSClient

T = TypeVar("T")


class AsyncResource:
    """A namespace of the client (``client.users``, …); holds no state of its own."""

    def __init__(self, client: AsyncWikiJSClient) -> None:
        self._client = client
        self._gql: AsyncGeneratedClient = client.graphql

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"

    async def _iter_by_ids(
        self,
        ids: Sequence[int],
        batch_size: int,
        get_many: Callable[..., Awaitable[BatchResult[T]]],
    ) -> AsyncIterator[T]:
        """Full records for ``ids``, ``batch_size`` per request, handed out one by one.

        Only the ids and one batch are held. Records deleted while the walk
        is under way are skipped; any other failure is raised.
        """
        for chunk in paging.chunked(ids, batch_size):
            batch = await get_many(chunk, chunk_size=batch_size)
            for outcome in batch.results:
                if isinstance(outcome, BatchItemError):
                    if isinstance(outcome.error, NotFoundError):
                        continue
                    raise outcome.error
                yield outcome
            del batch
