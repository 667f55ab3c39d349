"""create<Type> and update<Type> for every node type, with inputs made from the validation models."""

# No `from __future__ import annotations`: the inputs and mutations are made by factories, and
# Strawberry must see their types as objects.

import types
import typing
from typing import Any, Literal

import neo4j
import strawberry
from graphql import GraphQLError
from pydantic.alias_generators import to_camel

from resolvers import node_writes
from resolvers.edits import NodeNotFound
from schema.bundle import conflict
from schema.errors import ErrorCode, user_error
from schema.flavor import Flavor
from schema.identity import IdentityProvider, UserGroup
from schema.image import Image
from schema.network import Network
from schema.node import actor, federation
from schema.permissions import IsWriter
from schema.project import Project
from schema.provider import Location, Provider, Region
from schema.quota import QUOTA_TYPES
from schema.service import SERVICE_TYPES, VolumeType
from schema.sla import SLA

TYPES: dict[str, Any] = {
    "Provider": Provider, "Region": Region, "Location": Location, "IdentityProvider": IdentityProvider,
    "UserGroup": UserGroup, "SLA": SLA, "Project": Project, "Flavor": Flavor, "Image": Image,
    "Network": Network, "VolumeType": VolumeType, **SERVICE_TYPES,
    **{t.__name__: t for t in QUOTA_TYPES.values()},
}  # fmt: skip


def _graphql_type(annotation: Any) -> Any:
    """The input type of a model field: Literals become strings (the model still checks the value)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _graphql_type(inner[0])
    if origin is Literal:
        return str
    if origin is list:
        return list[_graphql_type(typing.get_args(annotation)[0])]  # type: ignore[misc]
    return annotation


def _input(label: str, *, patch: bool) -> Any:
    kind = node_writes.KINDS[label]
    annotations: dict[str, Any] = {}
    defaults: dict[str, Any] = {}
    if not patch:
        for parent in kind.parents:
            annotations[_snake(parent.argument)] = strawberry.ID
    for name, f in kind.model.model_fields.items():
        if name in node_writes.NESTED or name in kind.fixed:
            continue
        python_type = _graphql_type(f.annotation)
        if patch or not f.is_required():
            annotations[name] = python_type | None
            defaults[name] = None
        else:
            annotations[name] = python_type
    ordered = dict(sorted(annotations.items(), key=lambda item: item[0] in defaults))
    cls = type(f"{label}{'Patch' if patch else 'Input'}", (), {"__annotations__": ordered, **defaults})
    return strawberry.input(cls, description=f"{'Changes to' if patch else 'A new'} {label}; see its type.")


def _values(data: Any) -> dict[str, Any]:
    """The set fields of an input, named as stored (camelCase) so they merge with stored properties."""
    return {to_camel(k): v for k, v in vars(data).items() if v is not None}


def _refusal(error: Exception, root: str) -> GraphQLError:
    if isinstance(error, node_writes.InvalidNode):
        problems = [{"field": f"{root}.{'.'.join(to_camel(p) for p in f.split('.'))}", "message": m}
                    for f, m in error.problems]  # fmt: skip
        message = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        return GraphQLError(message, extensions={"code": ErrorCode.BAD_USER_INPUT.value,
                                                 "field": problems[0]["field"], "problems": problems})  # fmt: skip
    if isinstance(error, NodeNotFound):
        field = "id" if error.argument == "id" else f"{root}.{error.argument}"
        return user_error(ErrorCode.NOT_FOUND, field, "no such node")
    assert isinstance(error, neo4j.exceptions.ConstraintError)
    return conflict(error)


_REFUSED = (node_writes.InvalidNode, NodeNotFound, neo4j.exceptions.ConstraintError)


def _create(label: str, input_type: Any) -> Any:
    node_type = TYPES[label]
    kind = node_writes.KINDS[label]

    async def resolve(info: strawberry.Info, input: input_type) -> node_type:  # type: ignore[valid-type]
        values = _values(input)
        parents = {p.argument: str(values.pop(p.argument)) for p in kind.parents}
        try:
            row = await node_writes.create_node(federation(info).database, label, parents, values, actor(info))
        except _REFUSED as error:
            raise _refusal(error, "input") from None
        return node_type.from_row(row)

    return strawberry.mutation(
        resolver=resolve,
        permission_classes=[IsWriter],
        description=f"Create a {label} under its parents (one transaction). Writers only.",
    )


def _update(label: str, patch_type: Any) -> Any:
    node_type = TYPES[label]

    async def resolve(info: strawberry.Info, id: strawberry.ID, input: patch_type) -> node_type:  # type: ignore[valid-type]
        try:
            row = await node_writes.update_node(federation(info).database, label, str(id), _values(input), actor(info))
        except _REFUSED as error:
            raise _refusal(error, "input") from None
        return node_type.from_row(row)

    return strawberry.mutation(
        resolver=resolve,
        permission_classes=[IsWriter],
        description=f"Change some properties of a {label}; the others stay. Writers only.",
    )


def _snake(camel: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in camel)


_FIELDS: dict[str, Any] = {}
for _label in node_writes.KINDS:
    _name = _snake(_label[0].lower() + _label[1:]).replace("s_l_a", "sla")
    _FIELDS[f"create_{_name}"] = _create(_label, _input(_label, patch=False))
    _FIELDS[f"update_{_name}"] = _update(_label, _input(_label, patch=True))

NodeMutation = strawberry.type(type("NodeMutation", (), dict(_FIELDS)))
