"""Results of batch operations (``get_many``, ``create_many``, …).

A batch never hides its successes behind a failure: each input ends as
either a value or a :class:`BatchItemError`, in input order.

Example::

    result = client.pages.get_many([1, 2, 999])
    for page in result:              # the successes, in input order
        print(page.title)
    for error in result.errors:      # the failures, with their input
        print(error.index, error.input, error.message)
    result.raise_for_errors()        # or: fail if anything failed
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from ._constants import DEFAULT_BATCH_SIZE
from .errors import WikiJSError

__all__ = [
    "BatchError",
    "BatchItemError",
    "BatchMode",
    "BatchProgress",
    "BatchResult",
    "DEFAULT_BATCH_SIZE",
    "ProgressCallback",
]

T = TypeVar("T")

#: ``"alias"``: one document with aliased fields; ``"array"``: a JSON array
#: of separate operations in one POST (Wiki.js accepts both).
BatchMode = Literal["alias", "array"]


@dataclass(frozen=True)
class BatchProgress:
    """How far a batch of writes has come; handed to ``progress=`` after each request.

    Example::

        def show(p: BatchProgress) -> None:
            print(f"{p.done}/{p.total} written, {p.failed} failed")

        client.pages.create_many(pages, progress=show)

    Attributes:
        done: items settled so far (written, confirmed, or failed).
        total: items in the batch.
        failed: items that ended as errors so far.
    """

    done: int
    total: int
    failed: int = 0


#: A ``progress=`` callback; called after each request of a write batch.
ProgressCallback = Callable[[BatchProgress], object]


@dataclass(frozen=True)
class BatchItemError:
    """One failed input of a batch.

    Attributes:
        index: the input's position.
        input: the input as given (an id, a dict, a model…).
        error: the typed error, as the single call would have raised it.
    """

    index: int
    input: Any
    error: WikiJSError

    @property
    def message(self) -> str:
        return str(self.error)


class BatchError(WikiJSError):
    """Raised by :meth:`BatchResult.raise_for_errors`; carries every failure.

    Attributes:
        errors: the failed items.
        result: the whole batch result, successes included.
    """

    def __init__(self, result: BatchResult[Any]) -> None:
        errors = result.errors
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(
            f"{len(errors)} of {len(result.results)} batch items failed; "
            f"item {first.index}: {first.message}{more}",
            operation=first.error.operation,
        )
        self.errors = errors
        self.result = result


class BatchResult(Generic[T]):
    """The outcome of a batch, one entry per input, in input order.

    Attributes:
        results: per input, the value or a :class:`BatchItemError`.
    """

    __slots__ = ("results",)

    def __init__(self, results: Sequence[T | BatchItemError]) -> None:
        self.results: list[T | BatchItemError] = list(results)

    @property
    def success(self) -> list[T]:
        """The successful values, in input order."""
        return [r for r in self.results if not isinstance(r, BatchItemError)]

    @property
    def errors(self) -> list[BatchItemError]:
        """The failed items, in input order."""
        return [r for r in self.results if isinstance(r, BatchItemError)]

    @property
    def ok(self) -> bool:
        """Whether every item succeeded."""
        return not any(isinstance(r, BatchItemError) for r in self.results)

    def raise_for_errors(self) -> BatchResult[T]:
        """Raise :class:`BatchError` if any item failed; return self otherwise."""
        if not self.ok:
            raise BatchError(self)
        return self

    def __iter__(self) -> Iterator[T]:
        """Iterate over the successful values (``results`` has every item)."""
        return iter(self.success)

    def __repr__(self) -> str:
        return f"BatchResult(success={len(self.success)}, errors={len(self.errors)})"
