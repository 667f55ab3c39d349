"""The services a region supplies (compute, block storage, network, object store, identity)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from resolvers.kinds import KINDS
from resolvers.walks import edge_walk
from schema.filters import WHERE, FlavorFilter, ImageFilter, NetworkFilter, QuotaFilter, VolumeTypeFilter
from schema.node import Info, Node, bind, build, describe_from_model, walk_node, walk_nodes

if TYPE_CHECKING:
    from schema.flavor import Flavor
    from schema.image import Image
    from schema.network import Network
    from schema.provider import Region
    from schema.quota import BlockStorageQuota, ComputeQuota, NetworkQuota, ObjectStoreQuota

_quota = strawberry.lazy("schema.quota")
_QUOTAS = "Quota records of projects on this service (those of projects the caller may see)."


@strawberry.interface(description="A service endpoint supplied by a region.")
class Service(Node):
    endpoint: str
    name: str

    @strawberry.field(description="The region that supplies the service.")
    async def region(self, info: Info) -> Annotated[Region, strawberry.lazy("schema.provider")]:
        return await walk_node(info, edge_walk("Service", "Region"), self.id) or build("Region", {})

    async def _quotas(self, info: Info, where: QuotaFilter | None) -> list[Any]:
        return await walk_nodes(info, edge_walk("Service", "Quota"), self.id, where)


describe_from_model(Service, KINDS["Service"].model)


@bind("ComputeService", listed="Compute services.")
@strawberry.type(description="A compute service (e.g. Nova): it offers flavors and images.")
class ComputeService(Service):
    microversion: str | None = None

    @strawberry.field(description="Every flavor the service offers (see Project for what a project may use).")
    async def flavors(
        self, info: Info, where: Annotated[FlavorFilter | None, WHERE] = None
    ) -> list[Annotated[Flavor, strawberry.lazy("schema.flavor")]]:
        return await walk_nodes(info, edge_walk("ComputeService", "Flavor"), self.id, where)

    @strawberry.field(description="Every image the service offers (see Project for what a project may use).")
    async def images(
        self, info: Info, where: Annotated[ImageFilter | None, WHERE] = None
    ) -> list[Annotated[Image, strawberry.lazy("schema.image")]]:
        return await walk_nodes(info, edge_walk("ComputeService", "Image"), self.id, where)

    @strawberry.field(description=_QUOTAS)
    async def quotas(
        self, info: Info, where: Annotated[QuotaFilter | None, WHERE] = None
    ) -> list[Annotated[ComputeQuota, _quota]]:
        return await self._quotas(info, where)


@bind("BlockStorageService", listed="Block storage services.")
@strawberry.type(description="A block storage service (e.g. Cinder): it offers volume types.")
class BlockStorageService(Service):
    @strawberry.field(description="The volume types the service offers (seen by any caller with a token).")
    async def volume_types(
        self, info: Info, where: Annotated[VolumeTypeFilter | None, WHERE] = None
    ) -> list[VolumeType]:
        return await walk_nodes(info, edge_walk("BlockStorageService", "VolumeType"), self.id, where)

    @strawberry.field(description=_QUOTAS)
    async def quotas(
        self, info: Info, where: Annotated[QuotaFilter | None, WHERE] = None
    ) -> list[Annotated[BlockStorageQuota, _quota]]:
        return await self._quotas(info, where)


@bind("NetworkService", listed="Network services.")
@strawberry.type(description="A network service (e.g. Neutron): it offers networks.")
class NetworkService(Service):
    @strawberry.field(description="Every network the service offers (see Project for what a project may use).")
    async def networks(
        self, info: Info, where: Annotated[NetworkFilter | None, WHERE] = None
    ) -> list[Annotated[Network, strawberry.lazy("schema.network")]]:
        return await walk_nodes(info, edge_walk("NetworkService", "Network"), self.id, where)

    @strawberry.field(description=_QUOTAS)
    async def quotas(
        self, info: Info, where: Annotated[QuotaFilter | None, WHERE] = None
    ) -> list[Annotated[NetworkQuota, _quota]]:
        return await self._quotas(info, where)


@bind("ObjectStoreService", listed="Object store services.")
@strawberry.type(description="An object store service (e.g. Swift, S3).")
class ObjectStoreService(Service):
    data_location: str | None = None

    @strawberry.field(description=_QUOTAS)
    async def quotas(
        self, info: Info, where: Annotated[QuotaFilter | None, WHERE] = None
    ) -> list[Annotated[ObjectStoreQuota, _quota]]:
        return await self._quotas(info, where)


@bind("IdentityService", listed="Identity (Keystone) services.")
@strawberry.type(description="The identity (Keystone) endpoint of a region.")
class IdentityService(Service):
    pass


@bind("VolumeType", listed="Block storage volume types.")
@strawberry.type(description="A block-storage volume type with its quality of service.")
class VolumeType(Node):
    name: str
    qos: str | None = None

    @strawberry.field(description="The block storage service offering the volume type.")
    async def block_storage_service(self, info: Info) -> BlockStorageService | None:
        return await walk_node(info, edge_walk("VolumeType", "BlockStorageService"), self.id)
