"""Filter inputs of lists; each field is a filter of its kind in `resolvers/kinds.py` (same name)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any, NewType, TypeVar, cast

import strawberry
from strawberry.types.arguments import InputContext
from strawberry.types.base import StrawberryList, StrawberryOptional, get_object_definition, has_object_definition
from strawberry.types.enum import StrawberryEnumDefinition

from resolvers.errors import Refusal
from resolvers.federation_file import is_dotted_version
from resolvers.kinds import KINDS
from schema.enums import ProviderStatus, ProviderType, QuotaKind

# ISO 8601 durations as Neo4j's duration() reads them: P1D, PT6H, P1DT12H, PT30M, P2W.
_ISO_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")


def _duration(value: object) -> str:
    if not isinstance(value, str) or not _ISO_DURATION.match(value):
        raise ValueError(f"{value!r} is not an ISO 8601 duration such as PT6H or P1D")
    return value


Duration = NewType("Duration", str)
# Registered in the schema's scalar_map (schema/root.py).
DURATION = strawberry.scalar(
    name="Duration",
    description="An ISO 8601 duration, e.g. PT6H (six hours) or P1D (one day).",
    serialize=str,
    parse_value=_duration,
)


# A filter field holding a dotted version (12.4, 550.54.15): compared part by part as numbers in Cypher,
# where anything else would silently match nothing, so it is refused naming the field instead.
DOTTED_VERSION = {"dotted_version": True}


# The `where` argument of every nested list (the root lists say the same in `schema/root.py`).
WHERE = strawberry.argument(description="Only those meeting every condition given; null: all the caller may see.")


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
            for f in dataclasses.fields(cast("Any", self))  # every filter input is a dataclass
            if getattr(self, f.name) is not None
        }


@strawberry.input
class FreshFilter(Filter):
    """Filters every node list has: how fresh its data is."""

    stale: bool | None = strawberry.field(
        default=None, description="false: only data its source confirmed at the last harvest; true: only kept data."
    )
    confirmed_within: Duration | None = strawberry.field(
        default=None, description="Only data its source confirmed within this long (e.g. PT6H)."
    )


F = TypeVar("F", bound=type[Filter])
# Label -> the filter input of its root list (services share one).
FILTERS: dict[str, type[Filter]] = {}


def filter_for(*labels: str) -> Callable[[F], F]:
    """Bind a filter input to the labels whose lists it filters."""

    def register(cls: F) -> F:
        FILTERS.update(dict.fromkeys(labels, cls))
        return cls

    return register


@filter_for("Provider")
@strawberry.input
class ProviderFilter(FreshFilter):
    ids: list[strawberry.ID] | None = None
    name: str | None = None
    name_contains: str | None = None
    type: list[ProviderType] | None = strawberry.field(
        default=None, description="Only providers running one of these frameworks."
    )
    status: list[ProviderStatus] | None = strawberry.field(
        default=None, description="Only providers with one of these statuses."
    )
    is_public: bool | None = strawberry.field(
        default=None, description="true: only public providers; false: only the others."
    )


@filter_for("Region")
@strawberry.input
class RegionFilter(FreshFilter):
    ids: list[strawberry.ID] | None = None
    name: str | None = None
    name_contains: str | None = None
    provider_id: strawberry.ID | None = None
    identity_endpoint: str | None = strawberry.field(
        default=None, description="Regions whose identity service has this endpoint."
    )
    country: str | None = strawberry.field(default=None, description="ISO 3166 name or alpha-2 code.")
    public_ip_assignable: bool | None = strawberry.field(
        default=None, description="true: only regions whose deployments can be given public IPs."
    )


@filter_for("Location")
@strawberry.input
class LocationFilter(FreshFilter):
    ids: list[strawberry.ID] | None = None
    site: str | None = strawberry.field(default=None, description="Only the site with exactly this name.")
    country: str | None = strawberry.field(default=None, description="ISO 3166 name or alpha-2 code.")


@filter_for("IdentityProvider")
@strawberry.input
class IdentityProviderFilter(FreshFilter):
    ids: list[strawberry.ID] | None = None
    endpoint: str | None = strawberry.field(default=None, description="Only the issuer with this URL (`iss`).")


@filter_for("UserGroup")
@strawberry.input
class UserGroupFilter(FreshFilter):
    ids: list[strawberry.ID] | None = None
    name: str | None = None
    name_contains: str | None = None
    issuer: str | None = strawberry.field(default=None, description="Only groups asserted by this issuer (its URL).")


@filter_for("SLA")
@strawberry.input
class SLAFilter(FreshFilter):
    ids: list[strawberry.ID] | None = None
    doc_uuid: str | None = strawberry.field(default=None, description="Only the SLA of this signed document.")
    in_force: bool | None = strawberry.field(default=None, description="In force today (server's UTC date).")
    in_force_on: dt.date | None = strawberry.field(default=None, description="Only SLAs in force on this date.")
    provider_status: list[ProviderStatus] | None = strawberry.field(
        default=None, description="Covers a project at a provider with one of these statuses."
    )


@strawberry.input(description="A user group by its name at an issuer.")
class UserGroupRef:
    name: str = strawberry.field(description="The group's name as the issuer's tokens list it.")
    issuer: str = strawberry.field(description="The issuer URL, as tokens carry it in `iss`.")


@filter_for("Project")
@strawberry.input
class ProjectFilter(FreshFilter):
    ids: list[strawberry.ID] | None = None
    uuid: str | None = None
    name: str | None = None
    name_contains: str | None = None
    provider_id: strawberry.ID | None = None
    provider_status: list[ProviderStatus] | None = strawberry.field(
        default=None, description="Only projects at a provider with one of these statuses."
    )
    user_group_id: strawberry.ID | None = strawberry.field(default=None, description="Covered by an SLA of this group.")
    user_group: UserGroupRef | None = strawberry.field(default=None, description="Covered by an SLA of this group.")


@filter_for("Service")
@strawberry.input
class ServiceFilter(FreshFilter):
    ids: list[strawberry.ID] | None = None
    name: str | None = None
    endpoint: str | None = None


@filter_for("Flavor")
@strawberry.input
class FlavorFilter(FreshFilter):
    ids: list[strawberry.ID] | None = None
    uuid: str | None = None
    name: str | None = None
    name_contains: str | None = None
    vcpus_min: int | None = strawberry.field(default=None, description="At least this many virtual CPUs.")
    ram_min: int | None = strawberry.field(default=None, description="MiB.")
    disk_min: int | None = strawberry.field(default=None, description="GiB.")
    gpus_min: int | None = strawberry.field(default=None, description="At least this many GPUs (1: any GPU flavor).")
    gpu_vendor: str | None = strawberry.field(default=None, description="Case-insensitive, e.g. NVIDIA.")
    gpu_model: str | None = strawberry.field(default=None, description="Case-insensitive substring, e.g. A100.")
    infiniband: bool | None = strawberry.field(default=None, description="true: only flavors on InfiniBand.")
    local_storage: str | None = strawberry.field(
        default=None, description="Only this local disk technology, e.g. NVMe."
    )
    is_shared: bool | None = None
    tag: str | None = None


@filter_for("Image")
@strawberry.input
class ImageFilter(FreshFilter):
    ids: list[strawberry.ID] | None = None
    uuid: str | None = None
    name: str | None = None
    name_contains: str | None = None
    os_type: str | None = strawberry.field(default=None, description="Linux, Windows or MacOS (exactly).")
    os_distro: str | None = strawberry.field(default=None, description="Case-insensitive, e.g. ubuntu.")
    os_version: str | None = strawberry.field(default=None, description="Exactly this version, e.g. 22.04.")
    architecture: str | None = strawberry.field(default=None, description="Exactly this architecture, e.g. x86_64.")
    cuda_support: bool | None = strawberry.field(default=None, description="true: only images with CUDA installed.")
    gpu_driver: bool | None = strawberry.field(default=None, description="true: only images with a GPU driver.")
    cuda_version_min: str | None = strawberry.field(
        default=None,
        description="CUDA version at least this (dotted numbers, compared part by part: 12.10 > 12.9).",
        metadata=DOTTED_VERSION,
    )
    gpu_driver_version_min: str | None = strawberry.field(
        default=None, description="GPU driver at least this (dotted numbers, e.g. 550.54).", metadata=DOTTED_VERSION
    )
    is_shared: bool | None = None
    tag: str | None = None


@filter_for("Network")
@strawberry.input
class NetworkFilter(FreshFilter):
    ids: list[strawberry.ID] | None = None
    uuid: str | None = None
    name: str | None = None
    name_contains: str | None = None
    is_router_external: bool | None = strawberry.field(
        default=None, description="true: only public (router-external) networks; false: only the others."
    )
    is_default: bool | None = strawberry.field(default=None, description="true: only default networks.")
    is_shared: bool | None = None
    tag: str | None = None


@filter_for("VolumeType")
@strawberry.input
class VolumeTypeFilter(FreshFilter):
    ids: list[strawberry.ID] | None = None
    name: str | None = None


@filter_for("Quota")
@strawberry.input
class QuotaFilter(FreshFilter):
    ids: list[strawberry.ID] | None = None
    kind: list[QuotaKind] | None = strawberry.field(default=None, description="Only quotas of these kinds.")
    per_user: bool | None = strawberry.field(
        default=None, description="true: only per-user limits; false: only the project's own records."
    )
    usage: bool | None = strawberry.field(default=None, description="true: consumption records; false: limits.")
    scoped: bool | None = strawberry.field(
        default=None,
        description="false: only quotas on everything of their service; true: only those scoped to a volume type "
        "or to GPUs (see BlockStorageQuota.volumeType, ComputeQuota.gpuResource).",
    )
    volume_type: str | None = strawberry.field(default=None, description="Quotas scoped to this volume type.")
    gpu_vendor: str | None = strawberry.field(
        default=None, description="Quotas scoped to GPUs of this vendor (case-insensitive)."
    )


@strawberry.input(description="Conditions a deployment target must meet to be listed: all those given.")
class DeploymentTargetFilter(Filter):
    on: dt.date | None = strawberry.field(default=None, description="SLAs in force on this date; default today.")
    provider_status: list[ProviderStatus] | None = strawberry.field(
        default=None, description="Default: ACTIVE providers only."
    )
    region_name: str | None = strawberry.field(default=None, description="Only rows in regions of this name.")
    provider_id: strawberry.ID | None = strawberry.field(default=None, description="Only rows at this provider.")
    stale: bool | None = strawberry.field(
        default=None, description="false: only rows whose provider, region and service were all confirmed."
    )
    confirmed_within: Duration | None = strawberry.field(
        default=None, description="Only rows whose provider was harvested successfully within this long."
    )


# ------------------------------------------------------------------------------ building from GraphQL input

# Per filter class: GraphQL field name -> (python name, enum of its values, nested input type, dotted version).
_InputPlan = dict[str, tuple[str, type[Enum] | None, Any, bool]]
_INPUT_PLANS: dict[type, _InputPlan] = {}


def _input_plan(cls: type, context: InputContext) -> _InputPlan:
    plan = _INPUT_PLANS.get(cls)
    if plan is None:
        plan = {}
        for f in get_object_definition(cls, strict=True).fields:
            kind = f.type.of_type if isinstance(f.type, StrawberryOptional) else f.type
            item = kind.of_type if isinstance(kind, StrawberryList) else kind
            enum = cast("type[Enum]", item.wrapped_cls) if isinstance(item, StrawberryEnumDefinition) else None
            nested = f.type if has_object_definition(item) else None
            dotted = bool(dict(f.metadata or {}).get("dotted_version"))
            plan[context.config.name_converter.from_field(f)] = (str(f.python_name), enum, nested, dotted)
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
        python_name, enum, nested, dotted = plan[name]
        if dotted and raw is not None and not is_dotted_version(raw):
            raise Refusal(f"where.{name}", f"{raw!r} is not a dotted version of numbers, e.g. 12.4")
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
    built: Filter = cls(**kwargs)
    built.__dict__["_where"] = where
    return built


def _every_filter(base: type[Filter]) -> list[type[Filter]]:
    return [sub for direct in base.__subclasses__() for sub in (direct, *_every_filter(direct))]


for _filter in _every_filter(Filter):
    get_object_definition(_filter, strict=True).from_input = _from_input


# Filters several kinds share mean the same everywhere: described once, here.
_SHARED_FILTERS = {
    "ids": "Only those with one of these ids.",
    "name": "Only those with exactly this name.",
    "name_contains": "Only those whose name contains this text, ignoring case.",
    "uuid": "Only those with this id at their provider or service.",
    "provider_id": "Only those of the provider with this id.",
    "endpoint": "Only those with exactly this endpoint URL.",
    "is_shared": "true: only shared (public) ones; false: only private ones.",
    "tag": "Only those carrying this tag.",
}
for _label, _filter in FILTERS.items():
    _definition = get_object_definition(_filter, strict=True)
    if _definition.description is None:
        _definition.description = (
            f"Conditions a {KINDS[_label].words} must "
            "meet to be listed: all those given (an omitted or null one is no condition)."
        )
    for _field in _definition.fields:
        if _field.description is None:
            _field.description = _SHARED_FILTERS.get(_field.python_name)
