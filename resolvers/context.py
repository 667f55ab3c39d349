"""What a request carries to the resolvers: the caller's scope, its loaders and its statement batcher."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

from resolvers.db import STATEMENT_SUBQUERIES_MAX, Database, Record, StatementBatcher, freeze, today
from resolvers.documents import DocumentStore
from resolvers.visibility import Scope
from resolvers.walks import Walk, WalkLoader


@dataclass
class RequestContext:
    """Built once per GraphQL request (never shared between requests). The scope has no default:
    whoever builds a context says who is asking."""

    database: Database
    scope: Scope
    documents: DocumentStore | None = None  # None: document storage is not configured
    document_max_bytes: int = 20 * 1024 * 1024
    # Most subqueries Neo4j plans in one statement of the request (`resolvers.db.subqueries`).
    statement_subqueries_max: int = STATEMENT_SUBQUERIES_MAX
    today: dt.date = field(default_factory=today)
    # The stored properties walks return: those the operation names (None: all; set by `select`).
    properties: tuple[str, ...] | None = None
    batcher: StatementBatcher = field(init=False)
    _loaders: dict[Hashable, WalkLoader] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.batcher = StatementBatcher(self.database, self.statement_subqueries_max)

    @property
    def statements(self) -> int:
        """Cypher statements this request has sent so far."""
        return self.batcher.counter.value

    @property
    def params(self) -> dict[str, Any]:
        """Parameters every statement of the request may read: `p.today` and the caller, `p.scope`."""
        return {"today": self.today, "scope": self.scope.parameter()}

    @property
    def actor(self) -> str:
        """Who is writing, as nodes record it: subject@issuer of the caller's token."""
        return f"{self.scope.subject}@{self.scope.token_issuer}"

    def select(self, properties: tuple[str, ...]) -> None:
        """Walks of this request return only these stored properties (`projection.properties_for`)."""
        self.properties = properties

    def loader(self, walk: Walk, where: Mapping[str, Any] | None = None) -> WalkLoader:
        """The request's loader for this walk and filter (created on first use)."""
        cache_key = (walk.name, freeze(dict(where or {})))
        loader = self._loaders.get(cache_key)
        if loader is None:
            loader = WalkLoader(walk, where, batcher=self.batcher, params=self.params, properties=self.properties)
            self._loaders[cache_key] = loader
        return loader

    async def walk(self, walk: Walk, key: Hashable, where: Mapping[str, Any] | None = None) -> list[Record]:
        return await self.loader(walk, where).load(key)

    async def walk_one(self, walk: Walk, key: Hashable, where: Mapping[str, Any] | None = None) -> Record | None:
        rows = await self.walk(walk, key, where)
        return rows[0] if rows else None


def pair(**parts: str) -> Hashable:
    """A loader key made of several node ids, e.g. pair(project=..., service=...)."""
    key: Hashable = freeze(parts)
    return key
