"""Where a Markdown text links to: inline links and images, reference definitions, HTML. Pure.

:func:`find` returns the destination of every ``[text](dest)`` and
``![alt](dest)``, every ``[id]: dest`` definition and every ``src``/``href``
(and ``poster``) attribute of an HTML tag, outside fenced code, inline code
and HTML comments, with its position, so that :func:`replace` can change
those destinations and nothing else. Every scan is a single pass (no
pattern here can backtrack over a line more than once).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import unquote

#: ``[id]: dest "title"`` on a line of its own (up to three spaces in); not a
#: footnote (``[^1]: text``), and nothing but a title may follow the destination.
_DEFINITION = re.compile(
    r""" {0,3}\[(?!\^)[^\]\n]+\]:[ \t]*(?:<([^>\n]*)>|(\S+))"""
    r"""(?:[ \t]+(?:"[^"\n]*"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*\r?$"""
)
_TAG = re.compile(r"<(?:img|a|source|video|audio)\b", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""\s(?:src|href|poster)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


#: An internal link Wiki.js's renderer marked as leading to no page.
_INVALID = re.compile(r'<a href="(/[^"]*)" class="is-internal-link is-invalid-page">')
_LOCALE = re.compile(r"[a-z]{2}(?:-[a-z]{2})?", re.IGNORECASE)


def page_key(destination: str, locale: str) -> tuple[str, str] | None:
    """``(locale, path)`` of a wiki link such as ``/en/guide/setup#x`` (None: not a page)."""
    if not destination.startswith("/") or destination.startswith("//"):
        return None
    path = unquote(destination[1:].split("#", 1)[0].split("?", 1)[0]).strip("/")
    first, slash, rest = path.partition("/")
    if slash and _LOCALE.fullmatch(first):
        locale, path = first, rest
    if not path or "." in path.rsplit("/", 1)[-1]:
        return None  # an asset (pages have no dot in their path)
    return locale, path


def invalid_links(render: str, locale: str) -> set[tuple[str, str]]:
    """The pages a rendered page shows as missing (``is-invalid-page``)."""
    keys = {page_key(href, locale) for href in _INVALID.findall(render)}
    return {key for key in keys if key is not None}


@dataclass(frozen=True)
class Link:
    """One destination: ``text[start:end]`` is ``target`` as written."""

    start: int
    end: int
    target: str


def is_relative(target: str) -> bool:
    """A link to something beside the file: no scheme, not absolute, not only an anchor."""
    return bool(target) and not (
        target.startswith(("/", "#", "?")) or _SCHEME.match(target) is not None
    )


def is_rooted(target: str) -> bool:
    """A path from the site's root (``/img/a.png``), not a scheme-relative ``//host/x``."""
    return target.startswith("/") and not target.startswith("//")


def names_file(path: str) -> bool:
    """Whether a link's path ends in a file name with a suffix (``img/a.png``, not ``guide/``)."""
    return not path.endswith("/") and "." in path.rsplit("/", 1)[-1].strip(".")


def split_target(target: str) -> tuple[str, str]:
    """``"a b.md#x"`` → ``("a b.md", "#x")``: the path (percent-decoded) and the rest."""
    cut = len(target)
    for mark in ("#", "?"):
        at = target.find(mark)
        if at != -1:
            cut = min(cut, at)
    return unquote(target[:cut]), target[cut:]


def resolve(folder: str, path: str) -> str | None:
    """``path`` relative to ``folder`` (``/``-separated, in the tree), or None if outside."""
    joined = (
        posixpath.normpath(posixpath.join(folder, path)) if folder else posixpath.normpath(path)
    )
    if joined in (".", "", "..") or joined.startswith(("../", "/")):
        return None
    return joined


def relative(from_folder: str, to_file: str) -> str:
    """A link from a file in ``from_folder`` to ``to_file``, escaped for Markdown."""
    path = posixpath.relpath(to_file, from_folder or ".")
    return "".join(_ESCAPES.get(char, char) for char in path)


_ESCAPES = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "#": "%23", "?": "%3F"}


def _lines(text: str) -> Iterator[tuple[int, str]]:
    position = 0
    while position < len(text):
        end = text.find("\n", position)
        end = len(text) if end == -1 else end
        yield position, text[position:end]
        position = end + 1


def _fence(line: str) -> tuple[str, int] | None:
    stripped = line.lstrip(" \t>")
    if stripped[:3] in ("```", "~~~"):
        char = stripped[0]
        count = len(stripped) - len(stripped.lstrip(char))
        return char, count
    return None


def _prose(line: str) -> Iterator[tuple[int, int]]:
    """The spans of ``line`` outside inline code (backtick runs matched by length)."""
    runs: list[tuple[int, int]] = []
    index = 0
    while index < len(line):
        if line[index] == "`":
            start = index
            while index < len(line) and line[index] == "`":
                index += 1
            runs.append((start, index - start))
        else:
            index += 1
    # For each run, the next run of the same length closes it.
    following: dict[int, list[int]] = {}
    for number, (_, length) in enumerate(runs):
        following.setdefault(length, []).append(number)
    pointer = dict.fromkeys(following, 0)
    start = 0
    number = 0
    while number < len(runs):
        at, length = runs[number]
        queue = following[length]
        while pointer[length] < len(queue) and queue[pointer[length]] <= number:
            pointer[length] += 1
        if pointer[length] < len(queue):
            closing = queue[pointer[length]]
            yield start, at
            close_at, close_length = runs[closing]
            start = close_at + close_length
            number = closing + 1
        else:
            number += 1
    yield start, len(line)


def _inline(line: str, lo: int, hi: int) -> Iterator[tuple[int, int]]:
    """Destinations of ``](dest)`` in ``line[lo:hi]``, as spans of ``line``."""
    index = line.find("](", lo, hi)
    while index != -1:
        start = index + 2
        while start < hi and line[start] in " \t":
            start += 1
        if start < hi and line[start] == "<":
            close = line.find(">", start + 1, hi)
            if close != -1:
                yield start + 1, close
            index = line.find("](", (close if close != -1 else start) + 1, hi)
            continue
        end = start
        depth = 0
        while end < hi:
            char = line[end]
            if char in " \t":
                break
            if char == "\\" and end + 1 < hi:
                end += 2
                continue
            if char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    break
                depth -= 1
            end += 1
        if end > start:
            yield start, end
        index = line.find("](", max(end, start + 1), hi)


def _html(line: str, lo: int, hi: int) -> Iterator[tuple[int, int]]:
    tags = list(_TAG.finditer(line, lo, hi))
    close = lo - 1  # the last '>' found (-1: none left)
    for number, tag in enumerate(tags):
        if close != -1 and close < tag.end():
            close = line.find(">", tag.end(), hi)
        # A tag's attributes end at its '>' or where the next tag starts: the
        # regions never overlap, so the whole line is read once.
        stop = tags[number + 1].start() if number + 1 < len(tags) else hi
        if close != -1:
            stop = min(stop, close)
        for attribute in _ATTRIBUTE.finditer(line, tag.end(), stop):
            for group in (1, 2, 3):
                if attribute.group(group) is not None:
                    yield attribute.start(group), attribute.end(group)
                    break


def find(text: str) -> list[Link]:
    """Every link destination in ``text`` outside code and comments, in order."""
    links: list[Link] = []
    fence: tuple[str, int] | None = None
    in_comment = False
    # A definition cannot interrupt a paragraph: it starts the text, or follows
    # a blank line, a heading or another definition.
    may_define = True
    for offset, line in _lines(text):
        marker = _fence(line)
        if fence is not None:
            if marker is not None and marker[0] == fence[0] and marker[1] >= fence[1]:
                fence = None
                may_define = True
            continue
        if marker is not None and not in_comment:
            fence = marker
            continue
        could_define, may_define = may_define, not line.strip() or line.lstrip().startswith("#")
        spans: list[tuple[int, int]] = []
        lo = 0
        if in_comment:
            end = line.find("-->")
            if end == -1:
                continue
            in_comment = False
            lo = end + 3
        definition = _DEFINITION.match(line, lo) if lo == 0 and could_define else None
        if definition is not None:
            group = 1 if definition.group(1) is not None else 2
            spans.append((definition.start(group), definition.end(group)))
            may_define = True
        else:
            for prose_lo, prose_hi in _prose(line):
                begin = max(prose_lo, lo)
                while begin < prose_hi:
                    comment = line.find("<!--", begin, prose_hi)
                    stop = prose_hi if comment == -1 else comment
                    spans.extend(_inline(line, begin, stop))
                    spans.extend(_html(line, begin, stop))
                    if comment == -1:
                        break
                    close = line.find("-->", comment + 4)
                    if close == -1:
                        in_comment = True
                        break
                    begin = close + 3
                if in_comment:
                    break
        for start, end in sorted(set(spans)):
            links.append(Link(offset + start, offset + end, text[offset + start : offset + end]))
    return links


def replace(text: str, changes: Sequence[tuple[Link, str]]) -> str:
    """``text`` with each link's destination replaced (links as :func:`find` returned them)."""
    out: list[str] = []
    position = 0
    for link, new in sorted(changes, key=lambda change: change[0].start):
        out.append(text[position : link.start])
        out.append(new)
        position = link.end
    out.append(text[position:])
    return "".join(out)


def rewrite(text: str, change: Callable[[Link], str | None]) -> str:
    """``text`` with every destination for which ``change`` returns a new one replaced."""
    changes = [(link, new) for link in find(text) if (new := change(link)) is not None]
    return replace(text, changes) if changes else text
