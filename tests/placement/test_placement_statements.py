"""Placement's round trips: one statement (the group and all its placements, compiled together) at any size."""

from __future__ import annotations

import httpx

from resolvers.db import Database
from tests.conftest import Issuer, replace_graph
from tests.federations import GROUP, ISSUER, sized_federation
from tests.graphql_client import ask, example


async def test_placement_costs_the_same_one_statement_for_2_and_50_providers(
    database: Database, client: httpx.AsyncClient, issuer: Issuer
) -> None:
    query, _ = example("9-placement")
    variables = {"group": GROUP, "issuer": ISSUER, "request": {"gpus": 1, "vcpus": 8, "instances": 2}}
    counts = {}
    for providers in (2, 50):
        # given a federation of that many providers, all covered by the group's SLA, quotas in region-0
        await replace_graph(database, sized_federation(providers))

        # when the group asks where 2 × (8 vCPUs, 1 GPU) fit
        answer = await ask(client, query, variables, token=issuer.admin)

        # then every provider's region-0 fits (3 GPUs left of 4), with its GPU flavors (the work is done) ...
        placements = answer.data["userGroup"]["placements"]
        assert len(placements) == providers
        assert all(p["fits"] and [f["name"] for f in p["flavors"]] == ["gpu.0", "gpu.1"] for p in placements)
        counts[providers] = answer.statements

    # ... with the same one statement, whatever the size
    assert counts[2] == counts[50] == 1
