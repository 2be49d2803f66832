"""The schema → operations → generated code pipeline."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from graphql import build_schema, parse, validate

from wikijs._generated.operations import OPERATIONS
from wikijs.versions import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = build_schema((ROOT / "schema" / "wikijs.graphql").read_text())


def test_schema_header_names_the_wikijs_version() -> None:
    first = (ROOT / "schema" / "wikijs.graphql").read_text().splitlines()[0]
    assert first == f"# Wiki.js {SCHEMA_VERSION} GraphQL schema."


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_every_operation_is_valid_against_the_real_schema(name: str) -> None:
    assert validate(SCHEMA, parse(OPERATIONS[name].document)) == []


def test_every_query_file_operation_is_registered() -> None:
    names = set()
    for path in (ROOT / "queries").rglob("*.graphql"):
        for definition in parse(path.read_text()).definitions:
            if getattr(definition, "operation", None) is not None:
                names.add(definition.name.value)  # type: ignore[attr-defined]
    assert names == set(OPERATIONS)


def test_no_operation_selects_toc_or_unsafe_write_fields() -> None:
    for spec in OPERATIONS.values():
        assert "toc" not in spec.document.split()
    for name in ("CreatePage", "UpdatePage"):
        page_selection = OPERATIONS[name].document.split("fragment PageWriteResult", 1)[1]
        for field in ("locale", "editor", "scriptCss", "scriptJs"):
            assert field not in page_selection.split("}")[0]


def test_sync_and_async_clients_share_one_set_of_models() -> None:
    from wikijs._generated import async_client, client, fragments

    sync_hints = client.GeneratedClient.get_page.__annotations__["return"]
    async_hints = async_client.AsyncGeneratedClient.get_page.__annotations__["return"]
    assert sync_hints == async_hints == "GetPage"
    from wikijs._generated.get_page import GetPagePagesSingle

    assert GetPagePagesSingle is fragments.Page


def test_generated_files_carry_the_do_not_edit_header() -> None:
    for path in (ROOT / "wikijs" / "_generated").glob("*.py"):
        assert "Do not edit" in path.read_text().splitlines()[1], path.name


def _copy_codegen_inputs(tmp_path: Path) -> Path:
    for name in ("schema", "queries", "codegen", "wikijs", "docs"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("codegen.toml", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def _run(module: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", module, "--check"],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_generated_code_is_current() -> None:
    result = _run("codegen.generate", ROOT)
    assert result.returncode == 0, result.stderr


def test_editing_a_query_without_regenerating_fails_the_check(tmp_path: Path) -> None:
    root = _copy_codegen_inputs(tmp_path)
    pages = root / "queries" / "pages.graphql"
    pages.write_text(
        pages.read_text().replace(
            "fragment PageTag on PageTag {\n  id\n  tag\n",
            "fragment PageTag on PageTag {\n  tag\n  id\n",
        )
    )
    result = _run("codegen.generate", root)
    assert result.returncode == 1
    assert "fragments.py" in result.stderr


def _client_module_source(documents: list[str]) -> str:
    """Code shaped as ariadne-codegen unparses a client module, before it formats the queries."""
    methods = []
    for number, document in enumerate(documents):
        strings = "".join(repr(line + "\n") for line in document.splitlines())
        methods.append(
            f"    async def op{number}(self, first: int = 10) -> Any:\n"
            f"        query = gql({strings})\n"
            f"        variables: Dict[str, object] = {{'first': first, 'name': 'a=b'}}\n"
            f"        note = 'one' 'two'; other = 'three' 'four'\n"
            f"        single = 'only one string'\n"
            f"        return self.execute(query=query, operation_name='Op{number}')\n"
        )
    spread = "    across = ('first line\\n'\n        'second line\\n')\n"
    return "class Client(BaseClient):\n" + spread + "\n".join(methods) + "'a' 'b'\n"


def test_the_linear_query_string_formatting_writes_what_ariadne_codegen_writes() -> None:
    # codegen/multiline.py stands in for upstream's quadratic function; the
    # committed package is generated with it, so this is where the two are compared.
    from ariadne_codegen.utils import format_multiline_strings as upstream

    from codegen.multiline import format_multiline_strings

    by_length = sorted((spec.document for spec in OPERATIONS.values()), key=len)
    documents = by_length[:3] + by_length[len(by_length) // 2 :][:3] + by_length[-2:]
    source = _client_module_source(documents)
    for offset in (4, 8):
        expected = upstream(source, offset=offset)
        assert expected != source  # upstream changed something: the comparison means something
        assert format_multiline_strings(source, offset=offset) == expected


def test_sync_client_is_derived_from_the_async_source() -> None:
    result = _run("codegen.unasync", ROOT)
    assert result.returncode == 0, result.stderr


def test_editing_async_code_without_unasync_fails_the_check(tmp_path: Path) -> None:
    root = _copy_codegen_inputs(tmp_path)
    source = root / "wikijs" / "_async" / "resources" / "pages.py"
    source.write_text(source.read_text().replace('"""Pages: read', '"""Pages (edited): read'))
    result = _run("codegen.unasync", root)
    assert result.returncode == 1
    assert "resources/pages.py" in result.stderr


def test_generated_methods_take_only_their_variables_and_the_call_options(client: Any) -> None:
    page = client.pages.create(title="Options", path="options", content="x")
    assert client.graphql.get_page(id=page.id, cache=False, retry=False).pages.single.id == page.id
    with pytest.raises(TypeError, match="unexpected keyword argument 'cach'"):
        client.graphql.get_page(id=page.id, cach=False)
    with pytest.raises(TypeError, match="unexpected keyword argument 'page_id'"):
        client.graphql.get_page(page_id=page.id)


async def test_async_generated_methods_refuse_unknown_keywords_too(aclient: Any) -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'tagz'"):
        await aclient.graphql.create_page(
            content="x", description="", editor="markdown", is_published=True,
            is_private=False, locale="en", path="p", tags=[], title="T", tagz=["a"],
        )  # fmt: skip


def test_every_public_model_and_field_has_its_own_docstring() -> None:
    import ast

    import wikijs.models as models
    from wikijs._generated import enums, fragments

    for name in models.__all__:
        value = getattr(models, name)
        if isinstance(value, type) and value.__module__ in (fragments.__name__, enums.__name__):
            assert value.__doc__, name
            assert "pydantic" not in value.__doc__, name
    tree = ast.parse((ROOT / "wikijs" / "_generated" / "fragments.py").read_text())
    for cls in (node for node in tree.body if isinstance(node, ast.ClassDef)):
        for field, after in zip(cls.body, [*cls.body[1:], None], strict=True):
            if isinstance(field, ast.AnnAssign):
                assert isinstance(after, ast.Expr), f"{cls.name}.{ast.unparse(field.target)}"
                assert isinstance(after.value, ast.Constant)


def test_descriptions_list_every_gap_and_every_stale_line(tmp_path: Path) -> None:
    import ast

    from codegen.descriptions import DescriptionError, Descriptions

    path = tmp_path / "descriptions.toml"
    path.write_text(
        '[models]\nPageTag = "A tag."\nGone = "x"\n'
        '[fields.PageTag]\ntag = "The name."\nstale = "x"\n'
    )
    descriptions = Descriptions(path)
    fragment = parse("fragment PageTag on PageTag { id tag }").definitions[0]
    cls = ast.parse("class PageTag(BaseModel):\n    id: int\n    tag: str\n").body[0]
    assert isinstance(cls, ast.ClassDef)
    descriptions.document_class(cls, fragment, fragment.selection_set, SCHEMA)  # type: ignore[attr-defined]
    assert ast.get_docstring(cls) == "A tag."
    with pytest.raises(DescriptionError) as caught:
        descriptions.check(enums=False)
    assert str(caught.value).splitlines()[1:] == [
        "  missing: [fields.PageTag] id",
        "  describes nothing generated: [models] Gone",
        "  describes nothing generated: [fields.PageTag] stale",
    ]
