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
14 words unknown arguments differently). The client's ``ServerAPI``
(``_async/server_api.py``) reads those
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

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from ..errors import GraphQLErrorDetail
from ..versions import _key, api_release
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
