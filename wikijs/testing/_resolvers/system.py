"""``system``: information, flags, extensions, telemetry, HTTPS, export, upgrade, 1.x import."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import secrets
import uuid
from typing import Any

from graphql import GraphQLResolveInfo

from ...versions import SCHEMA_VERSION
from .._errors import PlainError, WikiError, success, wiki_error
from .._state import ADMIN_GROUP_ID, DEFAULT_GROUP_PERMISSIONS, Group, default_page_rule
from ._common import Context, Registry, context, guarded
from .users import create_user

Info = GraphQLResolveInfo


def info(_obj: Any, info: Info) -> dict[str, Any]:
    ctx = context(info)
    state = ctx.state
    admin = state.admin
    return {
        "configFile": "/wiki/config.yml",
        "cpuCores": os.cpu_count() or 1,
        "currentVersion": ctx.core.version,
        "latestVersion": SCHEMA_VERSION,
        "latestVersionReleaseDate": "2024-01-21T00:00:00.000Z",
        "dbHost": "fake",
        "dbType": "PostgreSQL",  # system.js maps config.db.type through its dbTypes table
        "dbVersion": "16.0",
        "groupsTotal": len(state.groups),
        "hostname": "wikijs-fake",
        "httpPort": 3000,
        "httpRedirection": admin.ssl_redirect,
        "httpsPort": 0,
        "nodeVersion": "20.11.0",
        "operatingSystem": f"{platform.system()} {platform.release()}",
        "pagesTotal": len(state.pages),
        "platform": "linux",
        "ramTotal": "2.0 GB",
        # SSL off: provider, domain, subscriber and expiry are null; the status is
        # hard-wired to "OK" (server/graph/resolvers/system.js)
        "sslDomain": None,
        "sslExpirationDate": None,
        "sslProvider": None,
        "sslStatus": "OK",
        "sslSubscriberEmail": None,
        "tagsTotal": len(state.tags),
        "telemetry": admin.telemetry,
        "telemetryClientId": admin.telemetry_client_id,
        "upgradeCapable": False,
        "usersTotal": len(state.users),
        "workingDirectory": "/wiki",
    }


def flags(_obj: Any, info: Info) -> list[dict[str, Any]]:
    return [{"key": k, "value": v} for k, v in context(info).state.flags.items()]


def m_update_flags(ctx: Context, flags: list[dict[str, Any] | None]) -> dict[str, Any]:
    """The given flags replace the whole set."""
    ctx.state.flags = {str(f["key"]): bool(f["value"]) for f in flags if f is not None}
    return {"responseResult": success("System Flags applied successfully")}


# The optional extensions of 2.5.314 (server/modules/extensions), as a fresh server
# with git and nothing else finds them.
EXTENSIONS = (
    {
        "key": "git",
        "title": "Git",
        "description": "Distributed version control system. Required for the Git storage module.",
        "isInstalled": True,
        "isCompatible": True,
    },
    {
        "key": "pandoc",
        "title": "Pandoc",
        "description": "Convert between markup formats. Required for converting from other "
        "formats such as MediaWiki, AsciiDoc, Textile and other wikis.",
        "isInstalled": False,
        "isCompatible": True,
    },
    {
        "key": "puppeteer",
        "title": "Puppeteer",
        "description": "Headless chromium browser for server-side rendering. Required for "
        "generating PDF versions of pages and render content elements on the server "
        "(e.g. Mermaid diagrams)",
        "isInstalled": False,
        "isCompatible": True,
    },
    {
        "key": "sharp",
        "title": "Sharp",
        "description": "Process and transform images. Required to generate thumbnails of "
        "uploaded images and perform transformations.",
        "isInstalled": False,
        "isCompatible": True,
    },
)


def extensions(_obj: Any, _info: Info) -> list[dict[str, Any]]:
    return [dict(e) for e in EXTENSIONS]


def export_status(_obj: Any, info: Info) -> dict[str, Any]:
    status = context(info).state.admin.export
    return {**status, "progress": int(-(-status["progress"] // 1))}  # Math.ceil


def m_export(ctx: Context, entities: list[str | None], path: str) -> dict[str, Any]:
    """The export is written at once (the fake has no disk of the server's to fill)."""
    admin = ctx.state.admin
    target = os.path.normpath(os.path.join("/wiki", path))
    if admin.export["status"] == "running":
        raise PlainError("Another export is already running.")
    if len(entities) < 1:
        raise PlainError("Must specify at least 1 entity to export.")
    if target in admin.exports or target in ("/wiki", "/"):
        raise PlainError("Target directory must be empty!")
    admin.export = {"status": "running", "progress": 0, "message": "", "startedAt": ctx.core.iso()}
    ctx.core.log("info", f"Export started to path {target}")
    ctx.core.log("info", f"Entities to export: {', '.join(str(e) for e in entities)}")
    admin.exports[target] = [str(e) for e in entities]
    admin.export = {**admin.export, "status": "success", "progress": 100}
    return {"responseResult": success("Export started successfully.")}


def m_set_telemetry(ctx: Context, enabled: bool) -> dict[str, Any]:
    ctx.state.admin.telemetry = enabled
    # the two messages are swapped in Wiki.js 2.5.314
    return {"responseResult": success("Telemetry Client ID has been reset successfully")}


def m_reset_telemetry_client_id(ctx: Context) -> dict[str, Any]:
    ctx.state.admin.telemetry_client_id = str(uuid.uuid4())
    return {"responseResult": success("Telemetry state updated successfully")}


def set_https_redirection(_obj: Any, info: Info, enabled: bool) -> dict[str, Any]:
    """No try/catch around this one in Wiki.js: it always succeeds."""
    context(info).state.admin.ssl_redirect = enabled
    return {"responseResult": success("HTTP Redirection state set successfully.")}


def m_renew_https_certificate(_ctx: Context) -> dict[str, Any]:
    raise wiki_error("SystemSSLDisabled")  # the fake serves plain HTTP


def m_perform_upgrade(_ctx: Context) -> dict[str, Any]:
    raise PlainError(
        "You must run the wiki-update-companion container and pass the UPGRADE_COMPANION "
        "env var in order to use this feature."
    )


_MONGO_HOST = re.compile(r"^mongodb(?:\+srv)?://(?:[^@/]*@)?([^/,?:]+)(?::(\d+))?")


def _import_group(ctx: Context, name: str, permissions: list[str], rules: list[Any]) -> int:
    state = ctx.state
    now = ctx.core.iso()
    group = Group(
        id=state.next_id("groups"),
        name=name,
        permissions=permissions,
        page_rules=rules,
        created_at=now,
        updated_at=now,
    )
    state.groups[group.id] = group
    return group.id


def m_import_users_from_v1(ctx: Context, mongoDbConnString: str, groupMode: str) -> dict[str, Any]:
    """Users of a Wiki.js 1.x database (``fake.add_v1_database``); others fail to connect."""
    if not mongoDbConnString or len(mongoDbConnString) <= 10:
        raise PlainError("MongoDB Connection String is missing or invalid.")
    users = ctx.state.admin.v1_databases.get(mongoDbConnString)
    if users is None:
        match = _MONGO_HOST.match(mongoDbConnString)
        host, port = (
            (match.group(1), match.group(2) or "27017") if match else ("localhost", "27017")
        )
        raise PlainError(
            f"failed to connect to server [{host}:{port}] on first connect [Error: connect "
            f"ECONNREFUSED {host}:{port}\n    at TCPConnectWrap.afterConnect [as oncomplete] "
            f"(node:net:1611:16) {{\n  name: 'MongoNetworkError'\n}}]",
            name="MongoNetworkError",
        )
    stamp = ctx.core.iso()
    groups_count = 0
    assignable: list[int] = []
    reuse: dict[str, int] = {}
    failed: list[dict[str, Any]] = []
    users_count = 0
    if groupMode == "SINGLE":
        assignable.append(
            _import_group(
                ctx,
                f"Import_{stamp}",
                list(DEFAULT_GROUP_PERMISSIONS),
                [default_page_rule(DEFAULT_GROUP_PERMISSIONS)],
            )
        )
        groups_count += 1
    for record in users:
        if record.get("email") == "guest":
            continue
        own: list[int] = []
        rights = record.get("rights") or []
        if groupMode == "MULTI":
            if any(r.get("role") == "admin" for r in rights):
                own.append(ADMIN_GROUP_ID)
            else:
                picked = sorted(
                    ({k: r.get(k) for k in ("role", "path", "exact", "deny")} for r in rights),
                    key=lambda r: json.dumps(r, sort_keys=True),
                )
                digest = hashlib.sha1(json.dumps(picked).encode()).hexdigest()  # noqa: S324
                if digest not in reuse:
                    rules: list[dict[str, Any]] = []
                    for right in rights:
                        roles = ["read:pages", "read:assets", "read:comments", "write:comments"]
                        if right.get("role") == "write":
                            roles += [
                                "write:pages",
                                "manage:pages",
                                "read:source",
                                "read:history",
                                "write:assets",
                                "manage:assets",
                            ]
                        path = str(right.get("path") or "")
                        rules.append(
                            {
                                "id": secrets.token_hex(5),
                                "roles": roles,
                                "match": "EXACT" if right.get("exact") else "START",
                                "deny": bool(right.get("deny")),
                                "path": path[1:] if path.startswith("/") else path,
                                "locales": [],
                            }
                        )
                    permissions: list[str] = []
                    for rule in rules:
                        if not rule["deny"]:
                            permissions += [p for p in rule["roles"] if p not in permissions]
                    reuse[digest] = _import_group(
                        ctx, f"Import_{stamp}_{groups_count + 1}", permissions, rules
                    )
                    groups_count += 1
                own.append(reuse[digest])
        try:
            create_user(
                ctx,
                email=str(record.get("email") or ""),
                name=str(record.get("name") or ""),
                passwordRaw=record.get("password"),
                providerKey=str(record.get("provider") or "local"),
                groups=[*(own or assignable)],
            )
            users_count += 1
        except WikiError as error:
            failed.append(
                {
                    "provider": record.get("provider"),
                    "email": record.get("email"),
                    "error": error.message,
                }
            )
    return {
        "responseResult": success("Import completed."),
        "usersCount": users_count,
        "groupsCount": groups_count,
        "failed": failed,
    }


def bind(registry: Registry) -> None:
    registry.namespace(
        "SystemQuery",
        {
            "info": info,
            "flags": flags,
            "extensions": extensions,
            "exportStatus": export_status,
        },
    )
    registry.namespace(
        "SystemMutation",
        {
            "updateFlags": guarded(m_update_flags),
            "export": guarded(m_export),
            "setTelemetry": guarded(m_set_telemetry),
            "resetTelemetryClientId": guarded(m_reset_telemetry_client_id),
            "setHTTPSRedirection": set_https_redirection,
            "renewHTTPSCertificate": guarded(m_renew_https_certificate),
            "performUpgrade": guarded(m_perform_upgrade),
            "importUsersFromV1": guarded(m_import_users_from_v1),
        },
    )
