"""``localization``: installed locales, the locale config and translations."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from .._errors import success, wiki_error
from ._common import Context, Registry, context, guarded

Info = GraphQLResolveInfo

LOCALES: dict[str, tuple[str, str]] = {
    "en": ("English", "English"),
    "de": ("German", "Deutsch"),
    "fr": ("French", "Français"),
}
TRANSLATIONS: dict[str, dict[str, str]] = {
    "en": {"common.actions.save": "Save", "common.actions.cancel": "Cancel"},
    "de": {"common.actions.save": "Speichern", "common.actions.cancel": "Abbrechen"},
    "fr": {"common.actions.save": "Enregistrer", "common.actions.cancel": "Annuler"},
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


def translations(_obj: Any, _info: Info, locale: str, namespace: str) -> list[dict[str, str]]:
    table = TRANSLATIONS.get(locale, {})
    return [
        {"key": k, "value": v}
        for k, v in table.items()
        if namespace in ("", "common") or k.startswith(namespace + ".")
    ]


def m_update_locale(
    ctx: Context, locale: str, autoUpdate: bool, namespacing: bool, namespaces: list[str | None]
) -> dict[str, Any]:
    cfg = ctx.state.locale_config
    cfg.update(
        locale=locale,
        autoUpdate=autoUpdate,
        namespacing=namespacing,
        namespaces=[n for n in namespaces if n],
    )
    return {"responseResult": success("Locale config updated")}


def m_download_locale(ctx: Context, locale: str) -> dict[str, Any]:
    if locale not in LOCALES:
        raise wiki_error("InputInvalid", "Invalid locale or namespace.")
    installed = ctx.state.locale_config.setdefault("installed", ["en"])
    if locale not in installed:
        installed.append(locale)
    return {"responseResult": success("Locale downloaded successfully")}


def bind(registry: Registry) -> None:
    registry.namespace(
        "LocalizationQuery", {"locales": locales, "config": config, "translations": translations}
    )
    registry.namespace(
        "LocalizationMutation",
        {"updateLocale": guarded(m_update_locale), "downloadLocale": guarded(m_download_locale)},
    )
