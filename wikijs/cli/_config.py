"""The command line's settings file and how settings are resolved.

Reading the file and resolving settings is the library's
(``wikijs/_settings.py``, shared with ``WikiJSClient.from_env()`` and
``.from_profile()``); this module adds what ``wikijs config`` writes.

The file is TOML, by default ``$XDG_CONFIG_HOME/wikijs/config.toml``
(``~/.config/wikijs/config.toml``), written by ``wikijs config init`` with
mode 0600 because it holds API keys::

    default_profile = "default"

    [profiles.default]
    url = "https://wiki.example.com"
    api_key = "..."            # or api_key_file = "~/.secrets/wiki-key"
    timeout = 30               # optional, seconds

Precedence for every setting: command-line flags, then environment
(``WIKIJS_URL``, ``WIKIJS_API_KEY``, ``WIKIJS_API_KEY_FILE``), then the
profile (``--profile``/``WIKIJS_PROFILE``, else ``default_profile``).
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from .._settings import (
    API_KEY_ENV,
    API_KEY_FILE_ENV,
    CONFIG_ENV,
    DEFAULT_PROFILE,
    PROFILE_ENV,
    PROFILE_KEYS,
    URL_ENV,
    ConfigError,
    MissingURLError,
    Profile,
    Settings,
    SettingsFile,
    default_config_path,
    read_key_file,
    resolve,
)

__all__ = [
    "API_KEY_ENV",
    "API_KEY_FILE_ENV",
    "CONFIG_ENV",
    "DEFAULT_PROFILE",
    "PROFILE_ENV",
    "PROFILE_KEYS",
    "URL_ENV",
    "ConfigError",
    "ConfigFile",
    "MissingURLError",
    "Profile",
    "Settings",
    "check_profile_name",
    "default_config_path",
    "insecure_mode",
    "read_key_file",
    "resolve",
    "write_private",
]

_PROFILE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def check_profile_name(name: str) -> str:
    if not _PROFILE_NAME.match(name):
        raise ConfigError(
            f"profile name {name!r} may use only letters, digits, '-' and '_' (at most 64)"
        )
    return name


@dataclass
class ConfigFile(SettingsFile):
    """The parsed settings file, and writing it (reading: ``wikijs/_settings.py``)."""

    def problems(self) -> list[str]:
        """What is suspicious but not fatal (unknown keys, a dangling default)."""
        found = [f"unknown setting {key!r}" for key in self.unknown_keys]
        for profile in self.profiles.values():
            found.extend(
                f"profile {profile.name!r}: unknown setting {key!r}" for key in profile.unknown_keys
            )
            if not profile.url:
                found.append(f"profile {profile.name!r} has no url")
            if profile.api_key and profile.api_key_file:
                found.append(f"profile {profile.name!r} has both api_key and api_key_file")
        if self.default_profile is not None and self.default_profile not in self.profiles:
            found.append(f"default_profile {self.default_profile!r} is not a profile")
        return found

    def dumps(self) -> str:
        """The file's TOML text (comments in a hand-edited file are not kept)."""
        lines = [
            "# wikijs command-line settings, written by `wikijs config init`.",
            "# It holds API keys: keep it private (mode 0600).",
            "",
        ]
        if self.default_profile is not None:
            lines += [f"default_profile = {_toml_value(self.default_profile)}", ""]
        for name in sorted(self.profiles):
            lines.append(f"[profiles.{check_profile_name(name)}]")
            lines += [f"{k} = {_toml_value(v)}" for k, v in self.profiles[name].to_toml().items()]
            lines.append("")
        return "\n".join(lines)

    def save(self) -> None:
        """Write the file atomically, readable by its owner only."""
        write_private(self.path, self.dumps())


def _toml_value(value: str | float) -> str:
    """A TOML string or number (the only kinds of value the file holds)."""
    if isinstance(value, str):
        # A JSON string is a valid TOML basic string (same escapes).
        return json.dumps(value, ensure_ascii=False)
    return str(int(value)) if value.is_integer() else repr(value)


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically with mode 0600 (folder 0700 if created).

    The text goes to a new file with an unpredictable name, created with
    ``O_EXCL`` and mode 0600 (``tempfile.mkstemp``), so nothing placed there
    beforehand — a file or a symlink another user prepared — is written
    through; it then replaces ``path`` in one step.
    """
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def insecure_mode(path: Path) -> int | None:
    """The file's mode if group or others may access it (POSIX), else ``None``."""
    if os.name != "posix":  # pragma: no cover - POSIX-only test environment
        return None
    mode = stat.S_IMODE(path.stat().st_mode)
    return mode if mode & 0o077 else None
