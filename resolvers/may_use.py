"""The one copy of the rule the orchestrator depends on: what a project may use.

A project may use, on a service, the shared resources of every service it holds a limit quota on
(a quota that is not a usage record, per-user or not), plus the private resources linked to the
project (CAN_USE). Private resources of other projects are never visible through it, and shared
resources of a service where the project holds no limit quota are not usable by it.
"""

from __future__ import annotations

from resolvers.visibility import Scope
from resolvers.walks import FILTERED, Walk

# Resource label -> the service label that offers it.
OFFERED_BY = {"Flavor": "ComputeService", "Image": "ComputeService", "Network": "NetworkService"}


def holds_limit_quota(project: str, service: str) -> str:
    """Cypher predicate: `project` holds a limit (non-usage) quota on `service`."""
    return f"EXISTS {{ ({project})-[:HAS_QUOTA]->(:Quota {{usage: false}})-[:ON]->({service}) }}"


def offers_linked(project: str, service: str) -> str:
    """Cypher predicate: `service` offers a private resource linked to `project`."""
    return f"EXISTS {{ ({project})-[:CAN_USE]->()<-[:OFFERS]-({service}) }}"


def may_use_service(project: str, service: str) -> str:
    """Cypher predicate: `project` may use something on `service` (a limit quota or a private resource)."""
    return f"({holds_limit_quota(project, service)} OR {offers_linked(project, service)})"


def held_quota(project: str, service: str) -> str:
    """The clause binding `held` to whether `project` holds a limit quota on `service` (`holds_limit_quota`),
    for what follows to read. A walk that binds it for each of its rows' services carries it to the walks
    read in those rows, which then read it rather than test the quota again (`Walk.held`)."""
    return f"WITH *, {holds_limit_quota(project, service)} AS held"


def may_use_resource(project: str, resource: str, limited: str) -> str:
    """Cypher predicate: `project` may use `resource`, offered by a service on which `limited` says whether
    it holds a limit quota (`holds_limit_quota`, computed once per service rather than per resource)."""
    return f"(({resource}.isShared AND {limited}) OR EXISTS {{ ({project})-[:CAN_USE]->({resource}) }})"


# Walks from a project to what it may use check the caller's visibility of the PROJECT, once per key
# (`Walk.visible_by_key`), instead of each resource's. That is the same answer for a project the
# caller may see: an administrator sees every resource; another caller sees the project only as a
# member of a group whose SLA covers it (never anonymously), and then sees each resource the rule
# gives it — a shared one (visible to any signed-in caller), or a private one linked to this very
# project (`CAN_USE`: visible to the members of its groups), or a quota of this project. For a
# project the caller may NOT see (a writer's mutation payload) these lists are empty, as the
# project's own quotas and SLAs already are.
PROJECT_VISIBLE = Scope.predicate("Project", "pr")


def _usable_by_project(label: str) -> Walk:
    service = OFFERED_BY[label]
    return Walk(
        f"{label}sUsableByProject",
        f"""MATCH (pr:Project {{uid: key}})
WHERE {PROJECT_VISIBLE}
CALL (pr, p) {{
  MATCH (pr)-[:HAS_QUOTA]->(:Quota {{usage: false}})-[:ON]->(:{service})-[:OFFERS]->(n:{label} {{isShared: true}})
  WHERE {FILTERED}
  RETURN n
  UNION
  MATCH (pr)-[:CAN_USE]->(n:{label})
  WHERE {FILTERED}
  RETURN n
}}""",
        label,
        visible_by_key=("Project", "pr"),
    )


def _usable_by_project_on_service(label: str) -> Walk:
    service = OFFERED_BY[label]
    return Walk(
        f"{label}sUsableByProjectOnService",
        f"""MATCH (pr:Project {{uid: key.project}}), (s:{service} {{uid: key.service}})
WHERE {PROJECT_VISIBLE}
{held_quota("pr", "s")}
CALL (pr, s, p, held) {{
  // The quota test does not depend on the resource: once per (project, service), not per resource.
  WITH pr, s, p WHERE held
  MATCH (s)-[:OFFERS]->(n:{label} {{isShared: true}})
  WHERE {FILTERED}
  RETURN n
  UNION
  MATCH (pr)-[:CAN_USE]->(n:{label})<-[:OFFERS]-(s)
  WHERE {FILTERED}
  RETURN n
}}""",
        label,
        visible_by_key=("Project", "pr"),
        held=("pr", "s"),
    )


def _projects_allowed(label: str) -> Walk:
    service = OFFERED_BY[label]
    return Walk(
        f"ProjectsAllowed{label}",
        f"""MATCH (res:{label} {{uid: key}})
CALL (res) {{
  MATCH (res)<-[:OFFERS]-(s:{service})<-[:ON]-(:Quota {{usage: false}})<-[:HAS_QUOTA]-(n:Project)
  WHERE res.isShared
  RETURN n
  UNION
  MATCH (res)<-[:CAN_USE]-(n:Project)
  RETURN n
}}""",
        "Project",
    )


RESOURCES_USABLE_BY_PROJECT = {label: _usable_by_project(label) for label in OFFERED_BY}
RESOURCES_USABLE_BY_PROJECT_ON_SERVICE = {label: _usable_by_project_on_service(label) for label in OFFERED_BY}
PROJECTS_ALLOWED = {label: _projects_allowed(label) for label in OFFERED_BY}

# Regions of the project's provider that supply a service the project may use.
REGIONS_USABLE_BY_PROJECT = Walk(
    "RegionsUsableByProject",
    f"""MATCH (pr:Project {{uid: key}})<-[:HOSTS]-(:Provider)-[:DIVIDED_INTO]->(n:Region)
WHERE EXISTS {{ MATCH (n)-[:SUPPLIES]->(s:Service) WHERE {may_use_service("pr", "s")} }}""",
    "Region",
)


def _services_usable_in_region(label: str) -> Walk:
    return Walk(
        f"{label}sUsableByProjectInRegion",
        f"""MATCH (pr:Project {{uid: key.project}}), (:Region {{uid: key.region}})-[:SUPPLIES]->(n:{label})
{held_quota("pr", "n")}
WHERE held OR {offers_linked("pr", "n")}""",
        label,
        order="n.endpoint",
        held=("pr", "n"),
    )


SERVICES_USABLE_IN_REGION = {
    label: _services_usable_in_region(label)
    for label in ("ComputeService", "BlockStorageService", "NetworkService", "ObjectStoreService")
}

# What a user group may deploy to: one row per (SLA, project, region, compute service) it may use.
# Its filters: `on` and `providerStatus` are read by the walk itself (defaults apply when unset); the
# others narrow the rows. A row is visible when its SLA is (the caller's group agreed it).
DEPLOYMENT_TARGET_FILTERS = (
    ("on", "true"),
    ("provider_status", "true"),
    ("region_name", "r.name = $v"),
    ("provider_id", "prov.uid = $v"),
    ("stale", "(coalesce(prov.stale, false) OR coalesce(r.stale, false) OR coalesce(n.stale, false)) = $v"),
    ("confirmed_within", "coalesce(prov.harvestLastSuccessAt, prov.updatedAt) >= datetime() - duration($v)"),
)
DEPLOYMENT_TARGETS_BY_USER_GROUP = Walk(
    "DeploymentTargetsByUserGroup",
    f"""MATCH (:UserGroup {{uid: key}})-[:AGREES]->(sla:SLA)-[:COVERS]->(pr:Project)<-[:HOSTS]-(prov:Provider)
WHERE sla.startDate <= coalesce(p.f.on, p.today) AND coalesce(p.f.on, p.today) <= sla.endDate
  AND prov.status IN coalesce(p.f.provider_status, ['active'])
MATCH (prov)-[:DIVIDED_INTO]->(r:Region)-[:SUPPLIES]->(n:ComputeService)
WHERE {may_use_service("pr", "n")}""",
    "ComputeService",
    row="{sla: sla {.*}, project: pr {.*}, provider: prov {.*}, region: r {.*}, computeService: n {.*}}",
    order="prov.name, r.name, n.endpoint, sla.docUuid",
    carry=("sla", "pr", "prov", "r"),
    labels=(("sla", "SLA"), ("pr", "Project"), ("prov", "Provider"), ("r", "Region")),
    result="DeploymentTarget",
    filters=DEPLOYMENT_TARGET_FILTERS,
    visible_as=("SLA", "sla"),
)
