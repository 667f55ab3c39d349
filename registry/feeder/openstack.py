"""Reading an OpenStack provider: per configured project, a project-scoped login to Keystone v3
(keystoneauth), then per region the catalog's endpoints and the APIs' JSON: Nova flavors (GPU extra
specs, flavor access), Glance images by visibility, Neutron networks, and the quotas with their usage
of Nova, Cinder (and its volume types with QoS), Neutron and Swift."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode

import requests
import urllib3
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3
from keystoneauth1.identity.base import BaseIdentityPlugin

from registry.feeder.config import (
    ApplicationCredential,
    Credentials,
    FeederConfig,
    OpenStackProject,
    OpenStackProvider,
    Password,
)
from registry.feeder.harvest import Deadline, DeadlineExceeded, Failure, Harvest, safe_message, trusted_identity
from registry.feeder.site_proxy import SiteRoutes
from resolvers.federation_file import (
    FlavorIn,
    HarvestIn,
    ImageIn,
    NetworkIn,
    ProjectIn,
    ProviderBundle,
    ProviderIn,
    QuotaIn,
    RegionIn,
    ServiceIn,
    VolumeTypeIn,
)

T = TypeVar("T")

# Catalog service types -> (the graph's service kind, the name the federation knows it by).
CATALOG_KINDS: dict[str, tuple[str, str]] = {
    "identity": ("identity", "org.openstack.keystone"),
    "compute": ("compute", "org.openstack.nova"),
    "volumev3": ("blockStorage", "org.openstack.cinder"),
    "block-storage": ("blockStorage", "org.openstack.cinder"),
    "volume": ("blockStorage", "org.openstack.cinder"),
    "network": ("network", "org.openstack.neutron"),
    "object-store": ("objectStore", "org.openstack.swift"),
    "s3": ("objectStore", "com.amazonaws.s3"),
}


# ---- GPU and hardware conventions of flavor extra specs -------------------------------------------------
@dataclass(frozen=True)
class Hardware:
    gpus: int = 0
    gpu_model: str | None = None
    gpu_vendor: str | None = None
    infiniband: bool = False
    local_storage: str | None = None


_TRUE = {"true", "1", "yes", "on"}
_VENDOR_OF_MODEL = re.compile(r"^(?P<vendor>nvidia|amd|intel)[\s_-]+(?P<model>.+)$", re.IGNORECASE)
_VENDOR_NAMES = {"nvidia": "NVIDIA", "amd": "AMD", "intel": "Intel"}


def _count(value: str | None) -> int:
    try:
        return max(int(float(value or 0)), 0)
    except ValueError:
        return 0


def _figure(detail: Any, key: str) -> Any:
    """One figure of a quota detail ({"limit": …, "in_use": …}), or the bare figure some APIs give."""
    return detail.get(key) if isinstance(detail, dict) else (detail if key == "limit" else None)


def hardware(specs: dict[str, str]) -> Hardware:
    """GPU count/model/vendor, InfiniBand and local storage from any of the conventions sites use:
    INFN's `gpu_number`/`gpu_model`/`gpu_vendor`, EGI's `Accelerator:Number/Type/Vendor/Model`,
    Nova's PCI passthrough alias (`pci_passthrough:alias` = "A100:2", several comma-separated) and
    vGPU resources (`resources:VGPU`)."""
    gpus = _count(specs.get("gpu_number"))
    model = specs.get("gpu_model")
    vendor = specs.get("gpu_vendor")
    if not gpus and specs.get("Accelerator:Number"):
        gpus = _count(specs.get("Accelerator:Number"))
        if specs.get("Accelerator:Type", "GPU").upper() == "GPU":
            model = specs.get("Accelerator:Model") or model
            vendor = specs.get("Accelerator:Vendor") or vendor
        else:
            gpus = 0
    if not gpus and specs.get("pci_passthrough:alias"):
        aliases = [a.strip() for a in specs["pci_passthrough:alias"].split(",") if a.strip()]
        for alias in aliases:
            name, _, count = alias.partition(":")
            gpus += _count(count or "1")
            model = model or name
    if not gpus and specs.get("resources:VGPU"):
        gpus = _count(specs["resources:VGPU"])
        model = model or specs.get("trait:CUSTOM_VGPU_MODEL") or None
    if model and not vendor and (found := _VENDOR_OF_MODEL.match(model)):
        vendor, model = found["vendor"], found["model"]
    if vendor:
        vendor = _VENDOR_NAMES.get(vendor.lower(), vendor)
    infiniband = specs.get("infiniband", "").lower() in _TRUE or specs.get("Infiniband", "").lower() in _TRUE
    storage = specs.get("aggregate_instance_extra_specs:local_storage") or None
    if not gpus:
        model = vendor = None
    return Hardware(gpus, model, vendor, infiniband, storage)


def _microversion_at_least(microversion: str | None, wanted: tuple[int, int]) -> bool:
    if not microversion:
        return False
    major, _, minor = microversion.partition(".")
    return (int(major), int(minor or 0)) >= wanted


CONNECT_TRIES = 3  # reads are idempotent: a connection dropped before the answer is worth trying again
_REDIRECTS = urllib3.Retry(total=None, connect=0, read=0, other=0, status=0, redirect=3)


class ApiError(Exception):
    """An API answered with an error status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


INLINE_SPECS = (2, 61)  # from this compute microversion on, a flavor listing carries the extra specs


# ---- images ---------------------------------------------------------------------------------------------
_OS_TYPES = {"linux": "Linux", "windows": "Windows", "macos": "MacOS", "darwin": "MacOS"}
CUDA_KEYS = ("cuda_version", "cuda")
DRIVER_KEYS = ("gpu_driver_version", "nvidia_driver_version", "gpu_driver")


LOGIN_KEYS = ("os_login_user", "login_user", "default_user", "os_admin_user")
_VERSION = re.compile(r"\d+(\.\d+){0,3}")


def _version(value: Any) -> str | None:
    """A dotted version ("12.4") from what a site wrote ("12.4", "v12.4", "CUDA 12.4.1"); None otherwise."""
    found = _VERSION.search(str(value)) if value is not None else None
    return found.group(0) if found else None


def _truthy(value: Any) -> bool:
    return value not in (None, "", False) and str(value).lower() not in {"false", "no", "0", "none"}


def image_in(image: dict[str, Any], shared: bool) -> ImageIn:
    """An image as Glance v2 lists it (its properties are keys of the image itself)."""

    def prop(*keys: str) -> Any:
        for key in keys:
            if _truthy(value := image.get(key)):
                return value
        return None

    os_type = prop("os_type")
    return ImageIn(
        uuid=image["id"],
        name=image.get("name") or image["id"],
        os_type=_OS_TYPES.get(str(os_type).lower()) if os_type else None,
        os_distro=prop("os_distro"),
        os_version=str(v) if (v := prop("os_version")) is not None else None,
        architecture=prop("architecture"),
        kernel_id=prop("kernel_id"),
        cuda_support=prop(*CUDA_KEYS, "cuda_support") is not None,
        gpu_driver=prop(*DRIVER_KEYS) is not None,
        cuda_version=_version(prop(*CUDA_KEYS)),
        gpu_driver_version=_version(prop(*DRIVER_KEYS)),
        cudnn_version=_version(prop("cudnn_version", "cudnn")),
        login_user=prop(*LOGIN_KEYS),
        created_at=image.get("created_at"),
        tags=sorted(image.get("tags") or []),
        is_shared=shared,
    )


# ---- quotas per volume type ----------------------------------------------------------------------------
_PER_TYPE = ("gigabytes", "volumes")  # Cinder's `<figure>_<volume type>` keys the graph has figures for


def volume_type_quotas(limits: dict[str, Any], usage: dict[str, Any], region: str, endpoint: str) -> list[QuotaIn]:
    """Cinder's quotas per volume type (`gigabytes_<type>`, `volumes_<type>`), each as a block-storage
    quota scoped to its type with its usage beside it. Cinder lists every type, unlimited (−1) unless
    an operator set it: a type whose figures are all −1 limits nothing beyond the unscoped quota and
    is left out."""
    per_type: dict[str, dict[str, int]] = {}
    for key, value in limits.items():
        for figure in _PER_TYPE:
            if key.startswith(f"{figure}_") and isinstance(value, int) and not isinstance(value, bool):
                per_type.setdefault(key.removeprefix(f"{figure}_"), {})[figure] = value
    found = []
    for volume_type, figures in sorted(per_type.items()):
        if all(v == -1 for v in figures.values()) or not volume_type:
            continue
        scope = {"region": region, "service": "blockStorage", "endpoint": endpoint, "volume_type": volume_type}
        found.append(QuotaIn(**scope, **figures))
        used = {f: usage[f"{f}_{volume_type}"] for f in figures if usage.get(f"{f}_{volume_type}") is not None}
        if used:
            found.append(QuotaIn(**scope, usage=True, **used))
    return found


def flavor_in(flavor: dict[str, Any], specs: dict[str, str]) -> FlavorIn:
    """A flavor as Nova lists it, with its extra specs."""
    hw = hardware(specs)
    return FlavorIn(
        uuid=flavor["id"],
        name=flavor["name"],
        description=flavor.get("description") or "",
        vcpus=flavor.get("vcpus") or 0,
        ram=flavor.get("ram") or 0,
        disk=flavor.get("disk") or 0,
        swap=_count(str(flavor.get("swap") or 0)),
        ephemeral=flavor.get("OS-FLV-EXT-DATA:ephemeral") or 0,
        gpus=hw.gpus,
        gpu_model=hw.gpu_model,
        gpu_vendor=hw.gpu_vendor,
        infiniband=hw.infiniband,
        local_storage=hw.local_storage,
        is_shared=flavor.get("os-flavor-access:is_public") is not False,
    )


# ---- one provider ---------------------------------------------------------------------------------------
def _auth(provider: OpenStackProvider, project: OpenStackProject, credentials: Credentials) -> Any:
    if isinstance(credentials, ApplicationCredential):
        return v3.ApplicationCredential(
            auth_url=provider.auth_url,
            application_credential_id=credentials.id,
            application_credential_secret=credentials.secret.read(),
        )
    if isinstance(credentials, Password):
        return v3.Password(
            auth_url=provider.auth_url,
            username=credentials.username,
            password=credentials.password.read(),
            user_domain_name=credentials.user_domain,
            project_id=project.id,
            project_domain_name=credentials.project_domain,
        )
    return v3.OidcAccessToken(
        auth_url=provider.auth_url,
        identity_provider=credentials.identity_provider,
        protocol=credentials.protocol,
        access_token=credentials.access_token.read(),
        project_id=project.id,
    )


@dataclass
class _RegionHarvest:
    """What one region yields across projects, merged."""

    services: dict[tuple[str, str], ServiceIn] = field(default_factory=dict)  # (kind, endpoint)
    flavors: dict[str, FlavorIn] = field(default_factory=dict)
    images: dict[str, ImageIn] = field(default_factory=dict)
    networks: dict[str, NetworkIn] = field(default_factory=dict)
    volume_types: dict[str, VolumeTypeIn] = field(default_factory=dict)
    access: dict[str, list[str]] = field(default_factory=dict)  # private flavor id -> projects with access
    microversion: str | None = None  # the compute API's highest


@dataclass
class _Login:
    """A project's authenticated session, and the public endpoints of its catalog by region and type
    (as the catalog gives them: Cinder's and Swift's name the project)."""

    project: OpenStackProject
    session: ks_session.Session
    access: Any
    urls: dict[str, dict[str, str]]
    _token: str = ""
    _fresh_until: float = 0.0  # time.monotonic() until which keystoneauth would hand back the same token

    def token(self) -> str:
        """The project's token. keystoneauth is asked again (and logs in again when the token is about
        to expire) once the token is that close to its expiry; asking it on every request re-read the
        expiry date each time, ~15 % of a harvest's CPU."""
        now = time.monotonic()
        if not self._token or now >= self._fresh_until:
            self._token = self.session.get_token() or ""
            auth = self.session.auth
            # the access get_token() just used or got: asking for it again would log in again when near expiry
            held = auth.auth_ref if isinstance(auth, BaseIdentityPlugin) else None
            expires = held.expires if held is not None else None
            left = (expires - dt.datetime.now(dt.UTC)).total_seconds() if expires is not None else 0.0
            self._fresh_until = now + left - BaseIdentityPlugin.MIN_TOKEN_LIFE_SECONDS - 1.0
        return self._token


# The parts of a harvest (as failures name them) each kind of data depends on.
FLAVORS = frozenset({"flavors", "flavor extra specs", "flavor access"})
IMAGES = frozenset({"images", "image members"})
NETWORKS = frozenset({"networks", "subnets"})
VOLUME_TYPES = frozenset({"volume types", "QoS specs", "QoS associations"})
QUOTAS = frozenset({"compute quotas", "network quotas", "block storage quotas", "object store account"})
_API_VERSION = re.compile(r"/v\d+(\.\d+)?/?$")


def _root(url: str) -> str:
    """A catalog URL without a trailing API version (Glance's and Neutron's are listed either way)."""
    return _API_VERSION.sub("", url.rstrip("/"))


class OpenStackHarvester:
    """One provider's harvest, run in a worker thread: the APIs' JSON over each project's keystoneauth
    session (openstacksdk's objects cost most of a big harvest's CPU and read nothing more).

    What every project sees alike is read once per region, with the first project logged in: public
    and community images, volume types, the compute API's version. Per project: its flavors (Nova
    lists public and private together to a project), its private images and the shared images it
    owns or accepted, its networks and its quotas."""

    def __init__(self, config: FeederConfig, provider: OpenStackProvider) -> None:
        self.config = config
        self.provider = provider
        self.deadline = Deadline(provider.timeout)
        self.failures: list[Failure] = []
        self.regions = {r.name: _RegionHarvest() for r in provider.regions}
        self.projects: dict[str, ProjectIn] = {}
        self.quotas: dict[str, list[QuotaIn]] = {}
        self.private: dict[str, dict[str, set[str]]] = {}  # project -> kind -> uuids
        self.configured = {p.id for p in provider.projects}
        # Keystoneauth logs in and keeps each project's token; the reads go over connection pools of the
        # provider's own (requests' per-call work was most of a harvest's CPU), through the site's proxy
        # and verified as the login is (registry/feeder/site_proxy.py).
        self.http = SiteRoutes(provider.verify)
        # One requests session (as keystoneauth would make it) for every project's login: the logins reuse
        # one kept-alive connection instead of opening one each.
        self.logins = requests.Session()
        for scheme in list(self.logins.adapters):
            self.logins.mount(scheme, ks_session.TCPKeepAliveAdapter())

    def _call(self, region: str, part: str, read: Callable[..., T], *args: Any) -> T | None:
        """Run one read; a failure is recorded against (region, part) and yields None."""
        self.deadline.left()
        try:
            return read(*args)
        except DeadlineExceeded:
            raise
        except Exception as error:
            self.deadline.blame()
            self.failures.append(Failure(region, part, safe_message(error)))
            return None

    def harvest(self) -> Harvest:
        started = time.monotonic()
        result = Harvest(self.provider.name)
        try:
            logins = [login for project in self.provider.projects if (login := self._login(project))]
            for region in self.provider.regions:
                self._region(region.name, logins)
            for login in logins:
                quotas = self.quotas[login.project.id] + self._per_user_limits(login.project)
                self.projects[login.project.id] = self.projects[login.project.id].model_copy(update={"quotas": quotas})
            if self.projects:  # something was read: what was not is null in the bundle ("unknown, keep")
                result.bundle = self._bundle(result.attempted_at)
        except DeadlineExceeded as error:
            self.failures.append(Failure("", "", str(error)))
            result.bundle = None  # out of time: nothing of it is trusted
        finally:
            self.http.clear()
            self.logins.close()
        result.failures = self.failures
        result.seconds = time.monotonic() - started
        return result

    def _session(self, project: OpenStackProject) -> tuple[ks_session.Session, Any]:
        credentials = project.credentials or self.provider.credentials
        assert credentials is not None  # the configuration guarantees it
        verify = str(self.provider.verify) if not isinstance(self.provider.verify, bool) else self.provider.verify
        auth = _auth(self.provider, project, credentials)
        session = ks_session.Session(auth=auth, session=self.logins, verify=verify, timeout=self.deadline.left())
        return session, auth

    def _login(self, project: OpenStackProject) -> _Login | None:
        try:
            session, auth = self._session(project)
            access = auth.get_access(session)  # logs in
        except DeadlineExceeded:
            raise
        except Exception as error:
            self.deadline.blame()
            self.failures.append(Failure("", f"login to project {project.id}", safe_message(error)))
            return None
        if access.project_id != project.id:
            self.failures.append(
                Failure(
                    "", f"login to project {project.id}", f"the credentials are scoped to project {access.project_id}"
                )
            )
            return None
        self.projects[project.id] = ProjectIn(uuid=project.id, name=access.project_name or project.id)
        self.private[project.id] = {"flavors": set(), "images": set(), "networks": set()}
        self.quotas[project.id] = []
        urls: dict[str, dict[str, str]] = {}
        for entry in access.service_catalog.catalog:
            for endpoint in entry.get("endpoints", []):
                if endpoint.get("interface") == "public":
                    region = endpoint.get("region_id") or endpoint.get("region") or ""
                    urls.setdefault(region, {}).setdefault(entry.get("type", ""), endpoint["url"].rstrip("/"))
                    if endpoint.get("region") and endpoint.get("region") != region:
                        urls.setdefault(endpoint["region"], {}).setdefault(entry.get("type", ""), endpoint["url"])
        return _Login(project, session, access, urls)

    # ---- reading the APIs -------------------------------------------------------------------------------
    def _get(
        self, login: _Login, url: str, params: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> Any:
        """One GET; its JSON."""
        return json.loads(self._send(login, "GET", url, params, headers).data)

    def _send(
        self,
        login: _Login,
        method: str,
        url: str,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> urllib3.BaseHTTPResponse:
        """A request with the project's token, within what is left of the deadline; an error status raises,
        naming it. A connection that drops before the answer (a kept-alive one the server closed
        meanwhile) is tried again; a timeout is not (it spent the time)."""
        if params:
            url += ("&" if "?" in url else "?") + urlencode(params, doseq=True)
        sent = {"X-Auth-Token": login.token(), "Accept": "application/json", **(headers or {})}
        for attempt in range(CONNECT_TRIES):
            try:
                response = self.http.request(
                    method, url, headers=sent, timeout=self.deadline.left(), retries=_REDIRECTS
                )
                break
            except (urllib3.exceptions.ProtocolError, urllib3.exceptions.NewConnectionError):
                if attempt == CONNECT_TRIES - 1:
                    raise
        if response.status >= 400:
            raise ApiError(response.status, f"{method} answered HTTP {response.status} {response.reason}")
        return response

    def _pages(
        self, login: _Login, url: str, key: str, params: dict[str, Any], headers: dict[str, str] | None = None
    ) -> list[dict[str, Any]]:
        """Every item of a listing, following its pages: Glance's `next` (relative to the endpoint's
        root) and Nova's and Neutron's `<key>_links`."""
        items: list[dict[str, Any]] = []
        root = _root(url.split("/v2/images")[0]) if "/v2/images" in url else ""
        seen: set[str] = set()
        next_url: str | None = url
        while next_url is not None and next_url not in seen:
            seen.add(next_url)
            body = self._get(login, next_url, params=params, headers=headers)
            page = body.get(key) or []
            items += page
            params = {}  # a next link carries the query
            following = body.get("next")
            if following is None:
                following = next(
                    (link.get("href") for link in body.get(f"{key}_links", []) if link.get("rel") == "next"), None
                )
            elif not following.startswith("http"):
                following = root + following
            next_url = following if page else None
        return items

    def _region(self, region: str, logins: list[_Login]) -> None:
        harvest = self.regions[region]
        for login in logins:
            for kind, endpoint, name in self._endpoints(login.access, region, login.project.id):
                harvest.services.setdefault((kind, endpoint), ServiceIn(kind=kind, endpoint=endpoint, name=name))
        shared_done: set[str] = set()
        for login in logins:
            urls = login.urls.get(region, {})
            if "compute" in urls:
                if "compute" not in shared_done:
                    shared_done.add("compute")
                    self._shared_compute(region, login)
                self._compute(region, login)
            network = urls.get("network")
            if network:
                self._network(region, login, network)
            volume = urls.get("volumev3") or urls.get("block-storage") or urls.get("volume")
            if volume:
                if "volume" not in shared_done:
                    shared_done.add("volume")
                    self._volume_types(region, login, volume)
                self._block_storage(region, login, volume)
            if urls.get("object-store"):
                self._object_store(region, login, urls["object-store"])

    def _endpoints(self, access: Any, region: str, project_id: str) -> list[tuple[str, str, str]]:
        found = []
        for entry in access.service_catalog.catalog:
            kind_name = CATALOG_KINDS.get(entry.get("type", ""))
            if kind_name is None:
                continue
            for endpoint in entry.get("endpoints", []):
                if endpoint.get("interface") == "public" and region in (
                    endpoint.get("region"),
                    endpoint.get("region_id"),
                ):
                    # Cinder's and Swift's URLs name the project: the service is one, whichever project reads it.
                    url = re.sub(rf"/(AUTH_)?{re.escape(project_id)}/?$", "", endpoint["url"].rstrip("/"))
                    found.append((kind_name[0], url, kind_name[1]))
        return sorted(set(found))

    def _images(self, login: _Login, region: str, visibility: str) -> list[dict[str, Any]]:
        """Active images of one visibility carrying the configured tags (Glance's `tag` is conjunctive when
        repeated), in pages of the most Glance gives (its api_limit_max)."""
        url = _root(login.urls[region]["image"]) + "/v2/images"
        tags = set(self.provider.image_tags)
        query = {"status": "active", "visibility": visibility, "limit": 1000, **({"tag": sorted(tags)} if tags else {})}
        return [i for i in self._pages(login, url, "images", query) if tags <= set(i.get("tags") or [])]

    def _shared_compute(self, region: str, login: _Login) -> None:
        """What every project of a region sees alike: the compute API's version, public and community images."""
        harvest = self.regions[region]
        compute = re.sub(rf"/{re.escape(login.project.id)}$", "", login.urls[region]["compute"])
        version = self._call(region, "compute version", lambda: self._get(login, compute + "/")["version"])
        if version is not None:
            harvest.microversion = version.get("version") or None
            for key, service in harvest.services.items():
                if key[0] == "compute" and harvest.microversion:
                    harvest.services[key] = service.model_copy(update={"microversion": harvest.microversion})
        if "image" not in login.urls[region]:
            self.failures.append(Failure(region, "images", "the catalog names no image service"))
            return
        for visibility in ("public", "community"):
            images = self._call(region, "images", self._images, login, region, visibility)
            for image in images or []:
                harvest.images[image["id"]] = image_in(image, shared=True)

    def _compute(self, region: str, login: _Login) -> None:
        harvest = self.regions[region]
        project = login.project.id
        compute = login.urls[region]["compute"]
        inline = _microversion_at_least(harvest.microversion, INLINE_SPECS)
        headers = {"OpenStack-API-Version": "compute 2.61", "X-OpenStack-Nova-API-Version": "2.61"} if inline else None
        # Nova lists a project its public flavors and the private ones it has access to, whatever
        # `is_public` asks (that filter is for admins): the public ones are built once per region.
        flavors = self._call(region, "flavors", self._pages, login, compute + "/flavors/detail", "flavors", {}, headers)
        for flavor in flavors or []:
            flavor_id = flavor["id"]
            if flavor_id not in harvest.flavors:
                specs = flavor.get("extra_specs") if inline else None
                if specs is None:  # before 2.61 Nova lists flavors without them
                    specs = self._call(
                        region,
                        "flavor extra specs",
                        lambda f: self._get(login, f"{compute}/flavors/{f}/os-extra_specs")["extra_specs"],
                        flavor_id,
                    )
                harvest.flavors[flavor_id] = flavor_in(flavor, dict(specs or {}))
            if not harvest.flavors[flavor_id].is_shared:
                # The project sees it, so it has access; the access list (where policy lets a project read
                # it) names the other configured projects too.
                self.private[project]["flavors"].add(flavor_id)
                if flavor_id not in harvest.access:
                    listed = self._call(region, "flavor access", self._flavor_access, login, compute, flavor_id)
                    harvest.access[flavor_id] = [a["tenant_id"] for a in listed or []]
        if "image" in login.urls[region]:
            # Private images are the owner's; a shared one is listed to its owner and to the members that
            # accepted it (Glance's default member_status): the listings say whose it is.
            for visibility in ("private", "shared"):
                images = self._call(region, "images", self._images, login, region, visibility)
                for image in images or []:
                    if visibility == "private" and image.get("owner") != project:
                        continue  # an admin's listing holds every project's private images
                    if image["id"] not in harvest.images:
                        harvest.images[image["id"]] = image_in(image, shared=False)
                    self.private[project]["images"].add(image["id"])
        quota = self._call(
            region, "compute quotas", lambda: self._get(login, f"{compute}/os-quota-sets/{project}/detail")["quota_set"]
        )
        if quota is not None:
            endpoint = self._endpoint_of(region, "compute")
            keys = ("cores", "instances", "ram")
            limits = {k: _figure(quota.get(k), "limit") for k in keys}
            used = {k: _figure(quota.get(k), "in_use") for k in keys}
            self._add(self.quotas[project], QuotaIn(region=region, service="compute", endpoint=endpoint, **limits))
            self._add(
                self.quotas[project], QuotaIn(region=region, service="compute", endpoint=endpoint, usage=True, **used)
            )

    def _flavor_access(self, login: _Login, compute: str, flavor_id: str) -> list[dict[str, str]]:
        """The projects a private flavor is shared with; Nova's default policy keeps that list to admins,
        and then the projects that see the flavor (read already) are all we know."""
        try:
            listed: list[dict[str, str]] = self._get(login, f"{compute}/flavors/{flavor_id}/os-flavor-access")[
                "flavor_access"
            ]
        except ApiError as error:
            if error.status == 403:
                return []
            raise
        return listed

    def _endpoint_of(self, region: str, kind: str) -> str:
        """The endpoint of the region's service of this kind that keeps quotas (an S3 gateway does not)."""
        services = self.regions[region].services
        return next(e for (k, e), service in services.items() if k == kind and service.name != "com.amazonaws.s3")

    def _network(self, region: str, login: _Login, url: str) -> None:
        harvest = self.regions[region]
        project = login.project
        base = _root(url) + "/v2.0"
        networks = self._call(region, "networks", self._pages, login, base + "/networks", "networks", {})
        cidrs: dict[str, str] = {}
        if any(n.get("subnets") for n in networks or []):  # a network lists its subnets' ids
            subnets = self._call(region, "subnets", self._pages, login, base + "/subnets", "subnets", {})
            ordered = sorted(subnets or [], key=lambda s: (s.get("ip_version") != 4, s.get("name") or "", s["id"]))
            for subnet in ordered:
                cidrs.setdefault(subnet["network_id"], subnet["cidr"])  # the first IPv4 subnet's, else the first
        for network in networks or []:
            owner: str = network.get("project_id") or network.get("tenant_id") or ""
            shared = bool(network.get("shared") or network.get("router:external"))
            if not shared and owner not in self.configured:
                continue
            default_public = project.default_public_network in (network["id"], network.get("name"))
            default_private = project.default_private_network in (network["id"], network.get("name"))
            proxy = project.private_network_proxy if default_private else None
            before = harvest.networks.get(network["id"])
            harvest.networks[network["id"]] = NetworkIn(
                uuid=network["id"],
                name=network.get("name") or network["id"],
                description=network.get("description") or "",
                is_router_external=bool(network.get("router:external")),
                is_default=bool(network.get("is_default"))
                or default_public
                or default_private
                or bool(before and before.is_default),
                mtu=network.get("mtu") or None,
                cidr=cidrs.get(network["id"]),
                tags=sorted(network.get("tags") or []),
                is_shared=shared,
                proxy_host=proxy.host if proxy else (before.proxy_host if before else None),
                proxy_user=proxy.user if proxy else (before.proxy_user if before else None),
            )
            if not shared:
                self.private.setdefault(owner, {"flavors": set(), "images": set(), "networks": set()})["networks"].add(
                    network["id"]
                )
        quota = self._call(
            region, "network quotas", lambda: self._get(login, f"{base}/quotas/{project.id}/details.json")["quota"]
        )
        if quota is not None:
            names = {
                "public_ips": "floatingip",
                "networks": "network",
                "ports": "port",
                "security_groups": "security_group",
                "security_group_rules": "security_group_rule",
            }
            limits = {k: _figure(quota.get(v), "limit") for k, v in names.items()}
            used = {k: _figure(quota.get(v), "used") for k, v in names.items()}
            endpoint = self._endpoint_of(region, "network")
            quotas = self.quotas[project.id]
            self._add(quotas, QuotaIn(region=region, service="network", endpoint=endpoint, **limits))
            self._add(quotas, QuotaIn(region=region, service="network", endpoint=endpoint, usage=True, **used))

    def _volume_types(self, region: str, login: _Login, url: str) -> None:
        harvest = self.regions[region]
        types = self._call(region, "volume types", lambda: self._get(login, url + "/types")["volume_types"])
        qos_of: dict[str, str] = {}  # volume type id -> its QoS, as "key=value,..."
        for spec in self._call(region, "QoS specs", lambda: self._get(login, url + "/qos-specs")["qos_specs"]) or []:
            text = ",".join(f"{k}={v}" for k, v in sorted((spec.get("specs") or {}).items()))
            associated = self._call(
                region,
                "QoS associations",
                lambda s: self._get(login, f"{url}/qos-specs/{s}/associations")["qos_associations"],
                spec["id"],
            )
            for association in associated or []:
                if association.get("association_type") == "volume_type":
                    qos_of[association["id"]] = text
        for volume_type in types or []:
            harvest.volume_types[volume_type["name"]] = VolumeTypeIn(
                name=volume_type["name"],
                description=volume_type.get("description") or "",
                qos=qos_of.get(volume_type["id"]) or None,
            )

    def _block_storage(self, region: str, login: _Login, url: str) -> None:
        project = login.project.id
        quota = self._call(
            region,
            "block storage quotas",
            lambda: self._get(login, f"{url}/os-quota-sets/{project}", params={"usage": "true"})["quota_set"],
        )
        if quota is not None:
            endpoint = self._endpoint_of(region, "blockStorage")
            limits = {k: _figure(quota.get(k), "limit") for k in ("gigabytes", "per_volume_gigabytes", "volumes")}
            used = {k: _figure(quota.get(k), "in_use") for k in ("gigabytes", "volumes")}
            quotas = self.quotas[project]
            self._add(quotas, QuotaIn(region=region, service="blockStorage", endpoint=endpoint, **limits))
            self._add(quotas, QuotaIn(region=region, service="blockStorage", endpoint=endpoint, usage=True, **used))
            per_type_limits = {k: _figure(v, "limit") for k, v in quota.items()}
            per_type_usage = {k: _figure(v, "in_use") for k, v in quota.items()}
            quotas += volume_type_quotas(per_type_limits, per_type_usage, region, endpoint)

    def _object_store(self, region: str, login: _Login, url: str) -> None:
        headers = self._call(
            region,
            "object store account",
            lambda: self._send(login, "HEAD", url).headers,
        )
        if headers is None:
            return
        endpoint = self._endpoint_of(region, "objectStore")
        quotas = self.quotas[login.project.id]
        if (quota_bytes := headers.get("X-Account-Meta-Quota-Bytes")) is not None:
            self._add(quotas, QuotaIn(region=region, service="objectStore", endpoint=endpoint, bytes=int(quota_bytes)))
        used = {
            "bytes": headers.get("X-Account-Bytes-Used"),
            "containers": headers.get("X-Account-Container-Count"),
            "objects": headers.get("X-Account-Object-Count"),
        }
        figures = {k: int(v) for k, v in used.items() if v is not None}
        self._add(quotas, QuotaIn(region=region, service="objectStore", endpoint=endpoint, usage=True, **figures))

    @staticmethod
    def _add(quotas: list[QuotaIn], quota: QuotaIn) -> None:
        """Keep a quota only when the API gave a figure for it (an empty answer is no quota, not "0")."""
        if quota.figures():
            quotas.append(quota)

    def _per_user_limits(self, project: OpenStackProject) -> list[QuotaIn]:
        limits = project.per_user_limits
        if limits is None:
            return []
        found = []
        for region in self.provider.regions:
            services = self.regions[region.name].services
            for service, figures in (
                ("compute", limits.compute),
                ("blockStorage", limits.block_storage),
                ("network", limits.network),
            ):
                for kind, endpoint in services:
                    if figures and kind == service:
                        found.append(
                            QuotaIn.model_validate(
                                {
                                    "region": region.name,
                                    "service": service,
                                    "endpoint": endpoint,
                                    "perUser": True,
                                    **figures,
                                }
                            )
                        )
        return found

    def _unread(self, region: str | None, parts: frozenset[str]) -> bool:
        """Whether one of `parts` failed in `region` (None: in any region)."""
        return any(f.part in parts and (region is None or f.region == region) for f in self.failures)

    def _bundle(self, attempted_at: dt.datetime) -> ProviderBundle:
        """The provider as read; what could not be read is null ("unknown, keep"), never an empty list."""

        def known(items: list[Any], region: str, parts: frozenset[str]) -> list[Any] | None:
            return None if self._unread(region, parts) else items

        regions = []
        for config in self.provider.regions:
            harvest = self.regions[config.name]
            services = []
            for (kind, _), service in sorted(harvest.services.items()):
                offers: dict[str, Any] = {}
                if kind == "compute":
                    offers = {
                        "flavors": known(sorted(harvest.flavors.values(), key=lambda f: f.uuid), config.name, FLAVORS),
                        "images": known(sorted(harvest.images.values(), key=lambda i: i.uuid), config.name, IMAGES),
                    }
                elif kind == "network":
                    offers = {
                        "networks": known(
                            sorted(harvest.networks.values(), key=lambda n: n.uuid), config.name, NETWORKS
                        )
                    }
                elif kind == "blockStorage":
                    volume_types = sorted(harvest.volume_types.values(), key=lambda v: v.name)
                    offers = {"volume_types": known(volume_types, config.name, VOLUME_TYPES)}
                services.append(service.model_copy(update=offers))
            failed_here = [f for f in self.failures if f.region == config.name]
            region_harvest = (
                HarvestIn(
                    attempted_at=attempted_at,
                    outcome="partial",
                    error="; ".join(str(f) for f in failed_here)[:500],
                )
                if failed_here
                else None
            )
            regions.append(
                RegionIn(
                    **config.model_dump(exclude={"location"}),
                    location=config.location,
                    services=services,
                    harvest=region_harvest,
                )
            )
        # Private flavors: the projects that saw them, and those the access lists name.
        for harvest in self.regions.values():
            for flavor_id, tenants in harvest.access.items():
                for tenant in set(tenants) & set(self.private):
                    self.private[tenant]["flavors"].add(flavor_id)
        # A project that could not be logged into leaves the projects unknown (their names, quotas and
        # links are kept); a resource or quota that could not be read anywhere leaves those links or
        # quotas unknown for every project.
        logins_failed = any(f.part.startswith("login to project") for f in self.failures)

        def links(uuid: str, kind: str, parts: frozenset[str]) -> list[str] | None:
            return None if self._unread(None, parts) else sorted(self.private[uuid][kind])

        projects: list[ProjectIn] | None = None
        if not logins_failed:
            projects = [
                project.model_copy(
                    update={
                        "quotas": None if self._unread(None, QUOTAS) else project.quotas,
                        "private_flavors": links(uuid, "flavors", FLAVORS),
                        "private_images": links(uuid, "images", IMAGES),
                        "private_networks": links(uuid, "networks", NETWORKS),
                    }
                )
                for uuid, project in self.projects.items()
            ]
        trusts, idps = trusted_identity(self.config, self.provider)
        provider = ProviderIn(
            name=self.provider.name,
            type="openstack",
            status=self.provider.status,
            is_public=self.provider.is_public,
            support_emails=self.provider.support_emails,
            description=self.provider.description,
            trusts=trusts,
            regions=regions,
            projects=projects,
        )
        return ProviderBundle(provider=provider, identity_providers=idps)


def harvest_openstack(config: FeederConfig, provider: OpenStackProvider) -> Harvest:
    return OpenStackHarvester(config, provider).harvest()
