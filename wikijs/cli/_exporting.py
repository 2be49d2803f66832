"""``pages export``: pages to Markdown files, never over a file edited since the last export."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..batch import BatchItemError
from ._manifest import Entry, Manifest, ManifestError, sha256, stamp, write_atomically
from ._pagefiles import PageFileError, export_document, export_path, under
from ._session import Session

if TYPE_CHECKING:
    from .. import WikiJSClient
    from ..models import Page, PageListItem

EXIT_INTERRUPTED = 130

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


def load_manifest(session: Session, root: Path, wiki: str) -> Manifest:
    try:
        manifest = Manifest.load(root)
    except ManifestError as exc:
        session.fail(f"ManifestError: {exc}")
    other = manifest.adopt(wiki)
    if other is not None:
        session.note(
            f"note: {root} was last written from {other}: every file that differs "
            f"from {wiki} counts as edited locally"
        )
    return manifest


def current_bytes(target: Path) -> bytes | None:
    try:
        return target.read_bytes()
    except FileNotFoundError:
        return None


def inside(root: Path, target: Path) -> bool:
    return root in target.resolve().parents


def decide(current: bytes | None, data: bytes, entry: Entry | None, force: bool) -> str:
    """What writing ``data`` over a file holding ``current`` means."""
    if current is None:
        return "new"
    if current == data:
        return "unchanged"
    if entry is not None and sha256(current) == entry.file_sha256:
        return "updated"
    return "overwritten" if force else "kept"


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
) -> None:
    client = session.client()
    root = output.resolve()
    manifest = load_manifest(session, root, client.config.base_url)
    listing = [
        item
        for item in client.pages.list(locale=locale, tags=list(tags) or None)
        if under(item.path, path_prefix)
    ]
    outcomes: dict[int, Outcome] = {}
    problems: list[str] = []
    to_fetch: list[int] = []
    for item in listing:
        try:
            relative = export_path(item.id, item.locale, item.path)
        except PageFileError as exc:
            problems.append(str(exc))
            continue
        outcome = Outcome(item.id, item.locale, item.path, relative.as_posix())
        outcomes[item.id] = outcome
        if not shortcut(manifest, outcome, item, root, force):
            to_fetch.append(item.id)
    interrupted = False
    try:
        with session.progress("export", len(to_fetch), noun="pages") as tracker:
            for page in fetch_pages(client, to_fetch, batch_size, problems):
                outcome = outcomes[page.id]
                try:
                    write_page(manifest, outcome, page, root, force=force, dry_run=dry_run)
                except PageFileError as exc:
                    problems.append(str(exc))
                    outcome.action = "failed"
                tracker.advance(1)
    except KeyboardInterrupt:
        interrupted = True
    vanished = forget_vanished(manifest, listing, filtered=bool(locale or tags or path_prefix))
    if not dry_run:
        manifest.save()
    report(session, root, outcomes.values(), problems, vanished, dry_run=dry_run)
    if interrupted:
        session.note(
            "Interrupted: the files listed as written are complete, the manifest records "
            "them; run the same export again to finish (unchanged pages are skipped).",
            style="bold",
        )
        raise click.exceptions.Exit(EXIT_INTERRUPTED)
    if problems or any(o.action in ("kept", "failed") for o in outcomes.values()):
        raise click.exceptions.Exit(1)


def shortcut(
    manifest: Manifest, outcome: Outcome, item: PageListItem, root: Path, force: bool
) -> bool:
    """Decide without downloading when the page did not change since the manifest's record."""
    entry = manifest.entries.get(outcome.file)
    if entry is None or entry.id != item.id or entry.updated_at != stamp(item.updated_at):
        return False
    current = current_bytes(root / outcome.file)
    if current is None:
        return False
    digest = sha256(current)
    if digest == entry.page_sha256:
        outcome.action = "unchanged"
        return True
    if digest != entry.file_sha256 and not force:
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
    manifest: Manifest, outcome: Outcome, page: Page, root: Path, *, force: bool, dry_run: bool
) -> None:
    relative, text = export_document(page)
    target = root.joinpath(*relative.parts)
    if not inside(root, target):  # pragma: no cover - export_path refuses such paths
        raise PageFileError(f"page {page.id} would be written outside {root}")
    data = text.encode("utf-8")
    entry = manifest.entries.get(outcome.file)
    outcome.action = decide(current_bytes(target), data, entry, force)
    if outcome.action == "kept":
        return
    if not dry_run and outcome.action != "unchanged":
        write_atomically(target, data)
    digest = sha256(data)
    manifest.entries[outcome.file] = Entry(
        page.id, page.locale, page.path, stamp(page.updated_at), digest, digest
    )


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
