"""Placement on a small federation full of traps, against figures computed by hand.

ALPHA (active), region north: compute c1 (NVIDIA and AMD GPU flavors, a private flavor of team-b's
project, a CUDA 12.2 and a CUDA 11.8 image) and c2 (its own GPU flavor and CUDA 12.4 image), block
storage and network. team-a's project a1 holds quotas on c1 only (GPUs: 4, 3 used; cores: 64, 10
used, 8 per user; block storage −1; public IPs 2, 1 used). team-b's project b1 holds quotas on c2
and reaches c1 only through its private flavor. BETA is in maintenance; GAMMA is covered by an SLA
that expired.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from resolvers.db import Database
from resolvers.federation_file import FederationFile
from tests.conftest import Issuer, replace_graph
from tests.federations import INFN
from tests.graphql_client import ask

NV = {"gpus": 1, "gpuVendor": "NVIDIA", "gpuModel": "A100"}
AMD = {"gpus": 1, "gpuVendor": "AMD", "gpuModel": "MI250"}
UBUNTU = {"osDistro": "ubuntu", "osVersion": "22.04", "architecture": "x86_64"}


def _compute(endpoint: str, flavors: list[dict[str, Any]], images: list[dict[str, Any]]) -> dict[str, Any]:
    return {"kind": "compute", "name": "org.openstack.nova", "endpoint": endpoint, "flavors": flavors, "images": images}


def _region(name: str, computes: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": name, "services": [
        *computes,
        {"kind": "blockStorage", "name": "org.openstack.cinder", "endpoint": f"https://cinder.{name}.test"},
        {"kind": "network", "name": "org.openstack.neutron", "endpoint": f"https://neutron.{name}.test"},
    ]}  # fmt: skip


def _unlimited(region: str) -> list[dict[str, Any]]:
    return [{"region": region, "service": "compute", "cores": -1, "ram": -1, "instances": -1, "gpus": -1},
            {"region": region, "service": "blockStorage", "gigabytes": -1},
            {"region": region, "service": "network", "publicIps": -1}]  # fmt: skip


def _one_gpu_site(provider: str, status: str, region: str, project: str) -> dict[str, Any]:
    return {"name": provider, "type": "openstack", "status": status, "regions": [_region(region, [_compute(
        f"https://nova.{region}.test", [{"uuid": f"{region}-gpu", "name": "gpu", "vcpus": 8, "ram": 16384, **NV}],
        [{"uuid": f"{region}-img", "name": "cuda", **UBUNTU, "cudaVersion": "12.4"}])])],
        "projects": [{"uuid": project, "name": project, "quotas": _unlimited(region)}]}  # fmt: skip


C1, C2 = "https://nova.north.test", "https://nova2.north.test"
TRAPS = FederationFile.model_validate({
    "identityProviders": [{"endpoint": INFN, "groupClaim": "groups", "userGroups": [
        {"name": "team-a", "slas": [
            {"docUuid": "sla-a", "startDate": "2024-01-01", "endDate": "2035-12-31",
             "projects": [{"provider": "ALPHA", "project": "a1"}, {"provider": "BETA", "project": "a2"}]},
            {"docUuid": "sla-a-old", "startDate": "2020-01-01", "endDate": "2021-12-31",
             "projects": [{"provider": "GAMMA", "project": "a3"}]}]},
        {"name": "team-b", "slas": [
            {"docUuid": "sla-b", "startDate": "2024-01-01", "endDate": "2035-12-31",
             "projects": [{"provider": "ALPHA", "project": "b1"}]}]},
    ]}],
    "providers": [
        {"name": "ALPHA", "type": "openstack", "status": "active", "regions": [_region("north", [
            _compute(C1, [
                {"uuid": "f-small", "name": "small", "vcpus": 2, "ram": 4096},
                {"uuid": "f-nv", "name": "gpu.nv", "vcpus": 8, "ram": 16384, **NV},
                {"uuid": "f-amd", "name": "gpu.amd", "vcpus": 8, "ram": 16384, **AMD},
                {"uuid": "f-b", "name": "gpu.b", "vcpus": 16, "ram": 32768, "isShared": False, **NV, "gpus": 2},
            ], [
                {"uuid": "i-12", "name": "cuda-12", **UBUNTU, "cudaVersion": "12.2"},
                {"uuid": "i-11", "name": "cuda-11", **UBUNTU, "cudaVersion": "11.8"},
            ]),
            _compute(C2, [{"uuid": "f-nv2", "name": "gpu.nv2", "vcpus": 8, "ram": 16384, **NV}],
                     [{"uuid": "i-12b", "name": "cuda-12b", **UBUNTU, "cudaVersion": "12.4"}]),
        ])], "projects": [
            {"uuid": "a1", "name": "a1", "quotas": [
                {"region": "north", "service": "compute", "endpoint": C1,
                 "cores": 64, "ram": 131072, "instances": 10, "gpus": 4},
                {"region": "north", "service": "compute", "endpoint": C1, "perUser": True, "cores": 8},
                {"region": "north", "service": "compute", "endpoint": C1, "usage": True, "cores": 10, "gpus": 3},
                # scoped quotas limit only part of a service: never read as the project's limit or usage
                {"region": "north", "service": "compute", "endpoint": C1, "gpuVendor": "NVIDIA", "gpuModel": "V100",
                 "gpus": 0},
                {"region": "north", "service": "compute", "endpoint": C1, "gpuVendor": "NVIDIA", "gpuModel": "V100",
                 "usage": True, "gpus": 0},
                {"region": "north", "service": "blockStorage", "volumeType": "ssd", "gigabytes": 10},
                {"region": "north", "service": "blockStorage", "gigabytes": -1},
                {"region": "north", "service": "network", "publicIps": 2},
                {"region": "north", "service": "network", "usage": True, "publicIps": 1}]},
            {"uuid": "b1", "name": "b1", "privateFlavors": ["f-b"], "quotas": [
                {"region": "north", "service": "compute", "endpoint": C2, "cores": 32, "gpus": -1},
                {"region": "north", "service": "blockStorage", "gigabytes": 1000},
                {"region": "north", "service": "network", "publicIps": -1}]},
        ]},
        _one_gpu_site("BETA", "maintenance", "south", "a2"),
        _one_gpu_site("GAMMA", "active", "east", "a3"),
    ],
})  # fmt: skip

QUERY = """query($group: String!, $request: DeploymentRequest!) {
  userGroup(name: $group, issuer: "https://iam.cloud.infn.it/") { placements(request: $request) {
    rank fits score provider { name } computeService { endpoint } flavors { uuid } images { uuid }
    remaining { resource requested project perUser remaining fits }
    reasons { code subjectId resource requested remaining considered detail } } } }"""
# 1 instance: 4 vCPUs, 8 GiB, one NVIDIA GPU, a CUDA >= 12 image; 50 GiB of volumes, one public IP.
REQUEST = {"vcpus": 4, "ram": 8192, "gpus": 1, "gpuVendor": "nvidia", "cudaVersionMin": "12", "blockStorage": 50,
           "publicIps": 1}  # fmt: skip


@pytest.fixture(scope="module")
async def traps(database: Database) -> FederationFile:
    await replace_graph(database, TRAPS)
    return TRAPS


async def _placements(client: httpx.AsyncClient, token: str, group: str, **request: Any) -> list[dict[str, Any]]:
    answer = await ask(client, QUERY, {"group": group, "request": {**REQUEST, **request}}, token=token)
    assert answer.data["userGroup"] is not None
    return list(answer.data["userGroup"]["placements"])


def _at(placements: list[dict[str, Any]], endpoint: str) -> dict[str, Any]:
    [found] = [p for p in placements if p["computeService"]["endpoint"] == endpoint]
    return found


def _codes(placement: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(r["code"], r["resource"], r["requested"], r["remaining"]) for r in placement["reasons"]]


def _figures(placement: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    return {x["resource"]: (x["requested"], x["project"], x["perUser"], x["remaining"], x["fits"])
            for x in placement["remaining"]}  # fmt: skip


async def test_one_instance_fits_where_the_rule_and_the_figures_allow(
    client: httpx.AsyncClient, traps: FederationFile, issuer: Issuer
) -> None:
    placements = await _placements(client, issuer.token("team-a"), "team-a")

    # a1 has no quota on c2: c2 is no place of team-a (a quota on only one of two services)
    assert [(p["rank"], p["fits"], p["provider"]["name"], p["computeService"]["endpoint"]) for p in placements] == [
        (1, True, "ALPHA", C1),
        (2, False, "BETA", "https://nova.south.test"),
        (3, False, "GAMMA", "https://nova.east.test"),
    ]
    alpha = placements[0]
    # NVIDIA only (not the AMD flavor), never team-b's private flavor; CUDA 12.2, not 11.8
    assert [f["uuid"] for f in alpha["flavors"]] == ["f-nv"]
    assert [i["uuid"] for i in alpha["images"]] == ["i-12"]
    assert _figures(alpha) == {
        "CORES": (4, 64 - 10, 8, 8, True),  # the per-user limit is tighter than the project's
        "RAM": (8192, 131072, None, 131072, True),  # no usage figure: nothing used
        "INSTANCES": (1, 10, None, 10, True),
        "GPUS": (1, 4 - 3, None, 1, True),  # usage close to the limit
        "BLOCK_STORAGE": (50, None, None, None, True),  # −1: unlimited
        "PUBLIC_IPS": (1, 2 - 1, None, 1, True),
    }
    assert alpha["score"] == 0.0  # no GPU left after placement
    # unlimited quotas everywhere, but a provider in maintenance, and an expired SLA
    assert _codes(placements[1]) == [("PROVIDER_NOT_ACTIVE", None, None, None)]
    assert placements[1]["reasons"][0]["detail"] == "maintenance"
    assert _codes(placements[2]) == [("SLA_NOT_IN_FORCE", None, None, None)]
    assert placements[1]["score"] == placements[2]["score"] == 1.0


async def test_two_instances_exceed_the_gpus_left_and_more_cores_the_per_user_limit(
    client: httpx.AsyncClient, traps: FederationFile, issuer: Issuer
) -> None:
    token = issuer.token("team-a")

    two = _at(await _placements(client, token, "team-a", instances=2), C1)
    big = _at(await _placements(client, token, "team-a", vcpus=16), C1)

    assert not two["fits"]
    assert _codes(two) == [("QUOTA_EXCEEDED", "GPUS", 2, 1)]
    # the project has 54 cores left, a user 8; and no flavor of c1 a1 may use has 16 vCPUs
    assert not big["fits"]
    assert _codes(big) == [("NO_FLAVOR_FITS", None, None, None), ("QUOTA_EXCEEDED", "CORES", 16, 8)]
    assert big["reasons"][0]["considered"] == 3  # small, gpu.nv, gpu.amd: not team-b's private flavor


async def test_the_private_flavor_fits_only_for_its_own_project(
    client: httpx.AsyncClient, traps: FederationFile, issuer: Issuer
) -> None:
    placements = await _placements(client, issuer.token("team-b"), "team-b")

    # b1 reaches c1 through its private flavor only: no limit quota there (unlimited), and no
    # shared image of c1 is usable by it; c2 it holds quotas on
    assert [(p["fits"], p["computeService"]["endpoint"]) for p in placements] == [(True, C2), (False, C1)]
    on_c1 = placements[1]
    assert [f["uuid"] for f in on_c1["flavors"]] == ["f-b"]
    assert _codes(on_c1) == [("NO_IMAGE_FITS", None, None, None)]
    assert on_c1["reasons"][0]["considered"] == 0
    assert _figures(on_c1)["GPUS"] == (1, None, None, None, True)
    assert _figures(placements[0])["BLOCK_STORAGE"] == (50, 1000, None, 1000, True)


async def test_another_group_sees_nothing_and_an_administrator_the_same_answer(
    client: httpx.AsyncClient, traps: FederationFile, issuer: Issuer
) -> None:
    outsider = await ask(client, QUERY, {"group": "team-a", "request": REQUEST}, token=issuer.token("team-b"))
    anonymous = await ask(client, QUERY, {"group": "team-a", "request": REQUEST})

    assert outsider.data["userGroup"] is None
    assert anonymous.data["userGroup"] is None
    assert await _placements(client, issuer.admin, "team-a") == await _placements(
        client, issuer.token("team-a"), "team-a"
    )


async def test_stale_or_unconfirmed_data_is_no_place_unless_accepted(
    client: httpx.AsyncClient, traps: FederationFile, database: Database, issuer: Issuer
) -> None:
    token = issuer.token("team-a")
    await database.write([("MATCH (p:Provider {name: 'ALPHA'}) SET p.stale = true", {})])
    try:
        stale = _at(await _placements(client, token, "team-a"), C1)
        accepted = _at(await _placements(client, token, "team-a", acceptStale=True), C1)
    finally:
        await database.write([("MATCH (p:Provider {name: 'ALPHA'}) REMOVE p.stale", {})])
    await database.write([("MATCH (p:Provider {name: 'ALPHA'}) SET p.updatedAt = datetime() - duration('P2D')", {})])
    old = _at(await _placements(client, token, "team-a", confirmedWithin="PT6H"), C1)
    recent_enough = _at(await _placements(client, token, "team-a", confirmedWithin="P3D"), C1)

    assert [r["code"] for r in stale["reasons"]] == ["STALE_DATA"]
    assert accepted["fits"]
    assert [r["code"] for r in old["reasons"]] == ["STALE_DATA"]
    assert recent_enough["fits"]


async def test_impossible_requests_are_refused_naming_the_field(
    client: httpx.AsyncClient, traps: FederationFile, issuer: Issuer
) -> None:
    from tests.graphql_client import ask_for_errors

    token = issuer.token("team-a")
    for request, field in (({"gpus": -1}, "request.gpus"), ({"instances": 0}, "request.instances"),
                            ({"cudaVersionMin": "12.x"}, "request.cudaVersionMin")):  # fmt: skip
        [error] = await ask_for_errors(client, QUERY, {"group": "team-a", "request": request}, token=token)
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
