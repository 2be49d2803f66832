# Generated from wikijs/_async/resources/api_keys.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""``client.api_keys``: API key administration and the API switch."""

from __future__ import annotations

import builtins
from collections.abc import Iterator

from wikijs._generated.fragments import ApiKey

from ..._protocol import paging
from ..._protocol import validation as v
from ..._protocol.admin import NewApiKey, check_expiration
from ..._protocol.options import ApiKeyOrder, Direction
from ..._protocol.results import present, require
from ...errors import InvalidArgumentError, ResponseError
from ._base import Resource

API_KEY_ORDER_FIELDS = {
    "id": "id",
    "name": "name",
    "expiration": "expiration",
    "created": "created_at",
    "created_at": "created_at",
    "updated": "updated_at",
    "updated_at": "updated_at",
}


class ApiKeys(Resource):
    """API keys: list, create, revoke; switch the API on or off.

    Example::

        new = client.api_keys.create("ci", expiration="30d", group=3)
        print(new.key)                     # shown once: store it now
        client.api_keys.revoke(new.id)
    """

    def list(
        self,
        *,
        include_revoked: bool = True,
        order_by: ApiKeyOrder | None = None,
        direction: Direction = "asc",
        limit: int | None = None,
        offset: int = 0,
    ) -> builtins.list[ApiKey]:
        """The API keys (never the secrets), by id unless told otherwise.

        Example::

            for key in client.api_keys.list(include_revoked=False):
                print(key.id, key.name, key.expiration)
        """
        window = paging.Window.build(limit, offset)
        ordering = paging.Ordering.build(order_by, direction, API_KEY_ORDER_FIELDS, default="id")
        result = self._gql.list_api_keys()
        keys = present(require(result.authentication, "authentication", "ListApiKeys").api_keys)
        return paging.select(
            keys,
            keep=None if include_revoked else (lambda key: not key.is_revoked),
            ordering=ordering,
            window=window,
        )

    def iter_all(self, *, include_revoked: bool = True) -> Iterator[ApiKey]:
        """The API keys one by one, by id.

        Example::

            for key in client.api_keys.iter_all():
                print(key.name)
        """
        for key in self.list(include_revoked=include_revoked):
            yield key

    def create(
        self,
        name: str,
        *,
        expiration: str = "1y",
        full_access: bool | None = None,
        group: int | None = None,
    ) -> NewApiKey:
        """Create an API key; its secret is in the result and is never shown again.

        A key has either full access (the default when no ``group`` is
        given) or the permissions of one ``group``.

        Example::

            new = client.api_keys.create("ci", expiration="30d", group=3)
            client2 = WikiJSClient(url, auth=new.key)

        Raises:
            ValidationError: empty name, a lifetime that is not like ``"1y"``/``"30d"``.
        """
        name = v.check_text(name, "name", allow_empty=False).strip()
        expiration = check_expiration(expiration)
        if group is not None:
            group = v.check_id(group, "group")
        if full_access is None:
            full_access = group is None
        if not isinstance(full_access, bool):
            raise InvalidArgumentError("full_access must be True or False", field="full_access")
        if full_access and group is not None:
            raise InvalidArgumentError("a full-access key has no group", field="group")
        if not full_access and group is None:
            raise InvalidArgumentError("a limited key needs a group", field="group")
        result = self._gql.create_api_key(
            name=name, expiration=expiration, full_access=full_access, group=group
        )
        created = require(result.authentication, "authentication", "CreateApiKey").create_api_key
        key = require(created.key if created else None, "key", "CreateApiKey")
        candidates = [k for k in self.list() if k.name == name and not k.is_revoked]
        if not candidates:
            raise ResponseError(
                f"created API key {name!r} but cannot find it", operation="ListApiKeys"
            )
        return NewApiKey(key, max(candidates, key=lambda k: k.id))

    def revoke(self, key_id: int) -> None:
        """Revoke a key: requests with it fail from now on.

        Example::

            client.api_keys.revoke(2)
        """
        self._gql.revoke_api_key(id=v.check_id(key_id, "key_id"))

    def state(self) -> bool:
        """Whether the API is switched on (keys work only while it is).

        Example::

            print(client.api_keys.state())
        """
        result = self._gql.get_api_state()
        return require(result.authentication, "authentication", "GetApiState").api_state

    def set_state(self, enabled: bool) -> None:
        """Switch the API on or off (off: every key is refused; user logins still work).

        Example::

            client.api_keys.set_state(True)
        """
        if not isinstance(enabled, bool):
            raise InvalidArgumentError("enabled must be True or False", field="enabled")
        self._gql.set_api_state(enabled=enabled)
