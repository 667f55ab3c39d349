"""Deleting one node with its cascade, and adding/removing one edge by hand."""

from __future__ import annotations

from typing import Any

import httpx

from resolvers.db import Database
from resolvers.federation_file import FederationFile
from resolvers.federation_graph import stable_uid
from tests.conftest import Issuer
from tests.graphql_client import ask, ask_for_errors

CNAF = stable_uid("Provider", "CLOUD-CNAF", "openstack")
K8S = stable_uid("Provider", "INFN-K8S-CT", "kubernetes")
BARI = stable_uid("Provider", "RECAS-BARI", "openstack")
ML_INFN_SLA = stable_uid("SLA", "0fcbd87d-5be9-4406-aa11-f19c61015234")
EGI_ACCESS_AT_CNAF = stable_uid("Project", CNAF, "1cc6c6c3019d49719a67018bff0d15a0")


def removed(answer: dict[str, Any], field: str) -> dict[str, int]:
    return {r["label"]: r["count"] for r in answer[field]["removed"]}


async def labels(database: Database) -> dict[str, int]:
    rows = await database.read("MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n", {})
    return {r["label"]: r["n"] for r in rows}


async def test_deleting_a_provider_takes_everything_it_owns_and_what_is_left_orphaned(
    client: httpx.AsyncClient, example_federation: FederationFile, database: Database, issuer: Issuer
) -> None:
    before = await labels(database)

    answer = await ask(client, "mutation($id: ID!) { deleteProvider(id: $id) { removed { label count } } }",
                       {"id": K8S}, token=issuer.token(writer=True))  # fmt: skip

    # the Kubernetes provider: 1 region, its 2 services, 4 flavors, 1 project with its quotas; the SLA
    # that covered only that project and the Catania location go too
    gone = removed(answer.data, "deleteProvider")
    assert gone["Provider"] == gone["Region"] == gone["Project"] == gone["SLA"] == gone["Location"] == 1
    after = await labels(database)
    assert {k: before[k] - after.get(k, 0) for k in gone} == gone
    assert (await ask(client, "{ providers { totalCount } }")).data == {"providers": {"totalCount": 4}}


async def test_deleting_a_region_keeps_images_offered_elsewhere(
    client: httpx.AsyncClient, example_federation: FederationFile, database: Database, issuer: Issuer
) -> None:
    region_two = stable_uid("Region", CNAF, "RegionTwo")
    shared_image = "Ubuntu 22.04 CUDA 12"  # offered in both CNAF regions

    answer = await ask(client, "mutation($id: ID!) { deleteRegion(id: $id) { removed { label count } } }",
                       {"id": region_two}, token=issuer.admin)  # fmt: skip

    gone = removed(answer.data, "deleteRegion")
    assert gone["Region"] == 1 and gone["ComputeService"] == 1 and gone["Quota"] > 0
    query = "query($p: ID!) { provider(id: $p) { regions { name computeServices { images { name } } } } }"
    images = await ask(client, query, {"p": CNAF}, token=issuer.admin)
    [region_one] = images.data["provider"]["regions"]
    assert region_one["name"] == "RegionOne"
    assert shared_image in [i["name"] for s in region_one["computeServices"] for i in s["images"]]


async def test_deleting_a_project_takes_its_quotas_and_an_sla_left_with_no_project(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    # ml-infn-pd at CloudVeneto is the only project of the expired ml-infn pilot SLA
    veneto = stable_uid("Provider", "CLOUD-VENETO", "openstack")
    project = stable_uid("Project", veneto, "0eb4e4c3039340f49343559e7aab42cf")
    [quotas] = [len(p.quotas) for v in example_federation.providers for p in v.projects if p.name == "ml-infn-pd"]
    mutation = "mutation($id: ID!) { deleteProject(id: $id) { removed { label count } } }"

    answer = await ask(client, mutation, {"id": project}, token=issuer.admin)
    [again] = await ask_for_errors(client, mutation, {"id": project}, token=issuer.admin)

    assert removed(answer.data, "deleteProject") == {"Project": 1, "Quota": quotas, "SLA": 1}
    assert again["extensions"] == {"code": "NOT_FOUND", "field": "id"}


async def test_unknown_ids_and_non_writers(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    mutation = "mutation($id: ID!) { deleteFlavor(id: $id) { removed { label count } } }"

    [missing] = await ask_for_errors(client, mutation, {"id": "nope"}, token=issuer.admin)
    [member] = await ask_for_errors(client, mutation, {"id": "nope"}, token=issuer.token("ml-infn"))

    assert missing["extensions"] == {"code": "NOT_FOUND", "field": "id"}
    assert member["extensions"] == {"code": "FORBIDDEN"}


async def test_an_sla_can_be_made_to_cover_another_project_and_back(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    add = "mutation($s: ID!, $p: ID!) { addProjectToSLA(slaId: $s, projectId: $p) }"
    remove = "mutation($s: ID!, $p: ID!) { removeProjectFromSLA(slaId: $s, projectId: $p) }"
    projects = "{ projects { nodes { name } } }"
    member = issuer.token("ml-infn")
    variables = {"s": ML_INFN_SLA, "p": EGI_ACCESS_AT_CNAF}

    assert (await ask(client, add, variables, token=issuer.admin)).data == {"addProjectToSLA": True}
    assert (await ask(client, add, variables, token=issuer.admin)).data == {"addProjectToSLA": False}
    # the ml-infn member now sees egi-access's project (their SLA covers it) ...
    assert "egi-access" in [p["name"] for p in (await ask(client, projects, token=member)).data["projects"]["nodes"]]

    assert (await ask(client, remove, variables, token=issuer.admin)).data == {"removeProjectFromSLA": True}
    # ... and no longer once it does not
    assert "egi-access" not in [
        p["name"] for p in (await ask(client, projects, token=member)).data["projects"]["nodes"]
    ]


async def test_private_links_obey_the_model(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    add = "mutation($p: ID!, $f: ID!) { addPrivateFlavorToProject(projectId: $p, flavorId: $f) }"
    region_one = stable_uid("Region", CNAF, "RegionOne")
    nova = stable_uid("ComputeService", region_one, "https://nova.cloud.cnaf.infn.it:8774/v2.1")
    flavors = (await ask(client, "query($s: ID!) { computeService(id: $s) { flavors { id name isShared } } }",
                         {"s": nova}, token=issuer.admin)).data["computeService"]["flavors"]  # fmt: skip
    shared = next(f["id"] for f in flavors if f["isShared"])
    private = next(f["id"] for f in flavors if f["name"] == "g2.a100.2xlarge.ml-infn")
    bari_project = stable_uid("Project", BARI, "ee16cd9797ac4982b1e7181291d723a1")

    [not_private] = await ask_for_errors(client, add, {"p": EGI_ACCESS_AT_CNAF, "f": shared}, token=issuer.admin)
    [elsewhere] = await ask_for_errors(client, add, {"p": bari_project, "f": private}, token=issuer.admin)
    [missing] = await ask_for_errors(client, add, {"p": "nope", "f": private}, token=issuer.admin)
    linked = await ask(client, add, {"p": EGI_ACCESS_AT_CNAF, "f": private}, token=issuer.admin)

    assert not_private["extensions"] == {"code": "BAD_USER_INPUT", "field": "flavorId"}
    assert "must be a private flavor of the project's provider" in not_private["message"]
    assert elsewhere["extensions"] == {"code": "BAD_USER_INPUT", "field": "flavorId"}
    assert missing["extensions"] == {"code": "NOT_FOUND", "field": "projectId"}
    assert linked.data == {"addPrivateFlavorToProject": True}
    # the rule follows at once: egi-access may now use the A100 flavor
    usable = await ask(client, "query($p: ID!) { project(id: $p) { flavors(where: {gpuModel: \"A100\"}) { name } } }",
                       {"p": EGI_ACCESS_AT_CNAF}, token=issuer.admin)  # fmt: skip
    assert usable.data["project"]["flavors"] == [{"name": "g2.a100.2xlarge.ml-infn"}]
