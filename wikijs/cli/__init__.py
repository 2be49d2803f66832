"""The ``wikijs`` command line (needs the ``cli`` extra: ``pip install 'wikijs[cli]'``)."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    try:
        from ._app import cli
    except ImportError as exc:  # pragma: no cover - depends on the environment
        print(
            f"wikijs: the command line needs the 'cli' extra ({exc.name} is missing): "
            "pip install 'wikijs[cli]'",
            file=sys.stderr,
        )
        return 2
    import click

    try:
        result = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="wikijs",
            standalone_mode=False,
        )
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    return result if isinstance(result, int) else 0
