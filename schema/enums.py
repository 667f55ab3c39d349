"""Enumerations of the federation's vocabulary, stored in Neo4j as their lowercase values."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TypeVar

import strawberry
from strawberry.types.enum import StrawberryEnumDefinition

E = TypeVar("E", bound=type[Enum])


def values_described(**descriptions: str) -> Callable[[E], E]:
    """Describe each value of a Strawberry enum (applied above `@strawberry.enum`). Values stay plain
    strings, so `QuotaKind.COMPUTE.value` is the stored "compute" for the type checker too."""

    def describe(cls: E) -> E:
        definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
        assert isinstance(definition, StrawberryEnumDefinition)
        for value in definition.values:
            value.description = descriptions[value.name]
        return cls

    return describe


@values_described(
    OPENSTACK="OpenStack: projects are Keystone projects; services are Nova, Cinder, Neutron, Swift…",
    KUBERNETES="Kubernetes: projects are namespaces with resource quotas.",
)
@strawberry.enum(description="The cloud management framework a provider runs. New kinds are added here only.")
class ProviderType(Enum):
    OPENSTACK = "openstack"
    KUBERNETES = "kubernetes"


@values_described(
    ACTIVE="In production: deployments may go there.",
    MAINTENANCE="Temporarily unavailable (planned work): deploy elsewhere.",
    LIMITED="Running with reduced capacity or services.",
    REMOVED="Left the federation; kept for the record.",
)
@strawberry.enum(description="Whether a provider takes deployments now (deployment targets default to ACTIVE).")
class ProviderStatus(Enum):
    ACTIVE = "active"
    MAINTENANCE = "maintenance"
    LIMITED = "limited"
    REMOVED = "removed"


@values_described(
    COMPUTE="A compute service's (cores, instances, RAM, GPUs).",
    BLOCK_STORAGE="A block storage service's (gigabytes, volumes).",
    NETWORK="A network service's (public IPs, networks, ports, security groups).",
    OBJECT_STORE="An object store service's (bytes, containers, objects).",
)
@strawberry.enum(description="Which service a quota applies to.")
class QuotaKind(Enum):
    COMPUTE = "compute"
    BLOCK_STORAGE = "blockStorage"
    NETWORK = "network"
    OBJECT_STORE = "objectStore"


@values_described(ASC="Ascending: A to Z, smallest first.", DESC="Descending: Z to A, largest first.")
@strawberry.enum(description="The order of a sorted list.")
class SortDirection(Enum):
    ASC = "asc"
    DESC = "desc"


@values_described(
    OK="Everything was read.",
    PARTIAL="Some of it could not be read: what was not read is kept and marked stale.",
    FAILED="Nothing could be read: everything stored is kept and marked stale.",
)
@strawberry.enum(description="How the feeder's last harvest of a provider or region went.")
class HarvestOutcome(Enum):
    OK = "ok"
    PARTIAL = "partial"
    FAILED = "failed"
