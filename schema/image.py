"""Images: the operating systems (and CUDA/GPU driver support) a compute service offers."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers import may_use
from resolvers.walks import edge_walk
from schema.filters import WHERE, ProjectFilter, ServiceFilter
from schema.node import Info, Node, bind, walk_nodes

if TYPE_CHECKING:
    from schema.project import Project
    from schema.service import ComputeService


@bind("Image", listed="Every image of every service.")
@strawberry.type(description="An operating system image a compute service offers.")
class Image(Node):
    uuid: str
    name: str
    is_shared: bool
    os_type: str | None = None
    os_distro: str | None = None
    os_version: str | None = None
    architecture: str | None = None
    kernel_id: str | None = None
    cuda_support: bool = False
    gpu_driver: bool = False
    created_at: dt.datetime | None = None
    tags: list[str] = strawberry.field(default_factory=list)
    cuda_version: str | None = None
    gpu_driver_version: str | None = None
    cudnn_version: str | None = None
    login_user: str | None = None

    @strawberry.field(description="Compute services offering the image (it may be offered by several).")
    async def compute_services(
        self, info: Info, where: Annotated[ServiceFilter | None, WHERE] = None
    ) -> list[Annotated[ComputeService, strawberry.lazy("schema.service")]]:
        return await walk_nodes(info, edge_walk("Image", "ComputeService"), self.id, where)

    @strawberry.field(description="Projects that may use this image (the may-use rule, read backwards).")
    async def usable_by(
        self, info: Info, where: Annotated[ProjectFilter | None, WHERE] = None
    ) -> list[Annotated[Project, strawberry.lazy("schema.project")]]:
        return await walk_nodes(info, may_use.PROJECTS_ALLOWED["Image"], self.id, where)
