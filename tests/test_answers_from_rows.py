"""Answers made from the statement's rows keep each alias's own selection, as graphql-core does: the same
field asked twice under two names with two selections (a page's edge `node`, a walk, a part) answers
each with its own fields. Compared as JSON text with the two other paths."""

from __future__ import annotations

import json

import pytest
from prometheus_client import REGISTRY

from resolvers.context import RequestContext
from resolvers.db import Database
from resolvers.federation_file import FederationFile
from resolvers.visibility import Scope
from schema.root import build_schema

PATHS = {
    "from rows": build_schema(),
    "primed loaders": build_schema(answers_from_rows=False),
    "general": build_schema(compiled_reads=False),
}
ALIASED = [
    "{ networks(first: 3) { edges { a: node { name } b: node { id isShared } cursor } } }",
    "{ networks(first: 3) { one: edges { node { name } } two: edges { node { id } } } }",
    "{ providers(first: 2) { nodes { a: regions { name } b: regions { id } } } }",
    "{ regions(first: 2) { nodes { a: provider { name } b: provider { id } } } }",
]


def _fast() -> float:
    return REGISTRY.get_sample_value("registry_fast_answers_total", {"path": "fast"}) or 0.0


@pytest.mark.parametrize("query", ALIASED)
async def test_each_alias_answers_its_own_selection(
    database: Database, example_federation: FederationFile, query: str
) -> None:
    answers = {}
    for path, schema in PATHS.items():
        before = _fast()
        result = await schema.execute(query, context_value=RequestContext(database, Scope.system()))
        assert result.errors is None
        answers[path] = json.dumps(result.data)
        if path == "from rows":
            assert _fast() == before + 1  # it did take the rows' path
    assert answers["from rows"] == answers["primed loaders"] == answers["general"]
