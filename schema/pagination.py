"""Cursor connections for root lists: edges, page info and the total count of matching nodes."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import strawberry

from resolvers.catalogue import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from resolvers.kinds import KINDS
from schema.enums import SortDirection

if TYPE_CHECKING:
    from collections.abc import Callable

    from resolvers.catalogue import Page
    from resolvers.db import Record

NodeType = TypeVar("NodeType")


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[NodeType]):
    cursor: str
    node: NodeType


@strawberry.type(description=f"A page of at most {MAX_PAGE_SIZE} nodes (default {DEFAULT_PAGE_SIZE}).")
class Connection(Generic[NodeType]):
    total_count: int = strawberry.field(description="How many nodes match the filter, over all pages.")
    page_info: PageInfo
    edges: list[Edge[NodeType]]

    @strawberry.field(description="The page's nodes, without cursors.")
    def nodes(self) -> list[NodeType]:
        return [edge.node for edge in self.edges]


def connection_of(build: Callable[[Record], Any], page: Page) -> Connection[Any]:
    edges = [Edge(cursor=c, node=build(r)) for r, c in zip(page.rows, page.cursors, strict=True)]
    return Connection(
        total_count=page.total,
        page_info=PageInfo(has_next_page=page.has_next, end_cursor=page.cursors[-1] if page.cursors else None),
        edges=edges,
    )


def page_arguments(label: str, where: object, order_by: object, first: int, after: str | None) -> dict[str, Any]:
    """A root list's arguments as `catalogue.page` reads them (default sort: the kind's first sort key)."""
    from schema.filters import Filter  # schema.filters is imported by the schema modules this one serves

    return {
        "label": label,
        "where": where.where() if isinstance(where, Filter) else None,
        "sort": str(order_by.field.value) if isinstance(order_by, SortOrder) else next(iter(KINDS[label].sort_keys)),
        "descending": isinstance(order_by, SortOrder) and order_by.direction is SortDirection.DESC,
        "first": first,
        "after": after,
    }


def _camel_upper(snake: str) -> str:
    return snake.upper()


class SortOrder:
    """The base of every `<Type>Order` input (a plain class: Strawberry sees only each input's own fields)."""

    field: Enum
    direction: SortDirection


def sort_input(label: str, type_name: str) -> type[SortOrder]:
    """`<Type>Order { field, direction }` for a label, its fields taken from the sort keys it allows."""
    fields = Enum(f"{type_name}SortField", {_camel_upper(k): k for k in KINDS[label].sort_keys})  # type: ignore[misc]
    sort_field = strawberry.enum(fields)
    first = next(iter(fields))

    order = type(
        f"{type_name}Order",
        (SortOrder,),
        {
            "__annotations__": {"field": sort_field, "direction": SortDirection},
            "field": first,
            "direction": SortDirection.ASC,
        },
    )
    return strawberry.input(order)  # the same class, now a Strawberry input
