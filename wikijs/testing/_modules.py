"""The modules of a Wiki.js server (strategies, storage, renderers, providers, engines, loggers).

Each is a row as Wiki.js keeps it in its database (``key``, ``isEnabled``,
``config`` as a JSON object of values, and a few columns of its own) beside
the module's definition (title, description, the definitions of its
settings). The catalogue comes from a real 2.5.314 (``modules-2.5.314.json``,
``python -m codegen.module_catalogue``); the resolvers render rows the way
the server's resolvers do and write them the way its mutations do.
"""

from __future__ import annotations

import functools
import json
import uuid
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

# Icons are brand logos; the catalogue only says which strategies have one.
NEUTRAL_ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
    '<circle cx="32" cy="32" r="30"/></svg>\n'
)

#: The catalogue's lists, and the rows a fresh server keeps for each.
KINDS = ("analytics", "storage", "renderers", "commentProviders", "searchEngines", "loggers")


@functools.cache
def _catalogue_text() -> str:
    return resources.files("wikijs.testing").joinpath("modules-2.5.314.json").read_text("utf-8")


def catalogue() -> dict[str, Any]:
    """The modules a fresh 2.5.314 lists (a fresh copy)."""
    return json.loads(_catalogue_text())  # type: ignore[no-any-return]


def js_json(value: Any) -> str:
    """``JSON.stringify``: no spaces, non-ASCII kept."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@dataclass
class Module:
    """One module's database row, with its definition."""

    key: str
    info: dict[str, Any]
    definitions: dict[str, dict[str, Any]]
    is_enabled: bool
    config: dict[str, Any]
    columns: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_listing(cls, listed: dict[str, Any], columns: tuple[str, ...] = ()) -> Module:
        """A row from the way the server lists it: definitions and values from ``config``."""
        definitions: dict[str, dict[str, Any]] = {}
        values: dict[str, Any] = {}
        for pair in listed.get("config") or []:
            described = json.loads(pair["value"])
            values[pair["key"]] = described.pop("value", None)
            definitions[pair["key"]] = described
        info = {
            k: v for k, v in listed.items() if k not in ("config", "isEnabled", "key", *columns)
        }
        return cls(
            key=listed["key"],
            info=info,
            definitions=definitions,
            is_enabled=bool(listed.get("isEnabled")),
            config=values,
            columns={c: listed.get(c) for c in columns},
        )

    def config_pairs(self, *, known_only: bool, mask: bool = False) -> list[dict[str, str]]:
        """``config`` as the server lists it: ``{key, value: JSON({...definition, value})}``.

        ``known_only``: keys the module does not define are left out (most
        resolvers); the analytics and logging resolvers keep them with an
        empty definition. ``mask``: non-empty secrets read ``********``
        (``storage.targets``).
        """
        out = []
        for key, value in self.config.items():
            definition = self.definitions.get(key)
            if definition is None and known_only:
                continue
            definition = definition or {}
            shown = value
            if mask and definition.get("sensitive") and isinstance(value, str) and value:
                shown = "********"
            out.append({"key": key, "value": js_json({**definition, "value": shown})})
        return sorted(out, key=lambda pair: pair["key"])

    def defaults(self) -> dict[str, Any]:
        return {key: d.get("default") for key, d in self.definitions.items()}


def unwrap_config(pairs: list[dict[str, Any] | None] | None) -> dict[str, Any]:
    """``_.reduce(config, (r, v) => _.set(r, v.key, _.get(JSON.parse(v.value), 'v', null)))``.

    A value that is not JSON fails the mutation as ``JSON.parse`` does.
    """
    out: dict[str, Any] = {}
    for pair in pairs or []:
        if pair is None:
            continue
        try:
            parsed = json.loads(pair["value"])
        except ValueError:
            raise ValueError(
                f"Unexpected token in JSON at position 0: {pair['value'][:20]!r}"
            ) from None
        out[str(pair["key"])] = parsed.get("v") if isinstance(parsed, dict) else None
    return out


def raw_config(pairs: list[dict[str, Any] | None] | None) -> dict[str, Any]:
    """``logging.updateLoggers``: each value stored as the text it was given."""
    return {str(p["key"]): p["value"] for p in pairs or [] if p is not None}


@dataclass
class Strategy:
    """A row of the ``authentication`` table: one configured login method."""

    key: str
    strategy_key: str
    display_name: str
    order: int
    is_enabled: bool
    config: dict[str, Any]
    self_registration: bool
    domain_whitelist: list[str]
    auto_enroll_groups: list[int]


@dataclass
class AdminState:
    """What the admin area configures, beyond site settings: modules, mail, theming, system."""

    modules: dict[str, dict[str, Module]] = field(default_factory=dict)
    strategy_kinds: list[dict[str, Any]] = field(default_factory=list)
    strategies: dict[str, Strategy] = field(default_factory=dict)
    comment_provider: str = "default"
    search_engine: str = "db"
    mail: dict[str, Any] = field(default_factory=dict)
    theming: dict[str, Any] = field(default_factory=dict)
    telemetry: bool = False
    telemetry_client_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    ssl_redirect: bool = False
    export: dict[str, Any] = field(default_factory=dict)
    exports: dict[str, list[str]] = field(default_factory=dict)
    v1_databases: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    certificates: int = 0

    def kind(self, key: str) -> dict[str, Any] | None:
        return next((k for k in self.strategy_kinds if k["key"] == key), None)

    def touch(self, table: str, key: str) -> None:
        """An UPDATE moves the row to the end of the table's physical order (PostgreSQL)."""
        rows = self.modules[table]
        rows[key] = rows.pop(key)


def fresh_admin_state() -> AdminState:
    """The admin settings of a freshly installed 2.5.314."""
    data = catalogue()
    state = AdminState()
    columns = {
        "storage": ("mode", "syncInterval"),
        "loggers": ("level",),
    }
    for kind in KINDS:
        state.modules[kind] = {}
        for listed in data[kind]:
            module = Module.from_listing(listed, columns.get(kind, ()))
            if kind == "storage":
                module.columns["state"] = {"status": "pending", "message": "", "lastAttempt": None}
            state.modules[kind][module.key] = module
    state.strategy_kinds = data["strategies"]
    for row in data["activeStrategies"]:
        state.strategies[row["key"]] = Strategy(
            key=row["key"],
            strategy_key=row["strategy"]["key"],
            display_name=row["displayName"],
            order=row["order"],
            is_enabled=row["isEnabled"],
            config={p["key"]: json.loads(p["value"]).get("value") for p in row["config"]},
            self_registration=row["selfRegistration"],
            domain_whitelist=list(row["domainWhitelist"]),
            auto_enroll_groups=list(row["autoEnrollGroups"]),
        )
    state.mail = {
        "senderName": "",
        "senderEmail": "",
        "host": "",
        "port": 465,
        "name": "",
        "secure": True,
        "verifySSL": True,
        "user": "",
        "pass": "",
        "useDKIM": False,
        "dkimDomainName": "",
        "dkimKeySelector": "",
        "dkimPrivateKey": "",
    }
    state.theming = {
        "theme": "default",
        "iconset": "mdi",
        "darkMode": False,
        "tocPosition": "left",
        "injectCSS": "",
        "injectHead": "",
        "injectBody": "",
    }
    state.export = {"status": "notrunning", "progress": 0, "message": "", "startedAt": None}
    return state
