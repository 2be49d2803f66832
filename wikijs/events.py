"""Typed events for what changes in a wiki, and the watcher that produces them.

Wiki.js 2.5 sends no webhooks and keeps no change feed. This module makes
events the honest way: a :class:`Watcher` lists the wiki every ``interval``
seconds and reports what differs from the previous listing. The server's
live log is the one thing Wiki.js does push, over a websocket:
``client.logging.live_trail()`` (async client) yields :class:`LogEvent`.

Example::

    from wikijs import WikiJSClient
    from wikijs.events import Watcher

    with WikiJSClient(url, auth="API-KEY") as client:
        for event in Watcher(client, interval=30, namespaces=("pages",)):
            print(event.type, event.page.locale_path, event.page.title)

Event types: ``page.created``, ``page.updated``, ``page.moved``,
``page.deleted`` (:class:`PageEvent`), ``user.created``, ``user.deleted``
(:class:`UserEvent`) and ``log`` (:class:`LogEvent`); all derive from
:class:`Event`. :func:`parse_event` turns JSON (a webhook body) back into
the right class. To forward events to a webhook, see :mod:`wikijs.webhooks`.
"""

from ._async.watcher import AsyncWatcher
from ._protocol.changes import Snapshot, diff, diff_pages, diff_users
from ._protocol.events import (
    EVENT_TYPES,
    AnyEvent,
    Event,
    EventType,
    LogEvent,
    PageEvent,
    PageInfo,
    UserEvent,
    UserInfo,
    parse_event,
)
from ._public import publish as _publish
from ._sync.watcher import Watcher

__all__ = [
    "AnyEvent",
    "AsyncWatcher",
    "EVENT_TYPES",
    "Event",
    "EventType",
    "LogEvent",
    "PageEvent",
    "PageInfo",
    "Snapshot",
    "UserEvent",
    "UserInfo",
    "Watcher",
    "diff",
    "diff_pages",
    "diff_users",
    "parse_event",
]

# Each class's __module__ is this module, where it is documented (wikijs/_public.py).
_publish(globals(), __all__, __name__)
