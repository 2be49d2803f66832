"""Run the command line in-process against a fresh fake Wiki.js.

``run(*args)`` invokes ``wikijs`` through click's ``CliRunner`` with the
fake's URL and API key appended (``connect=False`` leaves them out) and the
fake's in-process transport injected through :class:`Runtime`, the hidden
context object. The environment is clean: no ``WIKIJS_*`` variables, and
``XDG_CONFIG_HOME`` points into the test's temporary folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner, Result

from wikijs.cli._app import cli
from wikijs.cli._session import Runtime

if TYPE_CHECKING:
    from wikijs.testing import FakeWikiJS

Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in list(os.environ):
        if name.startswith("WIKIJS_"):
            monkeypatch.delenv(name)
    config_home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config_home))
    return config_home


@pytest.fixture
def runtime(fake: FakeWikiJS) -> Runtime:
    return Runtime(transport=fake.sync_transport(), sleep=lambda seconds: None)


@pytest.fixture
def run(fake: FakeWikiJS, runtime: Runtime) -> Run:
    def invoke(
        *args: str,
        connect: bool = True,
        input: str | None = None,
        env: dict[str, str] | None = None,
        obj: Any = None,
    ) -> Result:
        argv = list(args)
        if connect:
            argv += ["--url", fake.url, "--api-key", fake.api_key]
        return CliRunner().invoke(
            cli, argv, input=input, env=env, obj=runtime if obj is None else obj
        )

    return invoke


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def install_locales(fake: FakeWikiJS, *codes: str) -> None:
    """Install locales on the wiki, as an admin does before writing pages in them."""
    for code in codes:
        fake.install_locale(code)
