"""Wiki.js custom scalars: ``Date`` travels as an ISO-8601 string.

Wiki.js answers ``""`` for dates that were never set (``publishStartDate``,
``publishEndDate``); those become ``None``.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any


def parse_date(value: Any) -> datetime | None:
    """Parse a ``Date`` from the server; ``""`` and ``None`` mean "not set"."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        text = value[:-1] + "+00:00" if value.endswith("Z") else value
        return datetime.fromisoformat(text)
    raise ValueError(f"not a Wiki.js date: {value!r}")


def serialize_date(value: Any) -> Any:
    """Serialise a ``Date`` argument; anything that is not a datetime (unset
    markers, ``None``, strings the caller formatted) passes through unchanged."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        utc = value.astimezone(timezone.utc)
        return utc.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return value
