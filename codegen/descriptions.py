"""Docstrings for the generated models, from ``queries/descriptions.toml``.

Wiki.js's schema carries no descriptions, so ours live beside the queries:

- ``[models]``: one line per public model, keyed by fragment name (the
  generated class's name), written as the class docstring;
- ``[enums]``: one line per enum, keyed by its GraphQL name;
- ``[fields.<GraphQL type>]``: one line per field a fragment selects, keyed
  by its GraphQL name, written as an attribute docstring under the field
  (what editors show on hover; pydantic ignores it).

Every fragment, enum and selected field needs its line, and every line must
describe something generated: ``scripts/generate`` lists every gap and
every stale entry at once and stops.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import toml
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLObjectType,
    GraphQLSchema,
    SelectionSetNode,
    get_named_type,
)

FILE_NAME = "descriptions.toml"


class DescriptionError(ValueError):
    """``queries/descriptions.toml`` lacks lines or has stale ones."""


class Descriptions:
    """What the file says, and what generation has used of it so far."""

    def __init__(self, path: Path) -> None:
        self.path = path
        raw: dict[str, Any] = toml.load(path) if path.exists() else {}
        self.models: dict[str, str] = dict(raw.get("models", {}))
        self.enums: dict[str, str] = dict(raw.get("enums", {}))
        self.fields: dict[str, dict[str, str]] = {
            type_name: dict(fields) for type_name, fields in raw.get("fields", {}).items()
        }
        self.missing: list[str] = []
        self.used: set[tuple[str, ...]] = set()

    # -- writing docstrings ------------------------------------------------------

    def document_enum(self, class_def: ast.ClassDef) -> None:
        text = self.enums.get(class_def.name)
        if text is None:
            self.missing.append(f"[enums] {class_def.name}")
            return
        self.used.add(("enums", class_def.name))
        _set_docstring(class_def, text)

    def document_class(
        self,
        class_def: ast.ClassDef,
        fragment: FragmentDefinitionNode,
        selection_set: SelectionSetNode,
        schema: GraphQLSchema,
    ) -> None:
        """The docstrings of one class generated for a fragment, and of its fields."""
        if class_def.name == fragment.name.value:
            text = self.models.get(class_def.name)
            if text is None:
                self.missing.append(f"[models] {class_def.name}")
            else:
                self.used.add(("models", class_def.name))
                _set_docstring(class_def, text)
        fields = [node for node in class_def.body if isinstance(node, ast.AnnAssign)]
        if not fields:
            return
        type_name = _types_of(fragment, schema).get(id(selection_set))
        if type_name is None:
            self.missing.append(f"(cannot tell the GraphQL type of class {class_def.name})")
            return
        body: list[ast.stmt] = []
        for node in class_def.body:
            body.append(node)
            if isinstance(node, ast.AnnAssign):
                name = _graphql_name(node)
                text = self.fields.get(type_name, {}).get(name)
                if text is None:
                    self.missing.append(f"[fields.{type_name}] {name}")
                else:
                    self.used.add(("fields", type_name, name))
                    body.append(ast.Expr(ast.Constant(text)))
        class_def.body = body

    # -- checking ----------------------------------------------------------------

    def check(self, *, enums: bool) -> None:
        """Raise listing every missing and stale line (``enums``: check those too)."""
        problems = [f"missing: {entry}" for entry in dict.fromkeys(self.missing)]
        stale = [("models", name) for name in self.models]
        stale += [("fields", t, f) for t, fields in self.fields.items() for f in fields]
        if enums:
            stale += [("enums", name) for name in self.enums]
        problems += [
            f"describes nothing generated: {_entry(key)}" for key in stale if key not in self.used
        ]
        if problems:
            raise DescriptionError(
                f"{self.path} (see codegen/descriptions.py):\n  " + "\n  ".join(problems)
            )


def _entry(key: tuple[str, ...]) -> str:
    return f"[fields.{key[1]}] {key[2]}" if key[0] == "fields" else f"[{key[0]}] {key[1]}"


def _set_docstring(class_def: ast.ClassDef, text: str) -> None:
    body = [node for node in class_def.body if not isinstance(node, ast.Pass)]
    class_def.body = [ast.Expr(ast.Constant(text)), *body]


def _graphql_name(node: ast.AnnAssign) -> str:
    """The GraphQL field behind a model field: its alias, else its own name."""
    if isinstance(node.value, ast.Call):
        for keyword in node.value.keywords:
            if keyword.arg == "alias" and isinstance(keyword.value, ast.Constant):
                return str(keyword.value.value)
    assert isinstance(node.target, ast.Name)
    return node.target.id


def _types_of(fragment: FragmentDefinitionNode, schema: GraphQLSchema) -> dict[int, str]:
    """The GraphQL type each selection set of a fragment selects from, by identity."""
    return dict(_walk(fragment.selection_set, fragment.type_condition.name.value, schema))


def _walk(
    selection_set: SelectionSetNode, type_name: str, schema: GraphQLSchema
) -> Iterator[tuple[int, str]]:
    yield id(selection_set), type_name
    type_ = schema.type_map[type_name]
    if not isinstance(type_, GraphQLObjectType):
        return
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode) and selection.selection_set is not None:
            field_type = get_named_type(type_.fields[selection.name.value].type)
            yield from _walk(selection.selection_set, field_type.name, schema)
