"""The tools' schemas are the SDK's: compared here with the SDK's own signatures and models.

The expected JSON types are worked out in this file from the SDK's type
hints, independently of how ``wikijs.mcp`` derives them.
"""

from __future__ import annotations

import collections.abc
import enum
import inspect
import types
import typing
from datetime import datetime
from typing import Any, Union

import pytest
from pydantic import BaseModel

from wikijs.mcp import TOOLS, Tool
from wikijs.mcp._schemas import documented
from wikijs.resources import AsyncPages

TOOL_PARAMS = [pytest.param(tool, id=tool.name) for tool in TOOLS]
#: A default made by a factory (``tags=[]``): optional, with no default in the schema.
FACTORY = object()


def sdk_parameters(tool: Tool) -> dict[str, tuple[Any, Any]]:
    """``name -> (annotation, default)`` of what the tool's SDK method accepts, as offered."""
    method = tool.arguments.method
    hints = typing.get_type_hints(method)
    found: dict[str, tuple[Any, Any]] = {}
    for name, parameter in inspect.signature(method).parameters.items():
        if name == "self" or parameter.kind is inspect.Parameter.VAR_KEYWORD:
            continue
        model = next(
            (
                a
                for a in typing.get_args(hints[name])
                if isinstance(a, type) and issubclass(a, BaseModel)
            ),
            None,
        )
        if model is not None:  # pages.create(page: PageCreate | Mapping): the model's fields
            for field_name, info in model.model_fields.items():
                if info.is_required():
                    default = inspect.Parameter.empty
                elif info.default_factory is not None:
                    default = FACTORY
                else:
                    default = info.default
                found[field_name] = (info.annotation, default)
        else:
            found[name] = (hints[name], parameter.default)
    if tool.arguments.only is not None:
        found = {name: found[name] for name in tool.arguments.only}
    return found


def accepted(annotation: Any) -> set[str]:
    """The JSON shapes a value of ``annotation`` may take, as short strings."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (Union, types.UnionType):
        if any(isinstance(a, type) and issubclass(a, enum.Enum) for a in args):
            args = tuple(a for a in args if a is not str)  # the SDK takes the enum's name as str
        return set().union(*(accepted(a) for a in args))
    if origin in (list, collections.abc.Iterable, collections.abc.Sequence):
        return {f"array of {'|'.join(sorted(accepted(args[0])))}"}
    if annotation is type(None):
        return {"null"}
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return {"enum " + ",".join(sorted(m.value for m in annotation))}
    if origin is typing.Literal:
        return {"enum " + ",".join(sorted(args))}
    names = {int: "integer", str: "string", bool: "boolean", float: "number", datetime: "date-time"}
    return {names[annotation]}


def shape(schema: dict[str, Any]) -> set[str]:
    """The JSON shapes a property's schema allows, in the strings of :func:`accepted`."""
    if "anyOf" in schema:
        return set().union(*(shape(s) for s in schema["anyOf"]))
    if "enum" in schema:
        return {"enum " + ",".join(sorted(schema["enum"]))}
    if schema.get("type") == "array":
        return {f"array of {'|'.join(sorted(shape(schema['items'])))}"}
    if schema.get("format") == "date-time":
        return {"date-time"}
    return {schema["type"]}


@pytest.mark.parametrize("tool", TOOL_PARAMS)
def test_a_tool_offers_its_sdk_methods_parameters_and_its_own(tool: Tool) -> None:
    properties = tool.input_schema["properties"]
    assert set(properties) == set(sdk_parameters(tool)) | set(tool.arguments.extra)
    assert tool.arguments.method is getattr(AsyncPages, tool.arguments.method.__name__)


@pytest.mark.parametrize("tool", TOOL_PARAMS)
def test_argument_types_defaults_and_required_ones_are_the_sdks(tool: Tool) -> None:
    properties = tool.input_schema["properties"]
    required = set(tool.input_schema.get("required", []))
    for name, (annotation, default) in sdk_parameters(tool).items():
        if name in tool.arguments.narrower:
            continue  # the tool bounds it (limit); checked below
        assert shape(properties[name]) == accepted(annotation), name
        if default is inspect.Parameter.empty:
            assert name in required, name
        else:
            assert name not in required, name
            if default is FACTORY:
                continue
            value = default.value if isinstance(default, enum.Enum) else default
            assert properties[name].get("default") == (
                list(value) if isinstance(value, tuple) else value
            ), name


def test_the_narrowed_arguments_keep_the_sdk_type_within_bounds() -> None:
    listing = next(tool for tool in TOOLS if tool.name == "list_pages")
    limit = listing.input_schema["properties"]["limit"]
    assert (limit["type"], limit["minimum"], limit["maximum"], limit["default"]) == (
        "integer",
        1,
        500,
        50,
    )
    assert accepted(typing.get_type_hints(AsyncPages.list)["limit"]) >= shape(limit)


@pytest.mark.parametrize("tool", TOOL_PARAMS)
def test_a_call_with_the_schemas_arguments_binds_to_the_sdk_method(tool: Tool) -> None:
    samples = {
        "integer": 7,
        "string": "docs/page",
        "boolean": True,
        "date-time": "2026-01-02T03:04:05Z",
    }
    arguments: dict[str, Any] = {}
    for name, prop in tool.input_schema["properties"].items():
        kinds = shape(prop) - {"null"}
        kind = sorted(kinds)[0]
        if kind.startswith("enum "):
            arguments[name] = kind.removeprefix("enum ").split(",")[0]
        elif kind.startswith("array of "):
            arguments[name] = [samples[kind.removeprefix("array of ")]]
        else:
            arguments[name] = samples[kind]
    validated = tool.input_model.model_validate(arguments)
    sdk = {k: v for k, v in dict(validated).items() if k not in tool.arguments.extra}
    hints = typing.get_type_hints(tool.arguments.method)
    hints.pop("return")
    for name, hint in hints.items():  # a model parameter takes the model's fields, as a model
        model = next(
            (a for a in typing.get_args(hint) if isinstance(a, type) and issubclass(a, BaseModel)),
            None,
        )
        if model is not None:
            fields = {k: sdk.pop(k) for k in list(sdk) if k in model.model_fields}
            sdk[name] = model.model_construct(**fields)
    inspect.signature(tool.arguments.method).bind(None, **sdk)


@pytest.mark.parametrize("tool", TOOL_PARAMS)
def test_a_result_schema_is_the_sdk_models_own(tool: Tool) -> None:
    def plain(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: plain(v) for k, v in node.items() if k not in ("title", "description")}
        if isinstance(node, list):
            return [plain(item) for item in node]
        return node

    schema = tool.output_schema
    assert schema["type"] == "object"  # what protocol revisions before 2026 require
    result = tool.result
    if result.__module__.startswith("wikijs._generated"):
        own = result.model_json_schema(by_alias=False, mode="serialization")
        for name in tool.leave_out:
            del own["properties"][name]
            own["required"].remove(name)
        assert plain(schema) == plain(own)
    for name, definition in schema.get("$defs", {}).items():  # SDK models inside a wrapper
        model = next(m for m in _sdk_models() if m.__name__ == name)
        own = plain(model.model_json_schema(by_alias=False, mode="serialization"))
        own.pop("$defs", None)  # nested models are hoisted to the top
        assert plain(definition) == own, name


def _sdk_models() -> list[type[BaseModel]]:
    import wikijs.mcp._tools as tools
    from wikijs._generated import fragments

    found = [
        v for v in vars(fragments).values() if isinstance(v, type) and issubclass(v, BaseModel)
    ]
    return [*found, tools.Change]


@pytest.mark.parametrize("tool", TOOL_PARAMS)
def test_every_tool_and_argument_is_described_for_a_model(tool: Tool) -> None:
    assert len(tool.description) > 80
    assert "Cost" in tool.description or "cost" in tool.description
    assert "Returns" in tool.description or "returns" in tool.description or tool.access == "read"
    for name, prop in tool.input_schema["properties"].items():
        assert prop.get("description"), f"{tool.name}.{name} has no description"
    for name, prop in tool.output_schema["properties"].items():
        assert prop.get("description"), f"{tool.name} result field {name} has no description"


def test_input_schemas_have_no_references_for_clients_that_do_not_follow_them() -> None:
    for tool in TOOLS:
        assert "$ref" not in repr(tool.input_schema)
        assert "$defs" not in tool.input_schema


def test_descriptions_come_from_google_style_sections() -> None:
    def sample() -> None:
        """Do it.

        Args:
            first: the first
                one, continued.
            second (int): ``code`` and :class:`~wikijs.models.Page`.

        Returns:
            nothing: not an argument.
        """

    assert documented(sample) == {
        "first": "the first one, continued.",
        "second": "`code` and wikijs.models.Page.",
    }


def test_the_guide_lists_every_tool() -> None:
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[2] / "docs" / "mcp.md").read_text(encoding="utf-8")
    table = guide.split("## Tools", 1)[1].split("##", 1)[0]
    for tool in TOOLS:
        assert f"`{tool.name}`" in table, tool.name
