from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class Capabilities(BaseModel):
    providers: "CapabilitiesProviders"


class CapabilitiesProviders(BaseModel):
    nodes: list["CapabilitiesProvidersNodes"]


class CapabilitiesProvidersNodes(BaseModel):
    name: str
    regions: list["CapabilitiesProvidersNodesRegions"]


class CapabilitiesProvidersNodesRegions(BaseModel):
    name: str
    public_ip_assignable: Optional[bool] = Field(alias="publicIpAssignable")
    compute_services: list["CapabilitiesProvidersNodesRegionsComputeServices"] = Field(
        alias="computeServices"
    )
    block_storage_services: list[
        "CapabilitiesProvidersNodesRegionsBlockStorageServices"
    ] = Field(alias="blockStorageServices")
    object_store_services: list[
        "CapabilitiesProvidersNodesRegionsObjectStoreServices"
    ] = Field(alias="objectStoreServices")


class CapabilitiesProvidersNodesRegionsComputeServices(BaseModel):
    endpoint: str
    microversion: Optional[str]


class CapabilitiesProvidersNodesRegionsBlockStorageServices(BaseModel):
    endpoint: str
    volume_types: list[
        "CapabilitiesProvidersNodesRegionsBlockStorageServicesVolumeTypes"
    ] = Field(alias="volumeTypes")


class CapabilitiesProvidersNodesRegionsBlockStorageServicesVolumeTypes(BaseModel):
    name: str
    qos: Optional[str]


class CapabilitiesProvidersNodesRegionsObjectStoreServices(BaseModel):
    endpoint: str
    data_location: Optional[str] = Field(alias="dataLocation")


Capabilities.model_rebuild()
CapabilitiesProviders.model_rebuild()
CapabilitiesProvidersNodes.model_rebuild()
CapabilitiesProvidersNodesRegions.model_rebuild()
CapabilitiesProvidersNodesRegionsBlockStorageServices.model_rebuild()
