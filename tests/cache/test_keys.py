"""Keys, tags and freshness of cached answers (pure logic, no I/O)."""

from __future__ import annotations

import pytest

from wikijs._generated.operations import OPERATIONS
from wikijs._protocol.batch import build_batch
from wikijs._protocol.cache_keys import (
    ALL,
    PAGE_LISTS,
    Envelope,
    batch_mutation_tags,
    bypass,
    cache_mode,
    mutation_tags,
    next_clock,
    page_tag,
    path_tag,
    query_plan,
    result_tags,
)
from wikijs._protocol.operation import describe
from wikijs.auth import APIKeyAuth, JWTAuth, build_auth
from wikijs.errors import ValidationError

SCOPE = "https://wiki.example.com"
GET_PAGE = OPERATIONS["GetPage"].document
BY_PATH = OPERATIONS["GetPageByPath"].document
LIST = OPERATIONS["ListPages"].document


def plan(document: str, variables: dict[str, object], name: str = "", identity: str = "guest"):
    return query_plan(document, name, variables, scope=SCOPE, identity=identity)


# -- keys ----------------------------------------------------------------------


def test_a_page_read_is_keyed_by_operation_and_tagged_by_page() -> None:
    found = plan(GET_PAGE, {"id": 5}, "GetPage")
    assert found is not None
    assert found.key.startswith("q:GetPage:")
    assert found.tags == (ALL, "page:5", "pages:*")


def test_the_key_depends_on_identity_wiki_variables_and_document() -> None:
    base = plan(GET_PAGE, {"id": 5}, "GetPage")
    assert base is not None
    others = [
        plan(GET_PAGE, {"id": 5}, "GetPage", identity="key:abc"),
        query_plan(GET_PAGE, "GetPage", {"id": 5}, scope="https://other.wiki", identity="guest"),
        plan(GET_PAGE, {"id": 6}, "GetPage"),
        plan(GET_PAGE.replace("title", "title\n description"), {"id": 5}, "GetPage"),
    ]
    assert all(other is not None and other.key != base.key for other in others)


def test_the_key_ignores_spelling_and_variable_order() -> None:
    first = plan(LIST, {"limit": 3, "locale": "en"}, "ListPages")
    respelled_document = "\n\n   " + LIST.replace("\n", "\n\n  ")
    respelled = plan(respelled_document, {"locale": "en", "limit": 3}, "ListPages")
    assert first is not None
    assert respelled is not None
    assert first.key == respelled.key


@pytest.mark.parametrize(
    "auth",
    [APIKeyAuth("sk-very-secret-api-key"), JWTAuth("alice@example.com", "hunter2-password")],
    ids=["api-key", "jwt"],
)
def test_no_credential_appears_in_a_key(auth: object) -> None:
    identity = build_auth(auth).cache_identity()  # type: ignore[arg-type]
    found = plan(GET_PAGE, {"id": 5}, "GetPage", identity=identity)
    assert found is not None
    for secret in ("sk-very-secret-api-key", "very-secret", "hunter2", "alice"):
        assert secret not in found.key
    assert identity not in found.key


def test_variables_that_are_not_json_are_not_cached() -> None:
    assert plan(GET_PAGE, {"id": object()}, "GetPage") is None


# -- what is cached --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        ("query { authentication { apiState } }", {}),
        ("query { users { profile { id } } }", {}),
        (OPERATIONS["CheckPageConflicts"].document, {"id": 1, "checkoutDate": "2024-01-01"}),
        (OPERATIONS["GetPageConflictLatest"].document, {"id": 1}),
        ("query { __schema { types { name } } }", {}),
        ("query { ...Q } fragment Q on Query { pages { tags { tag } } }", {}),
        ("query { pages { ... on PageQuery { tags { tag } } } }", {}),
        ("query ($id: Int!) { pages { single(id: $id) { id } } }", {}),
        ("query { pages { singleByPath(path: 1, locale: 2) { id } } }", {}),
        ("query { pages { tags { tag } } ", {}),
        ("mutation { pages { rebuildTree { responseResult { succeeded } } } }", {}),
        ("query A { pages { tags { tag } } } query B { pages { tags { tag } } }", {}),
        ("query { __typename }", {}),
    ],
    ids=[
        "authentication",
        "profile",
        "checkConflicts",
        "conflictLatest",
        "introspection",
        "top-fragment",
        "inline-fragment",
        "missing-id",
        "bad-path",
        "unparsable",
        "mutation",
        "ambiguous",
        "nothing",
    ],
)
def test_what_is_never_cached(document: str, variables: dict[str, object]) -> None:
    assert plan(document, variables) is None


def test_login_is_not_a_query_and_bumps_nothing() -> None:
    login = OPERATIONS["Login"]
    assert plan(login.document, {}, "Login") is None
    variables = {"username": "a", "password": "b", "strategy": "local"}
    assert mutation_tags(login.document, "Login", variables) == ()


def test_a_document_with_several_operations_uses_the_named_one() -> None:
    document = "query A { pages { tags { tag } } } query B { users { list { id } } }"
    found = plan(document, {}, "B")
    assert found is not None
    assert "users:*" in found.tags
    assert "pages:*" not in found.tags


def test_a_page_read_by_path_learns_the_page_id_from_its_answer() -> None:
    found = plan(BY_PATH, {"path": "docs/start", "locale": "en"}, "GetPageByPath")
    assert found is not None
    assert path_tag("en", "docs/start") in found.tags
    assert result_tags(found, {"pages": {"singleByPath": {"id": 7}}}) == ("page:7",)
    assert result_tags(found, {"pages": {"singleByPath": None}}) == ()
    assert result_tags(found, None) == ()


def test_aliases_are_followed_when_reading_the_answer() -> None:
    document = 'query { p: pages { s: singleByPath(path: "a/b", locale: "en") { id } } }'
    found = plan(document, {})
    assert found is not None
    assert result_tags(found, {"p": {"s": {"id": "9"}}}) == ("page:9",)


@pytest.mark.parametrize(
    ("document", "variables", "tag"),
    [
        (LIST, {}, PAGE_LISTS),
        (OPERATIONS["SearchPages"].document, {"query": "x"}, PAGE_LISTS),
        (OPERATIONS["GetPageTree"].document, {"locale": "en", "mode": "ALL"}, PAGE_LISTS),
        (OPERATIONS["GetPageHistory"].document, {"id": 4}, "page:4"),
        (OPERATIONS["GetPageVersion"].document, {"pageId": 4, "versionId": 1}, "page:4"),
        ("query { users { list { id } } }", {}, "users:*"),
    ],
    ids=["list", "search", "tree", "history", "version", "users"],
)
def test_query_tags(document: str, variables: dict[str, object], tag: str) -> None:
    found = plan(document, variables)
    assert found is not None
    assert tag in found.tags
    assert ALL in found.tags


# -- what mutations invalidate ---------------------------------------------------------------


def update_variables(**extra: object) -> dict[str, object]:
    return {"id": 5, "path": "docs/new", "locale": "en", **extra}


@pytest.mark.parametrize(
    ("name", "variables", "expected"),
    [
        ("UpdatePage", update_variables(), {"page:5", "path:en/docs/new", PAGE_LISTS}),
        (
            "MovePage",
            {"id": 5, "destinationPath": "x/y", "destinationLocale": "de"},
            {"page:5", "path:de/x/y", PAGE_LISTS},
        ),
        ("DeletePage", {"id": 5}, {"page:5", PAGE_LISTS, "comments:*"}),
        ("RenderPage", {"id": 5}, {"page:5"}),
        ("ConvertPage", {"id": 5, "editor": "code"}, {"page:5", PAGE_LISTS}),
        ("RestorePage", {"pageId": 5, "versionId": 2}, {"page:5", PAGE_LISTS}),
        ("DeletePageTag", {"id": 1}, {"pages:*"}),
        ("RebuildPageTree", {}, {PAGE_LISTS}),
        ("FlushPageCache", {}, {"pages:*"}),
        ("DeletePage", {}, {"pages:*"}),
        ("MovePage", {"id": 5}, {"pages:*"}),
    ],
)
def test_page_mutations(name: str, variables: dict[str, object], expected: set[str]) -> None:
    assert set(mutation_tags(OPERATIONS[name].document, name, variables)) == expected


def test_creating_a_page_evicts_its_path_and_the_lists() -> None:
    create = OPERATIONS["CreatePage"]
    tags = mutation_tags(create.document, "CreatePage", {"path": "a/b", "locale": "en"})
    assert set(tags) == {"path:en/a/b", PAGE_LISTS}
    assert mutation_tags(create.document, "CreatePage", {}) == ("pages:*",)


def mutation(selection: str) -> str:
    return f"mutation {{ {selection} {{ responseResult {{ succeeded }} }} }} }}"


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (mutation('users { update(id: 3, name: "x")'), {ALL}),
        (mutation('users { create(email: "a", name: "b")'), {"users:*", "groups:*"}),
        (mutation("groups { assignUser(groupId: 1, userId: 3)"), {ALL}),
        (mutation('groups { create(name: "g")'), {"groups:*"}),
        (mutation("assets { deleteAsset(id: 1)"), {"assets:*"}),
        (mutation("search { rebuildIndex"), {"search:*", PAGE_LISTS}),
        (mutation("authentication { revokeApiKey(id: 1)"), {ALL}),
        (mutation("system { setTelemetry(enabled: false)"), {ALL}),
        (mutation("navigation { updateTree(tree: [])"), {"navigation:*"}),
        (
            "mutation { ...M } fragment M on Mutation { pages { rebuildTree { __typename } } }",
            {ALL},
        ),
        ("mutation {", {ALL}),
    ],
    ids=[
        "user-update",
        "user-create",
        "assign",
        "group-create",
        "asset",
        "search",
        "revoke",
        "system",
        "navigation",
        "fragment",
        "garbage",
    ],
)
def test_other_namespaces(document: str, expected: set[str]) -> None:
    assert set(mutation_tags(document, "", {})) == expected


def test_an_aliased_batch_of_updates_evicts_every_page() -> None:
    update = OPERATIONS["UpdatePage"].document
    request = build_batch(
        [(update, update_variables(id=1, path="a")), (update, update_variables(id=2, path="b"))]
    )
    tags = mutation_tags(request.document, "Batch[UpdatePage x2]", request.variables)
    assert {"page:1", "page:2", "path:en/a", "path:en/b", PAGE_LISTS} <= set(tags)


def test_an_array_batch_is_the_union_of_its_members() -> None:
    delete = OPERATIONS["DeletePage"].document
    members = [(delete, "DeletePage", {"id": 1}), (delete, "DeletePage", {"id": 2})]
    tags = batch_mutation_tags(members)
    assert {"page:1", "page:2", PAGE_LISTS} <= set(tags)


def test_analysis_is_cached_per_document() -> None:
    assert describe(GET_PAGE, "GetPage") is describe(GET_PAGE, "GetPage")


# -- freshness -------------------------------------------------------------------------------


def test_an_entry_is_fresh_until_one_of_its_tags_is_bumped_after_it_was_read() -> None:
    entry = Envelope(10, (ALL, "page:5"), {"x": 1})
    assert entry.is_fresh({})
    assert entry.is_fresh({"page:5": 10, ALL: 3})
    assert not entry.is_fresh({"page:5": 11})
    assert not entry.is_fresh({ALL: 11})


def test_an_envelope_without_the_all_tag_is_never_fresh() -> None:
    assert not Envelope(10, ("page:5",), {}).is_fresh({})


def test_envelopes_round_trip_and_junk_is_refused() -> None:
    entry = Envelope(10, (ALL, "page:5"), {"pages": {"single": None}})
    assert Envelope.from_json(entry.to_json()) == entry
    for junk in (None, [], {"f": 2}, {"f": 1, "c": "x", "t": [], "d": {}},
                 {"f": 1, "c": 1, "t": [1], "d": {}}, {"f": 1, "c": True, "t": [], "d": {}},
                 {"f": 1, "c": 1, "t": [], "d": []}):  # fmt: skip
        assert Envelope.from_json(junk) is None


def test_the_clock_passes_both_its_last_value_and_the_wall_clock() -> None:
    assert next_clock(5, 3) == 6
    assert next_clock(5, 100) == 100


def test_tags_have_one_spelling() -> None:
    assert page_tag(3) == "page:3"
    assert path_tag("en", "/docs/start/") == "path:en/docs/start"


# -- per-call mode ---------------------------------------------------------------------------


def test_the_cache_option_and_bypass() -> None:
    assert cache_mode({}) == "use"
    assert cache_mode({"cache": False}) == "off"
    assert cache_mode({"cache": "refresh"}) == "refresh"
    assert cache_mode({"cache": True}) == "use"
    with bypass():
        assert cache_mode({}) == "off"
        assert cache_mode({"cache": True}) == "use"
        with bypass(refresh=True):
            assert cache_mode({}) == "refresh"
        assert cache_mode({}) == "off"
    assert cache_mode({}) == "use"
    with pytest.raises(ValidationError):
        cache_mode({"cache": "sometimes"})
