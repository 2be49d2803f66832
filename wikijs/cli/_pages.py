"""``wikijs pages …``: list, get, create, update, delete, import, export."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from .._facts import LOCALE_SEGMENT
from ..batch import DEFAULT_BATCH_SIZE, BatchItemError
from ..errors import NotFoundError
from . import _output
from ._exporting import load_manifest
from ._importing import (
    WRITE_BATCH_SIZE,
    AssetOutcome,
    Interrupted,
    locale_lookalikes,
    plan_import,
    read_existing,
    record_page,
    refresh_links,
    upload_assets,
    write_pages,
)
from ._manifest import Manifest
from ._pagefiles import LOCALE_DIR_MODES, Action, LocaleFolders, PageFile, under
from ._session import Session, WikiGroup, describe, pass_session
from ._tree import Tree, read_tree, summarize_unknown

if TYPE_CHECKING:
    from .._protocol.pages import Editor
    from ..models import Page, PageListItem, PageOrder

FILTER_FIELDS = ("title", "path", "tag", "locale")
#: Exit status after Ctrl-C, as a shell reports a program ended by SIGINT.
EXIT_INTERRUPTED = 130
# --order-by keeps its short names; the SDK spells fields as the items' attributes.
_PAGE_ORDER: dict[str, PageOrder] = {
    "id": "id",
    "path": "path",
    "title": "title",
    "created": "created_at",
    "created_at": "created_at",
    "updated": "updated_at",
    "updated_at": "updated_at",
}


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
    """Title, path and locale contain the text; a tag must be named exactly."""
    for name, needle in filters:
        if name == "tag":
            if needle not in (tag.lower() for tag in item.tags or ()):
                return False
            continue
        if name is None:
            haystacks = [item.title or "", item.path]
        elif name == "title":
            haystacks = [item.title or ""]
        else:
            haystacks = [getattr(item, name) or ""]
        if not any(needle in hay.lower() for hay in haystacks):
            return False
    return True


def page_ref(value: str, locale: str | None) -> int | tuple[str, str | None]:
    """``12`` → an id; ``docs/start`` → ``(path, locale)``; ``de/docs/start`` → ``(…, "de")``.

    A ``None`` locale means the wiki's default.
    """
    text = value.strip()
    if text.isdigit():
        return int(text)
    path = text.strip("/")
    first, slash, rest = path.partition("/")
    if slash and LOCALE_SEGMENT.match(first) and locale is None:
        return rest, first
    return path, locale


def fetch(session: Session, value: str, locale: str | None) -> Page:
    """The page ``value`` names (see :func:`page_ref`).

    ``kb/intro`` is first read as the page ``intro`` in a locale "kb",
    then, if there is none, as the page ``kb/intro`` in the default locale.
    """
    client = session.client()
    ref = page_ref(value, locale)
    if isinstance(ref, int):
        return client.pages.get(ref)
    path, chosen = ref
    if chosen is None:
        return client.pages.get_by_path(path, session.locales()[0])
    try:
        return client.pages.get_by_path(path, chosen)
    except NotFoundError:
        if locale is not None:
            raise
        full = value.strip().strip("/")
        return client.pages.get_by_path(full, session.locales()[0])


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


def page_json(page: Page) -> dict[str, Any]:
    """A page for ``--json``: tags are names, as in ``pages list``."""
    data: dict[str, Any] = _output.jsonable(page)
    data["tags"] = [tag.tag for tag in page.tags]
    return data


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
        session.print_json(page_json(page))
    else:
        session.print(f"{verb} page #{page.id} {page.locale}/{page.path} ({page.title})")


def parse_body_limit(ctx: click.Context, param: click.Parameter, value: str | int) -> int:
    if isinstance(value, int):
        return value
    try:
        size = _output.parse_size(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a size such as 5mb or 512kb") from None
    if size < 64 * 1024:
        raise click.BadParameter("must be at least 64kb")
    return size


def transfer_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--batch-size``, ``--body-limit`` and ``--concurrency``, for the commands that
    write many pages."""
    f = click.option(
        "--concurrency",
        type=click.IntRange(min=1),
        default=None,
        help="Requests in flight at once [default: as many as the wiki sustains, "
        "measured as the files are written].",
    )(f)
    f = click.option(
        "--body-limit",
        metavar="SIZE",
        default="5mb",
        show_default=True,
        callback=parse_body_limit,
        help="The wiki's request body limit (Wiki.js's bodyParserLimit): batches stay "
        "under it and a larger file fails alone.",
    )(f)
    return click.option(
        "--batch-size",
        type=click.IntRange(min=1),
        default=WRITE_BATCH_SIZE,
        show_default=True,
        help="Files written per request at most.",
    )(f)


# -- list / get ---------------------------------------------------------------------


@pages.command("list")
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="FIELD:TEXT",
    help="Keep pages whose title, path or locale contains TEXT, or that have the tag "
    "TEXT (tag:NAME), ignoring case; bare TEXT matches title or path. Repeat to narrow.",
)
@click.option("--limit", type=click.IntRange(min=1), help="At most this many pages.")
@click.option("--locale", help="Only pages in this locale.")
@click.option("--tag", "tags", multiple=True, help="Only pages with this tag (repeatable).")
@click.option(
    "--order-by",
    type=click.Choice(
        ["id", "path", "title", "created_at", "updated_at", "created", "updated"],
        case_sensitive=False,
    ),
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
        order_by=_PAGE_ORDER[order_by.lower()],
        locale=locale,
        tags=list(tags) or None,
    )
    if parsed:
        items = [item for item in items if matches(item, parsed)][:limit]
    if session.json:
        session.print_json(items)
        return
    session.table(
        ["ID", "PATH", "TITLE", "TAGS", "UPDATED"],
        ([i.id, f"{i.locale}/{i.path}", i.title, i.tags, i.updated_at] for i in items),
        styles=["cyan", None, "bold", "magenta", "dim"],
        flexible=[1, 2, 3],
    )


@pages.command("get")
@click.argument("page")
@click.option("--locale", help="Locale of a PAGE given as a path (default: the wiki's).")
@click.option("--content", "content_only", is_flag=True, help="Print only the page's source.")
@pass_session
def get_page(session: Session, page: str, locale: str | None, content_only: bool) -> None:
    """Show a page: PAGE is an id (12), a path (docs/start) or locale/path (de/docs/start)."""
    found = fetch(session, page, locale)
    if content_only:
        click.echo(found.content, nl=not found.content.endswith("\n"))
    elif session.json:
        session.print_json(page_json(found))
    else:
        session.fields(summary_pairs(found))
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
@click.option("--locale", help="One of the wiki's installed locales (default: the wiki's).")
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
    locale: str | None,
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
    locale = session.check_locale(locale) if locale is not None else session.locales()[0]
    page = session.client().pages.create(
        title=title,
        path=path,
        content=content,
        locale=locale,
        description=description,
        tags=list(tags),
        editor=cast("Editor", editor),  # checked by the SDK
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
    """Change only the given fields of PAGE (id, path or locale/path).

    Everything not given is kept as it is.
    """
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
        raise click.UsageError("nothing to change: give --title, --content-file, --tag, ...")
    client = session.client()
    ref = page_ref(page, locale)
    page_id = ref if isinstance(ref, int) else fetch(session, page, locale).id
    updated = client.pages.update(page_id, **changes)
    show_page(session, updated, "updated")


def resolve_pages(session: Session, refs: Sequence[str], locale: str | None) -> list[Page]:
    """The pages named by ids, paths or locale/paths; ids are read in batches."""
    client = session.client()
    ids = [int(ref) for ref in refs if ref.strip().isdigit()]
    by_id: dict[int, Page] = {}
    for start in range(0, len(ids), DEFAULT_BATCH_SIZE):
        chunk = ids[start : start + DEFAULT_BATCH_SIZE]
        result = client.pages.get_many(chunk, chunk_size=len(chunk))
        for ref_id, outcome in zip(chunk, result.results, strict=True):
            if isinstance(outcome, BatchItemError):
                raise outcome.error
            by_id[ref_id] = outcome
    found: list[Page] = []
    for ref in refs:
        text = ref.strip()
        found.append(by_id[int(text)] if text.isdigit() else fetch(session, text, locale))
    return found


@pages.command("delete")
@click.argument("page_refs", metavar="PAGE...", nargs=-1, required=True)
@click.option("--locale", help="Locale of PAGEs given as paths.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@pass_session
def delete_page(
    session: Session, page_refs: tuple[str, ...], locale: str | None, yes: bool
) -> None:
    """Delete pages (ids, paths or locale/paths), after confirmation.

    PAGE '-' reads the pages from standard input, one or more per line
    (then --yes is required).
    """
    refs: list[str] = []
    for ref in page_refs:
        if ref == "-":
            if not yes:
                raise click.UsageError("reading pages from standard input needs --yes")
            refs.extend(sys.stdin.read().split())
        else:
            refs.append(ref)
    found = resolve_pages(session, refs, locale)
    unique = list({page.id: page for page in found}.values())
    if not yes:
        if len(unique) == 1:
            page = unique[0]
            question = f"Delete page #{page.id} {page.locale}/{page.path} ({page.title})?"
        else:
            shown = ", ".join(f"#{p.id} {p.locale}/{p.path}" for p in unique[:5])
            more = f" and {len(unique) - 5} more" if len(unique) > 5 else ""
            question = f"Delete {len(unique)} pages ({shown}{more})?"
        click.confirm(question, abort=True, err=True)
    if len(unique) == 1 and len(page_refs) == 1 and page_refs[0] != "-":
        page = unique[0]
        session.client().pages.delete(page.id)
        if session.json:
            session.print_json({"deleted": page.id, "locale": page.locale, "path": page.path})
        else:
            session.print(f"deleted page #{page.id} {page.locale}/{page.path}")
        return
    delete_many(session, unique)


def delete_many(session: Session, targets: list[Page]) -> None:
    """Delete in batches with progress; one line (or JSON object) per page."""
    client = session.client()
    report: list[dict[str, Any]] = []
    with session.progress("delete", len(targets), noun="pages") as tracker:
        for start in range(0, len(targets), WRITE_BATCH_SIZE):
            chunk = targets[start : start + WRITE_BATCH_SIZE]
            result = client.pages.delete_many([p.id for p in chunk], chunk_size=len(chunk))
            for page, outcome in zip(chunk, result.results, strict=True):
                where = f"#{page.id} {page.locale}/{page.path}"
                entry: dict[str, Any] = {"locale": page.locale, "path": page.path}
                if isinstance(outcome, BatchItemError):
                    entry.update(id=page.id, error=describe(outcome.error))
                    if not session.json:
                        session.print(f"failed  page {where}: {entry['error']}", style="red")
                else:
                    entry["deleted"] = page.id
                    if not session.json:
                        session.print(f"deleted page {where}")
                report.append(entry)
            tracker.advance(len(chunk))
    failed = sum("error" in entry for entry in report)
    if session.json:
        session.print_json(report)
    else:
        session.note(f"{len(report) - failed} deleted, {failed} failed")
    if failed:
        raise click.exceptions.Exit(1)


# -- import -----------------------------------------------------------------------

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
_AFTER_CTRL_C = {"interrupted": "not confirmed"}
_VERB_STYLES = {
    "create": "green",
    "update": "yellow",
    "unchanged": "dim",
    "failed": "bold red",
    "interrupted": "bold red",
}


def action_line(action: Action, dry_run: bool) -> str:
    verbs = {**(_DRY_VERBS if dry_run else _IMPORT_VERBS), **_AFTER_CTRL_C}
    where = f"{action.locale}/{action.path}" if action.path else ""
    detail = action.error or (
        f"({', '.join(sorted(action.fields))})" if action.kind == "update" else ""
    )
    number = f"#{action.page_id}" if action.page_id else ""
    return f"{verbs[action.kind]:<14} {action.file}  {where} {number} {detail}".rstrip()


def print_action(session: Session, action: Action, dry_run: bool = False) -> None:
    session.print(action_line(action, dry_run), style=_VERB_STYLES.get(action.kind))


LOCALE_DIRS_HELP = (
    "Which first folders are locales: auto, those the wiki has installed (kb/ is then "
    "part of the path); always, any folder named like a locale code (de/, pt-br/); never, none."
)


def locale_folder_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option(
        "--locale-dirs",
        type=click.Choice(LOCALE_DIR_MODES),
        default="auto",
        show_default=True,
        help=LOCALE_DIRS_HELP,
    )(f)
    return click.option(
        "--locale",
        help="Locale of files outside a locale folder and without one in their front "
        "matter (default: the wiki's).",
    )(f)


def tree_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--strict-names`` and ``--asset-folder``, for the commands that read a folder."""
    f = click.option(
        "--asset-folder",
        metavar="PATH",
        default="",
        help="Asset folder under which the files the pages link to (images, PDFs) are "
        "uploaded, mirroring their folders (default: the root).",
    )(f)
    return click.option(
        "--strict-names",
        is_flag=True,
        help="Refuse file names that are not valid wiki paths instead of mapping them "
        "('10.1 Intro.md' is the page 10-1-Intro by default).",
    )(f)


def import_folders(
    session: Session, directory: Path, locale: str | None, locale_dirs: str
) -> tuple[str, LocaleFolders]:
    """The default locale for files and how folders map to locales, checked with the wiki."""
    default, installed = session.locales()
    chosen = session.check_locale(locale) if locale is not None else default
    folders = LocaleFolders(locale_dirs, installed)  # type: ignore[arg-type]
    lookalikes = locale_lookalikes(directory, folders)
    if lookalikes:
        names = ", ".join(f"{name}/" for name in lookalikes)
        session.note(
            f"note: {names} {'is' if len(lookalikes) == 1 else 'are'} not a locale of this wiki "
            f"(installed: {', '.join(sorted(installed))}), so the folder stays in the page "
            f"paths, in locale {chosen} (Wiki.js serves them at /{chosen}/<path>); "
            "--locale-dirs always makes such folders locales"
        )
    return chosen, folders


def in_scope(
    items: list[PageFile], failures: list[Action], path_prefix: str | None
) -> tuple[list[PageFile], list[Action], int]:
    """The files at ``--path-prefix`` or below, and how many were left out."""
    kept = [item for item in items if under(item.path, path_prefix)]
    failed = [f for f in failures if not f.path or under(f.path, path_prefix)]
    return kept, failed, len(items) - len(kept) + len(failures) - len(failed)


def note_tree(session: Session, tree: Tree, files: set[str], verb: str) -> None:
    """Say, once, which front matter keys stay in the files and which links stay as written."""
    counts: dict[str, int] = {}
    for item in tree.items:
        if item.file in files:
            for key in item.ignored_keys:
                counts[key] = counts.get(key, 0) + 1
    if counts:
        session.note(
            f"note: front matter keys the wiki does not store {verb} only in the files: "
            + summarize_unknown(counts)
        )
    for miss in tree.unresolved:
        if miss.file in files:
            session.note(f"link left as written: {miss.file}: {miss.target} ({miss.reason})")


@pages.command("import")
@click.option(
    "--directory",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of Markdown files (<locale>/<path>.md or <path>.md).",
)
@locale_folder_options
@click.option(
    "--path-prefix",
    metavar="PATH",
    help="Only the files whose page is at PATH or below it (e.g. docs); the others "
    "are left alone and not counted.",
)
@tree_options
@click.option(
    "--replace-assets",
    is_flag=True,
    help="Replace an asset of the same name that this folder did not upload.",
)
@click.option("--dry-run", is_flag=True, help="Show what each file would do; change nothing.")
@transfer_options
@pass_session
def import_pages(
    session: Session,
    directory: Path,
    locale: str | None,
    locale_dirs: str,
    path_prefix: str | None,
    strict_names: bool,
    asset_folder: str,
    replace_assets: bool,
    dry_run: bool,
    batch_size: int,
    body_limit: int,
    concurrency: int | None,
) -> None:
    """Create or update pages from Markdown files with front matter.

    A file's path under the folder is the page's path (docs/start.md is
    docs/start); names Wiki.js refuses are mapped by a rule ('10.1 Intro.md'
    is 10-1-Intro; see --strict-names). A first folder named after a locale
    the wiki has (de/) sets the locale; see --locale-dirs. Files the pages
    link to (images, PDFs) are uploaded as assets, and relative links
    become wiki links. Existing pages change only in what the file states;
    identical pages are left alone, so running an import again (after
    Ctrl-C, say) finishes the work without redoing it. What the wiki
    cannot hold (the original names, links as written) is recorded in
    .wikijs-manifest.json in the folder, so export and sync write the
    files back as they were. Exits 1 if any file failed, 130 when
    interrupted.
    """
    client = session.client(body_limit=body_limit)
    chosen, folders = import_folders(session, directory, locale, locale_dirs)
    tree = read_tree(
        directory,
        default_locale=chosen,
        folders=folders,
        strict_names=strict_names,
        asset_root=asset_folder,
    )
    items, failures, outside = in_scope(tree.items, tree.failures, path_prefix)
    if outside:
        session.note(f"{outside} file(s) outside --path-prefix {path_prefix} left alone")
    root = directory.resolve()
    manifest = load_manifest(session, root, client.config.base_url)
    scope = {item.file for item in items}
    note_tree(session, tree, scope, "stay")
    existing = read_existing(
        client,
        (item.key for item in items),
        lambda n: session.progress("reading the wiki", n, noun="pages"),
    )
    actions = sorted(failures + plan_import(items, existing, body_limit), key=lambda a: a.file)
    show_lines = not session.json
    tree.assets = {name: asset for name, asset in tree.assets.items() if tree.used_by(name) & scope}
    assets = upload_assets(
        client,
        tree,
        manifest,
        dry_run=dry_run,
        replace=replace_assets,
        tracker_for=lambda n: session.progress("assets", n, unit="bytes"),
    )
    if show_lines:
        for outcome in assets:
            print_asset(session, outcome, dry_run)
        for action in actions:
            if dry_run or action.kind in ("unchanged", "failed"):
                print_action(session, action, dry_run)
    interrupted = False
    if not dry_run:
        writes = sum(a.kind in ("create", "update") for a in actions)
        with session.progress("import", writes, noun="files") as tracker:
            try:
                write_pages(
                    client,
                    actions,
                    batch_size=batch_size,
                    body_limit=body_limit,
                    tracker=tracker,
                    report=(lambda a: print_action(session, a)) if show_lines else (lambda a: None),
                    concurrency=concurrency,
                )
            except Interrupted:
                interrupted = True
        if interrupted and show_lines:
            for action in actions:
                if action.kind == "interrupted":
                    print_action(session, action)
        record_import(session, manifest, tree, actions)
        if not interrupted:
            rendered = refresh_links(
                client,
                [a.page for a in actions if a.page is not None and a.kind != "failed"],
                lambda n: session.progress("render", n, noun="pages"),
            )
            if rendered:
                session.note(
                    f"rendered {len(rendered)} page(s) again: Wiki.js showed their links to "
                    "pages created after them as missing"
                )
    report_import(session, actions, assets, tree, scope, dry_run=dry_run, interrupted=interrupted)


def print_asset(session: Session, outcome: AssetOutcome, dry_run: bool) -> None:
    verbs = {"upload": "would upload" if dry_run else "uploaded", "unchanged": "unchanged"}
    verb = verbs.get(outcome.action, outcome.action)
    detail = f"  {outcome.error}" if outcome.error else ""
    style = {"failed": "bold red", "unchanged": "dim"}.get(outcome.action)
    session.print(f"{verb:<14} {outcome.file} -> /{outcome.path}{detail}", style=style)


def record_import(session: Session, manifest: Manifest, tree: Tree, actions: list[Action]) -> None:
    """Record every file that now matches its page, and save the manifest."""
    for action in actions:
        page = action.page
        if action.item is None or page is None or action.kind in ("failed", "interrupted"):
            continue
        record_page(manifest, action.item, page, tree.raw[action.file])
    try:
        manifest.save()
    except OSError as exc:
        session.note(
            f"note: could not write {manifest.file} ({exc.strerror or exc}): export and "
            "sync will not know how these files named their links and pages",
            style="yellow",
        )


def report_import(
    session: Session,
    actions: list[Action],
    assets: list[AssetOutcome],
    tree: Tree,
    scope: set[str],
    *,
    dry_run: bool,
    interrupted: bool,
) -> None:
    counts = {kind: sum(a.kind == kind for a in actions) for kind in _IMPORT_VERBS}
    if interrupted:
        counts.update({kind: sum(a.kind == kind for a in actions) for kind in _AFTER_CTRL_C})
    asset_counts = {
        kind: sum(o.action == kind for o in assets) for kind in ("upload", "unchanged", "failed")
    }
    if session.json:
        session.print_json(
            {
                "dry_run": dry_run,
                "interrupted": interrupted,
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
                "assets": [
                    {"file": o.file, "path": o.path, "action": o.action, "error": o.error}
                    for o in assets
                ],
                "unresolved_links": [
                    {"file": m.file, "link": m.target, "reason": m.reason}
                    for m in tree.unresolved
                    if m.file in scope
                ],
                "unstored_keys": sorted(
                    {key for item in tree.items if item.file in scope for key in item.ignored_keys}
                ),
            }
        )
    else:
        if assets:
            verb = "would upload" if dry_run else "uploaded"
            session.note(
                f"assets: {asset_counts['upload']} {verb}, {asset_counts['unchanged']} "
                f"unchanged, {asset_counts['failed']} failed"
            )
        verbs = {**(_DRY_VERBS if dry_run else _IMPORT_VERBS), **_AFTER_CTRL_C}
        session.print(", ".join(f"{counts[k]} {verbs[k]}" for k in counts))
    if interrupted:
        written = counts["create"] + counts["update"]
        session.interrupted(
            f"{written} file(s) written (listed above), {counts['interrupted']} not confirmed "
            "(in flight or not sent; one in flight may still land)",
            again="pages the wiki already has are compared and left alone when unchanged",
        )
    if counts["failed"] or asset_counts["failed"]:
        raise click.exceptions.Exit(1)


# -- export -----------------------------------------------------------------------


@pages.command("export")
@click.option(
    "--output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write <locale>/<path>.md files into (created if missing).",
)
@click.option("--locale", help="Only pages in this locale.")
@click.option("--tag", "tags", multiple=True, help="Only pages with this tag (repeatable).")
@click.option("--path-prefix", metavar="PATH", help="Only pages at PATH or below it (e.g. docs).")
@click.option("--force", is_flag=True, help="Overwrite files edited since the last export as well.")
@click.option("--dry-run", is_flag=True, help="Show which files would change; write nothing.")
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=DEFAULT_BATCH_SIZE,
    show_default=True,
    help="Pages read per request.",
)
@click.option(
    "--manifest",
    "source_manifest",
    type=click.Path(exists=True, path_type=Path),
    help="Start a folder without a manifest from this one (a file, or the folder an import "
    "read): pages get that tree's file names, front matter and links.",
)
@pass_session
def export_pages(
    session: Session,
    output: Path,
    locale: str | None,
    tags: tuple[str, ...],
    path_prefix: str | None,
    force: bool,
    dry_run: bool,
    batch_size: int,
    source_manifest: Path | None,
) -> None:
    """Write pages to Markdown files with front matter (importable again).

    A manifest beside the files (.wikijs-manifest.json) records what the
    wiki had at the last export: a file edited since then is kept, and
    reported, unless --force. Pages whose date and file did not change
    are not downloaded again. Exits 1 if a file was kept or a page failed.

    A page the manifest records is written back as its file was (name,
    front matter with the keys the wiki does not store, links as written),
    with only what the wiki changed since rewritten. --manifest brings that
    record to a fresh folder: an import's manifest, beside the files it
    read, makes the export reproduce them.
    """
    from ._exporting import run_export

    run_export(
        session,
        output,
        locale=locale,
        tags=tags,
        path_prefix=path_prefix,
        force=force,
        dry_run=dry_run,
        batch_size=batch_size,
        source_manifest=source_manifest,
    )
