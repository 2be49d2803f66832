"""mypy and pyright see views and raw responses as users write them.

A user's script, type-checked in strict mode by both checkers against the
installed package (as ``tests/test_wheel.py`` does for the wheel):
``with_options`` answers the client's own class, so its resources keep their
signatures, and ``with_raw_response.get(1)`` is a ``RawResponse[Page]``; a
wrong argument, a misspelt option and an iterator without a raw form are
errors.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from test_wheel import mypy_findings, pyright_findings, short

USER_SCRIPT = textwrap.dedent(
    """\
    from wikijs import WikiJSClient
    from wikijs.aio import AsyncWikiJSClient
    from wikijs.models import Page


    def main() -> None:
        client = WikiJSClient("https://wiki.example.com", auth="KEY")
        raw = client.pages.with_raw_response.get(1)
        reveal_type(raw)
        reveal_type(raw.parsed)
        reveal_type(raw.status_code)
        reveal_type(client.with_options(timeout=5, headers={"X-Trace": "1"}))
        reveal_type(client.with_options(deadline=600).pages.get(1))
        reveal_type(client.pages.with_raw_response.create(title="T", path="p", content="c"))
        reveal_type(client.assets.with_raw_response.download(1))
        client.pages.with_raw_response.get("1")
        client.with_options(timeot=5)
        client.pages.with_raw_response.iter_all()


    async def amain() -> Page:
        async with AsyncWikiJSClient("https://wiki.example.com") as client:
            raw = await client.pages.with_raw_response.get(1)
            reveal_type(raw)
            reveal_type(client.with_options(retry_strategy=None))
            reveal_type(await client.users.with_raw_response.list())
            return raw.parsed
    """
)
REVEALS = {
    9: "RawResponse[Page]",
    10: "Page",
    11: "int",
    12: "WikiJSClient",
    13: "Page",
    14: "RawResponse[Page]",
    15: "RawResponse[bytes]",
    24: "RawResponse[Page]",
    25: "AsyncWikiJSClient",
    26: "RawResponse[list[UserMinimal]]",
}
ERROR_LINES = {16, 17, 18}  # get("1"), timeot=, iter_all


@pytest.fixture
def user_project(tmp_path: Path) -> Path:
    (tmp_path / "user.py").write_text(USER_SCRIPT)
    (tmp_path / "pyrightconfig.json").write_text('{"typeCheckingMode": "strict"}')
    return tmp_path


@pytest.mark.parametrize("checker", [mypy_findings, pyright_findings])
def test_checkers_see_views_and_raw_responses(
    checker: Callable[[Path, Path], tuple[dict[int, str], set[int]]], user_project: Path
) -> None:
    reveals, errors = checker(Path(sys.executable), user_project)
    assert {line: short(t) for line, t in reveals.items()} == REVEALS
    assert errors == ERROR_LINES
