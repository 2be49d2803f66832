"""Front matter at the top of a Markdown file: a small, strict YAML subset.

Accepted between a first line ``---`` and the next ``---`` line::

    title: "Getting started"      # double-quoted (JSON escapes), single-quoted or plain
    tags: [docs, "two words"]     # a flow list ...
    aliases:                      # ... or a block list
      - one
      - two
    published: true              # true/false/yes/no, integers, null/~

Anything else (nested mappings, multi-line scalars, anchors) is refused
with the line number rather than guessed at. What :func:`dump` writes is
plain YAML that any YAML parser reads the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*:(?:\s+(.*))?$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_BOOLEANS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
_FENCE = "---"


class FrontMatterError(ValueError):
    """The front matter is outside the supported subset; says which line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"front matter line {line}: {message}")
        self.line = line


def split(text: str) -> tuple[dict[str, Any] | None, str]:
    """``(front matter or None, body)``; the body is exactly what follows the closing fence."""
    if not text.startswith((_FENCE + "\n", _FENCE + "\r\n")):
        return None, text
    start = text.index("\n") + 1
    position = start
    while position < len(text):
        end = text.find("\n", position)
        line_end = len(text) if end == -1 else end
        if text[position:line_end].rstrip("\r") == _FENCE:
            body_start = len(text) if end == -1 else end + 1
            return parse(text[start:position]), text[body_start:]
        if end == -1:
            break
        position = end + 1
    raise FrontMatterError(1, "the opening '---' has no closing '---'")


def parse(block: str) -> dict[str, Any]:
    """The key/value pairs of a front matter block (without its fences)."""
    result: dict[str, Any] = {}
    lines = block.splitlines()
    index = 0
    while index < len(lines):
        number, line = index + 2, _strip_comment(lines[index]).rstrip()
        index += 1
        if not line.strip():
            continue
        if line[0].isspace():
            raise FrontMatterError(
                number, "unexpected indentation (nested values are not supported)"
            )
        match = _KEY.match(line)
        if match is None:
            raise FrontMatterError(number, "expected 'key: value'")
        key, raw = match.group(1), (match.group(2) or "").strip()
        if key in result:
            raise FrontMatterError(number, f"{key!r} appears twice")
        if raw:
            result[key] = _value(raw, number)
            continue
        items: list[Any] = []
        while index < len(lines):
            item = _strip_comment(lines[index]).rstrip()
            stripped = item.strip()
            if not stripped:
                index += 1
                continue
            if not stripped.startswith("- ") and stripped != "-":
                break
            if not item[0].isspace() and not item.startswith("-"):
                break
            items.append(_scalar(stripped[1:].strip(), index + 2) if stripped != "-" else None)
            index += 1
        result[key] = items if items else None
    return result


def _strip_comment(line: str) -> str:
    """Drop a ``# comment`` that is outside quotes."""
    quote: str | None = None
    escaped = False
    for position, char in enumerate(line):
        if quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#" and (position == 0 or line[position - 1].isspace()):
            return line[:position]
    return line


def _value(raw: str, number: int) -> Any:
    if raw.startswith("["):
        if not raw.endswith("]"):
            raise FrontMatterError(number, "a '[' list must close on the same line")
        inner = raw[1:-1].strip()
        return (
            [_scalar(part.strip(), number) for part in _split_items(inner, number)] if inner else []
        )
    if raw[0] in "{|>&*!":
        raise FrontMatterError(number, f"values starting with {raw[0]!r} are not supported")
    return _scalar(raw, number)


def _split_items(inner: str, number: int) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quote: str | None = None
    escaped = False
    for char in inner:
        if quote:
            current.append(char)
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote = None
        elif char in "\"'":
            quote = char
            current.append(char)
        elif char == ",":
            parts.append("".join(current))
            current = []
        elif char in "[]{}":
            raise FrontMatterError(number, "nested lists are not supported")
        else:
            current.append(char)
    if quote:
        raise FrontMatterError(number, "unterminated quoted string")
    parts.append("".join(current))
    return parts


def _scalar(raw: str, number: int) -> Any:
    if not raw:
        return None
    if raw.startswith('"'):
        try:
            value = json.loads(raw)
        except ValueError:
            raise FrontMatterError(number, f"bad double-quoted string {raw}") from None
        if not isinstance(value, str):  # pragma: no cover - json.loads of '"…"' is a str
            raise FrontMatterError(number, f"bad double-quoted string {raw}")
        return value
    if raw.startswith("'"):
        if len(raw) < 2 or not raw.endswith("'") or "'" in raw[1:-1].replace("''", ""):
            raise FrontMatterError(number, f"bad single-quoted string {raw}")
        return raw[1:-1].replace("''", "'")
    lowered = raw.lower()
    if lowered in _BOOLEANS:
        return _BOOLEANS[lowered]
    if lowered in ("null", "~"):
        return None
    if _INT.match(raw):
        return int(raw)
    return raw


def _quote(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


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
    lines = [_FENCE]
    for key, value in fields.items():
        if not _KEY.match(f"{key}:"):
            raise ValueError(f"front matter key {key!r} is not a plain name")
        if isinstance(value, (list, tuple)):
            lines.append(f"{key}: [{', '.join(_quote(item) for item in value)}]")
        else:
            lines.append(f"{key}: {_quote(value)}")
    lines.append(_FENCE)
    return "\n".join(lines) + "\n"
