"""Placement on the example federation: ml-infn's GPU deployment fits at one place, and the others say why."""

from __future__ import annotations

import httpx

from resolvers.federation_file import FederationFile
from tests.conftest import Issuer
from tests.graphql_client import ask, depth, example

SLA = "0fcbd87d-5be9-4406-aa11-f19c61015234"
EXPIRED_SLA = "7ad43319-5970-4293-b5a3-dd8c92bc47ae"


async def test_ml_infn_gpu_deployment_fits_at_cnaf_region_one_only(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    # given the example federation and "2 × (1 NVIDIA GPU, 16 GiB), CUDA >= 12 Ubuntu, 100 GiB volumes"
    query, variables = example("9-placement")

    # when ml-infn asks where it fits
    answer = await ask(client, query, variables, token=issuer.token("ml-infn"))

    # then one place fits, ranked first; the others say why, with the numbers
    placements = answer.data["userGroup"]["placements"]
    rows = [
        (p["rank"], p["fits"], p["provider"]["name"], p["region"]["name"], p["computeService"]["endpoint"],
         [(r["code"], r["resource"], r["requested"], r["remaining"], r["considered"]) for r in p["reasons"]])
        for p in placements
    ]  # fmt: skip
    assert rows == [
        (1, True, "CLOUD-CNAF", "RegionOne", "https://nova.cloud.cnaf.infn.it:8774/v2.1", []),
        # the one CUDA image there records no CUDA version
        (2, False, "CLOUD-CNAF", "RegionTwo", "https://nova.r2.cloud.cnaf.infn.it:8774/v2.1",
         [("NO_IMAGE_FITS", None, None, None, 2)]),
        # only AMD GPUs on that cell
        (3, False, "RECAS-BARI", "recas-bari", "https://gpu.recas.ba.infn.it:8774/v2.1",
         [("NO_FLAVOR_FITS", None, None, None, 1)]),
        # the pilot SLA expired (and no image there records a CUDA version)
        (4, False, "CLOUD-VENETO", "padova", "https://cloud-areapd.pd.infn.it:8774/v2.1",
         [("SLA_NOT_IN_FORCE", None, None, None, None), ("NO_IMAGE_FITS", None, None, None, 5)]),
        # usage 7 of 8 GPUs: room for one instance, not two (last: its score is below 0)
        (5, False, "RECAS-BARI", "recas-bari", "https://cloud.recas.ba.infn.it:8774/v2.1",
         [("QUOTA_EXCEEDED", "GPUS", 2, 1, None)]),
    ]  # fmt: skip
    best = placements[0]
    assert best["sla"]["docUuid"] == SLA
    # smallest sufficient flavor first; ml-infn's private A100 flavor is among them, egi-access's is not
    assert [f["name"] for f in best["flavors"]] == ["g1.v100.xlarge", "g2.a100.2xlarge.ml-infn"]
    assert [i["name"] for i in best["images"]] == ["ML-INFN Ubuntu 22.04 CUDA 12 PyTorch", "Ubuntu 22.04 CUDA 12"]
    remaining = {x["resource"]: (x["requested"], x["project"], x["perUser"], x["remaining"], x["fits"])
                 for x in best["remaining"]}  # fmt: skip
    assert remaining == {
        "CORES": (0, 256 - 96, 64, 64, True),
        "RAM": (2 * 16384, 1048576 - 393216, 262144, 262144, True),
        "INSTANCES": (2, 40 - 14, 10, 10, True),
        # the per-user limit (2) is tighter than what the project has left (4)
        "GPUS": (2, 8 - 4, 2, 2, True),
        "BLOCK_STORAGE": (100, 20000 - 6500, None, 20000 - 6500, True),
        "PUBLIC_IPS": (0, 5, None, 5, True),
    }
    # nothing left of the per-user GPU limit after placement
    assert best["score"] == 0.0
    assert placements[3]["sla"]["docUuid"] == EXPIRED_SLA
    # one statement: the group and its placements, compiled together
    assert answer.statements == 1 <= depth(query)


async def test_fits_only_and_provider_lists_narrow_the_answer(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    query = """query($request: DeploymentRequest!, $fitsOnly: Boolean!, $order: PlacementOrder!) {
      userGroup(name: "ml-infn", issuer: "https://iam.cloud.infn.it/") {
        placements(request: $request, fitsOnly: $fitsOnly, orderBy: $order) { rank region { name } } } }"""
    token = issuer.token("ml-infn")

    small = {"vcpus": 1, "ram": 1024}
    fitting = await ask(client, query, {"request": small, "fitsOnly": True, "order": "RANK"}, token=token)
    by_name = await ask(client, query, {"request": {**small, "excludeProviders": ["CLOUD-VENETO"]},
                                        "fitsOnly": False, "order": "NAME"}, token=token)  # fmt: skip
    only_bari = await ask(client, query, {"request": {**small, "providers": ["RECAS-BARI"]},
                                          "fitsOnly": False, "order": "RANK"}, token=token)  # fmt: skip

    assert [p["region"]["name"] for p in fitting.data["userGroup"]["placements"]] == [
        "RegionOne", "RegionTwo", "recas-bari", "recas-bari"]  # fmt: skip
    assert [p["region"]["name"] for p in by_name.data["userGroup"]["placements"]] == [
        "RegionOne", "RegionTwo", "recas-bari", "recas-bari"]  # fmt: skip
    assert {p["region"]["name"] for p in only_bari.data["userGroup"]["placements"]} == {"recas-bari"}
