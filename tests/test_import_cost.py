"""`import wikijs` stays cheap: heavy dependencies load when first used.

Each check runs in a fresh interpreter and reads ``sys.modules``: what an
import pulls in is a fact of the process, not of a test's shared state.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("graphql", "pydantic", "httpx", "wikijs._generated.client", "wikijs._sync.batching")


def loaded_after(code: str) -> set[str]:
    """The top-level and ``wikijs.*`` modules a fresh interpreter holds after ``code``."""
    script = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_import_wikijs_loads_no_graphql_pydantic_httpx_or_generated_code() -> None:
    loaded = loaded_after("import wikijs")
    assert not loaded & set(HEAVY), loaded & set(HEAVY)
    assert sorted(m for m in loaded if m.startswith("wikijs")) == ["wikijs", "wikijs._version"]


@pytest.mark.parametrize("name", ["WikiJSClient", "NotFoundError", "APIKeyAuth", "BatchResult"])
def test_every_public_name_is_still_importable_from_the_package(name: str) -> None:
    import wikijs

    assert getattr(wikijs, name).__name__ == name
    assert name in dir(wikijs)


def test_an_unknown_name_is_an_attribute_error() -> None:
    import wikijs

    with pytest.raises(AttributeError, match="no attribute 'PageCreat'"):
        wikijs.PageCreat  # noqa: B018


def test_creating_a_client_loads_neither_graphql_nor_the_generated_client() -> None:
    loaded = loaded_after(
        "from wikijs import WikiJSClient\n"
        "from wikijs.aio import AsyncWikiJSClient\n"
        "WikiJSClient('https://wiki.example.com', auth='KEY')\n"
        "AsyncWikiJSClient('https://wiki.example.com', auth='KEY')"
    )
    lazy = {
        "graphql",
        "wikijs._generated.client",
        "wikijs._generated.async_client",
        "wikijs._generated.fragments",
        "wikijs._sync.batching",
        "wikijs._async.batching",
        "wikijs.cache",
        "wikijs._protocol.cache_keys",
    }
    assert not loaded & lazy, loaded & lazy


def test_the_cli_help_loads_no_client() -> None:
    loaded = loaded_after(
        "import contextlib, io\n"
        "from wikijs.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['--help']) == 0"
    )
    assert not loaded & {"httpx", "pydantic", "graphql", "wikijs._sync.client"}


def test_neither_the_package_nor_the_cli_loads_the_mcp_sdk() -> None:
    loaded = loaded_after(
        "import wikijs, wikijs.aio, wikijs.models, wikijs.errors\n"
        "import contextlib, io\n"
        "from wikijs.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['--help']) == 0\n"
        "    assert main(['mcp', '--help']) == 0"
    )
    assert not {name for name in loaded if name.split(".")[0] in ("mcp", "mcp_types")}
    assert "wikijs.mcp" not in loaded
