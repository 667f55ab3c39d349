from pydantic import Field

from .base_model import BaseModel


class GroupsUsingA100(BaseModel):
    flavors: "GroupsUsingA100Flavors"


class GroupsUsingA100Flavors(BaseModel):
    total_count: int = Field(alias="totalCount")
    nodes: list["GroupsUsingA100FlavorsNodes"]


class GroupsUsingA100FlavorsNodes(BaseModel):
    name: str
    usable_by: list["GroupsUsingA100FlavorsNodesUsableBy"] = Field(alias="usableBy")


class GroupsUsingA100FlavorsNodesUsableBy(BaseModel):
    name: str
    provider: "GroupsUsingA100FlavorsNodesUsableByProvider"
    slas: list["GroupsUsingA100FlavorsNodesUsableBySlas"]


class GroupsUsingA100FlavorsNodesUsableByProvider(BaseModel):
    name: str


class GroupsUsingA100FlavorsNodesUsableBySlas(BaseModel):
    user_group: "GroupsUsingA100FlavorsNodesUsableBySlasUserGroup" = Field(
        alias="userGroup"
    )


class GroupsUsingA100FlavorsNodesUsableBySlasUserGroup(BaseModel):
    name: str
    identity_provider: "GroupsUsingA100FlavorsNodesUsableBySlasUserGroupIdentityProvider" = Field(
        alias="identityProvider"
    )


class GroupsUsingA100FlavorsNodesUsableBySlasUserGroupIdentityProvider(BaseModel):
    endpoint: str


GroupsUsingA100.model_rebuild()
GroupsUsingA100Flavors.model_rebuild()
GroupsUsingA100FlavorsNodes.model_rebuild()
GroupsUsingA100FlavorsNodesUsableBy.model_rebuild()
GroupsUsingA100FlavorsNodesUsableBySlas.model_rebuild()
GroupsUsingA100FlavorsNodesUsableBySlasUserGroup.model_rebuild()
