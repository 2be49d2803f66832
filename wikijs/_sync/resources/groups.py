# Generated from wikijs/_async/resources/groups.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""``client.groups``: permissions, page rules and memberships."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, overload

from wikijs._generated.fragments import Group, GroupMinimal, UserMinimal
from wikijs._generated.get_group import GetGroup
from wikijs._generated.input_types import PageRuleInput
from wikijs._generated.operations import (
    CREATE_GROUP,
    DELETE_GROUP,
    GET_GROUP,
    UPDATE_GROUP,
)

from ..._constants import DEFAULT_BATCH_SIZE
from ..._protocol import paging
from ..._protocol import validation as v
from ..._protocol.groups import (
    GROUP_ORDER_FIELDS,
    GroupUpdate,
    PageRule,
    check_group_name,
    check_page_rules,
    check_permissions,
    merged_group_variables,
)
from ..._protocol.options import Direction, GroupOrder, UserOrder
from ..._protocol.results import found, present, require
from ..._protocol.users import USER_ORDER_FIELDS
from ...batch import BatchItemError, BatchMode, BatchResult
from ...errors import ConflictError, InvalidArgumentError, NotFoundError
from ..batching import BatchCall, safe_update_many
from ._base import Resource, already_applied

#: Groups Wiki.js creates at setup and refuses to delete.
SYSTEM_GROUPS = (1, 2)


def _typed(variables: dict[str, Any]) -> dict[str, Any]:
    """Page rules as the generated input model, for the generated client."""
    return {
        **variables,
        "page_rules": [PageRuleInput.model_validate(rule) for rule in variables["page_rules"]],
    }


def _create_spec(item: Any) -> tuple[str, dict[str, Any]]:
    """``"Editors"`` or ``{"name": ..., "permissions": ..., ...}`` → name and later changes."""
    if isinstance(item, str):
        return check_group_name(item), {}
    if not isinstance(item, Mapping):
        raise InvalidArgumentError(f"a group is a name or a mapping, not {type(item).__name__}")
    rest = dict(item)
    if "name" not in rest:
        raise InvalidArgumentError("a group needs a name", field="name")
    name = check_group_name(rest.pop("name"))
    extra = GroupUpdate.build(rest).changes() if rest else {}
    return name, extra


class Groups(Resource):
    """Groups: list, read, create, update, delete, and their members.

    Example::

        from wikijs.models import PageRule

        group = client.groups.create(
            "Editors",
            permissions=["read:pages", "write:pages"],
            page_rules=[PageRule(match="START", path="docs", roles=["read:pages", "write:pages"])],
        )
        client.groups.add_user(group.id, 7)
    """

    # -- reading ----------------------------------------------------------------

    def list(
        self,
        filter: str | None = None,
        order_by: GroupOrder | None = None,
        limit: int | None = None,
        offset: int = 0,
        *,
        direction: Direction = "asc",
    ) -> builtins.list[GroupMinimal]:
        """Groups, filtered (name substring), ordered and paged by the client.

        Wiki.js ignores ``filter``/``orderBy``, so both are applied here;
        ``order_by`` is ``id`` (default), ``name``, ``user_count``,
        ``created_at`` or ``updated_at``.

        Example::

            groups = client.groups.list(order_by="name")
            print([(group.name, group.user_count) for group in groups])
        """
        window = paging.Window.build(limit, offset)
        ordering = paging.Ordering.build(order_by, direction, GROUP_ORDER_FIELDS, default="id")
        needle = paging.check_filter(filter)
        result = self._gql.list_groups()
        groups = present(require(result.groups, "groups", "ListGroups").list_)
        return paging.select(
            groups,
            keep=lambda group: paging.matches(needle, group.name),
            ordering=ordering,
            window=window,
        )

    def iter_all(
        self, batch_size: int = DEFAULT_BATCH_SIZE, *, filter: str | None = None
    ) -> Iterator[Group]:
        """Every group in id order, with permissions, page rules and members — lazily.

        Example::

            for group in client.groups.iter_all():
                print(group.name, group.permissions)
        """
        batch_size = v.check_positive(batch_size, "batch_size")
        ids = [group.id for group in self.list(filter=filter)]
        for group in self._iter_by_ids(ids, batch_size, self.get_many):
            yield group

    def get(self, group_id: int) -> Group:
        """The group with this id: permissions, page rules, members.

        Example::

            group = client.groups.get(1)
            print(group.name, group.permissions, [user.email for user in group.users or []])

        Raises:
            NotFoundError: no such group.
        """
        group_id = v.check_id(group_id, "group_id")
        result = self._gql.get_group(id=group_id)
        return found(
            require(result.groups, "groups", "GetGroup").single, f"group {group_id}", "GetGroup"
        )

    def list_members(
        self,
        group_id: int,
        *,
        order_by: UserOrder | None = None,
        limit: int | None = None,
        offset: int = 0,
        direction: Direction = "asc",
    ) -> builtins.list[UserMinimal]:
        """The group's users, ordered (by id unless told) and paged by the client.

        Example::

            members = client.groups.list_members(1)
            print([user.email for user in members])

        Raises:
            NotFoundError: no such group.
        """
        group_id = v.check_id(group_id, "group_id")
        window = paging.Window.build(limit, offset)
        ordering = paging.Ordering.build(order_by, direction, USER_ORDER_FIELDS, default="id")
        result = self._gql.list_group_members(id=group_id)
        group = found(
            require(result.groups, "groups", "ListGroupMembers").single,
            f"group {group_id}",
            "ListGroupMembers",
        )
        return paging.select(present(group.users), ordering=ordering, window=window)

    def iter_members(self, group_id: int) -> Iterator[UserMinimal]:
        """The group's users one by one, in id order.

        Example::

            for user in client.groups.iter_members(1):
                print(user.email)
        """
        for user in self.list_members(group_id):
            yield user

    # -- writing ----------------------------------------------------------------

    def create(
        self,
        name: str,
        permissions: Iterable[str] | None = None,
        page_rules: Iterable[PageRule | Mapping[str, Any]] | None = None,
        *,
        redirect_on_login: str | None = None,
    ) -> Group:
        """Create a group and return it as stored.

        Wiki.js creates groups with default permissions (``read:pages
        read:assets read:comments write:comments``) and one rule allowing
        them everywhere; given ``permissions``, ``page_rules`` or
        ``redirect_on_login``, the group is updated right after.

        Example::

            rule = PageRule(match="START", path="docs", roles=["read:pages", "write:pages"])
            group = client.groups.create(
                "Editors", permissions=["read:pages", "write:pages"], page_rules=[rule]
            )

        Raises:
            ValidationError: unknown permission, bad page rule, empty name.
        """
        changes: dict[str, Any] = {}
        if permissions is not None:
            changes["permissions"] = permissions
        if page_rules is not None:
            changes["page_rules"] = page_rules
        if redirect_on_login is not None:
            changes["redirect_on_login"] = redirect_on_login
        wanted = GroupUpdate.build(changes).changes() if changes else {}
        name = check_group_name(name)
        result = self._gql.create_group(name=name)
        created = require(result.groups, "groups", "CreateGroup").create
        group = require(created.group if created else None, "group", "CreateGroup")
        if not wanted:
            return self.get(group.id)
        return self.update(group.id, GroupUpdate.build(wanted))

    @overload
    def update(self, group_id: int, changes: GroupUpdate | Mapping[str, Any]) -> Group: ...

    @overload
    def update(
        self,
        group_id: int,
        *,
        name: str = ...,
        redirect_on_login: str = ...,
        permissions: Iterable[str] = ...,
        page_rules: Iterable[PageRule | Mapping[str, Any]] = ...,
    ) -> Group: ...

    def update(
        self,
        group_id: int,
        changes: GroupUpdate | Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> Group:
        """Change only the given fields of a group and return it as stored.

        Wiki.js requires name, redirect on login, permissions and page rules
        together: the group is read first and its current values sent for
        whatever is not changed.

        Example::

            group = client.groups.update(3, name="Writers")
            group = client.groups.update(3, permissions=["read:pages", "write:pages"])

        Raises:
            NotFoundError: no such group.
            ValidationError: unknown permission or bad page rule.
        """
        group_id = v.check_id(group_id, "group_id")
        wanted = GroupUpdate.build(changes, **fields).changes()
        current = self.get(group_id)
        self._gql.update_group(**_typed(merged_group_variables(current, wanted)))
        return self.get(group_id)

    def set_permissions(self, group_id: int, permissions: Iterable[str]) -> Group:
        """Replace a group's permissions (nothing else changes).

        Example::

            client.groups.set_permissions(3, ["read:pages", "write:pages"])
        """
        return self.update(group_id, permissions=check_permissions(permissions))

    def set_page_rules(
        self, group_id: int, page_rules: Iterable[PageRule | Mapping[str, Any]]
    ) -> Group:
        """Replace a group's page rules (nothing else changes).

        Example::

            client.groups.set_page_rules(3, [{"match": "START", "path": "",
                                                    "roles": ["read:pages"]}])
        """
        return self.update(group_id, page_rules=check_page_rules(page_rules))

    def delete(self, group_id: int) -> None:
        """Delete a group (its members stay, without it).

        Example::

            client.groups.delete(3)

        Raises:
            ValidationError: Administrators (1) and Guests (2) cannot be deleted.
        """
        group_id = v.check_id(group_id, "group_id")
        if group_id in SYSTEM_GROUPS:
            raise InvalidArgumentError(f"group {group_id} is a system group", field="group_id")
        already_applied(lambda: self._gql.delete_group(id=group_id), NotFoundError)

    def add_user(self, group_id: int, user_id: int) -> None:
        """Add a user to a group.

        Example::

            client.groups.add_user(3, 7)

        Raises:
            ConflictError: the user is already in the group.
            ValidationError: the Guest user (id 2) cannot join groups.
            NotFoundError: no such group.
        """
        group_id = v.check_id(group_id, "group_id")
        user_id = v.check_id(user_id, "user_id")
        already_applied(
            lambda: self._gql.assign_user_to_group(group_id=group_id, user_id=user_id),
            ConflictError,
        )

    def remove_user(self, group_id: int, user_id: int) -> None:
        """Remove a user from a group (nothing happens if they were not in it).

        Example::

            client.groups.remove_user(3, 7)
        """
        group_id = v.check_id(group_id, "group_id")
        user_id = v.check_id(user_id, "user_id")
        self._gql.unassign_user_from_group(group_id=group_id, user_id=user_id)

    # -- batches --------------------------------------------------------------

    def get_many(
        self,
        group_ids: Iterable[int],
        *,
        chunk_size: int | None = None,
        mode: BatchMode | None = None,
    ) -> BatchResult[Group]:
        """Many groups in few requests, one outcome per id in input order.

        Example::

            result = client.groups.get_many([1, 2])
        """

        def prepare(index: int, group_id: int) -> BatchCall:
            return BatchCall(GET_GROUP, {"id": v.check_id(group_id, "group_id")})

        def finish(index: int, group_id: int, result: GetGroup) -> Group:
            return found(
                require(result.groups, "groups", "GetGroup").single,
                f"group {group_id}",
                "GetGroup",
            )

        return self._client.batcher.map(
            group_ids, prepare, finish, chunk_size=chunk_size, mode=mode
        )

    def create_many(
        self,
        groups: Iterable[str | Mapping[str, Any]],
        *,
        chunk_size: int | None = None,
        mode: BatchMode | None = None,
    ) -> BatchResult[Group]:
        """Create many groups in few requests; returns them as stored.

        Each item is a name or ``{"name": ..., "permissions": ..., "page_rules": ...}``.

        Example::

            result = client.groups.create_many(
                ["Readers", {"name": "Writers", "permissions": ["read:pages", "write:pages"]}]
            )
        """
        items = builtins.list(groups)
        extras: dict[int, dict[str, Any]] = {}

        def prepare(index: int, item: Any) -> BatchCall:
            name, extra = _create_spec(item)
            extras[index] = extra
            return BatchCall(CREATE_GROUP, {"name": name})

        def finish(index: int, item: Any, result: Any) -> int:
            created = require(result.groups, "groups", "CreateGroup").create
            group = require(created.group if created else None, "group", "CreateGroup")
            return int(group.id)

        written = self._client.batcher.map(items, prepare, finish, chunk_size=chunk_size, mode=mode)
        updates: builtins.list[tuple[int, GroupUpdate]] = []
        slots: builtins.list[int] = []
        plain: builtins.list[int] = []
        for index, outcome in enumerate(written.results):
            if isinstance(outcome, BatchItemError):
                continue
            if extras[index]:
                updates.append((outcome, GroupUpdate.build(extras[index])))
                slots.append(index)
            else:
                plain.append(index)
        results: builtins.list[Any] = builtins.list(written.results)
        if updates:
            updated = self.update_many(updates, chunk_size=chunk_size, mode=mode)
            for slot, done in zip(slots, updated.results, strict=True):
                if isinstance(done, BatchItemError):
                    done = BatchItemError(slot, items[slot], done.error)
                results[slot] = done
        if plain:
            fetched = self.get_many(
                [written.results[i] for i in plain],  # type: ignore[misc]
                chunk_size=chunk_size,
                mode=mode,
            )
            for slot, got in zip(plain, fetched.results, strict=True):
                if isinstance(got, BatchItemError):
                    got = BatchItemError(slot, items[slot], got.error)
                results[slot] = got
        return BatchResult(results)

    def update_many(
        self,
        updates: Iterable[Mapping[str, Any] | tuple[int, GroupUpdate | Mapping[str, Any]]],
        *,
        chunk_size: int | None = None,
        mode: BatchMode | None = None,
    ) -> BatchResult[Group]:
        """Safe partial updates of many groups: one batched read, one batched write.

        Example::

            client.groups.update_many([{"id": 3, "name": "Writers"}])
        """
        return safe_update_many(
            self._client.batcher,
            updates,
            model=GroupUpdate,
            noun="group",
            get_many=self.get_many,
            merge=merged_group_variables,
            spec=UPDATE_GROUP,
            chunk_size=chunk_size,
            mode=mode,
        )

    def delete_many(
        self,
        group_ids: Iterable[int],
        *,
        chunk_size: int | None = None,
        mode: BatchMode | None = None,
    ) -> BatchResult[int]:
        """Delete many groups in few requests; each success is the deleted id.

        Example::

            client.groups.delete_many([3, 4])
        """

        def prepare(index: int, group_id: int) -> BatchCall:
            group_id = v.check_id(group_id, "group_id")
            if group_id in SYSTEM_GROUPS:
                raise InvalidArgumentError(f"group {group_id} is a system group", field="group_id")
            return BatchCall(DELETE_GROUP, {"id": group_id})

        def finish(index: int, group_id: int, result: Any) -> int:
            return group_id

        return self._client.batcher.map(
            group_ids, prepare, finish, chunk_size=chunk_size, mode=mode
        )
