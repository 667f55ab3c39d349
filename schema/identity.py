"""Identity providers (token issuers), the user groups they assert, and where a group may deploy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers import may_use
from resolvers.loaders import federation as federation_walks
from resolvers.loaders import identity as walks
from schema.filters import DeploymentTargetFilter, SLAFilter, UserGroupFilter, where_of
from schema.node import Node, federation, rows_to

if TYPE_CHECKING:
    from resolvers.db import Record
    from schema.project import Project
    from schema.provider import Provider, Region, Trust
    from schema.service import ComputeService
    from schema.sla import SLA

_provider = strawberry.lazy("schema.provider")


@strawberry.type(description="An OpenID Connect issuer the federation knows (INDIGO IAM, EGI Check-in...).")
class IdentityProvider(Node):
    endpoint: str = strawberry.field(description="The issuer URL, exactly as tokens carry it in `iss`.")
    group_claim: str = strawberry.field(description="The token claim that lists the caller's group names.")

    @strawberry.field
    async def user_groups(self, info: strawberry.Info, where: UserGroupFilter | None = None) -> list[UserGroup]:
        rows = await federation(info).walk(walks.USER_GROUPS_BY_IDENTITY_PROVIDER, self.id, where_of(where))
        return rows_to(UserGroup, rows)

    @strawberry.field(description="Providers that trust this issuer, and how.")
    async def trusts(self, info: strawberry.Info) -> list[Annotated[Trust, _provider]]:
        from schema.provider import Trust

        rows = await federation(info).walk(federation_walks.TRUSTS_BY_IDENTITY_PROVIDER, self.id)
        return [Trust.from_row(r) for r in rows]


@strawberry.type(description="A group of users asserted by one issuer (names may contain '/').")
class UserGroup(Node):
    name: str

    @strawberry.field
    async def identity_provider(self, info: strawberry.Info) -> IdentityProvider:
        row = await federation(info).walk_one(walks.IDENTITY_PROVIDER_BY_USER_GROUP, self.id)
        return IdentityProvider.from_row(row or {})

    @strawberry.field(description="The SLAs the group agreed.")
    async def slas(
        self, info: strawberry.Info, where: SLAFilter | None = None
    ) -> list[Annotated[SLA, strawberry.lazy("schema.sla")]]:
        from schema.sla import SLA

        return rows_to(SLA, await federation(info).walk(walks.SLAS_BY_USER_GROUP, self.id, where_of(where)))

    @strawberry.field(
        description="Where the group may deploy: one row per (SLA, project, region, compute service) it may "
        "use, under SLAs in force and at active providers unless the filter says otherwise."
    )
    async def deployment_targets(
        self, info: strawberry.Info, where: DeploymentTargetFilter | None = None
    ) -> list[DeploymentTarget]:
        rows = await federation(info).walk(may_use.DEPLOYMENT_TARGETS_BY_USER_GROUP, self.id, where_of(where))
        return [DeploymentTarget.from_row(r) for r in rows]


@strawberry.type(description="A place a user group may deploy to (the dashboard's dropdown row).")
class DeploymentTarget:
    sla: Annotated[SLA, strawberry.lazy("schema.sla")]
    project: Annotated[Project, strawberry.lazy("schema.project")]
    provider: Annotated[Provider, _provider]
    region: Annotated[Region, _provider]
    compute_service: Annotated[ComputeService, strawberry.lazy("schema.service")]

    @classmethod
    def from_row(cls, row: Record) -> DeploymentTarget:
        from schema.project import Project
        from schema.provider import Provider, Region
        from schema.service import ComputeService
        from schema.sla import SLA

        return cls(
            sla=SLA.from_row(row["sla"]),
            project=Project.from_row(row["project"]),
            provider=Provider.from_row(row["provider"]),
            region=Region.from_row(row["region"]),
            compute_service=ComputeService.from_row(row["computeService"]),
        )
