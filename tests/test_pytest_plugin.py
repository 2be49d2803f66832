"""A user's test suite that only enables the plugin can drive both clients."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

USER_TESTS = """
import pytest

pytest_plugins = ["wikijs.testing.pytest_plugin"]


def test_sync_client(wikijs_client):
    page = wikijs_client.pages.create(title="Hello", path="docs/hello", content="# Hi")
    assert [p.path for p in wikijs_client.pages.list()] == ["docs/hello"]
    wikijs_client.pages.delete(page.id)
    assert wikijs_client.pages.list() == []


@pytest.mark.asyncio
async def test_async_client(wikijs_async_client):
    page = await wikijs_async_client.pages.create(title="Hi", path="docs/hi", content="x")
    assert [p.id for p in await wikijs_async_client.pages.list()] == [page.id]
    await wikijs_async_client.pages.delete(page.id)
    assert await wikijs_async_client.pages.list() == []


def test_fake_and_server(wikijs_fake, wikijs_fake_server):
    wikijs_fake.add_page("docs/seeded", title="Seeded", content="x")
    from wikijs import WikiJSClient

    with WikiJSClient(wikijs_fake_server, auth=wikijs_fake.api_key) as client:
        assert client.pages.get_by_path("docs/seeded").title == "Seeded"
"""


def test_a_user_suite_with_only_the_plugin_passes(tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(USER_TESTS)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--no-cov",
            "-o",
            "asyncio_mode=strict",
            str(tmp_path / "test_user.py"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout
