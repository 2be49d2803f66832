"""The keyword signatures type checkers see match the models that validate them.

``pages.create(title=..., ...)`` and the update methods declare their fields
as keyword overloads for editors and type checkers; at run time the input
models (``PageCreate``, ``UserUpdate``, …) validate them. These tests keep
the two from drifting apart.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from typing import Any, get_args

import pytest
from pydantic import BaseModel

from wikijs._async.resources.groups import AsyncGroups
from wikijs._async.resources.pages import AsyncPages
from wikijs._async.resources.site import SITE_SETTINGS, AsyncSite
from wikijs._async.resources.users import AsyncUsers
from wikijs._facts import EDITORS
from wikijs._protocol.pages import Editor
from wikijs._sync.resources.groups import Groups
from wikijs._sync.resources.pages import Pages
from wikijs._sync.resources.site import Site
from wikijs._sync.resources.users import Users
from wikijs.models import GroupUpdate, PageCreate, PageUpdate, UserUpdate

get_overloads = getattr(typing, "get_overloads", None)
pytestmark = pytest.mark.skipif(get_overloads is None, reason="typing.get_overloads: 3.11+")


def keywords(method: Callable[..., Any]) -> dict[str, inspect.Parameter]:
    """The keyword-only parameters of the overload that takes fields as keywords."""
    assert get_overloads is not None
    (overload,) = [
        o
        for o in get_overloads(method)
        if any(p.kind is p.KEYWORD_ONLY for p in inspect.signature(o).parameters.values())
    ]
    params = inspect.signature(overload).parameters.values()
    return {p.name: p for p in params if p.kind is p.KEYWORD_ONLY}


@pytest.mark.parametrize(
    ("methods", "model"),
    [
        ((Pages.update, AsyncPages.update), PageUpdate),
        ((Users.update, AsyncUsers.update), UserUpdate),
        ((Groups.update, AsyncGroups.update), GroupUpdate),
    ],
)
def test_update_keywords_are_the_update_models_fields(
    methods: tuple[Callable[..., Any], ...], model: type[BaseModel]
) -> None:
    for method in methods:
        params = keywords(method)
        assert list(params) == list(model.model_fields), method.__qualname__
        assert all(p.default is Ellipsis for p in params.values())  # "not given"


def test_create_keywords_are_page_create_fields_with_its_defaults() -> None:
    for method in (Pages.create, AsyncPages.create):
        params = keywords(method)
        assert list(params) == list(PageCreate.model_fields)
        for name, field in PageCreate.model_fields.items():
            if field.is_required():
                assert params[name].default is inspect.Parameter.empty, name
            else:
                default = field.get_default(call_default_factory=True)
                assert params[name].default == (() if default == [] else default), name


def test_site_update_keywords_are_every_site_setting() -> None:
    annotation = {"str": "str", "bool": "bool", "int": "int", "list": "Iterable[str]"}
    for method in (Site.update, AsyncSite.update):
        params = keywords(method)
        assert list(params) == list(SITE_SETTINGS)
        for name, kind in SITE_SETTINGS.items():
            assert params[name].annotation == annotation[kind], name


def test_the_editor_type_names_the_editors_wikijs_accepts() -> None:
    assert set(get_args(Editor)) == EDITORS


def test_keyword_and_model_forms_create_the_same_page(client: Any) -> None:
    by_keywords = client.pages.create(title="Kw", path="typed/kw", content="x", tags=["a"])
    by_model = client.pages.create(
        PageCreate(title="Kw", path="typed/model", content="x", tags=["a"])
    )
    by_mapping = client.pages.create(
        {"title": "Kw", "path": "typed/map", "content": "x", "tags": ["a"]}
    )
    shape = {
        (p.title, p.locale, p.editor, p.is_published, tuple(t.tag for t in p.tags))
        for p in (by_keywords, by_model, by_mapping)
    }
    assert shape == {("Kw", "en", "markdown", True, ("a",))}


def test_site_update_takes_keywords_or_one_mapping(client: Any) -> None:
    assert client.site.update(title="By keyword").title == "By keyword"
    assert client.site.update({"title": "By mapping"}).title == "By mapping"
    from wikijs import ValidationError

    with pytest.raises(ValidationError, match="keywords or as one mapping"):
        client.site.update({"title": "x"}, company="y")


def test_mail_and_theming_update_keywords_are_every_setting() -> None:
    from wikijs._async.resources.mail import AsyncMail
    from wikijs._async.resources.theming import AsyncTheming
    from wikijs._protocol.server_admin import MAIL_FIELDS, THEMING_FIELDS
    from wikijs._sync.resources.mail import Mail
    from wikijs._sync.resources.theming import Theming

    for method in (Mail.update, AsyncMail.update):
        assert list(keywords(method)) == list(MAIL_FIELDS)
    for method in (Theming.update, AsyncTheming.update):
        assert list(keywords(method)) == list(THEMING_FIELDS)


def test_option_strings_are_literal_types() -> None:
    import typing

    from wikijs._sync.resources.logging import Logging
    from wikijs._sync.resources.storage import Storage
    from wikijs._sync.resources.system import System
    from wikijs._sync.resources.theming import Theming
    from wikijs.models import ExportEntity, IconSet, LogLevel, StorageMode, TocPosition

    hints = typing.get_type_hints(Storage.update)
    assert set(get_args(get_args(hints["mode"])[0])) == set(get_args(StorageMode))
    assert set(get_args(StorageMode)) == {"sync", "push", "pull"}
    assert set(get_args(LogLevel)) == {"error", "warn", "info", "verbose", "debug"}
    assert "level" in typing.get_type_hints(Logging.update)
    assert set(get_args(IconSet)) == {"mdi", "fa", "fa4"}
    assert set(get_args(TocPosition)) == {"left", "right", "hidden"}
    assert "entities" in typing.get_type_hints(System.export)
    assert len(get_args(ExportEntity)) == 8
    overload = typing.get_overloads(Theming.update)[1]
    assert typing.get_type_hints(overload)["iconset"] == IconSet
