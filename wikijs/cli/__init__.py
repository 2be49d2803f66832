"""The ``wikijs`` command line (needs the ``cli`` extra: ``pip install 'wikijs[cli]'``).

``main(argv)`` is the console entry point and returns the exit status.
``cli`` is the click group, and ``Runtime`` the hidden context object that
lets a program or a test run commands with its own transport::

    from click.testing import CliRunner
    from wikijs.cli import Runtime, cli

    result = CliRunner().invoke(
        cli, ["pages", "list", "--url", fake.url, "--api-key", fake.api_key],
        obj=Runtime(transport=fake.sync_transport()),
    )
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._app import cli
    from ._session import Runtime

__all__ = ["Runtime", "cli", "main"]


def __getattr__(name: str) -> Any:
    # Lazily, so that `wikijs.cli.main` can explain a missing click itself.
    if name == "cli":
        from ._app import cli

        return cli
    if name == "Runtime":
        from ._session import Runtime

        return Runtime
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
        sys.stdout.flush()
    except BrokenPipeError:
        from ._console import EXIT_BROKEN_PIPE, discard_stdout

        discard_stdout()
        return EXIT_BROKEN_PIPE
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort as exc:
        if isinstance(exc.__context__, KeyboardInterrupt):
            click.echo("Interrupted (Ctrl-C).", err=True)
            return EXIT_INTERRUPTED
        click.echo("Aborted.", err=True)
        return 1
    return result if isinstance(result, int) else 0


#: What a shell reports for a program ended by SIGINT (Ctrl-C).
EXIT_INTERRUPTED = 130
