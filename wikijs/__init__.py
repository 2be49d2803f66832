"""Typed Python SDK for Wiki.js 2.5.

Example::

    from wikijs import WikiJSClient

    with WikiJSClient("https://wiki.example.com", auth="API-KEY") as client:
        page = client.pages.get(12)
        client.pages.update(12, title="New title")

The async client is :class:`wikijs.aio.AsyncWikiJSClient`; models live in
:mod:`wikijs.models`, errors in :mod:`wikijs.errors`.
"""

from typing import TYPE_CHECKING

from ._version import VERSION as __version__

if TYPE_CHECKING:
    from ._http.config import NOT_GIVEN, NotGiven, ResponseLimits, Timeout
    from ._sync.client import WikiJSClient
    from .auth import APIKeyAuth, Auth, JWTAuth, LoginContinuation, TFASetup
    from .batch import BatchError, BatchItemError, BatchResult
    from .errors import (
        APIError,
        ArgumentTypeError,
        AuthenticationError,
        CircuitOpenError,
        ConfigError,
        ConflictError,
        ConnectError,
        ConnectionLostError,
        GraphQLError,
        GraphQLErrorDetail,
        HTTPStatusError,
        InputRejectedError,
        InvalidArgumentError,
        LoginStepRequiredError,
        NotFoundError,
        PasswordChangeRequiredError,
        PermissionDeniedError,
        QueryError,
        RateLimitedError,
        RateLimitExceededError,
        RequestTimeoutError,
        ResponseError,
        ResponseTooLargeError,
        TFARequiredError,
        TFASetupRequiredError,
        TransportError,
        UnsupportedByServerError,
        ValidationError,
        WikiJSError,
    )
    from .versions import SCHEMA_VERSION

__all__ = [
    "APIError",
    "APIKeyAuth",
    "ArgumentTypeError",
    "Auth",
    "AuthenticationError",
    "BatchError",
    "BatchItemError",
    "BatchResult",
    "CircuitOpenError",
    "ConfigError",
    "ConflictError",
    "ConnectError",
    "ConnectionLostError",
    "GraphQLError",
    "GraphQLErrorDetail",
    "HTTPStatusError",
    "InputRejectedError",
    "InvalidArgumentError",
    "JWTAuth",
    "LoginContinuation",
    "LoginStepRequiredError",
    "NOT_GIVEN",
    "NotFoundError",
    "NotGiven",
    "PasswordChangeRequiredError",
    "PermissionDeniedError",
    "QueryError",
    "RateLimitExceededError",
    "RateLimitedError",
    "RequestTimeoutError",
    "ResponseError",
    "ResponseLimits",
    "ResponseTooLargeError",
    "SCHEMA_VERSION",
    "TFARequiredError",
    "TFASetup",
    "TFASetupRequiredError",
    "Timeout",
    "TransportError",
    "UnsupportedByServerError",
    "ValidationError",
    "WikiJSClient",
    "WikiJSError",
    "__version__",
]

# `import wikijs` stays cheap: each name is imported on first use (PEP 562),
# so graphql-core, httpx, pydantic and the generated clients load only when
# a program touches the client or a model.
_SOURCES = {
    "WikiJSClient": "._sync.client",
    "APIKeyAuth": ".auth",
    "Auth": ".auth",
    "JWTAuth": ".auth",
    "LoginContinuation": ".auth",
    "TFASetup": ".auth",
    "BatchError": ".batch",
    "BatchItemError": ".batch",
    "BatchResult": ".batch",
    "SCHEMA_VERSION": ".versions",
    "NOT_GIVEN": "._http.config",
    "NotGiven": "._http.config",
    "ResponseLimits": "._http.config",
    "Timeout": "._http.config",
}


def __getattr__(name: str) -> object:
    source = _SOURCES.get(name, ".errors" if name in __all__ else None)
    if source is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    namespace = {name: getattr(import_module(source, __name__), name)}
    from ._public import publish

    publish(namespace, namespace, __name__)
    globals()[name] = namespace[name]
    return namespace[name]


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
