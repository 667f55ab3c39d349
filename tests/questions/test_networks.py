"""Question 4: per project and region, the public network and the default private one with its proxy."""

from __future__ import annotations

import httpx

from resolvers.federation_file import FederationFile
from tests.conftest import Issuer
from tests.graphql_client import ask, example


async def test_public_and_default_private_networks_of_egi_access(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    query, variables = example("4-networks")

    answer = await ask(client, query, variables, token=issuer.token("vo.access.egi.eu", realm="egi"))

    rows = [
        (project["name"], region["region"]["name"], [n["name"] for n in service["public"]],
         [(n["name"], n["proxyHost"], n["proxyUser"]) for n in service["private"]])
        for sla in answer.data["userGroup"]["slas"]
        for project in sla["projects"]
        for region in project["regions"]
        for service in region["networkServices"]
    ]  # fmt: skip
    # ml-infn's private network at CNAF is never shown to egi-access
    assert rows == [
        ("egi-access", "RegionOne", ["public"], [("egi-access-net", "bastion.cloud.cnaf.infn.it", "egi-access")]),
        ("vo.access.egi.eu", "brno1", ["external-ipv4-general-public"],
         [("egi-access-internal", "bastion.cloud.muni.cz", "egi-access")]),
    ]  # fmt: skip
