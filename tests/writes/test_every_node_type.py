"""Every node type's create / update / delete mutation: success, NOT_FOUND, a validation error, FORBIDDEN."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from resolvers.db import Database
from resolvers.federation_file import FederationFile
from tests.conftest import Issuer, replace_graph
from tests.graphql_client import ask, ask_for_errors

# Minimal valid input per type (parents filled in from what was made before), a patch, and a bad patch
# with the field it must be refused on.
STEPS: list[tuple[str, dict[str, Any], dict[str, Any], tuple[dict[str, Any], str]]] = [
    ("Provider", {"name": "P", "type": "OPENSTACK"}, {"status": "MAINTENANCE"}, ({"name": ""}, "name")),
    ("Location", {"site": "S", "country": "IT"}, {"latitude": 45.0}, ({"latitude": 91}, "latitude")),
    ("Region", {"providerId": "Provider", "name": "r"}, {"overbookingRam": 1.5},
     ({"overbookingCpu": 0}, "overbookingCpu")),
    ("IdentityProvider", {"endpoint": "https://iam.test/", "groupClaim": "groups"}, {"groupClaim": "wlcg.groups"},
     ({"endpoint": "iam"}, "endpoint")),
    ("UserGroup", {"identityProviderId": "IdentityProvider", "name": "g/x"}, {"description": "d"},
     ({"name": ""}, "name")),
    ("SLA", {"userGroupId": "UserGroup", "docUuid": "d1", "startDate": "2025-01-01", "endDate": "2030-01-01"},
     {"endDate": "2031-01-01"}, ({"endDate": "2020-01-01"}, "input")),
    ("Project", {"providerId": "Provider", "uuid": "p", "name": "p"}, {"name": "q"}, ({"uuid": ""}, "uuid")),
    ("ComputeService", {"regionId": "Region", "endpoint": "https://nova.t", "name": "org.openstack.nova"},
     {"microversion": "2.90"}, ({"endpoint": "x"}, "endpoint")),
    ("BlockStorageService", {"regionId": "Region", "endpoint": "https://cinder.t", "name": "org.openstack.cinder"},
     {"name": "cinder"}, ({"endpoint": "x"}, "endpoint")),
    ("NetworkService", {"regionId": "Region", "endpoint": "https://neutron.t", "name": "org.openstack.neutron"},
     {"name": "neutron"}, ({"endpoint": "x"}, "endpoint")),
    ("ObjectStoreService", {"regionId": "Region", "endpoint": "https://swift.t", "name": "org.openstack.swift"},
     {"dataLocation": "RSE"}, ({"endpoint": "x"}, "endpoint")),
    ("IdentityService", {"regionId": "Region", "endpoint": "https://keystone.t", "name": "org.openstack.keystone"},
     {"name": "keystone"}, ({"endpoint": "x"}, "endpoint")),
    ("Flavor", {"computeServiceId": "ComputeService", "uuid": "f", "name": "f"}, {"vcpus": 4},
     ({"vcpus": -1}, "vcpus")),
    ("Image", {"computeServiceId": "ComputeService", "uuid": "i", "name": "i"}, {"cudaSupport": True},
     ({"osType": "BeOS"}, "osType")),
    ("Network", {"networkServiceId": "NetworkService", "uuid": "n", "name": "n"}, {"mtu": 1450}, ({"mtu": 0}, "mtu")),
    ("VolumeType", {"blockStorageServiceId": "BlockStorageService", "name": "ssd"}, {"qos": "iops=100"},
     ({"name": ""}, "name")),
    ("ComputeQuota", {"projectId": "Project", "serviceId": "ComputeService", "cores": 4}, {"cores": -1},
     ({"cores": -2}, "cores")),
    ("BlockStorageQuota", {"projectId": "Project", "serviceId": "BlockStorageService", "gigabytes": 10}, {"volumes": 3},
     ({"volumes": -2}, "volumes")),
    ("NetworkQuota", {"projectId": "Project", "serviceId": "NetworkService", "ports": 10}, {"publicIps": 2},
     ({"ports": -5}, "ports")),
    ("ObjectStoreQuota", {"projectId": "Project", "serviceId": "ObjectStoreService", "bytes": 10}, {"objects": 5},
     ({"bytes": -3}, "bytes")),
]  # fmt: skip


@pytest.fixture(scope="module")
async def made(client: httpx.AsyncClient, database: Database, issuer: Issuer) -> dict[str, str]:
    """One node of every type, created in order through its mutation (the success case of each)."""
    await replace_graph(database, FederationFile())
    ids: dict[str, str] = {}
    for label, values, _, _ in STEPS:
        given = {k: ids[v] if k.endswith("Id") else v for k, v in values.items()}
        mutation = f"mutation($i: {label}Input!) {{ create{label}(input: $i) {{ id }} }}"
        ids[label] = (await ask(client, mutation, {"i": given}, token=issuer.token(writer=True))).data[
            f"create{label}"
        ]["id"]
    return ids


@pytest.mark.parametrize(("label", "values", "patch", "bad"), STEPS, ids=[s[0] for s in STEPS])
async def test_each_type_updates_and_refuses(
    client: httpx.AsyncClient,
    issuer: Issuer,
    made: dict[str, str],
    label: str,
    values: dict[str, Any],
    patch: dict[str, Any],
    bad: tuple[dict[str, Any], str],
) -> None:
    update = f"mutation($id: ID!, $i: {label}Patch!) {{ update{label}(id: $id, input: $i) {{ id changedBy }} }}"
    create = f"mutation($i: {label}Input!) {{ create{label}(input: $i) {{ id }} }}"
    writer = issuer.token(writer=True, subject="editor")

    changed = await ask(client, update, {"id": made[label], "i": patch}, token=writer)
    [invalid] = await ask_for_errors(client, update, {"id": made[label], "i": bad[0]}, token=writer)
    [missing] = await ask_for_errors(client, update, {"id": "nope", "i": patch}, token=writer)
    [forbidden] = await ask_for_errors(client, create, {"i": values}, token=issuer.token("ml-infn"))

    assert changed.data[f"update{label}"] == {"id": made[label], "changedBy": f"editor@{issuer.url()}"}
    assert invalid["extensions"]["code"] == "BAD_USER_INPUT"
    assert re.match(rf"input(\.{bad[1]})?$", invalid["extensions"]["field"]), invalid
    assert missing["extensions"] == {"code": "NOT_FOUND", "field": "id"}
    assert forbidden["extensions"] == {"code": "FORBIDDEN"}


@pytest.mark.parametrize("label", [s[0] for s in reversed(STEPS)])
async def test_each_type_deletes(client: httpx.AsyncClient, issuer: Issuer, made: dict[str, str], label: str) -> None:
    delete = f"mutation($id: ID!) {{ delete{label}(id: $id) {{ removed {{ label count }} }} }}"
    family = "Quota" if label.endswith("Quota") else label

    answer = await ask(client, delete, {"id": made[label]}, token=issuer.admin)
    [again] = await ask_for_errors(client, delete, {"id": made[label]}, token=issuer.admin)

    assert {"label": family, "count": 1} in answer.data[f"delete{label}"]["removed"]
    assert again["extensions"] == {"code": "NOT_FOUND", "field": "id"}
