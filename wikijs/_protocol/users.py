"""Users: input models, the safe partial update, finding a created user. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, get_args

from pydantic import Field, field_validator

from ..errors import InvalidArgumentError
from . import validation as v
from .inputs import InputModel

if TYPE_CHECKING:
    from wikijs._generated.fragments import User, UserMinimal, UserSearchResult

MIN_PASSWORD_LENGTH = 6
MAX_NAME_LENGTH = 255
LOCAL_PROVIDER = "local"

#: ``users.list(order_by=...)`` names → :class:`~wikijs.models.UserMinimal` attributes.
USER_ORDER_FIELDS: Mapping[str, str] = {
    "id": "id",
    "name": "name",
    "email": "email",
    "provider_key": "provider_key",
    "created": "created_at",
    "created_at": "created_at",
    "last_login": "last_login_at",
    "last_login_at": "last_login_at",
    "is_active": "is_active",
    "is_system": "is_system",
}


def check_name(value: Any, name: str = "name") -> str:
    text = v.check_text(value, name, allow_empty=False).strip()
    if len(text) > MAX_NAME_LENGTH:
        raise InvalidArgumentError(
            f"{name} is longer than {MAX_NAME_LENGTH} characters", field=name
        )
    return text


def check_password(value: Any, name: str = "password") -> str:
    password = v.check_text(value, name)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidArgumentError(
            f"{name} must be at least {MIN_PASSWORD_LENGTH} characters long", field=name
        )
    return password


def check_group_ids(value: Any, name: str = "groups") -> list[int]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidArgumentError(f"{name} must be a list of group ids", field=name)
    ids: list[int] = []
    for item in value:
        group_id = v.check_id(getattr(item, "id", item), name)
        if group_id not in ids:
            ids.append(group_id)
    return ids


class UserCreate(InputModel):
    """A new user account.

    Example::

        client.users.create(UserCreate(email="ada@example.com", name="Ada",
                                       password="s3cret!", groups=[3]))

    Attributes:
        email: the login email (Wiki.js stores it lower-cased).
        name: the display name.
        password: at least 6 characters; required for the ``local`` provider.
        groups: ids (or groups) the user joins.
        must_change_password: force a new password at first login.
        send_welcome_email: mail the user (needs mail configured on the server).
        provider: the authentication strategy key, ``local`` by default.
    """

    email: str
    name: str
    password: str | None = None
    groups: list[int] = Field(default_factory=list)
    must_change_password: bool = False
    send_welcome_email: bool = False
    provider: str = LOCAL_PROVIDER

    @field_validator("email", mode="before")
    @classmethod
    def _email(cls, value: Any) -> str:
        return v.check_email(value).lower()

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: Any) -> str:
        name = check_name(value)
        if len(name) < 2:  # Wiki.js: "Name is too short (minimum is 2 characters)"
            raise InvalidArgumentError("name must be at least 2 characters", field="name")
        return name

    @field_validator("password", mode="before")
    @classmethod
    def _password(cls, value: Any) -> Any:
        return value if value is None else check_password(value)

    @field_validator("groups", mode="before")
    @classmethod
    def _groups(cls, value: Any) -> list[int]:
        return check_group_ids(value)

    @field_validator("provider", mode="before")
    @classmethod
    def _provider(cls, value: Any) -> str:
        return v.check_text(value, "provider", allow_empty=False).strip()

    def model_post_init(self, context: Any, /) -> None:
        if self.provider == LOCAL_PROVIDER and self.password is None:
            raise InvalidArgumentError("a local account needs a password", field="password")

    def variables(self) -> dict[str, Any]:
        """Keyword arguments for the generated ``create_user``."""
        out: dict[str, Any] = {
            "email": self.email,
            "name": self.name,
            "provider_key": self.provider,
            "groups": list(self.groups),
            "must_change_password": self.must_change_password,
            "send_welcome_email": self.send_welcome_email,
        }
        if self.password is not None:
            out["password_raw"] = self.password
        return out


# Wiki.js's users.update ignores empty strings for these: they cannot be cleared.
_NOT_CLEARABLE = ("name", "email", "location", "job_title", "timezone")


class UserUpdate(InputModel):
    """Changes to a user: only the fields you set are changed.

    ``client.users.update`` reads the user first and sends every field, so
    nothing changes by omission. ``groups`` replaces the memberships;
    ``password`` sets a new password (at least 6 characters).

    Example::

        client.users.update(7, UserUpdate(name="Ada Lovelace"))
        client.users.update(7, job_title="Engineer", groups=[1, 3])

    Wiki.js ignores empty values for ``name``, ``email``, ``location``,
    ``job_title`` and ``timezone``, so they cannot be cleared; the SDK
    refuses ``""`` for them rather than silently doing nothing.
    """

    name: str | None = None
    email: str | None = None
    location: str | None = None
    job_title: str | None = None
    timezone: str | None = None
    date_format: str | None = None
    appearance: str | None = None
    groups: list[int] | None = None
    password: str | None = None

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: Any) -> Any:
        return value if value is None else check_name(value)

    @field_validator("email", mode="before")
    @classmethod
    def _email(cls, value: Any) -> Any:
        return value if value is None else v.check_email(value).lower()

    @field_validator("location", "job_title", "timezone", mode="before")
    @classmethod
    def _clearless(cls, value: Any, info: Any) -> Any:
        if value is None:
            return value
        text = v.check_text(value, info.field_name).strip()
        if not text:
            raise InvalidArgumentError(
                f"Wiki.js cannot clear {info.field_name}: it ignores empty values",
                field=info.field_name,
            )
        return text

    @field_validator("date_format", "appearance", mode="before")
    @classmethod
    def _text(cls, value: Any, info: Any) -> Any:
        return value if value is None else v.check_text(value, info.field_name)

    @field_validator("groups", mode="before")
    @classmethod
    def _groups(cls, value: Any) -> Any:
        return value if value is None else check_group_ids(value)

    @field_validator("password", mode="before")
    @classmethod
    def _password(cls, value: Any) -> Any:
        return value if value is None else check_password(value)


def merged_user_variables(user: User, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Every ``update_user`` argument: the user's current values, then ``changes``.

    ``user`` is a :class:`~wikijs.models.User`. ``groups`` is always sent,
    so memberships stay as they were unless changed.
    """
    out: dict[str, Any] = {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "location": user.location,
        "job_title": user.job_title,
        "timezone": user.timezone,
        "date_format": user.date_format,
        "appearance": user.appearance,
        "groups": [group.id for group in user.groups],
    }
    for name, value in changes.items():
        if name == "password":
            out["new_password"] = value
        else:
            out[name] = value
    return out


UserT = TypeVar("UserT", "UserMinimal", "UserSearchResult")


def pick_by_email(users: Iterable[UserT], email: str) -> UserT | None:
    """The user whose email is exactly ``email`` (case-insensitive), newest first."""
    wanted = email.strip().lower()
    matches = [user for user in users if user.email.lower() == wanted]
    return max(matches, key=lambda user: user.id) if matches else None


#: ``users.updateProfile``'s date formats and appearances (server/graph/resolvers/user.js):
#: ``""`` is the site's default.
DateFormat = Literal["", "DD/MM/YYYY", "DD.MM.YYYY", "MM/DD/YYYY", "YYYY-MM-DD", "YYYY/MM/DD"]
Appearance = Literal["", "light", "dark"]
DATE_FORMATS: tuple[str, ...] = get_args(DateFormat)
APPEARANCES: tuple[str, ...] = get_args(Appearance)
