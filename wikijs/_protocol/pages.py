"""Pages: input models and the safe partial update. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field, field_validator

from .._facts import DEFAULT_EDITOR, DEFAULT_LOCALE
from . import validation as v
from .inputs import InputModel

if TYPE_CHECKING:
    from wikijs._generated.fragments import Page


def check_title(value: Any) -> str:
    """A page title: text that is not blank (Wiki.js would store a page nobody can name)."""
    return v.check_text(value, "title", allow_empty=False)


#: The editors Wiki.js 2.5 accepts (``EDITORS``), for type checkers.
Editor = Literal["markdown", "code", "ckeditor"]


class PageCreate(InputModel):
    """A new page.

    Example::

        client.pages.create(PageCreate(title="Start", path="docs/start",
                                       content="# Hello", tags=["docs"]))

    Attributes:
        title: the page title (not blank).
        path: where the page lives, e.g. ``docs/start`` (no ``.``, spaces,
            ``\\``, ``//``, ``?`` or ``#``; leading/trailing ``/`` removed).
        content: the source text; cannot be empty.
        description: a short summary shown in listings and search.
        editor: ``markdown`` (default), ``code`` or ``ckeditor``.
        locale: the page's locale, ``en`` by default.
        is_published: visible to readers (default ``True``).
        is_private: private page (default ``False``).
        tags: tag names.
        script_css: page-specific CSS.
        script_js: page-specific JavaScript.
        publish_start_date: publish from this moment.
        publish_end_date: publish until this moment.
    """

    title: str
    path: str
    content: str
    description: str = ""
    editor: str = DEFAULT_EDITOR
    locale: str = DEFAULT_LOCALE
    is_published: bool = True
    is_private: bool = False
    tags: list[str] = Field(default_factory=list)
    script_css: str | None = None
    script_js: str | None = None
    publish_start_date: datetime | None = None
    publish_end_date: datetime | None = None

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, value: Any) -> Any:
        return value if value is None else check_title(value)

    @field_validator("description", "script_css", "script_js", mode="before")
    @classmethod
    def _text(cls, value: Any, info: Any) -> Any:
        return value if value is None else v.check_text(value, info.field_name)

    @field_validator("path", mode="before")
    @classmethod
    def _path(cls, value: Any) -> str:
        return v.normalize_path(value)

    @field_validator("content", mode="before")
    @classmethod
    def _content(cls, value: Any) -> str:
        return v.check_content(value)

    @field_validator("editor", mode="before")
    @classmethod
    def _editor(cls, value: Any) -> str:
        return v.check_editor(value)

    @field_validator("locale", mode="before")
    @classmethod
    def _locale(cls, value: Any) -> str:
        return v.check_locale(value)

    @field_validator("tags", mode="before")
    @classmethod
    def _tags(cls, value: Any) -> list[str]:
        return v.check_tags(value)

    @field_validator("publish_start_date", "publish_end_date", mode="before")
    @classmethod
    def _moment(cls, value: Any, info: Any) -> Any:
        return v.check_moment(value, info.field_name)

    def variables(self) -> dict[str, Any]:
        """Keyword arguments for the generated ``create_page``."""
        out: dict[str, Any] = {
            "title": self.title,
            "path": self.path,
            "content": self.content,
            "description": self.description,
            "editor": self.editor,
            "locale": self.locale,
            "is_published": self.is_published,
            "is_private": self.is_private,
            "tags": list(self.tags),
        }
        for name in ("script_css", "script_js", "publish_start_date", "publish_end_date"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


class PageUpdate(InputModel):
    """Changes to a page: only the fields you set are changed.

    ``client.pages.update`` reads the page first and sends every field, so
    nothing is unpublished, blanked or untagged by omission (Wiki.js's own
    ``pages.update`` is not partial). Set ``publish_start_date`` or
    ``publish_end_date`` to ``None`` to clear them.

    Example::

        client.pages.update(12, PageUpdate(title="New title"))
        client.pages.update(12, tags=["a", "b"], is_published=False)
    """

    title: str | None = None
    path: str | None = None
    content: str | None = None
    description: str | None = None
    editor: str | None = None
    locale: str | None = None
    is_published: bool | None = None
    is_private: bool | None = None
    tags: list[str] | None = None
    script_css: str | None = None
    script_js: str | None = None
    publish_start_date: datetime | None = None
    publish_end_date: datetime | None = None

    _nullable: ClassVar[frozenset[str]] = frozenset({"publish_start_date", "publish_end_date"})

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, value: Any) -> Any:
        return value if value is None else check_title(value)

    @field_validator("description", "script_css", "script_js", mode="before")
    @classmethod
    def _text(cls, value: Any, info: Any) -> Any:
        return value if value is None else v.check_text(value, info.field_name)

    @field_validator("path", mode="before")
    @classmethod
    def _path(cls, value: Any) -> Any:
        return value if value is None else v.normalize_path(value)

    @field_validator("content", mode="before")
    @classmethod
    def _content(cls, value: Any) -> Any:
        return value if value is None else v.check_content(value)

    @field_validator("editor", mode="before")
    @classmethod
    def _editor(cls, value: Any) -> Any:
        return value if value is None else v.check_editor(value)

    @field_validator("locale", mode="before")
    @classmethod
    def _locale(cls, value: Any) -> Any:
        return value if value is None else v.check_locale(value)

    @field_validator("tags", mode="before")
    @classmethod
    def _tags(cls, value: Any) -> Any:
        return value if value is None else v.check_tags(value)

    @field_validator("publish_start_date", "publish_end_date", mode="before")
    @classmethod
    def _moment(cls, value: Any, info: Any) -> Any:
        return v.check_moment(value, info.field_name)


def _date(value: Any) -> Any:
    return value if isinstance(value, datetime) else None


def merged_update_variables(page: Page, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Every ``update_page`` argument: the page's current values, then ``changes``.

    ``page`` is a :class:`~wikijs.models.Page`. Wiki.js treats omitted
    fields as empty (content → 6004, isPublished → unpublished, scripts →
    blank, tags → half-applied failure), so all of them are always sent.
    Publish dates that are (or become) unset are left out: Wiki.js stores
    an omitted date as unset.
    """
    current: dict[str, Any] = {
        "title": page.title,
        "path": page.path,
        "content": page.content,
        "description": page.description,
        "editor": page.editor,
        "locale": page.locale,
        "is_published": page.is_published,
        "is_private": page.is_private,
        "tags": [tag.tag for tag in page.tags],
        "script_css": page.script_css or "",
        "script_js": page.script_js or "",
        "publish_start_date": _date(page.publish_start_date),
        "publish_end_date": _date(page.publish_end_date),
    }
    current.update(changes)
    for name in ("publish_start_date", "publish_end_date"):
        if current[name] is None:
            del current[name]
    return {"id": page.id, **current}


#: The fields a page update sends, every one (see :func:`merged_update_variables`).
UPDATE_FIELDS = frozenset(
    {
        "title",
        "path",
        "content",
        "description",
        "editor",
        "locale",
        "is_published",
        "is_private",
        "tags",
        "script_css",
        "script_js",
        "publish_start_date",
        "publish_end_date",
    }
)


def full_update_variables(page_id: int, changes: Mapping[str, Any]) -> dict[str, Any] | None:
    """The ``update_page`` arguments when ``changes`` gives every field, else ``None``.

    Such an update needs nothing of the page as it is, so it is sent without
    reading the page first (what :func:`merged_update_variables` would take
    from it, ``changes`` overrides).
    """
    if not changes.keys() >= UPDATE_FIELDS:
        return None
    variables = {name: changes[name] for name in UPDATE_FIELDS}
    for name in ("publish_start_date", "publish_end_date"):
        if variables[name] is None:
            del variables[name]
    return {"id": page_id, **variables}


def list_is_complete(items: Sequence[Any], previous: Sequence[Any] | None, wanted: int) -> bool:
    """Whether a ``pages.list(limit=N)`` answer holds its first ``wanted`` pages whole.

    Wiki.js applies ``limit`` to joined page x tag rows, so only the last page
    of an answer can miss tags (its rows are adjacent in the id order). With
    more than ``wanted`` pages, the first ``wanted`` are whole. Otherwise the
    answer is complete only when a larger limit (``previous`` was asked with
    half of it) brought no new page and no new tag on the last one.
    """
    if len(items) > wanted:
        return True
    if previous is None or len(previous) != len(items):
        return False
    if not items:
        return True
    return list(previous[-1].tags) == list(items[-1].tags)


def is_created_page(page: Any, spec: PageCreate) -> bool:
    """Whether ``page`` (found at ``spec``'s path) is the one ``spec`` creates.

    Used after a create whose outcome is unknown: the same title and content
    mean our earlier attempt landed, anything else is someone else's page.
    """
    return bool(page.title == spec.title and page.content == spec.content)


def update_applied(page: Any, variables: Mapping[str, Any]) -> bool:
    """Whether ``page`` (read back) shows the update ``variables`` describe.

    Compares what Wiki.js stores as sent: title, description, content, the
    published and private flags, and the tag set (``scriptCss`` is compared
    nowhere: the server minifies it).
    """
    checks = {
        "title": page.title,
        "description": page.description,
        "content": page.content,
        "isPublished": page.is_published,
        "isPrivate": page.is_private,
    }
    for key, stored in checks.items():
        if key in variables and variables[key] != stored:
            return False
    if "tags" in variables:
        sent = {str(t).strip().lower() for t in variables["tags"] or ()}
        if sent != {t.tag for t in page.tags}:
            return False
    return True
