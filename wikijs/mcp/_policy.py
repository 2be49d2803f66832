"""What the server lets an assistant do: read always, write and delete when allowed,
and only under the path prefixes given. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

#: What a tool needs: nothing beyond reading, the right to write, the right to delete.
Access = Literal["read", "write", "delete"]


class Refused(Exception):
    """A call the server's policy does not allow; nothing was sent to the wiki."""


@dataclass(frozen=True)
class Policy:
    """The server's permissions.

    Example::

        Policy(allow_write=True, path_prefixes=("docs/",))   # writes under docs/ only

    Attributes:
        allow_write: create, update and move pages (``--allow-write``).
        allow_delete: delete pages too (``--allow-delete``; needs ``allow_write``).
        path_prefixes: when given, every page a write touches must lie under
            one of them (``--path-prefix``): ``"docs/"`` allows ``docs/a`` and
            ``docs/a/b``; ``"docs"`` also allows the page ``docs`` itself.
            Locales are not part of the path.
    """

    allow_write: bool = False
    allow_delete: bool = False
    path_prefixes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.allow_delete and not self.allow_write:
            raise ValueError("allow_delete needs allow_write (a delete is a write)")
        prefixes = tuple(normal_prefix(prefix) for prefix in self.path_prefixes)
        object.__setattr__(self, "path_prefixes", prefixes)

    def allows(self, access: Access) -> bool:
        """Whether a tool that needs ``access`` is offered."""
        if access == "write":
            return self.allow_write
        if access == "delete":
            return self.allow_delete
        return True

    def why_not(self, access: Access) -> str:
        """Why tools needing ``access`` are off, and how the person running the server
        turns them on."""
        if self.allow_write:
            return (
                "deleting is turned off on this server; the person running `wikijs mcp` can "
                "turn it on with --allow-delete"
            )
        also = " (and deletes with --allow-delete)" if access == "delete" else ""
        return (
            "this server is read-only; the person running `wikijs mcp` can allow writes "
            f"with --allow-write{also}"
        )

    def check_paths(self, action: str, paths: Iterable[str]) -> None:
        """Refuse a write touching a path outside the prefixes.

        Raises:
            Refused: a path lies outside every prefix.
        """
        if not self.path_prefixes:
            return
        for path in paths:
            if not any(under(path, prefix) for prefix in self.path_prefixes):
                allowed = ", ".join(self.path_prefixes)
                raise Refused(
                    f"refused to {action}: '{path}' is outside the paths this server may "
                    f"write ({allowed}); nothing was sent to the wiki. Choose a path under "
                    f"{allowed}, or ask the person running `wikijs mcp` to change --path-prefix."
                )

    def describe(self) -> str:
        """One sentence for the assistant: what it may do on this wiki."""
        if not self.allow_write:
            return "This server is read-only: it can search, list and read pages."
        rights = "create, update and move"
        if self.allow_delete:
            rights = "create, update, move and delete"
        where = (
            f" under {', '.join(self.path_prefixes)} only" if self.path_prefixes else " anywhere"
        )
        return f"It can read every page, and {rights} pages{where}."


def normal_prefix(prefix: str) -> str:
    """A path prefix without a leading slash (``/docs/`` → ``docs/``).

    Raises:
        ValueError: an empty prefix (it would allow everything; leave the option out).
    """
    text = prefix.strip().lstrip("/")
    if not text.strip("/"):
        raise ValueError(
            "a path prefix cannot be empty (leave --path-prefix out to allow every path)"
        )
    return text


def under(path: str, prefix: str) -> bool:
    """Whether ``path`` lies under ``prefix`` (see :class:`Policy`)."""
    path = path.strip("/")
    if prefix.endswith("/"):
        return path.startswith(prefix)
    return path == prefix or path.startswith(prefix + "/")
