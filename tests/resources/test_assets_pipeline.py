"""Uploads, downloads and the health check go through the middleware chain like any
operation: plugins see them, the rate limiter counts them, the retry layer
sends them again when that is safe, and an upload invalidates the cache."""

from __future__ import annotations

from typing import Any

import pytest

from wikijs.cache import MemoryCache
from wikijs.errors import HTTPStatusError
from wikijs.middleware import RateLimiter, RetryStrategy
from wikijs.plugins import ResponseInfo
from wikijs.testing import FakeWikiJS, Fault

FAST = RetryStrategy(initial_delay=0)


class Recorder:
    def __init__(self) -> None:
        self.seen: list[tuple[str, str, str, int]] = []

    def before_request(self, method: str, url: str, **kwargs: Any) -> None:
        request = kwargs["request"]
        self.seen.append((request.operation, request.kind, method, request.attempt))

    def after_request(self, response: ResponseInfo) -> None:
        pass


def sent(fake: FakeWikiJS, path: str) -> int:
    return sum(1 for r in fake.requests if r.path == path)


def test_plugins_see_uploads_downloads_and_health(make_wiki: Any, fake: FakeWikiJS) -> None:
    recorder = Recorder()
    wiki = make_wiki(plugins=[recorder])
    # (.txt would be served as a page: Wiki.js's pageExtensions)
    asset = wiki.assets.upload(b"hello", filename="hello.bin")
    assert wiki.assets.download(asset) == b"hello"
    assert wiki.health().reachable
    seen = {(name, kind, method) for name, kind, method, _ in recorder.seen}
    assert ("UploadAsset", "mutation", "POST") in seen
    assert ("DownloadAsset", "query", "GET") in seen
    assert ("Health", "query", "GET") in seen


def test_an_upload_that_never_left_is_sent_again_and_lands_once(
    fake: FakeWikiJS, tmp_path: Any
) -> None:
    # In process, a refused connection provably carried nothing: safe to send again.
    from wikijs import WikiJSClient

    source = tmp_path / "notes.txt"
    source.write_bytes(b"x" * 5000)
    with WikiJSClient(
        fake.url, auth=fake.api_key, transport=fake.sync_transport(), retry_strategy=FAST
    ) as client:
        client.assets.list()
        fake.faults.push(Fault.refuse(path="/u"))
        asset = client.assets.upload(file_path=source)
        assert asset.file_size == 5000
        assert [a.filename for a in client.assets.list()] == ["notes.txt"]
    assert sent(fake, "/u") == 2


async def test_an_upload_cut_on_a_real_socket_is_sent_again_and_lands_once(
    fake: FakeWikiJS,
) -> None:
    # An upload of a name that exists replaces that asset (server/models/assets.js,
    # `upload`): sending it twice leaves the folder as sending it once.
    from wikijs.aio import AsyncWikiJSClient

    async with AsyncWikiJSClient(
        fake.url, auth=fake.api_key, http_client=fake.aiohttp_session, retry_strategy=FAST
    ) as client:
        await client.assets.list()
        fake.faults.push(Fault.refuse(path="/u"))
        asset = await client.assets.upload(b"x" * 5000, filename="notes.txt")
        assert asset.file_size == 5000
        assert [a.filename for a in await client.assets.list()] == ["notes.txt"]
    assert sent(fake, "/u") == 2


def test_an_upload_answered_503_is_sent_again_and_lands_once(
    make_wiki: Any, fake: FakeWikiJS
) -> None:
    wiki = make_wiki(retry_strategy=FAST)
    fake.faults.push(Fault.http(503, path="/u"))
    wiki.assets.upload(b"once", filename="once.txt")
    assert sent(fake, "/u") == 2
    assert [a.filename for a in wiki.assets.list()] == ["once.txt"]


def test_an_upload_answered_503_is_not_repeated_when_retries_are_off(
    make_wiki: Any, fake: FakeWikiJS
) -> None:
    wiki = make_wiki(retry_strategy=None)
    fake.faults.push(Fault.http(503, path="/u"))
    with pytest.raises(HTTPStatusError):
        wiki.assets.upload(b"once", filename="once.txt")
    assert sent(fake, "/u") == 1


def test_a_download_answered_503_is_retried(make_wiki: Any, fake: FakeWikiJS) -> None:
    wiki = make_wiki(retry_strategy=FAST)
    asset = wiki.assets.upload(b"payload", filename="file.bin")
    fake.reset_log()
    fake.faults.push(Fault.http(503, path="/file.bin"))
    assert wiki.assets.download(asset) == b"payload"
    assert sent(fake, "/file.bin") == 2


def test_the_rate_limiter_counts_uploads(make_wiki: Any, fake: FakeWikiJS) -> None:
    limiter = RateLimiter(
        endpoint_limits={"UploadAsset": 1}, burst_size=1, on_limit="raise", default_rps=1000
    )
    wiki = make_wiki(rate_limiter=limiter)
    wiki.assets.upload(b"a", filename="a.txt")
    from wikijs.errors import RateLimitExceededError

    with pytest.raises(RateLimitExceededError) as refused:
        wiki.assets.upload(b"b", filename="b.txt")
    assert refused.value.operation == "UploadAsset"


def test_an_upload_invalidates_cached_listings(make_wiki: Any, fake: FakeWikiJS) -> None:
    wiki = make_wiki(cache=MemoryCache())
    assert wiki.assets.list() == []
    wiki.assets.upload(b"new", filename="new.txt")
    assert [a.filename for a in wiki.assets.list()] == ["new.txt"]
