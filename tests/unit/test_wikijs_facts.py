"""Wiki.js's facts live in one module that the SDK and the fake both read."""

from __future__ import annotations

import pytest

from wikijs import WikiJSClient
from wikijs._core import validation, wikijs_facts
from wikijs.errors import ValidationError
from wikijs.testing import FakeWikiJS
from wikijs.testing._errors import WikiError


@pytest.mark.parametrize("segment", sorted(wikijs_facts.RESERVED_PATHS))
def test_every_reserved_path_is_refused_by_the_sdk_and_by_the_fake(segment: str) -> None:
    # Wiki.js's reservedPaths (server/app/data.yml) include "svg"; the fake
    # once had its own copy without it.
    with pytest.raises(ValidationError):
        validation.normalize_path(f"{segment}/page")
    fake = FakeWikiJS()
    try:
        with pytest.raises(WikiError) as refused:
            fake.add_page(f"{segment}/page")
        assert refused.value.name == "PageIllegalPath"
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
    from wikijs._core.responses import SLUGS
    from wikijs.testing._errors import wiki_error

    assert SLUGS is wikijs_facts.SLUGS
    for name, (code, message) in wikijs_facts.ERRORS.items():
        error = wiki_error(name)
        assert (error.code, error.message) == (code, message)
        assert SLUGS[code] == name


def test_a_reserved_path_error_from_the_fake_reaches_the_client_typed(
    client: WikiJSClient,
) -> None:
    with pytest.raises(ValidationError):
        client.execute(
            'mutation ($p: String!) { pages { create(content: "x", description: "", '
            'editor: "markdown", isPublished: true, isPrivate: false, locale: "en", '
            'path: $p, tags: [], title: "t") { responseResult { succeeded errorCode slug '
            "message } } } }",
            {"p": "svg/icons"},
        )
