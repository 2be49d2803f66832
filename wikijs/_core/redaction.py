"""Which names suggest a credential. Pure; no dependencies (plugins import it)."""

from __future__ import annotations

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
