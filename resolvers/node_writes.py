"""Creating one node under its parents, and changing some of its properties, each in one transaction.

Every node is validated by the same models as the federation file and the bundle, so a flavor made
here obeys the same rules (no GPU model without GPUs, …); uniqueness is Neo4j's constraints' job.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from pydantic import ValidationError
from pydantic.alias_generators import to_camel

from resolvers import federation_file as model
from resolvers.db import Database, Transaction, run_in
from resolvers.errors import InvalidNode, NodeNotFound
from resolvers.kinds import KINDS, NodeKind, check_labels

# The kinds made one node at a time (create<Type>, update<Type>).
WRITABLE: dict[str, NodeKind] = {label: kind for label, kind in KINDS.items() if kind.writable}

# Model fields that are other nodes or edges, not properties of the node.
NESTED = {
    "regions", "projects", "trusts", "services", "flavors", "images", "networks", "volume_types", "quotas",
    "user_groups", "slas", "location", "private_flavors", "private_images", "private_networks", "harvest",
}  # fmt: skip
KEEP = ("uid", "naturalKey", "addedBy", "addedAt", "updatedAt")


def _validated(kind: NodeKind, values: dict[str, Any], argument: str) -> dict[str, Any]:
    """The stored properties of a node with these values (camelCase), checked by the kind's model."""
    try:
        checked = kind.model.model_validate({**values, **kind.fixed})
    except ValidationError as error:
        problems = [(".".join(to_camel(str(p)) for p in e["loc"]), e["msg"]) for e in error.errors()]
        raise InvalidNode(argument, problems) from None
    props = checked.model_dump(by_alias=True, exclude={n for n in NESTED if n in type(checked).model_fields})
    for fixed in kind.fixed:
        props.pop(fixed, None)
    props.update(kind.stored_extra)
    if isinstance(checked, model.LocationIn):
        props["country"], props["countryCode"] = checked.country_record
    return {k: v for k, v in props.items() if v is not None}


async def _parents(tx: Transaction, kind: NodeKind, ids: dict[str, str], argument: str) -> dict[str, str]:
    found = dict(ids)
    for parent in kind.parents:
        rows = await run_in(tx, f"MATCH (p:{parent.label} {{uid: $uid}}) RETURN p.uid AS uid",
                            {"uid": ids[parent.argument]})  # fmt: skip
        if not rows:
            raise NodeNotFound(f"{argument}.{parent.argument}")
    if kind.label == "Image":  # images are keyed within their provider
        provider_of = "MATCH (:ComputeService {uid: $uid})<-[:SUPPLIES]-(:Region)<-[:DIVIDED_INTO]-(p:Provider)"
        rows = await run_in(tx, f"{provider_of} RETURN p.uid AS uid", {"uid": ids["computeServiceId"]})
        found["provider"] = rows[0]["uid"] if rows else ids["computeServiceId"]
    return found


async def create_node(
    database: Database,
    label: str,
    parent_ids: dict[str, str],
    values: dict[str, Any],
    actor: str,
    *,
    argument: str = "input",
) -> dict[str, Any]:
    """Create a `label` node under its parents (ids by argument name); `argument` names the input."""
    kind = WRITABLE[label]
    check_labels(kind.node_labels)
    props = _validated(kind, values, argument)
    now = dt.datetime.now(dt.UTC)
    uid = str(uuid.uuid4())

    async def work(tx: Transaction) -> dict[str, Any]:
        parents = await _parents(tx, kind, parent_ids, argument)
        stored = {**props, "uid": uid, "addedBy": actor, "addedAt": now, "changedBy": actor, "changedAt": now}
        key = kind.natural_key(props, parents) if kind.natural_key else None
        if key is not None:
            stored["naturalKey"] = key
        links = "".join(
            f" WITH n MATCH (p{i}:{p.label} {{uid: $parents.{p.argument}}}) "
            + (f"CREATE (p{i})-[:{p.edge}]->(n)" if p.towards_node else f"CREATE (n)-[:{p.edge}]->(p{i})")
            for i, p in enumerate(kind.parents)
        )
        cypher = f"CREATE (n:{':'.join(kind.node_labels)}) SET n = $props{links} RETURN properties(n) AS node"
        rows = await run_in(tx, cypher, {"props": stored, "parents": parent_ids})
        node: dict[str, Any] = rows[0]["node"]
        return node

    return await database.transaction(work, op=f"create {label}", by=actor)


async def update_node(
    database: Database, label: str, uid: str, patch: dict[str, Any], actor: str, *, argument: str = "input"
) -> dict[str, Any]:
    """Change the given properties (the others stay); the result must still satisfy the model."""
    kind = WRITABLE[label]
    check_labels(kind.node_labels)

    async def work(tx: Transaction) -> dict[str, Any]:
        parent_patterns = [
            f"OPTIONAL MATCH (n)<-[:{p.edge}]-(p{i}:{p.label})" if p.towards_node
            else f"OPTIONAL MATCH (n)-[:{p.edge}]->(p{i}:{p.label})"
            for i, p in enumerate(kind.parents)
        ]  # fmt: skip
        returns = "".join(f", p{i}.uid AS {p.argument}" for i, p in enumerate(kind.parents))
        patterns = " ".join(parent_patterns)
        read = f"MATCH (n:{kind.key_label} {{uid: $uid}}) {patterns} RETURN properties(n) AS node{returns}"
        rows = await run_in(tx, read, {"uid": uid})
        if not rows:
            raise NodeNotFound("id")
        stored = rows[0]["node"]
        fields = {f.alias or name for name, f in kind.model.model_fields.items()} - set(kind.fixed)
        current = {k: v for k, v in stored.items() if k in fields}
        if label == "Location":
            current["country"] = stored.get("countryCode") or stored.get("country")
        props = _validated(kind, {**current, **patch}, argument)
        parents = {p.argument: rows[0][p.argument] for p in kind.parents}
        if kind.label == "Image":
            parents = await _parents(tx, kind, parents, argument)
        kept = {k: stored[k] for k in KEEP if k in stored}
        kept.update({k: v for k, v in stored.items() if k.startswith("document")})
        key = kind.natural_key(props, parents) if kind.natural_key else None
        if key is not None:
            kept["naturalKey"] = key
        new = {**kept, **props, "changedBy": actor, "changedAt": dt.datetime.now(dt.UTC)}
        write = f"MATCH (n:{kind.key_label} {{uid: $uid}}) SET n = $props RETURN properties(n) AS node"
        result = await run_in(tx, write, {"uid": uid, "props": new})
        node: dict[str, Any] = result[0]["node"]
        return node

    return await database.transaction(work, op=f"update {label}", by=actor)
