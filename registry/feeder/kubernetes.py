"""Reading a Kubernetes cluster with the official client: per configured namespace its ResourceQuotas
(hard and used), the cluster's StorageClasses, and the GPU models its nodes' labels announce.

How a cluster maps onto the graph (a cluster is one region):
- a compute service at the API server, offering one shared flavor per GPU node shape (GPU model and
  count, from `nvidia.com/gpu.product` / `nvidia.com/gpu.count`, or AMD's `amd.com/gpu.*`), with
  the smallest allocatable cpu/memory among those nodes;
- a block-storage service at the API server, offering one volume type per StorageClass (its
  provisioner as description, "(default)" when annotated so);
- a project per namespace, with a compute quota (cores = requests.cpu, ram = requests.memory in MiB,
  gpus = the sum of the whole-GPU resources' requests (`requests.nvidia.com/gpu`, `requests.amd.com/gpu`,
  `requests.gpu.intel.com/i915`), instances = pods) and a block-storage quota (gigabytes =
  requests.storage in GiB, volumes = persistentvolumeclaims), each once as limit (hard) and once as
  usage (used);
- scoped quotas beside them: a compute quota per GPU resource of a GPU vendor's domain (gpus only:
  `requests.nvidia.com/gpu` → NVIDIA, `requests.nvidia.com/mig-1g.5gb` → NVIDIA model `MIG 1g.5gb`), and
  a block-storage quota per StorageClass (`<class>.storageclass.storage.k8s.io/requests.storage` and
  `/persistentvolumeclaims`), each limiting only what it is scoped to, in addition to the unscoped one.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from kubernetes import client
from kubernetes.utils.quantity import parse_quantity

from registry.feeder.config import FeederConfig, KubernetesNamespace, KubernetesProvider
from registry.feeder.harvest import Deadline, DeadlineExceeded, Failure, Harvest, safe_message, trusted_identity
from registry.feeder.site_proxy import SiteProxy
from resolvers.federation_file import (
    FlavorIn,
    ProjectIn,
    ProviderBundle,
    ProviderIn,
    QuotaIn,
    RegionIn,
    ServiceIn,
    VolumeTypeIn,
)

T = TypeVar("T")
# The extended-resource domains of GPU device plugins, and the resources among them that count whole GPUs.
GPU_VENDORS = {"nvidia.com": "NVIDIA", "amd.com": "AMD", "gpu.intel.com": "Intel"}
WHOLE_GPUS = frozenset({"nvidia.com/gpu", "amd.com/gpu", "gpu.intel.com/i915", "gpu.intel.com/xe"})
STORAGE_CLASS_KEY = ".storageclass.storage.k8s.io/"
DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class"
MIB = Decimal(2**20)
GIB = Decimal(2**30)


def _quantity(value: Any) -> Decimal | None:
    try:
        return Decimal(parse_quantity(value)) if value is not None else None  # type: ignore[no-untyped-call]
    except ValueError:
        return None


def _figures(amounts: dict[str, Any], round_: Callable[[Decimal], int]) -> tuple[dict[str, int], dict[str, int]]:
    """(compute, block storage) quota figures from a ResourceQuota's hard or used amounts."""

    def first(*keys: str, unit: Decimal = Decimal(1)) -> int | None:
        for key in keys:
            amount = _quantity(amounts.get(key))
            if amount is not None:
                return round_(amount / unit)
        return None

    whole_gpus = [round_(amount) for r in sorted(WHOLE_GPUS) if (amount := _quantity(amounts.get(f"requests.{r}")))
                  is not None]  # fmt: skip
    compute = {
        "cores": first("requests.cpu", "cpu"),
        "ram": first("requests.memory", "memory", unit=MIB),
        "gpus": sum(whole_gpus) if whole_gpus else None,
        "instances": first("pods", "count/pods"),
    }
    storage = {"gigabytes": first("requests.storage", unit=GIB), "volumes": first("persistentvolumeclaims")}
    return ({k: v for k, v in compute.items() if v is not None}, {k: v for k, v in storage.items() if v is not None})


def gpu_scope(key: str) -> dict[str, str] | None:
    """The GPU scope of a ResourceQuota key naming a GPU vendor's extended resource
    (`requests.nvidia.com/mig-1g.5gb`), None for any other key."""
    resource = key.removeprefix("requests.")
    domain, _, name = resource.partition("/")
    if resource == key or domain not in GPU_VENDORS or not name:
        return None
    scope = {"gpuVendor": GPU_VENDORS[domain], "gpuResource": resource}
    if name.startswith("mig-"):  # a MIG profile: slices of that size, not whole GPUs
        scope["gpuModel"] = f"MIG {name.removeprefix('mig-')}"
    return scope


def storage_class_scope(key: str) -> tuple[str, str] | None:
    """(StorageClass, figure) of a per-class ResourceQuota key, None for any other key."""
    storage_class, found, resource = key.partition(STORAGE_CLASS_KEY)
    figure = {"requests.storage": "gigabytes", "persistentvolumeclaims": "volumes"}.get(resource)
    return (storage_class, figure) if found and storage_class and figure else None


def scoped_quotas(region: str, hard: dict[str, Any], used: dict[str, Any]) -> list[QuotaIn]:
    """A compute quota per GPU resource and a block-storage quota per StorageClass that the hard
    amounts limit, each as limit and as usage."""
    scopes: dict[tuple[str, tuple[tuple[str, str], ...]], dict[str, str]] = {}  # (service, scope) -> figure -> key
    for key in hard:
        if (gpu := gpu_scope(key)) is not None:
            scopes.setdefault(("compute", tuple(sorted(gpu.items()))), {})["gpus"] = key
        elif (per_class := storage_class_scope(key)) is not None:
            storage_class, figure = per_class
            scopes.setdefault(("blockStorage", (("volumeType", storage_class),)), {})[figure] = key
    found = []
    for (service, scope), keys in sorted(scopes.items()):
        for usage, amounts, round_ in ((False, hard, math.floor), (True, used, math.ceil)):
            figures = {}
            for figure, key in keys.items():
                amount = _quantity(amounts.get(key))
                if amount is not None:
                    figures[figure] = round_(amount / GIB if figure == "gigabytes" else amount)
            if figures:
                found.append(QuotaIn.model_validate(
                    {"region": region, "service": service, "usage": usage, **dict(scope), **figures}
                ))  # fmt: skip
    return found


def gpu_flavors(nodes: list[Any]) -> list[FlavorIn]:
    """One shared flavor per GPU node shape (vendor, model, count)."""
    shapes: dict[tuple[str, str, int], tuple[int, int]] = {}
    for node in nodes:
        labels = node.metadata.labels or {}
        for vendor, prefix in (("NVIDIA", "nvidia.com"), ("AMD", "amd.com")):
            model = labels.get(f"{prefix}/gpu.product") or labels.get(f"{prefix}/gpu.family")
            if not model:
                continue
            allocatable = node.status.allocatable or {}
            count = int(labels.get(f"{prefix}/gpu.count") or _quantity(allocatable.get(f"{prefix}/gpu")) or 0)
            if count <= 0:
                continue
            cpu = int(_quantity(allocatable.get("cpu")) or 0)
            ram = int((_quantity(allocatable.get("memory")) or 0) / MIB)
            key = (vendor, model, count)
            known = shapes.get(key)
            shapes[key] = (min(cpu, known[0]), min(ram, known[1])) if known else (cpu, ram)
    flavors = []
    for (vendor, model, count), (cpu, ram) in sorted(shapes.items()):
        name = f"gpu-{model}-x{count}".lower().replace(" ", "-")
        flavors.append(
            FlavorIn(
                uuid=f"k8s-{name}",
                name=name,
                vcpus=cpu,
                ram=ram,
                gpus=count,
                gpu_model=model,
                gpu_vendor=vendor,
                description=f"Nodes with {count} × {vendor} {model}",
            )
        )
    return flavors


class KubernetesHarvester:
    def __init__(self, config: FeederConfig, provider: KubernetesProvider) -> None:
        self.config = config
        self.provider = provider
        self.deadline = Deadline(provider.timeout)
        self.failures: list[Failure] = []
        self.region = provider.regions[0].name

    def _call(self, part: str, read: Callable[[float], T]) -> T | None:
        left = self.deadline.left()
        try:
            return read(left)
        except Exception as error:
            self.deadline.blame()
            reason = getattr(error, "reason", None)
            status = getattr(error, "status", None)
            message = f"HTTP {status} {reason}" if status else safe_message(error)
            self.failures.append(Failure(self.region, part, message))
            return None

    def _api(self) -> client.ApiClient:
        configuration = client.Configuration()
        configuration.host = self.provider.api_server.rstrip("/")
        configuration.api_key = {"authorization": self.provider.token.read()}
        configuration.api_key_prefix = {"authorization": "Bearer"}
        if self.provider.ca_file is not None:
            configuration.ssl_ca_cert = str(self.provider.ca_file)
        # The site's proxy by the OpenStack harvest's rule, whatever the client version reads itself.
        configuration.proxy, configuration.proxy_headers = SiteProxy().settings(configuration.host)
        configuration.no_proxy = None
        return client.ApiClient(configuration)

    def harvest(self) -> Harvest:
        started = time.monotonic()
        result = Harvest(self.provider.name)
        try:
            api = self._api()
        except ValueError as error:
            result.failures = [Failure("", "credentials", str(error))]
            return result
        try:
            with api:
                result.bundle = self._read(api)
        except DeadlineExceeded as error:
            self.failures.append(Failure("", "", str(error)))
        result.failures = self.failures
        if result.failures:
            result.bundle = None
        result.seconds = time.monotonic() - started
        return result

    def _read(self, api: client.ApiClient) -> ProviderBundle | None:
        core = client.CoreV1Api(api)
        storage = client.StorageV1Api(api)
        nodes = self._call("nodes", lambda t: core.list_node(_request_timeout=t).items)
        classes = self._call("storage classes", lambda t: storage.list_storage_class(_request_timeout=t).items)
        projects = [self._namespace(core, namespace) for namespace in self.provider.namespaces]
        if self.failures:
            return None
        endpoint = self.provider.api_server.rstrip("/")
        volume_types = []
        for storage_class in classes or []:
            meta = storage_class.metadata
            if meta is None or not meta.name:
                continue
            default = (meta.annotations or {}).get(DEFAULT_CLASS) == "true"
            description = storage_class.provisioner + (" (default)" if default else "")
            volume_types.append(VolumeTypeIn(name=meta.name, description=description))
        services = [
            ServiceIn(
                kind="compute", endpoint=endpoint, name="org.kubernetes.compute", flavors=gpu_flavors(nodes or [])
            ),
            ServiceIn(kind="blockStorage", endpoint=endpoint, name="org.kubernetes.storage", volume_types=volume_types),
        ]
        config = self.provider.regions[0]
        region = RegionIn(**config.model_dump(exclude={"location"}), location=config.location, services=services)
        trusts, idps = trusted_identity(self.config, self.provider)
        provider = ProviderIn(
            name=self.provider.name,
            type="kubernetes",
            status=self.provider.status,
            is_public=self.provider.is_public,
            support_emails=self.provider.support_emails,
            description=self.provider.description,
            trusts=trusts,
            regions=[region],
            projects=[p for p in projects if p is not None],
        )
        return ProviderBundle(provider=provider, identity_providers=idps)

    def _namespace(self, core: client.CoreV1Api, namespace: KubernetesNamespace) -> ProjectIn | None:
        quotas = self._call(
            f"resource quotas of {namespace.name}",
            lambda t: core.list_namespaced_resource_quota(namespace.name, _request_timeout=t).items,
        )
        if quotas is None:
            return None
        hard: dict[str, Any] = {}
        used: dict[str, Any] = {}
        for quota in quotas:  # several ResourceQuotas in a namespace: the tightest hard, the largest used
            declared = (quota.spec.hard if quota.spec else None) or {}
            for key, value in ((quota.status.hard if quota.status else None) or declared).items():
                if key not in hard or (_quantity(value) or 0) < (_quantity(hard[key]) or 0):
                    hard[key] = value
            for key, value in ((quota.status.used if quota.status else None) or {}).items():
                if key not in used or (_quantity(value) or 0) > (_quantity(used[key]) or 0):
                    used[key] = value
        compute_limit, storage_limit = _figures(hard, lambda d: math.floor(d))
        compute_used, storage_used = _figures(used, lambda d: math.ceil(d))
        found = []
        for service, limit, usage in (
            ("compute", compute_limit, compute_used),
            ("blockStorage", storage_limit, storage_used),
        ):
            if limit or usage:
                found.append(QuotaIn.model_validate({"region": self.region, "service": service, **limit}))
                found.append(
                    QuotaIn.model_validate({"region": self.region, "service": service, "usage": True, **usage})
                )
        found += scoped_quotas(self.region, hard, used)
        return ProjectIn(uuid=namespace.project_uuid, name=namespace.name, quotas=found)


def harvest_kubernetes(config: FeederConfig, provider: KubernetesProvider) -> Harvest:
    return KubernetesHarvester(config, provider).harvest()
