"""The state a fresh Wiki.js has after setup, and a deterministic demo wiki."""

from __future__ import annotations

import random
import struct
import zlib
from typing import Any

from ._core import Core
from ._state import (
    ADMIN_GROUP_ID,
    ADMIN_ID,
    GUEST_GROUP_ID,
    GUEST_ID,
    GUEST_PERMISSIONS,
    Group,
    State,
    User,
    default_page_rule,
)


def site_defaults(host: str) -> dict[str, Any]:
    return {
        "host": host,
        "title": "Wiki.js",
        "description": "",
        "robots": ["index", "follow"],
        "analyticsService": "",
        "analyticsId": "",
        "company": "",
        "contentLicense": "",
        "footerOverride": "",
        "logoUrl": "https://static.requarks.io/logo/wikijs-butterfly.svg",
        "pageExtensions": "md,html,txt",
        # setup's WIKI.config.auth has no such keys: null until saved or a restart
        # fills in app/data.yml's defaults (fill_config_defaults)
        "authAutoLogin": None,
        "authEnforce2FA": None,
        "authHideLocal": None,
        "authLoginBgUrl": None,
        "authJwtAudience": "urn:wiki.js",
        "authJwtExpiration": "30m",
        "authJwtRenewablePeriod": "14d",
        "editFab": True,
        "editMenuBar": False,
        "editMenuBtn": True,
        "editMenuExternalBtn": True,
        "editMenuExternalName": "GitHub",
        "editMenuExternalIcon": "mdi-github",
        "editMenuExternalUrl": "",
        "featurePageRatings": True,
        "featurePageComments": True,
        "featurePersonalWikis": False,
        "securityOpenRedirect": True,
        "securityIframe": True,
        "securityReferrerPolicy": True,
        "securityTrustProxy": False,
        "securitySRI": True,
        "securityHSTS": False,
        "securityHSTSDuration": 300,
        "securityCSP": False,
        "securityCSPDirectives": "",
        "uploadMaxFileSize": 5242880,
        "uploadMaxFiles": 10,
        "uploadScanSVG": True,
        "uploadForceDownload": True,
    }


# app/data.yml's defaults for what setup leaves unset; config.js merges them in
# (_.defaultsDeep) when the server loads its settings, i.e. at every start.
CONFIG_DEFAULTS = {
    "authAutoLogin": False,
    "authEnforce2FA": False,
    "authHideLocal": False,
    "authLoginBgUrl": "",
}


def fill_config_defaults(state: State) -> None:
    """What a restart does to settings setup never saved: they take the defaults."""
    for key, value in CONFIG_DEFAULTS.items():
        if state.site.get(key) is None:
            state.site[key] = value


def seed_initial(core: Core, admin_email: str, admin_password: str) -> None:
    """Administrator (1), Guest (2), their groups, and the settings of a new install."""
    state = core.state
    now = core.iso()
    state.groups[ADMIN_GROUP_ID] = Group(
        ADMIN_GROUP_ID, "Administrators", ["manage:system"], [], True, "/", now, now
    )
    state.groups[GUEST_GROUP_ID] = Group(
        GUEST_GROUP_ID,
        "Guests",
        list(GUEST_PERMISSIONS),
        [default_page_rule(GUEST_PERMISSIONS, "guest")],
        True,
        "/",
        now,
        now,
    )
    admin = User(
        ADMIN_ID, admin_email, "Administrator", admin_password, created_at=now, updated_at=now
    )
    guest = User(
        GUEST_ID, "guest@example.com", "Guest", "", is_system=True, created_at=now, updated_at=now
    )
    for user in (admin, guest):
        state.users[user.id] = user
        state.touch_user(user)
    state.user_groups.extend([(ADMIN_ID, ADMIN_GROUP_ID), (GUEST_ID, GUEST_GROUP_ID)])
    state.site = site_defaults(core.base_url)
    state.nav_mode = "MIXED"
    state.nav_tree = [
        {
            "locale": "en",
            "items": [
                {
                    "id": "home",
                    "kind": "link",
                    "label": "Home",
                    "icon": "mdi-home",
                    "targetType": "home",
                    "target": "/",
                    "visibilityMode": "all",
                    "visibilityGroups": None,
                }
            ],
        }
    ]
    state.locale_config = {
        "locale": "en",
        "autoUpdate": True,
        "namespacing": False,
        "namespaces": [],
        "installed": ["en"],
        # as a server set up offline: no locale's strings were downloaded, none loaded
        "downloaded": [],
        "loaded": [],
    }
    state.flags = {"ldapdebug": False, "sqllog": False}


def tiny_png(rgb: tuple[int, int, int]) -> bytes:
    """A valid 1x1 PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + bytes(rgb))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


DEMO_TAGS = ("guide", "reference", "howto", "api", "faq", "release", "internal", "onboarding")
DEMO_SECTIONS = ("handbook", "engineering", "product", "support", "operations")
DEMO_WORDS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "kafka",
    "cluster",
    "deploy",
    "rollback",
    "cache",
    "index",
    "backup",
    "restore",
    "monitor",
    "alert",
    "queue",
    "worker",
    "token",
    "quota",
    "audit",
    "policy",
    "schema",
    "migration",
]


def demo_plan(pages: int, seed: int) -> list[dict[str, Any]]:
    """Deterministic page specs for :meth:`FakeWikiJS.seed_demo`."""
    rng = random.Random(seed)  # noqa: S311 - demo data
    specs: list[dict[str, Any]] = []
    for n in range(pages):
        locale = "de" if n % 4 == 3 else "en"
        section = DEMO_SECTIONS[n % len(DEMO_SECTIONS)]
        words = rng.sample(DEMO_WORDS, 3)
        title = " ".join(w.capitalize() for w in words) + f" {n + 1}"
        path = f"{section}/topic-{n // 25 + 1}/{words[0]}-{n + 1}"
        tags = sorted(rng.sample(DEMO_TAGS, rng.randint(1, 3)))
        body = "\n\n".join(
            [
                f"# {title}",
                f"This page explains **{words[1]}** and *{words[2]}* for the {section} team.",
                f"## Details\n\n- step one uses `{words[0]}`",
                f"- see [the overview](/{section}/overview)",
            ]
        )
        specs.append(
            {
                "path": path,
                "locale": locale,
                "title": title,
                "description": f"About {words[0]} and {words[1]}",
                "content": body,
                "tags": tags,
                "is_published": n % 10 != 9,
            }
        )
    return specs
