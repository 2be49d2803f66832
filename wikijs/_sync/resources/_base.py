# Generated from wikijs/_async/resources/_base.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from ..._protocol import paging
from ..._protocol.calls import wrap_public_methods
from ...batch import BatchItemError, BatchResult
from ...errors import ConflictError, NotFoundError

if TYPE_CHECKING:
    from wikijs._generated.client import GeneratedClient

    from ..client import WikiJSClient

T = TypeVar("T")

logger = logging.getLogger("wikijs.middleware")


def already_applied(
    write: Callable[[], Any], explained_by: type[NotFoundError] | type[ConflictError]
) -> None:
    """Run an idempotent write that the retry layer may send more than once.

    When an attempt was cut off after the request left and a later attempt
    is refused with ``explained_by`` (a delete finding nothing, an assignment
    finding the user already there), the earlier attempt did the work: the
    write succeeded. The same refusal without an earlier unknown attempt is
    the caller's error, raised as usual.
    """
    try:
        write()
    except explained_by as exc:
        if not exc.previous_attempt_unknown:
            raise
        logger.info("%s: an earlier attempt was applied (%s)", exc.operation, exc.message)


def _resource_name(class_name: str) -> str:
    """``ApiKeys`` → ``api_keys``: the attribute the client holds it as."""
    name = class_name.removeprefix("Async")
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


class Resource:
    """A namespace of the client (``client.users``, …); one per client, holding
    nothing but what it may remember for the client's life (asset folder paths).

    Its public methods raise errors that name the call (``pages.get(12): …``):
    see ``wikijs/_protocol/calls.py``.
    """

    #: What a NotFoundError from a method is about, when not a lone ``*_id``
    #: argument: ``{"get_by_path": "page at {locale}/{path}"}``.
    _subjects: ClassVar[Mapping[str, str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        wrap_public_methods(cls, _resource_name(cls.__name__), cls._subjects)

    def __init__(self, client: WikiJSClient) -> None:
        self._client = client
        self._gql: GeneratedClient = client.graphql

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"

    def _iter_by_ids(
        self,
        ids: Sequence[int],
        batch_size: int,
        get_many: Callable[..., BatchResult[T]],
    ) -> Iterator[T]:
        """Full records for ``ids``, ``batch_size`` per request, handed out one by one.

        Only the ids and one batch are held. Records deleted while the walk
        is under way are skipped; any other failure is raised.
        """
        for chunk in paging.chunked(ids, batch_size):
            batch = get_many(chunk, chunk_size=batch_size)
            for outcome in batch.results:
                if isinstance(outcome, BatchItemError):
                    if isinstance(outcome.error, NotFoundError):
                        continue
                    raise outcome.error
                yield outcome
            del batch
