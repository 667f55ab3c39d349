from typing import Annotated, Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel


class Quotas(BaseModel):
    user_group: Optional["QuotasUserGroup"] = Field(alias="userGroup")


class QuotasUserGroup(BaseModel):
    slas: list["QuotasUserGroupSlas"]


class QuotasUserGroupSlas(BaseModel):
    doc_uuid: str = Field(alias="docUuid")
    projects: list["QuotasUserGroupSlasProjects"]


class QuotasUserGroupSlasProjects(BaseModel):
    name: str
    provider: "QuotasUserGroupSlasProjectsProvider"
    quotas: list[
        Annotated[
            Union[
                "QuotasUserGroupSlasProjectsQuotasQuota",
                "QuotasUserGroupSlasProjectsQuotasBlockStorageQuota",
                "QuotasUserGroupSlasProjectsQuotasComputeQuota",
                "QuotasUserGroupSlasProjectsQuotasNetworkQuota",
                "QuotasUserGroupSlasProjectsQuotasObjectStoreQuota",
            ],
            Field(discriminator="typename__"),
        ]
    ]


class QuotasUserGroupSlasProjectsProvider(BaseModel):
    name: str


class QuotasUserGroupSlasProjectsQuotasQuota(BaseModel):
    typename__: Literal["Quota"] = Field(alias="__typename")
    per_user: bool = Field(alias="perUser")
    usage: bool


class QuotasUserGroupSlasProjectsQuotasBlockStorageQuota(BaseModel):
    typename__: Literal["BlockStorageQuota"] = Field(alias="__typename")
    per_user: bool = Field(alias="perUser")
    usage: bool
    gigabytes: Optional[int]
    per_volume_gigabytes: Optional[int] = Field(alias="perVolumeGigabytes")
    volumes: Optional[int]
    service: Optional["QuotasUserGroupSlasProjectsQuotasBlockStorageQuotaService"]


class QuotasUserGroupSlasProjectsQuotasBlockStorageQuotaService(BaseModel):
    endpoint: str


class QuotasUserGroupSlasProjectsQuotasComputeQuota(BaseModel):
    typename__: Literal["ComputeQuota"] = Field(alias="__typename")
    per_user: bool = Field(alias="perUser")
    usage: bool
    cores: Optional[int]
    ram: Optional[int]
    instances: Optional[int]
    gpus: Optional[int]
    service: Optional["QuotasUserGroupSlasProjectsQuotasComputeQuotaService"]


class QuotasUserGroupSlasProjectsQuotasComputeQuotaService(BaseModel):
    endpoint: str


class QuotasUserGroupSlasProjectsQuotasNetworkQuota(BaseModel):
    typename__: Literal["NetworkQuota"] = Field(alias="__typename")
    per_user: bool = Field(alias="perUser")
    usage: bool
    public_ips: Optional[int] = Field(alias="publicIps")
    networks: Optional[int]
    ports: Optional[int]
    security_groups: Optional[int] = Field(alias="securityGroups")
    security_group_rules: Optional[int] = Field(alias="securityGroupRules")
    service: Optional["QuotasUserGroupSlasProjectsQuotasNetworkQuotaService"]


class QuotasUserGroupSlasProjectsQuotasNetworkQuotaService(BaseModel):
    endpoint: str


class QuotasUserGroupSlasProjectsQuotasObjectStoreQuota(BaseModel):
    typename__: Literal["ObjectStoreQuota"] = Field(alias="__typename")
    per_user: bool = Field(alias="perUser")
    usage: bool
    bytes_: Optional[int] = Field(alias="bytes")
    containers: Optional[int]
    objects: Optional[int]
    service: Optional["QuotasUserGroupSlasProjectsQuotasObjectStoreQuotaService"]


class QuotasUserGroupSlasProjectsQuotasObjectStoreQuotaService(BaseModel):
    endpoint: str


Quotas.model_rebuild()
QuotasUserGroup.model_rebuild()
QuotasUserGroupSlas.model_rebuild()
QuotasUserGroupSlasProjects.model_rebuild()
QuotasUserGroupSlasProjectsQuotasBlockStorageQuota.model_rebuild()
QuotasUserGroupSlasProjectsQuotasComputeQuota.model_rebuild()
QuotasUserGroupSlasProjectsQuotasNetworkQuota.model_rebuild()
QuotasUserGroupSlasProjectsQuotasObjectStoreQuota.model_rebuild()
