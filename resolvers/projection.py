"""Which stored properties a request reads: only those its query names.

A node's GraphQL fields are its stored properties under the same camelCase names (`id` is `uid`),
so the names of every field the operation selects, at any depth, are a superset of what any walk of
the request must return. Walks project `n {.uid, .name, …}` instead of `n {.*}`: a matchmaking answer
then reads a fraction of the bytes, and none of the attribution timestamps, whose decoding into
Python datetimes cost more than anything else in the driver.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from resolvers.kinds import HARVEST_PROPERTIES, KINDS

# Read whatever the query says: the node's key, and what builds the right GraphQL type from a row.
ALWAYS = frozenset({"uid", "kind"})
# Fields built from several stored properties.
COMPOSED: Mapping[str, frozenset[str]] = {
    "id": frozenset({"uid"}),
    "document": frozenset({"documentKey", "documentSha256", "documentSize", "documentMediaType", "documentUploadedAt"}),
    "harvest": HARVEST_PROPERTIES,
}


def selected_names(operation: OperationDefinitionNode, fragments: Mapping[str, FragmentDefinitionNode]) -> set[str]:
    """The name (not alias) of every field the operation selects, through its fragments."""
    return names_below([operation.selection_set], fragments)


def names_below(
    selection_sets: Iterable[SelectionSetNode | None], fragments: Mapping[str, FragmentDefinitionNode]
) -> set[str]:
    """The name (not alias) of every field selected in these selection sets, at any depth, through
    fragments (a walk's rows need no property that is not among those of its field's selection)."""
    names: set[str] = set()
    seen_fragments: set[str] = set()

    def visit(selection_set: SelectionSetNode | None) -> None:
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                names.add(selection.name.value)
                visit(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                visit(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in seen_fragments and name in fragments:
                    seen_fragments.add(name)
                    visit(fragments[name].selection_set)

    for selection_set in selection_sets:
        visit(selection_set)
    return names


def properties_for(names: Iterable[str]) -> tuple[str, ...]:
    wanted = set(ALWAYS)
    for name in names:
        wanted |= COMPOSED.get(name, {name})
    return tuple(sorted(wanted))


_ALL_PROPERTIES = re.compile(r"\b(\w+) \{\.\*\}")


def project(cypher: str, properties: tuple[str, ...] | None, labels: Mapping[str, str]) -> str:
    """`cypher` with each all-properties map projection (`n {.*}`) narrowed to the `properties` its
    variable's label stores (`labels`: variable -> label). None, or a variable of unknown label: all."""
    if properties is None:
        return cypher

    def narrow(match: re.Match[str]) -> str:
        variable = match.group(1)
        kind = KINDS.get(labels.get(variable, ""))
        if kind is None:
            return match.group(0)
        stored = kind.stored
        # GraphQL names are [_A-Za-z][_0-9A-Za-z]*; quoted anyway, as property keys.
        return f"{variable} {{{', '.join(f'.`{p}`' for p in properties if p in stored)}}}"

    return _ALL_PROPERTIES.sub(narrow, cypher)
