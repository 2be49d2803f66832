"""Computing the key of an answer the client caches."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._protocol.cache_keys import entry_key
from .._protocol.operation import describe
from ..errors import InvalidArgumentError


def operation_key(
    client: Any,
    operation: str,
    variables: Mapping[str, Any] | None = None,
    *,
    document: str | None = None,
) -> str:
    """The key under which ``client`` caches one operation's answer.

    ``operation`` is a generated operation's name (``"GetPage"``); pass
    ``document`` for your own documents (``client.execute``). The key
    depends on the wiki, the identity the client runs as, the document and
    the variables — never on the credential itself.

    Example::

        from wikijs.cache import operation_key

        client.pages.get(12)
        client.cache.delete(operation_key(client, "GetPage", {"id": 12}))

    Raises:
        ValidationError: unknown operation, or variables that are not JSON.
    """
    if document is None:
        from wikijs._generated.operations import OPERATIONS

        spec = OPERATIONS.get(operation)
        if spec is None:
            raise InvalidArgumentError(
                f"no generated operation is named {operation!r}", field="operation"
            )
        document = spec.document
    info = describe(document, operation)
    if not info.parsed:
        raise InvalidArgumentError(
            "the document is not a valid GraphQL operation", field="document"
        )
    identity = client.auth.cache_identity()
    key = entry_key(client.config.base_url, identity, operation, info.digest, variables or {})
    if key is None:
        raise InvalidArgumentError("the variables cannot be encoded as JSON", field="variables")
    return key
