"""The root Query: every node type as a filtered, sorted, paginated list and by id; the schema itself."""

# No `from __future__ import annotations` here: the list fields are made by a factory, and
# Strawberry must see their argument types as objects, not as names in this module.

from functools import partial
from typing import Any

import strawberry
from graphql import ASTValidationRule
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    max_aliases,
    query_depth_limiter,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types.nodes import SelectedField

from resolvers import catalogue
from resolvers.loaders import nodes
from schema import filters
from schema.cost import DEFAULT_COST_LIMIT, CostLimit
from schema.edits import EditMutation
from schema.errors import MaskFailures, page_errors
from schema.execution import FederationExecution
from schema.flavor import Flavor
from schema.identity import IdentityProvider, UserGroup
from schema.image import Image
from schema.mutation import Mutation
from schema.network import Network
from schema.node import Node, federation
from schema.node_mutations import NodeMutation
from schema.pagination import Connection, connection_of, sort_input
from schema.parse_cache import BoundedParserCache, BoundedValidationCache
from schema.project import Project
from schema.provider import Location, Provider, Region
from schema.quota import BIG_INT, QUOTA_TYPES, BigInt, Quota, quota_from_row
from schema.refusals import FederationSchema, Introspection, IntrospectionPolicy
from schema.service import (
    BlockStorageService,
    ComputeService,
    IdentityService,
    NetworkService,
    ObjectStoreService,
    VolumeType,
)
from schema.sla import SLA

MAX_DEPTH = 15
MAX_ALIASES = 30
MAX_TOKENS = 5000


def _selects(selections: list[Any], name: str) -> bool:
    """Whether the selection (through its fragments) names the field `name` at its first level."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            if selection.name == name:
                return True
        elif _selects(selection.selections, name):  # a fragment, inline or spread
            return True
    return False


def _list_field(label: str, node_type: Any, filter_type: Any, description: str) -> Any:
    order_type = sort_input(label, node_type.__name__)
    build = quota_from_row if node_type is Quota else node_type.from_row

    async def resolve(
        info: strawberry.Info,
        where: filter_type | None = None,  # type: ignore[valid-type]
        order_by: order_type | None = None,  # type: ignore[valid-type]
        first: int = catalogue.DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[node_type]:  # type: ignore[valid-type]
        ctx = federation(info)
        with page_errors():
            page = await catalogue.page(
                ctx.batcher,
                label=label,
                where=filters.where_of(where),
                sort=order_by.field.value if order_by else next(iter(catalogue.SORT_KEYS[label])),  # type: ignore[attr-defined]
                descending=bool(order_by and order_by.direction.value == "desc"),  # type: ignore[attr-defined]
                first=first,
                after=after,
                scope=ctx.scope,
                params=ctx.params,
                properties=ctx.properties,
                with_total=_selects(info.selected_fields[0].selections, "totalCount"),
            )
        connection = connection_of(node_type, page)
        if node_type is Quota:
            for edge, row in zip(connection.edges, page.rows, strict=True):
                edge.node = build(row)
        return connection

    return strawberry.field(resolver=resolve, description=description)


def _by_id_field(label: str, node_type: Any) -> Any:
    build = quota_from_row if node_type is Quota else node_type.from_row

    async def resolve(info: strawberry.Info, id: strawberry.ID) -> node_type | None:  # type: ignore[valid-type]
        row = await federation(info).walk_one(nodes.BY_ID[label], id)
        return build(row) if row else None

    return strawberry.field(resolver=resolve, description=f"The {label} with this id, or null.")


@strawberry.type
class Query:
    providers: Connection[Provider] = _list_field("Provider", Provider, filters.ProviderFilter, "Resource providers.")
    provider: Provider | None = _by_id_field("Provider", Provider)
    regions: Connection[Region] = _list_field("Region", Region, filters.RegionFilter, "Regions of every provider.")
    region: Region | None = _by_id_field("Region", Region)
    locations: Connection[Location] = _list_field("Location", Location, filters.LocationFilter, "Sites.")
    location: Location | None = _by_id_field("Location", Location)
    identity_providers: Connection[IdentityProvider] = _list_field(
        "IdentityProvider", IdentityProvider, filters.IdentityProviderFilter, "Token issuers."
    )
    identity_provider: IdentityProvider | None = _by_id_field("IdentityProvider", IdentityProvider)
    user_groups: Connection[UserGroup] = _list_field("UserGroup", UserGroup, filters.UserGroupFilter, "User groups.")
    user_group_by_id: UserGroup | None = _by_id_field("UserGroup", UserGroup)
    slas: Connection[SLA] = _list_field("SLA", SLA, filters.SLAFilter, "Service level agreements.")
    sla: SLA | None = _by_id_field("SLA", SLA)
    projects: Connection[Project] = _list_field("Project", Project, filters.ProjectFilter, "Projects.")
    project: Project | None = _by_id_field("Project", Project)
    compute_services: Connection[ComputeService] = _list_field(
        "ComputeService", ComputeService, filters.ServiceFilter, "Compute services."
    )
    compute_service: ComputeService | None = _by_id_field("ComputeService", ComputeService)
    block_storage_services: Connection[BlockStorageService] = _list_field(
        "BlockStorageService", BlockStorageService, filters.ServiceFilter, "Block storage services."
    )
    block_storage_service: BlockStorageService | None = _by_id_field("BlockStorageService", BlockStorageService)
    network_services: Connection[NetworkService] = _list_field(
        "NetworkService", NetworkService, filters.ServiceFilter, "Network services."
    )
    network_service: NetworkService | None = _by_id_field("NetworkService", NetworkService)
    object_store_services: Connection[ObjectStoreService] = _list_field(
        "ObjectStoreService", ObjectStoreService, filters.ServiceFilter, "Object store services."
    )
    object_store_service: ObjectStoreService | None = _by_id_field("ObjectStoreService", ObjectStoreService)
    identity_services: Connection[IdentityService] = _list_field(
        "IdentityService", IdentityService, filters.ServiceFilter, "Identity (Keystone) services."
    )
    identity_service: IdentityService | None = _by_id_field("IdentityService", IdentityService)
    flavors: Connection[Flavor] = _list_field("Flavor", Flavor, filters.FlavorFilter, "Every flavor of every service.")
    flavor: Flavor | None = _by_id_field("Flavor", Flavor)
    images: Connection[Image] = _list_field("Image", Image, filters.ImageFilter, "Every image of every service.")
    image: Image | None = _by_id_field("Image", Image)
    networks: Connection[Network] = _list_field("Network", Network, filters.NetworkFilter, "Every network.")
    network: Network | None = _by_id_field("Network", Network)
    volume_types: Connection[VolumeType] = _list_field(
        "VolumeType", VolumeType, filters.VolumeTypeFilter, "Block storage volume types."
    )
    volume_type: VolumeType | None = _by_id_field("VolumeType", VolumeType)
    quotas: Connection[Quota] = _list_field("Quota", Quota, filters.QuotaFilter, "Quota records of every project.")
    quota: Quota | None = _by_id_field("Quota", Quota)

    @strawberry.field(description="A user group by its name at an issuer (the issuer URL as tokens carry it).")
    async def user_group(self, info: strawberry.Info, name: str, issuer: str) -> UserGroup | None:
        key = (("issuer", issuer), ("name", name))
        row = await federation(info).walk_one(nodes.USER_GROUP_BY_NAME_AT_ISSUER, key)
        return UserGroup.from_row(row) if row else None


def build_schema(
    *,
    max_depth: int = MAX_DEPTH,
    max_aliases_count: int = MAX_ALIASES,
    max_tokens: int = MAX_TOKENS,
    cost_limit: int = DEFAULT_COST_LIMIT,
    introspection: Introspection = "anyone",
    field_suggestions: bool = False,
) -> strawberry.Schema:
    """The registry's schema with its guards: depth, aliases, tokens and cost limited, introspection
    as configured, no "did you mean" suggestions unless asked, parsing cached, unexpected errors
    masked (our coded errors pass through), every error given a code."""
    # The limits' validation rules are made once, here: the validation cache keys on the rule classes,
    # and the limiter extensions would make new ones for every request (so it would never hit).
    limits: list[type[ASTValidationRule]] = [
        query_depth_limiter.create_validator(max_depth, None, None),
        max_aliases.create_validator(max_aliases_count),
    ]
    return FederationSchema(
        query=Query,
        mutation=merge_types("Mutation", (Mutation, NodeMutation, EditMutation)),
        types=[*QUOTA_TYPES.values(), Node],
        config=StrawberryConfig(scalar_map={BigInt: BIG_INT}, disable_field_suggestions=not field_suggestions),
        execution_context_class=FederationExecution,
        # Factories, not instances: an extension may keep per-operation state.
        extensions=[
            partial(AddValidationRules, limits),
            partial(MaxTokensLimiter, max_token_count=max_tokens),
            BoundedParserCache,
            BoundedValidationCache,
            partial(IntrospectionPolicy, introspection),
            partial(CostLimit, cost_limit),
            MaskFailures,
        ],
    )


schema = build_schema()
