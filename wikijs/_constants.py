"""Defaults, in one place."""

from __future__ import annotations

from typing import Final

VERSION: Final = "0.2.0.dev0"
DEFAULT_TIMEOUT: Final = 30.0
DEFAULT_CONNECT_TIMEOUT: Final = 10.0
DEFAULT_USER_AGENT: Final = f"wikijs-python/{VERSION}"
DEFAULT_MAX_CONNECTIONS: Final = 100
DEFAULT_MAX_KEEPALIVE: Final = 20
# Node's HTTP server (Wiki.js) closes idle connections after 5 s; reusing one
# just as the server closes it would fail a request that never had a chance.
KEEPALIVE_EXPIRY: Final = 4.0
# The total time one exchange may take, at least (four read timeouts if longer).
DEFAULT_DEADLINE: Final = 120.0
DEFAULT_MAX_HEADER_SIZE: Final = 64 * 1024
DEFAULT_MAX_BODY_SIZE: Final = 64 * 1024 * 1024
DEFAULT_MAX_DECOMPRESSED_SIZE: Final = 256 * 1024 * 1024
# Bytes read at a time from a streamed answer (downloads).
DEFAULT_DOWNLOAD_CHUNK: Final = 256 * 1024
GRAPHQL_PATH: Final = "/graphql"
UPLOAD_PATH: Final = "/u"
HEALTH_PATH: Final = "/healthz"
SUBSCRIPTIONS_PATH: Final = "/graphql-subscriptions"

DEFAULT_LOCALE: Final = "en"
DEFAULT_EDITOR: Final = "markdown"
# Editor keys Wiki.js 2.5 accepts for pages.create/update (FACTS.md).
EDITORS: Final = frozenset({"markdown", "code", "ckeditor"})
DEFAULT_BATCH_SIZE: Final = 50
# Wiki.js parses request bodies up to `bodyParserLimit` (5mb by default, in
# config.yml); the margin leaves room for what the estimate misses.
SERVER_BODY_LIMIT: Final = 5 * 1024 * 1024
REQUEST_MARGIN: Final = 64 * 1024
MAX_REQUEST_BYTES: Final = SERVER_BODY_LIMIT - REQUEST_MARGIN
# A write request may hold at most this share of the read timeout in
# estimated server time (page writes cost seconds each, see _core/writes.py).
WRITE_BUDGET_FRACTION: Final = 0.5
DEFAULT_HISTORY_PAGE_SIZE: Final = 100

# A user JWT lives 30 minutes; the server renews it through `new-jwt` for
# up to 14 days after it expired. Past that it silently means Guest.
JWT_RENEWAL_WINDOW: Final = 14 * 24 * 3600.0
JWT_RELOGIN_MARGIN: Final = 3600.0
