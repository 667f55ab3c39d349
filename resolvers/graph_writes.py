"""Writing a flattened piece of the federation graph: nodes merged by uid, edges merged by ends."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Labels a written node may carry, and the edge types between them: the allow-list that makes
# building Cypher from labels safe (labels cannot be parameters).
NODE_LABELS = frozenset({
    "Provider", "Region", "Location", "IdentityProvider", "UserGroup", "SLA", "Project",
    "Service", "ComputeService", "BlockStorageService", "NetworkService", "ObjectStoreService", "IdentityService",
    "Flavor", "Image", "Network", "VolumeType",
    "Quota", "ComputeQuota", "BlockStorageQuota", "NetworkQuota", "ObjectStoreQuota",
})  # fmt: skip
EDGE_TYPES = frozenset({
    "DIVIDED_INTO", "LOCATED_AT", "SUPPLIES", "OFFERS", "TRUSTS", "BELONGS_TO", "AGREES", "COVERS",
    "HOSTS", "HAS_QUOTA", "ON", "CAN_USE",
})  # fmt: skip


@dataclass(frozen=True)
class GraphNode:
    labels: tuple[str, ...]  # the first one is the label its uid is unique in
    uid: str
    props: Mapping[str, Any]


@dataclass(frozen=True)
class GraphEdge:
    type: str
    source: tuple[str, str]  # (label, uid)
    target: tuple[str, str]
    props: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class FederationGraph:
    """Nodes and edges to merge into the stored graph (deduplicated by uid / by ends and type)."""

    nodes: dict[str, GraphNode] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], GraphEdge] = field(default_factory=dict)

    def add_node(self, labels: tuple[str, ...], uid: str, props: Mapping[str, Any]) -> str:
        self.nodes[uid] = GraphNode(labels, uid, props)
        return uid

    def add_edge(self, type_: str, source: tuple[str, str], target: tuple[str, str], **props: Any) -> None:
        self.edges[(type_, source[1], target[1])] = GraphEdge(type_, source, target, props)


def merge_statements(graph: FederationGraph) -> list[tuple[str, dict[str, Any]]]:
    """One UNWIND statement per label set and per edge shape; run them in one transaction."""
    statements: list[tuple[str, dict[str, Any]]] = []
    by_labels: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for node in graph.nodes.values():
        _check_labels(node.labels)
        by_labels[node.labels].append({"uid": node.uid, "props": dict(node.props)})
    for labels, rows in sorted(by_labels.items()):
        extra = "".join(f":{label}" for label in labels[1:])
        set_labels = f" SET n{extra}" if extra else ""
        statements.append(
            (
                f"UNWIND $rows AS row MERGE (n:{labels[0]} {{uid: row.uid}}){set_labels} SET n += row.props",
                {"rows": rows},
            )
        )
    by_shape: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for edge in graph.edges.values():
        _check_labels((edge.source[0], edge.target[0]))
        if edge.type not in EDGE_TYPES:
            raise ValueError(f"unknown edge type {edge.type!r}")
        by_shape[(edge.type, edge.source[0], edge.target[0])].append(
            {"source": edge.source[1], "target": edge.target[1], "props": dict(edge.props)}
        )
    for (type_, source, target), rows in sorted(by_shape.items()):
        statements.append(
            (
                f"UNWIND $rows AS row MATCH (a:{source} {{uid: row.source}}) MATCH (b:{target} {{uid: row.target}}) "
                f"MERGE (a)-[r:{type_}]->(b) SET r = row.props",
                {"rows": rows},
            )
        )
    return statements


def _check_labels(labels: tuple[str, ...]) -> None:
    unknown = set(labels) - NODE_LABELS
    if unknown:
        raise ValueError(f"unknown labels {sorted(unknown)}")
