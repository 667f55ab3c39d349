from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class BrowseFlavors(BaseModel):
    flavors: "BrowseFlavorsFlavors"


class BrowseFlavorsFlavors(BaseModel):
    total_count: int = Field(alias="totalCount")
    page_info: "BrowseFlavorsFlavorsPageInfo" = Field(alias="pageInfo")
    edges: list["BrowseFlavorsFlavorsEdges"]


class BrowseFlavorsFlavorsPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


class BrowseFlavorsFlavorsEdges(BaseModel):
    cursor: str
    node: "BrowseFlavorsFlavorsEdgesNode"


class BrowseFlavorsFlavorsEdgesNode(BaseModel):
    name: str
    gpus: int
    gpu_vendor: Optional[str] = Field(alias="gpuVendor")
    gpu_model: Optional[str] = Field(alias="gpuModel")
    compute_services: list["BrowseFlavorsFlavorsEdgesNodeComputeServices"] = Field(
        alias="computeServices"
    )


class BrowseFlavorsFlavorsEdgesNodeComputeServices(BaseModel):
    region: "BrowseFlavorsFlavorsEdgesNodeComputeServicesRegion"


class BrowseFlavorsFlavorsEdgesNodeComputeServicesRegion(BaseModel):
    name: str
    provider: "BrowseFlavorsFlavorsEdgesNodeComputeServicesRegionProvider"


class BrowseFlavorsFlavorsEdgesNodeComputeServicesRegionProvider(BaseModel):
    name: str


BrowseFlavors.model_rebuild()
BrowseFlavorsFlavors.model_rebuild()
BrowseFlavorsFlavorsEdges.model_rebuild()
BrowseFlavorsFlavorsEdgesNode.model_rebuild()
BrowseFlavorsFlavorsEdgesNodeComputeServices.model_rebuild()
BrowseFlavorsFlavorsEdgesNodeComputeServicesRegion.model_rebuild()
