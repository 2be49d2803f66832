"""Reading and writing Wiki.js schemas: SDL, introspection JSON, the history.

Every schema the tools handle goes through :func:`as_served`, which turns it
into what a live Wiki.js answers to introspection (no descriptions, the
directives the server adds at run time) and sorts it. Built that way from
Wiki.js 2.5.314's ``server/graph/schemas/*.graphql``, the result is the
committed ``schema/wikijs.graphql`` byte for byte; so is a pull from a live
server, so ``git diff schema/`` shows only what changed in the API.

``schema/history/`` keeps one file per Wiki.js release that changed the
API (named after the first release with that API, e.g. ``wikijs-2.5.105.graphql``
serves 2.5.105 up to the next file's release). The SDK supports every
release from the oldest file on; ``scripts/generate`` works out from them
which operation needs which release (``codegen/versions.py``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import total_ordering
from pathlib import Path
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLSchema,
    build_client_schema,
    build_schema,
    introspection_from_schema,
    lexicographic_sort_schema,
    parse,
    print_schema,
)
from graphql.language import (
    DirectiveDefinitionNode,
    DocumentNode,
    TypeDefinitionNode,
)

ROOT = Path(__file__).resolve().parent.parent
CURRENT = ROOT / "wikijs" / "_facts" / "schemas" / "wikijs.graphql"
HISTORY = ROOT / "wikijs" / "_facts" / "schemas" / "history"

# What Wiki.js adds to its own SDL when it starts (server/graph/index.js):
# graphql-rate-limit-directive's @rateLimit, and Apollo Server 2's
# @cacheControl (with its enum) and Upload scalar.
RUNTIME_DEFINITIONS = """
directive @rateLimit(limit: Int! = 60, duration: Int! = 60) on OBJECT | FIELD_DEFINITION
enum CacheControlScope { PUBLIC PRIVATE }
directive @cacheControl(maxAge: Int, scope: CacheControlScope)
  on FIELD_DEFINITION | OBJECT | INTERFACE
scalar Upload
"""

_HEADER = re.compile(r"^# Wiki\.js (\S+) GraphQL schema\.", re.MULTILINE)
_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)")
_HISTORY_NAME = re.compile(r"^wikijs-(\d+\.\d+\.\d+)\.graphql$")


class SchemaError(Exception):
    """A schema file or text that cannot be read as a Wiki.js schema."""


@total_ordering
@dataclass(frozen=True)
class Version:
    """A Wiki.js release number, ordered numerically (``2.5.99 < 2.5.105``)."""

    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str) -> Version:
        match = _VERSION.search(text)
        if match is None:
            raise SchemaError(f"not a Wiki.js version: {text!r}")
        return cls(*(int(part) for part in match.groups()))

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return (self.major, self.minor, self.patch) < (other.major, other.minor, other.patch)

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


@dataclass(frozen=True)
class LoadedSchema:
    """A schema and what is known about it."""

    schema: GraphQLSchema
    version: str | None
    source: str


def as_served(schema: GraphQLSchema) -> GraphQLSchema:
    """The schema as a live Wiki.js introspects it: no descriptions, sorted."""
    introspection = introspection_from_schema(
        schema,
        descriptions=False,
        specified_by_url=False,
        directive_is_repeatable=False,
        schema_description=False,
        input_value_deprecation=False,
    )
    return lexicographic_sort_schema(build_client_schema(introspection))


def with_runtime_definitions(sdl: str) -> str:
    """``sdl`` plus whichever run-time directives and types it does not define yet."""
    try:
        document = parse(sdl)
    except GraphQLError as exc:
        raise SchemaError(f"not GraphQL SDL: {exc.message}") from None
    defined = _defined_names(document)
    extra = [
        definition
        for definition in parse(RUNTIME_DEFINITIONS).definitions
        if isinstance(definition, (TypeDefinitionNode, DirectiveDefinitionNode))
        and definition.name.value not in defined
    ]
    if not extra:
        return sdl
    from graphql import print_ast

    return sdl + "\n" + "\n\n".join(print_ast(definition) for definition in extra) + "\n"


def _defined_names(document: DocumentNode) -> set[str]:
    return {
        definition.name.value
        for definition in document.definitions
        if isinstance(definition, (TypeDefinitionNode, DirectiveDefinitionNode))
    }


def schema_from_sdl(sdl: str) -> GraphQLSchema:
    """Build a schema from Wiki.js SDL (one or many joined files), as served."""
    try:
        return as_served(build_schema(with_runtime_definitions(sdl)))
    except (GraphQLError, TypeError) as exc:
        raise SchemaError(f"not a valid schema: {exc}") from None


def schema_from_introspection(data: Any) -> GraphQLSchema:
    """Build a schema from an introspection result (with or without ``data``)."""
    if isinstance(data, dict) and "data" in data and isinstance(data["data"], dict):
        data = data["data"]
    if not isinstance(data, dict) or "__schema" not in data:
        raise SchemaError("not an introspection result: no '__schema' key")
    try:
        return lexicographic_sort_schema(build_client_schema(data))
    except (GraphQLError, TypeError, KeyError) as exc:
        raise SchemaError(f"not a valid introspection result: {exc}") from None


def read_sdl_sources(paths: list[Path]) -> str:
    """The text of SDL files, or of every ``*.graphql`` in the folders given, joined."""
    parts: list[str] = []
    for path in paths:
        files = sorted(path.glob("*.graphql")) if path.is_dir() else [path]
        if not files:
            raise SchemaError(f"{path}: no .graphql files")
        parts += [file.read_text(encoding="utf-8") for file in files]
    return "\n".join(parts)


def version_near(path: Path) -> str | None:
    """The Wiki.js version a file's name tells (``introspection-2.5.170.json`` → 2.5.170).

    A Wiki.js checkout's ``package.json`` says ``2.0.0`` whatever the
    release (the build stamps the real one), so it is not asked.
    """
    match = _VERSION.search(path.name)
    return match.group(0) if match is not None else None


def load(path: Path) -> LoadedSchema:
    """An SDL file (ours or the server's), a folder of them, or introspection JSON."""
    try:
        text = read_sdl_sources([path]) if path.is_dir() else path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SchemaError(f"{path}: {exc.strerror or exc}") from None
    if not path.is_dir() and text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise SchemaError(f"{path}: not JSON: {exc}") from None
        schema = schema_from_introspection(data)
        return LoadedSchema(schema, version_near(path), f"introspection file {path.name}")
    try:
        schema = schema_from_sdl(text)
    except SchemaError as exc:
        raise SchemaError(f"{path}: {exc}") from None
    header = _HEADER.search(text)
    version = header.group(1) if header else version_near(path)
    return LoadedSchema(schema, version, f"SDL {path.name}")


def header_version(path: Path) -> str | None:
    """The version in a schema file's ``# Wiki.js X GraphQL schema.`` header."""
    match = _HEADER.search(path.read_text(encoding="utf-8"))
    return match.group(1) if match else None


def render(schema: GraphQLSchema, *, version: str, source: str, note: str = "") -> str:
    """The schema file we commit: a provenance header, then sorted SDL."""
    header = f"# Wiki.js {version} GraphQL schema.\n# Source: {source}\n"
    if note:
        header += "".join(f"# {line}\n" for line in note.splitlines())
    header += (
        "# Written by scripts/pull-schema; do not edit. Regenerate the client with\n"
        "# scripts/generate after replacing this file.\n\n"
    )
    return header + print_schema(as_served(schema)) + "\n"


def body(text: str) -> str:
    """A schema file without its comment header: what two API versions compare on."""
    lines = text.splitlines(keepends=True)
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)
    return "".join(lines)


@dataclass(frozen=True)
class Release:
    """One file of ``schema/history``: the API from ``version`` to the next file's."""

    version: str
    path: Path

    def load(self) -> GraphQLSchema:
        return build_schema(self.path.read_text(encoding="utf-8"))


def history(folder: Path = HISTORY) -> list[Release]:
    """The API releases, oldest first."""
    releases = []
    for path in folder.glob("wikijs-*.graphql") if folder.is_dir() else ():
        match = _HISTORY_NAME.match(path.name)
        if match:
            releases.append(Release(match.group(1), path))
    return sorted(releases, key=lambda release: Version.parse(release.version))


def history_path(version: str, folder: Path = HISTORY) -> Path:
    return folder / f"wikijs-{version}.graphql"
