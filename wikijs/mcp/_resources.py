"""Pages as resources: ``wikijs://<locale>/<path>``, read as their source text."""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit

SCHEME = "wikijs"
#: RFC 6570: ``{+path}`` keeps the slashes of a page path.
TEMPLATE = f"{SCHEME}://{{locale}}/{{+path}}"
#: Resources per ``resources/list`` answer.
PAGE_SIZE = 200

_MIME = {"markdown": "text/markdown", "html": "text/html", "asciidoc": "text/asciidoc"}


def page_uri(locale: str, path: str) -> str:
    """The resource URI of the page at ``path`` in ``locale``."""
    return f"{SCHEME}://{quote(locale, safe='')}/{quote(path.strip('/'), safe='/')}"


def parse_uri(uri: str) -> tuple[str, str]:
    """``(locale, path)`` of a page URI.

    Raises:
        ValueError: not a ``wikijs://<locale>/<path>`` URI.
    """
    parts = urlsplit(uri)
    locale, path = unquote(parts.netloc), unquote(parts.path).strip("/")
    if parts.scheme != SCHEME or not locale or not path or parts.query or parts.fragment:
        raise ValueError(
            f"not a page URI: {uri!r}; page URIs look like {SCHEME}://en/docs/start "
            "(locale, then the page's path)"
        )
    return locale, path


def mime_type(content_type: str | None) -> str:
    """The MIME type of a page's source by its content type (the code editor writes html)."""
    return _MIME.get(content_type or "", "text/plain")
