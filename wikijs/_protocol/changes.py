"""Events from two snapshots of a wiki. Pure: no I/O, no clock.

The watcher lists the wiki's pages (and users) at every poll and hands the
previous and the current listing to these functions:

* an id that is new is ``page.created``;
* an id that is gone is ``page.deleted`` (carrying the page as last seen);
* a page whose path or locale changed is ``page.moved``;
* a page whose title, description, tags, publication, privacy or
  ``updated_at`` changed is ``page.updated`` — unless it also moved and
  nothing but ``updated_at`` changed besides (moving touches ``updated_at``),
  so one move is one event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from .events import PageEvent, PageInfo, UserEvent, UserInfo

#: Fields whose change makes a ``page.moved``.
LOCATION_FIELDS = ("path", "locale")
#: Fields whose change makes a ``page.updated``.
CONTENT_FIELDS = ("title", "description", "tags", "is_published", "is_private", "updated_at")


@dataclass(frozen=True)
class Snapshot:
    """What one poll saw: pages and users by id (``None``: not watched).

    Keep the watcher's :attr:`~wikijs.events.Watcher.snapshot` to resume
    watching later without reporting what changed meanwhile twice.
    """

    pages: Mapping[int, PageInfo] | None = None
    users: Mapping[int, UserInfo] | None = None

    @classmethod
    def of(
        cls, pages: Iterable[PageInfo] | None = None, users: Iterable[UserInfo] | None = None
    ) -> Snapshot:
        return cls(
            pages=None if pages is None else {page.id: page for page in pages},
            users=None if users is None else {user.id: user for user in users},
        )


def _changed(before: PageInfo, after: PageInfo, fields: Iterable[str]) -> list[str]:
    return [name for name in fields if getattr(before, name) != getattr(after, name)]


def diff_pages(
    before: Mapping[int, PageInfo], after: Mapping[int, PageInfo], *, at: datetime
) -> list[PageEvent]:
    """The page events that turn ``before`` into ``after``, in page-id order.

    Example::

        events = diff_pages({1: old}, {1: new, 2: created}, at=datetime.now(timezone.utc))
    """
    events: list[PageEvent] = []
    for page_id in sorted(before.keys() | after.keys()):
        old, new = before.get(page_id), after.get(page_id)
        if old is None and new is not None:
            events.append(PageEvent(type="page.created", timestamp=at, page=new))
        elif new is None and old is not None:
            events.append(PageEvent(type="page.deleted", timestamp=at, page=old))
        elif old is not None and new is not None and old != new:
            moved = _changed(old, new, LOCATION_FIELDS)
            updated = _changed(old, new, CONTENT_FIELDS)
            if moved:
                events.append(
                    PageEvent(
                        type="page.moved",
                        timestamp=at,
                        page=new,
                        previous=old,
                        changes=tuple(moved),
                    )
                )
                if updated == ["updated_at"]:
                    updated = []
            if updated:
                events.append(
                    PageEvent(
                        type="page.updated",
                        timestamp=at,
                        page=new,
                        previous=old,
                        changes=tuple(updated),
                    )
                )
    return events


def diff_users(
    before: Mapping[int, UserInfo], after: Mapping[int, UserInfo], *, at: datetime
) -> list[UserEvent]:
    """``user.created`` for new ids and ``user.deleted`` for vanished ones, in id order."""
    events: list[UserEvent] = []
    for user_id in sorted(before.keys() | after.keys()):
        old, new = before.get(user_id), after.get(user_id)
        if old is None and new is not None:
            events.append(UserEvent(type="user.created", timestamp=at, user=new))
        elif new is None and old is not None:
            events.append(UserEvent(type="user.deleted", timestamp=at, user=old))
    return events


def diff(before: Snapshot, after: Snapshot, *, at: datetime) -> list[PageEvent | UserEvent]:
    """Every event between two snapshots: pages first, then users.

    A namespace missing from either snapshot yields nothing (it was not
    watched, or its listing failed).
    """
    events: list[PageEvent | UserEvent] = []
    if before.pages is not None and after.pages is not None:
        events.extend(diff_pages(before.pages, after.pages, at=at))
    if before.users is not None and after.users is not None:
        events.extend(diff_users(before.users, after.users, at=at))
    return events
