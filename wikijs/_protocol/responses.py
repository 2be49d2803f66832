"""Reading Wiki.js answers into data or typed errors. Pure: no I/O.

Wiki.js reports failure in four places, and all four are checked before the
HTTP status, because it sends GraphQL errors with 400 (validation) and 500
(revoked key, API disabled):

1. the body is not JSON at all (proxies, ``Must provide query string.``);
2. ``errors[]``, with Wiki.js's own code in ``extensions.exception.code``;
3. the HTTP status, when nothing in the body explains it;
4. ``responseResult {succeeded: false, errorCode, slug, message}`` inside
   ``data`` — the usual way mutations fail, with HTTP 200 and no errors.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from .. import _facts as wikijs_facts
from .._facts import GRAPHQL_PATH
from ..errors import (
    APIError,
    AuthenticationError,
    ConflictError,
    GraphQLError,
    GraphQLErrorDetail,
    HTTPStatusError,
    InputRejectedError,
    NotFoundError,
    PageJobError,
    PermissionDeniedError,
    QueryError,
    RateLimitedError,
    ResponseError,
    WikiJSError,
)
from .writes import job_failure

# Wiki.js 2.5 error codes (server/helpers/error.js) by the class they raise.
_CODE_CLASSES: dict[int, type[APIError]] = {}
for _cls, _codes in (
    (AuthenticationError, (1001, 1002, 1003, 1005, 1006, 1013, 1014, 1015, 1019, 1020)),
    (RateLimitedError, (1008,)),
    (ConflictError, (1004, 1017, 2002, 2005, 6002, 6006)),
    (NotFoundError, (1016, 2004, 6003, 8005)),
    (
        PermissionDeniedError,
        (
            1010,
            1011,
            1018,
            2003,
            2006,
            2009,
            6007,
            6008,
            6009,
            6010,
            6011,
            6012,
            6013,
            8002,
            8004,
            8006,
        ),
    ),
    (InputRejectedError, (1012, 2007, 2008, 3004, 5002, 6004, 6005, 8003)),
):
    for _code in _codes:
        _CODE_CLASSES[_code] = _cls

# Wiki.js's names for its codes (the `slug` of a responseResult).
SLUGS: dict[int, str] = wikijs_facts.SLUGS

# Failures Wiki.js reports by message only.
_MESSAGE_CLASSES: dict[str, type[APIError]] = {
    wikijs_facts.API_KEY_INVALID: AuthenticationError,
    "Forbidden": PermissionDeniedError,
    "Invalid Page Id": NotFoundError,
    "User is already assigned to group.": ConflictError,
    "Cannot assign the Guest user to a group.": InputRejectedError,
    "Invalid Group ID": NotFoundError,
    "Invalid Asset Folder": NotFoundError,
    "Some Page Rules contains unsafe or exponential time regex.": InputRejectedError,
    # comments.create within the provider's minDelay (30 s by default) of the
    # same user's previous comment (server/modules/comments/default/comment.js)
    "Your administrator has set a time limit before you can post another comment. "
    "Try again later.": RateLimitedError,
    # localization.translations for a locale or namespace the server lacks
    # (server/core/localization.js getByNamespace throws a plain Error).
    "Invalid locale or namespace": NotFoundError,
}
_API_DISABLED = "API is disabled"
_UNKNOWN_LOCALE = '_localecode_foreign"'
_RATE_LIMIT = re.compile(r"Too many requests, please try again in (\d+(?:\.\d+)?) seconds?")
# Unknown ids reach a JavaScript TypeError on the server ("Cannot read
# properties of undefined (reading 'path')" for pages.history, "Cannot set
# properties of undefined (setting 'password')" for users.single).
_MISSING_RECORD = re.compile(
    r"^Cannot (?:read|set) propert(?:y|ies) .*(?:of|on) (?:undefined|null)"
)
_QUERY_CODES = frozenset({"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT"})

_EXCERPT = 200


def excerpt(body: bytes) -> str:
    """The start of a body, decoded leniently, for error messages."""
    return body[:_EXCERPT].decode("utf-8", "replace")


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    from datetime import datetime, timezone

    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def classify_error(
    detail: GraphQLErrorDetail,
) -> tuple[type[WikiJSError], dict[str, Any]]:
    """The exception class and extra keyword arguments for one GraphQL error."""
    message = detail.message
    if detail.extension_code in _QUERY_CODES:
        return QueryError, {}
    match = _RATE_LIMIT.search(message)
    if match:
        return RateLimitedError, {"retry_after": float(match.group(1)), "code": detail.code}
    if detail.code is not None and detail.code in _CODE_CLASSES:
        return _CODE_CLASSES[detail.code], {"code": detail.code, "slug": SLUGS.get(detail.code)}
    if message in _MESSAGE_CLASSES:
        return _MESSAGE_CLASSES[message], {"code": detail.code}
    if message.startswith(_API_DISABLED):
        return AuthenticationError, {"code": detail.code}
    if _MISSING_RECORD.search(message):
        return NotFoundError, {"code": detail.code}
    if detail.code is not None:
        return APIError, {"code": detail.code, "slug": SLUGS.get(detail.code)}
    return GraphQLError, {}


def error_from_graphql_errors(
    operation: str,
    errors: Sequence[Any],
    *,
    data: Any = None,
    status_code: int | None = None,
) -> WikiJSError:
    """One typed exception for a response's ``errors`` list (all kept on it)."""
    details = [GraphQLErrorDetail.from_json(e) for e in errors]
    if not details:
        details = [GraphQLErrorDetail(message="empty errors list")]
    primary = details[0]
    cls, extra = classify_error(primary)
    message = primary.message or "GraphQL error"
    if len(details) > 1:
        message += f" (and {len(details) - 1} more error{'s' if len(details) > 2 else ''})"
    if issubclass(cls, APIError):
        return cls(
            message,
            operation=operation,
            errors=details,
            status_code=status_code,
            **extra,
        )
    assert issubclass(cls, GraphQLError)
    return cls(message, operation=operation, errors=details, data=data, status_code=status_code)


def error_from_response_result(operation: str, result: Mapping[str, Any]) -> APIError:
    """A typed exception for an unsuccessful ``responseResult``."""
    raw_code = result.get("errorCode")
    code = raw_code if isinstance(raw_code, int) and not isinstance(raw_code, bool) else None
    slug = result.get("slug") if isinstance(result.get("slug"), str) else None
    message = str(result.get("message") or slug or "operation failed")
    cls: type[APIError]
    job = job_failure(message)
    if job is not None:
        return PageJobError(message, operation=operation, code=code, slug=slug, job=job)
    if _UNKNOWN_LOCALE in message:
        # The database refused a page (or user) in a locale it does not have.
        return InputRejectedError(
            "the locale is not installed on this wiki (install it under Administration > "
            "Locale, or pick one of client.localization.locales())",
            operation=operation,
            code=code,
            slug=slug,
        )
    if code in _CODE_CLASSES:
        cls = _CODE_CLASSES[code]
    elif message in _MESSAGE_CLASSES:
        cls = _MESSAGE_CLASSES[message]
    elif slug and slug.endswith("Forbidden"):
        cls = PermissionDeniedError
    else:
        cls = APIError
    return cls(message, operation=operation, code=code, slug=slug)


def find_failed_result(data: Any, depth: int = 3) -> Mapping[str, Any] | None:
    """The first ``responseResult`` with ``succeeded: false`` near the top of ``data``.

    Wiki.js puts it at ``data.<namespace>.<field>.responseResult``; the walk
    stops at that depth so large query results cost nothing.
    """
    if depth <= 0 or not isinstance(data, Mapping):
        return None
    result = data.get("responseResult")
    if isinstance(result, Mapping) and result.get("succeeded") is False:
        return result
    for value in data.values():
        if isinstance(value, Mapping):
            found = find_failed_result(value, depth - 1)
            if found is not None:
                return found
    return None


def decode_json(
    operation: str,
    status_code: int,
    body: bytes,
    retry_after: str | None = None,
    *,
    url: str | None = None,
) -> Any:
    """Parse a body, turning non-JSON answers into typed errors (``url``: where it was sent)."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        pass
    text = excerpt(body)
    if status_code == 413:
        raise _too_large(operation, status_code)
    if status_code == 400 and "Must provide query string" in text:
        raise QueryError("the server received no query", operation=operation, status_code=400)
    if status_code >= 400:
        raise status_error(operation, status_code, body, retry_after, url=url)
    raise ResponseError(
        f"the server answered HTTP {status_code} with a body that is not JSON",
        operation=operation,
        status_code=status_code,
        body_excerpt=text,
    )


def status_error(
    operation: str,
    status_code: int,
    body: bytes,
    retry_after: str | None = None,
    *,
    url: str | None = None,
) -> WikiJSError:
    """An error for a non-2xx status that nothing in the body explains.

    ``url`` is the GraphQL endpoint the request went to: a 404 there almost
    always means the client was given something other than the wiki's root.
    """
    seconds = parse_retry_after(retry_after)
    if status_code == 429:
        return RateLimitedError(
            "the server is rate limiting requests (HTTP 429)",
            operation=operation,
            retry_after=seconds,
            status_code=429,
        )
    message = f"the server answered HTTP {status_code}"
    if status_code == 404 and url is not None:
        root = url.removesuffix(GRAPHQL_PATH)
        message = (
            f"{url} answered HTTP 404: {root} is probably not the wiki's root URL "
            "(give the address of the wiki's home page; the SDK adds /graphql)"
        )
    return HTTPStatusError(
        message,
        operation=operation,
        status_code=status_code,
        body_excerpt=excerpt(body),
        retry_after=seconds,
    )


def _too_large(operation: str, status_code: int) -> InputRejectedError:
    return InputRejectedError(
        "the request is larger than the server accepts (HTTP 413); Wiki.js limits request "
        "bodies to its bodyParserLimit setting (5 MB by default). Nothing was applied.",
        operation=operation,
        status_code=status_code,
    )


def interpret(
    operation: str,
    status_code: int,
    payload: Any,
    body: bytes = b"",
    retry_after: str | None = None,
    *,
    url: str | None = None,
) -> dict[str, Any] | WikiJSError:
    """``data`` from one decoded GraphQL response object, or the typed error."""
    if not isinstance(payload, Mapping):
        return ResponseError(
            f"expected a JSON object, got {type(payload).__name__}",
            operation=operation,
            status_code=status_code,
            body_excerpt=excerpt(body),
        )
    if status_code == 413:
        return _too_large(operation, status_code)
    data = payload.get("data")
    errors = payload.get("errors")
    if errors:
        return error_from_graphql_errors(
            operation,
            errors if isinstance(errors, list) else [errors],
            data=data,
            status_code=status_code,
        )
    if status_code >= 300:
        return status_error(operation, status_code, body, retry_after, url=url)
    if not isinstance(data, dict) or any(value is None for value in data.values()):
        return ResponseError(
            "the response has neither data nor errors",
            operation=operation,
            status_code=status_code,
            body_excerpt=excerpt(body),
        )
    failed = find_failed_result(data)
    if failed is not None:
        return error_from_response_result(operation, failed)
    return data


def read_payload(
    operation: str,
    status_code: int,
    payload: Any,
    body: bytes = b"",
    retry_after: str | None = None,
    *,
    url: str | None = None,
) -> dict[str, Any]:
    """Like :func:`interpret`, raising the error."""
    outcome = interpret(operation, status_code, payload, body, retry_after, url=url)
    if isinstance(outcome, WikiJSError):
        raise outcome
    return outcome


# A key or string value spelled exactly "errors" / a `succeeded: false`; text
# inside JSON strings has its quotes escaped, so it cannot match these.
_ERRORS_TOKEN = b'"errors"'
_SUCCEEDED_TOKEN = b'"succeeded"'
_FAILED_RESULT = re.compile(rb'"succeeded"\s*:\s*false')


def read_response(
    operation: str,
    status_code: int,
    body: bytes,
    retry_after: str | None = None,
    *,
    url: str | None = None,
) -> dict[str, Any]:
    """``data`` from a raw GraphQL HTTP response, or a typed error (``url``: where it went)."""
    if (
        status_code == 200
        and _ERRORS_TOKEN not in body
        and (_SUCCEEDED_TOKEN not in body or not _FAILED_RESULT.search(body))
    ):
        # The common case, checked cheaply on the bytes: no errors anywhere
        # and no unsuccessful responseResult, so only the shape is left.
        # (A substring search is several times cheaper than the pattern, and
        # answers of queries, which have no responseResult, skip the pattern.)
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError:
            payload = None
        data = payload.get("data") if type(payload) is dict else None
        if type(data) is dict and None not in data.values():
            return data
    payload = decode_json(operation, status_code, body, retry_after, url=url)
    return read_payload(operation, status_code, payload, body, retry_after, url=url)
