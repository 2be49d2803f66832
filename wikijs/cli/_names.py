"""File and folder names to wiki paths: the rule ``pages import`` and ``sync`` follow. Pure.

Wiki.js refuses a page path holding ``.``, a space or ``\\``
(``server/models/pages.js``: ``PageIllegalPath``), and a path holding
``"|<>:*?`` or a control character can be stored but never opened: the
server strips those from every URL before it looks the page up
(``server/helpers/page.js``, ``unsafeCharsRegex``); ``#`` and ``%`` would be
read as a fragment and an escape. So, segment by segment:

- each run of such characters (any whitespace, ``.``, ``\\ " | < > : * ? # %``,
  control characters), together with the hyphens around it, becomes one
  ``-``; at the start or end of a segment it is dropped:
  ``10.1 斐波那契数列`` → ``10-1-斐波那契数列``, ``v1.2-notes`` → ``v1-2-notes``,
  ``What is it?`` → ``What-is-it``;
- everything else is kept as it is: letters of any script, case, ``-``,
  ``_``, ``(``, ``)``, ``!``, ``'``, …

What the rule cannot fix is a problem of the name, and every problem of a
name is reported at once: a segment left empty, a first folder Wiki.js
reserves (one letter, ``login``, ``graphql``, …), a path longer than the
255 characters Wiki.js stores. With ``strict`` the rule changes nothing
and each character it would have replaced is a problem instead.

Asset folders are named by the same rule, lower-cased (Wiki.js stores
folder slugs and file names lower-case).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from .._facts import LOCALE_SEGMENT, ROUTED_PATHS, reserved_first_segment

#: Wiki.js stores page paths (and titles) in a ``varchar(255)`` column.
MAX_PATH_LENGTH = 255
#: First segments under which ``GET /<folder>/<file>`` never reaches an asset:
#: the server's routes (``server/master.js``) and its login routes
#: (``server/controllers/auth.js``: ``/login/:strategyKey``, ``/verify/:id``, …).
_ASSET_SHADOWED = ROUTED_PATHS | {"login", "logout", "register", "verify", "u"}
_UNSAFE = frozenset('.\\"|<>:*?#%')


class NameProblem(ValueError):
    """A name that cannot become a wiki path; ``problems`` lists every reason."""

    def __init__(self, name: str, problems: Sequence[str]) -> None:
        super().__init__(f"{name!r} cannot be a wiki path: " + "; ".join(problems))
        self.name = name
        self.problems = tuple(problems)


def _unsafe(char: str) -> bool:
    if char in _UNSAFE or char.isspace():
        return True
    category = unicodedata.category(char)
    return category in ("Cc", "Cf", "Zl", "Zp", "Zs") and char not in "\u200d"


def describe_char(char: str) -> str:
    if char == " ":
        return "a space"
    if char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Zs"):
        return f"U+{ord(char):04X}"
    return repr(char)


def fix_segment(segment: str) -> str:
    """One segment by the rule: runs of unsafe characters (with their hyphens) to ``-``."""
    out: list[str] = []
    run: list[str] = []
    run_unsafe = False

    def close(at_end: bool) -> None:
        nonlocal run_unsafe
        if run_unsafe:
            if out and not at_end:
                out.append("-")
        else:
            out.extend(run)
        run.clear()
        run_unsafe = False

    for char in segment:
        unsafe = _unsafe(char)
        if unsafe or char == "-":
            run.append(char)
            run_unsafe = run_unsafe or unsafe
            continue
        close(at_end=False)
        out.append(char)
    close(at_end=True)
    return "".join(out)


def segment_problems(segment: str) -> list[str]:
    """What in one segment Wiki.js refuses or cannot serve (for ``strict``)."""
    seen: list[str] = []
    for char in segment:
        if _unsafe(char):
            text = describe_char(char)
            if text not in seen:
                seen.append(text)
    return [f"contains {', '.join(seen)}"] if seen else []


def page_path(parts: Sequence[str], *, strict: bool = False, name: str | None = None) -> str:
    """The wiki path for a file at ``parts`` (folders, then the name without ``.md``).

    Raises:
        NameProblem: with every problem of the name.
    """
    shown = name if name is not None else "/".join(parts)
    problems: list[str] = []
    segments: list[str] = []
    for part in parts:
        if strict:
            problems.extend(f"{part!r} {problem}" for problem in segment_problems(part))
            fixed = part
        else:
            fixed = fix_segment(part)
        if not fixed:
            problems.append(f"{part!r} has nothing a wiki path can hold")
        segments.append(fixed)
    path = "/".join(segments)
    first = segments[0] if segments else ""
    if first and reserved_first_segment(first) and not LOCALE_SEGMENT.match(first):
        problems.append(
            f"it starts with {segments[0]!r}, which Wiki.js reserves "
            "(one-letter names and its own routes)"
        )
    if len(path) > MAX_PATH_LENGTH:
        problems.append(f"the path is {len(path)} characters, Wiki.js stores {MAX_PATH_LENGTH}")
    if problems:
        raise NameProblem(shown, problems)
    return path


def asset_folder(parts: Sequence[str]) -> str:
    """The asset folder for files in the folder ``parts``, by the rule, lower-cased.

    Raises:
        NameProblem: a folder name with nothing a folder name can hold.
    """
    problems: list[str] = []
    segments: list[str] = []
    for part in parts:
        fixed = fix_segment(part).lower()
        if not fixed:
            problems.append(f"{part!r} has nothing a folder name can hold")
        segments.append(fixed)
    if problems:
        raise NameProblem("/".join(parts), problems)
    return "/".join(segments)


def needs_locale(first: str) -> bool:
    """Whether ``/<first>/…`` would not reach an asset: Wiki.js reads a first segment
    of one letter or shaped like a locale as a locale, and routes some names itself.
    ``/<locale>/<first>/…`` reaches it (the locale of an asset path is ignored)."""
    return len(first) == 1 or bool(LOCALE_SEGMENT.match(first)) or first in _ASSET_SHADOWED
