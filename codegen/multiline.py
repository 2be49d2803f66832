"""ariadne-codegen's multi-line query strings, written the same but in linear time.

ariadne-codegen 0.19.0 turns each operation's ``'line\\n' 'line\\n' ...`` into a
triple-quoted string with ``re.finditer(r".*?=.*?('.*?'\\s*){2,}", source)`` over
the whole client module (``ariadne_codegen.utils.format_multiline_strings``).
The pattern has no anchor, so the engine retries from every character of every
long query line and each try scans to the line's end: quadratic in the line's
length, about 20 s of CPU per client module here (two per generation), most of
``scripts/generate``'s time.

:func:`format_multiline_strings` finds the same matches, tried only where a
match can begin: where the search starts, where the previous match ended, and
at the start of each line. A try that fails at a position fails at every later
position of the same line (``.`` does not cross a newline, so a match from
there would also be one from the earlier position), and a try at the newline
itself cannot match (``=`` is needed first). Each match is rewritten by
upstream's own converter (``convert_to_multiline_string``), so the output is
the same byte for byte (``tests/test_codegen.py`` compares the two); the
``ariadne-codegen==0.19.0`` pin in pyproject keeps the function it replaces
the one described here.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from ariadne_codegen import utils

_ASSIGNED_STRINGS = re.compile(r".*?=.*?('.*?'\s*){2,}")  # upstream's pattern
_QUOTED_RUN = re.compile("'.*'")


def format_multiline_strings(source: str, offset: int = 4) -> str:
    """``ariadne_codegen.utils.format_multiline_strings``, without retrying mid-line.

    Each assignment of adjacent quoted strings is rewritten as one
    triple-quoted string by upstream's own converter, indented as the line is.
    """
    rewrites: list[tuple[str, str]] = []
    for line in _assignments(source):
        quoted = _QUOTED_RUN.search(line)
        if quoted is not None:
            indent = utils.get_variable_indent_size(line)
            block = utils.convert_to_multiline_string(
                quoted.group(), variable_indent_size=indent, offset=offset
            )
            rewrites.append((quoted.group(), block))
    for before, after in rewrites:  # in order, each over the text so far (as upstream does)
        source = source.replace(before, after)
    return source


def _assignments(source: str) -> Iterator[str]:
    """The matches of upstream's pattern, left to right, each tried only where one
    can begin: the start, the end of the last match, and each line's start."""
    position = 0
    while True:
        match = _ASSIGNED_STRINGS.match(source, position)
        if match is not None:
            yield match.group()
            position = match.end()
            continue
        newline = source.find("\n", position)
        if newline < 0:
            return
        position = newline + 1


@contextlib.contextmanager
def installed() -> Iterator[None]:
    """ariadne-codegen uses :func:`format_multiline_strings` while this is open."""
    upstream = utils.format_multiline_strings
    utils.format_multiline_strings = format_multiline_strings
    try:
        yield
    finally:
        utils.format_multiline_strings = upstream
