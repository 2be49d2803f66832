"""``assets``: folders and uploaded files (the bytes live on disk, see ``_http``)."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from .._auth import check_access
from .._errors import success, wiki_error
from .._state import AssetFolder, sanitize_filename, sanitize_name
from ._common import Context, Registry, context, guarded

Info = GraphQLResolveInfo


def folders(_obj: Any, info: Info, parentFolderId: int) -> list[dict[str, Any]]:
    ctx = context(info)
    parent = None if parentFolderId == 0 else parentFolderId
    rows = [f for f in ctx.state.folders.values() if f.parent_id == parent]
    return [
        {"id": f.id, "slug": f.slug, "name": f.name}
        for f in sorted(rows, key=lambda f: f.id)
        if check_access(ctx.state, ctx.user, ["read:assets"], {"path": ctx.state.folder_path(f.id)})
    ]


def list_assets(_obj: Any, info: Info, folderId: int, kind: str) -> list[dict[str, Any]]:
    """Quirk: ``folder`` and ``author`` always come back null."""
    ctx = context(info)
    state = ctx.state
    folder = None if folderId == 0 else folderId
    out = []
    for asset in sorted(state.assets.values(), key=lambda a: a.id):
        if asset.folder_id != folder or (kind != "ALL" and asset.kind != kind.lower()):
            continue
        if not check_access(state, ctx.user, ["read:assets"], {"path": state.asset_path(asset)}):
            continue
        row: dict[str, Any] = {
            "id": asset.id,
            "filename": asset.filename,
            "ext": asset.ext,
            "kind": asset.kind.upper(),
            "mime": asset.mime,
            "fileSize": asset.file_size,
            "metadata": None,
            "createdAt": asset.created_at,
            "updatedAt": asset.updated_at,
            "folder": None,
            "author": None,
        }
        if not ctx.quirks:
            parent = state.folders.get(asset.folder_id or 0)
            author = state.users.get(asset.author_id)
            row["folder"] = (
                {"id": parent.id, "slug": parent.slug, "name": parent.name} if parent else None
            )
            if author is not None:
                from .users import user_full

                row["author"] = user_full(ctx, author)
        out.append(row)
    return out


def m_create_folder(
    ctx: Context, parentFolderId: int, slug: str, name: str | None = None
) -> dict[str, Any]:
    """Quirk: the folder's name is its slug; the ``name`` argument is ignored."""
    state = ctx.state
    folder_slug = sanitize_filename(slug.strip()).lower()
    parent = None if parentFolderId == 0 else parentFolderId
    if any(f.parent_id == parent and f.slug == folder_slug for f in state.folders.values()):
        raise wiki_error("AssetFolderExists")
    folder = AssetFolder(
        id=state.next_id("folders"),
        slug=folder_slug,
        name=folder_slug if ctx.quirks or not name else name,
        parent_id=parent,
    )
    state.folders[folder.id] = folder
    return {"responseResult": success("Asset Folder has been created successfully.")}


def m_rename(ctx: Context, id: int, filename: str) -> dict[str, Any]:
    """``renameAsset``: the name goes through sanitize-filename (so ``bad/name.png``
    becomes ``badname.png``), then must keep the extension and not collide, even
    with the asset itself."""
    state = ctx.state
    new_name = sanitize_name(filename).lower()
    asset = state.assets.get(id)
    if asset is None:
        raise wiki_error("AssetInvalid")
    if not new_name.endswith(asset.ext):
        raise wiki_error("AssetRenameInvalidExt")
    if asset.ext and len(new_name) - len(asset.ext) < 1:
        raise wiki_error("AssetRenameInvalid")
    if any(
        a.folder_id == asset.folder_id and a.filename == new_name for a in state.assets.values()
    ):
        raise wiki_error("AssetRenameCollision")
    folder = state.folder_path(asset.folder_id)
    if not check_access(state, ctx.user, ["manage:assets"], {"path": state.asset_path(asset)}):
        raise wiki_error("AssetRenameForbidden")
    target = f"{folder}/{new_name}" if folder else new_name
    if not check_access(state, ctx.user, ["write:assets"], {"path": target}):
        raise wiki_error("AssetRenameTargetForbidden")
    asset.filename = new_name
    asset.updated_at = ctx.core.iso()
    return {"responseResult": success("Asset has been renamed successfully.")}


def m_delete(ctx: Context, id: int) -> dict[str, Any]:
    state = ctx.state
    asset = state.assets.get(id)
    if asset is None:
        raise wiki_error("AssetInvalid")
    if not check_access(state, ctx.user, ["manage:assets"], {"path": state.asset_path(asset)}):
        raise wiki_error("AssetDeleteForbidden")
    del state.assets[id]
    asset.blob.unlink(missing_ok=True)
    return {"responseResult": success("Asset has been deleted successfully.")}


def m_flush_temp(ctx: Context) -> dict[str, Any]:
    for spool in ctx.core.files.glob("upload-*"):
        spool.unlink(missing_ok=True)
    return {"responseResult": success("Temporary Uploads have been flushed successfully.")}


def bind(registry: Registry) -> None:
    registry.namespace("AssetQuery", {"folders": folders, "list": list_assets})
    registry.namespace(
        "AssetMutation",
        {
            "createFolder": guarded(m_create_folder),
            "renameAsset": guarded(m_rename),
            "deleteAsset": guarded(m_delete),
            "flushTempUploads": guarded(m_flush_temp),
        },
    )
