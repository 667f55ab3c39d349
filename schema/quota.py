"""Quotas of a project on a service: limits, per-user limits and current usage (−1: unlimited)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, NewType

import strawberry

from resolvers.loaders import resources as walks
from schema.enums import QuotaKind
from schema.node import Node, federation

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


@strawberry.interface(description="One quota record of a project on a service. −1 means unlimited.")
class Quota(Node):
    kind: QuotaKind
    per_user: bool = strawberry.field(default=False, description="A limit for each user of the project.")
    usage: bool = strawberry.field(default=False, description="true: current consumption; false: a limit.")

    @strawberry.field
    async def project(self, info: strawberry.Info) -> Annotated[Project, strawberry.lazy("schema.project")] | None:
        from schema.project import Project

        row = await federation(info).walk_one(walks.PROJECT_BY_QUOTA, self.id)
        return Project.from_row(row) if row else None


async def _service_of(info: strawberry.Info, quota_id: str, cls: Any) -> Any:
    row = await federation(info).walk_one(walks.SERVICE_BY_QUOTA, quota_id)
    return cls.from_row(row) if row else None


@strawberry.type
class ComputeQuota(Quota):
    cores: int | None = None
    instances: int | None = None
    ram: int | None = strawberry.field(default=None, description="MiB.")
    gpus: int | None = None

    @strawberry.field
    async def service(self, info: strawberry.Info) -> Annotated[ComputeService, _service] | None:
        from schema.service import ComputeService

        return await _service_of(info, self.id, ComputeService)  # type: ignore[no-any-return]


@strawberry.type
class BlockStorageQuota(Quota):
    gigabytes: int | None = None
    per_volume_gigabytes: int | None = None
    volumes: int | None = None

    @strawberry.field
    async def service(self, info: strawberry.Info) -> Annotated[BlockStorageService, _service] | None:
        from schema.service import BlockStorageService

        return await _service_of(info, self.id, BlockStorageService)  # type: ignore[no-any-return]


@strawberry.type
class NetworkQuota(Quota):
    public_ips: int | None = None
    networks: int | None = None
    ports: int | None = None
    security_groups: int | None = None
    security_group_rules: int | None = None

    @strawberry.field
    async def service(self, info: strawberry.Info) -> Annotated[NetworkService, _service] | None:
        from schema.service import NetworkService

        return await _service_of(info, self.id, NetworkService)  # type: ignore[no-any-return]


@strawberry.type
class ObjectStoreQuota(Quota):
    bytes: BigInt | None = None
    containers: int | None = None
    objects: BigInt | None = None

    @strawberry.field
    async def service(self, info: strawberry.Info) -> Annotated[ObjectStoreService, _service] | None:
        from schema.service import ObjectStoreService

        return await _service_of(info, self.id, ObjectStoreService)  # type: ignore[no-any-return]


QUOTA_TYPES: dict[str, type[Quota]] = {
    QuotaKind.COMPUTE.value: ComputeQuota,
    QuotaKind.BLOCK_STORAGE.value: BlockStorageQuota,
    QuotaKind.NETWORK.value: NetworkQuota,
    QuotaKind.OBJECT_STORE.value: ObjectStoreQuota,
}


def quota_from_row(row: Record) -> Quota:
    return QUOTA_TYPES[row["kind"]].from_row(row)
