"""Providers, their regions and the locations regions stand at, and how providers trust issuers."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Self

import strawberry

from resolvers.federation_file import TrustIn
from resolvers.walks import edge_walk
from resolvers.walks.provider import TRUSTS_BY_PROVIDER
from schema.enums import HarvestOutcome, ProviderStatus, ProviderType
from schema.filters import WHERE, ProjectFilter, RegionFilter, ServiceFilter
from schema.node import Info, Node, bind, build, describe_from_model, walk_node, walk_nodes

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
    last_attempt_at: dt.datetime = strawberry.field(description="When the feeder last tried to read it.")
    last_success_at: dt.datetime | None = strawberry.field(description="Null: it never went well.")
    outcome: HarvestOutcome = strawberry.field(description="How that last attempt went.")
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
@strawberry.type(
    description="A resource provider of the federation (an OpenStack or Kubernetes site); what a caller sees "
    "under it follows each type's own rule."
)
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

    @strawberry.field(description="The provider's regions.")
    async def regions(self, info: Info, where: Annotated[RegionFilter | None, WHERE] = None) -> list[Region]:
        return await walk_nodes(info, edge_walk("Provider", "Region"), self.id, where)

    @strawberry.field(description="Projects (tenants, namespaces) the provider hosts.")
    async def projects(
        self, info: Info, where: Annotated[ProjectFilter | None, WHERE] = None
    ) -> list[Annotated[Project, strawberry.lazy("schema.project")]]:
        return await walk_nodes(info, edge_walk("Provider", "Project"), self.id, where)

    @strawberry.field(description="The identity providers (issuers) this provider trusts, and how.")
    async def trusts(self, info: Info) -> list[Trust]:
        return await walk_nodes(info, TRUSTS_BY_PROVIDER, self.id)


@bind("Trust")
@strawberry.type(description="How a provider trusts an issuer (the TRUSTS edge).")
class Trust:
    idp_name: str
    protocol: str
    audience: str | None
    provider: Provider = strawberry.field(description="The provider that trusts the issuer.")
    identity_provider: Annotated[IdentityProvider, strawberry.lazy("schema.identity")] = strawberry.field(
        description="The issuer the provider trusts."
    )

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


describe_from_model(Trust, TrustIn)


@bind("Region", listed="Regions of every provider.")
@strawberry.type(description="A region of a provider; it supplies services and stands at a location.")
class Region(Node):
    name: str
    overbooking_cpu: float = 1.0
    overbooking_ram: float = 1.0
    bandwidth_in: float | None = None
    bandwidth_out: float | None = None
    public_ip_assignable: bool | None = None
    harvest: Harvest | None = strawberry.field(
        default=None, description="How the last harvest of this region went (its provider's, unless it failed alone)."
    )

    @classmethod
    def from_row(cls, row: Record) -> Self:
        region = super().from_row(row)
        region.harvest = Harvest.from_row(row)
        return region

    @strawberry.field(description="The provider the region belongs to.")
    async def provider(self, info: Info) -> Provider:
        return await walk_node(info, edge_walk("Region", "Provider"), self.id) or Provider.from_row({})

    @strawberry.field(description="Where the region stands; null: not recorded.")
    async def location(self, info: Info) -> Location | None:
        return await walk_node(info, edge_walk("Region", "Location"), self.id)

    @strawberry.field(description="The compute services the region supplies.")
    async def compute_services(
        self, info: Info, where: Annotated[ServiceFilter | None, WHERE] = None
    ) -> list[Annotated[ComputeService, _service]]:
        return await self._services(info, "ComputeService", where)

    @strawberry.field(description="The block storage services the region supplies.")
    async def block_storage_services(
        self, info: Info, where: Annotated[ServiceFilter | None, WHERE] = None
    ) -> list[Annotated[BlockStorageService, _service]]:
        return await self._services(info, "BlockStorageService", where)

    @strawberry.field(description="The network services the region supplies.")
    async def network_services(
        self, info: Info, where: Annotated[ServiceFilter | None, WHERE] = None
    ) -> list[Annotated[NetworkService, _service]]:
        return await self._services(info, "NetworkService", where)

    @strawberry.field(description="The object store services the region supplies.")
    async def object_store_services(
        self, info: Info, where: Annotated[ServiceFilter | None, WHERE] = None
    ) -> list[Annotated[ObjectStoreService, _service]]:
        return await self._services(info, "ObjectStoreService", where)

    @strawberry.field(description="The identity services the region supplies.")
    async def identity_services(
        self, info: Info, where: Annotated[ServiceFilter | None, WHERE] = None
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

    @strawberry.field(description="The regions standing at this site.")
    async def regions(self, info: Info, where: Annotated[RegionFilter | None, WHERE] = None) -> list[Region]:
        return await walk_nodes(info, edge_walk("Location", "Region"), self.id, where)
