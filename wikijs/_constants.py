"""Defaults, in one place."""

from __future__ import annotations

from typing import Final

from ._facts import BODY_LIMIT, SERVER_KEEPALIVE
from ._version import VERSION as VERSION

DEFAULT_TIMEOUT: Final = 30.0
DEFAULT_CONNECT_TIMEOUT: Final = 10.0
DEFAULT_USER_AGENT: Final = f"wikijs-python/{VERSION}"
DEFAULT_MAX_CONNECTIONS: Final = 100
DEFAULT_MAX_KEEPALIVE: Final = 20
# Reusing a connection just as Wiki.js closes it (SERVER_KEEPALIVE) would fail
# a request that never had a chance.
KEEPALIVE_EXPIRY: Final = SERVER_KEEPALIVE - 1.0
# The total time one exchange may take, at least (four read timeouts if longer).
DEFAULT_DEADLINE: Final = 120.0
DEFAULT_MAX_HEADER_SIZE: Final = 64 * 1024
DEFAULT_MAX_BODY_SIZE: Final = 64 * 1024 * 1024
DEFAULT_MAX_DECOMPRESSED_SIZE: Final = 256 * 1024 * 1024
# Bytes read at a time from a streamed answer (downloads).
DEFAULT_DOWNLOAD_CHUNK: Final = 256 * 1024
#: How many items one batch request or one page of ``iter_all()`` holds by default.
DEFAULT_BATCH_SIZE: Final = 50
# Batches stay under the server's body limit (wikijs._facts.BODY_LIMIT); the
# margin leaves room for what the size estimate misses.
MAX_REQUEST_BYTES: Final = BODY_LIMIT - 64 * 1024
# A write request may hold at most this share of the read timeout in
# estimated server time (page writes cost seconds each, see _protocol/writes.py).
WRITE_BUDGET_FRACTION: Final = 0.5
DEFAULT_HISTORY_PAGE_SIZE: Final = 100

JWT_RELOGIN_MARGIN: Final = 3600.0
