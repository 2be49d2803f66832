"""The built wheel, installed in a fresh venv, is typed for a user's checkers.

A user's project sees ``wikijs`` as installed from the wheel: one package
(the generated models inside it as ``wikijs._generated``, no second
top-level package), ``py.typed``, and types that ``mypy --strict`` and
pyright (strict) both read: ``reveal_type`` shows the models, and a misspelt
attribute, keyword or option (``order_by="nmae"``) is an error. The same
script is checked against the editable install the tests run in.

It also installs beside the rest of the Python GraphQL ecosystem: in another
fresh venv, ``gql[httpx]>=4`` (which needs graphql-core 3.3) with
``wikijs[cli]``, then ``wikijs[cli,testing]``, without a conflict; the CLI
alone brings no server stack, ``wikijs demo`` runs, and a script uses gql
and the SDK against the fake. Nothing is kept between runs: the wheel and
the venvs live in a temporary folder (about 90 s in all).
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.wheel

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

USER_SCRIPT = textwrap.dedent(
    """\
    from wikijs import NotFoundError, WikiJSClient
    from wikijs.aio import AsyncWikiJSClient
    from wikijs.models import Page


    def main() -> None:
        client = WikiJSClient("https://wiki.example.com", auth="KEY")
        page = client.pages.get(1)
        reveal_type(page)
        reveal_type(client.users.list())
        print(page.titel)
        client.pages.create(titel="T", path="p", content="c")
        client.users.list(order_by="nmae")
        client.pages.list(order_by="TITEL", direction="desc")
        client.users.list(order_by="-created_at", direction="desc")
        try:
            client.pages.get(2)
        except NotFoundError as error:
            reveal_type(error.code)


    async def amain() -> Page:
        async with AsyncWikiJSClient("https://wiki.example.com") as client:
            reveal_type(await client.pages.list())
            return await client.pages.get(1)
    """
)
REVEALS = {9: "Page", 10: "list[UserMinimal]", 19: "int | None", 24: "list[PageListItem]"}
# page.titel, create(titel=...), and two misspelt order_by options (line 15 is right)
ERROR_LINES = {11, 12, 13, 14}


def run(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, ROOT)
    assert built.returncode == 0, built.stderr
    (path,) = dist.glob("wikijs-*.whl")
    return path


@pytest.fixture(scope="module")
def fresh_python(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("venv")
    assert run(sys.executable, "-m", "venv", venv).returncode == 0
    python = venv / "bin" / "python"
    installed = run(python, "-m", "pip", "install", "-q", wheel)
    assert installed.returncode == 0, installed.stderr
    return python


@pytest.fixture
def user_project(tmp_path: Path) -> Path:
    """A folder with the script and no configuration of ours (mypy and pyright start clean)."""
    (tmp_path / "user.py").write_text(USER_SCRIPT)
    (tmp_path / "pyrightconfig.json").write_text('{"typeCheckingMode": "strict"}')
    return tmp_path


def test_the_wheel_holds_one_typed_package(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names} == {
        "wikijs",
        wheel.name.split("-py3")[0] + ".dist-info",
    }
    for expected in (
        "wikijs/py.typed",
        "wikijs/_generated/py.typed",
        "wikijs/_generated/fragments.py",
    ):
        assert expected in names
    assert not [name for name in names if "_wikijs_generated" in name or "__pycache__" in name]


def test_the_installed_wheel_has_one_page_class(fresh_python: Path, tmp_path: Path) -> None:
    check = run(
        fresh_python,
        "-c",
        "import importlib.util, wikijs.models, wikijs._generated.fragments as f\n"
        "assert wikijs.models.Page is f.Page\n"
        "assert importlib.util.find_spec('_wikijs_generated') is None\n"
        "print(wikijs.models.__file__)",
        cwd=tmp_path,  # not the repo, whose wikijs/ would shadow the installed one
    )
    assert check.returncode == 0, check.stderr
    assert str(fresh_python.parent.parent) in check.stdout  # the wheel's copy, not the repo's


_MYPY_CACHES: dict[Path, Path] = {}


def _mypy_cache(python: Path) -> Path:
    """A mypy cache of this session for this interpreter's packages, made empty.

    The first script checked against an interpreter analyses wikijs, pydantic
    and the standard library (~15-30 s); later ones (the editable install's
    here and in tests/call_options/test_typing.py) read them from the cache
    and analyse only their own script, which mypy always checks afresh.
    """
    if python not in _MYPY_CACHES:
        _MYPY_CACHES[python] = Path(tempfile.mkdtemp(prefix="wikijs-mypy-"))
        atexit.register(shutil.rmtree, _MYPY_CACHES[python], True)
    return _MYPY_CACHES[python]


def mypy_findings(python: Path, project: Path) -> tuple[dict[int, str], set[int]]:
    result = run(
        sys.executable, "-m", "mypy", "--strict", f"--cache-dir={_mypy_cache(python)}",
        "--python-executable", python, "user.py", cwd=project,
    )  # fmt: skip
    reveals = {
        int(m[1]): m[2]
        for m in re.finditer(r'user\.py:(\d+): note: Revealed type is "(.*)"', result.stdout)
    }
    errors = {int(m[1]) for m in re.finditer(r"user\.py:(\d+): error:", result.stdout)}
    return reveals, errors


def pyright_findings(python: Path, project: Path) -> tuple[dict[int, str], set[int]]:
    result = run(BIN / "pyright", "--outputjson", "--pythonpath", python, "user.py", cwd=project)
    diagnostics = json.loads(result.stdout)["generalDiagnostics"]
    reveals = {
        d["range"]["start"]["line"] + 1: re.sub(r'^Type of ".*" is "(.*)"$', r"\1", d["message"])
        for d in diagnostics
        if d["severity"] == "information"
    }
    errors = {d["range"]["start"]["line"] + 1 for d in diagnostics if d["severity"] == "error"}
    return reveals, errors


def short(qualified: str) -> str:
    """mypy's ``wikijs._generated.fragments.Page`` as pyright writes it: ``Page``."""
    return re.sub(r"[\w.]+\.(\w+)", r"\1", qualified)


@pytest.mark.parametrize("checker", [mypy_findings, pyright_findings])
def test_checkers_see_the_models_and_catch_misspellings_in_the_wheel(
    checker: object, fresh_python: Path, user_project: Path
) -> None:
    reveals, errors = checker(fresh_python, user_project)  # type: ignore[operator]
    assert {line: short(t) for line, t in reveals.items()} == REVEALS
    assert errors == ERROR_LINES


@pytest.mark.parametrize("checker", [mypy_findings, pyright_findings])
def test_checkers_see_the_same_in_the_editable_install(checker: object, user_project: Path) -> None:
    reveals, errors = checker(Path(sys.executable), user_project)  # type: ignore[operator]
    assert {line: short(t) for line, t in reveals.items()} == REVEALS
    assert errors == ERROR_LINES


GQL_BESIDE = textwrap.dedent(
    """\
    from gql import Client, gql
    from gql.transport.httpx import HTTPXTransport

    from wikijs import WikiJSClient
    from wikijs.testing import FakeWikiJS

    fake = FakeWikiJS()
    url = fake.start()  # on a socket: uvicorn, from wikijs[testing]
    try:
        with WikiJSClient(url, auth=fake.api_key) as wiki:
            page = wiki.pages.create(title="Beside gql", path="docs/beside-gql", content="# Hi")
        headers = {"Authorization": f"Bearer {fake.api_key}"}
        transport = HTTPXTransport(url=f"{url}/graphql", headers=headers)
        # gql reads the fake's schema by introspection and validates the query against it
        with Client(transport=transport, fetch_schema_from_transport=True) as session:
            query = gql("query ($id: Int!) { pages { single(id: $id) { title path } } }")
            result = session.execute(query, variable_values={"id": page.id})
        assert result == {"pages": {"single": {"title": "Beside gql", "path": "docs/beside-gql"}}}
    finally:
        fake.close()
    print("gql and wikijs agree")
    """
)


def test_installs_beside_gql_4_and_the_cli_brings_no_server_stack(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    assert run(sys.executable, "-m", "venv", venv).returncode == 0
    python, wikijs = venv / "bin" / "python", venv / "bin" / "wikijs"

    def installed(*names: str) -> dict[str, str | None]:
        code = (
            "import json, sys, importlib.metadata as m\n"
            "def v(n):\n"
            "    try: return m.version(n)\n"
            "    except m.PackageNotFoundError: return None\n"
            "print(json.dumps({n: v(n) for n in sys.argv[1:]}))"
        )
        return json.loads(run(python, "-c", code, *names, cwd=tmp_path).stdout)  # type: ignore[no-any-return]

    cli = run(python, "-m", "pip", "install", "-q", "gql[httpx]>=4", f"{wheel}[cli]")
    assert cli.returncode == 0, cli.stderr
    server_stack = ("uvicorn", "websockets", "ariadne", "starlette")
    versions = installed("graphql-core", *server_stack)
    assert str(versions["graphql-core"]).startswith("3.3.")
    assert [name for name in server_stack if versions[name]] == []

    demo = run(wikijs, "demo", cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "uploaded" in demo.stdout  # through the fake in process: python-multipart
    assert "Done." in demo.stdout
    serving = run(wikijs, "fake-server", cwd=tmp_path)
    assert serving.returncode == 1
    assert "pip install 'wikijs[testing]'" in serving.stderr

    testing = run(python, "-m", "pip", "install", "-q", f"{wheel}[cli,testing]")
    assert testing.returncode == 0, testing.stderr
    consistent = run(python, "-m", "pip", "check")
    assert consistent.returncode == 0, consistent.stdout
    assert str(installed("graphql-core")["graphql-core"]).startswith("3.3.")

    (tmp_path / "beside.py").write_text(GQL_BESIDE)
    script = run(python, "beside.py", cwd=tmp_path)
    assert script.returncode == 0, script.stderr
    assert script.stdout.strip() == "gql and wikijs agree"
