"""The placement rule re-stated in plain Python over the federation file, from its text (README,
"Placement"), independently of the Cypher that implements it: the oracle of the property tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from resolvers.federation_file import FederationFile, ProjectIn, ProviderIn, QuotaIn, RegionIn, ServiceIn

# Resource -> (quota figure, service kind holding it).
FIGURES = {
    "CORES": ("cores", "compute"),
    "RAM": ("ram", "compute"),
    "INSTANCES": ("instances", "compute"),
    "GPUS": ("gpus", "compute"),
    "BLOCK_STORAGE": ("gigabytes", "blockStorage"),
    "PUBLIC_IPS": ("public_ips", "network"),
}


# A GPU scope: (gpuVendor, gpuModel, gpuResource), None where not set.
Scope = tuple[str | None, str | None, str | None]


@dataclass
class Expected:
    """One placement as the rule says it must be."""

    provider: str
    region: str
    endpoint: str
    sla: str
    project: str
    flavors: list[str]
    images: list[str]
    # (resource, GPU scope or None) -> (requested, project, per user, remaining, fits)
    remaining: dict[tuple[str, Scope | None], tuple[int, int | None, int | None, int | None, bool]]
    codes: list[str] = field(default_factory=list)
    score: float = 1.0

    @property
    def fits(self) -> bool:
        return not self.codes


def _version(text: str | None) -> list[int] | None:
    return [int(part) for part in text.split(".")] if text is not None else None


def _quota_applies(quota: QuotaIn, region: RegionIn, service: ServiceIn) -> bool:
    same_kind = quota.region == region.name and quota.service == service.kind
    return same_kind and (quota.endpoint is None or quota.endpoint == service.endpoint)


def _quotas(project: ProjectIn, region: RegionIn, service: ServiceIn) -> dict[str, QuotaIn | None]:
    found: dict[str, QuotaIn | None] = {"limit": None, "per_user": None, "usage": None}
    for quota in project.quotas:
        if _quota_applies(quota, region, service) and not quota.scope():
            if quota.usage and not quota.per_user:
                found["usage"] = quota
            elif not quota.usage:
                found["per_user" if quota.per_user else "limit"] = quota
    return found


def _gpu_scope(quota: QuotaIn) -> Scope:
    return quota.gpu_vendor, quota.gpu_model, quota.gpu_resource


def _scoped(project: ProjectIn, region: RegionIn, service: ServiceIn) -> list[tuple[Scope, dict[str, QuotaIn | None]]]:
    """The GPU scopes of the project's limit (or per-user limit) quotas on the compute service, by
    vendor, model, resource (unset first), each with its limit, per-user limit and usage quota."""
    on_service = [q for q in project.quotas if _quota_applies(q, region, service) and any(_gpu_scope(q))]
    scopes = sorted({_gpu_scope(q) for q in on_service if not q.usage}, key=lambda s: tuple(v or "" for v in s))
    found = []
    for scope in scopes:
        quotas: dict[str, QuotaIn | None] = {"limit": None, "per_user": None, "usage": None}
        for quota in on_service:
            if _gpu_scope(quota) == scope and not (quota.usage and quota.per_user):
                quotas["usage" if quota.usage else "per_user" if quota.per_user else "limit"] = quota
        found.append((scope, quotas))
    return found


def _scope_matches(scope: Scope, flavor: Any) -> bool:
    """A GPU scope counts a flavor's GPUs: it has some, its vendor is the scope's and its model contains
    the scope's (any case); a scope field left empty matches any, the resource name does not narrow."""
    vendor, model, _ = scope
    return (
        flavor.gpus > 0
        and (vendor is None or (flavor.gpu_vendor is not None and flavor.gpu_vendor.lower() == vendor.lower()))
        and (model is None or (flavor.gpu_model is not None and model.lower() in flavor.gpu_model.lower()))
    )


def _linked(project: ProjectIn) -> set[str]:
    return {*project.private_flavors, *project.private_images, *project.private_networks}


def _holds_limit(project: ProjectIn, region: RegionIn, service: ServiceIn) -> bool:
    """A limit (non-usage) quota on the service, per-user or not."""
    return any(not q.usage and _quota_applies(q, region, service) for q in project.quotas)


def _may_use_service(project: ProjectIn, region: RegionIn, service: ServiceIn) -> bool:
    """A limit quota on the service, or a private resource of the project it offers."""
    if _holds_limit(project, region, service):
        return True
    offered = {r.uuid for r in [*service.flavors, *service.images, *service.networks]}
    return bool(offered & _linked(project))


def _usable(project: ProjectIn, region: RegionIn, service: ServiceIn, resources: list[Any]) -> list[Any]:
    has_limit = _holds_limit(project, region, service)
    return [r for r in resources if (r.is_shared and has_limit) or r.uuid in _linked(project)]


def _flavor_fits(flavor: Any, request: dict[str, Any]) -> bool:
    vendor, model = request.get("gpuVendor"), request.get("gpuModel")
    return (
        flavor.vcpus >= request.get("vcpus", 0)
        and flavor.ram >= request.get("ram", 0)
        and flavor.disk >= request.get("disk", 0)
        and flavor.gpus >= request.get("gpus", 0)
        and (vendor is None or (flavor.gpu_vendor is not None and flavor.gpu_vendor.lower() == vendor.lower()))
        and (model is None or (flavor.gpu_model is not None and model.lower() in flavor.gpu_model.lower()))
        and (not request.get("infiniband", False) or flavor.infiniband)
    )


def _image_fits(image: Any, request: dict[str, Any]) -> bool:
    distro, minimum = request.get("osDistro"), _version(request.get("cudaVersionMin"))
    have = _version(image.cuda_version)
    distro_fits = distro is None or (image.os_distro is not None and image.os_distro.lower() == distro.lower())
    return distro_fits and (minimum is None or (have is not None and have >= minimum))


def _remaining(
    quotas: dict[str, QuotaIn | None] | None, figure: str, requested: int
) -> tuple[int, int | None, int | None, int | None, bool]:
    """(requested, project, per user, remaining, fits); None: unlimited. `quotas` None: no service of the
    kind the project may use in the region (nothing available)."""
    if quotas is None:
        return requested, 0, None, 0, requested == 0
    limit, per_user, usage = (getattr(quotas[k], figure) if quotas[k] else None for k in ("limit", "per_user", "usage"))
    project = None if limit is None or limit == -1 else limit - (usage or 0)
    user = None if per_user is None or per_user == -1 else per_user
    bounds = [b for b in (project, user) if b is not None]
    remaining = min(bounds) if bounds else None
    return requested, project, user, remaining, requested == 0 or remaining is None or requested <= remaining


def _region_service(project: ProjectIn, region: RegionIn, kind: str) -> ServiceIn | None:
    usable = [s for s in region.services if s.kind == kind and _may_use_service(project, region, s)]
    return min(usable, key=lambda s: s.endpoint) if usable else None


def placements(federation: FederationFile, issuer: str, group: str, request: dict[str, Any]) -> list[Expected]:
    """What the group's placements must be, best first."""
    today = dt.datetime.now(dt.UTC).date()
    providers: dict[str, ProviderIn] = {p.name: p for p in federation.providers}
    instances = request.get("instances", 1)
    requested = {
        "CORES": request.get("vcpus", 0) * instances,
        "RAM": request.get("ram", 0) * instances,
        "INSTANCES": instances,
        "GPUS": request.get("gpus", 0) * instances,
        "BLOCK_STORAGE": request.get("blockStorage", 0),
        "PUBLIC_IPS": request.get("publicIps", 0),
    }
    found: list[Expected] = []
    for idp in federation.identity_providers:
        for user_group in idp.user_groups:
            if idp.endpoint != issuer or user_group.name != group:
                continue
            for sla in user_group.slas:
                for ref in sla.projects:
                    provider = providers[ref.provider]
                    [project] = [p for p in provider.projects if p.uuid == ref.project]
                    for region in provider.regions:
                        for service in region.services:
                            if service.kind == "compute" and _may_use_service(project, region, service):
                                found.append(_placement(provider, region, service, sla, project, request, requested,
                                                        today))  # fmt: skip
    found.sort(key=lambda e: (not e.fits, -e.score, e.provider, e.region, e.endpoint, e.sla, e.project))
    return found


def _placement(
    provider: ProviderIn, region: RegionIn, service: ServiceIn, sla: Any, project: ProjectIn,
    request: dict[str, Any], requested: dict[str, int], today: dt.date,
) -> Expected:  # fmt: skip
    usable_flavors = _usable(project, region, service, service.flavors)
    usable_images = _usable(project, region, service, service.images)
    flavors = sorted((f for f in usable_flavors if _flavor_fits(f, request)),
                     key=lambda f: (f.gpus, f.vcpus, f.ram, f.disk, f.name))  # fmt: skip
    images = sorted((i for i in usable_images if _image_fits(i, request)), key=lambda i: i.name)
    on_service = {
        "compute": _quotas(project, region, service),
        "blockStorage": None,
        "network": None,
    }
    for kind in ("blockStorage", "network"):
        other = _region_service(project, region, kind)
        on_service[kind] = _quotas(project, region, other) if other is not None else None
    remaining: dict[tuple[str, Scope | None], tuple[int, int | None, int | None, int | None, bool]] = {
        (res, None): _remaining(on_service[kind], figure, requested[res]) for res, (figure, kind) in FIGURES.items()
    }
    # GPU-scoped quotas: a flavor fits only if the requested GPUs fit every one that matches it; the
    # remaining figures are those of the first flavor listed (or the first that fits the request).
    scoped = [(scope, _remaining(quotas, "gpus", requested["GPUS"])) for scope, quotas in
              _scoped(project, region, service)]  # fmt: skip
    sized = flavors
    flavors = [f for f in sized if all(fits for scope, (*_, fits) in scoped if _scope_matches(scope, f))]
    chosen = flavors[0] if flavors else sized[0] if sized else None
    for scope, figures in scoped:
        if chosen is not None and _scope_matches(scope, chosen):
            remaining[("GPUS", scope)] = figures
    codes = []
    if not sla.start_date <= today <= sla.end_date:
        codes.append("SLA_NOT_IN_FORCE")
    if provider.status != "active":
        codes.append("PROVIDER_NOT_ACTIVE")
    if not sized:
        codes.append("NO_FLAVOR_FITS")
    if not images:
        codes.append("NO_IMAGE_FITS")
    for res, scope in remaining:
        if not remaining[(res, scope)][4]:
            codes.append("QUOTA_EXCEEDED" if on_service[FIGURES[res][1]] is not None else "NO_USABLE_SERVICE")
    score = 1.0
    for wanted, _, _, left, _ in remaining.values():
        if wanted > 0 and left is not None:
            score = min(score, (left - wanted) / max(left, 1))
    return Expected(
        provider.name, region.name, service.endpoint, sla.doc_uuid, project.uuid,
        [f.uuid for f in flavors], [i.uuid for i in images], remaining, codes, score,
    )  # fmt: skip
