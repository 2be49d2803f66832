"""Generate ``wikijs/_sync`` from ``wikijs/_async`` (and ``_http/_sync`` from ``_http/_async``).

    scripts/unasync            rewrite wikijs/_sync/ and wikijs/_http/_sync/
    scripts/unasync --check    exit 1 (with a diff) if either is stale

Every resource and pipeline step is written once, as async code; the sync
twin is derived mechanically (the approach of httpcore and hishel), so the
two clients cannot drift. The rewrite works on tokens: it drops ``async``
and ``await``, renames the names in ``REPLACEMENTS`` (and any ``AsyncX`` to
``X``), applies the same renames inside strings and docstrings, and removes
blocks fenced by ``# unasync: async-only`` / ``# unasync: end`` comments.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import tempfile
from pathlib import Path

from tokenize_rt import Token, src_to_tokens, tokens_to_src

ROOT = Path(__file__).resolve().parent.parent
# Each async source folder and the sync folder derived from it: the clients,
# and the HTTP door's exchange and httpx backend.
PAIRS = (
    (ROOT / "wikijs" / "_async", ROOT / "wikijs" / "_sync"),
    (ROOT / "wikijs" / "_http" / "_async", ROOT / "wikijs" / "_http" / "_sync"),
)

REPLACEMENTS = {
    "_async": "_sync",
    "async_client": "client",
    "aclose": "close",
    "aiter_bytes": "iter_bytes",
    "aiter_raw": "iter_raw",
    "aread": "read",
    "async_sleep": "sleep",
    "async_gather_bounded": "gather_bounded",
    "async_enforce_deadlines": "enforce_deadlines",
    "anext": "next",
    "aiter": "iter",
    "aget": "get",
    "aset": "set",
    "adelete": "delete",
    "aclear": "clear",
    "alookup": "lookup",
    "astore": "store",
    "ainvalidate": "invalidate",
    "aenter_context": "enter_context",
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "__aiter__": "__iter__",
    "__anext__": "__next__",
    "asynccontextmanager": "contextmanager",
    "AsyncIterable": "Iterable",
    "AsyncIterator": "Iterator",
    "AsyncGenerator": "Generator",
    "AsyncExitStack": "ExitStack",
    "StopAsyncIteration": "StopIteration",
    "AsyncBaseTransport": "BaseTransport",
    "AsyncHTTPTransport": "HTTPTransport",
}
# `Callable[[X], Awaitable[Y]]` must become `Callable[[X], Y]`.
_AWAITABLE = re.compile(r"Awaitable\[((?:[^\[\]]|\[[^\[\]]*\])*)\]")
_ASYNC_PREFIX = re.compile(r"^Async(?=[A-Z])")
_WORD = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")
_TEXT_ASYNC = re.compile(r"\b(?:await|async)\s+(?=(?:for|with|def)\b)|\bawait\s+")

# Async-only modules (paths relative to the repository): nothing to derive.
ASYNC_ONLY = {
    "wikijs/_async/subscriptions.py",  # websocket subscriptions
    "wikijs/_http/_async/aiohttp.py",  # the async client's own library
}

HEADER = (
    "# Generated from {name} by scripts/unasync. Do not edit:\n"
    "# change the async source and run scripts/unasync.\n\n"
)
START, END = "# unasync: async-only", "# unasync: end"


def rename(name: str) -> str:
    if name in REPLACEMENTS:
        return REPLACEMENTS[name]
    return _ASYNC_PREFIX.sub("", name)


def _rewrite_text(text: str) -> str:
    text = _TEXT_ASYNC.sub("", text)
    return _WORD.sub(lambda m: rename(m.group(0)), text)


def _strip_async_only(source: str) -> str:
    out: list[str] = []
    skipping = False
    for line in source.splitlines(keepends=True):
        stripped = line.strip()
        if stripped == START:
            skipping = True
            continue
        if stripped == END and skipping:
            skipping = False
            continue
        if not skipping:
            out.append(line)
    if skipping:
        raise SystemExit(f"unterminated {START!r} block")
    return "".join(out)


def unasync_source(source: str) -> str:
    source = _AWAITABLE.sub(r"\1", _strip_async_only(source))
    tokens = src_to_tokens(source)
    out: list[Token] = []
    skip_space = False
    for token in tokens:
        if skip_space:
            skip_space = False
            if token.name == "UNIMPORTANT_WS":
                continue
        if token.name == "NAME" and token.src in ("async", "await"):
            skip_space = True
            continue
        if token.name == "NAME":
            token = token._replace(src=rename(token.src))
        elif token.name in ("STRING", "COMMENT"):
            token = token._replace(src=_rewrite_text(token.src))
        out.append(token)
    return tokens_to_src(out)


def build(source: Path, target: Path) -> None:
    for path in sorted(source.rglob("*.py")):
        relative = path.relative_to(source)
        name = path.relative_to(ROOT).as_posix()
        if name in ASYNC_ONLY:
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(
            HEADER.format(name=name) + unasync_source(path.read_text(encoding="utf-8")),
            encoding="utf-8",
        )


def _format(target: Path) -> None:
    import subprocess

    # Name the files: ruff skips a directory that pyproject excludes
    # (".unasync-*", where this runs) but formats files it is given.
    files = [str(path) for path in sorted(target.rglob("*.py"))]
    subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--quiet", *files],
        check=True,
        cwd=ROOT,
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--quiet",
            "--select",
            "I,F401",
            "--fix",
            *files,
        ],
        check=False,
        cwd=ROOT,
    )


def _diff(expected: Path, actual: Path) -> list[str]:
    problems: list[str] = []
    expected_files = {p.relative_to(expected) for p in expected.rglob("*.py")}
    actual_files = (
        {p.relative_to(actual) for p in actual.rglob("*.py")} if actual.exists() else set()
    )
    for missing in sorted(expected_files - actual_files):
        problems.append(f"missing: {missing}")
    for stale in sorted(actual_files - expected_files):
        problems.append(f"stale: {stale}")
    for name in sorted(expected_files & actual_files):
        left = (actual / name).read_text(encoding="utf-8").splitlines(keepends=True)
        right = (expected / name).read_text(encoding="utf-8").splitlines(keepends=True)
        if left != right:
            problems.append(
                "".join(difflib.unified_diff(left, right, f"committed/{name}", f"fresh/{name}"))
            )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="unasync", description="Derive wikijs/_sync from wikijs/_async."
    )
    parser.add_argument("--check", action="store_true", help="fail if wikijs/_sync is stale")
    args = parser.parse_args(argv)
    status = 0
    for source, target in PAIRS:
        shown = target.relative_to(ROOT).as_posix()
        with tempfile.TemporaryDirectory(prefix=".unasync-", dir=ROOT) as tmp:
            fresh = Path(tmp) / target.name
            build(source, fresh)
            _format(fresh)
            if args.check:
                problems = _diff(fresh, target)
                if problems:
                    print(f"{shown} is not what scripts/unasync produces:\n", file=sys.stderr)
                    print("\n".join(problems), file=sys.stderr)
                    status = 1
                else:
                    print(f"{shown} is up to date")
                continue
            import shutil

            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(fresh, target)
        print(f"regenerated {shown}")
    return status


if __name__ == "__main__":
    sys.exit(main())
