"""SLAs: agreements of a user group with providers, covering one project at each."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers.loaders import identity as walks
from schema.filters import ProjectFilter, where_of
from schema.node import Node, federation, rows_to

if TYPE_CHECKING:
    from schema.identity import UserGroup
    from schema.project import Project


@strawberry.type(description="A service level agreement, in force from startDate to endDate (both included).")
class SLA(Node):
    doc_uuid: str = strawberry.field(description="The id of the signed document (as SLAM knew it).")
    start_date: dt.date
    end_date: dt.date

    @strawberry.field
    async def user_group(self, info: strawberry.Info) -> Annotated[UserGroup, strawberry.lazy("schema.identity")]:
        from schema.identity import UserGroup

        return UserGroup.from_row(await federation(info).walk_one(walks.USER_GROUP_BY_SLA, self.id) or {})

    @strawberry.field(description="The projects (one per provider) the SLA covers.")
    async def projects(
        self, info: strawberry.Info, where: ProjectFilter | None = None
    ) -> list[Annotated[Project, strawberry.lazy("schema.project")]]:
        from schema.project import Project

        return rows_to(Project, await federation(info).walk(walks.PROJECTS_BY_SLA, self.id, where_of(where)))
