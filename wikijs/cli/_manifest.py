"""The manifest beside an imported, exported or synced tree, and how files in it are written.

``<tree>/.wikijs-manifest.json`` records, for each Markdown file that
``import``, ``export`` or ``sync`` wrote or checked, the page it belongs to,
the page's ``updatedAt``, two SHA-256 hashes (of the file as it was left,
and of the page's fields and content), how the file wrote the links
that became wiki links (so an export writes ``configuration.md#x`` back,
not a path computed anew) and its front matter as written (so an export
into a fresh folder given this manifest writes the file back whole, keys
the wiki does not store included); and for each file uploaded as an asset, the
asset and the file's hash (so an unchanged file is not uploaded again).
With it:

- a file whose hash differs from the recorded one was edited locally;
- a page whose ``updatedAt`` or hash differs was changed in the wiki;
- both at once is a conflict, which nothing overwrites without a flag.

Files are written through a temporary file made by :func:`tempfile.mkstemp`
in the same folder (an unpredictable name, created exclusively: a planted
link cannot redirect the write) and renamed over the target, so an
interruption never leaves half a file; nothing is written through a
symbolic link or into a folder reached through one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

NAME = ".wikijs-manifest.json"
FORMAT = 2
_READABLE = (1, 2)


class ManifestError(Exception):
    """The manifest exists but cannot be used; the message says how to recover."""


class UnsafePathError(OSError):
    """A path that would be written through a symbolic link or outside its tree."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stamp(value: datetime | str | None) -> str:
    """A page's ``updatedAt`` as the manifest stores it."""
    if isinstance(value, datetime):
        return value.isoformat()
    return value or ""


@dataclass
class Entry:
    """One file of the tree and the page it mirrors.

    ``links`` maps each destination the page's content holds to the ones
    the file wrote for it, in order (``{"/en/guide/setup#x": ["setup.md#x"]}``).
    """

    id: int
    locale: str
    path: str
    updated_at: str
    page_sha256: str
    file_sha256: str
    links: dict[str, list[str]] = field(default_factory=dict)
    #: The file's text before its body, as written (its front matter with
    #: fences, or ``""``), so an export into a folder without the file writes
    #: the front matter back as the file had it; None: not recorded.
    head: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.locale, self.path)


@dataclass
class AssetEntry:
    """One file of the tree uploaded as an asset: where it is and what was sent."""

    id: int
    path: str
    sha256: str
    size: int


@dataclass
class Manifest:
    """The recorded state of one tree (files by their path under it, ``/``-separated)."""

    root: Path
    wiki: str | None = None
    entries: dict[str, Entry] = field(default_factory=dict)
    assets: dict[str, AssetEntry] = field(default_factory=dict)

    @property
    def file(self) -> Path:
        return self.root / NAME

    @classmethod
    def load(cls, root: Path, path: Path | None = None) -> Manifest:
        """The tree's manifest, empty if it has none; with ``path``, the manifest
        read from there (another tree's) for the tree at ``root``.

        Raises:
            ManifestError: the manifest is unreadable or not one this version wrote.
        """
        path = path or root / NAME
        try:
            if path.is_symlink():
                raise ManifestError(f"{path} is a symbolic link; move it away to start afresh")
            raw = path.read_bytes()
        except FileNotFoundError:
            return cls(root)
        except OSError as exc:
            raise ManifestError(f"cannot read {path}: {exc.strerror or exc}") from None
        try:
            data = json.loads(raw)
            if data.get("format") not in _READABLE:
                raise ValueError(f"format {data.get('format')!r}")
            entries = {str(name): _entry(item) for name, item in data["files"].items()}
            assets = {
                str(name): AssetEntry(
                    id=int(item["id"]),
                    path=str(item["path"]),
                    sha256=str(item["sha256"]),
                    size=int(item["size"]),
                )
                for name, item in (data.get("assets") or {}).items()
            }
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ManifestError(
                f"{path} is not a manifest this version can read ({exc}); "
                "move it away to start afresh (local edits are then protected only "
                "where a file differs from the wiki)"
            ) from None
        wiki = data.get("wiki")
        return cls(root, wiki if isinstance(wiki, str) else None, entries, assets)

    def by_key(self) -> dict[tuple[str, str], tuple[str, Entry]]:
        return {entry.key: (name, entry) for name, entry in self.entries.items()}

    def by_id(self) -> dict[int, tuple[str, Entry]]:
        return {entry.id: (name, entry) for name, entry in self.entries.items()}

    def adopt(self, wiki: str) -> str | None:
        """Use the manifest with ``wiki``; another wiki's records are dropped.

        Returns the other wiki's URL when records were dropped: every file
        that differs from this wiki then counts as edited locally.
        """
        if self.wiki is None or self.wiki.rstrip("/") == wiki.rstrip("/"):
            self.wiki = wiki
            return None
        other, self.wiki, self.entries, self.assets = self.wiki, wiki, {}, {}
        return other

    def save(self) -> None:
        """Write the manifest atomically (see the module docstring)."""
        data: dict[str, Any] = {
            "format": FORMAT,
            "wiki": self.wiki,
            "files": {name: _entry_json(self.entries[name]) for name in sorted(self.entries)},
            "assets": {name: asdict(self.assets[name]) for name in sorted(self.assets)},
        }
        text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
        self.root.mkdir(parents=True, exist_ok=True)
        write_atomically(self.file, text.encode("utf-8"), root=self.root)


def _entry(item: Any) -> Entry:
    links = item.get("links") or {}
    return Entry(
        id=int(item["id"]),
        locale=str(item["locale"]),
        path=str(item["path"]),
        updated_at=str(item["updated_at"]),
        page_sha256=str(item["page_sha256"]),
        file_sha256=str(item["file_sha256"]),
        links={str(key): [str(form) for form in forms] for key, forms in links.items()},
        head=str(item["head"]) if item.get("head") is not None else None,
    )


def _entry_json(entry: Entry) -> dict[str, Any]:
    data = asdict(entry)
    if not entry.links:
        del data["links"]
    if entry.head is None:
        del data["head"]
    return data


def confined(root: Path, relative: str) -> Path:
    """``root/relative``, refusing a way out of ``root`` or through a symbolic link.

    Raises:
        UnsafePathError: ``..``, an absolute name, a NUL, or a folder on
            the way (or the file itself) that is a symbolic link.
    """
    parts = relative.split("/")
    if (
        not relative
        or relative.startswith("/")
        or "\x00" in relative
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise UnsafePathError(f"{relative!r} is not a file name inside {root}")
    current = root
    for part in parts:
        current = current / part
        try:
            mode = current.lstat().st_mode
        except FileNotFoundError:
            break
        if stat.S_ISLNK(mode):
            raise UnsafePathError(f"{current} is a symbolic link; nothing is written through it")
    return root.joinpath(*parts)


def write_atomically(target: Path, data: bytes, *, root: Path | None = None) -> None:
    """Replace ``target`` with ``data`` so that an interruption never leaves half a file.

    The data goes to a fresh temporary file beside ``target`` (``mkstemp``:
    an unpredictable name, created exclusively), which is then renamed over
    it. With ``root``, every folder from ``root`` to ``target`` is checked
    not to be a symbolic link.

    Raises:
        UnsafePathError: the target or a folder on the way is a symbolic link.
        OSError: the file system refused.
    """
    if root is not None:
        confined(root, target.relative_to(root).as_posix())
    target.parent.mkdir(parents=True, exist_ok=True)
    if root is not None:  # created folders are ours; check again what existed
        confined(root, target.relative_to(root).as_posix())
    if target.is_symlink():
        raise UnsafePathError(f"{target} is a symbolic link; nothing is written through it")
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name[:64]}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
