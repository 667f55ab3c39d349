"""Root lists of any node label: filters, one sort key, keyset cursors and a total count."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from resolvers.constraints import constraint_statements
from resolvers.db import BRANCH_PARAMETER, Record, freeze
from resolvers.errors import PageError
from resolvers.filters import compile_where
from resolvers.kinds import KINDS
from resolvers.projection import project
from resolvers.visibility import Scope

if TYPE_CHECKING:
    from resolvers.db import StatementBatcher

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


def _single_property_indexes() -> frozenset[tuple[str, str]]:
    """(label, property) pairs with a range index of their own, read from the constraints file."""
    found = set()
    for statement in constraint_statements():
        match = re.search(r"FOR \(n:(\w+)\) (?:ON \(n\.(\w+)\)|REQUIRE n\.(\w+) IS UNIQUE)", statement)
        if match:
            found.add((match.group(1), match.group(2) or match.group(3)))
    return frozenset(found)


ORDERED_INDEXES = _single_property_indexes()
# Filters that find a few nodes by key: then seeking them beats walking the sort key's index in order.
LOOKUPS = frozenset({"ids", "uuid", "endpoint", "doc_uuid", "site"})


@dataclass(frozen=True)
class Page:
    rows: list[Record]
    cursors: list[str]
    total: int
    has_next: bool


def _encode(value: Any, uid: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([value, uid]).encode()).decode()


def _decode(cursor: str) -> tuple[Any, str]:
    try:
        value, uid = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError) as error:
        raise PageError("after", "not a cursor of this list") from error
    if not isinstance(uid, str):
        raise PageError("after", "not a cursor of this list")
    return value, uid


def _sort_value(row: Record, prop: str) -> Any:
    value = row.get(prop)
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


@dataclass(frozen=True)
class PageQuery:
    """One page's Cypher pieces and parameters: the loader path and the compiled statement build on them."""

    label: str
    prop: str
    first: int
    count: str  # matches (as `n`) every node the total counts
    match: str  # matches (as `n`) the nodes from the cursor on, in the sort key's index order when it can
    order: str  # the page's order
    params: dict[str, Any]  # read as `p.f`, `p.after`, and the branch parameter's `limit`

    def properties(self, properties: tuple[str, ...] | None) -> tuple[str, ...] | None:
        """What each row projects: the query's properties and the sort key (the cursor needs it)."""
        return None if properties is None else tuple(sorted({*properties, self.prop}))

    def cypher(self, properties: tuple[str, ...] | None, *, with_total: bool) -> str:
        """The page's Cypher (reading `p.f`, `p.after` and the branch parameter), ending in
        `WITH null AS key, rows, total`; the total only when the query asks for it (a second pass)."""
        count = "WITH p, null AS total\n"
        if with_total:
            count = f"CALL (p) {{\n  {self.count}\n  RETURN count(n) AS total\n}}\n"
        cypher = f"""{count}CALL (p) {{
  {self.match}
  WITH n ORDER BY {self.order}
  // A parameter, not `p.limit`: LIMIT cannot read variables, and with a limit the planner can stop early.
  LIMIT {BRANCH_PARAMETER}.limit
  RETURN collect(n {{.*}}) AS rows
}}
WITH null AS key, rows, total"""
        narrowed = self.properties(properties)
        return cypher if narrowed is None else project(cypher, narrowed, {"n": self.label})

    def page(self, rows: list[Record], total: int | None) -> Page:
        first = self.first
        return Page(
            rows=rows[:first],
            cursors=[_encode(_sort_value(r, self.prop), r["uid"]) for r in rows[:first]],
            total=int(total or 0),  # 0 when not counted: then the query does not read it
            has_next=len(rows) > first,
        )


def page_query(
    *, label: str, where: Mapping[str, Any] | None, sort: str, descending: bool, first: int, after: str | None
) -> PageQuery:
    """The page of `label` nodes the arguments ask for (PageError: arguments no page answers)."""
    if not 0 <= first <= MAX_PAGE_SIZE:
        raise PageError("first", f"must be between 0 and {MAX_PAGE_SIZE}")
    keys = KINDS[label].sort_keys
    if sort not in keys:
        raise PageError("orderBy", f"{label} lists cannot be sorted by {sort}")
    prop = keys[sort]
    where_clause, values = compile_where(KINDS[label].filters, where)
    visible = Scope.predicate(label, "n")
    cursor: dict[str, Any] = {}
    after_clause = "true"
    if after is not None:
        value, uid = _decode(after)
        # Dates travel in cursors as ISO text and are compared as dates again.
        convert = "date(p.after.value)" if prop in ("startDate", "endDate") else "p.after.value"
        op = "<" if descending else ">"
        after_clause = f"(n.{prop} {op} {convert} OR (n.{prop} = {convert} AND n.uid {op} p.after.uid))"
        cursor = {"value": value, "uid": uid}
    direction = "DESC" if descending else "ASC"
    # Walking the sort key's index in order lets the page stop after `first` matches, instead of
    # matching, then sorting, everything the filter lets through (the planner often picks the latter).
    # Every node carries its sort keys, so `IS NOT NULL` loses none.
    in_order = (label, prop) in ORDERED_INDEXES and not LOOKUPS & set(where or {})
    walk = f"USING INDEX n:{label}({prop}) WHERE n.{prop} IS NOT NULL AND" if in_order else "WHERE"
    return PageQuery(
        label=label,
        prop=prop,
        first=first,
        count=f"MATCH (n:{label}) WHERE {where_clause} AND {visible}",
        match=f"MATCH (n:{label}) {walk} {where_clause} AND {visible} AND {after_clause}",
        order=f"n.{prop} {direction}, n.uid {direction}",
        params={"f": values, "after": cursor, "limit": first + 1},
    )


async def page(
    batcher: StatementBatcher,
    *,
    label: str,
    where: Mapping[str, Any] | None,
    sort: str,
    descending: bool,
    first: int,
    after: str | None,
    params: Mapping[str, Any],
    properties: tuple[str, ...] | None = None,
    with_total: bool = True,
) -> Page:
    """One page of `label` nodes and the total that match, in one statement (a wave branch), unless the
    request's compiled statement has already read it."""
    query = page_query(label=label, where=where, sort=sort, descending=descending, first=first, after=after)
    answered = batcher.answers.get(page_answer_key(label, where, sort, descending, first, after, with_total))
    if isinstance(answered, Exception):  # the compiled statement could not be read (an outage)
        raise answered
    if answered is not None:
        return query.page(*answered)
    cypher = query.cypher(properties, with_total=with_total)
    found = await batcher.submit(cypher, {**params, **query.params})
    rows, total = found.get(None, ([], 0))
    return query.page(rows, total)


def page_answer_key(
    label: str, where: Mapping[str, Any] | None, sort: str, descending: bool, first: int, after: str | None,
    with_total: bool,
) -> Hashable:  # fmt: skip
    """What a page read ahead of the resolvers is kept under: every argument that shapes it."""
    return ("page", label, freeze(dict(where or {})), sort, descending, first, after, with_total)
