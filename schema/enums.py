"""Enumerations of the federation's vocabulary, stored in Neo4j as their lowercase values."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="The cloud management framework a provider runs. New kinds are added here only.")
class ProviderType(Enum):
    OPENSTACK = "openstack"
    KUBERNETES = "kubernetes"


@strawberry.enum
class ProviderStatus(Enum):
    ACTIVE = "active"
    MAINTENANCE = "maintenance"
    LIMITED = "limited"
    REMOVED = "removed"


@strawberry.enum(description="Which service a quota applies to.")
class QuotaKind(Enum):
    COMPUTE = "compute"
    BLOCK_STORAGE = "blockStorage"
    NETWORK = "network"
    OBJECT_STORE = "objectStore"


@strawberry.enum
class SortDirection(Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.enum(description="How the feeder's last harvest of a provider or region went.")
class HarvestOutcome(Enum):
    OK = "ok"
    PARTIAL = "partial"
    FAILED = "failed"
