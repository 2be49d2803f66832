"""The contract between the generated clients and the SDK that runs them.

The generated clients only build documents and validate results; sending,
authentication, errors, caching and retries belong to the runner the SDK
passes in (``wikijs._async.pipeline``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any, Protocol

from pydantic import BaseModel as PydanticBaseModel

from .base_model import UNSET


class OperationRunner(Protocol):
    def run(
        self,
        document: str,
        operation_name: str,
        variables: dict[str, Any],
        options: Mapping[str, Any],
    ) -> dict[str, Any]: ...

    def invalid_result(self, operation_name: str, error: Exception) -> Exception: ...


class AsyncOperationRunner(Protocol):
    async def run(
        self,
        document: str,
        operation_name: str,
        variables: dict[str, Any],
        options: Mapping[str, Any],
    ) -> dict[str, Any]: ...

    def subscribe(
        self,
        document: str,
        operation_name: str,
        variables: dict[str, Any],
        options: Mapping[str, Any],
    ) -> AsyncIterator[dict[str, Any]]: ...

    def invalid_result(self, operation_name: str, error: Exception) -> Exception: ...


def prepare_variables(variables: Mapping[str, Any] | None) -> dict[str, Any]:
    """Drop arguments that were not passed and dump input models to JSON shapes."""
    if not variables:
        return {}
    out = {}
    for name, value in variables.items():
        if value is UNSET:
            continue
        # plain values (the common case) pass through without further checks
        out[name] = value if type(value) in _PLAIN else _dump(value)
    return out


_PLAIN = frozenset({int, str, bool, float, type(None)})


def _dump(value: Any) -> Any:
    if isinstance(value, PydanticBaseModel):
        return value.model_dump(by_alias=True, exclude_unset=True, mode="json")
    if isinstance(value, list):
        return [_dump(item) for item in value]
    return value
