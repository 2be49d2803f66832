"""``wikijs pages …``: list, get, create, update, delete, import, export."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import click

from .._constants import DEFAULT_BATCH_SIZE, DEFAULT_LOCALE
from .._core.wikijs_facts import LOCALE_SEGMENT
from ..batch import BatchItemError
from . import _output
from ._pagefiles import (
    MARKDOWN_SUFFIXES,
    Action,
    PageFile,
    PageFileError,
    export_document,
    plan,
    read_page_file,
)
from ._session import Session, WikiGroup, describe, pass_session

if TYPE_CHECKING:
    from .. import WikiJSClient
    from ..models import Page, PageListItem

FILTER_FIELDS = ("title", "path", "tag", "locale")


@click.group(cls=WikiGroup)
def pages() -> None:
    """Read and write pages."""


# -- helpers ----------------------------------------------------------------------


def parse_filter(text: str) -> tuple[str | None, str]:
    """``title:API`` → ``("title", "api")``; bare text matches title or path."""
    name, colon, needle = text.partition(":")
    if not colon:
        return None, text.lower()
    name = name.strip().lower()
    if name not in FILTER_FIELDS:
        raise click.BadParameter(
            f"unknown field {name!r}; filter on {', '.join(FILTER_FIELDS)} (e.g. title:API)",
            param_hint="--filter",
        )
    return name, needle.lower()


def matches(item: PageListItem, filters: Sequence[tuple[str | None, str]]) -> bool:
    for name, needle in filters:
        if name is None:
            haystacks = [item.title or "", item.path]
        elif name == "tag":
            haystacks = list(item.tags or [])
        elif name == "title":
            haystacks = [item.title or ""]
        else:
            haystacks = [getattr(item, name) or ""]
        if not any(needle in hay.lower() for hay in haystacks):
            return False
    return True


def page_ref(value: str, locale: str | None) -> int | tuple[str, str]:
    """``12`` → an id; ``docs/start`` or ``de/docs/start`` → ``(path, locale)``."""
    text = value.strip()
    if text.isdigit():
        return int(text)
    path = text.strip("/")
    first, slash, rest = path.partition("/")
    if slash and LOCALE_SEGMENT.match(first) and locale is None:
        return rest, first
    return path, locale or DEFAULT_LOCALE


def fetch(client: WikiJSClient, value: str, locale: str | None) -> Page:
    ref = page_ref(value, locale)
    if isinstance(ref, int):
        return client.pages.get(ref)
    return client.pages.get_by_path(ref[0], ref[1])


def read_content(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    try:
        return Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise click.BadParameter(
            f"cannot read {source}: {exc.strerror or exc}", param_hint="--content-file"
        ) from None


def slug(title: str) -> str:
    """A page path from a title: ``"API Guide!"`` → ``api-guide``."""
    words = re.findall(r"[^\W_]+", title.lower())
    return "-".join(words)


def summary_pairs(page: Page) -> list[tuple[str, Any]]:
    return [
        ("id", page.id),
        ("path", f"{page.locale}/{page.path}"),
        ("title", page.title),
        ("description", page.description or None),
        ("tags", [tag.tag for tag in page.tags]),
        ("published", page.is_published),
        ("editor", page.editor),
        ("created", page.created_at),
        ("updated", f"{_output.cell(page.updated_at)} by {page.author_name}"),
    ]


def show_page(session: Session, page: Page, verb: str) -> None:
    if session.json:
        session.print_json(page)
    else:
        session.print(f"{verb} page #{page.id} {page.locale}/{page.path} ({page.title})")


# -- list / get ---------------------------------------------------------------------


@pages.command("list")
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="FIELD:TEXT",
    help="Keep pages whose FIELD (title, path, tag, locale) contains TEXT, ignoring case; "
    "bare TEXT matches title or path. Repeat to narrow.",
)
@click.option("--limit", type=click.IntRange(min=1), help="At most this many pages.")
@click.option("--locale", help="Only pages in this locale.")
@click.option("--tag", "tags", multiple=True, help="Only pages with this tag (repeatable).")
@click.option(
    "--order-by",
    type=click.Choice(["id", "path", "title", "created", "updated"], case_sensitive=False),
    default="path",
    show_default=True,
)
@pass_session
def list_pages(
    session: Session,
    filters: tuple[str, ...],
    limit: int | None,
    locale: str | None,
    tags: tuple[str, ...],
    order_by: str,
) -> None:
    """List pages (id, path, title, tags, last update)."""
    parsed = [parse_filter(text) for text in filters]
    client = session.client()
    items = client.pages.list(
        limit=None if parsed else limit,
        order_by=order_by,
        locale=locale,
        tags=list(tags) or None,
    )
    if parsed:
        items = [item for item in items if matches(item, parsed)][:limit]
    if session.json:
        session.print_json(items)
        return
    session.print(
        _output.table(
            ["ID", "PATH", "TITLE", "TAGS", "UPDATED"],
            ([i.id, f"{i.locale}/{i.path}", i.title, i.tags, i.updated_at] for i in items),
        )
    )


@pages.command("get")
@click.argument("page")
@click.option("--locale", help="Locale of a PAGE given as a path (default: en).")
@click.option("--content", "content_only", is_flag=True, help="Print only the page's source.")
@pass_session
def get_page(session: Session, page: str, locale: str | None, content_only: bool) -> None:
    """Show a page: PAGE is an id (12), a path (docs/start) or locale/path (de/docs/start)."""
    found = fetch(session.client(), page, locale)
    if content_only:
        click.echo(found.content, nl=not found.content.endswith("\n"))
    elif session.json:
        session.print_json(found)
    else:
        session.print(_output.fields(summary_pairs(found)))
        session.print("")
        session.print(found.content)


# -- create / update / delete -----------------------------------------------------


def content_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option(
        "--content-file",
        metavar="PATH",
        help="Read the content from this file ('-': standard input).",
    )(f)
    return click.option("--content", "content_text", metavar="TEXT", help="The content itself.")(f)


def content_from(content_text: str | None, content_file: str | None) -> str | None:
    if content_text is not None and content_file is not None:
        raise click.UsageError("give --content or --content-file, not both")
    if content_file is not None:
        return read_content(content_file)
    return content_text


@pages.command("create")
@click.option("--title", required=True, help="The page title.")
@click.option("--path", help="Where it lives, e.g. docs/start (default: from the title).")
@content_options
@click.option("--locale", default=DEFAULT_LOCALE, show_default=True)
@click.option("--description", default="", help="A short summary.")
@click.option("--tag", "tags", multiple=True, help="A tag (repeatable).")
@click.option("--editor", default="markdown", show_default=True, help="markdown, code or ckeditor.")
@click.option("--unpublished", is_flag=True, help="Create it hidden from readers.")
@click.option("--private", "is_private", is_flag=True, help="Make it a private page.")
@pass_session
def create_page(
    session: Session,
    title: str,
    path: str | None,
    content_text: str | None,
    content_file: str | None,
    locale: str,
    description: str,
    tags: tuple[str, ...],
    editor: str,
    unpublished: bool,
    is_private: bool,
) -> None:
    """Create a page."""
    content = content_from(content_text, content_file)
    if content is None:
        raise click.UsageError("give the content with --content-file PATH (or '-') or --content")
    if path is None:
        path = slug(title)
        if not path:
            raise click.UsageError("cannot derive a path from this title: give --path")
    page = session.client().pages.create(
        title=title,
        path=path,
        content=content,
        locale=locale,
        description=description,
        tags=list(tags),
        editor=editor,
        is_published=not unpublished,
        is_private=is_private,
    )
    show_page(session, page, "created")


@pages.command("update")
@click.argument("page")
@click.option("--locale", help="Locale of a PAGE given as a path.")
@click.option("--title", help="New title.")
@click.option("--path", "new_path", help="New path (moves the page).")
@content_options
@click.option("--description", help="New description.")
@click.option("--tag", "tags", multiple=True, help="Replace the tags (repeatable).")
@click.option("--clear-tags", is_flag=True, help="Remove every tag.")
@click.option("--publish/--unpublish", "published", default=None, help="Show or hide it.")
@pass_session
def update_page(
    session: Session,
    page: str,
    locale: str | None,
    title: str | None,
    new_path: str | None,
    content_text: str | None,
    content_file: str | None,
    description: str | None,
    tags: tuple[str, ...],
    clear_tags: bool,
    published: bool | None,
) -> None:
    """Change only the given fields of PAGE (id, path or locale/path); the rest is kept."""
    if tags and clear_tags:
        raise click.UsageError("give --tag or --clear-tags, not both")
    changes: dict[str, Any] = {}
    content = content_from(content_text, content_file)
    for name, value in (
        ("title", title),
        ("path", new_path),
        ("content", content),
        ("description", description),
        ("is_published", published),
    ):
        if value is not None:
            changes[name] = value
    if tags or clear_tags:
        changes["tags"] = list(tags)
    if not changes:
        raise click.UsageError("nothing to change: give --title, --content-file, --tag, …")
    client = session.client()
    ref = page_ref(page, locale)
    page_id = ref if isinstance(ref, int) else fetch(client, page, locale).id
    updated = client.pages.update(page_id, **changes)
    show_page(session, updated, "updated")


@pages.command("delete")
@click.argument("page")
@click.option("--locale", help="Locale of a PAGE given as a path.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@pass_session
def delete_page(session: Session, page: str, locale: str | None, yes: bool) -> None:
    """Delete PAGE (id, path or locale/path), after confirmation."""
    client = session.client()
    found = fetch(client, page, locale)
    if not yes:
        click.confirm(
            f"Delete page #{found.id} {found.locale}/{found.path} ({found.title})?",
            abort=True,
            err=True,
        )
    client.pages.delete(found.id)
    if session.json:
        session.print_json({"deleted": found.id, "locale": found.locale, "path": found.path})
    else:
        session.print(f"deleted page #{found.id} {found.locale}/{found.path}")


# -- import / export ------------------------------------------------------------------


def collect(directory: Path, default_locale: str) -> tuple[list[PageFile], list[Action]]:
    """Every Markdown file under ``directory`` (hidden ones skipped), read."""
    items: list[PageFile] = []
    failures: list[Action] = []
    files = sorted(
        p
        for p in directory.rglob("*")
        if p.suffix.lower() in MARKDOWN_SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(directory).parts)
    )
    for file in files:
        relative = PurePosixPath(file.relative_to(directory).as_posix())
        try:
            text = file.read_bytes().decode("utf-8-sig")
            items.append(read_page_file(relative, text, default_locale=default_locale))
        except (PageFileError, UnicodeDecodeError) as exc:
            message = str(exc) if isinstance(exc, PageFileError) else f"{relative}: not UTF-8"
            failures.append(Action(relative.as_posix(), "", "", "failed", error=message))
    return items, failures


def run_import(
    client: WikiJSClient, items: list[PageFile], *, dry_run: bool, batch_size: int
) -> list[Action]:
    listing = client.pages.list()
    ids = {(item.locale, item.path): item.id for item in listing}
    wanted = sorted({ids[item.key] for item in items if item.key in ids})
    existing: dict[tuple[str, str], Page] = {}
    for outcome in client.pages.get_many(wanted, chunk_size=batch_size).results:
        if not isinstance(outcome, BatchItemError):
            existing[(outcome.locale, outcome.path)] = outcome
    actions = plan(items, existing)
    if dry_run:
        return actions
    creates = [a for a in actions if a.kind == "create"]
    if creates:
        result = client.pages.create_many([a.fields for a in creates], chunk_size=batch_size)
        for action, created in zip(creates, result.results, strict=True):
            if isinstance(created, BatchItemError):
                action.kind, action.error = "failed", describe(created.error)
            else:
                action.page_id = created.id
    updates = [a for a in actions if a.kind == "update"]
    if updates:
        result = client.pages.update_many(
            [{"id": a.page_id, **a.fields} for a in updates], chunk_size=batch_size
        )
        for action, updated in zip(updates, result.results, strict=True):
            if isinstance(updated, BatchItemError):
                action.kind, action.error = "failed", describe(updated.error)
    return actions


@pages.command("import")
@click.option(
    "--directory",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of Markdown files (<locale>/<path>.md or <path>.md).",
)
@click.option(
    "--locale",
    default=DEFAULT_LOCALE,
    show_default=True,
    help="Locale of files outside a locale folder and without one in their front matter.",
)
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=DEFAULT_BATCH_SIZE,
    show_default=True,
    help="Pages per request.",
)
@pass_session
def import_pages(
    session: Session, directory: Path, locale: str, dry_run: bool, batch_size: int
) -> None:
    """Create or update pages from Markdown files with front matter.

    A file's path under the folder is the page's path (``docs/start.md`` →
    ``docs/start``; a leading locale folder such as ``de/`` sets the
    locale). Existing pages change only in what the file states; identical
    pages are left alone. Exits 1 if any file failed.
    """
    items, failures = collect(directory, locale)
    actions = failures + run_import(session.client(), items, dry_run=dry_run, batch_size=batch_size)
    actions.sort(key=lambda a: a.file)
    counts = {kind: sum(a.kind == kind for a in actions) for kind in _IMPORT_VERBS}
    if session.json:
        session.print_json(
            {
                "dry_run": dry_run,
                "counts": counts,
                "files": [
                    {
                        "file": a.file,
                        "locale": a.locale or None,
                        "path": a.path or None,
                        "action": a.kind,
                        "id": a.page_id,
                        "changes": sorted(a.fields) if a.kind == "update" else [],
                        "error": a.error,
                    }
                    for a in actions
                ],
            }
        )
    else:
        verbs = _DRY_VERBS if dry_run else _IMPORT_VERBS
        for a in actions:
            where = f"{a.locale}/{a.path}" if a.path else ""
            detail = a.error or (f"({', '.join(sorted(a.fields))})" if a.kind == "update" else "")
            number = f"#{a.page_id}" if a.page_id else ""
            session.print(f"{verbs[a.kind]:<14} {a.file}  {where} {number} {detail}".rstrip())
        session.print(", ".join(f"{counts[k]} {verbs[k]}" for k in verbs))
    if counts["failed"]:
        raise click.exceptions.Exit(1)


_IMPORT_VERBS = {
    "create": "created",
    "update": "updated",
    "unchanged": "unchanged",
    "failed": "failed",
}
_DRY_VERBS = {
    "create": "would create",
    "update": "would update",
    "unchanged": "unchanged",
    "failed": "failed",
}


@pages.command("export")
@click.option(
    "--output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write <locale>/<path>.md files into (created if missing).",
)
@click.option("--locale", help="Only pages in this locale.")
@click.option("--tag", "tags", multiple=True, help="Only pages with this tag (repeatable).")
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=DEFAULT_BATCH_SIZE,
    show_default=True,
    help="Pages per request.",
)
@pass_session
def export_pages(
    session: Session, output: Path, locale: str | None, tags: tuple[str, ...], batch_size: int
) -> None:
    """Write every page to Markdown files with front matter (importable again)."""
    client = session.client()
    written: list[dict[str, Any]] = []
    problems: list[str] = []
    root = output.resolve()
    for page in client.pages.iter_all(batch_size, locale=locale, tags=list(tags) or None):
        try:
            relative, text = export_document(page)
        except PageFileError as exc:
            problems.append(str(exc))
            continue
        target = root.joinpath(*relative.parts)
        if root not in target.resolve().parents:  # pragma: no cover - paths are checked above
            problems.append(f"page {page.id} would be written outside {root}")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
        written.append({"id": page.id, "locale": page.locale, "path": page.path, "file": relative})
    if session.json:
        session.print_json({"output": root, "pages": written, "errors": problems})
    else:
        for problem in problems:
            session.note(f"skipped: {problem}")
        session.print(f"exported {len(written)} page(s) to {root}")
    if problems:
        raise click.exceptions.Exit(1)
