"""``wikijs config …``: write, check and show the settings file."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from ._config import (
    CONFIG_ENV,
    DEFAULT_PROFILE,
    PROFILE_ENV,
    URL_ENV,
    ConfigError,
    ConfigFile,
    Profile,
    check_profile_name,
    default_config_path,
    insecure_mode,
    read_key_file,
)
from ._session import Session, WikiGroup, pass_session


@click.group(cls=WikiGroup)
def config() -> None:
    """Manage the settings file (profiles of URL and API key)."""


def config_path(session: Session) -> tuple[Path, bool]:
    """The settings file in use, and whether it was named explicitly."""
    explicit = session.options.config or os.environ.get(CONFIG_ENV)
    if explicit:
        return Path(explicit).expanduser(), True
    return default_config_path(os.environ), False


def _check_url(url: str) -> str:
    url = url.strip()
    if not url.startswith(("http://", "https://")):
        raise click.BadParameter("the URL must start with http:// or https://", param_hint="--url")
    return url


@config.command("init")
@click.option("--force", is_flag=True, help="Replace an existing profile without asking.")
@click.option(
    "--no-check",
    "check",
    flag_value=False,
    default=True,
    help="Save without checking that the wiki answers and accepts the key.",
)
@click.option(
    "--default/--no-default",
    "make_default",
    default=None,
    help="Make this the default profile (default: only if there is none yet).",
)
@pass_session
def init(session: Session, force: bool, check: bool, make_default: bool | None) -> None:
    """Save a profile: asks for the URL and the API key (typed hidden) unless given.

    The profile is --profile (default: "default"); with --api-key-file the
    file's location is saved rather than the key. Before saving, the wiki
    is asked whether it answers and accepts the key (--no-check skips
    that); a profile that does not work is not saved. The file is written
    with mode 0600.
    """
    options = session.options
    path, _ = config_path(session)
    name = check_profile_name(options.profile or os.environ.get(PROFILE_ENV) or DEFAULT_PROFILE)
    loaded = ConfigFile.load(path) if path.exists() else ConfigFile(path)
    previous = loaded.profiles.get(name)
    if previous is not None and not force:
        click.confirm(f"Profile {name!r} exists in {path}. Replace it?", abort=True, err=True)
    url = options.url
    if url is None:
        suggestion = os.environ.get(URL_ENV) or (previous.url if previous else None)
        url = click.prompt("Wiki URL", default=suggestion, err=True)
    url = _check_url(url)
    api_key: str | None = options.api_key
    api_key_file: str | None = None
    if api_key is None and options.api_key_file == "-":
        api_key = read_key_file("-", stdin=lambda: sys.stdin.read())
    elif api_key is None and options.api_key_file is not None:
        api_key_file = str(Path(options.api_key_file).expanduser().resolve())
    elif api_key is None:
        typed: str = click.prompt(
            "API key (empty: none, act as Guest)",
            default="",
            show_default=False,
            hide_input=True,
            err=True,
        )
        api_key = typed.strip() or None
    if check:
        key = api_key
        if key is None and api_key_file is not None:
            key = read_key_file(api_key_file, stdin=lambda: "")
        check_profile(session, url, key, options.timeout)
    loaded.profiles[name] = Profile(
        name, url=url, api_key=api_key, api_key_file=api_key_file, timeout=options.timeout
    )
    if make_default or (make_default is None and loaded.default_profile is None):
        loaded.default_profile = name
    loaded.save()
    if session.json:
        session.print_json(
            {"path": path, "profile": name, "default": loaded.default_profile == name}
        )
    else:
        session.print(f"saved profile {name!r} to {path} (readable by you only)")
        session.note("check it with: wikijs config validate")


def check_profile(session: Session, url: str, api_key: str | None, timeout: float | None) -> None:
    """Fail (nothing saved) unless the wiki at ``url`` answers and accepts ``api_key``."""
    from ..errors import InvalidArgumentError

    try:
        client = session.client_for(url, api_key, timeout)
    except InvalidArgumentError as exc:
        raise click.BadParameter(exc.message, param_hint="--url") from None
    with client:
        report = client.health()
    if report.ok:
        return
    session.fail(
        f"{session.command_name}: not saved: {report.summary()}\n"
        "  hint: check the URL and the key (an API key from Administration > API Access); "
        "--no-check saves the profile without asking the wiki"
    )


def _key_state(source: str | None, has_key: bool) -> str:
    return f"set (from {source})" if has_key else "not set (Guest)"


@config.command("validate")
@click.option("--offline", is_flag=True, help="Check the file only; do not connect.")
@pass_session
def validate(session: Session, offline: bool) -> None:
    """Check the settings file and that the credentials work; exits 1 on any problem."""
    path, explicit = config_path(session)
    problems: list[str] = []
    warnings: list[str] = []
    checks: list[tuple[str, Any]] = [("file", path)]
    if path.exists():
        loaded = ConfigFile.load(path)
        warnings.extend(loaded.problems())
        checks.append(("profiles", sorted(loaded.profiles) or None))
        mode = insecure_mode(path)
        if mode is not None:
            message = f"{path} is readable by others (mode {mode:o}): chmod 600 {path}"
            holds_keys = any(p.api_key for p in loaded.profiles.values())
            (problems if holds_keys else warnings).append(message)
    elif explicit:
        raise ConfigError(f"no settings file at {path}")
    else:
        warnings.append(f"no settings file at {path} (settings come from flags and environment)")
    report = None
    if not offline:
        settings = session.settings()
        checks += [
            ("profile", settings.profile),
            ("url", f"{settings.url} (from {settings.source('url')})"),
            ("api key", _key_state(settings.source("api_key"), settings.api_key is not None)),
        ]
        report = session.client().health()
        checks.append(("server", report.summary()))
        if not report.ok:
            problems.append("the server check failed")
    ok = not problems
    if session.json:
        session.print_json(
            {
                "ok": ok,
                "checks": dict(checks),
                "problems": problems,
                "warnings": warnings,
                "health": report,
            }
        )
    else:
        session.fields(checks)
        for warning in warnings:
            session.print(f"warning: {warning}", style="yellow")
        for problem in problems:
            session.print(f"problem: {problem}", style="bold red")
        session.print("ok" if ok else "NOT OK", style="bold green" if ok else "bold red")
    if not ok:
        raise click.exceptions.Exit(1)


@config.command("show")
@pass_session
def show(session: Session) -> None:
    """Show the settings in effect and where each comes from (never the key)."""
    settings = session.settings()
    values: dict[str, Any] = {
        "file": settings.config_path,
        "profile": settings.profile,
        "url": settings.url,
        "url_from": settings.source("url"),
        "api_key": _key_state(settings.source("api_key"), settings.api_key is not None),
        "timeout": settings.timeout,
    }
    if session.json:
        session.print_json(values)
    else:
        session.fields(values.items())


@config.command("path")
@pass_session
def show_path(session: Session) -> None:
    """Print where the settings file is (or would be)."""
    path, _ = config_path(session)
    if session.json:
        session.print_json({"path": path})
    else:
        session.print(str(path))
