"""The node kinds of the federation graph and the edges between them: one table, everything else derives.

Per label: the model that validates it (the federation file's), what it stores, how it is keyed and
sorted, its filters, who may see it, how it is created under its parents and what goes with it when
it is deleted. Walks, root lists, filters, projection, visibility, writes and deletes read this table;
a new node type is a row here, its model, its Strawberry type, its filter input and its constraints.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.alias_generators import to_camel

from resolvers import federation_file as ff


class Visibility(Enum):
    """Who may see a node (the predicates are in `resolvers/visibility.py`)."""

    PUBLIC = "anyone, anonymous callers included"
    MEMBERS = "any caller with a token"
    SHARED_OR_LINKED = "shared ones: anyone (anonymous callers too); private ones: members of a linked project"
    MEMBERS_SHARED_OR_LINKED = "shared ones: any caller with a token; private ones: members of a linked project"
    OWN_GROUP = "members of the group"
    GROUP_SLA = "members of the group that agreed the SLA"
    GROUP_PROJECT = "members of a group whose SLA covers the project"
    GROUP_PROJECT_QUOTA = "as the quota's project"


@dataclass(frozen=True)
class Edge:
    """(source)-[type]->(target); a label may be a family (`Service`, `Quota`)."""

    type: str
    source: str
    target: str


@dataclass(frozen=True)
class Parent:
    """A node a new node is created under, named by a GraphQL argument (e.g. providerId)."""

    argument: str
    label: str
    edge: str
    towards_node: bool = True  # (parent)-[edge]->(node); False: (node)-[edge]->(parent)


NaturalKey = Callable[[Mapping[str, Any], Mapping[str, str]], str]


@dataclass(frozen=True)
class Cascade:
    """What goes with a node when it is deleted: Cypher over `root` returning each dependent `d`."""

    cypher: str
    words: str  # the same, for the mutation's description


@dataclass(frozen=True)
class NodeKind:
    label: str
    model: type[BaseModel]
    visibility: Visibility
    labels: tuple[str, ...] = ()  # every label a node carries (default: its own); the first keys it
    family: str | None = None  # `Service` or `Quota`: the label siblings share
    file_kind: str | None = None  # the federation file's name of the kind (services, quotas)
    parents: tuple[Parent, ...] = ()
    natural_key: NaturalKey | None = None  # unique within its parents (a constraint holds it)
    sort_keys: Mapping[str, str] = field(default_factory=dict)  # argument value -> property
    filters: Mapping[str, str] = field(default_factory=dict)  # filter -> predicate over `n` and `$v`
    order: str = "n.name"  # how walks order nodes of this kind (then by uid)
    cascade: Cascade | None = None
    fixed: Mapping[str, Any] = field(default_factory=dict)  # model values the kind itself decides
    stored_extra: Mapping[str, Any] = field(default_factory=dict)  # properties the kind itself stores
    extra_properties: frozenset[str] = frozenset()  # stored properties besides the model's fields
    # What a service offers: the ServiceIn field listing them, the field keying each, and whether the
    # key is unique within the provider (an image several compute services offer) or the service.
    offered_in: str | None = None
    key_field: str = "uuid"
    keyed_within_provider: bool = False
    root: bool = True  # a root list and a lookup by id
    writable: bool = True  # create<Type> / update<Type>
    deletable: bool = True  # delete<Type>

    def __post_init__(self) -> None:
        # Every kind answers to the freshness filters; a harvested kind is confirmed by its harvest.
        confirmed = "coalesce(n.harvestLastSuccessAt, n.updatedAt)" if self.harvested else "n.updatedAt"
        freshness = {
            "stale": "coalesce(n.stale, false) = $v",
            "confirmed_within": f"{confirmed} >= datetime() - duration($v)",
        }
        object.__setattr__(self, "filters", {**self.filters, **freshness})

    @property
    def harvested(self) -> bool:
        """Whether the kind records how its harvest went (providers and regions)."""
        return self.extra_properties >= HARVEST_PROPERTIES

    @property
    def node_labels(self) -> tuple[str, ...]:
        return self.labels or (self.label,)

    @property
    def key_label(self) -> str:
        """The label a node's uid is unique in (and that MATCHes it)."""
        return self.node_labels[0]

    @property
    def stored(self) -> frozenset[str]:
        """Every property a node of the kind may store: bookkeeping, then its model's own fields
        (less those that become other nodes or edges)."""
        return _stored(self.model) | self.extra_properties | frozenset(self.stored_extra)

    @property
    def never_temporal(self) -> frozenset[str]:
        """Stored properties whose values are never dates or times, by their model's annotations: a row of
        only these holds nothing the driver makes a `neo4j.time` value of (`resolvers.db.plain`)."""
        return _never_temporal(self.model) | NEVER_TEMPORAL_BOOKKEEPING

    @property
    def words(self) -> str:
        """The label in words, for messages: `volume type`, `SLA`."""
        return self.label if self.label.isupper() else re.sub(r"(?<!^)(?=[A-Z])", " ", self.label).lower()


COMMON_PROPERTIES = frozenset(
    {"uid", "description", "updatedAt", "stale", "addedBy", "addedAt", "changedBy", "changedAt"}
)
# How the feeder's last harvest of a provider, or of a region, went (`HarvestIn`, flattened).
HARVEST_PROPERTIES = frozenset({"harvestLastAttemptAt", "harvestLastSuccessAt", "harvestOutcome", "harvestError"})
# The properties of COMMON_PROPERTIES and HARVEST_PROPERTIES that are never dates or times (the others are).
NEVER_TEMPORAL_BOOKKEEPING = frozenset(
    {"uid", "description", "stale", "addedBy", "changedBy", "harvestOutcome", "harvestError"}
)
# A quota names its service by region and kind in the file; stored, it is an edge.
_QUOTA_REFERENCES = frozenset({"region", "service", "endpoint"})


def _nests_models(annotation: object) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_nests_models(a) for a in typing.get_args(annotation))


@cache
def _stored(model: type[BaseModel]) -> frozenset[str]:
    own = {to_camel(name) for name, f in model.model_fields.items() if not _nests_models(f.annotation)}
    if model is ff.QuotaIn:
        own -= _QUOTA_REFERENCES
    if model is ff.ProjectIn:
        own -= {"privateFlavors", "privateImages", "privateNetworks"}  # CAN_USE edges
    return COMMON_PROPERTIES | own


_NEVER_TEMPORAL_TYPES = (str, int, float, bool, type(None))


def _never_a_date(annotation: object) -> bool:
    """Values of `annotation` are never dates or times: text, numbers, booleans, enums, literals, and
    unions and lists of those. Anything else (a date, a datetime, a type not known here) may be."""
    if annotation in _NEVER_TEMPORAL_TYPES or (isinstance(annotation, type) and issubclass(annotation, Enum)):
        return True
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Literal:
        return True
    if origin is typing.Annotated:
        return _never_a_date(args[0])
    if origin in (typing.Union, types.UnionType, list, tuple, set, frozenset):
        return all(_never_a_date(a) for a in args if a is not Ellipsis)
    return False


@cache
def _never_temporal(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(to_camel(name) for name, f in model.model_fields.items() if _never_a_date(f.annotation))


# ------------------------------------------------------------------------------------------ filters
# Predicates over the node `n` and the filter value `$v` (rewritten to the parameter that carries it);
# `p.today` is the server's date. Subquery variables are prefixed `flt_` so they never capture a
# variable of the walk they are put in.
_IDS = {"ids": "n.uid IN $v"}
_NAMED = {**_IDS, "name": "n.name = $v", "name_contains": "toLower(n.name) CONTAINS toLower($v)"}
_SHAREABLE = {"uuid": "n.uuid = $v", "is_shared": "n.isShared = $v", "tag": "$v IN coalesce(n.tags, [])"}


def _parts(version: str) -> str:
    """A dotted version as a list of integers (lists compare element by element in Cypher)."""
    return f"[part IN split({version}, '.') | toInteger(part)]"


_SERVICE_FILTERS = {**_IDS, "name": "n.name = $v", "endpoint": "n.endpoint = $v"}
_SERVICE_SORT = {"endpoint": "endpoint", "name": "name"}

# ----------------------------------------------------------------------------------------- cascades
_OFFERED_ONLY_HERE = "WHERE NOT EXISTS { (d)<-[:OFFERS]-(other:Service) WHERE NOT other IN services }"
_SERVICE_CASCADE = Cascade(
    f"""
  MATCH (root)<-[:ON]-(d:Quota) RETURN d
  UNION WITH [root] AS services MATCH (root)-[:OFFERS]->(d) {_OFFERED_ONLY_HERE} RETURN d""",
    " with what only it offers and the quotas on it",
)


def quota_scoped(quota: str) -> str:
    """Cypher: the quota node `quota` is scoped (to a volume type, to GPUs): it limits only part of its service."""
    return f"coalesce({', '.join(f'{quota}.{p}' for p in ff.QUOTA_SCOPE_PROPERTIES)}) IS NOT NULL"


_QUOTA_ORDER = "n.kind, n.usage, n.perUser"  # by kind, then limits before per-user limits before usage


def _service(file_kind: str, label: str) -> NodeKind:
    return NodeKind(
        label,
        ff.ServiceIn,
        Visibility.PUBLIC,
        labels=(label, "Service"),
        family="Service",
        file_kind=file_kind,
        parents=(Parent("regionId", "Region", "SUPPLIES"),),
        natural_key=lambda props, up: f"{up['regionId']}/{file_kind}/{props['endpoint']}",
        sort_keys=_SERVICE_SORT,
        filters=_SERVICE_FILTERS,
        order="n.endpoint",
        cascade=_SERVICE_CASCADE,
        fixed={"kind": file_kind},
    )


def _quota(file_kind: str, label: str, service_label: str) -> NodeKind:
    return NodeKind(
        label,
        ff.QuotaIn,
        Visibility.GROUP_PROJECT_QUOTA,
        labels=("Quota", label),
        family="Quota",
        file_kind=file_kind,
        parents=(Parent("projectId", "Project", "HAS_QUOTA"), Parent("serviceId", service_label, "ON", False)),
        natural_key=lambda props, up: "/".join(
            (up["projectId"], up["serviceId"], str(props["perUser"]), str(props["usage"]))
            + ((ff.quota_scope(props),) if ff.quota_scope(props) else ())
        ),
        order=_QUOTA_ORDER,
        # The service is named by id here, not by region, kind and endpoint.
        fixed={"service": file_kind, "region": "-", "endpoint": None},
        stored_extra={"kind": file_kind},
        root=False,
    )


_KINDS: tuple[NodeKind, ...] = (
    NodeKind(
        "Provider",
        ff.ProviderIn,
        Visibility.PUBLIC,
        sort_keys={"name": "name", "type": "type", "status": "status"},
        filters={**_NAMED, "type": "n.type IN $v", "status": "n.status IN $v", "is_public": "n.isPublic = $v"},
        extra_properties=HARVEST_PROPERTIES,
        cascade=Cascade(
            """
  MATCH (root)-[:DIVIDED_INTO]->(d:Region) RETURN d
  UNION MATCH (root)-[:DIVIDED_INTO]->(:Region)-[:SUPPLIES]->(d:Service) RETURN d
  UNION MATCH (root)-[:DIVIDED_INTO]->(:Region)-[:SUPPLIES]->(:Service)-[:OFFERS]->(d) RETURN d
  UNION MATCH (root)-[:HOSTS]->(d:Project) RETURN d
  UNION MATCH (root)-[:HOSTS]->(:Project)-[:HAS_QUOTA]->(d:Quota) RETURN d""",
            " with its regions, services, what they offer, projects and quotas",
        ),
    ),
    NodeKind(
        "Region",
        ff.RegionIn,
        Visibility.PUBLIC,
        parents=(Parent("providerId", "Provider", "DIVIDED_INTO"),),
        natural_key=lambda props, up: f"{up['providerId']}/{props['name']}",
        sort_keys={"name": "name"},
        filters={
            **_NAMED,
            "provider_id": "EXISTS { (n)<-[:DIVIDED_INTO]-(:Provider {uid: $v}) }",
            "identity_endpoint": "EXISTS { (n)-[:SUPPLIES]->(:IdentityService {endpoint: $v}) }",
            "country": "EXISTS { (n)-[:LOCATED_AT]->(flt_location:Location)"
            " WHERE flt_location.country = $v OR flt_location.countryCode = $v }",
            "public_ip_assignable": "n.publicIpAssignable = $v",
        },
        extra_properties=HARVEST_PROPERTIES,
        cascade=Cascade(
            f"""
  MATCH (root)-[:SUPPLIES]->(d:Service) RETURN d
  UNION MATCH (root)-[:SUPPLIES]->(s:Service)<-[:ON]-(d:Quota) RETURN d
  UNION MATCH (root)-[:SUPPLIES]->(s:Service) WITH collect(s) AS services
        UNWIND services AS s MATCH (s)-[:OFFERS]->(d) {_OFFERED_ONLY_HERE} RETURN d""",
            " with its services, what only they offer, and the quotas on them",
        ),
    ),
    NodeKind(
        "Location",
        ff.LocationIn,
        Visibility.PUBLIC,
        sort_keys={"site": "site", "country": "country"},
        filters={**_IDS, "site": "n.site = $v", "country": "(n.country = $v OR n.countryCode = $v)"},
        order="n.site",
        extra_properties=frozenset({"countryCode"}),
    ),
    NodeKind(
        "IdentityProvider",
        ff.IdentityProviderIn,
        Visibility.MEMBERS,
        sort_keys={"endpoint": "endpoint"},
        filters={**_IDS, "endpoint": "n.endpoint = $v"},
        order="n.endpoint",
        cascade=Cascade(
            """
  MATCH (root)<-[:BELONGS_TO]-(d:UserGroup) RETURN d
  UNION MATCH (root)<-[:BELONGS_TO]-(:UserGroup)-[:AGREES]->(d:SLA) RETURN d""",
            " with its user groups and their SLAs",
        ),
    ),
    NodeKind(
        "UserGroup",
        ff.UserGroupIn,
        Visibility.OWN_GROUP,
        parents=(Parent("identityProviderId", "IdentityProvider", "BELONGS_TO", towards_node=False),),
        natural_key=lambda props, up: f"{up['identityProviderId']}/{props['name']}",
        sort_keys={"name": "name"},
        filters={**_NAMED, "issuer": "EXISTS { (n)-[:BELONGS_TO]->(:IdentityProvider {endpoint: $v}) }"},
        cascade=Cascade("MATCH (root)-[:AGREES]->(d:SLA) RETURN d", " with its SLAs"),
    ),
    NodeKind(
        "SLA",
        ff.SLAIn,
        Visibility.GROUP_SLA,
        parents=(Parent("userGroupId", "UserGroup", "AGREES"),),
        sort_keys={"doc_uuid": "docUuid", "start_date": "startDate", "end_date": "endDate"},
        filters={
            **_IDS,
            "doc_uuid": "n.docUuid = $v",
            "in_force": "((n.startDate <= p.today AND p.today <= n.endDate) = $v)",
            "in_force_on": "(n.startDate <= $v AND $v <= n.endDate)",
            "provider_status": "EXISTS { (n)-[:COVERS]->(:Project)<-[:HOSTS]-(flt_provider:Provider)"
            " WHERE flt_provider.status IN $v }",
        },
        order="n.startDate",
        # The signed document's metadata (the object itself is in S3).
        extra_properties=frozenset(
            {"documentKey", "documentSha256", "documentSize", "documentMediaType", "documentUploadedAt"}
        ),
    ),
    NodeKind(
        "Project",
        ff.ProjectIn,
        Visibility.GROUP_PROJECT,
        parents=(Parent("providerId", "Provider", "HOSTS"),),
        natural_key=lambda props, up: f"{up['providerId']}/{props['uuid']}",
        sort_keys={"name": "name", "uuid": "uuid"},
        filters={
            **_NAMED,
            "uuid": "n.uuid = $v",
            "provider_id": "EXISTS { (n)<-[:HOSTS]-(:Provider {uid: $v}) }",
            "provider_status": "EXISTS { (n)<-[:HOSTS]-(flt_provider:Provider) WHERE flt_provider.status IN $v }",
            "user_group_id": "EXISTS { (n)<-[:COVERS]-(:SLA)<-[:AGREES]-(:UserGroup {uid: $v}) }",
            "user_group": "EXISTS { (n)<-[:COVERS]-(:SLA)<-[:AGREES]-(:UserGroup {name: $v.name})"
            "-[:BELONGS_TO]->(:IdentityProvider {endpoint: $v.issuer}) }",
        },
        cascade=Cascade("MATCH (root)-[:HAS_QUOTA]->(d:Quota) RETURN d", " with its quotas"),
    ),
    NodeKind(
        "Service",
        ff.ServiceIn,
        Visibility.PUBLIC,
        filters=_SERVICE_FILTERS,
        order="n.endpoint",
        root=False,
        writable=False,
        deletable=False,
    ),
    _service("compute", "ComputeService"),
    _service("blockStorage", "BlockStorageService"),
    _service("network", "NetworkService"),
    _service("objectStore", "ObjectStoreService"),
    _service("identity", "IdentityService"),
    NodeKind(
        "Flavor",
        ff.FlavorIn,
        Visibility.SHARED_OR_LINKED,
        offered_in="flavors",
        parents=(Parent("computeServiceId", "ComputeService", "OFFERS"),),
        natural_key=lambda props, up: f"{up['computeServiceId']}/{props['uuid']}",
        sort_keys={"name": "name", "vcpus": "vcpus", "ram": "ram", "disk": "disk", "gpus": "gpus"},
        filters={
            **_NAMED,
            **_SHAREABLE,
            "vcpus_min": "n.vcpus >= $v",
            "ram_min": "n.ram >= $v",
            "disk_min": "n.disk >= $v",
            "gpus_min": "n.gpus >= $v",
            "gpu_vendor": "toLower(n.gpuVendor) = toLower($v)",
            "gpu_model": "toLower(n.gpuModel) CONTAINS toLower($v)",
            "infiniband": "n.infiniband = $v",
            "local_storage": "n.localStorage = $v",
        },
    ),
    NodeKind(
        "Image",
        ff.ImageIn,
        Visibility.SHARED_OR_LINKED,
        offered_in="images",
        keyed_within_provider=True,
        parents=(Parent("computeServiceId", "ComputeService", "OFFERS"),),
        # An image may be offered by several compute services of its provider: keyed within the provider.
        natural_key=lambda props, up: f"{up['provider']}/{props['uuid']}",
        sort_keys={"name": "name"},
        filters={
            **_NAMED,
            **_SHAREABLE,
            "os_type": "n.osType = $v",
            "os_distro": "toLower(n.osDistro) = toLower($v)",
            "os_version": "n.osVersion = $v",
            "architecture": "n.architecture = $v",
            "cuda_support": "n.cudaSupport = $v",
            "gpu_driver": "n.gpuDriver = $v",
            # Dotted versions compare part by part as numbers (12.10 > 12.9); no version: no match.
            "cuda_version_min": f"{_parts('n.cudaVersion')} >= {_parts('$v')}",
            "gpu_driver_version_min": f"{_parts('n.gpuDriverVersion')} >= {_parts('$v')}",
        },
    ),
    NodeKind(
        "Network",
        ff.NetworkIn,
        Visibility.MEMBERS_SHARED_OR_LINKED,
        offered_in="networks",
        parents=(Parent("networkServiceId", "NetworkService", "OFFERS"),),
        natural_key=lambda props, up: f"{up['networkServiceId']}/{props['uuid']}",
        sort_keys={"name": "name"},
        filters={
            **_NAMED,
            **_SHAREABLE,
            "is_router_external": "n.isRouterExternal = $v",
            "is_default": "n.isDefault = $v",
        },
    ),
    NodeKind(
        "VolumeType",
        ff.VolumeTypeIn,
        Visibility.MEMBERS,
        offered_in="volume_types",
        key_field="name",
        parents=(Parent("blockStorageServiceId", "BlockStorageService", "OFFERS"),),
        natural_key=lambda props, up: f"{up['blockStorageServiceId']}/{props['name']}",
        sort_keys={"name": "name"},
        filters={**_IDS, "name": "n.name = $v"},
    ),
    NodeKind(
        "Quota",
        ff.QuotaIn,
        Visibility.GROUP_PROJECT_QUOTA,
        family="Quota",
        sort_keys={"kind": "kind"},
        filters={
            **_IDS,
            "kind": "n.kind IN $v",
            "per_user": "n.perUser = $v",
            "usage": "n.usage = $v",
            "scoped": f"({quota_scoped('n')}) = $v",
            "volume_type": "n.volumeType = $v",
            "gpu_vendor": "toLower(n.gpuVendor) = toLower($v)",
        },
        order=_QUOTA_ORDER,
        extra_properties=frozenset({"kind"}),
        writable=False,
    ),
    _quota("compute", "ComputeQuota", "ComputeService"),
    _quota("blockStorage", "BlockStorageQuota", "BlockStorageService"),
    _quota("network", "NetworkQuota", "NetworkService"),
    _quota("objectStore", "ObjectStoreQuota", "ObjectStoreService"),
)

KINDS: Mapping[str, NodeKind] = {kind.label: kind for kind in _KINDS}
# Kinds of which a node may be private to the projects linked to it (CAN_USE).
PRIVATE_CAPABLE = (Visibility.SHARED_OR_LINKED, Visibility.MEMBERS_SHARED_OR_LINKED)

# Members of a family answer to the family's filters and order when a walk reaches them by it.
EDGES: tuple[Edge, ...] = (
    Edge("DIVIDED_INTO", "Provider", "Region"),
    Edge("LOCATED_AT", "Region", "Location"),
    Edge("HOSTS", "Provider", "Project"),
    Edge("TRUSTS", "Provider", "IdentityProvider"),
    Edge("SUPPLIES", "Region", "Service"),
    *(Edge("OFFERS", p.label, kind.label) for kind in _KINDS if kind.family is None for p in kind.parents
      if p.edge == "OFFERS"),
    Edge("BELONGS_TO", "UserGroup", "IdentityProvider"),
    Edge("AGREES", "UserGroup", "SLA"),
    Edge("COVERS", "SLA", "Project"),
    Edge("HAS_QUOTA", "Project", "Quota"),
    Edge("ON", "Quota", "Service"),
    # A project may use the private resources linked to it.
    *(Edge("CAN_USE", "Project", kind.label) for kind in _KINDS if kind.visibility in PRIVATE_CAPABLE),
)  # fmt: skip

OFFERED: tuple[NodeKind, ...] = tuple(kind for kind in _KINDS if kind.offered_in)
NODE_LABELS = frozenset(label for kind in _KINDS for label in (kind.label, *kind.node_labels))
EDGE_TYPES = frozenset(edge.type for edge in EDGES)
SERVICE_LABELS: Mapping[str, str] = {k.file_kind: k.label for k in _KINDS if k.family == "Service" and k.file_kind}
QUOTA_LABELS: Mapping[str, str] = {k.file_kind: k.label for k in _KINDS if k.family == "Quota" and k.file_kind}


def kind_of(label: str) -> NodeKind:
    """The kind of a label (KeyError for a label the table does not know)."""
    return KINDS[label]


def is_a(label: str, ancestor: str) -> bool:
    """Whether nodes labelled `label` carry `ancestor` too (a service is a `Service`)."""
    return label == ancestor or (label in KINDS and ancestor in KINDS[label].node_labels)


def edge_between(source: str, target: str) -> Edge:
    """The one edge type from `source` nodes to `target` nodes (families count)."""
    found = [e for e in EDGES if is_a(source, e.source) and is_a(target, e.target)]
    if len(found) != 1:
        raise LookupError(f"{len(found)} edge types from {source} to {target}")
    return found[0]


def primary_label(labels: Iterable[str]) -> str:
    """The label a node is counted and keyed under: a service's own kind (not `Service`), and `Quota`
    for every kind of quota."""
    labels = list(labels)
    if "Quota" in labels:
        return "Quota"
    specific = [label for label in labels if label != "Service"]
    return specific[0] if specific else labels[0]


def check_labels(labels: Iterable[str]) -> None:
    """Labels become Cypher text: only the table's may."""
    unknown = set(labels) - NODE_LABELS
    if unknown:
        raise ValueError(f"unknown labels {sorted(unknown)}")
