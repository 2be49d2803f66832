"""GraphQL POSTs through aiohttp: ``http_backend="aiohttp"``, and behind a proxy.

aiohttp costs several times less client CPU per request than httpx's async
client (measured in ``benchmarks/``), and it speaks to HTTP proxies, which
the SDK's own HTTP/1.1 path (``http1.py``) does not. It is therefore what
the async client uses for GraphQL when the environment sets a proxy for the
wiki and aiohttp is installed (``pip install "wikijs[aiohttp]"``), or when
asked for. Async-only: ``scripts/unasync`` does not derive a sync twin.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ssl
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._config import ClientConfig
from .._core.transport import FailureKinds, RawResponse, failure_error
from ..errors import WikiJSError

if TYPE_CHECKING:
    import aiohttp


def _ssl_option(verify: Any) -> Any:
    if verify is True:
        return True
    if verify is False:
        return False
    if isinstance(verify, ssl.SSLContext):
        return verify
    return ssl.create_default_context(cafile=str(verify))


@functools.cache
def _failures() -> FailureKinds:
    import aiohttp

    return FailureKinds(
        unsent_timeout=(aiohttp.ConnectionTimeoutError,),
        timeout=(asyncio.TimeoutError, aiohttp.ServerTimeoutError),
        connect=(aiohttp.ClientConnectorError,),
        lost=(aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError, aiohttp.ClientOSError),
        invalid_url=(aiohttp.InvalidURL,),
    )


def aiohttp_error(exc: BaseException, operation: str) -> WikiJSError:
    """Our error for an aiohttp failure; says whether the server may have seen it."""
    return failure_error(exc, operation, _failures())


def _env_proxy(base_url: str) -> tuple[Any, Any]:
    """The proxy (and its credentials) the environment asks for this server, if any."""
    from aiohttp.helpers import get_env_proxy_for_url
    from yarl import URL

    try:
        return get_env_proxy_for_url(URL(base_url))
    except LookupError:
        return None, None


class AiohttpPoster:
    """One aiohttp session (created on first use, in the running loop)."""

    def __init__(self, config: ClientConfig) -> None:
        self._config = config
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._proxy: Any = None
        self._proxy_auth: Any = None

    def _open(self) -> aiohttp.ClientSession:
        import aiohttp

        timeout = self._config.timeout
        session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(
                limit=self._config.max_connections,
                ssl=_ssl_option(self._config.verify),
            ),
            timeout=aiohttp.ClientTimeout(
                total=None,
                connect=timeout.pool,
                sock_connect=timeout.connect,
                sock_read=timeout.read,
            ),
            cookie_jar=aiohttp.DummyCookieJar(),
            # trust_env=True would look up proxies and .netrc in a thread on
            # every request; the one server's proxy is resolved once instead.
            trust_env=False,
            auto_decompress=True,
        )
        self._proxy, self._proxy_auth = _env_proxy(self._config.base_url)
        self._session = session
        self._loop = asyncio.get_running_loop()
        return session

    def _current(self) -> aiohttp.ClientSession:
        session = self._session
        if session is None or session.closed or self._loop is not asyncio.get_running_loop():
            # A session belongs to one event loop; a client reused from a new
            # loop (asyncio.run twice) gets a fresh one.
            session = self._open()
        return session

    async def post(
        self, url: str, content: bytes, headers: Mapping[str, str], operation: str
    ) -> RawResponse:
        import aiohttp

        session = self._current()
        try:
            async with session.post(
                url,
                data=content,
                headers=headers,
                allow_redirects=False,
                proxy=self._proxy,
                proxy_auth=self._proxy_auth,
            ) as response:
                body = await response.read()
                return RawResponse(response.status, response.headers, body)
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            raise aiohttp_error(exc, operation) from exc

    async def aclose(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            with contextlib.suppress(RuntimeError):  # its loop may already be gone
                await session.close()
