"""Every layer reads what an operation is from its AST: a write is never repeated
because of how its document happens to be written, and credentials passed to
an operation never reach a log because of how its variables happen to be named."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

import pytest

from wikijs._generated.operations import OPERATIONS
from wikijs.errors import HTTPStatusError, WikiJSError
from wikijs.middleware import RetryStrategy
from wikijs.plugins import LoggingPlugin
from wikijs.testing import FakeWikiJS, Fault

# A create: not idempotent, so never sent twice when its fate is unknown.
CREATE_ARGS = (
    'content: "x", description: "", editor: "markdown", isPublished: true, '
    'isPrivate: false, locale: "en", path: $p, tags: [], title: "t"'
)
CREATE = (
    "mutation Create($p: String!) "
    f"{{ pages {{ create({CREATE_ARGS}) {{ responseResult {{ succeeded }} }} }} }}"
)
DOCUMENTS = {
    "comment-first": "# add the draft\n" + CREATE,
    "fragment-first": (
        "fragment Outcome on ResponseStatus { succeeded message }\n"
        "mutation Create($p: String!) "
        f"{{ pages {{ create({CREATE_ARGS}) {{ responseResult {{ ...Outcome }} }} }} }}"
    ),
    "chosen-by-name": "query Peek { pages { list { id } } }\n" + CREATE,
}


def _graphql_posts(fake: FakeWikiJS) -> list[tuple[str, ...]]:
    return [
        r.operation_names
        for r in fake.requests
        if r.path == "/graphql" and r.operation_names != ("GetProfile",)
    ]


@pytest.mark.parametrize("shape", sorted(DOCUMENTS))
def test_a_mutation_document_is_sent_once_after_a_502(
    shape: str, fake: FakeWikiJS, wiki: Any
) -> None:
    wiki.pages.list()  # identity checked, connection open
    fake.reset_log()
    fake.faults.push(Fault.http(502))
    with pytest.raises(HTTPStatusError):
        wiki.execute(DOCUMENTS[shape], {"p": "docs/draft"}, operation_name="Create")
    assert len(_graphql_posts(fake)) == 1


def test_an_idempotent_mutation_document_is_sent_again_after_a_502(
    fake: FakeWikiJS, wiki: Any
) -> None:
    # A delete twice leaves the wiki as once: the retry layer may repeat it.
    page_id = fake.add_page("docs/draft").id
    wiki.pages.list()
    fake.reset_log()
    fake.faults.push(Fault.http(502))
    document = (
        "# tidy up\nmutation Delete($id: Int!) "
        "{ pages { delete(id: $id) { responseResult { succeeded } } } }"
    )
    wiki.execute(document, {"id": page_id}, operation_name="Delete")
    assert len(_graphql_posts(fake)) == 2


def test_a_query_document_that_starts_with_a_comment_is_still_retried(
    fake: FakeWikiJS, wiki: Any
) -> None:
    wiki.pages.list()
    fake.reset_log()
    fake.faults.push(Fault.http(502))
    data = wiki.execute("# which pages?\nquery { pages { list { id } } }")
    assert data == {"pages": {"list": []}}
    assert len(_graphql_posts(fake)) == 2


@pytest.mark.parametrize("include_variables", [True, False])
def test_change_password_variables_never_reach_a_log(
    fake: FakeWikiJS, caplog: pytest.LogCaptureFixture, include_variables: bool
) -> None:
    from wikijs import WikiJSClient

    plugin = LoggingPlugin(level="DEBUG", include_variables=include_variables)
    with (
        WikiJSClient(
            fake.url,
            auth=fake.user_token(1),
            transport=fake.sync_transport(),
            plugins=[plugin],
            retry_strategy=RetryStrategy(initial_delay=0),
        ) as client,
        caplog.at_level(logging.DEBUG),
    ):
        document = OPERATIONS["ChangePassword"].document
        renamed = (
            "mutation Rotate($old: String!, $fresh: String!) "
            "{ users { changePassword(current: $old, new: $fresh) { jwt } } }"
        )
        for doc, variables in (
            (document, {"current": "0ld-Secret!", "new": "N3w-Secret!"}),
            (renamed, {"old": "0ld-Secret!", "fresh": "N3w-Secret!"}),
        ):
            # the outcome does not matter here; what was logged does
            with contextlib.suppress(WikiJSError):
                client.execute(doc, variables)
    seen = [record for record in caplog.records if record.name == "wikijs.requests"]
    assert seen
    for record in seen:
        text = record.getMessage() + repr(record.__dict__)
        assert "0ld-Secret!" not in text
        assert "N3w-Secret!" not in text
