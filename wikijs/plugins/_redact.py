"""Hiding secrets in variables before anything logs or exports them."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from .._core.redaction import is_secret_name

#: Whether a variable or field name suggests it holds a credential.
is_secret = is_secret_name

REDACTED = "***"


def redact(value: Any, secrets: Collection[str] = ()) -> Any:
    """A copy of ``value`` with every secret-looking key's value replaced.

    Walks nested mappings and lists (GraphQL input objects), so
    ``{"input": {"passwordRaw": "x"}}`` loses its password too. ``secrets``
    names further top-level keys to hide: the variables an operation passes to
    arguments that carry credentials (see ``secret_variables``).
    """
    if isinstance(value, Mapping):
        return {
            key: (
                REDACTED
                if isinstance(key, str) and (key in secrets or is_secret(key))
                else redact(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [redact(item) for item in value]
    return value
