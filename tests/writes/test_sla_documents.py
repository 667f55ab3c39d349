"""Signed SLA documents: upload, checksum, presigned download, replace, delete, and failures that change nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import httpx
import neo4j
import pytest
from prometheus_client import REGISTRY

from registry.app import create_app
from registry.settings import Settings
from registry.storage import S3DocumentStore
from resolvers.db import Database
from resolvers.federation_file import FederationFile
from resolvers.federation_graph import stable_uid
from tests.conftest import Issuer
from tests.test_feeder import dump

UPLOAD = """mutation($sla: ID!, $file: Upload!) { uploadSLADocument(slaId: $sla, file: $file) {
  sha256 sizeBytes mediaType uploadedAt downloadUrl } }"""
DELETE = "mutation($sla: ID!) { deleteSLADocument(slaId: $sla) }"
READ = """query($name: String!, $issuer: String!) { userGroup(name: $name, issuer: $issuer) {
  slas { docUuid document { sha256 sizeBytes mediaType downloadUrl } } } }"""
ML_INFN_SLA = stable_uid("SLA", "0fcbd87d-5be9-4406-aa11-f19c61015234")
INFN = "https://iam.cloud.infn.it/"


def pdf(text: str) -> bytes:
    return b"%PDF-1.7\n" + text.encode() + b"\n%%EOF\n"


async def upload(
    client: httpx.AsyncClient, token: str | None, sla: str, content: bytes, media_type: str = "application/pdf"
) -> dict[str, Any]:
    operations = json.dumps({"query": UPLOAD, "variables": {"sla": sla, "file": None}})
    response = await client.post(
        "/graphql",
        data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
        files={"0": ("agreement.pdf", content, media_type)},
        # The preflight-forcing header every multipart request needs (CSRF prevention).
        headers={"Apollo-Require-Preflight": "true", **({"Authorization": f"Bearer {token}"} if token else {})},
    )
    return dict(response.json())


async def graphql(client: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables},
                                 headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    return dict(response.json())


async def download(url: str) -> bytes:
    async with httpx.AsyncClient() as http:
        response = await http.get(url)
    assert response.status_code == 200, response.text
    return response.content


async def test_upload_checksum_and_download_gives_the_same_bytes(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    content = pdf("ML-INFN agreement, signed")

    uploaded = (await upload(client, issuer.token(writer=True), ML_INFN_SLA, content))["data"]["uploadSLADocument"]

    assert uploaded["sha256"] == hashlib.sha256(content).hexdigest()
    assert (uploaded["sizeBytes"], uploaded["mediaType"]) == (len(content), "application/pdf")
    assert await download(uploaded["downloadUrl"]) == content
    # an entitled member sees the document and can fetch it
    seen = await graphql(client, READ, {"name": "ml-infn", "issuer": INFN}, issuer.token("ml-infn"))
    [document] = [s["document"] for s in seen["data"]["userGroup"]["slas"] if s["document"]]
    assert document["sha256"] == uploaded["sha256"]
    assert await download(document["downloadUrl"]) == content


def _answered(path: str) -> float:
    return REGISTRY.get_sample_value("registry_fast_answers_total", {"path": path}) or 0.0


async def test_an_sla_listing_with_download_links_is_answered_from_the_rows_and_the_links_by_their_resolver(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    # The link is signed on demand, not stored: graphql-core completes that field alone, on the
    # document built from the rows; the rest of the answer does not wait for the general path.
    content = pdf("ML-INFN agreement, signed")
    await upload(client, issuer.token(writer=True), ML_INFN_SLA, content)
    mixed, general = _answered("fast, some fields by graphql-core"), _answered("general")

    seen = await graphql(client, READ, {"name": "ml-infn", "issuer": INFN}, issuer.token("ml-infn"))

    assert "errors" not in seen
    assert (_answered("fast, some fields by graphql-core"), _answered("general")) == (mixed + 1, general)
    [document] = [s["document"] for s in seen["data"]["userGroup"]["slas"] if s["document"]]
    assert list(document) == ["sha256", "sizeBytes", "mediaType", "downloadUrl"]
    assert await download(document["downloadUrl"]) == content


async def test_another_groups_member_does_not_see_the_sla_at_all(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    await upload(client, issuer.token(writer=True), ML_INFN_SLA, pdf("signed"))

    seen = await graphql(client, READ, {"name": "ml-infn", "issuer": INFN}, issuer.token("biomed", realm="egi"))
    by_id = await graphql(client, "query($id: ID!) { sla(id: $id) { document { downloadUrl } } }",
                          {"id": ML_INFN_SLA}, issuer.token("biomed", realm="egi"))  # fmt: skip

    assert seen["data"] == {"userGroup": None}
    assert by_id["data"] == {"sla": None}


async def test_replacing_removes_the_old_object_and_delete_removes_the_last(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    writer = issuer.token(writer=True)
    first = (await upload(client, writer, ML_INFN_SLA, pdf("v1")))["data"]["uploadSLADocument"]
    second = (await upload(client, writer, ML_INFN_SLA, pdf("v2")))["data"]["uploadSLADocument"]

    async with httpx.AsyncClient() as http:
        assert (await http.get(first["downloadUrl"])).status_code == 404
    assert await download(second["downloadUrl"]) == pdf("v2")

    deleted = await graphql(client, DELETE, {"sla": ML_INFN_SLA}, writer)
    assert deleted["data"] == {"deleteSLADocument": True}
    async with httpx.AsyncClient() as http:
        assert (await http.get(second["downloadUrl"])).status_code == 404
    assert (await graphql(client, DELETE, {"sla": ML_INFN_SLA}, writer))["data"] == {"deleteSLADocument": False}


@pytest.mark.parametrize(
    ("content", "media_type", "reason"),
    [
        (b"plain text", "text/plain", "media type 'text/plain' is not accepted (PDF only)"),
        (b"<html>not a pdf</html>", "application/pdf", "does not look like application/pdf"),
        (pdf("x" * 70_000), "application/pdf", "at most 65536 are accepted"),
        (b"", "application/pdf", "is empty"),
    ],
)
async def test_bad_documents_are_refused(
    client: httpx.AsyncClient,
    example_federation: FederationFile,
    issuer: Issuer,
    content: bytes,
    media_type: str,
    reason: str,
) -> None:
    answer = await upload(client, issuer.token(writer=True), ML_INFN_SLA, content, media_type)

    [error] = answer["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "file"}
    assert reason in error["message"]


async def test_unknown_sla_and_non_writers(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    missing = await upload(client, issuer.token(writer=True), "no-such-sla", pdf("x"))
    member = await upload(client, issuer.token("ml-infn"), ML_INFN_SLA, pdf("x"))

    assert missing["errors"][0]["extensions"] == {"code": "NOT_FOUND", "field": "slaId"}
    assert member["errors"][0]["extensions"] == {"code": "FORBIDDEN"}


async def test_s3_unreachable_is_a_clear_error_and_the_sla_is_unchanged(
    settings: Settings, database: Database, example_federation: FederationFile, issuer: Issuer
) -> None:
    # given a registry whose object store does not answer
    app = create_app(settings.model_copy(update={"s3_endpoint_url": "http://127.0.0.1:9", "s3_create_bucket": False}))
    before = await dump(database)
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        # when a document is uploaded
        answer = await upload(http, issuer.token(writer=True), ML_INFN_SLA, pdf("signed"))

    # then the caller is told, and nothing changed
    [error] = answer["errors"]
    assert error["extensions"] == {"code": "SERVICE_UNAVAILABLE"}
    assert "the SLA was not changed" in error["message"]
    assert await dump(database) == before


async def test_a_neo4j_failure_after_the_upload_takes_the_object_back(
    client: httpx.AsyncClient,
    example_federation: FederationFile,
    issuer: Issuer,
    settings: Settings,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given the SLA change fails in Neo4j after the object reached S3 (injected at the transaction)
    from resolvers import documents

    async def refuse(*args: Any, **kwargs: Any) -> Any:
        raise neo4j.exceptions.TransientError("injected: the transaction could not commit")

    monkeypatch.setattr(documents, "_write", refuse)
    store = S3DocumentStore(settings)
    await store.open()
    try:
        before = await dump(database)

        # when a document is uploaded
        answer = await upload(client, issuer.token(writer=True), ML_INFN_SLA, pdf("never committed"))

        # then the caller gets an error, the SLA is as it was, and no object was left behind
        assert answer["errors"][0]["message"] == "Unexpected error."
        assert await dump(database) == before
        assert [
            k for k, _ in await store.keys(documents.PREFIX) if hashlib.sha256(pdf("never committed")).hexdigest() in k
        ] == []
    finally:
        await store.close()


async def test_the_sweep_deletes_only_objects_no_sla_refers_to(
    client: httpx.AsyncClient,
    example_federation: FederationFile,
    issuer: Issuer,
    settings: Settings,
    database: Database,
) -> None:
    from resolvers import documents

    kept = (await upload(client, issuer.token(writer=True), ML_INFN_SLA, pdf("kept")))["data"]["uploadSLADocument"]
    store = S3DocumentStore(settings)
    await store.open()
    try:
        # an object left behind by a crash between S3 and Neo4j
        stray = documents.inspect(pdf("stray"), "application/pdf", max_bytes=1 << 20)
        await store.put(stray.key, pdf("stray"), stray.media_type, stray.sha256)

        gone = await documents.sweep_unreferenced(database, store, older_than=dt.timedelta(0))

        keys = [k for k, _ in await store.keys(documents.PREFIX)]
        assert gone >= 1
        assert stray.key not in keys
        assert f"{documents.PREFIX}{kept['sha256']}.pdf" in keys
    finally:
        await store.close()


async def test_download_links_name_the_public_endpoint_when_one_is_set(
    settings: Settings, example_federation: FederationFile, issuer: Issuer
) -> None:
    app = create_app(settings.model_copy(update={"s3_public_endpoint_url": "https://files.federation.example"}))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        answer = await upload(http, issuer.token(writer=True), ML_INFN_SLA, pdf("public"))

    assert answer["data"]["uploadSLADocument"]["downloadUrl"].startswith("https://files.federation.example/")
