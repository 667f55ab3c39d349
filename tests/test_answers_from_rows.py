"""The three ways a read is answered — from the statement's rows, by graphql-core over the primed loaders,
by the resolvers reading for themselves — agree where they once did not: each alias of a field keeps its
own selection (a page's edge `node`, a walk, a part), and a page counts its total whenever the query asks
`totalCount` (in a fragment, or in another node of the same merged field). Compared as JSON text."""

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


ASKED = [
    "{ flavors(first: 2) { totalCount nodes { name } } }",
    "{ flavors(first: 2) { nodes { name } } flavors(first: 2) { totalCount } }",
    "{ flavors(first: 2) { ...Count nodes { name } } } fragment Count on FlavorConnection { totalCount }",
    "{ flavors(first: 2) { nodes { name } } ... on Query { flavors(first: 2) { totalCount } } }",
]


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize("query", ASKED)
async def test_the_total_is_counted_wherever_it_is_asked(
    database: Database, example_federation: FederationFile, path: str, query: str
) -> None:
    every = len(await database.read("MATCH (n:Flavor) RETURN n.uid AS uid", {}))
    assert every > 2

    result = await PATHS[path].execute(query, context_value=RequestContext(database, Scope.system()))

    assert result.errors is None
    assert result.data is not None
    assert result.data["flavors"]["totalCount"] == every
    assert len(result.data["flavors"]["nodes"]) == 2
