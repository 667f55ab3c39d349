"""Uploading and deleting signed SLA documents (GraphQL multipart upload)."""

from __future__ import annotations

import strawberry
from strawberry.file_uploads import Upload

from resolvers import documents
from resolvers.errors import Unavailable
from schema.node import Info, request_context
from schema.sla import SLADocument


def _store(info: Info) -> documents.DocumentStore:
    store = request_context(info).documents
    if store is None:
        raise Unavailable("document storage is not configured")
    return store


async def upload_sla_document(info: Info, sla_id: strawberry.ID, file: Upload) -> SLADocument:
    ctx = request_context(info)
    store = _store(info)
    limit = ctx.document_max_bytes
    content = await file.read(limit + 1)  # type: ignore[attr-defined]
    doc = documents.inspect(content, getattr(file, "content_type", None), max_bytes=limit)
    await documents.attach(ctx.database, store, str(sla_id), doc, content, ctx.actor)
    return SLADocument(
        sha256=doc.sha256,
        size_bytes=doc.size_bytes,
        media_type=doc.media_type,
        uploaded_at=doc.uploaded_at,
        key=doc.key,
    )


async def delete_sla_document(info: Info, sla_id: strawberry.ID) -> bool:
    ctx = request_context(info)
    return await documents.detach(ctx.database, _store(info), str(sla_id), ctx.actor)
