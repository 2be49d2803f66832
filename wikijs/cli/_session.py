"""What every command shares: the global options, settings, one client, output, errors.

Embedding and testing: pass a :class:`Runtime` as click's ``obj`` to
replace the command line's surroundings, e.g.
``CliRunner().invoke(cli, ["pages", "list"], obj=Runtime(transport=fake.sync_transport()))``.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from typing import IO, TYPE_CHECKING, Any, NoReturn

import click

from ..errors import WikiJSError
from . import _output
from ._config import ConfigError, MissingURLError, Settings, resolve

if TYPE_CHECKING:  # the client (and httpx) load when a command first needs one
    import httpx

    from .. import WikiJSClient


@dataclass
class Runtime:
    """The command line's surroundings; replace parts to embed or test it.

    Attributes:
        transport: an ``httpx`` transport for every client the commands
            build (``FakeWikiJS().sync_transport()`` in tests).
        sleep: how ``wikijs watch`` waits between polls.
        client_options: more ``WikiJSClient`` arguments (``retry_strategy``,
            ``cache``, ``plugins``, …).
    """

    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    client_options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Options:
    """The global options as given at one level (``None``: not given there)."""

    url: str | None = None
    api_key: str | None = None
    api_key_file: str | None = None
    profile: str | None = None
    config: str | None = None
    output: str | None = None
    timeout: float | None = None
    debug: bool | None = None

    def over(self, base: Options) -> Options:
        """These options, falling back to ``base`` for what was not given."""
        changes = {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None
        }
        return replace(base, **changes)

    @classmethod
    def take(cls, params: dict[str, Any]) -> Options:
        """Remove the global options from a command's parameters."""
        json_flag = params.pop("json_output", False)
        output = params.pop("output_format", None)
        debug = params.pop("debug", False)
        return cls(
            url=params.pop("url", None),
            api_key=params.pop("api_key", None),
            api_key_file=params.pop("api_key_file", None),
            profile=params.pop("profile", None),
            config=params.pop("config_path", None),
            output="json" if json_flag else output,
            timeout=params.pop("timeout", None),
            debug=True if debug else None,
        )


def _positive(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and not value > 0:
        raise click.BadParameter("must be a positive number of seconds")
    return value


def global_params() -> list[click.Parameter]:
    """Fresh copies of the options every command accepts."""
    return [
        click.Option(["--url"], metavar="URL", help="The wiki's base URL [env: WIKIJS_URL]."),
        click.Option(
            ["--api-key"],
            metavar="KEY",
            help="API key [env: WIKIJS_API_KEY]. A flag is visible in shell history: "
            "prefer --api-key-file, the environment or `wikijs config init`.",
        ),
        click.Option(
            ["--api-key-file"],
            metavar="PATH",
            help="Read the API key from this file ('-': standard input) "
            "[env: WIKIJS_API_KEY_FILE].",
        ),
        click.Option(
            ["--profile"], metavar="NAME", help="Settings profile to use [env: WIKIJS_PROFILE]."
        ),
        click.Option(
            ["--config", "config_path"],
            metavar="PATH",
            help="Settings file [env: WIKIJS_CONFIG; default $XDG_CONFIG_HOME/wikijs/config.toml].",
        ),
        click.Option(["--json", "json_output"], is_flag=True, help="Print JSON (for scripts)."),
        click.Option(
            ["--format", "output_format"],
            type=click.Choice(["table", "json"]),
            help="Output format (default: table).",
        ),
        click.Option(
            ["--timeout"],
            type=float,
            callback=_positive,
            metavar="SECONDS",
            help="Seconds per request.",
        ),
        click.Option(["--debug"], is_flag=True, help="Show tracebacks for errors."),
    ]


class Failure(click.ClickException):
    """An expected failure: one line on standard error, exit status 1."""

    exit_code = 1

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.format_message(), err=True, file=file)


def describe(exc: BaseException) -> str:
    """``NotFoundError: …``: the error's class and message on one line."""
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


class Session:
    """One run of the command line (or one interactive session).

    Holds the stack of global options (the root's, then the command's),
    resolves settings from them, and keeps one client per distinct
    connection, closed when the run ends.
    """

    def __init__(self, runtime: Runtime | None = None) -> None:
        self.runtime = runtime or Runtime()
        self._scopes: list[Options] = []
        self._clients: dict[tuple[str, str | None, float | None], WikiJSClient] = {}

    @staticmethod
    def of(ctx: click.Context) -> Session:
        """The session of this invocation, created on the root context if needed."""
        session = ctx.find_object(Session)
        if session is None:
            root = ctx.find_root()
            runtime = root.obj if isinstance(root.obj, Runtime) else None
            session = Session(runtime)
            root.obj = session
            root.call_on_close(session.close)
        return session

    @contextmanager
    def scope(self, options: Options) -> Iterator[None]:
        self._scopes.append(options)
        try:
            yield
        finally:
            self._scopes.pop()

    @property
    def options(self) -> Options:
        merged = Options()
        for options in self._scopes:
            merged = options.over(merged)
        return merged

    @property
    def json(self) -> bool:
        return self.options.output == "json"

    @property
    def debug(self) -> bool:
        return bool(self.options.debug)

    def settings(self) -> Settings:
        """Resolved connection settings.

        Raises:
            click.UsageError: no URL anywhere.
            ConfigError: a named profile or settings file is unusable.
        """
        options = self.options
        try:
            return resolve(
                url=options.url,
                api_key=options.api_key,
                api_key_file=options.api_key_file,
                profile=options.profile,
                config=options.config,
                timeout=options.timeout,
                environ=os.environ,
                stdin=lambda: sys.stdin.read(),
            )
        except MissingURLError as exc:
            raise click.UsageError(str(exc)) from None

    def client(self) -> WikiJSClient:
        """The client for the current settings (built once per connection)."""
        settings = self.settings()
        key = (settings.url, settings.api_key, settings.timeout)
        client = self._clients.get(key)
        if client is None:
            from .. import WikiJSClient

            extra: dict[str, Any] = dict(self.runtime.client_options)
            if settings.timeout is not None:
                extra["timeout"] = settings.timeout
            if self.runtime.transport is not None:
                extra["transport"] = self.runtime.transport
            client = WikiJSClient(settings.url, auth=settings.api_key, **extra)
            self._clients[key] = client
        return client

    def close(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            client.close()

    # -- output ---------------------------------------------------------------------

    def print_json(self, value: Any) -> None:
        click.echo(_output.dumps(value))

    def print(self, text: str = "") -> None:
        click.echo(text)

    def note(self, text: str) -> None:
        """Commentary for people: standard error, so standard output stays data."""
        click.echo(text, err=True)

    def fail(self, message: str) -> NoReturn:
        raise Failure(message)


EXPECTED_ERRORS = (WikiJSError, ConfigError, OSError)


class WikiCommand(click.Command):
    """A command with the global options, the session, and one-line typed errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.extend(global_params())

    def invoke(self, ctx: click.Context) -> Any:
        options = Options.take(ctx.params)
        session = Session.of(ctx)
        with session.scope(options):
            try:
                return super().invoke(ctx)
            except EXPECTED_ERRORS as exc:
                if session.debug:
                    raise
                raise Failure(describe(exc)) from None


class WikiGroup(click.Group):
    """A group whose options apply to every command under it."""

    command_class: type[click.Command] | None = WikiCommand
    group_class: type[click.Group] | type[type] | None = type

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.extend(global_params())

    def invoke(self, ctx: click.Context) -> Any:
        options = Options.take(ctx.params)
        session = Session.of(ctx)
        with session.scope(options):
            return super().invoke(ctx)


pass_session = click.make_pass_decorator(Session)
