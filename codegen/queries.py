"""The operations in ``queries/``, read once for the tools that check them.

Each ``.graphql`` file keeps its name in the parsed nodes' locations, so a
problem anywhere can be reported as ``queries/pages.graphql:12:5``; the
operations share fragments across files, so what an operation needs is its
own definition plus every fragment it reaches.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    Node,
    OperationDefinitionNode,
    Source,
    parse,
    print_ast,
    visit,
)
from graphql.language import ExecutableDefinitionNode, Visitor

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class SyntaxProblem:
    """A file that does not parse."""

    file: str
    line: int
    column: int
    message: str


@dataclass
class Queries:
    """Every operation and fragment of a queries folder."""

    operations: dict[str, OperationDefinitionNode] = field(default_factory=dict)
    fragments: dict[str, FragmentDefinitionNode] = field(default_factory=dict)
    definitions: list[ExecutableDefinitionNode] = field(default_factory=list)
    syntax: list[SyntaxProblem] = field(default_factory=list)
    _users: dict[str, list[str]] | None = field(default=None, repr=False)

    @property
    def document(self) -> DocumentNode:
        """All definitions of all files as one document (what validation sees)."""
        return DocumentNode(definitions=tuple(self.definitions))

    def fragments_of(self, node: ExecutableDefinitionNode) -> list[str]:
        """The fragments a definition reaches, directly or through other fragments."""
        seen: list[str] = []
        pending = [node]
        while pending:
            for name in _spreads(pending.pop()):
                if name not in seen and name in self.fragments:
                    seen.append(name)
                    pending.append(self.fragments[name])
        return seen

    def users_of(self, fragment: str) -> list[str]:
        """The operations that use a fragment, directly or through others."""
        if self._users is None:
            users: dict[str, list[str]] = {}
            for name in sorted(self.operations):
                for used in self.fragments_of(self.operations[name]):
                    users.setdefault(used, []).append(name)
            self._users = users
        return list(self._users.get(fragment, ()))

    def document_of(self, name: str) -> DocumentNode:
        """One operation with the fragments it uses."""
        operation = self.operations[name]
        fragments = [self.fragments[f] for f in sorted(self.fragments_of(operation))]
        return DocumentNode(definitions=(operation, *fragments))

    def text_of(self, name: str) -> str:
        return print_ast(self.document_of(name))


def _spreads(node: Node) -> Iterator[str]:
    names: list[str] = []

    class Collect(Visitor):
        def enter_fragment_spread(self, spread: FragmentSpreadNode, *_: object) -> None:
            names.append(spread.name.value)

    visit(node, Collect())
    yield from names


def load(folder: Path, root: Path = ROOT) -> Queries:
    """Parse every ``*.graphql`` under ``folder`` (names relative to ``root``)."""
    queries = Queries()
    for path in sorted(folder.rglob("*.graphql")):
        try:
            name = str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            name = str(path)
        try:
            document = parse(Source(path.read_text(encoding="utf-8"), name))
        except GraphQLError as error:
            line, column = (
                (error.locations[0].line, error.locations[0].column) if error.locations else (1, 1)
            )
            queries.syntax.append(SyntaxProblem(name, line, column, error.message))
            continue
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode) and definition.name is not None:
                queries.operations.setdefault(definition.name.value, definition)
            elif isinstance(definition, FragmentDefinitionNode):
                queries.fragments.setdefault(definition.name.value, definition)
            if isinstance(definition, ExecutableDefinitionNode):
                queries.definitions.append(definition)
    return queries
