"""The option strings of listings, one spelling each, and the old spellings' deprecation.

One rule for every resource: option strings are lower-case, and a field to
order by is named as the attribute of the items listed (``order_by="title"``,
``"created_at"``), with ``-`` in front for descending order
(``order_by="-created_at"``, the same as ``direction="desc"``); ``direction``
is ``"asc"`` or ``"desc"``, an asset ``kind`` ``"all"``, ``"image"`` or
``"binary"``, a tree ``mode`` ``"all"``, ``"folders"`` or ``"pages"``. The
types below are ``Literal`` s, so mypy and pyright catch a misspelt option
in a caller's code.

Spellings of earlier releases (``"TITLE"``, ``"CREATED"``, ``"ASC"``,
``"created"``, ``"users"``, camelCase) keep working and warn with a
:class:`DeprecationWarning` naming the spelling to use. The generated enums
(``PageOrderBy.TITLE``, ``AssetKind.IMAGE``, …) are typed values, not
spellings, and are taken without a warning. Pure: no I/O.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Mapping
from typing import Any, Literal

from ..errors import InvalidArgumentError

Direction = Literal["asc", "desc"]
AssetKindOption = Literal["all", "image", "binary"]
TreeMode = Literal["all", "folders", "pages"]

PageOrder = Literal[
    "id", "path", "title", "created_at", "updated_at",
    "-id", "-path", "-title", "-created_at", "-updated_at",
]  # fmt: skip
UserOrder = Literal[
    "id", "name", "email", "provider_key", "created_at", "last_login_at", "is_active",
    "is_system",
    "-id", "-name", "-email", "-provider_key", "-created_at", "-last_login_at", "-is_active",
    "-is_system",
]  # fmt: skip
GroupOrder = Literal[
    "id", "name", "is_system", "user_count", "created_at", "updated_at",
    "-id", "-name", "-is_system", "-user_count", "-created_at", "-updated_at",
]  # fmt: skip
AssetOrder = Literal[
    "id", "filename", "kind", "file_size", "created_at", "updated_at",
    "-id", "-filename", "-kind", "-file_size", "-created_at", "-updated_at",
]  # fmt: skip
ApiKeyOrder = Literal[
    "id", "name", "expiration", "created_at", "updated_at",
    "-id", "-name", "-expiration", "-created_at", "-updated_at",
]  # fmt: skip
CommentOrder = Literal[
    "id", "created_at", "updated_at", "author_name",
    "-id", "-created_at", "-updated_at", "-author_name",
]  # fmt: skip


def deprecated_spelling(name: str, given: Any, use: str) -> None:
    """Warn, at the caller's line, that ``name=given`` is spelt ``name=use`` now."""
    warnings.warn(
        f"{name}={given!r} is deprecated: write {name}={use!r} "
        "(options are lower-case, fields named as the items' attributes)",
        DeprecationWarning,
        stacklevel=_caller_level(),
    )


def _caller_level() -> int:
    """The ``stacklevel`` of the first frame outside the wikijs package."""
    frame = sys._getframe(2)
    level = 2
    while frame is not None and frame.f_globals.get("__name__", "").startswith("wikijs."):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


def canonical(value: str, choices: Mapping[str, str], name: str, *, prefix: str = "") -> str | None:
    """The canonical spelling of ``value``, warning when it is an older one.

    ``choices`` maps every accepted spelling (canonical ones map to
    themselves) to the canonical one; upper-case and camelCase forms of
    those are accepted too. ``None`` when nothing matches.
    """
    if value in choices and choices[value] == value:
        return value
    found = choices.get(value) or choices.get(value.lower()) or choices.get(_snake(value))
    if found is not None:
        deprecated_spelling(name, prefix + value, prefix + found)
    return found


def check_direction(direction: Any) -> bool:
    """``"asc"``/``"desc"`` (or a ``PageOrderByDirection``) → whether to sort descending."""
    if direction is None:
        return False
    value = getattr(direction, "value", None)
    if isinstance(value, str):  # the generated enum
        return value == "DESC"
    if isinstance(direction, str):
        found = canonical(direction, {"asc": "asc", "desc": "desc"}, "direction")
        if found is not None:
            return found == "desc"
    raise InvalidArgumentError(
        f"direction must be 'asc' or 'desc', not {direction!r}", field="direction"
    )


def _snake(name: str) -> str:
    out = []
    for ch in name:
        out.append("_" + ch.lower() if ch.isupper() else ch)
    return "".join(out).lstrip("_")


#: ``pages.list(order_by=…)`` → the ``PageOrderBy`` value Wiki.js sorts by.
PAGE_ORDER: Mapping[str, str] = {
    "id": "ID",
    "path": "PATH",
    "title": "TITLE",
    "created_at": "CREATED",
    "updated_at": "UPDATED",
}
_PAGE_ORDER_SPELLINGS = {
    **{name: name for name in PAGE_ORDER},
    "created": "created_at",
    "updated": "updated_at",
}


def page_order(order_by: Any, direction: Any) -> tuple[str | None, str | None]:
    """``pages.list``'s ``order_by``/``direction`` → Wiki.js's ``orderBy``/``orderByDirection``.

    ``None`` leaves the server's default (``orderBy: ID``, ascending).
    """
    descending: bool | None = None if direction is None else check_direction(direction)
    if order_by is None:
        return None, None if descending is None else ("DESC" if descending else "ASC")
    value = getattr(order_by, "value", None)
    if isinstance(value, str) and value in PAGE_ORDER.values():  # PageOrderBy
        field = value
    elif isinstance(order_by, str):
        name = order_by.strip()
        sign = ""
        if name.startswith("-"):
            descending, name, sign = not descending, name[1:], "-"
        found = canonical(name, _PAGE_ORDER_SPELLINGS, "order_by", prefix=sign)
        if found is None:
            choices = ", ".join(repr(choice) for choice in PAGE_ORDER)
            raise InvalidArgumentError(
                f"cannot order pages by {order_by!r}; choose one of {choices}", field="order_by"
            )
        field = PAGE_ORDER[found]
    else:
        raise InvalidArgumentError(
            f"order_by must be a field name, not {type(order_by).__name__}", field="order_by"
        )
    return field, None if descending is None else ("DESC" if descending else "ASC")


_TREE_MODES = {"all": "all", "folders": "folders", "pages": "pages"}


def tree_mode(mode: Any) -> str:
    """``"all"``/``"folders"``/``"pages"`` (or a ``PageTreeMode``) → the enum's value."""
    value = getattr(mode, "value", None)
    if isinstance(value, str):
        return value
    if isinstance(mode, str):
        found = canonical(mode.strip(), _TREE_MODES, "mode")
        if found is not None:
            return found.upper()
    raise InvalidArgumentError(
        f"mode must be 'all', 'folders' or 'pages', not {mode!r}", field="mode"
    )


_KINDS = {"all": "all", "image": "image", "binary": "binary", "images": "image", "file": "binary"}


def asset_kind(kind: Any) -> str:
    """``"all"``/``"image"``/``"binary"`` (or an ``AssetKind``) → the enum's value."""
    value = getattr(kind, "value", None)
    if isinstance(value, str):
        return value
    if isinstance(kind, str):
        found = canonical(kind.strip(), _KINDS, "kind")
        if found is not None:
            return found.upper()
    raise InvalidArgumentError(
        f"kind must be 'image', 'binary' or 'all', not {kind!r}", field="kind"
    )
