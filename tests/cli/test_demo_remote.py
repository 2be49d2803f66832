"""`wikijs demo --url URL --api-key KEY` against a served wiki leaves it as it was."""

from __future__ import annotations

from wikijs import WikiJSClient
from wikijs.cli.demo import run_demo
from wikijs.testing import FakeWikiJS


def snapshot(client: WikiJSClient) -> tuple[list[int], list[int], list[str]]:
    assets = sorted(a.id for a in client.assets.iter_all())
    tags = sorted(t.tag for t in client.pages.tags())
    return client.pages.ids(), assets, tags


def test_the_demo_against_a_url_removes_what_it_created() -> None:
    with FakeWikiJS() as fake:
        fake.seed_demo(pages=30)
        with fake.serve() as url, WikiJSClient(url, auth=fake.api_key) as client:
            before = snapshot(client)
            lines: list[str] = []
            assert run_demo(url, fake.api_key, echo=lines.append) == 0
            assert any("deleted 11 page(s)" in line for line in lines)
            after = snapshot(client)
    assert after[:2] == before[:2]


def test_the_demo_needs_a_key_with_a_url() -> None:
    import pytest

    with pytest.raises(SystemExit, match="--api-key"):
        run_demo("http://127.0.0.1:9", None, echo=lambda line: None)
