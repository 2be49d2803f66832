"""The public API is explicit: every public module has a complete, sorted __all__."""

from __future__ import annotations

import asyncio
import importlib

import pytest

PUBLIC_MODULES = [
    "wikijs",
    "wikijs.aio",
    "wikijs.errors",
    "wikijs.auth",
    "wikijs.models",
    "wikijs.batch",
    "wikijs.resources",
    "wikijs.versions",
    "wikijs.mcp",
]


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_all_is_sorted_and_complete(name: str) -> None:
    module = importlib.import_module(name)
    exported = module.__all__
    assert exported == sorted(exported)
    for symbol in exported:
        assert hasattr(module, symbol), f"{name}.{symbol}"
    public = {
        attr
        for attr, value in vars(module).items()
        if not attr.startswith("_") and isinstance(value, type) and value.__module__ == name
    }
    assert public <= set(exported), public - set(exported)


def test_error_classes_share_the_root() -> None:
    import wikijs.errors as errors

    for symbol in errors.__all__:
        value = getattr(errors, symbol)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, errors.WikiJSError)


def test_contract_names_exist() -> None:
    from wikijs import WikiJSClient
    from wikijs.aio import AsyncWikiJSClient
    from wikijs.models import PageCreate

    for client in (WikiJSClient, AsyncWikiJSClient):
        for name in ("pages", "close", "__enter__" if client is WikiJSClient else "__aenter__"):
            assert hasattr(client, name)
    assert PageCreate(title="t", path="page", content="c").title == "t"


def test_wikijs_resources_exports_every_resource_the_clients_hand_out() -> None:
    from functools import cached_property

    import wikijs.resources as resources
    from wikijs import WikiJSClient
    from wikijs.aio import AsyncWikiJSClient
    from wikijs.testing import FakeWikiJS

    fake = FakeWikiJS()
    clients = [
        WikiJSClient(fake.url, auth=fake.api_key, transport=fake.sync_transport()),
        AsyncWikiJSClient(fake.url, auth=fake.api_key, transport=fake.async_transport()),
    ]
    from wikijs._async.resources._base import AsyncResource
    from wikijs._sync.resources._base import Resource

    handed_out = set()
    for client in clients:
        for name, attribute in vars(type(client)).items():
            if isinstance(attribute, cached_property):
                resource = type(getattr(client, name))
                if not issubclass(resource, (AsyncResource, Resource)):
                    continue  # the generated client, the batcher, page jobs
                assert getattr(resources, resource.__name__) is resource, name
                handed_out.add(resource.__name__)
    assert handed_out == set(resources.__all__)
    clients[0].close()
    asyncio.run(clients[1].close())
    fake.close()


def test_the_package_version_is_the_project_version() -> None:
    from pathlib import Path

    import tomllib

    import wikijs

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    assert wikijs.__version__ == project["project"]["version"]


def _documented_classes() -> dict[str, str]:
    """Each public class the reference documents, and the module it documents it in.

    A page documents either a whole module (``::: wikijs.models``: every
    class in its ``__all__``) or one object (``::: wikijs.WikiJSClient``).
    """
    import re
    from pathlib import Path

    documented: dict[str, str] = {}
    pages = sorted((Path(__file__).parents[1] / "docs" / "reference").rglob("*.md"))
    for page in pages:
        for target in re.findall(r"^::: (wikijs[\w.]*)$", page.read_text(), re.M):
            try:
                module = importlib.import_module(target)
            except ModuleNotFoundError:
                parent, _, name = target.rpartition(".")
                documented[target] = parent
                continue
            for name in module.__all__:
                value = getattr(module, name)
                if isinstance(value, type):
                    documented[f"{target}.{name}"] = target
    return documented


def test_every_documented_class_says_the_module_it_is_documented_in() -> None:
    """``__module__`` (and so repr, pickling, tracebacks) names where users import it from."""
    documented = _documented_classes()
    assert len(documented) > 150
    wrong = {}
    for path, module_name in documented.items():
        parent, _, name = path.rpartition(".")
        value = getattr(importlib.import_module(parent), name)
        if value.__module__.startswith("wikijs") and value.__module__ != module_name:
            wrong[path] = value.__module__
    assert not wrong, wrong


@pytest.mark.parametrize(
    "name",
    [
        *PUBLIC_MODULES,
        "wikijs.middleware",
        "wikijs.cache",
        "wikijs.plugins",
        "wikijs.events",
        "wikijs.webhooks",
        "wikijs.testing",
        "wikijs.paths",
    ],
)
def test_no_exported_class_names_a_private_module(name: str) -> None:
    module = importlib.import_module(name)
    private = {
        symbol: getattr(module, symbol).__module__
        for symbol in module.__all__
        if isinstance(getattr(module, symbol), type)
        and any(part.startswith("_") for part in getattr(module, symbol).__module__.split("."))
    }
    assert not private, private


def test_every_fragment_and_enum_is_a_public_model() -> None:
    """A fragment added to queries/ (or an enum of the schema) cannot be left unexported."""
    import enum
    import re
    from pathlib import Path

    import wikijs._generated.enums as enums
    import wikijs.models as models

    queries = Path(__file__).parents[1] / "queries"
    fragments = {
        name
        for path in queries.glob("*.graphql")
        for name in re.findall(r"^fragment (\w+) on", path.read_text(), re.M)
    }
    schema_enums = {
        name
        for name, value in vars(enums).items()
        if isinstance(value, type) and issubclass(value, enum.Enum) and value is not enum.Enum
    }
    assert fragments
    assert schema_enums
    assert not (fragments | schema_enums) - set(models.__all__)
