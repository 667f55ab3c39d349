"""The Kubernetes harvest: the official client against a loopback API server (ResourceQuota,
StorageClass and Node lists in the Kubernetes API's shapes)."""

from __future__ import annotations

import math

import pytest

from registry.feeder.kubernetes import _figures, gpu_scope, harvest_kubernetes, scoped_quotas, storage_class_scope
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
    quotas = {(q.service, q.scope(), q.usage): q.figures() for q in project.quotas}
    assert quotas == {
        ("compute", "", False): {"cores": 128, "ram": 524288, "gpus": 4, "instances": 200},
        ("compute", "", True): {"cores": 42, "ram": 176128, "gpus": 2, "instances": 57},  # 41500m rounds up
        ("blockStorage", "", False): {"gigabytes": 10240, "volumes": 100},
        ("blockStorage", "", True): {"gigabytes": 1536, "volumes": 23},
        # scoped quotas: each limits only what it names, besides the unscoped one above
        ("compute", "gpuVendor=NVIDIA/gpuResource=nvidia.com/gpu", False): {"gpus": 4},
        ("compute", "gpuVendor=NVIDIA/gpuResource=nvidia.com/gpu", True): {"gpus": 2},
        ("compute", "gpuVendor=NVIDIA/gpuModel=MIG 1g.10gb/gpuResource=nvidia.com/mig-1g.10gb", False): {"gpus": 14},
        ("compute", "gpuVendor=NVIDIA/gpuModel=MIG 1g.10gb/gpuResource=nvidia.com/mig-1g.10gb", True): {"gpus": 3},
        ("blockStorage", "volumeType=cephfs", False): {"gigabytes": 0},  # a class the namespace may not use
        ("blockStorage", "volumeType=cephfs", True): {"gigabytes": 0},
        ("blockStorage", "volumeType=longhorn", False): {"gigabytes": 2048, "volumes": 20},
        ("blockStorage", "volumeType=longhorn", True): {"gigabytes": 512, "volumes": 5},
    }


@pytest.mark.parametrize(
    ("key", "scope"),
    [
        ("requests.nvidia.com/gpu", {"gpuVendor": "NVIDIA", "gpuResource": "nvidia.com/gpu"}),
        ("requests.amd.com/gpu", {"gpuVendor": "AMD", "gpuResource": "amd.com/gpu"}),
        ("requests.gpu.intel.com/i915", {"gpuVendor": "Intel", "gpuResource": "gpu.intel.com/i915"}),
        ("requests.nvidia.com/mig-3g.40gb",
         {"gpuVendor": "NVIDIA", "gpuModel": "MIG 3g.40gb", "gpuResource": "nvidia.com/mig-3g.40gb"}),
        ("requests.nvidia.com/gpu.shared", {"gpuVendor": "NVIDIA", "gpuResource": "nvidia.com/gpu.shared"}),
        ("nvidia.com/gpu", None),  # extended resources are quoted only as requests
        ("requests.example.com/fpga", None),
        ("requests.cpu", None),
        ("requests.nvidia.com/", None),
    ],
)  # fmt: skip
def test_gpu_quota_keys_name_their_vendor_and_resource(key: str, scope: dict[str, str] | None) -> None:
    assert gpu_scope(key) == scope


@pytest.mark.parametrize(
    ("key", "scope"),
    [
        ("fast-ssd.storageclass.storage.k8s.io/requests.storage", ("fast-ssd", "gigabytes")),
        ("fast-ssd.storageclass.storage.k8s.io/persistentvolumeclaims", ("fast-ssd", "volumes")),
        ("a.b.storageclass.storage.k8s.io/requests.storage", ("a.b", "gigabytes")),
        ("fast-ssd.storageclass.storage.k8s.io/requests.ephemeral-storage", None),
        (".storageclass.storage.k8s.io/requests.storage", None),
        ("requests.storage", None),
    ],
)
def test_storage_class_quota_keys_name_their_class(key: str, scope: tuple[str, str] | None) -> None:
    assert storage_class_scope(key) == scope


def test_the_unscoped_gpu_limit_counts_every_whole_gpu_and_scoped_ones_only_theirs() -> None:
    hard = {"requests.nvidia.com/gpu": "4", "requests.amd.com/gpu": "2", "requests.nvidia.com/mig-1g.5gb": "7"}
    used = {"requests.nvidia.com/gpu": "1", "requests.amd.com/gpu": "2", "requests.nvidia.com/mig-1g.5gb": "0"}

    (limit, _), (usage, _) = _figures(hard, math.floor), _figures(used, math.ceil)
    scoped = {(q.gpu_resource, q.usage): q.gpus for q in scoped_quotas("r", hard, used)}

    assert (limit, usage) == ({"gpus": 6}, {"gpus": 3})  # MIG slices are not whole GPUs
    assert scoped == {("amd.com/gpu", False): 2, ("amd.com/gpu", True): 2, ("nvidia.com/gpu", False): 4,
                      ("nvidia.com/gpu", True): 1, ("nvidia.com/mig-1g.5gb", False): 7,
                      ("nvidia.com/mig-1g.5gb", True): 0}  # fmt: skip


def test_a_wrong_token_fails_the_harvest(clouds: LoopbackClouds, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("K8S_TOKEN", "not-the-token")
    feeder = config(kubernetes(clouds))

    harvest = harvest_kubernetes(feeder, feeder.providers[0])  # type: ignore[arg-type]

    assert harvest.bundle is None
    assert {(f.part, f.error) for f in harvest.failures} >= {("nodes", "HTTP 401 Unauthorized")}
