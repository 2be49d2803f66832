"""The click application behind ``wikijs``."""

from __future__ import annotations

import click

from .. import __version__ as VERSION
from ._assets import assets
from ._completion import completion
from ._configcmd import config
from ._health import health
from ._interactive import interactive
from ._mcp import mcp
from ._pages import pages
from ._session import WikiGroup
from ._syncing import sync
from ._users import users
from ._watch import watch


@click.group(cls=WikiGroup, root=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(VERSION, prog_name="wikijs")
def cli() -> None:
    """The command line of wikijs, the Python SDK for Wiki.js 2.5.

    Connection settings come from the options below, then the environment
    (WIKIJS_URL, WIKIJS_API_KEY, ...), then a profile saved by 'wikijs
    config init'. The options work before or after the command's name.
    Exit status: 0 ok, 1 failed (one line on standard error), 2 bad usage.
    """


cli.add_command(pages)
cli.add_command(users)
cli.add_command(assets)
cli.add_command(config)
cli.add_command(health)
cli.add_command(interactive)
cli.add_command(mcp)
cli.add_command(watch)
cli.add_command(sync)
cli.add_command(completion)


@cli.command(cls=click.Command)
@click.option("--url", help="Run against this Wiki.js instead of the embedded fake.")
@click.option("--api-key", envvar="WIKIJS_API_KEY", help="API key for --url.")
def demo(url: str | None, api_key: str | None) -> None:
    """A short tour of the SDK.

    It runs against an embedded fake Wiki.js unless --url is given (then it
    removes everything it created).
    """
    from .demo import run_demo

    status = run_demo(url, api_key, echo=click.echo)
    if status:
        raise click.exceptions.Exit(status)


@cli.command(
    "fake-server",
    cls=click.Command,
    add_help_option=False,  # --help goes to the server's own option parser
    context_settings={"ignore_unknown_options": True},
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def fake_server(args: tuple[str, ...]) -> None:
    """Serve a fake Wiki.js on loopback, to try every command.

    It prints its URL, an API key and the admin login (--json for scripts;
    --background to run detached). See wikijs fake-server --help.
    """
    from ..testing.server import main as serve

    status = serve(list(args))
    if status:
        raise click.exceptions.Exit(status)
