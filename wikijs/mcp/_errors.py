"""The SDK's errors as tool errors: what went wrong, then what to do about it.

The text is read by a model deciding its next step, so each one ends with
the step: fix an argument, look the page up, wait, or stop and tell the
user. Pure: no I/O.
"""

from __future__ import annotations

import math

from pydantic import ValidationError as PydanticValidationError

from wikijs.errors import (
    AuthenticationError,
    CircuitOpenError,
    ConflictError,
    ConnectError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    RateLimitExceededError,
    ReadBackError,
    TransportError,
    UnsupportedByServerError,
    ValidationError,
    WikiJSError,
)


def _wait(seconds: float | None) -> str:
    if seconds is None or seconds <= 0:
        return "wait a little"
    return f"wait {math.ceil(seconds)} seconds"


def explain(error: WikiJSError, *, writes: bool) -> str:
    """What ``error`` means for the assistant, and what it should do next.

    Args:
        error: what the SDK raised.
        writes: whether the tool writes (a lost answer may hide a landed write).
    """
    said = " ".join(str(error).split())
    if isinstance(error, NotFoundError):
        return (
            f"Not found: {said}. Check the id, path or locale: search_pages, list_pages and "
            "list_folder show what exists."
        )
    if isinstance(error, ConflictError):
        return (
            f"Conflict: {said}. A page already exists there: choose another path, or change "
            "the existing page with update_page (get_page_by_path gives its id)."
        )
    if isinstance(error, ValidationError):
        return f"Invalid input: {said}. Correct the argument and call again."
    if isinstance(error, PermissionDeniedError):
        return (
            f"Permission denied: {said}. The wiki's API key used by this server may not do "
            "this; do not retry. Tell the user; a wiki administrator can grant it."
        )
    if isinstance(error, AuthenticationError):
        return (
            f"Authentication failed: {said}. The server's API key is missing, wrong or "
            "revoked; do not retry. Tell the user to check the `wikijs mcp` configuration "
            "(`wikijs config init`, WIKIJS_API_KEY)."
        )
    if isinstance(error, (RateLimitedError, RateLimitExceededError, CircuitOpenError)):
        return (
            f"The wiki is busy or failing: {said}. {_wait(error.retry_after).capitalize()}, "
            "then call again."
        )
    if isinstance(error, UnsupportedByServerError):
        return f"Not supported by this wiki: {said}. Its Wiki.js release lacks this; do not retry."
    if isinstance(error, ReadBackError):
        return (
            f"The write was applied, but reading the result back failed: {said}. Do not "
            "repeat the write; read the page with get_page_by_path to see it."
        )
    if isinstance(error, TransportError):
        if writes and not isinstance(error, ConnectError):
            return (
                f"No answer from the wiki: {said}. The write may have been applied: read the "
                "page (get_page_by_path) before calling again."
            )
        return f"No answer from the wiki: {said}. Wait a little, then call again."
    return f"The wiki refused: {said}."


def invalid_arguments(tool: str, error: PydanticValidationError) -> str:
    """A tool call's arguments that do not match its input schema, one problem a line."""
    problems = []
    for problem in error.errors(include_url=False):
        where = ".".join(str(part) for part in problem["loc"]) or "arguments"
        problems.append(f"{where}: {problem['msg']}")
    listed = "; ".join(problems)
    return (
        f"Invalid arguments for {tool}: {listed}. Correct them (see the tool's input schema) "
        "and call again."
    )
