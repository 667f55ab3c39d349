"""The Kubernetes harvest: the official client against a loopback API server (ResourceQuota,
StorageClass and Node lists in the Kubernetes API's shapes)."""

from __future__ import annotations

import pytest

from registry.feeder.kubernetes import harvest_kubernetes
from registry.feeder.loopback_clouds import LoopbackClouds
from tests.feeder.conftest import config, kubernetes


def test_quotas_storage_classes_and_gpu_models_map_onto_the_graph(
    clouds: LoopbackClouds, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("K8S_TOKEN", "demo-kubernetes-reader-token")
    feeder = config(kubernetes(clouds))

    harvest = harvest_kubernetes(feeder, feeder.providers[0])  # type: ignore[arg-type]

    assert harvest.failures == []
    assert harvest.bundle is not None
    region = harvest.bundle.provider.regions[0]
    services = {s.kind: s for s in region.services}
    assert {s.endpoint for s in region.services} == {f"{clouds.base_url}/K8S/k8s"}
    # one flavor per GPU node shape, with the smallest allocatable cpu and memory of those nodes
    gpus = {(f.gpu_vendor, f.gpu_model, f.gpus): (f.vcpus, f.ram) for f in services["compute"].flavors}
    assert gpus == {("NVIDIA", "Tesla-T4", 1): (15, 58593), ("NVIDIA", "NVIDIA-A100-SXM4-80GB", 4): (127, 1030668)}
    assert {v.name: v.description for v in services["blockStorage"].volume_types} == {
        "longhorn": "driver.longhorn.io (default)", "cephfs": "cephfs.csi.ceph.com"
    }  # fmt: skip
    (project,) = harvest.bundle.provider.projects
    assert (project.uuid, project.name) == ("k8s-project-1", "kube-users")
    quotas = {(q.service, q.usage): q.figures() for q in project.quotas}
    assert quotas == {
        ("compute", False): {"cores": 128, "ram": 524288, "gpus": 4, "instances": 200},
        ("compute", True): {"cores": 42, "ram": 176128, "gpus": 2, "instances": 57},  # 41500m rounds up
        ("blockStorage", False): {"gigabytes": 10240, "volumes": 100},
        ("blockStorage", True): {"gigabytes": 1536, "volumes": 23},
    }


def test_a_wrong_token_fails_the_harvest(clouds: LoopbackClouds, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("K8S_TOKEN", "not-the-token")
    feeder = config(kubernetes(clouds))

    harvest = harvest_kubernetes(feeder, feeder.providers[0])  # type: ignore[arg-type]

    assert harvest.bundle is None
    assert {(f.part, f.error) for f in harvest.failures} >= {("nodes", "HTTP 401 Unauthorized")}
