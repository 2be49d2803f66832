"""Who the credentials act as, and for an API key what the key is. Pure: no I/O.

Wiki.js runs every request made with an API key as user 1 (the first
administrator), with the permissions of the key's group
(``server/core/auth.js``): the profile such a request reads is user 1's,
whatever the key may do. An API key is a JWT naming its id and its group
(``{api, grp}``; full access is group 1), so the SDK reads both from the key
itself, and the key's name and the group's name from the wiki when the key
may list them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from wikijs._generated.fragments import UserProfile

#: The user every API key acts as.
API_KEY_USER_ID = 1
#: The group of a full-access key (Administrators).
FULL_ACCESS_GROUP_ID = 1


@dataclass(frozen=True)
class APIKeyIdentity:
    """What an API key is: its id, name and group. Never the key itself.

    Attributes:
        id: the key's id (``api_keys.list()``), read from the key.
        group_id: the group whose permissions the key carries, read from
            the key (1, Administrators, for a full-access key).
        name: the name it was created with; ``None`` when the key may not
            list API keys (``manage:api``).
        group_name: the group's name; ``None`` when the key may not list
            groups.
        expiration: when the key stops working, when listed.
        acts_as_user_id: the user Wiki.js runs the key's requests as: always 1.
    """

    id: int | None
    group_id: int | None
    name: str | None = None
    group_name: str | None = None
    expiration: datetime | None = None
    acts_as_user_id: int = API_KEY_USER_ID

    @property
    def full_access(self) -> bool:
        """Whether the key carries the Administrators group's permissions."""
        return self.group_id == FULL_ACCESS_GROUP_ID

    def describe(self) -> str:
        """``API key "ci" (#4, full access)``, ``API key #5 (group "Readers" #3)``."""
        label = f'API key "{self.name}"' if self.name is not None else "API key"
        facts = [f"#{self.id}"] if self.id is not None else []
        if self.full_access:
            facts.append("full access")
        elif self.group_id is not None:
            group = f'"{self.group_name}" ' if self.group_name is not None else ""
            facts.append(f"group {group}#{self.group_id}")
        return f"{label} ({', '.join(facts)})" if facts else label


class Identity(UserProfile):
    """The user the credentials act as (``whoami()``), and the API key when it is one.

    For a user's login it is that user's profile. For an API key it is the
    profile of user 1, whom Wiki.js runs every key's requests as, with
    :attr:`api_key` saying which key it is and whose permissions it carries
    (its group's, not user 1's).

    Example::

        me = client.whoami()
        print(me.describe())     # API key "ci" (#4, full access), acting as user 1 (…)
        if me.api_key is not None and not me.api_key.full_access:
            print("limited to group", me.api_key.group_id)
    """

    api_key: APIKeyIdentity | None = None
    "The API key the requests are made with, or None for a user's login."

    @classmethod
    def of(cls, profile: UserProfile, api_key: APIKeyIdentity | None = None) -> Identity:
        """``profile``, with ``api_key`` when the credentials are one."""
        values = {name: getattr(profile, name) for name in UserProfile.model_fields}
        return cls.model_construct(
            _fields_set={*profile.model_fields_set, "api_key"}, **values, api_key=api_key
        )

    def describe(self) -> str:
        """Who the requests run as, in one phrase (for logs and health reports)."""
        user = f"{self.name} <{self.email}>"
        if self.api_key is None:
            return user
        permissions = "" if self.api_key.full_access else " with its group's permissions"
        return f"{self.api_key.describe()}, acting as user {self.id} ({user}){permissions}"
