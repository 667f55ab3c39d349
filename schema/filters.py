"""Filter inputs of lists; each becomes Cypher predicates in `resolvers.filters` (same field names)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from enum import Enum
from typing import Any, cast

import strawberry
from strawberry.types.arguments import InputContext
from strawberry.types.base import StrawberryList, StrawberryOptional, has_object_definition
from strawberry.types.enum import StrawberryEnumDefinition

from schema.enums import ProviderStatus, ProviderType, QuotaKind


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


class Filter:
    """Base of filter inputs: `where()` is the plain mapping the resolvers compile into Cypher."""

    def where(self) -> dict[str, Any]:
        built: dict[str, Any] | None = self.__dict__.get("_where")  # set by `_from_input`
        if built is not None:
            return built
        return {
            f.name: _plain(getattr(self, f.name))
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
            if getattr(self, f.name) is not None
        }


def where_of(filter_input: Filter | None) -> dict[str, Any]:
    return filter_input.where() if filter_input is not None else {}


@strawberry.input
class ProviderFilter(Filter):
    ids: list[strawberry.ID] | None = None
    name: str | None = None
    name_contains: str | None = None
    type: list[ProviderType] | None = None
    status: list[ProviderStatus] | None = None
    is_public: bool | None = None


@strawberry.input
class RegionFilter(Filter):
    ids: list[strawberry.ID] | None = None
    name: str | None = None
    name_contains: str | None = None
    provider_id: strawberry.ID | None = None
    identity_endpoint: str | None = strawberry.field(
        default=None, description="Regions whose identity service has this endpoint."
    )
    country: str | None = strawberry.field(default=None, description="ISO 3166 name or alpha-2 code.")
    public_ip_assignable: bool | None = None


@strawberry.input
class LocationFilter(Filter):
    ids: list[strawberry.ID] | None = None
    site: str | None = None
    country: str | None = None


@strawberry.input
class IdentityProviderFilter(Filter):
    ids: list[strawberry.ID] | None = None
    endpoint: str | None = None


@strawberry.input
class UserGroupFilter(Filter):
    ids: list[strawberry.ID] | None = None
    name: str | None = None
    name_contains: str | None = None
    issuer: str | None = None


@strawberry.input
class SLAFilter(Filter):
    ids: list[strawberry.ID] | None = None
    doc_uuid: str | None = None
    in_force: bool | None = strawberry.field(default=None, description="In force today (server's UTC date).")
    in_force_on: dt.date | None = None
    provider_status: list[ProviderStatus] | None = strawberry.field(
        default=None, description="Covers a project at a provider with one of these statuses."
    )


@strawberry.input(description="A user group by its name at an issuer.")
class UserGroupRef:
    name: str
    issuer: str


@strawberry.input
class ProjectFilter(Filter):
    ids: list[strawberry.ID] | None = None
    uuid: str | None = None
    name: str | None = None
    name_contains: str | None = None
    provider_id: strawberry.ID | None = None
    provider_status: list[ProviderStatus] | None = None
    user_group_id: strawberry.ID | None = strawberry.field(default=None, description="Covered by an SLA of this group.")
    user_group: UserGroupRef | None = strawberry.field(default=None, description="Covered by an SLA of this group.")


@strawberry.input
class ServiceFilter(Filter):
    ids: list[strawberry.ID] | None = None
    name: str | None = None
    endpoint: str | None = None


@strawberry.input
class FlavorFilter(Filter):
    ids: list[strawberry.ID] | None = None
    uuid: str | None = None
    name: str | None = None
    name_contains: str | None = None
    vcpus_min: int | None = None
    ram_min: int | None = strawberry.field(default=None, description="MiB.")
    disk_min: int | None = strawberry.field(default=None, description="GiB.")
    gpus_min: int | None = None
    gpu_vendor: str | None = strawberry.field(default=None, description="Case-insensitive, e.g. NVIDIA.")
    gpu_model: str | None = strawberry.field(default=None, description="Case-insensitive substring, e.g. A100.")
    infiniband: bool | None = None
    local_storage: str | None = None
    is_shared: bool | None = None
    tag: str | None = None


@strawberry.input
class ImageFilter(Filter):
    ids: list[strawberry.ID] | None = None
    uuid: str | None = None
    name: str | None = None
    name_contains: str | None = None
    os_type: str | None = None
    os_distro: str | None = strawberry.field(default=None, description="Case-insensitive, e.g. ubuntu.")
    os_version: str | None = None
    architecture: str | None = None
    cuda_support: bool | None = None
    gpu_driver: bool | None = None
    cuda_version_min: str | None = strawberry.field(
        default=None, description="Images whose CUDA version is at least this one (e.g. 12.1; 12.10 > 12.4)."
    )
    is_shared: bool | None = None
    tag: str | None = None


@strawberry.input
class NetworkFilter(Filter):
    ids: list[strawberry.ID] | None = None
    uuid: str | None = None
    name: str | None = None
    name_contains: str | None = None
    is_router_external: bool | None = None
    is_default: bool | None = None
    is_shared: bool | None = None
    tag: str | None = None


@strawberry.input
class VolumeTypeFilter(Filter):
    ids: list[strawberry.ID] | None = None
    name: str | None = None


@strawberry.input
class QuotaFilter(Filter):
    ids: list[strawberry.ID] | None = None
    kind: list[QuotaKind] | None = None
    per_user: bool | None = None
    usage: bool | None = strawberry.field(default=None, description="true: consumption records; false: limits.")


@strawberry.input
class DeploymentTargetFilter(Filter):
    on: dt.date | None = strawberry.field(default=None, description="SLAs in force on this date; default today.")
    provider_status: list[ProviderStatus] | None = strawberry.field(
        default=None, description="Default: ACTIVE providers only."
    )
    region_name: str | None = None
    provider_id: strawberry.ID | None = None


# ------------------------------------------------------------------------------ building from GraphQL input

# Per filter class: GraphQL field name -> (python name, enum of its values, nested input type).
_InputPlan = dict[str, tuple[str, type[Enum] | None, Any]]
_INPUT_PLANS: dict[type, _InputPlan] = {}


def _input_plan(cls: type, context: InputContext) -> _InputPlan:
    plan = _INPUT_PLANS.get(cls)
    if plan is None:
        plan = {}
        for f in cls.__strawberry_definition__.fields:  # type: ignore[attr-defined]
            kind = f.type.of_type if isinstance(f.type, StrawberryOptional) else f.type
            item = kind.of_type if isinstance(kind, StrawberryList) else kind
            enum = cast("type[Enum]", item.wrapped_cls) if isinstance(item, StrawberryEnumDefinition) else None
            nested = f.type if has_object_definition(item) else None
            plan[context.config.name_converter.from_field(f)] = (str(f.python_name), enum, nested)
        _INPUT_PLANS[cls] = plan
    return plan


def _from_input(cls: type, value: Mapping[str, Any], context: InputContext) -> Filter:
    """Strawberry's `from_input` hook for filters: the filter and its `where()` mapping in one pass over
    the fields the caller gave (graphql-core has already coerced and validated them).

    Strawberry's own conversion visits every field of the input type through its generic machinery,
    for every list field of every object of the answer: ~12 % of a matchmaking request's CPU."""
    plan = _input_plan(cls, context)
    kwargs: dict[str, Any] = {}
    where: dict[str, Any] = {}
    for name, raw in value.items():
        python_name, enum, nested = plan[name]
        if raw is None:
            kwargs[python_name] = None
            continue
        if nested is not None:
            kwargs[python_name] = context.convert(raw, nested, name)
            where[python_name] = _plain(kwargs[python_name])
        elif enum is not None:
            kwargs[python_name] = [enum(v) for v in raw] if isinstance(raw, list) else enum(raw)
            where[python_name] = _plain(kwargs[python_name])
        else:  # lists are copied: graphql-core hands every request the same default list
            kwargs[python_name] = where[python_name] = list(raw) if isinstance(raw, list) else raw
    built = cls(**kwargs)
    built.__dict__["_where"] = where
    return built  # type: ignore[no-any-return]


for _filter in Filter.__subclasses__():
    _filter.__strawberry_definition__.from_input = _from_input  # type: ignore[attr-defined]
