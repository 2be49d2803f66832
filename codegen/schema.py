"""Write Wiki.js's GraphQL schema into ``schema/`` as SDL, and show what changed.

The schema comes from a live server (an introspection query, which Wiki.js
answers anonymously), a saved introspection result, or Wiki.js's own SDL
files (a checkout's ``server/graph/schemas``, to which the directives the
server adds at run time are added)::

    scripts/pull-schema --url https://wiki.example.com [--token API-KEY]
    scripts/pull-schema --from-file introspection-2.5.314.json
    scripts/pull-schema --from-sdl ~/src/wiki/server/graph/schemas

Before writing, it prints the classified diff against the schema it replaces
(``codegen/schema_diff.py``); ``--fail-on-breaking`` stops there when a
change is breaking. A release newer than ``schema/history``'s newest with a
different API is added to the history too (``--no-history`` skips that).

The output is deterministic: types, fields and arguments are sorted, and the
header names only the Wiki.js version and where the schema came from, so two
pulls of the same server produce the same file and ``git diff`` after a pull
shows exactly what a new Wiki.js version changed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from graphql import GraphQLSchema, get_introspection_query

from . import schema_diff, schemas
from .queries import load as load_queries

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = schemas.CURRENT

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


class SchemaPullError(Exception):
    """The schema could not be fetched or understood."""


def introspection_to_sdl(introspection: dict[str, Any], *, version: str, source: str) -> str:
    """Turn an introspection result into sorted SDL with a provenance header."""
    try:
        schema = schemas.schema_from_introspection(introspection)
    except schemas.SchemaError as exc:
        raise SchemaPullError(str(exc)) from None
    return schemas.render(schema, version=version, source=source)


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


def _acquire(args: argparse.Namespace) -> tuple[GraphQLSchema, str | None, str]:
    """The schema, the version it tells (if any) and where it came from."""
    if args.url:
        introspection = fetch_introspection(args.url, args.token)
        version = args.wikijs_version or fetch_version(args.url, args.token)
        return (
            schemas.schema_from_introspection(introspection),
            version,
            "introspection of a live server",
        )
    if args.from_file:
        loaded = schemas.load(args.from_file)
        return (
            loaded.schema,
            args.wikijs_version or loaded.version,
            f"introspection file {args.from_file.name}",
        )
    paths: list[Path] = args.from_sdl
    text = schemas.read_sdl_sources(paths)
    version = args.wikijs_version or schemas.version_near(paths[0])
    names = ", ".join(f"{path.name}/*.graphql" if path.is_dir() else path.name for path in paths)
    source = f"SDL {names}, with the directives the server adds at run time"
    return schemas.schema_from_sdl(text), version, source


def _history_entry(sdl: str, version: str, folder: Path) -> Path | None:
    """Where to add this schema to the history, if it is a new API release."""
    releases = schemas.history(folder)
    if releases:
        newest = releases[-1]
        if schemas.Version.parse(version) <= schemas.Version.parse(newest.version):
            return None
        if schemas.body(newest.path.read_text(encoding="utf-8")) == schemas.body(sdl):
            return None
    return schemas.history_path(version, folder)


def _shown(path: Path) -> str:
    """``path`` relative to the current folder when it is under it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="pull-schema", description=(__doc__ or "").splitlines()[0]
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--url", help="base URL of a running Wiki.js (introspection)")
    source.add_argument("--from-file", type=Path, help="a saved introspection JSON result")
    source.add_argument(
        "--from-sdl",
        type=Path,
        nargs="+",
        metavar="PATH",
        help="Wiki.js's SDL: .graphql files, or a folder of them (server/graph/schemas)",
    )
    parser.add_argument("--token", help="API key or JWT (only needed to read the version)")
    parser.add_argument(
        "--wikijs-version",
        help="version for the header (default: asked from the server, or read from the "
        "file name; needed for --from-sdl with a folder)",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--history-dir", type=Path, default=schemas.HISTORY)
    parser.add_argument(
        "--no-history", action="store_true", help="never add the schema to the history"
    )
    parser.add_argument("--queries", type=Path, default=ROOT / "queries")
    parser.add_argument(
        "--fail-on-breaking",
        action="store_true",
        help="write nothing and exit 1 when a change is breaking",
    )
    args = parser.parse_args(argv)

    try:
        schema, version, source_name = _acquire(args)
        if not version:
            why = (
                "reading system.info needs a token with manage:system"
                if args.url
                else "the file name tells none"
            )
            raise SchemaPullError(f"cannot tell the Wiki.js version ({why}); pass --wikijs-version")
        sdl = schemas.render(schema, version=version, source=source_name)
        previous = args.output.read_text(encoding="utf-8") if args.output.exists() else None
    except (SchemaPullError, schemas.SchemaError, OSError, ValueError) as exc:
        print(f"pull-schema: {exc}", file=sys.stderr)
        return 1

    breaking = False
    if previous is not None:
        old = schemas.load(args.output)
        queries = load_queries(args.queries) if args.queries.is_dir() else None
        result = schema_diff.diff(
            old.schema,
            schemas.schema_from_sdl(sdl),
            queries,
            old_label=f"Wiki.js {old.version}" if old.version else str(args.output),
            new_label=f"Wiki.js {version}",
        )
        sys.stdout.write(schema_diff.render(result) + "\n")
        breaking = result.breaking
    if breaking and args.fail_on_breaking:
        print(f"pull-schema: breaking changes; {args.output} left as it was", file=sys.stderr)
        return 1

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(sdl, encoding="utf-8")
    state = "unchanged" if previous == sdl else "written"
    print(f"{_shown(args.output)} {state} (Wiki.js {version})")
    entry = None if args.no_history else _history_entry(sdl, version, args.history_dir)
    if entry is not None:
        entry.parent.mkdir(parents=True, exist_ok=True)
        entry.write_text(sdl, encoding="utf-8")
        print(f"{_shown(entry)} added: Wiki.js {version} changed the API")
    print("Next: scripts/generate (it lists every operation the new schema breaks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
