"""The Node interface every federation type implements, each type bound to its kind, and the request's context.

A Strawberry type is bound to the label of its kind (`resolvers/kinds.py`) with `@bind`; a walk
names the label its rows build (`Walk.builds`), so a field resolver is one call, `walk_nodes`, and
the types of the schema never import each other at runtime.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Hashable
from enum import Enum
from typing import TYPE_CHECKING, Any, Protocol, Self, TypeVar

import strawberry
from pydantic import BaseModel
from strawberry.types.base import get_object_definition

from resolvers.context import RequestContext
from resolvers.federation_file import DESCRIPTION
from resolvers.kinds import KINDS

if TYPE_CHECKING:
    from resolvers.db import Record
    from resolvers.walks import Walk
    from schema.filters import Filter

# The resolvers' Info: the context of every request is its RequestContext (built in registry/app.py).
Info = strawberry.Info[RequestContext, None]


def request_context(info: Info) -> RequestContext:
    """The request's resolver context (caller scope, loaders, batcher)."""
    return info.context


class RowBuilt(Protocol):
    """A type that builds itself from a stored row (a node type, a trust, a deployment target)."""

    @classmethod
    def from_row(cls, row: Record) -> Any: ...


T = TypeVar("T", bound=RowBuilt)
# Label (or row name, e.g. `Trust`) -> how a stored row becomes its GraphQL object.
BUILDERS: dict[str, Callable[[Record], Any]] = {}
# Label -> (its GraphQL type, the description of its root list; None: no root list).
BOUND: dict[str, tuple[type[Any], str | None]] = {}


def bind(label: str, *, listed: str | None = None) -> Callable[[type[T]], type[T]]:
    """Bind a Strawberry type to the label of its kind (or to the rows a walk returns, e.g. `Trust`).

    `listed` describes the root list of the label, when the kind has one."""

    def register(cls: type[T]) -> type[T]:
        BUILDERS[label] = cls.from_row
        BOUND[label] = (cls, listed)
        if label in KINDS:
            describe_from_model(cls, KINDS[label].model)
            definition = get_object_definition(cls, strict=True)
            # Who may see it, in the words of the kinds table (the rule the walks apply).
            seen_by = f"Who sees it: {KINDS[label].visibility.value}; administrators see everything."
            definition.description = f"{definition.description} {seen_by}" if definition.description else seen_by
        return cls

    return register


def describe_from_model(cls: type, model: type[BaseModel]) -> None:
    """A stored field the type does not describe itself says what the model's field says: one description
    per property, on the output and on the inputs made from the model (`schema/node_mutations.py`)."""
    described = {name: f.description for name, f in model.model_fields.items() if f.description}
    for f in get_object_definition(cls, strict=True).fields:
        if f.description is None and f.base_resolver is None and f.python_name in described:
            f.description = described[f.python_name]


def build(label: str, row: Record) -> Any:
    return BUILDERS[label](row)


async def walk_nodes(info: Info, walk: Walk, key: Hashable, where: Filter | None = None) -> list[Any]:
    """The objects a walk reaches from `key` (one batched statement per wave of the request)."""
    rows = await info.context.walk(walk, key, where.where() if where is not None else None)
    make = BUILDERS[walk.builds]
    return [make(r) for r in rows]


async def walk_node(info: Info, walk: Walk, key: Hashable) -> Any:
    """The first object a walk reaches from `key`, or None."""
    row = await info.context.walk_one(walk, key)
    return BUILDERS[walk.builds](row) if row is not None else None


def _stored_name(python_name: str) -> str:
    if python_name == "id":
        return "uid"
    head, *rest = python_name.split("_")
    return head + "".join(part.title() for part in rest)


@strawberry.interface(description="Any record of the federation; `id` is its stable UUID.")
class Node:
    id: strawberry.ID = strawberry.field(
        description="Its id in the registry: stable across harvests, unique across every type (see `node(id:)`)."
    )
    description: str = strawberry.field(default="", description=DESCRIPTION)
    stale: bool = strawberry.field(
        default=False,
        description="Its source could not be read at the last harvest: this is the data last confirmed "
        "(at `updatedAt`), kept rather than dropped.",
    )
    updated_at: dt.datetime | None = strawberry.field(
        default=None, description="When its source last confirmed it (set by the feeder)."
    )
    added_by: str | None = strawberry.field(default=None, description="Who created it: subject@issuer.")
    added_at: dt.datetime | None = strawberry.field(default=None, description="When it was created.")
    changed_by: str | None = strawberry.field(default=None, description="Who last changed it: subject@issuer.")
    changed_at: dt.datetime | None = strawberry.field(default=None, description="When it last changed.")

    @classmethod
    def from_row(cls, row: Record) -> Self:
        """Build the type from a node's stored properties (camelCase, as the feeder writes them).

        Walks return only the properties the query names, so a required field the query does not
        select may be absent: it is set to None, and never read.
        """
        fields, required = _row_plan(cls)
        values: dict[str, Any] = dict.fromkeys(required)
        for stored, value in row.items():
            target = fields.get(stored)
            if target is not None and value is not None:
                python_name, enum = target
                values[python_name] = enum(value) if enum is not None else value
        return cls(**values)


# How `Node.from_row` makes one field: (its stored name, the enum it converts to, its value when absent).
RowField = tuple[str, "type[Enum] | None", Any]


def row_fields(cls: type) -> tuple[dict[str, RowField], tuple[tuple[str, type[Enum]], ...]] | None:
    """How `Node.from_row` makes each stored field of `cls` (by python name) from a row, and the enum
    conversions it makes of whatever the row holds, so that an answer can read them off the row without
    building the object; None unless `Node.from_row` itself builds `cls` (no override, no `__post_init__`)."""
    built_by = getattr(getattr(cls, "from_row", None), "__func__", None)
    if built_by is not getattr(Node.from_row, "__func__", None) or hasattr(cls, "__post_init__"):
        return None
    by_stored, _ = _row_plan(cls)
    defaults = {f.python_name: f for f in get_object_definition(cls, strict=True).fields if f.base_resolver is None}
    fields: dict[str, RowField] = {}
    for stored, (python_name, enum) in by_stored.items():
        f = defaults[python_name]
        absent: Any = None  # a required field the row lacks is None (`from_row`), as is a field without default
        if f.default is not dataclasses.MISSING:
            absent = f.default
        elif f.default_factory is not dataclasses.MISSING:
            absent = f.default_factory()
        fields[python_name] = (stored, enum, absent)
    enums = tuple((stored, enum) for stored, (_, enum) in by_stored.items() if enum is not None)
    return fields, enums


# Per type: its stored fields by stored name -> (python name, enum to convert to); its required fields.
_RowPlan = tuple[dict[str, tuple[str, type[Enum] | None]], tuple[str, ...]]
_ROW_PLANS: dict[type, _RowPlan] = {}


def _row_plan(cls: type) -> _RowPlan:
    """Per type, once: how a stored row's properties become its fields (by the row's few keys, not its
    type's many fields: a matchmaking answer builds a few hundred objects)."""
    plan = _ROW_PLANS.get(cls)
    if plan is None:
        stored = [f for f in get_object_definition(cls, strict=True).fields if f.base_resolver is None]
        plan = (
            {_stored_name(f.python_name): (f.python_name, _enum_of(f)) for f in stored},
            tuple(f.python_name for f in stored if _required(f)),
        )
        _ROW_PLANS[cls] = plan
    return plan


def _required(f: Any) -> bool:
    return bool(f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)


def _enum_of(f: Any) -> type[Enum] | None:
    annotation = f.type_annotation.annotation if f.type_annotation else None
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return annotation
    resolved = getattr(f, "type", None)
    inner = getattr(resolved, "of_type", resolved)
    wrapped = getattr(inner, "wrapped_cls", None)
    if isinstance(wrapped, type) and issubclass(wrapped, Enum):
        return wrapped
    return None
