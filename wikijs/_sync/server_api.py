# Generated from wikijs/_async/server_api.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""What one client knows of its server's API, learned from its answers.

The pure reading of refusals and of the version table is in
``_protocol/compat.py``; this is the state a client keeps of it: the form
each operation takes on this server, its version once known, and the one
warning when that version's API differs from the SDK's.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._protocol.compat import (
    _Form,
    _generated_document,
    _may_lack,
    _neutral,
    _tables,
    missing_from,
    version_mismatch,
)
from .._protocol.operation import compact
from ..errors import GraphQLErrorDetail, QueryError, UnsupportedByServerError
from ..versions import _key, api_release, parse_version

if TYPE_CHECKING:
    from wikijs._generated.versions import Requirement

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


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
        if missing is None or original is None or compact(document) != original:
            return False
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
