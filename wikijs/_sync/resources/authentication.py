# Generated from wikijs/_async/resources/authentication.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""``client.authentication``: the login methods (strategies) and the login machinery.

API keys are ``client.api_keys``; logging in is the client's ``auth``.
"""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from wikijs._generated.fragments import ActiveStrategy, AuthenticationStrategy
from wikijs._generated.input_types import AuthenticationStrategyInput

from ..._protocol import validation as v
from ..._protocol.modules import JSONValue, ModuleSettings, check_key, config_input, pick
from ..._protocol.results import present, require
from ..._protocol.server_admin import check_bool, check_confirmed
from ...errors import InvalidArgumentError
from ._base import Resource

#: The built-in strategy: always there, and what the admin logs in with.
LOCAL = "local"


def _strategy_input(
    active: ActiveStrategy, order: int, values: Mapping[str, JSONValue] | None = None
) -> dict[str, Any]:
    """An active strategy as ``updateStrategies`` takes it back, unchanged but for ``values``."""
    settings = ModuleSettings.of(active)
    return {
        "key": active.key,
        "strategyKey": active.strategy.key,
        "displayName": active.display_name,
        "order": order,
        "isEnabled": active.is_enabled,
        "config": config_input(dict(settings) if values is None else values),
        "selfRegistration": active.self_registration,
        "domainWhitelist": [d for d in active.domain_whitelist if d is not None],
        "autoEnrollGroups": [g for g in active.auto_enroll_groups if g is not None],
    }


def _domains(value: Iterable[Any]) -> list[str]:
    if isinstance(value, str):
        raise InvalidArgumentError(
            "domain_whitelist is a list of domains", field="domain_whitelist"
        )
    return [v.check_text(d, "domain_whitelist", allow_empty=False).strip() for d in value]


def _group_ids(value: Iterable[Any]) -> list[int]:
    if isinstance(value, str):
        raise InvalidArgumentError(
            "auto_enroll_groups is a list of group ids", field="auto_enroll_groups"
        )
    return [v.check_id(g, "auto_enroll_groups") for g in value]


class Authentication(Resource):
    """Login methods: the kinds Wiki.js offers, the ones configured, and their settings.

    Needs ``manage:system``. Wiki.js replaces the whole list of configured
    strategies on every change (one left out is deleted), so each change
    here reads the list first and sends it back with only yours applied.

    Example::

        ldap = client.authentication.add("ldap", display_name="Company LDAP",
                                               config={"url": "ldap://ldap.example.com:389"})
        client.authentication.update(ldap.key, self_registration=True,
                                           auto_enroll_groups=[3])
    """

    def strategies(self) -> builtins.list[AuthenticationStrategy]:
        """The kinds of login method the server can use, with their settings' definitions.

        Example::

            for kind in client.authentication.strategies():
                print(kind.key, kind.title, kind.is_available)
        """
        result = self._gql.list_authentication_strategies()
        found = require(result.authentication, "authentication", "ListAuthenticationStrategies")
        return present(found.strategies)

    def active(self, *, enabled_only: bool = False) -> builtins.list[ActiveStrategy]:
        """The login methods configured on the wiki, in login-page order.

        Anyone may list them (the login page does); their ``config``,
        ``domain_whitelist`` and ``auto_enroll_groups`` need ``manage:system``.

        Example::

            for strategy in client.authentication.active(enabled_only=True):
                print(strategy.key, strategy.display_name, strategy.strategy.key)
        """
        check_bool(enabled_only, "enabled_only")
        result = self._gql.list_active_strategies(enabled_only=enabled_only or None)
        found = require(result.authentication, "authentication", "ListActiveStrategies")
        return sorted(present(found.active_strategies), key=lambda s: s.order)

    def get(self, key: str) -> ActiveStrategy:
        """One configured login method by key (``"local"``, or the key :meth:`add` returned).

        Example::

            local = client.authentication.get("local")

        Raises:
            NotFoundError: no configured strategy has that key.
        """
        key = check_key(key)
        return pick(self.active(), key, "login strategy", "ListActiveStrategies")

    def update(
        self,
        key: str,
        *,
        display_name: str | None = None,
        enabled: bool | None = None,
        order: int | None = None,
        config: Mapping[str, JSONValue] | None = None,
        self_registration: bool | None = None,
        domain_whitelist: Iterable[str] | None = None,
        auto_enroll_groups: Iterable[int] | None = None,
    ) -> ActiveStrategy:
        """Change one configured login method and return it as stored.

        Only what you pass changes; the other strategies, and this one's
        other settings, are sent back as they were.

        Example::

            client.authentication.update("local", self_registration=True,
                                               domain_whitelist=["example.com"],
                                               auto_enroll_groups=[3])

        Args:
            key: the configured strategy's key.
            display_name: its name on the login page.
            enabled: whether users can log in with it (``local`` cannot be
                switched off: it is how administrators log in).
            order: its position on the login page (0 first); the others move.
            config: settings to change, by key (see ``ModuleSettings.of(strategy)``).
            self_registration: whether new users may sign up with it.
            domain_whitelist: e-mail domains allowed to sign up (empty: any).
            auto_enroll_groups: ids of the groups new users join.

        Raises:
            NotFoundError: no configured strategy has that key.
            ValidationError: an unknown setting or a value it cannot take.
        """
        key = check_key(key)
        changes: dict[str, Any] = {}
        if display_name is not None:
            changes["displayName"] = v.check_text(display_name, "display_name", allow_empty=False)
        if enabled is not None:
            changes["isEnabled"] = check_bool(enabled, "enabled")
            if key == LOCAL and not enabled:
                raise InvalidArgumentError(
                    "the local strategy cannot be switched off: administrators log in with it",
                    field="enabled",
                )
        if self_registration is not None:
            changes["selfRegistration"] = check_bool(self_registration, "self_registration")
        if domain_whitelist is not None:
            changes["domainWhitelist"] = _domains(domain_whitelist)
        if auto_enroll_groups is not None:
            changes["autoEnrollGroups"] = _group_ids(auto_enroll_groups)
        if order is not None:
            v.check_non_negative(order, "order")
        if not changes and order is None and config is None:
            raise InvalidArgumentError("give at least one thing to change")
        strategies = self.active()
        target = pick(strategies, key, "login strategy", "ListActiveStrategies")
        values = ModuleSettings.of(target).merged(config or {}, module=f"login strategy {key!r}")
        if order is not None:
            strategies.remove(target)
            strategies.insert(min(order, len(strategies)), target)
        wanted = [
            {**_strategy_input(s, index, values), **changes}
            if s.key == key
            else _strategy_input(s, index)
            for index, s in enumerate(strategies)
        ]
        self._send(wanted)
        return self.get(key)

    def add(
        self,
        strategy: str,
        *,
        display_name: str | None = None,
        enabled: bool = True,
        config: Mapping[str, JSONValue] | None = None,
        self_registration: bool = False,
        domain_whitelist: Iterable[str] = (),
        auto_enroll_groups: Iterable[int] = (),
        key: str | None = None,
    ) -> ActiveStrategy:
        """Configure a new login method of a kind the server offers, last on the login page.

        Its settings start at the kind's defaults, with ``config`` applied.

        Example::

            oidc = client.authentication.add(
                "oidc", display_name="Company SSO",
                config={"clientId": "wiki", "clientSecret": "…", "issuer": "https://sso.example.com"},
            )

        Args:
            strategy: the kind's key (``"ldap"``, ``"oidc"``, … from :meth:`strategies`).
            display_name: its name on the login page (default: the kind's title).
            key: its key (default: a new UUID, as the admin area makes).

        Raises:
            NotFoundError: the server offers no such kind.
            ValidationError: an unknown setting, a value it cannot take,
                or a key already in use.
        """
        strategy = check_key(strategy, "strategy")
        new_key = check_key(key) if key is not None else str(uuid.uuid4())
        check_bool(enabled, "enabled")
        check_bool(self_registration, "self_registration")
        domains = _domains(domain_whitelist)
        groups = _group_ids(auto_enroll_groups)
        if display_name is not None:
            v.check_text(display_name, "display_name", allow_empty=False)
        kind = pick(self.strategies(), strategy, "strategy kind", "ListAuthenticationStrategies")
        values = ModuleSettings.of(kind).merged(config or {}, module=f"strategy kind {strategy!r}")
        strategies = self.active()
        if any(s.key == new_key for s in strategies):
            raise InvalidArgumentError(f"a login strategy with key {new_key!r} exists", field="key")
        wanted = [_strategy_input(s, index) for index, s in enumerate(strategies)]
        wanted.append(
            {
                "key": new_key,
                "strategyKey": strategy,
                "displayName": display_name or kind.title,
                "order": len(wanted),
                "isEnabled": enabled,
                "config": config_input(values),
                "selfRegistration": self_registration,
                "domainWhitelist": domains,
                "autoEnrollGroups": groups,
            }
        )
        self._send(wanted)
        return self.get(new_key)

    def remove(self, key: str) -> None:
        """Remove a configured login method.

        Wiki.js refuses while users still log in with it (move or delete
        them first); ``local`` cannot be removed.

        Example::

            client.authentication.remove(ldap.key)

        Raises:
            NotFoundError: no configured strategy has that key.
            APIError: users still log in with it.
        """
        key = check_key(key)
        if key == LOCAL:
            raise InvalidArgumentError("the local strategy cannot be removed", field="key")
        strategies = self.active()
        pick(strategies, key, "login strategy", "ListActiveStrategies")
        kept = [s for s in strategies if s.key != key]
        self._send([_strategy_input(s, index) for index, s in enumerate(kept)])

    def _send(self, strategies: builtins.list[dict[str, Any]]) -> None:
        self._gql.update_strategies(
            strategies=[AuthenticationStrategyInput.model_validate(s) for s in strategies]
        )

    def regenerate_certificates(self, *, confirm: bool = False) -> None:
        """Make new signing keys for logins. **Destructive, server-wide.**

        Every login session ends, and every API key stops working (keys
        are signed with the old certificate): all users log in again and
        every integration needs a new key — including, if it uses an API
        key, the client you call this from.

        Example::

            client.authentication.regenerate_certificates(confirm=True)

        Args:
            confirm: must be ``True``; without it nothing is sent.

        Raises:
            ValidationError: ``confirm`` is not ``True``.
        """
        check_confirmed(
            confirm,
            "authentication.regenerate_certificates()",
            "ends every login session and invalidates every API key",
        )
        self._gql.regenerate_certificates()

    def reset_guest_user(self, *, confirm: bool = False) -> None:
        """Recreate the Guest user (id 2) as a fresh install has it. **Destructive.**

        The Guest account is deleted and made again, in the Guest group
        only: changes made to it (its name, extra groups) are lost. The
        Guest group's permissions are left as they are.

        Example::

            client.authentication.reset_guest_user(confirm=True)

        Args:
            confirm: must be ``True``; without it nothing is sent.

        Raises:
            ValidationError: ``confirm`` is not ``True``.
        """
        check_confirmed(
            confirm,
            "authentication.reset_guest_user()",
            "deletes the Guest user and recreates it",
        )
        self._gql.reset_guest_user()
