"""Placement: a deployment request, and where it fits among the places a user group may use (and why not)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from resolvers.errors import Refusal
from resolvers.federation_file import is_dotted_version
from resolvers.placement import PLACEMENTS_BY_USER_GROUP, request_parameter
from schema.filters import Duration
from schema.node import Info, bind, build

if TYPE_CHECKING:
    from resolvers.db import Record
    from schema.flavor import Flavor
    from schema.image import Image
    from schema.project import Project
    from schema.provider import Provider, Region
    from schema.service import ComputeService
    from schema.sla import SLA

_provider = strawberry.lazy("schema.provider")


@strawberry.enum(description="How placements are ordered.")
class PlacementOrder(Enum):
    RANK = strawberry.enum_value("RANK", description="Best candidate first (see `Placement.rank`).")
    NAME = strawberry.enum_value("NAME", description="By provider name, region name, compute endpoint, then rank.")


@strawberry.enum(description="A resource a deployment consumes from quotas.")
class PlacementResource(Enum):
    CORES = strawberry.enum_value("CORES", description="vCPUs (compute quota `cores`).")
    RAM = strawberry.enum_value("RAM", description="MiB of RAM (compute quota `ram`).")
    INSTANCES = strawberry.enum_value("INSTANCES", description="Instances (compute quota `instances`).")
    GPUS = strawberry.enum_value("GPUS", description="GPUs (compute quota `gpus`).")
    BLOCK_STORAGE = strawberry.enum_value(
        "BLOCK_STORAGE", description="GiB of volumes (block storage quota `gigabytes`)."
    )
    PUBLIC_IPS = strawberry.enum_value("PUBLIC_IPS", description="Public IPs (network quota `publicIps`).")


@strawberry.enum(description="Why a deployment does not fit a place.")
class PlacementReasonCode(Enum):
    SLA_NOT_IN_FORCE = strawberry.enum_value(
        "SLA_NOT_IN_FORCE", description="The SLA is not in force on the request's date (default today)."
    )
    PROVIDER_NOT_ACTIVE = strawberry.enum_value(
        "PROVIDER_NOT_ACTIVE", description="The provider's status is not active (`detail` gives it)."
    )
    STALE_DATA = strawberry.enum_value(
        "STALE_DATA",
        description="The provider, region or compute service (`subjectId`) was not confirmed at its last harvest, "
        "or the provider was not confirmed within the request's `confirmedWithin` (`detail`: when it last was).",
    )
    NO_FLAVOR_FITS = strawberry.enum_value(
        "NO_FLAVOR_FITS", description="None of the `considered` flavors the project may use here fits the request."
    )
    NO_IMAGE_FITS = strawberry.enum_value(
        "NO_IMAGE_FITS", description="None of the `considered` images the project may use here fits the request."
    )
    QUOTA_EXCEEDED = strawberry.enum_value(
        "QUOTA_EXCEEDED",
        description="`requested` of `resource` is more than `remaining` (project and per user); `scope` names the "
        "GPU-scoped quota when it is one.",
    )
    NO_USABLE_SERVICE = strawberry.enum_value(
        "NO_USABLE_SERVICE",
        description="Some `resource` is requested, but the region supplies no service of its kind the project may "
        "use (block storage or network).",
    )


_MESSAGES = {
    PlacementReasonCode.SLA_NOT_IN_FORCE: "the SLA is not in force",
    PlacementReasonCode.PROVIDER_NOT_ACTIVE: "the provider is {detail}",
    PlacementReasonCode.STALE_DATA: "the data was not confirmed recently enough (last confirmed: {detail})",
    PlacementReasonCode.NO_FLAVOR_FITS: "none of the {considered} flavors the project may use fits",
    PlacementReasonCode.NO_IMAGE_FITS: "none of the {considered} images the project may use fits",
    PlacementReasonCode.QUOTA_EXCEEDED: "{requested} {resource} requested, {remaining} remaining",
    PlacementReasonCode.NO_USABLE_SERVICE: "{requested} {resource} requested, and no service here provides it",
}


@strawberry.input(description="One deployment: per-instance needs, how many instances, and what the image must be.")
class DeploymentRequest:
    vcpus: int = strawberry.field(default=0, description="vCPUs per instance (a flavor needs at least this many).")
    ram: int = strawberry.field(default=0, description="MiB of RAM per instance.")
    disk: int = strawberry.field(default=0, description="GiB of root disk per instance.")
    gpus: int = strawberry.field(default=0, description="GPUs per instance.")
    gpu_vendor: str | None = strawberry.field(default=None, description="GPU vendor, e.g. NVIDIA (any case).")
    gpu_model: str | None = strawberry.field(default=None, description="Part of the GPU model, e.g. A100 (any case).")
    infiniband: bool = strawberry.field(default=False, description="true: the flavor must have InfiniBand.")
    local_storage: str | None = strawberry.field(
        default=None, description="The flavor's local storage, exactly as recorded (e.g. 3.8 TB NVMe)."
    )
    instances: int = strawberry.field(default=1, description="How many instances (at least 1).")
    block_storage: int = strawberry.field(default=0, description="GiB of volumes in all (not per instance).")
    public_ips: int = strawberry.field(default=0, description="Public (floating) IPs in all.")
    os_distro: str | None = strawberry.field(default=None, description="Image OS distribution, e.g. ubuntu (any case).")
    os_version: str | None = strawberry.field(default=None, description="Image OS version, e.g. 22.04.")
    architecture: str | None = strawberry.field(default=None, description="Image architecture, e.g. x86_64.")
    cuda_version_min: str | None = strawberry.field(
        default=None, description="Lowest CUDA version the image must have, e.g. 12 (dotted parts compare as numbers)."
    )
    gpu_driver_version_min: str | None = strawberry.field(
        default=None, description="Lowest GPU driver version the image must have, e.g. 550."
    )
    confirmed_within: Duration | None = strawberry.field(
        default=None,
        description="The provider must have been confirmed (harvested) within this long, else STALE_DATA.",
    )
    accept_stale: bool = strawberry.field(
        default=False,
        description="true: data the last harvest could not confirm (`stale`) is no reason not to fit.",
    )
    on: dt.date | None = strawberry.field(
        default=None, description="The SLA must be in force on this date; default today."
    )
    providers: list[str] | None = strawberry.field(
        default=None, description="Only these providers (ids or names); default: every provider."
    )
    exclude_providers: list[str] | None = strawberry.field(
        default=None, description="Never these providers (ids or names)."
    )

    def parameter(self, order_by: PlacementOrder) -> dict[str, Any]:
        """The request as the placement Cypher reads it, refused when a figure is impossible."""
        for name in ("vcpus", "ram", "disk", "gpus", "block_storage", "public_ips"):
            if getattr(self, name) < 0:
                raise Refusal(f"request.{_camel(name)}", "must not be negative")
        if self.instances < 1:
            raise Refusal("request.instances", "must be at least 1")
        for name in ("cuda_version_min", "gpu_driver_version_min"):
            value = getattr(self, name)
            if value is not None and not is_dotted_version(value):
                raise Refusal(f"request.{_camel(name)}", "must be a dotted version of numbers, e.g. 12.4")
        values = {_camel(f.name): getattr(self, f.name) for f in dataclasses.fields(self)}  # type: ignore[arg-type]
        return request_parameter({**values, "orderBy": order_by.value})


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


@strawberry.type(
    description="What a scoped quota of a placement counts (today GPU scopes, as on ComputeQuota): a flavor with GPUs "
    "matches when its gpuVendor equals gpuVendor and its gpuModel contains gpuModel (any case); a field left null "
    "matches any."
)
class QuotaScope:
    gpu_vendor: str | None = strawberry.field(description="GPU vendor, e.g. NVIDIA; null: any.")
    gpu_model: str | None = strawberry.field(description="Part of the GPU model, e.g. A100, MIG 1g.5gb; null: any.")
    gpu_resource: str | None = strawberry.field(
        description="The provider's name of the resource it counts, e.g. nvidia.com/gpu (it does not narrow)."
    )

    @classmethod
    def from_row(cls, row: Mapping[str, Any] | None) -> QuotaScope | None:
        if row is None:
            return None
        return cls(gpu_vendor=row.get("gpuVendor"), gpu_model=row.get("gpuModel"), gpu_resource=row.get("gpuResource"))

    def words(self) -> str:
        return " ".join(v for v in (self.gpu_vendor, self.gpu_model, self.gpu_resource) if v)


@strawberry.type(description="One resource of a placement: what the request asks and what is left. null: unlimited.")
class PlacementHeadroom:
    resource: PlacementResource = strawberry.field(description="Which resource.")
    scope: QuotaScope | None = strawberry.field(
        default=None,
        description="null: the service's unscoped quotas. Set (resource GPUS): a GPU-scoped quota that applies to "
        "the first of `Placement.flavors` (or, when no flavor fits the quotas, to the smallest flavor that fits the "
        "request); the request's GPUs × instances must fit it as well as the unscoped GPUs.",
    )
    requested: int = strawberry.field(
        description="Per-instance figure × instances (cores, RAM, GPUs); instances; block storage and public IPs "
        "as requested."
    )
    project: int | None = strawberry.field(
        description="The project's limit minus its usage (no usage record: nothing used). null: unlimited (no "
        "limit quota, no figure for it, or −1). 0 when the region has no service of the kind the project may use."
    )
    per_user: int | None = strawberry.field(
        description="The per-user limit (a user's own usage is not recorded, so this is the most one user may "
        "hold). null: unlimited."
    )
    remaining: int | None = strawberry.field(
        description="What a user of the project may still take: the smaller of `project` and `perUser`."
    )
    fits: bool = strawberry.field(description="Nothing requested, or requested ≤ remaining.")


@strawberry.type(description="Why a deployment does not fit a place; only about what the caller may see.")
class PlacementReason:
    code: PlacementReasonCode = strawberry.field(description="What is wrong (see the codes).")
    subject_id: strawberry.ID = strawberry.field(
        description="The node the reason is about (SLA, provider, region or compute service)."
    )
    resource: PlacementResource | None = strawberry.field(default=None, description="For quota reasons.")
    scope: QuotaScope | None = strawberry.field(
        default=None, description="QUOTA_EXCEEDED on a GPU-scoped quota: its scope (null: the unscoped quota)."
    )
    requested: int | None = strawberry.field(default=None, description="For quota reasons: how much is requested.")
    remaining: int | None = strawberry.field(
        default=None, description="For QUOTA_EXCEEDED: how much is left (project and per user)."
    )
    considered: int | None = strawberry.field(
        default=None, description="For NO_FLAVOR_FITS / NO_IMAGE_FITS: how many the project may use here."
    )
    detail: str | None = strawberry.field(
        default=None, description="PROVIDER_NOT_ACTIVE: the status; STALE_DATA: when last confirmed."
    )

    @strawberry.field(description="The reason in words.")
    def message(self) -> str:
        words = {
            "detail": self.detail or "unknown",
            "considered": self.considered,
            "requested": self.requested,
            "remaining": "unlimited" if self.remaining is None else self.remaining,
            "resource": self.resource.name.lower().replace("_", " ") if self.resource else "",
        }
        if self.scope is not None:
            words["resource"] = f"{words['resource']} ({self.scope.words()})"
        return _MESSAGES[self.code].format(**words)

    @classmethod
    def from_row(cls, row: Record) -> PlacementReason:
        resource = row.get("resource")
        detail = row.get("detail")
        return cls(
            code=PlacementReasonCode(row["code"]),
            subject_id=strawberry.ID(row["subject"]),
            resource=PlacementResource(resource) if resource else None,
            scope=QuotaScope.from_row(row.get("scope")),
            requested=row.get("requested"),
            remaining=row.get("remaining"),
            considered=row.get("considered"),
            detail=str(detail) if detail is not None else None,
        )


@bind("Placement")
@strawberry.type(
    description="One place a user group may use — (SLA, project, provider, region, compute service) — and whether "
    "the deployment fits there."
)
class Placement:
    sla: Annotated[SLA, strawberry.lazy("schema.sla")] = strawberry.field(description="The group's SLA.")
    project: Annotated[Project, strawberry.lazy("schema.project")] = strawberry.field(
        description="The project the SLA covers at the provider."
    )
    provider: Annotated[Provider, _provider] = strawberry.field(description="The provider hosting the project.")
    region: Annotated[Region, _provider] = strawberry.field(description="The provider's region.")
    compute_service: Annotated[ComputeService, strawberry.lazy("schema.service")] = strawberry.field(
        description="The region's compute service the project may use."
    )
    fits: bool = strawberry.field(description="SLA in force, provider active, data fresh, a flavor and an image fit, "
                                  "and every resource fits: `reasons` is empty.")  # fmt: skip
    rank: int = strawberry.field(
        description="1 is the best candidate: fitting ones first, then by `score` (higher first), then by "
        "provider name, region name, compute endpoint, SLA docUuid and project uuid."
    )
    score: float = strawberry.field(
        description="Headroom after placement: the smallest (remaining − requested) / max(remaining, 1) over the "
        "requested resources with a limit; 1.0 when none is limited."
    )
    flavors: list[Annotated[Flavor, strawberry.lazy("schema.flavor")]] = strawberry.field(
        description="Flavors the project may use here that fit one instance and whose GPU-scoped quotas have room "
        "for the request's GPUs × instances, smallest sufficient first (by GPUs, vCPUs, RAM, disk, name)."
    )
    images: list[Annotated[Image, strawberry.lazy("schema.image")]] = strawberry.field(
        description="Images the project may use here that fit the request, by name."
    )
    remaining: list[PlacementHeadroom] = strawberry.field(
        description="Per resource: requested, remaining for the project and per user, and whether it fits; then a "
        "GPUS entry per GPU-scoped quota that applies to the first flavor (see `PlacementHeadroom.scope`)."
    )
    reasons: list[PlacementReason] = strawberry.field(description="Why it does not fit (empty when it fits).")

    @classmethod
    def from_row(cls, row: Record) -> Placement:
        place = build("DeploymentTarget", row)  # the same five nodes as a row of the dashboard's dropdown
        return cls(
            **{name: getattr(place, name) for name in ("sla", "project", "provider", "region", "compute_service")},
            fits=row["fits"],
            rank=row["rank"],
            score=row["score"],
            flavors=[build("Flavor", f) for f in row["flavors"]],
            images=[build("Image", i) for i in row["images"]],
            remaining=[
                PlacementHeadroom(
                    resource=PlacementResource(x["resource"]),
                    scope=QuotaScope.from_row(x.get("scope")),
                    requested=x["requested"],
                    project=x["project"],
                    per_user=x["perUser"],
                    remaining=x["remaining"],
                    fits=x["fits"],
                )
                for x in row["remaining"]
            ],
            reasons=[PlacementReason.from_row(r) for r in row["reasons"]],
        )


def placement_filter(request: DeploymentRequest, order_by: PlacementOrder, fits_only: bool) -> dict[str, Any]:
    """What the placement walk filters by (the one-statement compiler hands it the same, `schema/read_plan.py`)."""
    return {"request": request.parameter(order_by), "fits_only": fits_only}


async def placements_of(
    info: Info, group_id: str, request: DeploymentRequest, order_by: PlacementOrder, fits_only: bool
) -> list[Placement]:
    """The placements of a user group for one request (one statement for every group of the wave)."""
    rows = await info.context.walk(PLACEMENTS_BY_USER_GROUP, group_id, placement_filter(request, order_by, fits_only))
    return [Placement.from_row(r) for r in rows]
