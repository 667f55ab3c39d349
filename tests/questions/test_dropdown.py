"""Question 7: the dashboard's dropdown of (SLA, provider, region, compute service), in one small request."""

from __future__ import annotations

import httpx

from resolvers.federation_file import FederationFile
from tests.conftest import Issuer
from tests.graphql_client import ask, example

ML_INFN_SLA = "0fcbd87d-5be9-4406-aa11-f19c61015234"


async def test_ml_infn_may_deploy_to_four_compute_services(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    query, variables = example("7-dropdown")

    answer = await ask(client, query, variables, token=issuer.token("ml-infn"))

    rows = [
        (t["sla"]["docUuid"], t["provider"]["name"], t["region"]["name"], t["computeService"]["endpoint"])
        for t in answer.data["userGroup"]["deploymentTargets"]
    ]
    assert rows == [
        (ML_INFN_SLA, "CLOUD-CNAF", "RegionOne", "https://nova.cloud.cnaf.infn.it:8774/v2.1"),
        (ML_INFN_SLA, "CLOUD-CNAF", "RegionTwo", "https://nova.r2.cloud.cnaf.infn.it:8774/v2.1"),
        (ML_INFN_SLA, "RECAS-BARI", "recas-bari", "https://cloud.recas.ba.infn.it:8774/v2.1"),
        # the region's second compute service (AMD GPUs), on which ml-infn-bari holds a quota too
        (ML_INFN_SLA, "RECAS-BARI", "recas-bari", "https://gpu.recas.ba.infn.it:8774/v2.1"),
    ]
    # one statement: the group and its targets (the general path sent one per level: 2)
    assert answer.statements == 1


async def test_the_expired_sla_shows_when_asked_for_its_dates(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    query = """query($on: Date!) { userGroup(name: "ml-infn", issuer: "https://iam.cloud.infn.it/") {
        deploymentTargets(where: {on: $on}) { sla { docUuid } provider { name } region { name } } } }"""

    answer = await ask(client, query, {"on": "2023-06-01"}, token=issuer.token("ml-infn"))

    rows = [
        (t["sla"]["docUuid"], t["provider"]["name"], t["region"]["name"])
        for t in answer.data["userGroup"]["deploymentTargets"]
    ]
    assert rows == [("7ad43319-5970-4293-b5a3-dd8c92bc47ae", "CLOUD-VENETO", "padova")]


async def test_providers_in_maintenance_are_left_out_unless_asked_for(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    query = """query($status: [ProviderStatus!]) {
      userGroup(name: "vo.access.egi.eu", issuer: "https://aai.egi.eu/auth/realms/egi") {
        deploymentTargets(where: {providerStatus: $status}) { provider { name status } region { name } } } }"""

    member = issuer.token("vo.access.egi.eu", realm="egi")
    default = await ask(client, query, token=member)
    with_maintenance = await ask(client, query, {"status": ["ACTIVE", "MAINTENANCE"]}, token=member)

    def rows(a: dict) -> list[tuple[str, str, str]]:  # type: ignore[type-arg]
        targets = a["userGroup"]["deploymentTargets"]
        return [(t["provider"]["name"], t["provider"]["status"], t["region"]["name"]) for t in targets]

    assert rows(default.data) == [("CLOUD-CNAF", "ACTIVE", "RegionOne")]
    assert rows(with_maintenance.data) == [
        ("CESNET-MCC", "MAINTENANCE", "brno1"),
        ("CLOUD-CNAF", "ACTIVE", "RegionOne"),
    ]
