"""The recipe for adding an operation (docs/architecture.md), followed on a copy of the repository.

The test writes a query into ``queries/pages.graphql``, runs
``scripts/generate``, adds a method to the async pages resource, runs
``scripts/unasync`` and calls the new method on the fake through both
clients. It then checks that only the files the recipe names changed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

QUERY = """

query GetPageTitle($id: Int!) {
  pages {
    single(id: $id) {
      title
    }
  }
}
"""

METHOD = '''    async def title(self, page_id: int) -> str:
        """Only the title of the page with this id (one small read)."""
        page_id = v.check_id(page_id, "page_id")
        result = await self._gql.get_page_title(id=page_id)
        pages = require(result.pages, "pages", "GetPageTitle")
        return found(pages.single, f"page {page_id}", "GetPageTitle").title

'''

SCRIPT = """
import asyncio
from wikijs import WikiJSClient
from wikijs.aio import AsyncWikiJSClient
from wikijs.testing import FakeWikiJS

fake = FakeWikiJS()
page = fake.add_page(path="recipe/page", title="Written by the recipe", content="x")
with WikiJSClient(fake.url, auth=fake.api_key, transport=fake.sync_transport()) as client:
    print(client.pages.title(page.id))

async def main():
    transport = fake.async_transport()
    async with AsyncWikiJSClient(fake.url, auth=fake.api_key, transport=transport) as client:
        print(await client.pages.title(page.id))

asyncio.run(main())
"""


def _copy_repository(target: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for raw in filter(None, listed):
        name = raw.decode()
        source = ROOT / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the work tree
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            destination.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, destination)
    subprocess.run(["git", "init", "-q"], cwd=target, check=True)
    subprocess.run(["git", "add", "-A"], cwd=target, check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "copy"],
        cwd=target,
        check=True,
    )


def _run(command: list[str], cwd: Path) -> None:
    env = {**os.environ, "PYTHON": sys.executable, "PYTHONPATH": str(cwd)}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"


@pytest.mark.slow
def test_adding_an_operation_as_the_architecture_page_says(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("needs git")
    repo = tmp_path / "repo"
    _copy_repository(repo)

    # 1. the operation
    queries = repo / "queries" / "pages.graphql"
    queries.write_text(queries.read_text() + QUERY)
    # 2. generate
    _run([str(repo / "scripts" / "generate")], repo)
    # 3. the resource method
    resource = repo / "wikijs" / "_async" / "resources" / "pages.py"
    text = resource.read_text()
    anchor = "    async def get(self, page_id: int) -> Page:\n"
    assert anchor in text
    resource.write_text(text.replace(anchor, METHOD + anchor, 1))
    # 4. unasync
    _run([str(repo / "scripts" / "unasync")], repo)

    # the new call works through both clients, on the fake
    env = {**os.environ, "PYTHONPATH": str(repo)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=repo, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["Written by the recipe"] * 2

    # and only the files the recipe names changed
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    paths = {line[3:] for line in changed}
    expected = {
        "queries/pages.graphql",
        "wikijs/_async/resources/pages.py",
        "wikijs/_sync/resources/pages.py",
    }
    assert expected <= paths
    others = {path for path in paths - expected if not path.startswith("wikijs/_generated/")}
    assert not others, others
