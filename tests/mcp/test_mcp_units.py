"""The server's pure parts: the policy, page URIs, and what each SDK error tells the model."""

from __future__ import annotations

import pytest

from wikijs.errors import (
    AuthenticationError,
    CircuitOpenError,
    ConflictError,
    ConnectError,
    ConnectionLostError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ReadBackError,
    UnsupportedByServerError,
    ValidationError,
    WikiJSError,
)
from wikijs.mcp import Policy
from wikijs.mcp._errors import explain
from wikijs.mcp._policy import Refused, under
from wikijs.mcp._resources import page_uri, parse_uri


@pytest.mark.parametrize(
    ("path", "prefix", "inside"),
    [
        ("docs/a", "docs/", True),
        ("docs/a/b", "docs/", True),
        ("docs", "docs/", False),
        ("docs-secret/a", "docs/", False),
        ("docs", "docs", True),
        ("docs/a", "docs", True),
        ("docs-secret", "docs", False),
        ("/docs/a/", "docs/", True),
    ],
)
def test_a_prefix_covers_the_paths_under_it(path: str, prefix: str, inside: bool) -> None:
    assert under(path, prefix) is inside


def test_the_policy_refuses_paths_outside_its_prefixes() -> None:
    policy = Policy(allow_write=True, path_prefixes=("/docs/", "notes"))
    assert policy.path_prefixes == ("docs/", "notes")
    policy.check_paths("create a page", ["docs/a", "notes"])
    with pytest.raises(Refused, match=r"'private/a' is outside .* \(docs/, notes\)"):
        policy.check_paths("move a page", ["docs/a", "private/a"])
    Policy(allow_write=True).check_paths("delete a page", ["anything"])


def test_the_policy_is_read_only_unless_told() -> None:
    assert Policy().allows("read")
    assert not Policy().allows("write")
    assert not Policy(allow_write=True).allows("delete")
    assert Policy(allow_write=True, allow_delete=True).allows("delete")
    with pytest.raises(ValueError, match="needs allow_write"):
        Policy(allow_delete=True)
    with pytest.raises(ValueError, match="cannot be empty"):
        Policy(allow_write=True, path_prefixes=("/",))
    assert "read-only" in Policy().describe()
    assert "delete pages anywhere" in Policy(allow_write=True, allow_delete=True).describe()
    assert "--allow-delete" in Policy(allow_write=True).why_not("delete")


@pytest.mark.parametrize(
    ("locale", "path", "uri"),
    [
        ("en", "docs/start", "wikijs://en/docs/start"),
        ("de", "/über uns/", "wikijs://de/%C3%BCber%20uns"),
        ("zh-hans", "a/b#c", "wikijs://zh-hans/a/b%23c"),
    ],
)
def test_page_uris_round_trip(locale: str, path: str, uri: str) -> None:
    assert page_uri(locale, path) == uri
    assert parse_uri(uri) == (locale, path.strip("/"))


@pytest.mark.parametrize(
    "uri", ["https://en/docs", "wikijs://en/", "wikijs:///docs", "wikijs://en/docs?x=1"]
)
def test_other_uris_are_not_pages(uri: str) -> None:
    with pytest.raises(ValueError, match="not a page URI"):
        parse_uri(uri)


@pytest.mark.parametrize(
    ("error", "writes", "starts", "advice"),
    [
        (NotFoundError("no page 9"), False, "Not found: no page 9.", "search_pages"),
        (ConflictError("taken"), True, "Conflict: taken.", "update_page"),
        (ValidationError("bad path"), True, "Invalid input: bad path.", "Correct the argument"),
        (PermissionDeniedError("Forbidden"), False, "Permission denied", "do not retry"),
        (AuthenticationError("revoked"), False, "Authentication failed", "wikijs config init"),
        (
            RateLimitedError("slow down", retry_after=2.5),
            False,
            "The wiki is busy",
            "Wait 3 seconds",
        ),
        (CircuitOpenError("open", retry_after=0), False, "The wiki is busy", "Wait a little"),
        (UnsupportedByServerError("old", operation="X"), False, "Not supported", "do not retry"),
        (ReadBackError("read failed"), True, "The write was applied", "Do not repeat"),
        (ConnectionLostError("cut"), True, "No answer from the wiki", "may have been applied"),
        (ConnectError("refused"), True, "No answer from the wiki", "call again"),
        (ConnectionLostError("cut"), False, "No answer from the wiki", "call again"),
        (WikiJSError("odd"), False, "The wiki refused: odd.", ""),
    ],
)
def test_each_sdk_error_says_what_to_do(
    error: WikiJSError, writes: bool, starts: str, advice: str
) -> None:
    said = explain(error, writes=writes)
    assert said.startswith(starts)
    assert advice in said
