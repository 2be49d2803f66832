"""Fixtures for the fake server's own tests (the pytest plugin's fixtures included)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from real_server import WRITE_TIMEOUT, RealWikiJS, isolated

from wikijs.testing import FakeClock, FakeWikiJS
from wikijs.testing.pytest_plugin import wikijs_fake, wikijs_fake_server

__all__ = ["wikijs_fake", "wikijs_fake_server"]


def _without_stacktraces(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_stacktraces(v) for k, v in value.items() if k != "stacktrace"}
    if isinstance(value, list):
        return [_without_stacktraces(v) for v in value]
    return value


class ProductionErrors(httpx.BaseTransport):
    """Drop ``extensions.exception.stacktrace`` from a real server's JSON answers.

    Wiki.js started without ``NODE_ENV=production`` (as the official image and
    the shared test server are) adds stack traces to every error; the fake
    answers like the production server the transcripts were recorded from.
    """

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        if not response.headers.get("content-type", "").startswith("application/json"):
            return response
        body = _without_stacktraces(json.loads(response.read()))
        headers = [
            (k, v)
            for k, v in response.headers.multi_items()
            if k not in ("content-length", "content-encoding")
        ]
        return httpx.Response(response.status_code, headers=headers, json=body)

    def close(self) -> None:
        self._inner.close()


def downloaded(fake: FakeWikiJS, response: httpx.Response) -> httpx.Response:
    """An asset download; skips on the shared real server, which answers every one 500.

    It lives under ~/.cache, and Express's send (dotfiles: 'deny') refuses the
    cached file's path, which contains that dot-directory.
    """
    if getattr(fake, "is_real", False) and response.status_code == 500:
        pytest.skip("asset downloads fail on the shared test server (installed under ~/.cache)")
    return response


def http_client(fake: FakeWikiJS, **kwargs: Any) -> httpx.Client:
    """An httpx client for ``fake``: in-process, or to the real server (slow writes)."""
    if getattr(fake, "is_real", False):
        return httpx.Client(
            base_url=fake.url, transport=ProductionErrors(), timeout=WRITE_TIMEOUT, **kwargs
        )
    return httpx.Client(base_url=fake.url, transport=fake.sync_transport(), **kwargs)


class Caller:
    """A tiny GraphQL caller over the in-process transport (or to a real Wiki.js)."""

    def __init__(self, fake: FakeWikiJS, token: str | None) -> None:
        self.fake = fake
        self.token = token
        self.http = http_client(fake)

    def headers(self, token: str | None = None) -> dict[str, str]:
        token = token if token is not None else self.token
        return {"Authorization": f"Bearer {token}"} if token else {}

    def post(
        self, query: str, variables: dict[str, Any] | None = None, **kw: Any
    ) -> httpx.Response:
        token = kw.pop("token", None)
        return self.http.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers=self.headers(token),
            **kw,
        )

    def __call__(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> Any:
        response = self.post(query, variables, **kw)
        body = response.json()
        if getattr(self.fake, "is_real", False) and isinstance(body, dict):
            errors = body.get("errors") or []
            if errors and str(errors[0].get("message", "")).startswith("Too many requests"):
                pytest.skip("the real server's login limit (5 a minute, shared by all) is spent")
        return body


@pytest.fixture
def clock(real_wiki: RealWikiJS | None) -> FakeClock:
    if real_wiki is not None:
        pytest.skip("fake-only: needs the fake clock")
    return FakeClock(start=1_790_000_000.0, frozen=True)


@pytest.fixture
def fake(request: pytest.FixtureRequest, real_wiki: RealWikiJS | None) -> Iterator[FakeWikiJS]:
    """A fake on a frozen clock, or the real Wiki.js (``--wikijs-url``)."""
    if real_wiki is not None:
        with isolated(real_wiki) as server:
            yield server  # type: ignore[misc]
        return
    server = FakeWikiJS(clock=request.getfixturevalue("clock"))
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def ideal(clock: FakeClock) -> Iterator[FakeWikiJS]:
    server = FakeWikiJS(clock=clock, quirks=False)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def gql(fake: FakeWikiJS) -> Iterator[Caller]:
    caller = Caller(fake, fake.api_key)
    yield caller
    caller.http.close()


@pytest.fixture
def guest(fake: FakeWikiJS) -> Iterator[Caller]:
    caller = Caller(fake, None)
    yield caller
    caller.http.close()


@pytest.fixture
def ideal_gql(ideal: FakeWikiJS) -> Iterator[Caller]:
    caller = Caller(ideal, ideal.api_key)
    yield caller
    caller.http.close()


def dumps(value: Any) -> bytes:
    return json.dumps(value).encode()
