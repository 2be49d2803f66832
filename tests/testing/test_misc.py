"""Thread safety, seeding, the clock, the pytest plugin and small helpers."""

# GraphQL documents read best on one line.
# ruff: noqa: E501

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from datetime import datetime, timezone

import httpx
import pytest

from wikijs.testing import FakeClock, FakeWikiJS
from wikijs.testing._clock import parse_duration, parse_iso
from wikijs.testing._errors import js_inspect
from wikijs.testing._render import render_content, render_markdown
from wikijs.testing._state import normalise_page_path, sanitize_filename

CREATE = """mutation ($p: String!) { pages { create(content: "x", description: "", editor: "markdown",
  isPublished: true, isPrivate: false, locale: "en", path: $p, tags: ["t"], title: "T") {
  responseResult { succeeded } page { id } } } }"""


@pytest.mark.fake_only(
    "dozens of concurrent page writes (minutes, and tree-rebuild races, on a real server)"
)
def test_concurrent_threads_create_distinct_pages(fake: FakeWikiJS) -> None:
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            with httpx.Client(base_url=fake.url, transport=fake.sync_transport()) as client:
                for i in range(10):
                    response = client.post(
                        "/graphql",
                        json={"query": CREATE, "variables": {"p": f"docs/t{n}-{i}"}},
                        headers={"Authorization": f"Bearer {fake.api_key}"},
                    )
                    assert response.json()["data"]["pages"]["create"]["responseResult"]["succeeded"]
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(fake.core.state.pages) == 80
    assert sorted(fake.core.state.pages) == list(range(1, 81))
    assert len(fake.requests) == 80


@pytest.mark.fake_only(
    "dozens of concurrent page writes (minutes, and tree-rebuild races, on a real server)"
)
async def test_concurrent_async_requests(fake: FakeWikiJS) -> None:
    fake.latency = 0.001
    async with httpx.AsyncClient(base_url=fake.url, transport=fake.async_transport()) as client:
        responses = await asyncio.gather(
            *(
                client.post(
                    "/graphql",
                    json={"query": CREATE, "variables": {"p": f"docs/a{n}"}},
                    headers={"Authorization": f"Bearer {fake.api_key}"},
                )
                for n in range(30)
            )
        )
    ids = {r.json()["data"]["pages"]["create"]["page"]["id"] for r in responses}
    assert len(ids) == 30


def test_seed_demo_is_deterministic_and_large() -> None:
    first, second = FakeWikiJS(), FakeWikiJS()
    try:
        first.seed_demo()
        second.seed_demo()
        pages = first.core.state.pages
        assert len(pages) >= 200
        assert {p.locale for p in pages.values()} == {"en", "de"}
        assert len(first.core.state.tags) >= 5
        assert [p.path for p in pages.values()] == [
            p.path for p in second.core.state.pages.values()
        ]
        assert len(first.core.state.users) == 8
        assert {g.name for g in first.core.state.groups.values()} >= {"Editors", "Readers"}
        assert len(first.core.state.assets) == 4
        assert first.core.state.comments
        assert any(not p.is_published for p in pages.values())
        with httpx.Client(base_url=first.url, transport=first.sync_transport()) as client:
            png = client.get("/images/pixel-1.png")
            assert png.headers["content-type"] == "image/png"
            assert png.content.startswith(b"\x89PNG")
    finally:
        first.close()
        second.close()


def test_context_manager_closes(tmp_path: object) -> None:
    with FakeWikiJS() as fake:
        folder = fake.files_dir
        assert folder.exists()
        assert fake.quirks is True
        assert fake.admin_email == "admin@example.com"
    assert not folder.exists()


def test_clock() -> None:
    clock = FakeClock(start=datetime(2026, 1, 1, tzinfo=timezone.utc), frozen=True)
    assert clock.isoformat() == "2026-01-01T00:00:00.000Z"
    clock.advance(1.5)
    assert clock.isoformat() == "2026-01-01T00:00:01.500Z"
    assert clock.utcnow().second == 1
    with pytest.raises(ValueError, match="forward"):
        clock.advance(-1)
    live = FakeClock()
    before = live.now()
    live.advance(100)
    assert live.now() >= before + 100
    assert parse_iso("2026-01-01T00:00:00") == parse_iso("2026-01-01T00:00:00.000Z")
    assert [parse_duration(d) for d in ("1d", "90m", "2h", "500ms", "1000")] == [
        86400,
        5400,
        7200,
        0.5,
        1,
    ]


def test_helpers() -> None:
    assert sanitize_filename("Order Test.bin") == "order_test.bin"
    assert sanitize_filename("a,b;c#d?.txt") == "a_b_c_d.txt"
    assert sanitize_filename("..") == ""
    assert sanitize_filename("CON") == ""
    assert normalise_page_path("/docs/a/") == "docs/a"
    assert normalise_page_path("graphql/x") == "graphql/x"  # stored, though unreachable
    assert normalise_page_path("docs//x") is None
    assert js_inspect([{"a": [1]}, None, True, 2.5]) == "[{ a: [Array] }, null, true, 2.5]"
    assert js_inspect(list(range(12))).endswith("... 2 more items]")
    assert js_inspect(list(range(11))).endswith("... 1 more item]")
    assert js_inspect([{}, []]) == "[{}, []]"
    assert js_inspect([[{"deep": 1}]]) == "[[[Object]]]"


def test_markdown_rendering() -> None:
    rendered = render_markdown(
        "```py\nx = 1\n```\n1. one\n2. two\n\n![img](/a.png) [ext](https://x.y)"
    )
    assert '<pre><code class="language-py">x = 1\n</code></pre>' in rendered.html
    assert "<ol>" in rendered.html
    assert '<img src="/a.png" alt="img">' in rendered.html
    assert 'class="is-external-link"' in rendered.html
    assert render_content("plain", "text", "en").html == "<pre>plain</pre>"


def test_pytest_plugin_fixtures(wikijs_fake: FakeWikiJS, wikijs_fake_server: str) -> None:
    assert httpx.get(f"{wikijs_fake_server}/healthz").json() == {"ok": True}
    assert isinstance(wikijs_fake, FakeWikiJS)


def test_import_is_cheap() -> None:
    code = (
        "import sys, wikijs.testing; "
        "assert 'uvicorn' not in sys.modules and 'websockets' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=_env())


IN_PROCESS = """
import sys
for name in ("uvicorn", "websockets", "python_multipart", "tinycss2", "ariadne", "starlette"):
    sys.modules[name] = None  # as if not installed: importing it raises ImportError
from wikijs import WikiJSClient
from wikijs.testing import FakeWikiJS

fake = FakeWikiJS()
with WikiJSClient(fake.url, auth=fake.api_key, transport=fake.sync_transport()) as client:
    page = client.pages.create(title="T", path="docs/in-process", content="# T")
    assert client.pages.get(page.id).title == "T"
    try:
        client.assets.upload(b"data", filename="a.txt")
    except ImportError as error:
        assert "pip install 'wikijs[testing]'" in str(error), error
    else:
        raise AssertionError("an upload needs python-multipart")
try:
    fake.start()
except ImportError as error:
    assert "needs uvicorn: pip install 'wikijs[testing]'" in str(error), error
else:
    raise AssertionError("serving needs uvicorn")
fake.close()
"""


def test_in_process_the_fake_needs_only_the_base_dependencies() -> None:
    """Reads and writes need none of the testing extra; uploads and serving say what to install."""
    subprocess.run([sys.executable, "-c", IN_PROCESS], check=True, env=_env())


def _env() -> dict[str, str]:
    import os
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    return {**os.environ, "PYTHONPATH": str(repo)}


def test_public_api_is_sorted_and_complete() -> None:
    import wikijs.testing as testing

    assert testing.__all__ == sorted(testing.__all__)
    for name in testing.__all__:
        assert getattr(testing, name).__doc__


def test_server_parser_defaults() -> None:
    from wikijs.testing.server import build_parser

    args = build_parser().parse_args([])
    assert (args.host, args.port, args.seed_demo, args.latency) == ("127.0.0.1", 0, False, 0.0)
    assert args.write_costs == 0.0
    assert build_parser().parse_args(["--write-costs", "0.5"]).write_costs == 0.5
