"""Question 2: limits, per-user limits and usage per (project, service), in one request."""

from __future__ import annotations

import httpx

from resolvers.federation_file import FederationFile
from tests.conftest import Issuer
from tests.graphql_client import ask, example


async def test_biomed_quotas_per_project_and_service(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    # given biomed's projects at ReCaS-Bari and CloudVeneto
    query, variables = example("2-quotas")

    # when the quotas are asked for
    answer = await ask(client, query, variables, token=issuer.token("biomed", realm="egi"))

    # then each quota record comes with its kind, its figures (−1: unlimited) and its service
    rows = [
        (project["provider"]["name"], q["__typename"], q["perUser"], q["usage"],
         {k: v for k, v in q.items() if k not in ("__typename", "perUser", "usage", "service")},
         q["service"]["endpoint"])
        for sla in answer.data["userGroup"]["slas"]
        for project in sla["projects"]
        for q in project["quotas"]
    ]  # fmt: skip
    bari, veneto = "https://cloud.recas.ba.infn.it", "https://cloud-areapd.pd.infn.it"
    assert rows == [
        ("RECAS-BARI", "BlockStorageQuota", False, False,
         {"gigabytes": 30000, "perVolumeGigabytes": None, "volumes": 40}, f"{bari}:8776/v3"),
        ("RECAS-BARI", "ComputeQuota", False, False,
         {"cores": 200, "ram": 1048576, "instances": 25, "gpus": 0}, f"{bari}:8774/v2.1"),
        ("RECAS-BARI", "ComputeQuota", False, True,
         {"cores": 72, "ram": 557056, "instances": 7, "gpus": 0}, f"{bari}:8774/v2.1"),
        ("RECAS-BARI", "NetworkQuota", False, False,
         {"publicIps": 2, "networks": 1, "ports": 80, "securityGroups": None, "securityGroupRules": None},
         f"{bari}:9696"),
        ("RECAS-BARI", "ObjectStoreQuota", False, False,
         {"bytes": -1, "containers": 200, "objects": -1}, "https://swift.recas.ba.infn.it:8080/v1"),
        ("RECAS-BARI", "ObjectStoreQuota", False, True,
         {"bytes": 3298534883328, "containers": 12, "objects": 2750000}, "https://swift.recas.ba.infn.it:8080/v1"),
        ("CLOUD-VENETO", "BlockStorageQuota", False, False,
         {"gigabytes": 5000, "perVolumeGigabytes": 1000, "volumes": 50}, f"{veneto}:8776/v3"),
        ("CLOUD-VENETO", "ComputeQuota", False, False,
         {"cores": 100, "ram": 204800, "instances": -1, "gpus": 1}, f"{veneto}:8774/v2.1"),
        ("CLOUD-VENETO", "ComputeQuota", True, False,
         {"cores": 20, "ram": 40960, "instances": 5, "gpus": 1}, f"{veneto}:8774/v2.1"),
        ("CLOUD-VENETO", "ComputeQuota", False, True,
         {"cores": 34, "ram": 69632, "instances": 9, "gpus": 1}, f"{veneto}:8774/v2.1"),
        ("CLOUD-VENETO", "NetworkQuota", False, False,
         {"publicIps": 3, "networks": 2, "ports": 100, "securityGroups": None, "securityGroupRules": None},
         f"{veneto}:9696"),
        ("CLOUD-VENETO", "ObjectStoreQuota", False, False,
         {"bytes": 5497558138880, "containers": 50, "objects": 1000000}, "https://swift.cloudveneto.it:8080/v1"),
    ]  # fmt: skip
