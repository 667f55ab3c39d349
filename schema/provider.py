"""Providers, their regions and the locations regions stand at, and how providers trust issuers."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Self

import strawberry

from resolvers.walks import edge_walk
from resolvers.walks.provider import TRUSTS_BY_PROVIDER
from schema.enums import HarvestOutcome, ProviderStatus, ProviderType
from schema.filters import ProjectFilter, RegionFilter, ServiceFilter
from schema.node import Info, Node, bind, build, walk_node, walk_nodes

if TYPE_CHECKING:
    from resolvers.db import Record
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


@strawberry.type(description="How the feeder's last harvest of a provider (or of one region) went.")
class Harvest:
    last_attempt_at: dt.datetime
    last_success_at: dt.datetime | None = strawberry.field(description="Null: it never went well.")
    outcome: HarvestOutcome
    error: str | None = strawberry.field(description="Why it did not go well (a short, safe reason).")

    @classmethod
    def from_row(cls, row: Record) -> Harvest | None:
        if not row.get("harvestOutcome"):
            return None  # never harvested (loaded from a file or written by hand)
        return cls(
            last_attempt_at=row["harvestLastAttemptAt"],
            last_success_at=row.get("harvestLastSuccessAt"),
            outcome=HarvestOutcome(row["harvestOutcome"]),
            error=row.get("harvestError"),
        )


@bind("Provider", listed="Resource providers.")
@strawberry.type(description="A resource provider of the federation (an OpenStack or Kubernetes site).")
class Provider(Node):
    name: str
    type: ProviderType
    status: ProviderStatus
    is_public: bool = False
    support_emails: list[str] = strawberry.field(default_factory=list)
    harvest: Harvest | None = strawberry.field(default=None, description="How the feeder's last harvest went.")

    @classmethod
    def from_row(cls, row: Record) -> Self:
        provider = super().from_row(row)
        provider.harvest = Harvest.from_row(row)
        return provider

    @strawberry.field
    async def regions(self, info: Info, where: RegionFilter | None = None) -> list[Region]:
        return await walk_nodes(info, edge_walk("Provider", "Region"), self.id, where)

    @strawberry.field(description="Projects (tenants, namespaces) the provider hosts.")
    async def projects(
        self, info: Info, where: ProjectFilter | None = None
    ) -> list[Annotated[Project, strawberry.lazy("schema.project")]]:
        return await walk_nodes(info, edge_walk("Provider", "Project"), self.id, where)

    @strawberry.field(description="The identity providers (issuers) this provider trusts, and how.")
    async def trusts(self, info: Info) -> list[Trust]:
        return await walk_nodes(info, TRUSTS_BY_PROVIDER, self.id)


@bind("Trust")
@strawberry.type(description="How a provider trusts an issuer (the TRUSTS edge).")
class Trust:
    idp_name: str = strawberry.field(description="The name the provider gives the issuer (e.g. Keystone's IdP).")
    protocol: str
    audience: str | None
    provider: Provider
    identity_provider: Annotated[IdentityProvider, strawberry.lazy("schema.identity")]

    @classmethod
    def from_row(cls, row: Record) -> Trust:
        trust = row["trust"]
        return cls(
            idp_name=trust["idpName"],
            protocol=trust["protocol"],
            audience=trust.get("audience"),
            provider=Provider.from_row(row["provider"]),
            identity_provider=build("IdentityProvider", row["identityProvider"]),
        )


@bind("Region", listed="Regions of every provider.")
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
    harvest: Harvest | None = strawberry.field(
        default=None, description="How the last harvest of this region went (its provider's, unless it failed alone)."
    )

    @classmethod
    def from_row(cls, row: Record) -> Self:
        region = super().from_row(row)
        region.harvest = Harvest.from_row(row)
        return region

    @strawberry.field
    async def provider(self, info: Info) -> Provider:
        return await walk_node(info, edge_walk("Region", "Provider"), self.id) or Provider.from_row({})

    @strawberry.field
    async def location(self, info: Info) -> Location | None:
        return await walk_node(info, edge_walk("Region", "Location"), self.id)

    @strawberry.field
    async def compute_services(
        self, info: Info, where: ServiceFilter | None = None
    ) -> list[Annotated[ComputeService, _service]]:
        return await self._services(info, "ComputeService", where)

    @strawberry.field
    async def block_storage_services(
        self, info: Info, where: ServiceFilter | None = None
    ) -> list[Annotated[BlockStorageService, _service]]:
        return await self._services(info, "BlockStorageService", where)

    @strawberry.field
    async def network_services(
        self, info: Info, where: ServiceFilter | None = None
    ) -> list[Annotated[NetworkService, _service]]:
        return await self._services(info, "NetworkService", where)

    @strawberry.field
    async def object_store_services(
        self, info: Info, where: ServiceFilter | None = None
    ) -> list[Annotated[ObjectStoreService, _service]]:
        return await self._services(info, "ObjectStoreService", where)

    @strawberry.field
    async def identity_services(
        self, info: Info, where: ServiceFilter | None = None
    ) -> list[Annotated[IdentityService, _service]]:
        return await self._services(info, "IdentityService", where)

    async def _services(self, info: Info, label: str, where: ServiceFilter | None) -> list[Any]:
        return await walk_nodes(info, edge_walk("Region", label), self.id, where)


@bind("Location", listed="Sites.")
@strawberry.type(description="A site where regions stand; several regions may share it.")
class Location(Node):
    site: str
    country: str
    country_code: str | None = strawberry.field(default=None, description="ISO 3166-1 alpha-2.")
    latitude: float | None = None
    longitude: float | None = None

    @strawberry.field
    async def regions(self, info: Info, where: RegionFilter | None = None) -> list[Region]:
        return await walk_nodes(info, edge_walk("Location", "Region"), self.id, where)
