from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class Networks(BaseModel):
    user_group: Optional["NetworksUserGroup"] = Field(alias="userGroup")


class NetworksUserGroup(BaseModel):
    slas: list["NetworksUserGroupSlas"]


class NetworksUserGroupSlas(BaseModel):
    projects: list["NetworksUserGroupSlasProjects"]


class NetworksUserGroupSlasProjects(BaseModel):
    name: str
    regions: list["NetworksUserGroupSlasProjectsRegions"]


class NetworksUserGroupSlasProjectsRegions(BaseModel):
    region: "NetworksUserGroupSlasProjectsRegionsRegion"
    network_services: list["NetworksUserGroupSlasProjectsRegionsNetworkServices"] = (
        Field(alias="networkServices")
    )


class NetworksUserGroupSlasProjectsRegionsRegion(BaseModel):
    name: str


class NetworksUserGroupSlasProjectsRegionsNetworkServices(BaseModel):
    public: list["NetworksUserGroupSlasProjectsRegionsNetworkServicesPublic"]
    private: list["NetworksUserGroupSlasProjectsRegionsNetworkServicesPrivate"]


class NetworksUserGroupSlasProjectsRegionsNetworkServicesPublic(BaseModel):
    name: str
    uuid: str


class NetworksUserGroupSlasProjectsRegionsNetworkServicesPrivate(BaseModel):
    name: str
    uuid: str
    proxy_host: Optional[str] = Field(alias="proxyHost")
    proxy_user: Optional[str] = Field(alias="proxyUser")


Networks.model_rebuild()
NetworksUserGroup.model_rebuild()
NetworksUserGroupSlas.model_rebuild()
NetworksUserGroupSlasProjects.model_rebuild()
NetworksUserGroupSlasProjectsRegions.model_rebuild()
NetworksUserGroupSlasProjectsRegionsNetworkServices.model_rebuild()
