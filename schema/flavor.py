"""Flavors: the sizes of virtual machines (vCPUs, RAM, disk, GPUs, infiniband) a compute service offers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers import may_use
from resolvers.loaders import resources as walks
from schema.filters import ProjectFilter, ServiceFilter, where_of
from schema.node import Node, federation, rows_to

if TYPE_CHECKING:
    from schema.project import Project
    from schema.service import ComputeService


@strawberry.type
class Flavor(Node):
    uuid: str
    name: str
    is_shared: bool = strawberry.field(description="false: private, usable only by the projects linked to it.")
    vcpus: int = 0
    ram: int = strawberry.field(default=0, description="MiB.")
    disk: int = strawberry.field(default=0, description="GiB.")
    swap: int = 0
    ephemeral: int = 0
    gpus: int = 0
    gpu_model: str | None = None
    gpu_vendor: str | None = None
    infiniband: bool = False
    local_storage: str | None = None

    @strawberry.field
    async def compute_services(
        self, info: strawberry.Info, where: ServiceFilter | None = None
    ) -> list[Annotated[ComputeService, strawberry.lazy("schema.service")]]:
        from schema.service import ComputeService

        rows = await federation(info).walk(walks.COMPUTE_SERVICES_BY_FLAVOR, self.id, where_of(where))
        return rows_to(ComputeService, rows)

    @strawberry.field(description="Projects that may use this flavor (the may-use rule, read backwards).")
    async def usable_by(
        self, info: strawberry.Info, where: ProjectFilter | None = None
    ) -> list[Annotated[Project, strawberry.lazy("schema.project")]]:
        from schema.project import Project

        return rows_to(
            Project, await federation(info).walk(may_use.PROJECTS_ALLOWED["Flavor"], self.id, where_of(where))
        )
