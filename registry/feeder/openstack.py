"""Reading an OpenStack provider with openstacksdk: per configured project, a project-scoped login to
Keystone v3, then per region the catalog's endpoints, Nova flavors (GPU extra specs, flavor access),
Glance images (visibility, members), Neutron networks, and the quotas with their usage of Nova,
Cinder (and its volume types with QoS), Neutron and Swift."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import openstack
import openstack.connection
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3

from registry.feeder.config import (
    ApplicationCredential,
    Credentials,
    FeederConfig,
    OpenStackProject,
    OpenStackProvider,
    Password,
)
from registry.feeder.harvest import Deadline, DeadlineExceeded, Failure, Harvest, safe_message, trusted_identity
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


def _inline_specs(microversion: str | None) -> bool:
    """Whether a flavor listing at this compute microversion carries the extra specs (2.61 and later)."""
    if not microversion:
        return False
    major, _, minor = microversion.partition(".")
    return (int(major), int(minor or 0)) >= (2, 61)


def _flavor_access(conn: Any, flavor: Any) -> list[dict[str, str]]:
    """The projects a private flavor is shared with; Nova's default policy keeps that list to admins,
    and then the projects that see the flavor (read already) are all we know."""
    try:
        return list(conn.compute.get_flavor_access(flavor))
    except openstack.exceptions.ForbiddenException:
        return []


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


_IMAGE_ATTRIBUTES = frozenset({"os_type", "os_distro", "os_version", "architecture", "kernel_id"})


def _truthy(value: Any) -> bool:
    return value not in (None, "", False) and str(value).lower() not in {"false", "no", "0", "none"}


def image_in(image: Any, shared: bool) -> ImageIn:
    props: dict[str, Any] = dict(image.properties or {})  # what openstacksdk does not model lands here

    def prop(*keys: str) -> Any:
        # Attributes by name: Resource.to_dict() was most of a big harvest's CPU.
        for key in keys:
            value = getattr(image, key, None) if key in _IMAGE_ATTRIBUTES else None
            if not _truthy(value):
                value = props.get(key)
            if _truthy(value):
                return value
        return None

    os_type = prop("os_type")
    return ImageIn(
        uuid=image.id,
        name=image.name or image.id,
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
        created_at=image.created_at,
        tags=sorted(image.tags or []),
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
    specs: dict[str, dict[str, str]] = field(default_factory=dict)  # flavor id -> extra specs, read once
    access: dict[str, list[str]] = field(default_factory=dict)  # private flavor id -> projects with access


# The parts of a harvest (as failures name them) each kind of data depends on.
FLAVORS = frozenset({"flavors", "flavor extra specs", "flavor access"})
IMAGES = frozenset({"images", "image members"})
NETWORKS = frozenset({"networks", "subnets"})
VOLUME_TYPES = frozenset({"volume types", "QoS specs", "QoS associations"})
QUOTAS = frozenset({"compute quotas", "network quotas", "block storage quotas", "object store account"})


class OpenStackHarvester:
    """One provider's harvest, run in a worker thread (openstacksdk is synchronous)."""

    def __init__(self, config: FeederConfig, provider: OpenStackProvider) -> None:
        self.config = config
        self.provider = provider
        self.deadline = Deadline(provider.timeout)
        self.failures: list[Failure] = []
        self.regions = {r.name: _RegionHarvest() for r in provider.regions}
        self.projects: dict[str, ProjectIn] = {}
        self.private: dict[str, dict[str, set[str]]] = {}  # project -> kind -> uuids
        self.configured = {p.id for p in provider.projects}

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
            for project in self.provider.projects:
                self._project(project)
            if self.projects:  # something was read: what was not is null in the bundle ("unknown, keep")
                result.bundle = self._bundle(result.attempted_at)
        except DeadlineExceeded as error:
            self.failures.append(Failure("", "", str(error)))
            result.bundle = None  # out of time: nothing of it is trusted
        result.failures = self.failures
        result.seconds = time.monotonic() - started
        return result

    def _session(self, project: OpenStackProject) -> tuple[ks_session.Session, Any]:
        credentials = project.credentials or self.provider.credentials
        assert credentials is not None  # the configuration guarantees it
        verify = str(self.provider.verify) if not isinstance(self.provider.verify, bool) else self.provider.verify
        auth = _auth(self.provider, project, credentials)
        return ks_session.Session(auth=auth, verify=verify, timeout=self.deadline.left()), auth

    def _project(self, project: OpenStackProject) -> None:
        try:
            session, auth = self._session(project)
            access = auth.get_access(session)  # logs in
        except DeadlineExceeded:
            raise
        except Exception as error:
            self.deadline.blame()
            self.failures.append(Failure("", f"login to project {project.id}", safe_message(error)))
            return
        if access.project_id != project.id:
            self.failures.append(
                Failure(
                    "", f"login to project {project.id}", f"the credentials are scoped to project {access.project_id}"
                )
            )
            return
        self.projects[project.id] = ProjectIn(uuid=project.id, name=access.project_name or project.id)
        self.private[project.id] = {"flavors": set(), "images": set(), "networks": set()}
        quotas: list[QuotaIn] = []
        for region in self.provider.regions:
            session.timeout = self.deadline.left()
            conn = openstack.connection.Connection(
                session=session,
                region_name=region.name,
                app_name="federation-registry-feeder",
                api_timeout=self.deadline.left(),
            )
            endpoints = self._endpoints(access, region.name, project.id)
            harvest = self.regions[region.name]
            for kind, endpoint, name in endpoints:
                harvest.services.setdefault((kind, endpoint), ServiceIn(kind=kind, endpoint=endpoint, name=name))
            kinds = {kind: endpoint for kind, endpoint, name in endpoints if name != "com.amazonaws.s3"}
            if "compute" in kinds:
                self._compute(conn, region.name, project, kinds["compute"], quotas)
            if "network" in kinds:
                self._network(conn, region.name, project, kinds["network"], quotas)
            if "blockStorage" in kinds:
                self._block_storage(conn, region.name, project, kinds["blockStorage"], quotas)
            if "objectStore" in kinds:
                self._object_store(conn, region.name, project, kinds["objectStore"], quotas)
        quotas += self._per_user_limits(project)
        self.projects[project.id] = self.projects[project.id].model_copy(update={"quotas": quotas})

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

    def _compute(self, conn: Any, region: str, project: OpenStackProject, endpoint: str, quotas: list[QuotaIn]) -> None:
        harvest = self.regions[region]
        service_key = ("compute", endpoint)
        microversion = self._call(region, "compute version", lambda: conn.compute.get_endpoint_data().max_microversion)
        if microversion is not None:
            version = (
                ".".join(str(p) for p in microversion[:2]) if isinstance(microversion, tuple) else str(microversion)
            )
            harvest.services[service_key] = harvest.services[service_key].model_copy(update={"microversion": version})
        flavors = self._call(region, "flavors", lambda: list(conn.compute.flavors(details=True)))
        for flavor in flavors or []:
            if flavor.id not in harvest.specs:
                specs = flavor.extra_specs
                if not _inline_specs(flavor.microversion):  # before 2.61 Nova lists flavors without them
                    specs = self._call(
                        region,
                        "flavor extra specs",
                        lambda f: conn.compute.fetch_flavor_extra_specs(f).extra_specs,
                        flavor,
                    )
                harvest.specs[flavor.id] = dict(specs or {})
            hw = hardware(harvest.specs[flavor.id])
            shared = flavor.is_public is not False
            harvest.flavors[flavor.id] = FlavorIn(
                uuid=flavor.id,
                name=flavor.name,
                description=flavor.description or "",
                vcpus=flavor.vcpus or 0,
                ram=flavor.ram or 0,
                disk=flavor.disk or 0,
                swap=_count(str(flavor.swap or 0)),
                ephemeral=flavor.ephemeral or 0,
                gpus=hw.gpus,
                gpu_model=hw.gpu_model,
                gpu_vendor=hw.gpu_vendor,
                infiniband=hw.infiniband,
                local_storage=hw.local_storage,
                is_shared=shared,
            )
            if not shared:
                # The project sees it, so it has access; the access list (where policy lets a project read
                # it) names the other configured projects too.
                self.private[project.id]["flavors"].add(flavor.id)
                if flavor.id not in harvest.access:
                    listed = self._call(region, "flavor access", _flavor_access, conn, flavor)
                    harvest.access[flavor.id] = [a["tenant_id"] for a in listed or []]
        images = self._call(region, "images", lambda: self._images(conn))
        for image in images or []:
            shared = image.visibility in ("public", "community")
            harvest.images[image.id] = image_in(image, shared)
            if not shared:
                users = {project.id}
                if image.visibility == "shared" and image.owner_id == project.id:
                    members = self._call(region, "image members", lambda i: list(conn.image.members(i)), image)
                    users |= {m.member_id for m in members or [] if m.status == "accepted"}
                for user in users & self.configured:
                    self.private.setdefault(user, {"flavors": set(), "images": set(), "networks": set()})["images"].add(
                        image.id
                    )
        quota = self._call(region, "compute quotas", lambda: conn.compute.get_quota_set(project.id, usage=True))
        if quota is not None:
            usage = quota.usage or {}
            figures = {"cores": quota.cores, "instances": quota.instances, "ram": quota.ram}
            self._add(quotas, QuotaIn(region=region, service="compute", endpoint=endpoint, **figures))
            used = {k: usage.get(k) for k in figures}
            self._add(quotas, QuotaIn(region=region, service="compute", endpoint=endpoint, usage=True, **used))

    def _images(self, conn: Any) -> list[Any]:
        tags = self.provider.image_tags
        query: dict[str, Any] = {"status": "active"}
        if tags:
            query["tag"] = tags[0]
        listed = [i for i in conn.image.images(**query) if set(tags) <= set(i.tags or [])]
        return listed + self._community_images(conn, query, {i.id for i in listed})

    def _community_images(self, conn: Any, query: dict[str, Any], listed: set[str]) -> list[Any]:
        """Community images: any project may launch them (shared, as feeder.md says), but Glance lists them
        only when asked for by visibility (a project's own are in its default listing already)."""
        tags = set(self.provider.image_tags)
        found = conn.image.images(visibility="community", **query)
        return [i for i in found if i.id not in listed and tags <= set(i.tags or [])]

    def _network(self, conn: Any, region: str, project: OpenStackProject, endpoint: str, quotas: list[QuotaIn]) -> None:
        harvest = self.regions[region]
        networks = self._call(region, "networks", lambda: list(conn.network.networks()))
        subnets = self._call(region, "subnets", lambda: list(conn.network.subnets())) if networks else []
        cidrs: dict[str, str] = {}
        for subnet in sorted(subnets or [], key=lambda s: (s.ip_version != 4, s.name or "", s.id)):
            cidrs.setdefault(subnet.network_id, subnet.cidr)  # the first IPv4 subnet's, else the first
        for network in networks or []:
            shared = bool(network.is_shared or network.is_router_external)
            if not shared and network.project_id not in self.configured:
                continue
            default_public = project.default_public_network in (network.id, network.name)
            default_private = project.default_private_network in (network.id, network.name)
            proxy = project.private_network_proxy if default_private else None
            before = harvest.networks.get(network.id)
            harvest.networks[network.id] = NetworkIn(
                uuid=network.id,
                name=network.name or network.id,
                description=network.description or "",
                is_router_external=bool(network.is_router_external),
                is_default=bool(network.is_default)
                or default_public
                or default_private
                or bool(before and before.is_default),
                mtu=network.mtu or None,
                cidr=cidrs.get(network.id),
                tags=sorted(network.tags or []),
                is_shared=shared,
                proxy_host=proxy.host if proxy else (before.proxy_host if before else None),
                proxy_user=proxy.user if proxy else (before.proxy_user if before else None),
            )
            if not shared:
                self.private.setdefault(network.project_id, {"flavors": set(), "images": set(), "networks": set()})[
                    "networks"
                ].add(network.id)
        quota = self._call(region, "network quotas", lambda: conn.network.get_quota(project.id, details=True))
        if quota is not None:
            names = {
                "public_ips": "floating_ips",
                "networks": "networks",
                "ports": "ports",
                "security_groups": "security_groups",
                "security_group_rules": "security_group_rules",
            }
            limits = {k: (getattr(quota, v, None) or {}).get("limit") for k, v in names.items()}
            used = {k: (getattr(quota, v, None) or {}).get("used") for k, v in names.items()}
            self._add(quotas, QuotaIn(region=region, service="network", endpoint=endpoint, **limits))
            self._add(quotas, QuotaIn(region=region, service="network", endpoint=endpoint, usage=True, **used))

    def _block_storage(
        self, conn: Any, region: str, project: OpenStackProject, endpoint: str, quotas: list[QuotaIn]
    ) -> None:
        harvest = self.regions[region]
        if not harvest.volume_types:
            types = self._call(region, "volume types", lambda: list(conn.block_storage.types()))
            qos_of: dict[str, str] = {}  # volume type id -> its QoS, as "key=value,..."
            for spec in self._call(region, "QoS specs", lambda: list(conn.block_storage.qos_specs())) or []:
                text = ",".join(f"{k}={v}" for k, v in sorted((spec.specs or {}).items()))
                associated = self._call(
                    region, "QoS associations", lambda s: list(conn.block_storage.qos_spec_associations(s)), spec
                )
                for association in associated or []:
                    if association.association_type == "volume_type":
                        qos_of[association.id] = text
            for volume_type in types or []:
                harvest.volume_types[volume_type.name] = VolumeTypeIn(
                    name=volume_type.name,
                    description=volume_type.description or "",
                    qos=qos_of.get(volume_type.id) or None,
                )
        quota = self._call(
            region, "block storage quotas", lambda: conn.block_storage.get_quota_set(project.id, usage=True)
        )
        if quota is not None:
            usage = quota.usage or {}
            figures = {
                "gigabytes": quota.gigabytes,
                "per_volume_gigabytes": quota.per_volume_gigabytes,
                "volumes": quota.volumes,
            }
            self._add(quotas, QuotaIn(region=region, service="blockStorage", endpoint=endpoint, **figures))
            used = {k: usage.get(k) for k in ("gigabytes", "volumes")}
            self._add(quotas, QuotaIn(region=region, service="blockStorage", endpoint=endpoint, usage=True, **used))
            quotas += volume_type_quotas(quota.to_dict(headers=False, computed=False), usage, region, endpoint)

    def _object_store(
        self, conn: Any, region: str, project: OpenStackProject, endpoint: str, quotas: list[QuotaIn]
    ) -> None:
        account = self._call(region, "object store account", lambda: conn.object_store.get_account_metadata())
        if account is None:
            return
        used = {
            "bytes": account.account_bytes_used,
            "containers": account.account_container_count,
            "objects": account.account_object_count,
        }
        quota_bytes = (account.metadata or {}).get("quota-bytes") or (account.metadata or {}).get("Quota-Bytes")
        if quota_bytes is not None:
            self._add(quotas, QuotaIn(region=region, service="objectStore", endpoint=endpoint, bytes=int(quota_bytes)))
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
