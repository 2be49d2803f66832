# Generated from wikijs/_async/resources/users.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""``client.users``: accounts, their lifecycle, passwords and last logins."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, overload

from wikijs._generated.fragments import (
    User,
    UserLastLogin,
    UserMinimal,
    UserProfile,
    UserSearchResult,
)
from wikijs._generated.get_user import GetUser
from wikijs._generated.operations import (
    CREATE_USER,
    DELETE_USER,
    GET_USER,
    SEARCH_USERS,
    UPDATE_USER,
)
from wikijs._generated.search_users import SearchUsers

from ..._constants import DEFAULT_BATCH_SIZE
from ..._protocol import paging
from ..._protocol import validation as v
from ..._protocol.options import Direction, UserOrder
from ..._protocol.results import found, present, require
from ..._protocol.users import (
    APPEARANCES,
    DATE_FORMATS,
    LOCAL_PROVIDER,
    USER_ORDER_FIELDS,
    Appearance,
    DateFormat,
    UserCreate,
    UserUpdate,
    check_password,
    merged_user_variables,
    pick_by_email,
)
from ..._protocol.variables import graphql_variables
from ...batch import BatchItemError, BatchMode, BatchResult
from ...errors import (
    APIError,
    ConflictError,
    InvalidArgumentError,
    NotFoundError,
    ReadBackError,
    WikiJSError,
)
from ..batching import BatchCall, safe_update_many
from ._base import Resource, already_applied

#: Who inherits a deleted user's pages, assets and comments unless told otherwise.
DEFAULT_REPLACE_ID = 1


def _check_replace(user_id: int, replace_id: Any) -> int:
    checked = v.check_id(replace_id, "replace_id")
    if checked == user_id:
        raise InvalidArgumentError("replace_id must be another user", field="replace_id")
    return checked


class Users(Resource):
    """Users: list, search, read, create, update, (de)activate, delete.

    Example::

        user = client.users.create(
            email="ada@example.com", name="Ada", password="s3cret!", groups=[3]
        )
        client.users.update(user.id, job_title="Engineer")
        for user in client.users.iter_all():
            print(user.email, [group.name for group in user.groups])
    """

    # -- reading ----------------------------------------------------------------

    def list(
        self,
        filter: str | None = None,
        order_by: UserOrder | None = None,
        limit: int | None = None,
        offset: int = 0,
        *,
        direction: Direction = "asc",
    ) -> builtins.list[UserMinimal]:
        """Users, filtered, ordered and paged by the client.

        Wiki.js 2.5 answers every user at once and ignores filters, so
        ``filter`` (a case-insensitive substring of the name or email),
        ``order_by`` (``"id"``, ``"name"``, ``"email"``, ``"created_at"``,
        ``"last_login_at"``, …; prefix ``-`` for descending) and
        ``limit``/``offset`` are applied here. The default order is by id.

        Example::

            admins = client.users.list(filter="@example.com", order_by="name", limit=20)
        """
        window = paging.Window.build(limit, offset)
        ordering = paging.Ordering.build(order_by, direction, USER_ORDER_FIELDS, default="id")
        needle = paging.check_filter(filter)
        result = self._gql.list_users()
        users = present(require(result.users, "users", "ListUsers").list_)
        return paging.select(
            users,
            keep=lambda user: paging.matches(needle, user.name, user.email),
            ordering=ordering,
            window=window,
        )

    def iter_all(
        self, batch_size: int = DEFAULT_BATCH_SIZE, *, filter: str | None = None
    ) -> Iterator[User]:
        """Every user (matching ``filter``) in id order, complete with groups — lazily.

        Only the ids are held; users are fetched ``batch_size`` at a time in
        one aliased request each.

        Example::

            for user in client.users.iter_all(batch_size=100):
                print(user.id, user.email, user.is_active)
        """
        batch_size = v.check_positive(batch_size, "batch_size")
        ids = [user.id for user in self.list(filter=filter)]
        for user in self._iter_by_ids(ids, batch_size, self.get_many):
            yield user

    def search(self, query: str) -> builtins.list[UserSearchResult]:
        """Users whose name or email contains ``query`` (Wiki.js returns at most 10).

        The match is case-sensitive on PostgreSQL (Wiki.js uses ``LIKE``);
        emails are stored lower-case. Wiki.js's search reads only ``id``,
        ``name``, ``email``, ``providerKey`` and ``createdAt``, so that is
        what each hit holds; :meth:`get` has the rest.

        Example::

            hits = client.users.search("ada@")
        """
        query = v.check_text(query, "query", allow_empty=False).strip()
        result = self._gql.search_users(query=query)
        return present(require(result.users, "users", "SearchUsers").search)

    def get(self, user_id: int) -> User:
        """The user with this id, groups included.

        Example::

            user = client.users.get(1)
            print(user.name, [group.name for group in user.groups])

        Raises:
            NotFoundError: no such user.
        """
        user_id = v.check_id(user_id, "user_id")
        result = self._gql.get_user(id=user_id)
        return found(require(result.users, "users", "GetUser").single, f"user {user_id}", "GetUser")

    def get_by_email(self, email: str) -> User:
        """The user with exactly this email (case-insensitive).

        Example::

            user = client.users.get_by_email("admin@example.com")

        Raises:
            NotFoundError: nobody has that email.
        """
        email = v.check_email(email).lower()  # stored lower-case; search is case-sensitive
        hit = pick_by_email(self.search(email), email)
        user_id = hit.id if hit is not None else None
        if user_id is None:  # more than 10 users contain the address: look at all
            listed = pick_by_email(self.list(), email)
            user_id = listed.id if listed is not None else None
        if user_id is None:
            raise NotFoundError(f"no user has the email {email!r}", operation="SearchUsers")
        return self.get(user_id)

    def profile(self) -> UserProfile:
        """The profile of the user the credentials act as.

        Example::

            me = client.users.profile()
            print(me.name, me.groups)
        """
        result = self._gql.get_profile()
        users = require(result.users, "users", "GetProfile")
        return require(users.profile, "profile", "GetProfile")

    def update_profile(
        self,
        *,
        name: str | None = None,
        location: str | None = None,
        job_title: str | None = None,
        timezone: str | None = None,
        date_format: DateFormat | None = None,
        appearance: Appearance | None = None,
    ) -> UserProfile:
        """Change the profile of the user the credentials act as; return it as stored.

        Only what you pass changes: Wiki.js takes every field at once, so
        the profile is read first and sent back with yours applied. With an
        API key, the profile is the administrator's (Wiki.js runs API keys
        as user 1).

        Example::

            me = client.users.update_profile(location="Lyon", appearance="dark")

        Args:
            date_format: ``""`` (the site's), ``"DD/MM/YYYY"``, ``"DD.MM.YYYY"``,
                ``"MM/DD/YYYY"``, ``"YYYY-MM-DD"`` or ``"YYYY/MM/DD"``.
            appearance: ``""`` (the site's), ``"light"`` or ``"dark"``.

        Raises:
            ValidationError: a value Wiki.js refuses, or nothing to change.
            AuthenticationError: the Guest user has no profile to change.
        """
        changes = {
            key: value
            for key, value in {
                "name": name,
                "location": location,
                "jobTitle": job_title,
                "timezone": timezone,
                "dateFormat": date_format,
                "appearance": appearance,
            }.items()
            if value is not None
        }
        if not changes:
            raise InvalidArgumentError("give at least one profile field to change")
        for key, value in changes.items():
            changes[key] = v.check_text(value, _snake_name(key), allow_empty=key != "name")
        if date_format is not None and date_format not in DATE_FORMATS:
            raise InvalidArgumentError(
                f"date_format must be one of {', '.join(repr(f) for f in DATE_FORMATS)}",
                field="date_format",
            )
        if appearance is not None and appearance not in APPEARANCES:
            raise InvalidArgumentError(
                "appearance must be '', 'light' or 'dark'", field="appearance"
            )
        if timezone is not None and not timezone.strip():
            raise InvalidArgumentError("timezone cannot be empty", field="timezone")
        current = self.profile()
        wanted = {
            "name": current.name,
            "location": current.location or "",
            "job_title": current.job_title or "",
            "timezone": current.timezone or "America/New_York",
            "date_format": current.date_format or "",
            "appearance": current.appearance or "",
        }
        wanted.update({_snake_name(k): value for k, value in changes.items()})
        self._gql.update_profile(
            name=wanted["name"],
            location=wanted["location"],
            job_title=wanted["job_title"],
            timezone=wanted["timezone"],
            date_format=wanted["date_format"],
            appearance=wanted["appearance"],
        )
        return self.profile()

    def change_password(self, current: str, new: str) -> None:
        """Change the password of the user the credentials act as (a local account).

        A client logged in with :class:`~wikijs.auth.JWTAuth` keeps working
        with its current token; give it the new password the next time you
        build one.

        Example::

            client.users.change_password("old-secret", "a-longer-new-secret")

        Raises:
            ValidationError: the new password is under 6 characters.
            AuthenticationError: ``current`` is wrong (1020), or the account
                is not a local one.
        """
        current = v.check_text(current, "current", allow_empty=False)
        new = v.check_text(new, "new", allow_empty=False)
        if len(new) < 6:  # Wiki.js: InputInvalid, after the current password is checked
            raise InvalidArgumentError(
                "the new password must be at least 6 characters", field="new"
            )
        self._gql.change_password(current=current, new=new)

    def last_logins(self) -> builtins.list[UserLastLogin]:
        """The most recent logins (Wiki.js keeps the last 10), newest first.

        Example::

            for login in client.users.last_logins():
                print(login.name, login.last_login_at)
        """
        result = self._gql.list_last_logins()
        return present(require(result.users, "users", "ListLastLogins").last_logins)

    # -- writing ----------------------------------------------------------------

    def create(
        self,
        email: str | UserCreate | Mapping[str, Any],
        name: str | None = None,
        password: str | None = None,
        *,
        groups: Iterable[int] = (),
        must_change_password: bool = False,
        send_welcome_email: bool = False,
        provider: str = LOCAL_PROVIDER,
    ) -> User:
        """Create a user and return it as stored.

        Wiki.js answers ``user: null``; the new user is found by email.
        Pass the fields, or one :class:`~wikijs.models.UserCreate` (or mapping).

        Example::

            user = client.users.create(
                "ada@example.com", "Ada", "s3cret!", groups=[3], must_change_password=True
            )
            user = client.users.create(UserCreate(email="bo@example.com", name="Bo",
                                                        password="s3cret!"))

        Raises:
            ValidationError: bad email, password shorter than 6 characters,
                empty name (checked before sending).
            ConflictError: an account already uses this email (1004).
        """
        if isinstance(email, (UserCreate, Mapping)):
            extra = (name, password, tuple(groups), must_change_password, send_welcome_email)
            if extra != (None, None, (), False, False) or provider != LOCAL_PROVIDER:
                raise InvalidArgumentError("pass a UserCreate or the fields, not both")
            spec: UserCreate = UserCreate.build(email)
        else:
            spec = UserCreate.build(
                email=email,
                name=name,
                password=password,
                groups=groups,
                must_change_password=must_change_password,
                send_welcome_email=send_welcome_email,
                provider=provider,
            )
        variables = spec.variables()

        def send(attempt: int) -> None:
            # The layer's own retries are off: run_checked decides, checking first.
            self._gql.create_user(**variables, retry=False, attempt=attempt)

        def landed() -> bool | None:
            try:
                self.get_by_email(spec.email)
            except NotFoundError:
                return None
            return True

        retry = self._client._resilience.retry
        if retry is None:
            send(1)
        else:
            retry.run_checked(send, landed, operation="CreateUser")
        return self._read_back(spec.email)

    def _read_back(self, email: str) -> User:
        """The user just created: Wiki.js answers ``user: null``, so find it by email.

        A failure here does not undo the create: it is reported as a
        :class:`~wikijs.errors.ReadBackError` (``landed`` is true), never as
        the create's own failure, so nobody sends the create again.
        """
        try:
            return self.get_by_email(email)
        except WikiJSError as exc:
            raise ReadBackError(
                f"user {email} was created, but reading it back failed: {exc}",
                operation="CreateUser",
            ) from exc

    @overload
    def update(self, user_id: int, changes: UserUpdate | Mapping[str, Any]) -> User: ...

    @overload
    def update(
        self,
        user_id: int,
        *,
        name: str = ...,
        email: str = ...,
        location: str = ...,
        job_title: str = ...,
        timezone: str = ...,
        date_format: str = ...,
        appearance: str = ...,
        groups: Iterable[int] = ...,
        password: str = ...,
    ) -> User: ...

    def update(
        self, user_id: int, changes: UserUpdate | Mapping[str, Any] | None = None, **fields: Any
    ) -> User:
        """Change only the given fields of a user and return it as stored.

        The user is read first and every field sent, so nothing else
        changes (``groups``, if given, replaces the memberships).

        Example::

            user = client.users.update(7, name="Ada Lovelace")
            user = client.users.update(7, UserUpdate(groups=[1, 3]))

        Raises:
            NotFoundError: no such user.
            ConflictError: the new email is taken.
        """
        user_id = v.check_id(user_id, "user_id")
        wanted = UserUpdate.build(changes, **fields).changes()
        current = self.get(user_id)
        self._gql.update_user(**merged_user_variables(current, wanted))
        return self.get(user_id)

    def set_password(self, user_id: int, password: str) -> None:
        """Give a user a new password (an administrator's reset).

        Example::

            client.users.set_password(7, "n3w-s3cret")
        """
        user_id = v.check_id(user_id, "user_id")
        self._gql.update_user(id=user_id, new_password=check_password(password))

    def reset_password(self, user_id: int) -> None:
        """Ask Wiki.js to reset a user's password.

        Wiki.js 2.5 ships ``users.resetPassword`` as a stub that does
        nothing; this raises :class:`~wikijs.errors.APIError` when the
        server answers that way. Use :meth:`set_password` instead.

        Example::

            try:
                client.users.reset_password(7)
            except APIError:
                client.users.set_password(7, "n3w-s3cret")
        """
        user_id = v.check_id(user_id, "user_id")
        result = self._gql.reset_user_password(id=user_id)
        reset = require(result.users, "users", "ResetUserPassword").reset_password
        if reset is None or reset.response_result is None:
            raise APIError(
                "this Wiki.js does not implement users.resetPassword (2.5 ships it as a "
                "no-op); use users.set_password()",
                operation="ResetUserPassword",
            )

    def delete(self, user_id: int, replace_id: int = DEFAULT_REPLACE_ID) -> None:
        """Delete a user; their pages, assets and comments pass to ``replace_id``.

        Example::

            client.users.delete(7)                 # content goes to user 1
            client.users.delete(8, replace_id=3)

        Raises:
            NotFoundError: no such user.
            PermissionDeniedError: the administrator and Guest cannot be deleted.
        """
        user_id = v.check_id(user_id, "user_id")
        replace = _check_replace(user_id, replace_id)
        already_applied(
            lambda: self._gql.delete_user(id=user_id, replace_id=replace), NotFoundError
        )

    def activate(self, user_id: int) -> None:
        """Let a user log in again.

        Example::

            client.users.activate(7)
        """
        self._gql.activate_user(id=v.check_id(user_id, "user_id"))

    def deactivate(self, user_id: int) -> None:
        """Stop a user from logging in (their content stays).

        Example::

            client.users.deactivate(7)
        """
        self._gql.deactivate_user(id=v.check_id(user_id, "user_id"))

    def verify(self, user_id: int) -> None:
        """Mark a user's email as verified.

        Example::

            client.users.verify(7)
        """
        self._gql.verify_user(id=v.check_id(user_id, "user_id"))

    def enable_tfa(self, user_id: int) -> None:
        """Require two-factor authentication for a user.

        Example::

            client.users.enable_tfa(7)
        """
        self._gql.enable_user_tfa(id=v.check_id(user_id, "user_id"))

    def disable_tfa(self, user_id: int) -> None:
        """Turn a user's two-factor authentication off.

        Example::

            client.users.disable_tfa(7)
        """
        self._gql.disable_user_tfa(id=v.check_id(user_id, "user_id"))

    # -- batches --------------------------------------------------------------

    def get_many(
        self,
        user_ids: Iterable[int],
        *,
        chunk_size: int | None = None,
        mode: BatchMode | None = None,
    ) -> BatchResult[User]:
        """Many users in few requests, one outcome per id in input order.

        Example::

            result = client.users.get_many([1, 2, 999])
            print([user.name for user in result], [e.input for e in result.errors])
        """

        def prepare(index: int, user_id: int) -> BatchCall:
            return BatchCall(GET_USER, {"id": v.check_id(user_id, "user_id")})

        def finish(index: int, user_id: int, result: GetUser) -> User:
            return found(
                require(result.users, "users", "GetUser").single, f"user {user_id}", "GetUser"
            )

        return self._client.batcher.map(user_ids, prepare, finish, chunk_size=chunk_size, mode=mode)

    def create_many(
        self,
        users: Iterable[UserCreate | Mapping[str, Any]],
        *,
        chunk_size: int | None = None,
        mode: BatchMode | None = None,
    ) -> BatchResult[User]:
        """Create many users in few requests; returns them as stored.

        Each item is validated alone; two items with one email end as one
        user and one ConflictError.

        Example::

            result = client.users.create_many(
                [{"email": f"u{i}@example.com", "name": f"User {i}", "password": "s3cret!"}
                 for i in range(20)]
            )
            result.raise_for_errors()
        """
        items = builtins.list(users)
        specs: dict[int, UserCreate] = {}
        first_at: dict[str, int] = {}

        def prepare(index: int, item: Any) -> BatchCall:
            spec: UserCreate = UserCreate.build(item)
            if spec.email in first_at:
                raise ConflictError(
                    f"item {first_at[spec.email]} of this batch already creates {spec.email}",
                    operation="CreateUser",
                    code=1004,
                    slug="AuthAccountAlreadyExists",
                )
            first_at[spec.email] = index
            specs[index] = spec
            return BatchCall(CREATE_USER, graphql_variables(spec.variables()))

        def created(index: int, item: Any, result: Any) -> str:
            return specs[index].email

        written = self._client.batcher.map(
            items, prepare, created, chunk_size=chunk_size, mode=mode
        )

        def search(index: int, email: str) -> BatchCall:
            return BatchCall(SEARCH_USERS, {"query": email})

        def pick(index: int, email: str, result: SearchUsers) -> int:
            hits = present(require(result.users, "users", "SearchUsers").search)
            hit = pick_by_email(hits, email)
            if hit is None:
                raise NotFoundError(f"created {email} but cannot find it", operation="SearchUsers")
            return int(hit.id)

        return self._then(written, items, search, pick, chunk_size=chunk_size, mode=mode)

    def _then(
        self,
        written: BatchResult[Any],
        items: builtins.list[Any],
        prepare: Any,
        finish: Any,
        *,
        chunk_size: int | None,
        mode: BatchMode | None,
    ) -> BatchResult[User]:
        """Map each successful outcome to a user id, then fetch the users."""
        slots = [i for i, r in enumerate(written.results) if not isinstance(r, BatchItemError)]
        keys = [written.results[i] for i in slots]
        ids = self._client.batcher.map(keys, prepare, finish, chunk_size=chunk_size, mode=mode)
        id_slots = [
            s for s, r in zip(slots, ids.results, strict=True) if not isinstance(r, BatchItemError)
        ]
        fetched = self.get_many(
            [r for r in ids.results if not isinstance(r, BatchItemError)],
            chunk_size=chunk_size,
            mode=mode,
        )
        results: builtins.list[Any] = builtins.list(written.results)
        for slot, outcome in zip(slots, ids.results, strict=True):
            if isinstance(outcome, BatchItemError):
                results[slot] = BatchItemError(slot, items[slot], outcome.error)
        for slot, outcome in zip(id_slots, fetched.results, strict=True):
            if isinstance(outcome, BatchItemError):
                outcome = BatchItemError(slot, items[slot], outcome.error)
            results[slot] = outcome
        return BatchResult(results)

    def update_many(
        self,
        updates: Iterable[Mapping[str, Any] | tuple[int, UserUpdate | Mapping[str, Any]]],
        *,
        chunk_size: int | None = None,
        mode: BatchMode | None = None,
    ) -> BatchResult[User]:
        """Safe partial updates of many users: one batched read, one batched write.

        Each update is ``{"id": 7, "name": ...}`` or ``(7, UserUpdate(...))``.

        Example::

            client.users.update_many([{"id": 7, "job_title": "CTO"}, (8, {"name": "Bo"})])
        """
        return safe_update_many(
            self._client.batcher,
            updates,
            model=UserUpdate,
            noun="user",
            get_many=self.get_many,
            merge=merged_user_variables,
            spec=UPDATE_USER,
            chunk_size=chunk_size,
            mode=mode,
        )

    def delete_many(
        self,
        user_ids: Iterable[int],
        *,
        replace_id: int = DEFAULT_REPLACE_ID,
        chunk_size: int | None = None,
        mode: BatchMode | None = None,
    ) -> BatchResult[int]:
        """Delete many users in few requests; each success is the deleted id.

        Example::

            result = client.users.delete_many([7, 8, 9], replace_id=1)
        """

        def prepare(index: int, user_id: int) -> BatchCall:
            user_id = v.check_id(user_id, "user_id")
            return BatchCall(
                DELETE_USER, {"id": user_id, "replaceId": _check_replace(user_id, replace_id)}
            )

        def finish(index: int, user_id: int, result: Any) -> int:
            return user_id

        return self._client.batcher.map(user_ids, prepare, finish, chunk_size=chunk_size, mode=mode)


def _snake_name(name: str) -> str:
    return {"jobTitle": "job_title", "dateFormat": "date_format"}.get(name, name)
