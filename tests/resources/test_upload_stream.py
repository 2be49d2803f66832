"""Uploads are streamed: the exact multipart body, its Content-Length, and flat memory.

A transport that counts what it receives (and keeps only the first and last
bytes) stands in for the server, so only the client's memory is measured.
"""

from __future__ import annotations

import json
import re
import tracemalloc
from pathlib import Path
from typing import Any

import httpx
import pytest

from wikijs import APIKeyAuth, WikiJSClient
from wikijs._protocol.assets import MultipartPlan
from wikijs.aio import AsyncWikiJSClient
from wikijs.errors import (
    AuthenticationError,
    ConnectionLostError,
    PermissionDeniedError,
    ValidationError,
)

MB = 1024 * 1024


class Received:
    def __init__(self) -> None:
        self.headers: httpx.Headers | None = None
        self.size = 0
        self.chunks = 0
        self.largest = 0
        self.head = b""
        self.tail = b""

    def take(self, chunk: bytes) -> None:
        self.size += len(chunk)
        self.chunks += 1
        self.largest = max(self.largest, len(chunk))
        if len(self.head) < 400:
            self.head += chunk[: 400 - len(self.head)]
        self.tail = (self.tail + chunk)[-200:]


def listing(stored: str, size: int) -> bytes:
    asset = {
        "id": 7,
        "filename": stored,
        "ext": "." + stored.rsplit(".", 1)[-1],
        "kind": "BINARY",
        "mime": "application/octet-stream",
        "fileSize": size,
        "metadata": None,
        "createdAt": "2026-11-26T04:21:00.677Z",
        "updatedAt": "2026-11-26T04:21:00.678Z",
        "folder": None,
    }
    return json.dumps({"data": {"assets": {"list": [asset]}}}).encode()


class SyncSink(httpx.BaseTransport):
    def __init__(self, stored: str, status: int = 200, body: bytes = b"ok") -> None:
        self.received = Received()
        self.stored, self.status, self.body = stored, status, body

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/u":
            self.received.headers = request.headers
            for chunk in request.stream:  # type: ignore[union-attr]
                self.received.take(chunk)
            return httpx.Response(self.status, content=self.body)
        return httpx.Response(200, content=listing(self.stored, self.received.size))


class AsyncSink(httpx.AsyncBaseTransport):
    def __init__(self, stored: str) -> None:
        self.received = Received()
        self.stored = stored

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/u":
            self.received.headers = request.headers
            async for chunk in request.stream:  # type: ignore[union-attr]
                self.received.take(chunk)
            return httpx.Response(200, content=b"ok")
        return httpx.Response(200, content=listing(self.stored, self.received.size))


def big_file(tmp_path: Path, size: int) -> Path:
    path = tmp_path / "Big Upload.bin"
    with path.open("wb") as out:
        for _ in range(size // MB):
            out.write(b"\xab" * MB)
    return path


def check_body(received: Received, size: int, chunk_size: int) -> None:
    assert received.headers is not None
    match = re.fullmatch(r"multipart/form-data; boundary=(\w+)", received.headers["content-type"])
    assert match is not None
    boundary = match.group(1).encode()
    assert int(received.headers["content-length"]) == received.size
    assert "transfer-encoding" not in received.headers
    assert received.headers["authorization"] == "Bearer key"
    head = received.head
    assert head.startswith(
        b"--" + boundary + b'\r\nContent-Disposition: form-data; name="mediaUpload"\r\n\r\n'
        b'{"folderId":0}\r\n--' + boundary + b"\r\n"
        b'Content-Disposition: form-data; name="mediaUpload"; filename="Big Upload.bin"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n\xab"
    )
    assert received.tail.endswith(b"\xab\r\n--" + boundary + b"--\r\n")
    plan_overhead = received.size - size
    assert 0 < plan_overhead < 400
    assert received.largest <= chunk_size + plan_overhead
    assert received.chunks >= size // chunk_size


def test_sync_upload_streams_the_file(tmp_path: Path) -> None:
    size = 64 * MB
    path = big_file(tmp_path, size)
    sink = SyncSink("big_upload.bin")
    auth = APIKeyAuth("key", verify=False)
    with WikiJSClient("http://wiki.test", auth=auth, transport=sink) as client:
        tracemalloc.start()
        try:
            start, _ = tracemalloc.get_traced_memory()
            asset = client.assets.upload(path, chunk_size=MB)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert asset.filename == "big_upload.bin"
    check_body(sink.received, size, MB)
    assert peak - start < 8 * MB, f"peak grew by {(peak - start) / MB:.1f} MB"


async def test_async_upload_streams_the_file(tmp_path: Path) -> None:
    size = 64 * MB
    path = big_file(tmp_path, size)
    sink = AsyncSink("big_upload.bin")
    auth = APIKeyAuth("key", verify=False)
    async with AsyncWikiJSClient("http://wiki.test", auth=auth, transport=sink) as client:
        tracemalloc.start()
        try:
            start, _ = tracemalloc.get_traced_memory()
            asset = await client.assets.upload(file_path=path, chunk_size=MB)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert asset.filename == "big_upload.bin"
    check_body(sink.received, size, MB)
    assert peak - start < 8 * MB, f"peak grew by {(peak - start) / MB:.1f} MB"


def test_a_stream_of_unknown_length_is_sent_chunked() -> None:
    class Pipe:
        """Readable, but neither seekable nor backed by a file."""

        def __init__(self) -> None:
            self.parts = [b"abc", b"def", b""]

        def read(self, size: int = -1) -> bytes:
            return self.parts.pop(0)

    sink = SyncSink("pipe.bin")
    with WikiJSClient(
        "http://wiki.test", auth=APIKeyAuth("key", verify=False), transport=sink
    ) as c:
        c.assets.upload(Pipe(), filename="pipe.bin")  # type: ignore[arg-type]
    assert sink.received.headers is not None
    assert "content-length" not in sink.received.headers
    assert sink.received.headers["transfer-encoding"] == "chunked"


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (400, b'{"succeeded":false,"message":"Missing upload folder metadata."}', ValidationError),
        (403, b'{"succeeded":false,"message":"You are not authorized."}', PermissionDeniedError),
        (500, b"<h1>API Key is invalid or was revoked.</h1>", AuthenticationError),
    ],
)
def test_upload_failures_are_typed(status: int, body: bytes, error: type[Exception]) -> None:
    sink = SyncSink("x.bin", status=status, body=body)
    with (
        WikiJSClient("http://wiki.test", auth=APIKeyAuth("key", verify=False), transport=sink) as c,
        pytest.raises(error) as caught,
    ):
        c.assets.upload(b"x", filename="x.bin")
    assert caught.value.operation == "UploadAsset"  # type: ignore[attr-defined]


def test_multipart_plan_length_matches_its_bytes() -> None:
    plan = MultipartPlan.build(3, 'we"ird\r\nname.png', "image/png", boundary="b0undary")
    body = plan.head + b"12345" + plan.tail
    assert plan.content_length(5) == len(body)
    assert plan.headers(5) == {
        "Content-Type": "multipart/form-data; boundary=b0undary",
        "Content-Length": str(len(body)),
    }
    assert b'filename="we%22ird%0D%0Aname.png"' in plan.head
    assert plan.headers(None) == {"Content-Type": "multipart/form-data; boundary=b0undary"}


def test_the_file_is_closed_even_when_sending_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    path = tmp_path / "f.bin"
    path.write_bytes(b"data")
    opened: list[Any] = []
    original = builtins.open

    def open_spy(file: Any, *args: Any, **kwargs: Any) -> Any:
        handle = original(file, *args, **kwargs)
        if str(file) == str(path):
            opened.append(handle)
        return handle

    class Broken(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            raise httpx.WriteError("pipe broke", request=request)

    monkeypatch.setattr(builtins, "open", open_spy)
    with (
        WikiJSClient(
            "http://wiki.test",
            auth=APIKeyAuth("key", verify=False),
            transport=Broken(),
        ) as client,
        pytest.raises(ConnectionLostError, match="pipe broke"),
    ):
        client.assets.upload(path)
    assert len(opened) == 1
    assert opened[0].closed
