"""How Wiki.js marks internal links valid or invalid: conformance tests that run on
the fake and, with ``--wikijs-url``, on a real Wiki.js 2.5.314.

html-core marks a link to a page that does not exist ``is-invalid-page`` when
it renders the linking page. Creating the target later patches the linking
pages' HTML by plain text replacement (``reconnectLinks``): only the exact
``<a href="/<locale>/<path>" …>`` is fixed, so a link with a fragment, or
one whose path markdown-it percent-encoded (non-ASCII), stays marked invalid
until its page is rendered again. ``wikijs pages import`` renders such pages
again for that reason.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from wikijs.testing import FakeWikiJS

from .conftest import Caller

RR = "responseResult { succeeded errorCode slug message }"


def create(gql: Caller, path: str, content: str) -> int:
    body = gql(
        "mutation($path: String!, $content: String!) { pages { create(content: $content, "
        'description: "", editor: "markdown", isPublished: true, isPrivate: false, '
        f'locale: "en", path: $path, tags: [], title: "Links") {{ {RR} page {{ id }} }} }} }}',
        {"path": path, "content": content},
    )
    created = body["data"]["pages"]["create"]
    assert created["responseResult"]["succeeded"], created
    return int(created["page"]["id"])


def classes(gql: Caller, page_id: int) -> dict[str, str]:
    render = gql(f"{{ pages {{ single(id: {page_id}) {{ render }} }} }}")["data"]["pages"][
        "single"
    ]["render"]
    return dict(re.findall(r'<a href="([^"]+)" class="is-internal-link is-(\w+)-page"', render))


def run(gql: Caller, field: str, page_id: int) -> Any:
    body = gql(f"mutation {{ pages {{ {field}(id: {page_id}) {{ {RR} }} }} }}")
    return body["data"]["pages"][field]["responseResult"]


def test_links_to_a_page_created_later_are_fixed_only_where_the_text_matches(
    fake: FakeWikiJS, gql: Caller
) -> None:
    tag = secrets.token_hex(3)
    target, wide = f"links-{tag}", f"links-{tag}-文档"
    encoded = f"/en/links-{tag}-%E6%96%87%E6%A1%A3"
    source = create(
        gql,
        f"links-{tag}-from",
        f"[a](/en/{target}) [b](/en/{target}#part) [c](/en/{wide})\n",
    )
    assert classes(gql, source) == {
        f"/en/{target}": "invalid",
        f"/en/{target}#part": "invalid",
        encoded: "invalid",
    }

    target_id = create(gql, target, "# Target\n")
    create(gql, wide, "# Wide\n")

    assert classes(gql, source) == {
        f"/en/{target}": "valid",
        f"/en/{target}#part": "invalid",
        encoded: "invalid",
    }
    assert run(gql, "render", source)["succeeded"]
    assert set(classes(gql, source).values()) == {"valid"}
    assert run(gql, "delete", target_id)["succeeded"]
    assert classes(gql, source)[f"/en/{target}"] == "invalid"
