"""Which names suggest a credential, and values with them hidden. Pure; no dependencies."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

# Matched against a name lower-cased, without "_" or "-": passwordRaw,
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
    "connectionstring",  # a database URL carries its password
)


def is_secret_name(name: str) -> bool:
    """Whether a variable, field or argument name suggests it holds a credential."""
    folded = name.lower().replace("_", "").replace("-", "")
    return any(part in folded for part in _SECRET_PARTS)


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
