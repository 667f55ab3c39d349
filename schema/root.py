"""The root Query: every node kind with a root list as a filtered, sorted, paginated list and by id; the schema.

The lists and lookups are made from the types bound to their kinds (`schema.node.bind`), in the
order of the kinds table, so a new node type gets both without a line here.
"""

# No `from __future__ import annotations` here: the list fields are made by a factory, and
# Strawberry must see their argument types as objects, not as names in this module.

import asyncio
import re
from collections.abc import Iterator
from functools import partial
from typing import Annotated, Any

import strawberry
from graphql import ASTValidationRule
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    SchemaExtension,
    max_aliases,
    query_depth_limiter,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types.base import get_object_definition
from strawberry.types.graphql import OperationType
from strawberry.types.nodes import SelectedField

from resolvers import catalogue
from resolvers.db import allow_until
from resolvers.kinds import KINDS
from resolvers.walks import by_id
from resolvers.walks.identity import USER_GROUP_BY_NAME_AT_ISSUER
from schema.compiled_reads import execution_class
from schema.cost import DEFAULT_COST_LIMIT, CostLimit
from schema.domains import identity
from schema.edits import EditMutation
from schema.filters import DURATION, FILTERS, Duration
from schema.mutation import Mutation
from schema.node import BOUND, BUILDERS, Info, Node, request_context, walk_node
from schema.node_mutations import NodeMutation
from schema.pagination import Connection, connection_of, page_arguments, sort_input
from schema.parse_cache import BoundedParserCache, BoundedValidationCache
from schema.prepared import PreparedOperations, PreparedSchema, PrepareOperations, SelectProperties
from schema.quota import BIG_INT, BigInt
from schema.refusals import Introspection, IntrospectionPolicy
from schema.request_record import RecordOperation

MAX_DEPTH = 15
MAX_ALIASES = 30
MAX_TOKENS = 5000


_NODE_ID = Annotated[strawberry.ID, strawberry.argument(description="The node's `id`.")]


def _selects(selections: list[Any], name: str) -> bool:
    """Whether the selection (through its fragments) names the field `name` at its first level."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            if selection.name == name:
                return True
        elif _selects(selection.selections, name):  # a fragment, inline or spread
            return True
    return False


def _list_field(label: str, node_type: Any, description: str) -> Any:
    kind = KINDS[label]
    filter_type = FILTERS.get(label) or FILTERS[kind.family or label]
    order_type = sort_input(label, node_type.__name__)
    default_sort = next(iter(kind.sort_keys))  # (the same default as `page_arguments`)
    build = BUILDERS[label]

    async def resolve(
        info: Info,
        where: Annotated[
            filter_type | None,  # type: ignore[valid-type]
            strawberry.argument(description="Only the nodes matching every condition given; null: all."),
        ] = None,
        order_by: Annotated[
            order_type | None,  # type: ignore[valid-type]
            strawberry.argument(description=f"The order of the pages; null: by {default_sort}, ascending."),
        ] = None,
        first: Annotated[
            int, strawberry.argument(description=f"How many nodes a page holds, at most {catalogue.MAX_PAGE_SIZE}.")
        ] = catalogue.DEFAULT_PAGE_SIZE,
        after: Annotated[
            str | None,
            strawberry.argument(description="The `endCursor` of the previous page; null: the first page."),
        ] = None,
    ) -> Connection[node_type]:  # type: ignore[valid-type]
        ctx = request_context(info)
        page = await catalogue.page(
            ctx.batcher,
            **page_arguments(label, where, order_by, first, after),
            params=ctx.params,
            properties=ctx.properties,
            # Every node of the field: `flavors { nodes {…} } flavors { totalCount }` is one merged field.
            with_total=any(_selects(f.selections, "totalCount") for f in info.selected_fields),
        )
        return connection_of(build, page)

    return strawberry.field(resolver=resolve, description=description)


def _by_id_field(label: str, node_type: Any) -> Any:
    walk = by_id(label)

    async def resolve(info: Info, id: _NODE_ID) -> node_type | None:  # type: ignore[valid-type]
        return await walk_node(info, walk, id)

    return strawberry.field(
        resolver=resolve,
        description=f"The {KINDS[label].words} with this id; null when there is none or the caller may not see it.",
    )


def _snake(label: str) -> str:
    return "sla" if label == "SLA" else re.sub(r"(?<!^)(?=[A-Z])", "_", label).lower()


@strawberry.type
class _Lookups:
    @strawberry.field(
        description="A user group by its name at an issuer; null when there is none or the caller may not see it."
    )
    async def user_group(
        self,
        info: Info,
        name: Annotated[str, strawberry.argument(description="The group's name as the issuer's tokens list it.")],
        issuer: Annotated[str, strawberry.argument(description="The issuer URL, as tokens carry it in `iss`.")],
    ) -> identity.UserGroup | None:
        key = (("issuer", issuer), ("name", name))
        return await walk_node(info, USER_GROUP_BY_NAME_AT_ISSUER, key)

    @strawberry.field(
        description="Any record of the federation by its id, whatever its type; null when there is none or the "
        "caller may not see it (the same rule as the typed lookups: `provider(id:)`, `sla(id:)`, …)."
    )
    async def node(self, info: Info, id: _NODE_ID) -> Node | None:
        # The typed lookup of every kind at once: the request's batcher folds them into ONE statement,
        # each branch an index lookup with its own kind's visibility. Ids are unique across kinds.
        found = await asyncio.gather(*(walk_node(info, by_id(label), id) for label in _LOOKED_UP))
        return next((node for node in found if node is not None), None)


# Every kind with a typed lookup by id (its family's members are reached by theirs: a service by its own kind).
_LOOKED_UP = tuple(label for label in KINDS if label in BOUND and KINDS[label].root)


def _root_lists() -> Iterator[tuple[str, Any, Any]]:
    """(name, annotation, field) of every root list and lookup, in the order of the kinds table. A lookup
    whose name a hand-written field takes (`userGroup`) is `<name>ById`."""
    taken = set(_Lookups.__annotations__) | {"user_group"}
    for label in KINDS:
        if label not in BOUND or not KINDS[label].root:
            continue
        node_type, listed = BOUND[label]
        name = _snake(label)
        yield f"{name}s", Connection[node_type], _list_field(label, node_type, listed or "")  # type: ignore[valid-type]
        lookup = f"{name}_by_id" if name in taken else name
        yield lookup, node_type | None, _by_id_field(label, node_type)


_GENERATED = list(_root_lists())
_RootLists = strawberry.type(
    type(
        "RootLists",
        (),
        {"__annotations__": {name: annotation for name, annotation, _ in _GENERATED},
         **{name: field for name, _, field in _GENERATED}},
    )
)  # fmt: skip


def _described(merged: type, description: str) -> type:
    """A merged type (Strawberry's `merge_types` drops descriptions) with its description."""
    get_object_definition(merged, strict=True).description = description
    return merged


Query = _described(
    merge_types("Query", (_RootLists, _Lookups)),
    "What the federation offers and who may use it: every kind of record as a filtered, sorted, paged list and "
    "by id. Each caller sees only what its token entitles it to (anonymous callers: the public catalogue).",
)


class WriteDeadline(SchemaExtension):
    """A mutation runs under the (longer) write deadline: a big provider's bundle must not be refused
    for taking longer than a read may."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def on_execute(self) -> Iterator[None]:
        if self.execution_context.operation_type is OperationType.MUTATION:
            allow_until(asyncio.get_running_loop().time() + self.seconds)
        yield


def build_schema(
    *,
    max_depth: int = MAX_DEPTH,
    max_aliases_count: int = MAX_ALIASES,
    max_tokens: int = MAX_TOKENS,
    cost_limit: int = DEFAULT_COST_LIMIT,
    introspection: Introspection = "anyone",
    field_suggestions: bool = False,
    stored_scalar_shortcut: bool = True,
    compiled_reads: bool = True,
    answers_from_rows: bool = True,
    write_deadline_s: float = 120.0,
    prepared_operations: bool = True,
) -> strawberry.Schema:
    """The registry's schema with its guards: depth, aliases, tokens and cost limited, introspection
    as configured, no "did you mean" suggestions unless asked, parsing cached, refusals coded and
    unexpected errors masked, every error given a code.

    `stored_scalar_shortcut` completes stored scalars without graphql-core's per-field steps
    (`schema/execution.py`); off, graphql-core completes every field (the answers are the same).
    `compiled_reads` reads each query in one statement before its resolvers run (`schema/compiled_reads.py`);
    off, the resolvers read level by level (the general path; the answers are the same).
    `answers_from_rows` builds a compiled read's answer straight from the statement's rows when its plan
    knows every field (`schema/fast_answers.py`); off, graphql-core completes it over the primed loaders.
    `prepared_operations` runs a query asked before without Strawberry's per-request pipeline
    (`schema/prepared.py`); off, every request takes the pipeline (the answers are the same)."""
    # The limits' validation rules are made once, here: the validation cache keys on the rule classes,
    # and the limiter extensions would make new ones for every request (so it would never hit).
    limits: list[type[ASTValidationRule]] = [
        query_depth_limiter.create_validator(max_depth, None, None),
        max_aliases.create_validator(max_aliases_count),
    ]
    prepared = PreparedOperations() if prepared_operations else None
    return PreparedSchema(
        query=Query,
        mutation=_described(
            merge_types("Mutation", (Mutation, NodeMutation, EditMutation)),
            "Changes to the registry, each in one transaction; every field says who may call it.",
        ),
        types=[cls for label, (cls, _) in BOUND.items() if KINDS.get(label) and KINDS[label].family == "Quota"]
        + [Node],
        config=StrawberryConfig(
            scalar_map={BigInt: BIG_INT, Duration: DURATION}, disable_field_suggestions=not field_suggestions
        ),
        execution_context_class=execution_class(
            stored_scalar_shortcut=stored_scalar_shortcut, compiled=compiled_reads, answers_from_rows=answers_from_rows
        ),
        # Factories, not instances: an extension may keep per-operation state.
        extensions=[
            partial(AddValidationRules, limits),
            partial(MaxTokensLimiter, max_token_count=max_tokens),
            BoundedParserCache,
            BoundedValidationCache,
            partial(IntrospectionPolicy, introspection),
            partial(CostLimit, cost_limit),
            partial(WriteDeadline, write_deadline_s),
            SelectProperties,
            RecordOperation,
            *([partial(PrepareOperations, prepared)] if prepared is not None else []),
        ],
        prepared=prepared,
        cost_limit=cost_limit,
    )


schema = build_schema()
