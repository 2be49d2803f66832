"""The docstring rewriting behind the API reference (docs/_ext/sphinx_roles.py).

The site itself is built and looked at by ``scripts/check-site`` (in CI).
"""

from __future__ import annotations

import importlib.util
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def roles() -> ModuleType:
    path = ROOT / "docs" / "_ext" / "sphinx_roles.py"
    spec = importlib.util.spec_from_file_location("sphinx_roles", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("role", "markdown"),
    [
        (":class:`~wikijs.auth.JWTAuth`", "[`JWTAuth`][wikijs.auth.JWTAuth]"),
        (":class:`wikijs.WikiJSClient`", "[`wikijs.WikiJSClient`][wikijs.WikiJSClient]"),
        (":meth:`get`", "[`get()`][get]"),
        (":func:`~wikijs.cache.operation_key`", "[`operation_key()`][wikijs.cache.operation_key]"),
        (":mod:`wikijs.webhooks`", "[`wikijs.webhooks`][wikijs.webhooks]"),
        (":func:`~wikijs._protocol.retry.decide`", "`decide()`"),
        (":attr:`Exchange.refused`", "[`Exchange.refused`][Exchange.refused]"),
    ],
)
def test_roles_become_cross_references(roles: ModuleType, role: str, markdown: str) -> None:
    assert roles.convert(f"See {role}.") == f"See {markdown}."


def test_a_double_colon_paragraph_introduces_a_fenced_block(roles: ModuleType) -> None:
    docstring = textwrap.dedent(
        """\
        Pages.

        Example::

            with WikiJSClient(url) as client:
                client.pages.get(1)

        The order is::

            outer
            └── inner

        Args:
            page_id: the id.
        """
    )
    assert roles.convert(docstring) == textwrap.dedent(
        """\
        Pages.

        Example:

        ```python
        with WikiJSClient(url) as client:
            client.pages.get(1)
        ```

        The order is:

        ```text
        outer
        └── inner
        ```

        Args:
            page_id: the id.
        """
    )


def test_async_examples_are_python(roles: ModuleType) -> None:
    docstring = "Example::\n\n    async with C() as c:\n        await c.get(1)\n"
    assert "```python" in roles.convert(docstring)


def test_a_trailing_double_colon_without_a_block_stays(roles: ModuleType) -> None:
    assert roles.convert("Ends with::\nno block") == "Ends with::\nno block"
