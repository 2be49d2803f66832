"""Regenerate ``wikijs/_generated/`` from ``schema/``, ``queries/`` and ``codegen.toml``.

    scripts/generate            regenerate wikijs/_generated/ from scratch
    scripts/generate --check    regenerate into a temporary folder and fail
                                (exit 1, with a diff) on any difference

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
from graphql import OperationDefinitionNode, OperationType, assert_valid_schema

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "codegen.toml"
SCHEMA_COPY_NAME = "schema.graphql"  # shipped with the package for wikijs.testing

_SCALAR_KEYS = {"type", "parse", "serialize", "import"}


def load_config(path: Path = CONFIG) -> tuple[dict[str, Any], dict[str, Any]]:
    """The async and sync ariadne-codegen config dicts, with unknown keys rejected."""
    raw = toml.load(path)
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


def generate(target_path: Path) -> Path:
    """Write the package into ``target_path`` (which must not hold it yet)."""
    async_config, sync_config = load_config()
    package = target_path / async_config["tool"]["ariadne-codegen"]["target_package_name"]
    with _quiet():
        _run(sync_config, target_path, skip_subscriptions=True)
        _run(async_config, target_path, skip_subscriptions=False)
    schema_path = ROOT / async_config["tool"]["ariadne-codegen"]["schema_path"]
    shutil.copyfile(schema_path, package / SCHEMA_COPY_NAME)
    return package


def _differences(expected: Path, actual: Path) -> list[str]:
    out: list[str] = []
    comparison = filecmp.dircmp(expected, actual, ignore=["__pycache__"])
    out += [f"missing: {name}" for name in comparison.left_only]
    out += [f"stale (not generated any more): {name}" for name in comparison.right_only]
    for name in sorted(comparison.diff_files + comparison.funny_files):
        left = (expected / name).read_text(encoding="utf-8").splitlines(keepends=True)
        right = (actual / name).read_text(encoding="utf-8").splitlines(keepends=True)
        out.append(
            "".join(difflib.unified_diff(right, left, f"committed/{name}", f"regenerated/{name}"))
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="generate", description="Regenerate wikijs/_generated/.")
    parser.add_argument("--check", action="store_true", help="fail if wikijs/_generated/ is stale")
    args = parser.parse_args(argv)

    async_config, _ = load_config()
    section = async_config["tool"]["ariadne-codegen"]
    committed = ROOT / section["target_package_path"] / section["target_package_name"]

    with tempfile.TemporaryDirectory(prefix="wikijs-generate-") as tmp:
        fresh = generate(Path(tmp))
        if args.check:
            problems = _differences(fresh, committed) if committed.exists() else ["missing"]
            if problems:
                print(
                    "wikijs/_generated/ is not what scripts/generate produces:\n", file=sys.stderr
                )
                print("\n".join(problems), file=sys.stderr)
                print("\nRun scripts/generate and commit the result.", file=sys.stderr)
                return 1
            print("wikijs/_generated/ is up to date")
            return 0
        if committed.exists():
            shutil.rmtree(committed)
        shutil.copytree(fresh, committed, ignore=shutil.ignore_patterns("__pycache__"))
    print(f"regenerated {committed.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
