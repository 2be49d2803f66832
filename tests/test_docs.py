"""Every ```python block in docs/ and README.md runs as it is written.

A page's blocks run in order in one namespace that starts empty, so that an
example pasted from the page works as it stands: a guide page starts with
the one setup block its examples need, which serves a fake Wiki.js on
loopback and defines ``url`` and ``api_key`` (and ``client`` where the
examples use one). Whatever the page leaves open (its fakes, its clients)
is closed afterwards. A block whose opening fence is preceded by
``<!-- no-run -->`` is shown only (shell snippets are never run).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from wikijs import WikiJSClient
from wikijs.testing import FakeWikiJS

ROOT = Path(__file__).resolve().parent.parent
PAGES = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
FENCE = re.compile(r"(<!-- no-run -->\s*)?```python\n(.*?)```", re.DOTALL)
# Pages of the site that the README does not list with the guide: the site's
# entry page (the README links it on its own) and the changelog, which
# includes CHANGELOG.md (the README links that file).
SITE_ONLY = {"index.md", "changelog.md"}


def python_blocks(path: Path) -> list[str]:
    return [code for skip, code in FENCE.findall(path.read_text(encoding="utf-8")) if not skip]


def close_what_is_left(namespace: dict[str, Any]) -> None:
    for value in namespace.values():
        if isinstance(value, WikiJSClient):
            value.close()
    for value in namespace.values():
        if isinstance(value, FakeWikiJS):
            value.close()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_examples_run_as_written(page: Path) -> None:
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    try:
        for index, code in enumerate(python_blocks(page)):
            exec(compile(code, f"{page.name}[block {index}]", "exec"), namespace)
    finally:
        close_what_is_left(namespace)


def test_a_page_that_uses_the_setup_names_starts_with_the_setup_block() -> None:
    for page in PAGES:
        blocks = python_blocks(page)
        # `url` or `api_key` read as a name (not `fake.url`, not `url=` or `url = ...`)
        if any(re.search(r"(?<![\w.])(url|api_key)\b(?!\s*=[^=])", code) for code in blocks):
            assert "fake.start()" in blocks[0], f"{page.name}: the first block is not the setup"


def test_every_docs_page_is_linked_from_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in sorted((ROOT / "docs").glob("*.md")):
        if page.name not in SITE_ONLY:
            assert f"docs/{page.name}" in readme, f"README does not link docs/{page.name}"
    assert "docs/index.md" in readme
    assert "CHANGELOG.md" in readme
