"""The issue's done-when scenario, once per client, written as a user would.

A group with chosen permissions and a page rule; a user in it, found by
search; a name-only update that changes nothing else; removal from the
group; both deleted. Then a 1 MB and a large file uploaded into a new nested
folder with the client's memory watched, listed, downloaded byte-identical,
renamed and deleted.

The large file is 16 MB in the always-run variant (in-process fake) and
200 MB in the ``slow`` one, which talks to the fake over loopback.
"""

from __future__ import annotations

import hashlib
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from wikijs import WikiJSClient
from wikijs.aio import AsyncWikiJSClient
from wikijs.errors import NotFoundError
from wikijs.models import PageRule
from wikijs.testing import FakeWikiJS

# Remove with the SDK fix: a strict xfail turns into a failure once it passes.

MB = 1024 * 1024
PERMISSIONS = ["read:pages", "write:pages", "read:assets", "write:assets"]
MEMORY_BUDGET = 100 * MB


def make_file(path: Path, size: int) -> str:
    """Write ``size`` pseudo-random bytes in 1 MB chunks; return their sha256."""
    digest = hashlib.sha256()
    block = hashlib.sha256(path.name.encode()).digest() * (MB // 32)
    with path.open("wb") as out:
        for n in range(0, size, MB):
            chunk = (block[n % 997 :] + block[: n % 997])[: min(MB, size - n)]
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(MB):
            digest.update(chunk)
    return digest.hexdigest()


class MemoryWatch:
    """tracemalloc around a block: the peak growth of traced memory."""

    def __enter__(self) -> MemoryWatch:
        tracemalloc.start()
        tracemalloc.reset_peak()
        self.start, _ = tracemalloc.get_traced_memory()
        return self

    def __exit__(self, *exc: object) -> None:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.growth = peak - self.start


@pytest.fixture(
    params=[
        pytest.param(16 * MB, id="16MB-in-process"),
        pytest.param(200 * MB, id="200MB-loopback", marks=pytest.mark.slow),
    ]
)
def server(
    request: pytest.FixtureRequest, fake: FakeWikiJS
) -> Iterator[tuple[dict[str, Any], int]]:
    """Client keyword arguments for ``fake`` and the large file's size."""
    size: int = request.param
    if size < 100 * MB:
        yield {"url": fake.url, "auth": fake.api_key}, size
        return
    with fake.serve() as url:
        yield {"url": url, "auth": fake.api_key, "timeout": 120}, size


def sync_kwargs(server: dict[str, Any], fake: FakeWikiJS) -> dict[str, Any]:
    kwargs = dict(server)
    if kwargs["url"] == fake.url:
        kwargs["transport"] = fake.sync_transport()
    return kwargs


def async_kwargs(server: dict[str, Any], fake: FakeWikiJS) -> dict[str, Any]:
    kwargs = dict(server)
    if kwargs["url"] == fake.url:
        kwargs["transport"] = fake.async_transport()
    return kwargs


def test_scenario_sync(
    server: tuple[dict[str, Any], int], fake: FakeWikiJS, tmp_path: Path
) -> None:
    settings, large_size = server
    small, large = tmp_path / "Small File.bin", tmp_path / "large.bin"
    small_sha, large_sha = make_file(small, MB), make_file(large, large_size)

    with WikiJSClient(**sync_kwargs(settings, fake)) as client:
        # -- a group, a user in it, a name-only update, cleanup
        rule = PageRule(match="START", path="team", roles=["read:pages", "write:pages"])
        group = client.groups.create("Team", permissions=PERMISSIONS, page_rules=[rule])
        assert group.permissions == PERMISSIONS
        assert [(r.id, r.path) for r in group.page_rules] == [(rule.id, "team")]

        user = client.users.create(
            email="member@example.com", name="Member", password="s3cret!", groups=[group.id]
        )
        assert [hit.id for hit in client.users.search("member@example.com")] == [user.id]
        renamed = client.users.update(user.id, name="Renamed Member")
        assert renamed.name == "Renamed Member"
        assert renamed.model_dump(exclude={"name", "updated_at"}) == user.model_dump(
            exclude={"name", "updated_at"}
        )
        assert [u.id for u in client.groups.list_members(group.id)] == [user.id]

        client.groups.remove_user(group.id, user.id)
        assert client.groups.list_members(group.id) == []
        client.users.delete(user.id)
        client.groups.delete(group.id)
        with pytest.raises(NotFoundError):
            client.users.get(user.id)
        with pytest.raises(NotFoundError):
            client.groups.get(group.id)

        # -- two uploads into a new nested folder, memory watched for the large one
        # (Wiki.js refuses files over uploadMaxFileSize, 5 MB by default)
        client.site.update(upload_max_file_size=large_size + MB)
        folder = client.assets.ensure_folder("/scenario/2026/files")
        first = client.assets.upload(small, folder=folder)
        with MemoryWatch() as watch:
            second = client.assets.upload(file_path=large, folder="/scenario/2026/files")
        assert watch.growth < MEMORY_BUDGET, f"upload grew memory by {watch.growth / MB:.1f} MB"

        listed = client.assets.list(folder="/scenario/2026/files", kind="all")
        assert sorted((a.filename, a.file_size) for a in listed) == [
            ("large.bin", large_size),
            ("small_file.bin", MB),
        ]

        with MemoryWatch() as watch:
            assert client.assets.download(second, to=tmp_path / "large.out") == large_size
        assert watch.growth < MEMORY_BUDGET, f"download grew memory by {watch.growth / MB:.1f} MB"
        assert sha256_of(tmp_path / "large.out") == large_sha
        assert hashlib.sha256(client.assets.download(first.id)).hexdigest() == small_sha

        moved = client.assets.rename(first, "renamed.bin")
        assert client.assets.path_of(moved) == "/scenario/2026/files/renamed.bin"
        client.assets.delete(moved)
        client.assets.delete(second.id)
        assert client.assets.list(folder=folder) == []


async def test_scenario_async(
    server: tuple[dict[str, Any], int], fake: FakeWikiJS, tmp_path: Path
) -> None:
    settings, large_size = server
    small, large = tmp_path / "Small File.bin", tmp_path / "large.bin"
    small_sha, large_sha = make_file(small, MB), make_file(large, large_size)

    async with AsyncWikiJSClient(**async_kwargs(settings, fake)) as client:
        rule = PageRule(match="START", path="team", roles=["read:pages", "write:pages"])
        group = await client.groups.create("Team", permissions=PERMISSIONS, page_rules=[rule])
        assert group.permissions == PERMISSIONS

        user = await client.users.create(
            email="member@example.com", name="Member", password="s3cret!", groups=[group.id]
        )
        assert [hit.id for hit in await client.users.search("member@example.com")] == [user.id]
        renamed = await client.users.update(user.id, name="Renamed Member")
        assert renamed.name == "Renamed Member"
        assert renamed.model_dump(exclude={"name", "updated_at"}) == user.model_dump(
            exclude={"name", "updated_at"}
        )

        await client.groups.remove_user(group.id, user.id)
        assert [u.id async for u in client.groups.iter_members(group.id)] == []
        await client.users.delete(user.id)
        await client.groups.delete(group.id)
        with pytest.raises(NotFoundError):
            await client.users.get(user.id)

        await client.site.update(upload_max_file_size=large_size + MB)
        folder = await client.assets.ensure_folder("/scenario/2026/files")
        uploaded = await client.assets.upload_many([small], folder=folder, concurrency=2)
        first = uploaded.raise_for_errors().success[0]
        with MemoryWatch() as watch:
            second = await client.assets.upload(large, folder_id=folder.id)
        assert watch.growth < MEMORY_BUDGET, f"upload grew memory by {watch.growth / MB:.1f} MB"

        names = sorted([a.filename async for a in client.assets.iter_all("/scenario")])
        assert names == ["large.bin", "small_file.bin"]

        with MemoryWatch() as watch:
            assert await client.assets.download(second.id, to=tmp_path / "large.out") == large_size
        assert watch.growth < MEMORY_BUDGET, f"download grew memory by {watch.growth / MB:.1f} MB"
        assert sha256_of(tmp_path / "large.out") == large_sha
        assert hashlib.sha256(await client.assets.download(first)).hexdigest() == small_sha

        moved = await client.assets.rename(first.id, "renamed.bin")
        assert moved.filename == "renamed.bin"
        result = await client.assets.delete_many([moved, second])
        assert result.ok
        assert await client.assets.list(folder=folder) == []
