"""Pages as Markdown files, for ``pages import``, ``pages export`` and ``sync``. Pure: no I/O.

A file ``<root>/<locale>/<path>.md`` (or ``<root>/<path>.md``, locale from
the front matter or ``--locale``) holds one page: front matter, then the
content. The wiki stores ``title``, ``description``, ``tags``,
``published``, ``private``, ``locale``, ``editor`` (and the file may say
``path``); any other key stays in the file only (listed once by the
import). A file name becomes a wiki path by the rule of :mod:`._names`.

Whether a leading folder is a locale is decided by :class:`LocaleFolders`:
by default only when it names a locale the wiki has, so ``kb/intro.md``
is the page ``kb/intro`` in the default locale, not ``intro`` in a locale
called "kb".

Writing a page back (:func:`page_document`) into a file that exists keeps
that file's front matter and changes only the keys whose value the wiki
changed (adding a key the file did not state when the wiki's value is not
the one the file implies); links the import turned into wiki links are
written back as the file had them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Literal, get_args

from .. import paths as v
from ..errors import ValidationError
from . import _frontmatter, _links
from ._manifest import Entry, sha256, stamp
from ._names import MAX_PATH_LENGTH, NameProblem, page_path

if TYPE_CHECKING:
    from ..models import Page

MARKDOWN_SUFFIXES = (".md", ".markdown")
#: The front matter keys the wiki stores (``path`` and ``locale`` place the page).
KNOWN_KEYS = ("title", "description", "tags", "published", "private", "locale", "editor", "path")
LOCALE_FOLDER = re.compile(r"^[a-z]{2}(-[a-z]{2})?$", re.IGNORECASE)
#: Wiki.js stores titles and descriptions in ``varchar(255)`` columns.
MAX_TEXT_LENGTH = 255
#: The content of a page whose file has no text (front matter only, such as
#: a redirect): Wiki.js refuses empty pages, and readers see nothing of it.
#: Written back, the file's text is empty again.
EMPTY_PAGE = "<!-- empty page: its file holds front matter only -->\n"
_FLAGS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


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
    an existing page keeps what it has. ``body`` is the file after its
    front matter; ``content`` the same with relative links made wiki links
    (``links`` records which destination came from which link as written).
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
    body: str = ""
    front_matter: _frontmatter.Block | None = None
    links: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: The locale and path the file's location implies (what ``locale:`` and
    #: ``path:`` would have to say to change nothing).
    implied: tuple[str, str] = ("", "")

    @property
    def key(self) -> tuple[str, str]:
        return (self.locale, self.path)


def _text(meta: Mapping[str, Any], key: str, file: str) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise PageFileError(f"{file}: {key} must be text")
    return str(value)


def _flag(meta: Mapping[str, Any], key: str, file: str) -> bool | None:
    value = meta.get(key)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _FLAGS:
        return _FLAGS[value.strip().lower()]
    raise PageFileError(f"{file}: {key} must be true or false")


def _tags(meta: Mapping[str, Any], file: str) -> tuple[str, ...] | None:
    value = meta.get("tags")
    if value is None:
        return None
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",")]
    if not isinstance(value, list) or not all(
        isinstance(t, (str, int, float)) and not isinstance(t, bool) for t in value
    ):
        raise PageFileError(f"{file}: tags must be a list of names")
    return tuple(str(t) for t in value if str(t).strip())


def first_heading(text: str) -> str | None:
    """The text of the first ``# heading`` line (its closing ``#``s dropped); linear time."""
    position = 0
    while position < len(text):
        end = text.find("\n", position)
        end = len(text) if end == -1 else end
        line = text[position:end]
        if line.startswith("#") and len(line) > 1 and line[1] in " \t":
            title = line[1:].strip(" \t\r")
            stripped = title.rstrip("#")
            if stripped != title and (not stripped or stripped[-1] in " \t"):
                title = stripped.rstrip(" \t")
            if title:
                return title
        position = end + 1
    return None


def path_of_file(relative: PurePosixPath, folders: LocaleFolders) -> tuple[str | None, list[str]]:
    """``(locale folder or None, the remaining parts)`` of a file's location (no suffix)."""
    parts = list(relative.parts)
    parts[-1] = parts[-1].rsplit(".", 1)[0]
    if len(parts) > 1 and folders.is_locale(parts[0]):
        return parts[0], parts[1:]
    return None, parts


def read_page_file(
    relative: PurePosixPath,
    text: str,
    *,
    default_locale: str,
    folders: LocaleFolders | None = None,
    strict_names: bool = False,
) -> PageFile:
    """Turn one file (its path under the import folder and its text) into a :class:`PageFile`.

    Raises:
        PageFileError: bad front matter, a locale conflict or one the wiki
            lacks, a name that cannot be a wiki path (every problem of it),
            or a value Wiki.js cannot store.
    """
    folders = folders or LocaleFolders()
    file = relative.as_posix()
    try:
        block, body = _frontmatter.read(text)
    except _frontmatter.FrontMatterError as exc:
        raise PageFileError(f"{file}: {exc}") from None
    meta: Mapping[str, Any] = block.values if block is not None else {}
    stated_locale = _text(meta, "locale", file)
    folder_locale, parts = path_of_file(relative, folders)
    if (
        folder_locale is None
        and len(parts) > 1
        and folders.mode != "never"
        and stated_locale is not None
        and parts[0].lower() == stated_locale.lower()
    ):
        folder_locale, parts = parts[0], parts[1:]
    if folder_locale and stated_locale and folder_locale.lower() != stated_locale.lower():
        raise PageFileError(
            f"{file}: the folder says locale {folder_locale!r}, the front matter {stated_locale!r}"
        )
    locale = folder_locale or stated_locale or default_locale
    stated_path = _text(meta, "path", file)
    try:
        locale = v.check_locale(locale)
        named = page_path(parts, strict=strict_names, name=file) if stated_path is None else ""
        path = v.normalize_path(stated_path if stated_path is not None else named)
    except NameProblem as exc:
        raise PageFileError(f"{file}: cannot be a wiki path: {'; '.join(exc.problems)}") from None
    except ValidationError as exc:
        raise PageFileError(f"{file}: {exc.message}") from None
    folders.check(locale, file)
    title = _text(meta, "title", file)
    description = _text(meta, "description", file)
    for name, value in (("title", title), ("description", description), ("path", path)):
        if value is not None and len(value) > MAX_TEXT_LENGTH:
            raise PageFileError(
                f"{file}: the {name} is {len(value)} characters; Wiki.js stores at most "
                f"{MAX_TEXT_LENGTH}"
            )
    fallback = (first_heading(body) or relative.name.rsplit(".", 1)[0])[:MAX_TEXT_LENGTH]
    implied = (folder_locale or default_locale, _implied_path(parts))
    return PageFile(
        file=file,
        locale=locale,
        path=path,
        content=body if body.strip() else body + EMPTY_PAGE,
        title=title,
        description=description,
        tags=_tags(meta, file),
        published=_flag(meta, "published", file),
        private=_flag(meta, "private", file),
        editor=_text(meta, "editor", file),
        fallback_title=fallback,
        ignored_keys=tuple(k for k in meta if k not in KNOWN_KEYS),
        body=body,
        front_matter=block,
        implied=implied,
    )


def _implied_path(parts: list[str]) -> str:
    try:
        return page_path(parts)
    except NameProblem:
        return ""


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
    #: The file read, for a create or an update.
    item: PageFile | None = None


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
    if item.tags is not None and tag_set(item.tags) != tag_set(t.tag for t in page.tags):
        changes["tags"] = list(item.tags)
    if item.published is not None and item.published != page.is_published:
        changes["is_published"] = item.published
    if item.private is not None and item.private != page.is_private:
        changes["is_private"] = item.private
    return changes


def tag_set(tags: Iterable[str]) -> frozenset[str]:
    """Tags as Wiki.js stores them: trimmed, lower-cased, once each
    (``server/models/tags.js``, ``associateTags``)."""
    return frozenset(tag.strip().lower() for tag in tags if tag.strip())


def wiki_only_changes(item: PageFile, page: Page) -> list[str]:
    """Fields the file does not state whose value in the wiki differs from what it implies.

    A pull writes them into the front matter.
    """
    return sorted(_front_matter_changes(item, page))


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
            fields = create_fields(item)
            actions.append(Action(item.file, item.locale, item.path, "create", fields, item=item))
            continue
        changes = update_fields(item, page)
        kind: Kind = "update" if changes else "unchanged"
        actions.append(
            Action(item.file, item.locale, item.path, kind, changes, page.id, item=item, page=page)
        )
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
    if (
        not parts
        or len(path) > MAX_PATH_LENGTH * 4
        or any(part in ("", ".", "..") or "\x00" in part for part in parts)
    ):
        raise PageFileError(f"page {page_id} ({locale}/{path!r}) cannot be a file name")
    return PurePosixPath(locale, *parts[:-1], parts[-1] + ".md")


def page_digest(page: Page) -> str:
    """A fingerprint of what the wiki holds of a page (its stored fields and content)."""
    data = [
        page.title,
        page.description,
        sorted(tag.tag for tag in page.tags),
        page.locale,
        page.path,
        page.editor,
        page.is_published,
        page.is_private,
        page.content,
    ]
    return sha256(json.dumps(data, ensure_ascii=False).encode("utf-8"))


def _fresh_meta(page: Page) -> dict[str, Any]:
    return {
        "title": page.title,
        "description": page.description,
        "tags": [tag.tag for tag in page.tags],
        "locale": page.locale,
        "editor": page.editor,
        "published": page.is_published,
        "private": page.is_private,
    }


def _front_matter_changes(item: PageFile, page: Page) -> dict[str, Any]:
    """The keys to write into ``item``'s front matter so that it reads as ``page``."""
    content = page.content
    fallback = (first_heading(content) or item.file.rsplit("/", 1)[-1].rsplit(".", 1)[0])[
        :MAX_TEXT_LENGTH
    ]
    tags = [tag.tag for tag in page.tags]
    wanted: list[tuple[str, Any, Any, bool]] = [
        # (key, the wiki's value, what the file says or implies, equal?)
        ("title", page.title, item.title if item.title is not None else fallback, False),
        ("description", page.description, item.description or "", False),
        ("tags", tags, list(item.tags or ()), tag_set(tags) == tag_set(item.tags or ())),
        ("published", page.is_published, True if item.published is None else item.published, False),
        ("private", page.is_private, bool(item.private), False),
        ("editor", page.editor, item.editor or "markdown", False),
    ]
    changes: dict[str, Any] = {}
    for key, wiki, file, same in wanted:
        if not same and wiki != file:
            changes[key] = wiki
    if item.locale != page.locale:
        changes["locale"] = page.locale
    if item.path != page.path:
        changes["path"] = page.path
    return changes


def page_document(
    page: Page, existing: PageFile | None = None, links: Mapping[str, Iterable[str]] | None = None
) -> str:
    """The file's text for ``page``.

    Without ``existing``, a fresh file: every stored field in the front
    matter, then the content. With it (the file as it is now), its front
    matter with only the keys the page changes rewritten, and the content.
    ``links`` (destination → the forms the file wrote, in order) turns the
    wiki links an import made back into what the file had.

    Raises:
        PageFileError: the front matter cannot be rewritten safely.
    """
    body = restore_links(without_placeholder(page.content), links or {})
    if existing is None:
        return _frontmatter.dump(_fresh_meta(page)) + body
    changes = _front_matter_changes(existing, page)
    try:
        head = _frontmatter.rewrite(existing.front_matter, changes)
    except _frontmatter.FrontMatterError as exc:
        raise PageFileError(f"{existing.file}: {exc}") from None
    return head + body


def file_head(data: bytes) -> str | None:
    """What a file holds before its body (its front matter as written, or ``""``);
    None when the file cannot be read as text with front matter."""
    try:
        return _frontmatter.head(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, _frontmatter.FrontMatterError):
        return None


def manifest_entry(page: Page, data: bytes, links: Mapping[str, Iterable[str]]) -> Entry:
    """The manifest's record of a file holding ``data`` that agrees with ``page`` now
    (import, export, push or pull); ``links`` as :class:`~._manifest.Entry` keeps them."""
    return Entry(
        page.id,
        page.locale,
        page.path,
        stamp(page.updated_at),
        page_digest(page),
        sha256(data),
        {key: list(forms) for key, forms in links.items()},
        file_head(data),
    )


def without_placeholder(content: str) -> str:
    """The file's text for a page's content (:data:`EMPTY_PAGE` stands for no text)."""
    rest = content.removesuffix(EMPTY_PAGE)
    return rest if rest != content and not rest.strip() else content


def restore_links(content: str, links: Mapping[str, Iterable[str]]) -> str:
    """``content`` with each recorded destination written as the file wrote it, in order."""
    if not links:
        return content
    queues = {key: list(forms) for key, forms in links.items() if forms}
    used: dict[str, int] = {}

    def back(link: _links.Link) -> str | None:
        forms = queues.get(link.target)
        if not forms:
            return None
        count = used.get(link.target, 0)
        used[link.target] = count + 1
        return forms[min(count, len(forms) - 1)]

    return _links.rewrite(content, back)
