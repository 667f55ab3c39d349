"""Cursor connections for root lists: edges, page info and the total count of matching nodes."""

from __future__ import annotations

import re
from enum import Enum
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import strawberry

from resolvers.catalogue import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from resolvers.kinds import KINDS
from schema.enums import SortDirection, values_described

if TYPE_CHECKING:
    from collections.abc import Callable

    from resolvers.catalogue import Page
    from resolvers.db import Record

NodeType = TypeVar("NodeType")


@strawberry.type(description="Where a page ends, and whether more follow.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more nodes follow: ask again with `after: endCursor`.")
    end_cursor: str | None = strawberry.field(description="The cursor of the page's last node; null: an empty page.")


@strawberry.type(description="One node of a page, with its cursor.")
class Edge(Generic[NodeType]):
    cursor: str = strawberry.field(description="Opaque; pass it as `after` for the nodes that follow this one.")
    node: NodeType = strawberry.field(description="The node.")


@strawberry.type(description=f"A page of at most {MAX_PAGE_SIZE} nodes (default {DEFAULT_PAGE_SIZE}).")
class Connection(Generic[NodeType]):
    total_count: int = strawberry.field(description="How many nodes match the filter, over all pages.")
    page_info: PageInfo = strawberry.field(description="Where the page ends, and whether more follow.")
    edges: list[Edge[NodeType]] = strawberry.field(description="The page's nodes with their cursors, in order.")

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


class SortOrder:
    """The base of every `<Type>Order` input (a plain class: Strawberry sees only each input's own fields)."""

    field: Enum
    direction: SortDirection


def sort_input(label: str, type_name: str) -> type[SortOrder]:
    """`<Type>Order { field, direction }` for a label, its fields taken from the sort keys it allows."""
    keys = KINDS[label].sort_keys
    fields = Enum(f"{type_name}SortField", {k.upper(): k for k in keys})  # type: ignore[misc]
    sort_field = values_described(**{k.upper(): f"By {_words(p)}, then by id." for k, p in keys.items()})(
        strawberry.enum(fields, description=f"What {type_name} lists may be sorted by.")
    )
    first = next(iter(fields))

    order = type(
        f"{type_name}Order",
        (SortOrder,),
        {
            "__annotations__": {"field": sort_field, "direction": SortDirection},
            "field": strawberry.field(default=first, description=f"What to sort by (default {first.name})."),
            "direction": strawberry.field(default=SortDirection.ASC, description="Ascending (default) or descending."),
        },
    )
    return strawberry.input(order, description=f"The order of a {type_name} list.")  # the same class, now an input


def _words(stored: str) -> str:
    """A stored property in words: `startDate` -> `start date`."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", stored).lower()
