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
    """The properties of a new block storage quota (as its type answers them); omitted ones take their defaults."""

    project_id: str = Field(alias="projectId")
    "The id of its project."
    service_id: str = Field(alias="serviceId")
    "The id of its block storage service."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    per_user: Optional[bool] = Field(alias="perUser", default=None)
    "true: a limit for each user of the project; false: for the project."
    usage: Optional[bool] = None
    "true: current consumption; false: a limit."
    gigabytes: Optional[int] = None
    "Volume space, in GiB; −1: unlimited; null: not set."
    per_volume_gigabytes: Optional[int] = Field(
        alias="perVolumeGigabytes", default=None
    )
    "The size of one volume, in GiB; −1: unlimited; null: not set."
    volumes: Optional[int] = None
    "Volumes; −1: unlimited; null: not set."
    volume_type: Optional[str] = Field(alias="volumeType", default=None)
    "Block storage: the volume type (StorageClass) it is scoped to"


class BlockStorageQuotaPatch(BaseModel):
    """Changes to the block storage quota: the properties given replace the stored ones; omitted (or null) ones stay."""

    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    per_user: Optional[bool] = Field(alias="perUser", default=None)
    "true: a limit for each user of the project; false: for the project."
    usage: Optional[bool] = None
    "true: current consumption; false: a limit."
    gigabytes: Optional[int] = None
    "Volume space, in GiB; −1: unlimited; null: not set."
    per_volume_gigabytes: Optional[int] = Field(
        alias="perVolumeGigabytes", default=None
    )
    "The size of one volume, in GiB; −1: unlimited; null: not set."
    volumes: Optional[int] = None
    "Volumes; −1: unlimited; null: not set."
    volume_type: Optional[str] = Field(alias="volumeType", default=None)
    "Block storage: the volume type (StorageClass) it is scoped to"


class BlockStorageServiceInput(BaseModel):
    """The properties of a new block storage service (as its type answers them); omitted ones take their defaults."""

    region_id: str = Field(alias="regionId")
    "The id of its region."
    endpoint: str
    "The service's URL, as its catalogue lists it."
    name: str
    "The service's type, e.g. org.openstack.nova, compute.k8s.io/v1."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    microversion: Optional[str] = None
    "The highest compute API microversion it speaks, e.g. 2.90 (compute services only)."
    data_location: Optional[str] = Field(alias="dataLocation", default=None)
    "Where its data lives, for data-aware placement, e.g. a Rucio RSE name (object stores only)."


class BlockStorageServiceOrder(BaseModel):
    """The order of a BlockStorageService list."""

    field: BlockStorageServiceSortField = BlockStorageServiceSortField.ENDPOINT
    "What to sort by (default ENDPOINT)."
    direction: SortDirection = SortDirection.ASC
    "Ascending (default) or descending."


class BlockStorageServicePatch(BaseModel):
    """Changes to the block storage service: the properties given replace the stored ones; omitted (or null) ones stay."""

    endpoint: Optional[str] = None
    "The service's URL, as its catalogue lists it."
    name: Optional[str] = None
    "The service's type, e.g. org.openstack.nova, compute.k8s.io/v1."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    microversion: Optional[str] = None
    "The highest compute API microversion it speaks, e.g. 2.90 (compute services only)."
    data_location: Optional[str] = Field(alias="dataLocation", default=None)
    "Where its data lives, for data-aware placement, e.g. a Rucio RSE name (object stores only)."


class ComputeQuotaInput(BaseModel):
    """The properties of a new compute quota (as its type answers them); omitted ones take their defaults."""

    project_id: str = Field(alias="projectId")
    "The id of its project."
    service_id: str = Field(alias="serviceId")
    "The id of its compute service."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    per_user: Optional[bool] = Field(alias="perUser", default=None)
    "true: a limit for each user of the project; false: for the project."
    usage: Optional[bool] = None
    "true: current consumption; false: a limit."
    cores: Optional[int] = None
    "Virtual CPUs; −1: unlimited; null: not set."
    instances: Optional[int] = None
    "Machines; −1: unlimited; null: not set."
    ram: Optional[int] = None
    "Memory, in MiB; −1: unlimited; null: not set."
    gpus: Optional[int] = None
    "GPUs; −1: unlimited; null: not set."
    gpu_vendor: Optional[str] = Field(alias="gpuVendor", default=None)
    "Compute: the GPU vendor it is scoped to"
    gpu_model: Optional[str] = Field(alias="gpuModel", default=None)
    "Compute: the GPU model it is scoped to"
    gpu_resource: Optional[str] = Field(alias="gpuResource", default=None)
    "Compute: the provider's name of the GPU resource it counts (nvidia.com/gpu)"


class ComputeQuotaPatch(BaseModel):
    """Changes to the compute quota: the properties given replace the stored ones; omitted (or null) ones stay."""

    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    per_user: Optional[bool] = Field(alias="perUser", default=None)
    "true: a limit for each user of the project; false: for the project."
    usage: Optional[bool] = None
    "true: current consumption; false: a limit."
    cores: Optional[int] = None
    "Virtual CPUs; −1: unlimited; null: not set."
    instances: Optional[int] = None
    "Machines; −1: unlimited; null: not set."
    ram: Optional[int] = None
    "Memory, in MiB; −1: unlimited; null: not set."
    gpus: Optional[int] = None
    "GPUs; −1: unlimited; null: not set."
    gpu_vendor: Optional[str] = Field(alias="gpuVendor", default=None)
    "Compute: the GPU vendor it is scoped to"
    gpu_model: Optional[str] = Field(alias="gpuModel", default=None)
    "Compute: the GPU model it is scoped to"
    gpu_resource: Optional[str] = Field(alias="gpuResource", default=None)
    "Compute: the provider's name of the GPU resource it counts (nvidia.com/gpu)"


class ComputeServiceInput(BaseModel):
    """The properties of a new compute service (as its type answers them); omitted ones take their defaults."""

    region_id: str = Field(alias="regionId")
    "The id of its region."
    endpoint: str
    "The service's URL, as its catalogue lists it."
    name: str
    "The service's type, e.g. org.openstack.nova, compute.k8s.io/v1."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    microversion: Optional[str] = None
    "The highest compute API microversion it speaks, e.g. 2.90 (compute services only)."
    data_location: Optional[str] = Field(alias="dataLocation", default=None)
    "Where its data lives, for data-aware placement, e.g. a Rucio RSE name (object stores only)."


class ComputeServiceOrder(BaseModel):
    """The order of a ComputeService list."""

    field: ComputeServiceSortField = ComputeServiceSortField.ENDPOINT
    "What to sort by (default ENDPOINT)."
    direction: SortDirection = SortDirection.ASC
    "Ascending (default) or descending."


class ComputeServicePatch(BaseModel):
    """Changes to the compute service: the properties given replace the stored ones; omitted (or null) ones stay."""

    endpoint: Optional[str] = None
    "The service's URL, as its catalogue lists it."
    name: Optional[str] = None
    "The service's type, e.g. org.openstack.nova, compute.k8s.io/v1."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    microversion: Optional[str] = None
    "The highest compute API microversion it speaks, e.g. 2.90 (compute services only)."
    data_location: Optional[str] = Field(alias="dataLocation", default=None)
    "Where its data lives, for data-aware placement, e.g. a Rucio RSE name (object stores only)."


class DeploymentRequest(BaseModel):
    """One deployment: per-instance needs, how many instances, and what the image must be."""

    vcpus: int = 0
    "vCPUs per instance (a flavor needs at least this many)."
    ram: int = 0
    "MiB of RAM per instance."
    disk: int = 0
    "GiB of root disk per instance."
    gpus: int = 0
    "GPUs per instance."
    gpu_vendor: Optional[str] = Field(alias="gpuVendor", default=None)
    "GPU vendor, e.g. NVIDIA (any case)."
    gpu_model: Optional[str] = Field(alias="gpuModel", default=None)
    "Part of the GPU model, e.g. A100 (any case)."
    infiniband: bool = False
    "true: the flavor must have InfiniBand."
    local_storage: Optional[str] = Field(alias="localStorage", default=None)
    "The flavor's local storage, exactly as recorded (e.g. 3.8 TB NVMe)."
    instances: int = 1
    "How many instances (at least 1)."
    block_storage: int = Field(alias="blockStorage", default=0)
    "GiB of volumes in all (not per instance)."
    public_ips: int = Field(alias="publicIps", default=0)
    "Public (floating) IPs in all."
    os_distro: Optional[str] = Field(alias="osDistro", default=None)
    "Image OS distribution, e.g. ubuntu (any case)."
    os_version: Optional[str] = Field(alias="osVersion", default=None)
    "Image OS version, e.g. 22.04."
    architecture: Optional[str] = None
    "Image architecture, e.g. x86_64."
    cuda_version_min: Optional[str] = Field(alias="cudaVersionMin", default=None)
    "Lowest CUDA version the image must have, e.g. 12 (dotted parts compare as numbers)."
    gpu_driver_version_min: Optional[str] = Field(
        alias="gpuDriverVersionMin", default=None
    )
    "Lowest GPU driver version the image must have, e.g. 550."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "The provider must have been confirmed (harvested) within this long, else STALE_DATA."
    accept_stale: bool = Field(alias="acceptStale", default=False)
    "true: data the last harvest could not confirm (`stale`) is no reason not to fit."
    on: Optional[date] = None
    "The SLA must be in force on this date; default today."
    providers: Optional[list[str]] = None
    "Only these providers (ids or names); default: every provider."
    exclude_providers: Optional[list[str]] = Field(
        alias="excludeProviders", default=None
    )
    "Never these providers (ids or names)."


class DeploymentTargetFilter(BaseModel):
    """Conditions a deployment target must meet to be listed: all those given."""

    on: Optional[date] = None
    "SLAs in force on this date; default today."
    provider_status: Optional[list[ProviderStatus]] = Field(
        alias="providerStatus", default=None
    )
    "Default: ACTIVE providers only."
    region_name: Optional[str] = Field(alias="regionName", default=None)
    "Only rows in regions of this name."
    provider_id: Optional[str] = Field(alias="providerId", default=None)
    "Only rows at this provider."
    stale: Optional[bool] = None
    "false: only rows whose provider, region and service were all confirmed."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only rows whose provider was harvested successfully within this long."


class FlavorFilter(BaseModel):
    """Conditions a flavor must meet to be listed: all those given (an omitted or null one is no condition)."""

    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    "Only those with one of these ids."
    uuid: Optional[str] = None
    "Only those with this id at their provider or service."
    name: Optional[str] = None
    "Only those with exactly this name."
    name_contains: Optional[str] = Field(alias="nameContains", default=None)
    "Only those whose name contains this text, ignoring case."
    vcpus_min: Optional[int] = Field(alias="vcpusMin", default=None)
    "At least this many virtual CPUs."
    ram_min: Optional[int] = Field(alias="ramMin", default=None)
    "MiB."
    disk_min: Optional[int] = Field(alias="diskMin", default=None)
    "GiB."
    gpus_min: Optional[int] = Field(alias="gpusMin", default=None)
    "At least this many GPUs (1: any GPU flavor)."
    gpu_vendor: Optional[str] = Field(alias="gpuVendor", default=None)
    "Case-insensitive, e.g. NVIDIA."
    gpu_model: Optional[str] = Field(alias="gpuModel", default=None)
    "Case-insensitive substring, e.g. A100."
    infiniband: Optional[bool] = None
    "true: only flavors on InfiniBand."
    local_storage: Optional[str] = Field(alias="localStorage", default=None)
    "Only this local disk technology, e.g. NVMe."
    is_shared: Optional[bool] = Field(alias="isShared", default=None)
    "true: only shared (public) ones; false: only private ones."
    tag: Optional[str] = None
    "Only those carrying this tag."


class FlavorInput(BaseModel):
    """The properties of a new flavor (as its type answers them); omitted ones take their defaults."""

    compute_service_id: str = Field(alias="computeServiceId")
    "The id of its compute service."
    uuid: str
    "The flavor's id at its compute service (e.g. Nova's)."
    name: str
    "The flavor's name at its compute service, e.g. g1.a100.xlarge."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    vcpus: Optional[int] = None
    "Virtual CPUs."
    ram: Optional[int] = None
    "Memory, in MiB."
    disk: Optional[int] = None
    "Root disk, in GiB (0: the image's size, or a volume)."
    swap: Optional[int] = None
    "Swap disk, in MiB (0: none)."
    ephemeral: Optional[int] = None
    "Ephemeral disk, in GiB (0: none)."
    gpus: Optional[int] = None
    "GPUs passed through to the machine (0: none)."
    gpu_model: Optional[str] = Field(alias="gpuModel", default=None)
    "The GPUs' model, e.g. A100; null: no GPUs, or not said."
    gpu_vendor: Optional[str] = Field(alias="gpuVendor", default=None)
    "The GPUs' vendor, e.g. NVIDIA; null: no GPUs, or not said."
    infiniband: Optional[bool] = None
    "Whether machines of this flavor reach an InfiniBand network."
    local_storage: Optional[str] = Field(alias="localStorage", default=None)
    "Local disk technology (e.g. NVMe, SSD); null: not said."
    is_shared: Optional[bool] = Field(alias="isShared", default=None)
    "true: any project may use the flavor (public); false: private, usable only by the projects linked to it."


class FlavorOrder(BaseModel):
    """The order of a Flavor list."""

    field: FlavorSortField = FlavorSortField.NAME
    "What to sort by (default NAME)."
    direction: SortDirection = SortDirection.ASC
    "Ascending (default) or descending."


class FlavorPatch(BaseModel):
    """Changes to the flavor: the properties given replace the stored ones; omitted (or null) ones stay."""

    uuid: Optional[str] = None
    "The flavor's id at its compute service (e.g. Nova's)."
    name: Optional[str] = None
    "The flavor's name at its compute service, e.g. g1.a100.xlarge."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    vcpus: Optional[int] = None
    "Virtual CPUs."
    ram: Optional[int] = None
    "Memory, in MiB."
    disk: Optional[int] = None
    "Root disk, in GiB (0: the image's size, or a volume)."
    swap: Optional[int] = None
    "Swap disk, in MiB (0: none)."
    ephemeral: Optional[int] = None
    "Ephemeral disk, in GiB (0: none)."
    gpus: Optional[int] = None
    "GPUs passed through to the machine (0: none)."
    gpu_model: Optional[str] = Field(alias="gpuModel", default=None)
    "The GPUs' model, e.g. A100; null: no GPUs, or not said."
    gpu_vendor: Optional[str] = Field(alias="gpuVendor", default=None)
    "The GPUs' vendor, e.g. NVIDIA; null: no GPUs, or not said."
    infiniband: Optional[bool] = None
    "Whether machines of this flavor reach an InfiniBand network."
    local_storage: Optional[str] = Field(alias="localStorage", default=None)
    "Local disk technology (e.g. NVMe, SSD); null: not said."
    is_shared: Optional[bool] = Field(alias="isShared", default=None)
    "true: any project may use the flavor (public); false: private, usable only by the projects linked to it."


class IdentityProviderFilter(BaseModel):
    """Conditions a identity provider must meet to be listed: all those given (an omitted or null one is no condition)."""

    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    "Only those with one of these ids."
    endpoint: Optional[str] = None
    "Only the issuer with this URL (`iss`)."


class IdentityProviderInput(BaseModel):
    """The properties of a new identity provider (as its type answers them); omitted ones take their defaults."""

    endpoint: str
    "The issuer URL, exactly as tokens carry it in `iss`."
    group_claim: str = Field(alias="groupClaim")
    "The token claim that lists the caller's group names."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."


class IdentityProviderOrder(BaseModel):
    """The order of a IdentityProvider list."""

    field: IdentityProviderSortField = IdentityProviderSortField.ENDPOINT
    "What to sort by (default ENDPOINT)."
    direction: SortDirection = SortDirection.ASC
    "Ascending (default) or descending."


class IdentityProviderPatch(BaseModel):
    """Changes to the identity provider: the properties given replace the stored ones; omitted (or null) ones stay."""

    endpoint: Optional[str] = None
    "The issuer URL, exactly as tokens carry it in `iss`."
    group_claim: Optional[str] = Field(alias="groupClaim", default=None)
    "The token claim that lists the caller's group names."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."


class IdentityServiceInput(BaseModel):
    """The properties of a new identity service (as its type answers them); omitted ones take their defaults."""

    region_id: str = Field(alias="regionId")
    "The id of its region."
    endpoint: str
    "The service's URL, as its catalogue lists it."
    name: str
    "The service's type, e.g. org.openstack.nova, compute.k8s.io/v1."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    microversion: Optional[str] = None
    "The highest compute API microversion it speaks, e.g. 2.90 (compute services only)."
    data_location: Optional[str] = Field(alias="dataLocation", default=None)
    "Where its data lives, for data-aware placement, e.g. a Rucio RSE name (object stores only)."


class IdentityServiceOrder(BaseModel):
    """The order of a IdentityService list."""

    field: IdentityServiceSortField = IdentityServiceSortField.ENDPOINT
    "What to sort by (default ENDPOINT)."
    direction: SortDirection = SortDirection.ASC
    "Ascending (default) or descending."


class IdentityServicePatch(BaseModel):
    """Changes to the identity service: the properties given replace the stored ones; omitted (or null) ones stay."""

    endpoint: Optional[str] = None
    "The service's URL, as its catalogue lists it."
    name: Optional[str] = None
    "The service's type, e.g. org.openstack.nova, compute.k8s.io/v1."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    microversion: Optional[str] = None
    "The highest compute API microversion it speaks, e.g. 2.90 (compute services only)."
    data_location: Optional[str] = Field(alias="dataLocation", default=None)
    "Where its data lives, for data-aware placement, e.g. a Rucio RSE name (object stores only)."


class ImageFilter(BaseModel):
    """Conditions a image must meet to be listed: all those given (an omitted or null one is no condition)."""

    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    "Only those with one of these ids."
    uuid: Optional[str] = None
    "Only those with this id at their provider or service."
    name: Optional[str] = None
    "Only those with exactly this name."
    name_contains: Optional[str] = Field(alias="nameContains", default=None)
    "Only those whose name contains this text, ignoring case."
    os_type: Optional[str] = Field(alias="osType", default=None)
    "Linux, Windows or MacOS (exactly)."
    os_distro: Optional[str] = Field(alias="osDistro", default=None)
    "Case-insensitive, e.g. ubuntu."
    os_version: Optional[str] = Field(alias="osVersion", default=None)
    "Exactly this version, e.g. 22.04."
    architecture: Optional[str] = None
    "Exactly this architecture, e.g. x86_64."
    cuda_support: Optional[bool] = Field(alias="cudaSupport", default=None)
    "true: only images with CUDA installed."
    gpu_driver: Optional[bool] = Field(alias="gpuDriver", default=None)
    "true: only images with a GPU driver."
    cuda_version_min: Optional[str] = Field(alias="cudaVersionMin", default=None)
    "CUDA version at least this (dotted numbers, compared part by part: 12.10 > 12.9)."
    gpu_driver_version_min: Optional[str] = Field(
        alias="gpuDriverVersionMin", default=None
    )
    "GPU driver at least this (dotted numbers, e.g. 550.54)."
    is_shared: Optional[bool] = Field(alias="isShared", default=None)
    "true: only shared (public) ones; false: only private ones."
    tag: Optional[str] = None
    "Only those carrying this tag."


class ImageInput(BaseModel):
    """The properties of a new image (as its type answers them); omitted ones take their defaults."""

    compute_service_id: str = Field(alias="computeServiceId")
    "The id of its compute service."
    uuid: str
    "The image's id at its provider (e.g. Glance's)."
    name: str
    "The image's name at its provider, e.g. ubuntu-22.04-cuda."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    os_type: Optional[str] = Field(alias="osType", default=None)
    "Linux, Windows or MacOS; null: not said."
    os_distro: Optional[str] = Field(alias="osDistro", default=None)
    "The distribution, e.g. ubuntu, rocky; null: not said."
    os_version: Optional[str] = Field(alias="osVersion", default=None)
    "The distribution's version, e.g. 22.04; null: not said."
    architecture: Optional[str] = None
    "CPU architecture, e.g. x86_64, aarch64; null: not said."
    kernel_id: Optional[str] = Field(alias="kernelId", default=None)
    "The id of its kernel image, when it boots a separate one."
    cuda_support: Optional[bool] = Field(alias="cudaSupport", default=None)
    "Whether the CUDA toolkit is installed."
    gpu_driver: Optional[bool] = Field(alias="gpuDriver", default=None)
    "Whether a GPU driver is installed."
    created_at: Optional[datetime] = Field(alias="createdAt", default=None)
    "When the image was made at its provider."
    tags: Optional[list[str]] = None
    "The provider's tags on the image (empty: none)."
    is_shared: Optional[bool] = Field(alias="isShared", default=None)
    "true: any project may use the image (public); false: private, usable only by the projects linked to it."
    cuda_version: Optional[str] = Field(alias="cudaVersion", default=None)
    "CUDA toolkit version, e.g. 12.4; null: none, or not said."
    gpu_driver_version: Optional[str] = Field(alias="gpuDriverVersion", default=None)
    "GPU driver version, e.g. 550.54.15; null: none, or not said."
    cudnn_version: Optional[str] = Field(alias="cudnnVersion", default=None)
    "cuDNN version, e.g. 9.1; null: none, or not said."
    login_user: Optional[str] = Field(alias="loginUser", default=None)
    "The user to log in as (e.g. ubuntu); null: not said."


class ImageOrder(BaseModel):
    """The order of a Image list."""

    field: ImageSortField = ImageSortField.NAME
    "What to sort by (default NAME)."
    direction: SortDirection = SortDirection.ASC
    "Ascending (default) or descending."


class ImagePatch(BaseModel):
    """Changes to the image: the properties given replace the stored ones; omitted (or null) ones stay."""

    uuid: Optional[str] = None
    "The image's id at its provider (e.g. Glance's)."
    name: Optional[str] = None
    "The image's name at its provider, e.g. ubuntu-22.04-cuda."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    os_type: Optional[str] = Field(alias="osType", default=None)
    "Linux, Windows or MacOS; null: not said."
    os_distro: Optional[str] = Field(alias="osDistro", default=None)
    "The distribution, e.g. ubuntu, rocky; null: not said."
    os_version: Optional[str] = Field(alias="osVersion", default=None)
    "The distribution's version, e.g. 22.04; null: not said."
    architecture: Optional[str] = None
    "CPU architecture, e.g. x86_64, aarch64; null: not said."
    kernel_id: Optional[str] = Field(alias="kernelId", default=None)
    "The id of its kernel image, when it boots a separate one."
    cuda_support: Optional[bool] = Field(alias="cudaSupport", default=None)
    "Whether the CUDA toolkit is installed."
    gpu_driver: Optional[bool] = Field(alias="gpuDriver", default=None)
    "Whether a GPU driver is installed."
    created_at: Optional[datetime] = Field(alias="createdAt", default=None)
    "When the image was made at its provider."
    tags: Optional[list[str]] = None
    "The provider's tags on the image (empty: none)."
    is_shared: Optional[bool] = Field(alias="isShared", default=None)
    "true: any project may use the image (public); false: private, usable only by the projects linked to it."
    cuda_version: Optional[str] = Field(alias="cudaVersion", default=None)
    "CUDA toolkit version, e.g. 12.4; null: none, or not said."
    gpu_driver_version: Optional[str] = Field(alias="gpuDriverVersion", default=None)
    "GPU driver version, e.g. 550.54.15; null: none, or not said."
    cudnn_version: Optional[str] = Field(alias="cudnnVersion", default=None)
    "cuDNN version, e.g. 9.1; null: none, or not said."
    login_user: Optional[str] = Field(alias="loginUser", default=None)
    "The user to log in as (e.g. ubuntu); null: not said."


class LocationFilter(BaseModel):
    """Conditions a location must meet to be listed: all those given (an omitted or null one is no condition)."""

    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    "Only those with one of these ids."
    site: Optional[str] = None
    "Only the site with exactly this name."
    country: Optional[str] = None
    "ISO 3166 name or alpha-2 code."


class LocationInput(BaseModel):
    """The properties of a new location (as its type answers them); omitted ones take their defaults."""

    site: str
    "The site's name, e.g. CNAF (Bologna)."
    country: str
    "The country: an ISO 3166 name or code (stored and answered as its name)."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    latitude: Optional[float] = None
    "Degrees north (−90 to 90); null: not said."
    longitude: Optional[float] = None
    "Degrees east (−180 to 180); null: not said."


class LocationOrder(BaseModel):
    """The order of a Location list."""

    field: LocationSortField = LocationSortField.SITE
    "What to sort by (default SITE)."
    direction: SortDirection = SortDirection.ASC
    "Ascending (default) or descending."


class LocationPatch(BaseModel):
    """Changes to the location: the properties given replace the stored ones; omitted (or null) ones stay."""

    site: Optional[str] = None
    "The site's name, e.g. CNAF (Bologna)."
    country: Optional[str] = None
    "The country: an ISO 3166 name or code (stored and answered as its name)."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    latitude: Optional[float] = None
    "Degrees north (−90 to 90); null: not said."
    longitude: Optional[float] = None
    "Degrees east (−180 to 180); null: not said."


class NetworkFilter(BaseModel):
    """Conditions a network must meet to be listed: all those given (an omitted or null one is no condition)."""

    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    "Only those with one of these ids."
    uuid: Optional[str] = None
    "Only those with this id at their provider or service."
    name: Optional[str] = None
    "Only those with exactly this name."
    name_contains: Optional[str] = Field(alias="nameContains", default=None)
    "Only those whose name contains this text, ignoring case."
    is_router_external: Optional[bool] = Field(alias="isRouterExternal", default=None)
    "true: only public (router-external) networks; false: only the others."
    is_default: Optional[bool] = Field(alias="isDefault", default=None)
    "true: only default networks."
    is_shared: Optional[bool] = Field(alias="isShared", default=None)
    "true: only shared (public) ones; false: only private ones."
    tag: Optional[str] = None
    "Only those carrying this tag."


class NetworkInput(BaseModel):
    """The properties of a new network (as its type answers them); omitted ones take their defaults."""

    network_service_id: str = Field(alias="networkServiceId")
    "The id of its network service."
    uuid: str
    "The network's id at its network service (e.g. Neutron's)."
    name: str
    "The network's name at its network service."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    is_router_external: Optional[bool] = Field(alias="isRouterExternal", default=None)
    "Whether it is a public (router-external) network."
    is_default: Optional[bool] = Field(alias="isDefault", default=None)
    "Whether it is the default network of its provider."
    mtu: Optional[int] = None
    "Maximum transmission unit, in bytes; null: not said."
    proxy_host: Optional[str] = Field(alias="proxyHost", default=None)
    "The host (SSH jump host) through which machines on a private network are reached."
    proxy_user: Optional[str] = Field(alias="proxyUser", default=None)
    "The user to log in to the proxy host as."
    tags: Optional[list[str]] = None
    "The provider's tags on the network (empty: none)."
    is_shared: Optional[bool] = Field(alias="isShared", default=None)
    "true: any project may use the network (public); false: private, usable only by the projects linked to it."
    cidr: Optional[str] = None
    "Its subnet's address range, e.g. 10.0.0.0/24 (the first IPv4 one when it has several)."


class NetworkOrder(BaseModel):
    """The order of a Network list."""

    field: NetworkSortField = NetworkSortField.NAME
    "What to sort by (default NAME)."
    direction: SortDirection = SortDirection.ASC
    "Ascending (default) or descending."


class NetworkPatch(BaseModel):
    """Changes to the network: the properties given replace the stored ones; omitted (or null) ones stay."""

    uuid: Optional[str] = None
    "The network's id at its network service (e.g. Neutron's)."
    name: Optional[str] = None
    "The network's name at its network service."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    is_router_external: Optional[bool] = Field(alias="isRouterExternal", default=None)
    "Whether it is a public (router-external) network."
    is_default: Optional[bool] = Field(alias="isDefault", default=None)
    "Whether it is the default network of its provider."
    mtu: Optional[int] = None
    "Maximum transmission unit, in bytes; null: not said."
    proxy_host: Optional[str] = Field(alias="proxyHost", default=None)
    "The host (SSH jump host) through which machines on a private network are reached."
    proxy_user: Optional[str] = Field(alias="proxyUser", default=None)
    "The user to log in to the proxy host as."
    tags: Optional[list[str]] = None
    "The provider's tags on the network (empty: none)."
    is_shared: Optional[bool] = Field(alias="isShared", default=None)
    "true: any project may use the network (public); false: private, usable only by the projects linked to it."
    cidr: Optional[str] = None
    "Its subnet's address range, e.g. 10.0.0.0/24 (the first IPv4 one when it has several)."


class NetworkQuotaInput(BaseModel):
    """The properties of a new network quota (as its type answers them); omitted ones take their defaults."""

    project_id: str = Field(alias="projectId")
    "The id of its project."
    service_id: str = Field(alias="serviceId")
    "The id of its network service."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    per_user: Optional[bool] = Field(alias="perUser", default=None)
    "true: a limit for each user of the project; false: for the project."
    usage: Optional[bool] = None
    "true: current consumption; false: a limit."
    public_ips: Optional[int] = Field(alias="publicIps", default=None)
    "Public (floating) IPs; −1: unlimited; null: not set."
    ports: Optional[int] = None
    "Ports; −1: unlimited; null: not set."
    security_groups: Optional[int] = Field(alias="securityGroups", default=None)
    "Security groups; −1: unlimited; null: not set."
    security_group_rules: Optional[int] = Field(
        alias="securityGroupRules", default=None
    )
    "Security group rules; −1: unlimited; null: not set."


class NetworkQuotaPatch(BaseModel):
    """Changes to the network quota: the properties given replace the stored ones; omitted (or null) ones stay."""

    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    per_user: Optional[bool] = Field(alias="perUser", default=None)
    "true: a limit for each user of the project; false: for the project."
    usage: Optional[bool] = None
    "true: current consumption; false: a limit."
    public_ips: Optional[int] = Field(alias="publicIps", default=None)
    "Public (floating) IPs; −1: unlimited; null: not set."
    ports: Optional[int] = None
    "Ports; −1: unlimited; null: not set."
    security_groups: Optional[int] = Field(alias="securityGroups", default=None)
    "Security groups; −1: unlimited; null: not set."
    security_group_rules: Optional[int] = Field(
        alias="securityGroupRules", default=None
    )
    "Security group rules; −1: unlimited; null: not set."


class NetworkServiceInput(BaseModel):
    """The properties of a new network service (as its type answers them); omitted ones take their defaults."""

    region_id: str = Field(alias="regionId")
    "The id of its region."
    endpoint: str
    "The service's URL, as its catalogue lists it."
    name: str
    "The service's type, e.g. org.openstack.nova, compute.k8s.io/v1."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    microversion: Optional[str] = None
    "The highest compute API microversion it speaks, e.g. 2.90 (compute services only)."
    data_location: Optional[str] = Field(alias="dataLocation", default=None)
    "Where its data lives, for data-aware placement, e.g. a Rucio RSE name (object stores only)."


class NetworkServiceOrder(BaseModel):
    """The order of a NetworkService list."""

    field: NetworkServiceSortField = NetworkServiceSortField.ENDPOINT
    "What to sort by (default ENDPOINT)."
    direction: SortDirection = SortDirection.ASC
    "Ascending (default) or descending."


class NetworkServicePatch(BaseModel):
    """Changes to the network service: the properties given replace the stored ones; omitted (or null) ones stay."""

    endpoint: Optional[str] = None
    "The service's URL, as its catalogue lists it."
    name: Optional[str] = None
    "The service's type, e.g. org.openstack.nova, compute.k8s.io/v1."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    microversion: Optional[str] = None
    "The highest compute API microversion it speaks, e.g. 2.90 (compute services only)."
    data_location: Optional[str] = Field(alias="dataLocation", default=None)
    "Where its data lives, for data-aware placement, e.g. a Rucio RSE name (object stores only)."


class ObjectStoreQuotaInput(BaseModel):
    """The properties of a new object store quota (as its type answers them); omitted ones take their defaults."""

    project_id: str = Field(alias="projectId")
    "The id of its project."
    service_id: str = Field(alias="serviceId")
    "The id of its object store service."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    per_user: Optional[bool] = Field(alias="perUser", default=None)
    "true: a limit for each user of the project; false: for the project."
    usage: Optional[bool] = None
    "true: current consumption; false: a limit."
    bytes_: Optional[int] = Field(alias="bytes", default=None)
    "Stored data, in bytes; −1: unlimited; null: not set."
    containers: Optional[int] = None
    "Containers (buckets); −1: unlimited; null: not set."
    objects: Optional[int] = None
    "Stored objects; −1: unlimited; null: not set."


class ObjectStoreQuotaPatch(BaseModel):
    """Changes to the object store quota: the properties given replace the stored ones; omitted (or null) ones stay."""

    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    per_user: Optional[bool] = Field(alias="perUser", default=None)
    "true: a limit for each user of the project; false: for the project."
    usage: Optional[bool] = None
    "true: current consumption; false: a limit."
    bytes_: Optional[int] = Field(alias="bytes", default=None)
    "Stored data, in bytes; −1: unlimited; null: not set."
    containers: Optional[int] = None
    "Containers (buckets); −1: unlimited; null: not set."
    objects: Optional[int] = None
    "Stored objects; −1: unlimited; null: not set."


class ObjectStoreServiceInput(BaseModel):
    """The properties of a new object store service (as its type answers them); omitted ones take their defaults."""

    region_id: str = Field(alias="regionId")
    "The id of its region."
    endpoint: str
    "The service's URL, as its catalogue lists it."
    name: str
    "The service's type, e.g. org.openstack.nova, compute.k8s.io/v1."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    microversion: Optional[str] = None
    "The highest compute API microversion it speaks, e.g. 2.90 (compute services only)."
    data_location: Optional[str] = Field(alias="dataLocation", default=None)
    "Where its data lives, for data-aware placement, e.g. a Rucio RSE name (object stores only)."


class ObjectStoreServiceOrder(BaseModel):
    """The order of a ObjectStoreService list."""

    field: ObjectStoreServiceSortField = ObjectStoreServiceSortField.ENDPOINT
    "What to sort by (default ENDPOINT)."
    direction: SortDirection = SortDirection.ASC
    "Ascending (default) or descending."


class ObjectStoreServicePatch(BaseModel):
    """Changes to the object store service: the properties given replace the stored ones; omitted (or null) ones stay."""

    endpoint: Optional[str] = None
    "The service's URL, as its catalogue lists it."
    name: Optional[str] = None
    "The service's type, e.g. org.openstack.nova, compute.k8s.io/v1."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    microversion: Optional[str] = None
    "The highest compute API microversion it speaks, e.g. 2.90 (compute services only)."
    data_location: Optional[str] = Field(alias="dataLocation", default=None)
    "Where its data lives, for data-aware placement, e.g. a Rucio RSE name (object stores only)."


class ProjectFilter(BaseModel):
    """Conditions a project must meet to be listed: all those given (an omitted or null one is no condition)."""

    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    "Only those with one of these ids."
    uuid: Optional[str] = None
    "Only those with this id at their provider or service."
    name: Optional[str] = None
    "Only those with exactly this name."
    name_contains: Optional[str] = Field(alias="nameContains", default=None)
    "Only those whose name contains this text, ignoring case."
    provider_id: Optional[str] = Field(alias="providerId", default=None)
    "Only those of the provider with this id."
    provider_status: Optional[list[ProviderStatus]] = Field(
        alias="providerStatus", default=None
    )
    "Only projects at a provider with one of these statuses."
    user_group_id: Optional[str] = Field(alias="userGroupId", default=None)
    "Covered by an SLA of this group."
    user_group: Optional["UserGroupRef"] = Field(alias="userGroup", default=None)
    "Covered by an SLA of this group."


class ProjectInput(BaseModel):
    """The properties of a new project (as its type answers them); omitted ones take their defaults."""

    provider_id: str = Field(alias="providerId")
    "The id of its provider."
    uuid: str
    "The project's id at its provider (Keystone project id, namespace)."
    name: str
    "The project's name at its provider."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."


class ProjectOrder(BaseModel):
    """The order of a Project list."""

    field: ProjectSortField = ProjectSortField.NAME
    "What to sort by (default NAME)."
    direction: SortDirection = SortDirection.ASC
    "Ascending (default) or descending."


class ProjectPatch(BaseModel):
    """Changes to the project: the properties given replace the stored ones; omitted (or null) ones stay."""

    uuid: Optional[str] = None
    "The project's id at its provider (Keystone project id, namespace)."
    name: Optional[str] = None
    "The project's name at its provider."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."


class ProviderFilter(BaseModel):
    """Conditions a provider must meet to be listed: all those given (an omitted or null one is no condition)."""

    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    "Only those with one of these ids."
    name: Optional[str] = None
    "Only those with exactly this name."
    name_contains: Optional[str] = Field(alias="nameContains", default=None)
    "Only those whose name contains this text, ignoring case."
    type_: Optional[list[ProviderType]] = Field(alias="type", default=None)
    "Only providers running one of these frameworks."
    status: Optional[list[ProviderStatus]] = None
    "Only providers with one of these statuses."
    is_public: Optional[bool] = Field(alias="isPublic", default=None)
    "true: only public providers; false: only the others."


class ProviderInput(BaseModel):
    """The properties of a new provider (as its type answers them); omitted ones take their defaults."""

    name: str
    "The provider's name in the federation, e.g. CLOUD-CNAF."
    type_: ProviderType = Field(alias="type")
    "The cloud management framework it runs."
    status: Optional[ProviderStatus] = None
    "Whether it takes deployments now."
    is_public: Optional[bool] = Field(alias="isPublic", default=None)
    "Whether it is a public cloud (recorded for people: the may-use rule does not read it)."
    support_emails: Optional[list[str]] = Field(alias="supportEmails", default=None)
    "Where its users write for help (empty: none given)."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."


class ProviderOrder(BaseModel):
    """The order of a Provider list."""

    field: ProviderSortField = ProviderSortField.NAME
    "What to sort by (default NAME)."
    direction: SortDirection = SortDirection.ASC
    "Ascending (default) or descending."


class ProviderPatch(BaseModel):
    """Changes to the provider: the properties given replace the stored ones; omitted (or null) ones stay."""

    name: Optional[str] = None
    "The provider's name in the federation, e.g. CLOUD-CNAF."
    type_: Optional[ProviderType] = Field(alias="type", default=None)
    "The cloud management framework it runs."
    status: Optional[ProviderStatus] = None
    "Whether it takes deployments now."
    is_public: Optional[bool] = Field(alias="isPublic", default=None)
    "Whether it is a public cloud (recorded for people: the may-use rule does not read it)."
    support_emails: Optional[list[str]] = Field(alias="supportEmails", default=None)
    "Where its users write for help (empty: none given)."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."


class QuotaFilter(BaseModel):
    """Conditions a quota must meet to be listed: all those given (an omitted or null one is no condition)."""

    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    "Only those with one of these ids."
    kind: Optional[list[QuotaKind]] = None
    "Only quotas of these kinds."
    per_user: Optional[bool] = Field(alias="perUser", default=None)
    "true: only per-user limits; false: only the project's own records."
    usage: Optional[bool] = None
    "true: consumption records; false: limits."
    scoped: Optional[bool] = None
    "false: only quotas on everything of their service; true: only those scoped to a volume type or to GPUs (see BlockStorageQuota.volumeType, ComputeQuota.gpuResource)."
    volume_type: Optional[str] = Field(alias="volumeType", default=None)
    "Quotas scoped to this volume type."
    gpu_vendor: Optional[str] = Field(alias="gpuVendor", default=None)
    "Quotas scoped to GPUs of this vendor (case-insensitive)."


class QuotaOrder(BaseModel):
    """The order of a Quota list."""

    field: QuotaSortField = QuotaSortField.KIND
    "What to sort by (default KIND)."
    direction: SortDirection = SortDirection.ASC
    "Ascending (default) or descending."


class RegionFilter(BaseModel):
    """Conditions a region must meet to be listed: all those given (an omitted or null one is no condition)."""

    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    "Only those with one of these ids."
    name: Optional[str] = None
    "Only those with exactly this name."
    name_contains: Optional[str] = Field(alias="nameContains", default=None)
    "Only those whose name contains this text, ignoring case."
    provider_id: Optional[str] = Field(alias="providerId", default=None)
    "Only those of the provider with this id."
    identity_endpoint: Optional[str] = Field(alias="identityEndpoint", default=None)
    "Regions whose identity service has this endpoint."
    country: Optional[str] = None
    "ISO 3166 name or alpha-2 code."
    public_ip_assignable: Optional[bool] = Field(
        alias="publicIpAssignable", default=None
    )
    "true: only regions whose deployments can be given public IPs."


class RegionInput(BaseModel):
    """The properties of a new region (as its type answers them); omitted ones take their defaults."""

    provider_id: str = Field(alias="providerId")
    "The id of its provider."
    name: str
    "The region's name at its provider, e.g. RegionOne."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    overbooking_cpu: Optional[float] = Field(alias="overbookingCpu", default=None)
    "Virtual CPUs per physical core (1: none)."
    overbooking_ram: Optional[float] = Field(alias="overbookingRam", default=None)
    "Virtual memory per unit of physical memory (1: none)."
    bandwidth_in: Optional[float] = Field(alias="bandwidthIn", default=None)
    "Inbound bandwidth, in Gbps; null: not said."
    bandwidth_out: Optional[float] = Field(alias="bandwidthOut", default=None)
    "Outbound bandwidth, in Gbps; null: not said."
    public_ip_assignable: Optional[bool] = Field(
        alias="publicIpAssignable", default=None
    )
    "Whether deployments here can be given public IPs; null: not said."


class RegionOrder(BaseModel):
    """The order of a Region list."""

    field: RegionSortField = RegionSortField.NAME
    "What to sort by (default NAME)."
    direction: SortDirection = SortDirection.ASC
    "Ascending (default) or descending."


class RegionPatch(BaseModel):
    """Changes to the region: the properties given replace the stored ones; omitted (or null) ones stay."""

    name: Optional[str] = None
    "The region's name at its provider, e.g. RegionOne."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    overbooking_cpu: Optional[float] = Field(alias="overbookingCpu", default=None)
    "Virtual CPUs per physical core (1: none)."
    overbooking_ram: Optional[float] = Field(alias="overbookingRam", default=None)
    "Virtual memory per unit of physical memory (1: none)."
    bandwidth_in: Optional[float] = Field(alias="bandwidthIn", default=None)
    "Inbound bandwidth, in Gbps; null: not said."
    bandwidth_out: Optional[float] = Field(alias="bandwidthOut", default=None)
    "Outbound bandwidth, in Gbps; null: not said."
    public_ip_assignable: Optional[bool] = Field(
        alias="publicIpAssignable", default=None
    )
    "Whether deployments here can be given public IPs; null: not said."


class SLAFilter(BaseModel):
    """Conditions a SLA must meet to be listed: all those given (an omitted or null one is no condition)."""

    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    "Only those with one of these ids."
    doc_uuid: Optional[str] = Field(alias="docUuid", default=None)
    "Only the SLA of this signed document."
    in_force: Optional[bool] = Field(alias="inForce", default=None)
    "In force today (server's UTC date)."
    in_force_on: Optional[date] = Field(alias="inForceOn", default=None)
    "Only SLAs in force on this date."
    provider_status: Optional[list[ProviderStatus]] = Field(
        alias="providerStatus", default=None
    )
    "Covers a project at a provider with one of these statuses."


class SLAInput(BaseModel):
    """The properties of a new SLA (as its type answers them); omitted ones take their defaults."""

    user_group_id: str = Field(alias="userGroupId")
    "The id of its user group."
    doc_uuid: str = Field(alias="docUuid")
    "The id of the signed document (as SLAM knew it)."
    start_date: date = Field(alias="startDate")
    "The first day it is in force."
    end_date: date = Field(alias="endDate")
    "The last day it is in force."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."


class SLAOrder(BaseModel):
    """The order of a SLA list."""

    field: SLASortField = SLASortField.DOC_UUID
    "What to sort by (default DOC_UUID)."
    direction: SortDirection = SortDirection.ASC
    "Ascending (default) or descending."


class SLAPatch(BaseModel):
    """Changes to the SLA: the properties given replace the stored ones; omitted (or null) ones stay."""

    doc_uuid: Optional[str] = Field(alias="docUuid", default=None)
    "The id of the signed document (as SLAM knew it)."
    start_date: Optional[date] = Field(alias="startDate", default=None)
    "The first day it is in force."
    end_date: Optional[date] = Field(alias="endDate", default=None)
    "The last day it is in force."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."


class ServiceFilter(BaseModel):
    """Conditions a service must meet to be listed: all those given (an omitted or null one is no condition)."""

    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    "Only those with one of these ids."
    name: Optional[str] = None
    "Only those with exactly this name."
    endpoint: Optional[str] = None
    "Only those with exactly this endpoint URL."


class UserGroupFilter(BaseModel):
    """Conditions a user group must meet to be listed: all those given (an omitted or null one is no condition)."""

    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    "Only those with one of these ids."
    name: Optional[str] = None
    "Only those with exactly this name."
    name_contains: Optional[str] = Field(alias="nameContains", default=None)
    "Only those whose name contains this text, ignoring case."
    issuer: Optional[str] = None
    "Only groups asserted by this issuer (its URL)."


class UserGroupInput(BaseModel):
    """The properties of a new user group (as its type answers them); omitted ones take their defaults."""

    identity_provider_id: str = Field(alias="identityProviderId")
    "The id of its identity provider."
    name: str
    "The group's name as the issuer's tokens list it (it may contain '/')."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."


class UserGroupOrder(BaseModel):
    """The order of a UserGroup list."""

    field: UserGroupSortField = UserGroupSortField.NAME
    "What to sort by (default NAME)."
    direction: SortDirection = SortDirection.ASC
    "Ascending (default) or descending."


class UserGroupPatch(BaseModel):
    """Changes to the user group: the properties given replace the stored ones; omitted (or null) ones stay."""

    name: Optional[str] = None
    "The group's name as the issuer's tokens list it (it may contain '/')."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."


class UserGroupRef(BaseModel):
    """A user group by its name at an issuer."""

    name: str
    "The group's name as the issuer's tokens list it."
    issuer: str
    "The issuer URL, as tokens carry it in `iss`."


class VolumeTypeFilter(BaseModel):
    """Conditions a volume type must meet to be listed: all those given (an omitted or null one is no condition)."""

    stale: Optional[bool] = None
    "false: only data its source confirmed at the last harvest; true: only kept data."
    confirmed_within: Optional[str] = Field(alias="confirmedWithin", default=None)
    "Only data its source confirmed within this long (e.g. PT6H)."
    ids: Optional[list[str]] = None
    "Only those with one of these ids."
    name: Optional[str] = None
    "Only those with exactly this name."


class VolumeTypeInput(BaseModel):
    """The properties of a new volume type (as its type answers them); omitted ones take their defaults."""

    block_storage_service_id: str = Field(alias="blockStorageServiceId")
    "The id of its block storage service."
    name: str
    "The volume type's name at its block storage service, e.g. ssd."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    qos: Optional[str] = None
    "Its quality of service (e.g. iops=1000); null: not said."


class VolumeTypeOrder(BaseModel):
    """The order of a VolumeType list."""

    field: VolumeTypeSortField = VolumeTypeSortField.NAME
    "What to sort by (default NAME)."
    direction: SortDirection = SortDirection.ASC
    "Ascending (default) or descending."


class VolumeTypePatch(BaseModel):
    """Changes to the volume type: the properties given replace the stored ones; omitted (or null) ones stay."""

    name: Optional[str] = None
    "The volume type's name at its block storage service, e.g. ssd."
    description: Optional[str] = None
    "Free text about it, for people; empty when there is none."
    qos: Optional[str] = None
    "Its quality of service (e.g. iops=1000); null: not said."


ProjectFilter.model_rebuild()
