from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import PlacementReasonCode, PlacementResource, ProviderStatus


class Placement(BaseModel):
    user_group: Optional["PlacementUserGroup"] = Field(alias="userGroup")


class PlacementUserGroup(BaseModel):
    placements: list["PlacementUserGroupPlacements"]


class PlacementUserGroupPlacements(BaseModel):
    rank: int
    fits: bool
    score: float
    sla: "PlacementUserGroupPlacementsSla"
    project: "PlacementUserGroupPlacementsProject"
    provider: "PlacementUserGroupPlacementsProvider"
    region: "PlacementUserGroupPlacementsRegion"
    compute_service: "PlacementUserGroupPlacementsComputeService" = Field(
        alias="computeService"
    )
    flavors: list["PlacementUserGroupPlacementsFlavors"]
    images: list["PlacementUserGroupPlacementsImages"]
    remaining: list["PlacementUserGroupPlacementsRemaining"]
    reasons: list["PlacementUserGroupPlacementsReasons"]


class PlacementUserGroupPlacementsSla(BaseModel):
    doc_uuid: str = Field(alias="docUuid")


class PlacementUserGroupPlacementsProject(BaseModel):
    uuid: str
    name: str


class PlacementUserGroupPlacementsProvider(BaseModel):
    name: str
    status: ProviderStatus


class PlacementUserGroupPlacementsRegion(BaseModel):
    name: str


class PlacementUserGroupPlacementsComputeService(BaseModel):
    endpoint: str


class PlacementUserGroupPlacementsFlavors(BaseModel):
    name: str
    vcpus: int
    ram: int
    gpus: int
    gpu_vendor: Optional[str] = Field(alias="gpuVendor")
    gpu_model: Optional[str] = Field(alias="gpuModel")


class PlacementUserGroupPlacementsImages(BaseModel):
    name: str
    os_distro: Optional[str] = Field(alias="osDistro")
    os_version: Optional[str] = Field(alias="osVersion")
    cuda_version: Optional[str] = Field(alias="cudaVersion")


class PlacementUserGroupPlacementsRemaining(BaseModel):
    resource: PlacementResource
    scope: Optional["PlacementUserGroupPlacementsRemainingScope"]
    requested: int
    project: Optional[int]
    per_user: Optional[int] = Field(alias="perUser")
    remaining: Optional[int]
    fits: bool


class PlacementUserGroupPlacementsRemainingScope(BaseModel):
    gpu_vendor: Optional[str] = Field(alias="gpuVendor")
    gpu_model: Optional[str] = Field(alias="gpuModel")
    gpu_resource: Optional[str] = Field(alias="gpuResource")


class PlacementUserGroupPlacementsReasons(BaseModel):
    code: PlacementReasonCode
    message: str
    subject_id: str = Field(alias="subjectId")
    resource: Optional[PlacementResource]
    scope: Optional["PlacementUserGroupPlacementsReasonsScope"]
    requested: Optional[int]
    remaining: Optional[int]
    considered: Optional[int]
    detail: Optional[str]


class PlacementUserGroupPlacementsReasonsScope(BaseModel):
    gpu_vendor: Optional[str] = Field(alias="gpuVendor")
    gpu_model: Optional[str] = Field(alias="gpuModel")


Placement.model_rebuild()
PlacementUserGroup.model_rebuild()
PlacementUserGroupPlacements.model_rebuild()
PlacementUserGroupPlacementsRemaining.model_rebuild()
PlacementUserGroupPlacementsReasons.model_rebuild()
