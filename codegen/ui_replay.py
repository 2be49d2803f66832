"""Replay the Wiki.js web UI's own GraphQL operations against the fake and a real server.

The most real client of Wiki.js is its web UI. Its operations are in the
source of a release: ``client/graph/**/*.gql`` and the ``gql`…``` blocks of
``client/**/*.vue`` and ``client/**/*.js``. This tool extracts them from a
git directory at a tag (the same source the real test server is built
from), says for each which SDK call covers it, sends it as written with
plausible variables to a fresh ``FakeWikiJS`` and, given ``--url`` and
``--api-key``, to a real Wiki.js, and compares the answers' shapes::

    scripts/ui-replay --git-dir /path/to/wiki.git --tag v2.5.314
    scripts/ui-replay --url http://127.0.0.1:3000 --api-key KEY [--admin-email E --admin-password P]

Safety on a real server: what the replay needs (pages, users, groups, an
asset, a comment, an API key) it creates under ``ui-replay-<run>`` names and
removes afterwards (an asset folder it creates stays: Wiki.js cannot delete
folders through its API). Settings are written back as they were read, and
read again at the end to prove it. Operations that would harm the server
(an upgrade, certificate renewal, new signing keys, resetting the Guest
user or the telemetry id) are only sent to the fake unless
``--allow-destructive`` is given.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from graphql import OperationDefinitionNode, parse, print_ast

ROOT = Path(__file__).resolve().parent.parent

# -- extraction ------------------------------------------------------------------------

_GQL_TAG = re.compile(r"gql`(.*?)`", re.S)


@dataclass(frozen=True)
class UIOperation:
    """One operation of the web UI, as written in its source."""

    source: str
    index: int
    kind: str
    document: str
    fields: tuple[tuple[str, str], ...]
    variables: tuple[tuple[str, str], ...]
    arguments: tuple[tuple[str, str], ...]

    @property
    def key(self) -> str:
        """``pages.list``: the namespace and field it runs (the subscription: its field)."""
        return ", ".join(f"{ns}.{f}" if f else ns for ns, f in self.fields)

    @property
    def label(self) -> str:
        name = self.source.rsplit("/", 1)[-1]
        return f"{name}#{self.index}" if self.index else name


def _git(git_dir: str, *args: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", git_dir, *args], capture_output=True, text=True, check=True
    ).stdout


def _documents(source: str, text: str) -> list[str]:
    if source.endswith(".gql"):
        return [text]
    found = []
    for match in _GQL_TAG.finditer(text):
        line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
        if "//" in line:  # commented out in the component
            continue
        found.append(match.group(1))
    return found


def extract(git_dir: str, tag: str) -> list[UIOperation]:
    """Every operation of the web UI at ``tag``, in source order."""
    files = _git(git_dir, "ls-tree", "-r", "--name-only", tag, "client").split()
    operations: list[UIOperation] = []
    for source in files:
        if not source.endswith((".gql", ".vue", ".js")):
            continue
        text = _git(git_dir, "show", f"{tag}:{source}")
        if source.endswith((".vue", ".js")) and "gql`" not in text:
            continue
        index = 0
        multiple = len(_documents(source, text)) > 1
        for document in _documents(source, text):
            for definition in parse(document).definitions:
                if not isinstance(definition, OperationDefinitionNode):
                    continue
                index += 1
                fields, arguments = [], []
                for top in definition.selection_set.selections:
                    namespace = top.name.value
                    inner = getattr(top, "selection_set", None)
                    if definition.operation.value == "subscription" or inner is None:
                        fields.append((namespace, ""))
                        continue
                    for sub in inner.selections:
                        fields.append((namespace, sub.name.value))
                        arguments += [(a.name.value, print_ast(a.value)) for a in sub.arguments]
                operations.append(
                    UIOperation(
                        source=source,
                        index=index if multiple else 0,
                        kind=definition.operation.value,
                        document=document,
                        fields=tuple(fields),
                        variables=tuple(
                            (v.variable.name.value, print_ast(v.type))
                            for v in definition.variable_definitions
                        ),
                        arguments=tuple(arguments),
                    )
                )
    return operations


# -- which SDK call covers an operation -----------------------------------------------------

#: Operations the SDK sends without a generated method (the login flows, sent
#: without credentials by the pipeline or ``client.account``), and what the user
#: writes for them.
OUTSIDE_RESOURCES = {
    "login": "auth=JWTAuth(email, password)",
    "login_tfa": "client.account.login(tfa_code=…)",
    "login_change_password": "client.account.login(new_password=…)",
    "register": "client.account.register(email, password, name)",
    "forgot_password": "client.account.forgot_password(email)",
}


def _resource_attribute(class_name: str) -> str:
    name = class_name.removeprefix("Async")
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def _calls_of(function: ast.AST, owner: str) -> tuple[set[str], set[str]]:
    """(generated methods called through ``owner``, own methods called through ``self``)."""
    generated, own = set(), set()
    for node in ast.walk(function):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute):
            inner = node.value
            if (
                isinstance(inner.value, ast.Name)
                and inner.value.id == "self"
                and inner.attr == owner
            ):
                generated.add(node.attr)
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
        ):
            own.add(node.attr)
    return generated, own


def sdk_calls(package: Path = ROOT / "wikijs") -> dict[str, list[tuple[str, bool]]]:
    """Generated method (``list_pages``) → the public SDK calls that run it, each with
    whether it runs it itself (not through a helper or another operation's lookup)."""
    found: dict[str, list[tuple[str, bool]]] = {}

    def scan(path: Path, owner: str, prefix: Callable[[str], str]) -> None:
        tree = ast.parse(path.read_text())
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            methods = {
                f.name: f
                for f in cls.body
                if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
            }
            direct = {name: _calls_of(f, owner) for name, f in methods.items()}
            for name in methods:
                if name.startswith("_"):
                    continue
                own_calls = direct[name][0]
                seen, pending, generated = {name}, [name], set()
                while pending:
                    gen, own = direct[pending.pop()]
                    generated |= gen
                    for other in own:
                        if other in methods and other not in seen:
                            seen.add(other)
                            pending.append(other)
                for method in generated:
                    found.setdefault(method, []).append(
                        (f"{prefix(cls.name)}.{name}", method in own_calls)
                    )

    for path in sorted((package / "_async" / "resources").glob("*.py")):
        if path.name.startswith("_"):
            continue
        scan(path, "_gql", lambda cls: f"client.{_resource_attribute(cls)}")
    scan(package / "_async" / "client.py", "graphql", lambda cls: "client")
    for method, call in OUTSIDE_RESOURCES.items():
        found.setdefault(method, []).append((call, True))
    return found


def coverage() -> dict[tuple[str, str, str], list[str]]:
    """``(kind, namespace, field)`` → SDK calls, via the generated operations that select it.

    Calls that run such an operation themselves come first, those of the
    resource named after the namespace before others.
    """
    from ariadne_codegen.utils import str_to_snake_case

    from wikijs._generated.operations import OPERATIONS

    calls = sdk_calls()
    ranked: dict[tuple[str, str, str], dict[str, tuple[bool, bool, int]]] = {}
    for name, spec in OPERATIONS.items():
        method = str_to_snake_case(name)
        for definition in parse(spec.document).definitions:
            if not isinstance(definition, OperationDefinitionNode):
                continue
            for top in definition.selection_set.selections:
                namespace = top.name.value
                inner = getattr(top, "selection_set", None)
                subs = (
                    [""]
                    if definition.operation.value == "subscription" or inner is None
                    else [s.name.value for s in inner.selections]
                )
                for sub in subs:
                    key = (definition.operation.value, namespace, sub)
                    for call, itself in calls.get(method, []):
                        rank = (
                            not itself,
                            not call.startswith(f"client.{_snake(namespace)}."),
                            len(call),
                        )
                        table = ranked.setdefault(key, {})
                        table[call] = min(rank, table.get(call, rank))
    return {key: sorted(table, key=table.__getitem__) for key, table in ranked.items()}


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name).lower()


def covered_by(operation: UIOperation, table: dict[tuple[str, str, str], list[str]]) -> list[str]:
    calls: list[str] = []
    for namespace, sub in operation.fields:
        for call in table.get((operation.kind, namespace, sub), []):
            if call not in calls:
                calls.append(call)
    return calls


# -- shapes --------------------------------------------------------------------------------


def shape(
    value: Any, path: str = "", into: dict[str, set[str]] | None = None
) -> dict[str, set[str]]:
    """``{path: types}``: every value's JSON type by path, list items merged (``a[].b``)."""
    found = into if into is not None else {}
    if value is None:
        kind = "null"
    elif isinstance(value, bool):
        kind = "bool"
    elif isinstance(value, int | float):
        kind = "number"
    elif isinstance(value, str):
        kind = "string"
    elif isinstance(value, list):
        kind = "list" if value else "empty list"
        for item in value:
            shape(item, f"{path}[]", found)
    else:
        kind = "object"
        for key, item in value.items():
            shape(item, f"{path}.{key}" if path else key, found)
    found.setdefault(path or "$", set()).add(kind)
    return found


def _comparable(types: set[str]) -> set[str]:
    """Types as compared: ``null`` beside a value is data (some rows have it), not shape."""
    if "list" in types:
        types = (types - {"empty list"}) | {"list"}
    return types - {"null"} if len(types) > 1 else types


@dataclass
class Answer:
    status: int
    body: Any
    skipped: str | None = None

    @property
    def data(self) -> Any:
        return self.body.get("data") if isinstance(self.body, dict) else None

    @property
    def errors(self) -> list[str]:
        if not isinstance(self.body, dict):
            return []
        return [str(e.get("message")) for e in self.body.get("errors") or []]


def differences(fake: Answer, real: Answer) -> list[str]:
    """How two answers to the same operation differ in shape (empty: the same)."""
    found: list[str] = []
    if fake.status != real.status:
        found.append(f"HTTP {fake.status} on the fake, {real.status} on the server")
    if bool(fake.errors) != bool(real.errors):
        found.append(
            f"errors on the fake: {fake.errors or 'none'}; on the server: {real.errors or 'none'}"
        )
    elif fake.errors and sorted(fake.errors) != sorted(real.errors):
        found.append(f"error messages differ: fake {fake.errors} / server {real.errors}")
    ours, theirs = shape(fake.data), shape(real.data)
    empty_here = {p for p, t in ours.items() if t == {"empty list"}}
    empty_there = {p for p, t in theirs.items() if t == {"empty list"}}
    for path in sorted(set(ours) | set(theirs)):
        if any(path.startswith(f"{e}[]") for e in empty_here | empty_there):
            continue  # items of a list one side has none of
        mine, other = ours.get(path), theirs.get(path)
        if mine is None or other is None:
            where = "server" if mine is None else "fake"
            found.append(f"{path}: only on the {where}")
        elif _comparable(mine) != _comparable(other):
            here, there = "|".join(sorted(mine)), "|".join(sorted(other))
            found.append(f"{path}: {here} on the fake, {there} on the server")
    return found


# -- the servers ------------------------------------------------------------------------------


@dataclass
class Target:
    """One Wiki.js to replay against, with what the replay made on it."""

    name: str
    url: str
    api_key: str
    admin_email: str | None = None
    admin_password: str | None = None
    http: httpx.Client = field(init=False)
    made: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.http = httpx.Client(
            base_url=self.url,
            headers={"Authorization": f"Bearer {self.api_key}"},
            timeout=180,
        )

    def send(self, document: str, variables: dict[str, Any] | None = None) -> Answer:
        response = self.http.post(
            "/graphql", json={"query": document, "variables": variables or {}}
        )
        try:
            body = response.json()
        except ValueError:
            body = {"text": response.text}
        return Answer(response.status_code, _without_stacktraces(body))

    def data(self, document: str, variables: dict[str, Any] | None = None) -> Any:
        answer = self.send(document, variables)
        if answer.errors:
            raise RuntimeError(f"{self.name}: {answer.errors[0]} ({document.split('{')[0:3]})")
        return answer.data

    def close(self) -> None:
        self.http.close()


def _without_stacktraces(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_stacktraces(v) for k, v in value.items() if k != "stacktrace"}
    if isinstance(value, list):
        return [_without_stacktraces(v) for v in value]
    return value


# -- what each operation is sent with ---------------------------------------------------------

RR = "responseResult { succeeded errorCode message }"


def _undoable(operation: UIOperation, now: dict[str, Any]) -> str | None:
    """Why sending ``operation`` to a real server would change what cannot be set back."""
    if operation.key == "localization.updateLocale":
        config = now["localization"]["config"]
        if config["locale"] not in config["namespaces"]:
            # Wiki.js stores _.union(namespaces, [locale]): the list would grow for good
            return "would add the locale to the namespaces for good (Wiki.js adds it)"
    return None


#: Operations that harm the server they reach: sent to the fake only, unless allowed.
DESTRUCTIVE = {
    "system.performUpgrade": "replaces the running Wiki.js with another release",
    "system.renewHTTPSCertificate": "requests a certificate and restarts the HTTPS server",
    "authentication.regenerateCertificates": "voids every API key and login session",
    "authentication.resetGuestUser": "deletes and recreates the Guest user",
    "system.resetTelemetryClientId": "changes the telemetry id for good",
}

#: Run order: what makes fixtures first, queries, then changes, deletions, harm.
_FIRST = {
    "comments.create",
    "pages.create",
    "users.create",
    "groups.create",
    "authentication.createApiKey",
    "assets.createFolder",
}
#: Queries that read what a mutation of the run starts (the export).
_LATE_QUERIES = {"system.exportStatus"}
_DELETES = {
    "comments.delete",
    "pages.delete",
    "users.delete",
    "groups.delete",
    "assets.deleteAsset",
    "pages.deleteTag",
    "authentication.revokeApiKey",
    "groups.unassignUser",
}


def phase(operation: UIOperation) -> int:
    key = operation.key
    if key in DESTRUCTIVE:
        # new signing keys void the replay's own API key: last of all
        return 5 if key == "authentication.regenerateCertificates" else 4
    if key in _FIRST:
        return 0
    if key in _LATE_QUERIES:
        return 3
    if operation.kind in ("query", "subscription"):
        return 1
    return 3 if key in _DELETES else 2


class Fixtures:
    """What the replay needs on one server, made through its API and removed afterwards."""

    def __init__(self, target: Target, run: str) -> None:
        self.target = target
        self.run = run
        self.pages: dict[str, dict[str, Any]] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.groups: dict[str, int] = {}
        self.assets: dict[str, int] = {}
        self.keys: list[str] = []
        self.password = f"ui-replay-{run}-pass"

    # -- pages --------------------------------------------------------------------------

    def prepare(self) -> None:
        """What queries read: a page with history and a tag, a user who logged in, a group,
        an asset."""
        self.page()
        self.user()
        self.group()
        self.asset()

    def page(self, role: str = "main") -> dict[str, Any]:
        if role not in self.pages:
            t = self.target
            path = f"ui-replay-{self.run}/{role}"
            tag = f"ui-replay-{self.run}-{role}"
            made = t.data(
                'mutation ($p: String!, $t: [String]!) { pages { create(content: "# UI replay", '
                'description: "", editor: "markdown", isPrivate: false, isPublished: true, '
                'locale: "en", path: $p, tags: $t, title: "UI replay") { '
                f"{RR} page {{ id }} }} }} }}",
                {"p": path, "t": [tag]},
            )["pages"]["create"]
            page_id = (made.get("page") or {}).get("id") or self._page_id(path)
            # a second version, so that history, version and restore have one
            t.data(
                "mutation ($id: Int!, $t: [String]) { pages { update(id: $id, content: "
                '"# UI replay\\n\\nEdited.", isPublished: true, tags: $t) { ' + RR + " } } }",
                {"id": page_id, "t": [tag]},
            )
            single = t.data(
                "query ($id: Int!) { pages { single(id: $id) { id path updatedAt "
                "tags { id tag } } } }",
                {"id": page_id},
            )["pages"]["single"]
            trail = t.data(
                "query ($id: Int!) { pages { history(id: $id) { trail { versionId } } } }",
                {"id": page_id},
            )["pages"]["history"]["trail"]
            self.pages[role] = {**single, "versionId": trail[0]["versionId"], "tag": tag}
        return self.pages[role]

    def _page_id(self, path: str) -> int:
        found = self.target.data(
            'query ($p: String!) { pages { singleByPath(path: $p, locale: "en") { id } } }',
            {"p": path},
        )
        return int(found["pages"]["singleByPath"]["id"])

    def tag_id(self, role: str) -> int:
        tag = self.page(role)["tag"]
        tags = self.target.data("{ pages { tags { id tag } } }")["pages"]["tags"]
        return int(next(t["id"] for t in tags if t["tag"] == tag))

    # -- users, groups, keys, assets ------------------------------------------------------------

    def user(self, role: str = "main") -> dict[str, Any]:
        if role not in self.users:
            email = f"ui-replay-{self.run}-{role}@example.com"
            self.target.data(
                "mutation ($e: String!, $p: String) { users { create(email: $e, name: "
                '"UI Replay", passwordRaw: $p, providerKey: "local", groups: [2], '
                f"mustChangePassword: false, sendWelcomeEmail: false) {{ {RR} }} }} }}",
                {"e": email, "p": self.password},
            )
            found = self.target.data(
                "query ($q: String!) { users { search(query: $q) { id email } } }", {"q": email}
            )["users"]["search"]
            self.users[role] = next(u for u in found if u["email"] == email)
            if role == "main":
                # a login, so that lastLogins and lastLoginAt have something on every server
                self.target.send(
                    "mutation ($u: String!, $p: String!) { authentication { login(username: $u, "
                    'password: $p, strategy: "local") { jwt } } }',
                    {"u": email, "p": self.password},
                )
        return self.users[role]

    def group(self, role: str = "main") -> int:
        if role not in self.groups:
            made = self.target.data(
                "mutation ($n: String!) { groups { create(name: $n) { group { id } } } }",
                {"n": f"UI replay {self.run} {role}"},
            )
            self.groups[role] = int(made["groups"]["create"]["group"]["id"])
        return self.groups[role]

    def api_key(self) -> int:
        name = f"ui-replay-{self.run}-revoked"
        self.target.data(
            "mutation ($n: String!) { authentication { createApiKey(name: $n, expiration: "
            f'"1d", fullAccess: false, group: 2) {{ {RR} }} }} }}',
            {"n": name},
        )
        self.keys.append(name)
        keys = self.target.data("{ authentication { apiKeys { id name } } }")
        return int(next(k["id"] for k in keys["authentication"]["apiKeys"] if k["name"] == name))

    def asset(self, role: str = "main") -> int:
        if role not in self.assets:
            name = f"ui-replay-{self.run}-{role}.png"
            response = self.target.http.post(
                "/u",
                files=[
                    ("mediaUpload", (None, '{"folderId":0}', "application/json")),
                    ("mediaUpload", (name, _PNG, "image/png")),
                ],
            )
            response.raise_for_status()
            listed = self.target.data(
                "{ assets { list(folderId: 0, kind: ALL) { id filename } } }"
            )["assets"]["list"]
            self.assets[role] = int(next(a["id"] for a in listed if a["filename"] == name))
        return self.assets[role]

    # -- the end ----------------------------------------------------------------------------

    def remove(self) -> list[str]:
        """Delete what the replay made; returns what could not be removed."""
        t, left = self.target, []
        listed = t.send("{ pages { list(limit: 5000) { id path } } }").data or {}
        for page in (listed.get("pages") or {}).get("list") or []:
            if str(page["path"]).startswith(f"ui-replay-{self.run}"):
                t.send(f"mutation {{ pages {{ delete(id: {int(page['id'])}) {{ {RR} }} }} }}")
        users = t.send("{ users { list { id email } } }").data or {}
        for user in (users.get("users") or {}).get("list") or []:
            if str(user["email"]).startswith(f"ui-replay-{self.run}"):
                t.send(
                    f"mutation {{ users {{ delete(id: {int(user['id'])}, replaceId: 1) "
                    f"{{ {RR} }} }} }}"
                )
        groups = t.send("{ groups { list { id name } } }").data or {}
        for group in (groups.get("groups") or {}).get("list") or []:
            if str(group["name"]).startswith(f"UI replay {self.run}"):
                t.send(f"mutation {{ groups {{ delete(id: {int(group['id'])}) {{ {RR} }} }} }}")
        keys = t.send("{ authentication { apiKeys { id name isRevoked } } }").data or {}
        for key in (keys.get("authentication") or {}).get("apiKeys") or []:
            if str(key["name"]).startswith(f"ui-replay-{self.run}") and not key["isRevoked"]:
                t.send(
                    "mutation { authentication { "
                    f"revokeApiKey(id: {int(key['id'])}) {{ {RR} }} }} }}"
                )
        assets = t.send("{ assets { list(folderId: 0, kind: ALL) { id filename } } }").data or {}
        for asset in (assets.get("assets") or {}).get("list") or []:
            if str(asset["filename"]).startswith(f"ui-replay-{self.run}"):
                t.send(
                    f"mutation {{ assets {{ deleteAsset(id: {int(asset['id'])}) {{ {RR} }} }} }}"
                )
        return left


_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d7"
    "63f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)

# -- settings: read as they are, written back the same ----------------------------------------

_CONFIG = "config { key value }"
SETTINGS_QUERY = (
    "{ site { config { host title description robots analyticsService analyticsId company "
    "contentLicense footerOverride logoUrl pageExtensions authAutoLogin authEnforce2FA "
    "authHideLocal authLoginBgUrl authJwtAudience authJwtExpiration authJwtRenewablePeriod "
    "editFab editMenuBar editMenuBtn editMenuExternalBtn editMenuExternalName "
    "editMenuExternalIcon editMenuExternalUrl featurePageRatings featurePageComments "
    "featurePersonalWikis securityOpenRedirect securityIframe securityReferrerPolicy "
    "securityTrustProxy securitySRI securityHSTS securityHSTSDuration securityCSP "
    "securityCSPDirectives uploadMaxFileSize uploadMaxFiles uploadScanSVG uploadForceDownload } } "
    "navigation { config { mode } tree { locale items { id kind label icon targetType target "
    "visibilityMode visibilityGroups } } } "
    "localization { config { locale autoUpdate namespacing namespaces } } "
    "authentication { apiState activeStrategies { key strategy { key } displayName order "
    f"isEnabled {_CONFIG} selfRegistration domainWhitelist autoEnrollGroups }} }} "
    f"storage {{ targets {{ key isEnabled mode syncInterval {_CONFIG} }} }} "
    f"rendering {{ renderers {{ key isEnabled {_CONFIG} }} }} "
    f"analytics {{ providers {{ key isEnabled {_CONFIG} }} }} "
    f"comments {{ providers {{ key isEnabled {_CONFIG} }} }} "
    f"search {{ searchEngines {{ key isEnabled {_CONFIG} }} }} "
    f"logging {{ loggers {{ key isEnabled level {_CONFIG} }} }} "
    "mail { config { senderName senderEmail host port name secure verifySSL user pass useDKIM "
    "dkimDomainName dkimKeySelector dkimPrivateKey } } "
    "theming { config { theme iconset darkMode tocPosition injectCSS injectHead injectBody } } "
    "system { flags { key value } info { telemetry telemetryClientId httpRedirection } } "
    "users { profile { name location jobTitle timezone dateFormat appearance } } }"
)


def _by_key(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: str(r["key"]))


def settings_of(target: Target) -> dict[str, Any]:
    """The settings the replay writes, in a form that compares (rows by key)."""
    found = target.data(SETTINGS_QUERY)
    for namespace, name in (
        ("authentication", "activeStrategies"),
        ("storage", "targets"),
        ("rendering", "renderers"),
        ("analytics", "providers"),
        ("comments", "providers"),
        ("search", "searchEngines"),
        ("logging", "loggers"),
    ):
        found[namespace][name] = _by_key(found[namespace][name])
    return dict(found)


def _wrapped(config: list[dict[str, str]]) -> list[dict[str, str]]:
    """Settings as read → as the admin area writes them: ``{"v": value}``."""
    return [
        {"key": c["key"], "value": json.dumps({"v": json.loads(c["value"]).get("value")})}
        for c in config
    ]


# -- variables for each operation -------------------------------------------------------------

Provider = Callable[[Fixtures, dict[str, Any]], dict[str, Any]]


def _site(names: list[str]) -> Provider:
    return lambda fx, now: {n: now["site"]["config"][n] for n in names}


def _modules(
    namespace: str, field_name: str, argument: str, *, columns: tuple[str, ...] = ()
) -> Provider:
    def provide(fx: Fixtures, now: dict[str, Any]) -> dict[str, Any]:
        rows = []
        for row in now[namespace][field_name]:
            item = {
                "key": row["key"],
                "isEnabled": row["isEnabled"],
                "config": _wrapped(row["config"]),
            }
            item.update({c: row[c] for c in columns})
            rows.append(item)
        return {argument: rows}

    return provide


def _loggers(fx: Fixtures, now: dict[str, Any]) -> dict[str, Any]:
    """One logger whose settings are all text: Wiki.js stores loggers' settings as given
    (the admin area's ``{"v": …}`` wrapping would be stored as is), so only such a logger
    can be written back unchanged."""
    for row in now["logging"]["loggers"]:
        values = {c["key"]: json.loads(c["value"]).get("value") for c in row["config"]}
        if values and all(isinstance(v, str) for v in values.values()):
            return {
                "loggers": [
                    {
                        "key": row["key"],
                        "isEnabled": row["isEnabled"],
                        "level": row["level"],
                        "config": [{"key": k, "value": v} for k, v in values.items()],
                    }
                ]
            }
    return {"loggers": []}


def _strategies(fx: Fixtures, now: dict[str, Any]) -> dict[str, Any]:
    rows = sorted(now["authentication"]["activeStrategies"], key=lambda r: r["order"])
    return {
        "strategies": [
            {
                "key": r["key"],
                "strategyKey": r["strategy"]["key"],
                "displayName": r["displayName"],
                "order": r["order"],
                "isEnabled": r["isEnabled"],
                "config": _wrapped(r["config"]),
                "selfRegistration": r["selfRegistration"],
                "domainWhitelist": r["domainWhitelist"],
                "autoEnrollGroups": r["autoEnrollGroups"],
            }
            for r in rows
        ]
    }


def _group_update(fx: Fixtures, now: dict[str, Any]) -> dict[str, Any]:
    group_id = fx.group()
    group = fx.target.data(
        "query ($id: Int!) { groups { single(id: $id) { name redirectOnLogin permissions "
        "pageRules { id deny match roles path locales } } } }",
        {"id": group_id},
    )["groups"]["single"]
    return {"id": group_id, **group}


def _page_update(fx: Fixtures, now: dict[str, Any]) -> dict[str, Any]:
    page = fx.page()
    return {
        "id": page["id"],
        "content": "# UI replay\n\nEdited by the UI's own mutation.",
        "description": "",
        "editor": "markdown",
        "isPrivate": False,
        "isPublished": True,
        "locale": "en",
        "path": page["path"],
        "publishEndDate": "",
        "publishStartDate": "",
        "scriptCss": "",
        "scriptJs": "",
        "tags": [page["tag"]],
        "title": "UI replay",
    }


PROVIDERS: dict[str, Provider] = {
    "analytics.updateProviders": _modules("analytics", "providers", "providers"),
    "assets.createFolder": lambda fx, now: {"parentFolderId": 0, "slug": f"ui-replay-{fx.run}"},
    "assets.deleteAsset": lambda fx, now: {"id": fx.asset("doomed")},
    "assets.renameAsset": lambda fx, now: {
        "id": fx.asset(),
        "filename": f"ui-replay-{fx.run}-renamed.png",
    },
    "assets.folders": lambda fx, now: {"parentFolderId": 0},
    "assets.list": lambda fx, now: {"folderId": 0, "kind": "ALL"},
    "authentication.createApiKey": lambda fx, now: {
        "name": f"ui-replay-{fx.run}",
        "expiration": "1d",
        "fullAccess": False,
        "group": fx.group(),
    },
    "authentication.forgotPassword": lambda fx, now: {"email": fx.user()["email"]},
    "authentication.login": lambda fx, now: {
        "username": fx.user()["email"],
        "password": fx.password,
        "strategy": "local",
    },
    "authentication.loginChangePassword": lambda fx, now: {
        "continuationToken": "ui-replay-no-such-token",
        "newPassword": f"{fx.password}-new",
    },
    "authentication.loginTFA": lambda fx, now: {
        "continuationToken": "ui-replay-no-such-token",
        "securityCode": "000000",
        "setup": False,
    },
    "authentication.register": lambda fx, now: {
        "email": f"ui-replay-{fx.run}-registered@example.com",
        "password": fx.password,
        "name": "UI Replay",
    },
    "authentication.revokeApiKey": lambda fx, now: {"id": fx.api_key()},
    "authentication.setApiState": lambda fx, now: {"enabled": now["authentication"]["apiState"]},
    "authentication.updateStrategies": _strategies,
    "comments.create": lambda fx, now: {
        "pageId": fx.page()["id"],
        "replyTo": 0,  # as the UI sends it (null fails Wiki.js's NOT NULL column)
        "content": "A comment from the UI replay.",
        "guestName": None,
        "guestEmail": None,
    },
    "comments.delete": lambda fx, now: {"id": fx.target.made.get("comment", 0)},
    "comments.update": lambda fx, now: {
        "id": fx.target.made.get("comment", 0),
        "content": "An edited comment from the UI replay.",
    },
    "comments.single": lambda fx, now: {"id": fx.target.made.get("comment", 0)},
    "comments.list": lambda fx, now: {"locale": "en", "path": fx.page()["path"]},
    "comments.updateProviders": _modules("comments", "providers", "providers"),
    "groups.assignUser": lambda fx, now: {"groupId": fx.group(), "userId": fx.user()["id"]},
    "groups.unassignUser": lambda fx, now: {"groupId": fx.group(), "userId": fx.user()["id"]},
    "groups.create": lambda fx, now: {"name": f"UI replay {fx.run} created"},
    "groups.delete": lambda fx, now: {"id": fx.group("doomed")},
    "groups.update": _group_update,
    "groups.single": lambda fx, now: {"id": fx.group()},
    "localization.downloadLocale": lambda fx, now: {
        "locale": now["localization"]["config"]["locale"]
    },
    "localization.updateLocale": lambda fx, now: dict(now["localization"]["config"]),
    "localization.translations": lambda fx, now: {"locale": "en", "namespace": "common"},
    "logging.updateLoggers": _loggers,
    "mail.sendTest": lambda fx, now: {"recipientEmail": "ui-replay@example.invalid"},
    "mail.updateConfig": lambda fx, now: dict(now["mail"]["config"]),
    "navigation.updateTree": lambda fx, now: {
        "tree": now["navigation"]["tree"],
        "mode": now["navigation"]["config"]["mode"],
    },
    "pages.convert": lambda fx, now: {"id": fx.page("converted")["id"], "editor": "ckeditor"},
    "pages.create": lambda fx, now: {
        "content": "# Made by the UI's own mutation",
        "description": "",
        "editor": "markdown",
        "isPrivate": False,
        "isPublished": True,
        "locale": "en",
        "path": f"ui-replay-{fx.run}/created",
        "publishEndDate": "",
        "publishStartDate": "",
        "scriptCss": "",
        "scriptJs": "",
        "tags": [],
        "title": "UI replay",
    },
    "pages.delete": lambda fx, now: {"id": fx.page("doomed")["id"]},
    "pages.deleteTag": lambda fx, now: {"id": fx.tag_id("doomed-tag")},
    "pages.updateTag": lambda fx, now: {
        "id": fx.tag_id("main"),
        "tag": fx.page()["tag"],
        "title": "UI Replay",
    },
    "pages.migrateToLocale": lambda fx, now: {"sourceLocale": "zz", "targetLocale": "en"},
    "pages.move": lambda fx, now: {
        "id": fx.page("moved")["id"],
        "destinationPath": f"ui-replay-{fx.run}/moved-here",
        "destinationLocale": "en",
    },
    "pages.purgeHistory": lambda fx, now: {"olderThan": "P100Y"},  # nothing is that old
    "pages.render": lambda fx, now: {"id": fx.page()["id"]},
    "pages.restore": lambda fx, now: {
        "pageId": fx.page("restored")["id"],
        "versionId": fx.page("restored")["versionId"],
    },
    "pages.update": _page_update,
    "pages.checkConflicts": lambda fx, now: {
        "id": fx.page()["id"],
        "checkoutDate": fx.page()["updatedAt"],
    },
    "pages.conflictLatest": lambda fx, now: {"id": fx.page()["id"]},
    "pages.history": lambda fx, now: {"id": fx.page()["id"], "offsetPage": 0, "offsetSize": 25},
    "pages.links": lambda fx, now: {"locale": "en"},
    "pages.list": lambda fx, now: {
        "creatorId": 1,
        "authorId": 1,
        "limit": 50,
        "orderBy": "TITLE",
        "orderByDirection": "ASC",
        "tags": None,
        "locale": "en",
    },
    "pages.search": lambda fx, now: {"query": "replay", "locale": "en"},
    "pages.searchTags": lambda fx, now: {"query": "ui-replay"},
    "pages.single": lambda fx, now: {"id": fx.page()["id"]},
    "pages.tree": lambda fx, now: {
        "parent": 0,
        "mode": "ALL",
        "locale": "en",
        "path": fx.page()["path"],
    },
    "pages.version": lambda fx, now: {
        "pageId": fx.page()["id"],
        "versionId": fx.page()["versionId"],
    },
    "rendering.updateRenderers": _modules("rendering", "renderers", "renderers"),
    "search.updateSearchEngines": _modules("search", "searchEngines", "engines"),
    "site.updateConfig": lambda fx, now: dict(now["site"]["config"]),
    "storage.executeAction": lambda fx, now: {"targetKey": "git", "handler": "sync"},
    "storage.updateTargets": _modules(
        "storage", "targets", "targets", columns=("mode", "syncInterval")
    ),
    "system.export": lambda fx, now: {
        "entities": ["groups"],
        "path": f"/tmp/ui-replay-export-{fx.run}",
    },
    "system.importUsersFromV1": lambda fx, now: {
        # nothing listens there: the import fails to connect and changes nothing
        "mongoDbConnString": "mongodb://127.0.0.1:1/wiki",
        "groupMode": "NONE",
    },
    "system.setHTTPSRedirection": lambda fx, now: {
        "enabled": bool(now["system"]["info"]["httpRedirection"])
    },
    "system.setTelemetry": lambda fx, now: {"enabled": bool(now["system"]["info"]["telemetry"])},
    "system.updateFlags": lambda fx, now: {"flags": now["system"]["flags"]},
    "theming.setConfig": lambda fx, now: dict(now["theming"]["config"]),
    "users.activate": lambda fx, now: {"id": fx.user()["id"]},
    "users.deactivate": lambda fx, now: {"id": fx.user()["id"]},
    "users.verify": lambda fx, now: {"id": fx.user()["id"]},
    "users.enableTFA": lambda fx, now: {"id": fx.user()["id"]},
    "users.disableTFA": lambda fx, now: {"id": fx.user()["id"]},
    "users.single": lambda fx, now: {"id": fx.user()["id"]},
    "users.update": lambda fx, now: {
        "id": fx.user()["id"],
        "email": fx.user()["email"],
        "name": "UI Replay (edited)",
        "newPassword": None,
        "groups": [2],
        "location": "Replay",
        "jobTitle": "Tester",
        "timezone": "Europe/Paris",
    },
    "users.changePassword": lambda fx, now: {
        # a wrong current password: refused, and the account keeps its own
        "current": "not-the-password-ui-replay",
        "new": "ui-replay-never-set",
    },
    "users.create": lambda fx, now: {
        "providerKey": "local",
        "email": f"ui-replay-{fx.run}-created@example.com",
        "name": "UI Replay",
        "passwordRaw": fx.password,
        "groups": [2],
        "mustChangePassword": False,
        "sendWelcomeEmail": False,
    },
    "users.delete": lambda fx, now: {"id": fx.user("doomed")["id"], "replaceId": 1},
    "users.updateProfile": lambda fx, now: dict(now["users"]["profile"]),
    "users.search": lambda fx, now: {"query": "ui-replay"},
}


def variables_for(operation: UIOperation, fx: Fixtures, now: dict[str, Any]) -> dict[str, Any]:
    """The operation's declared variables, from the providers of its fields."""
    wanted = [name for name, _ in operation.variables]
    if not wanted:
        return {}
    values: dict[str, Any] = {}
    for namespace, sub in operation.fields:
        provider = PROVIDERS.get(f"{namespace}.{sub}")
        if provider is not None:
            values.update(provider(fx, now))
    missing = [name for name in wanted if name not in values]
    if missing and not any(f"{ns}.{f}" in PROVIDERS for ns, f in operation.fields):
        raise KeyError(f"no variables for {operation.key} ({', '.join(wanted)})")
    return {name: values[name] for name in wanted if name in values}


def _after(operation: UIOperation, target: Target, answer: Answer) -> None:
    """Remember what an operation made that later ones use."""
    if operation.key == "comments.create":
        made = ((answer.data or {}).get("comments") or {}).get("create") or {}
        if made.get("id"):
            target.made["comment"] = made["id"]


# -- the subscription -------------------------------------------------------------------------


def _subscribe_once(target: Target, document: str, trigger: Callable[[], None]) -> Answer:
    """Subscribe over graphql-ws with an admin JWT, make the server log, take one message."""
    import websockets.sync.client

    if not target.admin_email or not target.admin_password:
        return Answer(0, None, skipped="needs --admin-email/--admin-password (a user JWT)")
    login = target.send(
        "mutation ($u: String!, $p: String!) { authentication { login(username: $u, "
        'password: $p, strategy: "local") { jwt } } }',
        {"u": target.admin_email, "p": target.admin_password},
    )
    jwt = (((login.data or {}).get("authentication") or {}).get("login") or {}).get("jwt")
    if not jwt:
        return Answer(0, None, skipped=f"admin login failed: {login.errors or login.body}")
    ws_url = target.url.replace("http", "ws", 1).rstrip("/") + "/graphql-subscriptions"
    with websockets.sync.client.connect(ws_url, subprotocols=["graphql-ws"]) as socket:  # type: ignore[list-item]
        socket.send(json.dumps({"type": "connection_init", "payload": {"token": jwt}}))
        while json.loads(socket.recv(timeout=30)).get("type") != "connection_ack":
            pass
        socket.send(json.dumps({"id": "1", "type": "start", "payload": {"query": document}}))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            trigger()
            with contextlib.suppress(TimeoutError):
                while True:
                    message = json.loads(socket.recv(timeout=2))
                    if message.get("type") == "data":
                        payload = message.get("payload") or {}
                        return Answer(
                            200, {k: payload[k] for k in ("data", "errors") if k in payload}
                        )
    return Answer(0, None, skipped="no log line arrived within 30 s")


def _trigger(target: Target) -> Callable[[], None]:
    """A write that makes Wiki.js log a line (strategies are set up again), changing nothing."""

    def write() -> None:
        now = target.data(
            "{ authentication { activeStrategies { key strategy { key } displayName order "
            f"isEnabled {_CONFIG} selfRegistration domainWhitelist autoEnrollGroups }} }} }}"
        )
        variables = _strategies(None, now)  # type: ignore[arg-type]
        target.send(
            "mutation ($strategies: [AuthenticationStrategyInput]!) { authentication { "
            f"updateStrategies(strategies: $strategies) {{ {RR} }} }} }}",
            variables,
        )

    return write


# -- one run -----------------------------------------------------------------------------------


@dataclass
class Row:
    operation: UIOperation
    covered: list[str]
    fake: Answer | None = None
    real: Answer | None = None
    problems: list[str] = field(default_factory=list)


def replay(
    operations: list[UIOperation],
    target: Target,
    run: str,
    *,
    allow_destructive: bool,
    log: Callable[[str], None],
) -> tuple[list[Answer], list[str]]:
    """Send every operation to ``target``; returns the answers (in ``operations`` order) and
    what changed in its settings (nothing, when all went well)."""
    fixtures = Fixtures(target, run)
    answers: dict[int, Answer] = {}
    before = settings_of(target)
    order = sorted(range(len(operations)), key=lambda i: (phase(operations[i]), i))
    # what voids the replay's own API key runs after the clean-up and the last read
    last = [i for i in order if phase(operations[i]) == _VOIDING]
    order = [i for i in order if phase(operations[i]) != _VOIDING]
    left: list[str] = []
    try:
        fixtures.prepare()
        for index in order:
            answers[index] = _send_one(
                operations[index], target, fixtures, before, allow_destructive
            )
            log(f"{target.name}: {operations[index].label} {operations[index].key}")
    finally:
        left = fixtures.remove()
    after = settings_of(target)
    for index in last:
        answers[index] = _send_one(operations[index], target, fixtures, after, allow_destructive)
        log(f"{target.name}: {operations[index].label} {operations[index].key}")
    drift = [f"{section} changed" for section in before if before[section] != after.get(section)]
    drift = [d for d in drift if not _expected_drift(d, target, allow_destructive)]
    return [answers[i] for i in range(len(operations))], [*drift, *left]


_VOIDING = 5


def _send_one(
    operation: UIOperation,
    target: Target,
    fixtures: Fixtures,
    before: dict[str, Any],
    allow_destructive: bool,
) -> Answer:
    if operation.key in DESTRUCTIVE and target.name != "fake" and not allow_destructive:
        return Answer(0, None, skipped=f"destructive: {DESTRUCTIVE[operation.key]}")
    now = settings_of(target) if operation.kind == "mutation" else before
    reason = _undoable(operation, now) if target.name != "fake" and not allow_destructive else None
    if reason is not None:
        return Answer(0, None, skipped=reason)
    try:
        if operation.kind == "subscription":
            answer = _subscribe_once(target, operation.document, _trigger(target))
        else:
            answer = target.send(operation.document, variables_for(operation, fixtures, now))
    except Exception as error:  # one operation's failure is reported, the run goes on
        answer = Answer(0, None, skipped=f"could not be sent: {type(error).__name__}: {error}")
    _after(operation, target, answer)
    return answer


def _expected_drift(what: str, target: Target, allow_destructive: bool) -> bool:
    # what the allowed operations change on purpose: the telemetry id, the namespaces
    allowed = target.name == "fake" or allow_destructive
    return allowed and what in ("system changed", "localization changed")


# -- the report --------------------------------------------------------------------------------


def report(
    rows: list[Row], *, real: bool, out: Callable[[str], None] = print
) -> tuple[int, int, int]:
    covered = same = compared = 0
    for row in rows:
        op = row.operation
        calls = ", ".join(row.covered[:3]) + (" …" if len(row.covered) > 3 else "")
        covered += bool(row.covered)
        out(f"{op.kind[0]} {op.key:40} {op.label}")
        out(f"    SDK: {calls or 'NOT COVERED'}")
        if row.fake is None:
            continue
        if real and row.real is not None:
            if row.fake.skipped or row.real.skipped:
                out(f"    not compared: {row.real.skipped or row.fake.skipped}")
                continue
            compared += 1
            if row.problems:
                out("    DIFFERS: " + "; ".join(row.problems))
            else:
                same += 1
                state = f"errors: {row.real.errors[0][:80]}" if row.real.errors else "data"
                out(f"    same shape on the fake ({state})")
        elif row.fake.skipped:
            out(f"    fake: {row.fake.skipped}")
        else:
            said = f"errors: {row.fake.errors[0][:100]}" if row.fake.errors else "answered"
            out(f"    fake: {said}")
    return covered, same, compared


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--git-dir",
        default=os.environ.get("WIKIJS_GIT_DIR", "/work/.mirror/requarks+wiki/repo"),
        help="a Wiki.js git directory, bare is fine (default: $WIKIJS_GIT_DIR)",
    )
    parser.add_argument("--tag", default="v2.5.314", help="the release to read the UI from")
    parser.add_argument("--url", help="a real Wiki.js to compare with")
    parser.add_argument("--api-key", help="a full-access API key of that Wiki.js")
    parser.add_argument("--admin-email", help="an administrator, for the live-log subscription")
    parser.add_argument("--admin-password")
    parser.add_argument(
        "--allow-destructive",
        action="store_true",
        help="also send the real server what would harm it (upgrade, new signing keys, …) "
        "or change what cannot be set back",
    )
    parser.add_argument("--only", help="a regular expression the operations' keys must match")
    parser.add_argument("-q", "--quiet", action="store_true", help="only the summary")
    args = parser.parse_args(argv)
    if bool(args.url) != bool(args.api_key):
        parser.error("--url and --api-key go together")

    operations = extract(args.git_dir, args.tag)
    if args.only:
        operations = [op for op in operations if re.search(args.only, op.key)]
    table = coverage()
    rows = [Row(op, covered_by(op, table)) for op in operations]
    run = secrets.token_hex(3)

    def out(line: str) -> None:
        if not args.quiet:
            print(line)

    def log(line: str) -> None:
        if not args.quiet:
            print(line, file=sys.stderr)

    from wikijs.testing import FakeWikiJS

    drift: dict[str, list[str]] = {}
    with FakeWikiJS() as fake, fake.serve() as fake_url:
        # as a server that has started since its setup, as every running one has
        fake.restart()
        target = Target("fake", fake_url, fake.api_key, fake.admin_email, fake.admin_password)
        try:
            answers, drift["fake"] = replay(
                operations, target, run, allow_destructive=True, log=log
            )
        finally:
            target.close()
        for row, answer in zip(rows, answers, strict=True):
            row.fake = answer
    if args.url:
        real = Target("server", args.url, args.api_key, args.admin_email, args.admin_password)
        try:
            answers, drift["server"] = replay(
                operations, real, run, allow_destructive=args.allow_destructive, log=log
            )
        finally:
            real.close()
        for row, answer in zip(rows, answers, strict=True):
            row.real = answer
            assert row.fake is not None
            if not answer.skipped and not row.fake.skipped:
                row.problems = differences(row.fake, answer)

    covered, same, compared = report(rows, real=bool(args.url), out=out)
    for where, changes in drift.items():
        if changes and where != "fake":
            print(f"WARNING: the {where}'s settings after the replay: {'; '.join(changes)}")
    total = len(rows)
    uncovered = [r.operation.key for r in rows if not r.covered]
    line = (
        f"{total} operations of the Wiki.js {args.tag} web UI: "
        f"{covered} covered by a typed SDK call"
    )
    if uncovered:
        line += f" (not: {', '.join(sorted(set(uncovered)))})"
    if args.url:
        skipped = sum(
            1
            for r in rows
            if r.real is not None and (r.real.skipped or (r.fake and r.fake.skipped))
        )
        line += f"; {same} of {compared} compared answer in the same shape on the fake"
        if skipped:
            line += f" ({skipped} not sent to the server: see above)"
    print(line)
    differing = compared - same
    return 1 if (uncovered or differing or drift.get("server")) else 0


if __name__ == "__main__":
    raise SystemExit(main())
