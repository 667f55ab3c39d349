"""What a query may cost: the most objects its answer can hold, computed before anything runs.

Every field that returns objects costs one per object it can return. A list multiplies its
children by its page size: a root list's `first` (its default when absent), a page's `nodes` and
`edges` are that page, and a nested list (a service's flavors) counts `NESTED_LIST_SIZE`, the most
rows it returns per parent (`resolvers.walks.NESTED_LIST_MAX`). Scalars cost nothing; they
ride on their object. Fragments and aliases count every time they are used, and variables are read
for `first`, so the figure is the same one the executor would face.

A query over the limit is refused with QUERY_TOO_COSTLY, the cost and the limit, before any
resolver (and so any Cypher) runs; every other answer carries its cost in `extensions.cost`. A document
of several operations without `operationName` is refused here too (graphql-core would run the first).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    value_from_ast,
)
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult

from resolvers.catalogue import DEFAULT_PAGE_SIZE
from resolvers.walks import NESTED_LIST_MAX
from schema.errors import ErrorCode
from schema.parse_cache import DocumentMemo
from schema.refusals import REQUEST_ID, log

NESTED_LIST_SIZE = NESTED_LIST_MAX
# The matchmaking query (the deepest the dashboards send) costs about 3e15 at these sizes: a
# hundred times that leaves room for bigger questions, and refuses one more level of nested lists
# under a full root page (the breadth bomb of issue 11 costs about 1e38).
DEFAULT_COST_LIMIT = 10**18


class QueryCost:
    """Computes costs against one schema; fragments' costs per object are remembered per document."""

    def __init__(
        self, schema: GraphQLSchema, fragments: Mapping[str, FragmentDefinitionNode], variables: Mapping[str, Any]
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self._per_fragment: dict[str, int] = {}
        self._visiting: set[str] = set()

    def of_operation(self, operation: OperationDefinitionNode) -> int:
        root = self.schema.get_root_type(operation.operation)
        return 0 if root is None else self._selections(operation.selection_set, root)

    def _selections(self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType) -> int:
        """The cost of one object's selections (linear in objects, so it multiplies)."""
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                total += self._selections(selection.selection_set, inner or parent)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment(selection.name.value)
        return total

    def _fragment(self, name: str) -> int:
        known = self._per_fragment.get(name)
        if known is not None:
            return known
        definition = self.fragments.get(name)
        if definition is None or name in self._visiting:  # validation refuses both; never loop
            return 0
        self._visiting.add(name)
        condition = self.schema.get_type(definition.type_condition.name.value)
        cost = 0 if condition is None else self._selections(definition.selection_set, condition)
        self._visiting.discard(name)
        self._per_fragment[name] = cost
        return cost

    def _field(self, node: FieldNode, parent: GraphQLNamedType) -> int:
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 0  # a union's __typename
        field = parent.fields.get(node.name.value)
        if field is None:
            return 0  # __typename, __schema, __type: introspection is limited by depth and tokens
        named = get_named_type(field.type)
        if not is_composite_type(named):
            return 0
        size = self._page_size(node, field.args)
        if size is None:
            size = self._list_size(field.type, parent)
        return size * (1 + self._selections(node.selection_set, named))

    def _page_size(self, node: FieldNode, args: Mapping[str, Any]) -> int | None:
        """`first` of a paginated field, from the query, its variables or the argument's default."""
        if "first" not in args:
            return None
        for argument in node.arguments or ():
            if argument.name.value == "first":
                value = argument.value
                if isinstance(value, VariableNode):
                    given = self.variables.get(value.name.value)
                elif isinstance(value, IntValueNode):
                    given = value_from_ast(value, get_nullable_type(args["first"].type))
                else:
                    given = None
                # An unusable value is refused by the field itself; count the page it may hold at most.
                return max(0, given) if isinstance(given, int) and not isinstance(given, bool) else DEFAULT_PAGE_SIZE
        default = args["first"].default_value
        return default if isinstance(default, int) else DEFAULT_PAGE_SIZE

    @staticmethod
    def _list_size(field_type: Any, parent: GraphQLNamedType) -> int:
        if not isinstance(get_nullable_type(field_type), GraphQLList):
            return 1
        # A connection's `nodes` and `edges` are its page, already counted by its `first`.
        is_page = isinstance(parent, GraphQLObjectType) and "pageInfo" in parent.fields
        return 1 if is_page else NESTED_LIST_SIZE


def operation_of(document: Any, operation_name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name is not None and o.name.value == operation_name), None)


def query_cost(schema: GraphQLSchema, document: Any, operation_name: str | None, variables: Mapping[str, Any]) -> int:
    """The cost of the operation the request names."""
    operation = operation_of(document, operation_name)
    if operation is None:
        raise no_operation(operation_name)
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    return QueryCost(schema, fragments, variables).of_operation(operation)


_COSTS = DocumentMemo()  # per document, operation and the whole numbers among its variables


def costed(
    schema: GraphQLSchema, document: Any, named: str | None, variables: Mapping[str, Any] | None, limit: int
) -> tuple[int | None, ExecutionResult | None]:
    """The operation's cost, and the answer refusing it when it is over the limit or names no operation
    (None: it may run). `named`: the name the request gave."""
    variables = variables or {}
    # The cost reads variables only as `first`: whole numbers; any other value counts alike.
    numbers = tuple(sorted((k, v) for k, v in variables.items() if type(v) is int))
    try:
        key = (id(schema), named, numbers)
        cost = _COSTS.get(document, key, lambda: query_cost(schema, document, named, variables))
    except GraphQLError as error:  # graphql-core would run the first of several unnamed operations
        return None, ExecutionResult(data=None, errors=[error])
    if cost > limit:
        log.info("request %s: QUERY_TOO_COSTLY %d > %d", REQUEST_ID.get(), cost, limit)
        return cost, ExecutionResult(data=None, errors=[too_costly(cost, limit)])
    return cost, None


def cost_report(cost: int | None, limit: int) -> dict[str, Any]:
    """What an answer's `extensions` say of its cost (nothing when it was not worked out)."""
    return {} if cost is None else {"cost": {"requested": cost, "limit": limit}}


class CostLimit(SchemaExtension):
    """Refuses an operation over the limit before it executes; reports every operation's cost."""

    def __init__(self, limit: int = DEFAULT_COST_LIMIT) -> None:
        self.limit = limit
        self.cost: int | None = None

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.result is None:
            # The name the request gave: Strawberry's `operation_name` falls back to the first operation's.
            named = getattr(context, "_provided_operation_name", context.operation_name)
            self.cost, refusal = costed(context.schema._schema, document, named, context.variables, self.limit)
            if refusal is not None:
                context.result = refusal
        yield

    def get_results(self) -> dict[str, Any]:
        return cost_report(self.cost, self.limit)


def no_operation(operation_name: str | None) -> GraphQLError:
    message = (
        "The document holds several operations: name one with `operationName`."
        if operation_name is None
        else f"The document has no operation named {operation_name!r}."
    )
    return GraphQLError(message, extensions={"code": ErrorCode.BAD_REQUEST.value})


def too_costly(cost: int, limit: int) -> GraphQLError:
    return GraphQLError(
        f"The query may return up to {cost} objects; the limit is {limit}. Ask for smaller pages (`first`), "
        "fewer nested lists, or split it.",
        extensions={"code": ErrorCode.QUERY_TOO_COSTLY.value, "cost": cost, "limit": limit},
    )
