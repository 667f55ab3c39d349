from enum import Enum


class BlockStorageServiceSortField(str, Enum):
    ENDPOINT = "ENDPOINT"
    NAME = "NAME"


class ComputeServiceSortField(str, Enum):
    ENDPOINT = "ENDPOINT"
    NAME = "NAME"


class FlavorSortField(str, Enum):
    NAME = "NAME"
    VCPUS = "VCPUS"
    RAM = "RAM"
    DISK = "DISK"
    GPUS = "GPUS"


class HarvestOutcome(str, Enum):
    OK = "OK"
    PARTIAL = "PARTIAL"
    FAILED = "FAILED"


class IdentityProviderSortField(str, Enum):
    ENDPOINT = "ENDPOINT"


class IdentityServiceSortField(str, Enum):
    ENDPOINT = "ENDPOINT"
    NAME = "NAME"


class ImageSortField(str, Enum):
    NAME = "NAME"


class LocationSortField(str, Enum):
    SITE = "SITE"
    COUNTRY = "COUNTRY"


class NetworkServiceSortField(str, Enum):
    ENDPOINT = "ENDPOINT"
    NAME = "NAME"


class NetworkSortField(str, Enum):
    NAME = "NAME"


class ObjectStoreServiceSortField(str, Enum):
    ENDPOINT = "ENDPOINT"
    NAME = "NAME"


class PlacementOrder(str, Enum):
    RANK = "RANK"
    NAME = "NAME"


class PlacementReasonCode(str, Enum):
    SLA_NOT_IN_FORCE = "SLA_NOT_IN_FORCE"
    PROVIDER_NOT_ACTIVE = "PROVIDER_NOT_ACTIVE"
    STALE_DATA = "STALE_DATA"
    NO_FLAVOR_FITS = "NO_FLAVOR_FITS"
    NO_IMAGE_FITS = "NO_IMAGE_FITS"
    QUOTA_EXCEEDED = "QUOTA_EXCEEDED"
    NO_USABLE_SERVICE = "NO_USABLE_SERVICE"


class PlacementResource(str, Enum):
    CORES = "CORES"
    RAM = "RAM"
    INSTANCES = "INSTANCES"
    GPUS = "GPUS"
    BLOCK_STORAGE = "BLOCK_STORAGE"
    PUBLIC_IPS = "PUBLIC_IPS"


class ProjectSortField(str, Enum):
    NAME = "NAME"
    UUID = "UUID"


class ProviderSortField(str, Enum):
    NAME = "NAME"
    TYPE = "TYPE"
    STATUS = "STATUS"


class ProviderStatus(str, Enum):
    ACTIVE = "ACTIVE"
    MAINTENANCE = "MAINTENANCE"
    LIMITED = "LIMITED"
    REMOVED = "REMOVED"


class ProviderType(str, Enum):
    OPENSTACK = "OPENSTACK"
    KUBERNETES = "KUBERNETES"


class QuotaKind(str, Enum):
    COMPUTE = "COMPUTE"
    BLOCK_STORAGE = "BLOCK_STORAGE"
    NETWORK = "NETWORK"
    OBJECT_STORE = "OBJECT_STORE"


class QuotaSortField(str, Enum):
    KIND = "KIND"


class RegionSortField(str, Enum):
    NAME = "NAME"


class SLASortField(str, Enum):
    DOC_UUID = "DOC_UUID"
    START_DATE = "START_DATE"
    END_DATE = "END_DATE"


class SortDirection(str, Enum):
    ASC = "ASC"
    DESC = "DESC"


class UserGroupSortField(str, Enum):
    NAME = "NAME"


class VolumeTypeSortField(str, Enum):
    NAME = "NAME"
