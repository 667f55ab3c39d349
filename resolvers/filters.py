"""Filters of each node label, compiled into Cypher predicates over parameters (never values)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Per label: filter name -> predicate over the node `n` and the filter value `$v`.
# `$v` is rewritten to the parameter that carries the value; `p.today` is the server's date.
# Variables of subqueries are prefixed `flt_` so they can never capture a variable of the walk.
_NAME = {
    "ids": "n.uid IN $v",
    "name": "n.name = $v",
    "name_contains": "toLower(n.name) CONTAINS toLower($v)",
}
_SHARED = {"is_shared": "n.isShared = $v", "tag": "$v IN coalesce(n.tags, [])"}

PREDICATES: dict[str, dict[str, str]] = {
    "Provider": {
        **_NAME,
        "type": "n.type IN $v",
        "status": "n.status IN $v",
        "is_public": "n.isPublic = $v",
    },
    "Region": {
        **_NAME,
        "provider_id": "EXISTS { (n)<-[:DIVIDED_INTO]-(:Provider {uid: $v}) }",
        "identity_endpoint": "EXISTS { (n)-[:SUPPLIES]->(:IdentityService {endpoint: $v}) }",
        "country": "EXISTS { (n)-[:LOCATED_AT]->(flt_location:Location)"
        " WHERE flt_location.country = $v OR flt_location.countryCode = $v }",
        "public_ip_assignable": "n.publicIpAssignable = $v",
    },
    "Location": {"ids": "n.uid IN $v", "site": "n.site = $v", "country": "(n.country = $v OR n.countryCode = $v)"},
    "IdentityProvider": {"ids": "n.uid IN $v", "endpoint": "n.endpoint = $v"},
    "UserGroup": {
        **_NAME,
        "issuer": "EXISTS { (n)-[:BELONGS_TO]->(:IdentityProvider {endpoint: $v}) }",
    },
    "SLA": {
        "ids": "n.uid IN $v",
        "doc_uuid": "n.docUuid = $v",
        "in_force": "((n.startDate <= p.today AND p.today <= n.endDate) = $v)",
        "in_force_on": "(n.startDate <= $v AND $v <= n.endDate)",
        "provider_status": "EXISTS { (n)-[:COVERS]->(:Project)<-[:HOSTS]-(flt_provider:Provider)"
        " WHERE flt_provider.status IN $v }",
    },
    "Project": {
        **_NAME,
        "uuid": "n.uuid = $v",
        "provider_id": "EXISTS { (n)<-[:HOSTS]-(:Provider {uid: $v}) }",
        "provider_status": "EXISTS { (n)<-[:HOSTS]-(flt_provider:Provider) WHERE flt_provider.status IN $v }",
        "user_group_id": "EXISTS { (n)<-[:COVERS]-(:SLA)<-[:AGREES]-(:UserGroup {uid: $v}) }",
        "user_group": "EXISTS { (n)<-[:COVERS]-(:SLA)<-[:AGREES]-(:UserGroup {name: $v.name})"
        "-[:BELONGS_TO]->(:IdentityProvider {endpoint: $v.issuer}) }",
    },
    "Service": {"ids": "n.uid IN $v", "name": "n.name = $v", "endpoint": "n.endpoint = $v"},
    "Flavor": {
        **_NAME,
        **_SHARED,
        "uuid": "n.uuid = $v",
        "vcpus_min": "n.vcpus >= $v",
        "ram_min": "n.ram >= $v",
        "disk_min": "n.disk >= $v",
        "gpus_min": "n.gpus >= $v",
        "gpu_vendor": "toLower(n.gpuVendor) = toLower($v)",
        "gpu_model": "toLower(n.gpuModel) CONTAINS toLower($v)",
        "infiniband": "n.infiniband = $v",
        "local_storage": "n.localStorage = $v",
    },
    "Image": {
        **_NAME,
        **_SHARED,
        "uuid": "n.uuid = $v",
        "os_type": "n.osType = $v",
        "os_distro": "toLower(n.osDistro) = toLower($v)",
        "os_version": "n.osVersion = $v",
        "architecture": "n.architecture = $v",
        "cuda_support": "n.cudaSupport = $v",
        "gpu_driver": "n.gpuDriver = $v",
        # Versions compare as lists of numbers: 12.10 >= 12.4, and 12 < 12.4.
        "cuda_version_min": "[x IN split(n.cudaVersion, '.') | toInteger(x)] >= [x IN split($v, '.') | toInteger(x)]",
    },
    "Network": {
        **_NAME,
        **_SHARED,
        "uuid": "n.uuid = $v",
        "is_router_external": "n.isRouterExternal = $v",
        "is_default": "n.isDefault = $v",
    },
    "VolumeType": {"ids": "n.uid IN $v", "name": "n.name = $v"},
    "Quota": {
        "ids": "n.uid IN $v",
        "kind": "n.kind IN $v",
        "per_user": "n.perUser = $v",
        "usage": "n.usage = $v",
    },
}
# Filters of deployment targets are read by the walk itself (defaults apply when unset).
PREDICATES["DeploymentTarget"] = {
    "on": "true",
    "provider_status": "true",
    "region_name": "r.name = $v",
    "provider_id": "prov.uid = $v",
}
for _kind in ("ComputeService", "BlockStorageService", "NetworkService", "ObjectStoreService", "IdentityService"):
    PREDICATES[_kind] = PREDICATES["Service"]


class FilterError(ValueError):
    """A filter the label does not know (a programming error in the schema layer)."""


def compile_where(label: str, where: Mapping[str, Any] | None) -> tuple[str, dict[str, Any]]:
    """The predicate for `where` on label's nodes `n`, and the parameters it reads (as `p.f.<name>`).

    Unset (None) filters are left out; an empty list is a filter that matches nothing."""
    table = PREDICATES[label]
    clauses: list[str] = []
    values: dict[str, Any] = {}
    for name, value in sorted((where or {}).items()):
        if value is None:
            continue
        if name not in table:
            raise FilterError(f"{label} has no filter {name!r}")
        clauses.append(table[name].replace("$v", f"p.f.{name}"))
        values[name] = value
    return (" AND ".join(clauses) or "true"), values
