"""Synthetic federations at the benchmark's three scales, deterministic for a seed.

Every scale has the shapes the questions care about: providers in maintenance, SLAs in force and
expired, projects with limit, per-user and usage quotas in some of their provider's regions (so
shared flavors of other regions are not usable), private flavors, images and networks linked to one
project, GPU flavors and CUDA images among many plain ones. The benchmark caller is user group 0 of
the first issuer: it holds several SLAs, each covering projects at several providers.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from typing import Any

from resolvers.federation_file import FederationFile

INFN = "https://iam.cloud.infn.it/"
EGI = "https://aai.egi.eu/auth/realms/egi"
GPU_MODELS = (("NVIDIA", "A100"), ("NVIDIA", "V100"), ("NVIDIA", "T4"), ("NVIDIA", "H100"), ("AMD", "MI250"))
DISTROS = (("ubuntu", "22.04"), ("ubuntu", "24.04"), ("almalinux", "9.4"), ("rocky", "9.3"), ("debian", "12"))


@dataclass(frozen=True)
class Scale:
    """How big a federation is. Ranges are inclusive (low, high) and drawn per item."""

    name: str
    providers: int
    regions_per_provider: tuple[int, int]
    user_groups: int
    projects_per_group: tuple[int, int]  # group–project pairs, spread over the group's SLAs
    flavors_per_compute: tuple[int, int]
    images_per_compute: tuple[int, int]
    networks_per_service: tuple[int, int] = (2, 4)

    @property
    def caller(self) -> dict[str, str]:
        """The user group every benchmark request asks about, and its issuer."""
        return {"group": "vo.bench.000", "issuer": INFN}


SCALES: dict[str, Scale] = {
    # Like the example federation: about 8 provider-regions.
    "infn": Scale(
        "infn",
        providers=6,
        regions_per_provider=(1, 2),
        user_groups=4,
        projects_per_group=(2, 3),
        flavors_per_compute=(6, 12),
        images_per_compute=(5, 10),
    ),
    # 30 providers, 150 group–project pairs, 50–150 flavors and 100–300 images per compute service.
    "egi": Scale(
        "egi",
        providers=30,
        regions_per_provider=(1, 2),
        user_groups=30,
        projects_per_group=(5, 5),
        flavors_per_compute=(50, 150),
        images_per_compute=(100, 300),
    ),
    # 200 providers with 3 regions each, 1,000 user groups.
    "stress": Scale(
        "stress",
        providers=200,
        regions_per_provider=(3, 3),
        user_groups=1000,
        projects_per_group=(1, 3),
        flavors_per_compute=(20, 40),
        images_per_compute=(20, 40),
    ),
}


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _flavor(rng: random.Random, k: int, *, shared: bool = True) -> dict[str, Any]:
    vcpus = rng.choice((1, 2, 4, 8, 16, 32, 64))
    flavor: dict[str, Any] = {"uuid": _uuid(rng), "name": f"m{k % 7}.{vcpus}c.{k}", "vcpus": vcpus,
                              "ram": vcpus * rng.choice((1024, 2048, 4096)), "disk": rng.choice((20, 40, 80, 160)),
                              "isShared": shared}  # fmt: skip
    if not shared or rng.random() < 0.2:
        vendor, model = rng.choice(GPU_MODELS)
        flavor.update(name=f"g{k % 5}.{model.lower()}.{k}", gpus=rng.choice((1, 2, 4, 8)), gpuVendor=vendor,
                      gpuModel=model, infiniband=rng.random() < 0.3)  # fmt: skip
    return flavor


def _image(rng: random.Random, k: int, *, shared: bool = True) -> dict[str, Any]:
    distro, version = rng.choice(DISTROS)
    cuda = not shared or rng.random() < 0.2
    return {"uuid": _uuid(rng), "name": f"{distro}-{version}{'-cuda' if cuda else ''}-{k}", "osType": "Linux",
            "osDistro": distro, "osVersion": version, "architecture": rng.choice(("x86_64", "aarch64")),
            "cudaSupport": cuda, "gpuDriver": cuda, "isShared": shared}  # fmt: skip


def _network(rng: random.Random, k: int, *, shared: bool = True, owner: str = "") -> dict[str, Any]:
    if shared:
        return {"uuid": _uuid(rng), "name": f"public-{k}", "isRouterExternal": k == 0, "isShared": True}
    return {"uuid": _uuid(rng), "name": f"{owner}-net", "isDefault": True, "isShared": False,
            "proxyHost": f"bastion-{k}.example.org", "proxyUser": owner}  # fmt: skip


def synthetic_federation(scale: Scale, *, seed: int = 20261122) -> FederationFile:
    rng = random.Random(f"{scale.name}/{seed}")
    # Which group holds a project at which provider: every group gets its pairs, spread round-robin
    # with a random start so providers are shared by many groups.
    group_names = [f"vo.bench.{g:03d}" for g in range(scale.user_groups)]
    holdings: dict[int, list[tuple[str, str]]] = {p: [] for p in range(scale.providers)}  # (group, project)s
    for group in group_names:
        count = rng.randint(*scale.projects_per_group)
        start = rng.randrange(scale.providers)
        for j in range(min(count, scale.providers)):
            holdings[(start + j * 7) % scale.providers].append((group, f"{group}-p{j}"))

    providers: list[dict[str, Any]] = []
    covered: dict[str, list[dict[str, str]]] = {group: [] for group in group_names}
    for p in range(scale.providers):
        name = f"PROVIDER-{p:03d}"
        status = "maintenance" if p % 10 == 9 else "active"
        regions: list[dict[str, Any]] = []
        region_names = [f"region-{r}" for r in range(rng.randint(*scale.regions_per_provider))]
        projects: list[dict[str, Any]] = [
            {"uuid": _uuid(rng), "name": project, "group": group} for group, project in holdings[p]
        ]
        for r, region in enumerate(region_names):
            compute: dict[str, Any] = {"kind": "compute", "name": "org.openstack.nova",
                       "endpoint": f"https://nova.{r}.p{p}.example.org",
                       "flavors": [_flavor(rng, k) for k in range(rng.randint(*scale.flavors_per_compute))],
                       "images": [_image(rng, k) for k in range(rng.randint(*scale.images_per_compute))]}  # fmt: skip
            networks = [_network(rng, k) for k in range(rng.randint(*scale.networks_per_service))]
            network: dict[str, Any] = {"kind": "network", "name": "org.openstack.neutron",
                       "endpoint": f"https://neutron.{r}.p{p}.example.org", "networks": networks}  # fmt: skip
            # Half of the projects get private resources in this region.
            for project in projects:
                if rng.random() < 0.5:
                    flavor = _flavor(rng, 1000 + len(compute["flavors"]), shared=False)
                    image = _image(rng, 1000 + len(compute["images"]), shared=False)
                    net = _network(rng, 1000, shared=False, owner=project["name"])
                    compute["flavors"].append(flavor)
                    compute["images"].append(image)
                    network["networks"].append(net)
                    project.setdefault("privateFlavors", []).append(flavor["uuid"])
                    project.setdefault("privateImages", []).append(image["uuid"])
                    project.setdefault("privateNetworks", []).append(net["uuid"])
            regions.append({
                "name": region, "overbookingCpu": rng.choice((1.0, 1.5, 2.0)), "overbookingRam": 1.0,
                "bandwidthIn": rng.choice((10.0, 40.0, 100.0)), "bandwidthOut": 10.0,
                "location": {"site": f"SITE-{p:03d}-{r}", "country": rng.choice(("IT", "DE", "FR", "CZ", "NL", "ES")),
                             "latitude": round(rng.uniform(36, 60), 4), "longitude": round(rng.uniform(-5, 25), 4)},
                "services": [compute, network,
                             {"kind": "identity", "name": "org.openstack.keystone",
                              "endpoint": f"https://keystone.{r}.p{p}.example.org/v3"}],
            })  # fmt: skip
        project_list = []
        for project in projects:
            # Limit quotas in some regions only (never all, when there are several): the shared
            # resources of the others must not be offered to the project.
            quota_regions = region_names if len(region_names) == 1 else rng.sample(region_names, len(region_names) - 1)
            quotas: list[dict[str, Any]] = []
            for region in quota_regions:
                quotas += [
                    {"region": region, "service": "compute", "cores": rng.choice((100, 500, -1)), "instances": 50,
                     "ram": 1024000, "gpus": rng.choice((0, 4, 16))},
                    {"region": region, "service": "compute", "perUser": True, "cores": 20, "instances": 10},
                    {"region": region, "service": "compute", "usage": True, "cores": rng.randint(0, 100),
                     "instances": rng.randint(0, 50), "ram": rng.randint(0, 10**6), "gpus": rng.randint(0, 4)},
                    {"region": region, "service": "network", "publicIps": 5, "networks": 10, "ports": 100},
                ]  # fmt: skip
            project_list.append({key: value for key, value in project.items() if key != "group"} | {"quotas": quotas})
            covered[project["group"]].append({"provider": name, "project": project["uuid"]})
        providers.append({
            "name": name, "type": "openstack", "status": status, "isPublic": p % 3 == 0,
            "supportEmails": [f"support@p{p}.example.org"],
            "trusts": [{"issuer": INFN, "idpName": "infn-cc", "audience": f"keystone-p{p}"},
                       {"issuer": EGI, "idpName": "egi.eu"}],
            "regions": regions, "projects": project_list,
        })  # fmt: skip

    def slas(group: str) -> list[dict[str, Any]]:
        # Projects are spread over two SLAs in force; a third, expired one covers the first project.
        refs = covered[group]
        result = [
            {"docUuid": f"{group}-sla-{k}", "startDate": "2024-01-01", "endDate": "2035-12-31", "projects": part}
            for k, part in enumerate((refs[0::2], refs[1::2]))
            if part
        ]
        if refs:
            result.append({"docUuid": f"{group}-sla-old", "startDate": "2021-01-01", "endDate": "2023-12-31",
                           "projects": refs[:1]})  # fmt: skip
        return result

    half = (len(group_names) + 1) // 2
    issuers = [
        {"endpoint": INFN, "groupClaim": "groups",
         "userGroups": [{"name": group, "slas": slas(group)} for group in group_names[:half]]},
        {"endpoint": EGI, "groupClaim": "eduperson_entitlement",
         "userGroups": [{"name": group, "slas": slas(group)} for group in group_names[half:]]},
    ]  # fmt: skip
    return FederationFile.model_validate({"identityProviders": issuers, "providers": providers})
