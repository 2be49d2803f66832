"""Proxies from the environment: both clients read them the same way, or refuse them.

``HTTP_PROXY``/``HTTPS_PROXY`` for the wiki's scheme, else ``ALL_PROXY``;
``NO_PROXY`` exempts a host. A proxy neither client can use (SOCKS) is
refused with a clear error when the client is built, never bypassed.
"""

from __future__ import annotations

import base64

import pytest

from wikijs import ValidationError, WikiJSClient
from wikijs.aio import AsyncWikiJSClient

from ._servers import CLIENTS, attempt, ok_answer, scripted

PROXY_VARIABLES = (
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "REQUEST_METHOD",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("kind", CLIENTS)
def test_all_proxy_is_honoured(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with scripted(ok_answer) as proxy:
        monkeypatch.setenv("ALL_PROXY", proxy.url)
        # wiki.invalid cannot be resolved: only the proxy can answer for it
        outcome = attempt(kind, "http://wiki.invalid:8080")
    assert outcome.error is None
    assert outcome.data == {"pages": {"list": []}}
    assert proxy.heads[0].startswith(b"POST http://wiki.invalid:8080/graphql HTTP/1.1")


@pytest.mark.parametrize("kind", CLIENTS)
def test_the_proxy_for_the_scheme_wins_over_all_proxy(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with scripted(ok_answer) as proxy, scripted(ok_answer) as other:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("ALL_PROXY", other.url)
        assert attempt(kind, "http://wiki.invalid").error is None
    assert len(proxy.heads) == 1
    assert other.heads == []


@pytest.mark.parametrize("kind", CLIENTS)
def test_proxy_credentials_from_the_url_are_sent_to_the_proxy(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with scripted(ok_answer) as proxy:
        host = proxy.url.removeprefix("http://")
        monkeypatch.setenv("ALL_PROXY", f"http://ops:p%40ss@{host}")
        assert attempt(kind, "http://wiki.invalid").error is None
    credentials = [
        line.split(b":", 1)[1].strip()
        for line in proxy.heads[0].split(b"\r\n")
        if line.lower().startswith(b"proxy-authorization:")
    ]
    assert credentials == [b"Basic " + base64.b64encode(b"ops:p@ss")]


@pytest.mark.parametrize("kind", CLIENTS)
def test_no_proxy_sends_the_wiki_direct(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with scripted(ok_answer) as proxy, scripted(ok_answer) as wiki:
        monkeypatch.setenv("ALL_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        assert attempt(kind, wiki.url).error is None
    assert proxy.heads == []
    assert len(wiki.heads) == 1


@pytest.mark.parametrize("client", [WikiJSClient, AsyncWikiJSClient])
@pytest.mark.parametrize("variable", ["ALL_PROXY", "HTTPS_PROXY", "all_proxy"])
def test_a_socks_proxy_is_refused_clearly_not_bypassed(
    client: type, variable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, "socks5://127.0.0.1:1080")
    with pytest.raises(ValidationError, match=r"socks5://127\.0\.0\.1:1080.*NO_PROXY") as refused:
        client("https://wiki.example.com", auth="KEY")
    assert isinstance(refused.value, ValueError)


@pytest.mark.parametrize("client", [WikiJSClient, AsyncWikiJSClient])
def test_a_proxy_with_a_broken_port_is_refused(
    client: type, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:99999")
    with pytest.raises(ValidationError, match="port"):
        client("https://wiki.example.com", auth="KEY")
