"""Question 8: any list with filters, sorting, pagination and a total; neighbours from any node."""

from __future__ import annotations

import httpx

from resolvers.federation_file import FederationFile
from tests.conftest import Issuer
from tests.graphql_client import ask, example, example_files


async def test_which_groups_may_use_flavors_with_an_a100(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    query, variables = example("8a-groups-using-a100")

    answer = await ask(client, query, variables, token=issuer.admin)

    flavors = answer.data["flavors"]
    assert flavors["totalCount"] == 5
    rows = [
        (f["name"], p["provider"]["name"], p["name"], [s["userGroup"]["name"] for s in p["slas"]])
        for f in flavors["nodes"]
        for p in f["usableBy"]
    ]
    assert rows == [
        ("a3.32core-240ram-1a100", "CESNET-MCC", "vo.access.egi.eu", ["vo.access.egi.eu"]),
        ("g2.a100.2xlarge.ml-infn", "CLOUD-CNAF", "ml-infn", ["ml-infn"]),
        ("hpc.a100.4xlarge", "CLOUD-CNAF", "ml-infn", ["ml-infn"]),
        ("hpc.a100.8xlarge", "RECAS-BARI", "biomed", ["biomed"]),
        ("hpc.a100.8xlarge", "RECAS-BARI", "ml-infn-bari", ["ml-infn"]),
        ("k8s.gpu.a100", "INFN-K8S-CT", "kube-users", ["kube/users"]),
    ]


async def test_which_providers_offer_cuda_images_in_a_region(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    query, variables = example("8b-cuda-images-in-region")

    answer = await ask(client, query, variables, token=issuer.admin)

    [region] = answer.data["regions"]["nodes"]
    assert region["provider"]["name"] == "RECAS-BARI"
    # one image, offered by both compute services of the region
    assert [i["name"] for s in region["computeServices"] for i in s["images"]] == ["Ubuntu 22.04 CUDA 12"] * 2


async def test_browsing_gpu_flavors_page_by_page(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    query, _ = example("8c-browse-flavors")
    seen: list[tuple[int, str]] = []
    after = None

    while True:
        page = (await ask(client, query, {"after": after}, token=issuer.admin)).data["flavors"]
        seen += [(e["node"]["gpus"], e["node"]["name"]) for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert page["totalCount"] == len(seen) == 14
    assert [g for g, _ in seen] == sorted((g for g, _ in seen), reverse=True)
    assert seen[:2] == [(4, "hpc.a100.8xlarge"), (4, "hpc.a100.4xlarge")]


async def test_every_example_query_runs_and_returns_data(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    for path in example_files():
        query, variables = example(path.stem)
        answer = await ask(client, query, variables, token=issuer.admin)
        assert answer.data and all(v is not None for v in answer.data.values()), path.name
