"""The UI replay tool (codegen/ui_replay.py): extraction, coverage, shape comparison."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from codegen import ui_replay
from codegen.ui_replay import Answer, UIOperation, coverage, covered_by, differences, phase, shape

MIRROR = Path("/work/.mirror/requarks+wiki/repo")


def _has_tag(tag: str) -> bool:
    if not MIRROR.is_dir():
        return False
    found = subprocess.run(
        ["git", "--git-dir", str(MIRROR), "rev-parse", "--verify", "--quiet", tag],
        capture_output=True,
        check=False,
    )
    return found.returncode == 0


def op(
    kind: str, namespace: str, field: str, variables: tuple[tuple[str, str], ...] = ()
) -> UIOperation:
    return UIOperation("client/x.vue", 0, kind, "{}", ((namespace, field),), variables, ())


@pytest.mark.skipif(not _has_tag("v2.5.314"), reason="needs the Wiki.js mirror with tag v2.5.314")
def test_the_2_5_314_ui_has_145_operations() -> None:
    operations = ui_replay.extract(str(MIRROR), "v2.5.314")
    assert len(operations) == 145
    kinds = {o.kind for o in operations}
    assert kinds == {"query", "mutation", "subscription"}
    keys = {o.key for o in operations}
    assert {"storage.updateTargets", "authentication.updateStrategies", "loggingLiveTrail"} <= keys
    # a block commented out in admin-extensions.vue is not an operation
    assert not any("//" in o.document.splitlines()[1] for o in operations if o.document.strip())


def test_every_admin_operation_has_a_typed_call() -> None:
    table = coverage()
    assert (
        covered_by(op("mutation", "storage", "updateTargets"), table)[0] == "client.storage.update"
    )
    assert covered_by(op("query", "pages", "list"), table)[0] == "client.pages.list"
    assert covered_by(op("mutation", "authentication", "login"), table) == [
        "auth=JWTAuth(email, password)"
    ]
    assert covered_by(op("subscription", "loggingLiveTrail", ""), table) == [
        "client.logging.live_trail"
    ]
    for key in (
        ("mutation", "system", "performUpgrade"),
        ("mutation", "mail", "sendTest"),
        ("query", "contribute", "contributors"),
        ("mutation", "users", "updateProfile"),
    ):
        assert table.get(key), key


def test_shapes_merge_list_items_and_tell_null_from_values() -> None:
    found = shape({"a": [{"b": 1}, {"b": None}], "c": "x", "d": []})
    assert found["a[].b"] == {"number", "null"}
    assert found["c"] == {"string"}
    assert found["d"] == {"empty list"}


def test_differences_between_answers() -> None:
    same = Answer(200, {"data": {"x": {"flag": False, "items": [{"id": 1}]}}})
    assert (
        differences(same, Answer(200, {"data": {"x": {"flag": True, "items": [{"id": 2}]}}})) == []
    )
    assert differences(same, Answer(200, {"data": {"x": {"flag": True, "items": []}}})) == [
        "x.items: list on the fake, empty list on the server"
    ]
    null_vs_value = differences(
        same, Answer(200, {"data": {"x": {"flag": None, "items": [{"id": 3}]}}})
    )
    assert null_vs_value == ["x.flag: bool on the fake, null on the server"]
    missing = differences(Answer(200, {"data": {"x": None}, "errors": [{"message": "no"}]}), same)
    assert missing[0].startswith("errors on the fake: ['no']; on the server: none")
    assert (
        differences(Answer(400, {}), Answer(200, {}))[0]
        == "HTTP 400 on the fake, 200 on the server"
    )


def test_harm_comes_last_and_fixtures_first() -> None:
    assert phase(op("mutation", "comments", "create")) == 0
    assert phase(op("query", "pages", "list")) == 1
    assert phase(op("mutation", "site", "updateConfig")) == 2
    assert phase(op("mutation", "pages", "delete")) == 3
    assert phase(op("mutation", "system", "performUpgrade")) == 4
    assert phase(op("mutation", "authentication", "regenerateCertificates")) == 5


def test_a_replay_of_the_fake_changes_no_setting_it_keeps() -> None:
    from wikijs.testing import FakeWikiJS

    operations = [
        op("mutation", "site", "updateConfig", (("title", "String"), ("robots", "[String]"))),
        op("mutation", "theming", "setConfig", (("theme", "String!"), ("darkMode", "Boolean!"))),
    ]
    operations = [
        UIOperation(
            o.source,
            i,
            o.kind,
            "mutation ($title: String, $robots: [String]) { site { updateConfig(title: $title, "
            "robots: $robots) { responseResult { succeeded } } } }"
            if i == 0
            else "mutation ($theme: String!, $iconset: String!, $darkMode: Boolean!) { theming { "
            "setConfig(theme: $theme, iconset: $iconset, darkMode: $darkMode) { responseResult "
            "{ succeeded } } } }",
            o.fields,
            (("title", "String"), ("robots", "[String]"))
            if i == 0
            else (("theme", "String!"), ("iconset", "String!"), ("darkMode", "Boolean!")),
            (),
        )
        for i, o in enumerate(operations)
    ]
    with FakeWikiJS() as fake, fake.serve() as url:
        target = ui_replay.Target("fake", url, fake.api_key)
        try:
            answers, drift = ui_replay.replay(
                operations, target, "t3st01", allow_destructive=False, log=lambda _line: None
            )
        finally:
            target.close()
    assert [a.data for a in answers] == [
        {"site": {"updateConfig": {"responseResult": {"succeeded": True}}}},
        {"theming": {"setConfig": {"responseResult": {"succeeded": True}}}},
    ]
    assert drift == []
