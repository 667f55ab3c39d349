"""The provider bundle: the feeder's whole-provider write, and what it changed."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import neo4j
import strawberry
from graphql import GraphQLError
from pydantic import ValidationError

from resolvers.federation_file import ProviderBundle
from resolvers.federation_graph import BundleError, federation_graph
from resolvers.reconcile import Actor, Changes, reconcile
from schema.errors import ErrorCode, user_error
from schema.node import federation


@strawberry.type
class LabelCount:
    label: str
    count: int


def _counts(counter: Counter[str]) -> list[LabelCount]:
    return [LabelCount(label=label, count=count) for label, count in sorted(counter.items())]


@strawberry.type(description="What an upsert changed, per node type; all empty when nothing did.")
class BundleChanges:
    created: list[LabelCount]
    updated: list[LabelCount]
    removed: list[LabelCount]
    edges_created: int
    edges_updated: int
    edges_removed: int
    changed: bool

    @classmethod
    def of(cls, changes: Changes) -> BundleChanges:
        return cls(
            created=_counts(changes.created),
            updated=_counts(changes.updated),
            removed=_counts(changes.removed),
            edges_created=changes.edges_created,
            edges_updated=changes.edges_updated,
            edges_removed=changes.edges_removed,
            changed=not changes.nothing,
        )


def invalid_input(error: ValidationError, root: str) -> GraphQLError:
    """BAD_USER_INPUT naming every bad field by its path under `root`."""
    problems = [{"field": ".".join([root, *(str(p) for p in e["loc"])]), "message": e["msg"]} for e in error.errors()]
    message = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
    return GraphQLError(
        message,
        extensions={"code": ErrorCode.BAD_USER_INPUT.value, "field": problems[0]["field"], "problems": problems},
    )


_CLASH = re.compile(r"already exists with label `(?P<label>\w+)` and propert(?:y|ies) (?P<key>.+)$")


def conflict(error: neo4j.exceptions.ConstraintError) -> GraphQLError:
    """CONFLICT naming the clashing key (from Neo4j's constraint message)."""
    found = _CLASH.search(error.message or "")
    what = f"a {found['label']} with {found['key']} already exists" if found else "a uniqueness constraint was violated"
    return GraphQLError(f"CONFLICT: {what}", extensions={"code": ErrorCode.CONFLICT.value})


async def upsert_provider_bundle(info: strawberry.Info, bundle: Any, *, dry_run: bool = False) -> BundleChanges:
    try:
        parsed = ProviderBundle.model_validate(bundle)
        graph = federation_graph(parsed.as_federation())
    except ValidationError as error:
        raise invalid_input(error, "bundle") from None
    except BundleError as error:
        raise user_error(ErrorCode.BAD_USER_INPUT, "bundle", str(error)) from None
    ctx = federation(info)
    actor = Actor(issuer=ctx.scope.token_issuer or "unknown", subject=ctx.scope.subject or "unknown")
    try:
        changes = await reconcile(ctx.database, graph, actor=actor, dry_run=dry_run)
    except neo4j.exceptions.ConstraintError as error:
        raise conflict(error) from None
    return BundleChanges.of(changes)
