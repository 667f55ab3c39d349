"""Projects, and the federation as one project may use it (the may-use rule, per region and service)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from resolvers import may_use
from resolvers.context import pair
from resolvers.walks import edge_walk
from resolvers.walks.project import QUOTAS_BY_PROJECT_ON_SERVICE
from schema.filters import (
    WHERE,
    FlavorFilter,
    ImageFilter,
    NetworkFilter,
    QuotaFilter,
    RegionFilter,
    ServiceFilter,
    SLAFilter,
)
from schema.flavor import Flavor
from schema.image import Image
from schema.network import Network
from schema.node import Info, Node, bind, walk_node, walk_nodes
from schema.provider import Provider, Region
from schema.quota import BlockStorageQuota, ComputeQuota, NetworkQuota, ObjectStoreQuota, Quota
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


@bind("Project", listed="Projects.")
@strawberry.type(description="A tenant (OpenStack project, Kubernetes namespace) at a provider.")
class Project(Node):
    uuid: str
    name: str

    @strawberry.field(description="The provider hosting the project.")
    async def provider(self, info: Info) -> Provider:
        return await walk_node(info, edge_walk("Project", "Provider"), self.id) or Provider.from_row({})

    @strawberry.field(description="The SLAs covering the project that the caller may see.")
    async def slas(
        self, info: Info, where: Annotated[SLAFilter | None, WHERE] = None
    ) -> list[Annotated[SLA, strawberry.lazy("schema.sla")]]:
        return await walk_nodes(info, edge_walk("Project", "SLA"), self.id, where)

    @strawberry.field(description="All quota records of the project, on every service.")
    async def quotas(self, info: Info, where: Annotated[QuotaFilter | None, WHERE] = None) -> list[Quota]:
        return await walk_nodes(info, edge_walk("Project", "Quota"), self.id, where)

    @strawberry.field(
        description="Flavors the project may use: shared ones of services it holds a limit quota on, "
        "plus its private ones."
    )
    async def flavors(self, info: Info, where: Annotated[FlavorFilter | None, WHERE] = None) -> list[Flavor]:
        return await walk_nodes(info, may_use.RESOURCES_USABLE_BY_PROJECT["Flavor"], self.id, where)

    @strawberry.field(description="Images the project may use (same rule as flavors).")
    async def images(self, info: Info, where: Annotated[ImageFilter | None, WHERE] = None) -> list[Image]:
        return await walk_nodes(info, may_use.RESOURCES_USABLE_BY_PROJECT["Image"], self.id, where)

    @strawberry.field(description="Networks the project may use (same rule as flavors).")
    async def networks(self, info: Info, where: Annotated[NetworkFilter | None, WHERE] = None) -> list[Network]:
        return await walk_nodes(info, may_use.RESOURCES_USABLE_BY_PROJECT["Network"], self.id, where)

    @strawberry.field(description="Private flavors linked to the project.")
    async def private_flavors(self, info: Info) -> list[Flavor]:
        return await walk_nodes(info, edge_walk("Project", "Flavor"), self.id)

    @strawberry.field(description="Private images linked to the project.")
    async def private_images(self, info: Info) -> list[Image]:
        return await walk_nodes(info, edge_walk("Project", "Image"), self.id)

    @strawberry.field(description="Private networks linked to the project.")
    async def private_networks(self, info: Info) -> list[Network]:
        return await walk_nodes(info, edge_walk("Project", "Network"), self.id)

    @strawberry.field(
        description="Regions of the provider that supply a service the project may use, seen by the project."
    )
    async def regions(self, info: Info, where: Annotated[RegionFilter | None, WHERE] = None) -> list[ProjectRegion]:
        regions: list[Region] = await walk_nodes(info, may_use.REGIONS_USABLE_BY_PROJECT, self.id, where)
        return [ProjectRegion(project_id=self.id, region=r) for r in regions]


@strawberry.type(description="A region as one project sees it: only the services and resources it may use.")
class ProjectRegion:
    project_id: strawberry.Private[str]
    region: Region = strawberry.field(description="The region itself, as anyone sees it.")

    async def _services(self, info: Info, label: str, where: ServiceFilter | None) -> list[Any]:
        key = pair(project=self.project_id, region=self.region.id)
        return await walk_nodes(info, may_use.SERVICES_USABLE_IN_REGION[label], key, where)

    @strawberry.field(description="The region's compute services the project may use.")
    async def compute_services(
        self, info: Info, where: Annotated[ServiceFilter | None, WHERE] = None
    ) -> list[ProjectComputeService]:
        services = await self._services(info, "ComputeService", where)
        return [ProjectComputeService(project_id=self.project_id, service=s) for s in services]

    @strawberry.field(description="The region's block storage services the project may use.")
    async def block_storage_services(
        self, info: Info, where: Annotated[ServiceFilter | None, WHERE] = None
    ) -> list[ProjectBlockStorageService]:
        services = await self._services(info, "BlockStorageService", where)
        return [ProjectBlockStorageService(project_id=self.project_id, service=s) for s in services]

    @strawberry.field(description="The region's network services the project may use.")
    async def network_services(
        self, info: Info, where: Annotated[ServiceFilter | None, WHERE] = None
    ) -> list[ProjectNetworkService]:
        services = await self._services(info, "NetworkService", where)
        return [ProjectNetworkService(project_id=self.project_id, service=s) for s in services]

    @strawberry.field(description="The region's object store services the project may use.")
    async def object_store_services(
        self, info: Info, where: Annotated[ServiceFilter | None, WHERE] = None
    ) -> list[ProjectObjectStoreService]:
        services = await self._services(info, "ObjectStoreService", where)
        return [ProjectObjectStoreService(project_id=self.project_id, service=s) for s in services]

    @strawberry.field(description="The region's identity endpoints (every project authenticates through them).")
    async def identity_services(
        self, info: Info, where: Annotated[ServiceFilter | None, WHERE] = None
    ) -> list[IdentityService]:
        return await walk_nodes(info, edge_walk("Region", "IdentityService"), self.region.id, where)


_SERVICE = "The service itself, as anyone sees it."
_QUOTAS = "The project's quota records on this service."


async def _project_quotas(info: Info, project_id: str, service: Service, where: QuotaFilter | None) -> list[Any]:
    return await walk_nodes(info, QUOTAS_BY_PROJECT_ON_SERVICE, pair(project=project_id, service=service.id), where)


async def _usable(info: Info, label: str, project_id: str, service: Service, where: Any) -> list[Any]:
    key = pair(project=project_id, service=service.id)
    return await walk_nodes(info, may_use.RESOURCES_USABLE_BY_PROJECT_ON_SERVICE[label], key, where)


@strawberry.type(description="A compute service as one project sees it.")
class ProjectComputeService:
    project_id: strawberry.Private[str]
    service: ComputeService = strawberry.field(description=_SERVICE)

    @strawberry.field(description="Flavors of this service the project may use.")
    async def flavors(self, info: Info, where: Annotated[FlavorFilter | None, WHERE] = None) -> list[Flavor]:
        return await _usable(info, "Flavor", self.project_id, self.service, where)

    @strawberry.field(description="Images of this service the project may use.")
    async def images(self, info: Info, where: Annotated[ImageFilter | None, WHERE] = None) -> list[Image]:
        return await _usable(info, "Image", self.project_id, self.service, where)

    @strawberry.field(description=_QUOTAS)
    async def quotas(self, info: Info, where: Annotated[QuotaFilter | None, WHERE] = None) -> list[ComputeQuota]:
        return await _project_quotas(info, self.project_id, self.service, where)


@strawberry.type(description="A network service as one project sees it.")
class ProjectNetworkService:
    project_id: strawberry.Private[str]
    service: NetworkService = strawberry.field(description=_SERVICE)

    @strawberry.field(description="Networks of this service the project may use.")
    async def networks(self, info: Info, where: Annotated[NetworkFilter | None, WHERE] = None) -> list[Network]:
        return await _usable(info, "Network", self.project_id, self.service, where)

    @strawberry.field(description=_QUOTAS)
    async def quotas(self, info: Info, where: Annotated[QuotaFilter | None, WHERE] = None) -> list[NetworkQuota]:
        return await _project_quotas(info, self.project_id, self.service, where)


@strawberry.type(description="A block storage service as one project sees it.")
class ProjectBlockStorageService:
    project_id: strawberry.Private[str]
    service: BlockStorageService = strawberry.field(description=_SERVICE)

    @strawberry.field(description=_QUOTAS)
    async def quotas(self, info: Info, where: Annotated[QuotaFilter | None, WHERE] = None) -> list[BlockStorageQuota]:
        return await _project_quotas(info, self.project_id, self.service, where)


@strawberry.type(description="An object store service as one project sees it.")
class ProjectObjectStoreService:
    project_id: strawberry.Private[str]
    service: ObjectStoreService = strawberry.field(description=_SERVICE)

    @strawberry.field(description=_QUOTAS)
    async def quotas(self, info: Info, where: Annotated[QuotaFilter | None, WHERE] = None) -> list[ObjectStoreQuota]:
        return await _project_quotas(info, self.project_id, self.service, where)
