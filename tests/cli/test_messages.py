"""The command line reports failures as the command's own call, never an internal one."""

from __future__ import annotations

import socket
from pathlib import Path

from wikijs.cli._session import Runtime
from wikijs.testing import FakeWikiJS

from .conftest import Run


def test_a_missing_page_names_the_call_and_the_page(run: Run) -> None:
    result = run("pages", "get", "999999")
    assert result.exit_code == 1
    assert result.stderr == "wikijs pages get: no page with id 999999 (NotFoundError)\n"


def test_the_first_call_is_not_reported_as_the_identity_check(fake: FakeWikiJS, run: Run) -> None:
    result = run("pages", "get", "1", "--url", fake.url, "--api-key", "not-a-key", connect=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("wikijs pages get: the server treats")
    assert "(AuthenticationError)\n  hint: check the API key: 'wikijs config validate'" in (
        result.stderr
    )
    assert "GetProfile" not in result.stderr


def test_an_unreachable_wiki_names_host_and_port(run: Run) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    runtime = Runtime(client_options={"retry_strategy": None})  # no backoff in tests
    result = run("pages", "list", "--url", url, "--api-key", "KEY", connect=False, obj=runtime)
    assert result.exit_code == 1
    assert f"cannot connect to 127.0.0.1:{port}" in result.stderr
    assert "GetProfile" not in result.stderr


def test_a_blank_title_is_refused_by_update(fake: FakeWikiJS, run: Run) -> None:
    page = fake.add_page("docs/kept", title="Kept", content="x")
    result = run("pages", "update", str(page.id), "--title", "")
    assert result.exit_code == 1
    assert result.stderr == "wikijs pages update: title cannot be empty (InvalidArgumentError)\n"
    assert fake.core.state.pages[page.id].title == "Kept"


def test_a_malformed_url_is_bad_usage_with_status_2(run: Run) -> None:
    for url in ("not a url", "wiki.example.com", "http://"):
        result = run("pages", "list", "--url", url, "--api-key", "KEY", connect=False)
        assert result.exit_code == 2, (url, result.output)
        assert "Invalid value for --url: " in result.stderr


def test_a_failed_import_file_names_the_file_not_an_sdk_call(
    fake: FakeWikiJS, run: Run, tmp_path: Path
) -> None:
    (tmp_path / "weird.md").write_text("---\neditor: wysiwyg\n---\n# Unknown editor\n")
    result = run("pages", "import", "--directory", str(tmp_path))
    assert result.exit_code == 1
    [failed] = [line for line in result.stdout.splitlines() if line.startswith("failed")]
    assert failed.startswith("failed         weird.md  en/weird ")
    assert "create_many(" not in failed
    assert "pages." not in failed
