"""Plugins: code that watches every request the client sends.

A plugin is any object with one or more of these hooks (see :class:`Plugin`):
``before_request(method, url, *, request)``, ``after_request(response)``,
``on_error(error, response)`` and ``on_circuit_change(old, new, stats)``.
Hooks run once per attempt, innermost in the pipeline, so they see exactly
the requests that go out.

Example::

    from wikijs import WikiJSClient
    from wikijs.plugins import LoggingPlugin, MetricsPlugin

    client = WikiJSClient(
        url, auth=api_key,
        plugins=[LoggingPlugin(level="DEBUG"), MetricsPlugin(backend="prometheus")],
    )

See ``docs/plugins.md``.
"""

from .._protocol.redaction import REDACTED, is_secret, redact
from .._public import publish as _publish
from ._logging import LoggingPlugin
from ._metrics import MemoryMetrics, MetricsPlugin
from ._types import (
    AfterRequestHook,
    BeforeRequestHook,
    OnCircuitChangeHook,
    OnErrorHook,
    Plugin,
    PluginLike,
    RequestInfo,
    ResponseInfo,
)

__all__ = [
    "AfterRequestHook",
    "BeforeRequestHook",
    "LoggingPlugin",
    "MemoryMetrics",
    "MetricsPlugin",
    "OnCircuitChangeHook",
    "OnErrorHook",
    "Plugin",
    "PluginLike",
    "REDACTED",
    "RequestInfo",
    "ResponseInfo",
    "is_secret",
    "redact",
]

# Each class's __module__ is this module, where it is documented (wikijs/_public.py).
_publish(globals(), __all__, __name__)
