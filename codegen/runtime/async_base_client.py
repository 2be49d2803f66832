"""Base of the generated async client: hands every operation to the SDK's runner."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ValidationError

from .runner import (
    AsyncOperationRunner,
    CacheOption,
    RetryOption,
    call_options,
    prepare_variables,
)

M = TypeVar("M", bound=BaseModel)


class AsyncBaseClient:
    def __init__(self, runner: AsyncOperationRunner) -> None:
        self._runner = runner

    def execute(
        self,
        query: str,
        operation_name: str | None = None,
        variables: dict[str, Any] | None = None,
        *,
        cache: CacheOption = None,
        retry: RetryOption = None,
        attempt: int | None = None,
    ) -> Awaitable[dict[str, Any]]:
        # Not a coroutine of its own: the runner's is awaited by the caller
        # (one frame less on every call and on every resume of it).
        options = call_options(cache, retry, attempt)
        return self._runner.run(query, operation_name or "", prepare_variables(variables), options)

    def get_data(self, response: dict[str, Any]) -> dict[str, Any]:
        return response

    def validate_result(self, model: type[M], data: dict[str, Any], operation_name: str) -> M:
        try:
            # model_validate's own work, minus its per-call argument handling
            # (half a microsecond on every call)
            return cast(M, model.__pydantic_validator__.validate_python(data))
        except ValidationError as exc:
            raise self._runner.invalid_result(operation_name, exc) from None

    async def execute_ws(
        self,
        query: str,
        operation_name: str | None = None,
        variables: dict[str, Any] | None = None,
        *,
        cache: CacheOption = None,
        retry: RetryOption = None,
        attempt: int | None = None,
    ) -> AsyncIterator[dict[str, Any]]:
        options = call_options(cache, retry, attempt)
        async for data in self._runner.subscribe(
            query, operation_name or "", prepare_variables(variables), options
        ):
            yield data
