"""Which walk answers which field of the read schema: what the one-statement compiler reads.

Each field resolver of `schema/` reads through one walk (`walk_nodes`/`walk_node`) from a key made of
its object's id (or of its project's and its own). This table says the same, per (GraphQL type,
field), so that the compiler (`schema/compiled_reads.py`) can read every walk of an operation in one
statement and hand the rows to the very loaders those resolvers load from. If the table and a
resolver ever disagree, the resolver simply misses the primed loader and reads for itself: answers
stay right, and the statement-count test fails.

A field with Cypher of its own (e.g. placement) joins the compiled statement through `FIELD_COMPILERS`
(see `FieldCompiler`); a field neither here nor there, whose resolver reads the database, takes the
named fallback (`FALLBACK`): its resolver reads for itself, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from resolvers import may_use
from resolvers.kinds import KINDS
from resolvers.placement import PLACEMENTS_BY_USER_GROUP
from resolvers.walks import Walk, edge_walk
from resolvers.walks.project import QUOTAS_BY_PROJECT_ON_SERVICE
from resolvers.walks.provider import TRUSTS_BY_IDENTITY_PROVIDER, TRUSTS_BY_PROVIDER

if TYPE_CHECKING:
    from resolvers.context import RequestContext

# Where a walk's key comes from: the object's id, or a pair of the object's project and the object.
OWN_ID = "uid"


@dataclass(frozen=True)
class ByWalk:
    """The field is the rows `walk` reaches from the object's key (`pair_with`: the key is
    pair(project=<the object's project>, <pair_with>=<the object's id>)); `sets_project`: the rows are
    seen by the object, a project (their fields' keys pair with it); `where_of`: the walk's filter
    from the field's arguments, when it is not their `where`."""

    walk: Walk
    pair_with: str | None = None
    sets_project: bool = False
    # The filter the resolver hands its walk, from the field's arguments (default: its `where`). It may
    # raise a `Refusal`: the resolver then refuses the same arguments itself.
    where_of: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None


@dataclass(frozen=True)
class Part:
    """The field is an object built from the row's `key` (a trust's provider); None: from the row itself
    (a project region's region)."""

    key: str | None = None


Reach = ByWalk | Part

_SERVICES = ("ComputeService", "BlockStorageService", "NetworkService", "ObjectStoreService", "IdentityService")
_QUOTA_SERVICE = {"ComputeQuota": "ComputeService", "BlockStorageQuota": "BlockStorageService",
                  "NetworkQuota": "NetworkService", "ObjectStoreQuota": "ObjectStoreService"}  # fmt: skip
_PROJECT_SERVICES = tuple(f"Project{label}" for label in _SERVICES if label != "IdentityService")


def _camel(label: str, plural: bool = True) -> str:
    return label[0].lower() + label[1:] + ("s" if plural else "")


def _edge(source: str, target: str) -> ByWalk:
    return ByWalk(edge_walk(source, target))


def _placement_filter(arguments: Mapping[str, Any]) -> Mapping[str, Any]:
    from schema.placement import placement_filter  # (schema/placement.py builds its types on this module's)

    return placement_filter(arguments["request"], arguments["order_by"], arguments["fits_only"])


def _table() -> dict[tuple[str, str], Reach]:
    reach: dict[tuple[str, str], Reach] = {
        ("Provider", "regions"): _edge("Provider", "Region"),
        ("Provider", "projects"): _edge("Provider", "Project"),
        ("Provider", "trusts"): ByWalk(TRUSTS_BY_PROVIDER),
        ("Trust", "provider"): Part("provider"),
        ("Trust", "identityProvider"): Part("identityProvider"),
        ("Region", "provider"): _edge("Region", "Provider"),
        ("Region", "location"): _edge("Region", "Location"),
        **{("Region", _camel(label)): _edge("Region", label) for label in _SERVICES},
        ("Location", "regions"): _edge("Location", "Region"),
        ("IdentityProvider", "userGroups"): _edge("IdentityProvider", "UserGroup"),
        ("IdentityProvider", "trusts"): ByWalk(TRUSTS_BY_IDENTITY_PROVIDER),
        ("UserGroup", "identityProvider"): _edge("UserGroup", "IdentityProvider"),
        ("UserGroup", "slas"): _edge("UserGroup", "SLA"),
        ("UserGroup", "deploymentTargets"): ByWalk(may_use.DEPLOYMENT_TARGETS_BY_USER_GROUP),
        **{("DeploymentTarget", part): Part(part) for part in ("sla", "project", "provider", "region",
                                                                "computeService")},
        ("UserGroup", "placements"): ByWalk(PLACEMENTS_BY_USER_GROUP, where_of=_placement_filter),
        **{("Placement", part): Part(part) for part in ("sla", "project", "provider", "region", "computeService")},
        ("SLA", "userGroup"): _edge("SLA", "UserGroup"),
        ("SLA", "projects"): _edge("SLA", "Project"),
        ("Project", "provider"): _edge("Project", "Provider"),
        ("Project", "slas"): _edge("Project", "SLA"),
        ("Project", "quotas"): _edge("Project", "Quota"),
        ("Project", "regions"): ByWalk(may_use.REGIONS_USABLE_BY_PROJECT, sets_project=True),
        ("ProjectRegion", "region"): Part(),
        ("ProjectRegion", "identityServices"): _edge("Region", "IdentityService"),
        ("VolumeType", "blockStorageService"): _edge("VolumeType", "BlockStorageService"),
        ("ComputeService", "flavors"): _edge("ComputeService", "Flavor"),
        ("ComputeService", "images"): _edge("ComputeService", "Image"),
        ("BlockStorageService", "volumeTypes"): _edge("BlockStorageService", "VolumeType"),
        ("NetworkService", "networks"): _edge("NetworkService", "Network"),
        ("Network", "networkService"): _edge("Network", "NetworkService"),
    }  # fmt: skip
    for label, walk in may_use.RESOURCES_USABLE_BY_PROJECT.items():
        reach["Project", _camel(label)] = ByWalk(walk)
        reach["Project", f"private{label}s"] = _edge("Project", label)
        reach[label, "usableBy"] = ByWalk(may_use.PROJECTS_ALLOWED[label])
    for label in ("Flavor", "Image"):
        reach[label, "computeServices"] = _edge(label, "ComputeService")
    for label in _SERVICES:
        reach[label, "region"] = _edge("Service", "Region")
        if label != "IdentityService":
            reach[label, "quotas"] = _edge("Service", "Quota")
    for label, walk in may_use.SERVICES_USABLE_IN_REGION.items():
        reach["ProjectRegion", _camel(label)] = ByWalk(walk, pair_with="region")
    for wrapper in _PROJECT_SERVICES:
        reach[wrapper, "service"] = Part()
        reach[wrapper, "quotas"] = ByWalk(QUOTAS_BY_PROJECT_ON_SERVICE, pair_with="service")
    for resource, walk in may_use.RESOURCES_USABLE_BY_PROJECT_ON_SERVICE.items():
        wrapper = f"Project{may_use.OFFERED_BY[resource]}"
        reach[wrapper, _camel(resource)] = ByWalk(walk, pair_with="service")
    for quota, service in _QUOTA_SERVICE.items():
        reach[quota, "project"] = _edge("Quota", "Project")
        reach[quota, "service"] = _edge("Quota", service)
    return reach


FIELD_READS: Mapping[tuple[str, str], Reach] = _table()

# Fields whose resolvers read nothing from Neo4j: a page's nodes (from its edges) and a document's
# download link (presigned from the document's key, by the S3 client, after the statement).
NO_READS = frozenset({("SLADocument", "downloadUrl"), *((f"{label}Connection", "nodes") for label in KINDS)})


class FieldCompiler(Protocol):
    """A field with Cypher of its own, joining the compiled statement (the extension point).

    `fragment` gets the field's arguments as its resolver gets them (Strawberry's) and the name of its
    own parameter. It returns Cypher (and that parameter's value) reading `p` (`p.today`; `p.scope`, the
    caller, for the predicates of `resolvers/visibility.py`), `$<name>`, and `objects`: the rows of
    every object the field is asked of (maps of their stored properties, `uid` always among them;
    `[null]` for a root field), ending in `RETURN <value> AS value`, one row; or None, when it cannot
    compile these arguments (then the field takes the fallback: its resolver reads for itself).
    `deliver` is handed the value and puts what each object's resolver needs where that resolver looks
    first (e.g. primes its loader), so that the resolvers answer without a statement of their own.
    """

    def fragment(self, arguments: Mapping[str, Any], name: str) -> tuple[str, Any] | None: ...

    def deliver(self, context: RequestContext, arguments: Mapping[str, Any], value: Any) -> None: ...


# (GraphQL type, field) -> its compiler. Placement registers here: see `FieldCompiler`.
FIELD_COMPILERS: dict[tuple[str, str], FieldCompiler] = {}


def register_field_compiler(type_name: str, field: str, compiler: FieldCompiler) -> None:
    """A field of `type_name` joins the compiled statement with its own Cypher."""
    FIELD_COMPILERS[type_name, field] = compiler
