"""Question 6: the same bundle, from (region name, identity endpoint) or from (provider id, group id)."""

from __future__ import annotations

from typing import Any

import httpx

from resolvers.federation_file import FederationFile
from tests.conftest import Issuer
from tests.graphql_client import ask, example


def bundle(project: dict[str, Any]) -> list[tuple[str, str, list[tuple[str, int]], list[int]]]:
    return [
        (project["name"], region["region"]["name"],
         [(f["name"], f["gpus"]) for s in region["computeServices"] for f in s["flavors"]],
         [q["cores"] for s in region["computeServices"] for q in s["quotas"]])
        for region in project["regions"]
    ]  # fmt: skip


async def test_from_region_name_and_identity_endpoint(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    query, variables = example("6a-redeploy-by-region")

    answer = await ask(client, query, variables, token=issuer.token("ml-infn"))

    [region] = answer.data["regions"]["nodes"]
    assert region["provider"]["name"] == "CLOUD-CNAF"
    [project] = region["provider"]["projects"]
    assert project["slas"] == [{"docUuid": "0fcbd87d-5be9-4406-aa11-f19c61015234", "endDate": "2035-12-31"}]
    assert bundle(project) == [
        ("ml-infn", "RegionOne", [("g1.v100.xlarge", 1), ("g2.a100.2xlarge.ml-infn", 2)], [256]),
    ]


async def test_from_provider_id_and_group_id(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    query, variables = example("6b-redeploy-by-provider")

    answer = await ask(client, query, variables, token=issuer.token("ml-infn"))

    [project] = answer.data["provider"]["projects"]
    assert bundle(project) == [
        ("ml-infn", "RegionOne", [("g1.v100.xlarge", 1), ("g2.a100.2xlarge.ml-infn", 2)], [256]),
        ("ml-infn", "RegionTwo", [("g1.t4.large", 1), ("hpc.a100.4xlarge", 4)], [128]),
    ]
    assert [r["identityServices"][0]["endpoint"] for r in project["regions"]] == [
        "https://keystone.cloud.cnaf.infn.it:5000/v3",
        "https://keystone.r2.cloud.cnaf.infn.it:5000/v3",
    ]
