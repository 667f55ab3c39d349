"""Quotas of a project on a service: limits, per-user limits and current usage (−1: unlimited)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, NewType, Self

import strawberry

from resolvers.walks import edge_walk
from schema.enums import QuotaKind
from schema.node import Info, Node, bind, walk_node

if TYPE_CHECKING:
    from resolvers.db import Record
    from schema.project import Project
    from schema.service import BlockStorageService, ComputeService, NetworkService, ObjectStoreService

BigInt = NewType("BigInt", int)
# Registered in the schema's scalar_map (schema/root.py).
BIG_INT = strawberry.scalar(
    name="BigInt",
    description="An integer that may exceed 32 bits (byte counts), serialised as a JSON number.",
    serialize=int,
    parse_value=int,
)

_service = strawberry.lazy("schema.service")
_SERVICE = "The service the quota applies to."


@bind("Quota", listed="Quota records of every project.")
@strawberry.interface(
    description="One quota record of a project on a service: a limit for the project, a limit for each of its "
    "users, or current usage. Figures are counts unless they say their unit; −1 means unlimited."
)
class Quota(Node):
    kind: QuotaKind = strawberry.field(description="Which service the quota applies to.")
    per_user: bool = False
    usage: bool = False

    @classmethod
    def from_row(cls, row: Record) -> Self:
        """A quota row builds the type of its kind (a compute quota, …)."""
        if cls is Quota:
            return QUOTA_TYPES[row["kind"]].from_row(row)  # type: ignore[return-value]
        return super().from_row(row)

    @strawberry.field(description="The project the quota is of.")
    async def project(self, info: Info) -> Annotated[Project, strawberry.lazy("schema.project")] | None:
        return await walk_node(info, edge_walk("Quota", "Project"), self.id)

    async def _service(self, info: Info, label: str) -> Any:
        return await walk_node(info, edge_walk("Quota", label), self.id)


@bind("ComputeQuota")
@strawberry.type(description="A quota on a compute service: cores, instances, memory, GPUs.")
class ComputeQuota(Quota):
    cores: int | None = None
    instances: int | None = None
    ram: int | None = None
    gpus: int | None = None
    gpu_vendor: str | None = strawberry.field(
        default=None,
        description="GPU scope: the vendor (NVIDIA, AMD, Intel) of the GPUs it counts, matched like "
        "Flavor.gpuVendor (case-insensitive); null: any vendor. See gpuResource.",
    )
    gpu_model: str | None = strawberry.field(
        default=None,
        description="GPU scope: the model of the GPUs it counts, matched like the flavor filter gpuModel (the "
        "flavor's gpuModel contains it, case-insensitive), e.g. A100; `MIG 1g.5gb` for the MIG slices of that "
        "profile (no whole-GPU flavor matches it); null: any model. See gpuResource.",
    )
    gpu_resource: str | None = strawberry.field(
        default=None,
        description="GPU scope: the provider's name of the resource it counts (Kubernetes nvidia.com/gpu, "
        "amd.com/gpu, nvidia.com/mig-1g.5gb). When gpuVendor, gpuModel and gpuResource are all null the quota is "
        "not scoped: its figures count every instance, core, MiB and GPU of the project on the service. A scoped "
        "compute quota carries only `gpus` and counts only the GPUs of the flavors its gpuVendor and gpuModel "
        "(those set) match, in units of its resource (MIG slices for a MIG profile); it limits them IN ADDITION "
        "to the unscoped quota, whose `gpus` counts every GPU. A flavor with g GPUs fits when g ≤ limit − usage "
        "for the unscoped quota and for every scoped quota it matches (usage: the record with usage true and the "
        "same scope and perUser; −1 or a null figure does not limit). A flavor no scoped quota matches is limited "
        "by the unscoped quota alone.",
    )

    @strawberry.field(description=_SERVICE)
    async def service(self, info: Info) -> Annotated[ComputeService, _service] | None:
        return await self._service(info, "ComputeService")


@bind("BlockStorageQuota")
@strawberry.type(description="A quota on a block storage service: volume space and volumes.")
class BlockStorageQuota(Quota):
    gigabytes: int | None = None
    per_volume_gigabytes: int | None = None
    volumes: int | None = None
    volume_type: str | None = strawberry.field(
        default=None,
        description="Null: the quota is not scoped, its figures count every volume of the project on the service. "
        "Otherwise the name of the volume type of this service (a Cinder volume type, a Kubernetes StorageClass) "
        "it is scoped to: `gigabytes` and `volumes` (its only figures) count only the volumes of that type, and "
        "limit them IN ADDITION to the unscoped quota, which counts them too. A volume of that type must fit "
        "both: room = min(scoped limit − scoped usage, unscoped limit − unscoped usage), the usage being the "
        "record with usage true and the same volumeType and perUser; −1 or a null figure does not limit. A "
        "volume of a type no quota is scoped to is limited by the unscoped quota alone.",
    )

    @strawberry.field(description=_SERVICE)
    async def service(self, info: Info) -> Annotated[BlockStorageService, _service] | None:
        return await self._service(info, "BlockStorageService")


@bind("NetworkQuota")
@strawberry.type(description="A quota on a network service: public IPs, networks, ports, security groups.")
class NetworkQuota(Quota):
    public_ips: int | None = None
    networks: int | None = None
    ports: int | None = None
    security_groups: int | None = None
    security_group_rules: int | None = None

    @strawberry.field(description=_SERVICE)
    async def service(self, info: Info) -> Annotated[NetworkService, _service] | None:
        return await self._service(info, "NetworkService")


@bind("ObjectStoreQuota")
@strawberry.type(description="A quota on an object store service: bytes, containers, objects.")
class ObjectStoreQuota(Quota):
    bytes: BigInt | None = None
    containers: int | None = None
    objects: BigInt | None = None

    @strawberry.field(description=_SERVICE)
    async def service(self, info: Info) -> Annotated[ObjectStoreService, _service] | None:
        return await self._service(info, "ObjectStoreService")


QUOTA_TYPES: dict[str, type[Quota]] = {
    QuotaKind.COMPUTE.value: ComputeQuota,
    QuotaKind.BLOCK_STORAGE.value: BlockStorageQuota,
    QuotaKind.NETWORK.value: NetworkQuota,
    QuotaKind.OBJECT_STORE.value: ObjectStoreQuota,
}
