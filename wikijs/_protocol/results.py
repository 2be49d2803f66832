"""Unwrapping generated results: Wiki.js namespaces are nullable all the way down."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from ..errors import NotFoundError, ResponseError

T = TypeVar("T")


def require(value: T | None, what: str, operation: str) -> T:
    """``value``, or a ResponseError: the server sent neither data nor an error."""
    if value is None:
        raise ResponseError(f"the response has no {what}", operation=operation)
    return value


def found(value: T | None, what: str, operation: str) -> T:
    """``value``, or NotFoundError when the server answered null without an error."""
    if value is None:
        raise NotFoundError(f"{what} does not exist", operation=operation)
    return value


def present(items: Iterable[T | None] | None) -> list[T]:
    """A list without the nulls GraphQL lists may hold."""
    return [item for item in items or () if item is not None]
