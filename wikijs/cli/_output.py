"""Rendering results: aligned tables for people, JSON for scripts."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import PurePath
from typing import Any

import orjson

#: Cells longer than this are cut with an ellipsis in tables.
MAX_CELL = 60


def jsonable(value: Any) -> Any:
    """Plain JSON data for models, dataclasses, dates, paths and containers."""
    dump = getattr(value, "model_dump", None)
    if callable(dump) and not isinstance(value, type):  # a pydantic model
        return dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, PurePath):
        return str(value)
    return value


def dumps(value: Any) -> str:
    """Indented JSON (UTF-8 kept as is)."""
    return orjson.dumps(jsonable(value), option=orjson.OPT_INDENT_2).decode()


def cell(value: Any, limit: int | None = MAX_CELL) -> str:
    """One table cell: dates to the minute, lists comma-joined, ``None`` as ``-``."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (list, tuple)):
        return ", ".join(cell(v, limit) for v in value) or "-"
    text = " ".join(str(value).split())
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """An aligned plain-text table with a header line.

    Example:
        >>> print(table(["ID", "TITLE"], [[1, "Home"], [12, "Getting started"]]))
        ID  TITLE
        1   Home
        12  Getting started
    """
    cells = [[cell(v) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, text in enumerate(row):
            widths[i] = max(widths[i], len(text))
    lines = [
        "  ".join(text.ljust(widths[i]) for i, text in enumerate(line)).rstrip()
        for line in [list(headers), *cells]
    ]
    return "\n".join(lines)


def fields(pairs: Iterable[tuple[str, Any]]) -> str:
    """``name: value`` lines with the values aligned."""
    items = [(name, cell(value, None)) for name, value in pairs]
    width = max((len(name) for name, _ in items), default=0)
    return "\n".join(f"{(name + ':').ljust(width + 1)} {value}".rstrip() for name, value in items)


def size(value: float) -> str:
    """A byte count as people read it, in 1024-byte units like Wiki.js's settings.

    Example:
        >>> size(5 * 1024 * 1024), size(250_000), size(12)
        ('5.0 MB', '244.1 KB', '12 B')
    """
    if value < 1024:
        return f"{int(value)} B"
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024 or unit == "GB":
            break
    return f"{value:.1f} {unit}"


def parse_size(text: str) -> int:
    """``5mb``, ``512 KB``, ``1048576`` → bytes (1 KB = 1024 B, as Wiki.js reads them).

    Raises:
        ValueError: not a size.
    """
    cleaned = text.strip().lower().replace(" ", "")
    factor = 1
    for suffix, unit in (("gb", 1024**3), ("mb", 1024**2), ("kb", 1024), ("b", 1)):
        if cleaned.endswith(suffix):
            cleaned, factor = cleaned[: -len(suffix)], unit
            break
    value = float(cleaned)
    if not value > 0 or value != value or value == float("inf"):
        raise ValueError(text)
    return int(value * factor)
