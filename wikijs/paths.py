"""Page paths and locales as Wiki.js accepts them, checked before anything is sent.

The clients check every path and locale they are given with these rules;
tools that map files to pages (``wikijs pages import``, ``sync``) use them
to tell a user every problem of a name at once.

Example::

    from wikijs.paths import normalize_path, path_problems

    normalize_path("/docs/setup/")          # 'docs/setup'
    path_problems("docs/v1.2 notes")        # ["contains whitespace", "contains illegal '.'"]
"""

from __future__ import annotations

from ._protocol.validation import check_locale, normalize_path, path_problems

__all__ = ["check_locale", "normalize_path", "path_problems"]
