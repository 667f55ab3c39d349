"""create<Type> and update<Type> for every node type, with inputs made from the validation models."""

# No `from __future__ import annotations`: the inputs and mutations are made by factories, and
# Strawberry must see their types as objects.

import types
import typing
from typing import Any, Literal

import strawberry
from pydantic.alias_generators import to_camel

from resolvers import node_writes
from schema import domains  # noqa: F401 - binds every type to its kind
from schema.node import BOUND, Info, request_context
from schema.permissions import IsWriter


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
    kind = node_writes.WRITABLE[label]
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


def _create(label: str, input_type: Any) -> Any:
    node_type = BOUND[label][0]
    kind = node_writes.WRITABLE[label]

    async def resolve(info: Info, input: input_type) -> node_type:  # type: ignore[valid-type]
        values = _values(input)
        parents = {p.argument: str(values.pop(p.argument)) for p in kind.parents}
        ctx = request_context(info)
        return node_type.from_row(await node_writes.create_node(ctx.database, label, parents, values, ctx.actor))

    return strawberry.mutation(
        resolver=resolve,
        permission_classes=[IsWriter],
        description=f"Create a {label} under its parents (one transaction). Writers only.",
    )


def _update(label: str, patch_type: Any) -> Any:
    node_type = BOUND[label][0]

    async def resolve(info: Info, id: strawberry.ID, input: patch_type) -> node_type:  # type: ignore[valid-type]
        ctx = request_context(info)
        return node_type.from_row(
            await node_writes.update_node(ctx.database, label, str(id), _values(input), ctx.actor)
        )

    return strawberry.mutation(
        resolver=resolve,
        permission_classes=[IsWriter],
        description=f"Change some properties of a {label}; the others stay. Writers only.",
    )


def _snake(camel: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in camel)


_FIELDS: dict[str, Any] = {}
for _label in node_writes.WRITABLE:
    _name = _snake(_label[0].lower() + _label[1:]).replace("s_l_a", "sla")
    _FIELDS[f"create_{_name}"] = _create(_label, _input(_label, patch=False))
    _FIELDS[f"update_{_name}"] = _update(_label, _input(_label, patch=True))

NodeMutation = strawberry.type(type("NodeMutation", (), dict(_FIELDS)))
