"""FileCache: private, atomic, bounded, and still there after a restart."""

from __future__ import annotations

import errno
import os
import stat
import warnings
from pathlib import Path

import pytest

from wikijs._protocol.cache_keys import ALL
from wikijs.cache import CacheWarning, FileCache
from wikijs.errors import ValidationError

from .conftest import Clock

TAGS = (ALL, "page:1")


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_directories_and_files_are_readable_only_by_their_owner(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        cache = FileCache(tmp_path / "c")
        cache.set("a", {"x": 1})
        cache.invalidate("page:1")
    finally:
        os.umask(old_umask)
    root = tmp_path / "c"
    assert mode(root) == 0o700
    assert mode(root / "entries") == 0o700
    for path in files(root):
        if path.name != "lock":
            assert mode(path) == 0o600, path
    assert mode(root / "lock") & 0o077 == 0


def test_an_existing_open_directory_is_tightened(tmp_path: Path) -> None:
    root = tmp_path / "c"
    root.mkdir(mode=0o777)
    os.chmod(root, 0o777)
    FileCache(root).set("a", 1)
    assert mode(root) == 0o700


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_a_directory_owned_by_someone_else_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "c"
    root.mkdir()
    os.chown(root, 65534, 65534)
    cache = FileCache(root)
    with pytest.warns(CacheWarning, match="belongs to another user"):
        cache.set("a", 1)
    assert cache.get("a") is None
    assert list(root.iterdir()) == []


def test_a_path_that_is_not_a_directory_degrades_with_a_warning(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = FileCache(blocker)
    with pytest.warns(CacheWarning):
        cache.set("a", 1)
    assert cache.get("a") is None
    assert cache.stats().errors == 1


def test_writes_are_atomic_and_leave_no_temporary_files(tmp_path: Path) -> None:
    cache = FileCache(tmp_path / "c")
    for i in range(20):
        cache.set("k", {"i": i, "blob": "x" * 1000})
    assert cache.get("k") == {"i": 19, "blob": "x" * 1000}
    assert not [p for p in files(tmp_path) if p.name.startswith(".tmp-")]
    assert len(list((tmp_path / "c" / "entries").iterdir())) == 1


def test_a_failed_write_leaves_the_old_entry_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = FileCache(tmp_path / "c")
    cache.set("k", "old")

    def disk_full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.warns(CacheWarning, match="No space left"):
        cache.set("k", "new")
    monkeypatch.undo()
    assert cache.get("k") is None or cache.get("k") == "old"
    assert not [p for p in files(tmp_path) if p.name.startswith(".tmp-")]


def test_entries_survive_a_restart(tmp_path: Path) -> None:
    first = FileCache(tmp_path / "c")
    found = first.lookup("q:x", TAGS)
    first.store("q:x", {"page": 1}, TAGS, found.clock)  # type: ignore[union-attr]
    first.set("plain", [1])
    second = FileCache(tmp_path / "c")  # another process, or after a restart
    assert second.lookup("q:x", TAGS).value == {"page": 1}  # type: ignore[union-attr]
    assert second.get("plain") == [1]
    second.invalidate("page:1")
    assert first.lookup("q:x", TAGS).value is None  # type: ignore[union-attr]


def test_the_size_cap_evicts_least_recently_used(tmp_path: Path, clock: Clock) -> None:
    cache = FileCache(tmp_path / "c", max_bytes=10_000, clock=clock)
    for i in range(8):
        cache.set(f"k{i}", "x" * 1000)
        clock.advance(1)
    cache.get("k0")  # used recently: kept
    clock.advance(1)
    for i in range(8, 12):
        cache.set(f"k{i}", "x" * 1000)
        clock.advance(1)
    total = sum(p.stat().st_size for p in (tmp_path / "c" / "entries").iterdir())
    assert total <= 10_000
    assert cache.get("k0") is not None
    assert cache.get("k1") is None
    assert cache.get("k11") is not None
    assert cache.stats().evictions >= 2


def test_cleanup_removes_expired_entries(tmp_path: Path, clock: Clock) -> None:
    cache = FileCache(tmp_path / "c", ttl=10, clock=clock)
    cache.set("short", 1)
    cache.set("long", 2, ttl=1000)
    cache.invalidate("page:1")
    clock.advance(50)  # past the entries' ttl, not the versions' (2 * ttl + 60)
    assert cache.cleanup() == 1
    names = {p.name for p in (tmp_path / "c" / "entries").iterdir()}
    assert len(names) == 1
    assert cache.get("long") == 2
    assert list((tmp_path / "c" / "versions").iterdir()) != []  # versions outlive entries
    clock.advance(1000)
    cache.cleanup()
    assert list((tmp_path / "c" / "versions").iterdir()) == []


def test_cleanup_runs_every_few_writes_and_drops_abandoned_temp_files(
    tmp_path: Path, clock: Clock
) -> None:
    cache = FileCache(tmp_path / "c", ttl=5, cleanup_interval=3, clock=clock)
    cache.set("a", 1)
    stray = tmp_path / "c" / "entries" / ".tmp-abandoned"
    stray.write_bytes(b"half")
    os.utime(stray, (clock() - 120, clock() - 120))
    clock.advance(10)
    cache.set("b", 1)
    cache.set("c", 1)  # the third write sweeps
    entries = {p.name for p in (tmp_path / "c" / "entries").iterdir()}
    assert len(entries) == 2
    assert ".tmp-abandoned" not in entries


def test_a_damaged_file_is_a_miss(tmp_path: Path) -> None:
    cache = FileCache(tmp_path / "c")
    cache.set("a", 1)
    (entry,) = (tmp_path / "c" / "entries").iterdir()
    entry.write_bytes(b"not a header")
    assert cache.get("a") is None
    cache.set("b", 1)
    (tmp_path / "c" / "clock").write_bytes(b"-\nnonsense")
    assert cache.lookup("q:x", TAGS) is not None


def test_the_directory_is_recreated_when_removed(tmp_path: Path) -> None:
    import shutil

    cache = FileCache(tmp_path / "c")
    cache.set("a", 1)
    shutil.rmtree(tmp_path / "c")
    assert cache.cleanup() == 0
    cache.set("a", 2)
    assert cache.get("a") == 2
    shutil.rmtree(tmp_path / "c")
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        cache.invalidate("page:1")
        cache.clear()


def test_options_are_validated(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        FileCache(tmp_path, max_bytes=0)
    with pytest.raises(ValidationError):
        FileCache(tmp_path, cleanup_interval=0)
    assert "FileCache(cache_dir=" in repr(FileCache(tmp_path))
