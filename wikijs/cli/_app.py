"""The click application behind ``wikijs``."""

from __future__ import annotations

import click

from .._constants import VERSION


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(VERSION, prog_name="wikijs")
def cli() -> None:
    """Typed Python SDK for Wiki.js 2.5: command line."""


@cli.command()
@click.option("--url", help="Run against this Wiki.js instead of the embedded fake.")
@click.option("--api-key", envvar="WIKIJS_API_KEY", help="API key for --url.")
def demo(url: str | None, api_key: str | None) -> int:
    """A short tour of the SDK (embedded fake server unless --url is given)."""
    from .demo import run_demo

    return run_demo(url, api_key, echo=click.echo)


@cli.command("fake-server", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def fake_server(args: tuple[str, ...]) -> int:
    """Serve the fake Wiki.js on loopback (prints its URL and an API key)."""
    from ..testing.server import main as serve

    return serve(list(args))
