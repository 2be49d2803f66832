"""``pyright --verifytypes wikijs``: score the package's exports, fail below a floor.

The score counts the symbols ``wikijs`` exports whose types a checker knows
without guessing: annotated parameters, returns and attributes, and bases
that are themselves complete. ``--ignoreexternal`` leaves out what pydantic
and httpx leave unknown in their own code, which wikijs cannot fix. Symbols
that fail are listed, so the fix is obvious.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from typing import Any

DEFAULT_FLOOR = 95.0


def verify(package: str = "wikijs") -> dict[str, Any]:
    """pyright's ``typeCompleteness`` report for ``package`` (installed or importable)."""
    pyright = shutil.which("pyright")
    if pyright is None:
        raise SystemExit("verify-types: pyright is missing: pip install 'pyright[nodejs]'")
    result = subprocess.run(
        [pyright, "--verifytypes", package, "--ignoreexternal", "--outputjson"],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report: dict[str, Any] = json.loads(result.stdout)["typeCompleteness"]
    except (ValueError, KeyError):
        raise SystemExit(f"verify-types: pyright failed:\n{result.stdout}{result.stderr}") from None
    return report


def incomplete(report: dict[str, Any]) -> list[str]:
    """One line per exported symbol whose type is not fully known, with the reason."""
    lines = []
    for symbol in report["symbols"]:
        if symbol["isExported"] and not symbol["isTypeKnown"]:
            reasons = [
                d["message"].splitlines()[0]
                for d in symbol["diagnostics"]
                if "docstring" not in d["message"]
            ]
            lines.append(f"  {symbol['name']}: {'; '.join(reasons) or 'depends on the above'}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="verify-types", description=__doc__.splitlines()[0])
    parser.add_argument("--min", type=float, default=DEFAULT_FLOOR, help="lowest passing score, %%")
    args = parser.parse_args(argv)
    report = verify()
    counts = report["exportedSymbolCounts"]
    score = 100 * report["completenessScore"]
    total = sum(counts.values())
    print(
        f"pyright --verifytypes wikijs: {score:.1f} % of {total} exported symbols typed "
        f"({counts['withAmbiguousType']} ambiguous, {counts['withUnknownType']} unknown)"
    )
    if score < args.min:
        print("\n".join(incomplete(report)), file=sys.stderr)
        print(f"below the floor of {args.min:g} %", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
