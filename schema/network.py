"""Networks a network service offers: public (router-external) ones and private ones with their proxy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers import may_use
from resolvers.loaders import resources as walks
from schema.filters import ProjectFilter, where_of
from schema.node import Node, federation, rows_to

if TYPE_CHECKING:
    from schema.project import Project
    from schema.service import NetworkService


@strawberry.type
class Network(Node):
    uuid: str
    name: str
    is_shared: bool
    is_router_external: bool = False
    is_default: bool = False
    mtu: int | None = None
    cidr: str | None = strawberry.field(default=None, description="Its subnet's CIDR (the first IPv4 one).")
    proxy_host: str | None = None
    proxy_user: str | None = None
    tags: list[str] = strawberry.field(default_factory=list)

    @strawberry.field
    async def network_service(
        self, info: strawberry.Info
    ) -> Annotated[NetworkService, strawberry.lazy("schema.service")] | None:
        from schema.service import NetworkService

        row = await federation(info).walk_one(walks.NETWORK_SERVICE_BY_NETWORK, self.id)
        return NetworkService.from_row(row) if row else None

    @strawberry.field(description="Projects that may use this network (the may-use rule, read backwards).")
    async def usable_by(
        self, info: strawberry.Info, where: ProjectFilter | None = None
    ) -> list[Annotated[Project, strawberry.lazy("schema.project")]]:
        from schema.project import Project

        return rows_to(
            Project, await federation(info).walk(may_use.PROJECTS_ALLOWED["Network"], self.id, where_of(where))
        )
