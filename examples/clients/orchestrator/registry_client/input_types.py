from datetime import date, datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import (
    BlockStorageServiceSortField,
    ComputeServiceSortField,
    FlavorSortField,
    IdentityProviderSortField,
    IdentityServiceSortField,
    ImageSortField,
    LocationSortField,
    NetworkServiceSortField,
    NetworkSortField,
    ObjectStoreServiceSortField,
    ProjectSortField,
    ProviderSortField,
    ProviderStatus,
    ProviderType,
    QuotaKind,
    QuotaSortField,
    RegionSortField,
    SLASortField,
    SortDirection,
    UserGroupSortField,
    VolumeTypeSortField,
)


class BlockStorageQuotaInput(BaseModel):
    """A new BlockStorageQuota; see its type."""

    project_id: str = Field(alias="projectId")
    service_id: str = Field(alias="serviceId")
    endpoint: Optional[str] = None
    description: Optional[str] = None
    per_user: Optional[bool] = Field(alias="perUser", default=None)
    usage: Optional[bool] = None
    cores: Optional[int] = None
    instances: Optional[int] = None
    ram: Optional[int] = None
    gpus: Optional[int] = None
    gigabytes: Optional[int] = None
    per_volume_gigabytes: Optional[int] = Field(
        alias="perVolumeGigabytes", default=None
    )
    volumes: Optional[int] = None
    public_ips: Optional[int] = Field(alias="publicIps", default=None)
    ports: Optional[int] = None
    security_groups: Optional[int] = Field(alias="securityGroups", default=None)
    security_group_rules: Optional[int] = Field(
        alias="securityGroupRules", default=None
    )
    bytes_: Optional[int] = Field(alias="bytes", default=None)
    containers: Optional[int] = None
    objects: Optional[int] = None


class BlockStorageQuotaPatch(BaseModel):
    """Changes to BlockStorageQuota; see its type."""

    endpoint: Optional[str] = None
    description: Optional[str] = None
    per_user: Optional[bool] = Field(alias="perUser", default=None)
    usage: Optional[bool] = None
    cores: Optional[int] = None
    instances: Optional[int] = None
    ram: Optional[int] = None
    gpus: Optional[int] = None
    gigabytes: Optional[int] = None
    per_volume_gigabytes: Optional[int] = Field(
        alias="perVolumeGigabytes", default=None
    )
    volumes: Optional[int] = None
    public_ips: Optional[int] = Field(alias="publicIps", default=None)
    ports: Optional[int] = None
    security_groups: Optional[int] = Field(alias="securityGroups", default=None)
    security_group_rules: Optional[int] = Field(
        alias="securityGroupRules", default=None
    )
    bytes_: Optional[int] = Field(alias="bytes", default=None)
    containers: Optional[int] = None
    objects: Optional[int] = None


class BlockStorageServiceInput(BaseModel):
    """A new BlockStorageService; see its type."""

    region_id: str = Field(alias="regionId")
    endpoint: str
    name: str
    description: Optional[str] = None
    microversion: Optional[str] = None
    data_location: Optional[str] = Field(alias="dataLocation", default=None)


class BlockStorageServiceOrder(BaseModel):
    field: BlockStorageServiceSortField = BlockStorageServiceSortField.ENDPOINT
    direction: SortDirection = SortDirection.ASC


class BlockStorageServicePatch(BaseModel):
    """Changes to BlockStorageService; see its type."""

    endpoint: Optional[str] = None
    name: Optional[str] = None
    description: Optional[str] = None
    microversion: Optional[str] = None
    data_location: Optional[str] = Field(alias="dataLocation", default=None)


class ComputeQuotaInput(BaseModel):
    """A new ComputeQuota; see its type."""

    project_id: str = Field(alias="projectId")
    service_id: str = Field(alias="serviceId")
    endpoint: Optional[str] = None
    description: Optional[str] = None
    per_user: Optional[bool] = Field(alias="perUser", default=None)
    usage: Optional[bool] = None
    cores: Optional[int] = None
    instances: Optional[int] = None
    ram: Optional[int] = None
    gpus: Optional[int] = None
    gigabytes: Optional[int] = None
    per_volume_gigabytes: Optional[int] = Field(
        alias="perVolumeGigabytes", default=None
    )
    volumes: Optional[int] = None
    public_ips: Optional[int] = Field(alias="publicIps", default=None)
    ports: Optional[int] = None
    security_groups: Optional[int] = Field(alias="securityGroups", default=None)
    security_group_rules: Optional[int] = Field(
        alias="securityGroupRules", default=None
    )
    bytes_: Optional[int] = Field(alias="bytes", default=None)
    containers: Optional[int] = None
    objects: Optional[int] = None


class ComputeQuotaPatch(BaseModel):
    """Changes to ComputeQuota; see its type."""

    endpoint: Optional[str] = None
    description: Optional[str] = None
    per_user: Optional[bool] = Field(alias="perUser", default=None)
    usage: Optional[bool] = None
    cores: Optional[int] = None
    instances: Optional[int] = None
    ram: Optional[int] = None
    gpus: Optional[int] = None
    gigabytes: Optional[int] = None
    per_volume_gigabytes: Optional[int] = Field(
        alias="perVolumeGigabytes", default=None
    )
    volumes: Optional[int] = None
    public_ips: Optional[int] = Field(alias="publicIps", default=None)
    ports: Optional[int] = None
    security_groups: Optional[int] = Field(alias="securityGroups", default=None)
    security_group_rules: Optional[int] = Field(
        alias="securityGroupRules", default=None
    )
    bytes_: Optional[int] = Field(alias="bytes", default=None)
    containers: Optional[int] = None
    objects: Optional[int] = None


class ComputeServiceInput(BaseModel):
    """A new ComputeService; see its type."""

    region_id: str = Field(alias="regionId")
    endpoint: str
    name: str
    description: Optional[str] = None
    microversion: Optional[str] = None
    data_location: Optional[str] = Field(alias="dataLocation", default=None)


class ComputeServiceOrder(BaseModel):
    field: ComputeServiceSortField = ComputeServiceSortField.ENDPOINT
    direction: SortDirection = SortDirection.ASC


class ComputeServicePatch(BaseModel):
    """Changes to ComputeService; see its type."""

    endpoint: Optional[str] = None
    name: Optional[str] = None
    description: Optional[str] = None
    microversion: Optional[str] = None
    data_location: Optional[str] = Field(alias="dataLocation", default=None)


class DeploymentTargetFilter(BaseModel):
    on: Optional[date] = None
    "SLAs in force on this date; default today."
    provider_status: Optional[list[ProviderStatus]] = Field(
        alias="providerStatus", default=None
    )
    "Default: ACTIVE providers only."
    region_name: Optional[str] = Field(alias="regionName", default=None)
    provider_id: Optional[str] = Field(alias="providerId", default=None)
    stale: Optional[bool] = None
    "false: only rows whose provider, region and service were all confirmed."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only rows whose provider was harvested successfully within this long."


class FlavorFilter(BaseModel):
    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    uuid: Optional[str] = None
    name: Optional[str] = None
    name_contains: Optional[str] = Field(alias="nameContains", default=None)
    vcpus_min: Optional[int] = Field(alias="vcpusMin", default=None)
    ram_min: Optional[int] = Field(alias="ramMin", default=None)
    "MiB."
    disk_min: Optional[int] = Field(alias="diskMin", default=None)
    "GiB."
    gpus_min: Optional[int] = Field(alias="gpusMin", default=None)
    gpu_vendor: Optional[str] = Field(alias="gpuVendor", default=None)
    "Case-insensitive, e.g. NVIDIA."
    gpu_model: Optional[str] = Field(alias="gpuModel", default=None)
    "Case-insensitive substring, e.g. A100."
    infiniband: Optional[bool] = None
    local_storage: Optional[str] = Field(alias="localStorage", default=None)
    is_shared: Optional[bool] = Field(alias="isShared", default=None)
    tag: Optional[str] = None


class FlavorInput(BaseModel):
    """A new Flavor; see its type."""

    compute_service_id: str = Field(alias="computeServiceId")
    uuid: str
    name: str
    description: Optional[str] = None
    vcpus: Optional[int] = None
    ram: Optional[int] = None
    disk: Optional[int] = None
    swap: Optional[int] = None
    ephemeral: Optional[int] = None
    gpus: Optional[int] = None
    gpu_model: Optional[str] = Field(alias="gpuModel", default=None)
    gpu_vendor: Optional[str] = Field(alias="gpuVendor", default=None)
    infiniband: Optional[bool] = None
    local_storage: Optional[str] = Field(alias="localStorage", default=None)
    is_shared: Optional[bool] = Field(alias="isShared", default=None)


class FlavorOrder(BaseModel):
    field: FlavorSortField = FlavorSortField.NAME
    direction: SortDirection = SortDirection.ASC


class FlavorPatch(BaseModel):
    """Changes to Flavor; see its type."""

    uuid: Optional[str] = None
    name: Optional[str] = None
    description: Optional[str] = None
    vcpus: Optional[int] = None
    ram: Optional[int] = None
    disk: Optional[int] = None
    swap: Optional[int] = None
    ephemeral: Optional[int] = None
    gpus: Optional[int] = None
    gpu_model: Optional[str] = Field(alias="gpuModel", default=None)
    gpu_vendor: Optional[str] = Field(alias="gpuVendor", default=None)
    infiniband: Optional[bool] = None
    local_storage: Optional[str] = Field(alias="localStorage", default=None)
    is_shared: Optional[bool] = Field(alias="isShared", default=None)


class IdentityProviderFilter(BaseModel):
    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    endpoint: Optional[str] = None


class IdentityProviderInput(BaseModel):
    """A new IdentityProvider; see its type."""

    endpoint: str
    group_claim: str = Field(alias="groupClaim")
    description: Optional[str] = None


class IdentityProviderOrder(BaseModel):
    field: IdentityProviderSortField = IdentityProviderSortField.ENDPOINT
    direction: SortDirection = SortDirection.ASC


class IdentityProviderPatch(BaseModel):
    """Changes to IdentityProvider; see its type."""

    endpoint: Optional[str] = None
    group_claim: Optional[str] = Field(alias="groupClaim", default=None)
    description: Optional[str] = None


class IdentityServiceInput(BaseModel):
    """A new IdentityService; see its type."""

    region_id: str = Field(alias="regionId")
    endpoint: str
    name: str
    description: Optional[str] = None
    microversion: Optional[str] = None
    data_location: Optional[str] = Field(alias="dataLocation", default=None)


class IdentityServiceOrder(BaseModel):
    field: IdentityServiceSortField = IdentityServiceSortField.ENDPOINT
    direction: SortDirection = SortDirection.ASC


class IdentityServicePatch(BaseModel):
    """Changes to IdentityService; see its type."""

    endpoint: Optional[str] = None
    name: Optional[str] = None
    description: Optional[str] = None
    microversion: Optional[str] = None
    data_location: Optional[str] = Field(alias="dataLocation", default=None)


class ImageFilter(BaseModel):
    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    uuid: Optional[str] = None
    name: Optional[str] = None
    name_contains: Optional[str] = Field(alias="nameContains", default=None)
    os_type: Optional[str] = Field(alias="osType", default=None)
    os_distro: Optional[str] = Field(alias="osDistro", default=None)
    "Case-insensitive, e.g. ubuntu."
    os_version: Optional[str] = Field(alias="osVersion", default=None)
    architecture: Optional[str] = None
    cuda_support: Optional[bool] = Field(alias="cudaSupport", default=None)
    gpu_driver: Optional[bool] = Field(alias="gpuDriver", default=None)
    cuda_version_min: Optional[str] = Field(alias="cudaVersionMin", default=None)
    "CUDA version at least this (dotted, compared part by part: 12.10 > 12.9)."
    gpu_driver_version_min: Optional[str] = Field(
        alias="gpuDriverVersionMin", default=None
    )
    "GPU driver at least this."
    is_shared: Optional[bool] = Field(alias="isShared", default=None)
    tag: Optional[str] = None


class ImageInput(BaseModel):
    """A new Image; see its type."""

    compute_service_id: str = Field(alias="computeServiceId")
    uuid: str
    name: str
    description: Optional[str] = None
    os_type: Optional[str] = Field(alias="osType", default=None)
    os_distro: Optional[str] = Field(alias="osDistro", default=None)
    os_version: Optional[str] = Field(alias="osVersion", default=None)
    architecture: Optional[str] = None
    kernel_id: Optional[str] = Field(alias="kernelId", default=None)
    cuda_support: Optional[bool] = Field(alias="cudaSupport", default=None)
    gpu_driver: Optional[bool] = Field(alias="gpuDriver", default=None)
    created_at: Optional[datetime] = Field(alias="createdAt", default=None)
    tags: Optional[list[str]] = None
    is_shared: Optional[bool] = Field(alias="isShared", default=None)
    cuda_version: Optional[str] = Field(alias="cudaVersion", default=None)
    gpu_driver_version: Optional[str] = Field(alias="gpuDriverVersion", default=None)
    cudnn_version: Optional[str] = Field(alias="cudnnVersion", default=None)
    login_user: Optional[str] = Field(alias="loginUser", default=None)


class ImageOrder(BaseModel):
    field: ImageSortField = ImageSortField.NAME
    direction: SortDirection = SortDirection.ASC


class ImagePatch(BaseModel):
    """Changes to Image; see its type."""

    uuid: Optional[str] = None
    name: Optional[str] = None
    description: Optional[str] = None
    os_type: Optional[str] = Field(alias="osType", default=None)
    os_distro: Optional[str] = Field(alias="osDistro", default=None)
    os_version: Optional[str] = Field(alias="osVersion", default=None)
    architecture: Optional[str] = None
    kernel_id: Optional[str] = Field(alias="kernelId", default=None)
    cuda_support: Optional[bool] = Field(alias="cudaSupport", default=None)
    gpu_driver: Optional[bool] = Field(alias="gpuDriver", default=None)
    created_at: Optional[datetime] = Field(alias="createdAt", default=None)
    tags: Optional[list[str]] = None
    is_shared: Optional[bool] = Field(alias="isShared", default=None)
    cuda_version: Optional[str] = Field(alias="cudaVersion", default=None)
    gpu_driver_version: Optional[str] = Field(alias="gpuDriverVersion", default=None)
    cudnn_version: Optional[str] = Field(alias="cudnnVersion", default=None)
    login_user: Optional[str] = Field(alias="loginUser", default=None)


class LocationFilter(BaseModel):
    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    site: Optional[str] = None
    country: Optional[str] = None


class LocationInput(BaseModel):
    """A new Location; see its type."""

    site: str
    country: str
    description: Optional[str] = None
    latitude: Optional[float] = None
    longitude: Optional[float] = None


class LocationOrder(BaseModel):
    field: LocationSortField = LocationSortField.SITE
    direction: SortDirection = SortDirection.ASC


class LocationPatch(BaseModel):
    """Changes to Location; see its type."""

    site: Optional[str] = None
    country: Optional[str] = None
    description: Optional[str] = None
    latitude: Optional[float] = None
    longitude: Optional[float] = None


class NetworkFilter(BaseModel):
    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    uuid: Optional[str] = None
    name: Optional[str] = None
    name_contains: Optional[str] = Field(alias="nameContains", default=None)
    is_router_external: Optional[bool] = Field(alias="isRouterExternal", default=None)
    is_default: Optional[bool] = Field(alias="isDefault", default=None)
    is_shared: Optional[bool] = Field(alias="isShared", default=None)
    tag: Optional[str] = None


class NetworkInput(BaseModel):
    """A new Network; see its type."""

    network_service_id: str = Field(alias="networkServiceId")
    uuid: str
    name: str
    description: Optional[str] = None
    is_router_external: Optional[bool] = Field(alias="isRouterExternal", default=None)
    is_default: Optional[bool] = Field(alias="isDefault", default=None)
    mtu: Optional[int] = None
    proxy_host: Optional[str] = Field(alias="proxyHost", default=None)
    proxy_user: Optional[str] = Field(alias="proxyUser", default=None)
    tags: Optional[list[str]] = None
    is_shared: Optional[bool] = Field(alias="isShared", default=None)
    cidr: Optional[str] = None


class NetworkOrder(BaseModel):
    field: NetworkSortField = NetworkSortField.NAME
    direction: SortDirection = SortDirection.ASC


class NetworkPatch(BaseModel):
    """Changes to Network; see its type."""

    uuid: Optional[str] = None
    name: Optional[str] = None
    description: Optional[str] = None
    is_router_external: Optional[bool] = Field(alias="isRouterExternal", default=None)
    is_default: Optional[bool] = Field(alias="isDefault", default=None)
    mtu: Optional[int] = None
    proxy_host: Optional[str] = Field(alias="proxyHost", default=None)
    proxy_user: Optional[str] = Field(alias="proxyUser", default=None)
    tags: Optional[list[str]] = None
    is_shared: Optional[bool] = Field(alias="isShared", default=None)
    cidr: Optional[str] = None


class NetworkQuotaInput(BaseModel):
    """A new NetworkQuota; see its type."""

    project_id: str = Field(alias="projectId")
    service_id: str = Field(alias="serviceId")
    endpoint: Optional[str] = None
    description: Optional[str] = None
    per_user: Optional[bool] = Field(alias="perUser", default=None)
    usage: Optional[bool] = None
    cores: Optional[int] = None
    instances: Optional[int] = None
    ram: Optional[int] = None
    gpus: Optional[int] = None
    gigabytes: Optional[int] = None
    per_volume_gigabytes: Optional[int] = Field(
        alias="perVolumeGigabytes", default=None
    )
    volumes: Optional[int] = None
    public_ips: Optional[int] = Field(alias="publicIps", default=None)
    ports: Optional[int] = None
    security_groups: Optional[int] = Field(alias="securityGroups", default=None)
    security_group_rules: Optional[int] = Field(
        alias="securityGroupRules", default=None
    )
    bytes_: Optional[int] = Field(alias="bytes", default=None)
    containers: Optional[int] = None
    objects: Optional[int] = None


class NetworkQuotaPatch(BaseModel):
    """Changes to NetworkQuota; see its type."""

    endpoint: Optional[str] = None
    description: Optional[str] = None
    per_user: Optional[bool] = Field(alias="perUser", default=None)
    usage: Optional[bool] = None
    cores: Optional[int] = None
    instances: Optional[int] = None
    ram: Optional[int] = None
    gpus: Optional[int] = None
    gigabytes: Optional[int] = None
    per_volume_gigabytes: Optional[int] = Field(
        alias="perVolumeGigabytes", default=None
    )
    volumes: Optional[int] = None
    public_ips: Optional[int] = Field(alias="publicIps", default=None)
    ports: Optional[int] = None
    security_groups: Optional[int] = Field(alias="securityGroups", default=None)
    security_group_rules: Optional[int] = Field(
        alias="securityGroupRules", default=None
    )
    bytes_: Optional[int] = Field(alias="bytes", default=None)
    containers: Optional[int] = None
    objects: Optional[int] = None


class NetworkServiceInput(BaseModel):
    """A new NetworkService; see its type."""

    region_id: str = Field(alias="regionId")
    endpoint: str
    name: str
    description: Optional[str] = None
    microversion: Optional[str] = None
    data_location: Optional[str] = Field(alias="dataLocation", default=None)


class NetworkServiceOrder(BaseModel):
    field: NetworkServiceSortField = NetworkServiceSortField.ENDPOINT
    direction: SortDirection = SortDirection.ASC


class NetworkServicePatch(BaseModel):
    """Changes to NetworkService; see its type."""

    endpoint: Optional[str] = None
    name: Optional[str] = None
    description: Optional[str] = None
    microversion: Optional[str] = None
    data_location: Optional[str] = Field(alias="dataLocation", default=None)


class ObjectStoreQuotaInput(BaseModel):
    """A new ObjectStoreQuota; see its type."""

    project_id: str = Field(alias="projectId")
    service_id: str = Field(alias="serviceId")
    endpoint: Optional[str] = None
    description: Optional[str] = None
    per_user: Optional[bool] = Field(alias="perUser", default=None)
    usage: Optional[bool] = None
    cores: Optional[int] = None
    instances: Optional[int] = None
    ram: Optional[int] = None
    gpus: Optional[int] = None
    gigabytes: Optional[int] = None
    per_volume_gigabytes: Optional[int] = Field(
        alias="perVolumeGigabytes", default=None
    )
    volumes: Optional[int] = None
    public_ips: Optional[int] = Field(alias="publicIps", default=None)
    ports: Optional[int] = None
    security_groups: Optional[int] = Field(alias="securityGroups", default=None)
    security_group_rules: Optional[int] = Field(
        alias="securityGroupRules", default=None
    )
    bytes_: Optional[int] = Field(alias="bytes", default=None)
    containers: Optional[int] = None
    objects: Optional[int] = None


class ObjectStoreQuotaPatch(BaseModel):
    """Changes to ObjectStoreQuota; see its type."""

    endpoint: Optional[str] = None
    description: Optional[str] = None
    per_user: Optional[bool] = Field(alias="perUser", default=None)
    usage: Optional[bool] = None
    cores: Optional[int] = None
    instances: Optional[int] = None
    ram: Optional[int] = None
    gpus: Optional[int] = None
    gigabytes: Optional[int] = None
    per_volume_gigabytes: Optional[int] = Field(
        alias="perVolumeGigabytes", default=None
    )
    volumes: Optional[int] = None
    public_ips: Optional[int] = Field(alias="publicIps", default=None)
    ports: Optional[int] = None
    security_groups: Optional[int] = Field(alias="securityGroups", default=None)
    security_group_rules: Optional[int] = Field(
        alias="securityGroupRules", default=None
    )
    bytes_: Optional[int] = Field(alias="bytes", default=None)
    containers: Optional[int] = None
    objects: Optional[int] = None


class ObjectStoreServiceInput(BaseModel):
    """A new ObjectStoreService; see its type."""

    region_id: str = Field(alias="regionId")
    endpoint: str
    name: str
    description: Optional[str] = None
    microversion: Optional[str] = None
    data_location: Optional[str] = Field(alias="dataLocation", default=None)


class ObjectStoreServiceOrder(BaseModel):
    field: ObjectStoreServiceSortField = ObjectStoreServiceSortField.ENDPOINT
    direction: SortDirection = SortDirection.ASC


class ObjectStoreServicePatch(BaseModel):
    """Changes to ObjectStoreService; see its type."""

    endpoint: Optional[str] = None
    name: Optional[str] = None
    description: Optional[str] = None
    microversion: Optional[str] = None
    data_location: Optional[str] = Field(alias="dataLocation", default=None)


class ProjectFilter(BaseModel):
    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    uuid: Optional[str] = None
    name: Optional[str] = None
    name_contains: Optional[str] = Field(alias="nameContains", default=None)
    provider_id: Optional[str] = Field(alias="providerId", default=None)
    provider_status: Optional[list[ProviderStatus]] = Field(
        alias="providerStatus", default=None
    )
    user_group_id: Optional[str] = Field(alias="userGroupId", default=None)
    "Covered by an SLA of this group."
    user_group: Optional["UserGroupRef"] = Field(alias="userGroup", default=None)
    "Covered by an SLA of this group."


class ProjectInput(BaseModel):
    """A new Project; see its type."""

    provider_id: str = Field(alias="providerId")
    uuid: str
    name: str
    description: Optional[str] = None


class ProjectOrder(BaseModel):
    field: ProjectSortField = ProjectSortField.NAME
    direction: SortDirection = SortDirection.ASC


class ProjectPatch(BaseModel):
    """Changes to Project; see its type."""

    uuid: Optional[str] = None
    name: Optional[str] = None
    description: Optional[str] = None


class ProviderFilter(BaseModel):
    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    name: Optional[str] = None
    name_contains: Optional[str] = Field(alias="nameContains", default=None)
    type_: Optional[list[ProviderType]] = Field(alias="type", default=None)
    status: Optional[list[ProviderStatus]] = None
    is_public: Optional[bool] = Field(alias="isPublic", default=None)


class ProviderInput(BaseModel):
    """A new Provider; see its type."""

    name: str
    type_: str = Field(alias="type")
    status: Optional[str] = None
    is_public: Optional[bool] = Field(alias="isPublic", default=None)
    support_emails: Optional[list[str]] = Field(alias="supportEmails", default=None)
    description: Optional[str] = None


class ProviderOrder(BaseModel):
    field: ProviderSortField = ProviderSortField.NAME
    direction: SortDirection = SortDirection.ASC


class ProviderPatch(BaseModel):
    """Changes to Provider; see its type."""

    name: Optional[str] = None
    type_: Optional[str] = Field(alias="type", default=None)
    status: Optional[str] = None
    is_public: Optional[bool] = Field(alias="isPublic", default=None)
    support_emails: Optional[list[str]] = Field(alias="supportEmails", default=None)
    description: Optional[str] = None


class QuotaFilter(BaseModel):
    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    kind: Optional[list[QuotaKind]] = None
    per_user: Optional[bool] = Field(alias="perUser", default=None)
    usage: Optional[bool] = None
    "true: consumption records; false: limits."


class QuotaOrder(BaseModel):
    field: QuotaSortField = QuotaSortField.KIND
    direction: SortDirection = SortDirection.ASC


class RegionFilter(BaseModel):
    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    name: Optional[str] = None
    name_contains: Optional[str] = Field(alias="nameContains", default=None)
    provider_id: Optional[str] = Field(alias="providerId", default=None)
    identity_endpoint: Optional[str] = Field(alias="identityEndpoint", default=None)
    "Regions whose identity service has this endpoint."
    country: Optional[str] = None
    "ISO 3166 name or alpha-2 code."
    public_ip_assignable: Optional[bool] = Field(
        alias="publicIpAssignable", default=None
    )


class RegionInput(BaseModel):
    """A new Region; see its type."""

    provider_id: str = Field(alias="providerId")
    name: str
    description: Optional[str] = None
    overbooking_cpu: Optional[float] = Field(alias="overbookingCpu", default=None)
    overbooking_ram: Optional[float] = Field(alias="overbookingRam", default=None)
    bandwidth_in: Optional[float] = Field(alias="bandwidthIn", default=None)
    bandwidth_out: Optional[float] = Field(alias="bandwidthOut", default=None)
    public_ip_assignable: Optional[bool] = Field(
        alias="publicIpAssignable", default=None
    )


class RegionOrder(BaseModel):
    field: RegionSortField = RegionSortField.NAME
    direction: SortDirection = SortDirection.ASC


class RegionPatch(BaseModel):
    """Changes to Region; see its type."""

    name: Optional[str] = None
    description: Optional[str] = None
    overbooking_cpu: Optional[float] = Field(alias="overbookingCpu", default=None)
    overbooking_ram: Optional[float] = Field(alias="overbookingRam", default=None)
    bandwidth_in: Optional[float] = Field(alias="bandwidthIn", default=None)
    bandwidth_out: Optional[float] = Field(alias="bandwidthOut", default=None)
    public_ip_assignable: Optional[bool] = Field(
        alias="publicIpAssignable", default=None
    )


class SLAFilter(BaseModel):
    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    doc_uuid: Optional[str] = Field(alias="docUuid", default=None)
    in_force: Optional[bool] = Field(alias="inForce", default=None)
    "In force today (server's UTC date)."
    in_force_on: Optional[date] = Field(alias="inForceOn", default=None)
    provider_status: Optional[list[ProviderStatus]] = Field(
        alias="providerStatus", default=None
    )
    "Covers a project at a provider with one of these statuses."


class SLAInput(BaseModel):
    """A new SLA; see its type."""

    user_group_id: str = Field(alias="userGroupId")
    doc_uuid: str = Field(alias="docUuid")
    start_date: date = Field(alias="startDate")
    end_date: date = Field(alias="endDate")
    description: Optional[str] = None


class SLAOrder(BaseModel):
    field: SLASortField = SLASortField.DOC_UUID
    direction: SortDirection = SortDirection.ASC


class SLAPatch(BaseModel):
    """Changes to SLA; see its type."""

    doc_uuid: Optional[str] = Field(alias="docUuid", default=None)
    start_date: Optional[date] = Field(alias="startDate", default=None)
    end_date: Optional[date] = Field(alias="endDate", default=None)
    description: Optional[str] = None


class ServiceFilter(BaseModel):
    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    name: Optional[str] = None
    endpoint: Optional[str] = None


class UserGroupFilter(BaseModel):
    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    name: Optional[str] = None
    name_contains: Optional[str] = Field(alias="nameContains", default=None)
    issuer: Optional[str] = None


class UserGroupInput(BaseModel):
    """A new UserGroup; see its type."""

    identity_provider_id: str = Field(alias="identityProviderId")
    name: str
    description: Optional[str] = None


class UserGroupOrder(BaseModel):
    field: UserGroupSortField = UserGroupSortField.NAME
    direction: SortDirection = SortDirection.ASC


class UserGroupPatch(BaseModel):
    """Changes to UserGroup; see its type."""

    name: Optional[str] = None
    description: Optional[str] = None


class UserGroupRef(BaseModel):
    """A user group by its name at an issuer."""

    name: str
    issuer: str


class VolumeTypeFilter(BaseModel):
    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    name: Optional[str] = None


class VolumeTypeInput(BaseModel):
    """A new VolumeType; see its type."""

    block_storage_service_id: str = Field(alias="blockStorageServiceId")
    name: str
    description: Optional[str] = None
    qos: Optional[str] = None


class VolumeTypeOrder(BaseModel):
    field: VolumeTypeSortField = VolumeTypeSortField.NAME
    direction: SortDirection = SortDirection.ASC


class VolumeTypePatch(BaseModel):
    """Changes to VolumeType; see its type."""

    name: Optional[str] = None
    description: Optional[str] = None
    qos: Optional[str] = None


ProjectFilter.model_rebuild()
