"""The services a region supplies (compute, block storage, network, object store, identity)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers.loaders import federation as federation_walks
from resolvers.loaders import resources as walks
from schema.filters import FlavorFilter, ImageFilter, NetworkFilter, QuotaFilter, VolumeTypeFilter, where_of
from schema.node import Node, federation, rows_to

if TYPE_CHECKING:
    from schema.flavor import Flavor
    from schema.image import Image
    from schema.network import Network
    from schema.provider import Region
    from schema.quota import BlockStorageQuota, ComputeQuota, NetworkQuota, ObjectStoreQuota


@strawberry.interface(description="A service endpoint supplied by a region.")
class Service(Node):
    endpoint: str
    name: str = strawberry.field(description="e.g. org.openstack.nova, compute.k8s.io/v1.")

    @strawberry.field
    async def region(self, info: strawberry.Info) -> Annotated[Region, strawberry.lazy("schema.provider")]:
        from schema.provider import Region

        return Region.from_row(await federation(info).walk_one(federation_walks.REGION_BY_SERVICE, self.id) or {})


async def _quotas(info: strawberry.Info, service_id: str, where: QuotaFilter | None) -> list:  # type: ignore[type-arg]
    from schema.quota import quota_from_row

    return [
        quota_from_row(r) for r in await federation(info).walk(walks.QUOTAS_BY_SERVICE, service_id, where_of(where))
    ]


_quota = strawberry.lazy("schema.quota")


@strawberry.type
class ComputeService(Service):
    microversion: str | None = strawberry.field(default=None, description="Compute API microversion.")

    @strawberry.field(description="Every flavor the service offers (see Project for what a project may use).")
    async def flavors(
        self, info: strawberry.Info, where: FlavorFilter | None = None
    ) -> list[Annotated[Flavor, strawberry.lazy("schema.flavor")]]:
        from schema.flavor import Flavor

        return rows_to(Flavor, await federation(info).walk(walks.FLAVORS_BY_COMPUTE_SERVICE, self.id, where_of(where)))

    @strawberry.field(description="Every image the service offers (see Project for what a project may use).")
    async def images(
        self, info: strawberry.Info, where: ImageFilter | None = None
    ) -> list[Annotated[Image, strawberry.lazy("schema.image")]]:
        from schema.image import Image

        return rows_to(Image, await federation(info).walk(walks.IMAGES_BY_COMPUTE_SERVICE, self.id, where_of(where)))

    @strawberry.field
    async def quotas(
        self, info: strawberry.Info, where: QuotaFilter | None = None
    ) -> list[Annotated[ComputeQuota, _quota]]:
        return await _quotas(info, self.id, where)


@strawberry.type
class BlockStorageService(Service):
    @strawberry.field
    async def volume_types(self, info: strawberry.Info, where: VolumeTypeFilter | None = None) -> list[VolumeType]:
        rows = await federation(info).walk(walks.VOLUME_TYPES_BY_BLOCK_STORAGE_SERVICE, self.id, where_of(where))
        return rows_to(VolumeType, rows)

    @strawberry.field
    async def quotas(
        self, info: strawberry.Info, where: QuotaFilter | None = None
    ) -> list[Annotated[BlockStorageQuota, _quota]]:
        return await _quotas(info, self.id, where)


@strawberry.type
class NetworkService(Service):
    @strawberry.field(description="Every network the service offers (see Project for what a project may use).")
    async def networks(
        self, info: strawberry.Info, where: NetworkFilter | None = None
    ) -> list[Annotated[Network, strawberry.lazy("schema.network")]]:
        from schema.network import Network

        return rows_to(
            Network, await federation(info).walk(walks.NETWORKS_BY_NETWORK_SERVICE, self.id, where_of(where))
        )

    @strawberry.field
    async def quotas(
        self, info: strawberry.Info, where: QuotaFilter | None = None
    ) -> list[Annotated[NetworkQuota, _quota]]:
        return await _quotas(info, self.id, where)


@strawberry.type
class ObjectStoreService(Service):
    data_location: str | None = strawberry.field(
        default=None, description="Where the data lives for data-aware placement (e.g. a Rucio RSE name)."
    )

    @strawberry.field
    async def quotas(
        self, info: strawberry.Info, where: QuotaFilter | None = None
    ) -> list[Annotated[ObjectStoreQuota, _quota]]:
        return await _quotas(info, self.id, where)


@strawberry.type(description="The identity (Keystone) endpoint of a region.")
class IdentityService(Service):
    pass


@strawberry.type(description="A block-storage volume type with its quality of service.")
class VolumeType(Node):
    name: str
    qos: str | None = None

    @strawberry.field
    async def block_storage_service(self, info: strawberry.Info) -> BlockStorageService | None:
        row = await federation(info).walk_one(walks.BLOCK_STORAGE_SERVICE_BY_VOLUME_TYPE, self.id)
        return BlockStorageService.from_row(row) if row else None


SERVICE_TYPES: dict[str, type[Service]] = {
    "ComputeService": ComputeService,
    "BlockStorageService": BlockStorageService,
    "NetworkService": NetworkService,
    "ObjectStoreService": ObjectStoreService,
    "IdentityService": IdentityService,
}
