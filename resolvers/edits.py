"""Single-node deletes (with the bundle's cascade rules) and edge edits, each in one write transaction."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from resolvers.db import Database, Transaction, run_in
from resolvers.errors import EditRefused, NodeNotFound
from resolvers.kinds import KINDS, check_labels, primary_label

# The kinds delete<Type> takes (with the cascade of their kind: the same as a bundle that stops listing them).
DELETABLE = tuple(label for label, kind in KINDS.items() if kind.deletable)


async def delete_node(database: Database, label: str, uid: str, actor: str) -> Counter[str]:
    """Delete the node and what hangs off it; an SLA left covering no project and a location left with
    no region go too. Returns how many nodes went, per type."""
    if label not in DELETABLE:
        raise ValueError(f"{label} cannot be deleted")
    kind = KINDS[label]
    check_labels((label,))
    # Aggregating inside the subquery keeps the row when nothing hangs off the node.
    collect = (
        f"CALL (root) {{ CALL (root) {{ {kind.cascade.cypher} }} RETURN collect(DISTINCT d) AS ds }}"
        if kind.cascade
        else "WITH root, [] AS ds"
    )
    cypher = f"""
MATCH (root:{label} {{uid: $uid}})
{collect}
UNWIND [root] + ds AS n
OPTIONAL MATCH (n)<-[:COVERS]-(sla:SLA)
OPTIONAL MATCH (n)-[:LOCATED_AT]->(loc:Location)
WITH collect(DISTINCT n) AS doomed, collect(DISTINCT sla) AS slas, collect(DISTINCT loc) AS locations
CALL (doomed) {{
  UNWIND doomed AS n WITH n, labels(n) AS labels DETACH DELETE n RETURN collect(labels) AS nodes_gone
}}
CALL (slas) {{
  UNWIND slas AS s WITH s WHERE NOT (s)-[:COVERS]->() WITH s, labels(s) AS labels DETACH DELETE s
  RETURN collect(labels) AS slas_gone
}}
CALL (locations) {{
  UNWIND locations AS l WITH l WHERE NOT (l)<-[:LOCATED_AT]-() WITH l, labels(l) AS labels DETACH DELETE l
  RETURN collect(labels) AS locations_gone
}}
RETURN size(doomed) AS matched, nodes_gone + slas_gone + locations_gone AS gone
"""

    async def work(tx: Transaction) -> Counter[str]:
        rows = await run_in(tx, cypher, {"uid": uid})
        if not rows or rows[0]["matched"] == 0:  # no such node (the aggregation still yields a row)
            raise NodeNotFound("id", f"no {kind.words} with this id")
        return Counter(primary_label(labels) for labels in rows[0]["gone"])

    return await database.transaction(work, op=f"delete {label}", by=actor)


@dataclass(frozen=True)
class EdgeEdit:
    """An edge a writer may add or remove by hand, with the rule that keeps the model whole."""

    type: str
    source: str  # label
    target: str
    source_argument: str
    target_argument: str
    meaning: str  # what the edge says, in the federation's words
    rule: str = "true"  # Cypher over (a, b) that must hold to add the edge
    rule_message: str = ""


EDGE_EDITS: dict[str, EdgeEdit] = {
    "ProjectToSLA": EdgeEdit("COVERS", "SLA", "Project", "slaId", "projectId", "the SLA covers the project"),
    "PrivateFlavorToProject": EdgeEdit(
        "CAN_USE", "Project", "Flavor", "projectId", "flavorId", "the project may use the private flavor",
        "NOT b.isShared AND EXISTS { (a)<-[:HOSTS]-(:Provider)-[:DIVIDED_INTO]->()-[:SUPPLIES]->()-[:OFFERS]->(b) }",
        "must be a private flavor of the project's provider",
    ),
    "PrivateImageToProject": EdgeEdit(
        "CAN_USE", "Project", "Image", "projectId", "imageId", "the project may use the private image",
        "NOT b.isShared AND EXISTS { (a)<-[:HOSTS]-(:Provider)-[:DIVIDED_INTO]->()-[:SUPPLIES]->()-[:OFFERS]->(b) }",
        "must be a private image of the project's provider",
    ),
    "PrivateNetworkToProject": EdgeEdit(
        "CAN_USE", "Project", "Network", "projectId", "networkId", "the project may use the private network",
        "NOT b.isShared AND EXISTS { (a)<-[:HOSTS]-(:Provider)-[:DIVIDED_INTO]->()-[:SUPPLIES]->()-[:OFFERS]->(b) }",
        "must be a private network of the project's provider",
    ),
    "ImageToComputeService": EdgeEdit(
        "OFFERS", "ComputeService", "Image", "computeServiceId", "imageId",
        "the compute service offers the image (one its provider already offers elsewhere)",
        "EXISTS { (a)<-[:SUPPLIES]-(:Region)<-[:DIVIDED_INTO]-(p:Provider)"
        "-[:DIVIDED_INTO]->(:Region)-[:SUPPLIES]->(:ComputeService)-[:OFFERS]->(b) }",
        "must be an image already offered at the same provider",
    ),
}  # fmt: skip


async def edit_edge(
    database: Database, edit: EdgeEdit, source_uid: str, target_uid: str, *, add: bool, actor: str
) -> bool:
    """Add or remove one edge; True when something changed (False: it already was / was not there)."""
    verb = (
        f"WITH a, b, {edit.rule} AS allowed, EXISTS {{ (a)-[:{edit.type}]->(b) }} AS present "
        f"FOREACH (_ IN CASE WHEN allowed AND NOT present THEN [1] ELSE [] END | "
        f"CREATE (a)-[:{edit.type}]->(b) SET a.changedBy = $actor, a.changedAt = $now) "
        "RETURN allowed, NOT present AS changed"
        if add
        else f"OPTIONAL MATCH (a)-[r:{edit.type}]->(b) WITH a, r, r IS NOT NULL AS present DELETE r "
        "FOREACH (_ IN CASE WHEN present THEN [1] ELSE [] END | SET a.changedBy = $actor, a.changedAt = $now) "
        "RETURN true AS allowed, present AS changed"
    )
    cypher = (
        f"OPTIONAL MATCH (a:{edit.source} {{uid: $source}}) OPTIONAL MATCH (b:{edit.target} {{uid: $target}}) "
        "WITH a, b, a IS NULL AS no_source, b IS NULL AS no_target "
        f"CALL (a, b, no_source, no_target) {{ WITH a, b WHERE NOT no_source AND NOT no_target {verb} }} "
        "RETURN no_source, no_target, allowed, changed"
    )
    params = {"source": source_uid, "target": target_uid, "actor": actor, "now": dt.datetime.now(dt.UTC)}

    async def work(tx: Transaction) -> dict[str, Any] | None:
        rows = await run_in(tx, cypher, params)
        return rows[0] if rows else None

    found = await database.transaction(work, op=f"{'add' if add else 'remove'} {edit.type}", by=actor)
    if found is None:  # one of the ends is missing: the subquery returned no row
        raise await _which_is_missing(database, edit, source_uid, target_uid)
    if not found["allowed"]:
        raise EditRefused(edit.target_argument, edit.rule_message)
    return bool(found["changed"])


async def _which_is_missing(database: Database, edit: EdgeEdit, source_uid: str, target_uid: str) -> NodeNotFound:
    rows = await database.read(
        f"OPTIONAL MATCH (a:{edit.source} {{uid: $source}}) OPTIONAL MATCH (b:{edit.target} {{uid: $target}}) "
        "RETURN a IS NOT NULL AS a, b IS NOT NULL AS b",
        {"source": source_uid, "target": target_uid},
    )
    return NodeNotFound(edit.source_argument if not rows[0]["a"] else edit.target_argument)
