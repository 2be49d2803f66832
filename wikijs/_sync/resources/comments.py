# Generated from wikijs/_async/resources/comments.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""``client.comments``: the comments of pages (Wiki.js's default provider)."""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Mapping
from typing import Any

from wikijs._generated.fragments import Comment, CommentProvider
from wikijs._generated.input_types import CommentProviderInput

from ..._facts import DEFAULT_LOCALE
from ..._protocol import paging
from ..._protocol import validation as v
from ..._protocol.modules import JSONValue, ModuleSettings, check_key, config_input, pick
from ..._protocol.options import CommentOrder, Direction
from ..._protocol.results import found, present, require
from ..._protocol.server_admin import check_bool
from ...errors import InvalidArgumentError, NotFoundError
from ._base import Resource, already_applied

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
        order_by: CommentOrder | None = None,
        direction: Direction = "asc",
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

    def get_provider(self, key: str) -> CommentProvider:
        """One comment provider by key (``"default"``, ``"artalk"``, ``"commento"``, ``"disqus"``).

        Example::

            disqus = client.comments.get_provider("disqus")

        Raises:
            NotFoundError: the server has no provider with that key.
        """
        key = check_key(key)
        return pick(self.providers(), key, "comment provider", "ListCommentProviders")

    def update_provider(
        self,
        key: str,
        *,
        config: Mapping[str, JSONValue] | None = None,
        activate: bool = False,
    ) -> CommentProvider:
        """Change a provider's settings, or make it the wiki's provider; return it as stored.

        One provider is active at a time: ``activate=True`` switches the
        others off, as the admin area does. The provider's other settings
        (and the other providers') are sent back as they were.

        Example::

            client.comments.update_provider(
                "disqus", activate=True, config={"accountName": "my-wiki"}
            )

        Raises:
            NotFoundError: no provider with that key.
            ValidationError: an unknown setting or a value of the wrong type.
        """
        key = check_key(key)
        check_bool(activate, "activate")
        if config is None and not activate:
            raise InvalidArgumentError("give config to change, or activate=True")
        providers = self.providers()
        provider = pick(providers, key, "comment provider", "ListCommentProviders")
        values = ModuleSettings.of(provider).merged(
            config or {}, module=f"comment provider {key!r}"
        )
        wanted = [
            {
                "key": p.key,
                "isEnabled": (p.key == key) if activate else p.is_enabled,
                "config": config_input(values if p.key == key else dict(ModuleSettings.of(p))),
            }
            for p in providers
        ]
        self._gql.update_comment_providers(
            providers=[CommentProviderInput.model_validate(p) for p in wanted]
        )
        return self.get_provider(key)
