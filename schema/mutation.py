"""The root Mutation: administration of the registry (every field declares who may call it)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload
from strawberry.scalars import JSON

from resolvers.constraints import apply_constraints
from schema.bundle import BundleChanges, upsert_provider_bundle
from schema.documents import delete_sla_document, upload_sla_document
from schema.node import Info, request_context
from schema.permissions import IsAdmin, IsWriter
from schema.sla import SLADocument

_SLA_ID = Annotated[strawberry.ID, strawberry.argument(description="The id of the SLA.")]


@strawberry.type
class Mutation:
    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="Re-apply the graph's constraints and indexes (idempotent); returns how many statements ran.",
    )
    async def apply_constraints(self, info: Info) -> int:
        return await apply_constraints(request_context(info).database)

    @strawberry.mutation(
        permission_classes=[IsWriter],
        description="Reconcile one provider, with everything under it, to the bundle in ONE transaction: create "
        "what is new, update what changed, remove what it no longer lists (a region takes its services, a service "
        "what it offers and the quotas on it, a project its quotas; an SLA left with no project goes too). The "
        "bundle is `{provider, identityProviders}` in the format of examples/federation.yaml; its SLAs may cover "
        "only this provider's projects. Sending it twice changes nothing the second time. With `dryRun` it answers "
        "what it would change and writes nothing (the transaction is rolled back). Writers only.",
    )
    async def upsert_provider_bundle(
        self,
        info: Info,
        bundle: Annotated[
            JSON,
            strawberry.argument(
                description="`{provider, identityProviders}`, keys and values as in the federation file "
                "(examples/federation.yaml: lower-case `type: openstack`, `status: active`)."
            ),
        ],
        dry_run: Annotated[
            bool, strawberry.argument(description="true: answer what would change, and change nothing.")
        ] = False,
    ) -> BundleChanges:
        return await upsert_provider_bundle(info, bundle, dry_run=dry_run)

    @strawberry.mutation(
        name="uploadSLADocument",
        permission_classes=[IsWriter],
        description="Upload the signed document of an SLA (a PDF, as a GraphQL multipart upload); it replaces the "
        "previous one. Its SHA-256 is computed here and verified by the object store. Writers only.",
    )
    async def upload_sla_document(
        self,
        info: Info,
        sla_id: _SLA_ID,
        file: Annotated[Upload, strawberry.argument(description="The signed PDF (the multipart request's file part).")],
    ) -> SLADocument:
        return await upload_sla_document(info, sla_id, file)

    @strawberry.mutation(
        name="deleteSLADocument",
        permission_classes=[IsWriter],
        description="Remove the signed document of an SLA; false when it had none. Writers only.",
    )
    async def delete_sla_document(self, info: Info, sla_id: _SLA_ID) -> bool:
        return await delete_sla_document(info, sla_id)
