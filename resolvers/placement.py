"""Placement: where one deployment fits among the places a user group may use, how much quota is left, and why not.

One Placement per (SLA, project, region, compute service) the group may use (the may-use rule of
`resolvers/may_use.py`), whether its SLA is in force and its provider active or not: those that do
not fit say why. Everything is computed by one Cypher fragment (`placement_cypher`), so that a
statement compiler can put it inside `CALL (g, p) { ... }`; today's resolver runs it as a walk
(`PLACEMENTS_BY_USER_GROUP`), one statement for every group of the request.

Visibility: a row needs the caller to see its SLA (the group's own, or an administrator). That is
enough for the rest: the SLA covers the project, and the may-use rule reaches only shared resources
and the project's own private ones, so nothing of another group's projects, flavors or quotas is
read into a placement. (Fewer visibility subqueries also keep the plan, which Neo4j makes once per
statement text, cheap: it took seconds with them on every flavor and image.)

The arithmetic, as the README ("Placement") states it:
- requested = the request's per-instance figure × instances (cores, RAM, GPUs), the instances
  themselves, and the request's block storage GiB and public IPs as they are (totals);
- project remaining = limit − usage of the project's limit quota on the service; a missing usage
  record or figure counts as 0 used. No limit quota on the service, a figure the quota leaves out,
  or −1: unlimited (null);
- per-user remaining = the per-user limit itself (no user's own usage is recorded); absent or −1:
  unlimited;
- remaining = the smaller of the two (null only when both are unlimited); a resource fits when
  nothing of it is requested or requested ≤ remaining;
- GPU-scoped quotas (`gpuVendor`/`gpuModel`/`gpuResource`, Kubernetes' `requests.nvidia.com/gpu`, a
  MIG profile) apply to a flavor with GPUs whose vendor equals the scope's and whose model contains
  the scope's (case-insensitive; a scope field left empty matches any; gpuResource does not narrow):
  the request's GPUs × instances must fit each of them too (project: limit − usage of that scope;
  per user: its per-user limit). A flavor fits only if they all do; `remaining` adds a GPUS entry,
  with its scope, per scoped quota that applies to the first flavor listed (the smallest that fits,
  or when none fits the quotas the smallest that fits the request), so `remaining`, `score` and the
  QUOTA_EXCEEDED reasons all speak of the flavor the orchestrator would take;
- block storage and public IPs are counted on the region's block storage / network service the
  project may use (the first by endpoint when there are several); with none, the resource is not
  available (remaining 0, reason NO_USABLE_SERVICE when some is requested);
- score = the smallest fraction left after placement, (remaining − requested) / max(remaining, 1),
  over the requested resources with a finite remaining (1.0 when there is none); rank 1 is the
  best: fitting first, then higher score, then provider, region, compute endpoint, SLA, project.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic.alias_generators import to_camel

from resolvers.federation_file import QUOTA_SCOPES
from resolvers.kinds import quota_scoped
from resolvers.may_use import holds_limit_quota, may_use_resource, may_use_service, offers_linked
from resolvers.visibility import Scope
from resolvers.walks import Walk

# Resource -> (the quota figure it reads, the service whose quotas hold it).
RESOURCES: Mapping[str, tuple[str, str]] = {
    "CORES": ("cores", "compute"),
    "RAM": ("ram", "compute"),
    "INSTANCES": ("instances", "compute"),
    "GPUS": ("gpus", "compute"),
    "BLOCK_STORAGE": ("gigabytes", "blockStorage"),
    "PUBLIC_IPS": ("publicIps", "network"),
}

# How much of each resource the request asks for, over `req` (per-instance figures × instances).
_REQUESTED = {
    "CORES": "req.vcpus * req.instances",
    "RAM": "req.ram * req.instances",
    "INSTANCES": "req.instances",
    "GPUS": "req.gpus * req.instances",
    "BLOCK_STORAGE": "req.blockStorage",
    "PUBLIC_IPS": "req.publicIps",
}

# Flavors and images that fit the request (unset request fields do not narrow).
_FLAVOR_FITS = """fl.vcpus >= req.vcpus AND fl.ram >= req.ram AND fl.disk >= req.disk AND fl.gpus >= req.gpus
      AND (req.gpuVendor IS NULL OR toLower(fl.gpuVendor) = toLower(req.gpuVendor))
      AND (req.gpuModel IS NULL OR toLower(fl.gpuModel) CONTAINS toLower(req.gpuModel))
      AND (NOT req.infiniband OR fl.infiniband)
      AND (req.localStorage IS NULL OR fl.localStorage = req.localStorage)"""


def _version(expression: str) -> str:
    """A dotted version as a list of integers (lists compare element by element in Cypher)."""
    return f"[part IN split({expression}, '.') | toInteger(part)]"


_IMAGE_FITS = f"""(req.osDistro IS NULL OR toLower(im.osDistro) = toLower(req.osDistro))
      AND (req.osVersion IS NULL OR im.osVersion = req.osVersion)
      AND (req.architecture IS NULL OR im.architecture = req.architecture)
      AND (req.cudaVersionMin IS NULL OR {_version("im.cudaVersion")} >= {_version("req.cudaVersionMin")})
      AND (req.gpuDriverVersionMin IS NULL
           OR {_version("im.gpuDriverVersion")} >= {_version("req.gpuDriverVersionMin")})"""


def _region_service(label: str, var: str) -> str:
    """The region's service of `label` the project may use (the first by endpoint), or null, as `var`."""
    found = f"[(r)-[:SUPPLIES]->(s:{label}) WHERE {may_use_service('pr', 's')} | s]"
    first = "CASE WHEN first IS NULL OR s.endpoint < first.endpoint THEN s ELSE first END"
    return f"reduce(first = null, s IN {found} | {first}) AS {var}"


def _quotas(service: str, prefix: str) -> tuple[str, str]:
    """The project's quotas on `service`, then its limit, per-user limit and usage quota (each null when absent)."""
    # The unscoped quotas: one scoped to a volume type or to GPUs limits only part of the service.
    found = f"[(pr)-[:HAS_QUOTA]->(q:Quota)-[:ON]->({service}) WHERE NOT {quota_scoped('q')} | q] AS {prefix}Quotas"
    if prefix == "c":  # the compute service's GPU-scoped ones, read by `_SCOPED_HEADROOM`
        found += f", [(pr)-[:HAS_QUOTA]->(q:Quota)-[:ON]->({service}) WHERE {quota_scoped('q')} | q] AS cScoped"
    picked = (
        f"[q IN {prefix}Quotas WHERE NOT q.usage AND NOT q.perUser][0] AS {prefix}Limit, "
        f"[q IN {prefix}Quotas WHERE NOT q.usage AND q.perUser][0] AS {prefix}PerUser, "
        f"[q IN {prefix}Quotas WHERE q.usage AND NOT q.perUser][0] AS {prefix}Usage"
    )
    return found, picked


# The scope fields of a GPU-scoped quota, as stored (camelCase): gpuVendor, gpuModel, gpuResource.
GPU_SCOPE = tuple(to_camel(f) for f in QUOTA_SCOPES["compute"])


def _same_scope(quota: str, scope: str) -> str:
    """Cypher: the quota `quota` has exactly the scope of the map `scope` (an empty field matches only empty)."""
    return " AND ".join(f"coalesce({quota}.{f}, '') = coalesce({scope}.{f}, '')" for f in GPU_SCOPE)


def _scope_matches(scope: str, flavor: str) -> str:
    """Cypher: the GPU scope `scope` counts the GPUs of `flavor` (vendor equal, model contained, any case;
    a scope field left empty matches any; gpuResource names the unit, it does not narrow)."""
    # A flavor that does not say its vendor or model matches no scope that names one (null is false here).
    return (
        f"coalesce({flavor}.gpus > 0"
        f" AND ({scope}.gpuVendor IS NULL OR toLower({flavor}.gpuVendor) = toLower({scope}.gpuVendor))"
        f" AND ({scope}.gpuModel IS NULL OR toLower({flavor}.gpuModel) CONTAINS toLower({scope}.gpuModel)), false)"
    )


# The distinct GPU scopes of the project's limit quotas on the compute service (read once, in `cScoped`);
# then each with its figures.
_GPU_SCOPES = f"""COLLECT {{ UNWIND cScoped AS q WITH q
            WHERE NOT q.usage AND ({" OR ".join(f"q.{f} IS NOT NULL" for f in GPU_SCOPE)})
            RETURN DISTINCT {{{", ".join(f"{f}: q.{f}" for f in GPU_SCOPE)}}} AS scope
            ORDER BY {", ".join(f"coalesce(scope.{f}, '')" for f in GPU_SCOPE)} }}"""
_SCOPED_HEADROOM = f"""[s IN gpuScopes |
    {{scope: s, requested: req.gpus * req.instances,
     limit: [q IN cScoped WHERE NOT q.usage AND NOT q.perUser AND {_same_scope("q", "s")}][0].gpus,
     used: [q IN cScoped WHERE q.usage AND NOT q.perUser AND {_same_scope("q", "s")}][0].gpus,
     userLimit: [q IN cScoped WHERE NOT q.usage AND q.perUser AND {_same_scope("q", "s")}][0].gpus}}]"""


def _scoped_fit(scoped: str, flavor: str) -> str:
    """Cypher: `flavor` fits every scoped GPU figure of `scoped` (maps of `_SCOPED_HEADROOM`) that matches it."""
    return (
        f"all(s IN {scoped} WHERE NOT {_scope_matches('s.scope', flavor)} OR s.requested = 0"
        " OR s.remaining IS NULL OR s.requested <= s.remaining)"
    )


def _headroom(resource: str) -> str:
    """One resource's figures as a map: what is requested and left (project, per user). null: unlimited."""
    figure, service = RESOURCES[resource]
    q = {"compute": "c", "blockStorage": "b", "network": "nw"}[service]
    # The compute service is one the project may use; a region may supply no block storage or network one.
    usable = "true" if service == "compute" else f"{q}Service IS NOT NULL"
    unavailable = "" if service == "compute" else f"WHEN {q}Service IS NULL THEN 0 "
    # No limit quota on a service the project may use (through private resources only) is no limit.
    project = (
        f"CASE {unavailable}WHEN {q}Limit IS NULL OR {q}Limit.{figure} IS NULL OR {q}Limit.{figure} = -1 THEN null"
        f" ELSE {q}Limit.{figure} - coalesce({q}Usage.{figure}, 0) END"
    )
    per_user = f"CASE WHEN {q}PerUser.{figure} = -1 THEN null ELSE {q}PerUser.{figure} END"
    return (
        f"{{resource: '{resource}', requested: {_REQUESTED[resource]}, usable: {usable},\n"
        f"       project: {project},\n       perUser: {per_user}}}"
    )


# The services whose quotas a placement reads, and the prefix of their variables.
_QUOTED = (("cs", "c"), ("bService", "b"), ("nwService", "nw"))


def placement_cypher(group: str = "g", request: str = "req") -> str:
    """The Cypher body of the placements of the user group `group` (a node variable) for the request
    map `request` (a Cypher expression: a parameter, or `p.f.request`), as `placement` maps, one per
    row, ranked (`rank` 1 is the best). It reads `p.scope` and `p.today` as every statement does and
    imports `group` and `p`: use it inside `CALL ({group}, p) {{ ... }}`."""
    headroom = ",\n      ".join(_headroom(resource) for resource in RESOURCES)
    found = ",\n  ".join(_quotas(service, prefix)[0] for service, prefix in _QUOTED)
    picked = ",\n  ".join(_quotas(service, prefix)[1] for service, prefix in _QUOTED)
    return f"""WITH {group}, p, {request} AS req
MATCH ({group})-[:AGREES]->(sla:SLA)-[:COVERS]->(pr:Project)<-[:HOSTS]-(prov:Provider)
WHERE {Scope.predicate("SLA", "sla")}
  AND (req.providers IS NULL OR prov.uid IN req.providers OR prov.name IN req.providers)
  AND NOT (prov.uid IN req.excludeProviders OR prov.name IN req.excludeProviders)
MATCH (prov)-[:DIVIDED_INTO]->(r:Region)-[:SUPPLIES]->(cs:ComputeService)
WITH *, {holds_limit_quota("pr", "cs")} AS limited
WHERE limited OR {offers_linked("pr", "cs")}
WITH *,
  COLLECT {{ MATCH (cs)-[:OFFERS]->(fl:Flavor) WHERE {may_use_resource("pr", "fl", "limited")}
            RETURN fl ORDER BY fl.gpus, fl.vcpus, fl.ram, fl.disk, fl.name, fl.uid }} AS usable_flavors,
  COLLECT {{ MATCH (cs)-[:OFFERS]->(im:Image) WHERE {may_use_resource("pr", "im", "limited")}
            RETURN im ORDER BY im.name, im.uid }} AS usable_images
WITH *, size(usable_flavors) AS usableFlavors, size(usable_images) AS usableImages,
  [fl IN usable_flavors WHERE {_FLAVOR_FITS} | fl {{.*}}] AS sized,
  [im IN usable_images WHERE {_IMAGE_FITS} | im {{.*}}] AS images
WITH *, {_region_service("BlockStorageService", "bService")},
  {_region_service("NetworkService", "nwService")}
WITH *, {found}
WITH *, {picked}, {_GPU_SCOPES} AS gpuScopes
WITH *, [h IN {_SCOPED_HEADROOM} | h {{.*,
    project: CASE WHEN h.limit IS NULL OR h.limit = -1 THEN null ELSE h.limit - coalesce(h.used, 0) END,
    perUser: CASE WHEN h.userLimit = -1 THEN null ELSE h.userLimit END}}] AS scopedFigures
WITH *, [s IN scopedFigures | s {{.*, remaining: CASE WHEN s.project IS NULL THEN s.perUser
    WHEN s.perUser IS NULL OR s.project < s.perUser THEN s.project ELSE s.perUser END}}] AS scopedHeadroom
WITH *, [fl IN sized WHERE {_scoped_fit("scopedHeadroom", "fl")}] AS flavors
WITH *, coalesce(flavors[0], sized[0]) AS chosen
WITH p, req, sla, pr, prov, r, cs, sized, flavors, images, usableFlavors, usableImages,
  [x IN [
      {headroom}
    ] + [s IN scopedHeadroom WHERE chosen IS NOT NULL AND {_scope_matches("s.scope", "chosen")} |
      {{resource: 'GPUS', scope: s.scope, requested: s.requested, usable: true, project: s.project,
       perUser: s.perUser}}]
    | x {{.*, remaining: CASE WHEN x.project IS NULL THEN x.perUser WHEN x.perUser IS NULL THEN x.project
                             WHEN x.perUser < x.project THEN x.perUser ELSE x.project END}}] AS figures,
  sla.startDate <= coalesce(req.on, p.today) AND coalesce(req.on, p.today) <= sla.endDate AS inForce,
  coalesce(prov.harvestLastSuccessAt, prov.updatedAt) AS confirmedAt
WITH p, req, sla, pr, prov, r, cs, sized, flavors, images, usableFlavors, usableImages, inForce, confirmedAt,
  [x IN figures | x {{.*, fits: x.requested = 0 OR (x.usable AND (x.remaining IS NULL OR x.requested <= x.remaining)),
                     left: CASE WHEN x.requested > 0 AND x.remaining IS NOT NULL
                       THEN toFloat(x.remaining - x.requested) / CASE WHEN x.remaining > 1 THEN x.remaining ELSE 1 END
                     END}}] AS remaining,
  CASE WHEN NOT req.acceptStale AND coalesce(prov.stale, false) THEN prov.uid
       WHEN NOT req.acceptStale AND coalesce(r.stale, false) THEN r.uid
       WHEN NOT req.acceptStale AND coalesce(cs.stale, false) THEN cs.uid
       WHEN req.confirmedWithin IS NOT NULL
         AND NOT coalesce(confirmedAt >= datetime() - duration(req.confirmedWithin), false) THEN prov.uid
  END AS staleNode
WITH sla, pr, prov, r, cs, flavors, images, remaining,
  [reason IN [
      CASE WHEN NOT inForce THEN {{code: 'SLA_NOT_IN_FORCE', subject: sla.uid}} END,
      CASE WHEN prov.status <> 'active'
        THEN {{code: 'PROVIDER_NOT_ACTIVE', subject: prov.uid, detail: prov.status}} END,
      CASE WHEN staleNode IS NOT NULL
        THEN {{code: 'STALE_DATA', subject: staleNode, detail: toString(confirmedAt)}} END,
      CASE WHEN size(sized) = 0 THEN {{code: 'NO_FLAVOR_FITS', subject: cs.uid, considered: usableFlavors}} END,
      CASE WHEN size(images) = 0 THEN {{code: 'NO_IMAGE_FITS', subject: cs.uid, considered: usableImages}} END
    ] WHERE reason IS NOT NULL]
  + [x IN remaining WHERE NOT x.fits |
      {{code: CASE WHEN x.usable THEN 'QUOTA_EXCEEDED' ELSE 'NO_USABLE_SERVICE' END,
        subject: cs.uid, resource: x.resource, scope: x.scope, requested: x.requested, remaining: x.remaining}}]
    AS reasons,
  reduce(score = 1.0, x IN remaining | CASE WHEN x.left < score THEN x.left ELSE score END) AS score
WITH {{sla: sla {{.*}}, project: pr {{.*}}, provider: prov {{.*}}, region: r {{.*}}, computeService: cs {{.*}},
       flavors: flavors, images: images, fits: size(reasons) = 0, score: score,
       remaining: [x IN remaining | x {{.resource, .scope, .requested, .project, .perUser, .remaining, .fits}}],
       reasons: reasons}} AS placement
ORDER BY placement.fits DESC, placement.score DESC, prov.name, r.name, cs.endpoint, sla.docUuid, pr.uuid
WITH collect(placement) AS ranked
UNWIND range(1, size(ranked)) AS rank
WITH ranked[rank - 1] AS placement, rank
RETURN placement {{.*, rank: rank}} AS placement"""


# The walk's filters: the request itself (read by the fragment) and `fitsOnly`.
PLACEMENT_FILTERS = (("request", "true"), ("fits_only", "(NOT p.f.fits_only OR placement.fits)"))

# Ordered by rank, or by name when the request says so (then by rank: SLA, project).
_ORDER = (
    "CASE WHEN p.f.request.orderBy = 'NAME' THEN [placement.provider.name, placement.region.name,"
    " placement.computeService.endpoint] END, placement.rank"
)

# What a placement row returns of its nodes: only the stored properties the query names
# (`projection.project` narrows each `v {.*}` by the label of `v`), like every other walk's row. The
# fragment itself keeps whole nodes, as its arithmetic reads them; at the egi scale returning them whole
# sent ~300,000 characters for an answer of ~20,000.
_PLACED_NODES = (("sla", "SLA"), ("project", "Project"), ("provider", "Provider"), ("region", "Region"),
                 ("computeService", "ComputeService"))  # fmt: skip
_PLACEMENT_ROW = (
    "placement {.*, "
    + "".join(f"{part}: [placed_{part} IN [placement.{part}] | placed_{part} {{.*}}][0], " for part, _ in _PLACED_NODES)
    + "flavors: [placed_flavor IN placement.flavors | placed_flavor {.*}], "
    + "images: [placed_image IN placement.images | placed_image {.*}]}"
)

PLACEMENTS_BY_USER_GROUP = Walk(
    "PlacementsByUserGroup",
    f"""MATCH (g:UserGroup {{uid: key}})
CALL (g, p) {{
{placement_cypher("g", "p.f.request")}
}}
WITH p, key, placement, placement.computeService AS n""",
    "ComputeService",
    row=_PLACEMENT_ROW,
    order=_ORDER,
    carry=("placement",),
    labels=(
        *((f"placed_{part}", label) for part, label in _PLACED_NODES),
        ("placed_flavor", "Flavor"),
        ("placed_image", "Image"),
    ),
    result="Placement",
    filters=PLACEMENT_FILTERS,
)

_DEFAULTS: Mapping[str, Any] = {
    "vcpus": 0, "ram": 0, "disk": 0, "gpus": 0, "infiniband": False, "instances": 1, "blockStorage": 0,
    "publicIps": 0, "acceptStale": False, "excludeProviders": [], "orderBy": "RANK",
}  # fmt: skip
_TEXT = ("gpuVendor", "gpuModel", "localStorage", "osDistro", "osVersion", "architecture", "cudaVersionMin",
         "gpuDriverVersionMin", "confirmedWithin", "on", "providers")  # fmt: skip


def request_parameter(request: Mapping[str, Any]) -> dict[str, Any]:
    """The request as the fragment reads it: every key present (unset ones null or their default)."""
    values = {**dict.fromkeys(_TEXT), **_DEFAULTS}
    values.update({k: v for k, v in request.items() if v is not None})
    return values
