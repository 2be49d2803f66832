"""Checks on user input, run before anything is sent."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Literal, TypeVar

from .._facts import EDITORS, RESERVED_PATHS, ROUTED_PATHS
from ..errors import ArgumentTypeError, InvalidArgumentError

# First path segments a page cannot be reached under: Wiki.js's
# `reservedPaths`, its own routes, and (checked apart) one-letter names. The
# GraphQL API stores such a page anyway (only the editor's route checks), so
# the SDK refuses it before sending. A segment shaped like a locale code (`kb`,
# `en`) is allowed: the API accepts it and the page is served at
# /<locale>/<path>, though /<path> alone would read that segment as a locale.
# Compared in lower case: the router matches routes without regard to case.
UNREACHABLE_FIRST_SEGMENTS = frozenset(RESERVED_PATHS | ROUTED_PATHS)

T = TypeVar("T")

_LOCALE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_id(value: Any, name: str = "id") -> int:
    """A positive integer id (``True`` is not an id)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ArgumentTypeError(
            f"{name} must be a positive integer, not {type(value).__name__}", field=name
        )
    if value < 1:
        raise InvalidArgumentError(f"{name} must be a positive integer, not {value}", field=name)
    if value > 2**31 - 1:  # GraphQL Int is 32-bit
        raise InvalidArgumentError(f"{name} {value} is out of range for a GraphQL Int", field=name)
    return value


def check_text(value: Any, name: str, *, allow_empty: bool = True) -> str:
    """A string that survives the trip: UTF-8 encodable and without NUL."""
    if not isinstance(value, str):
        raise ArgumentTypeError(f"{name} must be a string, not {type(value).__name__}", field=name)
    if not allow_empty and not value.strip():
        raise InvalidArgumentError(f"{name} cannot be empty", field=name)
    if "\x00" in value:
        raise InvalidArgumentError(
            f"{name} contains a NUL character, which Wiki.js cannot store", field=name
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidArgumentError(
            f"{name} is not valid Unicode text (lone surrogate at position {exc.start})",
            field=name,
        ) from None
    return value


def check_content(value: Any, name: str = "content") -> str:
    """Page content: Wiki.js refuses empty content (6004)."""
    return check_text(value, name, allow_empty=False)


def path_problems(path: str) -> list[str]:
    """Every reason Wiki.js would refuse page path ``path`` (empty: it is fine).

    Wiki.js refuses (6005) paths containing ``.``, a space, ``\\`` or ``//``,
    and first segments it reserves: one-letter names and its own routes
    (``login``, ``graphql``, ``u``…). ``?`` and ``#`` are refused here too,
    because a page stored under them cannot be reached by URL.
    """
    problems: list[str] = []
    if any(ch.isspace() for ch in path):
        problems.append("contains whitespace")
    for bad in (".", "\\", "//", "?", "#"):
        if bad in path:
            problems.append(f"contains illegal {bad!r}")
    if any(ord(ch) < 32 for ch in path):
        problems.append("contains a control character")
    stripped = path.strip("/")
    if not stripped:
        problems.append("is empty")
        return problems
    first = stripped.split("/", 1)[0]
    if len(first) <= 1 or first.lower() in UNREACHABLE_FIRST_SEGMENTS:
        problems.append(
            f"starts with {first!r}, which Wiki.js reserves (one-letter names and its own routes)"
        )
    return problems


def normalize_path(value: Any, name: str = "path") -> str:
    """A page path as Wiki.js stores it: no leading or trailing slash.

    Raises :class:`ValidationError` naming every problem of the path at once
    (:func:`path_problems`). A first segment shaped like a locale
    (``kb/intro``) is accepted; such a page is reached at ``/en/kb/intro``.
    """
    path = check_text(value, name)
    problems = path_problems(path)
    if problems:
        if problems == ["is empty"]:
            raise InvalidArgumentError(f"{name} cannot be empty", field=name)
        raise InvalidArgumentError(f"{name} {path!r} {'; '.join(problems)}", field=name)
    return path.strip("/")


def check_locale(value: Any, name: str = "locale") -> str:
    locale = check_text(value, name)
    if not _LOCALE.match(locale):
        raise InvalidArgumentError(
            f"{name} {locale!r} is not a locale code such as 'en' or 'pt-br'", field=name
        )
    return locale


def check_editor(value: Any, name: str = "editor") -> str:
    editor = check_text(value, name)
    if editor not in EDITORS:
        known = ", ".join(sorted(EDITORS))
        raise InvalidArgumentError(f"unknown editor {editor!r}; Wiki.js knows {known}", field=name)
    return editor


def check_tags(value: Any, name: str = "tags") -> list[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ArgumentTypeError(f"{name} must be a list of strings", field=name)
    tags: list[str] = []
    for tag in value:
        tag = check_text(tag, name, allow_empty=False).strip()
        if tag not in tags:
            tags.append(tag)
    return tags


def check_email(value: Any, name: str = "email") -> str:
    email = check_text(value, name, allow_empty=False).strip()
    if not _EMAIL.match(email):
        raise InvalidArgumentError(f"{name} {email!r} is not an email address", field=name)
    return email


def check_positive(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ArgumentTypeError(f"{name} must be a positive integer, not {value!r}", field=name)
    if value < 1:
        raise InvalidArgumentError(f"{name} must be a positive integer, not {value!r}", field=name)
    return value


def check_non_negative(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ArgumentTypeError(
            f"{name} must be zero or a positive integer, not {value!r}", field=name
        )
    if value < 0:
        raise InvalidArgumentError(
            f"{name} must be zero or a positive integer, not {value!r}", field=name
        )
    return value


def check_moment(value: Any, name: str) -> Any:
    """A ``datetime`` or an ISO 8601 string (parsed by the model), never a number.

    A number would be read as seconds since 1970, which no caller means.
    """
    if value is not None and not isinstance(value, (datetime, str)):
        raise ArgumentTypeError(
            f"{name} must be a datetime, not {type(value).__name__}", field=name
        )
    return value


def check_seconds(value: Any, name: str) -> float | None:
    """A positive, finite number of seconds, or ``None`` (no limit)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ArgumentTypeError(
            f"{name} must be a number of seconds or None, not {type(value).__name__}", field=name
        )
    if not math.isfinite(value) or value <= 0:
        raise InvalidArgumentError(
            f"{name} must be a positive number of seconds or None, not {value!r}", field=name
        )
    return float(value)


def check_flag(value: Any, name: str) -> bool:
    """``True`` or ``False``: a truthy string or number is a mistake, not a yes."""
    if not isinstance(value, bool):
        raise ArgumentTypeError(f"{name} must be True or False, not {value!r}", field=name)
    return value


def check_items(value: Iterable[T], name: str, what: str = "items") -> Iterable[T]:
    """A collection of inputs: any iterable but text, bytes or a mapping (not read here).

    ``get_many("12")`` would ask for pages 1 and 2, and a mapping would give
    its keys: both are refused, as is anything that cannot be iterated.
    """
    if isinstance(value, (str, bytes, bytearray, memoryview, Mapping)) or not isinstance(
        value, Iterable
    ):
        raise ArgumentTypeError(
            f"{name} must be an iterable of {what}, not {type(value).__name__}", field=name
        )
    return value


def check_callback(value: Any, name: str) -> None:
    """``None`` or something to call (a progress callback)."""
    if value is not None and not callable(value):
        raise ArgumentTypeError(
            f"{name} must be a function or None, not {type(value).__name__}", field=name
        )


def check_batch_mode(mode: Any) -> Literal["alias", "array"]:
    """``"alias"`` or ``"array"`` (see :data:`wikijs.batch.BatchMode`)."""
    if mode not in ("alias", "array"):
        raise InvalidArgumentError(
            f"batch mode must be 'alias' or 'array', not {mode!r}", field="mode"
        )
    return mode  # type: ignore[no-any-return]


class OncePerBatch:
    """Refuses the second item of a batch that names a record the first already does.

    Two writes of one record in flight at once race on the server (both
    deletes pass Wiki.js's existence check; the later update undoes the
    earlier), so the later item fails alone, before anything is sent.

    Example:
        >>> once = OncePerBatch("page", "deleted", "a page is deleted once per batch")
        >>> once.check(7, 0); once.check(8, 1)
        >>> once.check(7, 2)
        Traceback (most recent call last):
        ...
        wikijs.errors.InvalidArgumentError: page 7 is already deleted by item 0; a page is \
deleted once per batch
    """

    def __init__(self, noun: str, done: str, advice: str, field: str = "id") -> None:
        self._noun, self._done, self._advice, self._field = noun, done, advice, field
        self._first: dict[int, int] = {}

    def check(self, record_id: int, index: int) -> None:
        """Note that item ``index`` names ``record_id``.

        Raises:
            InvalidArgumentError: an earlier item named it.
        """
        first = self._first.setdefault(record_id, index)
        if first != index:
            raise InvalidArgumentError(
                f"{self._noun} {record_id} is already {self._done} by item {first}; {self._advice}",
                field=self._field,
            )
