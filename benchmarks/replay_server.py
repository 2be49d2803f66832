"""A minimal loopback HTTP/1.1 server that answers every POST with one recorded body.

Cheaper than the fake Wiki.js (no GraphQL execution), so a benchmark's
client-side cost dominates. Run it in its own process:

    python benchmarks/replay_server.py --port 0      # prints the URL
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
from pathlib import Path

ANSWER = {
    "data": {
        "pages": {
            "single": {
                "id": 2,
                "path": "sdk-test/hello-59d2de",
                "locale": "en",
                "hash": "6bb99301a53b2ffde518e76b35472ae5b70445a8",
                "title": "Hello SDK",
                "description": "A test page",
                "isPrivate": False,
                "isPublished": True,
                "privateNS": None,
                "publishStartDate": "",
                "publishEndDate": "",
                "tags": [
                    {
                        "id": 1,
                        "tag": "sdk",
                        "title": "sdk",
                        "createdAt": "2026-11-26T04:20:36.588Z",
                        "updatedAt": "2026-11-26T04:20:36.588Z",
                    },
                    {
                        "id": 2,
                        "tag": "test",
                        "title": "test",
                        "createdAt": "2026-11-26T04:20:36.588Z",
                        "updatedAt": "2026-11-26T04:20:36.588Z",
                    },
                ],
                "content": "# Hello\n\nSome **markdown** body text zebra.",
                "render": (
                    '<h1 id="hello" class="toc-header"><a class="toc-anchor" href="#hello">'
                    "\u00b6</a> Hello</h1>\n"
                    "<p>Some <strong>markdown</strong> body text zebra.</p>\n"
                ),
                "contentType": "markdown",
                "editor": "markdown",
                "scriptCss": "",
                "scriptJs": "",
                "createdAt": "2026-11-26T04:20:51.445Z",
                "updatedAt": "2026-11-26T04:20:52.823Z",
                "authorId": 1,
                "authorName": "Administrator",
                "authorEmail": "admin@example.com",
                "creatorId": 1,
                "creatorName": "Administrator",
                "creatorEmail": "admin@example.com",
            }
        }
    }
}
PROFILE = {
    "data": {
        "users": {
            "profile": {
                "id": 1,
                "name": "Administrator",
                "email": "admin@example.com",
                "providerKey": "local",
                "providerName": "Local",
                "isSystem": False,
                "isVerified": True,
                "location": "",
                "jobTitle": "",
                "timezone": "UTC",
                "dateFormat": "",
                "appearance": "",
                "createdAt": "2026-11-26T04:18:54.634Z",
                "updatedAt": "2026-11-26T04:18:54.634Z",
                "lastLoginAt": None,
                "groups": ["Administrators"],
                "pagesTotal": 2,
            }
        }
    }
}


def _response(body: bytes) -> bytes:
    head = (
        "HTTP/1.1 200 OK\r\n"
        "Content-Type: application/json; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Connection: keep-alive\r\n\r\n"
    )
    return head.encode() + body


PAGE_RESPONSE = _response(json.dumps(ANSWER).encode())
PROFILE_RESPONSE = _response(json.dumps(PROFILE).encode())


class Replay(asyncio.Protocol):
    def __init__(self, delay: float) -> None:
        self.buffer = b""
        self.delay = delay

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].decode("latin-1")
            length = 0
            for line in head.split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            if len(self.buffer) < end + 4 + length:
                return
            body = self.buffer[end + 4 : end + 4 + length]
            self.buffer = self.buffer[end + 4 + length :]
            answer = PROFILE_RESPONSE if b"GetProfile" in body else PAGE_RESPONSE
            if self.delay:
                asyncio.get_running_loop().call_later(self.delay, self.transport.write, answer)  # type: ignore[attr-defined]
            else:
                self.transport.write(answer)  # type: ignore[attr-defined]


async def serve(host: str, port: int, delay: float) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Replay(delay), host, port, backlog=1024)
    bound = server.sockets[0].getsockname()[1]
    print(f"http://{host}:{bound}", flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay-ms", type=float, default=0.0, help="added latency per answer")
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.host, args.port, args.delay_ms / 1000))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
