"""``pages export``: pages to Markdown files, never over a file edited since the last export."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import click

from ..batch import BatchItemError
from ._manifest import (
    NAME,
    Entry,
    Manifest,
    ManifestError,
    confined,
    sha256,
    stamp,
    write_atomically,
)
from ._pagefiles import (
    LocaleFolders,
    PageFile,
    PageFileError,
    export_path,
    manifest_entry,
    page_document,
    read_page_file,
    under,
)
from ._session import Session

if TYPE_CHECKING:
    from .. import WikiJSClient
    from ..models import Page, PageListItem

#: What exporting did (or would do) to a file.
_VERBS = {
    "new": ("written (new)", "would write (new)", "green"),
    "updated": ("updated", "would update", "yellow"),
    "overwritten": ("overwritten", "would overwrite", "bold yellow"),
    "kept": ("kept", "would keep", "bold red"),
    "unchanged": ("unchanged", "unchanged", "dim"),
}


@dataclass
class Outcome:
    """One page's file and what happened to it."""

    id: int
    locale: str
    path: str
    file: str
    action: str = "unchanged"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "locale": self.locale,
            "path": self.path,
            "file": self.file,
            "action": self.action,
        }


def load_manifest(session: Session, root: Path, wiki: str, source: Path | None = None) -> Manifest:
    """``root``'s manifest, or with ``source`` another tree's, for ``root``."""
    if source is not None:
        if (root / NAME).exists() or (root / NAME).is_symlink():
            raise click.UsageError(
                f"{root} has a manifest of its own; --manifest starts a folder without one "
                "(move it away to start afresh)"
            )
        if source.is_dir():
            source = source / NAME
        if not source.is_file():
            raise click.UsageError(f"--manifest: no manifest at {source}")
    try:
        manifest = Manifest.load(root, source)
    except ManifestError as exc:
        session.fail(f"{session.command_name}: {exc}")
    other = manifest.adopt(wiki)
    if other is not None:
        session.note(
            f"note: {root} was last written from {other}: every file that differs "
            f"from {wiki} counts as edited locally"
        )
    return manifest


def new_file(
    manifest: Manifest, folders: LocaleFolders, page_id: int, locale: str, path: str
) -> str:
    """Where a page that has no file yet goes: ``<locale>/<path>.md``, or ``<path>.md``
    in a tree whose files of that locale have no locale folder (an imported
    ``docs/`` folder), unless the path would read as a locale folder.

    Raises:
        PageFileError: the page's path cannot be a file name.
    """
    relative = export_path(page_id, locale, path)
    files = [name for name, entry in manifest.entries.items() if entry.locale == locale]
    flat = bool(files) and not any(name.startswith(f"{locale}/") for name in files)
    if flat and not folders.is_locale(path.split("/", 1)[0]):
        return PurePosixPath(*relative.parts[1:]).as_posix()
    return relative.as_posix()


def current_bytes(target: Path) -> bytes | None:
    try:
        if target.is_symlink():
            return b""  # never the page's bytes: a link is kept, not replaced
        return target.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None


def decide(current: bytes | None, data: bytes, entry: Entry | None, force: bool) -> str:
    """What writing ``data`` over a file holding ``current`` means."""
    if current is None:
        return "new"
    if current == data:
        return "unchanged"
    if entry is not None and sha256(current) == entry.file_sha256:
        return "updated"
    return "overwritten" if force else "kept"


@dataclass
class Reader:
    """Reads an existing file of the tree the way ``pages import`` would."""

    default_locale: str
    folders: LocaleFolders

    def __call__(self, relative: str, data: bytes) -> PageFile | None:
        try:
            return read_page_file(
                PurePosixPath(relative),
                data.decode("utf-8-sig"),
                default_locale=self.default_locale,
                folders=self.folders,
            )
        except (UnicodeDecodeError, PageFileError):
            return None


def run_export(
    session: Session,
    output: Path,
    *,
    locale: str | None,
    tags: tuple[str, ...],
    path_prefix: str | None,
    force: bool,
    dry_run: bool,
    batch_size: int,
    source_manifest: Path | None = None,
) -> None:
    client = session.client()
    root = output.resolve()
    manifest = load_manifest(session, root, client.config.base_url, source_manifest)
    default, installed = session.locales()
    reader = Reader(default, LocaleFolders("auto", installed))
    listing = [
        item
        for item in client.pages.list(locale=locale, tags=list(tags) or None)
        if under(item.path, path_prefix)
    ]
    recorded = manifest.by_id()
    outcomes: dict[int, Outcome] = {}
    problems: list[str] = []
    to_fetch: list[int] = []
    for item in listing:
        if item.id in recorded:
            file = recorded[item.id][0]
        else:
            try:
                file = new_file(manifest, reader.folders, item.id, item.locale, item.path)
            except PageFileError as exc:
                problems.append(str(exc))
                continue
        outcome = Outcome(item.id, item.locale, item.path, file)
        outcomes[item.id] = outcome
        if not shortcut(manifest, outcome, item, root, force):
            to_fetch.append(item.id)
    interrupted = False
    try:
        with session.progress("export", len(to_fetch), noun="pages") as tracker:
            for page in fetch_pages(client, to_fetch, batch_size, problems):
                outcome = outcomes[page.id]
                try:
                    write_page(manifest, outcome, page, root, reader, force=force, dry_run=dry_run)
                except (PageFileError, OSError) as exc:
                    reason = str(exc) if isinstance(exc, PageFileError) else _os_error(exc)
                    problems.append(f"page {page.id} ({page.locale}/{page.path!r}): {reason}")
                    outcome.action = "failed"
                tracker.advance(1)
    except KeyboardInterrupt:
        interrupted = True
    vanished = forget_vanished(manifest, listing, filtered=bool(locale or tags or path_prefix))
    if not dry_run:
        try:
            manifest.save()
        except OSError as exc:
            problems.append(f"cannot write {manifest.file}: {_os_error(exc)}")
    report(session, root, outcomes.values(), problems, vanished, dry_run=dry_run)
    if interrupted:
        session.interrupted(
            "the files listed as written are complete, and the manifest records them",
            again="unchanged pages are skipped",
        )
    if problems or any(o.action in ("kept", "failed") for o in outcomes.values()):
        raise click.exceptions.Exit(1)


def _os_error(exc: OSError) -> str:
    return f"cannot write {exc.filename}: {exc.strerror}" if exc.strerror else str(exc)


def shortcut(
    manifest: Manifest, outcome: Outcome, item: PageListItem, root: Path, force: bool
) -> bool:
    """Decide without downloading when the page did not change since the manifest's record."""
    entry = manifest.entries.get(outcome.file)
    if entry is None or entry.id != item.id or entry.updated_at != stamp(item.updated_at):
        return False
    try:
        current = current_bytes(confined(root, outcome.file))
    except OSError:
        return False
    if current is None:
        return False
    if sha256(current) == entry.file_sha256:
        outcome.action = "unchanged"
        return True
    if not force:
        outcome.action = "kept"  # edited here; the page did not change
        return True
    return False


def fetch_pages(
    client: WikiJSClient, ids: list[int], batch_size: int, problems: list[str]
) -> Iterable[Page]:
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        for page_id, result in zip(
            chunk, client.pages.get_many(chunk, chunk_size=len(chunk)).results, strict=True
        ):
            if isinstance(result, BatchItemError):
                problems.append(f"page {page_id}: {result.error}")
            else:
                yield result


def write_page(
    manifest: Manifest,
    outcome: Outcome,
    page: Page,
    root: Path,
    reader: Reader,
    *,
    force: bool,
    dry_run: bool,
) -> None:
    """Write one page's file (or decide not to); the manifest records what the file holds.

    Raises:
        PageFileError: the file cannot be written safely.
        OSError: the file system refused (a name too long, …).
    """
    target = confined(root, outcome.file)
    entry = manifest.entries.get(outcome.file)
    current = current_bytes(target)
    if current:
        existing = reader(outcome.file, current)
    elif current is None and entry is not None and entry.head is not None:
        # no file (a fresh folder given a manifest): the front matter it had
        existing = reader(outcome.file, entry.head.encode("utf-8"))
    else:
        existing = None
    data = page_file_bytes(page, existing, entry.links if entry else {}, current)
    outcome.action = decide(current, data, entry, force)
    if outcome.action == "kept":
        return
    if not dry_run and outcome.action != "unchanged":
        write_atomically(target, data, root=root)
    manifest.entries[outcome.file] = manifest_entry(page, data, entry.links if entry else {})


def page_file_bytes(
    page: Page,
    existing: PageFile | None,
    links: Mapping[str, Iterable[str]],
    current: bytes | None,
) -> bytes:
    """The bytes of ``page``'s file: its text, with the byte-order mark the file had."""
    text = page_document(page, existing, links)
    bom = b"\xef\xbb\xbf" if current is not None and current.startswith(b"\xef\xbb\xbf") else b""
    return bom + text.encode("utf-8")


def forget_vanished(manifest: Manifest, listing: list[PageListItem], filtered: bool) -> list[str]:
    """Files recorded for pages the wiki no longer has (left on disk, dropped from the record)."""
    if filtered:
        return []
    present = {item.id for item in listing}
    gone = sorted(name for name, entry in manifest.entries.items() if entry.id not in present)
    for name in gone:
        del manifest.entries[name]
    return gone


def print_outcome(session: Session, outcome: Outcome, dry_run: bool) -> None:
    done, would, style = _VERBS[outcome.action]
    verb = would if dry_run else done
    detail = ""
    if outcome.action == "kept":
        detail = "  edited here since the last export; --force overwrites it"
    session.print(f"{verb:<18} {outcome.file}{detail}", style=style)


def report(
    session: Session,
    root: Path,
    outcomes: Iterable[Outcome],
    problems: list[str],
    vanished: list[str],
    *,
    dry_run: bool,
) -> None:
    done = list(outcomes)
    counts = {kind: sum(o.action == kind for o in done) for kind in _VERBS}
    if session.json:
        session.print_json(
            {
                "output": root,
                "dry_run": dry_run,
                "counts": counts,
                "pages": [o.as_json() for o in done if o.action != "failed"],
                "kept": [o.file for o in done if o.action == "kept"],
                "vanished": vanished,
                "errors": problems,
            }
        )
        return
    for outcome in sorted(done, key=lambda o: o.file):
        if outcome.action in ("kept", "overwritten") or (
            dry_run and outcome.action in ("new", "updated")
        ):
            print_outcome(session, outcome, dry_run)
    for problem in problems:
        session.note(f"skipped: {problem}", style="red")
    if vanished:
        session.note(
            f"{len(vanished)} file(s) of pages no longer in the wiki were left in place: "
            + ", ".join(vanished[:5])
            + (" ..." if len(vanished) > 5 else "")
        )
    exported = len(done) - counts["kept"] - sum(o.action == "failed" for o in done)
    verb = "would export" if dry_run else "exported"
    parts = [f"{counts['new']} new", f"{counts['updated'] + counts['overwritten']} updated"]
    parts.append(f"{counts['unchanged']} unchanged")
    if counts["kept"]:
        parts.append(f"{counts['kept']} kept (edited here: --force overwrites)")
    session.print(f"{verb} {exported} page(s) to {root}: {', '.join(parts)}")
