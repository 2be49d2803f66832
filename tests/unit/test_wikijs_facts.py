"""Wiki.js's facts live in one module that the SDK and the fake both read."""

from __future__ import annotations

import pytest

from wikijs import WikiJSClient
from wikijs import _facts as wikijs_facts
from wikijs._protocol import validation
from wikijs.errors import ValidationError
from wikijs.testing import FakeWikiJS


@pytest.mark.parametrize("segment", sorted(wikijs_facts.RESERVED_PATHS))
def test_every_reserved_path_is_refused_by_the_sdk_and_stored_by_the_fake(segment: str) -> None:
    # Wiki.js's reservedPaths (server/app/data.yml) include "svg". Only the
    # editor's route checks them (server/controllers/common.js): the GraphQL
    # createPage stores such a page, which the real 2.5.314 did, and so does
    # the fake. The SDK refuses it, since nobody could open it.
    with pytest.raises(ValidationError):
        validation.normalize_path(f"{segment}/page")
    fake = FakeWikiJS()
    try:
        assert fake.add_page(f"{segment}/page").path == f"{segment}/page"
    finally:
        fake.close()


def test_the_reserved_list_is_the_one_wikijs_ships() -> None:
    assert {
        "login",
        "logout",
        "register",
        "verify",
        "favicons",
        "fonts",
        "img",
        "js",
        "svg",
    } == wikijs_facts.RESERVED_PATHS


def test_the_fake_and_the_sdk_read_the_same_error_catalogue(fake: FakeWikiJS) -> None:
    from wikijs._protocol.responses import SLUGS
    from wikijs.testing._errors import wiki_error

    assert SLUGS is wikijs_facts.SLUGS
    for name, (code, message) in wikijs_facts.ERRORS.items():
        error = wiki_error(name)
        assert (error.code, error.message) == (code, message)
        assert SLUGS[code] == name


def test_a_page_under_a_reserved_path_reaches_the_fake_only_through_execute(
    client: WikiJSClient, fake: FakeWikiJS
) -> None:
    answer = client.execute(
        'mutation ($p: String!) { pages { create(content: "x", description: "", '
        'editor: "markdown", isPublished: true, isPrivate: false, locale: "en", '
        'path: $p, tags: [], title: "t") { responseResult { succeeded } } } }',
        {"p": "svg/icons"},
    )
    assert answer["pages"]["create"]["responseResult"]["succeeded"] is True
    with pytest.raises(ValidationError, match="svg"):
        client.pages.create(title="t", path="svg/icons2", content="x")
