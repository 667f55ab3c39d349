"""Images: the operating systems (and CUDA/GPU driver support) a compute service offers."""

from __future__ import annotations

import datetime as dt
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
class Image(Node):
    uuid: str
    name: str
    is_shared: bool
    os_type: str | None = strawberry.field(default=None, description="Linux, Windows or MacOS.")
    os_distro: str | None = None
    os_version: str | None = None
    architecture: str | None = None
    kernel_id: str | None = None
    cuda_support: bool = False
    gpu_driver: bool = False
    cuda_version: str | None = None
    gpu_driver_version: str | None = None
    cudnn_version: str | None = None
    login_user: str | None = strawberry.field(default=None, description="The user to log in as.")
    created_at: dt.datetime | None = None
    tags: list[str] = strawberry.field(default_factory=list)

    @strawberry.field(description="Compute services offering the image (it may be offered by several).")
    async def compute_services(
        self, info: strawberry.Info, where: ServiceFilter | None = None
    ) -> list[Annotated[ComputeService, strawberry.lazy("schema.service")]]:
        from schema.service import ComputeService

        rows = await federation(info).walk(walks.COMPUTE_SERVICES_BY_IMAGE, self.id, where_of(where))
        return rows_to(ComputeService, rows)

    @strawberry.field(description="Projects that may use this image (the may-use rule, read backwards).")
    async def usable_by(
        self, info: strawberry.Info, where: ProjectFilter | None = None
    ) -> list[Annotated[Project, strawberry.lazy("schema.project")]]:
        from schema.project import Project

        return rows_to(
            Project, await federation(info).walk(may_use.PROJECTS_ALLOWED["Image"], self.id, where_of(where))
        )
