"""The provider bundle: the feeder's whole-provider write, and what it changed."""

from __future__ import annotations

from collections import Counter
from typing import Any

import strawberry
from pydantic import ValidationError

from resolvers.errors import InvalidNode
from resolvers.federation_file import ProviderBundle
from resolvers.federation_graph import federation_graph
from resolvers.reconcile import Actor, Changes, reconcile
from schema.node import Info, request_context


@strawberry.type(description="How many nodes of one type.")
class LabelCount:
    label: str = strawberry.field(description="The node type, e.g. Flavor (every kind of quota counts as Quota).")
    count: int = strawberry.field(description="How many.")


def label_counts(counter: Counter[str]) -> list[LabelCount]:
    return [LabelCount(label=label, count=count) for label, count in sorted(counter.items())]


@strawberry.type(description="What an upsert changed, per node type; all empty when nothing did.")
class BundleChanges:
    created: list[LabelCount] = strawberry.field(description="Nodes created, per type.")
    updated: list[LabelCount] = strawberry.field(description="Nodes whose properties changed, per type.")
    removed: list[LabelCount] = strawberry.field(description="Nodes removed (no longer listed), per type.")
    edges_created: int = strawberry.field(description="Edges created.")
    edges_updated: int = strawberry.field(description="Edges whose properties changed (e.g. a trust's protocol).")
    edges_removed: int = strawberry.field(description="Edges removed.")
    changed: bool = strawberry.field(description="Whether anything changed (false: the bundle was as stored).")

    @classmethod
    def of(cls, changes: Changes) -> BundleChanges:
        return cls(
            created=label_counts(changes.created),
            updated=label_counts(changes.updated),
            removed=label_counts(changes.removed),
            edges_created=changes.edges_created,
            edges_updated=changes.edges_updated,
            edges_removed=changes.edges_removed,
            changed=not changes.nothing,
        )


async def upsert_provider_bundle(info: Info, bundle: Any, *, dry_run: bool = False) -> BundleChanges:
    try:
        parsed = ProviderBundle.model_validate(bundle)
    except ValidationError as error:
        raise InvalidNode("bundle", [(".".join(str(p) for p in e["loc"]), e["msg"]) for e in error.errors()]) from None
    graph = federation_graph(parsed.as_federation())
    ctx = request_context(info)
    actor = Actor(issuer=ctx.scope.token_issuer or "unknown", subject=ctx.scope.subject or "unknown")
    return BundleChanges.of(await reconcile(ctx.database, graph, actor=actor, dry_run=dry_run))
