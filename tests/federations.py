"""Federations made up for tests: random ones (Hypothesis) and sized ones, plus the may-use rule
re-stated over the federation file, independently of the Cypher that implements it."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import strategies as st

from resolvers.federation_file import FederationFile, ProjectIn, ProviderIn

ISSUER = "https://iam.test.example/"
GROUP = "team/gpu"


@st.composite
def federations(draw: st.DrawFn, max_providers: int = 3) -> FederationFile:
    """1–3 providers, 1–2 regions each, compute and network services with shared and private
    flavors, images and networks; 1–3 projects per provider with random limit/usage quotas in
    random regions and random links to the provider's private resources."""
    providers = []
    slas = []
    for p in range(draw(st.integers(1, max_providers))):
        regions = []
        private: dict[str, list[str]] = {"flavors": [], "images": [], "networks": []}
        region_names = [f"r{r}" for r in range(draw(st.integers(1, 2)))]
        for region in region_names:
            flavors, images, networks = [], [], []
            for k in range(draw(st.integers(0, 4))):
                shared = draw(st.booleans())
                gpus = draw(st.integers(0, 2))
                flavors.append(
                    {
                        "uuid": f"f-{region}-{k}",
                        "name": f"flavor{k}",
                        "isShared": shared,
                        "gpus": gpus,
                        "gpuModel": "A100" if gpus else None,
                        "vcpus": draw(st.integers(1, 8)),
                    }
                )
                if not shared:
                    private["flavors"].append(f"f-{region}-{k}")
            for k in range(draw(st.integers(0, 2))):
                shared = draw(st.booleans())
                images.append({"uuid": f"i-{region}-{k}", "name": f"image{k}", "isShared": shared})
                if not shared:
                    private["images"].append(f"i-{region}-{k}")
            for k in range(draw(st.integers(0, 2))):
                shared = draw(st.booleans())
                networks.append({"uuid": f"n-{region}-{k}", "name": f"net{k}", "isShared": shared})
                if not shared:
                    private["networks"].append(f"n-{region}-{k}")
            regions.append({"name": region, "services": [
                {"kind": "compute", "endpoint": f"https://nova.{region}.p{p}.test", "name": "org.openstack.nova",
                 "flavors": flavors, "images": images},
                {"kind": "network", "endpoint": f"https://neutron.{region}.p{p}.test", "name": "org.openstack.neutron",
                 "networks": networks},
            ]})  # fmt: skip
        projects = []
        for j in range(draw(st.integers(1, 3))):
            combos = [(r, kind, per_user, usage) for r in region_names for kind in ("compute", "network")
                      for per_user in (False, True) for usage in (False, True) if not (per_user and usage)]  # fmt: skip
            chosen = draw(st.lists(st.sampled_from(combos), unique=True, max_size=4))
            quotas = [{"region": r, "service": kind, "perUser": per_user, "usage": usage,
                       **({"cores": 10} if kind == "compute" else {"ports": 10})}
                      for r, kind, per_user, usage in chosen]  # fmt: skip
            links = {kind: draw(st.lists(st.sampled_from(uuids), unique=True)) if uuids else []
                     for kind, uuids in private.items()}  # fmt: skip
            projects.append({
                "uuid": f"proj-{p}-{j}", "name": f"project{j}", "quotas": quotas,
                "privateFlavors": links["flavors"], "privateImages": links["images"],
                "privateNetworks": links["networks"],
            })  # fmt: skip
            slas.append({"provider": f"P{p}", "project": f"proj-{p}-{j}"})
        providers.append({"name": f"P{p}", "type": "openstack", "regions": regions, "projects": projects})
    return FederationFile.model_validate({
        "identityProviders": [{"endpoint": ISSUER, "groupClaim": "groups", "userGroups": [
            {"name": GROUP, "slas": [{"docUuid": "sla-all", "startDate": "2024-01-01", "endDate": "2035-12-31",
                                      "projects": slas}]}]}],
        "providers": providers,
    })  # fmt: skip


def may_use(provider: ProviderIn, project: ProjectIn) -> dict[str, set[tuple[str, str]]]:
    """(region, uuid) of the flavors, images and networks `project` may use, by the written rule:
    shared resources of services it holds a limit (non-usage) quota on, plus its private ones."""
    limit_quota_on = {(q.region, q.service) for q in project.quotas if not q.usage}
    usable: dict[str, set[tuple[str, str]]] = {"flavors": set(), "images": set(), "networks": set()}
    linked = {"flavors": set(project.private_flavors), "images": set(project.private_images),
              "networks": set(project.private_networks)}  # fmt: skip
    for region in provider.regions:
        for service in region.services:
            for kind, resources in (("flavors", service.flavors), ("images", service.images),
                                    ("networks", service.networks)):  # fmt: skip
                for resource in resources:
                    shared_here = resource.is_shared and (region.name, service.kind) in limit_quota_on
                    if shared_here or resource.uuid in linked[kind]:
                        usable[kind].add((region.name, resource.uuid))
    return usable


def sized_federation(providers: int, *, seed: int = 7) -> FederationFile:
    """A deterministic federation of `providers` providers, each with 2 regions, 6 flavors (2 GPU)
    and 3 images per region, one project covered by the group's SLA, quotas in one region."""
    rng = random.Random(seed)
    provider_list: list[dict[str, Any]] = []
    covered = []
    for p in range(providers):
        regions = []
        for r in range(2):
            flavors = [{"uuid": f"f{r}{k}", "name": f"cpu.{k}", "vcpus": 2**k, "ram": 2048 * 2**k} for k in range(4)]
            flavors += [{"uuid": f"g{r}{k}", "name": f"gpu.{k}", "vcpus": 8, "gpus": k + 1, "gpuVendor": "NVIDIA",
                         "gpuModel": rng.choice(["A100", "V100", "T4"])} for k in range(2)]  # fmt: skip
            images = [{"uuid": f"i{r}{k}", "name": f"ubuntu-{k}", "cudaSupport": k == 0} for k in range(3)]
            regions.append({"name": f"region-{r}", "location": {"site": f"site-{p}-{r}", "country": "IT"},
                            "services": [
                                {"kind": "compute", "endpoint": f"https://nova.{r}.p{p}.test",
                                 "name": "org.openstack.nova", "flavors": flavors, "images": images},
                                {"kind": "network", "endpoint": f"https://neutron.{r}.p{p}.test",
                                 "name": "org.openstack.neutron",
                                 "networks": [{"uuid": f"pub{r}", "name": "public", "isRouterExternal": True}]},
                            ]})  # fmt: skip
        quotas = [{"region": "region-0", "service": "compute", "cores": 100, "gpus": 4},
                  {"region": "region-0", "service": "compute", "usage": True, "cores": 10, "gpus": 1},
                  {"region": "region-0", "service": "network", "ports": 50}]  # fmt: skip
        provider_list.append(
            {
                "name": f"PROVIDER-{p:03d}",
                "type": "openstack",
                "regions": regions,
                "projects": [{"uuid": f"project-{p}", "name": "gpu-team", "quotas": quotas}],
            }
        )
        covered.append({"provider": f"PROVIDER-{p:03d}", "project": f"project-{p}"})
    return FederationFile.model_validate({
        "identityProviders": [{"endpoint": ISSUER, "groupClaim": "groups", "userGroups": [
            {"name": GROUP, "slas": [{"docUuid": "sla-sized", "startDate": "2024-01-01", "endDate": "2035-12-31",
                                      "projects": covered}]}]}],
        "providers": provider_list,
    })  # fmt: skip


INFN = "https://iam.cloud.infn.it/"  # the development issuer's realms stand in for these two
EGI = "https://aai.egi.eu/auth/realms/egi"
GROUP_NAMES = ("vo.a", "vo.b", "team/c")


@st.composite
def shared_federations(draw: st.DrawFn) -> FederationFile:
    """A random federation (see `federations`) whose projects are shared out between user groups
    of two issuers, each group agreeing 0–2 SLAs that cover random projects."""
    base = draw(federations(max_providers=2))
    projects = [(p.name, project.uuid) for p in base.providers for project in p.projects]
    identity_providers = []
    sla_number = 0
    for endpoint in (INFN, EGI):
        groups = []
        for name in draw(st.lists(st.sampled_from(GROUP_NAMES), unique=True, max_size=3)):
            slas = []
            for _ in range(draw(st.integers(0, 2))):
                covered = draw(st.lists(st.sampled_from(projects), unique=True, max_size=2))
                slas.append({"docUuid": f"sla-{sla_number}", "startDate": "2024-01-01", "endDate": "2035-12-31",
                             "projects": [{"provider": p, "project": u} for p, u in covered]})  # fmt: skip
                sla_number += 1
            groups.append({"name": name, "slas": slas})
        identity_providers.append({"endpoint": endpoint, "groupClaim": "groups", "userGroups": groups})
    data = base.model_dump(by_alias=True, exclude={"identity_providers"})
    return FederationFile.model_validate({**data, "identityProviders": identity_providers})


def entitled(federation: FederationFile, endpoint: str, groups: set[str]) -> dict[str, set[str]]:
    """What a caller whose token lists `groups` at `endpoint` may see of the group-owned data."""
    seen: dict[str, set[str]] = {"groups": set(), "slas": set(), "projects": set(), "private": set()}
    for idp in federation.identity_providers:
        for group in idp.user_groups:
            if idp.endpoint == endpoint and group.name in groups:
                seen["groups"].add(f"{idp.endpoint} {group.name}")
                for sla in group.slas:
                    seen["slas"].add(sla.doc_uuid)
                    seen["projects"] |= {ref.project for ref in sla.projects}
    for provider in federation.providers:
        for project in provider.projects:
            if project.uuid in seen["projects"]:
                seen["private"] |= {*project.private_flavors, *project.private_images, *project.private_networks}
    return seen


def everything(federation: FederationFile) -> dict[str, set[str]]:
    all_groups = {f"{i.endpoint} {g.name}" for i in federation.identity_providers for g in i.user_groups}
    private = {
        r.uuid
        for p in federation.providers
        for region in p.regions
        for s in region.services
        for r in [*s.flavors, *s.images, *s.networks]
        if not r.is_shared
    }
    return {
        "groups": all_groups,
        "slas": {s.doc_uuid for i in federation.identity_providers for g in i.user_groups for s in g.slas},
        "projects": {project.uuid for p in federation.providers for project in p.projects},
        "private": private,
    }
