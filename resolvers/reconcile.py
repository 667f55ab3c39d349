"""Reconciling the stored graph to a provider bundle, in ONE write transaction.

The bundle is authoritative for everything its providers own: their regions, services, what the
services offer, their projects and quotas, and every edge touching those. What the bundle lists is
created or updated; what it no longer lists is removed (a region takes its services, a service what
it offers and the quotas on it, a project its quotas); an SLA left covering no project and a location
left with no region go too. Identity providers and user groups are shared between providers and are
only created or updated here. Sending the same bundle twice changes nothing the second time (only
`updatedAt`, when the source last confirmed each node, moves on).

What a bundle marks unknown (`null` lists, `FederationGraph.unknown`: a harvest could not read them) is
kept as stored, with its edges, and marked `stale`; its `updatedAt` stays when it was last confirmed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from resolvers.db import CYPHER_STATEMENTS, Database, Transaction, plain
from resolvers.federation_graph import FederationGraph, GraphNode
from resolvers.kinds import EDGE_TYPES, check_labels, primary_label

# Kept across updates: who made and changed a node, and what S3 holds for an SLA.
PRESERVED = ("addedBy", "addedAt", "changedBy", "changedAt")
PRESERVED_PREFIX = "document"
# Kept unless the bundle says otherwise: the last successful harvest (a failed one does not move it).
PRESERVED_IF_ABSENT = ("harvestLastSuccessAt",)
CONFIRMATION = "updatedAt"
# Bookkeeping that moves on every harvest without the data changing.
NOT_COMPARED = frozenset({CONFIRMATION, "harvestLastAttemptAt", "harvestLastSuccessAt"})

# Whether a stored node `n` differs from what the graph sends for it (`sent`): other labels, other
# compared properties (value or type), or a key the write would drop. It may say "differs" where the
# Python comparison would not (e.g. a datetime in another zone): the node is then compared in Python
# from its properties; it never says "same" where the Python comparison would see a change.
_DIFFERS = (
    "NOT all(label IN sent.labels WHERE label IN labels(n))"
    " OR size([k IN keys(n) WHERE NOT k IN $uncompared AND NOT k STARTS WITH $prefix]) <> size(keys(sent.props))"
    " OR NOT all(k IN keys(sent.props) WHERE n[k] = sent.props[k] AND valueType(n[k]) = valueType(sent.props[k]))"
    " OR NOT all(k IN keys(n) WHERE k IN sent.keys OR k IN $kept OR k STARTS WITH $prefix)"
)
# The provider's own nodes. Each comes back with its labels, `stale` and its edges; its properties
# only when the graph sends the node (`$graph[uid]`: its compared properties, every key it will have,
# its labels) and Neo4j finds the stored node different (`_DIFFERS`). An unchanged node's properties
# never cross the wire: reading and converting them all was most of a no-change write.
# Each edge comes back once: from its start node when that is the provider's own, else from its end
# (an edge from anything else, e.g. an SLA's COVERS); `<own m>` is the union's rule. One record per
# provider: the driver reads a record at a time, and ~1,400 of them cost more than their contents.
_OWNED = """
UNWIND $providers AS provider_uid
MATCH (prov:Provider {uid: provider_uid})
WITH prov, [(prov)-[:DIVIDED_INTO]->(r:Region) | r] AS regions, [(prov)-[:HOSTS]->(p:Project) | p] AS projects
WITH prov, regions, projects,
  reduce(found = [], r IN regions | found + [(r)-[:SUPPLIES]->(s:Service) | s]) AS services
CALL (prov, regions, projects, services) {
  RETURN prov AS n
  UNION UNWIND regions AS n RETURN n
  UNION UNWIND services AS n RETURN n
  UNION UNWIND services AS s MATCH (s)-[:OFFERS]->(n) RETURN n
  UNION UNWIND projects AS n RETURN n
  UNION UNWIND projects AS p MATCH (p)-[:HAS_QUOTA]->(n:Quota) RETURN n
}
WITH DISTINCT prov, regions, projects, services, n
WITH prov, regions, projects, services, n, $graph[n.uid] AS sent
RETURN prov.uid AS provider, collect([n.uid, elementId(n), labels(n), n.stale,
  CASE WHEN sent IS NOT NULL AND (<differs>) THEN properties(n) END,
  [(n)-[r]->(m) | [type(r), m.uid, properties(r), elementId(r)]],
  [(n)<-[r]-(m) WHERE NOT (<own m>) | [type(r), m.uid, properties(r), elementId(r)]]]) AS nodes
""".replace("<differs>", _DIFFERS).replace(
    "<own m>",
    "m = prov OR m IN services OR m IN projects OR m IN regions"
    " OR (m:Quota AND EXISTS { (m)<-[:HAS_QUOTA]-(p) WHERE p IN projects })"
    " OR EXISTS { (m)<-[:OFFERS]-(s) WHERE s IN services }",
)
# Edges followed from a provider to what it owns (as _OWNED follows them).
_OWNING = frozenset({"DIVIDED_INTO", "SUPPLIES", "OFFERS", "HOSTS", "HAS_QUOTA"})


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
    # uid -> {element, labels, stale, props}; props is None for a node Neo4j found equal to the graph's
    # (or one the graph does not send: only its labels and `stale` matter then)
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], tuple[dict[str, Any], str]] = field(default_factory=dict)  # -> (props, element)
    owned: set[str] = field(default_factory=set)


def _comparable(props: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in props.items()
        if k not in PRESERVED and k not in NOT_COMPARED and not k.startswith(PRESERVED_PREFIX) and v is not None
    }


def _sent(graph: FederationGraph) -> dict[str, dict[str, Any]]:
    """What Neo4j compares each stored node with (see `_DIFFERS`)."""
    sent = {}
    for node in graph.nodes.values():
        props = {k: v for k, v in node.props.items() if v is not None}
        sent[node.uid] = {"props": _comparable(props), "keys": list(props), "labels": list(node.labels)}
    return sent


def _owned_in(graph: FederationGraph, roots: Iterable[str]) -> set[str]:
    """`roots` and the graph's nodes they own (reached as _OWNED reaches a provider's nodes)."""
    below: defaultdict[str, list[str]] = defaultdict(list)
    for type_, source, target in graph.edges:
        if type_ in _OWNING:
            below[source].append(target)
    found = set(roots)
    frontier = list(found)
    while frontier:
        for target in below[frontier.pop()]:
            if target not in found:
                found.add(target)
                frontier.append(target)
    return found


async def _read(run: Any, graph: FederationGraph, providers: list[str]) -> _Stored:
    stored = _Stored()

    def keep(record: dict[str, Any]) -> None:
        """A node of the graph no stored provider holds (a shared one, or one new to its provider), with
        its edges to the graph's nodes."""
        uid = record["uid"]
        props = record["props"]
        stored.nodes[uid] = {"element": record["element"], "labels": record["labels"], "stale": props.get("stale"),
                             "props": props}  # fmt: skip
        for type_, source, target, edge_props, element in record["edges"]:
            stored.edges[(type_, source, target)] = (edge_props, element)

    def own(uid: str, element: str, labels: list[str], stale: Any, props: Any, out: list[Any], in_: list[Any]) -> None:
        """A node of a stored provider, with each of its edges (an edge from another own node comes with that)."""
        stored.nodes[uid] = {"element": element, "labels": labels, "stale": stale, "props": props}
        stored.owned.add(uid)
        for type_, target, edge_props, edge in out:
            stored.edges[(type_, uid, target)] = (edge_props, edge)
        for type_, source, edge_props, edge in in_:
            stored.edges[(type_, source, uid)] = (edge_props, edge)

    # A provider not stored yet (a first harvest) holds nothing: no need to send its graph to compare.
    found = await run("MATCH (p:Provider) WHERE p.uid IN $providers RETURN p.uid AS uid", {"providers": providers})
    if found:
        compared = {
            "graph": _sent(graph),
            "uncompared": [*PRESERVED, *sorted(NOT_COMPARED)],
            "kept": [*PRESERVED, CONFIRMATION, *PRESERVED_IF_ABSENT],
            "prefix": PRESERVED_PREFIX,
        }
        held = sorted(r["uid"] for r in found)
        for record in await run(_OWNED, {"providers": held, **compared}):
            for node in record["nodes"]:
                own(*node)
    # The graph's other nodes (locations, issuers, groups, SLAs, and what a stored provider does not hold
    # yet), by their own label. The shared ones are shared between providers (one SLA may cover
    # thousands of projects), so only their edges to the graph's own nodes (or the ends of its edges) are
    # read: an edge to an owned node came with it above, and an edge to anything else is neither in the
    # bundle nor the bundle's to remove.
    # A provider that is not stored holds nothing: its nodes need no look-up (a leftover with the same
    # uid that no provider holds is taken over whole by the MERGE).
    new = _owned_in(graph, (uid for uid in providers if uid not in stored.nodes))
    by_label: dict[str, list[str]] = {}
    for node in graph.nodes.values():
        if node.uid not in stored.nodes and node.uid not in new:
            by_label.setdefault(node.labels[0], []).append(node.uid)
    listed = sorted(set(graph.nodes).union(*((source, target) for _, source, target in graph.edges)))
    for label, uids in sorted(by_label.items()):
        found = await run(
            f"UNWIND $uids AS uid MATCH (n:{label} {{uid: uid}}) "
            "RETURN n.uid AS uid, elementId(n) AS element, labels(n) AS labels, properties(n) AS props, "
            "[(n)-[r]-(m) WHERE m.uid IN $listed "
            "| [type(r), startNode(r).uid, endNode(r).uid, properties(r), elementId(r)]] AS edges",
            {"uids": uids, "listed": listed},
        )
        for record in found:
            keep(record)
    return stored


def _same(old: dict[str, Any], key: str, value: Any) -> bool:
    return key in old and type(old[key]) is type(value) and old[key] == value


@dataclass
class _NodeRows:
    """The node writes of a reconcile: new nodes (attribution and confirmation set in Cypher, so rows
    carry no datetimes to convert), stored ones rewritten whole, by labels, and stored ones that keep
    their labels and every key, by element id, with only the properties whose values moved (`SET n +=
    delta` leaves such a node exactly as `SET n = props` would)."""

    created: dict[tuple[str, ...], list[dict[str, Any]]] = field(default_factory=dict)
    replaced: dict[tuple[str, ...], list[dict[str, Any]]] = field(default_factory=dict)
    touched: list[dict[str, Any]] = field(default_factory=list)


def _node_rows(
    nodes: Iterable[GraphNode], stored: _Stored, actor: Actor, now: dt.datetime, changes: Changes
) -> _NodeRows:
    rows = _NodeRows()
    for node in nodes:
        before = stored.nodes.get(node.uid)
        props = {k: v for k, v in node.props.items() if v is not None and k != CONFIRMATION}
        if before is None:
            changes.created[node.labels[0]] += 1
            rows.created.setdefault(node.labels, []).append({"uid": node.uid, "props": props})
            continue
        old = before["props"]
        if old is None:
            # Neo4j found it equal: only the harvest's bookkeeping (and the confirmation) moves.
            delta = {k: v for k, v in props.items() if k in NOT_COMPARED}
            rows.touched.append({"element": before["element"], "delta": delta})
            continue
        kept = {k: v for k, v in old.items() if k in PRESERVED or k.startswith(PRESERVED_PREFIX)}
        kept.update({k: old[k] for k in PRESERVED_IF_ABSENT if k in old and k not in props})
        labelled = set(node.labels) <= set(before["labels"])
        changed = _comparable(old) != _comparable(props) or not labelled
        if changed:
            changes.updated[node.labels[0]] += 1
            kept.update(changedBy=str(actor), changedAt=now)
        props = {**kept, **props}
        if labelled and set(old) - {CONFIRMATION} <= set(props):
            delta = {k: v for k, v in props.items() if not _same(old, k, v)}
            rows.touched.append({"element": before["element"], "delta": delta})
        else:
            rows.replaced.setdefault(node.labels, []).append({"uid": node.uid, "props": props})
    return rows


def creation_rows(
    graph: FederationGraph, actor: Actor, now: dt.datetime
) -> tuple[dict[tuple[str, ...], list[dict[str, Any]]], dict[tuple[str, str, str], list[dict[str, Any]]], Changes]:
    """What a reconcile would create in an empty store: node rows by labels (with their attribution;
    the confirmation is the loader's to set), edge rows by (type, source label, target label), and the
    counts (for loaders that write the same rows in chunks)."""
    changes = Changes()
    created = _node_rows(graph.nodes.values(), _Stored(), actor, now, changes).created
    attribution = {"addedBy": str(actor), "addedAt": now, "changedBy": str(actor), "changedAt": now}
    nodes = {
        labels: [{**row, "props": {**row["props"], **attribution}} for row in rows] for labels, rows in created.items()
    }
    edges, _ = _edge_rows(graph, _Stored(), changes, (set(), set()))
    return nodes, edges, changes


def _unknown_parts(graph: FederationGraph, stored: _Stored) -> tuple[set[str], set[tuple[str, str, str]]]:
    """The stored nodes and edges that the graph's unknown parts cover: kept as they are."""
    targets: defaultdict[tuple[str, str], list[str]] = defaultdict(list)  # (type, source) -> targets
    sources: defaultdict[tuple[str, str], list[str]] = defaultdict(list)  # (type, target) -> sources
    for type_, source, target in stored.edges:
        targets[(type_, source)].append(target)
        sources[(type_, target)].append(source)

    def labelled(uids: list[str], label: str | None) -> set[str]:
        return {u for u in uids if u in stored.nodes and (label is None or label in stored.nodes[u]["labels"])}

    def services_of(region: str) -> set[str]:
        """A region's services, what they offer and the quotas on them."""
        services = labelled(targets[("SUPPLIES", region)], None)
        found = set(services)
        for service in services:
            found |= labelled(targets[("OFFERS", service)], None) | labelled(sources[("ON", service)], None)
        return found

    nodes: set[str] = set()
    edges: set[tuple[str, str, str]] = set()
    for part in graph.unknown:
        if part.what == "regions":
            for region in labelled(targets[("DIVIDED_INTO", part.anchor)], None):
                nodes |= {region} | services_of(region)
        elif part.what == "projects":
            for project in labelled(targets[("HOSTS", part.anchor)], None):
                nodes |= {project} | labelled(targets[("HAS_QUOTA", project)], None)
        elif part.what == "services":
            nodes |= services_of(part.anchor)
        elif part.what == "offers":
            nodes |= labelled(targets[("OFFERS", part.anchor)], part.label)
        elif part.what == "quotas":
            nodes |= labelled(targets[("HAS_QUOTA", part.anchor)], None)
        elif part.what == "private":
            edges |= {("CAN_USE", part.anchor, t) for t in labelled(targets[("CAN_USE", part.anchor)], part.label)}
    nodes -= set(graph.nodes)  # listed again: confirmed, not kept
    return nodes, edges


def _offers_known(graph: FederationGraph, service: str, label: str) -> bool:
    return service in graph.nodes and not any(
        u.what == "offers" and u.anchor == service and u.label == label for u in graph.unknown
    )


def _edge_rows(
    graph: FederationGraph, stored: _Stored, changes: Changes, kept: tuple[set[str], set[tuple[str, str, str]]]
) -> tuple[dict[tuple[str, str, str], list[dict[str, Any]]], list[str]]:
    create: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for key, edge in graph.edges.items():
        if edge.target[1] not in graph.nodes and edge.target[1] not in stored.nodes:
            continue  # to a node the bundle does not know and the store does not hold (an unread project)
        before = stored.edges.get(key)
        if before is None or before[0] != dict(edge.props):
            changes.edges_created += before is None
            changes.edges_updated += before is not None
            create.setdefault((edge.type, edge.source[0], edge.target[0]), []).append(
                {"source": edge.source[1], "target": edge.target[1], "props": dict(edge.props)}
            )
    kept_nodes, kept_edges = kept
    remove = []
    for (type_, source, target), (_, element) in stored.edges.items():
        touches_owned = source in stored.owned or target in stored.owned
        if not touches_owned or (type_, source, target) in graph.edges or (type_, source, target) in kept_edges:
            continue
        if source in kept_nodes or target in kept_nodes:
            # Kept with what it hangs off, unless a service whose offers of that kind are known dropped it.
            label = primary_label(stored.nodes[target]["labels"]) if target in stored.nodes else ""
            if not (type_ == "OFFERS" and target in kept_nodes and _offers_known(graph, source, label)):
                continue
        remove.append(element)
    changes.edges_removed = len(remove)
    return create, remove


async def reconcile(database: Database, graph: FederationGraph, *, actor: Actor, dry_run: bool = False) -> Changes:
    """Make the stored graph of the graph's providers equal to it, in one write transaction (rolled
    back when `dry_run`: the changes it would make, nothing written)."""
    providers = sorted(n.uid for n in graph.nodes.values() if n.labels[0] == "Provider")

    async def work(tx: Transaction) -> Changes:
        async def run(cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
            # Its answers hold maps, lists and scalars only: zip, not `run_in`'s `Record.data()`, which
            # walks every value looking for nodes to convert (a third of a no-change write's CPU).
            CYPHER_STATEMENTS.labels("write").inc()
            result = await tx.run(cypher, params)
            return [plain(dict(zip(r.keys(), r, strict=True))) async for r in result]

        changes = Changes()
        now = dt.datetime.now(dt.UTC)
        stored = await _read(run, graph, providers)
        kept = _unknown_parts(graph, stored)
        gone = sorted(uid for uid in stored.owned if uid not in graph.nodes and uid not in kept[0])
        for uid in gone:
            changes.removed[primary_label(stored.nodes[uid]["labels"])] += 1
        # The providers' own nodes and edges are written first; what is shared with other providers
        # (identity providers, groups, SLAs, locations, and the edges to them) last, in uid order: a
        # concurrent write of another provider waits for those locks only at its end, and both take them
        # in the same order.
        own = _owned_in(graph, providers)
        own_rows = _node_rows((n for n in graph.nodes.values() if n.uid in own), stored, actor, now, changes)
        shared = sorted((n for n in graph.nodes.values() if n.uid not in own), key=lambda n: n.uid)
        shared_rows = _node_rows(shared, stored, actor, now, changes)
        create_edges, remove_edges = _edge_rows(graph, stored, changes, kept)
        # What could not be read stays, marked stale (a change only the first time).
        newly_stale = sorted(uid for uid in kept[0] if stored.nodes[uid]["stale"] is not True)
        for uid in newly_stale:
            changes.updated[primary_label(stored.nodes[uid]["labels"])] += 1
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
        attribution = (
            f"n.addedBy = $by, n.addedAt = $now, n.changedBy = $by, n.changedAt = $now, n.{CONFIRMATION} = $now"
        )

        async def write_nodes(node_rows: _NodeRows) -> None:
            for labels, rows in sorted(node_rows.created.items()):
                check_labels(labels)  # labels become Cypher text: only the allow-list may
                set_labels = "".join(f", n:{label}" for label in labels[1:])
                # A node another transaction created since this one read (a provider harvested beside
                # this one sharing its identity provider, group or SLA) is found by MERGE: it keeps who
                # added it and is not counted as created here.
                CYPHER_STATEMENTS.labels("write").inc()
                result = await tx.run(
                    f"UNWIND $rows AS row MERGE (n:{labels[0]} {{uid: row.uid}}) "
                    f"ON CREATE SET n = row.props, {attribution}{set_labels} "
                    f"ON MATCH SET n += row.props, n.{CONFIRMATION} = $now{set_labels}",
                    {"rows": rows, "now": now, "by": str(actor)},
                )
                found = len(rows) - (await result.consume()).counters.nodes_created
                if found:
                    changes.created[labels[0]] -= found
                    changes.created += Counter()  # (no zero counts in the report)
            for labels, rows in sorted(node_rows.replaced.items()):
                check_labels(labels)
                set_labels = "".join(f", n:{label}" for label in labels[1:])
                await run(
                    f"UNWIND $rows AS row MERGE (n:{labels[0]} {{uid: row.uid}}) "
                    f"SET n = row.props, n.{CONFIRMATION} = $now{set_labels}",
                    {"rows": rows, "now": now},
                )
            if node_rows.touched:
                await run(
                    "UNWIND $rows AS row MATCH (n) WHERE elementId(n) = row.element "
                    f"SET n += row.delta, n.{CONFIRMATION} = $now",
                    {"rows": node_rows.touched, "now": now},
                )

        async def write_edges(groups: list[tuple[tuple[str, str, str], list[dict[str, Any]]]]) -> None:
            for (type_, source, target), rows in groups:
                check_labels((source, target))
                if type_ not in EDGE_TYPES:
                    raise ValueError(f"unknown edge type {type_!r}")
                await run(
                    f"UNWIND $rows AS row MATCH (a:{source} {{uid: row.source}}) "
                    f"MATCH (b:{target} {{uid: row.target}}) MERGE (a)-[r:{type_}]->(b) SET r = row.props",
                    {"rows": rows},
                )

        own_edges, shared_edges = [], []
        for group, rows in sorted(create_edges.items()):
            inside = [row for row in rows if row["source"] in own and row["target"] in own]
            outside = [row for row in rows if not (row["source"] in own and row["target"] in own)]
            own_edges += [(group, inside)] if inside else []
            shared_edges += [(group, outside)] if outside else []
        await write_nodes(own_rows)
        await write_edges(own_edges)
        await run(
            "UNWIND $ids AS id MATCH (n) WHERE elementId(n) = id "
            "SET n.stale = true, n.changedBy = $by, n.changedAt = $now",
            {"ids": [stored.nodes[uid]["element"] for uid in newly_stale], "by": str(actor), "now": now},
        )
        await write_nodes(shared_rows)
        await write_edges(shared_edges)
        left_alone = {"SLA": "NOT (n)-[:COVERS]->()", "Location": "NOT (n)<-[:LOCATED_AT]-()"}
        for label, uids in orphans.items():
            if uids:
                found = await run(
                    f"UNWIND $uids AS uid MATCH (n:{label} {{uid: uid}}) WHERE {left_alone[label]} "
                    "DETACH DELETE n RETURN count(*) AS removed",
                    {"uids": sorted(uids)},
                )
                if found and found[0]["removed"]:  # a zero count would read as a change
                    changes.removed[label] += found[0]["removed"]
        return changes

    return await database.transaction(work, op="reconcile", by=str(actor), commit=not dry_run)
