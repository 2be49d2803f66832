"""What the clients' ``http_client=`` and ``transport=`` accept.

The async client sends through aiohttp (a session, or a factory called in
the running loop) or httpx; the sync client through httpx. The libraries
are named for type checkers only: importing this module imports neither.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, Union

if TYPE_CHECKING:
    import aiohttp
    import httpx

# The deprecated ``http_backend=`` (see ``_http/_async/transport.py:build_transport``).
AsyncHttpBackend = Literal["auto", "aiohttp", "httpx"]
HttpBackend = AsyncHttpBackend
HTTP_BACKENDS = ("auto", "aiohttp", "httpx")

AsyncHttpClient = Union[
    "httpx.AsyncClient", "aiohttp.ClientSession", Callable[[], "aiohttp.ClientSession"]
]
HttpClient = Union["httpx.Client"]
AsyncHttpTransport = Union["httpx.AsyncBaseTransport"]
HttpTransport = Union["httpx.BaseTransport"]
