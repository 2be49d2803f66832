"""Typed Python SDK for Wiki.js 2.5.

Example::

    from wikijs import WikiJSClient

    with WikiJSClient("https://wiki.example.com", auth="API-KEY") as client:
        page = client.pages.get(12)
        client.pages.update(12, title="New title")

The async client is :class:`wikijs.aio.AsyncWikiJSClient`; models live in
:mod:`wikijs.models`, errors in :mod:`wikijs.errors`.
"""

from ._config import ResponseLimits
from ._constants import VERSION as __version__
from ._sync.client import WikiJSClient
from .auth import APIKeyAuth, Auth, JWTAuth
from .batch import BatchError, BatchItemError, BatchResult
from .errors import (
    APIError,
    ArgumentTypeError,
    AuthenticationError,
    CircuitOpenError,
    ConflictError,
    ConnectError,
    ConnectionLostError,
    GraphQLError,
    GraphQLErrorDetail,
    HTTPStatusError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    QueryError,
    RateLimitedError,
    RateLimitExceededError,
    RequestTimeoutError,
    ResponseError,
    ResponseTooLargeError,
    TransportError,
    ValidationError,
    WikiJSError,
)

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
    "ConflictError",
    "ConnectError",
    "ConnectionLostError",
    "GraphQLError",
    "GraphQLErrorDetail",
    "HTTPStatusError",
    "InvalidArgumentError",
    "JWTAuth",
    "NotFoundError",
    "PermissionDeniedError",
    "QueryError",
    "RateLimitExceededError",
    "RateLimitedError",
    "RequestTimeoutError",
    "ResponseError",
    "ResponseLimits",
    "ResponseTooLargeError",
    "TransportError",
    "ValidationError",
    "WikiJSClient",
    "WikiJSError",
    "__version__",
]
