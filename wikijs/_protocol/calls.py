"""Errors in the user's terms: which public call failed, and on what. Pure: no I/O.

Every public method of a resource (``client.pages.get``, …) and a few of the
client's own are wrapped by :func:`public`. When a :class:`WikiJSError`
leaves one, it gets the call as the user wrote it (``error.call ==
"pages.get(999999)"``), and a NotFoundError about the one object the call
names gets a message saying so (``no page with id 999999``). The GraphQL
operation, code and server errors stay on the error as attributes; the
call, being the outermost, replaces the name of whatever operation the SDK
ran underneath (a login, the one-time identity check, a lookup).

Arguments are shown short, and never a credential: secret-looking
parameters show as ``***``, long text is cut, structures show their type.
"""

from __future__ import annotations

import enum
import functools
import inspect
from collections.abc import AsyncIterator, Callable, Generator, Mapping
from typing import Any, TypeVar

from ..errors import NotFoundError, WikiJSError
from .redaction import REDACTED, is_secret

F = TypeVar("F", bound=Callable[..., Any])

_MAX_TEXT = 32

# What a `<noun>_id` parameter names, where the noun alone reads badly.
_NOUNS = {"key": "API key"}


def show_value(name: str, value: Any) -> str:
    """One argument as it appears in a call: short, and never a secret."""
    if is_secret(name):
        return REDACTED
    if isinstance(value, enum.Enum):
        value = value.value
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    if isinstance(value, str):
        return repr(value if len(value) <= _MAX_TEXT else value[: _MAX_TEXT - 1] + "…")
    return f"<{type(value).__name__}>"


class Call:
    """How one public method is shown in errors (worked out once, when wrapped)."""

    def __init__(self, name: str, function: Callable[..., Any], subject: str | None = None) -> None:
        self.name = name
        self.signature = inspect.signature(function)
        ids = [p for p in list(self.signature.parameters)[1:] if p.endswith("_id")]
        # Only a call about exactly one object can say which one is missing.
        self.subject_param = ids[0] if len(ids) == 1 else None
        self.subject = subject

    def describe(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[str, str | None]:
        """``("pages.get(999999)", "page with id 999999")`` for these arguments."""
        try:
            bound = self.signature.bind(*args, **kwargs)
        except TypeError:
            return f"{self.name}(…)", None
        shown: list[str] = []
        positional = True
        for index, (name, value) in enumerate(bound.arguments.items()):
            if index == 0:  # self
                continue
            parameter = self.signature.parameters[name]
            if parameter.kind is parameter.VAR_KEYWORD:
                shown += [f"{k}={show_value(k, v)}" for k, v in value.items()]
            elif parameter.kind is parameter.VAR_POSITIONAL:
                shown += [show_value(name, v) for v in value]
            elif positional and parameter.kind is parameter.POSITIONAL_OR_KEYWORD:
                shown.append(show_value(name, value))
            else:
                positional = False
                shown.append(f"{name}={show_value(name, value)}")
        subject = None
        if self.subject is not None:
            bound.apply_defaults()
            subject = self.subject.format_map(bound.arguments)
        elif self.subject_param is not None and self.subject_param in bound.arguments:
            noun = self.subject_param.removesuffix("_id")
            value = show_value(self.subject_param, bound.arguments[self.subject_param])
            subject = f"{_NOUNS.get(noun, noun.replace('_', ' '))} with id {value}"
        return f"{self.name}({', '.join(shown)})", subject


def name_error(error: WikiJSError, call: Call, args: tuple[Any, ...], kwargs: Any) -> None:
    """Put the public call (and the missing object) into an error on its way out."""
    described, subject = call.describe(args, kwargs)
    error.call = described
    if isinstance(error, NotFoundError) and subject is not None:
        error.message = f"no {subject}"
        error.args = (error.message,)


def public(name: str, subject: str | None = None) -> Callable[[F], F]:
    """Wrap a public method so its errors name the call (see the module docstring).

    ``subject`` says what a NotFoundError is about, formatted with the call's
    arguments (``"page at {locale}/{path}"``); by default it is the object a
    lone ``<noun>_id`` parameter names.
    """

    def wrap(function: F) -> F:
        call = Call(name, function, subject)
        wrapper: Callable[..., Any]
        if inspect.iscoroutinefunction(function):

            async def wrapper(*args: Any, **kwargs: Any) -> Any:
                try:
                    return await function(*args, **kwargs)
                except WikiJSError as error:
                    name_error(error, call, args, kwargs)
                    raise

        elif inspect.isasyncgenfunction(function):

            async def wrapper(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
                iterator = function(*args, **kwargs)
                try:
                    async for item in iterator:
                        yield item
                except WikiJSError as error:
                    name_error(error, call, args, kwargs)
                    raise
                finally:
                    await iterator.aclose()

        elif inspect.isgeneratorfunction(function):

            def wrapper(*args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
                try:
                    return (yield from function(*args, **kwargs))
                except WikiJSError as error:
                    name_error(error, call, args, kwargs)
                    raise

        else:

            def wrapper(*args: Any, **kwargs: Any) -> Any:
                try:
                    return function(*args, **kwargs)
                except WikiJSError as error:
                    name_error(error, call, args, kwargs)
                    raise

        functools.update_wrapper(wrapper, function)
        return wrapper  # type: ignore[return-value]

    return wrap


def wrap_public_methods(cls: type, prefix: str, subjects: Mapping[str, str]) -> None:
    """Wrap every public method ``cls`` defines itself as ``prefix.method``.

    ``subjects``: :func:`public`'s ``subject`` by method name.
    """
    for attr, value in list(vars(cls).items()):
        if not attr.startswith("_") and inspect.isfunction(value):
            setattr(cls, attr, public(f"{prefix}.{attr}", subjects.get(attr))(value))
