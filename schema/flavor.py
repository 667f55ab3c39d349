"""Flavors: the sizes of virtual machines (vCPUs, RAM, disk, GPUs, infiniband) a compute service offers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers import may_use
from resolvers.walks import edge_walk
from schema.filters import WHERE, ProjectFilter, ServiceFilter
from schema.node import Info, Node, bind, walk_nodes

if TYPE_CHECKING:
    from schema.project import Project
    from schema.service import ComputeService


@bind("Flavor", listed="Every flavor of every service.")
@strawberry.type(description="A size of virtual machine a compute service offers.")
class Flavor(Node):
    uuid: str
    name: str
    is_shared: bool
    vcpus: int = 0
    ram: int = 0
    disk: int = 0
    swap: int = 0
    ephemeral: int = 0
    gpus: int = 0
    gpu_model: str | None = None
    gpu_vendor: str | None = None
    infiniband: bool = False
    local_storage: str | None = None

    @strawberry.field(description="The compute services offering the flavor.")
    async def compute_services(
        self, info: Info, where: Annotated[ServiceFilter | None, WHERE] = None
    ) -> list[Annotated[ComputeService, strawberry.lazy("schema.service")]]:
        return await walk_nodes(info, edge_walk("Flavor", "ComputeService"), self.id, where)

    @strawberry.field(description="Projects that may use this flavor (the may-use rule, read backwards).")
    async def usable_by(
        self, info: Info, where: Annotated[ProjectFilter | None, WHERE] = None
    ) -> list[Annotated[Project, strawberry.lazy("schema.project")]]:
        return await walk_nodes(info, may_use.PROJECTS_ALLOWED["Flavor"], self.id, where)
