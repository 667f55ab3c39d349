"""The root Mutation: administration of the registry (every field declares who may call it)."""

from __future__ import annotations

import strawberry

from resolvers.constraints import apply_constraints
from schema.node import federation
from schema.permissions import IsAdmin


@strawberry.type
class Mutation:
    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="Re-apply the graph's constraints and indexes (idempotent); returns how many statements ran.",
    )
    async def apply_constraints(self, info: strawberry.Info) -> int:
        return await apply_constraints(federation(info).database)
