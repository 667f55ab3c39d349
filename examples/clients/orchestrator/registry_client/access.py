from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class Access(BaseModel):
    identity_providers: "AccessIdentityProviders" = Field(alias="identityProviders")


class AccessIdentityProviders(BaseModel):
    nodes: list["AccessIdentityProvidersNodes"]


class AccessIdentityProvidersNodes(BaseModel):
    endpoint: str
    trusts: list["AccessIdentityProvidersNodesTrusts"]


class AccessIdentityProvidersNodesTrusts(BaseModel):
    idp_name: str = Field(alias="idpName")
    protocol: str
    audience: Optional[str]
    provider: "AccessIdentityProvidersNodesTrustsProvider"


class AccessIdentityProvidersNodesTrustsProvider(BaseModel):
    name: str
    regions: list["AccessIdentityProvidersNodesTrustsProviderRegions"]


class AccessIdentityProvidersNodesTrustsProviderRegions(BaseModel):
    name: str
    identity_services: list[
        "AccessIdentityProvidersNodesTrustsProviderRegionsIdentityServices"
    ] = Field(alias="identityServices")


class AccessIdentityProvidersNodesTrustsProviderRegionsIdentityServices(BaseModel):
    endpoint: str
    name: str


Access.model_rebuild()
AccessIdentityProviders.model_rebuild()
AccessIdentityProvidersNodes.model_rebuild()
AccessIdentityProvidersNodesTrusts.model_rebuild()
AccessIdentityProvidersNodesTrustsProvider.model_rebuild()
AccessIdentityProvidersNodesTrustsProviderRegions.model_rebuild()
