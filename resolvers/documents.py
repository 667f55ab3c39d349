"""Signed SLA documents: bytes in S3-compatible storage under a content-addressed key, metadata on the SLA.

Order of work keeps the two stores consistent when either fails midway: the object is written
first (its key is its SHA-256, so writing it again is harmless), then the SLA node is changed in one
Neo4j transaction; if that fails, the new object is deleted again unless some SLA refers to it.
An object no SLA refers to any more is deleted after the change; one left behind by a crash is
found and deleted by `sweep_unreferenced`, which the app runs periodically.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any, Protocol

from resolvers.db import Database, Transaction, run_in
from resolvers.errors import DocumentRejected, NodeNotFound, StorageUnavailable

PREFIX = "sla-documents/"
MEDIA_SIGNATURES = {"application/pdf": b"%PDF-"}


class DocumentStore(Protocol):
    """Where the documents' bytes live (S3 in production and tests alike)."""

    async def put(self, key: str, content: bytes, media_type: str, sha256: str) -> None: ...
    async def delete(self, key: str) -> None: ...
    async def download_url(self, key: str) -> str: ...
    async def keys(self, prefix: str) -> list[tuple[str, dt.datetime]]: ...


def sla_not_found() -> NodeNotFound:
    return NodeNotFound("slaId", "no such SLA")


@dataclass(frozen=True)
class Document:
    key: str
    sha256: str
    size_bytes: int
    media_type: str
    uploaded_at: dt.datetime


def inspect(content: bytes, declared_type: str | None, *, max_bytes: int) -> Document:
    """Check the upload and name it by its SHA-256 (raises DocumentRejected)."""
    if len(content) > max_bytes:
        raise DocumentRejected("file", f"is {len(content)} bytes; at most {max_bytes} are accepted")
    if len(content) == 0:
        raise DocumentRejected("file", "is empty")
    media_type = (declared_type or "").split(";")[0].strip().lower()
    signature = MEDIA_SIGNATURES.get(media_type)
    if signature is None:
        raise DocumentRejected("file", f"media type {media_type or 'unknown'!r} is not accepted (PDF only)")
    if not content.startswith(signature):
        raise DocumentRejected("file", f"does not look like {media_type}")
    sha256 = hashlib.sha256(content).hexdigest()
    return Document(f"{PREFIX}{sha256}.pdf", sha256, len(content), media_type, dt.datetime.now(dt.UTC))


_ATTACH = """
MATCH (s:SLA {uid: $uid})
WITH s, s.documentKey AS previous
SET s.documentKey = $doc.key, s.documentSha256 = $doc.sha256, s.documentSize = $doc.size,
    s.documentMediaType = $doc.mediaType, s.documentUploadedAt = $doc.uploadedAt,
    s.changedBy = $actor, s.changedAt = $doc.uploadedAt
RETURN previous
"""
_DETACH = """
MATCH (s:SLA {uid: $uid})
WITH s, s.documentKey AS previous
REMOVE s.documentKey, s.documentSha256, s.documentSize, s.documentMediaType, s.documentUploadedAt
SET s.changedBy = $actor, s.changedAt = $now
RETURN previous
"""
_REFERENCED = "UNWIND $keys AS key MATCH (s:SLA {documentKey: key}) RETURN DISTINCT key"


async def _write(database: Database, cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    async def work(tx: Transaction) -> list[dict[str, Any]]:
        return await run_in(tx, cypher, params)

    return await database.transaction(work, op="sla document", by=params["actor"])


async def _referenced(database: Database, keys: list[str]) -> set[str]:
    rows = await database.read(_REFERENCED, {"keys": keys})
    return {r["key"] for r in rows}


async def _forget(database: Database, store: DocumentStore, key: str | None) -> None:
    """Delete an object no SLA refers to (best effort: the sweep catches what this misses)."""
    if key and key not in await _referenced(database, [key]):
        with contextlib.suppress(StorageUnavailable):
            await store.delete(key)


async def attach(
    database: Database, store: DocumentStore, sla_uid: str, doc: Document, content: bytes, actor: str
) -> None:
    """Store the document and point the SLA at it; the previous one goes if nothing else refers to it."""
    if not await database.read("MATCH (s:SLA {uid: $uid}) RETURN s.uid AS uid", {"uid": sla_uid}):
        raise sla_not_found()
    try:
        await store.put(doc.key, content, doc.media_type, doc.sha256)
    except StorageUnavailable as error:
        raise StorageUnavailable(f"{error}; the SLA was not changed") from None
    params = {
        "uid": sla_uid,
        "actor": actor,
        "doc": {"key": doc.key, "sha256": doc.sha256, "size": doc.size_bytes, "mediaType": doc.media_type,
                "uploadedAt": doc.uploaded_at},
    }  # fmt: skip
    try:
        rows = await _write(database, _ATTACH, params)
    except BaseException:
        # Neo4j failed after the object landed: take it back unless an SLA already refers to it.
        with contextlib.suppress(Exception):
            await _forget(database, store, doc.key)
        raise
    if not rows:  # the SLA went away meanwhile
        await _forget(database, store, doc.key)
        raise sla_not_found()
    previous = rows[0]["previous"]
    if previous != doc.key:
        await _forget(database, store, previous)


async def detach(database: Database, store: DocumentStore, sla_uid: str, actor: str) -> bool:
    """Remove the SLA's document; False when it had none."""
    rows = await _write(database, _DETACH, {"uid": sla_uid, "actor": actor, "now": dt.datetime.now(dt.UTC)})
    if not rows:
        raise sla_not_found()
    previous = rows[0]["previous"]
    await _forget(database, store, previous)
    return previous is not None


async def sweep_unreferenced(database: Database, store: DocumentStore, *, older_than: dt.timedelta) -> int:
    """Delete objects under the documents' prefix that no SLA refers to and that are older than
    `older_than` (younger ones may belong to an upload still committing). Returns how many went."""
    cutoff = dt.datetime.now(dt.UTC) - older_than
    candidates = [key for key, modified in await store.keys(PREFIX) if modified < cutoff]
    if not candidates:
        return 0
    referenced = await _referenced(database, candidates)
    gone = 0
    for key in candidates:
        if key not in referenced:
            await store.delete(key)
            gone += 1
    return gone
