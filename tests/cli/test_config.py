"""``wikijs config init|validate|show|path`` and where settings come from."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

from wikijs.cli._config import ConfigFile, Profile
from wikijs.testing import FakeWikiJS

from .conftest import Run

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def config_file(xdg: Path) -> Path:
    return xdg / "wikijs" / "config.toml"


def save_profile(fake: FakeWikiJS, run: Run, *extra: str) -> None:
    result = run(
        "config", "init", "--url", fake.url, "--api-key", fake.api_key, *extra, connect=False
    )
    assert result.exit_code == 0, result.output


def test_settings_go_through_a_new_private_file_created_exclusively(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from wikijs.cli._config import write_private

    target = tmp_path / "wikijs" / "config.toml"
    target.parent.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched")
    # what a predictable temporary name would have let another user prepare
    (target.parent / f".config.toml.{os.getpid()}.tmp").symlink_to(victim)
    opened: list[tuple[int, int]] = []
    real_open = os.open

    def spy(file: Any, flags: int, mode: int = 0o777, *args: Any, **kwargs: Any) -> int:
        opened.append((flags, mode))
        return real_open(file, flags, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    write_private(target, 'default_profile = "x"\n')
    assert victim.read_text() == "untouched"
    assert target.read_text() == 'default_profile = "x"\n'
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    flags, mode = opened[0]
    assert flags & os.O_EXCL
    assert flags & os.O_CREAT
    assert mode == 0o600
    assert [p.name for p in target.parent.iterdir() if p.name.endswith(".tmp")] == [
        f".config.toml.{os.getpid()}.tmp"
    ]


def test_init_with_flags_writes_a_private_file(
    fake: FakeWikiJS, run: Run, clean_environment: Path
) -> None:
    result = run("config", "init", "--url", fake.url, "--api-key", fake.api_key, connect=False)
    assert result.exit_code == 0, result.output
    path = config_file(clean_environment)
    assert result.stdout.strip() == f"saved profile 'default' to {path} (readable by you only)"
    assert fake.api_key not in result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert tomllib.loads(path.read_text()) == {
        "default_profile": "default",
        "profiles": {"default": {"url": fake.url, "api_key": fake.api_key}},
    }


def test_init_prompts_with_the_key_hidden(run: Run, clean_environment: Path) -> None:
    result = run(
        "config", "init", "--profile", "work", "--timeout", "12",
        connect=False, input="https://wiki.example.com\nvery-secret-key\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Wiki URL" in result.stderr
    assert "API key" in result.stderr
    assert "very-secret-key" not in result.output
    data = tomllib.loads(config_file(clean_environment).read_text())
    assert data["profiles"]["work"] == {
        "url": "https://wiki.example.com",
        "api_key": "very-secret-key",
        "timeout": 12,
    }
    assert data["default_profile"] == "work"


def test_init_refuses_a_url_without_scheme(run: Run) -> None:
    result = run("config", "init", "--url", "wiki.example.com", "--api-key", "k", connect=False)
    assert result.exit_code == 2
    assert "http://" in result.stderr


def test_init_keeps_other_profiles_and_the_default(
    fake: FakeWikiJS, run: Run, clean_environment: Path
) -> None:
    save_profile(fake, run)
    save_profile(fake, run, "--profile", "staging")
    data = tomllib.loads(config_file(clean_environment).read_text())
    assert sorted(data["profiles"]) == ["default", "staging"]
    assert data["default_profile"] == "default"
    save_profile(fake, run, "--profile", "staging", "--force", "--default")
    assert tomllib.loads(config_file(clean_environment).read_text())["default_profile"] == "staging"


def test_init_asks_before_replacing_a_profile(fake: FakeWikiJS, run: Run) -> None:
    save_profile(fake, run)
    refused = run(
        "config", "init", "--url", "http://other", "--api-key", "k", connect=False, input="n\n"
    )
    assert refused.exit_code == 1
    assert "Profile 'default' exists" in refused.stderr
    shown = json.loads(run("config", "show", "--json", connect=False).stdout)
    assert shown["url"] == fake.url


def test_init_with_a_key_file_saves_where_the_key_is(
    fake: FakeWikiJS, run: Run, tmp_path: Path, clean_environment: Path
) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(fake.api_key + "\n")
    result = run(
        "config", "init", "--url", fake.url, "--api-key-file", str(key_file), connect=False
    )
    assert result.exit_code == 0, result.output
    profile = tomllib.loads(config_file(clean_environment).read_text())["profiles"]["default"]
    assert profile == {"url": fake.url, "api_key_file": str(key_file.resolve())}
    listed = run("pages", "list", connect=False)
    assert listed.exit_code == 0, listed.output


def test_init_reads_a_key_from_standard_input(
    fake: FakeWikiJS, run: Run, clean_environment: Path
) -> None:
    result = run(
        "config",
        "init",
        "--url",
        fake.url,
        "--api-key-file",
        "-",
        connect=False,
        input="k-from-stdin\n",
    )
    assert result.exit_code == 0, result.output
    profile = tomllib.loads(config_file(clean_environment).read_text())["profiles"]["default"]
    assert profile["api_key"] == "k-from-stdin"


def test_a_saved_profile_connects_commands(fake: FakeWikiJS, run: Run) -> None:
    fake.add_page("docs/start", title="Start")
    save_profile(fake, run)
    result = run("pages", "list", "--json", connect=False)
    assert result.exit_code == 0, result.output
    assert [page["path"] for page in json.loads(result.stdout)] == ["docs/start"]


def test_precedence_is_flags_then_environment_then_profile(fake: FakeWikiJS, run: Run) -> None:
    save_profile(fake, run)
    from_profile = json.loads(run("config", "show", "--json", connect=False).stdout)
    assert (from_profile["url"], from_profile["url_from"]) == (fake.url, "profile 'default'")
    assert from_profile["api_key"] == "set (from profile 'default')"
    env = {"WIKIJS_URL": "http://from-env", "WIKIJS_API_KEY": "env-key"}
    from_env = json.loads(run("config", "show", "--json", connect=False, env=env).stdout)
    assert (from_env["url"], from_env["url_from"]) == ("http://from-env", "WIKIJS_URL")
    assert from_env["api_key"] == "set (from WIKIJS_API_KEY)"
    assert from_env["profile"] is None  # nothing left for the profile to give
    flagged = run("config", "show", "--url", "http://from-flag", "--json", connect=False, env=env)
    shown = json.loads(flagged.stdout)
    assert (shown["url"], shown["url_from"]) == ("http://from-flag", "--url")
    assert "env-key" not in flagged.output
    assert fake.api_key not in flagged.output


def test_options_before_the_command_apply_too(fake: FakeWikiJS, run: Run) -> None:
    save_profile(fake, run, "--profile", "other")
    result = run("--profile", "other", "--json", "config", "show", connect=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["profile"] == "other"


def test_environment_names_the_profile_and_the_file(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    path = tmp_path / "elsewhere.toml"
    ConfigFile(path, None, {"p": Profile("p", url=fake.url, api_key=fake.api_key)}).save()
    env = {"WIKIJS_CONFIG": str(path), "WIKIJS_PROFILE": "p"}
    shown = json.loads(run("config", "show", "--json", connect=False, env=env).stdout)
    assert (shown["file"], shown["profile"], shown["url"]) == (str(path), "p", fake.url)
    assert run("config", "path", connect=False, env=env).stdout.strip() == str(path)


def test_a_missing_profile_is_a_typed_error(fake: FakeWikiJS, run: Run) -> None:
    save_profile(fake, run)
    result = run("pages", "list", "--profile", "nope", connect=False)
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("ConfigError: no profile 'nope' in ")
    assert "(profiles: default)" in result.stderr


def test_a_profile_without_a_file_is_a_typed_error(run: Run) -> None:
    result = run("pages", "list", "--profile", "nope", connect=False)
    assert result.exit_code == 1
    assert "wikijs config init" in result.stderr


def test_no_url_anywhere_is_a_usage_error(run: Run) -> None:
    result = run("pages", "list", connect=False)
    assert result.exit_code == 2
    assert "no wiki URL" in result.stderr


def test_a_broken_file_is_reported_not_raised(run: Run, clean_environment: Path) -> None:
    path = config_file(clean_environment)
    path.parent.mkdir(parents=True)
    path.write_text("[profiles.default\nurl = 1\n")
    result = run("pages", "list", connect=False)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"ConfigError: {path} is not valid TOML")
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("default_profile = 1\n", "default_profile must be a string"),
        ("profiles = 1\n", "profiles must be a table"),
        ("[profiles]\ndefault = 1\n", "profiles.default must be a table"),
        ("[profiles.default]\nurl = 1\n", "profiles.default.url must be a string"),
        ("[profiles.default]\nurl = 'http://x'\ntimeout = -1\n", "timeout must be a positive"),
    ],
)
def test_wrong_types_in_the_file(
    run: Run, clean_environment: Path, text: str, message: str
) -> None:
    path = config_file(clean_environment)
    path.parent.mkdir(parents=True)
    path.write_text(text)
    result = run("config", "validate", "--offline", connect=False)
    assert result.exit_code == 1
    assert message in result.stderr


def test_flags_alone_do_not_read_a_broken_file(
    fake: FakeWikiJS, run: Run, clean_environment: Path
) -> None:
    path = config_file(clean_environment)
    path.parent.mkdir(parents=True)
    path.write_text("not toml at all [")
    assert run("pages", "list").exit_code == 0


def test_key_files_from_flags_environment_and_profiles(
    fake: FakeWikiJS, run: Run, tmp_path: Path, clean_environment: Path
) -> None:
    key = tmp_path / "key.txt"
    key.write_text(f"  {fake.api_key}\n")
    assert (
        run(
            "health", "check", "--url", fake.url, "--api-key-file", str(key), connect=False
        ).exit_code
        == 0
    )
    env = {"WIKIJS_URL": fake.url, "WIKIJS_API_KEY_FILE": str(key)}
    assert run("health", "check", connect=False, env=env).exit_code == 0
    folder = config_file(clean_environment).parent
    folder.mkdir(parents=True)
    (folder / "relative-key").write_text(fake.api_key)
    ConfigFile(
        folder / "config.toml",
        "default",
        {"default": Profile("default", url=fake.url, api_key_file="relative-key")},
    ).save()
    assert run("health", "check", connect=False).exit_code == 0


def test_an_empty_or_missing_key_file_is_a_typed_error(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.write_text("\n")
    result = run("pages", "list", "--url", fake.url, "--api-key-file", str(empty), connect=False)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"ConfigError: the API key file {empty} is empty"
    gone = run(
        "pages", "list", "--url", fake.url, "--api-key-file", str(tmp_path / "nope"), connect=False
    )
    assert gone.exit_code == 1
    assert "cannot read the API key file" in gone.stderr


def test_validate_checks_the_file_and_the_credentials(fake: FakeWikiJS, run: Run) -> None:
    save_profile(fake, run)
    result = run("config", "validate", connect=False)
    assert result.exit_code == 0, result.output
    assert "api key:  set (from profile 'default')" in result.stdout
    assert "full access), acting as user 1 (Administrator <admin@example.com>)" in result.stdout
    assert result.stdout.strip().endswith("ok")
    assert fake.api_key not in result.output


def test_validate_fails_when_the_key_is_not_accepted(fake: FakeWikiJS, run: Run) -> None:
    run("config", "init", "--url", fake.url, "--api-key", "not-a-real-key", connect=False)
    result = run("config", "validate", "--json", connect=False)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert "credentials NOT accepted" in report["checks"]["server"]
    assert "not-a-real-key" not in result.output


def test_validate_flags_a_file_others_can_read(
    fake: FakeWikiJS, run: Run, clean_environment: Path
) -> None:
    save_profile(fake, run)
    config_file(clean_environment).chmod(0o644)
    result = run("config", "validate", "--offline", connect=False)
    assert result.exit_code == 1
    assert "problem:" in result.stdout
    assert "chmod 600" in result.stdout


def test_validate_warns_about_oddities_without_failing(
    fake: FakeWikiJS, run: Run, clean_environment: Path
) -> None:
    path = config_file(clean_environment)
    path.parent.mkdir(parents=True)
    path.write_text(
        f'colour = "blue"\ndefault_profile = "gone"\n[profiles.a]\nurl = "{fake.url}"\n'
        'api_key_file = "x"\napi_key = "y"\nextra = 1\n[profiles.b]\n'
    )
    path.chmod(0o600)
    result = run("config", "validate", "--offline", "--json", connect=False)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["warnings"] == [
        "unknown setting 'colour'",
        "profile 'a': unknown setting 'extra'",
        "profile 'a' has both api_key and api_key_file",
        "profile 'b' has no url",
        "default_profile 'gone' is not a profile",
    ]


def test_validate_without_a_file(fake: FakeWikiJS, run: Run, tmp_path: Path) -> None:
    result = run("config", "validate")
    assert result.exit_code == 0, result.output
    assert "warning: no settings file at" in result.stdout
    named = run("config", "validate", "--config", str(tmp_path / "none.toml"))
    assert named.exit_code == 1
    assert named.stderr.startswith("ConfigError: no settings file at")


def test_a_profile_named_default_is_used_without_default_profile(
    fake: FakeWikiJS, run: Run, clean_environment: Path
) -> None:
    path = config_file(clean_environment)
    ConfigFile(path, None, {"default": Profile("default", url=fake.url, timeout=2.5)}).save()
    shown = json.loads(run("config", "show", "--json", connect=False).stdout)
    assert (shown["profile"], shown["timeout"], shown["api_key"]) == (
        "default",
        2.5,
        "not set (Guest)",
    )
    assert "timeout = 2.5" in path.read_text()
    flagged = run("config", "show", "--timeout", "9", connect=False)
    assert "timeout:  9.0" in flagged.stdout
    assert "url_from: profile 'default'" in flagged.stdout


def test_timeouts_reach_the_client(fake: FakeWikiJS, run: Run) -> None:
    assert run("pages", "list", "--timeout", "3").exit_code == 0


def test_init_and_path_in_json(fake: FakeWikiJS, run: Run, clean_environment: Path) -> None:
    result = run("config", "init", "--url", fake.url, "--api-key", "k", "--json", connect=False)
    assert json.loads(result.stdout) == {
        "path": str(config_file(clean_environment)),
        "profile": "default",
        "default": True,
    }
    path = json.loads(run("config", "path", "--json", connect=False).stdout)["path"]
    assert path == str(config_file(clean_environment))


def test_bad_profile_names_are_refused(run: Run) -> None:
    result = run(
        "config",
        "init",
        "--profile",
        "no spaces",
        "--url",
        "http://x",
        "--api-key",
        "k",
        connect=False,
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("ConfigError: profile name 'no spaces'")


def test_an_unreadable_settings_file(run: Run, clean_environment: Path) -> None:
    config_file(clean_environment).mkdir(parents=True)  # a folder where the file should be
    result = run("pages", "list", connect=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("ConfigError: cannot read ")


def test_a_timeout_must_be_positive(run: Run) -> None:
    result = run("pages", "list", "--timeout", "0")
    assert result.exit_code == 2
    assert "positive number of seconds" in result.stderr
