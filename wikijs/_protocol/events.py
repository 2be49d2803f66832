"""Typed events: what changed in a wiki, as the watcher sees it and a webhook carries it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Union

import orjson
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from ..errors import InvalidArgumentError

if TYPE_CHECKING:
    from wikijs._generated.fragments import Page, PageListItem, UserMinimal

PageEventType = Literal["page.created", "page.updated", "page.deleted", "page.moved"]
UserEventType = Literal["user.created", "user.deleted"]
LogEventType = Literal["log"]
EventType = Literal[
    "page.created",
    "page.updated",
    "page.deleted",
    "page.moved",
    "user.created",
    "user.deleted",
    "log",
]

#: Every event type, in the order the documentation lists them.
EVENT_TYPES: tuple[str, ...] = (
    "page.created",
    "page.updated",
    "page.deleted",
    "page.moved",
    "user.created",
    "user.deleted",
    "log",
)


def _event_id() -> str:
    return uuid.uuid4().hex


class _Frozen(BaseModel):
    model_config: ClassVar[ConfigDict] = ConfigDict(frozen=True, extra="ignore")


class PageInfo(_Frozen):
    """A page as the page listing describes it (no content).

    Attributes:
        id: the page id.
        path: its path, e.g. ``docs/start``.
        locale: its locale, e.g. ``en``.
        title: the title.
        description: the short summary.
        tags: tag names.
        is_published: visible to readers.
        is_private: a private page.
        content_type: ``markdown``, ``html``, …
        created_at: when it was created.
        updated_at: when it last changed.
    """

    id: int
    path: str
    locale: str
    title: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    is_published: bool = True
    is_private: bool = False
    content_type: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def locale_path(self) -> str:
        """``<locale>/<path>``, the page's address on the wiki."""
        return f"{self.locale}/{self.path}"

    @classmethod
    def from_page(cls, page: PageListItem | Page) -> PageInfo:
        """From a listing item (``client.pages.list()``) or a full page."""
        tags = [t if isinstance(t, str) else t.tag for t in (page.tags or [])]
        return cls(
            id=page.id,
            path=page.path,
            locale=page.locale,
            title=page.title or "",
            description=page.description or "",
            tags=tuple(sorted(tags)),
            is_published=page.is_published,
            is_private=page.is_private,
            content_type=page.content_type,
            created_at=page.created_at,
            updated_at=page.updated_at,
        )


class UserInfo(_Frozen):
    """A user as the user listing describes it.

    Attributes:
        id: the user id.
        name: the display name.
        email: the login email.
        provider_key: the authentication strategy (``local``, …).
        is_active: may log in.
        is_system: a built-in account (administrator, guest).
        created_at: when the account was created.
    """

    id: int
    name: str
    email: str
    provider_key: str = "local"
    is_active: bool = True
    is_system: bool = False
    created_at: datetime | None = None

    @classmethod
    def from_user(cls, user: UserMinimal) -> UserInfo:
        """From a listing item (``client.users.list()``)."""
        return cls(
            id=user.id,
            name=user.name,
            email=user.email,
            provider_key=user.provider_key,
            is_active=user.is_active,
            is_system=user.is_system,
            created_at=user.created_at,
        )


class Event(_Frozen):
    """What every event carries.

    Attributes:
        id: a unique id for this event (receivers use it to drop duplicate
            deliveries).
        type: ``page.created``, ``page.updated``, ``page.deleted``,
            ``page.moved``, ``user.created``, ``user.deleted`` or ``log``.
        timestamp: when the change was noticed (UTC), or for ``log`` when
            the server logged the line.
    """

    id: str = Field(default_factory=_event_id)
    type: EventType
    timestamp: datetime

    def to_json(self) -> bytes:
        """The event as the JSON a webhook carries."""
        return orjson.dumps(self.model_dump(mode="json"))


class PageEvent(Event):
    """A page was created, updated, moved or deleted.

    Example::

        if event.type == "page.moved":
            print(event.previous.locale_path, "->", event.page.locale_path)

    Attributes:
        page: the page now (for ``page.deleted``: as last seen).
        previous: the page as last seen before the change (``page.updated``
            and ``page.moved``).
        changes: the fields that differ between ``previous`` and ``page``.
    """

    type: PageEventType
    page: PageInfo
    previous: PageInfo | None = None
    changes: tuple[str, ...] = ()


class UserEvent(Event):
    """A user account was created or deleted.

    Attributes:
        user: the user now (for ``user.deleted``: as last seen).
    """

    type: UserEventType
    user: UserInfo


class LogEvent(Event):
    """One line of the server's live log (``loggingLiveTrail``).

    Attributes:
        level: ``info``, ``warn``, ``error``, …
        output: the logged text.
    """

    type: LogEventType = "log"
    level: str
    output: str


AnyEvent = Annotated[Union[PageEvent, UserEvent, LogEvent], Field(discriminator="type")]  # noqa: UP007
_ADAPTER: TypeAdapter[PageEvent | UserEvent | LogEvent] = TypeAdapter(AnyEvent)


def parse_event(data: bytes | str | Mapping[str, Any]) -> PageEvent | UserEvent | LogEvent:
    """The typed event for a JSON document (or an already decoded one).

    Example::

        event = parse_event(b'{"type": "log", "timestamp": "2026-01-01T00:00:00Z", ...}')

    Raises:
        ValidationError: not an event this SDK knows.
    """
    try:
        decoded = orjson.loads(data) if isinstance(data, (bytes, str)) else dict(data)
    except orjson.JSONDecodeError as exc:
        raise InvalidArgumentError(f"an event must be JSON ({exc})") from None
    try:
        return _ADAPTER.validate_python(decoded)
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "event"
        raise InvalidArgumentError(f"not a valid event: {where}: {first['msg']}") from None
