"""``client.assets``: folders, listing, streamed uploads and downloads."""

from __future__ import annotations

import builtins
import contextlib
import io
import os
import stat
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, overload

from wikijs._generated.enums import AssetKind
from wikijs._generated.fragments import Asset, AssetFolder, AssetLocationFolder

from ..._backends import async_gather_bounded
from ..._facts import UPLOAD_PATH
from ..._http._async.transport import AsyncResponse
from ..._protocol import paging
from ..._protocol import validation as v
from ..._protocol.assets import (
    DEFAULT_CHUNK_SIZE,
    ROOT_FOLDER_ID,
    AssetFolderNode,
    MultipartPlan,
    check_asset_path,
    check_content_type,
    check_folder_slug,
    check_kind,
    check_new_name,
    check_upload_name,
    download_error,
    download_path,
    find_child,
    folder_segments,
    guess_content_type,
    join_path,
    upload_error,
)
from ..._protocol.operation import Operation, http_facts
from ..._protocol.options import AssetKindOption, AssetOrder, Direction
from ..._protocol.results import present, require
from ...batch import BatchItemError, BatchResult
from ...errors import (
    ConflictError,
    InvalidArgumentError,
    NotFoundError,
    ResponseError,
    WikiJSError,
)
from ..pipeline import RESPONSE, AsyncHTTPCall
from ._base import AsyncResource, already_applied

if TYPE_CHECKING:
    from ..client import AsyncWikiJSClient

UPLOAD = "UploadAsset"
DOWNLOAD = "DownloadAsset"
# Uploading a name that exists replaces that asset: the same state again.
_UPLOAD_FACTS = http_facts(UPLOAD, "mutation", idempotent=True, namespace="assets")
_DOWNLOAD_FACTS = http_facts(DOWNLOAD, "query", idempotent=True)

#: What can be uploaded: a path, the bytes themselves, or a binary file object.
UploadSource = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO
#: Where a folder is: a path such as ``"/images/2026"``, an id (0: the root), or a folder.
FolderLike = str | int | AssetFolder | AssetFolderNode | None
#: ``progress(done_bytes, total_bytes_or_None)``.
Progress = Callable[[int, int | None], Any]

ASSET_ORDER_FIELDS: Mapping[str, str] = {
    "id": "id",
    "filename": "filename",
    "name": "filename",
    "kind": "kind",
    "size": "file_size",
    "file_size": "file_size",
    "created": "created_at",
    "created_at": "created_at",
    "updated": "updated_at",
    "updated_at": "updated_at",
}


class _Source:
    """An opened upload source: the bytes or a binary handle, and its size if known."""

    def __init__(self, data: bytes | memoryview | None, handle: BinaryIO | None, owned: bool):
        self.data = data
        self.handle = handle
        self.owned = owned
        self.size: int | None = len(data) if data is not None else _remaining(handle)
        self.start: int | None = None
        if handle is not None:
            with contextlib.suppress(OSError, AttributeError, ValueError, io.UnsupportedOperation):
                self.start = handle.tell() if handle.seekable() else None

    def rewound(self) -> _Source:
        """The source from its start again, for another attempt (when it can seek)."""
        if self.handle is not None and self.start is not None:
            self.handle.seek(self.start)
        return self

    def chunks(self, chunk_size: int) -> Iterable[bytes]:
        if self.data is not None:
            view = memoryview(self.data)
            for start in range(0, len(view), chunk_size):
                yield bytes(view[start : start + chunk_size])
            return
        assert self.handle is not None
        while True:
            chunk = self.handle.read(chunk_size)
            if not chunk:
                return
            if not isinstance(chunk, bytes):
                raise InvalidArgumentError(
                    "the file object must be opened in binary mode", field="file"
                )
            yield chunk

    def close(self) -> None:
        if self.owned and self.handle is not None:
            self.handle.close()


def _remaining(handle: BinaryIO | None) -> int | None:
    """Bytes left to read from ``handle``, when that can be known without reading."""
    if handle is None:
        return None
    try:
        info = os.fstat(handle.fileno())
        if stat.S_ISREG(info.st_mode):
            return max(0, info.st_size - handle.tell())
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        pass
    try:
        position = handle.tell()
        end = handle.seek(0, io.SEEK_END)
        handle.seek(position)
        return max(0, end - position)
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        return None


def _source_name(source: Any) -> str | None:
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else None


def _check_source(source: Any) -> None:
    """Refuse what cannot be uploaded, before touching the network."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise InvalidArgumentError(f"no file at {os.fspath(source)!r}", field="file_path")
        return
    if isinstance(source, io.TextIOBase):
        raise InvalidArgumentError("the file object must be opened in binary mode", field="file")
    if not callable(getattr(source, "read", None)):
        raise InvalidArgumentError(
            "upload a path, bytes or a binary file object, not " + type(source).__name__,
            field="file",
        )


def _open(source: Any) -> _Source:
    if isinstance(source, (bytes, bytearray)):
        return _Source(bytes(source), None, owned=False)
    if isinstance(source, memoryview):
        return _Source(source, None, owned=False)
    if isinstance(source, (str, os.PathLike)):
        return _Source(None, open(source, "rb"), owned=True)
    return _Source(None, source, owned=False)


def _create(path: Path) -> BinaryIO:
    """The download's target file (local disk: fast enough to open inline)."""
    return path.open("wb")


def _check_progress(progress: Any) -> None:
    if progress is not None and not callable(progress):
        raise InvalidArgumentError("progress must be a callable(done, total)", field="progress")


def _placed(asset: Asset, folder: AssetFolderNode | None) -> Asset:
    """The asset with ``folder`` filled in (Wiki.js 2.5 always answers null)."""
    located = (
        None
        if folder is None
        else AssetLocationFolder(id=folder.id, slug=folder.slug, name=folder.name)
    )
    return asset.model_copy(update={"folder": located})


async def _multipart(
    plan: MultipartPlan, source: _Source, chunk_size: int, progress: Progress | None
) -> AsyncIterator[bytes]:
    """The upload body, produced as it is sent: the file is never held whole."""
    yield plan.head
    done = 0
    for chunk in source.chunks(chunk_size):
        done += len(chunk)
        if progress is not None:
            progress(done, source.size)
        yield chunk
    yield plan.tail


class AsyncAssets(AsyncResource):
    """Assets: the folder tree, listing, uploads, downloads, renames, deletes.

    Example::

        asset = await client.assets.upload("logo.png", folder="/images", create_folders=True)
        data = await client.assets.download(asset)
        await client.assets.upload_many(["a.png", "b.png"], folder="/images", concurrency=4)

    Folder paths are remembered for the client's life: Wiki.js 2.5 can
    neither rename nor delete a folder through its API, and answers
    folders only level by level, so a folder's path is looked up (one
    walk) once per client and then costs nothing: listing assets, or
    downloading many files of one folder, walks the tree once.
    """

    def __init__(self, client: AsyncWikiJSClient) -> None:
        super().__init__(client)
        self._known_folders: dict[int, AssetFolderNode] = {}

    def _remember(self, node: AssetFolderNode) -> AssetFolderNode:
        self._known_folders[node.id] = node
        return node

    # -- folders ------------------------------------------------------------------

    async def folders(self, parent_id: int = ROOT_FOLDER_ID) -> builtins.list[AssetFolder]:
        """The folders directly inside ``parent_id`` (0: the root).

        Example::

            for folder in await client.assets.folders():
                print(folder.id, folder.slug)
        """
        parent_id = v.check_non_negative(parent_id, "parent_id")
        result = await self._gql.list_asset_folders(parent_folder_id=parent_id)
        return present(require(result.assets, "assets", "ListAssetFolders").folders)

    async def folder_tree(self) -> builtins.list[AssetFolderNode]:
        """Every folder, as a tree of :class:`~wikijs.models.AssetFolderNode` with paths.

        One request per folder (Wiki.js lists one level at a time).

        Example::

            for top in await client.assets.folder_tree():
                for node in top.walk():
                    print(node.path, node.id)
        """
        return await self._subtree(ROOT_FOLDER_ID, "")

    async def _subtree(self, parent_id: int, path: str) -> builtins.list[AssetFolderNode]:
        nodes = []
        for folder in await self.folders(parent_id):
            child_path = join_path(path, folder.slug)
            self._remember(
                AssetFolderNode(folder.id, folder.slug, folder.name, child_path, parent_id)
            )
            nodes.append(
                AssetFolderNode(
                    id=folder.id,
                    slug=folder.slug,
                    name=folder.name,
                    path=child_path,
                    parent_id=parent_id,
                    children=tuple(await self._subtree(folder.id, child_path)),
                )
            )
        return nodes

    async def get_folder(self, path: str) -> AssetFolderNode:
        """The folder at ``path`` (``"/images/2026"``), without its sub-folders.

        Example::

            folder = await client.assets.get_folder("/images")
            print(folder.id, folder.path)

        Raises:
            NotFoundError: a folder on the way does not exist.
        """
        node = await self._walk_to(folder_segments(path), create=False)
        if node is None:
            raise InvalidArgumentError("the root is not a folder record", field="path")
        return node

    async def ensure_folder(self, path: str) -> AssetFolderNode:
        """The folder at ``path``, created with any missing parents.

        ``createFolder`` answers no id, so each new folder is found by
        listing its parent again. Slugs are stored lower-case.

        Example::

            folder = await client.assets.ensure_folder("/images/2026")
            asset = await client.assets.upload(b"...", filename="a.png", folder_id=folder.id)

        Raises:
            ValidationError: a name with whitespace or characters Wiki.js strips.
        """
        segments = folder_segments(path)
        for segment in segments:
            check_folder_slug(segment, "path")
        if not segments:
            raise InvalidArgumentError("give a folder path such as '/images'", field="path")
        node = await self._walk_to(segments, create=True)
        assert node is not None
        return node

    async def _walk_to(
        self, segments: builtins.list[str], *, create: bool
    ) -> AssetFolderNode | None:
        """The node at ``segments`` (None for the root), creating missing ones if asked."""
        node: AssetFolderNode | None = None
        parent, path = ROOT_FOLDER_ID, ""
        for segment in segments:
            hit = find_child(await self.folders(parent), segment)
            if hit is None:
                if not create:
                    where = join_path(path, segment)
                    raise NotFoundError(
                        f"asset folder /{where} does not exist", operation="ListAssetFolders"
                    )
                with contextlib.suppress(ConflictError):  # created meanwhile: use theirs
                    await self._gql.create_asset_folder(
                        parent_folder_id=parent, slug=segment, name=segment
                    )
                hit = find_child(await self.folders(parent), segment)
                if hit is None:
                    raise ResponseError(
                        f"created asset folder {segment!r} but cannot find it",
                        operation="CreateAssetFolder",
                    )
            path = join_path(path, hit.slug)
            node = self._remember(AssetFolderNode(hit.id, hit.slug, hit.name, path, parent))
            parent = hit.id
        return node

    async def _folder_by_id(self, folder_id: int) -> AssetFolderNode:
        """The folder with this id: remembered, or found breadth first (a request per folder)."""
        known = self._known_folders.get(folder_id)
        if known is not None:
            return known
        queue: builtins.list[tuple[int, str]] = [(ROOT_FOLDER_ID, "")]
        while queue:
            parent, path = queue.pop(0)
            for folder in await self.folders(parent):
                child_path = join_path(path, folder.slug)
                node = self._remember(
                    AssetFolderNode(folder.id, folder.slug, folder.name, child_path, parent)
                )
                if folder.id == folder_id:
                    return node
                queue.append((folder.id, child_path))
        raise NotFoundError(
            f"asset folder {folder_id} does not exist", operation="ListAssetFolders"
        )

    async def _resolve(
        self, folder: FolderLike, folder_id: int | None, *, create: bool = False
    ) -> AssetFolderNode | None:
        """Where ``folder``/``folder_id`` point (None: the root); NotFoundError if nowhere."""
        if folder is not None and folder_id is not None:
            raise InvalidArgumentError("give folder or folder_id, not both", field="folder_id")
        target: Any = folder_id if folder_id is not None else folder
        if isinstance(target, AssetFolderNode):
            return target
        if isinstance(target, AssetFolder):
            target = target.id
        if target is None or isinstance(target, int):
            key = ROOT_FOLDER_ID if target is None else target
            key = v.check_non_negative(key, "folder_id")
            return None if key == ROOT_FOLDER_ID else await self._folder_by_id(key)
        if not isinstance(target, str):
            raise InvalidArgumentError(
                f"folder must be a path, an id or a folder, not {type(target).__name__}",
                field="folder",
            )
        segments = folder_segments(target)
        if create:
            for segment in segments:
                check_folder_slug(segment, "folder")
        return await self._walk_to(segments, create=create)

    # -- listing ------------------------------------------------------------------

    async def _list_in(self, node: AssetFolderNode | None, kind: str) -> builtins.list[Asset]:
        folder_id = ROOT_FOLDER_ID if node is None else node.id
        result = await self._gql.list_assets(folder_id=folder_id, kind=AssetKind(kind))
        items = present(require(result.assets, "assets", "ListAssets").list_)
        return [_placed(asset, node) for asset in items]

    async def list(
        self,
        folder: FolderLike = None,
        *,
        folder_id: int | None = None,
        kind: AssetKindOption | AssetKind = "all",
        order_by: AssetOrder | None = None,
        direction: Direction = "asc",
        limit: int | None = None,
        offset: int = 0,
    ) -> builtins.list[Asset]:
        """The assets directly inside one folder (the root unless told), paged by the client.

        Each asset's ``folder`` is filled in (Wiki.js 2.5 answers null).

        Example::

            images = await client.assets.list(folder="/images", kind="image", limit=50)
            for asset in images:
                print(asset.filename, asset.file_size, asset.mime)

        Raises:
            NotFoundError: the folder does not exist.
        """
        chosen = check_kind(kind)
        window = paging.Window.build(limit, offset)
        ordering = paging.Ordering.build(order_by, direction, ASSET_ORDER_FIELDS, default="id")
        node = await self._resolve(folder, folder_id)
        return paging.select(await self._list_in(node, chosen), ordering=ordering, window=window)

    async def iter_all(
        self,
        folder: FolderLike = None,
        *,
        folder_id: int | None = None,
        kind: AssetKindOption | AssetKind = "all",
        recursive: bool = True,
    ) -> AsyncIterator[Asset]:
        """Every asset in a folder and (unless ``recursive=False``) below it — lazily.

        One folder is listed at a time, depth first.

        Example::

            async for asset in client.assets.iter_all(kind="image"):
                print(asset.folder.slug if asset.folder else "/", asset.filename)
        """
        chosen = check_kind(kind)
        start = await self._resolve(folder, folder_id)
        stack: builtins.list[AssetFolderNode | None] = [start]
        while stack:
            node = stack.pop()
            for asset in await self._list_in(node, chosen):
                yield asset
            if recursive:
                parent_id = ROOT_FOLDER_ID if node is None else node.id
                base = "" if node is None else node.path
                children = [
                    self._remember(
                        AssetFolderNode(f.id, f.slug, f.name, join_path(base, f.slug), parent_id)
                    )
                    for f in await self.folders(parent_id)
                ]
                stack.extend(reversed(children))

    async def get(self, asset_id: int) -> Asset:
        """The asset with this id, its ``folder`` filled in.

        Wiki.js has no query for one asset: folders are searched breadth
        first from the root, one request each, until it is found.

        Example::

            asset = await client.assets.get(12)
            print(asset.filename, asset.folder)

        Raises:
            NotFoundError: no such asset.
        """
        asset, _ = await self._locate(v.check_id(asset_id, "asset_id"))
        return asset

    async def _locate(self, asset_id: int) -> tuple[Asset, AssetFolderNode | None]:
        """The asset and its folder (None: the root)."""
        queue: builtins.list[AssetFolderNode | None] = [None]
        while queue:
            node = queue.pop(0)
            for asset in await self._list_in(node, "ALL"):
                if asset.id == asset_id:
                    return asset, node
            parent_id = ROOT_FOLDER_ID if node is None else node.id
            base = "" if node is None else node.path
            queue.extend(
                self._remember(
                    AssetFolderNode(f.id, f.slug, f.name, join_path(base, f.slug), parent_id)
                )
                for f in await self.folders(parent_id)
            )
        raise NotFoundError(f"asset {asset_id} does not exist", operation="ListAssets")

    async def _where(self, asset: Asset | int | str) -> tuple[str, str, Asset | None]:
        """``(folder path, file name, asset if known)`` for an asset, id or path."""
        if isinstance(asset, Asset):
            if asset.folder is None:
                return "", asset.filename, asset
            node = await self._folder_by_id(asset.folder.id)
            return node.path, asset.filename, asset
        if isinstance(asset, str):
            path = check_asset_path(asset)
            folder, _, name = path.rpartition("/")
            return folder, name, None
        if isinstance(asset, bool) or not isinstance(asset, int):
            raise InvalidArgumentError(
                f"give an asset, an asset id or a path, not {type(asset).__name__}",
                field="asset",
            )
        found_asset, where = await self._locate(v.check_id(asset, "asset_id"))
        return ("" if where is None else where.path), found_asset.filename, found_asset

    async def path_of(self, asset: Asset | int) -> str:
        """The URL path the wiki serves an asset at, e.g. ``/images/2026/logo.png``.

        For a listed asset whose folder the client has seen (a listing walks
        to it), this sends nothing.

        Example::

            markdown = f"![logo]({await client.assets.path_of(asset)})"
        """
        folder_path, name, _ = await self._where(asset)
        return download_path(folder_path, name)

    # -- uploads ---------------------------------------------------------------------

    async def upload(
        self,
        file: UploadSource | None = None,
        *,
        file_path: str | os.PathLike[str] | None = None,
        folder: FolderLike = None,
        folder_id: int | None = None,
        filename: str | None = None,
        content_type: str | None = None,
        create_folders: bool = False,
        progress: Progress | None = None,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> Asset:
        """Upload one file and return the stored asset.

        The file is streamed from disk (or from the file object) in
        ``chunk_size`` pieces with a precomputed ``Content-Length``: a large
        file is never held in memory. Wiki.js stores the name lower-cased
        with spaces as ``_`` (``My Photo.PNG`` → ``my_photo.png``); uploading
        a name that exists replaces that asset.

        Args:
            file: a path, ``bytes``, or a binary file object.
            file_path: a path (same as passing it as ``file``).
            folder: ``"/images/2026"``, a folder id, or a folder; the root if omitted.
            folder_id: the folder's id instead of ``folder``.
            filename: the name to store; required for bytes and nameless file objects.
            content_type: the media type; guessed from the name by default
                (Wiki.js files ``image/*`` as images).
            create_folders: create a missing ``folder`` path instead of failing.
            progress: called as ``progress(sent_bytes, total_bytes)`` per chunk.
            chunk_size: bytes read and sent at a time.

        Example::

            asset = await client.assets.upload(file_path="/tmp/logo.png", folder="/images")
            asset = await client.assets.upload(b"%PDF...", filename="spec.pdf", folder_id=3)

        Raises:
            NotFoundError: the folder does not exist (Wiki.js would answer
                ``ok`` and store nothing).
            PermissionDeniedError: the credentials may not upload there.
            ValidationError: no such file, no name, or refused by the server.
        """
        source, send_name, stored, ctype = self._prepare_upload(
            file, file_path, filename, content_type
        )
        _check_progress(progress)
        chunk_size = v.check_positive(chunk_size, "chunk_size")
        node = await self._resolve(folder, folder_id, create=bool(create_folders))
        return await self._upload_one(node, source, send_name, stored, ctype, progress, chunk_size)

    def _prepare_upload(
        self, file: Any, file_path: Any, filename: Any, content_type: Any
    ) -> tuple[Any, str, str, str]:
        if file is not None and file_path is not None:
            raise InvalidArgumentError("give file or file_path, not both", field="file_path")
        source = file if file is not None else file_path
        if source is None:
            raise InvalidArgumentError("give a file to upload", field="file")
        _check_source(source)
        name = filename if filename is not None else _source_name(source)
        if name is None:
            raise InvalidArgumentError(
                "give a filename for bytes or a nameless file", field="filename"
            )
        send_name, stored = check_upload_name(name)
        ctype = (
            check_content_type(content_type)
            if content_type is not None
            else guess_content_type(send_name)
        )
        return source, send_name, stored, ctype

    async def _upload_one(
        self,
        node: AssetFolderNode | None,
        source: Any,
        send_name: str,
        stored: str,
        content_type: str,
        progress: Progress | None,
        chunk_size: int,
    ) -> Asset:
        folder_id = ROOT_FOLDER_ID if node is None else node.id
        plan = MultipartPlan.build(folder_id, send_name, content_type)
        opened = _open(source)

        async def check(response: AsyncResponse) -> None:
            error = upload_error(response.status_code, response.content, UPLOAD)
            if error is not None:
                raise error

        # Through the client's middleware like any operation: retried when
        # that is safe (the body is made again from the start of the file),
        # rate limited, seen by plugins, and the cache forgets the folder.
        upload = Operation(
            UPLOAD,
            "",
            facts=_UPLOAD_FACTS,
            http=AsyncHTTPCall(
                "POST",
                self._client.config.url(UPLOAD_PATH),
                plan.headers(opened.size),
                body=lambda: _multipart(plan, opened.rewound(), chunk_size, progress),
                check=check,
            ),
        )
        try:
            await self._client._pipeline.run_operation(upload)
        finally:
            opened.close()
        for asset in await self._list_in(node, "ALL"):
            if asset.filename == stored:
                return asset
        where = "/" + ("" if node is None else node.path)
        raise ResponseError(
            f"the server accepted {send_name!r} but {stored!r} is not in {where}",
            operation="UploadAsset",
        )

    async def upload_many(
        self,
        files: Iterable[Any],
        *,
        folder: FolderLike = None,
        folder_id: int | None = None,
        create_folders: bool = False,
        concurrency: int = 4,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> BatchResult[Asset]:
        """Upload many files into one folder; one outcome per file, in input order.

        Each item is a path, a binary file object, ``(filename, bytes)``, or
        ``{"file": ..., "filename": ..., "content_type": ...}``. The client
        runs up to ``concurrency`` uploads at once (the sync client one
        after the other); each file is streamed.

        Example::

            result = await client.assets.upload_many(
                ["a.png", "b.png", ("notes.txt", b"hello")], folder="/uploads",
                create_folders=True, concurrency=4,
            )
            for error in result.errors:
                print(error.input, error.message)
        """
        items = builtins.list(files)
        concurrency = v.check_positive(concurrency, "concurrency")
        chunk_size = v.check_positive(chunk_size, "chunk_size")
        node = await self._resolve(folder, folder_id, create=bool(create_folders))

        async def one(index: int, item: Any) -> Asset | BatchItemError:
            try:
                if isinstance(item, tuple) and len(item) == 2:
                    name, data = item
                    prepared = self._prepare_upload(data, None, name, None)
                elif isinstance(item, Mapping):
                    extra = set(item) - {"file", "filename", "content_type"}
                    if extra:
                        raise InvalidArgumentError(f"unknown upload fields: {sorted(extra)}")
                    prepared = self._prepare_upload(
                        item.get("file"), None, item.get("filename"), item.get("content_type")
                    )
                else:
                    prepared = self._prepare_upload(item, None, None, None)
                return await self._upload_one(node, *prepared, None, chunk_size)
            except WikiJSError as exc:
                return BatchItemError(index, item, exc)
            except OSError as exc:
                error = InvalidArgumentError(f"cannot read the file: {exc}", field="file")
                return BatchItemError(index, item, error)

        outcomes = await async_gather_bounded(
            [partial(one, index, item) for index, item in enumerate(items)], concurrency
        )
        return BatchResult(outcomes)

    # -- downloads --------------------------------------------------------------------

    @overload
    async def download(
        self,
        asset: Asset | int | str,
        to: None = None,
        *,
        progress: Progress | None = None,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> bytes: ...

    @overload
    async def download(
        self,
        asset: Asset | int | str,
        to: str | os.PathLike[str] | BinaryIO,
        *,
        progress: Progress | None = None,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> int: ...

    async def download(
        self,
        asset: Asset | int | str,
        to: str | os.PathLike[str] | BinaryIO | None = None,
        *,
        progress: Progress | None = None,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> bytes | int:
        """Download an asset, streamed to a file or a writable binary stream.

        ``asset`` is an :class:`~wikijs.models.Asset`, an asset id (found by
        searching the folders) or its path (``"images/logo.png"``). Without
        ``to`` the bytes are returned (fine for small files); with ``to`` they
        are written chunk by chunk and the number of bytes is returned.

        Wiki.js serves assets at ``/<folders>/<name>``, but treats names
        ending in a page extension (``.md``, ``.html``, ``.txt`` by default)
        and first folders that look like a locale (``en``, ``de``…) as pages:
        such assets cannot be downloaded.

        Example::

            size = await client.assets.download(asset, to="/tmp/logo.png")
            data = await client.assets.download("images/logo.png")

        Raises:
            NotFoundError: no such asset.
            PermissionDeniedError: the credentials may not read it.
        """
        _check_progress(progress)
        chunk_size = v.check_positive(chunk_size, "chunk_size")
        target_path: Path | None = None
        sink: Any = None
        if to is None:
            sink = io.BytesIO()
        elif isinstance(to, (str, os.PathLike)):
            target_path = Path(to)
            if target_path.is_dir():
                raise InvalidArgumentError(f"{os.fspath(to)!r} is a directory", field="to")
            if not target_path.parent.is_dir():
                raise InvalidArgumentError(f"no directory {str(target_path.parent)!r}", field="to")
        elif callable(getattr(to, "write", None)):
            sink = to
        else:
            raise InvalidArgumentError("to must be a path or a writable binary stream", field="to")
        folder_path, name, _ = await self._where(asset)
        what = f"asset /{join_path(folder_path, name)}"

        async def check(response: AsyncResponse) -> None:
            if response.status_code != 200:
                raise download_error(response.status_code, await response.aread(), what)

        download = Operation(
            DOWNLOAD,
            "",
            facts=_DOWNLOAD_FACTS,
            http=AsyncHTTPCall(
                "GET",
                self._client.config.url(download_path(folder_path, name)),
                stream=True,
                check=check,
            ),
        )
        response: AsyncResponse = (await self._client._pipeline.run_operation(download))[RESPONSE]
        written = 0
        try:
            length = response.headers.get("content-length")
            total = int(length) if length and length.isdigit() else None
            handle = _create(target_path) if target_path is not None else None
            out = handle if handle is not None else sink
            try:
                async for chunk in response.aiter_bytes(chunk_size):
                    out.write(chunk)
                    written += len(chunk)
                    if progress is not None:
                        progress(written, total)
            except BaseException:
                if handle is not None:
                    handle.close()
                    assert target_path is not None
                    target_path.unlink(missing_ok=True)
                raise
            if handle is not None:
                handle.close()
        finally:
            await response.aclose()
        if to is None:
            return bytes(sink.getvalue())
        return written

    # -- changes -----------------------------------------------------------------------

    async def rename(self, asset: Asset | int, new_name: str) -> Asset:
        """Rename an asset (same folder, same extension) and return it as stored.

        Example::

            asset = await client.assets.rename(asset, "new-logo.png")

        Raises:
            NotFoundError: no such asset.
            ValidationError: a different extension, or characters Wiki.js
                does not allow.
            ConflictError: the folder already has a file with that name.
        """
        stored = check_new_name(new_name, "new_name")
        if isinstance(asset, Asset):
            asset_id = asset.id
            node = None if asset.folder is None else await self._folder_by_id(asset.folder.id)
        else:
            asset_id = v.check_id(asset, "asset_id")
            _, node = await self._locate(asset_id)
        await self._gql.rename_asset(id=asset_id, filename=stored)
        for item in await self._list_in(node, "ALL"):
            if item.id == asset_id:
                return item
        raise NotFoundError(f"asset {asset_id} does not exist", operation="RenameAsset")

    async def delete(self, asset: Asset | int) -> None:
        """Delete an asset.

        Example::

            await client.assets.delete(12)

        Raises:
            NotFoundError: no such asset (2004).
        """
        asset_id = asset.id if isinstance(asset, Asset) else v.check_id(asset, "asset_id")
        await already_applied(lambda: self._gql.delete_asset(id=asset_id), NotFoundError)

    async def delete_many(self, assets: Iterable[Asset | int]) -> BatchResult[int]:
        """Delete many assets in few requests; each success is the deleted id.

        Example::

            result = await client.assets.delete_many([12, 13])
        """
        from wikijs._generated.operations import DELETE_ASSET

        from ..batching import BatchCall

        def prepare(index: int, item: Any) -> BatchCall:
            asset_id = item.id if isinstance(item, Asset) else v.check_id(item, "asset_id")
            return BatchCall(DELETE_ASSET, {"id": asset_id})

        def finish(index: int, item: Any, result: Any) -> int:
            return item.id if isinstance(item, Asset) else int(item)

        return await self._client.batcher.map(assets, prepare, finish)

    async def flush_temp_uploads(self) -> None:
        """Delete the server's temporary upload files.

        Example::

            await client.assets.flush_temp_uploads()
        """
        await self._gql.flush_temp_uploads()
