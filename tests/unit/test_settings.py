"""``WikiJSClient.from_env()`` and ``.from_profile()``: the settings the CLI uses, shared."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from wikijs import ConfigError, WikiJSClient
from wikijs.aio import AsyncWikiJSClient
from wikijs.cli._config import ConfigFile, Profile
from wikijs.testing import FakeWikiJS


@pytest.fixture
def settings_file(tmp_path: Path, fake: FakeWikiJS) -> Path:
    """A settings file as ``wikijs config init`` writes it, with two profiles."""
    path = tmp_path / "wikijs" / "config.toml"
    (tmp_path / "staging.key").write_text(fake.api_key + "\n")
    ConfigFile(
        path,
        default_profile="main",
        profiles={
            "main": Profile("main", url=fake.url, api_key=fake.api_key, timeout=12.5),
            "staging": Profile("staging", url=fake.url, api_key_file="../staging.key"),
        },
    ).save()
    return path


def test_from_env_reads_the_url_and_the_key(fake: FakeWikiJS) -> None:
    environ = {"WIKIJS_URL": fake.url, "WIKIJS_API_KEY": fake.api_key, "HOME": "/nonexistent"}
    with WikiJSClient.from_env(environ=environ, transport=fake.sync_transport()) as client:
        assert client.config.base_url == fake.url
        assert client.whoami().id == 1


async def test_the_async_client_has_it_too(fake: FakeWikiJS) -> None:
    environ = {"WIKIJS_URL": fake.url, "WIKIJS_API_KEY": fake.api_key, "HOME": "/nonexistent"}
    client = AsyncWikiJSClient.from_env(environ=environ, http_client=fake.aiohttp_session)
    async with client:
        assert (await client.whoami()).id == 1


def test_from_env_takes_what_the_environment_lacks_from_the_default_profile(
    fake: FakeWikiJS, settings_file: Path
) -> None:
    environ = {"XDG_CONFIG_HOME": str(settings_file.parent.parent)}
    with WikiJSClient.from_env(environ=environ, transport=fake.sync_transport()) as client:
        assert client.config.base_url == fake.url
        assert client.config.timeout.read == 12.5
        assert client.whoami().id == 1


def test_from_env_reads_a_key_file(fake: FakeWikiJS, tmp_path: Path) -> None:
    key = tmp_path / "key"
    key.write_text(f"  {fake.api_key}\n")
    environ = {"WIKIJS_URL": fake.url, "WIKIJS_API_KEY_FILE": str(key), "HOME": str(tmp_path)}
    with WikiJSClient.from_env(environ=environ, transport=fake.sync_transport()) as client:
        assert client.auth.bearer_token() == fake.api_key


def test_without_a_url_from_env_says_where_to_put_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="WIKIJS_URL"):
        WikiJSClient.from_env(environ={"XDG_CONFIG_HOME": str(tmp_path)})


def test_explicit_options_win(fake: FakeWikiJS) -> None:
    environ = {"WIKIJS_URL": fake.url, "WIKIJS_API_KEY": fake.api_key, "HOME": "/nonexistent"}
    with WikiJSClient.from_env(environ=environ, auth=None, timeout=3) as client:
        assert client.auth.bearer_token() is None
        assert client.config.timeout.read == 3


def test_from_profile_reads_only_the_profile(
    fake: FakeWikiJS, settings_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIKIJS_CONFIG", str(settings_file))
    monkeypatch.setenv("WIKIJS_URL", "http://elsewhere.invalid")
    monkeypatch.setenv("WIKIJS_API_KEY", "not-this-key")
    with WikiJSClient.from_profile("staging", transport=fake.sync_transport()) as client:
        assert client.config.base_url == fake.url
        # api_key_file is relative to the settings file's folder
        assert client.auth.bearer_token() == fake.api_key
        assert client.whoami().id == 1
    with WikiJSClient.from_profile(transport=fake.sync_transport()) as client:
        assert client.config.timeout.read == 12.5  # the default profile, "main"


def test_from_profile_names_the_profiles_it_has(settings_file: Path) -> None:
    with pytest.raises(ConfigError, match=r"no profile 'prod' .*main, staging"):
        WikiJSClient.from_profile("prod", config_path=settings_file)


def test_from_profile_without_a_file_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="wikijs config init"):
        WikiJSClient.from_profile("main", config_path=tmp_path / "missing.toml")


def test_the_loader_needs_no_click(fake: FakeWikiJS, settings_file: Path) -> None:
    script = (
        "import sys; sys.modules['click'] = None\n"
        "from wikijs import WikiJSClient\n"
        f"client = WikiJSClient.from_profile('main', config_path={str(settings_file)!r})\n"
        "print(client.config.base_url)\n"
        "assert 'wikijs.cli' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == fake.url
