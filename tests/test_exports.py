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
