"""Replay the 76 transcripts recorded from a real Wiki.js 2.5.314 against the fake.

One fake is seeded to the recorded server's starting state (page 1 from an
earlier run with one history entry, tags ``sdk``/``test``, the administrator
having logged in once) and the transcripts run in order. Each answer is
compared with the recording after normalising what cannot match: dates,
page hashes, keys and tokens, and stack traces past their first line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from wikijs.testing import FakeClock, FakeWikiJS

TRANSCRIPTS: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent.parent / "data" / "transcripts-2.5.314.json").read_text()
)

# Transcripts replayed with a concrete request because the recording abbreviates it.
SUBSTITUTED = {
    72: "the recorded query is the placeholder 'mutation {...}'; a real mutation is sent",
}
# Transcripts whose bodies were not recorded: only status and content type compare.
BODY_NOT_RECORDED = {49, 73}

# Between transcripts 1 and 2 the recorder deleted its probe page (id 3): the
# listings in transcripts 6, 53-55 and 67 show only pages 1 and 2, and
# transcript 20 creates page 4.
DELETE_PROBE_AFTER = 1

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
_HASH = re.compile(r"^[0-9a-f]{40}$")
_SECRET_KEYS = {"key", "keyShort", "jwt"}
PNG_70 = b"\x89PNG\r\n\x1a\n" + bytes(62)


def normalise(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: normalise(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, str):
        if key in _SECRET_KEYS:
            return "<secret>"
        if key == "stack":
            return value.split("\n", 1)[0]
        if _DATE.match(value):
            return "<date>"
        if _HASH.match(value):
            return "<hash>"
    return value


def multipart(parts: list[dict[str, Any]]) -> tuple[bytes, str]:
    boundary = "fakewikijsboundary"
    out = b""
    for part in parts:
        disposition = f'form-data; name="{part["name"]}"'
        headers = ""
        if "filename" in part:
            disposition += f'; filename="{part["filename"]}"'
            headers = f"Content-Type: {part.get('content_type', 'application/octet-stream')}\r\n"
            body = PNG_70
        else:
            body = part["value"].encode()
        out += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n{headers}\r\n".encode()
        out += body + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return out, f"multipart/form-data; boundary={boundary}"


DEFAULT_UPLOAD = [
    {"name": "mediaUpload", "value": '{"folderId": 0}'},
    {"name": "mediaUpload", "filename": "anon.png", "content_type": "image/png"},
]


class Replayer:
    def __init__(self, fake: FakeWikiJS) -> None:
        self.fake = fake
        self.limited_key: str | None = None
        self.client = httpx.Client(base_url=fake.url, transport=fake.sync_transport())

    def token_for(self, index: int) -> str:
        if index == 53:
            return "garbage.token.here"
        if index == 54:
            head, body, signature = self.fake.api_key.split(".")
            flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
            return f"{head}.{body}.{flipped}"
        assert self.limited_key is not None, f"transcript {index} needs the limited key"
        return self.limited_key

    def send(self, index: int, transcript: dict[str, Any]) -> httpx.Response:
        request = transcript["request"]
        headers: dict[str, str] = {}
        for name, value in request["headers"].items():
            value = value.replace("<API_KEY>", self.fake.api_key)
            if "<TOKEN>" in value:
                value = value.replace("<TOKEN>", self.token_for(index))
            headers[name] = value
        body = request.get("body")
        url = request["url"]
        if index == 72:
            url = (
                "/graphql?query=mutation { pages { flushCache { responseResult { succeeded } } } }"
            )
        if isinstance(body, dict) and "multipart" in body:
            parts = body["multipart"] if isinstance(body["multipart"], list) else DEFAULT_UPLOAD
            content, content_type = multipart(parts)
            headers["Content-Type"] = content_type
            return self.client.request(request["method"], url, headers=headers, content=content)
        if isinstance(body, str):
            return self.client.request(request["method"], url, headers=headers, content=body)
        if body is None:
            return self.client.request(request["method"], url, headers=headers)
        return self.client.request(
            request["method"], url, headers=headers, content=json.dumps(body).encode()
        )


def seed_recorded_start(fake: FakeWikiJS) -> None:
    """The recorded server had run the suite once before (page 1, history 1)."""
    content = "# Hello\n\nSome **markdown** body text zebra."
    page = fake.add_page(
        "sdk-test/hello-8100ed",
        title="Hello SDK",
        description="A test page",
        content=content,
        tags=["sdk", "test"],
    )
    fake.edit_page(page.id, content)
    fake.user_token(1)  # the administrator logged in before creating the API key
    fake.core.state.api_keys[1].name = "sdk-tests"


@pytest.fixture(scope="module")
def replayed() -> Iterator[dict[int, httpx.Response]]:
    fake = FakeWikiJS(clock=FakeClock(start=1_795_000_000.0))
    seed_recorded_start(fake)
    replayer = Replayer(fake)
    answers: dict[int, httpx.Response] = {}
    for index, transcript in enumerate(TRANSCRIPTS):
        response = replayer.send(index, transcript)
        response.read()
        answers[index] = response
        if index == 65:
            replayer.limited_key = response.json()["data"]["authentication"]["createApiKey"]["key"]
        if index == DELETE_PROBE_AFTER:
            del fake.core.state.pages[3]
    yield answers
    replayer.client.close()
    fake.close()


def _media_type(value: str) -> str:
    return value.split(";")[0].strip().lower()


@pytest.mark.parametrize(
    "index",
    range(len(TRANSCRIPTS)),
    ids=[f"{i:02d}-{t['title']}" for i, t in enumerate(TRANSCRIPTS)],
)
def test_transcript_matches(replayed: dict[int, httpx.Response], index: int) -> None:
    expected = TRANSCRIPTS[index]["response"]
    actual = replayed[index]
    assert actual.status_code == expected["status"]
    expected_type = expected["headers"].get("Content-Type")
    if expected_type:
        assert _media_type(actual.headers["content-type"]) == _media_type(expected_type)
    if index in BODY_NOT_RECORDED:
        return
    body = expected["body"]
    if isinstance(body, str):
        assert actual.text == body
        return
    assert normalise(actual.json()) == normalise(body)


def test_every_transcript_is_replayed_or_explained() -> None:
    assert len(TRANSCRIPTS) == 76
    assert set(SUBSTITUTED) | BODY_NOT_RECORDED <= set(range(len(TRANSCRIPTS)))
