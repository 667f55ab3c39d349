"""How a query runs: graphql-core's executor, with stored scalar fields read straight off their object.

Most fields of a federation answer are stored scalars (a flavor's `name`, `vcpus`, `gpus`, …): a
matchmaking answer has about 1,500 of them. graphql-core completes every one like any other
field (resolve info, argument check, awaitable checks, completion by type), which was the largest
single cost of a request. A stored scalar needs none of that: Strawberry's basic resolver is an
attribute read, and the value only has to be coerced by its type. Anything unusual (null, a value
the type refuses, a resolver that raises) takes graphql-core's own path, so errors are the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLField, GraphQLLeafType, GraphQLObjectType, Undefined, get_nullable_type, is_leaf_type
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

StoredScalar = tuple[Callable[..., Any], GraphQLLeafType]

# Keyed by the schema's own type objects: bounded by the types of the schemas built (one, in a server).
_STORED_SCALARS: dict[GraphQLObjectType, dict[str, StoredScalar]] = {}


def _stored_scalar(field: GraphQLField) -> StoredScalar | None:
    """The field's attribute read and leaf type, when it is a stored scalar without arguments."""
    leaf = get_nullable_type(field.type)
    if field.args or not is_leaf_type(leaf) or not getattr(field.resolve, "_is_default", False):
        return None
    return field.resolve, leaf  # type: ignore[return-value]


def stored_scalars(parent_type: GraphQLObjectType) -> dict[str, StoredScalar]:
    """Per object type, once: its stored scalar fields by name."""
    found = _STORED_SCALARS.get(parent_type)
    if found is None:
        found = {
            name: scalar for name, field in parent_type.fields.items() if (scalar := _stored_scalar(field)) is not None
        }
        _STORED_SCALARS[parent_type] = found
    return found


class FederationExecution(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, completing stored scalars without graphql-core's per-field steps."""

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        scalar = stored_scalars(parent_type).get(field_details_list[0].node.name.value)
        if scalar is not None:
            resolve, leaf = scalar
            try:
                value = resolve(source, None)
                coerced = leaf.coerce_output_value(value) if value is not None else None
            except Exception:  # graphql-core's path below raises it again and reports it properly
                coerced = None
            if coerced is not None and coerced is not Undefined:
                return coerced
        return super().execute_field(parent_type, source, field_details_list, path, position_context)
