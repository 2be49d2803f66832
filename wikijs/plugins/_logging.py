"""``LoggingPlugin``: one structured log line per attempt, secrets redacted."""

from __future__ import annotations

import logging
from typing import Any

from ..errors import InvalidArgumentError
from ..middleware._breaker import BreakerStats, CircuitState
from ._types import RequestInfo, ResponseInfo


def _level(value: int | str, name: str) -> int:
    if isinstance(value, bool):
        raise InvalidArgumentError(f"{name} must be a logging level, not {value!r}", field=name)
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        level = logging.getLevelName(value.upper())
        if isinstance(level, int):
            return level
    raise InvalidArgumentError(
        f"{name} must be a logging level such as 'DEBUG' or logging.INFO, not {value!r}",
        field=name,
    )


class LoggingPlugin:
    """Logs every request, answer and failure through the standard ``logging`` module.

    Each record carries structured fields in ``extra`` (``wikijs_event``,
    ``wikijs_operation``, ``wikijs_kind``, ``wikijs_attempt``,
    ``wikijs_duration_ms``, ``wikijs_status``, ``wikijs_error``, and
    ``wikijs_variables`` when asked), so a JSON formatter can ship them
    as they are. Credentials never appear: headers are not logged, and
    variables named like secrets (passwords, tokens, keys) are replaced by
    ``"***"``.

    Example::

        import logging
        from wikijs import WikiJSClient
        from wikijs.plugins import LoggingPlugin

        logging.basicConfig(level=logging.DEBUG)
        client = WikiJSClient(url, auth=api_key, plugins=[LoggingPlugin(level="DEBUG")])

    Args:
        level: the level of request and answer records.
        error_level: the level of failure records.
        logger: a logger or its name (default ``"wikijs.requests"``).
        include_variables: also log the (redacted) variables.
    """

    def __init__(
        self,
        level: int | str = "DEBUG",
        *,
        error_level: int | str = "WARNING",
        logger: logging.Logger | str = "wikijs.requests",
        include_variables: bool = False,
    ) -> None:
        self.level: int = _level(level, "level")
        self.error_level: int = _level(error_level, "error_level")
        self.logger: logging.Logger = (
            logger if isinstance(logger, logging.Logger) else logging.getLogger(logger)
        )
        self.include_variables = include_variables

    def _fields(self, event: str, request: RequestInfo) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "wikijs_event": event,
            "wikijs_operation": request.operation,
            "wikijs_kind": request.kind,
            "wikijs_attempt": request.attempt,
        }
        if self.include_variables:
            fields["wikijs_variables"] = request.variables
        return fields

    def before_request(self, method: str, url: str, **kwargs: Any) -> None:
        request: RequestInfo = kwargs["request"]
        if not self.logger.isEnabledFor(self.level):
            return
        retry = f" (attempt {request.attempt})" if request.attempt > 1 else ""
        fields = self._fields("request", request)
        if self.include_variables:
            self.logger.log(
                self.level,
                "wikijs -> %s %s%s variables=%s",
                request.kind,
                request.operation,
                retry,
                request.variables,
                extra=fields,
            )
        else:
            self.logger.log(
                self.level,
                "wikijs -> %s %s%s",
                request.kind,
                request.operation,
                retry,
                extra=fields,
            )

    def after_request(self, response: ResponseInfo) -> None:
        if not self.logger.isEnabledFor(self.level):
            return
        fields = self._fields("response", response.request)
        fields["wikijs_duration_ms"] = round(response.duration * 1000, 3)
        fields["wikijs_status"] = response.status
        self.logger.log(
            self.level,
            "wikijs <- %s ok in %.1f ms",
            response.operation,
            response.duration * 1000,
            extra=fields,
        )

    def on_error(self, error: BaseException, response: ResponseInfo) -> None:
        if not self.logger.isEnabledFor(self.error_level):
            return
        fields = self._fields("error", response.request)
        fields["wikijs_duration_ms"] = round(response.duration * 1000, 3)
        fields["wikijs_status"] = response.status
        fields["wikijs_error"] = type(error).__name__
        # SDK errors are built from server answers and operation names, never
        # from request headers, so the message is safe to log.
        self.logger.log(
            self.error_level,
            "wikijs !! %s failed after %.1f ms: %s: %s",
            response.operation,
            response.duration * 1000,
            type(error).__name__,
            getattr(error, "message", error),
            extra=fields,
        )

    def on_circuit_change(self, old: CircuitState, new: CircuitState, stats: BreakerStats) -> None:
        level = logging.WARNING if new is CircuitState.OPEN else logging.INFO
        self.logger.log(
            level,
            "wikijs circuit breaker %s -> %s (failures in a row: %d)",
            old.value,
            new.value,
            stats.failure_count,
            extra={"wikijs_event": "circuit", "wikijs_state": new.value},
        )

    def __repr__(self) -> str:
        level = logging.getLevelName(self.level)
        return f"LoggingPlugin(level={level!r}, logger={self.logger.name!r})"
