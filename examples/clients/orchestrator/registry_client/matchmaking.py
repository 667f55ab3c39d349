from datetime import date
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import ProviderType


class Matchmaking(BaseModel):
    user_group: Optional["MatchmakingUserGroup"] = Field(alias="userGroup")


class MatchmakingUserGroup(BaseModel):
    name: str
    slas: list["MatchmakingUserGroupSlas"]


class MatchmakingUserGroupSlas(BaseModel):
    id: str
    doc_uuid: str = Field(alias="docUuid")
    start_date: date = Field(alias="startDate")
    end_date: date = Field(alias="endDate")
    projects: list["MatchmakingUserGroupSlasProjects"]


class MatchmakingUserGroupSlasProjects(BaseModel):
    uuid: str
    name: str
    provider: "MatchmakingUserGroupSlasProjectsProvider"
    regions: list["MatchmakingUserGroupSlasProjectsRegions"]


class MatchmakingUserGroupSlasProjectsProvider(BaseModel):
    id: str
    name: str
    type_: ProviderType = Field(alias="type")
    is_public: bool = Field(alias="isPublic")


class MatchmakingUserGroupSlasProjectsRegions(BaseModel):
    region: "MatchmakingUserGroupSlasProjectsRegionsRegion"
    compute_services: list["MatchmakingUserGroupSlasProjectsRegionsComputeServices"] = (
        Field(alias="computeServices")
    )
    network_services: list["MatchmakingUserGroupSlasProjectsRegionsNetworkServices"] = (
        Field(alias="networkServices")
    )


class MatchmakingUserGroupSlasProjectsRegionsRegion(BaseModel):
    name: str
    overbooking_cpu: float = Field(alias="overbookingCpu")
    overbooking_ram: float = Field(alias="overbookingRam")
    bandwidth_in: Optional[float] = Field(alias="bandwidthIn")
    bandwidth_out: Optional[float] = Field(alias="bandwidthOut")
    location: Optional["MatchmakingUserGroupSlasProjectsRegionsRegionLocation"]


class MatchmakingUserGroupSlasProjectsRegionsRegionLocation(BaseModel):
    site: str
    country: str
    latitude: Optional[float]
    longitude: Optional[float]


class MatchmakingUserGroupSlasProjectsRegionsComputeServices(BaseModel):
    service: "MatchmakingUserGroupSlasProjectsRegionsComputeServicesService"
    flavors: list["MatchmakingUserGroupSlasProjectsRegionsComputeServicesFlavors"]
    images: list["MatchmakingUserGroupSlasProjectsRegionsComputeServicesImages"]
    quotas: list["MatchmakingUserGroupSlasProjectsRegionsComputeServicesQuotas"]


class MatchmakingUserGroupSlasProjectsRegionsComputeServicesService(BaseModel):
    endpoint: str
    name: str


class MatchmakingUserGroupSlasProjectsRegionsComputeServicesFlavors(BaseModel):
    name: str
    vcpus: int
    ram: int
    disk: int
    gpus: int
    gpu_vendor: Optional[str] = Field(alias="gpuVendor")
    gpu_model: Optional[str] = Field(alias="gpuModel")
    infiniband: bool
    is_shared: bool = Field(alias="isShared")


class MatchmakingUserGroupSlasProjectsRegionsComputeServicesImages(BaseModel):
    name: str
    os_distro: Optional[str] = Field(alias="osDistro")
    os_version: Optional[str] = Field(alias="osVersion")
    architecture: Optional[str]
    gpu_driver: bool = Field(alias="gpuDriver")


class MatchmakingUserGroupSlasProjectsRegionsComputeServicesQuotas(BaseModel):
    per_user: bool = Field(alias="perUser")
    usage: bool
    cores: Optional[int]
    instances: Optional[int]
    ram: Optional[int]
    gpus: Optional[int]


class MatchmakingUserGroupSlasProjectsRegionsNetworkServices(BaseModel):
    networks: list["MatchmakingUserGroupSlasProjectsRegionsNetworkServicesNetworks"]


class MatchmakingUserGroupSlasProjectsRegionsNetworkServicesNetworks(BaseModel):
    name: str
    is_router_external: bool = Field(alias="isRouterExternal")
    is_default: bool = Field(alias="isDefault")
    proxy_host: Optional[str] = Field(alias="proxyHost")
    proxy_user: Optional[str] = Field(alias="proxyUser")


Matchmaking.model_rebuild()
MatchmakingUserGroup.model_rebuild()
MatchmakingUserGroupSlas.model_rebuild()
MatchmakingUserGroupSlasProjects.model_rebuild()
MatchmakingUserGroupSlasProjectsRegions.model_rebuild()
MatchmakingUserGroupSlasProjectsRegionsRegion.model_rebuild()
MatchmakingUserGroupSlasProjectsRegionsComputeServices.model_rebuild()
MatchmakingUserGroupSlasProjectsRegionsNetworkServices.model_rebuild()
