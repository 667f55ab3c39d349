"""Mutations that delete one node (with its cascade) or add/remove one edge, in the federation's words."""

# No `from __future__ import annotations`: the mutations are made by factories, and Strawberry must see
# their argument types as objects.

import re
from typing import Any

import neo4j
import strawberry

from resolvers import edits
from schema.bundle import LabelCount, _counts
from schema.errors import ErrorCode, user_error
from schema.node import actor, federation
from schema.permissions import IsWriter


@strawberry.type(description="What a delete removed, per node type (the node itself and its cascade).")
class Removed:
    removed: list[LabelCount]


def _words(label: str) -> str:
    return "SLA" if label == "SLA" else re.sub(r"(?<!^)(?=[A-Z])", " ", label).lower()


def _delete(label: str) -> Any:
    async def resolve(info: strawberry.Info, id: strawberry.ID) -> Removed:
        try:
            return Removed(removed=_counts(await edits.delete_node(federation(info).database, label, str(id))))
        except edits.NodeNotFound:
            raise user_error(ErrorCode.NOT_FOUND, "id", f"no {_words(label)} with this id") from None

    cascade = {
        "Provider": " with its regions, services, what they offer, projects and quotas",
        "Region": " with its services, what only they offer, and the quotas on them",
        "Project": " with its quotas",
        "UserGroup": " with its SLAs",
        "IdentityProvider": " with its user groups and their SLAs",
    }.get(label, " with what only it offers and the quotas on it" if label.endswith("Service") else "")
    return strawberry.mutation(
        resolver=resolve,
        permission_classes=[IsWriter],
        description=f"Delete the {_words(label)}{cascade}; an SLA left covering no project and a location left with "
        "no region go too. One transaction. Writers only.",
    )


def _edge(edit: edits.EdgeEdit, *, add: bool) -> Any:
    async def resolve(info: strawberry.Info, from_id: strawberry.ID, to_id: strawberry.ID) -> bool:
        try:
            return await edits.edit_edge(
                federation(info).database, edit, str(from_id), str(to_id), add=add, actor=actor(info)
            )
        except edits.NodeNotFound as missing:
            raise user_error(ErrorCode.NOT_FOUND, missing.argument, "no such node") from None
        except edits.EditRefused as refused:
            raise user_error(ErrorCode.BAD_USER_INPUT, refused.argument, str(refused)) from None
        except neo4j.exceptions.ConstraintError:
            raise user_error(ErrorCode.CONFLICT, edit.target_argument, "would break a uniqueness rule") from None

    # The resolver's arguments take the federation's words (e.g. slaId, projectId).
    arguments = {"from_id": edit.source_argument, "to_id": edit.target_argument}
    field = strawberry.mutation(
        resolver=resolve,
        permission_classes=[IsWriter],
        description=("Record" if add else "Withdraw")
        + f" that {edit.meaning}; true when it changed something, false when it already was "
        + ("so." if add else "not so.")
        + " Writers only.",
    )
    for argument in field.arguments:
        argument.graphql_name = _camel(arguments[argument.python_name])
    return field


def _camel(name: str) -> str:
    return name[0].lower() + name[1:]


_FIELDS: dict[str, Any] = {}
for _label in edits.DELETABLE:
    _FIELDS[f"delete_{re.sub(r'(?<!^)(?=[A-Z])', '_', _label).lower().replace('s_l_a', 'sla')}"] = _delete(_label)
for _name, _edit in edits.EDGE_EDITS.items():
    _snake = re.sub(r"(?<!^)(?=[A-Z])", "_", _name).lower()
    _FIELDS[f"add_{_snake}"] = _edge(_edit, add=True)
    _FIELDS[f"remove_{_snake.replace('_to_', '_from_')}"] = _edge(_edit, add=False)

EditMutation = strawberry.type(type("EditMutation", (), dict(_FIELDS)))
