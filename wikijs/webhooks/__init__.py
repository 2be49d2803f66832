"""Webhooks for Wiki.js events: a signed sender and a verifying receiver.

Wiki.js 2.5 has no webhooks of its own. The sending half here is fed by a
:class:`~wikijs.events.Watcher` (which polls the wiki) or by ``wikijs watch
--webhook URL --secret S``; the receiving half is :class:`WebhookServer`.

Example (receiver)::

    from wikijs.webhooks import WebhookServer

    server = WebhookServer(secret="webhook-secret")

    @server.on("page.created")
    def on_page_created(event):
        print(event.page.title)

    server.run(host="127.0.0.1", port=8080)

Example (sender)::

    from wikijs.events import Watcher
    from wikijs.webhooks import WebhookSender

    with WebhookSender("https://hooks.example.com/wiki", secret="webhook-secret") as sender:
        for event in Watcher(client, interval=30):
            sender.send(event)

The wire format: a POST whose body is the event's JSON, with headers
``X-WikiJS-Timestamp`` (unix seconds), ``X-WikiJS-Signature:
sha256=<hex HMAC-SHA256 of "<timestamp>." + body>``, ``X-WikiJS-Event``
(the event type) and ``X-WikiJS-Delivery`` (the event id). Any receiver
can check it with :func:`verify_signature`.
"""

from .._async.webhook_sender import AsyncWebhookSender
from .._protocol.webhooks import (
    DEFAULT_TOLERANCE,
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    Delivery,
    DeliveryPolicy,
    WebhookDeliveryError,
    WebhookSignatureError,
    compute_signature,
    verify_signature,
)
from .._public import publish as _publish
from .._sync.webhook_sender import WebhookSender
from ._server import WebhookServer

__all__ = [
    "AsyncWebhookSender",
    "DEFAULT_TOLERANCE",
    "DELIVERY_HEADER",
    "Delivery",
    "DeliveryPolicy",
    "EVENT_HEADER",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "WebhookDeliveryError",
    "WebhookSender",
    "WebhookServer",
    "WebhookSignatureError",
    "compute_signature",
    "verify_signature",
]

# Each class's __module__ is this module, where it is documented (wikijs/_public.py).
_publish(globals(), __all__, __name__)
