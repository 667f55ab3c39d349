"""The Node interface every federation type implements, and building types from stored rows."""

from __future__ import annotations

import dataclasses
import datetime as dt
from enum import Enum
from typing import TYPE_CHECKING, Any, Self, cast

import strawberry

from resolvers.projection import selected_names

if TYPE_CHECKING:
    from resolvers.context import RequestContext
    from resolvers.db import Record


def federation(info: strawberry.Info) -> RequestContext:
    """The request's resolver context (loaders, batcher, caller scope)."""
    ctx = cast("RequestContext", info.context.federation)
    if ctx.properties is None:  # the first resolver of the request: what will its walks need to read?
        ctx.select(selected_names(info.operation, info._raw_info.fragments))
    return ctx


def actor(info: strawberry.Info) -> str:
    """Who is writing, as nodes record it: subject@issuer of the caller's token."""
    scope = federation(info).scope
    return f"{scope.subject}@{scope.token_issuer}"


def _stored_name(python_name: str) -> str:
    if python_name == "id":
        return "uid"
    head, *rest = python_name.split("_")
    return head + "".join(part.title() for part in rest)


@strawberry.interface(description="Any record of the federation; `id` is its stable UUID.")
class Node:
    id: strawberry.ID
    description: str = ""
    updated_at: dt.datetime | None = strawberry.field(
        default=None, description="When its source last confirmed it (set by the feeder)."
    )
    added_by: str | None = strawberry.field(default=None, description="Who created it: subject@issuer.")
    added_at: dt.datetime | None = None
    changed_by: str | None = strawberry.field(default=None, description="Who last changed it: subject@issuer.")
    changed_at: dt.datetime | None = None

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


# Per type: its stored fields by stored name -> (python name, enum to convert to); its required fields.
_RowPlan = tuple[dict[str, tuple[str, type[Enum] | None]], tuple[str, ...]]
_ROW_PLANS: dict[type, _RowPlan] = {}


def _row_plan(cls: type) -> _RowPlan:
    """Per type, once: how a stored row's properties become its fields (by the row's few keys, not its
    type's many fields: a matchmaking answer builds a few hundred objects)."""
    plan = _ROW_PLANS.get(cls)
    if plan is None:
        stored = [f for f in cls.__strawberry_definition__.fields if f.base_resolver is None]  # type: ignore[attr-defined]
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


def rows_to(cls: type[Node], rows: list[Record]) -> list[Any]:
    return [cls.from_row(r) for r in rows]
