"""An older Wiki.js: what the server lacks, and what to send it instead. Pure: no I/O.

The generated clients are built from the newest supported schema
(``SCHEMA_VERSION``). ``wikijs._generated.versions`` says which operations
do not run as written on an older release, what each can leave out there
(a *variant*: the same operation without the fields and arguments that
release lacks; the model fields read ``None``), and below which release it
does not run at all.

The client does not ask the server's version first. It sends the operation
as written; an older Wiki.js refuses it with HTTP 400 and
``Cannot query field "singleByPath" on type "PageQuery".`` (graphql-js 15;
14 words unknown arguments differently). :meth:`ServerAPI.learn` reads those
messages, picks the newest variant that leaves out everything the server
named, and the pipeline sends that once; from then on the client sends the
variant straight away. Where no variant fits, the call raises
:class:`~wikijs.errors.UnsupportedByServerError`, again without asking the
next time. Once the client knows the server's version (``system.info()``,
``health()``) it picks variants by version, before any refusal.

An argument a variant leaves out is dropped only when its value means what
the older release does anyway (unset, ``None``, ``""``, ``False``, or a
value listed in :data:`NEUTRAL`); a real value raises instead of vanishing.
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from ..errors import GraphQLErrorDetail, QueryError, UnsupportedByServerError
from .operation import compact

if TYPE_CHECKING:
    from wikijs._generated.versions import Requirement, Variant

#: Values of arguments a release lacks that mean what it does without them.
#: Wiki.js before 2.5.105 sends every user to "/" after login.
NEUTRAL: Mapping[str, tuple[Any, ...]] = {"GroupMutation.update(redirectOnLogin:)": ("/",)}

_FIELD = re.compile(r'^Cannot query field "(\w+)" on type "(\w+)"\.')
_ARGUMENT_15 = re.compile(r'^Unknown argument "(\w+)" on field "(\w+)\.(\w+)"\.')
_ARGUMENT_14 = re.compile(r'^Unknown argument "(\w+)" on field "(\w+)" of type "(\w+)"\.')
_TYPE = re.compile(r'^Unknown type "(\w+)"\.')
_VALIDATION = "GRAPHQL_VALIDATION_FAILED"
_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)")
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def parse_version(text: str) -> tuple[int, int, int] | None:
    """``"2.5.314"`` → ``(2, 5, 314)``; ``None`` for text without a version."""
    match = _VERSION.search(text or "")
    if match is None:
        return None
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def _key(version: str) -> tuple[int, int, int]:
    return parse_version(version) or (0, 0, 0)


def missing_from(errors: Sequence[GraphQLErrorDetail]) -> frozenset[str] | None:
    """What the server says its schema lacks (``Page.scriptCss``, ``T.f(arg:)``).

    ``None`` unless every error is a validation error about a missing field,
    argument or type: anything else is a real mistake in the document.
    """
    found: set[str] = set()
    for error in errors:
        if error.extension_code != _VALIDATION:
            return None
        message = error.message
        if match := _FIELD.match(message):
            found.add(f"{match.group(2)}.{match.group(1)}")
        elif match := _ARGUMENT_15.match(message):
            found.add(f"{match.group(2)}.{match.group(3)}({match.group(1)}:)")
        elif match := _ARGUMENT_14.match(message):
            found.add(f"{match.group(3)}.{match.group(2)}({match.group(1)}:)")
        elif match := _TYPE.match(message):
            found.add(match.group(1))
        else:
            return None
    return frozenset(found) or None


@dataclass(frozen=True)
class _Form:
    """What to send for one operation to this server."""

    original: str  # the generated document this form replaces (compacted)
    variant: Variant | None  # None: the operation does not run here
    required: str | None
    missing: tuple[str, ...]


@cache
def _tables() -> tuple[str, tuple[str, ...], Mapping[str, Requirement], Mapping[str, str]]:
    from wikijs._generated.versions import API_RELEASES, INTRODUCED, REQUIREMENTS, SCHEMA_VERSION

    return SCHEMA_VERSION, API_RELEASES, REQUIREMENTS, INTRODUCED


@cache
def _generated_document(name: str) -> str | None:
    """The generated operation ``name``, compacted (the clients indent theirs)."""
    from wikijs._generated.operations import OPERATIONS

    spec = OPERATIONS.get(name)
    return compact(spec.document) if spec is not None else None


def api_release(version: str) -> str | None:
    """The API release a Wiki.js version serves (``2.5.170`` → ``2.5.117``).

    ``None`` below the oldest supported release.
    """
    _, releases, _, _ = _tables()
    key = _key(version)
    serving = [release for release in releases if _key(release) <= key]
    return serving[-1] if serving else None


class ServerAPI:
    """What one client knows of its server's API, learned from its answers.

    Shared by the sync and async pipelines (no I/O, no awaiting); a race
    between two calls learning the same thing learns it twice, harmlessly.
    """

    def __init__(self) -> None:
        self.version: str | None = None
        self._forms: dict[str, _Form] = {}
        self._warned = False

    # -- sending ------------------------------------------------------------------

    def adapt(
        self, name: str, document: str, variables: Mapping[str, Any]
    ) -> tuple[str, Mapping[str, Any]]:
        """The document and variables to send for ``name`` to this server.

        Raises:
            UnsupportedByServerError: the server lacks the operation, or an
                argument given a value that would otherwise be dropped.
        """
        form = self._forms.get(name)
        if form is None or compact(document) != form.original:
            return document, variables
        if form.variant is None:
            raise self._unsupported(name, form.required, form.missing)
        kept = dict(variables)
        for variable, coordinate in form.variant.dropped:
            if variable not in kept:
                continue
            if not _neutral(kept[variable], coordinate):
                _, _, _, introduced = _tables()
                raise self._unsupported(
                    name, introduced.get(coordinate), (coordinate,), argument=variable
                )
            del kept[variable]
        return form.variant.document, kept

    # -- learning -------------------------------------------------------------------

    def learn(self, name: str, document: str, error: QueryError) -> bool:
        """After the server refused a generated operation: is there a form to send?

        Returns ``True`` when the next :meth:`adapt` gives a variant to
        send, ``False`` when the refusal is not about a missing part of the
        schema (or not about a generated operation): the error stands.

        Raises:
            UnsupportedByServerError: the server lacks what the operation
                needs, and no variant leaves it out.
        """
        missing = missing_from(error.errors)
        original = _generated_document(name)
        if original is None or compact(document) != original:
            return False
        if missing is None:
            # Refused for a reason other than a missing field, argument or type (a
            # field whose type changed shape, such as a list of strings that became
            # objects): a generated operation is valid against the SDK's schema, so a
            # server that refuses it all as invalid has an older one.
            _, _, requirements, _ = _tables()
            requirement = requirements.get(name)
            if (
                requirement is None
                or requirement.unsupported_below is None
                or not all(e.extension_code == _VALIDATION for e in error.errors)
            ):
                return False
            raise self._unsupported(
                name, requirement.unsupported_below, requirement.lacking, errors=error
            )
        form = self._decide(name, original, missing)
        if form.variant is not None:
            return True
        raise self._unsupported(name, form.required, form.missing, errors=error)

    def learn_batch(
        self, operations: Sequence[tuple[str, str]], errors: Sequence[GraphQLErrorDetail]
    ) -> bool:
        """After the server refused a batch (one aliased document, or an item of an array).

        The errors name what the whole document lacks: each operation takes
        the part the version table says it may lack. Returns whether anything
        was learned (the batch is then worth sending once more).
        """
        missing = missing_from(errors)
        if missing is None:
            return False
        learned = False
        for name, document in dict.fromkeys(operations):
            original = _generated_document(name)
            if original is None or compact(document) != original:
                continue
            relevant = missing & _may_lack(name)
            if relevant:
                self._decide(name, original, relevant)
                learned = True
        return learned

    def _decide(self, name: str, original: str, missing: frozenset[str]) -> _Form:
        """The form for a server that lacks ``missing`` (remembered for later calls)."""
        _, _, requirements, introduced = _tables()
        requirement = requirements.get(name)
        for variant in requirement.variants if requirement is not None else ():
            if missing <= set(variant.removed):
                form = _Form(original, variant, variant.until, ())
                break
        else:
            known = [introduced[m] for m in missing if m in introduced]
            shown = missing
            if requirement is not None and requirement.unsupported_below is not None:
                known.append(requirement.unsupported_below)
                shown = missing & set(requirement.lacking) or missing
            required = max(known, key=_key) if known else None
            form = _Form(original, None, required, tuple(sorted(shown)))
        self._forms[name] = form
        return form

    def lacks(self, name: str) -> bool:
        """Whether this server is known not to run operation ``name`` at all."""
        form = self._forms.get(name)
        return form is not None and form.variant is None

    # -- the server's version ----------------------------------------------------------

    def observe_version(self, version: str | None) -> None:
        """The server said its version: choose forms by it, and warn once if it differs."""
        if not version or parse_version(version) is None or version == self.version:
            return
        self.version = version
        schema_version, releases, requirements, _ = _tables()
        release = api_release(version)
        if release is not None:
            for name, requirement in requirements.items():
                self._choose(name, requirement, release)
        if self._warned:
            return
        message = version_mismatch(version, release, schema_version, releases, requirements)
        if message is not None:
            from ..versions import ServerVersionWarning

            self._warned = True
            warnings.warn(message, ServerVersionWarning, stacklevel=_callers_level())

    def _choose(self, name: str, requirement: Requirement, release: str) -> None:
        original = _generated_document(name)
        if original is None:
            return
        if _key(release) >= _key(requirement.complete_since):
            self._forms.pop(name, None)
            return
        for variant in requirement.variants:
            if _key(release) >= _key(variant.since):
                self._forms[name] = _Form(original, variant, variant.until, ())
                return
        self._forms[name] = _Form(
            original, None, requirement.unsupported_below, requirement.lacking
        )

    # -- errors ----------------------------------------------------------------------

    def _unsupported(
        self,
        name: str,
        required: str | None,
        missing: tuple[str, ...],
        *,
        argument: str | None = None,
        errors: QueryError | None = None,
    ) -> UnsupportedByServerError:
        schema_version, releases, _, _ = _tables()
        lacking = ", ".join(missing) or "it"
        if required is None:
            # not a release the table knows: a newer (or patched) Wiki.js
            server = f"this server ({self.version})" if self.version else "this server"
            message = (
                f"needs what {server} lacks: {lacking} (the SDK supports Wiki.js "
                f"{releases[0]} to {schema_version})"
            )
        else:
            needs = f"needs Wiki.js ≥ {required}"
            if argument is not None:
                needs += f" for {argument}"
            server = (
                f"this server is {self.version}"
                if self.version
                else f"this server is older (it has no {lacking})"
            )
            message = f"{needs}; {server}"
        return UnsupportedByServerError(
            message,
            operation=name,
            required_version=required,
            server_version=self.version,
            missing=missing,
            errors=errors.errors if errors is not None else (),
            status_code=errors.status_code if errors is not None else None,
        )


def _callers_level() -> int:
    """The ``stacklevel`` of the first frame outside the SDK (the user's call)."""
    frame = sys._getframe(1)  # the caller of this function: level 1 of its warn()
    level = 1
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame = frame.f_back
        level += 1
    return level


@cache
def _may_lack(name: str) -> frozenset[str]:
    """What the version table says operation ``name`` may find missing."""
    _, _, requirements, _ = _tables()
    requirement = requirements.get(name)
    if requirement is None:
        return frozenset()
    found = set(requirement.lacking)
    for variant in requirement.variants:
        found.update(variant.removed)
    return frozenset(found)


def _neutral(value: Any, coordinate: str) -> bool:
    if value is None or value is False or value == "" or value == []:
        return True
    return any(value == neutral for neutral in NEUTRAL.get(coordinate, ()))


def version_mismatch(
    version: str,
    release: str | None,
    schema_version: str,
    releases: Sequence[str],
    requirements: Mapping[str, Requirement],
) -> str | None:
    """The warning for a server ``version`` (``None`` when its API is the SDK's)."""
    if release is None:
        return (
            f"Wiki.js {version} is older than any release the SDK supports "
            f"({releases[0]} to {schema_version}): calls may fail"
        )
    if _key(version) > _key(schema_version):
        return (
            f"Wiki.js {version} is newer than {schema_version}, the release the SDK was "
            "generated from: what it added or changed is unknown to the SDK"
        )
    if release == api_release(schema_version):
        return None
    lacking = sorted(
        name
        for name, requirement in requirements.items()
        if requirement.unsupported_below and _key(release) < _key(requirement.unsupported_below)
    )
    reduced = sorted(
        name
        for name, requirement in requirements.items()
        if name not in lacking and _key(release) < _key(requirement.complete_since)
    )
    parts = [
        f"Wiki.js {version} has an older API than {schema_version}, the release the SDK "
        "was generated from"
    ]
    if lacking:
        parts.append(
            f"{len(lacking)} operations raise UnsupportedByServerError: {', '.join(lacking)}"
        )
    if reduced:
        parts.append(f"{len(reduced)} leave out what it lacks: {', '.join(reduced)}")
    return "; ".join(parts) + " (see docs/versions.md)"
