"""Loads a synthetic federation into an EMPTY database, fast, as the same nodes and edges the feeder writes.

`registry load` reconciles the whole file in one transaction, which is right for a feeder (all or
nothing) but the stress scale (≈ 50,000 nodes) outgrows one transaction on a small heap. The
benchmark only needs the data, so it takes the feeder's own rows (`reconcile.creation_rows`: what a
reconcile against an empty store writes, same uids, labels, properties and attribution) and CREATEs
them in chunks, one transaction per chunk.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from registry.feeder import FEEDER
from resolvers.db import Database
from resolvers.federation_file import FederationFile
from resolvers.federation_graph import federation_graph
from resolvers.kinds import EDGE_TYPES, check_labels
from resolvers.reconcile import CONFIRMATION, creation_rows

CHUNK = 5000


async def wipe(database: Database) -> None:
    async with database.driver.session(database=database.name) as session:
        result = await session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
        await result.consume()


async def plan_afresh(database: Database) -> None:
    """Make Neo4j plan every statement again, for the data now loaded. Its plan cache outlives a scale's
    data, so a plan made for the previous scale's graph (index samples, counts) may be kept for the next:
    in a full run the peer's list took 12-15 s a request at stress after egi, 43 ms in a stress-only run."""
    async with database.driver.session(database=database.name) as session:
        for procedure in ("CALL db.resampleOutdatedIndexes()", "CALL db.clearQueryCaches()"):
            await (await session.run(procedure)).consume()


async def bulk_load(database: Database, federation: FederationFile) -> int:
    """Create every node and edge of `federation`; the database must hold no federation yet. Returns nodes."""
    graph = federation_graph(federation)
    now = dt.datetime.now(dt.UTC)
    nodes, edges, changes = creation_rows(graph, FEEDER, now)
    statements: list[tuple[str, dict[str, Any]]] = []
    for labels, rows in sorted(nodes.items()):
        check_labels(labels)
        label_text = "".join(f":{label}" for label in labels)
        for start in range(0, len(rows), CHUNK):
            create = f"UNWIND $rows AS row CREATE (n{label_text}) SET n = row.props, n.{CONFIRMATION} = $now"
            statements.append((create, {"rows": rows[start : start + CHUNK], "now": now}))
    for (type_, source, target), rows in sorted(edges.items()):
        check_labels((source, target))
        if type_ not in EDGE_TYPES:
            raise ValueError(f"unknown edge type {type_!r}")
        for start in range(0, len(rows), CHUNK):
            statements.append((f"UNWIND $rows AS row MATCH (a:{source} {{uid: row.source}}) "
                               f"MATCH (b:{target} {{uid: row.target}}) CREATE (a)-[r:{type_}]->(b) SET r = row.props",
                               {"rows": rows[start : start + CHUNK]}))  # fmt: skip
    for cypher, params in statements:
        await database.write([(cypher, params)])
    return sum(changes.created.values())
