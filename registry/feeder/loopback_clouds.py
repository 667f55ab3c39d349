"""OpenStack and Kubernetes APIs on loopback, answering from data files: what `registry feed --demo`,
the feeder's tests and `make bench-feed` harvest.

Each cloud is one JSON document (see examples/feeder/clouds/) whose resources are kept in the shapes
of the OpenStack API reference and of the Kubernetes API; this app serves them under
`/<cloud>/...`: Keystone v3 (application credentials, password, token, and OS-FEDERATION's OIDC
exchange) with a catalog naming this server's per-region endpoints, Nova, Glance, Neutron, Cinder,
Swift, and a Kubernetes API server. It enforces what a real cloud enforces that a feeder can get
wrong: credentials, the token's project scope, which private flavors and images a project sees (Nova
lists a project its public flavors and those it has access to; Glance's listing takes `visibility`,
`member_status`, `owner`, `status` and `tag` as Glance applies them), and pagination. `faults` of a
cloud make it misbehave on purpose: `hang` (never answers), `delay` (seconds before every answer),
`refuse` (401 on every login), `imagesFailAfter` (a 500 for a page that would take a listing past that
many images), `flavorAccessForbidden` (403 on flavor access lists, as Nova's default policy answers a
non-admin).

`LoopbackClouds(..., remember=True)` (the benchmark's) keeps each successful read's answer, bytes and
headers as first sent, per request (method, path, query, the API version asked) and per credentials
(the cloud, project and user the token stands for), and sends it again for the same request with the
same credentials, without routing or rendering it anew: the data must not change while it serves
(and `hits` counts only the first of each).
"""

from __future__ import annotations

import asyncio
import copy
import json
import secrets
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

GLANCE_PAGE = 20  # images per page unless asked, so that a feeder must follow `next`
LIMIT_MAX = 1000  # the most a page holds, whatever `limit` asks (Glance's api_limit_max, Nova's max_limit)
SERVICE_PATHS = {  # catalog type -> (path under the region, version suffix)
    "compute": ("compute", "/v2.1"),
    "image": ("image", ""),
    "network": ("network", ""),
    "volumev3": ("volume", "/v3/{project}"),
    "object-store": ("object", "/v1/AUTH_{project}"),
    "s3": ("s3", ""),
}


@dataclass
class _Token:
    cloud: str
    project: str | None  # None: unscoped (a federated login before it is scoped)
    user: str


@dataclass
class Clouds:
    """The clouds served, by name, and the tokens handed out (kept in memory while the server runs)."""

    clouds: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, _Token] = field(default_factory=dict)
    base_url: str = ""
    hits: Counter[tuple[str, str]] = field(default_factory=Counter)  # (cloud, API operation) -> requests
    busy: Counter[str] = field(default_factory=Counter)  # requests in progress per cloud
    peak_busy_clouds: int = 0  # the most clouds answering at one time (how parallel a harvest was)

    @classmethod
    def from_folder(cls, folder: Path) -> Clouds:
        return cls({path.stem: json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))})

    def add(self, name: str, cloud: dict[str, Any]) -> None:
        self.clouds[name] = copy.deepcopy(cloud)


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message


def _cloud(clouds: Clouds, request: Request) -> tuple[str, dict[str, Any]]:
    name = request.path_params["cloud"]
    cloud = clouds.clouds.get(name)
    if cloud is None:
        raise _Refused(404, f"no cloud {name}")
    return name, cloud


async def _misbehave(cloud: dict[str, Any]) -> None:
    faults = cloud.get("faults", {})
    if faults.get("hang"):
        await asyncio.sleep(3600)
    if faults.get("delay"):
        await asyncio.sleep(float(faults["delay"]))


def _token(clouds: Clouds, request: Request, name: str, *, scoped: bool = True) -> _Token:
    header = request.headers.get("x-auth-token") or request.headers.get("authorization", "").removeprefix("Bearer ")
    token = clouds.tokens.get(header)
    if token is None or token.cloud != name:
        raise _Refused(401, "The request you have made requires authentication.")
    if scoped and token.project is None:
        raise _Refused(401, "The token is not scoped to a project.")
    return token


def _project_of_path(token: _Token, request: Request) -> None:
    wanted = request.path_params.get("project")
    if wanted is not None and wanted != token.project:
        raise _Refused(403, f"Policy doesn't allow this token to read project {wanted}.")


def _region(cloud: dict[str, Any], request: Request) -> dict[str, Any]:
    region: dict[str, Any] | None = cloud["regions"].get(request.path_params["region"])
    if region is None:
        raise _Refused(404, "no such region")
    return region


def _catalog(clouds: Clouds, name: str, cloud: dict[str, Any], project: str) -> list[dict[str, Any]]:
    base = f"{clouds.base_url}/{name}"
    catalog = [
        {
            "id": uuid.uuid5(uuid.NAMESPACE_URL, f"{name}/identity").hex,
            "type": "identity",
            "name": "keystone",
            "endpoints": [
                {
                    "id": uuid.uuid5(uuid.NAMESPACE_URL, f"{name}/{r}/identity").hex,
                    "interface": "public",
                    "region": r,
                    "region_id": r,
                    "url": f"{base}/identity/v3",
                }
                for r in cloud["regions"]
            ],
        }
    ]
    for type_, (path, suffix) in SERVICE_PATHS.items():
        endpoints = [
            {
                "id": uuid.uuid5(uuid.NAMESPACE_URL, f"{name}/{region_name}/{type_}").hex,
                "interface": "public",
                "region": region_name,
                "region_id": region_name,
                "url": f"{base}/{region_name}/{path}{suffix.format(project=project)}",
            }
            for region_name, region in cloud["regions"].items()
            if type_ in region.get("services", list(SERVICE_PATHS))
        ]
        if endpoints:
            catalog.append(
                {
                    "id": uuid.uuid5(uuid.NAMESPACE_URL, f"{name}/{type_}").hex,
                    "type": type_,
                    "name": type_,
                    "endpoints": endpoints,
                }
            )
    return catalog


def _issue(clouds: Clouds, name: str, cloud: dict[str, Any], user: str, project: str | None) -> Response:
    token_id = secrets.token_hex(16)
    clouds.tokens[token_id] = _Token(name, project, user)
    # `tokenLifetime` (seconds, default an hour, as Keystone's): short ones show how clients renew them.
    lifetime = float(cloud.get("tokenLifetime", 3600))
    expires = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime(time.time() + lifetime))
    body: dict[str, Any] = {
        "methods": ["password"],
        "user": {"id": user, "name": user, "domain": {"id": "default", "name": "Default"}},
        "expires_at": expires,
        "issued_at": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime()),
        "audit_ids": [secrets.token_hex(8)],
    }
    if project is not None:
        known = {p["id"]: p for p in cloud["projects"]}
        body["project"] = {
            "id": project,
            "name": known[project]["name"],
            "domain": {"id": "default", "name": "Default"},
        }
        body["roles"] = [{"id": "member", "name": "member"}]
        body["catalog"] = _catalog(clouds, name, cloud, project)
    return JSONResponse({"token": body}, status_code=201, headers={"X-Subject-Token": token_id})


def _login(clouds: Clouds, name: str, cloud: dict[str, Any], auth: dict[str, Any]) -> Response:
    """POST /v3/auth/tokens: who the caller is, and the project the token is scoped to."""
    if cloud.get("faults", {}).get("refuse"):
        raise _Refused(401, "The request you have made requires authentication.")
    identity = auth.get("identity", {})
    methods = identity.get("methods", [])
    users = cloud.get("users", {})
    scope = auth.get("scope", {}).get("project", {}).get("id")
    member_of: list[str]
    if "application_credential" in methods:
        given = identity["application_credential"]
        known = users.get("applicationCredentials", {}).get(given.get("id"))
        if known is None or known["secret"] != given.get("secret"):
            raise _Refused(401, "The request you have made requires authentication.")
        return _issue(clouds, name, cloud, f"appcred-{given['id']}", known["project"])
    if "password" in methods:
        given = identity["password"]["user"]
        known = users.get("passwords", {}).get(given.get("name"))
        if known is None or known["password"] != given.get("password"):
            raise _Refused(401, "The request you have made requires authentication.")
        user, member_of = given["name"], known["projects"]
    elif "token" in methods:
        held = clouds.tokens.get(identity["token"].get("id", ""))
        if held is None or held.cloud != name:
            raise _Refused(401, "The request you have made requires authentication.")
        user = held.user
        member_of = users.get("federated", {}).get(user, {}).get("projects", [])
        if held.project is not None:
            member_of = [held.project]
    else:
        raise _Refused(400, f"unsupported methods {methods}")
    if scope is not None and scope not in member_of:
        raise _Refused(401, f"User {user} has no access to project {scope}.")
    return _issue(clouds, name, cloud, user, scope)


def _federated_login(clouds: Clouds, name: str, cloud: dict[str, Any], request: Request) -> Response:
    """OS-FEDERATION: an OIDC access token, accepted by the mapped identity provider, for an unscoped token."""
    if cloud.get("faults", {}).get("refuse"):
        raise _Refused(401, "The request you have made requires authentication.")
    bearer = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    idp, protocol = request.path_params["idp"], request.path_params["protocol"]
    for user, known in cloud.get("users", {}).get("federated", {}).items():
        if known["accessToken"] == bearer and known["idp"] == idp and known["protocol"] == protocol:
            return _issue(clouds, name, cloud, user, None)
    raise _Refused(401, "The request you have made requires authentication.")


def _page(items: list[dict[str, Any]], request: Request, default: int) -> tuple[list[dict[str, Any]], str | None]:
    limit = min(int(request.query_params.get("limit", default)), LIMIT_MAX)
    marker = request.query_params.get("marker")
    start = 0
    if marker is not None:
        start = next((i + 1 for i, item in enumerate(items) if item["id"] == marker), len(items))
    page = items[start : start + limit]
    more = start + limit < len(items)
    return page, (page[-1]["id"] if more and page else None)


def _visible_flavors(region: dict[str, Any], project: str) -> list[dict[str, Any]]:
    access = region.get("flavorAccess", {})
    return [
        f for f in region.get("flavors", []) if f["os-flavor-access:is_public"] or project in access.get(f["id"], [])
    ]


_VISIBILITIES = {"public", "community", "private", "shared", "all"}
_MEMBER_STATUSES = {"accepted", "pending", "rejected", "all"}


def _visible_images(region: dict[str, Any], project: str, query: Any) -> list[dict[str, Any]]:
    """Glance v2's image listing for a project (not an admin), with its query filters as Glance applies
    them: `visibility` (public, community, private, shared or all; none: every image the project may
    use but the community images of others), `member_status` (the project's membership of a shared
    image: accepted by default, pending, rejected or all) and `owner`."""
    visibility = query.get("visibility")
    if visibility is not None and visibility not in _VISIBILITIES:
        raise _Refused(400, f"Invalid visibility value: {visibility}")
    member_status = query.get("member_status", "accepted")
    if member_status not in _MEMBER_STATUSES:
        raise _Refused(400, f"Invalid status value: {member_status}")
    owner_wanted = query.get("owner")
    members = region.get("imageMembers", {})
    shown = []
    for image in region.get("images", []):
        kind, owner = image["visibility"], image["owner"]
        if visibility not in (None, "all") and kind != visibility:
            continue
        if visibility is None and kind == "community" and owner != project:
            continue  # others' community images are listed only when asked for
        if owner_wanted is not None and owner != owner_wanted:
            continue
        member = kind == "shared" and any(
            m["member_id"] == project and member_status in ("all", m["status"]) for m in members.get(image["id"], [])
        )
        if kind in ("public", "community") or owner == project or member:
            shown.append(image)
    return shown


def _compute_version(region: dict[str, Any], base: str) -> dict[str, Any]:
    return {
        "id": "v2.1",
        "status": "CURRENT",
        "version": region.get("computeMaxMicroversion", "2.88"),
        "min_version": "2.1",
        "updated": "2013-07-23T11:33:21Z",
        "links": [{"rel": "self", "href": f"{base}/v2.1/"}],
        "media-types": [{"base": "application/json", "type": "application/vnd.openstack.compute+json;version=2.1"}],
    }


def _requested_microversion(request: Request) -> tuple[int, int]:
    header = request.headers.get("openstack-api-version", "") or request.headers.get("x-openstack-nova-api-version", "")
    value = header.removeprefix("compute").strip() or "2.1"
    major, minor = value.split(".")
    return int(major), int(minor)


def _quota_detail(limits: dict[str, int], usage: dict[str, int]) -> dict[str, dict[str, int]]:
    return {key: {"limit": limit, "in_use": usage.get(key, 0), "reserved": 0} for key, limit in limits.items()}


def create_app(clouds: Clouds) -> Starlette:
    def endpoint(handler: Any) -> Any:
        async def run(request: Request) -> Response:
            try:
                name, cloud = _cloud(clouds, request)
                clouds.hits[(name, handler.__name__)] += 1
                clouds.busy[name] += 1
                clouds.peak_busy_clouds = max(clouds.peak_busy_clouds, sum(1 for n in clouds.busy.values() if n))
                try:
                    await _misbehave(cloud)
                    result = await handler(request, name, cloud)
                finally:
                    clouds.busy[name] -= 1
            except _Refused as refused:
                return JSONResponse({"error": {"code": refused.status, "message": refused.message}}, refused.status)
            return result if isinstance(result, Response) else JSONResponse(result)

        return run

    async def identity_root(request: Request, name: str, cloud: dict[str, Any]) -> Any:
        base = f"{clouds.base_url}/{name}/identity/v3"
        return {
            "version": {
                "id": "v3.14",
                "status": "stable",
                "updated": "2020-04-07T00:00:00Z",
                "links": [{"rel": "self", "href": f"{base}/"}],
                "media-types": [{"base": "application/json", "type": "application/vnd.openstack.identity-v3+json"}],
            }
        }

    async def tokens(request: Request, name: str, cloud: dict[str, Any]) -> Any:
        if request.method == "GET":  # token validation: the project the token is scoped to
            held = _token(clouds, request, name, scoped=False)
            subject = clouds.tokens.get(request.headers.get("x-subject-token", ""))
            if subject is None or held is None:
                raise _Refused(404, "token not found")
            return {"token": {"project": {"id": subject.project}, "user": {"id": subject.user}}}
        return _login(clouds, name, cloud, (await request.json()).get("auth", {}))

    async def federated(request: Request, name: str, cloud: dict[str, Any]) -> Any:
        return _federated_login(clouds, name, cloud, request)

    async def auth_projects(request: Request, name: str, cloud: dict[str, Any]) -> Any:
        held = _token(clouds, request, name, scoped=False)
        member_of = cloud.get("users", {}).get("federated", {}).get(held.user, {}).get("projects", [])
        projects = [p for p in cloud["projects"] if p["id"] in member_of]
        return {"projects": [{**p, "domain_id": "default", "enabled": True} for p in projects]}

    async def compute_root(request: Request, name: str, cloud: dict[str, Any]) -> Any:
        base = f"{clouds.base_url}/{name}/{request.path_params['region']}/compute"
        return {"versions": [_compute_version(_region(cloud, request), base)]}

    async def compute_version(request: Request, name: str, cloud: dict[str, Any]) -> Any:
        base = f"{clouds.base_url}/{name}/{request.path_params['region']}/compute"
        return {"version": _compute_version(_region(cloud, request), base)}

    async def flavors(request: Request, name: str, cloud: dict[str, Any]) -> Any:
        token = _token(clouds, request, name)
        region = _region(cloud, request)
        assert token.project is not None
        visible = _visible_flavors(region, token.project)
        page, _ = _page(visible, request, 1000)
        inline_specs = _requested_microversion(request) >= (2, 61)
        specs = region.get("extraSpecs", {})
        shown = [{**f, "extra_specs": specs.get(f["id"], {})} if inline_specs else f for f in page]
        return {"flavors": shown}

    async def extra_specs(request: Request, name: str, cloud: dict[str, Any]) -> Any:
        _token(clouds, request, name)
        region = _region(cloud, request)
        return {"extra_specs": region.get("extraSpecs", {}).get(request.path_params["flavor"], {})}

    async def flavor_access(request: Request, name: str, cloud: dict[str, Any]) -> Any:
        _token(clouds, request, name)
        if cloud.get("faults", {}).get("flavorAccessForbidden"):  # Nova's default policy for non-admins
            raise _Refused(403, "Policy doesn't allow os_compute_api:os-flavor-access to be performed.")
        region = _region(cloud, request)
        flavor = request.path_params["flavor"]
        if any(f["id"] == flavor and f["os-flavor-access:is_public"] for f in region.get("flavors", [])):
            raise _Refused(404, "Access list not available for public flavors.")
        tenants = region.get("flavorAccess", {}).get(flavor, [])
        return {"flavor_access": [{"flavor_id": flavor, "tenant_id": t} for t in tenants]}

    async def compute_quotas(request: Request, name: str, cloud: dict[str, Any]) -> Any:
        token = _token(clouds, request, name)
        _project_of_path(token, request)
        region = _region(cloud, request)
        quota = region.get("computeQuotas", {}).get(token.project, {"limits": {}, "usage": {}})
        detail = _quota_detail(quota["limits"], quota["usage"])
        return {"quota_set": {"id": token.project, **detail}}

    async def image_root(request: Request, name: str, cloud: dict[str, Any]) -> Any:
        base = f"{clouds.base_url}/{name}/{request.path_params['region']}/image"
        return JSONResponse(
            {"versions": [{"id": "v2.16", "status": "CURRENT", "links": [{"rel": "self", "href": f"{base}/v2/"}]}]}, 300
        )

    async def images(request: Request, name: str, cloud: dict[str, Any]) -> Any:
        token = _token(clouds, request, name)
        region = _region(cloud, request)
        assert token.project is not None
        shown = _visible_images(region, token.project, request.query_params)
        if status := request.query_params.get("status"):
            shown = [i for i in shown if i["status"] == status]
        for tag in request.query_params.getlist("tag"):
            shown = [i for i in shown if tag in i.get("tags", [])]
        page, last = _page(shown, request, GLANCE_PAGE)
        served = region.setdefault("_imagesServed", {})
        count = served.get(token.project, 0) + len(page)
        fail_after = cloud.get("faults", {}).get("imagesFailAfter")
        if fail_after is not None and count > fail_after:  # this page would go past that many
            raise _Refused(500, "Internal Server Error")
        served[token.project] = count
        # Glance's links are relative to the endpoint's root, not to the host.
        body: dict[str, Any] = {"images": page, "first": "/v2/images", "schema": "/v2/schemas/images"}
        if last is not None:
            body["next"] = f"/v2/images?marker={last}&limit={len(page)}" + "".join(
                f"&{k}={v}" for k, v in request.query_params.multi_items() if k not in {"marker", "limit"}
            )
        else:
            served[token.project] = 0  # a complete listing: the next one starts afresh
        return body

    async def image_members(request: Request, name: str, cloud: dict[str, Any]) -> Any:
        token = _token(clouds, request, name)
        region = _region(cloud, request)
        image_id = request.path_params["image"]
        image = next((i for i in region.get("images", []) if i["id"] == image_id), None)
        if image is None:
            raise _Refused(404, "image not found")
        members = region.get("imageMembers", {}).get(image_id, [])
        if image["owner"] != token.project:  # a member sees only its own membership
            members = [m for m in members if m["member_id"] == token.project]
        return {"members": [{**m, "image_id": image_id, "schema": "/v2/schemas/member"} for m in members]}

    async def network_root(request: Request, name: str, cloud: dict[str, Any]) -> Any:
        base = f"{clouds.base_url}/{name}/{request.path_params['region']}/network"
        return {"versions": [{"id": "v2.0", "status": "CURRENT", "links": [{"rel": "self", "href": f"{base}/v2.0/"}]}]}

    async def networks(request: Request, name: str, cloud: dict[str, Any]) -> Any:
        token = _token(clouds, request, name)
        region = _region(cloud, request)
        shown = [
            n
            for n in region.get("networks", [])
            if n.get("shared") or n.get("router:external") or n["project_id"] == token.project
        ]
        return {"networks": shown}

    async def subnets(request: Request, name: str, cloud: dict[str, Any]) -> Any:
        token = _token(clouds, request, name)
        region = _region(cloud, request)
        visible = {n["id"] for n in (await networks(request, name, cloud))["networks"]}
        assert token.project is not None
        return {"subnets": [s for s in region.get("subnets", []) if s["network_id"] in visible]}

    async def network_quotas(request: Request, name: str, cloud: dict[str, Any]) -> Any:
        token = _token(clouds, request, name)
        _project_of_path(token, request)
        region = _region(cloud, request)
        quota = region.get("networkQuotas", {}).get(token.project, {"limits": {}, "usage": {}})
        detail = {k: {"limit": v, "used": quota["usage"].get(k, 0), "reserved": 0} for k, v in quota["limits"].items()}
        return {"quota": detail}

    async def volume_root(request: Request, name: str, cloud: dict[str, Any]) -> Any:
        base = f"{clouds.base_url}/{name}/{request.path_params['region']}/volume"
        return JSONResponse(
            {
                "versions": [
                    {
                        "id": "v3.0",
                        "status": "CURRENT",
                        "version": "3.70",
                        "min_version": "3.0",
                        "links": [{"rel": "self", "href": f"{base}/v3/"}],
                    }
                ]
            },
            300,
        )

    async def volume_quotas(request: Request, name: str, cloud: dict[str, Any]) -> Any:
        token = _token(clouds, request, name)
        _project_of_path(token, request)
        region = _region(cloud, request)
        quota = region.get("volumeQuotas", {}).get(token.project, {"limits": {}, "usage": {}})
        if request.query_params.get("usage", "").lower() == "true":
            return {"quota_set": {"id": token.project, **_quota_detail(quota["limits"], quota["usage"])}}
        return {"quota_set": {"id": token.project, **quota["limits"]}}

    async def volume_types(request: Request, name: str, cloud: dict[str, Any]) -> Any:
        _token(clouds, request, name)
        return {"volume_types": _region(cloud, request).get("volumeTypes", [])}

    async def qos_specs(request: Request, name: str, cloud: dict[str, Any]) -> Any:
        _token(clouds, request, name)
        return {"qos_specs": _region(cloud, request).get("qosSpecs", [])}

    async def qos_associations(request: Request, name: str, cloud: dict[str, Any]) -> Any:
        _token(clouds, request, name)
        spec = request.path_params["spec"]
        types = [t for t in _region(cloud, request).get("volumeTypes", []) if t.get("qos_specs_id") == spec]
        return {
            "qos_associations": [{"association_type": "volume_type", "id": t["id"], "name": t["name"]} for t in types]
        }

    async def swift_account(request: Request, name: str, cloud: dict[str, Any]) -> Any:
        token = _token(clouds, request, name)
        if request.path_params["account"] != f"AUTH_{token.project}":
            raise _Refused(403, "Forbidden")
        headers = _region(cloud, request).get("swiftAccounts", {}).get(token.project, {})
        return Response(status_code=204, headers={k: str(v) for k, v in headers.items()})

    def kube(handler: Any) -> Any:
        async def checked(request: Request, name: str, cloud: dict[str, Any]) -> Any:
            if cloud.get("faults", {}).get("refuse") or request.headers.get("authorization") != (
                f"Bearer {cloud['kubernetes']['token']}"
            ):
                return JSONResponse(
                    {
                        "kind": "Status",
                        "apiVersion": "v1",
                        "status": "Failure",
                        "message": "Unauthorized",
                        "reason": "Unauthorized",
                        "code": 401,
                    },
                    401,
                )
            return await handler(request, cloud["kubernetes"])

        return checked

    async def kube_quotas(request: Request, kube_data: dict[str, Any]) -> Any:
        namespace = request.path_params["namespace"]
        items = [q for q in kube_data.get("resourceQuotas", []) if q["metadata"]["namespace"] == namespace]
        return {"kind": "ResourceQuotaList", "apiVersion": "v1", "metadata": {"resourceVersion": "1"}, "items": items}

    async def kube_storage_classes(request: Request, kube_data: dict[str, Any]) -> Any:
        return {
            "kind": "StorageClassList",
            "apiVersion": "storage.k8s.io/v1",
            "metadata": {"resourceVersion": "1"},
            "items": kube_data.get("storageClasses", []),
        }

    async def kube_nodes(request: Request, kube_data: dict[str, Any]) -> Any:
        return {
            "kind": "NodeList",
            "apiVersion": "v1",
            "metadata": {"resourceVersion": "1"},
            "items": kube_data.get("nodes", []),
        }

    region = "/{cloud}/{region}"
    routes = [
        Route("/{cloud}/identity/v3", endpoint(identity_root)),
        Route("/{cloud}/identity/v3/auth/tokens", endpoint(tokens), methods=["GET", "POST"]),
        Route("/{cloud}/identity/v3/auth/projects", endpoint(auth_projects)),
        Route(
            "/{cloud}/identity/v3/OS-FEDERATION/identity_providers/{idp}/protocols/{protocol}/auth",
            endpoint(federated),
            methods=["GET", "POST"],
        ),
        Route(f"{region}/compute", endpoint(compute_root)),
        Route(f"{region}/compute/", endpoint(compute_root)),
        Route(f"{region}/compute/v2.1", endpoint(compute_version)),
        Route(f"{region}/compute/v2.1/", endpoint(compute_version)),
        Route(f"{region}/compute/v2.1/flavors/detail", endpoint(flavors)),
        Route(f"{region}/compute/v2.1/flavors/{{flavor}}/os-extra_specs", endpoint(extra_specs)),
        Route(f"{region}/compute/v2.1/flavors/{{flavor}}/os-flavor-access", endpoint(flavor_access)),
        Route(f"{region}/compute/v2.1/os-quota-sets/{{project}}/detail", endpoint(compute_quotas)),
        Route(f"{region}/image", endpoint(image_root)),
        Route(f"{region}/image/", endpoint(image_root)),
        Route(f"{region}/image/v2/images", endpoint(images)),
        Route(f"{region}/image/v2/images/{{image}}/members", endpoint(image_members)),
        Route(f"{region}/network", endpoint(network_root)),
        Route(f"{region}/network/", endpoint(network_root)),
        Route(f"{region}/network/v2.0/networks", endpoint(networks)),
        Route(f"{region}/network/v2.0/subnets", endpoint(subnets)),
        Route(f"{region}/network/v2.0/quotas/{{project}}/details", endpoint(network_quotas)),
        Route(f"{region}/network/v2.0/quotas/{{project}}/details.json", endpoint(network_quotas)),
        Route(f"{region}/volume", endpoint(volume_root)),
        Route(f"{region}/volume/", endpoint(volume_root)),
        Route(f"{region}/volume/v3/{{project}}/os-quota-sets/{{target}}", endpoint(volume_quotas)),
        Route(f"{region}/volume/v3/{{project}}/types", endpoint(volume_types)),
        Route(f"{region}/volume/v3/{{project}}/qos-specs", endpoint(qos_specs)),
        Route(f"{region}/volume/v3/{{project}}/qos-specs/{{spec}}/associations", endpoint(qos_associations)),
        Route(f"{region}/object/v1/{{account}}", endpoint(swift_account), methods=["HEAD", "GET"]),
        Route("/{cloud}/k8s/api/v1/namespaces/{namespace}/resourcequotas", endpoint(kube(kube_quotas))),
        Route("/{cloud}/k8s/apis/storage.k8s.io/v1/storageclasses", endpoint(kube(kube_storage_classes))),
        Route("/{cloud}/k8s/api/v1/nodes", endpoint(kube(kube_nodes))),
    ]
    return Starlette(routes=routes)


# Request headers an answer depends on besides the token: the API version asked (Nova's microversion).
_VARYING = (b"openstack-api-version", b"x-openstack-nova-api-version")


class RememberedAnswers:
    """The clouds' app, answering a read it has answered before for the same credentials with the very
    bytes it sent then. A remote cloud's CPU is not the feeder's: the benchmark's clouds spend theirs
    once per distinct answer, not once per request. Only what cannot differ is remembered: successful
    GETs and HEADs of clouds without `faults`, with a token the clouds issued (a login, an error, a
    Kubernetes read are always answered anew)."""

    def __init__(self, app: ASGIApp, clouds: Clouds) -> None:
        self.app = app
        self.clouds = clouds
        self.answers: dict[tuple[Any, ...], tuple[Message, bytes]] = {}
        self.bodies: dict[bytes, bytes] = {}  # equal bodies kept once (many projects see the same listing)

    def _key(self, scope: Scope) -> tuple[Any, ...] | None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return None
        headers = dict(scope["headers"])
        token = self.clouds.tokens.get(headers.get(b"x-auth-token", b"").decode("latin-1"))
        if token is None:
            return None
        cloud = self.clouds.clouds.get(token.cloud)
        if cloud is None or cloud.get("faults") or not scope["path"].startswith(f"/{token.cloud}/"):
            return None
        varying = tuple(headers.get(h) for h in _VARYING)
        return (scope["method"], scope["path"], scope["query_string"], varying, token.cloud, token.project, token.user)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        remembered = self.answers.get(key)
        if remembered is not None:
            start, body = remembered
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        sent: list[Message] = []

        async def keep(message: Message) -> None:
            sent.append(message)
            await send(message)

        await self.app(scope, receive, keep)
        starts = [m for m in sent if m["type"] == "http.response.start"]
        if len(starts) == 1 and starts[0]["status"] < 300:
            body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
            self.answers[key] = (starts[0], self.bodies.setdefault(body, body))


class LoopbackClouds:
    """The app served by uvicorn in a background thread on 127.0.0.1:`port` (0: a free port); with
    `remember`, answering repeated reads from what it sent before (RememberedAnswers)."""

    def __init__(self, clouds: Clouds, port: int = 0, *, remember: bool = False) -> None:
        self.clouds = clouds
        app: ASGIApp = create_app(clouds)
        if remember:
            app = RememberedAnswers(app, clouds)
        self._server = uvicorn.Server(
            uvicorn.Config(
                app,
                host="127.0.0.1",
                port=port,
                log_level="warning",
                lifespan="off",
                timeout_graceful_shutdown=1,
                timeout_keep_alive=75,  # as the web servers in front of OpenStack APIs keep idle connections
            )
        )
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> LoopbackClouds:
        self._thread.start()
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the loopback clouds did not start (is the port taken?)")
            time.sleep(0.02)
        port = self._server.servers[0].sockets[0].getsockname()[1]
        self.clouds.base_url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    @property
    def base_url(self) -> str:
        return self.clouds.base_url

    def each(self) -> Iterator[tuple[str, dict[str, Any]]]:
        yield from self.clouds.clouds.items()


# ---- clouds made from a provider of a federation file (the demo's data, the benchmark's) ----------------
_CONVENTIONS = ("infn", "egi", "pci")  # flavors take the GPU extra-spec conventions in turn


def _extra_specs(flavor: Any, convention: str) -> dict[str, str]:
    specs: dict[str, str] = {}
    if flavor.gpus:
        if convention == "infn":
            specs.update(
                gpu_number=str(flavor.gpus), gpu_model=flavor.gpu_model or "", gpu_vendor=flavor.gpu_vendor or ""
            )
        elif convention == "egi":
            specs.update(
                {
                    "Accelerator:Number": str(flavor.gpus),
                    "Accelerator:Type": "GPU",
                    "Accelerator:Vendor": flavor.gpu_vendor or "",
                    "Accelerator:Model": flavor.gpu_model or "",
                }
            )
        else:
            specs["pci_passthrough:alias"] = f"{flavor.gpu_model}:{flavor.gpus}"
            if flavor.gpu_vendor:
                specs["gpu_vendor"] = flavor.gpu_vendor
    if flavor.infiniband:
        specs["infiniband"] = "true"
    if flavor.local_storage:
        specs["aggregate_instance_extra_specs:local_storage"] = flavor.local_storage
    return specs


def openstack_cloud(provider: Any, secret_of: Any) -> dict[str, Any]:
    """The API data of an OpenStack cloud holding what `provider` (a ProviderIn) lists: its flavors
    (GPUs in the conventions in turn), images, networks, volume types and each project's quotas, every
    project reachable by an application credential whose secret is `secret_of(project uuid)`."""
    owner_of: dict[tuple[str, str], list[str]] = {}
    for project in provider.projects:
        for kind, uuids in (
            ("flavor", project.private_flavors),
            ("image", project.private_images),
            ("network", project.private_networks),
        ):
            for resource in uuids:
                owner_of.setdefault((kind, resource), []).append(project.uuid)
    regions: dict[str, Any] = {}
    for region in provider.regions:
        data: dict[str, Any] = {
            "flavors": [],
            "extraSpecs": {},
            "flavorAccess": {},
            "images": [],
            "imageMembers": {},
            "networks": [],
            "subnets": [],
            "computeQuotas": {},
            "networkQuotas": {},
            "volumeQuotas": {},
            "volumeTypes": [],
            "qosSpecs": [],
            "swiftAccounts": {},
            "services": ["compute", "image"],
        }
        for service in region.services:
            data["services"] += {
                "network": ["network"],
                "blockStorage": ["volumev3"],
                "objectStore": ["object-store"],
            }.get(service.kind, [])
            if service.microversion:
                data["computeMaxMicroversion"] = service.microversion
            for n, flavor in enumerate(service.flavors):
                data["flavors"].append(
                    {
                        "id": flavor.uuid,
                        "name": flavor.name,
                        "vcpus": flavor.vcpus,
                        "ram": flavor.ram,
                        "disk": flavor.disk,
                        "swap": flavor.swap or "",
                        "OS-FLV-EXT-DATA:ephemeral": flavor.ephemeral,
                        "description": flavor.description or None,
                        "os-flavor-access:is_public": flavor.is_shared,
                        "rxtx_factor": 1.0,
                        "OS-FLV-DISABLED:disabled": False,
                        "links": [],
                    }
                )
                data["extraSpecs"][flavor.uuid] = _extra_specs(flavor, _CONVENTIONS[n % len(_CONVENTIONS)])
                if not flavor.is_shared:
                    data["flavorAccess"][flavor.uuid] = owner_of.get(("flavor", flavor.uuid), [])
            for image in service.images:
                owners = owner_of.get(("image", image.uuid), [])
                visibility = "public" if image.is_shared else ("shared" if len(owners) > 1 else "private")
                props = {
                    k: v
                    for k, v in {
                        "os_type": (image.os_type or "").lower() or None,
                        "os_distro": image.os_distro,
                        "os_version": image.os_version,
                        "architecture": image.architecture,
                        "kernel_id": image.kernel_id,
                        "cuda_version": "12.4" if image.cuda_support else None,
                        "gpu_driver_version": "550.54" if image.gpu_driver else None,
                    }.items()
                    if v
                }
                stamp = image.created_at.strftime("%Y-%m-%dT%H:%M:%SZ") if image.created_at else "2024-01-01T00:00:00Z"
                data["images"].append(
                    {
                        "id": image.uuid,
                        "name": image.name,
                        "status": "active",
                        "visibility": visibility,
                        "owner": owners[0] if owners else "admin",
                        "tags": list(image.tags),
                        "created_at": stamp,
                        "updated_at": stamp,
                        "min_disk": 0,
                        "min_ram": 0,
                        "protected": False,
                        "container_format": "bare",
                        "disk_format": "qcow2",
                        "self": f"/v2/images/{image.uuid}",
                        "file": f"/v2/images/{image.uuid}/file",
                        "schema": "/v2/schemas/image",
                        **props,
                    }
                )
                if visibility == "shared":
                    data["imageMembers"][image.uuid] = [
                        {"member_id": o, "status": "accepted", "created_at": stamp, "updated_at": stamp}
                        for o in owners[1:]
                    ]
            for network in service.networks:
                owners = owner_of.get(("network", network.uuid), [])
                owner = owners[0] if owners else "admin"
                data["networks"].append(
                    {
                        "id": network.uuid,
                        "name": network.name,
                        "description": network.description,
                        "shared": network.is_shared and not network.is_router_external,
                        "router:external": network.is_router_external,
                        "is_default": network.is_default and network.is_router_external,
                        "mtu": network.mtu or 1500,
                        "project_id": owner,
                        "tenant_id": owner,
                        "status": "ACTIVE",
                        "subnets": [],
                        "tags": list(network.tags),
                        "admin_state_up": True,
                        "availability_zones": ["nova"],
                    }
                )
            for n, volume_type in enumerate(service.volume_types):
                type_id = f"vt-{n}-{region.name}"
                qos_id = f"qos-{n}-{region.name}" if volume_type.qos else None
                data["volumeTypes"].append(
                    {
                        "id": type_id,
                        "name": volume_type.name,
                        "description": volume_type.description,
                        "is_public": True,
                        "extra_specs": {},
                        "qos_specs_id": qos_id,
                    }
                )
                if volume_type.qos:
                    specs = dict(part.split("=", 1) for part in volume_type.qos.split(",") if "=" in part)
                    data["qosSpecs"].append(
                        {"id": qos_id, "name": f"{volume_type.name}-qos", "consumer": "back-end", "specs": specs}
                    )
        for project in provider.projects:
            for quota in project.quotas:
                if quota.region != region.name or quota.per_user:
                    continue
                figures = quota.figures()
                side = "usage" if quota.usage else "limits"
                if quota.service == "compute":
                    entry = data["computeQuotas"].setdefault(project.uuid, {"limits": {}, "usage": {}})
                    entry[side].update({k: v for k, v in figures.items() if k in ("cores", "instances", "ram")})
                elif quota.service == "blockStorage":
                    entry = data["volumeQuotas"].setdefault(project.uuid, {"limits": {}, "usage": {}})
                    names = {
                        "gigabytes": "gigabytes",
                        "perVolumeGigabytes": "per_volume_gigabytes",
                        "volumes": "volumes",
                    }
                    per_type = f"_{quota.volume_type}" if quota.volume_type else ""  # Cinder's gigabytes_<type>
                    entry[side].update({names[k] + per_type: v for k, v in figures.items()})
                elif quota.service == "network":
                    entry = data["networkQuotas"].setdefault(project.uuid, {"limits": {}, "usage": {}})
                    names = {
                        "publicIps": "floatingip",
                        "networks": "network",
                        "ports": "port",
                        "securityGroups": "security_group",
                        "securityGroupRules": "security_group_rule",
                    }
                    entry[side].update({names[k]: v for k, v in figures.items()})
                elif quota.service == "objectStore":
                    account = data["swiftAccounts"].setdefault(project.uuid, {})
                    if quota.usage:
                        headers = {
                            "bytes": "X-Account-Bytes-Used",
                            "containers": "X-Account-Container-Count",
                            "objects": "X-Account-Object-Count",
                        }
                        account.update({headers[k]: str(v) for k, v in figures.items()})
                    elif figures.get("bytes", -1) >= 0:
                        account["X-Account-Meta-Quota-Bytes"] = str(figures["bytes"])
        regions[region.name] = data
    return {
        "kind": "openstack",
        "projects": [{"id": p.uuid, "name": p.name} for p in provider.projects],
        "users": {
            "applicationCredentials": {
                f"feeder-{p.uuid}": {"secret": secret_of(p.uuid), "project": p.uuid} for p in provider.projects
            }
        },
        "regions": regions,
    }
