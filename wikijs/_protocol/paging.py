"""Paging, filtering and ordering done on the client. Pure: no I/O.

Wiki.js 2.5 pages nothing but page history: ``users.list``, ``groups.list``,
``assets.list`` and friends answer everything at once and ignore their
``filter``/``orderBy`` arguments. Every ``list(limit, offset)`` and
``iter_all()`` of the SDK applies the same rules, written once here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from ..errors import InvalidArgumentError
from . import validation as v
from .options import canonical, check_direction

__all__ = ["check_direction"]  # re-exported: the resources check directions through paging

T = TypeVar("T")


@dataclass(frozen=True)
class Window:
    """Which slice of a listing to return: skip ``offset``, keep at most ``limit``."""

    limit: int | None = None
    offset: int = 0

    @classmethod
    def build(cls, limit: Any = None, offset: Any = 0) -> Window:
        """Checked before any I/O: ``limit`` positive or None, ``offset`` >= 0."""
        if limit is not None:
            v.check_positive(limit, "limit")
        return cls(limit, v.check_non_negative(offset, "offset"))

    @property
    def end(self) -> int | None:
        return None if self.limit is None else self.offset + self.limit

    def apply(self, items: Sequence[T]) -> list[T]:
        return list(items[self.offset : self.end])


@dataclass(frozen=True)
class Ordering:
    """A checked sort order: a field of the listed model and a direction.

    ``fields`` maps the names callers may use to model attributes (see ``build``).
    """

    attribute: str | None = None
    descending: bool = False

    @classmethod
    def build(
        cls, order_by: Any, direction: Any, fields: Mapping[str, str], default: str | None = None
    ) -> Ordering:
        """``fields`` maps each spelling to the attribute; attributes are the canonical names.

        Older spellings (``"created"``, ``"NAME"``, camelCase) still work, with a
        :class:`DeprecationWarning` (see ``options.py``).
        """
        descending = check_direction(direction)
        if order_by is None:
            return cls(default, descending)
        if not isinstance(order_by, str):
            raise InvalidArgumentError(
                f"order_by must be a field name, not {type(order_by).__name__}", field="order_by"
            )
        name = order_by.strip()
        sign = ""
        if name.startswith("-"):
            descending, name, sign = not descending, name[1:], "-"
        key = canonical(name, fields, "order_by", prefix=sign)
        if key is None:
            choices = ", ".join(repr(choice) for choice in sorted(set(fields.values())))
            raise InvalidArgumentError(
                f"cannot order by {order_by!r}; choose one of {choices}", field="order_by"
            )
        return cls(key, descending)

    def apply(self, items: Iterable[T]) -> list[T]:
        out = list(items)
        if self.attribute is not None:
            attribute = self.attribute
            # None sorts first ascending (never-logged-in users, unset dates).
            out.sort(
                key=lambda item: _sort_key(getattr(item, attribute, None)),
                reverse=self.descending,
            )
        elif self.descending:
            out.reverse()
        return out


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, 0)
    if isinstance(value, str):
        return (1, value.casefold())
    return (1, value)


def check_filter(value: Any, name: str = "filter") -> str | None:
    """A text filter: None, or a non-empty string matched case-insensitively."""
    if value is None:
        return None
    text = v.check_text(value, name).strip()
    return text.casefold() or None


def matches(needle: str | None, *haystack: str | None) -> bool:
    """Whether ``needle`` (already casefolded) occurs in any of the texts."""
    if needle is None:
        return True
    return any(needle in text.casefold() for text in haystack if text)


def select(
    items: Iterable[T],
    *,
    keep: Callable[[T], bool] | None = None,
    ordering: Ordering | None = None,
    window: Window | None = None,
) -> list[T]:
    """Filter, then order, then slice: the SDK's client-side ``list``."""
    chosen: Iterable[T] = items if keep is None else (item for item in items if keep(item))
    ordered = (ordering or Ordering()).apply(chosen)
    return (window or Window()).apply(ordered)


def chunked(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Consecutive slices of at most ``size`` items."""
    size = v.check_positive(size, "batch_size")
    for start in range(0, len(items), size):
        yield items[start : start + size]
