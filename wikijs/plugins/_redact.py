"""Hiding secrets in variables before anything logs or exports them."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from functools import lru_cache
from typing import Any

REDACTED = "***"
# Matched against the key lower-cased, without "_" or "-": passwordRaw,
# new_password, continuationToken, apiKey, jwt, Authorization, …
_SECRET_PARTS = (
    "password",
    "passwd",
    "secret",
    "token",
    "jwt",
    "authorization",
    "apikey",
    "credential",
    "privatekey",
    "cookie",
    "tfa",
)


def is_secret(key: str) -> bool:
    """Whether a variable or field name suggests it holds a credential."""
    folded = key.lower().replace("_", "").replace("-", "")
    return any(part in folded for part in _SECRET_PARTS)


_ARGUMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*:\s*\$([A-Za-z_][A-Za-z0-9_]*)")


@lru_cache(maxsize=256)
def secret_variables(document: str) -> frozenset[str]:
    """Variables a document passes to secret-looking arguments (``passwordRaw: $p``)."""
    return frozenset(var for arg, var in _ARGUMENT.findall(document) if is_secret(arg))


def redact(value: Any, secrets: Collection[str] = ()) -> Any:
    """A copy of ``value`` with every secret-looking key's value replaced.

    Walks nested mappings and lists (GraphQL input objects), so
    ``{"input": {"passwordRaw": "x"}}`` loses its password too. ``secrets``
    names further top-level keys to hide (see ``secret_variables``).
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
