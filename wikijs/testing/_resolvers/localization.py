"""``localization``: installed locales, the locale config and translations."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from .._errors import PlainError, success, wiki_error
from ._common import Context, Registry, context, guarded

Info = GraphQLResolveInfo

LOCALES: dict[str, tuple[str, str]] = {
    "en": ("English", "English"),
    "de": ("German", "Deutsch"),
    "fr": ("French", "Français"),
}
# A locale's strings by namespace (Wiki.js 2.5 has admin, auth and common).
TRANSLATIONS: dict[str, dict[str, dict[str, str]]] = {
    "en": {
        "admin": {"dashboard.title": "Dashboard"},
        "auth": {"actions.login": "Log In"},
        "common": {"actions.save": "Save", "actions.cancel": "Cancel"},
    },
    "de": {
        "admin": {"dashboard.title": "Übersicht"},
        "auth": {"actions.login": "Anmelden"},
        "common": {"actions.save": "Speichern", "actions.cancel": "Abbrechen"},
    },
    "fr": {
        "admin": {"dashboard.title": "Tableau de bord"},
        "auth": {"actions.login": "Connexion"},
        "common": {"actions.save": "Enregistrer", "actions.cancel": "Annuler"},
    },
}
STAMP = "2026-01-01T00:00:00.000Z"


def locales(_obj: Any, info: Info) -> list[dict[str, Any]]:
    installed = context(info).state.locale_config.get("installed", ["en"])
    return [
        {
            "code": code,
            "name": name,
            "nativeName": native,
            "availability": 100,
            "isRTL": False,
            "isInstalled": code in installed,
            "installDate": STAMP if code in installed else None,
            "createdAt": STAMP,
            "updatedAt": STAMP,
        }
        for code, (name, native) in LOCALES.items()
    ]


def config(_obj: Any, info: Info) -> dict[str, Any]:
    cfg = context(info).state.locale_config
    return {
        "locale": cfg.get("locale", "en"),
        "autoUpdate": cfg.get("autoUpdate", True),
        "namespacing": cfg.get("namespacing", False),
        "namespaces": list(cfg.get("namespaces", [])),
    }


def _load(cfg: dict[str, Any]) -> None:
    """``WIKI.lang.refreshNamespaces``: i18next loads the current locale, and with
    namespacing the configured ones, when their strings were downloaded; loaded
    bundles stay loaded. A fresh server has no strings (``en`` is a row, empty,
    until downloaded)."""
    wanted = [
        cfg.get("locale", "en"),
        *(cfg.get("namespaces", []) if cfg.get("namespacing") else []),
    ]
    loaded = cfg.setdefault("loaded", [])
    for code in wanted:
        if code in cfg.get("downloaded", []) and code not in loaded:
            loaded.append(code)


def translations(_obj: Any, info: Info, locale: str, namespace: str) -> list[dict[str, str]]:
    """``WIKI.lang.getByNamespace``: keys relative to the namespace; a locale that
    i18next has not loaded, or an unknown namespace, is a plain Error."""
    cfg = context(info).state.locale_config
    bundle = TRANSLATIONS.get(locale, {}).get(namespace)
    if bundle is None or locale not in cfg.get("loaded", []):
        raise PlainError("Invalid locale or namespace")
    return [{"key": k, "value": v} for k, v in bundle.items()]


def m_update_locale(
    ctx: Context, locale: str, autoUpdate: bool, namespacing: bool, namespaces: list[str | None]
) -> dict[str, Any]:
    """The running config changes first; a locale that is not installed then fails
    reading its ``isRTL`` (and the change is not saved, but stays in effect)."""
    cfg = ctx.state.locale_config
    wanted = [n for n in namespaces if n]
    cfg.update(
        locale=locale,
        autoUpdate=autoUpdate,
        namespacing=namespacing,
        namespaces=[*wanted, *([locale] if locale not in wanted else [])],
    )
    if locale not in cfg.get("installed", ["en"]):
        raise PlainError("Cannot read properties of undefined (reading 'isRTL')", "TypeError")
    _load(cfg)
    return {"responseResult": success("Locale config updated")}


def m_download_locale(ctx: Context, locale: str) -> dict[str, Any]:
    if locale not in LOCALES:
        raise wiki_error("InputInvalid", "Invalid locale or namespace.")
    cfg = ctx.state.locale_config
    for listed in (cfg.setdefault("installed", ["en"]), cfg.setdefault("downloaded", [])):
        if locale not in listed:
            listed.append(locale)
    _load(cfg)
    return {"responseResult": success("Locale downloaded successfully")}


def bind(registry: Registry) -> None:
    registry.namespace(
        "LocalizationQuery", {"locales": locales, "config": config, "translations": translations}
    )
    registry.namespace(
        "LocalizationMutation",
        {"updateLocale": guarded(m_update_locale), "downloadLocale": guarded(m_download_locale)},
    )
