"""Prepared operations: a query asked again runs without Strawberry's per-request pipeline.

Strawberry runs every request through its pipeline: an execution context, a new instance of each of
the schema's extensions (the limits, the parse and validation caches, the introspection policy, the
cost, the properties, the request record), each hook of each entered and left. For a query asked
before — the same text, the same operation name — every outcome of that pipeline but three is already
known: the document parsed (within the token limit), validated (within the depth and alias limits),
its operation a query, its name, the stored properties it names. What depends on the request is its
cost (the variables give page sizes), the execution itself (the caller is in the context) and its
errors. So once the pipeline has run a query to execution, the query is kept here
(`PrepareOperations`, the last extension), and when it is asked again `PreparedSchema.execute` runs
only those three — the cost through `cost.costed`, execution through graphql-core with the schema's
own execution context, errors logged and coded by the schema's `process_errors` — and the answer is
the pipeline's, `extensions.cost` included. On either path the schema then tells the errors through
`errors.answered_errors` (refusals coded, unexpected failures masked): after Strawberry has answered,
not in an extension hook, which an error raised out of execution never reaches.

Not kept: a document asking for `__schema` or `__type` (who may introspect depends on the caller), a
mutation, a document longer than the parse cache keeps; a request with `extensions` of its own or
that may not run queries (a GET where they are turned off) takes the pipeline. `tests/test_prepared.py`
and `tests/properties/test_compiled_differential.py` check that the answers and errors are the same.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from graphql import DocumentNode, FragmentDefinitionNode, GraphQLError, OperationDefinitionNode
from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry.execution import optimized_is_awaitable
from strawberry.extensions import SchemaExtension
from strawberry.schema._graphql_core import execution_context_class_kwargs
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.utils.await_maybe import await_maybe

from resolvers.context import RequestContext
from resolvers.projection import properties_for, selected_names
from schema.cost import cost_report, costed
from schema.errors import answered_errors
from schema.parse_cache import CACHED_DOCUMENTS, CACHED_QUERY_MAX_CHARS, DocumentMemo
from schema.refusals import INTROSPECTION_FIELD, FederationSchema
from schema.request_record import note_operation


def operation_properties(document: DocumentNode, wanted: str | None) -> tuple[str, ...] | None:
    """The stored properties behind the field names the operation `wanted` selects, through its
    fragments (None: no such operation); worked out once per document and operation."""
    return _PROPERTIES.get(document, wanted, lambda: _properties_of(document, wanted))


_PROPERTIES = DocumentMemo()  # per document and operation name


def _properties_of(document: DocumentNode, wanted: str | None) -> tuple[str, ...] | None:
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    for operation in document.definitions:
        if isinstance(operation, OperationDefinitionNode) and (
            wanted is None or (operation.name is not None and operation.name.value == wanted)
        ):
            return properties_for(selected_names(operation, fragments))
    return None


class SelectProperties(SchemaExtension):
    """Before execution: the stored properties walks of this request read are those the operation names."""

    def on_execute(self) -> Iterator[None]:
        execution = self.execution_context
        context = execution.context
        document = execution.graphql_document
        if document is not None and isinstance(context, RequestContext):
            properties = operation_properties(document, execution.operation_name)
            if properties is not None:
                context.select(properties)
        yield


class Prepared(NamedTuple):
    """A query the pipeline has run to execution: its document (the parse cache's own object, so the
    plans and costs kept by its identity are found), the operation's name (the request's, else the
    document's only operation's) and the stored properties it names."""

    document: DocumentNode
    operation_name: str | None
    properties: tuple[str, ...] | None


class PreparedOperations:
    """The queries kept, by (text, the operation name the request gave); the least recently asked dropped."""

    def __init__(self, size: int = CACHED_DOCUMENTS) -> None:
        self.size = size
        self._kept: OrderedDict[tuple[str, str | None], Prepared] = OrderedDict()

    def get(self, query: str | None, named: str | None) -> Prepared | None:
        if query is None or len(query) > CACHED_QUERY_MAX_CHARS:
            return None
        found = self._kept.get((query, named))
        if found is not None:
            self._kept.move_to_end((query, named))
        return found

    def keep(self, query: str, named: str | None, prepared: Prepared) -> None:
        self._kept[(query, named)] = prepared
        if len(self._kept) > self.size:
            self._kept.popitem(last=False)


class PrepareOperations(SchemaExtension):
    """The last extension: a query that has come through parsing and validation to execution is kept
    (`PreparedOperations`), unless it asks for introspection, is too long to keep or came with
    `extensions` of its own."""

    def __init__(self, kept: PreparedOperations) -> None:
        self.kept = kept

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        query = context.query
        document = context.graphql_document
        if (
            query is not None
            and document is not None
            and len(query) <= CACHED_QUERY_MAX_CHARS
            and not context.pre_execution_errors
            and context.operation_extensions is None
            and not INTROSPECTION_FIELD.search(query)
            and context.operation_type is OperationType.QUERY
        ):
            name = context.operation_name
            named = getattr(context, "_provided_operation_name", name)
            self.kept.keep(query, named, Prepared(document, name, operation_properties(document, name)))
        yield


class PreparedSchema(FederationSchema):
    """The schema, running a query it has kept without Strawberry's pipeline (see the module), and telling
    every answer's errors, on either path, through `errors.answered_errors` (coded, or masked)."""

    def __init__(self, *args: Any, prepared: PreparedOperations | None, cost_limit: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prepared = prepared
        self.cost_limit = cost_limit

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        kept = self.prepared.get(query, operation_name) if self.prepared is not None else None
        if (
            kept is None
            or operation_extensions is not None
            or (allowed_operation_types is not None and OperationType.QUERY not in allowed_operation_types)
        ):
            result = await super().execute(
                query, variable_values, context_value, root_value, operation_name, allowed_operation_types,
                operation_extensions,
            )  # fmt: skip
        else:
            result = await self._run_prepared(kept, query, operation_name, variable_values, context_value, root_value)
        # Told once Strawberry has answered, not in an extension hook: an error raised out of execution is
        # answered after the hooks have been left, so a hook never sees it.
        errors = getattr(result, "errors", None)  # (no incremental results: the schema does not stream)
        if errors:
            result.errors = answered_errors(errors)
        return result

    async def _run_prepared(
        self, kept: Prepared, query: str | None, named: str | None, variables: dict[str, Any] | None,
        context_value: Any, root_value: Any,
    ) -> ExecutionResult:  # fmt: skip
        note_operation(kept.operation_name, OperationType.QUERY.value)
        cost: int | None = None
        refusal: ExecutionResult | None = None
        ran: GraphQLExecutionResult | None = None  # the pipeline's context holds no result when it raised
        result: GraphQLExecutionResult | ExecutionResult
        try:
            cost, refusal = costed(self._schema, kept.document, named, variables, self.cost_limit)
            if refusal is not None:
                result = refusal
            else:
                if kept.properties is not None and isinstance(context_value, RequestContext):
                    context_value.select(kept.properties)
                executed: GraphQLExecutionResult = await await_maybe(
                    self._get_execute_function()(
                        self._schema,
                        kept.document,
                        root_value=root_value,
                        variable_values=variables,
                        operation_name=kept.operation_name,
                        context_value=context_value,
                        is_awaitable=optimized_is_awaitable,
                        **execution_context_class_kwargs(self.execution_context_class),
                        operation_extensions=None,
                    )
                )
                result = ran = executed
        except Exception as error:  # as the pipeline answers what its hooks or graphql-core raise
            coerced = error if isinstance(error, GraphQLError) else GraphQLError(str(error), original_error=error)
            result = ExecutionResult(data=None, errors=[coerced])
        if result.errors and result is not refusal:  # a refusal of the cost is told as it is, as the pipeline does
            # Logged and coded as the pipeline does, before they are told (`execute`).
            self._process_errors(result.errors, self._context_after(query, named, variables, context_value, ran))
        return ExecutionResult(data=result.data, errors=result.errors, extensions=cost_report(cost, self.cost_limit))

    def _context_after(
        self, query: str | None, named: str | None, variables: dict[str, Any] | None, context_value: Any,
        ran: GraphQLExecutionResult | None,
    ) -> ExecutionContext:  # fmt: skip
        """What the pipeline's execution context holds once the operation has run (`process_errors` reads it)."""
        context = ExecutionContext(
            query=query, schema=self, allowed_operations=(OperationType.QUERY,), context=context_value,
            variables=variables, provided_operation_name=named,
        )  # fmt: skip
        context.result = ran
        return context
