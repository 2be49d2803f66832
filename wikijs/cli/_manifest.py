"""The manifest beside an exported or synced tree: what the wiki had, file by file.

``<tree>/.wikijs-manifest.json`` records, for each file ``export`` or
``sync`` wrote or checked, the page it belongs to, the page's ``updatedAt``
and two SHA-256 hashes: of the file as it was left, and of the page as a
file (its front matter and content, as ``export`` writes it). With it:

- a file whose hash differs from the recorded one was edited locally;
- a page whose ``updatedAt`` or hash differs was changed in the wiki;
- both at once is a conflict, which nothing overwrites without ``--force``.

The file is hidden, so ``pages import`` skips it, and written atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

NAME = ".wikijs-manifest.json"
FORMAT = 1


class ManifestError(Exception):
    """The manifest exists but cannot be used; the message says how to recover."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stamp(value: datetime | str | None) -> str:
    """A page's ``updatedAt`` as the manifest stores it."""
    if isinstance(value, datetime):
        return value.isoformat()
    return value or ""


@dataclass
class Entry:
    """One file of the tree and the page it mirrors."""

    id: int
    locale: str
    path: str
    updated_at: str
    page_sha256: str
    file_sha256: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.locale, self.path)


@dataclass
class Manifest:
    """The recorded state of one tree (files by their path under it, ``/``-separated)."""

    root: Path
    wiki: str | None = None
    entries: dict[str, Entry] = field(default_factory=dict)

    @property
    def file(self) -> Path:
        return self.root / NAME

    @classmethod
    def load(cls, root: Path) -> Manifest:
        """The tree's manifest, empty if it has none.

        Raises:
            ManifestError: the manifest is unreadable or not one this version wrote.
        """
        path = root / NAME
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return cls(root)
        except OSError as exc:
            raise ManifestError(f"cannot read {path}: {exc.strerror or exc}") from None
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise ValueError(f"format {data.get('format')!r}")
            entries = {
                str(name): Entry(
                    id=int(item["id"]),
                    locale=str(item["locale"]),
                    path=str(item["path"]),
                    updated_at=str(item["updated_at"]),
                    page_sha256=str(item["page_sha256"]),
                    file_sha256=str(item["file_sha256"]),
                )
                for name, item in data["files"].items()
            }
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ManifestError(
                f"{path} is not a manifest this version can read ({exc}); "
                "move it away to start afresh (local edits are then protected only "
                "where a file differs from the wiki)"
            ) from None
        wiki = data.get("wiki")
        return cls(root, wiki if isinstance(wiki, str) else None, entries)

    def by_key(self) -> dict[tuple[str, str], tuple[str, Entry]]:
        return {entry.key: (name, entry) for name, entry in self.entries.items()}

    def adopt(self, wiki: str) -> str | None:
        """Use the manifest with ``wiki``; another wiki's records are dropped.

        Returns the other wiki's URL when records were dropped: every file
        that differs from this wiki then counts as edited locally.
        """
        if self.wiki is None or self.wiki.rstrip("/") == wiki.rstrip("/"):
            self.wiki = wiki
            return None
        other, self.wiki, self.entries = self.wiki, wiki, {}
        return other

    def save(self) -> None:
        """Write the manifest atomically (a temporary file, then a rename)."""
        data: dict[str, Any] = {
            "format": FORMAT,
            "wiki": self.wiki,
            "files": {name: asdict(self.entries[name]) for name in sorted(self.entries)},
        }
        self.root.mkdir(parents=True, exist_ok=True)
        temporary = self.file.with_name(f"{NAME}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")
        os.replace(temporary, self.file)


def write_atomically(target: Path, data: bytes) -> None:
    """Replace ``target`` with ``data`` so that an interruption never leaves half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
