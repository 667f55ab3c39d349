"""Reconciling the stored graph to a provider bundle, in ONE write transaction.

The bundle is authoritative for everything its providers own: their regions, services, what the
services offer, their projects and quotas, and every edge touching those. What the bundle lists is
created or updated; what it no longer lists is removed (a region takes its services, a service what
it offers and the quotas on it, a project its quotas); an SLA left covering no project and a location
left with no region go too. Identity providers and user groups are shared between providers and are
only created or updated here. Sending the same bundle twice changes nothing the second time (only
`updatedAt`, when the source last confirmed each node, moves on).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import neo4j

from resolvers.db import Database, plain, run_in
from resolvers.federation_graph import EDGE_TYPES, FederationGraph, check_labels, primary_label

# Kept across updates: who made and changed a node, and what S3 holds for an SLA.
PRESERVED = ("addedBy", "addedAt", "changedBy", "changedAt")
PRESERVED_PREFIX = "document"
CONFIRMATION = "updatedAt"

_OWNED = """
UNWIND $providers AS provider_uid
MATCH (prov:Provider {uid: provider_uid})
CALL (prov) {
  RETURN prov AS n
  UNION MATCH (prov)-[:DIVIDED_INTO]->(n:Region) RETURN n
  UNION MATCH (prov)-[:DIVIDED_INTO]->(:Region)-[:SUPPLIES]->(n:Service) RETURN n
  UNION MATCH (prov)-[:DIVIDED_INTO]->(:Region)-[:SUPPLIES]->(:Service)-[:OFFERS]->(n) RETURN n
  UNION MATCH (prov)-[:HOSTS]->(n:Project) RETURN n
  UNION MATCH (prov)-[:HOSTS]->(:Project)-[:HAS_QUOTA]->(n:Quota) RETURN n
}
RETURN DISTINCT n.uid AS uid, elementId(n) AS element, labels(n) AS labels, properties(n) AS props,
  [(n)-[r]-() | [type(r), startNode(r).uid, endNode(r).uid, properties(r), elementId(r)]] AS edges
"""


@dataclass(frozen=True)
class Actor:
    """Who writes: recorded on every node they create or change."""

    issuer: str
    subject: str

    def __str__(self) -> str:
        return f"{self.subject}@{self.issuer}"


@dataclass
class Changes:
    """What a reconcile changed, per node label (its first label) and for edges."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)
    edges_created: int = 0
    edges_updated: int = 0  # same ends, other properties (e.g. a trust's idpName)
    edges_removed: int = 0

    @property
    def nothing(self) -> bool:
        edges = self.edges_created or self.edges_updated or self.edges_removed
        return not (self.created or self.updated or self.removed or edges)


@dataclass
class _Stored:
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)  # uid -> {element, labels, props}
    edges: dict[tuple[str, str, str], tuple[dict[str, Any], str]] = field(default_factory=dict)  # -> (props, element)
    owned: set[str] = field(default_factory=set)


def _comparable(props: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in props.items()
        if k not in PRESERVED and k != CONFIRMATION and not k.startswith(PRESERVED_PREFIX) and v is not None
    }


async def _read(run: Any, graph: FederationGraph, providers: list[str]) -> _Stored:
    stored = _Stored()

    def keep(record: dict[str, Any], owned: bool) -> None:
        uid = record["uid"]
        stored.nodes[uid] = {"element": record["element"], "labels": record["labels"], "props": plain(record["props"])}
        if owned:
            stored.owned.add(uid)
        for type_, source, target, props, element in record["edges"]:
            stored.edges[(type_, source, target)] = (plain(props), element)

    for record in await run(_OWNED, {"providers": providers}):
        keep(record, owned=True)
    # The graph's other nodes (locations, issuers, groups, SLAs), by their own label.
    by_label: dict[str, list[str]] = {}
    for node in graph.nodes.values():
        if node.uid not in stored.nodes:
            by_label.setdefault(node.labels[0], []).append(node.uid)
    for label, uids in sorted(by_label.items()):
        found = await run(
            f"UNWIND $uids AS uid MATCH (n:{label} {{uid: uid}}) "
            "RETURN n.uid AS uid, elementId(n) AS element, labels(n) AS labels, properties(n) AS props, "
            "[(n)-[r]-() | [type(r), startNode(r).uid, endNode(r).uid, properties(r), elementId(r)]] AS edges",
            {"uids": uids},
        )
        for record in found:
            keep(record, owned=False)
    return stored


def _node_rows(
    graph: FederationGraph, stored: _Stored, actor: Actor, now: dt.datetime, changes: Changes
) -> dict[tuple[str, ...], list[dict[str, Any]]]:
    rows: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for node in graph.nodes.values():
        before = stored.nodes.get(node.uid)
        props = {k: v for k, v in node.props.items() if v is not None}
        if before is None:
            changes.created[node.labels[0]] += 1
            props.update(addedBy=str(actor), addedAt=now, changedBy=str(actor), changedAt=now)
        else:
            old = before["props"]
            kept = {k: v for k, v in old.items() if k in PRESERVED or k.startswith(PRESERVED_PREFIX)}
            changed = _comparable(old) != _comparable(props) or not set(node.labels) <= set(before["labels"])
            if changed:
                changes.updated[node.labels[0]] += 1
                kept.update(changedBy=str(actor), changedAt=now)
            props = {**kept, **props}
        rows.setdefault(node.labels, []).append({"uid": node.uid, "props": props})
    return rows


def _edge_rows(
    graph: FederationGraph, stored: _Stored, changes: Changes
) -> tuple[dict[tuple[str, str, str], list[dict[str, Any]]], list[str]]:
    create: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for key, edge in graph.edges.items():
        before = stored.edges.get(key)
        if before is None or before[0] != dict(edge.props):
            changes.edges_created += before is None
            changes.edges_updated += before is not None
            create.setdefault((edge.type, edge.source[0], edge.target[0]), []).append(
                {"source": edge.source[1], "target": edge.target[1], "props": dict(edge.props)}
            )
    remove = []
    for (type_, source, target), (_, element) in stored.edges.items():
        touches_owned = source in stored.owned or target in stored.owned
        if touches_owned and (type_, source, target) not in graph.edges:
            remove.append(element)
    changes.edges_removed = len(remove)
    return create, remove


async def reconcile(database: Database, graph: FederationGraph, *, actor: Actor, dry_run: bool = False) -> Changes:
    """Make the stored graph of the graph's providers equal to it, in one write transaction (rolled
    back when `dry_run`: the changes it would make, nothing written)."""
    providers = sorted(n.uid for n in graph.nodes.values() if n.labels[0] == "Provider")

    @neo4j.unit_of_work(timeout=120.0, metadata={"app": "federation-registry", "op": "reconcile", "by": str(actor)})
    async def work(tx: neo4j.AsyncManagedTransaction) -> Changes:
        async def run(cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
            return await run_in(tx, cypher, params)

        changes = Changes()
        now = dt.datetime.now(dt.UTC)
        stored = await _read(run, graph, providers)
        gone = sorted(uid for uid in stored.owned if uid not in graph.nodes)
        for uid in gone:
            changes.removed[primary_label(stored.nodes[uid]["labels"])] += 1
        node_rows = _node_rows(graph, stored, actor, now, changes)
        create_edges, remove_edges = _edge_rows(graph, stored, changes)
        # SLAs and locations that may lose their last project / region here (unless the graph lists them).
        orphans: dict[str, set[str]] = {"SLA": set(), "Location": set()}
        for type_, source, target in stored.edges:
            if type_ == "COVERS" and target in stored.owned and source not in graph.nodes:
                orphans["SLA"].add(source)
            if type_ == "LOCATED_AT" and source in stored.owned and target not in graph.nodes:
                orphans["Location"].add(target)

        # Edges and nodes that go first; then nodes, then edges, merged.
        await run("UNWIND $ids AS id MATCH ()-[r]->() WHERE elementId(r) = id DELETE r", {"ids": remove_edges})
        elements = [stored.nodes[uid]["element"] for uid in gone]
        await run("UNWIND $ids AS id MATCH (n) WHERE elementId(n) = id DETACH DELETE n", {"ids": elements})
        for labels, rows in sorted(node_rows.items()):
            check_labels(labels)  # labels become Cypher text: only the allow-list may
            extra = "".join(f":{label}" for label in labels[1:])
            set_labels = f", n{extra}" if extra else ""
            await run(
                f"UNWIND $rows AS row MERGE (n:{labels[0]} {{uid: row.uid}}) "
                f"SET n = row.props, n.{CONFIRMATION} = $now{set_labels}",
                {"rows": rows, "now": now},
            )
        for (type_, source, target), rows in sorted(create_edges.items()):
            check_labels((source, target))
            if type_ not in EDGE_TYPES:
                raise ValueError(f"unknown edge type {type_!r}")
            await run(
                f"UNWIND $rows AS row MATCH (a:{source} {{uid: row.source}}) MATCH (b:{target} {{uid: row.target}}) "
                f"MERGE (a)-[r:{type_}]->(b) SET r = row.props",
                {"rows": rows},
            )
        left_alone = {"SLA": "NOT (n)-[:COVERS]->()", "Location": "NOT (n)<-[:LOCATED_AT]-()"}
        for label, uids in orphans.items():
            if uids:
                found = await run(
                    f"UNWIND $uids AS uid MATCH (n:{label} {{uid: uid}}) WHERE {left_alone[label]} "
                    "DETACH DELETE n RETURN count(*) AS removed",
                    {"uids": sorted(uids)},
                )
                changes.removed[label] += found[0]["removed"] if found else 0
        return changes

    async with database.driver.session(database=database.name) as session:
        if dry_run:
            tx = await session.begin_transaction(metadata={"app": "federation-registry", "op": "reconcile dry run"})
            try:
                return await work(tx)  # type: ignore[arg-type]  # the same statements, never committed
            finally:
                await tx.rollback()
        return await session.execute_write(work)
