"""How a query runs: graphql-core's executor, with stored scalar fields read straight off their object.

Most fields of a federation answer are stored scalars (a flavor's `name`, `vcpus`, `gpus`, …): a
matchmaking answer has about 1,500 of them. graphql-core completes every one like any other
field (a path, resolve info, argument check, awaitable checks, completion by type), which was the
largest single cost of a request. A stored scalar needs none of that: it is an attribute of the
object, and its value only has to be coerced by its type. Anything unusual (a null where the field
may not be null, a value the type refuses, a missing attribute) takes graphql-core's own path, so
answers and errors are the same.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from operator import attrgetter
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLList,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLString,
    Undefined,
    get_nullable_type,
    is_leaf_type,
    is_non_null_type,
)
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

# How to read a stored scalar off its object, the type that coerces it, and whether it may be null.
StoredScalar = tuple[Callable[[Any], Any], GraphQLLeafType, bool]

# What `complete_stored` returns when graphql-core must complete the field itself.
BY_GRAPHQL_CORE = object()

# Keyed by the schema's own type objects: bounded by the types of the schemas built (one, in a server).
_STORED_SCALARS: dict[GraphQLObjectType, dict[str, StoredScalar]] = {}


def stored_read(field: GraphQLField) -> Callable[[Any], Any] | None:
    """How to read the field off its object, when it is stored there: no arguments, no resolver of its own."""
    definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if field.args or not getattr(field.resolve, "_is_default", False) or definition is None:
        return None
    # Strawberry's basic resolver is `default_resolver(source, python_name)`, getattr unless configured.
    name = definition.python_name
    default = definition.default_resolver
    return attrgetter(name) if default is getattr else (lambda source: default(source, name))


def _stored_scalar(field: GraphQLField) -> StoredScalar | None:
    """How to read the field, when it is a stored scalar."""
    leaf = get_nullable_type(field.type)
    read = stored_read(field) if is_leaf_type(leaf) else None
    if read is None:
        return None
    return read, leaf, not is_non_null_type(field.type)  # type: ignore[return-value]


def computed_scalar(field: GraphQLField) -> StoredScalar | None:
    """How to read a scalar its object computes (a plain method, given nothing but the object, e.g. a
    reason's message), as a stored one is read: None for anything else (async, arguments, the request)."""
    leaf = get_nullable_type(field.type)
    definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    resolver = getattr(definition, "base_resolver", None)
    if field.args or not is_leaf_type(leaf) or resolver is None or resolver.is_async or definition.extensions:  # type: ignore[union-attr]
        return None
    own = resolver.self_parameter
    if own is None or [p.name for p in resolver.signature.parameters.values()] != [own.name]:
        return None
    method = resolver.wrapped_func
    return method, leaf, not is_non_null_type(field.type)  # type: ignore[return-value]


def stored_scalars(parent_type: GraphQLObjectType) -> dict[str, StoredScalar]:
    """Per object type, once: its stored scalar fields by name."""
    found = _STORED_SCALARS.get(parent_type)
    if found is None:
        found = {
            name: scalar for name, field in parent_type.fields.items() if (scalar := _stored_scalar(field)) is not None
        }
        # Clients such as Apollo add `__typename` to every selection: the object type's name, a constant.
        type_name = parent_type.name
        found["__typename"] = (lambda _source: type_name, GraphQLString, False)
        _STORED_SCALARS[parent_type] = found
    return found


def complete_stored(scalar: StoredScalar, source: Any) -> Any:
    """The field's coerced value (None only where the field may be null), or `BY_GRAPHQL_CORE` when
    graphql-core must complete it: a null it must refuse, a value the type refuses, a missing attribute."""
    read, leaf, nullable = scalar
    try:
        value = read(source)
        if value is None:
            return None if nullable else BY_GRAPHQL_CORE
        coerced = leaf.coerce_output_value(value)
    except Exception:  # graphql-core's path raises it again and reports it properly
        return BY_GRAPHQL_CORE
    return BY_GRAPHQL_CORE if coerced is None or coerced is Undefined else coerced


class FederationExecution(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, completing stored scalars without graphql-core's per-field steps."""

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: dict[str, Any],
        position_context: Any,
    ) -> Any:
        scalars = stored_scalars(parent_type)
        results: dict[str, Any] = {}
        others: dict[str, Any] = {}  # the fields graphql-core completes, in the query's order
        for response_name, field_details_list in grouped_field_set.items():
            scalar = scalars.get(field_details_list[0].node.name.value)
            value = complete_stored(scalar, source_value) if scalar is not None else BY_GRAPHQL_CORE
            if value is BY_GRAPHQL_CORE:
                others[response_name] = field_details_list
            else:
                results[response_name] = value
        if not others:
            return results
        completed = super().execute_fields(parent_type, source_value, path, others, position_context)
        if isinstance(completed, dict):
            return _in_order(grouped_field_set, results, completed)
        return _in_query_order(grouped_field_set, results, completed)

    def complete_list_value(
        self,
        return_type: GraphQLList[Any],
        field_details_list: Any,
        info: GraphQLResolveInfo,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        """A list of objects of which the query selects stored scalars only (flavors, images, quotas,
        networks: most objects of an answer) is completed in one loop, without graphql-core's steps
        per item; anything else, or any item that needs them, goes to graphql-core for the whole list."""
        completed = self._stored_objects(return_type, field_details_list, info, result, position_context)
        if completed is None:
            return super().complete_list_value(return_type, field_details_list, info, path, result, position_context)
        return completed

    def _stored_objects(
        self, return_type: GraphQLList[Any], field_details_list: Any, info: GraphQLResolveInfo, result: Any,
        position_context: Any,
    ) -> list[dict[str, Any]] | None:  # fmt: skip
        item_type = get_nullable_type(return_type.of_type)
        if (
            not isinstance(item_type, GraphQLObjectType)
            or type(result) is not list
            or position_context is not None  # inside a deferred fragment
            or any(details.node.directives for details in field_details_list)  # @stream, @include, …
        ):
            return None
        grouped_field_set, new_defer_usages, _ = self.collect_subfields(item_type, field_details_list)
        scalars = stored_scalars(item_type)
        plan = [(name, scalars.get(details[0].node.name.value)) for name, details in grouped_field_set.items()]
        if new_defer_usages or any(scalar is None for _, scalar in plan):
            return None
        is_type_of = item_type.is_type_of
        completed = []
        for item in result:
            if item is None or (is_type_of is not None and is_type_of(item, info) is not True):
                return None
            values = {}
            for name, scalar in plan:
                value = complete_stored(scalar, item)  # type: ignore[arg-type]
                if value is BY_GRAPHQL_CORE:
                    return None
                values[name] = value
            completed.append(values)
        return completed


async def _in_query_order(
    grouped_field_set: dict[str, Any], results: dict[str, Any], completed: Awaitable[dict[str, Any]]
) -> dict[str, Any]:
    return _in_order(grouped_field_set, results, await completed)


def _in_order(grouped_field_set: dict[str, Any], results: dict[str, Any], rest: dict[str, Any]) -> dict[str, Any]:
    # graphql-core leaves out a field it resolves to Undefined; so does this.
    return {
        name: results[name] if name in results else rest[name]
        for name in grouped_field_set
        if name in results or name in rest
    }
