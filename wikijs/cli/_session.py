"""What every command shares: the global options, settings, one client, output, errors.

Embedding and testing: pass a :class:`Runtime` as click's ``obj`` to
replace the command line's surroundings, e.g.
``CliRunner().invoke(cli, ["pages", "list"], obj=Runtime(transport=fake.sync_transport()))``.
"""

from __future__ import annotations

import inspect
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, NoReturn

import click

from ..errors import WikiJSError
from . import _output
from ._config import ConfigError, MissingURLError, Settings, resolve
from ._console import EXIT_BROKEN_PIPE, Terminal, discard_stdout
from ._progress import BarTracker, LineTracker, NullTracker, Tracker, Unit

if TYPE_CHECKING:  # the client (and httpx) load when a command first needs one
    import httpx

    from .. import WikiJSClient


@dataclass
class Runtime:
    """The command line's surroundings; replace parts to embed or test it.

    Attributes:
        transport: an ``httpx`` transport for every client the commands
            build (``FakeWikiJS().sync_transport()`` in tests).
        sleep: how ``wikijs watch`` and ``health check --wait`` wait.
        clock: seconds, for timing (how many pages a write request may carry).
        client_options: more ``WikiJSClient`` arguments (``retry_strategy``,
            ``cache``, ``plugins``, …).
    """

    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
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
    progress: bool | None = None

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
        no_progress = params.pop("no_progress", False)
        return cls(
            url=params.pop("url", None),
            api_key=params.pop("api_key", None),
            api_key_file=params.pop("api_key_file", None),
            profile=params.pop("profile", None),
            config=params.pop("config_path", None),
            output="json" if json_flag else output,
            timeout=params.pop("timeout", None),
            debug=True if debug else None,
            progress=False if no_progress else None,
        )


def _positive(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and not value > 0:
        raise click.BadParameter("must be a positive number of seconds")
    return value


def _profiles(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion for --profile: the names in the settings file."""
    from ._config import ConfigFile, default_config_path

    path = os.environ.get("WIKIJS_CONFIG")
    try:
        loaded = ConfigFile.load(
            Path(path).expanduser() if path else default_config_path(os.environ)
        )
    except ConfigError:
        return []
    return [name for name in sorted(loaded.profiles) if name.startswith(incomplete)]


Scope = Literal["root", "group", "command"]


def global_params(scope: Scope) -> list[click.Parameter]:
    """Fresh copies of the options every command accepts.

    They are listed once, in ``wikijs --help``; groups and commands accept
    them too (``wikijs pages list --profile prod``) without repeating them
    in their help, except ``--json`` on the commands that print results.
    """
    hidden = scope != "root"
    return [
        click.Option(
            ["--url"], metavar="URL", hidden=hidden, help="The wiki's base URL [env: WIKIJS_URL]."
        ),
        click.Option(
            ["--api-key"],
            metavar="KEY",
            hidden=hidden,
            help="API key [env: WIKIJS_API_KEY]. A flag is visible in shell history: "
            "prefer --api-key-file, the environment or 'wikijs config init'.",
        ),
        click.Option(
            ["--api-key-file"],
            metavar="PATH",
            hidden=hidden,
            help="Read the API key from this file ('-': standard input) "
            "[env: WIKIJS_API_KEY_FILE].",
        ),
        click.Option(
            ["--profile"],
            metavar="NAME",
            hidden=hidden,
            shell_complete=_profiles,
            help="Settings profile to use [env: WIKIJS_PROFILE].",
        ),
        click.Option(
            ["--config", "config_path"],
            metavar="PATH",
            hidden=hidden,
            help="Settings file [env: WIKIJS_CONFIG; default $XDG_CONFIG_HOME/wikijs/config.toml].",
        ),
        click.Option(
            ["--timeout"],
            type=float,
            callback=_positive,
            metavar="SECONDS",
            hidden=hidden,
            help="Seconds per request.",
        ),
        click.Option(
            ["--json", "json_output"],
            is_flag=True,
            hidden=scope == "group",
            help="Print JSON (for scripts).",
        ),
        click.Option(
            ["--format", "output_format"],
            type=click.Choice(["table", "json"]),
            hidden=hidden,
            help="Output format (default: table).",
        ),
        click.Option(
            ["--no-progress"],
            is_flag=True,
            hidden=hidden,
            help="No progress bars or progress lines on standard error.",
        ),
        click.Option(["--debug"], is_flag=True, hidden=hidden, help="Show tracebacks for errors."),
    ]


class Failure(click.ClickException):
    """An expected failure: one line on standard error, exit status 1."""

    exit_code = 1

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.format_message(), err=True, file=file)


def describe(exc: BaseException) -> str:
    """``NotFoundError: …``: the error's class and its message on one line.

    An SDK error's message is given without the SDK call it left (the
    command line's user typed a command, not that call).
    """
    text = exc.message if isinstance(exc, WikiJSError) else _os_text(exc)
    message = " ".join(text.split())
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _os_text(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return str(exc)


def hint(exc: BaseException, url: str | None) -> str | None:
    """What to try next after ``exc``, when something helps."""
    from ..errors import (
        AuthenticationError,
        ConnectError,
        PermissionDeniedError,
        RequestTimeoutError,
        TransportError,
    )

    if isinstance(exc, RequestTimeoutError):
        return "the wiki answered too slowly: --timeout SECONDS gives it longer"
    if isinstance(exc, ConnectError) or (isinstance(exc, TransportError) and not exc.request_sent):
        where = f" at {url}" if url else ""
        return f"is the wiki running{where}? 'wikijs health check' tells"
    if isinstance(exc, AuthenticationError):
        return "check the API key: 'wikijs config validate' tests the settings in use"
    if isinstance(exc, PermissionDeniedError):
        return "the API key's group lacks this permission (Wiki.js: Administration > Groups)"
    if isinstance(exc, ConfigError) and not isinstance(exc, MissingURLError):
        return "'wikijs config validate' checks the settings file"
    return None


def explain(command: str, exc: BaseException, url: str | None) -> str:
    """A failure in the user's terms: the command, what went wrong, what to try."""
    text = exc.message if isinstance(exc, WikiJSError) else _os_text(exc)
    message = " ".join(text.split()) or type(exc).__name__
    line = f"{command}: {message} ({type(exc).__name__})"
    advice = None if command.startswith("wikijs config") else hint(exc, url)
    return f"{line}\n  hint: {advice}" if advice else line


class Session:
    """One run of the command line (or one interactive session).

    Holds the stack of global options (the root's, then the command's),
    resolves settings from them, and keeps one client per distinct
    connection, closed when the run ends.
    """

    def __init__(self, runtime: Runtime | None = None) -> None:
        self.runtime = runtime or Runtime()
        self._scopes: list[Options] = []
        self._clients: dict[tuple[str, str | None, float | None, int | None], WikiJSClient] = {}
        self.terminal = Terminal()
        self._bar: BarTracker | None = None
        self._memo: dict[tuple[Any, ...], Any] = {}
        #: The command running (``wikijs pages import``), for messages.
        self.command_name = "wikijs"
        self._last_settings: Settings | None = None

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
            self._last_settings = resolve(
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
        return self._last_settings

    def url(self) -> str | None:
        """The wiki's URL last resolved, if any (for messages; reads nothing again)."""
        return self._last_settings.url if self._last_settings is not None else None

    def client_for(self, url: str, api_key: str | None, timeout: float | None) -> WikiJSClient:
        """A client for settings that are not (yet) in effect; the caller closes it."""
        from .. import WikiJSClient

        extra: dict[str, Any] = dict(self.runtime.client_options)
        if timeout is not None:
            extra["timeout"] = timeout
        if self.runtime.transport is not None:
            extra["transport"] = self.runtime.transport
        return WikiJSClient(url, auth=api_key, **extra)

    def client(self, *, body_limit: int | None = None) -> WikiJSClient:
        """The client for the current settings (built once per connection).

        ``body_limit``: the wiki's request body limit, when a command was told it.

        Raises:
            click.BadParameter: the URL is not one a client can use (exit status 2).
        """
        settings = self.settings()
        key = (settings.url, settings.api_key, settings.timeout, body_limit)
        client = self._clients.get(key)
        if client is None:
            from .. import WikiJSClient
            from ..errors import InvalidArgumentError

            extra: dict[str, Any] = dict(self.runtime.client_options)
            if settings.timeout is not None:
                extra["timeout"] = settings.timeout
            if self.runtime.transport is not None:
                extra["transport"] = self.runtime.transport
            if body_limit is not None:
                extra["body_limit"] = body_limit
            try:
                client = WikiJSClient(settings.url, auth=settings.api_key, **extra)
            except InvalidArgumentError as exc:
                if getattr(exc, "field", None) != "url":
                    raise
                where = settings.source("url")
                raise click.BadParameter(
                    exc.message + (f" (from {where})" if where not in (None, "--url") else ""),
                    param_hint="--url",
                ) from None
            self._clients[key] = client
        return client

    def locales(self) -> tuple[str, frozenset[str]]:
        """The wiki's default locale and the locales it has installed (asked once).

        Wiki.js stores a page's locale as a reference to an installed
        locale: a page in any other locale is refused by the database.
        """
        client = self.client()
        key = ("locales", id(client))
        if key not in self._memo:
            installed = frozenset(
                locale.code.lower() for locale in client.localization.locales(installed=True)
            )
            default = client.localization.config().locale
            self._memo[key] = (default, installed | {default.lower()})
        result: tuple[str, frozenset[str]] = self._memo[key]
        return result

    def check_locale(self, locale: str, param_hint: str = "--locale") -> str:
        """``locale`` if the wiki has it, else a usage error listing the ones it has."""
        from ._pagefiles import unknown_locale

        _, installed = self.locales()
        if locale.lower() not in installed:
            raise click.BadParameter(unknown_locale(locale, installed), param_hint=param_hint)
        return locale

    def close(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            client.close()

    # -- output ---------------------------------------------------------------------

    @property
    def show_progress(self) -> bool:
        return self.options.progress is not False

    @contextmanager
    def progress(
        self, label: str, total: int, *, unit: Unit = "items", noun: str = "items"
    ) -> Iterator[Tracker]:
        """Report long work: a bar on a terminal, a line per tenth elsewhere.

        While a bar is drawn, :meth:`print` and :meth:`note` write above it.
        """
        tracker: Tracker
        if not self.show_progress or total <= 0 or self._bar is not None:
            tracker = NullTracker()
        elif self.terminal.rich(err=True):
            tracker = BarTracker(label, total, unit, noun, self.terminal.console(err=True))
        else:
            tracker = LineTracker(label, total, unit, noun, lambda text: click.echo(text, err=True))
        if isinstance(tracker, BarTracker):
            self._bar = tracker
        try:
            yield tracker
        finally:
            tracker.close()
            if tracker is self._bar:
                self._bar = None

    def _above_bar(self, text: str, style: str | None) -> None:
        from rich.text import Text

        assert self._bar is not None
        self._bar.console.print(Text(text, style=style or ""))

    def print_json(self, value: Any) -> None:
        click.echo(_output.dumps(value))

    def print(self, text: str = "", *, style: str | None = None) -> None:
        """A line of results on standard output (styled on a terminal)."""
        if self._bar is not None and self.terminal.rich():
            self._above_bar(text, style)
        else:
            self.terminal.line(text, style=style)

    def note(self, text: str, *, style: str | None = None) -> None:
        """Commentary for people: standard error, so standard output stays data."""
        if self._bar is not None:
            self._above_bar(text, style)
        else:
            self.terminal.line(text, style=style, err=True)

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[Any]], **options: Any) -> None:
        self.terminal.table(headers, rows, **options)

    def fields(self, pairs: Iterable[tuple[str, Any]]) -> None:
        self.terminal.fields(pairs)

    def fail(self, message: str) -> NoReturn:
        raise Failure(message)

    def interrupted(self, done: str, *, again: str) -> NoReturn:
        """After Ctrl-C: what was done, how to finish; exit status 130 (one wording everywhere)."""
        self.note(
            f"{INTERRUPTED}: {done}. Run the same command again to finish: {again}.", style="bold"
        )
        raise click.exceptions.Exit(EXIT_INTERRUPTED)


EXPECTED_ERRORS = (WikiJSError, ConfigError, OSError)
#: How every command says it stopped on Ctrl-C.
INTERRUPTED = "Interrupted (Ctrl-C)"
#: Exit status after Ctrl-C, as a shell reports a program ended by SIGINT.
EXIT_INTERRUPTED = 130

CONNECTION_EPILOG = (
    "Connection and output options (--url, --profile, --no-progress and the others) "
    "are listed by 'wikijs --help'; they work here too."
)


def first_sentence(text: str | None) -> str | None:
    """The summary shown in a group's command list: the help's first sentence, whole."""
    if not text:
        return None
    paragraph = inspect.cleandoc(text).split("\n\n", 1)[0].replace("\n", " ")
    head, dot, _ = paragraph.partition(". ")
    return head + "." if dot else paragraph


class WikiCommand(click.Command):
    """A command with the global options, the session, and one-line typed errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.extend(global_params("command"))
        self.short_help = self.short_help or first_sentence(self.help)
        self.epilog = self.epilog or CONNECTION_EPILOG

    def invoke(self, ctx: click.Context) -> Any:
        options = Options.take(ctx.params)
        session = Session.of(ctx)
        session.command_name = " ".join(["wikijs", *ctx.command_path.split()[1:]])
        with session.scope(options):
            try:
                return super().invoke(ctx)
            except BrokenPipeError:
                # Like a program stopped by SIGPIPE: quietly, status 141.
                discard_stdout()
                raise click.exceptions.Exit(EXIT_BROKEN_PIPE) from None
            except KeyboardInterrupt:
                if session.debug:
                    raise
                click.echo(f"{INTERRUPTED}.", err=True)
                raise click.exceptions.Exit(EXIT_INTERRUPTED) from None
            except EXPECTED_ERRORS as exc:
                if session.debug:
                    raise
                raise Failure(explain(session.command_name, exc, session.url())) from None


class WikiGroup(click.Group):
    """A group whose options apply to every command under it."""

    command_class: type[click.Command] | None = WikiCommand
    group_class: type[click.Group] | type[type] | None = type
    short_help: str | None
    epilog: str | None

    def __init__(self, *args: Any, root: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.extend(global_params("root" if root else "group"))
        self.short_help = self.short_help or first_sentence(self.help)
        if not root:
            self.epilog = self.epilog or CONNECTION_EPILOG

    def invoke(self, ctx: click.Context) -> Any:
        options = Options.take(ctx.params)
        session = Session.of(ctx)
        with session.scope(options):
            return super().invoke(ctx)


pass_session = click.make_pass_decorator(Session)
