"""Regenerate ``wikijs/_generated/`` from ``schema/``, ``queries/`` and ``codegen.toml``.

    scripts/generate            regenerate wikijs/_generated/ from scratch
    scripts/generate --check    regenerate into a temporary folder and fail
                                (exit 1, with a diff) on any difference
    scripts/generate --schema F generate from another schema file (to try a
                                Wiki.js version before pulling it)

Before ariadne-codegen runs, the inputs are checked (``codegen/diagnostics.py``):
every operation that does not fit the schema is listed at once as
``queries/FILE.graphql:LINE:COL [operation NAME] message`` (a fragment's
problem names the operations using it), then the overlay entries the schema
does not have, and the run stops with exit status 2 without writing
anything. So do missing docstrings (``queries/descriptions.toml``).

ariadne-codegen makes either a sync or an async client per run. We run it
twice into the same package, sync first, async last: both runs write the
same model modules byte for byte, so the two clients share one set of
pydantic classes (a ``Page`` is the same class from either client). The sync
run leaves subscriptions out, which it cannot generate, and the plugin
(``codegen/plugin.py``) makes the async run's ``__init__`` export both
clients. ariadne-codegen never deletes stale files, so the target is always
emptied first; it ignores unknown config keys, so we reject them here.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import difflib
import filecmp
import io
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

import toml
from ariadne_codegen.client_generators.package import get_package_generator
from ariadne_codegen.config import get_client_settings
from ariadne_codegen.plugins.explorer import get_plugins_types
from ariadne_codegen.plugins.manager import PluginManager
from ariadne_codegen.schema import (
    add_mixin_directive_to_schema,
    filter_fragments_definitions,
    filter_operations_definitions,
    get_graphql_queries,
    get_graphql_schema,
)
from ariadne_codegen.settings import ClientSettings, get_validation_rule
from graphql import (
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    assert_valid_schema,
    build_schema,
)

from . import multiline, versions
from .descriptions import DescriptionError
from .diagnostics import check_overlay, check_queries
from .plugin import OVERLAY, InputError
from .queries import load as load_queries
from .schemas import SchemaError, header_version

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "codegen.toml"
TABLE_START = "<!-- versions table: written by scripts/generate, do not edit -->"
TABLE_END = "<!-- end of the versions table -->"

_SCALAR_KEYS = {"type", "parse", "serialize", "import"}


def load_config(
    path: Path = CONFIG, schema: Path | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The async and sync ariadne-codegen config dicts, with unknown keys rejected."""
    raw = toml.load(path)
    if schema is not None:
        raw["tool"]["ariadne-codegen"]["schema_path"] = str(schema)
    known = {f.name for f in fields(ClientSettings)}
    section = raw["tool"]["ariadne-codegen"]
    sync_overrides = raw["tool"]["wikijs-codegen"]["sync"]
    unknown = (set(section) | set(sync_overrides)) - known
    for name, scalar in section.get("scalars", {}).items():
        unknown |= {f"scalars.{name}.{key}" for key in set(scalar) - _SCALAR_KEYS}
    if unknown:
        raise SystemExit(f"codegen.toml: unknown ariadne-codegen keys: {sorted(unknown)}")
    async_config = raw
    sync_config = copy.deepcopy(raw)
    sync_config["tool"]["ariadne-codegen"].update(sync_overrides)
    return async_config, sync_config


def _run(config: dict[str, Any], target_path: Path, *, skip_subscriptions: bool) -> None:
    config = copy.deepcopy(config)
    config["tool"]["ariadne-codegen"]["target_package_path"] = str(target_path)
    settings = get_client_settings(config)
    schema = get_graphql_schema(settings, config)
    plugin_manager = PluginManager(
        schema=schema,
        config_dict=config,
        plugins_types=get_plugins_types(settings.plugins),
    )
    schema = add_mixin_directive_to_schema(schema)
    schema = plugin_manager.process_schema(schema)
    assert_valid_schema(schema)
    definitions = get_graphql_queries(
        settings.queries_path,
        schema,
        [get_validation_rule(rule) for rule in settings.skip_validation_rules],
    )
    operations = filter_operations_definitions(definitions)
    if skip_subscriptions:
        operations = [
            op
            for op in operations
            if not (
                isinstance(op, OperationDefinitionNode)
                and op.operation is OperationType.SUBSCRIPTION
            )
        ]
    generator = get_package_generator(
        schema=schema,
        fragments=filter_fragments_definitions(definitions),
        settings=settings,
        plugin_manager=plugin_manager,
    )
    for operation in operations:
        generator.add_operation(operation)
    generator.generate()


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    with contextlib.redirect_stdout(io.StringIO()):
        yield


def preflight(config: dict[str, Any]) -> list[str]:
    """Every reason generation would fail on these inputs, each on one line."""
    section = config["tool"]["ariadne-codegen"]
    schema_path = Path(section["schema_path"])
    try:
        schema = build_schema(schema_path.read_text(encoding="utf-8"))
    except OSError as exc:
        return [f"{schema_path}: {exc.strerror or exc}"]
    except (GraphQLError, TypeError) as exc:
        return [f"{schema_path}: not a valid schema: {exc}"]
    problems = [
        str(problem)
        for problem in check_queries(schema, load_queries(Path(section["queries_path"])))
    ]
    problems += check_overlay(schema, OVERLAY, "codegen/plugin.py OVERLAY")
    if header_version(schema_path) is None:
        problems.append(
            f"{schema_path}: no '# Wiki.js X GraphQL schema.' header "
            "(scripts/pull-schema writes it)"
        )
    return problems


def version_table(config: dict[str, Any]) -> versions.Versions:
    section = config["tool"]["ariadne-codegen"]
    return versions.table_for(
        section["schema_path"],
        section["queries_path"],
        config["tool"]["wikijs-codegen"]["versions"]["history_path"],
    )


def generate(
    target_path: Path, configs: tuple[dict[str, Any], dict[str, Any]] | None = None
) -> Path:
    """Write the package into ``target_path`` (which must not hold it yet)."""
    async_config, sync_config = configs or load_config()
    package = target_path / async_config["tool"]["ariadne-codegen"]["target_package_name"]
    # upstream's formatting of the query strings is quadratic (codegen/multiline.py)
    with _quiet(), multiline.installed():
        _run(sync_config, target_path, skip_subscriptions=True)
        _run(async_config, target_path, skip_subscriptions=False)
    return package


def with_table(page: str, table: str) -> str:
    """``page`` with the text between the table markers replaced by ``table``."""
    start, end = page.find(TABLE_START), page.find(TABLE_END)
    if start < 0 or end < start:
        raise SchemaError(f"the docs page has no {TABLE_START!r} … {TABLE_END!r} markers")
    return page[: start + len(TABLE_START)] + "\n\n" + table + "\n" + page[end:]


def _differences(expected: Path, actual: Path, prefix: str = "") -> list[str]:
    out: list[str] = []
    comparison = filecmp.dircmp(expected, actual, ignore=["__pycache__"])
    out += [f"missing: {prefix}{name}" for name in comparison.left_only]
    out += [f"stale (not generated any more): {prefix}{name}" for name in comparison.right_only]
    for name in sorted(comparison.diff_files + comparison.funny_files):
        left = (expected / name).read_text(encoding="utf-8").splitlines(keepends=True)
        right = (actual / name).read_text(encoding="utf-8").splitlines(keepends=True)
        out.append(
            "".join(
                difflib.unified_diff(
                    right, left, f"committed/{prefix}{name}", f"regenerated/{prefix}{name}"
                )
            )
        )
    for name in sorted(comparison.common_dirs):
        out += _differences(expected / name, actual / name, f"{prefix}{name}/")
    return out


def _report(problems: list[str], what: str, *, counted: bool = True) -> int:
    print(f"scripts/generate: {what}:", file=sys.stderr)
    for problem in problems:
        print(problem, file=sys.stderr)
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}; " if counted else ""
    print(f"{count}nothing was written.", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="generate", description="Regenerate wikijs/_generated/.")
    parser.add_argument("--check", action="store_true", help="fail if wikijs/_generated/ is stale")
    parser.add_argument(
        "--schema", type=Path, help="generate from this schema file instead of codegen.toml's"
    )
    args = parser.parse_args(argv)

    configs = load_config(schema=args.schema)
    async_config = configs[0]
    section = async_config["tool"]["ariadne-codegen"]
    problems = preflight(async_config)
    if problems:
        return _report(problems, f"queries/ does not fit {section['schema_path']}")
    committed = ROOT / section["target_package_path"] / section["target_package_name"]
    docs_page = ROOT / async_config["tool"]["wikijs-codegen"]["versions"]["docs_page"]

    with tempfile.TemporaryDirectory(prefix="wikijs-generate-") as tmp:
        try:
            fresh = generate(Path(tmp), configs)
            found = version_table(async_config).table
            table = versions.render_markdown(found)
            page = docs_page.read_text(encoding="utf-8")
            fresh_page = with_table(page, table)
        except (DescriptionError, InputError, SchemaError, OSError) as exc:
            return _report(str(exc).splitlines(), "the inputs are not complete", counted=False)
        if args.check:
            problems = _differences(fresh, committed) if committed.exists() else ["missing"]
            if fresh_page != page:
                problems.append(f"{docs_page.relative_to(ROOT)}: the versions table is stale")
            if problems:
                print(
                    "wikijs/_generated/ is not what scripts/generate produces:\n", file=sys.stderr
                )
                print("\n".join(problems), file=sys.stderr)
                print("\nRun scripts/generate and commit the result.", file=sys.stderr)
                return 1
            print("wikijs/_generated/ is up to date")
            print(_summary(found))
            return 0
        if committed.exists():
            shutil.rmtree(committed)
        shutil.copytree(fresh, committed, ignore=shutil.ignore_patterns("__pycache__"))
        if fresh_page != page:
            docs_page.write_text(fresh_page, encoding="utf-8")
    print(f"regenerated {committed.relative_to(ROOT)}")
    print(_summary(found))
    return 0


def _summary(table: versions.Table) -> str:
    unsupported = [r.operation for r in table.restricted() if r.unsupported_below]
    reduced = [r.operation for r in table.restricted() if r.variants]
    return (
        f"queries/ checked against {len(table.releases)} Wiki.js APIs ({table.oldest} to "
        f"{table.newest}): {len(reduced)} operations leave out what older releases lack, "
        f"{len(unsupported)} need a newer one ({', '.join(unsupported) or 'none'})"
    )


if __name__ == "__main__":
    sys.exit(main())
