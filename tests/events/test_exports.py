"""wikijs.events and wikijs.webhooks: explicit, sorted, complete __all__; the contract's names."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("name", ["wikijs.events", "wikijs.webhooks"])
def test_all_is_sorted_and_complete(name: str) -> None:
    module = importlib.import_module(name)
    exported = module.__all__
    assert exported == sorted(exported)
    for symbol in exported:
        assert hasattr(module, symbol), f"{name}.{symbol}"
    public = {
        attr
        for attr, value in vars(module).items()
        if not attr.startswith("_") and isinstance(value, type)
    }
    assert public <= set(exported), public - set(exported)


def test_errors_share_the_sdk_root() -> None:
    from wikijs.errors import WikiJSError
    from wikijs.webhooks import WebhookDeliveryError, WebhookSignatureError

    assert issubclass(WebhookDeliveryError, WikiJSError)
    assert issubclass(WebhookSignatureError, WikiJSError)


def test_the_contract_sketch() -> None:
    from wikijs.webhooks import WebhookServer

    server = WebhookServer(secret="webhook-secret")

    @server.on("page.created")
    def on_page_created(event: object) -> None: ...

    assert server.handlers_for("page.created") == [on_page_created]
    assert callable(server.run)


def test_the_async_client_alone_has_the_live_log() -> None:
    from wikijs import WikiJSClient
    from wikijs.aio import AsyncWikiJSClient
    from wikijs.resources import AsyncLogging, Logging

    assert hasattr(AsyncWikiJSClient, "logging")
    assert hasattr(WikiJSClient, "logging")  # the loggers, on both clients
    assert hasattr(AsyncLogging, "live_trail")
    assert not hasattr(Logging, "live_trail")
