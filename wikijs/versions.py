"""Which Wiki.js releases the SDK talks to, and what it does with the others.

The clients and models are generated from the schema of Wiki.js
:data:`SCHEMA_VERSION`. Every release from :data:`OLDEST_SUPPORTED_VERSION`
on works too: where an older release lacks a field or an argument, the
client sends the operation without it (the model field reads ``None``), and
an operation the server lacks altogether raises
:class:`~wikijs.errors.UnsupportedByServerError` (or takes a fallback, such
as ``pages.get_by_path`` through the page list). The client learns all this
from the server's own refusals, or from its version once it has read it
(``system.info()``, ``health()``), and then warns once with
:class:`ServerVersionWarning` if that version has another API.
``docs/versions.md`` lists which operation needs which release.

Example::

    import warnings
    from wikijs.versions import SCHEMA_VERSION, ServerVersionWarning

    print(SCHEMA_VERSION)                                   # 2.5.314
    warnings.simplefilter("error", ServerVersionWarning)    # insist on that API
"""

from __future__ import annotations

import re
from typing import Final

from ._generated.versions import API_RELEASES, SCHEMA_VERSION

__all__ = [
    "API_RELEASES",
    "OLDEST_SUPPORTED_VERSION",
    "SCHEMA_VERSION",
    "ServerVersionWarning",
    "api_release",
    "parse_version",
]

#: The oldest Wiki.js release the SDK supports (its API lasted to 2.4.107).
OLDEST_SUPPORTED_VERSION: Final = API_RELEASES[0]


class ServerVersionWarning(UserWarning):
    """The server runs another Wiki.js API than the one the SDK was generated for.

    Issued once per client, when it first reads the server's version. The
    SDK still works with any release from :data:`OLDEST_SUPPORTED_VERSION`
    to :data:`SCHEMA_VERSION`; the message says what the server lacks.
    """


_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)")


def parse_version(text: str) -> tuple[int, int, int] | None:
    """``"2.5.314"`` → ``(2, 5, 314)``; ``None`` for text without a version."""
    match = _VERSION.search(text or "")
    if match is None:
        return None
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def _key(version: str) -> tuple[int, int, int]:
    return parse_version(version) or (0, 0, 0)


def api_release(version: str) -> str | None:
    """The API release a Wiki.js version serves: the newest of :data:`API_RELEASES` not after it.

    ``api_release("2.5.170") == "2.5.117"``; ``None`` below
    :data:`OLDEST_SUPPORTED_VERSION`.
    """
    key = _key(version)
    serving = [release for release in API_RELEASES if _key(release) <= key]
    return serving[-1] if serving else None
