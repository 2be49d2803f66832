"""Pages as Markdown files, for ``pages import``, ``pages export`` and ``sync``. Pure: no I/O.

A file ``<root>/<locale>/<path>.md`` (or ``<root>/<path>.md``, locale from
the front matter or ``--locale``) holds one page: front matter with
``title``, ``description``, ``tags``, ``published``, ``private``,
``locale``, ``editor`` (and optionally ``path``), then the content.

Whether a leading folder is a locale is decided by :class:`LocaleFolders`:
by default only when it names a locale the wiki has, so ``kb/intro.md``
is the page ``kb/intro`` in the default locale, not ``intro`` in a locale
called "kb".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Literal, get_args

from .. import paths as v
from ..errors import ValidationError
from . import _frontmatter

if TYPE_CHECKING:
    from ..models import Page

MARKDOWN_SUFFIXES = (".md", ".markdown")
KNOWN_KEYS = ("title", "description", "tags", "published", "private", "locale", "editor", "path")
LOCALE_FOLDER = re.compile(r"^[a-z]{2}(-[a-z]{2})?$", re.IGNORECASE)
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


class PageFileError(ValueError):
    """A file that cannot become a page; the message says why."""


LocaleDirMode = Literal["auto", "always", "never"]
LOCALE_DIR_MODES: tuple[str, ...] = get_args(LocaleDirMode)


@dataclass(frozen=True)
class LocaleFolders:
    """Which leading folders are locales, and which locales the wiki has.

    ``auto``: a folder that names an installed locale; ``always``: any
    folder shaped like a locale code (``de``, ``pt-br``), refused if the
    wiki lacks it; ``never``: folders are always part of the path.
    ``installed`` empty means "not known" (nothing is refused for it).
    """

    mode: LocaleDirMode = "auto"
    installed: frozenset[str] = frozenset()

    def is_locale(self, folder: str) -> bool:
        if self.mode == "never":
            return False
        if self.mode == "always":
            return bool(LOCALE_FOLDER.match(folder))
        return folder.lower() in self.installed

    def check(self, locale: str, file: str) -> None:
        if self.installed and locale.lower() not in self.installed:
            raise PageFileError(f"{file}: {unknown_locale(locale, self.installed)}")


def unknown_locale(locale: str, installed: frozenset[str] | set[str]) -> str:
    """The message for a locale the wiki does not have."""
    return (
        f"locale {locale!r} is not installed on this wiki "
        f"(installed: {', '.join(sorted(installed))})"
    )


@dataclass(frozen=True)
class PageFile:
    """One Markdown file, read for import.

    ``None`` fields were not in the front matter: a new page gets defaults,
    an existing page keeps what it has.
    """

    file: str
    locale: str
    path: str
    content: str
    title: str | None = None
    description: str | None = None
    tags: tuple[str, ...] | None = None
    published: bool | None = None
    private: bool | None = None
    editor: str | None = None
    fallback_title: str = ""
    ignored_keys: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return (self.locale, self.path)


def _text(meta: Mapping[str, Any], key: str, file: str) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise PageFileError(f"{file}: {key} must be text")
    return str(value)


def _flag(meta: Mapping[str, Any], key: str, file: str) -> bool | None:
    value = meta.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise PageFileError(f"{file}: {key} must be true or false")


def _tags(meta: Mapping[str, Any], file: str) -> tuple[str, ...] | None:
    value = meta.get("tags")
    if value is None:
        return None
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(t, (str, int)) for t in value):
        raise PageFileError(f"{file}: tags must be a list of names")
    return tuple(str(t) for t in value if str(t).strip())


def read_page_file(
    relative: PurePosixPath,
    text: str,
    *,
    default_locale: str,
    folders: LocaleFolders | None = None,
) -> PageFile:
    """Turn one file (its path under the import folder and its text) into a :class:`PageFile`.

    Raises:
        PageFileError: bad front matter, a locale conflict or one the wiki
            lacks, or an illegal path.
    """
    folders = folders or LocaleFolders()
    file = relative.as_posix()
    try:
        meta, content = _frontmatter.split(text)
    except _frontmatter.FrontMatterError as exc:
        raise PageFileError(f"{file}: {exc}") from None
    meta = meta or {}
    parts = list(relative.parts)
    parts[-1] = parts[-1].rsplit(".", 1)[0]
    stated_locale = _text(meta, "locale", file)
    folder_locale: str | None = None
    if len(parts) > 1 and (
        folders.is_locale(parts[0])
        or (
            folders.mode != "never"
            and stated_locale is not None
            and parts[0].lower() == stated_locale.lower()
        )
    ):
        folder_locale = parts.pop(0)
    if folder_locale and stated_locale and folder_locale.lower() != stated_locale.lower():
        raise PageFileError(
            f"{file}: the folder says locale {folder_locale!r}, the front matter {stated_locale!r}"
        )
    locale = folder_locale or stated_locale or default_locale
    stated_path = _text(meta, "path", file)
    try:
        locale = v.check_locale(locale)
        path = v.normalize_path(stated_path if stated_path is not None else "/".join(parts))
    except ValidationError as exc:
        raise PageFileError(f"{file}: {exc.message}") from None
    folders.check(locale, file)
    if not content.strip():
        raise PageFileError(f"{file}: the page content is empty (Wiki.js refuses empty pages)")
    heading = _HEADING.search(content)
    return PageFile(
        file=file,
        locale=locale,
        path=path,
        content=content,
        title=_text(meta, "title", file),
        description=_text(meta, "description", file),
        tags=_tags(meta, file),
        published=_flag(meta, "published", file),
        private=_flag(meta, "private", file),
        editor=_text(meta, "editor", file),
        fallback_title=heading.group(1) if heading else relative.name.rsplit(".", 1)[0],
        ignored_keys=tuple(k for k in meta if k not in KNOWN_KEYS),
    )


#: What importing a file does; ``interrupted`` (sent when Ctrl-C came, maybe
#: written) and ``skipped`` (not sent) exist only after an interrupted run.
Kind = Literal["create", "update", "unchanged", "failed", "interrupted", "skipped"]


@dataclass
class Action:
    """What importing one file does (or did)."""

    file: str
    locale: str
    path: str
    kind: Kind
    fields: dict[str, Any] = field(default_factory=dict)
    page_id: int | None = None
    error: str | None = None
    #: Bytes this file adds to a write request (estimated when planned).
    size: int = 0
    #: The page as stored after a successful write.
    page: Page | None = None


def create_fields(item: PageFile) -> dict[str, Any]:
    """``pages.create`` arguments for a new page, defaults filled in."""
    fields: dict[str, Any] = {
        "title": item.title if item.title is not None else item.fallback_title,
        "path": item.path,
        "locale": item.locale,
        "content": item.content,
        "description": item.description or "",
        "tags": list(item.tags or ()),
        "is_published": True if item.published is None else item.published,
        "is_private": bool(item.private),
    }
    if item.editor is not None:
        fields["editor"] = item.editor
    return fields


def update_fields(item: PageFile, page: Page) -> dict[str, Any]:
    """The fields of ``page`` that the file changes (only those the file states)."""
    changes: dict[str, Any] = {}
    if item.content != page.content:
        changes["content"] = item.content
    if item.title is not None and item.title != page.title:
        changes["title"] = item.title
    if item.description is not None and item.description != page.description:
        changes["description"] = item.description
    if item.tags is not None and sorted(item.tags) != sorted(t.tag for t in page.tags):
        changes["tags"] = list(item.tags)
    if item.published is not None and item.published != page.is_published:
        changes["is_published"] = item.published
    if item.private is not None and item.private != page.is_private:
        changes["is_private"] = item.private
    return changes


def plan(items: Iterable[PageFile], existing: Mapping[tuple[str, str], Page]) -> list[Action]:
    """What to do with each file, given the wiki's current pages by ``(locale, path)``."""
    actions: list[Action] = []
    claimed: dict[tuple[str, str], str] = {}
    for item in items:
        if item.key in claimed:
            actions.append(
                Action(
                    item.file,
                    item.locale,
                    item.path,
                    "failed",
                    error=f"{claimed[item.key]} is the same page ({item.locale}/{item.path})",
                )
            )
            continue
        claimed[item.key] = item.file
        page = existing.get(item.key)
        if page is None:
            actions.append(Action(item.file, item.locale, item.path, "create", create_fields(item)))
            continue
        changes = update_fields(item, page)
        kind: Kind = "update" if changes else "unchanged"
        actions.append(Action(item.file, item.locale, item.path, kind, changes, page.id))
    return actions


def under(path: str, prefix: str | None) -> bool:
    """Whether a page path is ``prefix`` or below it (no prefix: every path)."""
    if not prefix:
        return True
    prefix = prefix.strip("/")
    return path == prefix or path.startswith(prefix + "/")


def export_path(page_id: int, locale: str, path: str) -> PurePosixPath:
    """Where a page goes under the export folder: ``<locale>/<path>.md``.

    Raises:
        PageFileError: the page's path cannot be a file name.
    """
    parts = path.split("/")
    try:
        v.check_locale(locale)
    except ValidationError:
        parts = []
    if not parts or any(part in ("", ".", "..") for part in parts):
        raise PageFileError(f"page {page_id} ({locale}/{path}) cannot be a file name")
    return PurePosixPath(locale, *parts[:-1], parts[-1] + ".md")


def export_document(page: Page) -> tuple[PurePosixPath, str]:
    """Where a page goes under the export folder, and the file's text.

    Raises:
        PageFileError: the page's path cannot be a file name.
    """
    relative = export_path(page.id, page.locale, page.path)
    meta: dict[str, Any] = {
        "title": page.title,
        "description": page.description,
        "tags": [tag.tag for tag in page.tags],
        "locale": page.locale,
        "editor": page.editor,
        "published": page.is_published,
        "private": page.is_private,
    }
    return relative, _frontmatter.dump(meta) + page.content
