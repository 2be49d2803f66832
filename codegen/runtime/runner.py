"""The contract between the generated clients and the SDK that runs them.

The generated clients only build documents and validate results; sending,
authentication, errors, caching and retries belong to the runner the SDK
passes in (``wikijs._async.pipeline``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, Protocol, Union

from pydantic import BaseModel as PydanticBaseModel

from .base_model import UNSET

if TYPE_CHECKING:
    from ..middleware import RetryStrategy

#: ``cache=`` on a generated method: ``None`` (the client's setting or an
#: enclosing ``wikijs.cache.bypass()``), ``False``/``"off"`` (neither read nor
#: store), ``True``/``"use"``, or ``"refresh"`` (fetch, then store).
CacheOption = bool | Literal["use", "off", "refresh"] | None
#: ``retry=`` on a generated method: ``None`` (the client's policy), ``False``
#: (no retries), ``True`` (retry a mutation like a query) or a RetryStrategy.
RetryOption = Union[bool, "RetryStrategy", None]

_NO_OPTIONS: Mapping[str, Any] = MappingProxyType({})


def call_options(cache: CacheOption, retry: RetryOption, attempt: int | None) -> Mapping[str, Any]:
    """The per-call options a generated method was given (``None``: not given)."""
    if cache is None and retry is None and attempt is None:
        return _NO_OPTIONS
    given = {"cache": cache, "retry": retry, "attempt": attempt}
    return {name: value for name, value in given.items() if value is not None}


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
    def run(
        self,
        document: str,
        operation_name: str,
        variables: dict[str, Any],
        options: Mapping[str, Any],
    ) -> Awaitable[dict[str, Any]]: ...

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
