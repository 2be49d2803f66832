"""The client's knowledge of its server's API (``wikijs/_protocol/compat.py``), without I/O."""

from __future__ import annotations

import warnings

import pytest

from wikijs._async.server_api import ServerAPI
from wikijs._generated.operations import OPERATIONS
from wikijs._generated.versions import API_RELEASES, REQUIREMENTS, SCHEMA_VERSION
from wikijs._protocol.compat import version_mismatch
from wikijs.errors import GraphQLErrorDetail, QueryError, UnsupportedByServerError
from wikijs.versions import ServerVersionWarning


def refusal(*messages: str, code: str = "GRAPHQL_VALIDATION_FAILED") -> QueryError:
    details = [GraphQLErrorDetail(m, extension_code=code) for m in messages]
    return QueryError(messages[0], errors=details, status_code=400)


UPDATE_GROUP = OPERATIONS["UpdateGroup"].document
NO_REDIRECT = 'Unknown argument "redirectOnLogin" on field "GroupMutation.update".'


def test_an_unchanged_operation_passes_through_untouched() -> None:
    server = ServerAPI()
    variables = {"id": 1}
    assert server.adapt("GetPage", OPERATIONS["GetPage"].document, variables) == (
        OPERATIONS["GetPage"].document,
        variables,
    )


def test_after_a_refusal_the_variant_goes_out_with_the_argument_dropped() -> None:
    server = ServerAPI()
    assert server.learn("UpdateGroup", UPDATE_GROUP, refusal(NO_REDIRECT))
    variables = {"id": 3, "name": "G", "redirectOnLogin": "/", "permissions": [], "pageRules": []}
    document, sent = server.adapt("UpdateGroup", UPDATE_GROUP, variables)
    assert document == REQUIREMENTS["UpdateGroup"].variants[0].document
    assert "redirectOnLogin" not in document
    assert sent == {"id": 3, "name": "G", "permissions": [], "pageRules": []}


def test_an_argument_whose_value_the_older_release_cannot_honour_raises() -> None:
    server = ServerAPI()
    server.learn("UpdateGroup", UPDATE_GROUP, refusal(NO_REDIRECT))
    with pytest.raises(UnsupportedByServerError) as raised:
        server.adapt("UpdateGroup", UPDATE_GROUP, {"id": 3, "redirectOnLogin": "/docs"})
    assert raised.value.message == (
        "needs Wiki.js ≥ 2.5.105 for redirectOnLogin; this server is older "
        "(it has no GroupMutation.update(redirectOnLogin:))"
    )
    assert raised.value.operation == "UpdateGroup"


def test_a_refusal_that_is_not_about_the_schema_stands() -> None:
    server = ServerAPI()
    document = OPERATIONS["GetPage"].document
    assert not server.learn("GetPage", document, refusal('Syntax Error: Unexpected "}".'))
    assert not server.learn(
        "GetPage", document, refusal('Cannot query field "x" on type "Page".', code="X")
    )
    # a document of the user's own with a generated operation's name
    assert not server.learn(
        "GetPage", "query GetPage { pages { x } }", refusal('Cannot query field "x" on type "P".')
    )


def test_a_server_lacking_what_no_release_lacked_is_not_a_version_the_sdk_knows() -> None:
    server = ServerAPI()
    with pytest.raises(UnsupportedByServerError) as raised:
        server.learn(
            "GetPage",
            OPERATIONS["GetPage"].document,
            refusal('Cannot query field "title" on type "Page".'),
        )
    assert raised.value.required_version is None
    assert raised.value.message == (
        f"needs what this server lacks: Page.title (the SDK supports Wiki.js "
        f"{API_RELEASES[0]} to {SCHEMA_VERSION})"
    )


def test_a_batch_teaches_each_operation_only_what_it_may_lack() -> None:
    server = ServerAPI()
    learned = server.learn_batch(
        [
            ("GetPage", OPERATIONS["GetPage"].document),
            ("ListPages", OPERATIONS["ListPages"].document),
        ],
        refusal(
            'Cannot query field "scriptCss" on type "Page".',
            'Cannot query field "scriptJs" on type "Page".',
        ).errors,
    )
    assert learned
    assert "scriptCss" not in server.adapt("GetPage", OPERATIONS["GetPage"].document, {})[0]
    listing = OPERATIONS["ListPages"].document
    assert server.adapt("ListPages", listing, {})[0] is listing
    assert not server.lacks("GetPage")


def test_knowing_the_version_chooses_every_form_at_once() -> None:
    server = ServerAPI()
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        server.observe_version("2.4.107")
        server.observe_version("2.4.107")
    assert [w.category for w in seen] == [ServerVersionWarning]
    assert server.lacks("ConvertPage")
    assert server.lacks("EnableUserTfa")
    assert "scriptCss" not in server.adapt("GetPage", OPERATIONS["GetPage"].document, {"id": 1})[0]
    with pytest.raises(UnsupportedByServerError, match=r"this server is 2\.4\.107$"):
        server.adapt("ConvertPage", OPERATIONS["ConvertPage"].document, {})


@pytest.mark.parametrize(
    ("version", "start"),
    [
        ("2.3.81", "Wiki.js 2.3.81 is older than any release the SDK supports"),
        ("2.6.0", f"Wiki.js 2.6.0 is newer than {SCHEMA_VERSION}, the release the SDK"),
        ("2.5.170", f"Wiki.js 2.5.170 has an older API than {SCHEMA_VERSION}"),
    ],
)
def test_the_warning_says_how_the_api_differs(version: str, start: str) -> None:
    from wikijs._protocol.compat import api_release

    message = version_mismatch(
        version, api_release(version), SCHEMA_VERSION, API_RELEASES, REQUIREMENTS
    )
    assert message is not None
    assert message.startswith(start)


def test_no_warning_for_the_sdks_own_api() -> None:
    from wikijs._protocol.compat import api_release

    assert (
        version_mismatch("2.5.297", api_release("2.5.297"), SCHEMA_VERSION, API_RELEASES, {})
        is None
    )
