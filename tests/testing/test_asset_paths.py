"""Where Wiki.js serves an asset: conformance tests that run on the fake and, with
``--wikijs-url``, on a real Wiki.js."""

from __future__ import annotations

import httpx
import pytest

from wikijs import NotFoundError, WikiJSClient
from wikijs.testing import FakeWikiJS


def test_a_folder_named_like_a_locale_is_reached_behind_a_locale_segment(
    fake: FakeWikiJS,
) -> None:
    # Wiki.js's parsePath takes a first segment shaped like a locale ("dl",
    # "de", "pt-br") for the locale, so /dl/blob.bin looks for blob.bin at
    # the root of the asset tree.
    folder = fake.add_asset_folder("dl")
    fake.add_asset("blob.bin", b"locale-shaped", folder_id=folder)
    headers = {"Authorization": f"Bearer {fake.api_key}"}
    with httpx.Client(base_url=fake.url, transport=fake.sync_transport(), timeout=30) as http:
        assert http.get("/dl/blob.bin", headers=headers).status_code == 404
        found = http.get("/en/dl/blob.bin", headers=headers)
    assert found.status_code == 200
    assert found.content == b"locale-shaped"


def test_the_sdk_downloads_from_a_locale_shaped_folder(fake: FakeWikiJS) -> None:
    folder = fake.add_asset_folder("de")
    asset = fake.add_asset("notes.bin", b"hallo", folder_id=folder)
    with WikiJSClient(fake.url, auth=fake.api_key, transport=fake.sync_transport()) as client:
        assert client.assets.download("de/notes.bin") == b"hallo"
        assert client.assets.download(asset.id) == b"hallo"


def test_an_asset_named_like_a_page_is_not_served(fake: FakeWikiJS) -> None:
    # .md, .html and .txt are the site's pageExtensions: such a URL is a page.
    asset = fake.add_asset("readme.txt", b"plain text", mime="text/plain")
    headers = {"Authorization": f"Bearer {fake.api_key}"}
    with httpx.Client(base_url=fake.url, transport=fake.sync_transport(), timeout=30) as http:
        answer = http.get("/readme.txt", headers=headers)
    assert answer.status_code == 404
    assert "text/html" in answer.headers["content-type"]
    with WikiJSClient(fake.url, auth=fake.api_key, transport=fake.sync_transport()) as client:
        assert [a.id for a in client.assets.list()] == [asset.id]  # listed all the same
        with pytest.raises(NotFoundError, match="pageExtensions"):
            client.assets.download(asset.id)
