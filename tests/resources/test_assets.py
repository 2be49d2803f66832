"""client.assets against the fake Wiki.js (both clients)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from wikijs.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from wikijs.models import Asset, AssetFolder, AssetFolderNode, AssetKind
from wikijs.testing import FakeWikiJS

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 62


def uploads(fake: FakeWikiJS) -> int:
    return sum(1 for r in fake.requests if r.path == "/u")


# -- folders -------------------------------------------------------------------------


def test_ensure_folder_creates_missing_parents_once(wiki: Any, fake: FakeWikiJS) -> None:
    node = wiki.assets.ensure_folder("/Images/2026/")
    assert isinstance(node, AssetFolderNode)
    assert (node.path, node.slug) == ("images/2026", "2026")
    again = wiki.assets.ensure_folder("images/2026")
    assert again.id == node.id
    assert [f.slug for f in wiki.assets.folders()] == ["images"]
    assert all(isinstance(f, AssetFolder) for f in wiki.assets.folders(node.parent_id))
    assert wiki.assets.get_folder("/images/2026").id == node.id


@pytest.mark.parametrize("path", ["/", "", "/with space", "a/../b", "bad:name"])
def test_ensure_folder_refuses_bad_paths(wiki: Any, fake: FakeWikiJS, path: str) -> None:
    fake.reset_log()
    with pytest.raises(ValidationError):
        wiki.assets.ensure_folder(path)
    assert fake.requests == []


def test_get_folder_of_a_missing_path_is_not_found(wiki: Any) -> None:
    wiki.assets.ensure_folder("/docs")
    with pytest.raises(NotFoundError, match="/docs/missing"):
        wiki.assets.get_folder("/docs/missing")


def test_folder_tree(wiki: Any) -> None:
    wiki.assets.ensure_folder("/a/b/c")
    wiki.assets.ensure_folder("/a/d")
    wiki.assets.ensure_folder("/e")
    tree = wiki.assets.folder_tree()
    assert [node.path for top in tree for node in top.walk()] == ["a", "a/b", "a/b/c", "a/d", "e"]
    assert tree[0].children[0].parent_id == tree[0].id


# -- uploads -------------------------------------------------------------------------


def test_upload_a_path_into_a_folder(wiki: Any, fake: FakeWikiJS, tmp_path: Path) -> None:
    wiki.assets.ensure_folder("/images")
    source = tmp_path / "My Logo #1.PNG"
    source.write_bytes(PNG)
    asset = wiki.assets.upload(file_path=source, folder="/images")
    assert isinstance(asset, Asset)
    assert (asset.filename, asset.ext, asset.kind) == ("my_logo_1.png", ".png", AssetKind.IMAGE)
    assert (asset.file_size, asset.mime) == (len(PNG), "image/png")
    assert asset.folder is not None
    assert asset.folder.slug == "images"
    assert wiki.assets.download(asset) == PNG


def test_upload_bytes_and_file_objects(wiki: Any) -> None:
    a = wiki.assets.upload(b"hello", filename="notes.bin")
    assert (a.kind, a.folder) == (AssetKind.BINARY, None)
    b = wiki.assets.upload(io.BytesIO(b"12345"), filename="stream.dat", content_type="text/csv")
    assert (b.mime, b.file_size) == ("text/csv", 5)
    c = wiki.assets.upload(memoryview(b"abc"), filename="view.bin")
    assert c.file_size == 3


def test_upload_a_named_file_object(wiki: Any, tmp_path: Path) -> None:
    path = tmp_path / "named.png"
    path.write_bytes(PNG)
    with path.open("rb") as handle:
        handle.read(8)  # only what is left is sent
        asset = wiki.assets.upload(handle)
    assert (asset.filename, asset.file_size) == ("named.png", len(PNG) - 8)


def test_upload_reports_progress(wiki: Any) -> None:
    seen: list[tuple[int, int | None]] = []
    wiki.assets.upload(
        b"x" * 10_000, filename="p.bin", chunk_size=4096, progress=lambda d, t: seen.append((d, t))
    )
    assert seen == [(4096, 10_000), (8192, 10_000), (10_000, 10_000)]


def test_reuploading_a_name_replaces_the_asset(wiki: Any) -> None:
    first = wiki.assets.upload(b"one", filename="same.bin")
    second = wiki.assets.upload(b"two!", filename="SAME.bin")
    assert second.id == first.id
    assert wiki.assets.download(second.id) == b"two!"


def test_upload_to_a_missing_folder_fails_before_sending(wiki: Any, fake: FakeWikiJS) -> None:
    fake.reset_log()
    with pytest.raises(NotFoundError):
        wiki.assets.upload(b"x", filename="x.bin", folder="/nowhere")
    with pytest.raises(NotFoundError):
        wiki.assets.upload(b"x", filename="x.bin", folder_id=42)
    assert uploads(fake) == 0


def test_upload_can_create_the_folder(wiki: Any) -> None:
    asset = wiki.assets.upload(b"x", filename="x.bin", folder="/new/deep", create_folders=True)
    assert asset.folder is not None
    assert asset.folder.slug == "deep"
    assert wiki.assets.path_of(asset) == "/new/deep/x.bin"


def test_upload_by_folder_id_and_folder_object(wiki: Any) -> None:
    node = wiki.assets.ensure_folder("/by/id")
    assert wiki.assets.upload(b"1", filename="one.bin", folder_id=node.id).folder.id == node.id
    assert wiki.assets.upload(b"2", filename="two.bin", folder=node).folder.id == node.id
    folder = wiki.assets.folders(wiki.assets.get_folder("/by").id)[0]
    assert wiki.assets.upload(b"3", filename="three.bin", folder=folder).folder.id == node.id
    assert wiki.assets.upload(b"4", filename="four.bin", folder=node.id).folder.id == node.id


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "file"),
        ({"file": b"x"}, "filename"),
        ({"file": b"x", "filename": "?*"}, "filename"),
        ({"file": b"x", "file_path": "/tmp/x", "filename": "a.bin"}, "file_path"),
        ({"file_path": "/definitely/not/here.png"}, "file_path"),
        ({"file": io.StringIO("text"), "filename": "a.txt"}, "file"),
        ({"file": 12, "filename": "a.bin"}, "file"),
        ({"file": b"x", "filename": "a.bin", "content_type": "nonsense"}, "content_type"),
        ({"file": b"x", "filename": "a.bin", "progress": "loud"}, "progress"),
        ({"file": b"x", "filename": "a.bin", "folder": "/a", "folder_id": 1}, "folder_id"),
        ({"file": b"x", "filename": "a.bin", "folder": 1.5}, "folder"),
        ({"file": b"x", "filename": "a.bin", "chunk_size": 0}, "chunk_size"),
    ],
)
def test_upload_validates_before_sending(
    wiki: Any, fake: FakeWikiJS, kwargs: dict[str, Any], field: str
) -> None:
    fake.reset_log()
    with pytest.raises(ValidationError) as caught:
        wiki.assets.upload(**kwargs)
    assert caught.value.field == field
    assert uploads(fake) == 0


def test_upload_without_permission_is_denied(fake: FakeWikiJS) -> None:
    from wikijs import WikiJSClient

    guest = WikiJSClient(fake.url, transport=fake.sync_transport())
    with guest, pytest.raises(PermissionDeniedError, match="not authorized"):
        guest.assets.upload(b"x", filename="x.bin")


# -- listing -------------------------------------------------------------------------


def test_list_one_folder_by_kind_with_paging(wiki: Any) -> None:
    wiki.assets.ensure_folder("/mixed")
    for name in ("b.png", "a.png", "c.bin"):
        wiki.assets.upload(b"x" * len(name), filename=name, folder="/mixed")
    wiki.assets.upload(b"root", filename="root.png")
    assert [a.filename for a in wiki.assets.list(folder="/mixed", kind="image")] == [
        "b.png",
        "a.png",
    ]
    assert [a.filename for a in wiki.assets.list(folder="/mixed", kind=AssetKind.BINARY)] == [
        "c.bin"
    ]
    assert [a.filename for a in wiki.assets.list("/mixed", order_by="filename", limit=2)] == [
        "a.png",
        "b.png",
    ]
    assert [a.filename for a in wiki.assets.list("/mixed", offset=2)] == ["c.bin"]
    assert [a.filename for a in wiki.assets.list()] == ["root.png"]
    with pytest.raises(ValidationError):
        wiki.assets.list(kind="video")
    with pytest.raises(NotFoundError):
        wiki.assets.list(folder="/missing")


def test_iter_all_walks_the_tree_lazily(wiki: Any, fake: FakeWikiJS) -> None:
    wiki.assets.upload(b"1", filename="top.bin")
    wiki.assets.upload(b"2", filename="deep.png", folder="/x/y", create_folders=True)
    wiki.assets.upload(b"3", filename="side.bin", folder="/z", create_folders=True)
    found = [(a.folder.slug if a.folder else "", a.filename) for a in wiki.assets.iter_all()]
    assert found == [("", "top.bin"), ("y", "deep.png"), ("z", "side.bin")]
    assert [a.filename for a in wiki.assets.iter_all(kind="image")] == ["deep.png"]
    assert [a.filename for a in wiki.assets.iter_all("/x", recursive=False)] == []
    assert [a.filename for a in wiki.assets.iter_all("/x")] == ["deep.png"]


def test_get_searches_every_folder(wiki: Any) -> None:
    target = wiki.assets.upload(b"deep", filename="deep.bin", folder="/p/q", create_folders=True)
    got = wiki.assets.get(target.id)
    assert (got.id, got.folder.slug) == (target.id, "q")
    with pytest.raises(NotFoundError):
        wiki.assets.get(999)


# -- downloads -----------------------------------------------------------------------


def test_download_to_a_path_a_stream_or_bytes(wiki: Any, tmp_path: Path) -> None:
    data = bytes(range(256)) * 100
    asset = wiki.assets.upload(data, filename="blob.bin", folder="/dl", create_folders=True)
    seen: list[int] = []
    written = wiki.assets.download(
        asset, to=tmp_path / "out.bin", progress=lambda d, t: seen.append(d)
    )
    assert written == len(data)
    assert (tmp_path / "out.bin").read_bytes() == data
    assert seen[-1] == len(data)
    sink = io.BytesIO()
    assert wiki.assets.download(asset.id, to=sink, chunk_size=1000) == len(data)
    assert sink.getvalue() == data
    assert wiki.assets.download("/dl/blob.bin") == data


def test_download_of_a_missing_asset(wiki: Any, tmp_path: Path) -> None:
    target = tmp_path / "never.bin"
    with pytest.raises(NotFoundError):
        wiki.assets.download("nothing/here.bin", to=target)
    assert not target.exists()
    with pytest.raises(NotFoundError):
        wiki.assets.download(12345)


@pytest.mark.parametrize(("asset", "to"), [(1.5, None), ("/", None), ("a/b.bin", 42)])
def test_download_validates(wiki: Any, asset: Any, to: Any) -> None:
    with pytest.raises(ValidationError):
        wiki.assets.download(asset, to=to)


def test_download_refuses_a_directory_target(wiki: Any, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        wiki.assets.download("a/b.bin", to=tmp_path)
    assert caught.value.field == "to"


# -- changes -------------------------------------------------------------------------


def test_rename_keeps_the_folder(wiki: Any) -> None:
    asset = wiki.assets.upload(PNG, filename="old.png", folder="/r", create_folders=True)
    renamed = wiki.assets.rename(asset, "New.png")
    assert (renamed.id, renamed.filename, renamed.folder.slug) == (asset.id, "new.png", "r")
    again = wiki.assets.rename(asset.id, "newer.png")
    assert again.filename == "newer.png"
    root = wiki.assets.upload(b"r", filename="root.bin")
    assert wiki.assets.rename(root, "top.bin").folder is None


def test_rename_refusals(wiki: Any) -> None:
    a = wiki.assets.upload(PNG, filename="one.png")
    wiki.assets.upload(PNG, filename="two.png")
    with pytest.raises(ValidationError):
        wiki.assets.rename(a, "what?.png")
    with pytest.raises(ValidationError):
        wiki.assets.rename(a, "sub/one.png")
    with pytest.raises(ValidationError):  # Wiki.js: AssetRenameInvalidExt
        wiki.assets.rename(a, "one.jpg")
    with pytest.raises(ConflictError):
        wiki.assets.rename(a, "two.png")


def test_delete_and_delete_many(wiki: Any) -> None:
    a = wiki.assets.upload(b"a", filename="a.bin")
    b = wiki.assets.upload(b"b", filename="b.bin")
    c = wiki.assets.upload(b"c", filename="c.bin")
    wiki.assets.delete(a)
    result = wiki.assets.delete_many([b, c.id, 999])
    assert result.success == [b.id, c.id]
    assert isinstance(result.errors[0].error, NotFoundError)
    assert wiki.assets.list() == []
    with pytest.raises(NotFoundError):
        wiki.assets.delete(a.id)
    wiki.assets.flush_temp_uploads()


def test_upload_many_reports_each_file(wiki: Any, tmp_path: Path) -> None:
    path = tmp_path / "disk.png"
    path.write_bytes(PNG)
    result = wiki.assets.upload_many(
        [
            path,
            ("pair.bin", b"pair"),
            {"file": b"mapped", "filename": "mapped.csv", "content_type": "text/csv"},
            tmp_path / "missing.png",
            {"file": b"x", "name": "wrong-key.bin"},
        ],
        folder="/batch",
        create_folders=True,
        concurrency=2,
    )
    assert [a.filename for a in result] == ["disk.png", "pair.bin", "mapped.csv"]
    assert [e.index for e in result.errors] == [3, 4]
    assert {a.folder.slug for a in result} == {"batch"}


async def test_async_upload_many_runs_uploads_concurrently(fake: FakeWikiJS) -> None:
    import httpx

    from wikijs.aio import AsyncWikiJSClient

    inner = fake.async_transport()
    in_flight = 0
    most = 0

    class Counting(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            nonlocal in_flight, most
            if request.url.path != "/u":
                return await inner.handle_async_request(request)
            in_flight += 1
            most = max(most, in_flight)
            try:
                return await inner.handle_async_request(request)
            finally:
                in_flight -= 1

    fake.latency = 0.02  # awaited by the fake's async transport: uploads overlap meanwhile
    async with AsyncWikiJSClient(fake.url, auth=fake.api_key, transport=Counting()) as client:
        files = [(f"f{n}.bin", bytes([n]) * 10) for n in range(6)]
        result = await client.assets.upload_many(files, concurrency=3)
    assert [a.filename for a in result] == [name for name, _ in files]
    assert most == 3


def test_download_refuses_a_target_in_a_missing_directory(wiki: Any, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        wiki.assets.download("a/b.bin", to=tmp_path / "missing" / "b.bin")
    assert caught.value.field == "to"


@pytest.mark.fake_only("counts requests")
def test_downloads_walk_the_folder_tree_once_per_client(make_wiki: Any, fake: FakeWikiJS) -> None:
    uploader = make_wiki()
    first = uploader.assets.upload(
        b"one", filename="one.bin", folder="/deep/er", create_folders=True
    )
    second = uploader.assets.upload(b"two", filename="two.bin", folder="/deep/er")
    wiki = make_wiki()  # knows no folder yet
    fake.reset_log()
    assert wiki.assets.download(first) == b"one"
    walk = len(fake.requests)
    assert walk > 1  # the folder's path is looked up level by level
    fake.reset_log()
    assert wiki.assets.download(second) == b"two"
    assert [r.method for r in fake.requests] == ["GET"]  # the download alone
    fake.reset_log()
    assert wiki.assets.path_of(second) == "/deep/er/two.bin"
    assert fake.requests == []


@pytest.mark.fake_only("counts requests")
def test_listed_assets_carry_their_folder_and_its_path_is_known(
    make_wiki: Any, fake: FakeWikiJS
) -> None:
    make_wiki().assets.upload(b"x", filename="x.bin", folder="/backup/2026", create_folders=True)
    wiki = make_wiki()
    listed = list(wiki.assets.iter_all())
    (asset,) = [a for a in listed if a.filename == "x.bin"]
    assert asset.folder is not None
    assert asset.folder.slug == "2026"
    fake.reset_log()
    assert wiki.assets.path_of(asset) == "/backup/2026/x.bin"
    assert wiki.assets.download(asset) == b"x"
    assert [r.method for r in fake.requests] == ["GET"]  # no second walk
