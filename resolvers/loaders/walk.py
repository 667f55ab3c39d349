"""A walk of the federation graph from keyed nodes to their neighbours, batched per request wave."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from aiodataloader import DataLoader

from resolvers.db import BRANCH_PARAMETER, Record, freeze
from resolvers.filters import compile_where
from resolvers.projection import project

if TYPE_CHECKING:
    from resolvers.db import StatementBatcher
    from resolvers.visibility import Scope

# The most rows a walk returns per key (a service's images, a group's SLAs): a bound the query cost
# can count on. One more is read, so that a longer list is refused rather than cut short unseen.
NESTED_LIST_MAX = 1000


class ListTooLong(Exception):
    """A nested list holds more than NESTED_LIST_MAX rows for one parent; `where` can narrow it."""

    def __init__(self, walk: str) -> None:
        super().__init__(f"{walk}: more than {NESTED_LIST_MAX} items for one parent; narrow it with `where`")
        self.walk = walk


@dataclass(frozen=True)
class Walk:
    """From the node(s) a key names to the nodes `n` labelled `target`.

    `match` starts after `UNWIND p.keys AS key` and binds `n`, and the variables in `carry` that
    `row` reads besides it; `row` is the map returned per neighbour, ordered by `order`, then uid.
    """

    name: str
    match: str
    target: str
    row: str = "n {.*}"
    order: str = "n.name"
    carry: tuple[str, ...] = ()
    distinct: bool = False
    # Labels of the variables `row` projects besides `n` (which is `target`), e.g. {"prov": "Provider"}.
    labels: tuple[tuple[str, str], ...] = ()

    def cypher(self, where_clause: str, visible: str, properties: tuple[str, ...] | None = None) -> str:
        """The walk's Cypher; `properties` narrows the nodes' maps in `row` (None: every property)."""
        return _walk_cypher(self, where_clause, visible, properties)


@lru_cache(maxsize=1024)
def _walk_cypher(walk: Walk, where_clause: str, visible: str, properties: tuple[str, ...] | None) -> str:
    # Made once per (walk, filter shape, selection): every request of a kind sends the same text.
    keep = "DISTINCT " if walk.distinct else ""
    row = project(walk.row, properties, {"n": walk.target, **dict(walk.labels)})
    return (
        "UNWIND p.keys AS key\n"
        f"{walk.match}\n"
        f"WITH {keep}p, key, n{''.join(', ' + v for v in walk.carry)}\n"
        f"WHERE {where_clause} AND {visible}\n"
        f"WITH key, {row} AS row ORDER BY {walk.order}, n.uid\n"
        f"WITH key, collect(row)[..{BRANCH_PARAMETER}.rowLimit] AS rows, null AS total"
    )


class WalkLoader(DataLoader[Hashable, list[Record]]):
    """Loads one walk with one filter for many keys: one UNWIND batch per wave of the request."""

    def __init__(
        self,
        walk: Walk,
        where: Mapping[str, Any] | None,
        *,
        batcher: StatementBatcher,
        scope: Scope,
        params: Mapping[str, Any],
        properties: tuple[str, ...] | None = None,
    ) -> None:
        super().__init__()
        where_clause, values = compile_where(walk.target, where)
        self.cypher = walk.cypher(where_clause, scope.predicate(walk.target, "n"), properties)
        self.params = {**params, "f": values, "rowLimit": NESTED_LIST_MAX + 1}
        self.batcher = batcher
        self.walk_name = walk.name

    async def batch_load_fn(self, keys: Sequence[Hashable]) -> list[list[Record] | ListTooLong]:  # type: ignore[override]
        plain_keys = [dict(k) if isinstance(k, tuple) else k for k in keys]
        found = await self.batcher.submit(self.cypher, {**self.params, "keys": plain_keys})
        rows = [found.get(freeze(k), ([], None))[0] for k in plain_keys]
        # aiodataloader fails the load of a key whose value is an exception, and only that load.
        return [ListTooLong(self.walk_name) if len(r) > NESTED_LIST_MAX else r for r in rows]
