"""Administration inputs: API keys, site settings, navigation, locales. Pure: no I/O."""

from __future__ import annotations

import re
import secrets
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from wikijs._generated.fragments import ApiKey

from ..errors import InvalidArgumentError
from . import validation as v

# -- API keys --------------------------------------------------------------------

# The `ms` package's syntax, which Wiki.js uses for key lifetimes ("1y", "30d").
_DURATION = re.compile(
    r"^\s*(\d+(?:\.\d+)?|\.\d+)\s*(milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|"
    r"hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)\s*$",
    re.IGNORECASE,
)


def check_expiration(value: Any, name: str = "expiration") -> str:
    """A key lifetime such as ``"1y"``, ``"30d"`` or ``"12h"``."""
    text = v.check_text(value, name, allow_empty=False).strip()
    match = _DURATION.match(text)
    if match is None or float(match.group(1)) <= 0:
        raise InvalidArgumentError(
            f"{name} {text!r} is not a lifetime such as '1y', '30d' or '12h'", field=name
        )
    return text


@dataclass(frozen=True)
class NewApiKey:
    """A key just created: the secret (shown once) and its record.

    The key never appears in ``repr()``.

    Attributes:
        key: the bearer token to give to a client; Wiki.js shows it only once.
        api_key: the key's record as ``client.api_keys.list()`` shows it.
    """

    key: str = field(repr=False)
    api_key: ApiKey

    @property
    def id(self) -> int:
        return self.api_key.id

    @property
    def name(self) -> str:
        return self.api_key.name


# -- site configuration --------------------------------------------------------------


def _field_kind(annotation: Any) -> str:
    """``Optional[bool]`` → ``"bool"``; ``Optional[list[str]]`` → ``"list"``."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    inner = args[0] if args else annotation
    if typing.get_origin(inner) is list:
        return "list"
    return inner.__name__ if isinstance(inner, type) else "str"


def site_fields(model: Any) -> dict[str, str]:
    """Settings of ``SiteConfig`` by snake_case name → ``bool``/``int``/``str``/``list``."""
    return {name: _field_kind(info.annotation) for name, info in model.model_fields.items()}


def check_site_changes(changes: Mapping[str, Any], kinds: Mapping[str, str]) -> dict[str, Any]:
    """Known settings with values of the right type."""
    if not changes:
        raise InvalidArgumentError("give at least one setting to change")
    out: dict[str, Any] = {}
    for name, value in changes.items():
        kind = kinds.get(name)
        if kind is None:
            raise InvalidArgumentError(
                f"unknown site setting {name!r}; known: {', '.join(sorted(kinds))}", field=name
            )
        if value is None:
            raise InvalidArgumentError(f"{name} cannot be set to None", field=name)
        if kind == "bool" and not isinstance(value, bool):
            raise InvalidArgumentError(f"{name} must be True or False", field=name)
        if kind == "int" and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise InvalidArgumentError(f"{name} must be a non-negative integer", field=name)
        if kind == "str":
            value = v.check_text(value, name)
        if kind == "list":
            if isinstance(value, str) or not isinstance(value, Iterable):
                raise InvalidArgumentError(f"{name} must be a list of strings", field=name)
            value = [v.check_text(item, name) for item in value]
        out[name] = value
    return out


def merged_site_variables(
    current: Any, changes: Mapping[str, Any], kinds: Mapping[str, str]
) -> dict[str, Any]:
    """Every setting the server reported (nulls left out), then ``changes``."""
    out = {
        name: getattr(current, name) for name in kinds if getattr(current, name, None) is not None
    }
    out.update(changes)
    return out


# -- navigation ------------------------------------------------------------------------

NAVIGATION_KINDS: Final = ("link", "header", "divider")
NAVIGATION_TARGET_TYPES: Final = ("home", "page", "search", "external", "externalblank")
NAVIGATION_VISIBILITY: Final = ("all", "restricted")
NAVIGATION_MODES: Final = ("NONE", "TREE", "MIXED", "STATIC")


def _get(item: Any, *names: str) -> Any:
    """The first of ``names`` a mapping or a model has."""
    for name in names:
        if isinstance(item, Mapping):
            if name in item:
                return item[name]
        elif hasattr(item, name):
            return getattr(item, name)
    return None


def _choice(value: Any, choices: tuple[str, ...], name: str) -> str:
    if isinstance(value, str) and value in choices:
        return value
    raise InvalidArgumentError(
        f"{name} must be one of {', '.join(choices)}, not {value!r}", field=name
    )


def navigation_item(item: Any, name: str = "items") -> dict[str, Any]:
    """A ``NavigationItemInput`` value (JSON) from a mapping or a read item.

    ``id`` is generated when missing; ``kind`` is ``link`` unless given.
    Links need ``label``, ``target_type`` and (except for ``home`` and
    ``search``) ``target``.
    """
    if callable(getattr(item, "model_dump", None)):
        # An item as read from the server: sent back exactly as it was.
        dumped: dict[str, Any] = item.model_dump(by_alias=True, mode="json")
        return dumped
    if not isinstance(item, Mapping):
        raise InvalidArgumentError(
            f"a navigation item is a mapping or a NavigationItem, not {type(item).__name__}",
            field=name,
        )
    known = {
        "id",
        "kind",
        "label",
        "icon",
        "target_type",
        "targetType",
        "target",
        "visibility_mode",
        "visibilityMode",
        "visibility_groups",
        "visibilityGroups",
    }
    unknown = set(item) - known
    if unknown:
        raise InvalidArgumentError(
            f"unknown navigation item fields: {', '.join(sorted(unknown))}", field=name
        )
    kind = _choice(_get(item, "kind") or "link", NAVIGATION_KINDS, "kind")
    item_id = _get(item, "id") or secrets.token_hex(6)
    out: dict[str, Any] = {"id": v.check_text(item_id, "id", allow_empty=False), "kind": kind}
    label = _get(item, "label")
    icon = _get(item, "icon")
    if label is not None:
        out["label"] = v.check_text(label, "label")
    if icon is not None:
        out["icon"] = v.check_text(icon, "icon")
    if kind == "link":
        if not out.get("label"):
            raise InvalidArgumentError("a link needs a label", field="label")
        target_type = _choice(
            _get(item, "target_type", "targetType") or "page",
            NAVIGATION_TARGET_TYPES,
            "target_type",
        )
        target = _get(item, "target")
        if target_type not in ("home", "search") and not target:
            raise InvalidArgumentError(f"a {target_type} link needs a target", field="target")
        out["targetType"] = target_type
        out["target"] = v.check_text(target or "", "target")
    mode = _get(item, "visibility_mode", "visibilityMode") or "all"
    out["visibilityMode"] = _choice(mode, NAVIGATION_VISIBILITY, "visibility_mode")
    groups = _get(item, "visibility_groups", "visibilityGroups") or []
    out["visibilityGroups"] = [v.check_id(g, "visibility_groups") for g in groups]
    return out


def navigation_tree(trees: Any) -> list[dict[str, Any]]:
    """``NavigationTreeInput`` values (JSON) from read trees or ``{locale: items}``."""
    if isinstance(trees, Mapping):
        pairs = list(trees.items())
    elif isinstance(trees, Iterable) and not isinstance(trees, (str, bytes)):
        pairs = [(_get(tree, "locale"), _get(tree, "items")) for tree in trees]
    else:
        raise InvalidArgumentError("tree must be a list of trees or a {locale: items} mapping")
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for locale, items in pairs:
        locale = v.check_locale(locale)
        if locale in seen:
            raise InvalidArgumentError(f"locale {locale!r} appears twice in the tree", field="tree")
        seen.add(locale)
        if items is None or isinstance(items, (str, bytes, Mapping)):
            raise InvalidArgumentError("items must be a list", field="items")
        out.append({"locale": locale, "items": [navigation_item(item) for item in items]})
    return out


def check_navigation_mode(value: Any) -> str:
    raw = getattr(value, "value", value)
    if isinstance(raw, str) and raw.upper() in NAVIGATION_MODES:
        return raw.upper()
    raise InvalidArgumentError(
        f"mode must be one of {', '.join(NAVIGATION_MODES)}, not {value!r}", field="mode"
    )


# -- localization ----------------------------------------------------------------------


def merged_locale_variables(current: Any, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Every ``update_locale_config`` argument: the current config, then ``changes``."""
    out: dict[str, Any] = {
        "locale": current.locale,
        "auto_update": current.auto_update,
        "namespacing": current.namespacing,
        "namespaces": list(current.namespaces),
    }
    for name, value in changes.items():
        if name == "locale":
            out[name] = v.check_locale(value)
        elif name in ("auto_update", "namespacing"):
            if not isinstance(value, bool):
                raise InvalidArgumentError(f"{name} must be True or False", field=name)
            out[name] = value
        elif name == "namespaces":
            if isinstance(value, str) or not isinstance(value, Iterable):
                raise InvalidArgumentError("namespaces must be a list of locale codes", field=name)
            out[name] = [v.check_locale(item, name) for item in value]
        else:
            raise InvalidArgumentError(f"unknown locale setting {name!r}", field=name)
    return out
