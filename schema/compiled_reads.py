"""Each read operation as ONE Cypher statement, read before the resolvers run and handed to them.

Before graphql-core executes a query, the operation's selection (fragments, aliases, @skip/@include
and arguments resolved as the executor itself resolves them) is planned against `schema/read_plan.py`:
every field a walk answers becomes a subquery of one statement running that walk's own Cypher
(`Walk.cypher`: its match, filters, order, visibility and projection) for the keys the statement makes
from the rows of the read above it; every root list, `PageQuery.cypher`. The statement returns, per
read, the keys and rows its resolver's loader would have read; they are primed into the request's
loaders (and page answers), so the resolvers then answer from memory, and graphql-core completes the
answer as always (null propagation, error paths, aliases, limits: unchanged).

What the plan does not know takes the named fallback: its resolver reads for itself, as before.
If the statement fails (an outage, the deadline), nothing is primed and the resolvers read for
themselves, failing exactly as they always did.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    is_abstract_type,
)
from graphql.execution.values import get_argument_values
from prometheus_client import Counter
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.arguments import convert_arguments
from strawberry.types.base import get_object_definition

from resolvers import catalogue
from resolvers.context import RequestContext
from resolvers.db import BRANCH_PARAMETER, DEADLINE, freeze
from resolvers.errors import Refusal
from resolvers.filters import FilterError, compile_where
from resolvers.kinds import KINDS
from resolvers.walks import NESTED_LIST_MAX, by_id
from resolvers.walks.identity import USER_GROUP_BY_NAME_AT_ISSUER
from schema.errors import ErrorCode, failure_code
from schema.execution import FederationExecution
from schema.node import BOUND
from schema.pagination import page_arguments
from schema.read_plan import FIELD_COMPILERS, FIELD_READS, NO_READS, ByWalk, FieldCompiler, Part

log = logging.getLogger(__name__)

FALLBACKS = Counter(
    "registry_compiled_read_fallbacks_total",
    "Fields of read operations the one-statement compiler left to their own resolvers (the fallback).",
    ["field"],
)

# ------------------------------------------------------------------------------------- the plan
# Each read is the very Cypher its loader would send (`Walk.cypher`, `PageQuery.cypher`), run in a
# subquery of its own, after the read it hangs from: its keys are made in the statement from that
# read's rows. Subqueries one after another, not nested: Neo4j plans each on its own (nested ones took
# it tens of seconds to plan). A shape is what the text depends on (never a value): hashable, so the
# text is made once per shape. Values travel in `$q<i>` parameters.


@dataclass(frozen=True)
class ReadShape:
    index: int
    cypher: str  # the loader's Cypher, reading `p` and `$q<i>`
    parent: int | None  # the read whose rows key this one (None: a root read)
    key: str | None  # its key per parent row `row` (parent key `kr[0]`); None: `$q<i>.key`
    page: bool = False
    own: bool = False  # a `FieldCompiler`'s: `key` is the list of the objects it hangs from


@dataclass
class _Planned:
    shapes: list[ReadShape] = field(default_factory=list)
    deliveries: list[Callable[[Any], None]] = field(default_factory=list)
    # How each root read fails its resolvers when the statement cannot be read (an outage, the deadline).
    failures: list[Callable[[Exception], None]] = field(default_factory=list)

    def add(self, shape: ReadShape, delivery: Callable[[Any], None], failure: Callable[[Exception], None]) -> int:
        self.shapes.append(shape)
        self.deliveries.append(delivery)
        if shape.parent is None:
            self.failures.append(failure)
        return shape.index


@dataclass(frozen=True)
class _Object:
    """Where an object's row is: the rows of read `read` (None: the root), at `path` within each row
    (`row`, `row.provider`), seen by the project `project` (a Cypher expression over the parent key
    `kr[0]`, or None)."""

    read: int | None
    path: str = "row"
    project: str | None = None


@lru_cache(maxsize=1)
def _type_labels() -> dict[str, str]:
    """GraphQL type name -> the label it is bound to (`schema.node.bind`)."""
    return {get_object_definition(cls, strict=True).name: label for label, (cls, _) in BOUND.items()}


class Planner:
    """Plans one operation for one request (the executor's own field collection and arguments)."""

    def __init__(self, executor: Any, context: RequestContext) -> None:
        self.executor = executor
        self.schema: GraphQLSchema = executor.schema
        self.context = context
        self.params: dict[str, Any] = {"base": context.params}
        self.labels = _type_labels()
        self.planned = _Planned()

    def _next(self, values: dict[str, Any]) -> int:
        index = len(self.params) - 1
        self.params[f"q{index}"] = values
        return index

    def root(self, root_type: GraphQLObjectType, grouped: dict[str, Any]) -> _Planned:
        for details in grouped.values():
            name = details[0].node.name.value
            if not name.startswith("__"):
                self._root_field(root_type, root_type.fields[name], name, details)
        return self.planned

    def _arguments(self, field_def: GraphQLField, node: FieldNode) -> dict[str, Any] | None:
        """The field's arguments as its resolver gets them (None: they do not convert; the resolver says why)."""
        definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
        if definition is None:
            return None
        try:
            raw = get_argument_values(field_def, node, self.executor.variable_values)
            strawberry_schema = self.schema._strawberry_schema  # type: ignore[attr-defined]
            return convert_arguments(
                raw,
                definition.arguments,
                scalar_registry=strawberry_schema.schema_converter.scalar_registry,
                config=strawberry_schema.config,
            )
        except Exception:  # the resolver's own conversion reports it
            return None

    def _root_field(self, root_type: GraphQLObjectType, field_def: GraphQLField, name: str, details: Any) -> None:
        kwargs = self._arguments(field_def, details[0].node)
        named = get_named_type(field_def.type)
        if kwargs is None:
            return _fallback(root_type.name, name)
        label = self.labels.get(named.name.removesuffix("Connection"))
        if named.name.endswith("Connection") and label is not None:
            return self._page(label, named, kwargs, details)
        root = _Object(None)
        if name == "userGroup":
            key = {"issuer": kwargs["issuer"], "name": kwargs["name"]}
            return self._walk(ByWalk(USER_GROUP_BY_NAME_AT_ISSUER), root, named, details, {}, key)
        if label is not None and set(kwargs) == {"id"} and KINDS[label].root:
            return self._walk(ByWalk(by_id(label)), root, named, details, {}, kwargs["id"])
        compiler = FIELD_COMPILERS.get((root_type.name, name))
        if compiler is not None:
            return self._own(compiler, root, kwargs)
        return _fallback(root_type.name, name)

    def _page(self, label: str, connection: GraphQLNamedType, kwargs: dict[str, Any], details: Any) -> None:
        arguments = page_arguments(
            label, kwargs.get("where"), kwargs.get("order_by"),
            kwargs.get("first", catalogue.DEFAULT_PAGE_SIZE), kwargs.get("after"),
        )  # fmt: skip
        try:
            query = catalogue.page_query(**arguments)
        except Refusal:  # the resolver refuses the same arguments, with the same error
            return None
        with_total = _selects_total(details[0].node.selection_set, self.executor.fragment_definitions)
        answer_key = catalogue.page_answer_key(**arguments, with_total=with_total)
        index = self._next(query.params)
        cypher = query.cypher(self.context.properties, with_total=with_total)
        batcher = self.context.batcher

        def deliver(value: Any) -> None:
            batcher.answers[answer_key] = (value["found"][0][1], value["total"])

        def fail(error: Exception) -> None:
            batcher.answers[answer_key] = error

        self.planned.add(ReadShape(index, _own_parameter(cypher, index), None, None, page=True), deliver, fail)
        assert isinstance(connection, GraphQLObjectType)
        for node_type, node_details in self._connection_nodes(connection, details):
            self._children(node_type, node_details, _Object(index))
        return None

    def _connection_nodes(self, connection: GraphQLObjectType, details: Any) -> list[tuple[GraphQLObjectType, Any]]:
        """The node selections of a page: `nodes { … }` and `edges { node { … } }`."""
        found = []
        for sub in self.executor.collect_subfields(connection, details).grouped_field_set.values():
            name = sub[0].node.name.value
            if name == "nodes":
                found.append((cast("GraphQLObjectType", get_named_type(connection.fields[name].type)), sub))
            elif name == "edges":
                edge = cast("GraphQLObjectType", get_named_type(connection.fields[name].type))
                for inner in self.executor.collect_subfields(edge, sub).grouped_field_set.values():
                    if inner[0].node.name.value == "node":
                        found.append((cast("GraphQLObjectType", get_named_type(edge.fields["node"].type)), inner))
        return found

    def _walk(self, reach: ByWalk, parent: _Object, named: GraphQLNamedType, details: Any, kwargs: dict[str, Any],
              root_key: Any = None) -> None:  # fmt: skip
        """A field answered by a walk from the objects `parent` (a root lookup by `root_key`)."""
        walk = reach.walk
        if reach.where_of is not None:
            try:
                where: Mapping[str, Any] | None = reach.where_of(kwargs)
            except Refusal:  # the resolver refuses the same arguments, with the same error
                return None
        else:
            where_filter = kwargs.get("where")
            where = where_filter.where() if where_filter is not None else None
        try:
            where_clause, values = compile_where(walk.predicates, where)
        except FilterError:
            return None
        values_param: dict[str, Any] = {"f": values, "rowLimit": NESTED_LIST_MAX + 1}
        key: str | None = None
        if parent.read is None:
            values_param["key"] = root_key
        elif reach.pair_with is None:
            key = f"{parent.path}.uid"
        elif parent.project is None:
            return _fallback("pair", walk.name)  # no project to pair with (the table is wrong)
        else:
            key = f"{{project: {parent.project}, {reach.pair_with}: {parent.path}.uid}}"
        index = self._next(values_param)
        cypher = walk.cypher(where_clause, self.context.properties)
        loader = self.context.loader(walk, where)

        def deliver(value: Any) -> None:
            found = {freeze(k): rows for k, rows in value["found"]}
            for k in value["keys"]:
                frozen = freeze(k)
                loader.prime_rows(frozen, found.get(frozen, []))

        def fail(error: Exception) -> None:
            loader.prime(freeze(root_key), error)  # type: ignore[arg-type]  # an error fails that load only

        self.planned.add(ReadShape(index, _own_parameter(cypher, index), parent.read, key), deliver, fail)
        # The rows' project: the key, when the walk sets it; the key's project, when the key pairs with it.
        project = "kr[0]" if reach.sets_project else "kr[0].project" if reach.pair_with else None
        for object_type in self._object_types(named):
            self._children(object_type, details, _Object(index, "row", project))
        return None

    def _own(self, compiler: FieldCompiler, parent: _Object, kwargs: dict[str, Any]) -> None:
        index = len(self.params) - 1
        made = compiler.fragment(kwargs, f"q{index}")
        if made is None:
            return None
        cypher, values = made
        self._next(values)
        objects = (
            "[null]"
            if parent.read is None
            else f"COLLECT {{ UNWIND w{parent.read}.found AS kr UNWIND kr[1] AS row RETURN {parent.path} AS o }}"
        )
        context = self.context
        shape = ReadShape(index, cypher, parent.read, objects, own=True)
        self.planned.add(shape, lambda value: compiler.deliver(context, kwargs, value), lambda error: None)
        return None

    def _object_types(self, named: GraphQLNamedType) -> Sequence[GraphQLObjectType]:
        if is_abstract_type(named):
            return self.schema.get_possible_types(named)  # type: ignore[arg-type]
        return [named] if isinstance(named, GraphQLObjectType) else []

    def _children(self, object_type: GraphQLObjectType, details: Any, parent: _Object) -> None:
        """The reads below the objects `parent` of the type `object_type`."""
        grouped = self.executor.collect_subfields(object_type, details).grouped_field_set
        for sub in grouped.values():
            name = sub[0].node.name.value
            if name.startswith("__"):
                continue
            field_def = object_type.fields[name]
            named = get_named_type(field_def.type)
            reach = FIELD_READS.get((object_type.name, name))
            if isinstance(reach, Part):
                inner = (
                    parent if reach.key is None else _Object(parent.read, f"{parent.path}.{reach.key}", parent.project)
                )
                for object_type_inner in self._object_types(named):
                    self._children(object_type_inner, sub, inner)
                continue
            compiler = FIELD_COMPILERS.get((object_type.name, name))
            if reach is None and compiler is None:
                if _reads_database(object_type, name, field_def):
                    _fallback(object_type.name, name)
                continue
            kwargs = self._arguments(field_def, sub[0].node)
            if kwargs is None:
                _fallback(object_type.name, name)
            elif compiler is not None:
                self._own(compiler, parent, kwargs)
            elif isinstance(reach, ByWalk):
                self._walk(reach, parent, named, sub, kwargs)


def _own_parameter(cypher: str, index: int) -> str:
    """A loader's Cypher reads its branch's parameter; here, its read's."""
    return cypher.replace(BRANCH_PARAMETER, f"$q{index}")


def _reads_database(object_type: GraphQLObjectType, name: str, field_def: GraphQLField) -> bool:
    """Whether a field the plan does not know has a resolver that may read (not a stored value)."""
    definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    return getattr(definition, "base_resolver", None) is not None and (object_type.name, name) not in NO_READS


def _fallback(type_name: str, name: str) -> None:
    FALLBACKS.labels(f"{type_name}.{name}").inc()
    log.debug("compiled read: %s.%s takes the fallback", type_name, name)


def _selects_total(selection_set: SelectionSetNode | None, fragments: dict[str, Any]) -> bool:
    """Whether a page's first selection names `totalCount` (through fragments), as its resolver decides."""
    if selection_set is None:
        return False
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value == "totalCount":
                return True
        elif isinstance(selection, InlineFragmentNode):
            if _selects_total(selection.selection_set, fragments):
                return True
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None and _selects_total(fragment.selection_set, fragments):
                return True
    return False


# ----------------------------------------------------------------------------------------- Cypher


def _read_text(shape: ReadShape) -> str:
    i = shape.index
    if shape.page:
        return f"""CALL (base) {{
WITH base {{.today, .scope, f: $q{i}.f, after: $q{i}.after}} AS p
{shape.cypher}
RETURN {{keys: [null], found: [[null, rows]], total: total}} AS w{i}
}}"""
    if shape.parent is None:
        keys = f"[$q{i}.key]"
    else:
        keys = f"COLLECT {{ UNWIND w{shape.parent}.found AS kr UNWIND kr[1] AS row RETURN DISTINCT {shape.key} AS k }}"
    if shape.own:  # a field with Cypher of its own, over the objects it hangs from
        return f"""WITH *, {shape.key} AS o{i}
CALL (base, o{i}) {{
CALL (base, o{i}) {{
WITH base AS p, o{i} AS objects
{shape.cypher}
}}
RETURN value AS w{i}
}}"""
    return f"""WITH *, {keys} AS k{i}
CALL (base, k{i}) {{
WITH base {{.today, .scope, f: $q{i}.f, rowLimit: $q{i}.rowLimit, keys: k{i}}} AS p
{shape.cypher}
RETURN collect([key, rows]) AS f{i}
}}
WITH *, {{keys: k{i}, found: f{i}}} AS w{i}"""


@lru_cache(maxsize=512)
def statement(shapes: tuple[ReadShape, ...]) -> str:
    """The operation's one statement: made once per shape (document, operation, and what its variables
    decide: directives, filters set, sort, cursor), the same text for every caller (who is asking is
    the parameter `p.scope`)."""
    reads = "\n".join(_read_text(shape) for shape in shapes)
    values = ", ".join(f"w{shape.index}" for shape in shapes)
    return f"WITH $base AS base\n{reads}\nRETURN [{values}] AS results"


async def read_ahead(
    executor: Any, root_type: GraphQLObjectType, grouped: dict[str, Any], context: RequestContext
) -> None:
    """Plan the operation, send its one statement, and prime what the resolvers will load."""
    planner = Planner(executor, context)
    planned = planner.root(root_type, grouped)
    if not planned.shapes:
        return
    text = statement(tuple(planned.shapes))
    try:
        records = await context.database.read(text, planner.params, counter=context.batcher.counter)
    except Exception as error:
        deadline = DEADLINE.get()
        if deadline is not None and asyncio.get_running_loop().time() >= deadline:
            return  # past the request's deadline: the resolvers meet it exactly as the general path does
        if failure_code(error) is not ErrorCode.INTERNAL_SERVER_ERROR:
            # An outage or the deadline: the root fields fail with it, as their first statement would
            # (asking again would only wait for Neo4j again).
            for fail in planned.failures:
                fail(error)
            return
        # A statement Neo4j refused is the compiler's fault, not the caller's: the resolvers read for
        # themselves (answers stay right; the statement count says it).
        log.warning("compiled read refused; the resolvers read for themselves", exc_info=True)
        return
    for deliver, value in zip(planned.deliveries, records[0]["results"], strict=True):
        deliver(value)


class CompiledReads:
    """An execution-context mixin: a query's reads are one statement, sent before the root fields run."""

    context_value: Any
    operation: Any

    def execute_collected_root_fields(
        self, root_type: GraphQLObjectType, root_value: Any, grouped_field_set: dict[str, Any], serially: bool,
        new_defer_usages: Sequence[Any],
    ) -> Any:  # fmt: skip
        run_root = super().execute_collected_root_fields  # type: ignore[misc]
        context = self.context_value
        if self.operation.operation is not OperationType.QUERY or not isinstance(context, RequestContext):
            return run_root(root_type, root_value, grouped_field_set, serially, new_defer_usages)

        async def read_then_run() -> Any:
            await read_ahead(self, root_type, grouped_field_set, context)
            result = run_root(root_type, root_value, grouped_field_set, serially, new_defer_usages)
            return await result if isinstance(result, Awaitable) else result

        return read_then_run()


class CompiledFederationExecution(CompiledReads, FederationExecution):
    """Reads in one statement; stored scalars completed without graphql-core's per-field steps."""


class CompiledExecution(CompiledReads, StrawberryGraphQLCoreExecutionContext):
    """Reads in one statement; graphql-core completes every field."""


def execution_class(
    *, stored_scalar_shortcut: bool, compiled: bool
) -> type[StrawberryGraphQLCoreExecutionContext] | None:
    """The execution context a schema runs operations with (None: Strawberry's own)."""
    if compiled:
        return CompiledFederationExecution if stored_scalar_shortcut else CompiledExecution
    return FederationExecution if stored_scalar_shortcut else None
