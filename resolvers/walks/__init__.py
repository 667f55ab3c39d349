"""Walks of the federation graph from keyed nodes to their neighbours, batched per request wave.

A walk along one edge of `resolvers/kinds.py` is derived from the table (`edge_walk`); walks with more
to them live in the module named after the schema module they serve (`walks/provider.py` for
`schema/provider.py`, …) or, for what a project may use, in `resolvers/may_use.py`.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from aiodataloader import DataLoader

from resolvers import projection
from resolvers.db import BRANCH_PARAMETER, Record, freeze
from resolvers.errors import ListTooLong
from resolvers.filters import compile_where
from resolvers.kinds import KINDS, edge_between
from resolvers.visibility import Scope

if TYPE_CHECKING:
    from resolvers.db import StatementBatcher

# The most rows a walk returns per key (a service's images, a group's SLAs): a bound the query cost
# can count on. One more is read, so that a longer list is refused rather than cut short unseen.
NESTED_LIST_MAX = 1000


@dataclass(frozen=True)
class Walk:
    """From the node(s) a key names to the nodes `n` labelled `target`.

    `match` starts after `UNWIND p.keys AS key` and binds `n`, and the variables in `carry` that
    `row` reads besides it; `row` is the map returned per neighbour, ordered by `order` (default: the
    target kind's), then uid. `result` names the type a row builds (default: the target's);
    `filters` are the predicates its filter may use (default: the target kind's), and `visible_as`
    the variable whose visibility decides a row's (default: `n`, as its target).

    `visible_by_key` (label, variable) says instead that `match` itself keeps only the keys whose node the
    caller may see, and that every row reached from such a node is visible too — the reason is stated
    where such a walk is defined, and `tests/access/test_visibility_by_key.py` checks it. Neo4j then
    evaluates the caller's visibility once per key, not once per row (each row's visibility subquery
    was a tenth of egi matchmaking's statement time).
    """

    name: str
    match: str
    target: str
    row: str = "n {.*}"
    order: str | None = None
    carry: tuple[str, ...] = ()
    distinct: bool = False
    # Labels of the variables `row` projects besides `n` (which is `target`), e.g. {"prov": "Provider"}.
    labels: tuple[tuple[str, str], ...] = ()
    result: str | None = None
    filters: tuple[tuple[str, str], ...] | None = None
    visible_as: tuple[str, str] | None = None  # (label, variable)
    visible_by_key: tuple[str, str] | None = None  # (label, variable)
    # A walk along one edge from its key node (`edge_walk`): (the key node's label, the edge's type).
    edge: tuple[str, str] | None = None
    # (project, service): the variables its match binds `held` for (`may_use.held_quota`). A service walk
    # binds it per row (service `n`), for the walks nested in its rows; a walk from a (project, service)
    # key reads the one its parent carries, when nested under such a row (`resolvers/walks/nested.py`).
    held: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        if self.visible_by_key is not None and Scope.predicate(*self.visible_by_key) not in self.match:
            raise ValueError(f"{self.name}: visible by key {self.visible_by_key}, but its match does not check it")

    @property
    def builds(self) -> str:
        """The name of the type each row builds (bound to a GraphQL type in `schema/`)."""
        return self.result or self.target

    @property
    def predicates(self) -> Mapping[str, str]:
        return dict(self.filters) if self.filters is not None else KINDS[self.target].filters

    def rows_may_hold_dates(self, properties: tuple[str, ...] | None) -> bool:
        """Whether its rows, narrowed to `properties` (None: every one), may hold a date or a time: False
        only for rows of the target alone whose every property is one its kind never stores a date in."""
        kind = KINDS.get(self.target)
        if kind is None or properties is None or not self.rows_are_targets:
            return True
        return not kind.never_temporal.issuperset(kind.stored.intersection(properties))  # as the row projects them

    @property
    def rows_are_targets(self) -> bool:
        """Whether each row is the target node's own map (`n {.*}`), nothing carried beside it."""
        return self.row == "n {.*}" and not self.carry and not self.labels

    def clauses(
        self, where_clause: str, properties: tuple[str, ...] | None, *, visible_from_key: bool = False
    ) -> WalkClauses:
        """What its Cypher says after `match`: the row (narrowed to `properties`), the condition on
        each row (the filter, and the caller's visibility: not each row's when `visible_from_key`, where
        the key node is one the caller may see and `visible_through` its edge), the order."""
        return _walk_clauses(self, where_clause, properties, visible_from_key)

    def cypher(self, where_clause: str, properties: tuple[str, ...] | None = None, children: str = "") -> str:
        """The walk's Cypher; `properties` narrows the nodes' maps in `row` (None: every property);
        `children`: entries added to each row's map (reads nested under it, `resolvers/walks/nested.py`)."""
        return _walk_cypher(self, where_clause, properties, children)


# Where a walk's match tests its filter itself: after each `MATCH` of a `UNION` that binds `n`, as
# `WHERE {FILTERED}`. Neo4j does not carry a predicate written after a `CALL` into its branches: each
# branch would produce, and the union deduplicate, every resource before the filter dropped most of
# them (egi matchmaking's GPU flavors and CUDA images: ~0.12 ms of its statement's time).
FILTERED = "/*filter*/true"


def filtered_match(walk: Walk, where_clause: str) -> str:
    """The walk's match, its filter put where it says (`FILTERED`)."""
    return walk.match.replace(FILTERED, where_clause)  # the whole of its WHERE: no parentheses needed


@dataclass(frozen=True)
class WalkClauses:
    keep: str  # "DISTINCT " or ""
    row: str
    condition: str
    order: str


@lru_cache(maxsize=1024)
def _walk_clauses(
    walk: Walk, where_clause: str, properties: tuple[str, ...] | None, visible_from_key: bool = False
) -> WalkClauses:
    # (`projection.project`: this package has a module `project`, named after schema/project.py)
    row = projection.project(walk.row, properties, {"n": walk.target, **dict(walk.labels)})
    label, var = walk.visible_as or (walk.target, "n")
    visible = "p.scope.read" if walk.visible_by_key or visible_from_key else Scope.predicate(label, var)
    order = walk.order or KINDS[walk.target].order
    condition = visible if FILTERED in walk.match else f"{where_clause} AND {visible}"  # else: in its match
    return WalkClauses("DISTINCT " if walk.distinct else "", row, condition, order)


def with_entries(row: str, entries: str) -> str:
    """A row's map (`n {...}`, or a map literal) with `entries` (", name: value, ...") added at its end."""
    body = row.rstrip()[:-1].rstrip()
    return body + (entries.removeprefix(", ") if body.endswith("{") else entries) + "}"


@lru_cache(maxsize=1024)
def _walk_cypher(walk: Walk, where_clause: str, properties: tuple[str, ...] | None, children: str) -> str:
    # Made once per (walk, filter shape, selection): every request of a kind sends the same text.
    clauses = walk.clauses(where_clause, properties)
    carried = "".join(", " + v for v in walk.carry)
    ordered = f"WITH key, {clauses.row} AS row ORDER BY {clauses.order}, n.uid\n"
    if children:
        # A projection holding a subquery counts as aggregating: ORDER BY after it could not read `n`.
        # Under CASE, Neo4j evaluates the row's subqueries per row as nested plans; bare, its planner
        # rolls each into the statement's plan (RollUpApply): ~0.4 ms more for egi matchmaking's.
        ordered = (
            f"WITH p, key, n{carried} ORDER BY {clauses.order}, n.uid\n"
            f"WITH key, CASE WHEN n IS NULL THEN null ELSE {with_entries(clauses.row, children)} END AS row\n"
        )
    return (
        "UNWIND p.keys AS key\n"
        f"{filtered_match(walk, where_clause)}\n"
        f"WITH {clauses.keep}p, key, n{carried}\n"
        f"WHERE {clauses.condition}\n"
        f"{ordered}"
        f"WITH key, collect(row)[..{BRANCH_PARAMETER}.rowLimit] AS rows, null AS total"
    )


@cache
def edge_walk(source: str, target: str) -> Walk:
    """From a `source` node, by its uid, along the one edge type between the two labels, to `target`s."""
    try:
        edge = edge_between(source, target)
    except LookupError:
        edge = edge_between(target, source)
        match = f"MATCH (:{source} {{uid: key}})<-[:{edge.type}]-(n:{target})"
        return Walk(f"{target}By{source}", match, target)
    match = f"MATCH (:{source} {{uid: key}})-[:{edge.type}]->(n:{target})"
    return Walk(f"{target}By{source}", match, target, edge=(source, edge.type))


@cache
def by_id(label: str) -> Walk:
    """The node labelled `label` with the key as uid (labels come from the kinds table only)."""
    return Walk(f"{label}ById", f"MATCH (n:{KINDS[label].key_label} {{uid: key}})", label, order="n.uid")


class WalkLoader(DataLoader[Hashable, list[Record]]):
    """Loads one walk with one filter for many keys: one UNWIND batch per wave of the request."""

    def __init__(
        self,
        walk: Walk,
        where: Mapping[str, Any] | None,
        *,
        batcher: StatementBatcher,
        params: Mapping[str, Any],
        properties: tuple[str, ...] | None = None,
    ) -> None:
        super().__init__()
        where_clause, values = compile_where(walk.predicates, where)
        self.cypher = walk.cypher(where_clause, properties)
        self.params = {**params, "f": values, "rowLimit": NESTED_LIST_MAX + 1}
        self.batcher = batcher
        self.walk_name = walk.name

    async def batch_load_fn(self, keys: Sequence[Hashable]) -> list[list[Record] | ListTooLong]:  # type: ignore[override]
        plain_keys = [dict(k) if isinstance(k, tuple) else k for k in keys]
        found = await self.batcher.submit(self.cypher, {**self.params, "keys": plain_keys})
        return [self.answer(found.get(freeze(k), ([], None))[0]) for k in plain_keys]

    def answer(self, rows: list[Record]) -> list[Record] | ListTooLong:
        """What a key loads, given the rows read for it (at most NESTED_LIST_MAX + 1)."""
        if len(rows) <= NESTED_LIST_MAX:
            return rows
        # aiodataloader fails the load of a key whose value is an exception, and only that load.
        too_long = f"{self.walk_name}: more than {NESTED_LIST_MAX} items for one parent; narrow it with `where`"
        return ListTooLong("where", too_long)

    def prime_rows(self, key: Hashable, rows: list[Record]) -> None:
        """Hand the rows a compiled statement read for `key` to the resolvers that will load it."""
        self.prime(key, self.answer(rows))  # type: ignore[arg-type]  # an error fails that load only
