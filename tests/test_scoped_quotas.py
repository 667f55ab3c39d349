"""Quotas scoped to a volume type or to GPUs: beside the unscoped quota of a project on a service (which
keeps its key and id), validated, unique per scope, stored, read and filtered through GraphQL."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from registry.feeder import FederationFileError, load_federation, read_federation
from resolvers.db import Database
from resolvers.federation_file import QuotaIn
from resolvers.federation_graph import stable_uid
from tests.conftest import Issuer, replace_graph
from tests.graphql_client import ask, ask_for_errors
from tests.test_feeder import dump, write

IAM = "https://iam.cloud.infn.it/"  # the test issuer's realm `infn`
SCOPED_QUOTAS = [
    {"region": "r", "service": "compute", "cores": 100, "gpus": 8},
    {"region": "r", "service": "compute", "usage": True, "cores": 10, "gpus": 3},
    {"region": "r", "service": "compute", "gpuVendor": "NVIDIA", "gpuModel": "A100", "gpus": 4},
    {"region": "r", "service": "compute", "gpuVendor": "NVIDIA", "gpuModel": "A100", "usage": True, "gpus": 1},
    {"region": "r", "service": "compute", "gpuVendor": "NVIDIA", "gpuResource": "nvidia.com/gpu", "gpus": 6},
    {"region": "r", "service": "blockStorage", "gigabytes": 1000, "volumes": 50},
    {"region": "r", "service": "blockStorage", "volumeType": "ssd", "gigabytes": 200, "volumes": 10},
    {"region": "r", "service": "blockStorage", "volumeType": "ssd", "usage": True, "gigabytes": 150},
    {"region": "r", "service": "blockStorage", "volumeType": "ssd", "perUser": True, "gigabytes": 50},
]


def federation(quotas: list[dict[str, Any]]) -> dict[str, Any]:
    sla = {
        "docUuid": "sla-scoped",
        "startDate": "2024-01-01",
        "endDate": "2035-12-31",
        "projects": [{"provider": "P", "project": "p1"}],
    }
    return {
        "identityProviders": [{"endpoint": IAM, "groupClaim": "groups",
                               "userGroups": [{"name": "scoped", "slas": [sla]}]}],
        "providers": [{"name": "P", "type": "openstack", "regions": [{"name": "r", "services": [
            {"kind": "compute", "endpoint": "https://nova.test", "name": "org.openstack.nova",
             "flavors": [{"uuid": "g", "name": "gpu", "gpus": 1, "gpuVendor": "NVIDIA", "gpuModel": "A100"}]},
            {"kind": "blockStorage", "endpoint": "https://cinder.test", "name": "org.openstack.cinder",
             "volumeTypes": [{"name": "ssd"}, {"name": "hdd"}]}]}],
            "projects": [{"uuid": "p1", "name": "one", "quotas": quotas}]}],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("quota", "message"),
    [
        ({"service": "compute", "volumeType": "ssd", "cores": 1}, "a compute quota cannot be scoped by volumeType"),
        ({"service": "blockStorage", "gpuVendor": "NVIDIA", "gigabytes": 1},
         "a blockStorage quota cannot be scoped by gpuVendor"),
        ({"service": "network", "volumeType": "ssd", "ports": 1}, "a network quota cannot be scoped by volumeType"),
        ({"service": "compute", "gpuVendor": "NVIDIA", "gpus": 1, "cores": 4},
         "cores is not a figure of a quota scoped by gpuVendor, gpuModel, gpuResource"),
        ({"service": "blockStorage", "volumeType": "ssd", "perVolumeGigabytes": 10},
         "perVolumeGigabytes is not a figure of a quota scoped by volumeType"),
        ({"service": "blockStorage", "volumeType": "", "gigabytes": 10}, "at least 1 character"),
    ],
)  # fmt: skip
def test_a_scope_must_fit_its_service_and_a_scoped_quota_carries_only_what_it_scopes(
    quota: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        QuotaIn.model_validate({"region": "r", **quota})


def test_scoped_quotas_are_unique_per_scope_and_a_repeated_one_is_refused(tmp_path: Path) -> None:
    read_federation(write(tmp_path, federation(SCOPED_QUOTAS)))  # one limit per scope: accepted

    again = {"region": "r", "service": "blockStorage", "volumeType": "ssd", "gigabytes": 300}
    with pytest.raises(FederationFileError, match=re.escape(
        "providers.0.projects.0.quotas.9: quota 'blockStorage in r' is already at providers.0.projects.0.quotas.6"
    )):  # fmt: skip
        read_federation(write(tmp_path, federation([*SCOPED_QUOTAS, again])))


async def test_scoped_quotas_are_stored_beside_the_unscoped_one_whose_id_does_not_change(
    tmp_path: Path, database: Database
) -> None:
    unscoped = [q for q in SCOPED_QUOTAS if not {"volumeType", "gpuVendor"} & set(q)]
    await replace_graph(database, read_federation(write(tmp_path, federation(unscoped))))
    before = {r["uid"] for r in await database.read("MATCH (q:Quota) RETURN q.uid AS uid", {})}

    scoped = read_federation(write(tmp_path, federation(SCOPED_QUOTAS)))
    changes = await load_federation(database, scoped)
    stored = await dump(database)
    await load_federation(database, scoped)

    rows = await database.read(
        "MATCH (q:Quota) RETURN q.uid AS uid, q.kind AS kind, q.volumeType AS volumeType, q.gpuModel AS gpuModel,"
        " q.gpuResource AS gpuResource, q.naturalKey AS key",
        {},
    )
    assert before <= {r["uid"] for r in rows}  # the unscoped quotas kept their ids
    assert changes.created == {"Quota": 6} and not changes.removed and not changes.updated
    assert await dump(database) == stored  # loading again changes nothing
    project = stable_uid("Project", stable_uid("Provider", "P", "openstack"), "p1")
    keys = {r["key"] for r in rows if r["volumeType"] == "ssd"}
    assert all(k.startswith(f"{project}/") and k.endswith("/volumeType=ssd") for k in keys) and len(keys) == 3


QUOTAS = """query($where: QuotaFilter) { projects { nodes { quotas(where: $where) {
  __typename perUser usage
  ... on ComputeQuota { gpus cores gpuVendor gpuModel gpuResource }
  ... on BlockStorageQuota { gigabytes volumes volumeType } } } } }"""


async def test_graphql_reads_and_filters_quotas_by_their_scope(
    tmp_path: Path, database: Database, client: httpx.AsyncClient, issuer: Issuer
) -> None:
    await replace_graph(database, read_federation(write(tmp_path, federation(SCOPED_QUOTAS))))
    token = issuer.token("scoped")  # a member of the group whose SLA covers the project

    async def quotas(where: dict[str, Any]) -> list[dict[str, Any]]:
        answer = await ask(client, QUOTAS, {"where": where}, token=token)
        (project,) = answer.data["projects"]["nodes"]
        found: list[dict[str, Any]] = project["quotas"]
        return found

    unscoped = await quotas({"scoped": False})
    ssd = await quotas({"volumeType": "ssd", "usage": False})
    nvidia = await quotas({"gpuVendor": "nvidia", "usage": False})

    assert [(q["__typename"], q["usage"]) for q in unscoped] == [
        ("BlockStorageQuota", False), ("ComputeQuota", False), ("ComputeQuota", True)
    ]  # fmt: skip
    assert all(q.get("volumeType") is None and q.get("gpuResource") is None for q in unscoped)
    assert sorted((q["perUser"], q["gigabytes"], q["volumes"]) for q in ssd) == [(False, 200, 10), (True, 50, None)]
    assert sorted(((q["gpuModel"], q["gpuResource"], q["gpus"], q["cores"]) for q in nvidia), key=str) == [
        ("A100", None, 4, None), (None, "nvidia.com/gpu", 6, None)
    ]  # fmt: skip
    assert len(await quotas({"scoped": True})) == 6


async def test_a_scoped_quota_made_through_the_api_is_validated_like_the_file(
    tmp_path: Path, database: Database, client: httpx.AsyncClient, issuer: Issuer
) -> None:
    await replace_graph(database, read_federation(write(tmp_path, federation([]))))
    ids = await database.read(
        "MATCH (p:Project), (s:BlockStorageService) RETURN p.uid AS project, s.uid AS service", {}
    )
    create = """mutation($input: BlockStorageQuotaInput!) { createBlockStorageQuota(input: $input) {
      volumeType gigabytes } }"""
    base = {"projectId": ids[0]["project"], "serviceId": ids[0]["service"]}

    made = await ask(client, create, {"input": {**base, "volumeType": "hdd", "gigabytes": 70}}, token=issuer.admin)
    refused = await ask_for_errors(
        client, create, {"input": {**base, "volumeType": "hdd", "perVolumeGigabytes": 5}}, token=issuer.admin
    )

    assert made.data["createBlockStorageQuota"] == {"volumeType": "hdd", "gigabytes": 70}
    assert "perVolumeGigabytes is not a figure of a quota scoped by volumeType" in str(refused)
    rows = await database.read("MATCH (q:Quota) RETURN q.naturalKey AS key", {})
    assert [r["key"] for r in rows] == [f"{base['projectId']}/{base['serviceId']}/False/False/volumeType=hdd"]
