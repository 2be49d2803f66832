"""Front matter at the top of a Markdown file: YAML between ``---`` fences, through ruamel.yaml.

Reading accepts any YAML whose top level is a mapping (block scalars,
nested values, dates, anchors: what documentation sites write) and says
which line is wrong otherwise. Writing comes in two forms:

- :func:`dump` writes a fresh block, every string double-quoted with YAML's
  escapes (``\\L`` for U+2028 …), so that it always reads back as written;
- :func:`rewrite` changes some keys of an existing block and keeps every
  other byte of it: comments, order, quoting and the keys the wiki does not
  store. Only the lines of a changed key are replaced (a new key is added
  at the end); the result is read back and compared before it is used.

Fences are found on ``\\n``-separated lines only: U+2028 and the other
characters :meth:`str.splitlines` also breaks on are text here, as in YAML.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ruamel.yaml import YAML

_FENCE = "---"
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


class FrontMatterError(ValueError):
    """The front matter cannot be read (or rewritten); says which line of the file."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"front matter line {line}: {message}")
        self.line = line


@dataclass(frozen=True)
class Block:
    """A file's front matter: its values and the text between the fences, as written.

    ``newline`` is the line ending the block uses (``"\\n"`` or ``"\\r\\n"``).
    """

    values: dict[str, Any]
    text: str
    newline: str = "\n"


def _yaml() -> YAML:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 1 << 30  # never fold a long value over lines
    yaml.allow_unicode = True
    return yaml


def read(text: str) -> tuple[Block | None, str]:
    """``(front matter or None, body)``; the body is exactly what follows the closing fence.

    Raises:
        FrontMatterError: no closing fence, YAML that does not parse, or a
            top level that is not ``key: value`` pairs.
    """
    found = _span(text)
    if found is None:
        return None, text
    newline, start, stop, body_start = found
    block = text[start:stop]
    return Block(parse(block), block, newline), text[body_start:]


def head(text: str) -> str:
    """The part of ``text`` before its body: the front matter with its fences
    as written, or ``""`` (the YAML is not read).

    Raises:
        FrontMatterError: an opening fence without a closing one.
    """
    found = _span(text)
    return "" if found is None else text[: found[3]]


def _span(text: str) -> tuple[str, int, int, int] | None:
    """``(newline, where the block starts, where it stops, where the body starts)``."""
    for newline in ("\n", "\r\n"):
        if text.startswith(_FENCE + newline):
            break
    else:
        return None
    start = len(_FENCE) + len(newline)
    position = start
    while position <= len(text):
        end = text.find("\n", position)
        line_end = len(text) if end == -1 else end
        if text[position:line_end].rstrip("\r") == _FENCE:
            return newline, start, position, len(text) if end == -1 else end + 1
        if end == -1:
            break
        position = end + 1
    raise FrontMatterError(1, "the opening '---' has no closing '---'")


def split(text: str) -> tuple[dict[str, Any] | None, str]:
    """``(front matter values or None, body)`` (see :func:`read`)."""
    block, body = read(text)
    return (None if block is None else block.values), body


def parse(block: str) -> dict[str, Any]:
    """The key/value pairs of a front matter block (the text between the fences).

    Raises:
        FrontMatterError: the YAML does not parse or is not a mapping.
    """
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        loaded = _yaml().load(block)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark is not None else 2
        problem = exc.problem or exc.context or "not YAML"
        raise FrontMatterError(line, f"{problem} (YAML)") from None
    except YAMLError as exc:
        raise FrontMatterError(2, f"not YAML: {' '.join(str(exc).split())}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise FrontMatterError(2, "expected 'key: value' lines, not a single value or a list")
    for key in loaded:
        if not isinstance(key, str):
            raise FrontMatterError(_line_of(loaded, key), f"the key {key!r} is not text")
    return loaded


def _line_of(mapping: Any, key: Any) -> int:
    try:
        return int(mapping.lc.key(key)[0]) + 2
    except (AttributeError, KeyError, TypeError):
        return 2


def _styled(value: Any) -> Any:
    """``value`` with every string double-quoted and lists in flow style, for :func:`dump`."""
    from ruamel.yaml.comments import CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, (list, tuple)):
        items = CommentedSeq([_styled(item) for item in value])
        items.fa.set_flow_style()
        return items
    return DoubleQuotedScalarString(str(value))


def _emit(fields: Mapping[str, Any], newline: str = "\n") -> str:
    from ruamel.yaml.comments import CommentedMap

    mapping = CommentedMap()
    for key, value in fields.items():
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise ValueError(f"front matter key {key!r} is not a plain name")
        mapping[key] = _styled(value)
    out = io.StringIO()
    if mapping:
        _yaml().dump(mapping, out)
    return out.getvalue().replace("\n", newline)


def dump(fields: Mapping[str, Any]) -> str:
    """A front matter block, fences included, ending with a newline.

    Example:
        >>> print(dump({"title": "Hi", "tags": ["a", "b c"], "published": True}), end="")
        ---
        title: "Hi"
        tags: ["a", "b c"]
        published: true
        ---
    """
    return f"{_FENCE}\n{_emit(fields)}{_FENCE}\n"


def rewrite(block: Block | None, changes: Mapping[str, Any]) -> str:
    """The front matter with ``changes`` applied, fences included.

    Keys not in ``changes`` keep their bytes; a changed key's lines are
    replaced by the key written as :func:`dump` writes it, a new key goes
    at the end. Without changes the block is returned as it was.

    Raises:
        FrontMatterError: the result would not read back as intended.
    """
    if block is None:
        return dump(changes) if changes else ""
    newline = block.newline
    fence = _FENCE + newline
    if not changes:
        return fence + block.text + fence
    expected = {**block.values, **{key: _plain(value) for key, value in changes.items()}}
    for write in (_splice, _redump):
        text = write(block, changes)
        try:
            if _same(parse(text), expected, set(changes)):
                return fence + text + fence
        except FrontMatterError:
            continue
    raise FrontMatterError(2, "cannot rewrite the front matter and keep the rest of it")


def _redump(block: Block, changes: Mapping[str, Any]) -> str:
    """The whole block written again by ruamel.yaml (keeps comments and order, not every byte)."""
    from ruamel.yaml.comments import CommentedMap

    mapping = copy.deepcopy(block.values)
    if not isinstance(mapping, CommentedMap):
        mapping = CommentedMap(mapping)
    for key, value in changes.items():
        mapping[key] = _styled(value)
    out = io.StringIO()
    _yaml().dump(mapping, out)
    return out.getvalue().replace("\n", block.newline)


def _splice(block: Block, changes: Mapping[str, Any]) -> str:
    """Replace the lines of each changed top-level key; append the new ones."""
    newline = block.newline
    lines = block.text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the block's last line ends with a newline
    values = block.values
    starts = sorted(_line_of(values, key) - 2 for key in values)
    spans: dict[str, tuple[int, int]] = {}
    for key in values:
        first = _line_of(values, key) - 2
        following = [line for line in starts if line > first]
        end = following[0] if following else len(lines)
        while end > first + 1 and _trailing(lines[end - 1]):
            end -= 1
        spans[key] = (first, end)
    replaced: dict[int, tuple[int, str]] = {}
    added: list[str] = []
    for key, value in changes.items():
        snippet = _emit({key: value}, newline).rstrip("\r\n")
        if key in spans:
            first, end = spans[key]
            replaced[first] = (end, snippet)
        else:
            added.append(snippet)
    out: list[str] = []
    index = 0
    while index < len(lines):
        if index in replaced:
            end, snippet = replaced[index]
            out.extend(snippet.replace("\r", "").split("\n"))
            index = end
            continue
        out.append(lines[index].rstrip("\r"))
        index += 1
    for snippet in added:
        out.extend(snippet.replace("\r", "").split("\n"))
    # Lines of the original keep their own ending ("\r" is put back for CRLF).
    return "".join(line + newline for line in out)


def _trailing(line: str) -> bool:
    """A blank line or a comment at the left margin: it belongs to what follows."""
    stripped = line.rstrip("\r")
    return not stripped.strip() or stripped.startswith("#")


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _same(got: Mapping[str, Any], expected: Mapping[str, Any], changed: set[str]) -> bool:
    """Whether two front matters hold the same keys, in order, with equal values.

    A changed key compares by value; the others as YAML text, which
    compares an alias-heavy value in linear time where ``==`` would walk
    every path.
    """
    if list(got) != list(expected):
        return False
    return all(
        _plain_tree(got[key]) == _plain_tree(expected[key])
        if key in changed
        else _text_of(got[key]) == _text_of(expected[key])
        for key in got
    )


def _text_of(value: Any) -> str:
    out = io.StringIO()
    _yaml().dump({"v": value}, out)
    return out.getvalue()


def _plain_tree(value: Any) -> Any:
    """A written value as plain Python: quoting styles and flow markers dropped."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain_tree(item) for item in value]
    return value
