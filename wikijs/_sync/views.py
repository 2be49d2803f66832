# Generated from wikijs/_async/views.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""Client views (``client.with_options(...)``): what the pipeline and the client share.

A view's settings travel in ``Operation.options`` (``_http/options.py``),
below each call's own options. Here: the runner that hands a view's
generated calls to the client's one pipeline with them, and the exchange of
an operation that carries exchange settings (timeouts, deadline, headers, a
raw response's recorder).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._http._sync.transport import Response, Transport
    from .._http.base import Request
    from .._http.options import CallOptions
    from .._protocol.operation import Operation
    from .pipeline import Pipeline


def below(view: Mapping[str, Any], call: Mapping[str, Any]) -> Mapping[str, Any]:
    """A call's options over its view's."""
    return {**view, **call} if call else view


def send_with_options(
    transport: Transport, request: Request, operation: Operation, view: CallOptions
) -> Response:
    """Send ``request`` with a view's settings, recording the exchange for a raw response."""
    request = view.apply(request)
    recorder = view.recorder
    if recorder is None:
        return transport.send(request)
    started = time.perf_counter()
    response = transport.send(request)
    elapsed = time.perf_counter() - started
    recorder.record(request, operation, response.status_code, response.headers, elapsed)
    return response


class ViewRunner:
    """Runs a view's generated calls through the client's pipeline, with the view's options."""

    __slots__ = ("_options", "_pipeline")

    def __init__(self, pipeline: Pipeline, options: Mapping[str, Any]) -> None:
        self._pipeline = pipeline
        self._options = options

    def run(
        self,
        document: str,
        operation_name: str,
        variables: dict[str, Any],
        options: Mapping[str, Any],
    ) -> dict[str, Any]:
        return self._pipeline.run(
            document, operation_name, variables, below(self._options, options)
        )

    def invalid_result(self, operation_name: str, error: Exception) -> Exception:
        return self._pipeline.invalid_result(operation_name, error)
