"""Placement under GPU-scoped quotas, on a Kubernetes-like site, against figures computed by hand.

KAPPA (active), region k8s: one compute service offering an A100 node shape and an H100 node shape
(4 GPUs each, the same vCPUs and RAM) and a CUDA image. team-k's project k1 may hold 8 GPUs in all
(2 used), of which only 1 may be A100s (the per-model key a cluster admin writes for the scarce cards),
and a user at most 3 H100s (a per-user scoped limit, no project-wide H100 limit). AMD cards have a
scoped quota of 0 that no NVIDIA flavor may be limited by.
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

K8S = "https://k8s.kappa.test:6443"
SHAPE = {"vcpus": 32, "ram": 262144, "gpus": 4, "gpuVendor": "NVIDIA"}
A100 = ("NVIDIA", "A100", None)
H100 = ("NVIDIA", "H100", None)


def _quota(**figures: Any) -> dict[str, Any]:
    return {"region": "k8s", "service": "compute", **figures}


SCOPED = FederationFile.model_validate({
    "identityProviders": [{"endpoint": INFN, "groupClaim": "groups", "userGroups": [
        {"name": "team-k", "slas": [
            {"docUuid": "sla-k", "startDate": "2024-01-01", "endDate": "2035-12-31",
             "projects": [{"provider": "KAPPA", "project": "k1"}]}]},
    ]}],
    "providers": [
        {"name": "KAPPA", "type": "kubernetes", "status": "active", "regions": [{"name": "k8s", "services": [
            {"kind": "compute", "name": "org.kubernetes.compute", "endpoint": K8S, "flavors": [
                {"uuid": "f-a100", "name": "gpu-a100-sxm4-40gb-x4", **SHAPE, "gpuModel": "A100-SXM4-40GB"},
                {"uuid": "f-h100", "name": "gpu-h100-80gb-hbm3-x4", **SHAPE, "gpuModel": "H100-80GB-HBM3"},
            ], "images": [{"uuid": "i-cuda", "name": "cuda", "osDistro": "ubuntu", "cudaVersion": "12.4"}]},
        ]}], "projects": [
            {"uuid": "k1", "name": "k1", "quotas": [
                _quota(cores=-1, ram=-1, instances=-1, gpus=8),
                _quota(usage=True, gpus=2),
                _quota(gpuVendor="NVIDIA", gpuModel="A100", gpus=1),
                _quota(gpuVendor="NVIDIA", gpuModel="H100", perUser=True, gpus=3),
                _quota(gpuVendor="AMD", gpuResource="amd.com/gpu", gpus=0),
            ]},
        ]},
    ],
})  # fmt: skip

QUERY = """query($request: DeploymentRequest!) {
  userGroup(name: "team-k", issuer: "https://iam.cloud.infn.it/") { placements(request: $request) {
    fits score flavors { uuid }
    remaining { resource scope { gpuVendor gpuModel gpuResource } requested project perUser remaining fits }
    reasons { code resource scope { gpuVendor gpuModel gpuResource } requested remaining message } } } }"""


@pytest.fixture(scope="module")
async def scoped(database: Database) -> FederationFile:
    await replace_graph(database, SCOPED)
    return SCOPED


async def _placement(client: httpx.AsyncClient, issuer: Issuer, **request: Any) -> dict[str, Any]:
    answer = await ask(client, QUERY, {"request": request}, token=issuer.token("team-k"))
    [placement] = answer.data["userGroup"]["placements"]
    return dict(placement)


def _scope(scope: dict[str, Any] | None) -> tuple[Any, ...] | None:
    return None if scope is None else (scope["gpuVendor"], scope["gpuModel"], scope["gpuResource"])


def _gpus(placement: dict[str, Any]) -> dict[Any, tuple[Any, ...]]:
    return {_scope(x["scope"]): (x["requested"], x["project"], x["perUser"], x["remaining"], x["fits"])
            for x in placement["remaining"] if x["resource"] == "GPUS"}  # fmt: skip


async def test_two_a100s_exceed_the_a100_scoped_quota_though_the_unscoped_one_has_room(
    client: httpx.AsyncClient, scoped: FederationFile, issuer: Issuer
) -> None:
    placement = await _placement(client, issuer, gpus=2, gpuModel="A100")

    assert not placement["fits"]
    assert placement["flavors"] == []  # the A100 shape fits the request, not the A100 quota
    assert _gpus(placement) == {None: (2, 8 - 2, None, 6, True), A100: (2, 1, None, 1, False)}
    [reason] = placement["reasons"]
    assert (reason["code"], reason["resource"], _scope(reason["scope"]), reason["requested"], reason["remaining"]) == (
        "QUOTA_EXCEEDED", "GPUS", A100, 2, 1)  # fmt: skip
    assert reason["message"] == "2 gpus (NVIDIA A100) requested, 1 remaining"


async def test_two_h100s_fit_at_the_same_place_within_the_per_user_h100_limit(
    client: httpx.AsyncClient, scoped: FederationFile, issuer: Issuer
) -> None:
    two = await _placement(client, issuer, gpus=2, gpuModel="H100")
    four = await _placement(client, issuer, gpus=4, gpuModel="H100")

    assert two["fits"] and two["reasons"] == []
    assert [f["uuid"] for f in two["flavors"]] == ["f-h100"]
    # no A100 or AMD scope applies to an H100; the H100 one is per user only (no project-wide figure)
    assert _gpus(two) == {None: (2, 6, None, 6, True), H100: (2, None, 3, 3, True)}
    assert two["score"] == pytest.approx((3 - 2) / 3)  # the tightest figure is the scoped one
    assert not four["fits"]
    assert [(r["code"], _scope(r["scope"]), r["requested"], r["remaining"]) for r in four["reasons"]] == [
        ("QUOTA_EXCEEDED", H100, 4, 3)
    ]


async def test_any_nvidia_gpu_skips_the_flavor_its_scoped_quota_cannot_hold(
    client: httpx.AsyncClient, scoped: FederationFile, issuer: Issuer
) -> None:
    one = await _placement(client, issuer, gpus=1, gpuVendor="nvidia")
    two = await _placement(client, issuer, gpus=2, gpuVendor="nvidia")
    seven = await _placement(client, issuer, gpus=1, instances=7)

    # one GPU: both shapes fit, the A100 one first (by name), with its A100 figure
    assert [f["uuid"] for f in one["flavors"]] == ["f-a100", "f-h100"]
    assert _gpus(one) == {None: (1, 6, None, 6, True), A100: (1, 1, None, 1, True)}
    # two: the A100 quota holds one, so only the H100 shape is left, and the figures are its own
    assert two["fits"]
    assert [f["uuid"] for f in two["flavors"]] == ["f-h100"]
    assert _gpus(two) == {None: (2, 6, None, 6, True), H100: (2, None, 3, 3, True)}
    # seven instances of one: more than the unscoped 6 left, and neither shape fits its scoped quota (A100: 1,
    # H100: 3 per user): the figures are the first shape's
    assert [(r["resource"], _scope(r["scope"]), r["remaining"]) for r in seven["reasons"]] == [
        ("GPUS", None, 6), ("GPUS", A100, 1)
    ]  # fmt: skip
