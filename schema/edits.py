"""Mutations that delete one node (with its cascade) or add/remove one edge, in the federation's words."""

# No `from __future__ import annotations`: the mutations are made by factories, and Strawberry must see
# their argument types as objects.

from typing import Annotated, Any

import strawberry

from resolvers import edits
from resolvers.kinds import KINDS
from schema.bundle import LabelCount, label_counts
from schema.node import Info, request_context
from schema.permissions import IsWriter


@strawberry.type(description="What a delete removed, per node type (the node itself and its cascade).")
class Removed:
    removed: list[LabelCount] = strawberry.field(description="How many nodes of each type went, the node included.")


def _delete(label: str) -> Any:
    kind = KINDS[label]

    async def resolve(
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description=f"The id of the {kind.words} to delete.")],
    ) -> Removed:
        ctx = request_context(info)
        return Removed(removed=label_counts(await edits.delete_node(ctx.database, label, str(id), ctx.actor)))

    cascade = kind.cascade.words if kind.cascade else ""
    return strawberry.mutation(
        resolver=resolve,
        name=f"delete{label}",
        permission_classes=[IsWriter],
        description=f"Delete the {kind.words}{cascade}; an SLA left covering no project and a location left with "
        "no region go too. One transaction. Writers only.",
    )


def _edge(name: str, edit: edits.EdgeEdit, *, add: bool) -> Any:
    async def resolve(info: Info, from_id: strawberry.ID, to_id: strawberry.ID) -> bool:
        ctx = request_context(info)
        return await edits.edit_edge(ctx.database, edit, str(from_id), str(to_id), add=add, actor=ctx.actor)

    # The resolver's arguments take the federation's words (e.g. slaId, projectId).
    arguments = {"from_id": edit.source_argument, "to_id": edit.target_argument}
    field: Any = strawberry.mutation(
        resolver=resolve,
        # Named as the SDL spells it (`addProjectToSLA`), not through snake case, which would split `SLA`.
        name=f"add{name}" if add else "remove" + name.replace("To", "From", 1),
        permission_classes=[IsWriter],
        description=("Record" if add else "Withdraw")
        + f" that {edit.meaning}; true when it changed something, false when it already was "
        + ("so." if add else "not so.")
        + " Writers only.",
    )
    labels = {"from_id": edit.source, "to_id": edit.target}
    for argument in field.arguments:
        argument.graphql_name = _camel(arguments[argument.python_name])
        argument.description = f"The id of the {KINDS[labels[argument.python_name]].words}."
    return field


def _camel(name: str) -> str:
    return name[0].lower() + name[1:]


_FIELDS: dict[str, Any] = {}
for _label in edits.DELETABLE:
    _FIELDS[f"delete_{_label}"] = _delete(_label)
for _name, _edit in edits.EDGE_EDITS.items():
    _FIELDS[f"add_{_name}"] = _edge(_name, _edit, add=True)
    _FIELDS[f"remove_{_name}"] = _edge(_name, _edit, add=False)

EditMutation = strawberry.type(type("EditMutation", (), dict(_FIELDS)))
