"""Base of the generated sync client: hands every operation to the SDK's runner."""

from __future__ import annotations

from typing import Any

from .runner import OperationRunner, prepare_variables


class BaseClient:
    def __init__(self, runner: OperationRunner) -> None:
        self._runner = runner

    def execute(
        self,
        query: str,
        operation_name: str | None = None,
        variables: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        return self._runner.run(
            query, operation_name or "", prepare_variables(variables), kwargs
        )

    def get_data(self, response: dict[str, Any]) -> dict[str, Any]:
        return response
