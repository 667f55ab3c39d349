"""The federation file the feeder loads: a whole federation as nested YAML/JSON, validated.

Keys are camelCase, like the GraphQL schema. See examples/federation.yaml for a full example.

What a harvest could not read is `null`, never `[]`: a region's `services`, a service's `flavors`,
`images`, `networks` or `volumeTypes`, a project's `quotas` or private links. `[]` says "there are
none" and removes what is stored; `null` says "unknown": the registry keeps what it has and marks
it stale. (`[]` is the default, so a hand-written file means what it lists.)
"""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Self

import pycountry
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.alias_generators import to_camel as _to_camel

# Free text, for people: the one description of the `description` of every kind (inputs and outputs).
DESCRIPTION = "Free text about it, for people; empty when there is none."
Description = Annotated[str, Field(description=DESCRIPTION)]


# A field's camelCase name: asked thousands of times per harvest (quota figures), for a few names.
to_camel = functools.cache(_to_camel)


class Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)


def _url(value: str) -> str:
    AnyHttpUrl(value)  # raises a ValidationError naming the field when malformed
    return value


# Visibility of what a service offers: shared, or private to the projects linked to it.
_SHARED = "true: any project may use the {0} (public); false: private, usable only by the projects linked to it."
# ASCII digits only, matched whole: Cypher's toInteger() reads neither other digits nor a trailing newline.
_DOTTED_VERSION = re.compile(r"[0-9]+(\.[0-9]+)*")


def is_dotted_version(value: str) -> bool:
    """A dotted version (12.4, 550.54.15), as the version comparisons in Cypher read them part by part."""
    return _DOTTED_VERSION.fullmatch(value) is not None


def _version(value: str | None) -> str | None:
    """A dotted version (12.4, 550.54.15): compared part by part as numbers, so it must be one."""
    if value is not None and not is_dotted_version(value):
        raise ValueError(f"{value!r} is not a dotted version such as 12.4")
    return value


class HarvestIn(Model):
    """How the last harvest of a provider (or of one of its regions) went."""

    attempted_at: dt.datetime = Field(description="When the feeder last tried to read it.")
    outcome: Literal["ok", "partial", "failed"] = Field(description="How that attempt went.")
    error: str | None = Field(None, max_length=500, description="A short, safe reason (no credentials, no URLs)")


class FlavorIn(Model):
    uuid: str = Field(min_length=1, description="The flavor's id at its compute service (e.g. Nova's).")
    name: str = Field(min_length=1, description="The flavor's name at its compute service, e.g. g1.a100.xlarge.")
    description: Description = ""
    vcpus: int = Field(0, ge=0, description="Virtual CPUs.")
    ram: int = Field(0, ge=0, description="Memory, in MiB.")
    disk: int = Field(0, ge=0, description="Root disk, in GiB (0: the image's size, or a volume).")
    swap: int = Field(0, ge=0, description="Swap disk, in MiB (0: none).")
    ephemeral: int = Field(0, ge=0, description="Ephemeral disk, in GiB (0: none).")
    gpus: int = Field(0, ge=0, description="GPUs passed through to the machine (0: none).")
    gpu_model: str | None = Field(None, description="The GPUs' model, e.g. A100; null: no GPUs, or not said.")
    gpu_vendor: str | None = Field(None, description="The GPUs' vendor, e.g. NVIDIA; null: no GPUs, or not said.")
    infiniband: bool = Field(False, description="Whether machines of this flavor reach an InfiniBand network.")
    local_storage: str | None = Field(None, description="Local disk technology (e.g. NVMe, SSD); null: not said.")
    is_shared: bool = Field(True, description=_SHARED.format("flavor"))

    @model_validator(mode="after")
    def _gpu_details_need_gpus(self) -> Self:
        if self.gpus == 0 and (self.gpu_model or self.gpu_vendor):
            raise ValueError("gpuModel and gpuVendor must be empty when gpus is 0")
        return self


class ImageIn(Model):
    uuid: str = Field(min_length=1, description="The image's id at its provider (e.g. Glance's).")
    name: str = Field(min_length=1, description="The image's name at its provider, e.g. ubuntu-22.04-cuda.")
    description: Description = ""
    os_type: Literal["Linux", "Windows", "MacOS"] | None = Field(
        None, description="Linux, Windows or MacOS; null: not said."
    )
    os_distro: str | None = Field(None, description="The distribution, e.g. ubuntu, rocky; null: not said.")
    os_version: str | None = Field(None, description="The distribution's version, e.g. 22.04; null: not said.")
    architecture: str | None = Field(None, description="CPU architecture, e.g. x86_64, aarch64; null: not said.")
    kernel_id: str | None = Field(None, description="The id of its kernel image, when it boots a separate one.")
    cuda_support: bool = Field(False, description="Whether the CUDA toolkit is installed.")
    gpu_driver: bool = Field(False, description="Whether a GPU driver is installed.")
    created_at: dt.datetime | None = Field(None, description="When the image was made at its provider.")
    tags: list[str] = Field([], description="The provider's tags on the image (empty: none).")
    is_shared: bool = Field(True, description=_SHARED.format("image"))
    cuda_version: str | None = Field(None, description="CUDA toolkit version, e.g. 12.4; null: none, or not said.")
    gpu_driver_version: str | None = Field(
        None, description="GPU driver version, e.g. 550.54.15; null: none, or not said."
    )
    cudnn_version: str | None = Field(None, description="cuDNN version, e.g. 9.1; null: none, or not said.")
    login_user: str | None = Field(
        None, min_length=1, description="The user to log in as (e.g. ubuntu); null: not said."
    )

    _check_versions = field_validator("cuda_version", "gpu_driver_version", "cudnn_version")(_version)


class NetworkIn(Model):
    uuid: str = Field(min_length=1, description="The network's id at its network service (e.g. Neutron's).")
    name: str = Field(min_length=1, description="The network's name at its network service.")
    description: Description = ""
    is_router_external: bool = Field(False, description="Whether it is a public (router-external) network.")
    is_default: bool = Field(False, description="Whether it is the default network of its provider.")
    mtu: int | None = Field(None, gt=0, description="Maximum transmission unit, in bytes; null: not said.")
    proxy_host: str | None = Field(
        None, description="The host (SSH jump host) through which machines on a private network are reached."
    )
    proxy_user: str | None = Field(None, description="The user to log in to the proxy host as.")
    tags: list[str] = Field([], description="The provider's tags on the network (empty: none).")
    is_shared: bool = Field(True, description=_SHARED.format("network"))
    cidr: str | None = Field(
        None, description="Its subnet's address range, e.g. 10.0.0.0/24 (the first IPv4 one when it has several)."
    )

    @field_validator("cidr")
    @classmethod
    def _network_range(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ipaddress.ip_network(value, strict=False)
            except ValueError:
                raise ValueError(f"{value!r} is not an address range such as 10.0.0.0/24") from None
        return value


class VolumeTypeIn(Model):
    name: str = Field(min_length=1, description="The volume type's name at its block storage service, e.g. ssd.")
    description: Description = ""
    qos: str | None = Field(None, description="Its quality of service (e.g. iops=1000); null: not said.")


ServiceKind = Literal["compute", "blockStorage", "network", "objectStore", "identity"]


class ServiceIn(Model):
    kind: ServiceKind = Field(description="compute, blockStorage, network, objectStore or identity.")
    endpoint: str = Field(description="The service's URL, as its catalogue lists it.")
    name: str = Field(min_length=1, description="The service's type, e.g. org.openstack.nova, compute.k8s.io/v1.")
    description: Description = ""
    microversion: str | None = Field(
        None, description="The highest compute API microversion it speaks, e.g. 2.90 (compute services only)."
    )
    data_location: str | None = Field(
        None,
        description="Where its data lives, for data-aware placement, e.g. a Rucio RSE name (object stores only).",
    )
    flavors: list[FlavorIn] | None = []  # None: unknown (not read), keep what is stored
    images: list[ImageIn] | None = []
    networks: list[NetworkIn] | None = []
    volume_types: list[VolumeTypeIn] | None = []

    _check_endpoint = field_validator("endpoint")(_url)

    @model_validator(mode="after")
    def _offers_fit_kind(self) -> Self:
        offers = {"flavors": "compute", "images": "compute", "networks": "network", "volume_types": "blockStorage"}
        for attr, kind in offers.items():
            if getattr(self, attr) and self.kind != kind:
                raise ValueError(f"{to_camel(attr)} can only be offered by a {kind} service")
        if self.microversion is not None and self.kind != "compute":
            raise ValueError("microversion is for compute services")
        if self.data_location is not None and self.kind != "objectStore":
            raise ValueError("dataLocation is for object store services")
        return self


class LocationIn(Model):
    site: str = Field(min_length=1, description="The site's name, e.g. CNAF (Bologna).")
    country: str = Field(description="The country: an ISO 3166 name or code (stored and answered as its name).")
    description: Description = ""
    latitude: float | None = Field(None, ge=-90, le=90, description="Degrees north (−90 to 90); null: not said.")
    longitude: float | None = Field(None, ge=-180, le=180, description="Degrees east (−180 to 180); null: not said.")

    @field_validator("country")
    @classmethod
    def _iso_country(cls, value: str) -> str:
        try:
            pycountry.countries.lookup(value)
        except LookupError:
            raise ValueError(f"{value!r} is not an ISO 3166 country name or code") from None
        return value

    @property
    def country_record(self) -> tuple[str, str]:
        """(common name, alpha-2 code)."""
        found = pycountry.countries.lookup(self.country)
        return getattr(found, "common_name", found.name), found.alpha_2


class RegionIn(Model):
    name: str = Field(min_length=1, description="The region's name at its provider, e.g. RegionOne.")
    description: Description = ""
    overbooking_cpu: float = Field(1.0, gt=0, description="Virtual CPUs per physical core (1: none).")
    overbooking_ram: float = Field(1.0, gt=0, description="Virtual memory per unit of physical memory (1: none).")
    bandwidth_in: float | None = Field(None, ge=0, description="Inbound bandwidth, in Gbps; null: not said.")
    bandwidth_out: float | None = Field(None, ge=0, description="Outbound bandwidth, in Gbps; null: not said.")
    public_ip_assignable: bool | None = Field(
        None, description="Whether deployments here can be given public IPs; null: not said."
    )
    location: LocationIn | None = None
    services: list[ServiceIn] | None = []  # None: unknown (the region could not be read), keep them
    harvest: HarvestIn | None = Field(None, description="Only where this region's harvest went otherwise")


QuotaService = Literal["compute", "blockStorage", "network", "objectStore"]
QUOTA_FIGURES: dict[str, tuple[str, ...]] = {
    "compute": ("cores", "instances", "ram", "gpus"),
    "blockStorage": ("gigabytes", "per_volume_gigabytes", "volumes"),
    "network": ("public_ips", "networks", "ports", "security_groups", "security_group_rules"),
    "objectStore": ("bytes", "containers", "objects"),
}
# What a quota may be scoped to, per service kind, and the figures a scoped quota may carry: a block
# storage quota to one volume type (Cinder's `gigabytes_<type>`, a Kubernetes StorageClass's
# `<class>.storageclass.storage.k8s.io/requests.storage`), a compute quota to some GPUs (Kubernetes'
# `requests.nvidia.com/gpu`, a MIG profile, …).
QUOTA_SCOPES: dict[str, tuple[str, ...]] = {
    "compute": ("gpu_vendor", "gpu_model", "gpu_resource"),
    "blockStorage": ("volume_type",),
}
SCOPED_FIGURES: dict[str, tuple[str, ...]] = {"compute": ("gpus",), "blockStorage": ("gigabytes", "volumes")}
QUOTA_SCOPE_PROPERTIES = tuple(to_camel(f) for fields in QUOTA_SCOPES.values() for f in fields)


def quota_scope(properties: Mapping[str, Any]) -> str:
    """What a quota (its stored, camelCase properties) is scoped to, as part of its key: "" when it is
    not scoped, so an unscoped quota keeps the key (and id) it always had."""
    return "/".join(f"{p}={properties[p]}" for p in QUOTA_SCOPE_PROPERTIES if properties.get(p) is not None)


# A quota figure: what it counts; −1 is unlimited, null is not set (no limit recorded, or not measured).
Count = int
_FIGURE = "{0}; −1: unlimited; null: not set."


class QuotaIn(Model):
    region: str = Field(description="Name of the region supplying the service")
    service: QuotaService = Field(description="Kind of the service the quota applies to")
    endpoint: str | None = Field(None, description="Needed only when the region has several services of that kind")
    description: Description = ""
    per_user: bool = Field(False, description="true: a limit for each user of the project; false: for the project.")
    usage: bool = Field(False, description="true: current consumption; false: a limit.")
    cores: Count | None = Field(None, ge=-1, description=_FIGURE.format("Virtual CPUs"))
    instances: Count | None = Field(None, ge=-1, description=_FIGURE.format("Machines"))
    ram: Count | None = Field(None, ge=-1, description=_FIGURE.format("Memory, in MiB"))
    gpus: Count | None = Field(None, ge=-1, description=_FIGURE.format("GPUs"))
    gigabytes: Count | None = Field(None, ge=-1, description=_FIGURE.format("Volume space, in GiB"))
    per_volume_gigabytes: Count | None = Field(
        None, ge=-1, description=_FIGURE.format("The size of one volume, in GiB")
    )
    volumes: Count | None = Field(None, ge=-1, description=_FIGURE.format("Volumes"))
    public_ips: Count | None = Field(None, ge=-1, description=_FIGURE.format("Public (floating) IPs"))
    networks: Count | None = Field(None, ge=-1, description=_FIGURE.format("Networks"))
    ports: Count | None = Field(None, ge=-1, description=_FIGURE.format("Ports"))
    security_groups: Count | None = Field(None, ge=-1, description=_FIGURE.format("Security groups"))
    security_group_rules: Count | None = Field(None, ge=-1, description=_FIGURE.format("Security group rules"))
    bytes: Count | None = Field(None, ge=-1, description=_FIGURE.format("Stored data, in bytes"))
    containers: Count | None = Field(None, ge=-1, description=_FIGURE.format("Containers (buckets)"))
    objects: Count | None = Field(None, ge=-1, description=_FIGURE.format("Stored objects"))
    volume_type: str | None = Field(
        None, min_length=1, description="Block storage: the volume type (StorageClass) it is scoped to"
    )
    gpu_vendor: str | None = Field(None, min_length=1, description="Compute: the GPU vendor it is scoped to")
    gpu_model: str | None = Field(None, min_length=1, description="Compute: the GPU model it is scoped to")
    gpu_resource: str | None = Field(
        None, min_length=1, description="Compute: the provider's name of the GPU resource it counts (nvidia.com/gpu)"
    )

    @model_validator(mode="after")
    def _figures_fit_service(self) -> Self:
        allowed = set(QUOTA_FIGURES[self.service])
        for figures in QUOTA_FIGURES.values():
            for figure in figures:
                if figure not in allowed and getattr(self, figure) is not None:
                    raise ValueError(f"{to_camel(figure)} is not a figure of a {self.service} quota")
        scopes = QUOTA_SCOPES.get(self.service, ())
        for fields in QUOTA_SCOPES.values():
            for scope in fields:
                if scope not in scopes and getattr(self, scope) is not None:
                    raise ValueError(f"a {self.service} quota cannot be scoped by {to_camel(scope)}")
        if self.scope():
            for figure in QUOTA_FIGURES[self.service]:
                if figure not in SCOPED_FIGURES[self.service] and getattr(self, figure) is not None:
                    scope = ", ".join(to_camel(s) for s in scopes)
                    raise ValueError(f"{to_camel(figure)} is not a figure of a quota scoped by {scope}")
        return self

    def figures(self) -> dict[str, int]:
        return {to_camel(f): getattr(self, f) for f in QUOTA_FIGURES[self.service] if getattr(self, f) is not None}

    def scope(self) -> str:
        """What it is scoped to ("" for a quota on everything of its service), as in its key."""
        return quota_scope({to_camel(f): getattr(self, f) for fields in QUOTA_SCOPES.values() for f in fields})

    def scope_properties(self) -> dict[str, str]:
        """Its scope as stored properties (camelCase), only those set."""
        fields = QUOTA_SCOPES.get(self.service, ())
        return {to_camel(f): getattr(self, f) for f in fields if getattr(self, f) is not None}


class ProjectIn(Model):
    uuid: str = Field(min_length=1, description="The project's id at its provider (Keystone project id, namespace).")
    name: str = Field(min_length=1, description="The project's name at its provider.")
    description: Description = ""
    quotas: list[QuotaIn] | None = []  # None: unknown, keep the stored quotas
    private_flavors: list[str] | None = Field([], description="uuids of private flavors of this provider")
    private_images: list[str] | None = []
    private_networks: list[str] | None = []


class TrustIn(Model):
    issuer: str = Field(description="Endpoint of a listed identity provider")
    idp_name: str = Field(min_length=1, description="The name the provider gives the issuer (e.g. Keystone's IdP).")
    protocol: str = Field("openid", description="The federation protocol the provider uses with it, e.g. openid.")
    audience: str | None = Field(None, description="The audience its tokens must carry there; null: any.")


class ProviderIn(Model):
    name: str = Field(min_length=1, description="The provider's name in the federation, e.g. CLOUD-CNAF.")
    type: Literal["openstack", "kubernetes"] = Field(description="The cloud management framework it runs.")
    status: Literal["active", "maintenance", "limited", "removed"] = Field(
        "active", description="Whether it takes deployments now."
    )
    is_public: bool = Field(
        False, description="Whether it is a public cloud (recorded for people: the may-use rule does not read it)."
    )
    support_emails: list[str] = Field([], description="Where its users write for help (empty: none given).")
    description: Description = ""
    trusts: list[TrustIn] = []
    regions: list[RegionIn] | None = []  # None: unknown (the provider could not be read), keep them all
    projects: list[ProjectIn] | None = []  # None: unknown, keep them all with their quotas and links
    harvest: HarvestIn | None = Field(None, description="How the feeder's last harvest of it went")


class ProjectRef(Model):
    provider: str = Field(description="Provider name")
    project: str = Field(description="Project uuid at that provider")


class SLAIn(Model):
    doc_uuid: str = Field(min_length=1, description="The id of the signed document (as SLAM knew it).")
    start_date: dt.date = Field(description="The first day it is in force.")
    end_date: dt.date = Field(description="The last day it is in force.")
    description: Description = ""
    projects: list[ProjectRef] = []

    @model_validator(mode="after")
    def _starts_before_end(self) -> Self:
        if self.start_date >= self.end_date:
            raise ValueError("startDate must be before endDate")
        return self


class UserGroupIn(Model):
    name: str = Field(min_length=1, description="The group's name as the issuer's tokens list it (it may contain '/').")
    description: Description = ""
    slas: list[SLAIn] = []


class IdentityProviderIn(Model):
    endpoint: str = Field(description="The issuer URL, exactly as tokens carry it in `iss`.")
    group_claim: str = Field(min_length=1, description="The token claim that lists the caller's group names.")
    description: Description = ""
    user_groups: list[UserGroupIn] = []

    _check_endpoint = field_validator("endpoint")(_url)


class FederationFile(Model):
    identity_providers: list[IdentityProviderIn] = []
    providers: list[ProviderIn] = []


class ProviderBundle(Model):
    """One provider with everything under it, and the identity providers it trusts with their user
    groups and SLAs (whose projects must be this provider's): what the feeder pushes at a time."""

    provider: ProviderIn
    identity_providers: list[IdentityProviderIn] = []

    @model_validator(mode="after")
    def _slas_cover_this_provider(self) -> Self:
        for i, idp in enumerate(self.identity_providers):
            for j, group in enumerate(idp.user_groups):
                for k, sla in enumerate(group.slas):
                    for covered in sla.projects:
                        if covered.provider != self.provider.name:
                            raise ValueError(
                                f"identityProviders.{i}.userGroups.{j}.slas.{k}: covers a project at "
                                f"{covered.provider!r}, not at this bundle's provider {self.provider.name!r}"
                            )
        return self

    def as_federation(self) -> FederationFile:
        return FederationFile(identity_providers=self.identity_providers, providers=[self.provider])
