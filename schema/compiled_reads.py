"""Each read operation as ONE Cypher statement, read before the resolvers run and handed to them.

Before graphql-core executes a query, the operation's selection (fragments, aliases, @skip/@include
and arguments resolved as the executor itself resolves them) is planned against `schema/read_plan.py`:
every field a walk answers becomes a subquery of one statement running that walk's own Cypher
(`Walk.cypher`: its match, filters, order, visibility and projection) for the keys the statement makes
from the rows of the read above it — or, below another walk's rows, inside each of them, from the
parent's node (`resolvers/walks/nested.py`); every root list, `PageQuery.cypher`. The statement returns,
per read, the keys and rows its resolver's loader would have read (a nested read's, within its parent's).

When the plan knows how every selected field is answered, the answer is built straight from those rows
(`schema/fast_answers.py`: no resolver, no per-field step of graphql-core), and returned only if it
has no error. Otherwise (or when that meets anything it cannot answer exactly) the rows are primed
into the request's loaders (and page answers), the resolvers answer from memory, and graphql-core
completes the answer as always (null propagation, error paths, aliases, limits: unchanged).

The plan is made once per shape of request (`plan`: the operation, what its variables decide about
the selection) and cached; each request only binds it to its own values (arguments, keys, loaders).

What the plan does not know takes the named fallback: its resolver reads for itself, as before.
If the statement fails (an outage, the deadline), nothing is primed and the resolvers read for
themselves, failing exactly as they always did.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Protocol, cast

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValueNode,
    VariableNode,
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
from resolvers.catalogue import Page
from resolvers.context import RequestContext
from resolvers.db import BRANCH_PARAMETER, DEADLINE, STATEMENT_SUBQUERIES_MAX, freeze, plain, plain_own, subqueries
from resolvers.errors import Refusal
from resolvers.filters import FilterError, compile_where
from resolvers.kinds import KINDS
from resolvers.projection import names_below, properties_for
from resolvers.walks import NESTED_LIST_MAX, Walk
from resolvers.walks import by_id as by_id_walk
from resolvers.walks import nested as nested_walk
from resolvers.walks.identity import USER_GROUP_BY_NAME_AT_ISSUER
from schema import fast_answers as fast
from schema.errors import ErrorCode, failure_code
from schema.execution import FederationExecution, computed_scalar, stored_read
from schema.node import BOUND, BUILDERS
from schema.pagination import page_arguments
from schema.parse_cache import CACHED_QUERY_MAX_CHARS
from schema.read_plan import FIELD_COMPILERS, FIELD_READS, NO_READS, ByWalk, FieldCompiler, Part

log = logging.getLogger(__name__)

FALLBACKS = Counter(
    "registry_compiled_read_fallbacks_total",
    "Fields of read operations the one-statement compiler left to their own resolvers (the fallback).",
    ["field"],
)

# ------------------------------------------------------------------------------------- the plan
# Each read is the very Cypher its loader would send (`Walk.cypher`, `PageQuery.cypher`): a walk below a
# walk's rows inside them (`_Layout`), any other read in a subquery of its own, after the read it hangs
# from, its keys made in the statement from that read's rows. Those subqueries follow one another, not
# nested: `CALL` subqueries nested in each other took Neo4j tens of seconds to plan (`COLLECT`
# subqueries in row maps plan in a fraction of a second: egi matchmaking's ~0.2 s, once per text).
# A shape is what the text depends on (never a value): hashable, so the text is made once per shape.
# Values travel in `$q<i>` parameters.


@dataclass(frozen=True)
class ReadShape:
    index: int
    cypher: str  # the loader's Cypher, reading `p` and `$q<i>`
    parent: int | None  # the read whose rows key this one (None: a root read)
    key: str | None  # its key per parent row `row` (parent key `kr[0]`); None: `$q<i>.key`
    page: bool = False
    own: bool = False  # a `FieldCompiler`'s: `key` is the list of the objects it hangs from
    dates: bool = True  # its rows may hold dates or times, which are made plain (`resolvers.db.plain`)
    # A walk's read: what it is, so that it can be written inside its parent's rows (`_Layout`).
    walk: Walk | None = None
    where: str = "true"
    properties: tuple[str, ...] | None = None
    path: str = "row"
    pair_with: str | None = None
    sets_project: bool = False


# ------------------------------------------------------------------------ what a statement may cost to plan
# What Neo4j plans is bounded (`resolvers.db.subqueries`): 4 aliased regions × 4 aliased compute
# services of a matchmaking-shaped question made one statement of 249 subqueries, 7.6 s to plan at egi,
# for every new shape sent. So a statement takes reads while their subqueries fit the request's budget
# (its first read always: alone, it is what its loader would send); a read past it is left to its
# resolver (the named fallback), whose loader's statement is small, batched per level, and shared by
# every field, alias and request reading the same walk. Binding counts each read's text and its
# subquery in the statement; the statement made is counted again, and its last reads dropped while
# it is over (nesting may add what a text lacks).
BUDGET_CUTS = Counter(
    "registry_compiled_read_budget_cuts_total",
    "Reads (each with the reads below it) left to their resolvers: the operation's statement had spent its "
    "planning budget.",
)


@dataclass
class _Planned:
    budget: int = STATEMENT_SUBQUERIES_MAX
    shapes: list[ReadShape] = field(default_factory=list)
    deliveries: list[Callable[[Any], None]] = field(default_factory=list)
    # How each root read fails its resolvers when the statement cannot be read (an outage, the deadline).
    failures: list[Callable[[Exception], None] | None] = field(default_factory=list)
    spent: int = 0  # subqueries of the reads taken

    def fits(self, cypher: str, type_name: str, name: str) -> bool:
        """Whether a read of this text fits the statement's budget (then counted as spent); if not, the
        field takes the fallback."""
        cost = subqueries(cypher) + 1  # and its subquery in the statement
        if self.shapes and self.spent + cost > self.budget:
            BUDGET_CUTS.inc()
            _fallback(type_name, name)
            return False
        self.spent += cost
        return True

    def add(self, shape: ReadShape, delivery: Callable[[Any], None], failure: Callable[[Exception], None]) -> int:
        self.shapes.append(shape)
        self.deliveries.append(delivery)
        self.failures.append(failure if shape.parent is None else None)
        return shape.index


@lru_cache(maxsize=1)
def _type_labels() -> dict[str, str]:
    """GraphQL type name -> the label it is bound to (`schema.node.bind`)."""
    return {get_object_definition(cls, strict=True).name: label for label, (cls, _) in BOUND.items()}


# ------------------------------------------------------------------------ the plan, made once per shape
# Planning walks the operation's selection (graphql-core's field collection, the tables of
# `schema/read_plan.py`): the same work for every request asking the same document. So it is done once
# per plan key (`_plan_key`: the schema, the operation, what its variables decide about the selection,
# the stored properties it names, the field compilers registered), into a tree of sites, one per field
# that reads. Each request binds the tree: a site converts its field's arguments (once for all requests
# when they name no variable), and makes its read: parameters, the walk's text for that filter, the
# loader it primes. Nothing of the caller is in a plan: who is asking is the parameter `$base.scope`.

PLANS = Counter(
    "registry_read_plans_total",
    "Read operations whose plan was made afresh (miss) or taken from the plan cache (hit).",
    ["outcome"],
)
PLANS_CACHED = 256  # plans kept (least recently used dropped); each holds its parsed operation
_UNCONVERTED = object()


def _names_variable(value: ValueNode) -> bool:
    if isinstance(value, VariableNode):
        return True
    if isinstance(value, ListValueNode):
        return any(_names_variable(item) for item in value.values)
    if isinstance(value, ObjectValueNode):
        return any(_names_variable(item.value) for item in value.fields)
    return False


class _Binding:
    """One request binding a plan: its variables, its context, the reads made so far."""

    def __init__(self, executor: Any, context: RequestContext) -> None:
        self.executor = executor
        self.context = context
        self.params: dict[str, Any] = {"base": context.params}
        self.planned = _Planned(context.statement_subqueries_max)
        # What each site read: its read's index, and its root key (a lookup) or page query (a root list).
        self.reads: dict[object, tuple[int, Any]] = {}

    @property
    def upcoming(self) -> int:
        """The index the next read will have (its parameter is `$q<index>`)."""
        return len(self.params) - 1

    def next(self, values: dict[str, Any]) -> int:
        index = self.upcoming
        self.params[f"q{index}"] = values
        return index


class _Arguments:
    """A field's arguments as its resolver gets them (None: they do not convert; the resolver says why)."""

    __slots__ = ("converted", "field_def", "node", "static")

    def __init__(self, field_def: GraphQLField, node: FieldNode) -> None:
        self.field_def = field_def
        self.node = node
        self.static = not any(_names_variable(argument.value) for argument in node.arguments or ())
        self.converted: Any = _UNCONVERTED

    def of(self, binding: _Binding) -> dict[str, Any] | None:
        if not self.static:
            return self._convert(binding.executor)
        if self.converted is _UNCONVERTED:  # the same for every request: no variable in them
            self.converted = self._convert(binding.executor)
        return cast("dict[str, Any] | None", self.converted)

    def _convert(self, executor: Any) -> dict[str, Any] | None:
        definition = (self.field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
        if definition is None:
            return None
        try:
            raw = get_argument_values(self.field_def, self.node, executor.variable_values)
            strawberry_schema = executor.schema._strawberry_schema
            return convert_arguments(
                raw,
                definition.arguments,
                scalar_registry=strawberry_schema.schema_converter.scalar_registry,
                config=strawberry_schema.config,
            )
        except Exception:  # the resolver's own conversion reports it
            return None


class _Site(Protocol):
    def bind(self, binding: _Binding, parent: int | None) -> None:
        """Make this field's read (and those below it) for one request, below the read `parent`."""


@dataclass(frozen=True)
class _Fallback:
    """A field the plan does not know, whose resolver reads for itself."""

    type_name: str
    name: str

    def bind(self, binding: _Binding, parent: int | None) -> None:
        _fallback(self.type_name, self.name)


@dataclass(eq=False)
class _WalkSite:
    """A field answered by a walk from the objects at `path` of the rows of its parent read (seen by
    the project `project`); a root lookup when `arguments` is None (its key is the root field's)."""

    type_name: str
    name: str
    reach: ByWalk
    arguments: _Arguments | None
    path: str = "row"
    project: str | None = None
    children: list[_Site] = field(default_factory=list)
    # The names of the fields selected below it (None: a root lookup, whose rows keep the operation's
    # properties); `properties`, set once planned: what its rows return (`_narrow`).
    names: frozenset[str] | None = None
    properties: tuple[str, ...] | None = None
    # Arguments naming no variable: their filter, made once. Per (filter shape, read index): the text.
    filtered: Any = _UNCONVERTED
    # (text, whether its rows may hold dates, the properties they return)
    texts: dict[tuple[str, int], tuple[str, bool, tuple[str, ...] | None]] = field(default_factory=dict)

    def bind(self, binding: _Binding, parent: int | None) -> None:
        assert self.arguments is not None
        kwargs = self.arguments.of(binding)
        if kwargs is None:
            return _fallback(self.type_name, self.name)
        return self.bind_with(binding, parent, kwargs)

    def _filter(self, kwargs: Mapping[str, Any]) -> tuple[Mapping[str, Any] | None, str, Any] | None:
        """The walk's filter (its `where`, clause and values); None: the resolver refuses these arguments."""
        static = self.arguments is None or self.arguments.static
        if static and self.filtered is not _UNCONVERTED:
            return cast("tuple[Mapping[str, Any] | None, str, Any] | None", self.filtered)
        filtered = _walk_filter(self.reach, kwargs)
        if static:
            self.filtered = filtered
        return filtered

    def bind_with(self, binding: _Binding, parent: int | None, kwargs: Mapping[str, Any], root_key: Any = None) -> None:
        reach = self.reach
        walk = reach.walk
        filtered = self._filter(kwargs)
        if filtered is None:
            return None
        where, where_clause, values = filtered
        values_param: dict[str, Any] = {"f": values, "rowLimit": NESTED_LIST_MAX + 1}
        key: str | None = None
        if parent is None:
            values_param["key"] = root_key
        elif reach.pair_with is None:
            key = f"{self.path}.uid"
        elif self.project is None:
            return _fallback("pair", walk.name)  # no project to pair with (the table is wrong)
        else:
            key = f"{{project: {self.project}, {reach.pair_with}: {self.path}.uid}}"
        context = binding.context
        index = binding.upcoming  # the read's, if it fits the statement
        made = self.texts.get((where_clause, index))
        if made is None:  # the plan's properties are its key's: the text depends on these two only
            if len(self.texts) >= PLANS_CACHED:
                self.texts.clear()
            # This walk's own properties (`_narrow`), unless the request reads every property (None).
            properties = context.properties if context.properties is None else self.properties or context.properties
            text = _own_parameter(walk.cypher(where_clause, properties), index)
            made = self.texts[where_clause, index] = (text, walk.rows_may_hold_dates(properties), properties)
        text, dates, properties = made
        if not binding.planned.fits(text, self.type_name, self.name):
            return None
        binding.next(values_param)
        binding.reads[self] = (index, root_key)

        # The loader is made only when the resolvers will run (an answer made from the rows needs none).
        def deliver(value: Any) -> None:
            loader = context.loader(walk, where)
            found = {freeze(k): rows for k, rows in value["found"]}
            for k in value["keys"]:
                frozen = freeze(k)
                loader.prime_rows(frozen, found.get(frozen, []))

        def fail(error: Exception) -> None:
            # an error fails that load only
            context.loader(walk, where).prime(freeze(root_key), error)  # type: ignore[arg-type]

        shape = ReadShape(
            index, text, parent, key, dates=dates, walk=walk, where=where_clause, properties=properties,
            path=self.path, pair_with=reach.pair_with, sets_project=reach.sets_project,
        )  # fmt: skip
        binding.planned.add(shape, deliver, fail)
        for child in self.children:
            child.bind(binding, index)
        return None


def _walk_filter(reach: ByWalk, kwargs: Mapping[str, Any]) -> tuple[Mapping[str, Any] | None, str, Any] | None:
    """A walk's filter from its field's arguments: its `where`, clause and values (None: refused)."""
    if reach.where_of is not None:
        try:
            where: Mapping[str, Any] | None = reach.where_of(kwargs)
        except Refusal:  # the resolver refuses the same arguments, with the same error
            return None
    else:
        where_filter = kwargs.get("where")
        where = where_filter.where() if where_filter is not None else None
    try:
        where_clause, values = compile_where(reach.walk.predicates, where)
    except FilterError:
        return None
    return where, where_clause, values


@dataclass(eq=False)
class _OwnSite:
    """A field with Cypher of its own (`FieldCompiler`), over the objects at `path` of its parent read."""

    type_name: str
    name: str
    compiler: FieldCompiler
    arguments: _Arguments
    path: str = "row"

    def bind(self, binding: _Binding, parent: int | None) -> None:
        kwargs = self.arguments.of(binding)
        if kwargs is None:
            return _fallback(self.type_name, self.name)
        return self.bind_with(binding, parent, kwargs)

    def bind_with(self, binding: _Binding, parent: int | None, kwargs: dict[str, Any]) -> None:
        compiler = self.compiler
        index = binding.upcoming
        made = compiler.fragment(kwargs, f"q{index}")
        if made is None:
            return None
        cypher, values = made
        if not binding.planned.fits(cypher, self.type_name, self.name):
            return None
        binding.next(values)
        objects = (
            "[null]"
            if parent is None
            else f"COLLECT {{ UNWIND w{parent}.found AS kr UNWIND kr[1] AS row RETURN {self.path} AS o }}"
        )
        context = binding.context
        shape = ReadShape(index, cypher, parent, objects, own=True)
        binding.planned.add(shape, lambda value: compiler.deliver(context, kwargs, value), lambda error: None)
        return None


@dataclass(eq=False)
class _RootSite:
    """A root field: a page of a kind, a lookup (by id; `userGroup`), or a field with Cypher of its own."""

    type_name: str
    name: str
    arguments: _Arguments
    label: str | None
    page: tuple[bool, list[_Site]] | None  # a page: (whether it counts its total, the sites below its nodes)
    lookup: _WalkSite | None  # how `userGroup` reads
    by_id: _WalkSite | None  # how a lookup by id reads
    compiler: FieldCompiler | None

    def bind(self, binding: _Binding, parent: int | None) -> None:
        kwargs = self.arguments.of(binding)
        if kwargs is None:
            return _fallback(self.type_name, self.name)
        if self.page is not None and self.label is not None:
            return self._page(binding, kwargs, *self.page)
        if self.lookup is not None:
            key = {"issuer": kwargs["issuer"], "name": kwargs["name"]}
            return self.lookup.bind_with(binding, None, {}, key)
        if self.by_id is not None and set(kwargs) == {"id"}:
            return self.by_id.bind_with(binding, None, {}, kwargs["id"])
        if self.compiler is not None:
            return _OwnSite(self.type_name, self.name, self.compiler, self.arguments).bind_with(binding, None, kwargs)
        return _fallback(self.type_name, self.name)

    def _page(self, binding: _Binding, kwargs: dict[str, Any], with_total: bool, children: list[_Site]) -> None:
        assert self.label is not None
        arguments = page_arguments(
            self.label, kwargs.get("where"), kwargs.get("order_by"),
            kwargs.get("first", catalogue.DEFAULT_PAGE_SIZE), kwargs.get("after"),
        )  # fmt: skip
        try:
            query = catalogue.page_query(**arguments)
        except Refusal:  # the resolver refuses the same arguments, with the same error
            return None
        answer_key = catalogue.page_answer_key(**arguments, with_total=with_total)
        cypher = query.cypher(binding.context.properties, with_total=with_total)
        if not binding.planned.fits(cypher, self.type_name, self.name):
            return None
        index = binding.next(query.params)
        binding.reads[self] = (index, query)
        batcher = binding.context.batcher

        def deliver(value: Any) -> None:
            batcher.answers[answer_key] = (value["found"][0][1], value["total"])

        def fail(error: Exception) -> None:
            batcher.answers[answer_key] = error

        binding.planned.add(ReadShape(index, _own_parameter(cypher, index), None, None, page=True), deliver, fail)
        for child in children:
            child.bind(binding, index)
        return None


class Planner:
    """Plans one operation into its sites (the executor's own field collection), and into the answer
    built straight from the statement's rows when every field it selects is one the plan knows
    (`schema/fast_answers.py`; None when one is not)."""

    def __init__(self, executor: Any) -> None:
        self.executor = executor
        self.schema: GraphQLSchema = executor.schema
        self.labels = _type_labels()

    def root(
        self, root_type: GraphQLObjectType, grouped: dict[str, Any]
    ) -> tuple[list[_Site], fast.ObjectAnswer | None]:
        sites: list[_Site] = []
        answers: list[tuple[str, fast.FieldAnswer]] | None = []
        for response_name, details in grouped.items():
            name = details[0].node.name.value
            if name == "__typename":
                answers = _with(answers, response_name, fast.constant(root_type.name))
            elif name.startswith("__"):  # introspection
                answers = None
            else:
                field_def = root_type.fields[name]
                site, answer = self._root_field(root_type, field_def, name, details)
                sites.append(site)
                if answer is None:
                    answer = fast.by_graphql_core(root_type, field_def, details, at_root=True)
                answers = _with(answers, response_name, answer)
        return sites, None if answers is None else fast.object_answer(root_type, None, answers, builds=False)

    def _root_field(
        self, root_type: GraphQLObjectType, field_def: GraphQLField, name: str, details: Any
    ) -> tuple[_Site, fast.FieldAnswer | None]:
        named = get_named_type(field_def.type)
        label = self.labels.get(named.name.removesuffix("Connection"))
        page = lookup = by_id = None
        answer: fast.FieldAnswer | None = None
        fields: list[tuple[str, fast.PageAnswer]] | None = None
        inner: fast.ObjectAnswer | None = None
        compiler = FIELD_COMPILERS.get((root_type.name, name))
        arguments = _Arguments(field_def, details[0].node)
        if named.name.endswith("Connection") and label is not None:
            assert isinstance(named, GraphQLObjectType)
            fragments = self.executor.fragment_definitions  # every node of the (merged) field, as its resolver
            with_total = any(_selects_total(detail.node.selection_set, fragments) for detail in details)
            below, fields = self._connection(named, details)
            page = (with_total, below)
        elif name == "userGroup":
            lookup, inner = self._lookup(USER_GROUP_BY_NAME_AT_ISSUER, root_type, name, named, details)
        elif label is not None and KINDS[label].root:
            by_id, inner = self._lookup(by_id_walk(label), root_type, name, named, details)
        site = _RootSite(root_type.name, name, arguments, label, page, lookup, by_id, compiler)
        if compiler is None and not _directed(details) and not _guarded(field_def):
            if page is not None and fields is not None:
                answer = fast.paged(site, fields)
            elif (lookup or by_id) is not None and inner is not None:
                answer = fast.looked_up(lookup or by_id, field_def, inner)
        return site, answer

    def _lookup(self, walk: Walk, root_type: GraphQLObjectType, name: str, named: GraphQLNamedType,
                details: Any) -> tuple[_WalkSite, fast.ObjectAnswer | None]:  # fmt: skip
        below, inner = self._below(named, details, "row", None, walk.builds)
        return _WalkSite(root_type.name, name, ByWalk(walk), None, children=below), inner

    def _connection(
        self, connection: GraphQLObjectType, details: Any
    ) -> tuple[list[_Site], list[tuple[str, fast.PageAnswer]] | None]:
        """A page's sites (below its nodes: `nodes { … }` and `edges { node { … } }`) and its answer's fields."""
        sites: list[_Site] = []
        fields: list[tuple[str, fast.PageAnswer]] | None = []
        for response_name, sub in self.executor.collect_subfields(connection, details).grouped_field_set.items():
            name = sub[0].node.name.value
            below: Any = None
            if name == "nodes":
                found, below = self._below(get_named_type(connection.fields[name].type), sub, "row", None)
                sites.extend(found)
            elif name == "edges":
                edge = cast("GraphQLObjectType", get_named_type(connection.fields[name].type))
                # Each of the edge's fields by its response name: `cursor`, `__typename`, or a `node`
                # (aliased, maybe several times) with its own selection's answer.
                edge_fields: list[tuple[str, tuple[str, fast.ObjectAnswer | None]]] | None = []
                for inner_name, inner in self.executor.collect_subfields(edge, sub).grouped_field_set.items():
                    field_name = inner[0].node.name.value
                    node: fast.ObjectAnswer | None = None
                    if field_name == "node":
                        found, node = self._below(get_named_type(edge.fields["node"].type), inner, "row", None)
                        sites.extend(found)
                        edge_fields = edge_fields if node is not None else None
                    edge_fields = _with(edge_fields, inner_name, (field_name, node), _directed(inner))
                below = edge_fields
            elif name == "pageInfo":
                page_info = cast("GraphQLObjectType", get_named_type(connection.fields[name].type))
                grouped = self.executor.collect_subfields(page_info, sub).grouped_field_set
                below = [(alias, inner[0].node.name.value) for alias, inner in grouped.items()]
                below = None if any(_directed(inner) for inner in grouped.values()) else below
            answer = None if _directed(sub) else fast.page_field(connection, name, below)
            fields = _with(fields, response_name, answer)
        return sites, fields

    def _object_types(self, named: GraphQLNamedType) -> Sequence[GraphQLObjectType]:
        if is_abstract_type(named):
            return self.schema.get_possible_types(named)  # type: ignore[arg-type]
        return [named] if isinstance(named, GraphQLObjectType) else []

    def _below(
        self, named: GraphQLNamedType, details: Any, path: str, project: str | None, built_as: str | None = None
    ) -> tuple[list[_Site], fast.ObjectAnswer | None]:
        """The sites below objects of the (possibly abstract) type `named`, and their answer. `built_as`:
        the label whose builder makes them from their rows, as their resolver does (default: their type's;
        a type with no label of its own, a resolver's wrapper, is not built)."""
        sites: list[_Site] = []
        answers: dict[type, fast.ObjectAnswer] | None = {}
        build = BUILDERS.get(built_as or self.labels.get(named.name, "")) if named.name in self.labels else None
        for object_type in self._object_types(named):
            found, answer = self._children(object_type, details, path, project, build)
            sites.extend(found)
            origin = _origin(object_type)
            if answers is not None and answer is not None and origin is not None:
                answers[origin] = answer
            else:
                answers = None
        if answers is None or not answers:
            return sites, None
        if isinstance(named, GraphQLObjectType):
            return sites, next(iter(answers.values()))
        return sites, fast.AbstractAnswer(build, answers) if build is not None else None

    def _children(
        self, object_type: GraphQLObjectType, details: Any, path: str, project: str | None, build: fast.Build | None
    ) -> tuple[list[_Site], fast.ObjectAnswer | None]:
        """The sites below the objects at `path` of a read's rows (seen by `project`) of the type
        `object_type`, and the objects' answer (None: a field the fast path does not know)."""
        sites: list[_Site] = []
        answers: list[tuple[str, fast.FieldAnswer]] | None = []
        builds = False
        reading = fast.row_reading(object_type, build)  # stored scalars read off the row, when they can be
        collected = self.executor.collect_subfields(object_type, details)
        if collected.new_defer_usages:
            answers = None
        for response_name, sub in collected.grouped_field_set.items():
            name = sub[0].node.name.value
            if name == "__typename":
                answers = _with(answers, response_name, fast.constant(object_type.name))
                continue
            if name.startswith("__"):
                answers = None
                continue
            field_def = object_type.fields[name]
            named = get_named_type(field_def.type)
            reach = FIELD_READS.get((object_type.name, name))
            compiler = FIELD_COMPILERS.get((object_type.name, name))
            answer: fast.FieldAnswer | None = None
            if isinstance(reach, Part):
                inner_path = path if reach.key is None else f"{path}.{reach.key}"
                found, inner = self._below(named, sub, inner_path, project)
                sites.extend(found)
                if inner is not None:
                    answer = fast.part(reach.key, inner)
            elif reach is None and compiler is None:
                answer = fast.off_row(object_type, name, reading) if reading is not None else None
                if answer is None:
                    scalar = fast.stored_scalar(object_type, name) or computed_scalar(field_def)
                    if scalar is not None:
                        answer = fast.stored(scalar)
                    elif _reads_database(object_type, name, field_def):
                        sites.append(_Fallback(object_type.name, name))
                    else:
                        answer = self._held(field_def, sub)
                    builds = True
            elif compiler is not None:
                sites.append(_OwnSite(object_type.name, name, compiler, _Arguments(field_def, sub[0].node), path))
            elif isinstance(reach, ByWalk):
                # The rows' project: the key, when the walk sets it; the key's project, when the key pairs with it.
                below_project = "kr[0]" if reach.sets_project else "kr[0].project" if reach.pair_with else None
                below, inner = self._below(named, sub, "row", below_project, reach.walk.builds)
                names = names_below((detail.node.selection_set for detail in sub), self.executor.fragment_definitions)
                site = _WalkSite(
                    object_type.name, name, reach, _Arguments(field_def, sub[0].node), path, project, below,
                    frozenset(names),
                )  # fmt: skip
                sites.append(site)
                if inner is not None:
                    answer = fast.walked(site, reach, field_def, inner)
            if answer is None or _guarded(field_def) or _directed(sub):
                # Its own resolver answers it (a permission, a field compiler's rows, a link signed on
                # demand…), after the rest: graphql-core, on the object built from this row.
                answer = fast.by_graphql_core(object_type, field_def, sub)
                builds = builds or answer is not None
            answers = _with(answers, response_name, answer)
        if answers is None:
            return sites, None
        return sites, fast.object_answer(object_type, build, answers, builds, reading)

    def _held(self, field_def: GraphQLField, details: Any) -> fast.FieldAnswer | None:
        """The answer of an object (or list) its parent's builder made: stored scalars and such objects
        only; or of a list of scalars it holds (a network's tags)."""
        read = stored_read(field_def)
        object_type = get_named_type(field_def.type)
        if read is None or _directed(details):
            return None
        if not isinstance(object_type, GraphQLObjectType):
            return fast.held_scalars(field_def, read)
        collected = self.executor.collect_subfields(object_type, details)
        answers: list[tuple[str, fast.FieldAnswer]] | None = [] if not collected.new_defer_usages else None
        for response_name, sub in collected.grouped_field_set.items():
            name = sub[0].node.name.value
            answer: fast.FieldAnswer | None = None
            if name == "__typename":
                answer = fast.constant(object_type.name)
            elif not name.startswith("__") and not _guarded(object_type.fields[name]):
                inner_def = object_type.fields[name]
                scalar = fast.stored_scalar(object_type, name) or computed_scalar(inner_def)
                answer = fast.stored(scalar) if scalar is not None else self._held(inner_def, sub)
            answers = _with(answers, response_name, answer, _directed(sub))
        if answers is None:
            return None
        return fast.held(field_def, read, fast.ObjectAnswer(None, answers, object_type.is_type_of))


def _origin(object_type: GraphQLObjectType) -> type | None:
    """The class whose objects are of this GraphQL type."""
    definition = (object_type.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    return getattr(definition, "origin", None)


def _with(answers: list[Any] | None, name: str, answer: Any, directed: bool = False) -> list[Any] | None:
    """The answers so far with one more (None, once one field cannot be answered without graphql-core)."""
    if answers is None or answer is None or directed:
        return None
    answers.append((name, answer))
    return answers


def _guarded(field_def: GraphQLField) -> bool:
    """Whether the field runs Strawberry field extensions (a permission, …): only its resolver applies them."""
    definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    return bool(getattr(definition, "extensions", None))


def _directed(details: Any) -> bool:
    """Whether a field carries a directive besides @skip/@include (which field collection has applied)."""
    return any(
        directive.name.value not in ("skip", "include")
        for detail in details
        for directive in detail.node.directives or ()
    )


@dataclass(frozen=True)
class _Plan:
    """A cached plan, holding what its key names by identity (so no other object can take their ids)."""

    schema: GraphQLSchema
    operation: OperationDefinitionNode
    compilers: tuple[tuple[tuple[str, str], FieldCompiler], ...]
    sites: list[_Site]
    answer: fast.ObjectAnswer | None  # the answer from the statement's rows (None: graphql-core's)


_PLANS: OrderedDict[Hashable, _Plan] = OrderedDict()


def _plan_key(executor: Any, context: RequestContext) -> Hashable | None:
    """What a plan depends on: the schema and the operation (by identity: a cached parse is the same
    object for the same text), the values of Boolean variables (all that variables decide about the
    selection: @skip/@include), the stored properties the operation names, the field compilers. None:
    not cached (an operation too long for the parse cache, parsed afresh, would only fill this one)."""
    operation = executor.operation
    location = operation.loc
    if location is None or len(location.source.body) > CACHED_QUERY_MAX_CHARS:
        return None
    decided = tuple(
        sorted((name, value) for name, value in executor.variable_values.coerced.items() if type(value) is bool)
    )
    compilers = tuple((key, id(compiler)) for key, compiler in FIELD_COMPILERS.items())
    return id(executor.schema), id(operation), decided, context.properties, compilers


def plan(executor: Any, root_type: GraphQLObjectType, grouped: dict[str, Any], context: RequestContext) -> _Plan:
    """The operation's plan: from the plan cache, or planned (and cached) now."""
    key = _plan_key(executor, context)
    cached = _PLANS.get(key) if key is not None else None
    if cached is not None and cached.schema is executor.schema and cached.operation is executor.operation:
        _PLANS.move_to_end(key)
        PLANS.labels("hit").inc()
        return cached
    PLANS.labels("miss").inc()
    sites, answer = Planner(executor).root(root_type, grouped)
    _narrow(sites)
    planned = _Plan(executor.schema, executor.operation, tuple(FIELD_COMPILERS.items()), sites, answer)
    if key is not None:
        _PLANS[key] = planned
        if len(_PLANS) > PLANS_CACHED:
            _PLANS.popitem(last=False)
    return planned


def _narrow(sites: Sequence[_Site]) -> None:
    """Each walk's rows return the properties behind the names selected below its fields — not every
    name the operation selects (a matchmaking's flavors need no project's `uuid`: egi's rows 66 -> 42 KB).
    Per walk, the names of all its fields together: the sites of one walk and filter prime one loader,
    whose rows must then serve each of them (aliases with different selections)."""
    by_walk: dict[Walk, list[_WalkSite]] = {}

    def visit(site: _Site) -> None:
        if isinstance(site, _WalkSite):
            by_walk.setdefault(site.reach.walk, []).append(site)
            below: Sequence[_Site] = site.children
        elif isinstance(site, _RootSite):
            below = [
                *(site.page[1] if site.page is not None else ()),
                *(s for s in (site.lookup, site.by_id) if s is not None),
            ]
        else:
            below = ()
        for child in below:
            visit(child)

    for site in sites:
        visit(site)
    for walk_sites in by_walk.values():
        names = [site.names for site in walk_sites if site.names is not None]
        if len(names) < len(walk_sites):
            continue  # a root lookup's rows: the operation's properties
        selected = set().union(*names)
        properties = properties_for(selected)
        if "id" not in selected and not any(site.children for site in walk_sites):
            # Rows nothing is read from (no walk, no resolver below them) and whose id no one asks: their
            # uid is no one's key (egi matchmaking's ~230 flavors, images, networks and quotas: 45 -> 34 KB).
            properties = tuple(name for name in properties if name != "uid")
        for site in walk_sites:
            site.properties = properties


def _own_parameter(cypher: str, index: int) -> str:
    """A loader's Cypher reads its branch's parameter; here, its read's."""
    return cypher.replace(BRANCH_PARAMETER, f"$q{index}")


def _reads_database(object_type: GraphQLObjectType, name: str, field_def: GraphQLField) -> bool:
    """Whether a field the plan does not know has a resolver that may read (not a stored value, nor one
    its object computes by itself)."""
    definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    return (
        getattr(definition, "base_resolver", None) is not None
        and (object_type.name, name) not in NO_READS
        and computed_scalar(field_def) is None
    )


def _fallback(type_name: str, name: str) -> None:
    FALLBACKS.labels(f"{type_name}.{name}").inc()
    log.debug("compiled read: %s.%s takes the fallback", type_name, name)


def _selects_total(selection_set: SelectionSetNode | None, fragments: dict[str, Any]) -> bool:
    """Whether a page's selection names `totalCount` (through fragments), as its resolver decides."""
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


# A walk read below another walk's rows is written INSIDE them (`resolvers/walks/nested.py`): a
# COLLECT subquery in the parent's row map, under the name `@<index>`, starting from the parent's
# node. Reads that cannot be (a root list's, a field compiler's, a walk whose rows are not its
# target's, or one with such a read below it, since those are keyed by the rows of a read of their
# own) are subqueries of their own, one after another, keyed by their parent's rows, as above.


@dataclass(frozen=True)
class _Layout:
    """Where each read of a statement is: on its own (its value in the results), or nested in the
    rows of its parent read under `@<index>`; and which reads' values may hold dates, with what is
    nested in them."""

    nested: tuple[bool, ...]
    children: tuple[tuple[int, ...], ...]
    dates: tuple[bool, ...]


def _hosts(shape: ReadShape) -> bool:
    """Whether reads can be nested in this read's rows: a walk's whose rows are its target's map."""
    return shape.walk is not None and not shape.page and not shape.own and shape.walk.rows_are_targets


@lru_cache(maxsize=512)
def layout(shapes: tuple[ReadShape, ...]) -> _Layout:
    """Which reads are nested: a walk read whose parent hosts it, whose walk can start from a bound
    node, and every read below which is nested too."""
    count = len(shapes)
    assert all(shape.index == position for position, shape in enumerate(shapes)), "reads out of order"
    children: list[list[int]] = [[] for _ in range(count)]
    for shape in shapes:
        if shape.parent is not None:
            children[shape.parent].append(shape.index)
    nested = [False] * count
    for shape in reversed(shapes):  # a read's children come after it
        parent = shapes[shape.parent] if shape.parent is not None else None
        nested[shape.index] = (
            parent is not None
            and _hosts(parent)
            and shape.walk is not None
            and not shape.own
            and shape.path == "row"
            and (shape.pair_with is None or parent.sets_project or parent.pair_with is not None)
            and nested_walk.can_nest(shape.walk)
            and all(nested[child] for child in children[shape.index])
        )
    dates = [shape.dates for shape in shapes]
    for shape in reversed(shapes):  # a nested read's dates are in its parent's rows
        if nested[shape.index] and dates[shape.index]:
            dates[cast("int", shape.parent)] = True
    return _Layout(tuple(nested), tuple(tuple(c) for c in children), tuple(dates))


class _Writer:
    """Writes one statement's reads, each on its own or nested in its parent's rows."""

    def __init__(self, shapes: tuple[ReadShape, ...], placed: _Layout) -> None:
        self.shapes = shapes
        self.layout = placed

    def children(self, index: int, bound: nested_walk.Bound) -> str:
        """The entries a read's rows get: its nested children (", `@<i>`: COLLECT {...}"), each read
        from `bound` (the read's node, and the project its rows are seen by)."""
        entries = []
        for child in self.layout.children[index]:
            if self.layout.nested[child]:
                entries.append(f", `{nested_walk.entry(child)}`: {self.nested(self.shapes[child], bound)}")
        return "".join(entries)

    def nested(self, shape: ReadShape, bound: nested_walk.Bound) -> str:
        assert shape.walk is not None
        var = f"n_{shape.index}"
        visible = shape.walk.target if shape.walk.visible_as is None else None
        if shape.sets_project:  # its rows are seen by the node it starts from, a project
            below = replace(bound, project=bound.start, project_visible=bound.start_visible == "Project")
        elif shape.pair_with is None:
            below = nested_walk.Bound(var)
        else:
            below = bound
        # A service walk's rows carry whether the project holds a limit quota on each (`held_<i>`).
        held = f"held_{shape.index}" if nested_walk.carries_held(shape.walk) and below.project is not None else None
        children = self.children(shape.index, replace(below, start=var, start_visible=visible, held=held))
        text = nested_walk.nested_cypher(shape.walk, shape.where, shape.properties, shape.index, bound, children)
        if text is None:  # `layout` nests only what `can_nest` allows
            raise AssertionError(f"read {shape.index} ({shape.walk.name}) cannot be nested")
        return text

    def flat(self, shape: ReadShape) -> str:
        """A read on its own: its text, with what is nested in its rows."""
        walk = shape.walk
        if walk is None or not any(self.layout.nested[child] for child in self.layout.children[shape.index]):
            return shape.cypher
        visible = walk.target if walk.visible_as is None else None
        # Its key: a project's uid when it sets the project, a pair holding it when it pairs with one.
        project_uid = "key" if shape.sets_project else "key.project" if shape.pair_with is not None else None
        children = self.children(shape.index, nested_walk.Bound("n", visible, project_uid=project_uid))
        return _own_parameter(walk.cypher(shape.where, shape.properties, children), shape.index)


def _read_text(shape: ReadShape, cypher: str) -> str:
    i = shape.index
    if shape.page:
        return f"""CALL (base) {{
WITH base {{.today, .scope, f: $q{i}.f, after: $q{i}.after}} AS p
{cypher}
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
{cypher}
}}
RETURN value AS w{i}
}}"""
    return f"""WITH *, {keys} AS k{i}
CALL (base, k{i}) {{
WITH base {{.today, .scope, f: $q{i}.f, rowLimit: $q{i}.rowLimit, keys: k{i}}} AS p
{cypher}
RETURN collect([key, rows]) AS f{i}
}}
WITH *, {{keys: k{i}, found: f{i}}} AS w{i}"""


@lru_cache(maxsize=512)
def statement(shapes: tuple[ReadShape, ...]) -> str:
    """The operation's one statement: made once per shape (document, operation, and what its variables
    decide: directives, filters set, sort, cursor), the same text for every caller (who is asking is
    the parameter `p.scope`). A nested read's place in the results is null: its rows are in its parent's."""
    placed = layout(shapes)
    writer = _Writer(shapes, placed)
    own = [shape for shape in shapes if not placed.nested[shape.index]]
    reads = "\n".join(_read_text(shape, writer.flat(shape)) for shape in own)
    values = ", ".join("null" if placed.nested[shape.index] else f"w{shape.index}" for shape in shapes)
    return f"WITH $base AS base\n{reads}\nRETURN [{values}] AS results"


def _make_plain(shapes: Sequence[ReadShape], placed: _Layout, values: Sequence[Any]) -> None:
    """Make plain, in place, the rows of the reads that may hold dates, and only those (a nested read's
    within its parent's rows): walking every value of egi matchmaking's rows was ~7 % of the server's CPU."""

    def rows_of(index: int, row_lists: list[list[Any]]) -> None:
        if shapes[index].dates:
            for rows in row_lists:
                for row in rows:
                    plain_own(row, nested_walk.NESTED_PREFIX)
        for child in placed.children[index]:
            if placed.nested[child] and placed.dates[child]:
                name = nested_walk.entry(child)
                rows_of(child, [row.get(name, []) for rows in row_lists for row in rows])

    for shape in shapes:
        index = shape.index
        if placed.nested[index] or not placed.dates[index]:
            continue
        if any(placed.nested[child] for child in placed.children[index]):
            rows_of(index, [rows for _, rows in values[index]["found"]])
        else:
            plain(values[index])


def _with_nested(shapes: Sequence[ReadShape], placed: _Layout, values: Sequence[Any]) -> list[Any]:
    """Every read's value as if it had been read on its own: a nested read's keys and rows, taken out
    of its parent's rows (its keys as its resolvers make them: the row's uid, or the pair of it with
    the project its parent's rows are seen by)."""
    expanded = list(values)
    for shape in shapes:
        if not placed.nested[shape.index]:
            continue
        parent = shapes[cast("int", shape.parent)]
        name = nested_walk.entry(shape.index)
        keys: list[Any] = []
        found: list[Any] = []
        for parent_key, rows in expanded[parent.index]["found"]:
            project = parent_key if parent.sets_project else parent_key["project"] if parent.pair_with else None
            for row in rows:
                uid = row.get("uid")
                key = uid if shape.pair_with is None else {"project": project, shape.pair_with: uid}
                keys.append(key)
                found.append((key, row.get(name, [])))
        expanded[shape.index] = {"keys": keys, "found": found}
    return expanded


class _Answers:
    """One request's rows, by the site that read them (`fast_answers.Answering`)."""

    def __init__(self, binding: _Binding, values: Sequence[Any], placed: _Layout) -> None:
        self.reads = binding.reads
        self.shapes = binding.planned.shapes
        self.values = values
        self.layout = placed
        self.expanded: list[Any] | None = None
        self.by_key: dict[object, dict[Hashable, list[Any]]] = {}
        self.later = False  # some field is left for graphql-core (`fast_answers.Later`)

    def _read(self, site: object) -> tuple[int, Any]:
        read = self.reads.get(site)
        if read is None:  # the binding made no read for it (arguments its resolver refuses)
            raise fast.NotFast
        return read

    def found(self, site: object) -> Mapping[Hashable, list[Any]]:
        found = self.by_key.get(site)
        if found is None:
            index, _ = self._read(site)
            values = self.values
            if self.layout.nested[index]:
                if self.expanded is None:
                    self.expanded = _with_nested(self.shapes, self.layout, values)
                values = self.expanded
            found = self.by_key[site] = {freeze(k): rows for k, rows in values[index]["found"]}
        return found

    def below(self, site: object, row: Any) -> list[Any] | None:
        index, _ = self._read(site)
        return row.get(nested_walk.entry(index)) if self.layout.nested[index] else None

    def root_key(self, site: object) -> Any:
        return self._read(site)[1]

    def page(self, site: object) -> Page:
        index, query = self._read(site)
        return fast.page_of(query, self.values[index])

    def complete_later(self, later: fast.Later) -> None:
        self.later = True


async def read_ahead(
    executor: Any, root_type: GraphQLObjectType, grouped: dict[str, Any], context: RequestContext, answer: bool
) -> dict[str, Any] | None:
    """Plan the operation and send its one statement; then answer it from the rows when `answer` is set
    and the plan knows every field, or else prime what the resolvers will load (and return None)."""
    binding = _Binding(executor, context)
    planned_operation = plan(executor, root_type, grouped, context)
    for site in planned_operation.sites:
        site.bind(binding, None)
    planned = binding.planned
    if not planned.shapes:
        return None
    shapes, text = _within_budget(binding)
    placed = layout(shapes)
    try:
        # Only the reads whose rows may hold a date are made plain (below): walking every value of a
        # matchmaking answer's rows for the two dates of its SLAs was ~7 % of the server's CPU.
        records = await context.database.read(text, binding.params, counter=context.batcher.counter, plain_values=False)
    except Exception as error:
        deadline = DEADLINE.get()
        if deadline is not None and asyncio.get_running_loop().time() >= deadline:
            return None  # past the request's deadline: the resolvers meet it exactly as the general path does
        if failure_code(error) is not ErrorCode.INTERNAL_SERVER_ERROR:
            # An outage or the deadline: the root fields fail with it, as their first statement would
            # (asking again would only wait for Neo4j again).
            for fail in planned.failures:
                if fail is not None:
                    fail(error)
            return None
        # A statement Neo4j refused is the compiler's fault, not the caller's: the resolvers read for
        # themselves (answers stay right; the statement count says it).
        log.warning("compiled read refused; the resolvers read for themselves", exc_info=True)
        return None
    values = records[0]["results"]
    _make_plain(shapes, placed, values)
    if answer and planned_operation.answer is not None:
        answering = _Answers(binding, values, placed)
        try:
            answered = planned_operation.answer(None, None, answering)
        except fast.NotFast:
            pass
        else:
            if not answering.later:
                fast.ANSWERS.labels("fast").inc()
                return answered
            # The fields left for graphql-core read through the loaders, as the general path does.
            fast.ANSWERS.labels("fast, some fields by graphql-core").inc()
            _prime(planned, _with_nested(shapes, placed, values))
            return await fast.complete_later(executor, answered)
    fast.ANSWERS.labels("general").inc()
    _prime(planned, _with_nested(shapes, placed, values))
    return None


def _within_budget(binding: _Binding) -> tuple[tuple[ReadShape, ...], str]:
    """The statement of the reads bound, its last reads dropped (leaves: a read's children come after it)
    while its subqueries are over the budget; the dropped reads are left to their resolvers."""
    planned = binding.planned
    shapes = tuple(planned.shapes)
    text = statement(shapes)
    while len(shapes) > 1 and subqueries(text) > planned.budget:
        shapes = shapes[:-1]
        text = statement(shapes)
    kept = len(shapes)
    if kept < len(planned.shapes):
        BUDGET_CUTS.inc(len(planned.shapes) - kept)
        for dropped in planned.shapes[kept:]:
            del binding.params[f"q{dropped.index}"]
        del planned.shapes[kept:], planned.deliveries[kept:], planned.failures[kept:]
        binding.reads = {site: read for site, read in binding.reads.items() if read[0] < kept}
    return shapes, text


def _prime(planned: _Planned, values: Sequence[Any]) -> None:
    """Hand each read's rows to the loaders its resolvers load through."""
    for deliver, value in zip(planned.deliveries, values, strict=True):
        deliver(value)


class CompiledReads:
    """An execution-context mixin: a query's reads are one statement, sent before the root fields run."""

    context_value: Any
    operation: Any
    # Whether an operation whose every field the plan knows is answered from the statement's rows
    # (`schema/fast_answers.py`) rather than by graphql-core over the primed loaders.
    answers_from_rows = False

    def execute_collected_root_fields(
        self, root_type: GraphQLObjectType, root_value: Any, grouped_field_set: dict[str, Any], serially: bool,
        new_defer_usages: Sequence[Any],
    ) -> Any:  # fmt: skip
        run_root = super().execute_collected_root_fields  # type: ignore[misc]
        context = self.context_value
        if self.operation.operation is not OperationType.QUERY or not isinstance(context, RequestContext):
            return run_root(root_type, root_value, grouped_field_set, serially, new_defer_usages)

        async def read_then_run() -> Any:
            answered = await read_ahead(self, root_type, grouped_field_set, context, self.answers_from_rows)
            if answered is not None:
                return answered
            result = run_root(root_type, root_value, grouped_field_set, serially, new_defer_usages)
            return await result if isinstance(result, Awaitable) else result

        return read_then_run()


class AnsweredExecution(CompiledReads, FederationExecution):
    """Reads in one statement, answered from its rows where the plan knows every field."""

    answers_from_rows = True


class CompiledFederationExecution(CompiledReads, FederationExecution):
    """Reads in one statement; stored scalars completed without graphql-core's per-field steps."""


class CompiledExecution(CompiledReads, StrawberryGraphQLCoreExecutionContext):
    """Reads in one statement; graphql-core completes every field."""


def execution_class(
    *, stored_scalar_shortcut: bool, compiled: bool, answers_from_rows: bool = False
) -> type[StrawberryGraphQLCoreExecutionContext] | None:
    """The execution context a schema runs operations with (None: Strawberry's own)."""
    if compiled and answers_from_rows:
        return AnsweredExecution
    if compiled:
        return CompiledFederationExecution if stored_scalar_shortcut else CompiledExecution
    return FederationExecution if stored_scalar_shortcut else None
