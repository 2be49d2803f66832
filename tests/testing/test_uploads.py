"""``POST /u`` uploads (streamed, spooled to disk) and asset downloads."""

# GraphQL documents read best on one line.
# ruff: noqa: E501

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from wikijs.testing import FakeWikiJS
from wikijs.testing._multipart import MultipartStream

from .conftest import Caller, downloaded

BOUNDARY = "xyzBOUNDARYxyz"


def form(*parts: tuple[str, str | None, bytes, str | None]) -> bytes:
    out = b""
    for name, filename, data, content_type in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        extra = f"Content-Type: {content_type}\r\n" if content_type else ""
        out += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n{extra}\r\n".encode()
        out += data + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


def upload(gql: Caller, body: bytes | Iterator[bytes], token: str | None = "") -> httpx.Response:
    headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", **gql.headers(token)}
    return gql.http.post("/u", content=body, headers=headers)


def meta(folder: int) -> tuple[str, None, bytes, None]:
    return ("mediaUpload", None, f'{{"folderId": {folder}}}'.encode(), None)


def test_upload_to_root_then_list_and_download(fake: FakeWikiJS, gql: Caller) -> None:
    response = upload(
        gql, form(meta(0), ("mediaUpload", "Test Image 59d2de.png", b"PNGDATA", "image/png")), None
    )
    assert response.status_code == 200
    assert response.text == "ok"
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    listed = gql(
        "{ assets { list(folderId: 0, kind: ALL) { filename ext kind mime fileSize folder { id } author { id } } } }"
    )
    assert listed["data"]["assets"]["list"] == [
        {
            "filename": "test_image_59d2de.png",
            "ext": ".png",
            "kind": "IMAGE",
            "mime": "image/png",
            "fileSize": 7,
            "folder": None,
            "author": None,
        }
    ]
    download = downloaded(fake, gql.http.get("/test_image_59d2de.png"))
    assert download.content == b"PNGDATA"
    assert download.headers["content-type"] == "image/png"


def test_reupload_replaces_the_asset(fake: FakeWikiJS, gql: Caller) -> None:
    folder = fake.add_asset_folder("pics")
    upload(gql, form(meta(folder), ("mediaUpload", "a.bin", b"one", "text/plain")), None)
    upload(gql, form(meta(folder), ("mediaUpload", "A.BIN", b"second", "text/plain")), None)
    assets = list(fake.core.state.assets.values())
    assert [(a.filename, a.file_size) for a in assets] == [("a.bin", 6)]
    assert gql.http.get("/pics/a.bin").content == b"second"


def test_upload_failures(fake: FakeWikiJS, gql: Caller) -> None:
    png = ("mediaUpload", "x.png", b"x", "image/png")

    def refused(body: bytes, status: int, message: str) -> None:
        response = upload(gql, body, None)
        assert response.status_code == status
        assert response.json() == {"succeeded": False, "message": message}

    refused(form(png), 400, "Missing upload folder metadata.")
    refused(
        form(("mediaUpload", None, b"{nope", None), png), 400, "Missing upload folder metadata."
    )
    refused(form(meta(0)), 400, "Missing upload payload.")
    refused(
        form(meta(0), png, ("mediaUpload", "y.png", b"y", "image/png")),
        400,
        "You cannot upload multiple files within the same request.",
    )
    # multer's own errors reach Express's error page
    for body in (
        form(meta(0), ("other", "x.png", b"x", None)),
        f"--{BOUNDARY}\r\nContent-Disp".encode(),
    ):
        response = upload(gql, body, None)
        assert response.status_code == 500
        assert response.headers["content-type"] == "text/html; charset=utf-8"
    listed = gql("{ assets { list(folderId: 0, kind: ALL) { filename } } }")
    assert not {"x.png", "y.png"} & {a["filename"] for a in listed["data"]["assets"]["list"]}


def test_guest_and_bad_tokens_cannot_upload(fake: FakeWikiJS, guest: Caller) -> None:
    body = form(meta(0), ("mediaUpload", "x.png", b"x", "image/png"))
    for token in (None, "garbage.token.here"):
        response = upload(guest, body, token or "")
        assert response.status_code == 403
        assert response.json() == {
            "succeeded": False,
            "message": "You are not authorized to upload files.",
        }
    jwt = fake.user_token(1)
    cookie_only = guest.http.post(
        "/u",
        content=body,
        headers={
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "Cookie": f"jwt={jwt}",
        },
    )
    assert cookie_only.status_code == 403


def test_missing_folder_answers_ok_and_stores_nothing(fake: FakeWikiJS, gql: Caller) -> None:
    response = upload(gql, form(meta(42), ("mediaUpload", "x.png", b"x", "image/png")), None)
    assert response.text == "ok"
    assert fake.core.state.assets == {}


def test_a_non_multipart_upload_is_never_answered(gql: Caller) -> None:
    # multer skips it and the route throws in an async handler: no answer at all.
    with pytest.raises(httpx.ReadTimeout):
        gql.http.post("/u", content=b"raw", headers=gql.headers(), timeout=2)


def test_large_upload_streams_to_disk(tmp_path: Path) -> None:
    fake = FakeWikiJS(spool_threshold=64 * 1024)
    caller = Caller(fake, fake.api_key)
    size = 3 * 1024 * 1024 + 7
    head = form(meta(0), ("mediaUpload", "Big File.bin", b"", "application/octet-stream"))
    prefix = head[: head.index(b"Big File.bin")]
    prefix += b'Big File.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'
    suffix = f"\r\n--{BOUNDARY}--\r\n".encode()
    sent = []

    def chunks() -> Iterator[bytes]:
        yield prefix
        for _ in range(size // 65536):
            sent.append(65536)
            yield b"\xab" * 65536
        yield b"\xab" * (size % 65536)
        yield suffix

    try:
        response = upload(caller, chunks(), None)
        assert response.status_code == 200, response.text
        asset = next(iter(fake.core.state.assets.values()))
        assert asset.filename == "big_file.bin"
        assert asset.file_size == size
        assert asset.blob.stat().st_size == size
        downloaded = 0
        with caller.http.stream("GET", "/big_file.bin") as stream:
            assert stream.headers["content-length"] == str(size)
            for chunk in stream.iter_raw():
                assert len(chunk) <= 64 * 1024
                downloaded += len(chunk)
        assert downloaded == size
    finally:
        caller.http.close()
        fake.close()
    assert not fake.files_dir.exists()


def test_multipart_stream_spools_only_past_threshold(tmp_path: Path) -> None:
    body = form(
        meta(0),
        ("mediaUpload", "small.txt", b"tiny", None),
        ("mediaUpload", "big.bin", b"z" * 5000, None),
    )
    stream = MultipartStream(BOUNDARY.encode(), tmp_path, threshold=1000)
    for i in range(0, len(body), 333):
        stream.feed(body[i : i + 333])
    meta_part, small, big = stream.finish()
    assert meta_part.text() == '{"folderId": 0}'
    assert not small.on_disk
    assert big.on_disk
    assert big.path is not None
    assert big.path.stat().st_size == 5000
    stream.discard()
    assert list(tmp_path.iterdir()) == []


async def test_async_upload_and_download(fake: FakeWikiJS) -> None:
    body = form(meta(0), ("mediaUpload", "async.css", b"hello", "text/plain"))

    async def chunks():  # type: ignore[no-untyped-def]
        for i in range(0, len(body), 10):
            yield body[i : i + 10]

    async with httpx.AsyncClient(base_url=fake.url, transport=fake.async_transport()) as client:
        response = await client.post(
            "/u",
            content=chunks(),
            headers={
                "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                "Authorization": f"Bearer {fake.api_key}",
            },
        )
        assert response.text == "ok"
        download = downloaded(fake, await client.get("/async.css"))
        assert download.content == b"hello"
        assert download.headers["content-type"] == "text/css; charset=utf-8"  # res.type(ext)


def test_download_rules(fake: FakeWikiJS, gql: Caller) -> None:
    folder = fake.add_asset_folder("secret")
    fake.add_asset("plan.bin", b"x", folder_id=folder, mime="text/plain")
    assert gql.http.get("/secret/missing.bin").status_code == 404
    head = downloaded(fake, gql.http.head("/secret/plan.bin"))
    assert head.headers["content-length"] == "1"
    guests = fake.core.state.groups[2]
    guests.page_rules[0]["roles"] = ["read:pages"]
    assert gql.http.get("/secret/plan.bin").status_code == 403
    key = fake.create_api_key("gone", group_id=2)
    fake.core.state.api_keys[max(fake.core.state.api_keys)].is_revoked = True
    assert (
        gql.http.get("/secret/plan.bin", headers={"Authorization": f"Bearer {key}"}).status_code
        == 500
    )


def test_revoked_key_upload_is_500(fake: FakeWikiJS, gql: Caller) -> None:
    key = fake.create_api_key("gone")
    fake.core.state.api_keys[max(fake.core.state.api_keys)].is_revoked = True
    response = upload(gql, form(meta(0)), key)
    assert response.status_code == 500


def test_rename_and_delete_assets(fake: FakeWikiJS, gql: Caller) -> None:
    tag = secrets.token_hex(3)
    asset = fake.add_asset(f"one-{tag}.png", b"1", mime="image/png")
    fake.add_asset(f"two-{tag}.png", b"2", mime="image/png")
    rename = "mutation ($id: Int!, $f: String!) { assets { renameAsset(id: $id, filename: $f) { responseResult { succeeded errorCode message } } } }"

    def renamed(asset_id: int, filename: str) -> Any:
        body = gql(rename, {"id": asset_id, "f": filename})
        return body["data"]["assets"]["renameAsset"]["responseResult"]

    assert renamed(asset.id, f"three-{tag}.png")["succeeded"]
    assert renamed(asset.id, f"three-{tag}.jpg")["errorCode"] == 2008
    assert renamed(asset.id, f"two-{tag}.png")["errorCode"] == 2005
    assert renamed(asset.id, f"three-{tag}.png")["errorCode"] == 2005  # its own name, too
    assert renamed(asset.id, ".png")["errorCode"] == 2007
    assert renamed(999_999, "x.png")["errorCode"] == 2004
    # sanitize-filename drops the slash instead of refusing the name
    assert renamed(asset.id, f"Bad/Name-{tag}.PNG".replace(".PNG", ".png"))["succeeded"]
    listed = gql("{ assets { list(folderId: 0, kind: ALL) { id filename } } }")
    assert {"id": asset.id, "filename": f"badname-{tag}.png"} in listed["data"]["assets"]["list"]
    delete = "mutation ($id: Int!) { assets { deleteAsset(id: $id) { responseResult { succeeded errorCode } } } }"
    assert gql(delete, {"id": asset.id})["data"]["assets"]["deleteAsset"]["responseResult"][
        "succeeded"
    ]
    assert (
        gql(delete, {"id": asset.id})["data"]["assets"]["deleteAsset"]["responseResult"][
            "errorCode"
        ]
        == 2004
    )
    flush = gql("mutation { assets { flushTempUploads { responseResult { message } } } }")
    assert flush["data"]["assets"]["flushTempUploads"]["responseResult"]["message"].startswith(
        "Temporary"
    )


def test_folders(fake: FakeWikiJS, gql: Caller, ideal_gql: Caller) -> None:
    create = 'mutation ($p: Int!, $s: String!) { assets { createFolder(parentFolderId: $p, slug: $s, name: "Nice Name") { responseResult { succeeded errorCode } } } }'
    assert gql(create, {"p": 0, "s": "Top"})["data"]["assets"]["createFolder"]["responseResult"][
        "succeeded"
    ]
    assert (
        gql(create, {"p": 0, "s": "top"})["data"]["assets"]["createFolder"]["responseResult"][
            "errorCode"
        ]
        == 2002
    )
    gql(create, {"p": 1, "s": "child"})
    folders = gql("{ assets { folders(parentFolderId: 1) { id slug name } } }")
    assert folders["data"]["assets"]["folders"] == [{"id": 2, "slug": "child", "name": "child"}]
    ideal_gql(create, {"p": 0, "s": "top"})
    ideal = ideal_gql("{ assets { folders(parentFolderId: 0) { name } } }")
    assert ideal["data"]["assets"]["folders"] == [{"name": "Nice Name"}]


def test_ideal_asset_list_fills_folder_and_author(ideal: FakeWikiJS, ideal_gql: Caller) -> None:
    folder = ideal.add_asset_folder("pics")
    ideal.add_asset("p.png", b"p", folder_id=folder, mime="image/png")
    listed = ideal_gql(
        "query ($f: Int!) { assets { list(folderId: $f, kind: IMAGE) { folder { slug } author { name } } } }",
        {"f": folder},
    )
    assert listed["data"]["assets"]["list"] == [
        {"folder": {"slug": "pics"}, "author": {"name": "Administrator"}}
    ]
