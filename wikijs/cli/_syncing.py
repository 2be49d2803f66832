"""``wikijs sync DIR``: a Markdown tree and the wiki, kept in step both ways (docs as code).

Each page is compared three ways: the file now, the page now, and both as
they were at the last sync (the manifest, ``.wikijs-manifest.json``; see
:mod:`._manifest`). Changed on one side only, the change is pushed or
pulled; changed on both, it is a conflict, reported and left alone on both
sides until one of them is made to match the other. A page whose
``updatedAt`` is the recorded one is not downloaded.

The tree is laid out like ``pages export`` writes it (``<locale>/<path>.md``)
and read like ``pages import`` reads it, so the three commands work on the
same folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import click

from ..batch import BatchItemError
from ._exporting import inside, load_manifest
from ._importing import Interrupted, PageWriter, collect, request_size
from ._manifest import Entry, Manifest, sha256, stamp, write_atomically
from ._pagefiles import (
    LOCALE_DIR_MODES,
    Action,
    LocaleFolders,
    PageFile,
    PageFileError,
    create_fields,
    export_document,
    under,
    update_fields,
)
from ._pages import LOCALE_DIRS_HELP, import_folders, transfer_options
from ._session import Session, WikiCommand, describe, pass_session

if TYPE_CHECKING:
    from .. import WikiJSClient
    from ..models import Page, PageListItem

EXIT_INTERRUPTED = 130

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
}


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
    step: Step = "in-sync"
    why: str = ""
    changes: list[str] = field(default_factory=list)
    action: Action | None = None

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
        }


def page_digest(page: Page) -> str:
    return sha256(export_document(page)[1].encode("utf-8"))


@click.command(cls=WikiCommand)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), metavar="DIRECTORY")
@click.option("--push", "direction", flag_value="push", help="Only send local changes to the wiki.")
@click.option("--pull", "direction", flag_value="pull", help="Only bring wiki changes here.")
@click.option("--dry-run", is_flag=True, help="Show the plan; change nothing.")
@click.option(
    "--prefer",
    type=click.Choice(["local", "wiki"]),
    help="Settle conflicts by taking this side (default: report them and touch neither).",
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
    help="Only pages at PATH or below it (e.g. docs): the folder mirrors that part of the wiki.",
)
@click.option(
    "--locale-dirs",
    type=click.Choice(LOCALE_DIR_MODES),
    default="auto",
    show_default=True,
    help=LOCALE_DIRS_HELP,
)
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
    batch_size: int,
    body_limit: int,
    concurrency: int | None,
) -> None:
    """Two-way sync of a folder of Markdown files with the wiki.

    Compares each file and page with what they were at the last sync (by
    content hash and front matter), then pushes what changed here, pulls
    what changed in the wiki, and reports what changed on both sides as a
    CONFLICT, touching neither: make one side match the other, or sync
    again with --prefer local or --prefer wiki. With --locale only pages in
    that locale are synced. Exits 1 on any conflict or failure.
    """
    client = session.client()
    root = directory.resolve()
    manifest = load_manifest(session, root, client.config.base_url)
    if root.is_dir():
        default, folders = import_folders(session, root, locale, locale_dirs)
    else:
        default = session.check_locale(locale) if locale else session.locales()[0]
        folders = LocaleFolders(locale_dirs, session.locales()[1])  # type: ignore[arg-type]
    items, failures = gather(session, client, root, manifest, folders, default, locale, path_prefix)
    plan(items, direction, delete, prefer)
    for failure in failures:
        items.append(
            Item(("", ""), file=failure.file, step="failed", why=failure.error or "unreadable")
        )
    show_plan(session, items, dry_run)
    interrupted = False
    if not dry_run:
        try:
            carry_out(session, client, root, manifest, items, batch_size, body_limit, concurrency)
        except Interrupted:
            interrupted = True
        finally:
            manifest.save()
        if not session.json:
            for item in items:
                if item.step == "failed" and item.action is not None:
                    show_item(session, item, done=True)
    summarize(session, items, dry_run)
    if interrupted:
        session.note(
            "Interrupted: what was pushed or pulled is recorded; run the same sync again "
            "to finish.",
            style="bold",
        )
        raise click.exceptions.Exit(EXIT_INTERRUPTED)
    if any(item.step in ("conflict", "failed") for item in items):
        raise click.exceptions.Exit(1)


def gather(
    session: Session,
    client: WikiJSClient,
    root: Path,
    manifest: Manifest,
    folders: LocaleFolders,
    default: str,
    locale: str | None,
    path_prefix: str | None,
) -> tuple[list[Item], list[Action]]:
    """Every key with a file, a page or a record; pages downloaded only where needed."""
    locals_: list[PageFile] = []
    failures: list[Action] = []
    raw: dict[str, bytes] = {}
    if root.is_dir():
        locals_, failures, raw = collect(root, default, folders)
    items: dict[tuple[str, str], Item] = {}
    outside: list[str] = []

    def at(key: tuple[str, str]) -> Item:
        return items.setdefault(key, Item(key))

    for local in locals_:
        if (locale is not None and local.locale != locale) or not under(local.path, path_prefix):
            outside.append(local.file)
            continue
        item = at(local.key)
        if item.local is not None:
            failures.append(
                Action(
                    local.file,
                    local.locale,
                    local.path,
                    "failed",
                    error=(f"{item.file} is the same page ({local.locale}/{local.path})"),
                )
            )
            continue
        item.local, item.file, item.file_sha = local, local.file, sha256(raw[local.file])
    for listed in client.pages.list(locale=locale):
        if under(listed.path, path_prefix):
            at((listed.locale, listed.path)).listed = listed
    for name, entry in manifest.entries.items():
        if (locale is None or entry.locale == locale) and under(entry.path, path_prefix):
            item = at(entry.key)
            item.entry = entry
            item.file = item.file or name
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
    return sorted(items.values(), key=lambda i: (i.file or "", i.key)), failures


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
    if item.local is not None and item.listed is not None:
        if item.page is None and (here or there):
            item.step, item.why = "failed", "the page could not be read"
            return
        if not here and not there:
            return
        changes = update_fields(item.local, item.page) if item.page is not None else {}
        item.changes = sorted(changes)
        if not changes:
            return  # both sides say the same: recorded as in sync
        if here and not there:
            item.step = "push"
        elif there and not here:
            item.step = "pull"
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
    """A conflict, settled by ``--prefer`` (or left, saying how to settle it)."""
    if prefer is None:
        item.why += " (--prefer local or --prefer wiki settles it)"
        return
    if item.local is not None and item.listed is not None:
        item.step = "push" if prefer == "local" else "pull"
    elif item.local is not None:  # deleted in the wiki, changed here
        item.step = "push-new" if prefer == "local" else "delete-file"
    else:  # deleted here, changed in the wiki
        item.step = "delete-page" if prefer == "local" else "pull"
    item.why = f"--prefer {prefer}"


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
    manifest: Manifest,
    items: list[Item],
    batch_size: int,
    body_limit: int,
    concurrency: int | None = None,
) -> None:
    """Push, pull and delete; record every item that ends in step."""
    for item in items:
        if item.step == "in-sync" and item.local is not None and item.listed is not None:
            record(manifest, item, item.page)
    push(session, client, manifest, items, batch_size, body_limit, concurrency)
    pull(session, root, manifest, items)
    remove(session, client, root, manifest, items)


def record(manifest: Manifest, item: Item, page: Page | None) -> None:
    """Note that the file and the page agree now."""
    assert item.file is not None
    if page is None:  # unchanged since the record: only the file's hash may be new
        if item.entry is not None and item.file_sha is not None:
            item.entry.file_sha256 = item.file_sha
            manifest.entries[item.file] = item.entry
        return
    for name, entry in list(manifest.entries.items()):
        if entry.key == item.key and name != item.file:
            del manifest.entries[name]  # the file moved; its old record goes
    manifest.entries[item.file] = Entry(
        page.id,
        page.locale,
        page.path,
        stamp(page.updated_at),
        page_digest(page),
        item.file_sha or page_digest(page),
    )


def push(
    session: Session,
    client: WikiJSClient,
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
        assert item.file is not None
        if item.step == "push-new":
            fields = create_fields(local)
            item.action = Action(local.file, local.locale, local.path, "create", fields)
        else:
            assert item.page is not None
            fields = update_fields(local, item.page)
            item.action = Action(
                local.file, local.locale, local.path, "update", fields, item.page.id
            )
        item.action.size = request_size({**fields, "content": local.content})
    by_action = {id(item.action): item for item in todo}

    def done(action: Action) -> None:
        item = by_action[id(action)]
        if action.kind == "failed":
            item.step, item.why = "failed", action.error or ""
            return
        record(manifest, item, action.page)
        if not session.json:
            show_item(session, item, done=True)

    with session.progress("push", len(todo), noun="files") as tracker:
        writer = PageWriter(
            client,
            batch_size=batch_size,
            body_limit=body_limit,
            concurrency=concurrency,
            tracker=tracker,
            report=done,
            clock=session.runtime.clock,
        )
        try:
            writer.run([item.action for item in todo if item.action is not None])
        finally:
            for item in todo:
                if item.action is not None and item.action.kind in ("interrupted", "skipped"):
                    item.step, item.why = "failed", item.action.error or "not sent (Ctrl-C)"


def pull(session: Session, root: Path, manifest: Manifest, items: list[Item]) -> None:
    todo = [item for item in items if item.step in ("pull", "pull-new")]
    with session.progress("pull", len(todo), noun="files") as tracker:
        for item in todo:
            page = item.page
            assert page is not None
            try:
                relative, text = export_document(page)
                if item.step == "pull-new":
                    item.file = relative.as_posix()
                    target = root / item.file
                    if target.exists():
                        raise PageFileError(f"{item.file} exists but is another page's file")
                assert item.file is not None
                target = root / item.file
                if not inside(root, target):  # pragma: no cover - export_path refuses
                    raise PageFileError(f"{item.file} is outside {root}")
                data = text.encode("utf-8")
                write_atomically(target, data)
            except (PageFileError, OSError) as exc:
                item.step, item.why = "failed", describe(exc)
                show_item(session, item, done=True)
                continue
            item.file_sha = sha256(data)
            record(manifest, item, page)
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
                (root / item.file).unlink(missing_ok=True)
        except Exception as exc:  # a typed WikiJSError or an OSError
            item.step, item.why = "failed", describe(exc)
        else:
            manifest.entries.pop(item.file, None)
        if not session.json:
            show_item(session, item, done=True)


def summarize(session: Session, items: list[Item], dry_run: bool) -> None:
    groups = {
        "pushed": ("push", "push-new", "delete-page"),
        "pulled": ("pull", "pull-new", "delete-file"),
        "in sync": ("in-sync",),
        "conflicts": ("conflict",),
        "held": ("held",),
        "failed": ("failed",),
    }
    counts = {name: sum(i.step in steps for i in items) for name, steps in groups.items()}
    if session.json:
        session.print_json(
            {
                "dry_run": dry_run,
                "counts": counts,
                "items": [item.as_json() for item in items if item.step != "in-sync"],
            }
        )
        return
    if dry_run:
        counts = {
            ("to push" if k == "pushed" else "to pull" if k == "pulled" else k): v
            for k, v in counts.items()
        }
    session.print("sync: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
