# Generated from wikijs/_async/resources/comments.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""``client.comments``: the comments of pages (Wiki.js's default provider)."""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any

from wikijs._generated.fragments import Comment, CommentProvider

from ..._facts import DEFAULT_LOCALE
from ..._protocol import paging
from ..._protocol import validation as v
from ..._protocol.results import found, present, require
from ...errors import InvalidArgumentError, NotFoundError
from ._base import Resource, WithRawResponse, already_applied

if TYPE_CHECKING:
    from ..._http.raw import RawResponse


COMMENT_ORDER_FIELDS = {
    "id": "id",
    "created": "created_at",
    "created_at": "created_at",
    "updated": "updated_at",
    "updated_at": "updated_at",
    "author": "author_name",
    "author_name": "author_name",
}


def _check_content(value: Any) -> str:
    text = v.check_text(value, "content", allow_empty=False)
    if len(text.strip()) < 2:  # Wiki.js: CommentContentMissing (8003)
        raise InvalidArgumentError("content must be at least 2 characters", field="content")
    return text


class Comments(Resource):
    """Comments: list a page's, read, post, edit, delete.

    Example::

        comment = client.comments.create(page.id, "Looks good!")
        for comment in client.comments.list(page.id):
            print(comment.author_name, comment.content)
    """

    @cached_property
    def with_raw_response(self) -> CommentsWithRawResponse:
        """These methods, each answering a :class:`~wikijs.RawResponse`: the result
        and the HTTP exchanges it came from (see ``docs/options.md``)."""
        return CommentsWithRawResponse(self)

    def _location(self, page: int | str, locale: str | None) -> tuple[str, str]:
        """A page id or path → ``(path, locale)``, as ``comments.list`` wants them."""
        if isinstance(page, str):
            return v.normalize_path(page, "page"), v.check_locale(locale or DEFAULT_LOCALE)
        page_id = v.check_id(page, "page")
        if locale is not None:
            v.check_locale(locale)
        result = self._gql.get_page_location(id=page_id)
        where = found(
            require(result.pages, "pages", "GetPageLocation").single,
            f"page {page_id}",
            "GetPageLocation",
        )
        return where.path, locale or where.locale

    def list(
        self,
        page: int | str,
        *,
        locale: str | None = None,
        order_by: str | None = None,
        direction: str = "ASC",
        limit: int | None = None,
        offset: int = 0,
    ) -> builtins.list[Comment]:
        """The comments of a page (by id, or by path and ``locale``), oldest first.

        Example::

            comments = client.comments.list(12)
            comments = client.comments.list("docs/start", locale="en", limit=10)

        Raises:
            NotFoundError: no page with that id.
        """
        window = paging.Window.build(limit, offset)
        ordering = paging.Ordering.build(order_by, direction, COMMENT_ORDER_FIELDS)
        path, locale = self._location(page, locale)
        result = self._gql.list_comments(locale=locale, path=path)
        comments = present(require(result.comments, "comments", "ListComments").list_)
        return paging.select(comments, ordering=ordering, window=window)

    def iter_all(self, page: int | str, *, locale: str | None = None) -> Iterator[Comment]:
        """The comments of a page one by one, oldest first.

        Example::

            for comment in client.comments.iter_all(12):
                print(comment.content)
        """
        for comment in self.list(page, locale=locale):
            yield comment

    def get(self, comment_id: int) -> Comment:
        """One comment.

        Example::

            comment = client.comments.get(3)

        Raises:
            NotFoundError: no such comment (8005).
        """
        comment_id = v.check_id(comment_id, "comment_id")
        result = self._gql.get_comment(id=comment_id)
        return found(
            require(result.comments, "comments", "GetComment").single,
            f"comment {comment_id}",
            "GetComment",
        )

    def create(
        self,
        page_id: int,
        content: str,
        *,
        reply_to: int | None = None,
        guest_name: str | None = None,
        guest_email: str | None = None,
    ) -> Comment:
        """Post a comment (Markdown) on a page and return it as stored.

        ``guest_name``/``guest_email`` are for the Guest user only.

        Example::

            comment = client.comments.create(12, "Thanks, this helped!")

        Raises:
            NotFoundError: no such page.
            PermissionDeniedError: the credentials may not comment there (8002).
        """
        args: dict[str, Any] = {
            "page_id": v.check_id(page_id, "page_id"),
            "content": _check_content(content),
        }
        if reply_to is not None:
            args["reply_to"] = v.check_id(reply_to, "reply_to")
        if guest_name is not None:
            args["guest_name"] = v.check_text(guest_name, "guest_name", allow_empty=False)
        if guest_email is not None:
            args["guest_email"] = v.check_email(guest_email, "guest_email")
        result = self._gql.create_comment(**args)
        created = require(result.comments, "comments", "CreateComment").create
        comment_id = require(created.id if created else None, "comment id", "CreateComment")
        return self.get(comment_id)

    def update(self, comment_id: int, content: str) -> Comment:
        """Replace a comment's text and return it as stored.

        Example::

            comment = client.comments.update(3, "Edited: thanks!")

        Raises:
            NotFoundError: no such comment.
            PermissionDeniedError: not the author and no ``manage:comments`` (8004).
        """
        comment_id = v.check_id(comment_id, "comment_id")
        self._gql.update_comment(id=comment_id, content=_check_content(content))
        return self.get(comment_id)

    def delete(self, comment_id: int) -> None:
        """Delete a comment.

        Example::

            client.comments.delete(3)
        """
        comment_id = v.check_id(comment_id, "comment_id")
        already_applied(lambda: self._gql.delete_comment(id=comment_id), NotFoundError)

    def providers(self) -> builtins.list[CommentProvider]:
        """The comment providers the server knows, and which is enabled.

        Example::

            print([p.key for p in client.comments.providers() if p.is_enabled])
        """
        result = self._gql.list_comment_providers()
        return present(require(result.comments, "comments", "ListCommentProviders").providers)


# -- with_raw_response: written by scripts/unasync from the methods above; do not edit


class CommentsWithRawResponse(WithRawResponse):
    """``client.comments``, each method answering a :class:`~wikijs.RawResponse`.

    Its methods are those of :class:`Comments` that send their requests at
    once; each answers what the method returns (``parsed``) with the HTTP
    exchanges it came from.
    """

    _methods = frozenset({"create", "delete", "get", "list", "providers", "update"})

    if TYPE_CHECKING:

        def list(
            self,
            page: int | str,
            *,
            locale: str | None = None,
            order_by: str | None = None,
            direction: str = "ASC",
            limit: int | None = None,
            offset: int = 0,
        ) -> RawResponse[builtins.list[Comment]]:
            """Same as :meth:`Comments.list`, with its HTTP exchanges."""
            ...

        def get(self, comment_id: int) -> RawResponse[Comment]:
            """Same as :meth:`Comments.get`, with its HTTP exchanges."""
            ...

        def create(
            self,
            page_id: int,
            content: str,
            *,
            reply_to: int | None = None,
            guest_name: str | None = None,
            guest_email: str | None = None,
        ) -> RawResponse[Comment]:
            """Same as :meth:`Comments.create`, with its HTTP exchanges."""
            ...

        def update(self, comment_id: int, content: str) -> RawResponse[Comment]:
            """Same as :meth:`Comments.update`, with its HTTP exchanges."""
            ...

        def delete(self, comment_id: int) -> RawResponse[None]:
            """Same as :meth:`Comments.delete`, with its HTTP exchanges."""
            ...

        def providers(self) -> RawResponse[builtins.list[CommentProvider]]:
            """Same as :meth:`Comments.providers`, with its HTTP exchanges."""
            ...


# -- end with_raw_response
