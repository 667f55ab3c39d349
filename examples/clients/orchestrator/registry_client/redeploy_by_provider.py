from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class RedeployByProvider(BaseModel):
    provider: Optional["RedeployByProviderProvider"]


class RedeployByProviderProvider(BaseModel):
    name: str
    projects: list["RedeployByProviderProviderProjects"]


class RedeployByProviderProviderProjects(BaseModel):
    uuid: str
    name: str
    regions: list["RedeployByProviderProviderProjectsRegions"]


class RedeployByProviderProviderProjectsRegions(BaseModel):
    region: "RedeployByProviderProviderProjectsRegionsRegion"
    identity_services: list[
        "RedeployByProviderProviderProjectsRegionsIdentityServices"
    ] = Field(alias="identityServices")
    compute_services: list[
        "RedeployByProviderProviderProjectsRegionsComputeServices"
    ] = Field(alias="computeServices")


class RedeployByProviderProviderProjectsRegionsRegion(BaseModel):
    name: str


class RedeployByProviderProviderProjectsRegionsIdentityServices(BaseModel):
    endpoint: str


class RedeployByProviderProviderProjectsRegionsComputeServices(BaseModel):
    service: "RedeployByProviderProviderProjectsRegionsComputeServicesService"
    flavors: list["RedeployByProviderProviderProjectsRegionsComputeServicesFlavors"]
    quotas: list["RedeployByProviderProviderProjectsRegionsComputeServicesQuotas"]


class RedeployByProviderProviderProjectsRegionsComputeServicesService(BaseModel):
    endpoint: str


class RedeployByProviderProviderProjectsRegionsComputeServicesFlavors(BaseModel):
    name: str
    gpus: int
    gpu_model: Optional[str] = Field(alias="gpuModel")
    is_shared: bool = Field(alias="isShared")


class RedeployByProviderProviderProjectsRegionsComputeServicesQuotas(BaseModel):
    cores: Optional[int]
    ram: Optional[int]
    gpus: Optional[int]


RedeployByProvider.model_rebuild()
RedeployByProviderProvider.model_rebuild()
RedeployByProviderProviderProjects.model_rebuild()
RedeployByProviderProviderProjectsRegions.model_rebuild()
RedeployByProviderProviderProjectsRegionsComputeServices.model_rebuild()
