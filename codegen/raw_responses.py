"""The ``with_raw_response`` classes of the resources, written from their methods.

``client.pages.with_raw_response.get(12)`` answers ``RawResponse[Page]``: each
resource module in ``wikijs/_async/resources/`` ends with a class declaring,
for type checkers, every method of its resource that answers once (an
``async def`` without ``yield``), with the same parameters (overloads
included) and the result wrapped in ``RawResponse[...]``. At run time one
wrapper serves them all (``AsyncWithRawResponse`` in ``_base.py``), so only
the declarations are written here: between two marker comments at the end
of the module, by ``scripts/unasync`` before it derives ``wikijs/_sync``
(``--check`` fails when a block is stale).
"""

from __future__ import annotations

import ast
import copy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "wikijs" / "_async" / "resources"
BEGIN = "# -- with_raw_response: written by scripts/unasync from the methods above; do not edit"
END = "# -- end with_raw_response"
BASE = "AsyncResource"
RAW_BASE = "AsyncWithRawResponse"
LINE_LENGTH = 100  # ruff's, in pyproject.toml


class RawResponseError(Exception):
    """A resource module lacks what its block needs."""


def _yields(function: ast.AsyncFunctionDef) -> bool:
    """Whether the function is a generator (its own body yields, not a nested one's)."""
    pending: list[ast.AST] = list(function.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        pending.extend(ast.iter_child_nodes(node))
    return False


def _is_overload(decorator: ast.expr) -> bool:
    return (isinstance(decorator, ast.Name) and decorator.id == "overload") or (
        isinstance(decorator, ast.Attribute) and decorator.attr == "overload"
    )


def _module_names(tree: ast.Module) -> set[str]:
    """Names the module binds at its top level (imports included, TYPE_CHECKING ones too)."""
    names: set[str] = set()
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.If):
            pending.extend(node.body + node.orelse)
        elif isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
    return names


def _attribute(class_name: str) -> str:
    """``AsyncApiKeys`` → ``api_keys`` (as ``_base._resource_name``)."""
    name = class_name.removeprefix("Async")
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def _declaration(method: ast.AsyncFunctionDef, resource: str) -> str:
    node = copy.deepcopy(method)
    overloaded = any(_is_overload(d) for d in node.decorator_list)
    node.decorator_list = [d for d in node.decorator_list if _is_overload(d)]
    result = node.returns if node.returns is not None else ast.Constant(None)
    node.returns = ast.Subscript(value=ast.Name("RawResponse"), slice=result)
    ellipsis = ast.Expr(ast.Constant(Ellipsis))
    if overloaded:
        node.body = [ellipsis]
    else:
        doc = f"Same as :meth:`{resource}.{method.name}`, with its HTTP exchanges."
        if len(doc) + 18 > LINE_LENGTH:  # indented 12, between triple quotes
            doc = doc.replace(", with its HTTP", ",\n    with its HTTP")
        node.body = [ast.Expr(ast.Constant(doc)), ellipsis]
    return ast.unparse(ast.fix_missing_locations(node))


def raw_block(source: str, module: str) -> str | None:
    """The block for a resource module's source (``None``: nothing answers once)."""
    tree = ast.parse(source)
    resources = [
        node
        for node in tree.body
        if isinstance(node, ast.ClassDef)
        and any(isinstance(b, ast.Name) and b.id == BASE for b in node.bases)
    ]
    if len(resources) != 1:
        return None
    resource = resources[0]
    methods = [
        node
        for node in resource.body
        if isinstance(node, ast.AsyncFunctionDef)
        and not node.name.startswith("_")
        and not _yields(node)
    ]
    if not methods:
        return None
    raw_class = f"{resource.name}WithRawResponse"
    needed = {"TYPE_CHECKING", RAW_BASE, "RawResponse"}
    if any(_is_overload(d) for m in methods for d in m.decorator_list):
        needed.add("overload")
    missing = needed - _module_names(tree)
    if missing:
        raise RawResponseError(f"{module}: import {', '.join(sorted(missing))} for its block")
    if not any(
        isinstance(node, ast.FunctionDef) and node.name == "with_raw_response"
        for node in resource.body
    ):
        raise RawResponseError(
            f"{module}: {resource.name} needs its accessor:\n\n"
            "    @cached_property\n"
            f"    def with_raw_response(self) -> {raw_class}:\n"
            '        """These methods, each answering a RawResponse (``docs/options.md``)."""\n'
            f"        return {raw_class}(self)\n"
        )
    names = sorted({m.name for m in methods})
    attribute = _attribute(resource.name)
    lines = [
        BEGIN,
        "",
        "",
        f"class {raw_class}({RAW_BASE}):",
        f'    """``client.{attribute}``, each method answering a :class:`~wikijs.RawResponse`.',
        "",
        f"    Its methods are those of :class:`{resource.name}` that send their requests at",
        "    once; each answers what the method returns (``parsed``) with the HTTP",
        "    exchanges it came from.",
        '    """',
        "",
        f"    _methods = frozenset({{{', '.join(map(repr, names))}}})",
        "",
        "    if TYPE_CHECKING:",
    ]
    for method in methods:
        declared = _declaration(method, resource.name)
        lines.append("")
        lines.extend(f"        {line}" if line else "" for line in declared.splitlines())
    lines += ["", "", END, ""]
    return "\n".join(lines)


def with_block(source: str, block: str | None) -> str:
    """``source`` with its block replaced (or appended)."""
    start = source.find(BEGIN)
    if start >= 0:
        end = source.index(END, start) + len(END)
        head, tail = source[:start].rstrip("\n"), source[end:].lstrip("\n")
        source = head + "\n" + (("\n\n" + tail) if tail else "")
    if block is None:
        return source
    return source.rstrip("\n") + "\n\n\n" + block


def _format(source: str, path: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(path), "-"],
        input=source,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return result.stdout


def update(*, check: bool) -> list[str]:
    """Write (or with ``check``, compare) every resource module's block.

    Returns the problems: stale modules when checking, or modules that lack
    what their block needs.
    """
    problems: list[str] = []
    for path in sorted(RESOURCES.glob("*.py")):
        if path.name.startswith("_"):
            continue
        source = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT).as_posix()
        try:
            block = raw_block(source, name)
        except RawResponseError as exc:
            problems.append(str(exc))
            continue
        fresh = _format(with_block(source, block), path)
        if fresh == source:
            continue
        if check:
            problems.append(f"{name}: its with_raw_response block is stale")
        else:
            path.write_text(fresh, encoding="utf-8")
            print(f"rewrote the with_raw_response block of {name}")
    return problems
