"""Inputs take what outputs answer: enums as enums, byte counts as BigInt, each quota kind its own figures."""

from __future__ import annotations

import httpx

from resolvers.db import Database
from resolvers.federation_file import FederationFile
from tests.conftest import Issuer, replace_graph
from tests.graphql_client import ask, ask_for_errors
from tests.test_feeder import dump

CREATE_PROVIDER = "mutation($i: ProviderInput!) { createProvider(input: $i) { id type status } }"
TEN_TIB = 10 * 2**40


async def _object_store(client: httpx.AsyncClient, token: str) -> tuple[str, str]:
    """A provider with a region, an object store service and a project: (project id, service id)."""
    pid = (await ask(client, CREATE_PROVIDER, {"i": {"name": "S3-SITE", "type": "OPENSTACK"}}, token=token)).data[
        "createProvider"
    ]["id"]
    region = await ask(client, "mutation($i: RegionInput!) { createRegion(input: $i) { id } }",
                       {"i": {"providerId": pid, "name": "r"}}, token=token)  # fmt: skip
    swift = {"regionId": region.data["createRegion"]["id"], "endpoint": "https://swift.test", "name": "swift"}
    service = await ask(client, "mutation($i: ObjectStoreServiceInput!) { createObjectStoreService(input: $i) { id } }",
                        {"i": swift}, token=token)  # fmt: skip
    project = await ask(client, "mutation($i: ProjectInput!) { createProject(input: $i) { id } }",
                        {"i": {"providerId": pid, "uuid": "p", "name": "p"}}, token=token)  # fmt: skip
    return project.data["createProject"]["id"], service.data["createObjectStoreService"]["id"]


async def test_enums_go_in_as_they_come_out_and_are_stored_as_before(
    database: Database, client: httpx.AsyncClient, issuer: Issuer
) -> None:
    await replace_graph(database, FederationFile())

    made = await ask(client, CREATE_PROVIDER, {"i": {"name": "K8S", "type": "KUBERNETES", "status": "LIMITED"}},
                     token=issuer.admin)  # fmt: skip
    listed = await ask(client, "{ providers(where: {type: [KUBERNETES], status: [LIMITED]}) { nodes { name } } }")
    [lower_case] = await ask_for_errors(client, CREATE_PROVIDER, {"i": {"name": "X", "type": "openstack"}},
                                        token=issuer.admin)  # fmt: skip

    assert made.data["createProvider"] | {"id": None} == {"id": None, "type": "KUBERNETES", "status": "LIMITED"}
    assert listed.data["providers"]["nodes"] == [{"name": "K8S"}]
    stored = await database.read("MATCH (p:Provider {name: 'K8S'}) RETURN p.type AS type, p.status AS status", {})
    assert stored == [{"type": "kubernetes", "status": "limited"}]  # the federation file's values, as before
    assert "'openstack' does not exist in 'ProviderType'" in lower_case["message"] and ".type" in lower_case["message"]
    assert lower_case["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_ten_tib_object_store_quota_is_accepted_and_read_back(
    database: Database, client: httpx.AsyncClient, issuer: Issuer
) -> None:
    await replace_graph(database, FederationFile())
    project, service = await _object_store(client, issuer.admin)
    create = "mutation($i: ObjectStoreQuotaInput!) { createObjectStoreQuota(input: $i) { id bytes objects } }"

    made = await ask(client, create, {"i": {"projectId": project, "serviceId": service, "bytes": TEN_TIB,
                                            "objects": 3 * 10**9}}, token=issuer.admin)  # fmt: skip
    quota_id = made.data["createObjectStoreQuota"]["id"]
    patched = await ask(client, "mutation($id: ID!) { updateObjectStoreQuota(id: $id, input: {bytes: 21990232555520})"
                        " { bytes } }", {"id": quota_id}, token=issuer.admin)  # fmt: skip

    assert made.data["createObjectStoreQuota"] | {"id": None} == {"id": None, "bytes": TEN_TIB, "objects": 3 * 10**9}
    assert patched.data == {"updateObjectStoreQuota": {"bytes": 2 * TEN_TIB}}


async def test_each_quota_kind_takes_only_its_own_figures(
    database: Database, client: httpx.AsyncClient, issuer: Issuer
) -> None:
    await replace_graph(database, FederationFile())
    project, service = await _object_store(client, issuer.admin)
    before = await dump(database)
    create = "mutation($i: ObjectStoreQuotaInput!) { createObjectStoreQuota(input: $i) { id } }"

    [cores] = await ask_for_errors(client, create, {"i": {"projectId": project, "serviceId": service, "cores": 4}},
                                   token=issuer.admin)  # fmt: skip
    fields = await ask(
        client,
        """{ c: __type(name: "ComputeQuotaInput") { inputFields { name } }
      o: __type(name: "ObjectStoreQuotaPatch") { inputFields { name type { name } } } }""",
        token=issuer.admin,
    )

    assert "cores" in cores["message"] and "ObjectStoreQuotaInput" in cores["message"]
    assert cores["extensions"]["code"] == "BAD_USER_INPUT"
    assert await dump(database) == before
    assert [f["name"] for f in fields.data["c"]["inputFields"]] == [
        "projectId", "serviceId", "description", "perUser", "usage", "cores", "instances", "ram", "gpus",
        "gpuVendor", "gpuModel", "gpuResource",
    ]  # fmt: skip
    patch = {f["name"]: f["type"]["name"] for f in fields.data["o"]["inputFields"]}
    assert patch == {"description": "String", "perUser": "Boolean", "usage": "Boolean", "bytes": "BigInt",
                     "containers": "Int", "objects": "BigInt"}  # fmt: skip
