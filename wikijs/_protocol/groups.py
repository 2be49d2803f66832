"""Groups: permissions, typed page rules and the safe partial update. Pure: no I/O."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

from pydantic import Field, field_validator

from .. import _facts as wikijs_facts
from ..errors import InvalidArgumentError
from . import validation as v
from .inputs import InputModel

if TYPE_CHECKING:
    from wikijs._generated.fragments import Group

#: Every permission a Wiki.js 2.5 group can hold (FACTS.md).
PERMISSIONS: Final = wikijs_facts.PERMISSIONS
_KNOWN = frozenset(PERMISSIONS)

#: How a page rule's ``path`` is matched.
PAGE_RULE_MATCHES: Final = ("START", "EXACT", "END", "REGEX", "TAG")

GROUP_ORDER_FIELDS: Mapping[str, str] = {
    "id": "id",
    "name": "name",
    "is_system": "is_system",
    "user_count": "user_count",
    "users": "user_count",
    "created": "created_at",
    "created_at": "created_at",
    "updated": "updated_at",
    "updated_at": "updated_at",
}


def check_permissions(value: Any, name: str = "permissions") -> list[str]:
    """A list of the 22 permission names, duplicates dropped, order kept."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidArgumentError(f"{name} must be a list of permission names", field=name)
    out: list[str] = []
    for item in value:
        permission = v.check_text(item, name).strip()
        if permission not in _KNOWN:
            raise InvalidArgumentError(
                f"unknown permission {permission!r} in {name}; Wiki.js knows "
                + ", ".join(PERMISSIONS),
                field=name,
            )
        if permission not in out:
            out.append(permission)
    return out


def new_rule_id() -> str:
    """A fresh page rule id (Wiki.js's admin UI uses short random strings too)."""
    return secrets.token_hex(6)


class PageRule(InputModel):
    """One page rule of a group: which pages its permissions apply to.

    Example::

        PageRule(match="START", path="docs", roles=["read:pages", "write:pages"])
        PageRule(match="TAG", path="secret", roles=["read:pages"], deny=True)

    Attributes:
        match: ``START`` (path prefix), ``EXACT``, ``END``, ``REGEX`` or ``TAG``.
        path: the path, suffix, regular expression or tag to match
            (``""`` with ``START`` matches every page).
        roles: the permissions the rule grants (or denies).
        deny: deny instead of allow.
        locales: only in these locales (empty: all).
        id: the rule's id; generated when omitted.
    """

    match: str = "START"
    path: str = ""
    roles: list[str]
    deny: bool = False
    locales: list[str] = Field(default_factory=list)
    id: str = Field(default_factory=new_rule_id)

    @field_validator("match", mode="before")
    @classmethod
    def _match(cls, value: Any) -> str:
        value = getattr(value, "value", value)
        if isinstance(value, str) and value.upper() in PAGE_RULE_MATCHES:
            return value.upper()
        raise InvalidArgumentError(
            f"match must be one of {', '.join(PAGE_RULE_MATCHES)}, not {value!r}", field="match"
        )

    @field_validator("path", mode="before")
    @classmethod
    def _path(cls, value: Any) -> str:
        return v.check_text(value, "path").strip()

    @field_validator("roles", mode="before")
    @classmethod
    def _roles(cls, value: Any) -> list[str]:
        roles = check_permissions(value, "roles")
        if not roles:
            raise InvalidArgumentError("a page rule needs at least one role", field="roles")
        return roles

    @field_validator("locales", mode="before")
    @classmethod
    def _locales(cls, value: Any) -> list[str]:
        if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
            raise InvalidArgumentError("locales must be a list of locale codes", field="locales")
        return [v.check_locale(item, "locales") for item in value]

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, value: Any) -> str:
        return v.check_text(value, "id", allow_empty=False).strip()

    @classmethod
    def coerce(cls, value: Any) -> PageRule:
        """A PageRule from a PageRule, a mapping, or a rule read from a group."""
        if isinstance(value, cls):
            return value
        if isinstance(value, Mapping):
            return cls.build(value)
        if hasattr(value, "roles") and hasattr(value, "match"):
            return cls.build(
                {
                    "id": value.id,
                    "match": value.match,
                    "path": value.path,
                    "roles": list(value.roles),
                    "deny": value.deny,
                    "locales": list(value.locales),
                }
            )
        raise InvalidArgumentError(
            f"a page rule is a PageRule or a mapping, not {type(value).__name__}",
            field="page_rules",
        )

    def as_variable(self) -> dict[str, Any]:
        """The ``PageRuleInput`` value, as JSON."""
        return {
            "id": self.id,
            "deny": self.deny,
            "match": self.match,
            "roles": list(self.roles),
            "path": self.path,
            "locales": list(self.locales),
        }


def check_page_rules(value: Any, name: str = "page_rules") -> list[PageRule]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise InvalidArgumentError(f"{name} must be a list of page rules", field=name)
    rules = [PageRule.coerce(item) for item in value]
    ids = [rule.id for rule in rules]
    if len(set(ids)) != len(ids):
        raise InvalidArgumentError(f"{name} has two rules with the same id", field=name)
    return rules


def check_redirect(value: Any, name: str = "redirect_on_login") -> str:
    text = v.check_text(value, name, allow_empty=False).strip()
    if not text.startswith("/") and "://" not in text:
        raise InvalidArgumentError(
            f"{name} must be a path such as '/' or '/docs', not {text!r}", field=name
        )
    return text


class GroupUpdate(InputModel):
    """Changes to a group: only the fields you set are changed.

    Wiki.js requires name, redirect on login, permissions and page rules
    together, and replaces each; ``client.groups.update`` reads the group
    first and sends the current values of whatever you leave out.

    Example::

        client.groups.update(3, GroupUpdate(name="Editors"))
        client.groups.update(3, permissions=["read:pages", "write:pages"],
                             page_rules=[PageRule(match="START", path="docs",
                                                  roles=["read:pages", "write:pages"])])
    """

    name: str | None = None
    redirect_on_login: str | None = None
    permissions: list[str] | None = None
    page_rules: list[PageRule] | None = None

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: Any) -> Any:
        return value if value is None else check_group_name(value)

    @field_validator("redirect_on_login", mode="before")
    @classmethod
    def _redirect(cls, value: Any) -> Any:
        return value if value is None else check_redirect(value)

    @field_validator("permissions", mode="before")
    @classmethod
    def _permissions(cls, value: Any) -> Any:
        return value if value is None else check_permissions(value)

    @field_validator("page_rules", mode="before")
    @classmethod
    def _rules(cls, value: Any) -> Any:
        return value if value is None else check_page_rules(value)


def check_group_name(value: Any, name: str = "name") -> str:
    text = v.check_text(value, name, allow_empty=False).strip()
    if len(text) > 255:
        raise InvalidArgumentError(f"{name} is longer than 255 characters", field=name)
    return text


def merged_group_variables(group: Group, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Every ``update_group`` argument (as JSON): the group's values, then ``changes``.

    ``group`` is a :class:`~wikijs.models.Group`.
    """
    rules = changes.get("page_rules")
    if rules is None:
        rules = [PageRule.coerce(rule) for rule in group.page_rules or ()]
    return {
        "id": group.id,
        "name": changes.get("name", group.name),
        "redirect_on_login": changes.get("redirect_on_login", group.redirect_on_login or "/"),
        "permissions": list(changes.get("permissions", group.permissions)),
        "page_rules": [rule.as_variable() for rule in rules],
    }
