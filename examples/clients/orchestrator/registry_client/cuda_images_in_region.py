from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class CudaImagesInRegion(BaseModel):
    regions: "CudaImagesInRegionRegions"


class CudaImagesInRegionRegions(BaseModel):
    nodes: list["CudaImagesInRegionRegionsNodes"]


class CudaImagesInRegionRegionsNodes(BaseModel):
    name: str
    provider: "CudaImagesInRegionRegionsNodesProvider"
    compute_services: list["CudaImagesInRegionRegionsNodesComputeServices"] = Field(
        alias="computeServices"
    )


class CudaImagesInRegionRegionsNodesProvider(BaseModel):
    name: str


class CudaImagesInRegionRegionsNodesComputeServices(BaseModel):
    images: list["CudaImagesInRegionRegionsNodesComputeServicesImages"]


class CudaImagesInRegionRegionsNodesComputeServicesImages(BaseModel):
    name: str
    os_distro: Optional[str] = Field(alias="osDistro")
    os_version: Optional[str] = Field(alias="osVersion")


CudaImagesInRegion.model_rebuild()
CudaImagesInRegionRegions.model_rebuild()
CudaImagesInRegionRegionsNodes.model_rebuild()
CudaImagesInRegionRegionsNodesComputeServices.model_rebuild()
