"""Inputs of server-wide administration: mail, theming, system utilities,
login strategies, and the confirmation destructive operations ask for. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal, get_args

from wikijs._generated.fragments import ImportUsersFailure

from ..errors import InvalidArgumentError
from . import validation as v

# -- destructive operations --------------------------------------------------------


def check_confirmed(confirm: Any, call: str, consequence: str) -> None:
    """Refuse a destructive server-wide operation unless ``confirm is True``.

    Checked before anything is sent: a script that forgot the flag (or
    passed something merely truthy) changes nothing.
    """
    if confirm is not True:
        raise InvalidArgumentError(
            f"{call} {consequence}; pass confirm=True to do it", field="confirm"
        )


# -- option strings ------------------------------------------------------------------

StorageMode = Literal["sync", "push", "pull"]
LogLevel = Literal["error", "warn", "info", "verbose", "debug"]
IconSet = Literal["mdi", "fa", "fa4"]
TocPosition = Literal["left", "right", "hidden"]
ExportEntity = Literal[
    "assets", "comments", "groups", "history", "navigation", "pages", "settings", "users"
]
ImportGroupMode = Literal["MULTI", "SINGLE", "NONE"]

STORAGE_MODES: Final[tuple[str, ...]] = get_args(StorageMode)
LOG_LEVELS: Final[tuple[str, ...]] = get_args(LogLevel)
ICON_SETS: Final[tuple[str, ...]] = get_args(IconSet)
TOC_POSITIONS: Final[tuple[str, ...]] = get_args(TocPosition)
EXPORT_ENTITIES: Final[tuple[ExportEntity, ...]] = get_args(ExportEntity)
IMPORT_GROUP_MODES: Final[tuple[str, ...]] = get_args(ImportGroupMode)


def check_choice(value: Any, choices: tuple[str, ...], name: str) -> str:
    """``value`` if it is one of ``choices`` (compared as given)."""
    if isinstance(value, str) and value in choices:
        return value
    raise InvalidArgumentError(
        f"{name} must be one of {', '.join(repr(c) for c in choices)}, not {value!r}", field=name
    )


def check_bool(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgumentError(f"{name} must be True or False", field=name)
    return value


# ISO 8601 durations as Wiki.js's scheduler (moment.duration) reads them.
_DURATION = re.compile(
    r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(?:\.\d+)?S)?)?$"
)


def check_interval(value: Any, name: str = "sync_interval") -> str:
    """A sync interval: an ISO 8601 duration such as ``"PT5M"`` or ``"P1D"``."""
    text = v.check_text(value, name, allow_empty=False).strip()
    if not _DURATION.match(text):
        raise InvalidArgumentError(
            f"{name} {text!r} is not an ISO 8601 duration such as 'PT5M' or 'P1D'", field=name
        )
    return text


def check_entities(entities: Iterable[Any]) -> list[str]:
    if isinstance(entities, str):
        raise InvalidArgumentError("entities is a list of names, not one string", field="entities")
    out = []
    for entity in entities:
        name = check_choice(entity, EXPORT_ENTITIES, "entities")
        if name not in out:
            out.append(name)
    if not out:
        raise InvalidArgumentError("give at least one entity to export", field="entities")
    return out


# -- mail ------------------------------------------------------------------------------

# Keyword → GraphQL argument of mail.updateConfig, with the type each takes.
MAIL_FIELDS: Final[dict[str, tuple[str, type]]] = {
    "sender_name": ("senderName", str),
    "sender_email": ("senderEmail", str),
    "host": ("host", str),
    "port": ("port", int),
    "name": ("name", str),
    "secure": ("secure", bool),
    "verify_ssl": ("verifySSL", bool),
    "user": ("user", str),
    "password": ("pass", str),
    "use_dkim": ("useDKIM", bool),
    "dkim_domain_name": ("dkimDomainName", str),
    "dkim_key_selector": ("dkimKeySelector", str),
    "dkim_private_key": ("dkimPrivateKey", str),
}

#: What ``mail.config`` shows for a stored password; sent back, it keeps the password.
MASKED_PASSWORD: Final = "********"  # noqa: S105 (the mask, not a password)


def _checked(name: str, value: Any, kind: type) -> Any:
    if kind is bool:
        return check_bool(value, name)
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 65536:
            raise InvalidArgumentError(f"{name} must be a port number (1-65535)", field=name)
        return value
    return v.check_text(value, name)


def mail_variables(current: Any, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Every ``mail.updateConfig`` argument: what was read, with ``changes`` applied.

    Wiki.js requires all of them; the masked password read back keeps the
    stored one.
    """
    if not changes:
        raise InvalidArgumentError("give at least one mail setting to change")
    out: dict[str, Any] = {}
    for name, (argument, kind) in MAIL_FIELDS.items():
        attribute = "pass_" if name == "password" else name
        value = getattr(current, attribute, None)
        out[argument] = value if value is not None else (False if kind is bool else "")
    if out["port"] == "":
        out["port"] = 465
    for name, value in changes.items():
        field = MAIL_FIELDS.get(name)
        if field is None:
            raise InvalidArgumentError(
                f"unknown mail setting {name!r}; known: {', '.join(MAIL_FIELDS)}", field=name
            )
        argument, kind = field
        out[argument] = _checked(name, value, kind)
    return out


# -- theming ---------------------------------------------------------------------------

THEMING_FIELDS: Final[dict[str, str]] = {
    "theme": "theme",
    "iconset": "iconset",
    "dark_mode": "darkMode",
    "toc_position": "tocPosition",
    "inject_css": "injectCSS",
    "inject_head": "injectHead",
    "inject_body": "injectBody",
}


def theming_variables(current: Any, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Every ``theming.setConfig`` argument: what was read, with ``changes`` applied.

    Wiki.js resets what is not sent (``injectCSS`` to empty, ``tocPosition`` to left).
    """
    if not changes:
        raise InvalidArgumentError("give at least one theming setting to change")
    out = {argument: getattr(current, name, None) for name, argument in THEMING_FIELDS.items()}
    for name, value in changes.items():
        argument = THEMING_FIELDS.get(name)
        if argument is None:
            raise InvalidArgumentError(
                f"unknown theming setting {name!r}; known: {', '.join(THEMING_FIELDS)}",
                field=name,
            )
        if name == "dark_mode":
            value = check_bool(value, name)
        elif name == "iconset":
            value = check_choice(value, ICON_SETS, name)
        elif name == "toc_position":
            value = check_choice(value, TOC_POSITIONS, name)
        elif name == "theme":
            value = v.check_text(value, name, allow_empty=False)
        else:
            value = v.check_text(value, name)
        out[argument] = value
    return out


# -- system flags ------------------------------------------------------------------------


def merged_flags(current: Mapping[str, bool], changes: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every flag (``system.updateFlags`` replaces the whole set) with ``changes`` applied."""
    if not changes:
        raise InvalidArgumentError("give at least one flag to change")
    flags = dict(current)
    for name, value in changes.items():
        if name not in flags:
            raise InvalidArgumentError(
                f"unknown flag {name!r}; the server has: {', '.join(flags) or 'none'}", field=name
            )
        flags[name] = check_bool(value, name)
    return [{"key": key, "value": value} for key, value in flags.items()]


# -- import from Wiki.js 1.x ----------------------------------------------------------------


@dataclass(frozen=True)
class ImportedUsers:
    """What ``system.import_users_from_v1()`` did.

    Attributes:
        users: how many users were created.
        groups: how many groups were created.
        failed: the users that could not be imported, with the reason.
    """

    users: int
    groups: int
    failed: tuple[ImportUsersFailure, ...]
