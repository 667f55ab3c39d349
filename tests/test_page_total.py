"""A page counts its total whenever the query asks `totalCount` — in a fragment, or in another node of the
same (merged) field — on every path: answered from the statement's rows, by graphql-core over the primed
loaders, by the resolvers reading for themselves."""

from __future__ import annotations

import pytest

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
