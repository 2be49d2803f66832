"""What Wiki.js 2.5 is, in one place: the SDK and the fake server both import it.

Each fact names where in Wiki.js 2.5.314's source it comes from, so it can
be checked again (a bare mirror: ``git show v2.5.314:server/app/data.yml``).
Nothing here does I/O.

- **errors**: every ``WIKI.Error`` (``server/helpers/error.js``) by name,
  with its code and message;
- **messages** the server fails with outside that catalogue;
- **permissions** a group can hold, and the seeded groups' defaults;
- **page paths**: the characters ``createPage``/``movePage`` refuse, the
  first segments ``pageHelper.isReservedPath`` refuses (``reservedPaths`` in
  ``server/app/data.yml``, one-letter names, locale codes) and the server's
  own routes that would hide a page of the same name;
- **upload names**: how ``/u`` turns a file name into the stored one;
- **operations**: which mutations leave the same state when applied twice
  (idempotent), and which arguments carry credentials;
- **limits**: the request body size the server parses, the editors it
  accepts, where it listens;
- **schemas**: the GraphQL schema of every supported release, as package
  data (``schemas/``, read by codegen, the runtime and the fake).
- **write costs**: what each write costs a real server, alone and several at
  once, and the races concurrent page writes run into (measured: the SDK's
  batch planner starts from these figures, the fake charges them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from itertools import pairwise
from types import MappingProxyType
from typing import Final

VERSION: Final = "2.5.314"

# -- limits and endpoints ---------------------------------------------------------

#: Wiki.js hands its ``bodyParserLimit`` setting (``config.yml``; "5mb" by
#: default, ``server/app/data.yml``) to body-parser, which refuses a larger
#: request body with HTTP 413 before GraphQL sees it.
BODY_LIMIT: Final = 5 * 1024 * 1024
#: Editor keys ``pages.create``/``update`` accept (``server/models/editors``).
EDITORS: Final = frozenset({"markdown", "code", "ckeditor"})
GRAPHQL_PATH: Final = "/graphql"
UPLOAD_PATH: Final = "/u"
HEALTH_PATH: Final = "/healthz"
SUBSCRIPTIONS_PATH: Final = "/graphql-subscriptions"
DEFAULT_LOCALE: Final = "en"
DEFAULT_EDITOR: Final = "markdown"
#: A user JWT lives 30 minutes (``server/core/auth.js``); the server renews it
#: through ``new-jwt`` for up to 14 days after it expired, then means Guest.
JWT_RENEWAL_WINDOW: Final = 14 * 24 * 3600.0
#: Node's HTTP server closes idle connections after 5 s.
SERVER_KEEPALIVE: Final = 5.0

# -- errors (server/helpers/error.js) -------------------------------------------

#: ``WIKI.Error`` name → (code, message), as the server defines them.
ERRORS: Final[dict[str, tuple[int, str]]] = {
    "AuthGenericError": (1001, "An unexpected error occured during login."),
    "AuthLoginFailed": (1002, "Invalid email / username or password."),
    "AuthProviderInvalid": (1003, "Invalid authentication provider."),
    "AuthAccountAlreadyExists": (1004, "An account already exists using this email address."),
    "AuthTFAFailed": (1005, "Incorrect TFA Security Code."),
    "AuthTFAInvalid": (1006, "Invalid TFA Security Code or Login Token."),
    "BruteInstanceIsInvalid": (1007, "Invalid Brute Force Instance."),
    "BruteTooManyAttempts": (1008, "Too many attempts! Try again later."),
    "UserCreationFailed": (1009, "An unexpected error occured during user creation."),
    "AuthRegistrationDisabled": (
        1010,
        "Registration is disabled. Contact your system administrator.",
    ),
    "AuthRegistrationDomainUnauthorized": (
        1011,
        "You are not authorized to register. Your domain is not whitelisted.",
    ),
    "InputInvalid": (1012, "Input data is invalid."),
    "AuthAccountBanned": (1013, "Your account has been disabled."),
    "AuthAccountNotVerified": (1014, "You must verify your account before your can login."),
    "AuthValidationTokenInvalid": (1015, "Invalid validation token."),
    "UserNotFound": (1016, "This user does not exist."),
    "UserDeleteForeignConstraint": (
        1017,
        "Cannot delete user because of content relational constraints.",
    ),
    "UserDeleteProtected": (1018, "Cannot delete a protected system account."),
    "AuthRequired": (1019, "You must be authenticated to access this resource."),
    "AuthPasswordInvalid": (1020, "Password is incorrect."),
    "AssetGenericError": (2001, "An unexpected error occured during asset operation."),
    "AssetFolderExists": (2002, "An asset folder with the same name already exists."),
    "AssetDeleteForbidden": (2003, "You are not authorized to delete this asset."),
    "AssetInvalid": (2004, "This asset does not exist or is invalid."),
    "AssetRenameCollision": (
        2005,
        "An asset with the same filename in the same folder already exists.",
    ),
    "AssetRenameForbidden": (2006, "You are not authorized to rename this asset."),
    "AssetRenameInvalid": (2007, "The new asset filename is invalid."),
    "AssetRenameInvalidExt": (2008, "The file extension cannot be changed on an existing asset."),
    "AssetRenameTargetForbidden": (
        2009,
        "You are not authorized to rename this asset to the requested name.",
    ),
    "MailGenericError": (3001, "An unexpected error occured during mail operation."),
    "MailNotConfigured": (3002, "The mail configuration is incomplete or invalid."),
    "MailTemplateFailed": (3003, "Mail template failed to load."),
    "MailInvalidRecipient": (3004, "The recipient email address is invalid."),
    "SearchGenericError": (4001, "An unexpected error occured during search operation."),
    "SearchActivationFailed": (4002, "Search Engine activation failed."),
    "LocaleGenericError": (5001, "An unexpected error occured during locale operation."),
    "LocaleInvalidNamespace": (5002, "Invalid locale or namespace."),
    "PageGenericError": (6001, "An unexpected error occured during a page operation."),
    "PageDuplicateCreate": (
        6002,
        "Cannot create this page because an entry already exists at the same path.",
    ),
    "PageNotFound": (6003, "This page does not exist."),
    "PageEmptyContent": (6004, "Page content cannot be empty."),
    "PageIllegalPath": (6005, "Page path cannot contains illegal characters."),
    "PagePathCollision": (6006, "Destination page path already exists."),
    "PageMoveForbidden": (6007, "You are not authorized to move this page."),
    "PageCreateForbidden": (6008, "You are not authorized to create this page."),
    "PageUpdateForbidden": (6009, "You are not authorized to update this page."),
    "PageDeleteForbidden": (6010, "You are not authorized to delete this page."),
    "PageRestoreForbidden": (6011, "You are not authorized to restore this page version."),
    "PageHistoryForbidden": (6012, "You are not authorized to view the history of this page."),
    "PageViewForbidden": (6013, "You are not authorized to view this page."),
    "SystemGenericError": (7001, "An unexpected error occured."),
    "SystemSSLDisabled": (7002, "SSL is not enabled."),
    "SystemSSLRenewInvalidProvider": (
        7003,
        "Current provider does not support SSL certificate renewal.",
    ),
    "SystemSSLLEUnavailable": (7004, "Let's Encrypt is not initialized."),
    "CommentGenericError": (8001, "An unexpected error occured."),
    "CommentPostForbidden": (8002, "You are not authorized to post a comment on this page."),
    "CommentContentMissing": (8003, "Comment content is missing or too short."),
    "CommentManageForbidden": (8004, "You are not authorized to manage comments on this page."),
    "CommentNotFound": (8005, "This comment does not exist."),
    "CommentViewForbidden": (8006, "You are not authorized to view comments for this page."),
}

#: Code → name (the ``slug`` of a failed ``responseResult``).
SLUGS: Final[dict[int, str]] = {code: name for name, (code, _) in ERRORS.items()}

# -- messages outside the catalogue ---------------------------------------------------

#: ``server/core/auth.js``: the API is switched off (any API key request).
API_DISABLED: Final = "API is disabled. You must enable it from the Administration Area first."
#: ``server/core/auth.js``: an unknown, revoked or expired API key.
API_KEY_INVALID: Final = "API Key is invalid or was revoked."

# -- permissions (server/app/data.yml, server/setup.js) -------------------------------

#: Every permission a Wiki.js 2.5 group can hold.
PERMISSIONS: Final = (
    "read:pages",
    "write:pages",
    "manage:pages",
    "delete:pages",
    "read:source",
    "read:history",
    "read:assets",
    "write:assets",
    "manage:assets",
    "read:comments",
    "write:comments",
    "manage:comments",
    "write:styles",
    "write:scripts",
    "manage:system",
    "manage:navigation",
    "manage:theme",
    "manage:api",
    "manage:users",
    "manage:groups",
    "write:users",
    "write:groups",
)
#: What ``groups.create`` gives a new group (``groups.defaultPermissions``).
DEFAULT_GROUP_PERMISSIONS: Final = ("read:pages", "read:assets", "read:comments", "write:comments")
#: What the Guests group is seeded with (``server/setup.js``).
GUEST_PERMISSIONS: Final = ("read:pages", "read:assets", "read:comments")

# -- page paths (server/models/pages.js, server/helpers/page.js) ----------------------

#: ``reservedPaths`` in ``server/app/data.yml``: first segments the server
#: refuses for a page (compared exactly, case-sensitive).
RESERVED_PATHS: Final = frozenset(
    {"login", "logout", "register", "verify", "favicons", "fonts", "img", "js", "svg"}
)
#: The server's own routes (``server/master.js``, ``server/controllers``): a
#: page whose path starts with one can be stored but never opened.
ROUTED_PATHS: Final = frozenset(
    {"graphql", "graphql-subscriptions", "healthz", "_assets", "_error", "_userav"}
)
#: ``localeSegmentRegex``: a first segment shaped like a locale code is read as one.
LOCALE_SEGMENT: Final = re.compile(r"^[A-Z]{2}(-[A-Z]{2})?$", re.IGNORECASE)
#: What ``createPage``/``movePage`` refuse anywhere in a path (``PageIllegalPath``).
ILLEGAL_IN_PATH: Final = (".", " ", "\\", "//")


def reserved_first_segment(segment: str) -> bool:
    """``pageHelper.isReservedPath`` for one first segment, plus the server's routes.

    One-letter segments (``/e``, ``/s``, ``/t``… are the server's), locale
    codes (``en``, ``pt-br``), the ``reservedPaths`` list and the routes a
    page would be hidden behind.
    """
    return (
        len(segment) <= 1
        or LOCALE_SEGMENT.match(segment) is not None
        or segment in RESERVED_PATHS
        or segment.lower() in ROUTED_PATHS
    )


# -- upload names (server/models/assets.js, the sanitize-filename package) -----------

MAX_FILENAME_BYTES: Final = 255
_SEPARATORS = re.compile(r"[\s,;#]+")
_ILLEGAL = re.compile(r'[/?<>\\:*|"]')
_CONTROL = re.compile(r"[\x00-\x1f\x80-\x9f]")
_DOTS_ONLY = re.compile(r"^\.+$")
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
_WINDOWS_TRAILING = re.compile(r"[. ]+$")


def sanitize_filename(name: str) -> str:
    """``sanitize-filename`` with an empty replacement, cut to 255 UTF-8 bytes."""
    name = _ILLEGAL.sub("", name)
    name = _CONTROL.sub("", name)
    name = _DOTS_ONLY.sub("", name)
    name = _WINDOWS_RESERVED.sub("", name)
    name = _WINDOWS_TRAILING.sub("", name)
    return name.encode("utf-8")[:MAX_FILENAME_BYTES].decode("utf-8", errors="ignore")


def stored_filename(original: str) -> str:
    """The name an upload is stored under: lower-cased, ``[\\s,;#]+`` → ``_``, sanitised.

    ``Order Test.bin`` → ``order_test.bin``.
    """
    return sanitize_filename(_SEPARATORS.sub("_", original.lower()))


# -- operations ---------------------------------------------------------------------------

#: Mutations (``namespace.field``) whose effect does not grow when applied
#: twice: the second application leaves the wiki as the first did. Anything
#: not listed (creates, actions that send mail or mint keys, password
#: changes that check the current one) is not idempotent. See
#: ``docs/resilience.md`` for the table by generated operation.
IDEMPOTENT_MUTATIONS: Final = frozenset(
    {
        # pages: full-state update, delete, move to a fixed place, per-page jobs
        "pages.update",
        "pages.delete",
        "pages.move",
        "pages.convert",
        "pages.render",
        "pages.restore",
        "pages.updateTag",
        "pages.deleteTag",
        "pages.flushCache",
        "pages.migrateToLocale",
        "pages.purgeHistory",
        "pages.rebuildTree",
        # assets
        "assets.deleteAsset",
        "assets.renameAsset",
        "assets.flushTempUploads",
        # users: state switches and full-state updates
        "users.update",
        "users.updateProfile",
        "users.delete",
        "users.activate",
        "users.deactivate",
        "users.verify",
        "users.enableTFA",
        "users.disableTFA",
        # groups: full-state update, membership, delete
        "groups.update",
        "groups.delete",
        "groups.assignUser",
        "groups.unassignUser",
        # comments
        "comments.update",
        "comments.delete",
        "comments.updateProviders",
        # authentication and keys
        "authentication.revokeApiKey",
        "authentication.setApiState",
        "authentication.updateStrategies",
        "authentication.resetGuestUser",
        # configuration: each sets what it is given
        "analytics.updateProviders",
        "localization.downloadLocale",
        "localization.updateLocale",
        "logging.updateLoggers",
        "mail.updateConfig",
        "navigation.updateConfig",
        "navigation.updateTree",
        "rendering.updateRenderers",
        "search.rebuildIndex",
        "search.updateSearchEngines",
        "site.updateConfig",
        "storage.updateTargets",
        "system.setHTTPSRedirection",
        "system.setTelemetry",
        "system.updateFlags",
        "theming.setConfig",
    }
)

#: Arguments (``namespace.field.argument``) that carry credentials: kept
#: out of logs and plugin hooks whatever the variable passing them is named.
SECRET_ARGUMENTS: Final = frozenset(
    {
        "authentication.login.password",
        "authentication.loginTFA.securityCode",
        "authentication.loginTFA.continuationToken",
        "authentication.loginChangePassword.continuationToken",
        "authentication.loginChangePassword.newPassword",
        "authentication.register.password",
        # strategy, storage, search, analytics and comment provider settings
        # hold client secrets and API keys
        "authentication.updateStrategies.strategies",
        "storage.updateTargets.targets",
        "search.updateSearchEngines.engines",
        "analytics.updateProviders.providers",
        "comments.updateProviders.providers",
        "mail.updateConfig.pass",
        "mail.updateConfig.dkimPrivateKey",
        "system.importUsersFromV1.mongoDbConnString",
        "users.changePassword.current",
        "users.changePassword.new",
        "users.create.passwordRaw",
        "users.update.newPassword",
    }
)


# -- write costs (measured) ----------------------------------------------------------------
#
# Measured on a real Wiki.js 2.5.314 (PostgreSQL 15, loopback, 2 cores shared
# with other work) by
#
#     python -m benchmarks.write_costs --url URL --api-key KEY
#
# (``benchmarks/write_costs.py``; docs/performance.md has the run and its
# conditions). One table: the SDK's planner (``_protocol/writes.py``) starts from
# it, the fake's ``WriteCosts.measured()`` charges it.

#: Median seconds of one write of each mutation field, sent one at a time. A
#: page write inserts or patches the row, then renders the page and rebuilds
#: the page tree in freshly forked worker processes (``server/models/pages.js``,
#: ``server/core/scheduler.js``): seconds, not milliseconds.
WRITE_SECONDS: Final[Mapping[str, float]] = MappingProxyType(
    {
        "pages.create": 3.9,
        "pages.update": 2.65,
        "pages.render": 2.4,
        "pages.move": 1.2,
        "pages.delete": 1.6,
        "pages.rebuildTree": 1.2,
        "users.create": 0.7,  # bcrypt hashes the password
        "users.update": 0.02,
        "users.delete": 0.02,
        "groups.create": 0.02,
        "groups.update": 0.02,
        "groups.delete": 0.02,
    }
)

#: Mutation fields not measured, charged like a measured one they resemble.
WRITE_SECONDS_LIKE: Final[Mapping[str, str]] = MappingProxyType(
    {
        "pages.convert": "pages.update",  # a patch, then a render
        "pages.restore": "pages.update",  # an update from a stored version
        "pages.migrateToLocale": "pages.update",
    }
)

#: Mutation fields that run a page render or page-tree rebuild job.
PAGE_JOB_WRITES: Final = frozenset(
    {
        "pages.create",
        "pages.update",
        "pages.delete",
        "pages.move",
        "pages.render",
        "pages.restore",
        "pages.convert",
        "pages.rebuildTree",
        "pages.migrateToLocale",
    }
)

#: Pages per second with ``n`` page creates in flight at once (separate
#: requests), over one at a time: the worker processes of overlapping writes
#: share the server's cores. Between two levels the planner and the fake
#: interpolate; above the last, it stays flat.
CONCURRENT_SPEEDUP: Final[Mapping[int, float]] = MappingProxyType(
    {1: 1.0, 2: 1.4, 3: 1.5, 4: 1.5, 8: 1.5}
)

#: Seconds at the end of a tree rebuild in which a second one collides with
#: it (it truncates ``pageTree``, then inserts: ``pageTree_pkey``).
REBUILD_RACE_WINDOW: Final = 0.1

#: Seconds between a page write reading the tag list and inserting the tags
#: it did not find (``server/models/tags.js``, ``associateTags``): two writes
#: that bring the same new tag within it collide on ``tags_tag_unique``; the
#: later one fails after its page row is written.
TAG_RACE_WINDOW: Final = 0.1


def concurrent_speedup(in_flight: float, table: Mapping[int, float] = CONCURRENT_SPEEDUP) -> float:
    """``table`` (pages per second over one at a time) at ``in_flight`` writes, interpolated.

    Below the first level it falls in proportion (half a write in flight on
    average does half the work); above the last it stays flat.
    """
    levels = sorted(table)
    if in_flight <= levels[0]:
        return table[levels[0]] * max(in_flight, 0.0) / levels[0]
    for low, high in pairwise(levels):
        if in_flight <= high:
            share = (in_flight - low) / (high - low)
            return table[low] + share * (table[high] - table[low])
    return table[levels[-1]]


# -- schemas (package data) ---------------------------------------------------------


def schema_text(release: str | None = None) -> str:
    """The SDL of ``release``'s API (a file of ``schemas/history``), or the newest.

    The schemas are package data, one file per release that changed the API:
    ``scripts/generate`` generates the clients from them and the fake serves
    them (``FakeWikiJS(version=...)``).
    """
    from importlib.resources import files

    folder = files(__name__) / "schemas"
    path = (
        folder / "wikijs.graphql"
        if release is None
        else folder / "history" / (f"wikijs-{release}.graphql")
    )
    return path.read_text(encoding="utf-8")
