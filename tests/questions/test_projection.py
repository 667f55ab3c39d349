"""Walks read only the properties a query names: answers must not change with how fields are named."""

from __future__ import annotations

import httpx

from resolvers.federation_file import FederationFile
from tests.conftest import Issuer
from tests.graphql_client import ask

DIRECT = """{ flavors(where: { gpusMin: 1 }, first: 50) { edges { node {
  id name gpus gpuModel addedBy addedAt updatedAt
  computeServices { endpoint region { name provider { name status } } }
} } } }"""

# The same fields, asked through a named fragment, an inline fragment and an alias.
THROUGH_FRAGMENTS = """
fragment Where on ComputeService { endpoint region { name ... on Region { provider { name status } } } }
fragment Card on Flavor { id name gpus addedBy ... on Flavor { gpuModel addedAt updatedAt } }
{ flavors(where: { gpusMin: 1 }, first: 50) { edges { node { ...Card computeServices { ...Where } } } } }"""

ALIASED = """{ flavors(where: { gpusMin: 1 }, first: 50) { edges { node {
  id name gpus model: gpuModel addedBy addedAt updatedAt
  computeServices { endpoint region { name provider { name status } } }
} } } }"""


async def test_fragments_and_aliases_read_the_same_properties(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    # given the example federation and an administrator (who sees every flavor)
    token = issuer.admin

    # when the same fields are asked directly, through fragments, and under an alias
    direct = (await ask(client, DIRECT, token=token)).data
    fragments = (await ask(client, THROUGH_FRAGMENTS, token=token)).data
    aliased = (await ask(client, ALIASED, token=token)).data

    # then the answers are the same, with every asked property present (fields only a fragment names
    # too: attribution timestamps, the provider's required status)
    assert fragments == direct
    for edge in aliased["flavors"]["edges"]:
        edge["node"]["gpuModel"] = edge["node"].pop("model")
    assert aliased == direct
    nodes = [e["node"] for e in direct["flavors"]["edges"]]
    assert nodes and all(n["gpuModel"] and n["addedBy"] and n["addedAt"] and n["updatedAt"] for n in nodes)
    assert all(s["region"]["provider"]["status"] for n in nodes for s in n["computeServices"])


async def test_a_list_without_total_count_pages_like_one_with_it(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    # given a first page asked with and without its total count
    query = "{ images(first: 3) { %s pageInfo { hasNextPage endCursor } edges { node { name } } } }"
    counted = (await ask(client, query % "totalCount", token=issuer.admin)).data["images"]
    uncounted = (await ask(client, query % "", token=issuer.admin)).data["images"]

    # then the page, its cursor and hasNextPage are the same; only the count is missing
    assert counted.pop("totalCount") > 3
    assert uncounted == counted
