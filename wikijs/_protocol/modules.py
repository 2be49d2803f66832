"""Settings of Wiki.js modules (login strategies, storage targets, renderers, …). Pure: no I/O.

Wiki.js hands each module's settings over as a list of ``{key, value}``
pairs whose value is a JSON object describing the setting (``title``,
``type``, ``default``, ``enum``, ``sensitive``, …) with its current
``value``; it takes them back as ``{key, value: JSON.stringify({v: new})}``
for *every* setting of the module (a setting left out is stored as
missing). :class:`ModuleSettings` is the typed view of the first, and
:func:`config_input` builds the second from what was read plus a few
changes, so callers set one key without resending the rest by hand.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeAlias, TypeVar, Union

from ..errors import InvalidArgumentError, NotFoundError
from . import validation as v

#: A setting's value as Wiki.js stores it: JSON.
JSONValue: TypeAlias = Union[  # noqa: UP007 (a recursive alias needs Union at run time)
    str, int, float, bool, None, list["JSONValue"], dict[str, "JSONValue"]
]

#: What a masked secret reads as (``storage.targets``, ``mail.config``).
MASK = "********"


class _Pair(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def value(self) -> str: ...


@dataclass(frozen=True, repr=False)
class ModuleSetting:
    """One setting of a module, as the module declares it, with its current value.

    Attributes:
        key: the setting's name (``"clientId"``, ``"branch"``).
        value: its current value (the default, for a strategy's ``props``).
        type: ``"string"``, ``"number"`` or ``"boolean"`` as the module declares it.
        title: its label in the admin area.
        hint: its help text.
        default: the module's default.
        choices: the values it may take, when the module lists them.
        multiline: whether it is a multi-line text (keys, certificates).
        sensitive: whether it is a secret (never shown in ``repr()``).
        order: its position in the admin area.
    """

    key: str
    value: JSONValue
    type: str = "string"
    title: str = ""
    hint: str = ""
    default: JSONValue = None
    choices: tuple[JSONValue, ...] | None = None
    multiline: bool = False
    sensitive: bool = False
    order: int = 0

    def __repr__(self) -> str:
        shown = "'***'" if self.sensitive and self.value not in ("", None) else repr(self.value)
        return f"ModuleSetting(key={self.key!r}, value={shown}, type={self.type!r})"

    @classmethod
    def parse(cls, key: str, text: str | None) -> ModuleSetting:
        """A setting from one ``{key, value}`` pair as Wiki.js sends it."""
        try:
            described = json.loads(text) if text else {}
        except ValueError:
            described = text  # not JSON: the value itself (a logger Wiki.js stored raw)
        if not isinstance(described, dict):
            return cls(key=key, value=described)
        choices = described.get("enum")
        default = described.get("default")
        return cls(
            key=key,
            value=described.get("value", default),
            type=str(described.get("type") or "string").lower(),
            title=str(described.get("title") or key),
            hint=str(described.get("hint") or ""),
            default=default,
            choices=tuple(choices) if isinstance(choices, list) else None,
            multiline=bool(described.get("multiline")),
            sensitive=bool(described.get("sensitive")),
            order=int(described.get("order") or 0),
        )

    def check(self, value: Any) -> JSONValue:
        """``value`` if this setting can hold it, else a ValidationError naming the setting."""
        kind = self.type
        if kind == "boolean" and not isinstance(value, bool):
            raise InvalidArgumentError(f"setting {self.key!r} takes True or False", field=self.key)
        if kind == "number" and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise InvalidArgumentError(f"setting {self.key!r} takes a number", field=self.key)
        if kind == "string":
            if not isinstance(value, str):
                raise InvalidArgumentError(f"setting {self.key!r} takes a string", field=self.key)
            v.check_text(value, self.key)
        if self.choices is not None and value not in self.choices and value != MASK:
            listed = ", ".join(repr(c) for c in self.choices)
            raise InvalidArgumentError(
                f"setting {self.key!r} takes one of {listed}, not {value!r}", field=self.key
            )
        try:
            json.dumps(value)
        except (TypeError, ValueError):
            raise InvalidArgumentError(
                f"setting {self.key!r} takes a JSON value, not {type(value).__name__}",
                field=self.key,
            ) from None
        checked: JSONValue = value
        return checked


class ModuleSettings(Mapping[str, JSONValue]):
    """The settings of a module as a read-only mapping of key → decoded value.

    ``settings.setting(key)`` (or :attr:`definitions`) has what the module
    declares about each: type, title, hint, default, choices, whether it is
    a secret. Secrets never appear in ``repr()``.

    Example::

        target = await client.storage.get("git")
        settings = ModuleSettings.of(target)
        print(settings["branch"], settings.setting("branch").hint)
    """

    def __init__(self, settings: Iterable[ModuleSetting] = ()) -> None:
        self._settings = {s.key: s for s in sorted(settings, key=lambda s: (s.order, s.key))}

    @classmethod
    def parse(cls, pairs: Iterable[_Pair | None] | None) -> ModuleSettings:
        """Settings from the ``{key, value}`` pairs Wiki.js sends."""
        return cls(ModuleSetting.parse(p.key, p.value) for p in pairs or () if p is not None)

    @classmethod
    def of(cls, module: Any) -> ModuleSettings:
        """The settings of a module read from the server.

        ``module`` is anything with a ``config`` (an active strategy, a
        storage target, a renderer, an analytics or comment provider, a
        search engine, a logger) or ``props`` (a strategy kind: the
        defaults) list of key/value pairs.
        """
        pairs = getattr(module, "config", None)
        if pairs is None:
            pairs = getattr(module, "props", None)
        return cls.parse(pairs)

    def setting(self, key: str) -> ModuleSetting:
        """What the module declares about ``key``.

        Raises:
            KeyError: the module has no such setting.
        """
        return self._settings[key]

    @property
    def definitions(self) -> tuple[ModuleSetting, ...]:
        """Every setting, in the module's order."""
        return tuple(self._settings.values())

    def __getitem__(self, key: str) -> JSONValue:
        return self._settings[key].value

    def __iter__(self) -> Iterator[str]:
        return iter(self._settings)

    def __len__(self) -> int:
        return len(self._settings)

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{s.key!r}: {'***' if s.sensitive and s.value not in ('', None) else repr(s.value)}"
            for s in self._settings.values()
        )
        return f"ModuleSettings({{{shown}}})"

    def merged(self, changes: Mapping[str, Any], *, module: str) -> dict[str, JSONValue]:
        """Every setting's value with ``changes`` applied, each checked against its definition.

        Raises:
            ValidationError: an unknown setting, or a value the setting cannot take.
        """
        if not isinstance(changes, Mapping):
            raise InvalidArgumentError(
                f"config takes a mapping of setting → value, not {type(changes).__name__}",
                field="config",
            )
        values = dict(self.items())
        for key, value in changes.items():
            setting = self._settings.get(key)
            if setting is None:
                known = ", ".join(self._settings) or "none"
                raise InvalidArgumentError(
                    f"{module} has no setting {key!r}; its settings: {known}", field=str(key)
                )
            values[key] = setting.check(value)
        return values


def config_input(values: Mapping[str, JSONValue], *, raw: bool = False) -> list[dict[str, str]]:
    """``[KeyValuePairInput]`` as Wiki.js reads it back: ``{key, value: '{"v": …}'}``.

    ``raw``: the value as a plain string, for ``logging.updateLoggers``, which
    stores what it is given without unwrapping ``v``.
    """
    out = []
    for key, value in values.items():
        if raw:
            text = value if isinstance(value, str) else json.dumps(value)
        else:
            text = json.dumps({"v": value})
        out.append({"key": key, "value": text})
    return out


class _Keyed(Protocol):
    @property
    def key(self) -> str: ...


K = TypeVar("K", bound=_Keyed)


def pick(items: Iterable[K], key: str, what: str, operation: str) -> K:
    """The item with ``key``, or NotFoundError naming the keys there are."""
    listed = list(items)
    for item in listed:
        if item.key == key:
            return item
    known = ", ".join(item.key for item in listed) or "none"
    raise NotFoundError(f"no {what} {key!r} (there are: {known})", operation=operation)


def check_key(value: Any, name: str = "key") -> str:
    """A module key: a non-empty string."""
    return v.check_text(value, name, allow_empty=False)
