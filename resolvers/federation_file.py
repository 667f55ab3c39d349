"""The federation file the feeder loads: a whole federation as nested YAML/JSON, validated.

Keys are camelCase, like the GraphQL schema. See examples/federation.yaml for a full example.

What a harvest could not read is `null`, never `[]`: a region's `services`, a service's `flavors`,
`images`, `networks` or `volumeTypes`, a project's `quotas` or private links. `[]` says "there are
none" and removes what is stored; `null` says "unknown": the registry keeps what it has and marks
it stale. (`[]` is the default, so a hand-written file means what it lists.)
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Mapping
from typing import Any, Literal, Self

import pycountry
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.alias_generators import to_camel

Count = int  # a quota figure: −1 (unlimited) or ≥ 0


class Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)


def _url(value: str) -> str:
    AnyHttpUrl(value)  # raises a ValidationError naming the field when malformed
    return value


_VERSION = re.compile(r"^\d+(\.\d+)*$")


def _version(value: str | None) -> str | None:
    """A dotted version (12.4, 550.54.15): compared part by part as numbers, so it must be one."""
    if value is not None and not _VERSION.match(value):
        raise ValueError(f"{value!r} is not a dotted version such as 12.4")
    return value


class HarvestIn(Model):
    """How the last harvest of a provider (or of one of its regions) went."""

    attempted_at: dt.datetime
    outcome: Literal["ok", "partial", "failed"]
    error: str | None = Field(None, max_length=500, description="A short, safe reason (no credentials, no URLs)")


class FlavorIn(Model):
    uuid: str = Field(min_length=1)
    name: str = Field(min_length=1)
    description: str = ""
    vcpus: int = Field(0, ge=0)
    ram: int = Field(0, ge=0, description="MiB")
    disk: int = Field(0, ge=0, description="GiB")
    swap: int = Field(0, ge=0)
    ephemeral: int = Field(0, ge=0)
    gpus: int = Field(0, ge=0)
    gpu_model: str | None = None
    gpu_vendor: str | None = None
    infiniband: bool = False
    local_storage: str | None = None
    is_shared: bool = True

    @model_validator(mode="after")
    def _gpu_details_need_gpus(self) -> Self:
        if self.gpus == 0 and (self.gpu_model or self.gpu_vendor):
            raise ValueError("gpuModel and gpuVendor must be empty when gpus is 0")
        return self


class ImageIn(Model):
    uuid: str = Field(min_length=1)
    name: str = Field(min_length=1)
    description: str = ""
    os_type: Literal["Linux", "Windows", "MacOS"] | None = None
    os_distro: str | None = None
    os_version: str | None = None
    architecture: str | None = None
    kernel_id: str | None = None
    cuda_support: bool = False
    gpu_driver: bool = False
    created_at: dt.datetime | None = None
    tags: list[str] = []
    is_shared: bool = True
    cuda_version: str | None = Field(None, description="CUDA toolkit version, e.g. 12.4")
    gpu_driver_version: str | None = Field(None, description="GPU driver version, e.g. 550.54.15")
    cudnn_version: str | None = None
    login_user: str | None = Field(None, min_length=1, description="The user to log in as (e.g. ubuntu)")

    _check_versions = field_validator("cuda_version", "gpu_driver_version", "cudnn_version")(_version)


class NetworkIn(Model):
    uuid: str = Field(min_length=1)
    name: str = Field(min_length=1)
    description: str = ""
    is_router_external: bool = False
    is_default: bool = False
    mtu: int | None = Field(None, gt=0)
    proxy_host: str | None = None
    proxy_user: str | None = None
    tags: list[str] = []
    is_shared: bool = True
    cidr: str | None = Field(None, description="Its subnet's range (the first IPv4 one when it has several)")

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
    name: str = Field(min_length=1)
    description: str = ""
    qos: str | None = None


ServiceKind = Literal["compute", "blockStorage", "network", "objectStore", "identity"]


class ServiceIn(Model):
    kind: ServiceKind
    endpoint: str
    name: str = Field(min_length=1, description="e.g. org.openstack.nova")
    description: str = ""
    microversion: str | None = None
    data_location: str | None = None
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
    site: str = Field(min_length=1)
    country: str = Field(description="ISO 3166 name or code")
    description: str = ""
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)

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
    name: str = Field(min_length=1)
    description: str = ""
    overbooking_cpu: float = Field(1.0, gt=0)
    overbooking_ram: float = Field(1.0, gt=0)
    bandwidth_in: float | None = Field(None, ge=0)
    bandwidth_out: float | None = Field(None, ge=0)
    public_ip_assignable: bool | None = None
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


class QuotaIn(Model):
    region: str = Field(description="Name of the region supplying the service")
    service: QuotaService = Field(description="Kind of the service the quota applies to")
    endpoint: str | None = Field(None, description="Needed only when the region has several services of that kind")
    description: str = ""
    per_user: bool = False
    usage: bool = False
    cores: int | None = Field(None, ge=-1)
    instances: int | None = Field(None, ge=-1)
    ram: int | None = Field(None, ge=-1)
    gpus: int | None = Field(None, ge=-1)
    gigabytes: int | None = Field(None, ge=-1)
    per_volume_gigabytes: int | None = Field(None, ge=-1)
    volumes: int | None = Field(None, ge=-1)
    public_ips: int | None = Field(None, ge=-1)
    networks: int | None = Field(None, ge=-1)
    ports: int | None = Field(None, ge=-1)
    security_groups: int | None = Field(None, ge=-1)
    security_group_rules: int | None = Field(None, ge=-1)
    bytes: int | None = Field(None, ge=-1)
    containers: int | None = Field(None, ge=-1)
    objects: int | None = Field(None, ge=-1)
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
    uuid: str = Field(min_length=1)
    name: str = Field(min_length=1)
    description: str = ""
    quotas: list[QuotaIn] | None = []  # None: unknown, keep the stored quotas
    private_flavors: list[str] | None = Field([], description="uuids of private flavors of this provider")
    private_images: list[str] | None = []
    private_networks: list[str] | None = []


class TrustIn(Model):
    issuer: str = Field(description="Endpoint of a listed identity provider")
    idp_name: str = Field(min_length=1)
    protocol: str = "openid"
    audience: str | None = None


class ProviderIn(Model):
    name: str = Field(min_length=1)
    type: Literal["openstack", "kubernetes"]
    status: Literal["active", "maintenance", "limited", "removed"] = "active"
    is_public: bool = False
    support_emails: list[str] = []
    description: str = ""
    trusts: list[TrustIn] = []
    regions: list[RegionIn] | None = []  # None: unknown (the provider could not be read), keep them all
    projects: list[ProjectIn] | None = []  # None: unknown, keep them all with their quotas and links
    harvest: HarvestIn | None = Field(None, description="How the feeder's last harvest of it went")


class ProjectRef(Model):
    provider: str = Field(description="Provider name")
    project: str = Field(description="Project uuid at that provider")


class SLAIn(Model):
    doc_uuid: str = Field(min_length=1)
    start_date: dt.date
    end_date: dt.date
    description: str = ""
    projects: list[ProjectRef] = []

    @model_validator(mode="after")
    def _starts_before_end(self) -> Self:
        if self.start_date >= self.end_date:
            raise ValueError("startDate must be before endDate")
        return self


class UserGroupIn(Model):
    name: str = Field(min_length=1)
    description: str = ""
    slas: list[SLAIn] = []


class IdentityProviderIn(Model):
    endpoint: str
    group_claim: str = Field(min_length=1)
    description: str = ""
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
