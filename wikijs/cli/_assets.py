"""``wikijs assets …``: list, upload, download and delete files, with progress in bytes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import click

from ..batch import BatchItemError
from ..errors import NotFoundError
from . import _output
from ._session import EXPECTED_ERRORS, Session, WikiGroup, describe, pass_session

if TYPE_CHECKING:
    from .. import WikiJSClient
    from ..models import Asset, AssetKindOption


@click.group(cls=WikiGroup)
def assets() -> None:
    """Upload, download, list and delete files (images, attachments)."""


class Places:
    """Asset paths (``images/2026/logo.png``); the folder tree is read once, when needed."""

    def __init__(self, client: WikiJSClient) -> None:
        self.client = client
        self._paths: dict[int, str] | None = None

    def __call__(self, asset: Asset) -> str:
        if asset.folder is None:
            return asset.filename
        if self._paths is None:
            self._paths = {
                node.id: node.path
                for top in self.client.assets.folder_tree()
                for node in top.walk()
            }
        folder = self._paths.get(asset.folder.id, asset.folder.slug)
        return f"{folder}/{asset.filename}"


def find(client: WikiJSClient, ref: str) -> Asset:
    """An asset by id (``12``) or by path (``images/logo.png``)."""
    text = ref.strip()
    if text.isdigit():
        return client.assets.get(int(text))
    folder, _, name = text.strip("/").rpartition("/")
    for asset in client.assets.list(folder=folder or None):
        if asset.filename == name.lower():
            return asset
    raise NotFoundError(f"no asset {text!r}", operation="ListAssets")


@assets.command("list")
@click.argument("folder", default="/")
@click.option(
    "--kind",
    type=click.Choice(["all", "image", "binary"], case_sensitive=False),
    default="all",
    show_default=True,
)
@click.option("--recursive", "-r", is_flag=True, help="Also the folders below FOLDER.")
@pass_session
def list_assets(session: Session, folder: str, kind: AssetKindOption, recursive: bool) -> None:
    """List the files in FOLDER (default: the root)."""
    client = session.client()
    target = None if folder.strip("/") == "" else folder
    if recursive:
        found = list(client.assets.iter_all(target, kind=kind))
    else:
        found = client.assets.list(target, kind=kind)
    if session.json:
        session.print_json(found)
        return
    where = Places(client)
    session.table(
        ["ID", "PATH", "SIZE", "TYPE", "UPDATED"],
        ([a.id, where(a), _output.size(a.file_size), a.mime, a.updated_at] for a in found),
        styles=["cyan", "bold", None, "dim", "dim"],
        flexible=[1, 3],
    )


@assets.command("upload")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--folder", default="/", show_default=True, help="Asset folder, e.g. /images/2026.")
@click.option("--create-folders", is_flag=True, help="Create the folder if it is missing.")
@pass_session
def upload(session: Session, files: tuple[Path, ...], folder: str, create_folders: bool) -> None:
    """Upload FILES into a folder (a name that exists there is replaced).

    Wiki.js stores names lower-cased with spaces as '_'. Exits 1 if any
    file failed.
    """
    client = session.client()
    where = Places(client)
    total = sum(file.stat().st_size for file in files)
    uploaded: list[dict[str, Any]] = []
    failed = 0
    done = 0
    with session.progress("upload", total, unit="bytes") as tracker:
        for file in files:

            def sent(count: int, _total: int | None, base: int = done) -> None:
                tracker.update(base + count)

            try:
                asset = client.assets.upload(
                    file,
                    folder=None if folder.strip("/") == "" else folder,
                    create_folders=create_folders,
                    progress=sent,
                )
            except EXPECTED_ERRORS as exc:  # one file's failure ends only that file
                if session.debug:
                    raise
                failed += 1
                session.note(f"failed    {file}: {describe(exc)}", style="bold red")
                uploaded.append({"file": str(file), "error": describe(exc)})
            else:
                uploaded.append({"file": str(file), "asset": _output.jsonable(asset)})
                if not session.json:
                    session.print(
                        f"uploaded  {file} -> #{asset.id} {where(asset)} "
                        f"({_output.size(asset.file_size)})"
                    )
            done += file.stat().st_size
            tracker.update(done)
    if session.json:
        session.print_json(uploaded)
    if failed:
        raise click.exceptions.Exit(1)


@assets.command("download")
@click.argument("asset_ref", metavar="ASSET")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=True, path_type=Path),
    help="File or folder to write to ('-': standard output; default: the asset's name here).",
)
@click.option("--force", is_flag=True, help="Replace an existing file.")
@pass_session
def download(session: Session, asset_ref: str, output: Path | None, force: bool) -> None:
    """Download ASSET (an id, or a path such as images/logo.png)."""
    client = session.client()
    where = Places(client)
    asset = find(client, asset_ref)
    to_stdout = output is not None and str(output) == "-"
    target: Path | None = None
    if not to_stdout:
        target = output or Path(asset.filename)
        if target.is_dir():
            target = target / asset.filename
        if target.exists() and not force:
            session.fail(f"{target} exists: --force replaces it")
    with session.progress("download", asset.file_size, unit="bytes") as tracker:
        sink: BinaryIO | Path = sys.stdout.buffer if to_stdout else target  # type: ignore[assignment]
        size = client.assets.download(
            asset, to=sink, progress=lambda written, _total: tracker.update(written)
        )
    if to_stdout:
        sys.stdout.buffer.flush()
    elif session.json:
        session.print_json({"id": asset.id, "file": target, "bytes": size})
    else:
        session.note(f"downloaded #{asset.id} {where(asset)} to {target} ({_output.size(size)})")


@assets.command("delete")
@click.argument("asset_refs", metavar="ASSET...", nargs=-1, required=True)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@pass_session
def delete(session: Session, asset_refs: tuple[str, ...], yes: bool) -> None:
    """Delete assets (ids or paths), after confirmation."""
    client = session.client()
    where = Places(client)
    found = [find(client, ref) for ref in asset_refs]
    if not yes:
        names = ", ".join(f"#{a.id} {where(a)}" for a in found[:5])
        more = f" and {len(found) - 5} more" if len(found) > 5 else ""
        click.confirm(f"Delete {names}{more}?", abort=True, err=True)
    report: list[dict[str, Any]] = []
    with session.progress("delete", len(found), noun="assets") as tracker:
        result = client.assets.delete_many(found)
        for asset, outcome in zip(found, result.results, strict=True):
            if isinstance(outcome, BatchItemError):
                report.append(
                    {"id": asset.id, "path": where(asset), "error": describe(outcome.error)}
                )
                if not session.json:
                    session.print(
                        f"failed   #{asset.id} {where(asset)}: {report[-1]['error']}",
                        style="bold red",
                    )
            else:
                report.append({"deleted": asset.id, "path": where(asset)})
                if not session.json:
                    session.print(f"deleted  #{asset.id} {where(asset)}")
        tracker.advance(len(found))
    if session.json:
        session.print_json(report)
    if any("error" in entry for entry in report):
        raise click.exceptions.Exit(1)
