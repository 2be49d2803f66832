"""Connection settings: the environment and the ``wikijs`` command's settings file.

The file is TOML, by default ``$XDG_CONFIG_HOME/wikijs/config.toml``
(``~/.config/wikijs/config.toml``), written by ``wikijs config init``
(mode 0600: it holds API keys)::

    default_profile = "default"

    [profiles.default]
    url = "https://wiki.example.com"
    api_key = "..."            # or api_key_file = "~/.secrets/wiki-key"
    timeout = 30               # optional, seconds

Precedence for every setting: explicit values (the command's flags), then
the environment (``WIKIJS_URL``, ``WIKIJS_API_KEY``, ``WIKIJS_API_KEY_FILE``),
then the profile (``WIKIJS_PROFILE``, else ``default_profile``). One loader
for the library (``WikiJSClient.from_env()``, ``.from_profile()``) and the
command line (``wikijs/cli/_config.py`` adds writing the file); it needs
nothing but the standard library (``tomli`` before Python 3.11).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

from .errors import ConfigError

__all__ = [
    "API_KEY_ENV",
    "API_KEY_FILE_ENV",
    "CONFIG_ENV",
    "DEFAULT_PROFILE",
    "PROFILE_ENV",
    "PROFILE_KEYS",
    "URL_ENV",
    "ConfigError",
    "MissingURLError",
    "Profile",
    "Settings",
    "SettingsFile",
    "default_config_path",
    "read_key_file",
    "resolve",
]

CONFIG_ENV = "WIKIJS_CONFIG"
PROFILE_ENV = "WIKIJS_PROFILE"
URL_ENV = "WIKIJS_URL"
API_KEY_ENV = "WIKIJS_API_KEY"
API_KEY_FILE_ENV = "WIKIJS_API_KEY_FILE"
DEFAULT_PROFILE = "default"
PROFILE_KEYS = ("url", "api_key", "api_key_file", "timeout")


def default_config_path(environ: Mapping[str, str]) -> Path:
    """``$XDG_CONFIG_HOME/wikijs/config.toml``, else ``~/.config/wikijs/config.toml``."""
    base = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base).expanduser() / "wikijs" / "config.toml"


@dataclass(frozen=True)
class Profile:
    """One named set of connection settings."""

    name: str
    url: str | None = None
    api_key: str | None = None
    api_key_file: str | None = None
    timeout: float | None = None
    unknown_keys: tuple[str, ...] = ()

    def to_toml(self) -> dict[str, Any]:
        values = {
            "url": self.url,
            "api_key": self.api_key,
            "api_key_file": self.api_key_file,
            "timeout": self.timeout,
        }
        return {k: v for k, v in values.items() if v is not None}


_File = TypeVar("_File", bound="SettingsFile")


@dataclass
class SettingsFile:
    """The settings file's profiles, as read (``wikijs config`` adds writing it)."""

    path: Path
    default_profile: str | None = None
    profiles: dict[str, Profile] = field(default_factory=dict)
    unknown_keys: tuple[str, ...] = ()

    @classmethod
    def load(cls: type[_File], path: Path) -> _File:
        """Read and check the file.

        Raises:
            ConfigError: unreadable, not TOML, or values of the wrong type.
        """
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path} is not valid TOML: {exc}") from None
        default = data.get("default_profile")
        if default is not None and not isinstance(default, str):
            raise ConfigError(f"{path}: default_profile must be a string")
        raw_profiles = data.get("profiles", {})
        if not isinstance(raw_profiles, dict):
            raise ConfigError(f"{path}: profiles must be a table ([profiles.NAME])")
        profiles: dict[str, Profile] = {}
        for name, values in raw_profiles.items():
            if not isinstance(values, dict):
                raise ConfigError(f"{path}: profiles.{name} must be a table")
            profiles[name] = _profile(path, name, values)
        unknown = tuple(k for k in data if k not in ("default_profile", "profiles"))
        return cls(path, default, profiles, unknown)


def _profile(path: Path, name: str, values: dict[str, Any]) -> Profile:
    where = f"{path}: profiles.{name}"
    strings: dict[str, str | None] = {}
    for key in ("url", "api_key", "api_key_file"):
        value = values.get(key)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{where}.{key} must be a string")
        strings[key] = value
    timeout = values.get("timeout")
    if timeout is not None and (
        isinstance(timeout, bool)
        or not isinstance(timeout, (int, float))
        or not math.isfinite(timeout)
        or timeout <= 0
    ):
        raise ConfigError(f"{where}.timeout must be a positive number of seconds")
    return Profile(
        name=name,
        url=strings["url"],
        api_key=strings["api_key"],
        api_key_file=strings["api_key_file"],
        timeout=float(timeout) if timeout is not None else None,
        unknown_keys=tuple(k for k in values if k not in PROFILE_KEYS),
    )


# -- resolution -----------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """Where to connect and with what, and where each came from."""

    url: str
    api_key: str | None
    timeout: float | None
    config_path: Path
    profile: str | None
    sources: tuple[tuple[str, str], ...] = ()

    def source(self, name: str) -> str | None:
        return dict(self.sources).get(name)


class MissingURLError(ConfigError):
    """No URL anywhere: a usage problem rather than a broken file."""


def read_key_file(path: str, *, base: Path | None = None, stdin: Callable[[], str]) -> str:
    """The API key in a file (``-``: standard input), whitespace stripped."""
    if path == "-":
        key = stdin().strip()
        where = "standard input"
    else:
        file = Path(path).expanduser()
        if base is not None and not file.is_absolute():
            file = base / file
        try:
            key = file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(
                f"cannot read the API key file {file}: {exc.strerror or exc}"
            ) from None
        where = str(file)
    if not key:
        raise ConfigError(f"the API key file {where} is empty")
    return key


def resolve(
    *,
    url: str | None,
    api_key: str | None,
    api_key_file: str | None,
    profile: str | None,
    config: str | None,
    timeout: float | None,
    environ: Mapping[str, str],
    stdin: Callable[[], str],
) -> Settings:
    """Combine flags, environment and the profile (in that order of precedence).

    The settings file is read only when something is still missing or a
    profile was asked for, so a broken file does not stop a fully flagged
    command.

    Raises:
        ConfigError: a profile or file that was asked for is missing or broken.
        MissingURLError: no URL anywhere.
    """
    sources: dict[str, str] = {}
    explicit_config = config or environ.get(CONFIG_ENV)
    config_path = Path(explicit_config).expanduser() if explicit_config else None
    config_path = config_path or default_config_path(environ)
    profile_name = profile or environ.get(PROFILE_ENV) or None

    if url:
        sources["url"] = "--url"
    elif environ.get(URL_ENV):
        url, sources["url"] = environ[URL_ENV], URL_ENV
    if api_key:
        sources["api_key"] = "--api-key"
    elif api_key_file:
        api_key, sources["api_key"] = read_key_file(api_key_file, stdin=stdin), "--api-key-file"
    elif environ.get(API_KEY_ENV):
        api_key, sources["api_key"] = environ[API_KEY_ENV], API_KEY_ENV
    elif environ.get(API_KEY_FILE_ENV):
        api_key = read_key_file(environ[API_KEY_FILE_ENV], stdin=stdin)
        sources["api_key"] = API_KEY_FILE_ENV
    if timeout is not None:
        sources["timeout"] = "--timeout"

    used_profile: str | None = None
    if profile_name is not None or not url or not api_key:
        loaded: SettingsFile | None = None
        if config_path.exists():
            loaded = SettingsFile.load(config_path)
        elif explicit_config or profile_name is not None:
            raise ConfigError(
                f"no settings file at {config_path}; create it with `wikijs config init`"
            )
        if loaded is not None:
            name = profile_name or loaded.default_profile
            if name is None and DEFAULT_PROFILE in loaded.profiles:
                name = DEFAULT_PROFILE
            if name is not None:
                chosen = loaded.profiles.get(name)
                if chosen is None:
                    known = ", ".join(sorted(loaded.profiles)) or "none"
                    raise ConfigError(f"no profile {name!r} in {config_path} (profiles: {known})")
                used_profile = name
                origin = f"profile {name!r}"
                if not url and chosen.url:
                    url, sources["url"] = chosen.url, origin
                if not api_key and chosen.api_key:
                    api_key, sources["api_key"] = chosen.api_key, origin
                elif not api_key and chosen.api_key_file:
                    api_key = read_key_file(
                        chosen.api_key_file, base=config_path.parent, stdin=stdin
                    )
                    sources["api_key"] = origin
                if timeout is None and chosen.timeout is not None:
                    timeout, sources["timeout"] = chosen.timeout, origin
    if not url:
        raise MissingURLError(
            "no wiki URL: give --url, set WIKIJS_URL, or save a profile with `wikijs config init`"
        )
    return Settings(
        url=url,
        api_key=api_key or None,
        timeout=timeout,
        config_path=config_path,
        profile=used_profile,
        sources=tuple(sources.items()),
    )
