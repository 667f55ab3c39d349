"""The feeder's provider configuration: what an operator states once per provider, validated.

A configuration is one YAML file or a folder of them (read in name order, merged); each may list
`identityProviders` (with their user groups and SLAs) and `providers`. Everything the feeder can
read from a provider itself (flavors, images, networks, quotas, endpoints) is NOT configured here.
Secrets are never written in the file: each is a reference, `{env: NAME}` or `{file: PATH}`, read
when the provider is harvested. `config.schema.json` beside this module is the JSON Schema of the
format (`registry feed --schema` prints it; a test keeps it equal to these models).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic.alias_generators import to_camel

from resolvers.federation_file import IdentityProviderIn, LocationIn

SCHEMA_PATH = Path(__file__).with_name("config.schema.json")


class ConfigError(ValueError):
    """The configuration is not valid; the message names the file and each bad field by its path."""


class Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)


class SecretRef(Model):
    """Where a secret is read from: an environment variable or a file (its content, stripped)."""

    env: str | None = Field(None, min_length=1, description="An environment variable holding the secret.")
    file: Path | None = Field(None, description="A file holding the secret (e.g. a mounted Kubernetes secret).")

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.env is None) == (self.file is None):
            raise ValueError("give exactly one of env or file")
        return self

    def read(self) -> str:
        """The secret; a missing source raises a ValueError that names the source, never the value."""
        if self.env is not None:
            value = os.environ.get(self.env)
            if not value:
                raise ValueError(f"environment variable {self.env} is not set")
            return value
        assert self.file is not None
        try:
            return self.file.read_text().strip()
        except OSError as error:
            raise ValueError(f"cannot read secret file {self.file}: {error.strerror}") from None


class ApplicationCredential(Model):
    """A Keystone application credential: bound to one project, so given per project."""

    method: Literal["applicationCredential"]
    id: str = Field(min_length=1)
    secret: SecretRef


class Password(Model):
    method: Literal["password"]
    username: str = Field(min_length=1)
    password: SecretRef
    user_domain: str = "Default"
    project_domain: str = "Default"


class OidcAccessToken(Model):
    """An OIDC access token of an identity provider the cloud trusts, exchanged through Keystone's
    OS-FEDERATION for a project-scoped token (how federated sites are reached)."""

    method: Literal["oidcAccessToken"]
    identity_provider: str = Field(min_length=1, description="The idp name Keystone knows the issuer by.")
    protocol: str = "openid"
    access_token: SecretRef


Credentials = Annotated[ApplicationCredential | Password | OidcAccessToken, Field(discriminator="method")]


class RegionConfig(Model):
    name: str = Field(min_length=1)
    description: str = ""
    location: LocationIn | None = None
    overbooking_cpu: float = Field(1.0, gt=0)
    overbooking_ram: float = Field(1.0, gt=0)
    bandwidth_in: float | None = Field(None, ge=0)
    bandwidth_out: float | None = Field(None, ge=0)
    public_ip_assignable: bool | None = None


class TrustConfig(Model):
    """How the provider trusts one of the configured identity providers."""

    endpoint: str = Field(description="The identity provider's endpoint, as under identityProviders.")
    idp_name: str = Field(min_length=1)
    protocol: str = "openid"
    audience: str | None = None


class PerUserLimits(Model):
    """Limits per user within a project (quotas marked perUser), which providers do not publish."""

    compute: dict[Literal["cores", "instances", "ram", "gpus"], int] = {}
    block_storage: dict[Literal["gigabytes", "perVolumeGigabytes", "volumes"], int] = {}
    network: dict[Literal["publicIps", "networks", "ports", "securityGroups", "securityGroupRules"], int] = {}


class NetworkProxy(Model):
    host: str = Field(min_length=1)
    user: str = Field(min_length=1)


class OpenStackProject(Model):
    id: str = Field(min_length=1, description="The Keystone project id.")
    sla: str = Field(min_length=1, description="docUuid of the SLA (under identityProviders) covering it.")
    credentials: Credentials | None = Field(None, description="Overrides the provider's credentials.")
    per_user_limits: PerUserLimits | None = None
    default_public_network: str | None = Field(None, description="Name or id of its default public network.")
    default_private_network: str | None = Field(None, description="Name or id of its default private network.")
    private_network_proxy: NetworkProxy | None = None


class ProviderBase(Model):
    name: str = Field(min_length=1)
    status: Literal["active", "maintenance", "limited", "removed"] = "active"
    is_public: bool = False
    support_emails: list[str] = []
    description: str = ""
    regions: list[RegionConfig] = Field(min_length=1)
    identity_providers: list[TrustConfig] = []
    timeout: float = Field(
        60.0, gt=0, le=3600, description="Seconds the whole harvest of this provider may take; each call too."
    )


class OpenStackProvider(ProviderBase):
    type: Literal["openstack"]
    auth_url: str = Field(description="Keystone v3, e.g. https://keystone.example.org:5000/v3")
    credentials: Credentials | None = Field(None, description="Used for every project that names none.")
    image_tags: list[str] = Field([], description="Only active images carrying all these tags are read.")
    projects: list[OpenStackProject] = Field(min_length=1)
    verify: bool | Path = Field(True, description="Verify TLS (true), not (false), or against this CA bundle.")

    @model_validator(mode="after")
    def _every_project_can_log_in(self) -> Self:
        for i, project in enumerate(self.projects):
            if project.credentials is None and self.credentials is None:
                raise ValueError(f"projects.{i}: no credentials (give the provider's or the project's)")
        return self


class KubernetesNamespace(Model):
    name: str = Field(min_length=1)
    project: str | None = Field(None, description="The project uuid it stands for (default: the namespace name).")
    sla: str = Field(min_length=1)

    @property
    def project_uuid(self) -> str:
        return self.project or self.name


class KubernetesProvider(ProviderBase):
    type: Literal["kubernetes"]
    api_server: str = Field(description="https://host:6443")
    ca_file: Path | None = Field(None, description="The cluster's CA; unset: the system's trust store.")
    token: SecretRef = Field(description="A bearer token allowed to read quotas, storage classes and nodes.")
    namespaces: list[KubernetesNamespace] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_region(self) -> Self:
        if len(self.regions) != 1:
            raise ValueError("a Kubernetes cluster is one region")
        return self


Provider = Annotated[OpenStackProvider | KubernetesProvider, Field(discriminator="type")]


class FeederConfig(Model):
    """One file of the configuration (or all of them merged)."""

    identity_providers: list[IdentityProviderIn] = []
    providers: list[Provider] = []

    @model_validator(mode="after")
    def _references_hold(self) -> Self:
        endpoints = {idp.endpoint for idp in self.identity_providers}
        slas = {sla.doc_uuid for idp in self.identity_providers for g in idp.user_groups for sla in g.slas}
        names: dict[str, int] = {}
        for i, provider in enumerate(self.providers):
            if provider.name in names:
                first = names[provider.name]
                raise ValueError(f"providers.{i}: provider {provider.name!r} is also providers.{first}")
            names[provider.name] = i
            for j, trust in enumerate(provider.identity_providers):
                if trust.endpoint not in endpoints:
                    raise ValueError(f"providers.{i}.identityProviders.{j}: no identity provider {trust.endpoint!r}")
            where = "projects" if isinstance(provider, OpenStackProvider) else "namespaces"
            covered = [
                p.sla for p in (provider.projects if isinstance(provider, OpenStackProvider) else provider.namespaces)
            ]
            for j, sla in enumerate(covered):
                if sla not in slas:
                    raise ValueError(f"providers.{i}.{where}.{j}.sla: no SLA {sla!r} under identityProviders")
        return self


def json_schema() -> dict[str, Any]:
    schema = FeederConfig.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Federation Registry feeder configuration"
    return schema


def _problems(error: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in error.errors())


def read_config(path: Path) -> FeederConfig:
    """A file, or every *.yaml / *.yml / *.json of a folder (merged in name order)."""
    # here, not at the top: a harvest worker process imports this module without the federation file's writer
    from registry.feeder.federation_file import yaml_load

    files = sorted(p for p in path.iterdir() if p.suffix in {".yaml", ".yml", ".json"}) if path.is_dir() else [path]
    if not files:
        raise ConfigError(f"{path}: no .yaml, .yml or .json files")
    idps: list[Any] = []
    providers: list[Any] = []
    for file in files:
        try:
            data = yaml_load(file)
        except ValueError as error:
            raise ConfigError(str(error)) from None
        if not isinstance(data, dict):
            raise ConfigError(f"{file}: expected a mapping with identityProviders and providers")
        try:
            part = FeederConfig.model_validate(
                {"identityProviders": data.get("identityProviders", []), "providers": data.get("providers", [])}
                if set(data) <= {"identityProviders", "providers"}
                else data
            )
        except ValidationError as error:
            # A reference may point into another file of the folder: check references on the merge.
            refs_only = all(e["type"] == "value_error" and not e["loc"] for e in error.errors())
            if not (refs_only and len(files) > 1):
                raise ConfigError(f"{file}: {_problems(error)}") from None
            part = FeederConfig.model_construct(
                identity_providers=[IdentityProviderIn.model_validate(i) for i in data.get("identityProviders", [])],
                providers=_providers_unchecked(data.get("providers", []), file),
            )
        idps.extend(part.identity_providers)
        providers.extend(part.providers)
    try:
        return FeederConfig(identity_providers=idps, providers=providers)
    except ValidationError as error:
        raise ConfigError(f"{path}: {_problems(error)}") from None


def _providers_unchecked(raw: list[Any], file: Path) -> list[Any]:
    class _Providers(Model):
        providers: list[Provider] = []

    try:
        return list(_Providers.model_validate({"providers": raw}).providers)
    except ValidationError as error:
        raise ConfigError(f"{file}: {_problems(error)}") from None


def dump_schema() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
