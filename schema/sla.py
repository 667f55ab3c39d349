"""SLAs: agreements of a user group with providers, covering one project at each."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from resolvers.walks import edge_walk
from schema.filters import WHERE, ProjectFilter
from schema.node import Info, Node, bind, build, walk_node, walk_nodes

if TYPE_CHECKING:
    from resolvers.db import Record
    from schema.identity import UserGroup
    from schema.project import Project


@strawberry.type(description="The signed SLA document, stored in S3-compatible storage.")
class SLADocument:
    sha256: str = strawberry.field(description="The document's SHA-256, in hex.")
    size_bytes: int = strawberry.field(description="The document's size, in bytes.")
    media_type: str = strawberry.field(description="Its media type: application/pdf.")
    uploaded_at: dt.datetime = strawberry.field(description="When it was uploaded.")
    key: strawberry.Private[str]

    @strawberry.field(description="A short-lived link to download the document (presigned GET).")
    async def download_url(self, info: Info) -> str | None:
        store = info.context.documents
        return await store.download_url(self.key) if store is not None else None

    @classmethod
    def from_row(cls, row: Record) -> SLADocument | None:
        if not row.get("documentKey"):
            return None
        return cls(
            sha256=row["documentSha256"],
            size_bytes=row["documentSize"],
            media_type=row["documentMediaType"],
            uploaded_at=row["documentUploadedAt"],
            key=row["documentKey"],
        )


@bind("SLA", listed="Service level agreements.")
@strawberry.type(
    description="A service level agreement of a user group with providers, in force from startDate to endDate "
    "(both included)."
)
class SLA(Node):
    doc_uuid: str
    start_date: dt.date
    end_date: dt.date
    document: SLADocument | None = strawberry.field(
        default=None, description="The signed document, when one was uploaded (only entitled callers see the SLA)."
    )

    @classmethod
    def from_row(cls, row: Record) -> Self:
        sla = super().from_row(row)
        sla.document = SLADocument.from_row(row)
        return sla

    @strawberry.field(description="The user group that agreed the SLA.")
    async def user_group(self, info: Info) -> Annotated[UserGroup, strawberry.lazy("schema.identity")]:
        return await walk_node(info, edge_walk("SLA", "UserGroup"), self.id) or build("UserGroup", {})

    @strawberry.field(description="The projects (one per provider) the SLA covers.")
    async def projects(
        self, info: Info, where: Annotated[ProjectFilter | None, WHERE] = None
    ) -> list[Annotated[Project, strawberry.lazy("schema.project")]]:
        return await walk_nodes(info, edge_walk("SLA", "Project"), self.id, where)
