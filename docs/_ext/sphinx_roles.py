"""A Griffe extension: the SDK's reST habits in docstrings, read as Markdown.

The docstrings are Google style with two reST habits, as Python docstrings
often have; mkdocstrings reads Markdown. This rewrites them before they are
rendered (the approach mkdocstrings' maintainer suggests for docstring
conventions of one's own):

* roles become cross-references (``[title][identifier]``):
  ``:class:`~a.b.C``` shows ``C``, ``:class:`a.b.C``` shows ``a.b.C``, and
  ``:meth:`get``` shows ``get()``, resolved in the docstring's scope
  (``scoped_crossrefs`` in mkdocs.yml) as Python would resolve the name. A
  target inside a private module (``wikijs._protocol.retry.decide``) has no
  reference page: it stays code, unlinked. Any other target that does not
  resolve fails ``mkdocs build --strict``, so a broken reference in a
  docstring is caught rather than rendered as a dead link;
* a paragraph ending in ``::`` (``Example::``) introduces the indented
  block after it as code: it becomes ``Example:`` and a fenced block
  (Python when the block parses as Python).
"""

from __future__ import annotations

import ast
import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:py:)?(class|func|meth|attr|mod|exc|data|obj):`(~?)([\w.]+)`")
CALLABLE_ROLES = {"func", "meth"}


def is_private(target: str) -> bool:
    return any(part.startswith("_") and not part.startswith("__") for part in target.split("."))


def role_to_markdown(match: re.Match[str]) -> str:
    role, short, target = match.groups()
    title = target.rsplit(".", 1)[-1] if short else target
    if role in CALLABLE_ROLES:
        title += "()"
    if is_private(target):
        return f"`{title}`"
    return f"[`{title}`][{target}]"


def indentation(line: str) -> int:
    return len(line) - len(line.lstrip())


def language(code: str) -> str:
    try:
        ast.parse(code, feature_version=(3, 10))
    except SyntaxError:
        try:  # an example written as the body of an async function
            compile(code, "<docstring>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        except SyntaxError:
            return "text"
    return "python"


def literal_blocks(text: str) -> str:
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.rstrip().endswith("::"):
            out.append(line)
            i += 1
            continue
        indent = indentation(line)
        start = i + 1
        while start < len(lines) and not lines[start].strip():
            start += 1
        if start == len(lines) or indentation(lines[start]) <= indent:
            out.append(line)
            i += 1
            continue
        end = start
        while end < len(lines) and (not lines[end].strip() or indentation(lines[end]) > indent):
            end += 1
        while not lines[end - 1].strip():
            end -= 1
        block = lines[start:end]
        block_indent = min(indentation(b) for b in block if b.strip())
        head = line.rstrip()[:-2].rstrip()
        code = "\n".join(b[block_indent:] for b in block)
        pad = " " * indent
        if head.strip():
            out += [head + ":", ""]
        out.append(f"{pad}```{language(code)}")
        out += [pad + b[block_indent:] if b.strip() else "" for b in block]
        out.append(f"{pad}```")
        i = end
    return "\n".join(out)


def convert(text: str) -> str:
    return literal_blocks(ROLE.sub(role_to_markdown, text))


class SphinxRoles(griffe.Extension):
    """Rewrite every docstring Griffe loads."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = convert(obj.docstring.value)
