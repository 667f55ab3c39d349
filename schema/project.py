"""Projects, and the federation as one project may use it (the may-use rule, per region and service)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from resolvers import may_use
from resolvers.context import pair
from resolvers.loaders import federation as federation_walks
from resolvers.loaders import identity as identity_walks
from resolvers.loaders import resources as resource_walks
from schema.filters import (
    FlavorFilter,
    ImageFilter,
    NetworkFilter,
    QuotaFilter,
    RegionFilter,
    ServiceFilter,
    SLAFilter,
    where_of,
)
from schema.flavor import Flavor
from schema.image import Image
from schema.network import Network
from schema.node import Node, federation, rows_to
from schema.provider import Provider, Region
from schema.quota import BlockStorageQuota, ComputeQuota, NetworkQuota, ObjectStoreQuota, Quota, quota_from_row
from schema.service import (
    BlockStorageService,
    ComputeService,
    IdentityService,
    NetworkService,
    ObjectStoreService,
    Service,
)

if TYPE_CHECKING:
    from schema.sla import SLA


@strawberry.type(description="A tenant (OpenStack project, Kubernetes namespace) at a provider.")
class Project(Node):
    uuid: str = strawberry.field(description="The tenant id or namespace at the provider.")
    name: str

    @strawberry.field
    async def provider(self, info: strawberry.Info) -> Provider:
        return Provider.from_row(await federation(info).walk_one(federation_walks.PROVIDER_BY_PROJECT, self.id) or {})

    @strawberry.field
    async def slas(
        self, info: strawberry.Info, where: SLAFilter | None = None
    ) -> list[Annotated[SLA, strawberry.lazy("schema.sla")]]:
        from schema.sla import SLA

        return rows_to(SLA, await federation(info).walk(identity_walks.SLAS_BY_PROJECT, self.id, where_of(where)))

    @strawberry.field(description="All quota records of the project, on every service.")
    async def quotas(self, info: strawberry.Info, where: QuotaFilter | None = None) -> list[Quota]:
        rows = await federation(info).walk(resource_walks.QUOTAS_BY_PROJECT, self.id, where_of(where))
        return [quota_from_row(r) for r in rows]

    @strawberry.field(
        description="Flavors the project may use: shared ones of services it holds a limit quota on, "
        "plus its private ones."
    )
    async def flavors(self, info: strawberry.Info, where: FlavorFilter | None = None) -> list[Flavor]:
        return rows_to(
            Flavor, await federation(info).walk(may_use.RESOURCES_USABLE_BY_PROJECT["Flavor"], self.id, where_of(where))
        )

    @strawberry.field(description="Images the project may use (same rule as flavors).")
    async def images(self, info: strawberry.Info, where: ImageFilter | None = None) -> list[Image]:
        return rows_to(
            Image, await federation(info).walk(may_use.RESOURCES_USABLE_BY_PROJECT["Image"], self.id, where_of(where))
        )

    @strawberry.field(description="Networks the project may use (same rule as flavors).")
    async def networks(self, info: strawberry.Info, where: NetworkFilter | None = None) -> list[Network]:
        return rows_to(
            Network,
            await federation(info).walk(may_use.RESOURCES_USABLE_BY_PROJECT["Network"], self.id, where_of(where)),
        )

    @strawberry.field(description="Private flavors linked to the project.")
    async def private_flavors(self, info: strawberry.Info) -> list[Flavor]:
        return rows_to(
            Flavor, await federation(info).walk(resource_walks.PRIVATE_RESOURCES_BY_PROJECT["Flavor"], self.id)
        )

    @strawberry.field(description="Private images linked to the project.")
    async def private_images(self, info: strawberry.Info) -> list[Image]:
        return rows_to(
            Image, await federation(info).walk(resource_walks.PRIVATE_RESOURCES_BY_PROJECT["Image"], self.id)
        )

    @strawberry.field(description="Private networks linked to the project.")
    async def private_networks(self, info: strawberry.Info) -> list[Network]:
        return rows_to(
            Network, await federation(info).walk(resource_walks.PRIVATE_RESOURCES_BY_PROJECT["Network"], self.id)
        )

    @strawberry.field(
        description="Regions of the provider that supply a service the project may use, seen by the project."
    )
    async def regions(self, info: strawberry.Info, where: RegionFilter | None = None) -> list[ProjectRegion]:
        rows = await federation(info).walk(may_use.REGIONS_USABLE_BY_PROJECT, self.id, where_of(where))
        return [ProjectRegion(project_id=self.id, region=Region.from_row(r)) for r in rows]


@strawberry.type(description="A region as one project sees it: only the services and resources it may use.")
class ProjectRegion:
    project_id: strawberry.Private[str]
    region: Region

    async def _services(self, info: strawberry.Info, label: str, where: ServiceFilter | None) -> list[Any]:
        key = pair(project=self.project_id, region=self.region.id)
        return await federation(info).walk(may_use.SERVICES_USABLE_IN_REGION[label], key, where_of(where))

    @strawberry.field
    async def compute_services(
        self, info: strawberry.Info, where: ServiceFilter | None = None
    ) -> list[ProjectComputeService]:
        rows = await self._services(info, "ComputeService", where)
        return [ProjectComputeService(project_id=self.project_id, service=ComputeService.from_row(r)) for r in rows]

    @strawberry.field
    async def block_storage_services(
        self, info: strawberry.Info, where: ServiceFilter | None = None
    ) -> list[ProjectBlockStorageService]:
        rows = await self._services(info, "BlockStorageService", where)
        return [
            ProjectBlockStorageService(project_id=self.project_id, service=BlockStorageService.from_row(r))
            for r in rows
        ]

    @strawberry.field
    async def network_services(
        self, info: strawberry.Info, where: ServiceFilter | None = None
    ) -> list[ProjectNetworkService]:
        rows = await self._services(info, "NetworkService", where)
        return [ProjectNetworkService(project_id=self.project_id, service=NetworkService.from_row(r)) for r in rows]

    @strawberry.field
    async def object_store_services(
        self, info: strawberry.Info, where: ServiceFilter | None = None
    ) -> list[ProjectObjectStoreService]:
        rows = await self._services(info, "ObjectStoreService", where)
        return [
            ProjectObjectStoreService(project_id=self.project_id, service=ObjectStoreService.from_row(r)) for r in rows
        ]

    @strawberry.field(description="The region's identity endpoints (every project authenticates through them).")
    async def identity_services(
        self, info: strawberry.Info, where: ServiceFilter | None = None
    ) -> list[IdentityService]:
        rows = await federation(info).walk(
            federation_walks.SERVICES_BY_REGION["IdentityService"], self.region.id, where_of(where)
        )
        return rows_to(IdentityService, rows)


async def _project_quotas(
    info: strawberry.Info, project_id: str, service: Service, where: QuotaFilter | None
) -> list[Any]:
    key = pair(project=project_id, service=service.id)
    rows = await federation(info).walk(resource_walks.QUOTAS_BY_PROJECT_ON_SERVICE, key, where_of(where))
    return [quota_from_row(r) for r in rows]


async def _usable(info: strawberry.Info, label: str, project_id: str, service: Service, where: Any) -> list[Any]:
    key = pair(project=project_id, service=service.id)
    return await federation(info).walk(may_use.RESOURCES_USABLE_BY_PROJECT_ON_SERVICE[label], key, where_of(where))


@strawberry.type(description="A compute service as one project sees it.")
class ProjectComputeService:
    project_id: strawberry.Private[str]
    service: ComputeService

    @strawberry.field(description="Flavors of this service the project may use.")
    async def flavors(self, info: strawberry.Info, where: FlavorFilter | None = None) -> list[Flavor]:
        return rows_to(Flavor, await _usable(info, "Flavor", self.project_id, self.service, where))

    @strawberry.field(description="Images of this service the project may use.")
    async def images(self, info: strawberry.Info, where: ImageFilter | None = None) -> list[Image]:
        return rows_to(Image, await _usable(info, "Image", self.project_id, self.service, where))

    @strawberry.field(description="The project's quota records on this service.")
    async def quotas(self, info: strawberry.Info, where: QuotaFilter | None = None) -> list[ComputeQuota]:
        return await _project_quotas(info, self.project_id, self.service, where)


@strawberry.type(description="A network service as one project sees it.")
class ProjectNetworkService:
    project_id: strawberry.Private[str]
    service: NetworkService

    @strawberry.field(description="Networks of this service the project may use.")
    async def networks(self, info: strawberry.Info, where: NetworkFilter | None = None) -> list[Network]:
        return rows_to(Network, await _usable(info, "Network", self.project_id, self.service, where))

    @strawberry.field
    async def quotas(self, info: strawberry.Info, where: QuotaFilter | None = None) -> list[NetworkQuota]:
        return await _project_quotas(info, self.project_id, self.service, where)


@strawberry.type(description="A block storage service as one project sees it.")
class ProjectBlockStorageService:
    project_id: strawberry.Private[str]
    service: BlockStorageService

    @strawberry.field
    async def quotas(self, info: strawberry.Info, where: QuotaFilter | None = None) -> list[BlockStorageQuota]:
        return await _project_quotas(info, self.project_id, self.service, where)


@strawberry.type(description="An object store service as one project sees it.")
class ProjectObjectStoreService:
    project_id: strawberry.Private[str]
    service: ObjectStoreService

    @strawberry.field
    async def quotas(self, info: strawberry.Info, where: QuotaFilter | None = None) -> list[ObjectStoreQuota]:
        return await _project_quotas(info, self.project_id, self.service, where)
