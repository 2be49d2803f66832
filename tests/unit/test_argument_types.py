"""Every public resource method refuses a wrongly typed argument with the SDK's
argument error, before anything is sent, on both clients.

The methods and their parameters are read from the resource classes
(``inspect`` and ``typing.get_type_hints``; the field keywords of
``pages.create`` and the update methods from their keyword overloads), so
a method added later is checked without being listed here. Each call gives
every other required parameter a valid value and one parameter a value
its annotation does not admit: ``object()``, ``True`` for a number, ``None``
where ``None`` is not allowed, a number for text, text for a number, a list
of the wrong items. The call must raise :class:`InvalidArgumentError` (an
:class:`ArgumentTypeError` for most) and the fake must have seen nothing.
"""

from __future__ import annotations

import collections.abc
import functools
import importlib
import inspect
import itertools
import os
import pkgutil
import sys
import types
import typing
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import Any, Literal, Union, get_args, get_origin

import pytest

from wikijs import InvalidArgumentError
from wikijs._async.client import AsyncWikiJSClient
from wikijs._async.resources._base import AsyncResource, _resource_name
from wikijs.batch import BatchResult
from wikijs.testing import FakeWikiJS

# The keyword overloads are read with typing.get_overloads (Python 3.11+); the
# checks under test do not differ by Python version.
pytestmark = pytest.mark.skipif(
    sys.version_info < (3, 11), reason="typing.get_overloads is Python 3.11+"
)

#: Valid values for required parameters (by ``method.parameter``, then by name).
SAMPLES: dict[str, Any] = {
    "name": "Team",
    "key_id": 1,
    "enabled": True,
    "asset": 1,
    "assets": [1],
    "path": "docs/page",
    "asset_id": 1,
    "new_name": "logo.png",
    "files": [b"data"],
    "page_id": 1,
    "content": "# Text",
    "comment_id": 1,
    "page": 1,
    "group_id": 1,
    "user_id": 1,
    "groups": ["Team"],
    "group_ids": [1],
    "permissions": ["read:pages"],
    "page_rules": [],
    "updates": [],
    "moves": [],
    "locale": "en",
    "items": [],
    "navigation.set_mode.mode": "TREE",
    "tree": [],
    "checkout_date": datetime(2026, 1, 1, tzinfo=timezone.utc),
    "editor": "markdown",
    "pages": [],
    "page_ids": [1],
    "tags": ["tag"],
    "version_id": 1,
    "source_locale": "en",
    "target_locale": "de",
    "destination_path": "docs/moved",
    "older_than": "P1D",
    "query": "text",
    "tag_id": 1,
    "tag": "tag",
    "title": "Title",
    "email": "ann@example.com",
    "users": [],
    "user_ids": [1],
    "password": "s3cret!!",
    "key": "db",
    "strategy": "ldap",
    "handler": "sync",
    "recipient": "ann@example.com",
    "connection_string": "mongodb://localhost:27017/wiki",
    "flags": {"sqlLog": False},
    "current": "s3cret!!",
    "new": "n3w-s3cret!!",
}


#: The other forms a required parameter takes (a model or mapping for fields).
OTHER_FORMS: dict[str, list[Any]] = {
    "users.create.email": [{"email": "ann@example.com", "name": "Ann", "password": "s3cret!!"}],
}


class _Opaque:
    """A value of no type any parameter takes."""

    def __repr__(self) -> str:
        return "<object>"


#: Wrong values to try, each tried where the annotation does not admit it.
CANDIDATES: list[Any] = [
    _Opaque(),
    True,
    None,
    2.5,
    7,
    "text",
    b"bytes",
    [_Opaque()],
    {"key": _Opaque()},
]


def admits(hint: Any, value: Any) -> bool:
    """Whether ``value`` is of the type ``hint`` names (what a type checker would pass)."""
    if hint is Any or isinstance(hint, typing.TypeVar):
        return True
    if hint is None or hint is type(None):
        return value is None
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return any(admits(arg, value) for arg in get_args(hint))
    if origin is Literal:
        return any(value == arg and type(value) is type(arg) for arg in get_args(hint))
    if origin is collections.abc.Callable:
        return callable(value)
    if origin is not None and isinstance(origin, type):
        return _admits_generic(origin, get_args(hint), value)
    if hint is typing.BinaryIO:
        return callable(getattr(value, "read", None)) or callable(getattr(value, "write", None))
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(hint, type):
        if getattr(hint, "_is_protocol", False):
            return True  # structural: not decided by a candidate's class
        return isinstance(value, hint)
    return True  # an annotation this test does not read: every value passes


def _admits_generic(origin: type, args: tuple[Any, ...], value: Any) -> bool:
    if not isinstance(value, origin):
        return False
    if issubclass(origin, collections.abc.Mapping):
        key, item = args or (Any, Any)
        return all(admits(key, k) and admits(item, v) for k, v in value.items())
    if issubclass(origin, os.PathLike):
        return True
    if issubclass(origin, (str, bytes)):
        return True
    if isinstance(value, (str, bytes)) and args and not admits(args[0], value[:1]):
        return False
    if issubclass(origin, tuple) and args and args[-1] is not Ellipsis:
        return len(args) == len(value) and all(map(admits, args, value))
    if isinstance(value, collections.abc.Iterator):
        return True  # not consumed here
    return not args or all(admits(args[0], item) for item in value)


def resources() -> list[tuple[str, type[AsyncResource]]]:
    """``(attribute, class)`` of every resource the client offers."""
    package = importlib.import_module("wikijs._async.resources")
    found = []
    for module in pkgutil.iter_modules(package.__path__):
        for cls in vars(importlib.import_module(f"{package.__name__}.{module.name}")).values():
            if (
                isinstance(cls, type)
                and issubclass(cls, AsyncResource)
                and cls is not AsyncResource
            ):
                attribute = _resource_name(cls.__name__)
                assert hasattr(AsyncWikiJSClient, attribute), attribute
                found.append((attribute, cls))
    return found


def methods() -> Iterator[tuple[str, str, Callable[..., Any]]]:
    for attribute, cls in resources():
        for name, function in inspect.getmembers(cls, inspect.isfunction):
            if not name.startswith("_"):
                yield attribute, name, function


METHODS = sorted(methods(), key=lambda item: (item[0], item[1]))


def samples(resource: str, method: str, parameter: str) -> list[Any]:
    """The valid values a required parameter is given: its sample, and its other forms."""
    for key in (f"{resource}.{method}.{parameter}", parameter):
        if key in SAMPLES:
            return [SAMPLES[key], *OTHER_FORMS.get(f"{resource}.{method}.{parameter}", [])]
    raise AssertionError(f"add a valid sample for {resource}.{method}({parameter}=…)")


def parameters_of(function: Callable[..., Any]) -> dict[str, tuple[Any, bool]]:
    """Every keyword a method takes: its annotation and whether it is required.

    A method taking ``**fields`` contributes the keywords of its keyword
    overload (the fields of ``PageCreate`` and the update models).
    """
    found: dict[str, tuple[Any, bool]] = {}
    for p in list(inspect.signature(function).parameters.values())[1:]:
        if p.kind is p.VAR_KEYWORD:
            for overload in typing.get_overloads(function):
                hints = typing.get_type_hints(overload)
                for q in inspect.signature(overload).parameters.values():
                    if q.kind is q.KEYWORD_ONLY and q.name not in found:
                        found[q.name] = (hints.get(q.name, Any), q.default is q.empty)
        elif p.kind is not p.VAR_POSITIONAL:
            hint = typing.get_type_hints(function).get(p.name, Any)
            found[p.name] = (hint, p.default is p.empty)
    return found


def wrong_calls(
    resource: str, method: str, function: Callable[..., Any]
) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    """``(parameter, wrong value, keywords)`` for every wrong value of every parameter."""
    parameters = parameters_of(inspect.unwrap(function))
    required = [
        [(name, value) for value in samples(resource, method, name)]
        for name, (_, needed) in parameters.items()
        if needed
    ]
    for name, (hint, _) in parameters.items():
        for wrong in CANDIDATES:
            if admits(hint, wrong):
                continue
            for valid in itertools.product(*required):
                yield name, wrong, {**dict(valid), name: wrong}


def outcome(call: Callable[[], Any]) -> BaseException | None:
    """What the call raised; for a batch, the error its every item failed with."""
    try:
        result = call()
        if isinstance(result, collections.abc.Iterator):
            next(result, None)
    except Exception as exc:
        return exc
    if isinstance(result, BatchResult) and result.errors and not result.success:
        # An input a batch cannot use fails alone, as a BatchItemError (docs/batch.md).
        errors = {type(item.error) for item in result.errors}
        return result.errors[0].error if len(errors) == 1 else None
    return None


@pytest.mark.parametrize(
    ("resource", "method", "function"),
    METHODS,
    ids=[f"{resource}.{method}" for resource, method, _ in METHODS],
)
def test_a_wrongly_typed_argument_is_an_argument_error_before_anything_is_sent(
    wiki: Any, fake: FakeWikiJS, resource: str, method: str, function: Callable[..., Any]
) -> None:
    if not hasattr(getattr(wiki, resource, None), method):
        pytest.skip(f"{resource}.{method} is async-only")
    bound = getattr(getattr(wiki, resource), method)
    problems: list[str] = []
    for name, wrong, kwargs in wrong_calls(resource, method, function):
        fake.reset_log()
        error = outcome(functools.partial(bound, **kwargs))
        sent = [r.operation_names or r.path for r in fake.requests]
        shown = f"{resource}.{method}({name}={wrong!r})"
        if not isinstance(error, InvalidArgumentError):
            problems.append(f"{shown} raised {error!r}")
        elif sent:
            problems.append(f"{shown} sent {sent} first")
        elif error.field not in (None, name) and error.field in kwargs:
            problems.append(f"{shown} blamed {error.field}: {error.message} (a bad sample?)")
    assert not problems, "\n".join(problems)


def test_every_resource_method_is_checked() -> None:
    assert len(METHODS) > 100
    assert {resource for resource, _, _ in METHODS} >= {"pages", "users", "groups", "assets"}


def test_the_checker_reads_annotations_as_a_type_checker_would() -> None:
    assert not admits(int, True)
    assert admits(int | None, None)
    assert not admits(collections.abc.Iterable[int], [_Opaque()])
    assert not admits(collections.abc.Iterable[int], "12")
    assert admits(collections.abc.Iterable[str], "ab")
    assert not admits(str, 7)
    assert admits(collections.abc.Mapping[str, Any], {"key": _Opaque()})
    assert admits(Literal["alias", "array"], "array")
    assert not admits(Literal["alias", "array"], "text")
