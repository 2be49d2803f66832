"""A cache in a directory: survives restarts, shared by the processes of one user."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from .._protocol.cache_keys import next_clock
from ..errors import InvalidArgumentError
from ._base import CacheBackend

T = TypeVar("T")

_DEFAULT_MAX_BYTES = 64 * 1024 * 1024
_TMP_PREFIX = ".tmp-"
_NO_EXPIRY = b"-"
# Far enough that a sweep never takes a file without expiry for expired.
_FAR_FUTURE = 4102444800.0  # 2100-01-01


def _name(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


if sys.platform != "win32":
    import fcntl

    @contextlib.contextmanager
    def _exclusive(path: Path) -> Iterator[None]:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # releases the lock

else:  # pragma: no cover - no advisory locks: processes may race on the clock
    _WINDOWS_LOCK = threading.Lock()

    @contextlib.contextmanager
    def _exclusive(path: Path) -> Iterator[None]:
        with _WINDOWS_LOCK:
            yield


class FileCache(CacheBackend):
    """Answers kept as files in ``cache_dir``: they survive restarts and are
    shared by every process of the same user that uses the directory.

    Each entry is one JSON file, written to a temporary file and renamed into
    place, so a reader never sees half an entry. The directory is created
    with mode ``0o700`` and files with ``0o600``; a directory owned by
    another user is refused (with a :class:`~wikijs.cache.CacheWarning`).
    When the entries exceed ``max_bytes``, expired ones are removed first,
    then the least recently used; expired files are also swept every
    ``cleanup_interval`` writes and by :meth:`cleanup`.

    Example::

        from wikijs.cache import FileCache

        cache = FileCache(cache_dir=".wikijs-cache", ttl=3600)
        client = WikiJSClient(url, auth=api_key, cache=cache)

    Args:
        cache_dir: the directory (created when missing).
        ttl: seconds an entry lives (``None``: until evicted).
        max_bytes: size of the entries kept at most.
        cleanup_interval: writes between two sweeps of expired files.
        retry_interval: after a failure (disk full, unwritable directory),
            seconds to work without the cache before trying it again.
        clock: seconds since the epoch (injectable for tests); entries are
            shared between processes, so this must be wall-clock time.
    """

    def __init__(
        self,
        cache_dir: str | os.PathLike[str] = ".wikijs-cache",
        ttl: float | None = 3600,
        max_bytes: int = _DEFAULT_MAX_BYTES,
        *,
        cleanup_interval: int = 1000,
        retry_interval: float = 2.0,
        warn_interval: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(
            ttl=ttl, retry_interval=retry_interval, warn_interval=warn_interval, clock=clock
        )
        if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
            raise InvalidArgumentError("max_bytes must be a positive integer", field="max_bytes")
        if not isinstance(cleanup_interval, int) or cleanup_interval < 1:
            raise InvalidArgumentError(
                "cleanup_interval must be a positive integer", field="cleanup_interval"
            )
        self.cache_dir: Path = Path(cache_dir)
        self.max_bytes = max_bytes
        self.cleanup_interval = cleanup_interval
        self._clock = clock
        self._entries = self.cache_dir / "entries"
        self._tags = self.cache_dir / "versions"
        self._clock_file = self.cache_dir / "clock"
        self._lock_file = self.cache_dir / "lock"
        self._ready = False
        self._size_lock = threading.Lock()
        self._bytes: int | None = None  # unknown until the first sweep
        self._writes = 0

    def __repr__(self) -> str:
        return f"FileCache(cache_dir={str(self.cache_dir)!r}, ttl={self.ttl})"

    # -- the directory -------------------------------------------------------------

    def _secure(self, directory: Path) -> None:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.stat(directory)
        if not stat.S_ISDIR(info.st_mode):
            raise NotADirectoryError(f"{directory} is not a directory")
        if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
            raise PermissionError(f"{directory} belongs to another user; refusing to use it")
        if stat.S_IMODE(info.st_mode) & 0o077:
            os.chmod(directory, 0o700)

    def _prepare(self) -> None:
        if not self._ready:
            for directory in (self.cache_dir, self._entries, self._tags):
                self._secure(directory)
            self._ready = True

    def _write(self, path: Path, data: bytes, expires: float | None) -> int:
        """Write atomically (temp file + rename); returns the bytes written."""
        header = _NO_EXPIRY if expires is None else repr(expires).encode()
        blob = header + b"\n" + data
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_TMP_PREFIX)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(blob)
            # mtime is the expiry (sweeps need only stat); atime the last use.
            os.utime(tmp, (self._clock(), _FAR_FUTURE if expires is None else expires))
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        return len(blob)

    def _read(
        self, path: Path, now: float, *, touch: bool = False, entry: bool = True
    ) -> bytes | None:
        try:
            with open(path, "rb") as handle:
                blob = handle.read()
        except FileNotFoundError:
            return None
        header, sep, data = blob.partition(b"\n")
        try:
            expires = None if header == _NO_EXPIRY else float(header)
        except ValueError:
            expires = 0.0  # not ours, or damaged: drop it
        if not sep or (expires is not None and now >= expires):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            if entry:
                self._count(evictions=1)
            return None
        if touch:
            with contextlib.suppress(OSError):
                os.utime(path, (now, _FAR_FUTURE if expires is None else expires))
        return data

    def _read_int(self, path: Path, now: float) -> int:
        data = self._read(path, now, entry=False)
        try:
            return int(data) if data is not None else 0
        except ValueError:
            return 0

    # -- primitives -------------------------------------------------------------------

    def _get(self, key: str) -> bytes | None:
        return self._read(self._entries / _name(key), self._clock(), touch=True)

    def _in_place(self, write: Callable[[], T]) -> T:
        """Run a write, recreating the directories once if they were removed under us."""
        self._prepare()
        try:
            return write()
        except FileNotFoundError:
            self._ready = False
            self._prepare()
            return write()

    def _set(self, key: str, data: bytes, ttl: float | None) -> None:
        expires = None if ttl is None else self._clock() + ttl
        written = self._in_place(lambda: self._write(self._entries / _name(key), data, expires))
        with self._size_lock:
            self._writes += 1
            if self._bytes is not None:
                self._bytes += written
            due = (
                self._bytes is None
                or self._bytes > self.max_bytes
                or self._writes % self.cleanup_interval == 0
            )
        if due:
            self._sweep()

    def _delete(self, key: str) -> bool:
        try:
            os.unlink(self._entries / _name(key))
        except FileNotFoundError:
            return False
        return True

    def _clear(self) -> None:
        for directory in (self._entries, self._tags):
            if directory.is_dir():
                for entry in os.scandir(directory):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.path)
        with self._size_lock:
            self._bytes = 0

    def _snapshot(self, key: str, tags: Sequence[str]) -> tuple[bytes | None, int, list[int]]:
        now = self._clock()
        data = self._read(self._entries / _name(key), now, touch=True)
        clock = self._read_int(self._clock_file, now)
        return data, clock, [self._read_int(self._tags / _name(tag), now) for tag in tags]

    def _versions(self, tags: Sequence[str]) -> list[int]:
        now = self._clock()
        return [self._read_int(self._tags / _name(tag), now) for tag in tags]

    def _bump(self, tags: Sequence[str]) -> None:
        self._in_place(lambda: self._bump_here(tags))

    def _bump_here(self, tags: Sequence[str]) -> None:
        ttl = self.version_ttl
        with _exclusive(self._lock_file):
            now = self._clock()
            value = next_clock(self._read_int(self._clock_file, now), time.time_ns() // 1000)
            encoded = str(value).encode()
            self._write(self._clock_file, encoded, None)
            expires = None if ttl is None else now + ttl
            for tag in tags:
                self._write(self._tags / _name(tag), encoded, expires)

    async def _aget(self, key: str) -> bytes | None:
        return await asyncio.to_thread(self._get, key)

    async def _aset(self, key: str, data: bytes, ttl: float | None) -> None:
        await asyncio.to_thread(self._set, key, data, ttl)

    async def _adelete(self, key: str) -> bool:
        return await asyncio.to_thread(self._delete, key)

    async def _aclear(self) -> None:
        await asyncio.to_thread(self._clear)

    async def _asnapshot(
        self, key: str, tags: Sequence[str]
    ) -> tuple[bytes | None, int, list[int]]:
        return await asyncio.to_thread(self._snapshot, key, tags)

    async def _aversions(self, tags: Sequence[str]) -> list[int]:
        return await asyncio.to_thread(self._versions, tags)

    async def _abump(self, tags: Sequence[str]) -> None:
        await asyncio.to_thread(self._bump, tags)

    # -- housekeeping -------------------------------------------------------------------

    def cleanup(self) -> int:
        """Remove expired entries (and, over ``max_bytes``, the least recently used).

        Returns how many entries were removed. Runs by itself every
        ``cleanup_interval`` writes and whenever the size cap is passed.
        """
        return self._guarded("cleanup", self._sweep, 0)

    def _sweep(self) -> int:
        if not self._entries.is_dir():
            return 0
        now = self._clock()
        removed = 0
        live: list[tuple[float, int, str]] = []
        for directory in (self._entries, self._tags):
            for entry in os.scandir(directory):
                try:
                    info = entry.stat()
                except FileNotFoundError:
                    continue
                if entry.name.startswith(_TMP_PREFIX):
                    # A writer that died between writing and renaming.
                    if now - info.st_atime > 60:
                        with contextlib.suppress(FileNotFoundError):
                            os.unlink(entry.path)
                    continue
                if info.st_mtime <= now:  # mtime is the expiry
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.path)
                    if directory is self._entries:
                        removed += 1
                elif directory is self._entries:
                    live.append((info.st_atime, info.st_size, entry.path))
        total = sum(size for _, size, _ in live)
        if total > self.max_bytes:
            live.sort()
            target = self.max_bytes * 0.9
            for _, size, path in live:
                if total <= target:
                    break
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
                total -= size
                removed += 1
        with self._size_lock:
            self._bytes = total
        self._count(evictions=removed)
        return removed
