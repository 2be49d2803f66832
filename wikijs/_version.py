"""The package version (pyproject.toml's, kept equal by tests/test_exports.py)."""

from typing import Final

VERSION: Final = "0.2.0.dev0"
