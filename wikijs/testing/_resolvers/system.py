"""``system``: version information and feature flags."""

from __future__ import annotations

import os
import platform
from typing import Any

from graphql import GraphQLResolveInfo

from ...versions import SCHEMA_VERSION
from .._errors import success
from ._common import Context, Registry, context, guarded

Info = GraphQLResolveInfo


def info(_obj: Any, info: Info) -> dict[str, Any]:
    ctx = context(info)
    state = ctx.state
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
        "httpRedirection": False,
        "httpsPort": 0,
        "nodeVersion": "20.11.0",
        "operatingSystem": f"{platform.system()} {platform.release()}",
        "pagesTotal": len(state.pages),
        "platform": "linux",
        "ramTotal": "2.0 GB",
        "sslDomain": None,
        "sslExpirationDate": None,
        "sslProvider": None,
        "sslStatus": None,
        "sslSubscriberEmail": None,
        "tagsTotal": len(state.tags),
        "telemetry": False,
        "telemetryClientId": "00000000-0000-4000-8000-000000000000",
        "upgradeCapable": False,
        "usersTotal": len(state.users),
        "workingDirectory": "/wiki",
    }


def flags(_obj: Any, info: Info) -> list[dict[str, Any]]:
    return [{"key": k, "value": v} for k, v in context(info).state.flags.items()]


def m_update_flags(ctx: Context, flags: list[dict[str, Any] | None]) -> dict[str, Any]:
    for flag in flags:
        if flag is not None:
            ctx.state.flags[str(flag["key"])] = bool(flag["value"])
    return {"responseResult": success("System Flags applied successfully")}


def bind(registry: Registry) -> None:
    registry.namespace("SystemQuery", {"info": info, "flags": flags})
    registry.add("SystemMutation", "updateFlags", guarded(m_update_flags))
