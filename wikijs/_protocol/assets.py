"""Assets: stored names, folder paths, the ``/u`` multipart body and its answer. Pure: no I/O.

Uploads are not GraphQL. ``POST /u`` takes a multipart body with two parts
both named ``mediaUpload``: a JSON text part ``{"folderId": N}`` (0 is the
root), then the file. Success is HTTP 200 with the text ``ok`` and no id, so
the client lists the folder afterwards and finds the file by the name the
server stored it under (:func:`stored_filename`).
"""

from __future__ import annotations

import html
import mimetypes
import re
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import orjson

from .._facts import LOCALE_SEGMENT, stored_filename
from .._facts import sanitize_filename as sanitize
from ..errors import (
    AuthenticationError,
    HTTPStatusError,
    InputRejectedError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    ResponseError,
    WikiJSError,
)
from . import validation as v
from .options import asset_kind
from .responses import excerpt, status_error

UPLOAD_FIELD = "mediaUpload"
ROOT_FOLDER_ID = 0
DEFAULT_CHUNK_SIZE = 256 * 1024


def file_extension(filename: str) -> str:
    """Node's ``path.extname``, lower-cased: ``.png``, or ``""``."""
    index = filename.rfind(".")
    return filename[index:].lower() if index > 0 else ""


def check_upload_name(value: Any, name: str = "filename") -> tuple[str, str]:
    """The name to send and the name the server will store, or ValidationError."""
    text = v.check_text(value, name, allow_empty=False).strip()
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    stored = stored_filename(text)
    if not stored:
        raise InvalidArgumentError(
            f"{name} {value!r} is empty once Wiki.js sanitises it", field=name
        )
    return text, stored


def check_new_name(value: Any, name: str = "filename") -> str:
    """A rename target as Wiki.js will store it (sanitised and lower-cased)."""
    text = v.check_text(value, name, allow_empty=False).strip()
    if "/" in text or "\\" in text:
        raise InvalidArgumentError(f"{name} cannot contain a folder: {text!r}", field=name)
    stored = sanitize(text).lower()
    if len(stored) < 2 or stored != text.lower():
        raise InvalidArgumentError(
            f"{name} {text!r} has characters Wiki.js does not allow in file names", field=name
        )
    return stored


def check_kind(value: Any, name: str = "kind") -> str:
    """``"image"``, ``"binary"``, ``"all"`` or an ``AssetKind`` → its value (see ``options.py``)."""
    return asset_kind(value)


# -- folders ---------------------------------------------------------------------


def folder_segments(value: Any, name: str = "folder") -> list[str]:
    """``"/images/2026/"`` → ``["images", "2026"]``; ``"/"`` or ``""`` → the root ``[]``.

    Folder slugs are stored lower-cased, so lookups are case-insensitive.
    """
    text = v.check_text(value, name).strip().replace("\\", "/")
    segments = [segment.strip() for segment in text.split("/") if segment.strip()]
    for segment in segments:
        if segment in (".", ".."):
            raise InvalidArgumentError(f"{name} {text!r} cannot contain {segment!r}", field=name)
    return [segment.lower() for segment in segments]


def check_folder_slug(value: str, name: str = "folder") -> str:
    """A folder name Wiki.js keeps as given (so it can be found again by path)."""
    if any(ch.isspace() for ch in value):
        raise InvalidArgumentError(f"folder name {value!r} contains whitespace", field=name)
    if sanitize(value) != value:
        raise InvalidArgumentError(
            f"folder name {value!r} has characters Wiki.js removes from names", field=name
        )
    return value


def join_path(*parts: str) -> str:
    """Folder slugs and a file name joined with ``/`` (no leading slash)."""
    return "/".join(part for part in parts if part)


# Wiki.js reads a first path segment shaped like a locale ("en", "de", "pt-br")
# as the locale, not as a folder (server/helpers/page.js, parsePath).
_LOCALE_SEGMENT = LOCALE_SEGMENT


def download_path(folder_path: str, filename: str, locale: str = "en") -> str:
    """The URL path an asset is served at: ``/<folder-slugs>/<filename>``, quoted.

    An asset whose first folder looks like a locale code (``dl/file.bin``)
    is not found at ``/dl/file.bin``: Wiki.js takes ``dl`` for the locale.
    A locale segment in front (``/en/dl/file.bin``) reaches it; Wiki.js
    ignores the locale of an asset path otherwise.
    """
    path = join_path(folder_path, filename)
    first = path.split("/", 1)[0]
    if "/" in path and _LOCALE_SEGMENT.match(first):
        path = f"{locale}/{path}"
    return "/" + quote(path, safe="/")


def check_asset_path(value: Any, name: str = "path") -> str:
    """A path such as ``images/logo.png`` (folders, then the file name)."""
    segments = folder_segments(value, name)
    if not segments:
        raise InvalidArgumentError(
            f"{name} must name a file, such as 'images/logo.png'", field=name
        )
    return "/".join(segments)


@dataclass(frozen=True)
class AssetFolderNode:
    """One folder of the asset tree, with its full path and its sub-folders.

    Attributes:
        id: the folder id (use as ``folder_id``).
        slug: its name in paths.
        name: its display name (Wiki.js 2.5 sets it to the slug).
        path: slugs from the root, e.g. ``images/2026``.
        parent_id: the parent folder's id, ``0`` for the root.
        children: sub-folders, in id order.
    """

    id: int
    slug: str
    name: str | None
    path: str
    parent_id: int = ROOT_FOLDER_ID
    children: tuple[AssetFolderNode, ...] = field(default=(), repr=False)

    def walk(self) -> Iterator[AssetFolderNode]:
        """This folder, then every folder below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


def find_child(folders: Sequence[Any], slug: str) -> Any | None:
    """The folder among ``folders`` with this slug (case-insensitive)."""
    wanted = slug.lower()
    for folder in folders:
        if folder.slug.lower() == wanted:
            return folder
    return None


# -- the multipart body -------------------------------------------------------------


def _quote_disposition(value: str) -> str:
    # What browsers do (HTML's multipart/form-data encoding algorithm).
    return value.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def guess_content_type(filename: str) -> str:
    """The part's Content-Type; Wiki.js files ``image/*`` as images, the rest as binaries."""
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def check_content_type(value: Any, name: str = "content_type") -> str:
    text = v.check_text(value, name, allow_empty=False).strip()
    if "/" not in text or any(ch in text for ch in "\r\n"):
        raise InvalidArgumentError(f"{name} {text!r} is not a media type", field=name)
    return text


@dataclass(frozen=True)
class MultipartPlan:
    """The bytes around a streamed file: everything but the file is known upfront.

    Attributes:
        boundary: the multipart boundary.
        head: the folder part and the file part's headers.
        tail: the closing boundary.
    """

    boundary: str
    head: bytes
    tail: bytes

    @classmethod
    def build(
        cls, folder_id: int, filename: str, content_type: str, boundary: str | None = None
    ) -> MultipartPlan:
        boundary = boundary or secrets.token_hex(16)
        dash = f"--{boundary}\r\n".encode()
        meta = orjson.dumps({"folderId": folder_id})
        head = b"".join(
            [
                dash,
                f'Content-Disposition: form-data; name="{UPLOAD_FIELD}"\r\n\r\n'.encode(),
                meta,
                b"\r\n",
                dash,
                (
                    f'Content-Disposition: form-data; name="{UPLOAD_FIELD}"; '
                    f'filename="{_quote_disposition(filename)}"\r\n'
                ).encode(),
                f"Content-Type: {content_type}\r\n\r\n".encode(),
            ]
        )
        tail = f"\r\n--{boundary}--\r\n".encode()
        return cls(boundary, head, tail)

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def content_length(self, file_size: int) -> int:
        return len(self.head) + file_size + len(self.tail)

    def headers(self, file_size: int | None) -> dict[str, str]:
        """The request's Content-Type and, when the file's size is known, Content-Length."""
        headers = {"Content-Type": self.content_type}
        if file_size is not None:
            headers["Content-Length"] = str(self.content_length(file_size))
        return headers


# -- answers ---------------------------------------------------------------------------


_REASON = re.compile(rb'class="app-error".*?<span>([^<]{1,300})</span>', re.DOTALL)


def _error_page_reason(body: bytes) -> str:
    """What Wiki.js's HTML error page says went wrong (or the start of the body)."""
    match = _REASON.search(body[:65536])
    if match:
        return html.unescape(match.group(1).decode("utf-8", "replace"))
    return excerpt(body)


def upload_error(status_code: int, body: bytes, operation: str = "Upload") -> WikiJSError | None:
    """None for ``200 ok``; otherwise the typed error for what ``/u`` answered."""
    if status_code == 200:
        return None
    message = None
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        payload = None
    if isinstance(payload, dict):
        raw = payload.get("message")
        message = raw if isinstance(raw, str) and raw else None
        if message is None:
            errors = payload.get("errors")
            if isinstance(errors, list) and errors and isinstance(errors[0], dict):
                first = errors[0].get("message")
                message = first if isinstance(first, str) else None
    if status_code == 403:
        return PermissionDeniedError(
            message or "the credentials may not upload files here",
            operation=operation,
            status_code=status_code,
        )
    if status_code == 413:
        return InputRejectedError(
            message or "the file is larger than the server accepts",
            operation=operation,
            status_code=status_code,
        )
    if status_code == 400:
        return InputRejectedError(
            message or "the server refused the upload",
            operation=operation,
            status_code=status_code,
        )
    if status_code == 500:
        # Wiki.js renders failures as an HTML page whose <span> says what went
        # wrong: a revoked key, a disabled API, or multer's upload limits.
        text = message or _error_page_reason(body)
        for marker in ("API Key is invalid or was revoked.", "API is disabled"):
            if marker in text:
                return AuthenticationError(
                    message or marker, operation=operation, status_code=status_code
                )
        if "File too large" in text:
            return InputRejectedError(
                "the file is larger than the wiki accepts (the site setting "
                "uploadMaxFileSize; 5 MB unless changed)",
                operation=operation,
                status_code=status_code,
            )
    if message is not None and status_code >= 400:
        return HTTPStatusError(
            message,
            operation=operation,
            status_code=status_code,
            body_excerpt=excerpt(body),
        )
    if status_code >= 300:
        return status_error(operation, status_code, body)
    return ResponseError(
        f"unexpected answer to an upload (HTTP {status_code})",
        operation=operation,
        status_code=status_code,
        body_excerpt=excerpt(body),
    )


#: Wiki.js's default ``pageExtensions``: a URL ending in one of them is a page.
PAGE_EXTENSIONS = frozenset({"md", "html", "txt"})


def download_error(
    status_code: int, body: bytes, what: str, operation: str = "Download"
) -> WikiJSError:
    """The typed error for a failed asset download."""
    if status_code == 404:
        extension = what.rsplit(".", 1)[-1].lower() if "." in what else ""
        if extension in PAGE_EXTENSIONS and body.lstrip()[:1] == b"<":
            return NotFoundError(
                f"{what} cannot be downloaded: Wiki.js serves paths ending in .{extension} "
                "as pages (the site setting pageExtensions, md, html and txt by default), "
                "so such an asset is listed but not served",
                operation=operation,
                status_code=status_code,
            )
        return NotFoundError(f"{what} does not exist", operation=operation, status_code=status_code)
    if status_code == 403:
        return PermissionDeniedError(
            f"the credentials may not read {what}", operation=operation, status_code=status_code
        )
    return status_error(operation, status_code, body)
