"""create<Type> / update<Type>: one node at a time, validated like the bundle, attributed, with clear errors."""

from __future__ import annotations

from typing import Any

import httpx

from resolvers.db import Database
from resolvers.federation_file import FederationFile
from tests.conftest import Issuer, replace_graph
from tests.graphql_client import ask, ask_for_errors
from tests.test_feeder import dump

CREATE_PROVIDER = "mutation($i: ProviderInput!) { createProvider(input: $i) { id name status addedBy } }"
CREATE_REGION = "mutation($i: RegionInput!) { createRegion(input: $i) { id name } }"
CREATE_NOVA = "mutation($i: ComputeServiceInput!) { createComputeService(input: $i) { id endpoint } }"
CREATE_FLAVOR = "mutation($i: FlavorInput!) { createFlavor(input: $i) { id name gpus gpuModel ram } }"
UPDATE_FLAVOR = (
    "mutation($id: ID!, $i: FlavorPatch!) { updateFlavor(id: $id, input: $i) { name gpus gpuModel ram changedBy } }"
)
UPDATE_REGION = "mutation($id: ID!, $i: RegionPatch!) { updateRegion(id: $id, input: $i) { name } }"


async def build(client: httpx.AsyncClient, token: str) -> dict[str, Any]:
    provider = (await ask(client, CREATE_PROVIDER, {"i": {"name": "NEW-CLOUD", "type": "OPENSTACK"}}, token=token)).data
    pid = provider["createProvider"]["id"]
    region = (await ask(client, CREATE_REGION, {"i": {"providerId": pid, "name": "r1"}}, token=token)).data
    rid = region["createRegion"]["id"]
    nova = {"regionId": rid, "endpoint": "https://nova.new.test", "name": "org.openstack.nova"}
    sid = (await ask(client, CREATE_NOVA, {"i": nova}, token=token)).data["createComputeService"]["id"]
    flavor = {"computeServiceId": sid, "uuid": "f1", "name": "gpu.large", "gpus": 2, "gpuModel": "A100",
              "gpuVendor": "NVIDIA", "ram": 65536}  # fmt: skip
    fid = (await ask(client, CREATE_FLAVOR, {"i": flavor}, token=token)).data["createFlavor"]["id"]
    return {"provider": provider["createProvider"], "region": rid, "service": sid, "flavor": fid}


async def test_a_provider_is_built_node_by_node_and_changed_in_part(
    client: httpx.AsyncClient, database: Database, issuer: Issuer
) -> None:
    await replace_graph(database, FederationFile())
    writer = issuer.token(writer=True, subject="feeder")

    made = await build(client, writer)
    changed = await ask(client, UPDATE_FLAVOR, {"id": made["flavor"], "i": {"ram": 131072}},
                        token=issuer.token(admin=True, subject="alice"))  # fmt: skip

    assert made["provider"]["status"] == "ACTIVE" and made["provider"]["addedBy"] == f"feeder@{issuer.url()}"
    assert changed.data["updateFlavor"] == {"name": "gpu.large", "gpus": 2, "gpuModel": "A100", "ram": 131072,
                                            "changedBy": f"alice@{issuer.url()}"}  # fmt: skip
    # the new flavor is where the graph says: under the service, the region, the provider
    walk = await ask(client, '{ providers(where: {name: "NEW-CLOUD"}) { nodes { regions { computeServices { '
                     "flavors { name } } } } } }", token=issuer.admin)  # fmt: skip
    assert walk.data["providers"]["nodes"] == [
        {"regions": [{"computeServices": [{"flavors": [{"name": "gpu.large"}]}]}]}
    ]


async def test_refusals_name_the_field_and_change_nothing(
    client: httpx.AsyncClient, database: Database, issuer: Issuer
) -> None:
    await replace_graph(database, FederationFile())
    made = await build(client, issuer.admin)
    before = await dump(database)

    gpu_model_without_gpus = await ask_for_errors(client, UPDATE_FLAVOR, {"id": made["flavor"], "i": {"gpus": 0}},
                                                  token=issuer.admin)  # fmt: skip
    unknown_country = await ask_for_errors(
        client, "mutation($i: LocationInput!) { createLocation(input: $i) { id } }",
        {"i": {"site": "Somewhere", "country": "Atlantis"}}, token=issuer.admin)  # fmt: skip
    bad_url = await ask_for_errors(client, CREATE_NOVA, {"i": {"regionId": made["region"], "endpoint": "nova",
                                                              "name": "x"}}, token=issuer.admin)  # fmt: skip
    no_parent = await ask_for_errors(client, CREATE_REGION, {"i": {"providerId": "nope", "name": "r2"}},
                                     token=issuer.admin)  # fmt: skip
    no_node = await ask_for_errors(client, UPDATE_REGION, {"id": "nope", "i": {"name": "x"}}, token=issuer.admin)
    duplicate = await ask_for_errors(client, CREATE_REGION, {"i": {"providerId": made["provider"]["id"], "name": "r1"}},
                                     token=issuer.admin)  # fmt: skip
    member = await ask_for_errors(client, UPDATE_REGION, {"id": made["region"], "i": {"name": "x"}},
                                  token=issuer.token("ml-infn"))  # fmt: skip

    assert gpu_model_without_gpus[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "gpuModel and gpuVendor must be empty when gpus is 0" in gpu_model_without_gpus[0]["message"]
    assert unknown_country[0]["extensions"]["field"] == "input.country"
    assert "'Atlantis' is not an ISO 3166 country name or code" in unknown_country[0]["message"]
    assert bad_url[0]["extensions"]["field"] == "input.endpoint"
    assert no_parent[0]["extensions"] == {"code": "NOT_FOUND", "field": "input.providerId"}
    assert no_node[0]["extensions"] == {"code": "NOT_FOUND", "field": "id"}
    assert duplicate[0]["extensions"] == {"code": "CONFLICT"}
    assert "already exists" in duplicate[0]["message"]
    assert member[0]["extensions"] == {"code": "FORBIDDEN"}
    assert await dump(database) == before


async def test_renaming_a_region_onto_a_sibling_is_a_conflict(
    client: httpx.AsyncClient, database: Database, issuer: Issuer
) -> None:
    await replace_graph(database, FederationFile())
    made = await build(client, issuer.admin)
    second = await ask(client, CREATE_REGION, {"i": {"providerId": made["provider"]["id"], "name": "r2"}},
                       token=issuer.admin)  # fmt: skip

    second_id = second.data["createRegion"]["id"]
    [error] = await ask_for_errors(client, UPDATE_REGION, {"id": second_id, "i": {"name": "r1"}}, token=issuer.admin)
    renamed = await ask(client, UPDATE_REGION, {"id": second_id, "i": {"name": "r3"}}, token=issuer.admin)

    assert error["extensions"] == {"code": "CONFLICT"}
    assert renamed.data == {"updateRegion": {"name": "r3"}}


async def test_a_quota_is_set_on_a_project_and_service_and_obeys_its_kind(
    client: httpx.AsyncClient, database: Database, issuer: Issuer
) -> None:
    await replace_graph(database, FederationFile())
    made = await build(client, issuer.admin)
    new_project = {"providerId": made["provider"]["id"], "uuid": "p1", "name": "team"}
    project = await ask(client, "mutation($i: ProjectInput!) { createProject(input: $i) { id } }",
                        {"i": new_project}, token=issuer.admin)  # fmt: skip
    pid = project.data["createProject"]["id"]
    create = "mutation($i: ComputeQuotaInput!) { createComputeQuota(input: $i) { id kind cores gpus usage } }"

    quota = await ask(client, create, {"i": {"projectId": pid, "serviceId": made["service"], "cores": 64, "gpus": 2}},
                      token=issuer.admin)  # fmt: skip
    [second] = await ask_for_errors(client, create, {"i": {"projectId": pid, "serviceId": made["service"], "cores": 8}},
                                    token=issuer.admin)  # fmt: skip
    usage = {"projectId": pid, "serviceId": made["service"], "usage": True, "cores": -4}
    [negative] = await ask_for_errors(client, create, {"i": usage}, token=issuer.admin)
    usable = await ask(
        client, "query($p: ID!) { project(id: $p) { flavors { name } } }", {"p": pid}, token=issuer.admin
    )

    assert quota.data["createComputeQuota"] | {"id": None} == {"id": None, "kind": "COMPUTE", "cores": 64, "gpus": 2,
                                                                "usage": False}  # fmt: skip
    assert second["extensions"] == {"code": "CONFLICT"}  # one limit per (project, service)
    assert negative["extensions"]["field"] == "input.cores"
    assert usable.data["project"]["flavors"] == [{"name": "gpu.large"}]  # the limit quota makes it usable
