"""The sans-I/O HTTP core: every transport feeds requests through :class:`Exchange`.

A driver (httpx transport, ASGI app) calls :meth:`HTTPCore.open` with the
request head, checks :attr:`Exchange.refused`, feeds the body chunk by chunk
with :meth:`Exchange.feed`, and gets an :class:`HTTPResponse` from
:meth:`Exchange.finish`. The response says how long to wait before answering
(``delay``) and whether to cut the connection instead (``action``).
"""

from __future__ import annotations

import html
import json
import mimetypes
import re
import time
import uuid
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Literal
from urllib.parse import parse_qs, unquote

from .._facts import BODY_LIMIT
from ._auth import Principal, check_access
from ._core import Core, bearer_token, cookie_token
from ._errors import js_inspect
from ._faults import Fault, FaultInjector, RequestLog, RequestRecord
from ._graphql import describe, operation_of, run_payload, run_single
from ._multipart import MultipartStream, Part, boundary_of
from ._resolvers import Context
from ._state import Asset, file_ext, sanitize_filename

JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
CHUNK = 64 * 1024

PLAYGROUND = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>GraphQL Playground</title></head>
<body><div id="root">GraphQL Playground (FakeWikiJS)</div></body></html>
"""


@dataclass(frozen=True)
class HTTPRequest:
    """A request head; header names are lower-case."""

    method: str
    path: str
    query: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    client: str = "127.0.0.1"

    def header(self, name: str) -> str | None:
        name = name.lower()
        for key, value in self.headers:
            if key == name:
                return value
        return None

    def header_map(self) -> dict[str, str]:
        return dict(self.headers)


@dataclass
class HTTPResponse:
    """What to send back; ``stream`` is used for bodies read from disk."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    stream: Iterable[bytes] | None = None
    delay: float = 0.0
    # refuse: never reached the server; drop: processed, then the connection was cut;
    # hang: the server never answers (in-process transports raise a read timeout).
    action: Literal["refuse", "drop", "hang"] | None = None

    def chunks(self) -> Generator[bytes, None, None]:
        if self.stream is not None:
            yield from self.stream
        elif self.body:
            yield self.body

    def read(self) -> bytes:
        return b"".join(self.chunks())

    def json(self) -> Any:
        return json.loads(self.read())


def _json(status: int, body: Any, headers: list[tuple[str, str]] | None = None) -> HTTPResponse:
    raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    return HTTPResponse(status, [("content-type", JSON_TYPE), *(headers or [])], raw)


def _text(status: int, text: str, content_type: str = HTML_TYPE) -> HTTPResponse:
    return HTTPResponse(status, [("content-type", content_type)], text.encode())


def _error_page(status: int, message: str) -> HTTPResponse:
    body = (
        "<!DOCTYPE html><html><head><title>Error</title></head>"
        f"<body><h1>{html.escape(message)}</h1></body></html>"
    )
    return _text(status, body)


def json_syntax_error(text: str) -> str:
    """V8's ``JSON.parse`` message as body-parser (strict mode) reports it."""
    stripped = text.lstrip()
    if not stripped:
        return "Unexpected end of JSON input"
    if stripped[0] not in "{[":
        return f'Unexpected token {stripped[0]!r}, "#" is not valid JSON'
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        if error.pos >= len(text):
            return "Unexpected end of JSON input"
        char = text[error.pos]
        snippet = (
            text
            if len(text) <= 40
            else "..." + text[max(0, error.pos - 10) : error.pos + 10] + "..."
        )
        return (
            f"Unexpected token {js_inspect(char)[1:-1]!r}, {json.dumps(snippet)} is not valid JSON"
        )
    return "Unexpected token"


class _Handler:
    def feed(self, chunk: bytes) -> None:
        """Bodies of requests that need none are read and dropped."""

    def names(self) -> tuple[list[str], list[str]]:
        return [], []

    def finish(self) -> HTTPResponse:
        raise NotImplementedError


class _Fixed(_Handler):
    def __init__(self, response: HTTPResponse) -> None:
        self.response = response

    def finish(self) -> HTTPResponse:
        return self.response


class _GraphQLPost(_Handler):
    def __init__(self, http: HTTPCore, request: HTTPRequest) -> None:
        self.http = http
        self.request = request
        self.buffer = bytearray()
        self.too_large = False
        self.payload: Any = None
        self.problem: HTTPResponse | None = None
        self._parsed = False

    def feed(self, chunk: bytes) -> None:
        if self.too_large:
            return
        self.buffer.extend(chunk)
        if len(self.buffer) > BODY_LIMIT:
            self.too_large = True
            self.buffer = bytearray()

    def _parse(self) -> None:
        if self._parsed:
            return
        self._parsed = True
        if self.too_large:
            self.problem = _json(
                413, {"data": {}, "errors": [{"message": "request entity too large", "path": []}]}
            )
            return
        content_type = (self.request.header("content-type") or "").split(";")[0].strip().lower()
        if content_type not in ("application/json", "application/graphql+json") and not (
            content_type.endswith("+json")
        ):
            self.payload = {}
            return
        text = bytes(self.buffer).decode("utf-8", errors="replace")
        if not text.strip():
            self.payload = {}
            return
        try:
            if text.lstrip()[0] not in "{[":
                raise ValueError("strict")
            self.payload = json.loads(text)
        except ValueError:
            self.problem = _json(
                400, {"data": {}, "errors": [{"message": json_syntax_error(text), "path": []}]}
            )

    def names(self) -> tuple[list[str], list[str]]:
        self._parse()
        items = self.payload if isinstance(self.payload, list) else [self.payload]
        operations: list[str] = []
        fields: list[str] = []
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("query"), str):
                operation = operation_of(item["query"], item.get("operationName"))
                if operation is not None:
                    if operation.name is not None:
                        operations.append(operation.name.value)
                    fields.extend(describe(operation))
        return operations, fields

    def finish(self) -> HTTPResponse:
        self._parse()
        if self.problem is not None:
            return self.problem
        return self.http.run_graphql(self.request, lambda ctx: run_payload(self.payload, ctx))


class _GraphQLGet(_Handler):
    def __init__(self, http: HTTPCore, request: HTTPRequest) -> None:
        self.http = http
        self.request = request
        self.params = {k: v[-1] for k, v in parse_qs(request.query, keep_blank_values=True).items()}

    def names(self) -> tuple[list[str], list[str]]:
        operation = operation_of(self.params.get("query", ""), self.params.get("operationName"))
        if operation is None:
            return [], []
        return ([operation.name.value] if operation.name else []), describe(operation)

    def finish(self) -> HTTPResponse:
        if "query" not in self.params:
            if "text/html" in (self.request.header("accept") or ""):
                return HTTPResponse(200, [("content-type", "text/html")], PLAYGROUND.encode())
            return _text(400, "GET query missing.")
        return self.http.run_graphql(
            self.request, lambda ctx: run_single(self.params, ctx, via_get=True)
        )


class _Upload(_Handler):
    """``POST /u`` (``server/controllers/upload.js``)."""

    def __init__(self, http: HTTPCore, request: HTTPRequest, user: Principal) -> None:
        self.http = http
        self.user = user
        boundary = boundary_of(request.header("content-type") or "")
        self.stream = (
            MultipartStream(boundary, http.core.files, http.spool_threshold) if boundary else None
        )

    def feed(self, chunk: bytes) -> None:
        if self.stream is not None:
            self.stream.feed(chunk)

    def finish(self) -> HTTPResponse:
        stream = self.stream
        parts = stream.finish() if stream is not None else []
        try:
            return self._store(parts, stream.error if stream else None)
        finally:
            for part in parts:
                part.discard()

    def _store(self, parts: list[Part], error: str | None) -> HTTPResponse:
        def fail(status: int, message: str) -> HTTPResponse:
            return _json(status, {"succeeded": False, "message": message})

        if self.stream is None:
            # multer skips a body that is not multipart; the route then reads
            # req.files.length of undefined in an async handler Express does not
            # watch, and the request is never answered.
            return HTTPResponse(0, action="hang")
        if error is not None:
            return _error_page(500, "Unexpected end of form")  # multer's error, Express's page
        files = [p for p in parts if p.filename is not None]
        if any(p.name != "mediaUpload" for p in files):
            return _error_page(500, "Unexpected field")
        if not files:
            return fail(400, "Missing upload payload.")
        if len(files) > 1:
            return fail(400, "You cannot upload multiple files within the same request.")
        meta = [p for p in parts if p.filename is None and p.name == "mediaUpload"]
        try:
            if not meta:
                raise ValueError("Missing File Metadata")
            folder_id = json.loads(meta[-1].text()).get("folderId")
            if folder_id is not None and not isinstance(folder_id, int):
                raise ValueError("folderId")
        except (ValueError, AttributeError):
            return fail(400, "Missing upload folder metadata.")
        core = self.http.core
        state = core.state
        with state.lock:
            folder = folder_id if folder_id else None
            if folder is not None and folder not in state.folders:
                return _text(200, "ok")  # the insert fails silently in Wiki.js
            folder_path = state.folder_path(folder)
            for part in files:
                original = part.filename or ""
                name = sanitize_filename(original)
                asset_path = f"{folder_path}/{name}" if folder_path else name
                if not check_access(state, self.user, ["write:assets"], {"path": asset_path}):
                    return fail(403, "You are not authorized to upload files to this folder.")
                self._save(part, name, file_ext(original), folder)
        return _text(200, "ok")

    def _save(self, part: Part, name: str, ext: str, folder: int | None) -> None:
        core = self.http.core
        state = core.state
        mime = part.content_type or "application/octet-stream"
        now = core.iso()
        blob = core.files / f"asset-{uuid.uuid4().hex}"
        part.save_to(blob)
        existing = next(
            (a for a in state.assets.values() if a.folder_id == folder and a.filename == name),
            None,
        )
        if existing is not None:
            existing.blob.unlink(missing_ok=True)
            existing.blob = blob
            existing.file_size = part.size
            existing.mime = mime
            existing.kind = "image" if mime.startswith("image/") else "binary"
            existing.updated_at = now
            return
        asset = Asset(
            id=state.next_id("assets"),
            filename=name,
            ext=ext,
            kind="image" if mime.startswith("image/") else "binary",
            mime=mime,
            file_size=part.size,
            folder_id=folder,
            author_id=self.user.id,
            created_at=now,
            updated_at=now,
            blob=blob,
        )
        state.assets[asset.id] = asset


def _file_chunks(handle: BinaryIO) -> Iterator[bytes]:
    with handle:
        while chunk := handle.read(CHUNK):
            yield chunk


class Exchange:
    """One request in flight."""

    def __init__(self, http: HTTPCore, request: HTTPRequest) -> None:
        self.http = http
        self.request = request
        self.fault: Fault | None = http.faults.take_for_head(request.path)
        self.refused: bool = self.fault is not None and self.fault.kind == "refuse"
        self._handler: _Handler | None = None
        if self.refused:
            http.log.add(RequestRecord(request.method, request.path, status=None, fault="refuse"))
        elif self.fault is None or self.fault.kind != "http":
            self._handler = http.route(request)

    def feed(self, chunk: bytes) -> None:
        if self._handler is not None:
            self._handler.feed(chunk)

    def finish(self) -> HTTPResponse:
        http = self.http
        request = self.request
        fault = self.fault
        if fault is not None and fault.kind == "refuse":
            return HTTPResponse(0, action="refuse")
        operations: list[str] = []
        fields: list[str] = []
        if self._handler is not None:
            operations, fields = self._handler.names()
        if fault is None and http.faults.pending and self._handler is not None:
            fault = http.faults.take_for_body(request.path, [*operations, *fields])
        if fault is not None and fault.kind == "http":
            response = HTTPResponse(
                fault.status, [("content-type", "text/plain"), *fault.headers], fault.body
            )
        elif fault is not None and fault.kind == "refuse":
            response = HTTPResponse(0, action="refuse")
        else:
            assert self._handler is not None
            response = self._handler.finish()
            if fault is not None and fault.kind == "drop_after":
                response.action = "drop"
            elif fault is not None and fault.kind == "stall":
                response.delay += fault.delay
        response.delay += http.latency
        http.log.add(
            RequestRecord(
                request.method,
                request.path,
                tuple(operations),
                tuple(fields),
                None if response.action else response.status,
                fault.kind if fault else None,
            )
        )
        return response


class HTTPCore:
    """Routes, authentication and GraphQL over HTTP for one fake server."""

    def __init__(self, core: Core, faults: FaultInjector, log: RequestLog) -> None:
        self.core = core
        self.faults = faults
        self.log = log
        self.latency: float = 0.0
        self.spool_threshold = 1024 * 1024

    def open(self, request: HTTPRequest) -> Exchange:
        return Exchange(self, request)

    def handle(self, request: HTTPRequest, body: bytes | Iterable[bytes] = b"") -> HTTPResponse:
        """Run one request to completion (no delays applied)."""
        exchange = self.open(request)
        if exchange.refused:
            return HTTPResponse(0, action="refuse")
        for chunk in [body] if isinstance(body, bytes) else body:
            exchange.feed(chunk)
        return exchange.finish()

    # -- routing -------------------------------------------------------------------

    def route(self, request: HTTPRequest) -> _Handler:
        method, path = request.method.upper(), request.path
        if path == "/graphql":
            if method == "POST":
                return _GraphQLPost(self, request)
            if method == "GET":
                return _GraphQLGet(self, request)
            return _Fixed(_text(405, "Method Not Allowed"))
        if path == "/u" and method == "POST":
            token = bearer_token(request.header_map())
            with self.core.state.lock:
                outcome = self.core.authenticate(token)
            if outcome.error is not None:
                return _Fixed(_error_page(500, outcome.error))
            assert outcome.principal is not None
            if not check_access(self.core.state, outcome.principal, ["write:assets"]):
                return _Fixed(
                    _json(
                        403,
                        {"succeeded": False, "message": "You are not authorized to upload files."},
                    )
                )
            return _Upload(self, request, outcome.principal)
        if path == "/healthz" and method == "GET":
            return _Fixed(_json(200, {"ok": True}))
        if method in ("GET", "HEAD"):
            return _Fixed(self._download(request))
        return _Fixed(_text(404, "Not Found"))

    def _principal(self, request: HTTPRequest) -> tuple[Principal | None, str | None, str | None]:
        headers = request.header_map()
        token = bearer_token(headers) or cookie_token(headers)
        outcome = self.core.authenticate(token)
        return outcome.principal, outcome.error, outcome.new_token

    def run_graphql(self, request: HTTPRequest, run: Any) -> HTTPResponse:
        """Authenticate, execute under the state lock, and shape the HTTP answer."""
        arrived = time.monotonic()
        with self.core.state.lock:
            principal, error, new_token = self._principal(request)
            if error is not None:
                return _json(500, {"data": {}, "errors": [{"message": error, "path": []}]})
            assert principal is not None
            ctx = Context(self.core, principal, request.client, arrived=arrived)
            answer = run(ctx)
        headers = list(answer.headers)
        if new_token:
            if request.header("content-type") == "application/json":
                headers.append(("new-jwt", new_token))
            else:
                headers.append(("set-cookie", f"jwt={new_token}; Path=/; Max-Age=31536000"))
        headers.extend(ctx.response_headers)
        if answer.is_text:
            response = _text(answer.status, str(answer.body))
            response.headers.extend(headers)
            return response
        return _json(answer.status, answer.body, headers)

    def _download(self, request: HTTPRequest) -> HTTPResponse:
        wanted = unquote(request.path).strip("/").lower()
        if not wanted or "." not in wanted.rsplit("/", 1)[-1]:
            return _text(404, "Not Found")
        # As Wiki.js's parsePath: a first segment shaped like a locale is the
        # locale, not a folder (so /dl/x.bin looks for x.bin at the root, and
        # /en/dl/x.bin finds dl/x.bin).
        first, _, rest = wanted.partition("/")
        if rest and _LOCALE_SEGMENT.match(first):
            wanted = rest
        # A path ending in one of the site's pageExtensions names a page.
        extensions = str(self.core.state.site.get("pageExtensions") or "").split(",")
        if wanted.rsplit(".", 1)[-1] in {e.strip().lower() for e in extensions if e.strip()}:
            return _error_page(404, "This page does not exist yet.")
        state = self.core.state
        extensions = str(state.site.get("pageExtensions", "md,html,txt")).split(",")
        if any(wanted.endswith(f".{ext.strip()}") for ext in extensions if ext.strip()):
            # Wiki.js serves these as pages (the extension stripped), never as assets;
            # the fake renders no pages.
            return _error_page(404, "Page Not Found")
        with state.lock:
            principal, error, _ = self._principal(request)
            if error is not None:
                return _error_page(500, error)
            asset = next((a for a in state.assets.values() if state.asset_path(a) == wanted), None)
            if asset is None:
                return _text(404, "Not Found", "text/plain; charset=utf-8")
            assert principal is not None
            if not check_access(state, principal, ["read:assets"], {"path": wanted}):
                return _text(403, "Forbidden", "text/plain; charset=utf-8")
            # Wiki.js answers res.type(asset.ext): the type follows the extension, not the
            # type the file was uploaded with, and text types get Express's charset.
            mime = mimetypes.guess_type(f"x{asset.ext}")[0] or "application/octet-stream"
            if mime.startswith("text/"):
                mime += "; charset=utf-8"
            headers = [
                ("content-type", mime),
                ("cache-control", "public, max-age=0"),
                ("content-length", str(asset.file_size)),
            ]
            if request.method.upper() == "HEAD":
                return HTTPResponse(200, headers)
            return HTTPResponse(200, headers, stream=_file_chunks(asset.blob.open("rb")))


_HEADER_RE = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_LOCALE_SEGMENT = re.compile(r"^[a-z]{2}(-[a-z]{2})?$")


def make_request(
    method: str,
    target: str,
    headers: Iterable[tuple[str, str]] = (),
    client: str = "127.0.0.1",
) -> HTTPRequest:
    """Build an :class:`HTTPRequest` from a request target such as ``/graphql?query=...``."""
    path, _, query = target.partition("?")
    clean = tuple((k.lower(), v) for k, v in headers if _HEADER_RE.match(k))
    return HTTPRequest(method.upper(), path or "/", query, clean, client)
