"""Property: over random federations, callers and requests, placements equal the rule's plain-Python
statement (tests/placement/rule.py), and no placement names a node the caller may not see."""

from __future__ import annotations

from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resolvers.db import Database
from resolvers.federation_file import FederationFile
from tests.conftest import Issuer, replace_graph
from tests.federations import INFN
from tests.graphql_client import ask
from tests.placement import rule

GROUPS = ("g0", "g1")
QUERY = """query($group: String!, $request: DeploymentRequest!) {
  userGroup(name: $group, issuer: "https://iam.cloud.infn.it/") { placements(request: $request) {
    rank fits score sla { id docUuid } project { uuid } provider { id name } region { id name }
    computeService { id endpoint } flavors { uuid isShared } images { uuid isShared }
    remaining { resource scope { gpuVendor gpuModel gpuResource } requested project perUser remaining fits }
    reasons { code subjectId } } } }"""
IDS = """{ providers(first: 100) { nodes { id regions { id computeServices { id } } } }
  slas(first: 100) { nodes { id docUuid } } }"""

figure = st.one_of(st.none(), st.just(-1), st.integers(0, 12))
gpu_scopes = st.fixed_dictionaries(
    {},
    optional={
        "gpuVendor": st.sampled_from(["NVIDIA", "amd"]),
        "gpuModel": st.sampled_from(["a100", "H100", "MIG 1g.5gb"]),
        "gpuResource": st.sampled_from(["nvidia.com/gpu"]),
    },
).filter(bool)


@st.composite
def gpu_scoped_quotas(draw: st.DrawFn) -> list[dict[str, Any]]:
    """0–2 GPU scopes on a compute service, each with a random limit, per-user limit and usage (gpus only)."""
    quotas = []
    for scope in draw(st.lists(gpu_scopes, max_size=2, unique_by=lambda s: tuple(sorted(s.items())))):
        for per_user, usage in draw(st.lists(st.sampled_from([(False, False), (True, False), (False, True)]),
                                             unique=True)):  # fmt: skip
            gpus = draw(figure)
            quotas.append({**scope, "perUser": per_user, "usage": usage,
                           **({"gpus": abs(gpus) if usage else gpus} if gpus is not None else {})})  # fmt: skip
    return quotas


@st.composite
def placement_federations(draw: st.DrawFn) -> FederationFile:
    """1–2 providers (active or not), 1–2 regions, 1–2 compute services per region and maybe block storage
    and network; flavors and images with random figures, shared or private; 1–2 projects per provider with
    random limit, per-user and usage quotas; two groups whose SLAs (in force or expired) cover them."""
    providers, projects_by_provider = [], []
    for p in range(draw(st.integers(1, 2))):
        regions, private = [], []
        region_names = [f"r{r}" for r in range(draw(st.integers(1, 2)))]
        services_of: dict[str, list[tuple[str, str]]] = {}
        for region in region_names:
            services = []
            for c in range(draw(st.integers(1, 2))):
                flavors, images = [], []
                for k in range(draw(st.integers(0, 3))):
                    gpus = draw(st.integers(0, 2))
                    shared = draw(st.booleans())
                    uuid = f"f-{p}-{region}-{c}-{k}"
                    flavors.append({"uuid": uuid, "name": f"flavor{k}", "isShared": shared,
                                    "vcpus": draw(st.integers(1, 8)), "ram": draw(st.sampled_from([1024, 4096, 8192])),
                                    "gpus": gpus, **({"gpuVendor": draw(st.sampled_from(["NVIDIA", "AMD"])),
                                                      "gpuModel": draw(st.sampled_from(["A100-SXM4", "H100"]))}
                                                     if gpus else {})})  # fmt: skip
                    if not shared:
                        private.append(("privateFlavors", uuid))
                for k in range(draw(st.integers(0, 2))):
                    shared = draw(st.booleans())
                    uuid = f"i-{p}-{region}-{c}-{k}"
                    images.append({"uuid": uuid, "name": f"image{k}", "isShared": shared,
                                   "osDistro": draw(st.sampled_from(["ubuntu", "almalinux"])),
                                   "cudaVersion": draw(st.sampled_from([None, "11.8", "12.2"]))})  # fmt: skip
                    if not shared:
                        private.append(("privateImages", uuid))
                endpoint = f"https://nova{c}.{region}.p{p}.test"
                services.append({"kind": "compute", "name": "nova", "endpoint": endpoint, "flavors": flavors,
                                 "images": images})  # fmt: skip
                services_of.setdefault(region, []).append(("compute", endpoint))
            for kind in ("blockStorage", "network"):
                if draw(st.booleans()):
                    endpoint = f"https://{kind}.{region}.p{p}.test"
                    services.append({"kind": kind, "name": kind, "endpoint": endpoint})
                    services_of.setdefault(region, []).append((kind, endpoint))
            regions.append({"name": region, "services": services})
        projects = []
        for j in range(draw(st.integers(1, 2))):
            quotas = []
            for region, services in services_of.items():
                for kind, endpoint in services:
                    names = {"compute": ("cores", "ram", "instances", "gpus"), "blockStorage": ("gigabytes",),
                             "network": ("publicIps",)}[kind]  # fmt: skip
                    for per_user, usage in draw(st.lists(st.sampled_from([(False, False), (True, False),
                                                                          (False, True)]), unique=True)):  # fmt: skip
                        figures = {n: v for n in names if (v := draw(figure)) is not None}
                        if usage:
                            figures = {n: abs(v) for n, v in figures.items()}
                        quotas.append({"region": region, "service": kind, "endpoint": endpoint,
                                       "perUser": per_user, "usage": usage, **figures})  # fmt: skip
                    if kind == "compute":
                        quotas += [{"region": region, "service": kind, "endpoint": endpoint, **q}
                                   for q in draw(gpu_scoped_quotas())]  # fmt: skip
                    if kind == "blockStorage" and draw(st.booleans()):  # per volume type: not applied (README)
                        quotas.append({"region": region, "service": kind, "endpoint": endpoint, "volumeType": "ssd",
                                       "gigabytes": draw(st.integers(0, 12))})  # fmt: skip
            links: dict[str, list[str]] = {"privateFlavors": [], "privateImages": []}
            for key, uuid in draw(st.lists(st.sampled_from(private), unique=True)) if private else []:
                links[key].append(uuid)
            projects.append({"uuid": f"proj-{p}-{j}", "name": f"project{j}", "quotas": quotas, **links})
        status = draw(st.sampled_from(["active", "active", "maintenance"]))
        providers.append({"name": f"P{p}", "type": "openstack", "status": status, "regions": regions,
                          "projects": projects})  # fmt: skip
        projects_by_provider += [(f"P{p}", project["uuid"]) for project in projects]
    groups = []
    for g, name in enumerate(GROUPS):
        slas = []
        for s in range(draw(st.integers(0, 2))):
            covered = draw(st.lists(st.sampled_from(projects_by_provider), unique_by=lambda x: x[0], max_size=2))
            expired = draw(st.booleans())
            slas.append({"docUuid": f"sla-{g}-{s}", "startDate": "2020-01-01" if expired else "2024-01-01",
                         "endDate": "2021-12-31" if expired else "2035-12-31",
                         "projects": [{"provider": p, "project": u} for p, u in covered]})  # fmt: skip
        groups.append({"name": name, "slas": slas})
    return FederationFile.model_validate({
        "identityProviders": [{"endpoint": INFN, "groupClaim": "groups", "userGroups": groups}],
        "providers": providers,
    })  # fmt: skip


requests = st.fixed_dictionaries(
    {},
    optional={
        "vcpus": st.integers(0, 6),
        "ram": st.sampled_from([0, 2048, 8192]),
        "gpus": st.integers(0, 2),
        "gpuVendor": st.sampled_from(["NVIDIA", "amd"]),
        "gpuModel": st.sampled_from(["a100", "H100"]),
        "instances": st.integers(1, 3),
        "blockStorage": st.integers(0, 12),
        "publicIps": st.integers(0, 3),
        "osDistro": st.sampled_from(["Ubuntu", "almalinux"]),
        "cudaVersionMin": st.sampled_from(["12", "11.8"]),
    },
)
callers = st.sampled_from(["g0", "g1", "both", "admin", "anonymous"])


def _scope(scope: dict[str, str | None] | None) -> rule.Scope | None:
    return None if scope is None else (scope["gpuVendor"], scope["gpuModel"], scope["gpuResource"])


def _token(issuer: Issuer, caller: str) -> str | None:
    if caller == "admin":
        return issuer.admin
    if caller == "anonymous":
        return None
    return issuer.token(*(GROUPS if caller == "both" else (caller,)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(federation=placement_federations(), caller=callers, group=st.sampled_from(GROUPS), request=requests)
async def test_placements_equal_the_rule_and_name_only_what_the_caller_may_see(
    federation: FederationFile, caller: str, group: str, request: dict[str, Any],
    database: Database, client: httpx.AsyncClient, issuer: Issuer,
) -> None:  # fmt: skip
    # given any federation, a caller, a group and a request
    await replace_graph(database, federation)

    # when the caller asks where the request fits for the group
    answer = await ask(client, QUERY, {"group": group, "request": request}, token=_token(issuer, caller))

    # then a caller who is not of the group (nor an administrator) learns nothing of it
    entitled = caller == "admin" or caller in (group, "both")
    if not entitled:
        assert answer.data["userGroup"] is None
        return
    got = answer.data["userGroup"]["placements"]
    expected = rule.placements(federation, INFN, group, request)
    assert [(p["provider"]["name"], p["region"]["name"], p["computeService"]["endpoint"], p["sla"]["docUuid"],
             p["project"]["uuid"]) for p in got] == [(e.provider, e.region, e.endpoint, e.sla, e.project)
                                                     for e in expected]  # fmt: skip
    for placement, want in zip(got, expected, strict=True):
        assert placement["fits"] == want.fits
        assert [f["uuid"] for f in placement["flavors"]] == want.flavors
        assert [i["uuid"] for i in placement["images"]] == want.images
        figures = {(x["resource"], _scope(x["scope"])): (x["requested"], x["project"], x["perUser"],
                                                          x["remaining"], x["fits"])
                   for x in placement["remaining"]}  # fmt: skip
        assert len(figures) == len(placement["remaining"])
        assert figures == want.remaining
        assert sorted(r["code"] for r in placement["reasons"]) == sorted(want.codes)
        assert abs(placement["score"] - want.score) < 1e-9
    assert [p["rank"] for p in got] == list(range(1, len(got) + 1))

    # and every node a placement names is one the caller may see: the group's SLAs, the public
    # catalogue (providers, regions, services), shared resources and its own projects' private ones
    ids = (await ask(client, IDS, token=issuer.admin)).data
    own_slas = {s["id"] for s in ids["slas"]["nodes"] if s["docUuid"].startswith(f"sla-{GROUPS.index(group)}-")}
    public = {n["id"] for p in ids["providers"]["nodes"] for n in [p, *p["regions"],
              *(c for r in p["regions"] for c in r["computeServices"])]}  # fmt: skip
    own_projects = {ref.project for i in federation.identity_providers for g in i.user_groups if g.name == group
                    for s in g.slas for ref in s.projects}  # fmt: skip
    own_private = {u for p in federation.providers for pr in p.projects if pr.uuid in own_projects
                   for u in (*pr.private_flavors, *pr.private_images)}  # fmt: skip
    for placement in got:
        assert placement["sla"]["id"] in own_slas
        assert {r["subjectId"] for r in placement["reasons"]} <= own_slas | public
        for resource in placement["flavors"] + placement["images"]:
            assert resource["isShared"] or resource["uuid"] in own_private
