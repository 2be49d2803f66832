"""``wikijs sync DIR``: a Markdown tree and the wiki, kept in step both ways (docs as code).

Each page is compared three ways: the file now, the page now, and both as
they were at the last sync (the manifest, ``.wikijs-manifest.json``; see
:mod:`._manifest`). Changed on one side only, the change is pushed or
pulled; changed on both, it is a conflict, reported (with a diff) and left
alone on both sides until one of them is made to match the other, or
``--prefer`` picks a side. A page whose ``updatedAt`` is the recorded one
is not downloaded.

Nothing is deleted without ``--delete``, and then only what the other side
did not change since; a conflict settled by ``--prefer`` never deletes. A
file that exists is never taken for a deleted one, even when it cannot be
read (its page is then kept and the file reported).

The tree is laid out like ``pages export`` writes it (``<locale>/<path>.md``)
and read like ``pages import`` reads it (names by the same rule, links and
assets the same way), so the three commands work on the same folder. A
pull rewrites only the front matter keys whose value the wiki changed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import click

from ..batch import BatchItemError
from ._exporting import Reader, current_bytes, load_manifest, new_file, page_file_bytes
from ._importing import (
    Interrupted,
    links_of,
    record_page,
    refresh_links,
    request_size,
    too_large_message,
    upload_assets,
    write_pages,
)
from ._manifest import Entry, Manifest, confined, sha256, stamp, write_atomically
from ._pagefiles import (
    LOCALE_DIR_MODES,
    Action,
    LocaleFolders,
    PageFile,
    PageFileError,
    create_fields,
    manifest_entry,
    page_digest,
    under,
    update_fields,
    wiki_only_changes,
)
from ._pages import LOCALE_DIRS_HELP, import_folders, note_tree, transfer_options, tree_options
from ._session import Session, WikiCommand, describe, pass_session
from ._tree import Tree, read_tree

if TYPE_CHECKING:
    from .. import WikiJSClient
    from ..models import Page, PageListItem

Step = Literal[
    "in-sync",
    "push",
    "push-new",
    "pull",
    "pull-new",
    "conflict",
    "delete-page",
    "delete-file",
    "held",
    "failed",
    "interrupted",
]

#: How each step reads in the plan: (planned, done, style).
_WORDS: dict[str, tuple[str, str, str | None]] = {
    "in-sync": ("in sync", "in sync", "dim"),
    "push": ("push", "pushed", "yellow"),
    "push-new": ("push (new)", "pushed (new)", "green"),
    "pull": ("pull", "pulled", "cyan"),
    "pull-new": ("pull (new)", "pulled (new)", "green"),
    "conflict": ("CONFLICT", "CONFLICT", "bold red"),
    "delete-page": ("delete page", "deleted page", "magenta"),
    "delete-file": ("delete file", "deleted file", "magenta"),
    "held": ("held", "held", "dim"),
    "failed": ("failed", "failed", "bold red"),
    "interrupted": ("not confirmed", "not confirmed", "bold red"),
}
#: Lines of a conflict's diff shown in the plan (``--json`` has all of it).
DIFF_LINES = 24


@dataclass
class Item:
    """One page's file, page and record, and what syncing does with them."""

    key: tuple[str, str]
    file: str | None = None
    local: PageFile | None = None
    file_sha: str | None = None
    listed: PageListItem | None = None
    page: Page | None = None
    entry: Entry | None = None
    #: Why the file that the record names cannot be read (it exists).
    unreadable: str | None = None
    step: Step = "in-sync"
    why: str = ""
    changes: list[str] = field(default_factory=list)
    action: Action | None = None
    diff: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.key[0]}/{self.key[1]}"

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "locale": self.key[0],
            "path": self.key[1],
            "id": self.page.id if self.page else (self.listed.id if self.listed else None),
            "step": self.step,
            "changes": self.changes,
            "reason": self.why or None,
            "diff": self.diff or None,
        }


@click.command(cls=WikiCommand)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), metavar="DIRECTORY")
@click.option("--push", "direction", flag_value="push", help="Only send local changes to the wiki.")
@click.option("--pull", "direction", flag_value="pull", help="Only bring wiki changes here.")
@click.option("--dry-run", is_flag=True, help="Show the plan; change nothing.")
@click.option(
    "--prefer",
    type=click.Choice(["local", "wiki"]),
    help="Settle conflicts by taking this side (default: report them and touch neither). "
    "Never deletes: a conflict over a deletion stays one.",
)
@click.option(
    "--delete",
    is_flag=True,
    help="Also carry deletions over: a file deleted here deletes its page, a page deleted "
    "in the wiki deletes its file (only if the other side did not change since).",
)
@click.option(
    "--locale",
    help="Only pages in this locale, which is also the locale of files outside a locale "
    "folder (default: every locale; such files are in the wiki's default locale).",
)
@click.option(
    "--path-prefix",
    metavar="PATH",
    help="Only pages at PATH or below it (e.g. docs): files of other pages are left alone "
    "and not counted.",
)
@click.option(
    "--locale-dirs",
    type=click.Choice(LOCALE_DIR_MODES),
    default="auto",
    show_default=True,
    help=LOCALE_DIRS_HELP,
)
@tree_options
@transfer_options
@pass_session
def sync(
    session: Session,
    directory: Path,
    direction: str | None,
    dry_run: bool,
    prefer: str | None,
    delete: bool,
    locale: str | None,
    path_prefix: str | None,
    locale_dirs: str,
    strict_names: bool,
    asset_folder: str,
    batch_size: int,
    body_limit: int,
    concurrency: int | None,
) -> None:
    """Two-way sync of a folder of Markdown files with the wiki.

    Compares each file and page with what they were at the last sync (by
    content hash and front matter), then pushes what changed here, pulls
    what changed in the wiki, and reports what changed on both sides as a
    CONFLICT with a diff, touching neither: make one side match the other,
    or sync again with --prefer local or --prefer wiki. Deletions are
    carried over only with --delete. With --locale only pages in that
    locale are synced. Exits 1 on any conflict or failure, 130 when
    interrupted.
    """
    client = session.client(body_limit=body_limit)
    root = directory.resolve()
    manifest = load_manifest(session, root, client.config.base_url)
    if root.is_dir():
        default, folders = import_folders(session, root, locale, locale_dirs)
    else:
        default = session.check_locale(locale) if locale else session.locales()[0]
        folders = LocaleFolders(locale_dirs, session.locales()[1])  # type: ignore[arg-type]
    tree = (
        read_tree(
            root,
            default_locale=default,
            folders=folders,
            strict_names=strict_names,
            asset_root=asset_folder,
        )
        if root.is_dir()
        else Tree(root)
    )
    items = gather(session, client, root, tree, manifest, locale, path_prefix)
    plan(items, direction, delete, prefer)
    # What the files to push hold that the wiki will not: said once, for them.
    pushing = {
        item.local.file
        for item in items
        if item.step in ("push", "push-new") and item.local is not None
    }
    note_tree(session, tree, pushing, "stay")
    reader = Reader(default, LocaleFolders("auto", session.locales()[1]))
    for item in items:
        if item.step == "pull-new" and item.file is None and item.listed is not None:
            listed = item.listed
            try:
                item.file = new_file(manifest, reader.folders, listed.id, *item.key)
            except PageFileError as exc:
                item.step, item.why = "failed", str(exc)
    for item in items:
        if item.step == "conflict" and item.page is not None and item.local is not None:
            item.diff = conflict_diff(item, tree)
    show_plan(session, items, dry_run)
    interrupted = False
    if not dry_run:
        tree.assets = {name: a for name, a in tree.assets.items() if tree.used_by(name) & pushing}
        assets = upload_assets(
            client,
            tree,
            manifest,
            dry_run=False,
            tracker_for=lambda n: session.progress("assets", n, unit="bytes"),
        )
        for outcome in assets:
            if outcome.action == "failed" and not session.json:
                session.print(
                    f"failed        {outcome.file} -> /{outcome.path}  {outcome.error}",
                    style="bold red",
                )
        try:
            carry_out(
                session,
                client,
                root,
                tree,
                manifest,
                reader,
                items,
                batch_size,
                body_limit,
                concurrency,
            )
        except Interrupted:
            interrupted = True
        finally:
            manifest.save()
        if not session.json:
            for item in items:
                if item.step in ("failed", "interrupted") and item.action is not None:
                    show_item(session, item, done=True)
        if any(outcome.action == "failed" for outcome in assets):
            items.append(Item(("", ""), step="failed", why="an asset failed to upload"))
    summarize(session, items, dry_run)
    if interrupted:
        session.interrupted(
            "what was pushed or pulled is recorded; the rest is listed as not confirmed",
            again="what is in step already is left alone",
        )
    if any(item.step in ("conflict", "failed") for item in items):
        raise click.exceptions.Exit(1)


def gather(
    session: Session,
    client: WikiJSClient,
    root: Path,
    tree: Tree,
    manifest: Manifest,
    locale: str | None,
    path_prefix: str | None,
) -> list[Item]:
    """Every key with a file, a page or a record; pages downloaded only where needed."""
    items: dict[tuple[str, str], Item] = {}
    outside: list[str] = []
    failed: list[Item] = []

    def at(key: tuple[str, str]) -> Item:
        return items.setdefault(key, Item(key))

    def wanted(item_locale: str, path: str) -> bool:
        return (locale is None or item_locale == locale) and under(path, path_prefix)

    for local in tree.items:
        if not wanted(local.locale, local.path):
            outside.append(local.file)
            continue
        item = at(local.key)
        if item.local is not None:
            failed.append(
                Item(
                    local.key,
                    file=local.file,
                    step="failed",
                    why=f"{item.file} is the same page ({local.locale}/{local.path})",
                )
            )
            continue
        item.local, item.file, item.file_sha = local, local.file, sha256(tree.raw[local.file])
    for listed in client.pages.list(locale=locale):
        if under(listed.path, path_prefix):
            at((listed.locale, listed.path)).listed = listed
    unreadable = {f.file: f.error or "unreadable" for f in tree.failures}
    for name, entry in manifest.entries.items():
        if not wanted(entry.locale, entry.path):
            continue
        item = at(entry.key)
        item.entry = entry
        item.file = item.file or name
        if item.local is None and name in unreadable:
            item.unreadable = unreadable.pop(name)
        elif item.local is None and _exists(root, name):
            item.unreadable = f"{name} exists but now names another page"
    for failure in tree.failures:
        if failure.file not in unreadable:
            continue  # reported with its page
        if (failure.path and not under(failure.path, path_prefix)) or (
            locale is not None and failure.locale not in ("", locale)
        ):
            outside.append(failure.file)
            continue
        failed.append(Item(("", ""), file=failure.file, step="failed", why=failure.error or ""))
    if outside:
        session.note(
            f"{len(outside)} file(s) outside --locale/--path-prefix left alone "
            f"({', '.join(outside[:3])}{' ...' if len(outside) > 3 else ''})"
        )
    need = [
        item.listed.id
        for item in items.values()
        if item.listed is not None and (remote_maybe_changed(item) or local_changed(item))
    ]
    pages = fetch(session, client, need)
    for item in items.values():
        if item.listed is not None:
            item.page = pages.get(item.listed.id)
    ordered = sorted(items.values(), key=lambda i: (i.file or "", i.key))
    return ordered + sorted(failed, key=lambda i: i.file or "")


def _exists(root: Path, name: str) -> bool:
    try:
        return confined(root, name).exists()
    except OSError:
        return True  # something is there that we will not touch


def fetch(session: Session, client: WikiJSClient, ids: list[int]) -> dict[int, Page]:
    pages: dict[int, Page] = {}
    with session.progress("reading the wiki", len(ids), noun="pages") as tracker:
        for start in range(0, len(ids), 50):
            chunk = ids[start : start + 50]
            for outcome in client.pages.get_many(chunk, chunk_size=len(chunk)).results:
                if not isinstance(outcome, BatchItemError):
                    pages[outcome.id] = outcome
            tracker.advance(len(chunk))
    return pages


def local_changed(item: Item) -> bool:
    return item.local is not None and (
        item.entry is None or item.file_sha != item.entry.file_sha256
    )


def remote_maybe_changed(item: Item) -> bool:
    entry, listed = item.entry, item.listed
    return listed is not None and (
        entry is None or entry.id != listed.id or entry.updated_at != stamp(listed.updated_at)
    )


def remote_changed(item: Item) -> bool:
    if not remote_maybe_changed(item):
        return False
    if item.entry is None or item.page is None or item.entry.id != item.page.id:
        return True
    return page_digest(item.page) != item.entry.page_sha256


def plan(items: list[Item], direction: str | None, delete: bool, prefer: str | None) -> None:
    """Decide each item's step (see the module docstring)."""
    for item in items:
        if item.step == "failed":
            continue
        decide(item, delete)
        if item.step == "conflict":
            settle(item, prefer)
        pushing = item.step in ("push", "push-new", "delete-page")
        pulling = item.step in ("pull", "pull-new", "delete-file")
        if (direction == "pull" and pushing) or (direction == "push" and pulling):
            item.why = f"{_WORDS[item.step][0]} not done: --{direction} only"
            item.step = "held"


def decide(item: Item, delete: bool) -> None:
    here, there = local_changed(item), remote_changed(item)
    if item.unreadable is not None:
        item.step, item.why = "failed", f"{item.unreadable} (its page is kept)"
        return
    if item.local is not None and item.listed is not None:
        if item.page is None and (here or there):
            item.step, item.why = "failed", "the page could not be read"
            return
        if not here and not there:
            return
        assert item.page is not None
        file_changes = update_fields(item.local, item.page)
        extra = wiki_only_changes(item.local, item.page)
        item.changes = sorted({*file_changes, *extra})
        if not file_changes and not extra:
            return  # both sides say the same: recorded as in sync
        if here and not there:
            item.changes = sorted(file_changes)
            if file_changes:
                item.step = "push"
        elif there and not here:
            item.step = "pull"
        elif not file_changes:
            item.step = "pull"  # the file says what the page says; the page says more
        else:
            item.step = "conflict"
            item.why = (
                "changed here and in the wiki since the last sync"
                if item.entry is not None
                else "the file and the page differ and were never synced"
            )
    elif item.local is not None:
        if item.entry is None:
            item.step = "push-new"
        elif here:
            item.step, item.why = "conflict", "deleted in the wiki, changed here"
        elif delete:
            item.step = "delete-file"
        else:
            item.step, item.why = "held", "deleted in the wiki (--delete removes the file)"
    elif item.listed is not None:
        if item.entry is None:
            item.step = "pull-new"
        elif there:
            item.step, item.why = "conflict", "deleted here, changed in the wiki"
        elif delete:
            item.step = "delete-page"
        else:
            item.step, item.why = "held", "deleted here (--delete deletes the page)"


def settle(item: Item, prefer: str | None) -> None:
    """A conflict, settled by ``--prefer`` (or left, saying how to settle it). Never a deletion."""
    if prefer is None:
        item.why += " (--prefer local or --prefer wiki settles it)"
        return
    if item.local is not None and item.listed is not None:
        item.step = "push" if prefer == "local" else "pull"
    elif item.local is not None:  # deleted in the wiki, changed here
        if prefer == "wiki":
            item.why += (
                " (--prefer never deletes: delete the file yourself, or --prefer local "
                "creates the page again)"
            )
            return
        item.step = "push-new"
    else:  # deleted here, changed in the wiki
        if prefer == "local":
            item.why += (
                " (--prefer never deletes: delete the page yourself, or --prefer wiki "
                "brings the file back)"
            )
            return
        item.step = "pull-new"
    item.why = f"--prefer {prefer}"


def conflict_diff(item: Item, tree: Tree) -> list[str]:
    """The file against the wiki's page as a file: a unified diff, line by line."""
    assert item.page is not None
    assert item.local is not None
    ours = tree.raw[item.local.file].decode("utf-8-sig", "replace")
    links = item.entry.links if item.entry is not None else {}
    try:
        theirs = page_file_bytes(item.page, item.local, links, None).decode("utf-8")
    except PageFileError:
        return []
    return [
        line.rstrip("\n")
        for line in difflib.unified_diff(
            ours.splitlines(keepends=True),
            theirs.splitlines(keepends=True),
            fromfile=f"{item.file} (here)",
            tofile=f"{item.where} (in the wiki)",
        )
    ]


def line(item: Item, done: bool) -> tuple[str, str | None]:
    planned, finished, style = _WORDS[item.step]
    verb = finished if done else planned
    arrow = {"push": "->", "push-new": "->", "pull": "<-", "pull-new": "<-"}.get(item.step, "  ")
    detail = f"({', '.join(item.changes)})" if item.changes and item.step != "in-sync" else ""
    if item.why:
        detail = f"{detail} {item.why}".strip()
    where = item.where if item.key != ("", "") else ""
    return f"{verb:<13} {item.file or '-'} {arrow} {where}  {detail}".rstrip(), style


def show_item(session: Session, item: Item, done: bool) -> None:
    text, style = line(item, done)
    session.print(text, style=style)
    if item.step == "conflict" and item.diff and not done:
        shown = item.diff[:DIFF_LINES]
        for diff_line in shown:
            session.print(f"    {diff_line}", style=_diff_style(diff_line))
        if len(item.diff) > len(shown):
            session.print(f"    ... ({len(item.diff) - len(shown)} more lines; --json has all)")


def _diff_style(text: str) -> str | None:
    if text.startswith(("+++", "---")):
        return "bold"
    if text.startswith("+"):
        return "green"
    if text.startswith("-"):
        return "red"
    return "dim" if text.startswith("@@") else None


def show_plan(session: Session, items: list[Item], dry_run: bool) -> None:
    if session.json:
        return
    for item in items:
        if item.step != "in-sync" and (dry_run or item.step in ("conflict", "held", "failed")):
            show_item(session, item, done=False)


def carry_out(
    session: Session,
    client: WikiJSClient,
    root: Path,
    tree: Tree,
    manifest: Manifest,
    reader: Reader,
    items: list[Item],
    batch_size: int,
    body_limit: int,
    concurrency: int | None = None,
) -> None:
    """Push, pull and delete; record every item that ends in step."""
    for item in items:
        if item.step == "in-sync" and item.local is not None and item.listed is not None:
            record(manifest, tree, item, item.page)
    push(session, client, tree, manifest, items, batch_size, body_limit, concurrency)
    created = {
        item.key
        for item in items
        if item.step == "push-new" and item.action is not None and item.action.page is not None
    }
    if created:
        # Pages written now are as the wiki has them; pages that link to a new
        # one are read again (Wiki.js may show that link as missing).
        pages = [i.action.page for i in items if i.action is not None and i.action.page]
        written = {page.id for page in pages}
        linking = [
            item.listed.id
            for item in items
            if item.listed is not None
            and item.listed.id not in written
            and item.local is not None
            and links_of(item.local) & created
        ]
        pages += client.pages.get_many(linking).success if linking else []
        refresh_links(client, pages, lambda n: session.progress("render", n, noun="pages"))
    pull(session, root, manifest, reader, items)
    remove(session, client, root, manifest, items)


def record(manifest: Manifest, tree: Tree, item: Item, page: Page | None) -> None:
    """Note that the file and the page agree now."""
    assert item.file is not None
    if page is None:  # unchanged since the record: only the file's hash may be new
        if item.entry is not None and item.file_sha is not None:
            item.entry.file_sha256 = item.file_sha
            if item.local is not None:
                item.entry.links = {k: list(v) for k, v in item.local.links.items()}
            manifest.entries[item.file] = item.entry
        return
    if item.local is not None:
        record_page(manifest, item.local, page, tree.raw[item.local.file])


def push(
    session: Session,
    client: WikiJSClient,
    tree: Tree,
    manifest: Manifest,
    items: list[Item],
    batch_size: int,
    body_limit: int,
    concurrency: int | None = None,
) -> None:
    todo = [item for item in items if item.step in ("push", "push-new")]
    for item in todo:
        local = item.local
        assert local is not None
        if item.step == "push-new":
            fields = create_fields(local)
            item.action = Action(local.file, local.locale, local.path, "create", fields, item=local)
            item.action.size = request_size(fields)
        else:
            assert item.page is not None
            fields = update_fields(local, item.page)
            item.action = Action(
                local.file,
                local.locale,
                local.path,
                "update",
                fields,
                item.page.id,
                item=local,
                page=item.page,
            )
            item.action.size = request_size({**fields, "content": local.content})
        if item.action.size > body_limit:
            item.step, item.why = (
                "failed",
                too_large_message(local.file, item.action.size, body_limit),
            )
            item.action = None
    todo = [item for item in todo if item.action is not None]
    by_action = {id(item.action): item for item in todo}

    def done(action: Action) -> None:
        item = by_action[id(action)]
        if action.kind == "failed":
            item.step, item.why = "failed", action.error or ""
            return
        record(manifest, tree, item, action.page)
        if not session.json:
            show_item(session, item, done=True)

    with session.progress("push", len(todo), noun="files") as tracker:
        try:
            write_pages(
                client,
                [item.action for item in todo if item.action is not None],
                batch_size=batch_size,
                body_limit=body_limit,
                tracker=tracker,
                report=done,
                concurrency=concurrency,
            )
        finally:
            for item in todo:
                action = item.action
                if action is None or action.size == -1:
                    continue
                if action.kind == "interrupted":
                    item.step, item.why = "interrupted", action.error or ""
                elif action.page_id is not None or action.kind in ("create", "update"):
                    # written before Ctrl-C, seen in the wiki's page list
                    item.why = "written before Ctrl-C (recorded at the next sync)"


def pull(
    session: Session, root: Path, manifest: Manifest, reader: Reader, items: list[Item]
) -> None:
    todo = [item for item in items if item.step in ("pull", "pull-new")]
    with session.progress("pull", len(todo), noun="files") as tracker:
        for item in todo:
            page = item.page
            assert page is not None
            try:
                if item.file is None:
                    item.file = new_file(manifest, reader.folders, page.id, page.locale, page.path)
                target = confined(root, item.file)
                current = current_bytes(target)
                if item.step == "pull-new" and current is not None and item.entry is None:
                    raise PageFileError(f"{item.file} exists but is another page's file")
                existing = item.local or (reader(item.file, current) if current else None)
                links = item.entry.links if item.entry is not None else {}
                data = page_file_bytes(page, existing, links, current)
                write_atomically(target, data, root=root)
            except (PageFileError, OSError) as exc:
                item.step, item.why = "failed", describe(exc)
                show_item(session, item, done=True)
                continue
            manifest.entries[item.file] = manifest_entry(page, data, links)
            if not session.json:
                show_item(session, item, done=True)
            tracker.advance(1)


def remove(
    session: Session, client: WikiJSClient, root: Path, manifest: Manifest, items: list[Item]
) -> None:
    for item in items:
        if item.step not in ("delete-page", "delete-file"):
            continue
        assert item.file is not None
        try:
            if item.step == "delete-page":
                assert item.listed is not None
                client.pages.delete(item.listed.id)
            else:
                confined(root, item.file).unlink(missing_ok=True)
        except Exception as exc:  # a typed WikiJSError or an OSError
            item.step, item.why = "failed", describe(exc)
        else:
            manifest.entries.pop(item.file, None)
        if not session.json:
            show_item(session, item, done=True)


def summarize(session: Session, items: list[Item], dry_run: bool) -> None:
    groups = {
        "pushed": ("push", "push-new"),
        "pulled": ("pull", "pull-new"),
        "deleted in the wiki": ("delete-page",),
        "deleted here": ("delete-file",),
        "in sync": ("in-sync",),
        "conflicts": ("conflict",),
        "held": ("held",),
        "failed": ("failed",),
    }
    counts = {name: sum(i.step in steps for i in items) for name, steps in groups.items()}
    unconfirmed = sum(i.step == "interrupted" for i in items)
    if unconfirmed:
        counts["not confirmed"] = unconfirmed
    if session.json:
        session.print_json(
            {
                "dry_run": dry_run,
                "counts": counts,
                "items": [item.as_json() for item in items if item.step != "in-sync"],
            }
        )
        return
    # deletions are named only when there were any (they need --delete)
    shown = {k: v for k, v in counts.items() if v or not k.startswith("deleted")}
    if dry_run:
        shown = {_WOULD.get(k, k): v for k, v in shown.items()}
    session.print("sync: " + ", ".join(f"{v} {k}" for k, v in shown.items()))


#: The summary's words in a dry run.
_WOULD = {
    "pushed": "to push",
    "pulled": "to pull",
    "deleted in the wiki": "to delete in the wiki",
    "deleted here": "to delete here",
}
