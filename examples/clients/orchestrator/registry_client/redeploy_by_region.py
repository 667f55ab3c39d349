from datetime import date
from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class RedeployByRegion(BaseModel):
    regions: "RedeployByRegionRegions"


class RedeployByRegionRegions(BaseModel):
    nodes: list["RedeployByRegionRegionsNodes"]


class RedeployByRegionRegionsNodes(BaseModel):
    name: str
    provider: "RedeployByRegionRegionsNodesProvider"


class RedeployByRegionRegionsNodesProvider(BaseModel):
    name: str
    projects: list["RedeployByRegionRegionsNodesProviderProjects"]


class RedeployByRegionRegionsNodesProviderProjects(BaseModel):
    uuid: str
    name: str
    slas: list["RedeployByRegionRegionsNodesProviderProjectsSlas"]
    regions: list["RedeployByRegionRegionsNodesProviderProjectsRegions"]


class RedeployByRegionRegionsNodesProviderProjectsSlas(BaseModel):
    doc_uuid: str = Field(alias="docUuid")
    end_date: date = Field(alias="endDate")


class RedeployByRegionRegionsNodesProviderProjectsRegions(BaseModel):
    region: "RedeployByRegionRegionsNodesProviderProjectsRegionsRegion"
    compute_services: list[
        "RedeployByRegionRegionsNodesProviderProjectsRegionsComputeServices"
    ] = Field(alias="computeServices")


class RedeployByRegionRegionsNodesProviderProjectsRegionsRegion(BaseModel):
    name: str


class RedeployByRegionRegionsNodesProviderProjectsRegionsComputeServices(BaseModel):
    service: "RedeployByRegionRegionsNodesProviderProjectsRegionsComputeServicesService"
    flavors: list[
        "RedeployByRegionRegionsNodesProviderProjectsRegionsComputeServicesFlavors"
    ]
    quotas: list[
        "RedeployByRegionRegionsNodesProviderProjectsRegionsComputeServicesQuotas"
    ]


class RedeployByRegionRegionsNodesProviderProjectsRegionsComputeServicesService(
    BaseModel
):
    endpoint: str


class RedeployByRegionRegionsNodesProviderProjectsRegionsComputeServicesFlavors(
    BaseModel
):
    name: str
    gpus: int
    gpu_model: Optional[str] = Field(alias="gpuModel")


class RedeployByRegionRegionsNodesProviderProjectsRegionsComputeServicesQuotas(
    BaseModel
):
    cores: Optional[int]
    ram: Optional[int]
    gpus: Optional[int]


RedeployByRegion.model_rebuild()
RedeployByRegionRegions.model_rebuild()
RedeployByRegionRegionsNodes.model_rebuild()
RedeployByRegionRegionsNodesProvider.model_rebuild()
RedeployByRegionRegionsNodesProviderProjects.model_rebuild()
RedeployByRegionRegionsNodesProviderProjectsRegions.model_rebuild()
RedeployByRegionRegionsNodesProviderProjectsRegionsComputeServices.model_rebuild()
