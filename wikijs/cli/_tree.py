"""Reading a folder of Markdown files for ``pages import`` and ``sync``: files, links, assets.

Every Markdown file under the folder (hidden files and folders skipped)
becomes a :class:`~._pagefiles.PageFile` or a failed
:class:`~._pagefiles.Action`. A symbolic link is followed only when what
it points to is inside the folder; one that leads out is refused (it could
publish ``~/.config/…``), and linked folders are not entered.

Links are then resolved across the tree: a relative link to another
Markdown file of the tree becomes the wiki link of its page
(``configuration.md#x`` → ``/en/guide/configuration#x``); a relative link
to any other file of the tree (an image, a PDF) makes that file an asset,
uploaded to the asset folder that mirrors its folder (by the rule of
:mod:`._names`, under ``--asset-folder``), and the link its wiki address.
What cannot be resolved (a missing file, a file outside the folder) stays
as written and is listed.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from .._facts import stored_filename
from . import _links
from ._names import NameProblem, asset_folder, fix_segment, needs_locale
from ._pagefiles import (
    MARKDOWN_SUFFIXES,
    Action,
    LocaleFolders,
    PageFile,
    PageFileError,
    path_of_file,
    read_page_file,
)

_INDEX_NAMES = ("index.md", "README.md", "readme.md", "_index.md")


@dataclass(frozen=True)
class AssetFile:
    """A file of the tree that pages link to, and where it goes in the wiki."""

    file: str
    folder: str
    name: str
    size: int

    @property
    def path(self) -> str:
        """The asset's path in the wiki: folder slugs and the stored name."""
        return f"{self.folder}/{self.name}" if self.folder else self.name

    def url(self, locale: str) -> str:
        """The address that serves it (with a locale in front where Wiki.js would
        read the first folder as one: :func:`._names.needs_locale`)."""
        path = self.path
        first = path.split("/", 1)[0]
        if "/" in path and needs_locale(first):
            path = f"{locale}/{path}"
        return "/" + "".join(_links._ESCAPES.get(char, char) for char in path)


@dataclass(frozen=True)
class Unresolved:
    """A relative link that stays as written, and why."""

    file: str
    target: str
    reason: str


@dataclass
class Tree:
    """A folder read: its pages, the files that failed, and what their links need."""

    root: Path
    items: list[PageFile] = field(default_factory=list)
    failures: list[Action] = field(default_factory=list)
    raw: dict[str, bytes] = field(default_factory=dict)
    assets: dict[str, AssetFile] = field(default_factory=dict)
    unresolved: list[Unresolved] = field(default_factory=list)
    #: Front matter keys the wiki does not store, and how many files have each.
    unknown_keys: dict[str, int] = field(default_factory=dict)
    #: For each asset file, the Markdown files that link to it.
    uses: dict[str, set[str]] = field(default_factory=dict)

    def used_by(self, asset: str) -> set[str]:
        return self.uses.get(asset, set())


class UnsafeFileError(PageFileError):
    """A file reached through a symbolic link that leads out of the folder."""


def _inside(root: Path, target: Path) -> bool:
    return target == root or root in target.parents


def walk(root: Path) -> tuple[list[str], list[tuple[str, str]]]:
    """The Markdown files under ``root`` (``/``-separated, sorted), and the ones refused.

    Hidden files and folders are skipped; linked folders are not entered
    (listed as refused); a linked file is kept only if it resolves inside
    ``root`` to a regular file.
    """
    root = root.resolve()
    found: list[str] = []
    refused: list[tuple[str, str]] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        base = Path(folder)
        relative_base = base.relative_to(root)
        kept = []
        for name in sorted(dirs):
            if name.startswith("."):
                continue
            if (base / name).is_symlink():
                relative = (relative_base / name).as_posix()
                refused.append((relative, "a linked folder (not entered)"))
                continue
            kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            if name.startswith(".") or not name.lower().endswith(MARKDOWN_SUFFIXES):
                continue
            relative = (relative_base / name).as_posix()
            reason = _refusal(root, base / name)
            if reason is None:
                found.append(relative)
            else:
                refused.append((relative, reason))
    return sorted(found), refused


def _refusal(root: Path, path: Path) -> str | None:
    """Why ``path`` may not be read (``None``: it may)."""
    try:
        mode = path.lstat().st_mode
    except OSError as exc:
        return exc.strerror or str(exc)
    if stat.S_ISLNK(mode):
        target = path.resolve()
        if not _inside(root, target):
            return (
                "a symbolic link to a file outside the folder (not followed: it could "
                "publish a file from anywhere)"
            )
        if not target.is_file():
            return "a symbolic link to something that is not a file"
        return None
    if not stat.S_ISREG(mode):
        return "not a regular file"
    return None


def open_file(root: Path, relative: str) -> BinaryIO:
    """A file of the tree opened for reading, never through a link that leads out of it.

    Raises:
        UnsafeFileError: the file is a link out of the folder, or not a file.
        OSError: it cannot be read.
    """
    path = root.joinpath(*relative.split("/"))
    reason = _refusal(root, path)
    if reason is not None:
        raise UnsafeFileError(f"{relative}: {reason}")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    return os.fdopen(os.open(path.resolve(), flags), "rb")


def read_bytes(root: Path, relative: str) -> bytes:
    """The bytes of a file of the tree (see :func:`open_file`)."""
    with open_file(root, relative) as source:
        return source.read()


def read_tree(
    root: Path,
    *,
    default_locale: str,
    folders: LocaleFolders,
    strict_names: bool = False,
    asset_root: str = "",
) -> Tree:
    """Read every Markdown file under ``root`` and resolve its links (see the module docstring)."""
    root = root.resolve()
    tree = Tree(root)
    files, refused = walk(root)
    for relative, reason in refused:
        tree.failures.append(_failure(relative, f"{relative}: {reason}", folders))
    for relative in files:
        try:
            data = read_bytes(root, relative)
        except (OSError, PageFileError) as exc:
            message = str(exc) if isinstance(exc, PageFileError) else f"{relative}: {exc}"
            tree.failures.append(_failure(relative, message, folders))
            continue
        tree.raw[relative] = data
        try:
            text = data.decode("utf-8-sig")
            item = read_page_file(
                PurePosixPath(relative),
                text,
                default_locale=default_locale,
                folders=folders,
                strict_names=strict_names,
            )
        except UnicodeDecodeError:
            tree.failures.append(_failure(relative, f"{relative}: not UTF-8", folders))
            continue
        except PageFileError as exc:
            tree.failures.append(_failure(relative, str(exc), folders))
            continue
        tree.items.append(item)
        for key in item.ignored_keys:
            tree.unknown_keys[key] = tree.unknown_keys.get(key, 0) + 1
    pages = {item.file: item for item in tree.items}
    tree.items = [
        link_item(tree, item, pages, asset_root=asset_root, locale=default_locale)
        for item in tree.items
    ]
    return tree


def _failure(relative: str, message: str, folders: LocaleFolders) -> Action:
    """A failed file, with the path it would have had (for ``--path-prefix``)."""
    locale, parts = path_of_file(PurePosixPath(relative), folders)
    path = "/".join(fix_segment(part) for part in parts)
    return Action(relative, locale or "", path, "failed", error=message)


def link_item(
    tree: Tree,
    item: PageFile,
    pages: Mapping[str, PageFile],
    *,
    asset_root: str,
    locale: str,
) -> PageFile:
    """``item`` with its relative links made wiki links, and the forms recorded."""
    bases = _bases(item.file)
    forms: dict[str, list[str]] = {}
    changed: list[tuple[_links.Link, str]] = []
    absolute: list[_links.Link] = []
    for link in _links.find(item.body):
        if _links.is_relative(link.target):
            path, suffix = _links.split_target(link.target)
            new = _resolve(tree, bases, path, pages, asset_root=asset_root, locale=locale)
        elif _links.is_rooted(link.target):
            # "/_media/logo.png" (docsify, VitePress): from the site's root, the
            # folder's, or in a folder holding several sites' docs, the folder
            # of the file's own site; otherwise a wiki address, left as written
            path, suffix = _links.split_target(link.target[1:])
            new = _resolve(
                tree, _site_roots(item.file), path, pages, asset_root=asset_root, locale=locale
            )
            if isinstance(new, _Miss):
                absolute.append(link)
                if not _links.names_file(path):  # a wiki address such as /en/guide
                    continue
                new = _Miss("an absolute path to a file the folder does not have")
        else:
            continue
        if isinstance(new, _Miss):
            tree.unresolved.append(Unresolved(item.file, link.target, new.reason))
            continue
        address, target = new
        changed.append((link, address + suffix))
        if target in tree.assets:
            tree.uses.setdefault(target, set()).add(item.file)
    if not changed:
        return item
    made = {destination for _, destination in changed}
    for link, destination in sorted(
        [*changed, *((link, link.target) for link in absolute if link.target in made)],
        key=lambda pair: pair[0].start,
    ):
        forms.setdefault(destination, []).append(link.target)
    content = _links.replace(item.body, changed)
    return replace(item, content=content, links={key: tuple(value) for key, value in forms.items()})


def _site_roots(file: str) -> list[str]:
    """Where a link from the site's root may start: the folder's root first, then
    each folder above the file, outermost first (``a/b/c.md``: ``""``, ``a``, ``a/b``)."""
    parts = file.split("/")[:-1]
    return ["/".join(parts[:depth]) for depth in range(len(parts) + 1)]


def posixpath_parent(file: str) -> str:
    return file.rsplit("/", 1)[0] if "/" in file else ""


def _bases(file: str) -> list[str]:
    """Where a link in ``file`` is read from: the file's folder, then the folder the page
    is served as by site generators (MkDocs serves ``a/b.md`` at ``a/b/``, where its raw
    HTML links are relative to)."""
    folder = posixpath_parent(file)
    stem = file.rsplit(".", 1)[0]
    site = folder if stem.rsplit("/", 1)[-1] in _INDEX_STEMS else stem
    return [folder] if site == folder else [folder, site]


_INDEX_STEMS = {name.rsplit(".", 1)[0] for name in _INDEX_NAMES}


@dataclass(frozen=True)
class _Miss:
    reason: str


def _resolve(
    tree: Tree,
    bases: list[str],
    path: str,
    pages: Mapping[str, PageFile],
    *,
    asset_root: str,
    locale: str,
) -> tuple[str, str] | _Miss:
    """The wiki address a relative link should have and the file it names, or why none.

    The link is read from each base in turn: a Markdown file of the tree is
    its page; a folder, or a name without a suffix, its ``.md`` or index
    page (a site address such as ``setup/``); any other file an asset.
    """
    if not path:
        return _Miss("no file named")
    first: _Miss | None = None
    for base in bases:
        target = _links.resolve(base, path)
        found = (
            _Miss("outside the folder")
            if target is None
            else _find(tree, target, path, pages, asset_root=asset_root, locale=locale)
        )
        if not isinstance(found, _Miss):
            return found
        first = first or found
    assert first is not None
    return first


def _find(
    tree: Tree,
    target: str,
    path: str,
    pages: Mapping[str, PageFile],
    *,
    asset_root: str,
    locale: str,
) -> tuple[str, str] | _Miss:
    candidates = [target]
    last = target.rsplit("/", 1)[-1]
    if path.endswith("/") or "." not in last or _is_dir(tree.root, target):
        candidates += [f"{target}/{name}" for name in _INDEX_NAMES]
        candidates += [target + suffix for suffix in MARKDOWN_SUFFIXES]
    for candidate in candidates:
        page = pages.get(candidate)
        if page is not None:
            return f"/{page.locale}/{page.path}", candidate
    if any(failure.file in candidates for failure in tree.failures):
        return _Miss("a Markdown file that is not imported")
    if target.lower().endswith(MARKDOWN_SUFFIXES) or not _is_file(tree.root, target):
        return _Miss("no such file")
    if any(part.startswith(".") for part in target.split("/")):
        return _Miss("a hidden file")
    asset = tree.assets.get(target)
    if asset is None:
        made = _asset(tree.root, target, asset_root)
        if isinstance(made, _Miss):
            return made
        for other in tree.assets.values():
            if other.path == made.path:
                return _Miss(f"{other.file} is stored under the same name ({made.path})")
        tree.assets[target] = asset = made
    return asset.url(locale), target


def _is_file(root: Path, relative: str) -> bool:
    return root.joinpath(*relative.split("/")).is_file()


def _is_dir(root: Path, relative: str) -> bool:
    path = root.joinpath(*relative.split("/"))
    return path.is_dir() and not path.is_symlink()


def _asset(root: Path, relative: str, asset_root: str) -> AssetFile | _Miss:
    path = root.joinpath(*relative.split("/"))
    reason = _refusal(root, path)
    if reason is not None:
        return _Miss("no such file" if "No such file" in reason else reason)
    parts = relative.split("/")
    try:
        folder = asset_folder([*_segments(asset_root), *parts[:-1]])
    except NameProblem as exc:
        return _Miss("; ".join(exc.problems))
    name = stored_filename(parts[-1])
    if not name:
        return _Miss("a file name Wiki.js cannot store")
    return AssetFile(relative, folder, name, path.stat().st_size)


def _segments(path: str) -> list[str]:
    return [part for part in path.strip("/").split("/") if part]


def summarize_unknown(counts: Mapping[str, int]) -> str:
    """``date (14 files), authors (13 files)``: most common first."""
    ordered = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return ", ".join(f"{key} ({count} file{'s' if count != 1 else ''})" for key, count in ordered)


def keys_of(items: Iterable[PageFile]) -> dict[str, tuple[str, str]]:
    return {item.file: item.key for item in items}
