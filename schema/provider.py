"""Providers, their regions and the locations regions stand at, and how providers trust issuers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers.loaders import federation as walks
from schema.enums import ProviderStatus, ProviderType
from schema.filters import ProjectFilter, RegionFilter, ServiceFilter, where_of
from schema.node import Node, federation, rows_to

if TYPE_CHECKING:
    from schema.identity import IdentityProvider
    from schema.project import Project
    from schema.service import (
        BlockStorageService,
        ComputeService,
        IdentityService,
        NetworkService,
        ObjectStoreService,
    )

_service = strawberry.lazy("schema.service")


@strawberry.type(description="A resource provider of the federation (an OpenStack or Kubernetes site).")
class Provider(Node):
    name: str
    type: ProviderType
    status: ProviderStatus
    is_public: bool = False
    support_emails: list[str] = strawberry.field(default_factory=list)

    @strawberry.field
    async def regions(self, info: strawberry.Info, where: RegionFilter | None = None) -> list[Region]:
        return rows_to(Region, await federation(info).walk(walks.REGIONS_BY_PROVIDER, self.id, where_of(where)))

    @strawberry.field(description="Projects (tenants, namespaces) the provider hosts.")
    async def projects(
        self, info: strawberry.Info, where: ProjectFilter | None = None
    ) -> list[Annotated[Project, strawberry.lazy("schema.project")]]:
        from schema.project import Project

        return rows_to(Project, await federation(info).walk(walks.PROJECTS_BY_PROVIDER, self.id, where_of(where)))

    @strawberry.field(description="The identity providers (issuers) this provider trusts, and how.")
    async def trusts(self, info: strawberry.Info) -> list[Trust]:
        return [Trust.from_row(r) for r in await federation(info).walk(walks.TRUSTS_BY_PROVIDER, self.id)]


@strawberry.type(description="How a provider trusts an issuer (the TRUSTS edge).")
class Trust:
    idp_name: str = strawberry.field(description="The name the provider gives the issuer (e.g. Keystone's IdP).")
    protocol: str
    audience: str | None
    provider: Provider
    identity_provider: Annotated[IdentityProvider, strawberry.lazy("schema.identity")]

    @classmethod
    def from_row(cls, row: dict) -> Trust:  # type: ignore[type-arg]
        from schema.identity import IdentityProvider

        trust = row["trust"]
        return cls(
            idp_name=trust["idpName"],
            protocol=trust["protocol"],
            audience=trust.get("audience"),
            provider=Provider.from_row(row["provider"]),
            identity_provider=IdentityProvider.from_row(row["identityProvider"]),
        )


@strawberry.type(description="A region of a provider; it supplies services and stands at a location.")
class Region(Node):
    name: str
    overbooking_cpu: float = 1.0
    overbooking_ram: float = 1.0
    bandwidth_in: float | None = strawberry.field(default=None, description="Gbps.")
    bandwidth_out: float | None = strawberry.field(default=None, description="Gbps.")
    public_ip_assignable: bool | None = strawberry.field(
        default=None, description="Whether deployments here can be given public IPs."
    )

    @strawberry.field
    async def provider(self, info: strawberry.Info) -> Provider:
        row = await federation(info).walk_one(walks.PROVIDER_BY_REGION, self.id)
        return Provider.from_row(row or {})

    @strawberry.field
    async def location(self, info: strawberry.Info) -> Location | None:
        row = await federation(info).walk_one(walks.LOCATION_BY_REGION, self.id)
        return Location.from_row(row) if row else None

    @strawberry.field
    async def compute_services(
        self, info: strawberry.Info, where: ServiceFilter | None = None
    ) -> list[Annotated[ComputeService, _service]]:
        from schema.service import ComputeService

        return await _services(info, self.id, "ComputeService", ComputeService, where)

    @strawberry.field
    async def block_storage_services(
        self, info: strawberry.Info, where: ServiceFilter | None = None
    ) -> list[Annotated[BlockStorageService, _service]]:
        from schema.service import BlockStorageService

        return await _services(info, self.id, "BlockStorageService", BlockStorageService, where)

    @strawberry.field
    async def network_services(
        self, info: strawberry.Info, where: ServiceFilter | None = None
    ) -> list[Annotated[NetworkService, _service]]:
        from schema.service import NetworkService

        return await _services(info, self.id, "NetworkService", NetworkService, where)

    @strawberry.field
    async def object_store_services(
        self, info: strawberry.Info, where: ServiceFilter | None = None
    ) -> list[Annotated[ObjectStoreService, _service]]:
        from schema.service import ObjectStoreService

        return await _services(info, self.id, "ObjectStoreService", ObjectStoreService, where)

    @strawberry.field
    async def identity_services(
        self, info: strawberry.Info, where: ServiceFilter | None = None
    ) -> list[Annotated[IdentityService, _service]]:
        from schema.service import IdentityService

        return await _services(info, self.id, "IdentityService", IdentityService, where)


async def _services(
    info: strawberry.Info, region_id: str, label: str, cls: type[Node], where: ServiceFilter | None
) -> list:  # type: ignore[type-arg]
    return rows_to(cls, await federation(info).walk(walks.SERVICES_BY_REGION[label], region_id, where_of(where)))


@strawberry.type(description="A site where regions stand; several regions may share it.")
class Location(Node):
    site: str
    country: str
    country_code: str | None = strawberry.field(default=None, description="ISO 3166-1 alpha-2.")
    latitude: float | None = None
    longitude: float | None = None

    @strawberry.field
    async def regions(self, info: strawberry.Info, where: RegionFilter | None = None) -> list[Region]:
        return rows_to(Region, await federation(info).walk(walks.REGIONS_BY_LOCATION, self.id, where_of(where)))
