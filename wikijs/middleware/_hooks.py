"""Calling user-supplied functions (plugin hooks, callbacks, sleep) from either client.

The layers are written once, for the async client; ``scripts/unasync``
turns ``AsyncHooks`` into ``Hooks``. The async client awaits whatever a
hook returns that can be awaited; the sync client cannot, and says so.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from ..errors import InvalidArgumentError


def _sync_only_message(name: str) -> str:
    return (
        f"{name} is asynchronous (it returns an awaitable), which the sync client cannot "
        "await; give it a plain function, or use the async client"
    )


class AsyncHooks:
    """For the async client: plain functions and coroutine functions both work."""

    @staticmethod
    def check(value: Any, name: str) -> None:
        if value is not None and not callable(value):
            raise InvalidArgumentError(f"{name} must be callable", field=name)

    @staticmethod
    async def call(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        if inspect.isawaitable(result):
            return await result
        return result


class Hooks:
    """For the sync client: a coroutine function is a configuration error."""

    @staticmethod
    def check(value: Any, name: str) -> None:
        if value is None:
            return
        if not callable(value):
            raise InvalidArgumentError(f"{name} must be callable", field=name)
        target = getattr(value, "__call__", None)  # noqa: B004 - instances with async __call__
        if inspect.iscoroutinefunction(value) or inspect.iscoroutinefunction(target):
            raise InvalidArgumentError(_sync_only_message(name), field=name)

    @staticmethod
    def call(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        if inspect.isawaitable(result):
            close = getattr(result, "close", None)
            if callable(close):
                close()  # no "coroutine was never awaited" warning on top
            name = getattr(function, "__qualname__", repr(function))
            raise InvalidArgumentError(_sync_only_message(name))
        return result
