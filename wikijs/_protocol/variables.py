"""Generated-client keyword arguments → GraphQL variables (for batches)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from typing import Any

from wikijs._generated.scalars import serialize_date

_SNAKE = re.compile(r"_([a-z])")


def camel(name: str) -> str:
    """``is_published`` → ``isPublished``."""
    return _SNAKE.sub(lambda m: m.group(1).upper(), name)


def graphql_variables(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """Rename snake_case arguments to the schema's names and serialise values."""
    out: dict[str, Any] = {}
    for name, value in arguments.items():
        if isinstance(value, datetime):
            value = serialize_date(value)
        elif isinstance(value, Enum):
            value = value.value
        out[camel(name)] = value
    return out
