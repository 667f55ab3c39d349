"""Uploading and deleting signed SLA documents (GraphQL multipart upload)."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.file_uploads import Upload

from resolvers import documents
from schema.errors import ErrorCode, user_error
from schema.node import actor, federation
from schema.sla import SLADocument


def _store(info: strawberry.Info) -> documents.DocumentStore:
    store = federation(info).documents
    if store is None:
        raise GraphQLError("document storage is not configured", extensions={"code": "SERVICE_UNAVAILABLE"})
    return store


async def upload_sla_document(info: strawberry.Info, sla_id: strawberry.ID, file: Upload) -> SLADocument:
    ctx = federation(info)
    store = _store(info)
    limit = ctx.document_max_bytes
    content = await file.read(limit + 1)  # type: ignore[attr-defined]
    try:
        doc = documents.inspect(content, getattr(file, "content_type", None), max_bytes=limit)
        await documents.attach(ctx.database, store, str(sla_id), doc, content, actor(info))
    except documents.DocumentRejected as error:
        raise user_error(ErrorCode.BAD_USER_INPUT, error.field, str(error)) from None
    except documents.SlaNotFound:
        raise user_error(ErrorCode.NOT_FOUND, "slaId", "no such SLA") from None
    except documents.StorageUnavailable as error:
        raise GraphQLError(f"{error}; the SLA was not changed", extensions={"code": "SERVICE_UNAVAILABLE"}) from None
    return SLADocument(
        sha256=doc.sha256,
        size_bytes=doc.size_bytes,
        media_type=doc.media_type,
        uploaded_at=doc.uploaded_at,
        key=doc.key,
    )


async def delete_sla_document(info: strawberry.Info, sla_id: strawberry.ID) -> bool:
    try:
        return await documents.detach(federation(info).database, _store(info), str(sla_id), actor(info))
    except documents.SlaNotFound:
        raise user_error(ErrorCode.NOT_FOUND, "slaId", "no such SLA") from None
