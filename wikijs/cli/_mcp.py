"""``wikijs mcp``: serve the wiki to an AI assistant (the server is in ``wikijs.mcp``)."""

from __future__ import annotations

import ipaddress
import os
import secrets
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ._config import API_KEY_FILE_ENV, ConfigError, Settings, write_private
from ._session import Session, WikiCommand, pass_session

if TYPE_CHECKING:
    from wikijs.aio import AsyncWikiJSClient

TOKEN_ENV = "WIKIJS_MCP_TOKEN"  # noqa: S105 - a variable name, not a secret
#: Shortest bearer token accepted (a generated one has 43 characters).
MIN_TOKEN = 24
DEFAULT_PORT = 8765


def _note(text: str) -> None:
    # Standard output is the protocol's on stdio: every word for people goes to stderr.
    click.echo(f"wikijs mcp: {text}", err=True)


def bearer_token(token_file: str | None) -> str:
    """The HTTP bearer token: $WIKIJS_MCP_TOKEN, else the file (made with a new token if missing).

    Raises:
        click.UsageError: neither was given, or the token is too short.
    """
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token and token_file:
        path = Path(token_file).expanduser()
        if path.exists():
            try:
                token = path.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
        else:
            token = secrets.token_urlsafe(32)
            write_private(path, token + "\n")
            _note(f"wrote a new bearer token to {path} (readable by you only)")
    if not token:
        raise click.UsageError(
            f"--http needs a bearer token: set {TOKEN_ENV}, or give --token-file PATH "
            "(a new token is written there if the file does not exist)"
        )
    if len(token) < MIN_TOKEN:
        raise click.UsageError(f"the bearer token is too short (at least {MIN_TOKEN} characters)")
    return token


def _client(settings: Settings, rate_limit: float) -> AsyncWikiJSClient:
    from wikijs.aio import AsyncWikiJSClient
    from wikijs.middleware import RateLimiter

    options: dict[str, Any] = {}
    if settings.timeout is not None:
        options["timeout"] = settings.timeout
    if rate_limit > 0:
        # An assistant may fire many calls at once: pace them, and give up
        # (a tool error saying to wait) rather than queue for long.
        options["rate_limiter"] = RateLimiter(
            requests_per_second=rate_limit, burst_size=max(1, round(rate_limit * 2)), max_wait=30
        )
    if not settings.api_key:
        _note("no API key: the wiki answers as its Guest user (give one with 'wikijs config init')")
    return AsyncWikiJSClient(settings.url, auth=settings.api_key, **options)


@click.command("mcp", cls=WikiCommand)
@click.option(
    "--allow-write",
    is_flag=True,
    help="Offer the tools that create, update and move pages (off: read-only).",
)
@click.option(
    "--allow-delete",
    is_flag=True,
    help="Offer delete_page too (needs --allow-write).",
)
@click.option(
    "--path-prefix",
    "path_prefixes",
    multiple=True,
    metavar="PATH",
    help="Refuse writes to pages outside this path, e.g. docs/ (repeatable; needs --allow-write).",
)
@click.option(
    "--http",
    is_flag=True,
    help="Serve streamable HTTP at http://HOST:PORT/mcp instead of standard input/output.",
)
@click.option(
    "--host",
    default=None,
    metavar="HOST",
    help="Address to listen on with --http [default: 127.0.0.1, this machine only].",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=None,
    metavar="PORT",
    help=f"Port to listen on with --http (0: any free port) [default: {DEFAULT_PORT}].",
)
@click.option(
    "--token-file",
    metavar="PATH",
    help=f"With --http: the bearer token clients must send [env: {TOKEN_ENV}]; "
    "a new one is written there if the file does not exist.",
)
@click.option(
    "--rate-limit",
    type=click.FloatRange(min=0),
    default=10.0,
    show_default=True,
    metavar="PER_SECOND",
    help="Requests per second to the wiki, at most (0: no limit).",
)
@pass_session
def mcp(
    session: Session,
    allow_write: bool,
    allow_delete: bool,
    path_prefixes: tuple[str, ...],
    http: bool,
    host: str | None,
    port: int | None,
    token_file: str | None,
    rate_limit: float,
) -> None:
    """Serve the wiki to an AI assistant over the Model Context Protocol.

    Tools search, list and read pages, and with --allow-write create,
    update and move them; every page is also a wikijs://LOCALE/PATH
    resource. Desktop assistants and editors launch the command and talk
    over standard input/output; --http serves streamable HTTP instead,
    on this machine only unless --host says otherwise, with a bearer
    token of its own. The wiki's URL and API key come from the usual
    options, environment or profile. Needs the mcp extra:
    pip install "wikijs[mcp]". See docs/mcp.md.
    """
    try:
        import anyio

        from wikijs.mcp import Policy, build_server
        from wikijs.mcp._server import bind, serve_http, serve_stdio
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise click.UsageError(
            f"'wikijs mcp' needs the mcp extra ({exc.name} is missing): pip install 'wikijs[mcp]'"
        ) from None
    if (allow_delete or path_prefixes) and not allow_write:
        given = "--allow-delete" if allow_delete else "--path-prefix"
        raise click.UsageError(f"{given} needs --allow-write")
    if not http and (host is not None or port is not None or token_file is not None):
        raise click.UsageError("--host, --port and --token-file go with --http")
    try:
        policy = Policy(allow_write, allow_delete, path_prefixes)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--path-prefix") from None
    if not http and "-" in (session.options.api_key_file, os.environ.get(API_KEY_FILE_ENV)):
        raise click.UsageError(
            "the API key cannot come from standard input: over stdio, standard input "
            "carries the protocol"
        )
    token = bearer_token(token_file) if http else None
    settings = session.settings()
    sock = bind(host or "127.0.0.1", DEFAULT_PORT if port is None else port) if http else None
    if sock is not None and not ipaddress.ip_address(sock.getsockname()[0]).is_loopback:
        _note(
            f"listening on {sock.getsockname()[0]}, reachable from other machines: "
            "the bearer token is all that guards the wiki"
        )
    where = settings.url

    async def run() -> None:
        async with _client(settings, rate_limit) as client:
            server = build_server(client, policy)
            if sock is None:
                _note(f"serving {where} over standard input/output. {policy.describe()}")
                await serve_stdio(server)
            else:
                assert token is not None

                def ready(url: str) -> None:
                    _note(f"serving {where} at {url}. {policy.describe()}")

                await serve_http(server, sock, token, ready=ready)

    try:
        anyio.run(run)
    except KeyboardInterrupt:
        sys.exit(130)
