"""Networks a network service offers: public (router-external) ones and private ones with their proxy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers import may_use
from resolvers.walks import edge_walk
from schema.filters import WHERE, ProjectFilter
from schema.node import Info, Node, bind, walk_node, walk_nodes

if TYPE_CHECKING:
    from schema.project import Project
    from schema.service import NetworkService


@bind("Network", listed="Every network.")
@strawberry.type(description="A network a network service offers.")
class Network(Node):
    uuid: str
    name: str
    is_shared: bool
    is_router_external: bool = False
    is_default: bool = False
    mtu: int | None = None
    proxy_host: str | None = None
    proxy_user: str | None = None
    tags: list[str] = strawberry.field(default_factory=list)
    cidr: str | None = None

    @strawberry.field(description="The network service offering the network.")
    async def network_service(self, info: Info) -> Annotated[NetworkService, strawberry.lazy("schema.service")] | None:
        return await walk_node(info, edge_walk("Network", "NetworkService"), self.id)

    @strawberry.field(description="Projects that may use this network (the may-use rule, read backwards).")
    async def usable_by(
        self, info: Info, where: Annotated[ProjectFilter | None, WHERE] = None
    ) -> list[Annotated[Project, strawberry.lazy("schema.project")]]:
        return await walk_nodes(info, may_use.PROJECTS_ALLOWED["Network"], self.id, where)
