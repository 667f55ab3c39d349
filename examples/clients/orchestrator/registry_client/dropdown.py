from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class Dropdown(BaseModel):
    user_group: Optional["DropdownUserGroup"] = Field(alias="userGroup")


class DropdownUserGroup(BaseModel):
    deployment_targets: list["DropdownUserGroupDeploymentTargets"] = Field(
        alias="deploymentTargets"
    )


class DropdownUserGroupDeploymentTargets(BaseModel):
    sla: "DropdownUserGroupDeploymentTargetsSla"
    provider: "DropdownUserGroupDeploymentTargetsProvider"
    region: "DropdownUserGroupDeploymentTargetsRegion"
    compute_service: "DropdownUserGroupDeploymentTargetsComputeService" = Field(
        alias="computeService"
    )


class DropdownUserGroupDeploymentTargetsSla(BaseModel):
    id: str
    doc_uuid: str = Field(alias="docUuid")


class DropdownUserGroupDeploymentTargetsProvider(BaseModel):
    name: str


class DropdownUserGroupDeploymentTargetsRegion(BaseModel):
    name: str


class DropdownUserGroupDeploymentTargetsComputeService(BaseModel):
    endpoint: str


Dropdown.model_rebuild()
DropdownUserGroup.model_rebuild()
DropdownUserGroupDeploymentTargets.model_rebuild()
