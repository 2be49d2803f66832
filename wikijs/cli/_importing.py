"""Pushing Markdown files to the wiki, for ``pages import`` and ``sync``.

Planning (:func:`plan_import`): each file is compared with the wiki's page
at its locale and path; a file whose write request would exceed the
wiki's body limit fails here, in a dry run as in a real one.

Writing (:func:`write_pages`): creates, then updates, through the SDK's
``pages.create_many`` and ``pages.update_many``, which size each request
for the server (its measured write cost within the client's timeout, its
body limit, HTTP 413 splitting) and settle the requests whose fate a
failure left unknown. The command sees their progress callback; Ctrl-C
stops the work, and a read of the wiki's page list then tells which files
were written (:class:`Interrupted`).

Assets (:func:`upload_assets`): files the pages link to go up first, so
that the pages render with them; a file whose recorded hash (or, without a
record, whose size and bytes) matches the asset already there is skipped.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast

import orjson

from ..batch import DEFAULT_BATCH_SIZE, BatchItemError, BatchProgress
from ..errors import NotFoundError, TransportError, WikiJSError
from . import _output
from ._links import invalid_links, page_key
from ._manifest import AssetEntry, Manifest, stamp
from ._pagefiles import (
    LOCALE_FOLDER,
    Action,
    LocaleFolders,
    PageFile,
    manifest_entry,
    plan,
)
from ._progress import Tracker
from ._session import describe
from ._tree import AssetFile, Tree, open_file

if TYPE_CHECKING:
    from .. import WikiJSClient
    from ..models import Asset, Page

#: Bytes each file adds to a batch besides its fields: its share of the
#: aliased mutation document (about 1 KB, measured) and JSON punctuation.
ITEM_OVERHEAD = 2048
#: Files written per request at most (``--batch-size``). Within it the SDK
#: sizes each request by the server's measured write speed and body limit.
WRITE_BATCH_SIZE = 10


class Interrupted(Exception):
    """Ctrl-C came while writing; the actions record what was done."""


def locale_lookalikes(directory: Path, folders: LocaleFolders) -> list[str]:
    """Top folders shaped like a locale code that are paths here (the wiki lacks them)."""
    if folders.mode != "auto":
        return []
    return sorted(
        child.name
        for child in directory.iterdir()
        if child.is_dir()
        and not child.is_symlink()
        and not child.name.startswith(".")
        and LOCALE_FOLDER.match(child.name)
        and not folders.is_locale(child.name)
    )


def read_existing(
    client: WikiJSClient,
    keys: Iterable[tuple[str, str]],
    tracker_for: Callable[[int], Any],
    listing: Sequence[Any] | None = None,
) -> dict[tuple[str, str], Page]:
    """The wiki's current pages at these ``(locale, path)`` keys, fetched in batches."""
    if listing is None:
        listing = client.pages.list()
    ids = {(item.locale, item.path): item.id for item in listing}
    wanted = sorted({ids[key] for key in keys if key in ids})
    existing: dict[tuple[str, str], Page] = {}
    with tracker_for(len(wanted)) as tracker:
        for start in range(0, len(wanted), DEFAULT_BATCH_SIZE):
            chunk = wanted[start : start + DEFAULT_BATCH_SIZE]
            for outcome in client.pages.get_many(chunk, chunk_size=len(chunk)).results:
                if not isinstance(outcome, BatchItemError):
                    existing[(outcome.locale, outcome.path)] = outcome
            tracker.advance(len(chunk))
    return existing


def plan_import(
    items: list[PageFile], existing: dict[tuple[str, str], Page], body_limit: int
) -> list[Action]:
    """What to do with each file, each write's request size estimated and checked."""
    actions = plan(items, existing)
    for action in actions:
        if action.kind == "update":
            page = existing[(action.locale, action.path)]
            content = action.fields.get("content", page.content)
            action.size = request_size({**action.fields, "content": content}) + _meta_size(page)
        elif action.kind == "create":
            action.size = request_size(action.fields)
        if action.kind in ("create", "update") and action.size > body_limit:
            action.kind = "failed"
            action.error = too_large_message(action.file, action.size, body_limit)
    return actions


def too_large_message(file: str, size: int, body_limit: int) -> str:
    return (
        f"{file} needs a request of about {_output.size(size)}, more than "
        f"the wiki's body limit of {_output.size(body_limit)} (Wiki.js's "
        "bodyParserLimit; raise it there and pass --body-limit); nothing was sent"
    )


def _meta_size(page: Page) -> int:
    # A safe partial update sends the page's other fields as they are.
    return len(page.title.encode()) + len(page.description.encode()) + 64 * len(page.tags)


def request_size(fields: dict[str, Any]) -> int:
    """What one file adds to a batch request, in bytes (an upper estimate)."""
    return len(orjson.dumps(fields, default=str)) + ITEM_OVERHEAD


def too_large(error: object) -> bool:
    return isinstance(error, WikiJSError) and getattr(error, "status_code", None) == 413


def write_pages(
    client: WikiJSClient,
    actions: Sequence[Action],
    *,
    batch_size: int,
    body_limit: int,
    tracker: Tracker,
    report: Callable[[Action], None],
    concurrency: int | None = None,
) -> None:
    """Write every ``create`` and ``update`` action, recording each outcome on it.

    Raises:
        Interrupted: Ctrl-C. Each action not known written is then
            ``interrupted`` (it may or may not have been written).
    """
    done = 0

    def progress(base: int) -> Callable[[BatchProgress], None]:
        return lambda step: tracker.update(base + step.done)

    try:
        creates = [a for a in actions if a.kind == "create"]
        if creates:
            created = client.pages.create_many(
                [a.fields for a in creates],
                chunk_size=batch_size,
                progress=progress(done),
                concurrency=concurrency,
            )
            _settle(creates, created.results, body_limit, report)
            done += len(creates)
            tracker.update(done)
        updates = [a for a in actions if a.kind == "update"]
        if updates:
            updated = client.pages.update_many(
                [{"id": a.page_id, **a.fields} for a in updates],
                chunk_size=batch_size,
                progress=progress(done),
                concurrency=concurrency,
            )
            _settle(updates, updated.results, body_limit, report)
            done += len(updates)
            tracker.update(done)
    except KeyboardInterrupt:
        settle_interrupted(client, [a for a in actions if a.kind in ("create", "update")])
        raise Interrupted from None


def _settle(
    actions: Sequence[Action],
    results: Sequence[Page | BatchItemError],
    body_limit: int,
    report: Callable[[Action], None],
) -> None:
    for action, outcome in zip(actions, results, strict=True):
        if isinstance(outcome, BatchItemError):
            _failed(action, outcome.error, body_limit)
        else:
            action.page = outcome
            action.page_id = outcome.id
        action.size = -1  # settled
        report(action)


def _failed(action: Action, error: WikiJSError, body_limit: int) -> None:
    action.kind = "failed"
    if too_large(error):
        action.error = (
            f"{action.file}: the wiki refused the request as too large (HTTP 413); "
            f"its body limit is below the {_output.size(body_limit)} assumed: "
            "pass a smaller --body-limit, or raise bodyParserLimit in Wiki.js"
        )
    elif isinstance(error, TransportError) and error.request_sent:
        action.error = (
            f"{describe(error)} (it may have been written: run the same "
            "command again, it compares and skips what is already there)"
        )
    else:
        action.error = describe(error)


def settle_interrupted(client: WikiJSClient, actions: Sequence[Action]) -> None:
    """After Ctrl-C: which unsettled writes landed, read from the wiki's page list.

    A write the list shows is done; any other is ``interrupted``: it was in
    flight or not sent, and one in flight may still land.
    """
    pending = [a for a in actions if a.size != -1]
    if not pending:
        return
    try:
        listing = {(item.locale, item.path): item for item in client.pages.list()}
    except (KeyboardInterrupt, WikiJSError):
        listing = {}
    for action in pending:
        listed = listing.get((action.locale, action.path))
        if listed is not None and action.kind == "create":
            action.page_id = listed.id
            continue
        if (
            listed is not None
            and action.page is not None
            and stamp(listed.updated_at) != stamp(action.page.updated_at)
        ):
            continue
        action.kind = "interrupted"
        action.error = "not confirmed when Ctrl-C came: it may or may not be written"


def refresh_links(
    client: WikiJSClient, pages: Iterable[Page], tracker_for: Callable[[int], Any]
) -> list[int]:
    """Render again the pages that show a link to a page that exists as missing.

    Wiki.js marks a link to a page that does not exist yet invalid when it
    renders the linking page; creating the page fixes only an exact
    ``/<locale>/<path>`` link (not one with ``#anchor``, nor a percent-encoded
    one), so a tree imported in one go would show some of its links as
    broken. ``pages`` are the pages as they are now (their ``render``).
    Returns the ids rendered again.
    """
    suspects = [page for page in pages if "is-invalid-page" in (page.render or "")]
    if not suspects:
        return []
    listed = {(item.locale, item.path) for item in client.pages.list()}
    stale = [page.id for page in suspects if invalid_links(page.render or "", page.locale) & listed]
    with tracker_for(len(stale)) as tracker:
        for page_id in stale:
            client.pages.render(page_id)
            tracker.advance(1)
    return stale


def links_of(item: PageFile) -> set[tuple[str, str]]:
    """The pages a file's links lead to (its wiki links, as the import made them)."""
    keys = {page_key(destination, item.locale) for destination in item.links}
    return {key for key in keys if key is not None}


# -- assets --------------------------------------------------------------------------


@dataclass
class AssetOutcome:
    """What happened to one file the pages link to."""

    file: str
    path: str
    action: str  # "upload", "unchanged", "failed" (planned: "upload" / "unchanged")
    error: str | None = None
    asset: Asset | None = None


def upload_assets(
    client: WikiJSClient,
    tree: Tree,
    manifest: Manifest,
    *,
    dry_run: bool,
    replace: bool = False,
    tracker_for: Callable[[int], Any],
) -> list[AssetOutcome]:
    """Upload each linked file that the wiki does not have as it is (see the module docstring).

    Files are hashed and uploaded as streams (the SDK's streamed upload),
    never held in memory whole. An asset of the same name that the folder
    did not upload (no record of it) and that holds something else is
    replaced only with ``replace``.
    """
    wanted = sorted(tree.assets.values(), key=lambda a: a.file)
    if not wanted:
        return []
    present = _present(client, {asset.folder for asset in wanted})
    outcomes: list[AssetOutcome] = []
    todo: list[tuple[AssetFile, str]] = []
    for asset in wanted:
        try:
            digest = _hash_file(tree.root, asset.file)
        except (OSError, ValueError) as exc:
            outcomes.append(AssetOutcome(asset.file, asset.path, "failed", str(exc)))
            continue
        there = present.get(asset.path)
        if there is not None and _same_asset(client, manifest, asset, there, digest):
            outcomes.append(AssetOutcome(asset.file, asset.path, "unchanged", asset=there))
            _record_asset(manifest, asset, there, digest)
            continue
        record = manifest.assets.get(asset.file)
        if there is not None and not replace and (record is None or record.id != there.id):
            error = (
                "an asset of this name, not uploaded from this folder, holds something else; "
                "not replaced (--replace-assets replaces it)"
            )
            outcomes.append(AssetOutcome(asset.file, asset.path, "failed", error))
            continue
        todo.append((asset, digest))
    with tracker_for(sum(asset.size for asset, _ in todo)) as tracker:
        sent = 0
        for asset, digest in todo:
            if dry_run:
                outcomes.append(AssetOutcome(asset.file, asset.path, "upload"))
                continue

            def step(count: int, _total: int | None, base: int = sent) -> None:
                tracker.update(base + count)

            try:
                with open_file(tree.root, asset.file) as source:
                    stored = client.assets.upload(
                        source,
                        filename=asset.name,
                        folder=asset.folder or None,
                        create_folders=True,
                        progress=step,
                    )
            except (WikiJSError, OSError, ValueError) as exc:
                error = describe(exc) if isinstance(exc, WikiJSError) else str(exc)
                outcomes.append(AssetOutcome(asset.file, asset.path, "failed", error))
            else:
                outcomes.append(AssetOutcome(asset.file, asset.path, "upload", asset=stored))
                _record_asset(manifest, asset, stored, digest)
            sent += asset.size
            tracker.update(sent)
    return sorted(outcomes, key=lambda o: o.file)


class _Hashing(io.RawIOBase):
    """A write-only sink that keeps only the SHA-256 of what it is given."""

    def __init__(self) -> None:
        self.hash = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.hash.update(data)
        return len(data)


def _hash_file(root: Path, relative: str) -> str:
    sink = _Hashing()
    with open_file(root, relative) as source:
        while chunk := source.read(1 << 20):
            sink.write(chunk)
    return sink.hash.hexdigest()


def _present(client: WikiJSClient, folders: set[str]) -> dict[str, Asset]:
    """The assets now in these folders, by path (a folder that does not exist holds none)."""
    found: dict[str, Asset] = {}
    for folder in sorted(folders):
        try:
            listed = client.assets.list(folder or None)
        except NotFoundError:
            continue
        for asset in listed:
            found[f"{folder}/{asset.filename}" if folder else asset.filename] = asset
    return found


def _same_asset(
    client: WikiJSClient, manifest: Manifest, asset: AssetFile, there: Asset, digest: str
) -> bool:
    """Whether the asset already holds the file: by the record, else by its bytes."""
    if there.file_size != asset.size:
        return False
    record = manifest.assets.get(asset.file)
    if record is not None and record.id == there.id and record.sha256 == digest:
        return True
    sink = _Hashing()
    try:
        client.assets.download(there, to=cast("BinaryIO", sink))
    except WikiJSError:
        return False
    return sink.hash.hexdigest() == digest


def _record_asset(manifest: Manifest, asset: AssetFile, there: Asset, digest: str) -> None:
    manifest.assets[asset.file] = AssetEntry(there.id, asset.path, digest, asset.size)


# -- the manifest ------------------------------------------------------------------------


def record_page(manifest: Manifest, item: PageFile, page: Page, file_bytes: bytes) -> None:
    """Note that ``item``'s file and ``page`` agree now (import, push or pull)."""
    for name, entry in list(manifest.entries.items()):
        if entry.id == page.id and name != item.file:
            del manifest.entries[name]  # the page's file moved; its old record goes
    manifest.entries[item.file] = manifest_entry(page, file_bytes, item.links)
