"""Provider bundles for tests: cut out of a federation file, and read back through GraphQL."""

from __future__ import annotations

from typing import Any

import httpx

from resolvers.federation_file import FederationFile
from tests.graphql_client import ask

QUOTA_KIND = {
    "compute": "COMPUTE",
    "blockStorage": "BLOCK_STORAGE",
    "network": "NETWORK",
    "objectStore": "OBJECT_STORE",
}

UPSERT = """mutation($bundle: JSON!) { upsertProviderBundle(bundle: $bundle) {
  created { label count } updated { label count } removed { label count }
  edgesCreated edgesUpdated edgesRemoved changed } }"""


def bundle_of(federation: FederationFile, provider: str) -> dict[str, Any]:
    """The bundle of one provider: it, and the identity providers with the SLAs covering its projects."""
    [chosen] = [p for p in federation.providers if p.name == provider]
    data = federation.model_dump(by_alias=True, mode="json", exclude_none=True)
    identity_providers = []
    for idp in data["identityProviders"]:
        groups = []
        for group in idp["userGroups"]:
            slas = [
                {**sla, "projects": [ref for ref in sla["projects"] if ref["provider"] == provider]}
                for sla in group["slas"]
            ]
            slas = [s for s in slas if s["projects"]]
            if slas:
                groups.append({**group, "slas": slas})
        if groups:
            identity_providers.append({**idp, "userGroups": groups})
    return {"provider": chosen.model_dump(by_alias=True, mode="json", exclude_none=True),
            "identityProviders": identity_providers}  # fmt: skip


READ_BACK = """query($name: String!) { providers(where: {name: $name}) { nodes {
  name type status isPublic supportEmails
  trusts { idpName protocol audience identityProvider { endpoint } }
  regions { name overbookingCpu overbookingRam publicIpAssignable location { site countryCode }
    computeServices { endpoint name microversion
      flavors { uuid name vcpus ram disk gpus gpuModel gpuVendor infiniband isShared }
      images { uuid name osDistro cudaSupport isShared } }
    networkServices { endpoint networks { uuid name isRouterExternal isDefault isShared } }
    blockStorageServices { endpoint volumeTypes { name qos } }
    objectStoreServices { endpoint dataLocation }
    identityServices { endpoint } }
  projects { uuid name privateFlavors { uuid } privateImages { uuid } privateNetworks { uuid }
    quotas { kind perUser usage ... on ComputeQuota { cores ram gpus instances } ... on NetworkQuota { ports } }
    slas { docUuid startDate endDate userGroup { name identityProvider { endpoint } } } }
} } }"""


async def stored_provider(client: httpx.AsyncClient, token: str, name: str) -> dict[str, Any] | None:
    nodes = (await ask(client, READ_BACK, {"name": name}, token=token)).data["providers"]["nodes"]
    return nodes[0] if nodes else None


def expected_provider(bundle: dict[str, Any]) -> dict[str, Any]:
    """What READ_BACK must answer for `bundle`, built from the bundle alone (GraphQL orders lists by name,
    endpoint or kind, so both sides are compared as sorted sets of rows)."""
    p = bundle["provider"]
    services = lambda r, kind: [s for s in r.get("services", []) if s["kind"] == kind]  # noqa: E731
    slas: dict[str, Any] = {}
    for idp in bundle["identityProviders"]:
        for group in idp["userGroups"]:
            for sla in group["slas"]:
                for ref in sla["projects"]:
                    slas.setdefault(ref["project"], []).append(
                        (sla["docUuid"], sla["startDate"], sla["endDate"], group["name"], idp["endpoint"])
                    )
    return {
        "name": p["name"],
        "regions": sorted(
            (r["name"],
             sorted((s["endpoint"], sorted((f["uuid"], f.get("vcpus", 0), f.get("gpus", 0), f.get("isShared", True))
                                          for f in s.get("flavors", [])),
                     sorted(i["uuid"] for i in s.get("images", []))) for s in services(r, "compute")),
             sorted((s["endpoint"], sorted(n["uuid"] for n in s.get("networks", []))) for s in services(r, "network")))
            for r in p.get("regions", [])
        ),
        "projects": sorted(
            (pr["uuid"], pr["name"], sorted(pr.get("privateFlavors", [])),
             sorted((QUOTA_KIND[q["service"]], q.get("perUser", False), q.get("usage", False))
                    for q in pr.get("quotas", [])),
             sorted(slas.get(pr["uuid"], [])))
            for pr in p.get("projects", [])
        ),
    }  # fmt: skip


def seen_provider(stored: dict[str, Any]) -> dict[str, Any]:
    """The same projection of what READ_BACK answered."""
    return {
        "name": stored["name"],
        "regions": sorted(
            (r["name"],
             sorted((s["endpoint"], sorted((f["uuid"], f["vcpus"], f["gpus"], f["isShared"]) for f in s["flavors"]),
                     sorted(i["uuid"] for i in s["images"])) for s in r["computeServices"]),
             sorted((s["endpoint"], sorted(n["uuid"] for n in s["networks"])) for s in r["networkServices"]))
            for r in stored["regions"]
        ),
        "projects": sorted(
            (pr["uuid"], pr["name"], sorted(f["uuid"] for f in pr["privateFlavors"]),
             sorted((q["kind"], q["perUser"], q["usage"]) for q in pr["quotas"]),
             sorted((s["docUuid"], s["startDate"], s["endDate"], s["userGroup"]["name"],
                     s["userGroup"]["identityProvider"]["endpoint"]) for s in pr["slas"]))
            for pr in stored["projects"]
        ),
    }  # fmt: skip
