"""What the environment asks of every connection: the proxy and the TLS trust store.

Both backends read these the same way, so the sync and the async client go
through the same proxy and trust the same certificates:

- :func:`environment_proxy`: the proxy ``HTTP(S)_PROXY``/``ALL_PROXY``
  (minus ``NO_PROXY``) ask for, the standard library's reading;
- :func:`ssl_context`: ``verify=`` made into one ``ssl.SSLContext``, with
  certifi's bundle (or ``SSL_CERT_FILE``/``SSL_CERT_DIR``) by default.

This module reads the process environment and CA files: it is the door's
only contact with the machine's configuration.
"""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from ..errors import InvalidArgumentError


def ssl_context(verify: Any) -> ssl.SSLContext:
    """One TLS context from ``verify=`` for every library.

    ``True`` verifies against ``SSL_CERT_FILE``/``SSL_CERT_DIR`` when set,
    else certifi's bundle (what httpx trusts); a path against that CA bundle
    or directory; ``False`` not at all; an ``ssl.SSLContext`` is used as it is.

    Raises:
        InvalidArgumentError: the CA bundle cannot be read or is not one.
    """
    try:
        return _ssl_context(verify)
    except OSError as exc:  # a missing file; ssl.SSLError for one that is not PEM
        raise InvalidArgumentError(
            f"verify: cannot load the CA bundle ({exc})", field="verify"
        ) from None


def _ssl_context(verify: Any) -> ssl.SSLContext:
    if isinstance(verify, ssl.SSLContext):
        return verify
    if isinstance(verify, str):
        if os.path.isdir(verify):
            return ssl.create_default_context(capath=verify)
        return ssl.create_default_context(cafile=verify)
    if not verify:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


@dataclass(frozen=True, slots=True)
class Proxy:
    """An HTTP(S) proxy from the environment, credentials apart."""

    url: str
    username: str | None = None
    password: str | None = None

    def __repr__(self) -> str:  # never the password
        return f"Proxy(url={self.url!r}, username={self.username!r})"


_PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY")


def basic_auth(username: str, password: str | None) -> str:
    """A ``Basic`` credential (for ``Proxy-Authorization``)."""
    import base64

    token = base64.b64encode(f"{username}:{password or ''}".encode()).decode("ascii")
    return f"Basic {token}"


def environment_proxy(base_url: str) -> Proxy | None:
    """The proxy the environment asks for to reach ``base_url``, or ``None``.

    ``http_proxy``/``https_proxy`` for the URL's scheme, else ``all_proxy``,
    unless ``no_proxy`` lists the host (the standard library's reading, so
    both clients agree). Only HTTP and HTTPS proxies are supported:

    Raises:
        ValidationError: the environment asks for another kind (``socks5://``),
            which neither client would honour, rather than bypass it silently.
    """
    from urllib.request import getproxies, proxy_bypass

    parts = urlsplit(base_url)
    proxies = getproxies()
    raw = proxies.get(parts.scheme) or proxies.get("all")
    if not raw or proxy_bypass(parts.hostname or ""):
        return None
    proxy = urlsplit(raw if "://" in raw else f"http://{raw}")
    try:
        port = proxy.port
    except ValueError:
        raise InvalidArgumentError(
            f"the proxy the environment sets for {parts.hostname} has an invalid port",
            field="proxy",
        ) from None
    if proxy.scheme not in ("http", "https") or not proxy.hostname:
        names = "/".join(_PROXY_VARIABLES)
        raise InvalidArgumentError(
            f"the environment ({names}) asks for the proxy {proxy.scheme}://"
            f"{proxy.hostname or ''}{f':{port}' if port else ''} to reach "
            f"{parts.hostname}; only http:// and https:// proxies are supported. "
            "Unset it, or add the host to NO_PROXY",
            field="proxy",
        )
    host = proxy.hostname
    netloc = f"[{host}]" if ":" in host else host
    if port:
        netloc += f":{port}"
    return Proxy(
        f"{proxy.scheme}://{netloc}",
        unquote(proxy.username) if proxy.username else None,
        unquote(proxy.password) if proxy.password else None,
    )
