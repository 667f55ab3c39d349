"""Question 1: where may a group deploy, and with what — one request, rows exactly as expected."""

from __future__ import annotations

from typing import Any

import httpx

from resolvers.federation_file import FederationFile
from tests.conftest import Issuer
from tests.graphql_client import ask, depth, example

CNAF_R1 = "https://nova.cloud.cnaf.infn.it:8774/v2.1"
CNAF_R2 = "https://nova.r2.cloud.cnaf.infn.it:8774/v2.1"
BARI = "https://cloud.recas.ba.infn.it:8774/v2.1"
BARI_GPU = "https://gpu.recas.ba.infn.it:8774/v2.1"


def offers(answer: dict[str, Any]) -> list[tuple[str, str, str, str, list[str], list[str]]]:
    """(SLA, provider, region, compute endpoint, GPU flavors, CUDA images) per compute service."""
    return [
        (sla["docUuid"], project["provider"]["name"], region["region"]["name"], service["service"]["endpoint"],
         [f["name"] for f in service["flavors"]], [i["name"] for i in service["images"]])
        for sla in answer["userGroup"]["slas"]
        for project in sla["projects"]
        for region in project["regions"]
        for service in region["computeServices"]
    ]  # fmt: skip


async def test_ml_infn_gets_the_gpu_flavors_and_cuda_images_its_projects_may_use(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    # given the example federation and the matchmaking query for ml-infn at INFN IAM
    query, variables = example("1-matchmaking")

    # when the orchestrator asks once
    answer = await ask(client, query, variables, token=issuer.token("ml-infn"))

    # then only the SLA in force (not the expired CloudVeneto pilot) appears, with exactly the GPU
    # flavors its projects may use: never egi-access's private V100 flavor at CNAF
    assert offers(answer.data) == [
        ("0fcbd87d-5be9-4406-aa11-f19c61015234", "CLOUD-CNAF", "RegionOne", CNAF_R1,
         ["g1.v100.xlarge", "g2.a100.2xlarge.ml-infn"],
         ["ML-INFN Ubuntu 22.04 CUDA 12 PyTorch", "Ubuntu 22.04 CUDA 12"]),
        ("0fcbd87d-5be9-4406-aa11-f19c61015234", "CLOUD-CNAF", "RegionTwo", CNAF_R2,
         ["g1.t4.large", "hpc.a100.4xlarge"], ["Ubuntu 22.04 CUDA 12"]),
        ("0fcbd87d-5be9-4406-aa11-f19c61015234", "RECAS-BARI", "recas-bari", BARI,
         ["gpu.mi250.4xlarge", "hpc.a100.8xlarge"], ["Ubuntu 22.04 CUDA 12"]),
        ("0fcbd87d-5be9-4406-aa11-f19c61015234", "RECAS-BARI", "recas-bari", BARI_GPU,
         ["gpu.mi300x.xlarge"], ["Ubuntu 22.04 CUDA 12"]),
    ]  # fmt: skip


async def test_matchmaking_carries_provider_region_quota_and_network_figures(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    query, variables = example("1-matchmaking")

    answer = await ask(client, query, variables, token=issuer.token("ml-infn"))

    project = answer.data["userGroup"]["slas"][0]["projects"][0]
    assert project["uuid"] == "5de701734d964f0dbacca44c2b546b56"
    assert project["provider"] | {"id": None} == {
        "id": None,
        "name": "CLOUD-CNAF",
        "type": "OPENSTACK",
        "isPublic": False,
    }
    region_one = project["regions"][0]
    assert region_one["region"]["location"] == {
        "site": "INFN-CNAF", "country": "Italy", "latitude": 44.4999, "longitude": 11.3577,
    }  # fmt: skip
    quotas = [(q["perUser"], q["usage"], q["cores"], q["gpus"]) for q in region_one["computeServices"][0]["quotas"]]
    assert quotas == [(False, False, 256, 8), (True, False, 64, 2), (False, True, 96, 4)]
    a100 = region_one["computeServices"][0]["flavors"][1]
    assert a100 == {
        "name": "g2.a100.2xlarge.ml-infn", "vcpus": a100["vcpus"], "ram": a100["ram"], "disk": a100["disk"],
        "gpus": 2, "gpuVendor": "NVIDIA", "gpuModel": "A100", "infiniband": a100["infiniband"], "isShared": False,
    }  # fmt: skip
    networks = [
        (n["name"], n["isRouterExternal"], n["isDefault"]) for n in region_one["networkServices"][0]["networks"]
    ]
    assert networks == [("ml-infn-net", False, True), ("public", True, False)]


async def test_matchmaking_sends_no_more_statements_than_its_depth(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    query, variables = example("1-matchmaking")

    answer = await ask(client, query, variables, token=issuer.token("ml-infn"))

    # one statement for every level (the compiled read; the general path sent one per level: 6)
    assert answer.statements == 1
    assert answer.statements <= depth(query)


async def test_a_group_unknown_at_that_issuer_gets_null(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    # ml-infn exists at INFN IAM, not at EGI Check-in
    query, _ = example("1-matchmaking")
    variables = {"group": "ml-infn", "issuer": "https://aai.egi.eu/auth/realms/egi", "minGpus": 1}

    answer = await ask(client, query, variables, token=issuer.token("ml-infn"))

    assert answer.data == {"userGroup": None}


async def test_a_project_with_quota_in_one_region_sees_nothing_shared_in_the_other(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    # egi-access holds quotas in CNAF RegionOne only
    query, _ = example("1-matchmaking")
    variables = {"group": "vo.access.egi.eu", "issuer": "https://aai.egi.eu/auth/realms/egi", "minGpus": 1}

    answer = await ask(client, query, variables, token=issuer.token("vo.access.egi.eu", realm="egi"))

    assert offers(answer.data) == [
        ("53673740-2ce8-42c3-9318-c9b7329f8333", "CLOUD-CNAF", "RegionOne", CNAF_R1,
         ["g1.v100.2xlarge.egi", "g1.v100.xlarge"], ["Ubuntu 22.04 CUDA 12"]),
    ]  # fmt: skip
