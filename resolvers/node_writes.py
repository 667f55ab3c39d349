"""Creating one node under its parents, and changing some of its properties, each in one transaction.

Every node is validated by the same models as the federation file and the bundle, so a flavor made
here obeys the same rules (no GPU model without GPUs, …); uniqueness is Neo4j's constraints' job.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import neo4j
from pydantic import BaseModel, ValidationError

from resolvers import federation_file as model
from resolvers.db import Database, run_in
from resolvers.edits import NodeNotFound
from resolvers.federation_graph import QUOTA_LABELS, SERVICE_LABELS, check_labels


@dataclass(frozen=True)
class Parent:
    argument: str  # the GraphQL argument naming it, e.g. providerId
    label: str
    edge: str
    towards_node: bool = True  # (parent)-[edge]->(node); False: (node)-[edge]->(parent)


@dataclass(frozen=True)
class Kind:
    """How one node type is created: its labels, its parents, its validation model and natural key."""

    labels: tuple[str, ...]
    model: type[BaseModel]
    parents: tuple[Parent, ...] = ()
    natural_key: Callable[[dict[str, Any], dict[str, str]], str] | None = None
    fixed: dict[str, Any] = field(default_factory=dict)  # model values the kind itself decides
    stored: dict[str, Any] = field(default_factory=dict)  # properties the kind itself stores

    @property
    def label(self) -> str:
        return self.labels[0]


def _service(kind: str) -> Kind:
    def key(props: dict[str, Any], parents: dict[str, str]) -> str:
        return f"{parents['regionId']}/{kind}/{props['endpoint']}"

    return Kind((SERVICE_LABELS[kind], "Service"), model.ServiceIn, (Parent("regionId", "Region", "SUPPLIES"),),
                key, {"kind": kind})  # fmt: skip


def _quota(kind: str, service_label: str) -> Kind:
    def key(props: dict[str, Any], parents: dict[str, str]) -> str:
        return f"{parents['projectId']}/{parents['serviceId']}/{props['perUser']}/{props['usage']}"

    return Kind(
        ("Quota", QUOTA_LABELS[kind]),
        model.QuotaIn,
        (Parent("projectId", "Project", "HAS_QUOTA"), Parent("serviceId", service_label, "ON", towards_node=False)),
        key,
        {"service": kind, "region": "-"},  # the service is named by id here, not by region and kind
        {"kind": kind},
    )


KINDS: dict[str, Kind] = {
    "Provider": Kind(("Provider",), model.ProviderIn),
    "Region": Kind(("Region",), model.RegionIn, (Parent("providerId", "Provider", "DIVIDED_INTO"),),
                   lambda p, up: f"{up['providerId']}/{p['name']}"),
    "Location": Kind(("Location",), model.LocationIn),
    "IdentityProvider": Kind(("IdentityProvider",), model.IdentityProviderIn),
    "UserGroup": Kind(("UserGroup",), model.UserGroupIn,
                      (Parent("identityProviderId", "IdentityProvider", "BELONGS_TO", towards_node=False),),
                      lambda p, up: f"{up['identityProviderId']}/{p['name']}"),
    "SLA": Kind(("SLA",), model.SLAIn, (Parent("userGroupId", "UserGroup", "AGREES"),)),
    "Project": Kind(("Project",), model.ProjectIn, (Parent("providerId", "Provider", "HOSTS"),),
                    lambda p, up: f"{up['providerId']}/{p['uuid']}"),
    **{SERVICE_LABELS[k]: _service(k) for k in SERVICE_LABELS},
    "Flavor": Kind(("Flavor",), model.FlavorIn, (Parent("computeServiceId", "ComputeService", "OFFERS"),),
                   lambda p, up: f"{up['computeServiceId']}/{p['uuid']}"),
    "Image": Kind(("Image",), model.ImageIn, (Parent("computeServiceId", "ComputeService", "OFFERS"),),
                  lambda p, up: f"{up['provider']}/{p['uuid']}"),
    "Network": Kind(("Network",), model.NetworkIn, (Parent("networkServiceId", "NetworkService", "OFFERS"),),
                    lambda p, up: f"{up['networkServiceId']}/{p['uuid']}"),
    "VolumeType": Kind(("VolumeType",), model.VolumeTypeIn,
                       (Parent("blockStorageServiceId", "BlockStorageService", "OFFERS"),),
                       lambda p, up: f"{up['blockStorageServiceId']}/{p['name']}"),
    **{QUOTA_LABELS[k]: _quota(k, SERVICE_LABELS[k]) for k in QUOTA_LABELS},
}  # fmt: skip
NESTED = {
    "regions", "projects", "trusts", "services", "flavors", "images", "networks", "volume_types", "quotas",
    "user_groups", "slas", "location", "private_flavors", "private_images", "private_networks",
}  # fmt: skip
KEEP = ("uid", "naturalKey", "addedBy", "addedAt", "updatedAt")


class InvalidNode(ValueError):
    """The node's properties break a rule; `problems` pairs each field with its reason."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))
        self.problems = problems


def _validated(kind: Kind, values: dict[str, Any]) -> dict[str, Any]:
    """The stored properties of a node with these values (camelCase), checked by the kind's model."""
    try:
        checked = kind.model.model_validate({**values, **kind.fixed})
    except ValidationError as error:
        raise InvalidNode([(".".join(str(p) for p in e["loc"]) or "input", e["msg"]) for e in error.errors()]) from None
    props = checked.model_dump(by_alias=True, exclude={n for n in NESTED if n in type(checked).model_fields})
    for fixed in kind.fixed:
        props.pop(fixed, None)
    props.update(kind.stored)
    if isinstance(checked, model.LocationIn):
        props["country"], props["countryCode"] = checked.country_record
    return {k: v for k, v in props.items() if v is not None}


async def _parents(tx: neo4j.AsyncManagedTransaction, kind: Kind, ids: dict[str, str]) -> dict[str, str]:
    found = dict(ids)
    for parent in kind.parents:
        rows = await run_in(tx, f"MATCH (p:{parent.label} {{uid: $uid}}) RETURN p.uid AS uid",
                            {"uid": ids[parent.argument]})  # fmt: skip
        if not rows:
            raise NodeNotFound(parent.argument)
    if kind.label == "Image":  # images are keyed within their provider
        provider_of = "MATCH (:ComputeService {uid: $uid})<-[:SUPPLIES]-(:Region)<-[:DIVIDED_INTO]-(p:Provider)"
        rows = await run_in(tx, f"{provider_of} RETURN p.uid AS uid", {"uid": ids["computeServiceId"]})
        found["provider"] = rows[0]["uid"] if rows else ids["computeServiceId"]
    return found


async def create_node(
    database: Database, label: str, parent_ids: dict[str, str], values: dict[str, Any], actor: str
) -> dict[str, Any]:
    kind = KINDS[label]
    check_labels(kind.labels)
    props = _validated(kind, values)
    now = dt.datetime.now(dt.UTC)
    uid = str(uuid.uuid4())

    async def work(tx: neo4j.AsyncManagedTransaction) -> dict[str, Any]:
        parents = await _parents(tx, kind, parent_ids)
        stored = {**props, "uid": uid, "addedBy": actor, "addedAt": now, "changedBy": actor, "changedAt": now}
        key = kind.natural_key(props, parents) if kind.natural_key else None
        if key is not None:
            stored["naturalKey"] = key
        links = "".join(
            f" WITH n MATCH (p{i}:{p.label} {{uid: $parents.{p.argument}}}) "
            + (f"CREATE (p{i})-[:{p.edge}]->(n)" if p.towards_node else f"CREATE (n)-[:{p.edge}]->(p{i})")
            for i, p in enumerate(kind.parents)
        )
        cypher = f"CREATE (n:{':'.join(kind.labels)}) SET n = $props{links} RETURN properties(n) AS node"
        rows = await run_in(tx, cypher, {"props": stored, "parents": parent_ids})
        return rows[0]["node"]

    async with database.driver.session(database=database.name) as session:
        return await session.execute_write(work)


async def update_node(database: Database, label: str, uid: str, patch: dict[str, Any], actor: str) -> dict[str, Any]:
    """Change the given properties (the others stay); the result must still satisfy the model."""
    kind = KINDS[label]
    check_labels(kind.labels)

    async def work(tx: neo4j.AsyncManagedTransaction) -> dict[str, Any]:
        parent_patterns = [
            f"OPTIONAL MATCH (n)<-[:{p.edge}]-(p{i}:{p.label})" if p.towards_node
            else f"OPTIONAL MATCH (n)-[:{p.edge}]->(p{i}:{p.label})"
            for i, p in enumerate(kind.parents)
        ]  # fmt: skip
        returns = "".join(f", p{i}.uid AS {p.argument}" for i, p in enumerate(kind.parents))
        read = f"MATCH (n:{kind.label} {{uid: $uid}}) {' '.join(parent_patterns)} RETURN properties(n) AS node{returns}"
        rows = await run_in(tx, read, {"uid": uid})
        if not rows:
            raise NodeNotFound("id")
        stored = rows[0]["node"]
        fields = {f.alias or name for name, f in kind.model.model_fields.items()} - set(kind.fixed)
        current = {k: v for k, v in stored.items() if k in fields}
        if label == "Location":
            current["country"] = stored.get("countryCode") or stored.get("country")
        props = _validated(kind, {**current, **patch})
        parents = {p.argument: rows[0][p.argument] for p in kind.parents}
        if kind.label == "Image":
            parents = await _parents(tx, kind, parents)
        kept = {k: stored[k] for k in KEEP if k in stored}
        kept.update({k: v for k, v in stored.items() if k.startswith("document")})
        key = kind.natural_key(props, parents) if kind.natural_key else None
        if key is not None:
            kept["naturalKey"] = key
        new = {**kept, **props, "changedBy": actor, "changedAt": dt.datetime.now(dt.UTC)}
        write = f"MATCH (n:{kind.label} {{uid: $uid}}) SET n = $props RETURN properties(n) AS node"
        result = await run_in(tx, write, {"uid": uid, "props": new})
        return result[0]["node"]

    async with database.driver.session(database=database.name) as session:
        return await session.execute_write(work)
