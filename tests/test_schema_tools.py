"""The maintainer's tools for another Wiki.js: diagnostics, the schema diff, the pull.

scripts/generate against an older schema must say where each operation
breaks (and stop with status 2, no traceback); scripts/schema-diff classes
every change and lists what a new release adds that no operation uses;
scripts/pull-schema builds the schema the way the server serves it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from graphql import build_schema, introspection_from_schema

ROOT = Path(__file__).resolve().parent.parent
HISTORY = ROOT / "wikijs" / "_facts" / "schemas" / "history"
CURRENT = ROOT / "wikijs" / "_facts" / "schemas" / "wikijs.graphql"
MADE_UP = Path(__file__).parent / "data" / "schemas" / "wikijs-2.6.0-made-up.graphql"

sys.path.insert(0, str(ROOT))

from codegen import schema as pull_schema  # noqa: E402
from codegen import schema_diff, schemas  # noqa: E402
from codegen.diagnostics import check_overlay  # noqa: E402
from codegen.queries import load as load_queries  # noqa: E402

LOCATED = re.compile(r"^queries/[\w/]+\.graphql:\d+:\d+ \[(operation|fragment) \w+[^\]]*\] .+$")


def _generate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codegen.generate", "--check", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


# -- the history --------------------------------------------------------------------


def test_the_history_names_each_file_after_the_release_in_its_header() -> None:
    releases = schemas.history()
    assert [r.version for r in releases][:2] == ["2.4.75", "2.5.105"]
    for release in releases:
        assert schemas.header_version(release.path) == release.version


def test_each_history_file_is_a_schema_as_served_and_sorted() -> None:
    for release in schemas.history():
        text = release.path.read_text()
        loaded = schemas.load(release.path)
        assert schemas.body(schemas.render(loaded.schema, version="x", source="y")) == (
            schemas.body(text)
        )


def test_the_newest_history_release_has_the_api_of_the_committed_schema() -> None:
    newest = schemas.history()[-1]
    assert schemas.body(newest.path.read_text()) == schemas.body(CURRENT.read_text())


def test_the_history_files_say_which_releases_share_their_api() -> None:
    text = (HISTORY / "wikijs-2.4.75.graphql").read_text()
    assert "The API of Wiki.js 2.4.75 through 2.4.107." in text
    assert "through 2.5.197" in (HISTORY / "wikijs-2.5.117.graphql").read_text()


# -- scripts/generate diagnostics --------------------------------------------------------


@pytest.mark.parametrize(
    ("history_file", "expected"),
    [
        (
            "wikijs-2.5.117.graphql",  # the API of 2.5.117 through 2.5.197, so of 2.5.170
            [
                "[operation GetPageByPath] Cannot query field 'singleByPath' on type 'PageQuery'.",
                "[operation ConvertPage] Cannot query field 'convert' on type 'PageMutation'.",
                "[fragment SiteConfig, used by GetSiteConfig] Cannot query field 'editFab' on "
                "type 'SiteConfig'.",
                "[operation UpdateSiteConfig] Unknown argument 'footerOverride' on field "
                "'SiteMutation.updateConfig'.",
            ],
        ),
        (
            "wikijs-2.4.75.graphql",  # the API of 2.4.75 through 2.4.107
            [
                "[fragment Page, used by GetPage, GetPageByPath] Cannot query field 'scriptCss' "
                "on type 'Page'.",
                "[fragment LoginResult, used by Login, LoginChangePassword, LoginTFA] Cannot "
                "query field 'mustSetupTFA' on type 'AuthenticationLoginResponse'.",
                "[fragment Group, used by GetGroup] Cannot query field 'redirectOnLogin' on "
                "type 'Group'.",
                "[operation CreatePage] Unknown argument 'scriptCss' on field "
                "'PageMutation.create'.",
            ],
        ),
    ],
)
def test_generating_for_an_older_schema_lists_every_problem_where_it_is(
    history_file: str, expected: list[str]
) -> None:
    result = _generate("--schema", str(HISTORY / history_file))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("scripts/generate: queries/ does not fit ")
    problems = lines[1:-1]
    assert all(LOCATED.match(line) for line in problems), problems
    for message in expected:
        assert any(line.endswith(message) for line in problems), message
    assert lines[-1] == f"{len(problems)} problems; nothing was written."


def test_a_problem_in_a_fragment_points_at_the_fragment_line(tmp_path: Path) -> None:
    result = _generate("--schema", str(HISTORY / "wikijs-2.4.75.graphql"))
    line = next(line for line in result.stderr.splitlines() if "'scriptCss' on type 'Page'" in line)
    file, number, column = line.split(" ", 1)[0].split(":")
    source = (ROOT / file).read_text().splitlines()[int(number) - 1]
    assert source[int(column) - 1 :].startswith("scriptCss")


def test_overlay_entries_the_schema_lacks_come_after_the_query_problems(tmp_path: Path) -> None:
    text = CURRENT.read_text()
    cut = text.replace(
        "type CommentProvider {\n  config: [KeyValuePair]\n", "type CommentProvider {\n"
    )
    assert cut != text
    schema = tmp_path / "wikijs.graphql"
    schema.write_text(cut)
    result = _generate("--schema", str(schema))
    assert result.returncode == 2
    lines = result.stderr.splitlines()[1:-1]
    assert any("Cannot query field 'config' on type 'CommentProvider'" in line for line in lines)
    assert lines[-1] == (
        "codegen/plugin.py OVERLAY: CommentProvider.config (non_null_items): CommentProvider "
        "has no field config"
    )


def test_check_overlay_reports_every_entry_at_once() -> None:
    schema = build_schema("type Query { a: String }\ntype Page { tags: String }")
    overlay = (
        ("Page", "tags", "non_null_items"),
        ("Gone", "x", "nullable"),
        ("Page", "y", "nullable"),
    )
    assert check_overlay(schema, overlay, "OVERLAY") == [
        "OVERLAY: Page.tags (non_null_items): not a list",
        "OVERLAY: Gone.x (nullable): no type Gone",
        "OVERLAY: Page.y (nullable): Page has no field y",
    ]


def test_a_syntax_error_is_located_too(tmp_path: Path) -> None:
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "broken.graphql").write_text("query Broken {\n  pages { list ] }\n}\n")
    queries = load_queries(tmp_path / "queries", root=tmp_path)
    assert [(s.file, s.line, s.column) for s in queries.syntax] == [
        ("queries/broken.graphql", 2, 16)
    ]


# -- scripts/schema-diff -----------------------------------------------------------------


def _diff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codegen.schema_diff", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_diff_to_a_release_that_only_adds_lists_what_no_operation_uses() -> None:
    result = _diff(str(CURRENT), str(MADE_UP), "--fail-on-breaking")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.splitlines()[0] == (
        "Schema diff Wiki.js 2.5.314 -> Wiki.js 2.6.0: 4 changes (0 breaking, 2 dangerous, 2 safe)"
    )
    unused = out.split("used by no operation (3):\n", 1)[1].splitlines()
    assert [line.split() for line in unused] == [
        ["root", "query", "PageQuery.random"],
        ["field", "PageListItem.wordCount"],
        ["argument", "PageQuery.list(withWordCount:)"],
    ]


def test_a_dangerous_change_names_the_operations_it_touches() -> None:
    old = schemas.load(CURRENT).schema
    new = schemas.load(MADE_UP).schema
    result = schema_diff.diff(old, new, load_queries(ROOT / "queries"))
    enum = next(c for c in result.changes if c.kind == "VALUE_ADDED_TO_ENUM")
    assert (enum.level, enum.coordinate) == ("dangerous", "PageOrderBy.WORDS")
    assert enum.operations == ("ListPageIds", "ListPages")


def test_the_diff_to_an_older_release_counts_like_graphql_core_and_names_the_victims() -> None:
    result = _diff(str(CURRENT), str(HISTORY / "wikijs-2.4.75.graphql"), "--fail-on-breaking")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Schema diff Wiki.js 2.5.314 -> Wiki.js 2.4.75: 115 changes "
        "(71 breaking, 2 dangerous, 42 safe)"
    )
    removed = lines.index("  FIELD_REMOVED              PageQuery.singleByPath was removed.")
    assert lines[removed + 1].strip() == "affects GetPageByPath"


def test_the_diff_reads_introspection_json_like_sdl(tmp_path: Path) -> None:
    introspection = introspection_from_schema(
        schemas.load(HISTORY / "wikijs-2.5.117.graphql").schema
    )
    saved = tmp_path / "introspection-2.5.117.json"
    saved.write_text(json.dumps({"data": introspection}))
    as_json = _diff(str(CURRENT), str(saved))
    as_sdl = _diff(str(CURRENT), str(HISTORY / "wikijs-2.5.117.graphql"))
    assert as_json.stdout.splitlines()[0] == (
        "Schema diff Wiki.js 2.5.314 -> Wiki.js 2.5.117: 67 changes "
        "(31 breaking, 0 dangerous, 36 safe)"
    )
    assert as_json.stdout == as_sdl.stdout


def test_an_unreadable_schema_is_a_message_and_status_2(tmp_path: Path) -> None:
    (tmp_path / "broken.graphql").write_text("type Query {")
    result = _diff(str(CURRENT), str(tmp_path / "broken.graphql"))
    assert result.returncode == 2
    assert result.stderr.startswith("schema-diff: ")
    assert "Traceback" not in result.stderr


# -- scripts/pull-schema --------------------------------------------------------------------


def _split_sdl(folder: Path, text: str) -> None:
    """Wiki.js's SDL files: split by type, without the run-time directives."""
    folder.mkdir()
    body = schemas.body(text)
    blocks = [b for b in body.split("\n\n") if b.strip()]
    kept = [
        b
        for b in blocks
        if "@rateLimit(" not in b.split("\n")[0] and "CacheControlScope {" not in b
    ]
    kept = [b for b in kept if not b.startswith(("directive @cacheControl", "scalar Upload"))]
    half = len(kept) // 2
    (folder / "a.graphql").write_text("\n\n".join(kept[:half]))
    (folder / "b.graphql").write_text("\n\n".join(kept[half:]))


def test_pulling_from_sdl_adds_the_run_time_directives_and_matches_a_live_pull(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _split_sdl(tmp_path / "schemas", CURRENT.read_text())
    output = tmp_path / "wikijs.graphql"
    code = pull_schema.main(
        ["--from-sdl", str(tmp_path / "schemas"), "--wikijs-version", "2.5.314",
         "--output", str(output), "--no-history"]
    )  # fmt: skip
    assert code == 0
    assert schemas.body(output.read_text()) == schemas.body(CURRENT.read_text())
    assert output.read_text().startswith(
        "# Wiki.js 2.5.314 GraphQL schema.\n# Source: SDL schemas/*.graphql, with the directives"
    )


def test_pulling_prints_the_diff_and_adds_a_new_api_release_to_the_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "wikijs.graphql"
    output.write_text(CURRENT.read_text())
    history = tmp_path / "history"
    history.mkdir()
    newest = schemas.history()[-1]
    (history / newest.path.name).write_text(newest.path.read_text())
    code = pull_schema.main(
        ["--from-sdl", str(MADE_UP), "--wikijs-version", "2.6.0", "--output", str(output),
         "--history-dir", str(history)]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "Schema diff Wiki.js 2.5.314 -> Wiki.js 2.6.0: 4 changes" in out
    assert "root query         PageQuery.random" in out
    assert (history / "wikijs-2.6.0.graphql").read_text() == output.read_text()
    assert "wikijs-2.6.0.graphql added: Wiki.js 2.6.0 changed the API" in out


def test_pulling_an_older_release_leaves_the_history_alone(tmp_path: Path) -> None:
    output = tmp_path / "wikijs.graphql"
    history = tmp_path / "history"
    history.mkdir()
    newest = schemas.history()[-1]
    (history / newest.path.name).write_text(newest.path.read_text())
    code = pull_schema.main(
        ["--from-sdl", str(HISTORY / "wikijs-2.5.117.graphql"), "--wikijs-version", "2.5.170",
         "--output", str(output), "--history-dir", str(history)]
    )  # fmt: skip
    assert code == 0
    assert sorted(p.name for p in history.iterdir()) == [newest.path.name]


def test_fail_on_breaking_leaves_the_schema_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "wikijs.graphql"
    output.write_text(CURRENT.read_text())
    code = pull_schema.main(
        ["--from-sdl", str(HISTORY / "wikijs-2.4.75.graphql"), "--output", str(output),
         "--no-history", "--fail-on-breaking"]
    )  # fmt: skip
    captured = capsys.readouterr()
    assert code == 1
    assert "71 breaking" in captured.out
    assert "left as it was" in captured.err
    assert output.read_text() == CURRENT.read_text()


def test_a_folder_without_a_version_asks_for_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _split_sdl(tmp_path / "schemas", CURRENT.read_text())
    code = pull_schema.main(
        ["--from-sdl", str(tmp_path / "schemas"), "--output", str(tmp_path / "o")]
    )
    assert code == 1
    assert "pass --wikijs-version" in capsys.readouterr().err


# -- the versions table (queries/ against every supported release) ------------------------


@pytest.mark.parametrize("release", schemas.history(), ids=lambda r: r.version)
def test_every_operation_runs_on_every_supported_release_as_the_table_says(
    release: schemas.Release,
) -> None:
    from graphql import parse, validate

    from codegen.versions import SCHEMA_RULES
    from wikijs._generated.operations import OPERATIONS
    from wikijs._generated.versions import REQUIREMENTS

    schema = release.load()
    here = schemas.Version.parse(release.version)
    for name, spec in OPERATIONS.items():
        valid = not validate(schema, parse(spec.document), SCHEMA_RULES)
        requirement = REQUIREMENTS.get(name)
        if requirement is None or here >= schemas.Version.parse(requirement.complete_since):
            assert valid, f"{name} on {release.version}"
            continue
        assert not valid, f"{name} runs on {release.version}: the table is too strict"
        variant = next(
            (v for v in requirement.variants if here >= schemas.Version.parse(v.since)), None
        )
        if variant is None:
            assert requirement.unsupported_below is not None
            assert here < schemas.Version.parse(requirement.unsupported_below)
        else:
            assert here < schemas.Version.parse(variant.until)
            assert validate(schema, parse(variant.document), SCHEMA_RULES) == [], name
