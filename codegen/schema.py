"""Write Wiki.js's GraphQL schema into ``schema/`` as SDL.

The schema comes either from a live server (an introspection query, which
Wiki.js answers anonymously) or from a saved introspection result::

    scripts/pull-schema --url https://wiki.example.com [--token API-KEY]
    scripts/pull-schema --from-file introspection-2.5.314.json

The output is deterministic: types, fields and arguments are sorted, and the
header names only the Wiki.js version and where the schema came from, so two
pulls of the same server produce the same file and ``git diff`` after a pull
shows exactly what a new Wiki.js version changed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from graphql import (
    build_client_schema,
    get_introspection_query,
    lexicographic_sort_schema,
    print_schema,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "schema" / "wikijs.graphql"

# graphql-js 15 (inside Wiki.js 2.x) rejects `includeDeprecated` on
# `__Directive.args` and the other newer introspection fields.
INTROSPECTION_QUERY = get_introspection_query(
    descriptions=False,
    specified_by_url=False,
    directive_is_repeatable=False,
    schema_description=False,
    input_value_deprecation=False,
)

VERSION_QUERY = "query WikiJSVersion { system { info { currentVersion } } }"
_VERSION_IN_NAME = re.compile(r"(\d+\.\d+\.\d+)")


class SchemaPullError(Exception):
    """The schema could not be fetched or understood."""


def introspection_to_sdl(introspection: dict[str, Any], *, version: str, source: str) -> str:
    """Turn an introspection result into sorted SDL with a provenance header."""
    data = introspection.get("data", introspection)
    if "__schema" not in data:
        raise SchemaPullError("not an introspection result: no '__schema' key")
    schema = lexicographic_sort_schema(build_client_schema(data))
    header = (
        f"# Wiki.js {version} GraphQL schema.\n"
        f"# Source: {source}\n"
        "# Written by scripts/pull-schema; do not edit. Regenerate the client with\n"
        "# scripts/generate after replacing this file.\n\n"
    )
    return header + print_schema(schema) + "\n"


def _post(url: str, token: str | None, query: str, timeout: float) -> dict[str, Any]:
    import httpx

    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        response = httpx.post(
            url.rstrip("/") + "/graphql",
            content=json.dumps({"query": query}),
            headers=headers,
            timeout=timeout,
        )
    except httpx.HTTPError as exc:
        raise SchemaPullError(f"cannot reach {url}: {exc}") from exc
    try:
        body = response.json()
    except ValueError as exc:
        raise SchemaPullError(
            f"{url} answered HTTP {response.status_code} with a body that is not JSON"
        ) from exc
    if not isinstance(body, dict):
        raise SchemaPullError(f"{url} answered with unexpected JSON: {type(body).__name__}")
    return body


def fetch_introspection(
    url: str, token: str | None = None, timeout: float = 30.0
) -> dict[str, Any]:
    """Run the introspection query against a live Wiki.js server."""
    body = _post(url, token, INTROSPECTION_QUERY, timeout)
    if body.get("errors") or not body.get("data"):
        messages = "; ".join(str(e.get("message")) for e in body.get("errors") or [])
        raise SchemaPullError(f"introspection failed: {messages or 'no data'}")
    return body


def fetch_version(url: str, token: str | None, timeout: float = 30.0) -> str | None:
    """The server's version, when the token may read ``system.info``."""
    body = _post(url, token, VERSION_QUERY, timeout)
    info = ((body.get("data") or {}).get("system") or {}).get("info") or {}
    version = info.get("currentVersion")
    return str(version) if version else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pull-schema", description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--url", help="base URL of a running Wiki.js (introspection)")
    source.add_argument("--from-file", type=Path, help="a saved introspection JSON result")
    parser.add_argument("--token", help="API key or JWT (only needed to read the version)")
    parser.add_argument(
        "--wikijs-version",
        help="version for the header (default: asked from the server, or read from the file name)",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    try:
        if args.url:
            introspection = fetch_introspection(args.url, args.token)
            version = args.wikijs_version or fetch_version(args.url, args.token)
            source_name = "introspection of a live server"
        else:
            introspection = json.loads(args.from_file.read_text(encoding="utf-8"))
            match = _VERSION_IN_NAME.search(args.from_file.name)
            version = args.wikijs_version or (match.group(1) if match else None)
            source_name = f"introspection file {args.from_file.name}"
        if not version:
            raise SchemaPullError(
                "cannot tell the Wiki.js version (reading system.info needs a token "
                "with manage:system); pass --wikijs-version"
            )
        sdl = introspection_to_sdl(introspection, version=version, source=source_name)
    except (SchemaPullError, OSError, ValueError) as exc:
        print(f"pull-schema: {exc}", file=sys.stderr)
        return 1

    args.output.parent.mkdir(parents=True, exist_ok=True)
    previous = args.output.read_text(encoding="utf-8") if args.output.exists() else None
    args.output.write_text(sdl, encoding="utf-8")
    state = "unchanged" if previous == sdl else "written"
    print(f"{args.output} {state} (Wiki.js {version})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
