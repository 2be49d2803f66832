"""Capture the module catalogue of a fresh Wiki.js for the fake (``wikijs/testing/modules-*.json``).

The fake lists the same login strategies, storage targets, renderers,
analytics and comment providers, search engines and loggers as the real
release, with their setting definitions and default values. Run against a
freshly installed server (default settings) of the release::

    python -m codegen.module_catalogue --url http://127.0.0.1:3000 --api-key KEY \\
        > wikijs/testing/modules-2.5.314.json

Strategy icons (brand logos as inline SVG) are not copied: the catalogue
says which strategies have one, and the fake serves a neutral SVG.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import httpx

_CONFIG = "config { key value }"
QUERIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "strategies": (
        "{ authentication { strategies { key title description isAvailable useForm usernameType"
        " logo color website icon props { key value } } } }",
        ("authentication", "strategies"),
    ),
    "activeStrategies": (
        "{ authentication { activeStrategies { key strategy { key } displayName order isEnabled"
        f" {_CONFIG} selfRegistration domainWhitelist autoEnrollGroups }} }} }}",
        ("authentication", "activeStrategies"),
    ),
    "storage": (
        "{ storage { targets { key title description isAvailable isEnabled logo website"
        " supportedModes mode hasSchedule syncInterval syncIntervalDefault"
        f" {_CONFIG} actions {{ handler label hint }} }} }} }}",
        ("storage", "targets"),
    ),
    "renderers": (
        "{ rendering { renderers { key title description isEnabled icon dependsOn input output"
        f" {_CONFIG} }} }} }}",
        ("rendering", "renderers"),
    ),
    "analytics": (
        "{ analytics { providers { key title description isAvailable isEnabled logo website"
        f" {_CONFIG} }} }} }}",
        ("analytics", "providers"),
    ),
    "commentProviders": (
        "{ comments { providers { key title description isAvailable isEnabled logo website"
        f" {_CONFIG} }} }} }}",
        ("comments", "providers"),
    ),
    "searchEngines": (
        "{ search { searchEngines { key title description isAvailable isEnabled logo website"
        f" {_CONFIG} }} }} }}",
        ("search", "searchEngines"),
    ),
    "loggers": (
        f"{{ logging {{ loggers {{ key title description isEnabled level logo website {_CONFIG}"
        " } } }",
        ("logging", "loggers"),
    ),
}

COMMENT = (
    "The modules of a fresh Wiki.js {version} (default settings) as its API lists them,"
    " captured with `python -m codegen.module_catalogue`. Strategy icons (inline SVG) are"
    " not copied: `hasIcon` says which strategies have one."
)


def capture(url: str, api_key: str) -> dict[str, Any]:
    catalogue: dict[str, Any] = {}
    with httpx.Client(
        base_url=url.rstrip("/"), headers={"Authorization": f"Bearer {api_key}"}, timeout=60
    ) as client:
        version = client.post("/graphql", json={"query": "{ system { info { currentVersion } } }"})
        catalogue["_comment"] = COMMENT.format(
            version=version.json()["data"]["system"]["info"]["currentVersion"]
        )
        for name, (query, path) in QUERIES.items():
            body = client.post("/graphql", json={"query": query}).json()
            if body.get("errors"):
                raise SystemExit(f"{name}: {body['errors'][0]['message']}")
            found: Any = body["data"]
            for step in path:
                found = found[step]
            catalogue[name] = found
    for strategy in catalogue["strategies"]:
        strategy["hasIcon"] = bool(strategy.pop("icon"))
    return catalogue


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--api-key", required=True)
    args = parser.parse_args(argv)
    json.dump(capture(args.url, args.api_key), sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
