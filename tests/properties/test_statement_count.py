"""Round trips grow with the query's depth, never with the number of providers or rows."""

from __future__ import annotations

import httpx

from resolvers.db import Database
from tests.conftest import Issuer, replace_graph
from tests.federations import GROUP, ISSUER, sized_federation
from tests.graphql_client import ask, depth, example


async def test_matchmaking_costs_the_same_statements_for_2_and_50_providers(
    database: Database, client: httpx.AsyncClient, issuer: Issuer
) -> None:
    query, _ = example("1-matchmaking")
    variables = {"group": GROUP, "issuer": ISSUER, "minGpus": 1}
    counts = {}
    for providers in (2, 50):
        # given a federation of that many providers, all covered by the group's SLA
        await replace_graph(database, sized_federation(providers))

        # when the matchmaking query runs
        answer = await ask(client, query, variables, token=issuer.admin)

        # then every provider's usable GPU flavors come back (the work is really done) ...
        projects = answer.data["userGroup"]["slas"][0]["projects"]
        assert len(projects) == providers
        for project in projects:
            [region] = project["regions"]  # quotas are held in region-0 only
            assert [f["name"] for s in region["computeServices"] for f in s["flavors"]] == ["gpu.0", "gpu.1"]
        counts[providers] = answer.statements

    # ... with the same number of statements, within the query's depth
    assert counts[2] == counts[50] <= depth(query)
