"""Incremental ``multipart/form-data`` parsing that spools file parts to disk.

python-multipart is imported on the first upload, so the fake itself (and
``wikijs demo``) imports without it; ``wikijs[testing]`` and ``wikijs[cli]``
install it.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

DEFAULT_SPOOL_THRESHOLD = 1024 * 1024


def _python_multipart() -> Any:
    try:
        import python_multipart.multipart
    except ImportError as error:
        raise ImportError(
            "the fake Wiki.js parses uploads with python-multipart: pip install 'wikijs[testing]'"
        ) from error
    return python_multipart.multipart


@dataclass
class Part:
    """One form part; file bodies move to disk past the spool threshold."""

    name: str
    filename: str | None
    content_type: str | None
    size: int = 0
    _memory: bytearray = field(default_factory=bytearray)
    _file: IO[bytes] | None = None
    path: Path | None = None

    @property
    def on_disk(self) -> bool:
        return self.path is not None

    def text(self) -> str:
        return bytes(self._memory).decode("utf-8", errors="replace")

    def _write(self, data: bytes, spool_dir: Path, threshold: int) -> None:
        self.size += len(data)
        if self._file is None and self.filename is not None and self.size > threshold:
            fd, name = tempfile.mkstemp(prefix="upload-", dir=spool_dir)
            self._file = os.fdopen(fd, "wb")
            self.path = Path(name)
            self._file.write(self._memory)
            self._memory = bytearray()
        if self._file is not None:
            self._file.write(data)
        else:
            self._memory.extend(data)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def save_to(self, destination: Path) -> None:
        """Move (or write) the body to ``destination``."""
        self.close()
        if self.path is not None:
            os.replace(self.path, destination)
            self.path = None
        else:
            destination.write_bytes(bytes(self._memory))

    def discard(self) -> None:
        self.close()
        if self.path is not None:
            self.path.unlink(missing_ok=True)
            self.path = None


class MultipartStream:
    """Feed raw body chunks; parts come out with their bodies spooled.

    Example:
        >>> stream = MultipartStream(b"boundary", Path("/tmp"))
        >>> for chunk in body_chunks:
        ...     stream.feed(chunk)
        >>> parts = stream.finish()
    """

    def __init__(
        self, boundary: bytes, spool_dir: Path, threshold: int = DEFAULT_SPOOL_THRESHOLD
    ) -> None:
        self.parts: list[Part] = []
        self.error: str | None = None
        self._spool_dir = spool_dir
        self._threshold = threshold
        self._headers: dict[bytes, bytes] = {}
        self._field = b""
        self._value = b""
        self._current: Part | None = None
        self._ended = False
        callbacks: Any = {
            "on_end": self._end,
            "on_part_begin": self._part_begin,
            "on_header_field": self._header_field,
            "on_header_value": self._header_value,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }
        self._parser = _python_multipart().MultipartParser(boundary, callbacks)

    def _end(self) -> None:
        self._ended = True

    def _part_begin(self) -> None:
        self._headers = {}
        self._field = self._value = b""

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._field.strip().lower()] = self._value.strip()
        self._field = self._value = b""

    def _headers_finished(self) -> None:
        disposition = self._headers.get(b"content-disposition", b"")
        _, options = _python_multipart().parse_options_header(disposition)
        name = options.get(b"name", b"").decode("utf-8", errors="replace")
        raw_filename = options.get(b"filename")
        filename = (
            raw_filename.decode("utf-8", errors="replace") if raw_filename is not None else None
        )
        content_type = self._headers.get(b"content-type")
        self._current = Part(
            name, filename, content_type.decode("latin-1") if content_type else None
        )
        self.parts.append(self._current)

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._current is not None:
            self._current._write(data[start:end], self._spool_dir, self._threshold)

    def _part_end(self) -> None:
        if self._current is not None:
            self._current.close()
        self._current = None

    def feed(self, chunk: bytes) -> None:
        if self.error is not None or not chunk:
            return
        try:
            self._parser.write(chunk)
        except Exception as error:  # python-multipart raises several error types
            self.error = str(error) or "Malformed multipart body"

    def finish(self) -> list[Part]:
        if self.error is None:
            try:
                self._parser.finalize()
            except Exception as error:
                self.error = str(error) or "Malformed multipart body"
        if self.error is None and not self._ended:
            self.error = "Unexpected end of form"  # busboy's words for a cut-off body
        for part in self.parts:
            part.close()
        return self.parts

    def discard(self) -> None:
        for part in self.parts:
            part.discard()


def boundary_of(content_type: str) -> bytes | None:
    kind, options = _python_multipart().parse_options_header(content_type)
    if kind != b"multipart/form-data":
        return None
    boundary = options.get(b"boundary")
    return boundary or None
