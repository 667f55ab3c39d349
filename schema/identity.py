"""Identity providers (token issuers), the user groups they assert, and where a group may deploy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers import may_use
from resolvers.walks import edge_walk
from resolvers.walks.provider import TRUSTS_BY_IDENTITY_PROVIDER
from schema.filters import WHERE, DeploymentTargetFilter, SLAFilter, UserGroupFilter
from schema.node import Info, Node, bind, build, walk_node, walk_nodes
from schema.placement import DeploymentRequest, Placement, PlacementOrder, placements_of

if TYPE_CHECKING:
    from resolvers.db import Record
    from schema.project import Project
    from schema.provider import Provider, Region, Trust
    from schema.service import ComputeService
    from schema.sla import SLA

_provider = strawberry.lazy("schema.provider")


@bind("IdentityProvider", listed="Token issuers.")
@strawberry.type(description="An OpenID Connect issuer the federation knows (INDIGO IAM, EGI Check-in...).")
class IdentityProvider(Node):
    endpoint: str
    group_claim: str

    @strawberry.field(description="The issuer's groups the caller may see (its own; all for administrators).")
    async def user_groups(self, info: Info, where: Annotated[UserGroupFilter | None, WHERE] = None) -> list[UserGroup]:
        return await walk_nodes(info, edge_walk("IdentityProvider", "UserGroup"), self.id, where)

    @strawberry.field(description="Providers that trust this issuer, and how.")
    async def trusts(self, info: Info) -> list[Annotated[Trust, _provider]]:
        return await walk_nodes(info, TRUSTS_BY_IDENTITY_PROVIDER, self.id)


@bind("UserGroup", listed="User groups.")
@strawberry.type(description="A group of users asserted by one issuer (names may contain '/').")
class UserGroup(Node):
    name: str

    @strawberry.field(description="The issuer that asserts the group.")
    async def identity_provider(self, info: Info) -> IdentityProvider:
        found = await walk_node(info, edge_walk("UserGroup", "IdentityProvider"), self.id)
        return found or IdentityProvider.from_row({})

    @strawberry.field(description="The SLAs the group agreed.")
    async def slas(
        self, info: Info, where: Annotated[SLAFilter | None, WHERE] = None
    ) -> list[Annotated[SLA, strawberry.lazy("schema.sla")]]:
        return await walk_nodes(info, edge_walk("UserGroup", "SLA"), self.id, where)

    @strawberry.field(
        description="Where the group may deploy: one row per (SLA, project, region, compute service) it may "
        "use, under SLAs in force and at active providers unless the filter says otherwise."
    )
    async def deployment_targets(
        self, info: Info, where: Annotated[DeploymentTargetFilter | None, WHERE] = None
    ) -> list[DeploymentTarget]:
        return await walk_nodes(info, may_use.DEPLOYMENT_TARGETS_BY_USER_GROUP, self.id, where)

    @strawberry.field(
        description="Where one deployment fits: a Placement per (SLA, project, region, compute service) the group "
        "may use, in force and active or not (those that do not fit say why), best candidate first."
    )
    async def placements(
        self,
        info: Info,
        request: Annotated[DeploymentRequest, strawberry.argument(description="What is to be deployed.")],
        order_by: Annotated[
            PlacementOrder, strawberry.argument(description="RANK (default): best first; NAME: by provider name.")
        ] = PlacementOrder.RANK,
        fits_only: Annotated[bool, strawberry.argument(description="true: only the places where it fits.")] = False,
    ) -> list[Placement]:
        return await placements_of(info, self.id, request, order_by, fits_only)


@bind("DeploymentTarget")
@strawberry.type(description="A place a user group may deploy to (the dashboard's dropdown row).")
class DeploymentTarget:
    sla: Annotated[SLA, strawberry.lazy("schema.sla")] = strawberry.field(
        description="The SLA that lets the group deploy here."
    )
    project: Annotated[Project, strawberry.lazy("schema.project")] = strawberry.field(
        description="The project to deploy in."
    )
    provider: Annotated[Provider, _provider] = strawberry.field(description="The provider hosting the project.")
    region: Annotated[Region, _provider] = strawberry.field(description="The region to deploy in.")
    compute_service: Annotated[ComputeService, strawberry.lazy("schema.service")] = strawberry.field(
        description="The compute service to deploy with (the project may use it: it holds a limit quota on it)."
    )

    @classmethod
    def from_row(cls, row: Record) -> DeploymentTarget:
        return cls(
            sla=build("SLA", row["sla"]),
            project=build("Project", row["project"]),
            provider=build("Provider", row["provider"]),
            region=build("Region", row["region"]),
            compute_service=build("ComputeService", row["computeService"]),
        )
