"""create<Type> and update<Type> for every node type, with inputs made from the validation models."""

# No `from __future__ import annotations`: the inputs and mutations are made by factories, and
# Strawberry must see their types as objects.

import types
import typing
from collections.abc import Iterator
from enum import Enum
from typing import Annotated, Any, Literal

import strawberry
from pydantic.alias_generators import to_camel
from strawberry.types.base import StrawberryOptional, get_object_definition
from strawberry.types.enum import StrawberryEnumDefinition

from resolvers import node_writes
from resolvers.federation_file import QUOTA_FIGURES, QUOTA_SCOPES
from resolvers.kinds import KINDS, NodeKind
from schema import domains  # noqa: F401 - binds every type to its kind
from schema.node import BOUND, Info, request_context
from schema.permissions import IsWriter
from schema.quota import BigInt


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


def _as_output(label: str, name: str, annotation: Any) -> Any:
    """The input type of a field the output type answers as an enum or a BigInt: the same (a client sends
    `OPENSTACK` and a 10 TiB byte count as it reads them); otherwise the model field's."""
    answered = {f.python_name: f.type for f in get_object_definition(BOUND[label][0], strict=True).fields}
    output = answered.get(name)
    if isinstance(output, StrawberryOptional):
        output = output.of_type
    if isinstance(output, StrawberryEnumDefinition):
        values = {value.value for value in output.values}
        allowed = set(typing.get_args(_literal(annotation)))
        if not allowed <= values:  # the model would accept what the enum cannot say
            raise TypeError(f"{label}.{name}: the model allows {sorted(allowed - values)}, the enum does not")
        return output.wrapped_cls
    if output is BigInt:
        return BigInt
    return _graphql_type(annotation)


def _literal(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return next(_literal(a) for a in typing.get_args(annotation) if a is not type(None))
    return annotation


def _input_fields(kind: NodeKind) -> Iterator[tuple[str, Any]]:
    """The model fields an input of the kind takes: not those that are other nodes or edges, nor those the
    kind decides, nor, for a quota, the figures and scopes of other kinds of quota."""
    others = {
        f
        for table in (QUOTA_FIGURES, QUOTA_SCOPES)
        for service, fields in table.items()
        if service != kind.file_kind
        for f in fields
    }
    for name, f in kind.model.model_fields.items():
        if name in node_writes.NESTED or name in kind.fixed or (kind.family == "Quota" and name in others):
            continue
        yield name, f


def _input(label: str, *, patch: bool) -> Any:
    kind = node_writes.WRITABLE[label]
    annotations: dict[str, Any] = {}
    defaults: dict[str, Any] = {}
    if not patch:
        for parent in kind.parents:
            annotations[_snake(parent.argument)] = strawberry.ID
            defaults[_snake(parent.argument)] = strawberry.field(
                description=f"The id of its {KINDS[parent.label].words}."
            )
    for name, f in _input_fields(kind):
        python_type = _as_output(label, name, f.annotation)
        if patch or not f.is_required():
            annotations[name] = python_type | None
            defaults[name] = strawberry.field(default=None, description=f.description)
        else:
            annotations[name] = python_type
            defaults[name] = strawberry.field(description=f.description)
    optional = {name for name, value in defaults.items() if value.default is None}
    ordered = dict(sorted(annotations.items(), key=lambda item: item[0] in optional))
    cls = type(f"{label}{'Patch' if patch else 'Input'}", (), {"__annotations__": ordered, **defaults})
    words = KINDS[label].words
    return strawberry.input(
        cls,
        description=f"The properties of a new {words} (as its type answers them); omitted ones take their defaults."
        if not patch
        else f"Changes to the {words}: the properties given replace the stored ones; omitted (or null) ones stay.",
    )


def _values(data: Any) -> dict[str, Any]:
    """The set fields of an input, named and valued as stored (camelCase, enums by their stored value) so
    they merge with stored properties and the model checks them as it checks the federation file."""
    return {to_camel(k): v.value if isinstance(v, Enum) else v for k, v in vars(data).items() if v is not None}


def _create(label: str, input_type: Any) -> Any:
    node_type = BOUND[label][0]
    kind = node_writes.WRITABLE[label]

    async def resolve(
        info: Info,
        input: Annotated[input_type, strawberry.argument(description="Its parents' ids and its properties.")],  # type: ignore[valid-type]
    ) -> node_type:  # type: ignore[valid-type]
        values = _values(input)
        parents = {p.argument: str(values.pop(p.argument)) for p in kind.parents}
        ctx = request_context(info)
        return node_type.from_row(await node_writes.create_node(ctx.database, label, parents, values, ctx.actor))

    return strawberry.mutation(
        resolver=resolve,
        name=f"create{label}",
        permission_classes=[IsWriter],
        description=f"Create a {label} under its parents (one transaction). Writers only.",
    )


def _update(label: str, patch_type: Any) -> Any:
    node_type = BOUND[label][0]

    async def resolve(
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description=f"The id of the {KINDS[label].words} to change.")],
        input: Annotated[patch_type, strawberry.argument(description="The properties to change.")],  # type: ignore[valid-type]
    ) -> node_type:  # type: ignore[valid-type]
        ctx = request_context(info)
        return node_type.from_row(
            await node_writes.update_node(ctx.database, label, str(id), _values(input), ctx.actor)
        )

    return strawberry.mutation(
        resolver=resolve,
        name=f"update{label}",
        permission_classes=[IsWriter],
        description=f"Change some properties of a {label}; the others stay. Writers only.",
    )


def _snake(camel: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in camel)


# Fields are named as the SDL spells them (`createSLA`), not through snake case, which would split `SLA`.
_FIELDS: dict[str, Any] = {}
for _label in node_writes.WRITABLE:
    _FIELDS[f"create_{_label}"] = _create(_label, _input(_label, patch=False))
    _FIELDS[f"update_{_label}"] = _update(_label, _input(_label, patch=True))

NodeMutation = strawberry.type(type("NodeMutation", (), dict(_FIELDS)))
