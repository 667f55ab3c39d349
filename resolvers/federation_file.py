"""The federation file the feeder loads: a whole federation as nested YAML/JSON, validated.

Keys are camelCase, like the GraphQL schema. See examples/federation.yaml for a full example.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

import pycountry
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.alias_generators import to_camel

Count = int  # a quota figure: −1 (unlimited) or ≥ 0


class Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)


def _url(value: str) -> str:
    AnyHttpUrl(value)  # raises a ValidationError naming the field when malformed
    return value


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


VERSION = r"^\d+(\.\d+){0,3}$"  # dotted numbers, compared as numbers (12.10 > 12.4)


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
    cuda_version: str | None = Field(None, pattern=VERSION, description="e.g. 12.4")
    gpu_driver_version: str | None = Field(None, pattern=VERSION, description="e.g. 550.54.15")
    cudnn_version: str | None = Field(None, pattern=VERSION, description="e.g. 9.1")
    login_user: str | None = Field(None, min_length=1, description="The user to log in as (e.g. ubuntu)")
    created_at: dt.datetime | None = None
    tags: list[str] = []
    is_shared: bool = True


class NetworkIn(Model):
    uuid: str = Field(min_length=1)
    name: str = Field(min_length=1)
    description: str = ""
    is_router_external: bool = False
    is_default: bool = False
    mtu: int | None = Field(None, gt=0)
    cidr: str | None = Field(None, description="Its subnet's CIDR (the first IPv4 one when it has several)")
    proxy_host: str | None = None
    proxy_user: str | None = None
    tags: list[str] = []
    is_shared: bool = True


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
    flavors: list[FlavorIn] = []
    images: list[ImageIn] = []
    networks: list[NetworkIn] = []
    volume_types: list[VolumeTypeIn] = []

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
    services: list[ServiceIn] = []


QuotaService = Literal["compute", "blockStorage", "network", "objectStore"]
QUOTA_FIGURES: dict[str, tuple[str, ...]] = {
    "compute": ("cores", "instances", "ram", "gpus"),
    "blockStorage": ("gigabytes", "per_volume_gigabytes", "volumes"),
    "network": ("public_ips", "networks", "ports", "security_groups", "security_group_rules"),
    "objectStore": ("bytes", "containers", "objects"),
}


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

    @model_validator(mode="after")
    def _figures_fit_service(self) -> Self:
        allowed = set(QUOTA_FIGURES[self.service])
        for figures in QUOTA_FIGURES.values():
            for figure in figures:
                if figure not in allowed and getattr(self, figure) is not None:
                    raise ValueError(f"{to_camel(figure)} is not a figure of a {self.service} quota")
        return self

    def figures(self) -> dict[str, int]:
        return {to_camel(f): getattr(self, f) for f in QUOTA_FIGURES[self.service] if getattr(self, f) is not None}


class ProjectIn(Model):
    uuid: str = Field(min_length=1)
    name: str = Field(min_length=1)
    description: str = ""
    quotas: list[QuotaIn] = []
    private_flavors: list[str] = Field([], description="uuids of private flavors of this provider")
    private_images: list[str] = []
    private_networks: list[str] = []


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
    regions: list[RegionIn] = []
    projects: list[ProjectIn] = []


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
