"""Question 3: how each provider trusts an issuer, and the identity endpoint of each region."""

from __future__ import annotations

import httpx

from resolvers.federation_file import FederationFile
from tests.conftest import Issuer
from tests.graphql_client import ask, example


async def test_providers_trusting_egi_check_in(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    query, variables = example("3-access")

    answer = await ask(client, query, variables, token=issuer.token("biomed", realm="egi"))

    [issuer] = answer.data["identityProviders"]["nodes"]
    rows = [
        (t["provider"]["name"], t["idpName"], t["protocol"], t["audience"], region["name"],
         [s["endpoint"] for s in region["identityServices"]])
        for t in issuer["trusts"]
        for region in t["provider"]["regions"]
    ]  # fmt: skip
    assert rows == [
        ("CESNET-MCC", "egi.eu", "openid", None, "brno1", ["https://identity.brno.openstack.cloud.e-infra.cz:5000/v3"]),
        ("CLOUD-CNAF", "egi.eu", "openid", None, "RegionOne", ["https://keystone.cloud.cnaf.infn.it:5000/v3"]),
        ("CLOUD-CNAF", "egi.eu", "openid", None, "RegionTwo", ["https://keystone.r2.cloud.cnaf.infn.it:5000/v3"]),
        ("CLOUD-VENETO", "egi.eu", "openid", None, "padova", ["https://keystone.cloudveneto.it:5000/v3"]),
        ("RECAS-BARI", "egi.eu", "openid", None, "recas-bari", ["https://keystone.recas.ba.infn.it:5000/v3"]),
    ]


async def test_trust_read_from_the_provider_side_carries_the_audience(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    query = """{ providers(where: {name: "CLOUD-CNAF"}) { nodes { trusts {
        idpName protocol audience identityProvider { endpoint groupClaim } } } } }"""

    answer = await ask(client, query, token=issuer.token("biomed", realm="egi"))

    [cnaf] = answer.data["providers"]["nodes"]
    assert [(t["identityProvider"]["endpoint"], t["idpName"], t["audience"]) for t in cnaf["trusts"]] == [
        ("https://aai.egi.eu/auth/realms/egi", "egi.eu", None),
        ("https://iam.cloud.infn.it/", "infn-cc", "keystone-cnaf"),
    ]
