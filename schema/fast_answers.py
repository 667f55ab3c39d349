"""Answers completed straight from the compiled statement's rows, without graphql-core's per-field steps.

The compiled statement (`schema/compiled_reads.py`) has read every row an operation needs. When
its plan knows how every selected field is answered — a stored scalar of an object built from its
row, `__typename`, a part of the row (`Part`), a list of scalars an object holds, the rows of a walk
(`ByWalk`), a root page or lookup — the answer is built here in one pass over the rows: the objects
are built by the very builders the resolvers use (`BUILDERS`), scalars read and coerced as
`schema/execution.py` does, walk rows found by the keys the resolvers would load (`freeze`d as the
loaders key them).

A nullable field the plan cannot answer itself — one that runs its own resolver (a permission, a
presigned download link, a field compiler's rows) — is left as a `Later` in the
answer and completed afterwards by graphql-core's own `execute_field`, on the object its resolver would
be given, at its path, over the primed loaders: that subtree takes the general path, with GraphQL's null
propagation and error paths stopping at the field (it may be null). Anything else it cannot answer
exactly — a non-null such field, a read the binding did not make (arguments the resolver refuses), a
null or a value a type refuses, a list longer than the nested limit, a missing part — raises `NotFast`,
and the general path answers the whole operation instead.
`tests/properties/test_compiled_differential.py` checks that the paths give the same answers and errors
for random queries, federations and callers.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from enum import Enum
from operator import attrgetter
from typing import Any, NamedTuple, Protocol

from graphql import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    GraphQLBoolean,
    GraphQLField,
    GraphQLFloat,
    GraphQLID,
    GraphQLInt,
    GraphQLList,
    GraphQLObjectType,
    GraphQLString,
    get_named_type,
    get_nullable_type,
    is_leaf_type,
    is_non_null_type,
)
from graphql.pyutils import Path as GraphQLPath
from graphql.pyutils import Undefined
from prometheus_client import Counter
from strawberry.schema.schema_converter import GraphQLCoreConverter

from resolvers import walks
from resolvers.catalogue import Page, PageQuery
from resolvers.context import pair
from resolvers.db import freeze
from schema.execution import BY_GRAPHQL_CORE, StoredScalar, complete_stored, stored_scalars
from schema.node import RowField, row_fields
from schema.read_plan import ByWalk

ANSWERS = Counter(
    "registry_fast_answers_total",
    "Compiled read operations answered straight from the statement's rows (fast) or by graphql-core (general).",
    ["path"],
)


class NotFast(Exception):
    """This answer needs graphql-core's general path."""


class Answering(Protocol):
    """One request's rows, as the plan's reads found them."""

    def found(self, site: object) -> Mapping[Hashable, list[Any]]:
        """The rows a site read, by the key its resolver would load (NotFast: it did not read)."""
        ...

    def below(self, site: object, row: Any) -> list[Any] | None:
        """The rows a site read inside its parent's `row`, when it was read there (None: read on its own)."""
        ...

    def root_key(self, site: object) -> Any:
        """The key a root lookup read (NotFast: it did not read)."""
        ...

    def page(self, site: object) -> Page:
        """The page a root list read (NotFast: it did not read)."""
        ...

    def complete_later(self, later: Later) -> None:
        """Note a field graphql-core completes once the rest of the answer is built."""
        ...


# A field's value from its object: (the object's row, the project that sees it, the object built
# from the row (None when it is not built), the request's rows).
FieldAnswer = Callable[[Any, Any, Any, Answering], Any]
Build = Callable[[Any], Any]


class ObjectAnswer:
    """An object's selection, field by field in the query's order, from its row; `build`: how its
    resolver makes the object from the row (None: it is not built, its fields read the row only).

    `call(row, project, answering)` answers an object from its row (building it first where `build`
    says so); `answer(row, project, built, answering)` answers it from its row and the object already
    built (None: not built). Both are made once per plan by `_straight_line`."""

    __slots__ = ("answer", "build", "call", "check", "enums", "fields", "plan")

    def __init__(
        self, build: Build | None, fields: Sequence[tuple[str, FieldAnswer]], check: Any,
        enums: Sequence[tuple[str, type[Enum]]] = (),
    ) -> None:  # fmt: skip
        self.build = build
        self.fields = tuple(fields)
        # Each field with what `off_row` says of a natural one, read in the object's own function.
        self.plan = tuple((name, getattr(field, "natural", None), field) for name, field in self.fields)
        self.check = check  # the type's is_type_of, as graphql-core checks each object
        # Not built, its fields read off the row: the enum conversions its builder would make of the row.
        self.enums = tuple(enums)
        self.answer: Callable[[Any, Any, Any, Answering], dict[str, Any]] = _straight_line(self, built=True)
        self.call: Callable[[Any, Any, Answering], dict[str, Any]] = _straight_line(self, built=False)

    def __call__(self, row: Any, project: Any, answering: Answering) -> dict[str, Any]:
        return self.call(row, project, answering)


# What a natural stored value must also satisfy besides its exact type, as an expression of `{value}`.
_FITS_SOURCE = {int: f"{GRAPHQL_MIN_INT} <= {{value}} <= {GRAPHQL_MAX_INT}", float: "isfinite({value})"}


def _straight_line(answer: ObjectAnswer, *, built: bool) -> Callable[..., dict[str, Any]]:
    """The object's answer as one straight-line function, made once per plan: every field read in the
    query's order without a loop or a call per natural field, the object's dict made in one step.

    `built`: the function is given the object already built (`answer(row, project, built, answering)`);
    otherwise it is given the row (`call(row, project, answering)`) and builds the object itself when
    `answer.build` says so, or checks the row's enums as its builder would (a value its enum refuses:
    NotFast, the general path reports it). A natural field (`off_row`) is taken as it is when its value
    is of its type's exact Python type and fits (or stands for its absent value when null); any other
    value, and every other field, goes through the field's own answer. Only this module's names and
    `repr` string literals (response and stored property names) go into the source."""
    namespace: dict[str, Any] = {
        "NotFast": NotFast, "isfinite": math.isfinite, "check": answer.check, "build": answer.build,
    }  # fmt: skip
    if built:
        lines = ["def answer(row, project, built, answering):"]
    else:
        lines = ["def call(row, project, answering):"]
        if answer.build is not None:
            lines.append("    built = build(row)")
        else:
            lines.append("    built = None")
            for i, (stored_name, enum) in enumerate(answer.enums):
                namespace[f"enum_{i}"] = enum
                lines += [
                    f"    stored = row.get({stored_name!r})",
                    "    if stored is not None:",
                    "        try:",
                    f"            enum_{i}(stored)",
                    "        except ValueError:",
                    "            raise NotFast from None",
                ]
    if answer.check is not None and (built or answer.build is not None):
        lines += ["    if built is not None and check(built, None) is not True:", "        raise NotFast"]
    if any(natural is not None and natural.stored is not None for _, natural, _ in answer.plan):
        lines.append("    get = row.get")
    if any(natural is not None and natural.read is not None for _, natural, _ in answer.plan):
        lines += ["    if built is None:", "        raise NotFast"]  # as reading an attribute of None would
    for i, (_, natural, field) in enumerate(answer.plan):
        namespace[f"field_{i}"] = field
        by_field = f"field_{i}(row, project, built, answering)"
        if natural is None:
            lines.append(f"    value_{i} = {by_field}")
            continue
        namespace[f"kind_{i}"] = natural.kind
        if natural.stored is not None:
            lines.append(f"    value_{i} = get({natural.stored!r})")
        else:
            namespace[f"read_{i}"] = natural.read
            lines.append(f"    value_{i} = read_{i}(built)")
        condition = f"type(value_{i}) is not kind_{i}"
        fits = _FITS_SOURCE.get(natural.kind)
        if fits is not None:
            condition += f" or not ({fits.format(value=f'value_{i}')})"
        if natural.when_null is not _NO_SHORTCUT:
            namespace[f"when_null_{i}"] = natural.when_null
            lines += [f"    if value_{i} is None:", f"        value_{i} = when_null_{i}", f"    elif {condition}:"]
        else:
            lines.append(f"    if {condition}:")
        lines.append(f"        value_{i} = {by_field}")
    items = ", ".join(f"{name!r}: value_{i}" for i, (name, _, _) in enumerate(answer.plan))
    lines.append(f"    return {{{items}}}")
    exec(compile("\n".join(lines), "<fast answer>", "exec"), namespace)
    return namespace["answer" if built else "call"]  # type: ignore[no-any-return]


class AbstractAnswer(ObjectAnswer):
    """Objects of an interface: each answered as the object type its built class is (as Strawberry
    resolves an interface's type)."""

    __slots__ = ("by_class",)

    def __init__(self, build: Build, by_class: Mapping[type, ObjectAnswer]) -> None:
        super().__init__(build, (), None)
        self.by_class = by_class
        self.call = self._as_built_class

    def _as_built_class(self, row: Any, project: Any, answering: Answering) -> dict[str, Any]:
        assert self.build is not None
        built = self.build(row)
        concrete = self.by_class.get(type(built))
        if concrete is None:
            raise NotFast
        return concrete.answer(row, project, built, answering)


class Later:
    """A field left for graphql-core: the object type it is asked of, the object its resolver is given
    (`AT_ROOT`: the operation's root value) and the field's nodes in the query."""

    __slots__ = ("details", "parent_type", "source")

    def __init__(self, parent_type: GraphQLObjectType, source: Any, details: Any) -> None:
        self.parent_type = parent_type
        self.source = source
        self.details = details


AT_ROOT = object()


def by_graphql_core(
    parent_type: GraphQLObjectType, field: GraphQLField, details: Any, at_root: bool = False
) -> FieldAnswer | None:
    """A field the plan cannot answer, completed by graphql-core after the rest of the answer (its
    subtree only). None when the field is non-null: an error in it would null its parent, which this
    path has already answered — the whole operation takes the general path instead."""
    if is_non_null_type(field.type):
        return None

    def answer(row: Any, project: Any, built: Any, answering: Answering) -> Any:
        later = Later(parent_type, AT_ROOT if at_root else built, details)
        answering.complete_later(later)
        return later

    return answer


async def complete_later(executor: Any, answer: dict[str, Any]) -> dict[str, Any]:
    """The answer with each `Later` in it replaced by what graphql-core's `execute_field` completes at
    its path (its errors recorded by the executor as graphql-core records them: the field is nullable)."""
    found: list[tuple[Any, Any, Any]] = []  # (container, key, the field's completion)

    def visit(value: Any, path: GraphQLPath | None) -> None:
        items = value.items() if type(value) is dict else enumerate(value)
        for key, item in items:
            kind = type(item)
            if kind is Later:
                source = executor.root_value if item.source is AT_ROOT else item.source
                at = GraphQLPath(path, key, item.parent_type.name)
                found.append((value, key, executor.execute_field(item.parent_type, source, item.details, at, None)))
            elif kind is dict or kind is list:
                visit(item, GraphQLPath(path, key, None))

    visit(answer, None)
    pending = [(container, key, value) for container, key, value in found if executor.is_awaitable(value)]
    for container, key, value in found:
        container[key] = value
    if pending:
        values = await asyncio.gather(*(value for _, _, value in pending))
        for (container, key, _), value in zip(pending, values, strict=True):
            container[key] = value
    return answer


def stored(scalar: StoredScalar, from_row: bool = False) -> FieldAnswer:
    """A stored scalar, read (off the object built from the row; `from_row`: off the row itself) and
    coerced as `schema/execution.py` completes it."""

    def answer(row: Any, project: Any, built: Any, answering: Answering) -> Any:
        value = complete_stored(scalar, row if from_row else built)
        if value is BY_GRAPHQL_CORE:
            raise NotFast
        return value

    read, leaf, nullable = scalar
    natural = _NATURAL.get(leaf)
    if not from_row and type(read) is attrgetter and natural is not None:
        # An attribute of the built object (a dataclass field: always there), taken as it is when natural.
        answer.natural = Natural(None, read, natural[0], None if nullable else _NO_SHORTCUT)  # type: ignore[attr-defined]
    return answer


def stored_scalar(object_type: GraphQLObjectType, name: str) -> StoredScalar | None:
    return stored_scalars(object_type).get(name)


# How a type's builder makes its stored fields from a row (`node.row_fields`), when it is `Node.from_row`.
RowReading = tuple[dict[str, RowField], tuple[tuple[str, type[Enum]], ...]]


def row_reading(object_type: GraphQLObjectType, build: Build | None) -> RowReading | None:
    """How objects of `object_type` made by `build` get their stored fields, when they can be read off
    the row instead (`Node.from_row` builds exactly that class); None: they must be built."""
    cls = getattr(build, "__self__", None)
    if not isinstance(cls, type):
        return None
    reading = row_fields(cls)
    definition = (object_type.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    return reading if getattr(definition, "origin", None) is cls else None


def off_row(object_type: GraphQLObjectType, name: str, reading: RowReading) -> FieldAnswer | None:
    """A stored scalar read off the row as the builder would set it (absent: its default; an enum
    converted), then coerced as `stored` coerces it; None when it is not such a field."""
    scalar = stored_scalar(object_type, name)
    definition = (object_type.fields[name].extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    made = reading[0].get(getattr(definition, "python_name", ""))
    if scalar is None or made is None or getattr(definition, "default_resolver", None) is not getattr:
        return None
    stored_name, enum, absent = made

    def read(row: Any) -> Any:
        value = row.get(stored_name)
        if value is None:
            return absent
        return enum(value) if enum is not None else value

    coerced = stored((read, scalar[1], scalar[2]), from_row=True)
    natural = _NATURAL.get(scalar[1])
    if enum is not None or natural is None:
        return coerced
    kind, fits = natural

    def answer(row: Any, project: Any, built: Any, answering: Answering) -> Any:
        # Most stored values already are what their built-in type serialises them to: as they are.
        value = row.get(stored_name)
        if type(value) is kind and (fits is None or fits(value)):
            return value
        return coerced(row, project, built, answering)

    # A null stored value answers as its absent value does, when that is an answer as it is (and null
    # only where the field may be null); otherwise through `coerced`, which says what is wrong.
    nullable = scalar[2]
    if absent is None:
        when_null: Any = None if nullable else _NO_SHORTCUT
    else:
        when_null = absent if type(absent) is kind and (fits is None or fits(absent)) else _NO_SHORTCUT
    answer.natural = Natural(stored_name, None, kind, when_null)  # type: ignore[attr-defined]  # read by _straight_line
    return answer


_NO_SHORTCUT = object()


class Natural(NamedTuple):
    """A natural stored scalar: where it is read (`stored`: the row's property, by `off_row`; else `read`:
    the built object's attribute, by `stored`), the exact Python type of a value taken as it is, and the
    answer when the value is null (`_NO_SHORTCUT`: through the field's answer)."""

    stored: str | None
    read: Callable[[Any], Any] | None
    kind: type
    when_null: Any


# Built-in scalars whose serialisation returns a value of this exact Python type unchanged (when it fits).
_NATURAL: dict[Any, tuple[type, Callable[[Any], bool] | None]] = {
    GraphQLString: (str, None),
    GraphQLID: (str, None),
    GraphQLBoolean: (bool, None),
    GraphQLInt: (int, lambda value: GRAPHQL_MIN_INT <= value <= GRAPHQL_MAX_INT),
    GraphQLFloat: (float, math.isfinite),
}


def constant(value: str) -> FieldAnswer:
    """`__typename`: the object type's name."""
    return lambda row, project, built, answering: value


def object_answer(
    object_type: GraphQLObjectType, build: Build | None, fields: Sequence[tuple[str, FieldAnswer]], builds: bool,
    reading: RowReading | None = None,
) -> ObjectAnswer | None:  # fmt: skip
    """An object type's answer; `builds`: some field reads the object built from the row; `reading`: its
    fields that read the row do so as its builder would. None: it cannot be built (a wrapper a resolver
    makes, e.g. a project's view of a region, has no stored scalar)."""
    if builds and build is None:
        return None
    if builds:
        return ObjectAnswer(build, fields, object_type.is_type_of)
    return ObjectAnswer(None, fields, None, reading[1] if reading is not None else ())


def _holding(read: Callable[[Any], Any], built: Any, nullable: bool) -> Any:
    """What the object holds for the field: None where the field may be null (NotFast where it may not)."""
    value = read(built)
    if value is None and not nullable:
        raise NotFast
    return value


def held(field: GraphQLField, read: Callable[[Any], Any], inner: ObjectAnswer) -> FieldAnswer:
    """An object (or a list of them) its parent's builder made and holds (a placement's flavors)."""
    many = isinstance(get_nullable_type(field.type), GraphQLList)
    nullable = not is_non_null_type(field.type)

    def answer(row: Any, project: Any, built: Any, answering: Answering) -> Any:
        value = _holding(read, built, nullable)
        if value is None:
            return None
        if not many:
            return inner.answer(None, None, value, answering)
        if type(value) is not list or None in value:  # graphql-core reports what is wrong with it
            raise NotFast
        return [inner.answer(None, None, item, answering) for item in value]

    return answer


def held_scalars(field: GraphQLField, read: Callable[[Any], Any]) -> FieldAnswer | None:
    """A list of scalars its object holds (a network's tags, a provider's support e-mails), each item
    coerced by its type as graphql-core completes a list; None: not such a list."""
    outer = get_nullable_type(field.type)
    if not isinstance(outer, GraphQLList) or not is_leaf_type(get_nullable_type(outer.of_type)):
        return None
    leaf = get_nullable_type(outer.of_type)
    nullable = not is_non_null_type(field.type)
    items_nullable = not is_non_null_type(outer.of_type)

    def answer(row: Any, project: Any, built: Any, answering: Answering) -> Any:
        value = _holding(read, built, nullable)
        if value is None:
            return None
        if type(value) is not list:  # graphql-core takes any iterable, and says what is wrong with the rest
            raise NotFast
        items: list[Any] = []
        for item in value:
            if item is None:
                if not items_nullable:
                    raise NotFast
                items.append(None)
                continue
            try:
                coerced = leaf.coerce_output_value(item)
            except Exception:  # the general path reports it at the item's path
                raise NotFast from None
            if coerced is None or coerced is Undefined:
                raise NotFast
            items.append(coerced)
        return items

    return answer


def part(key: str | None, inner: ObjectAnswer) -> FieldAnswer:
    """An object built from the row itself (key None) or from the row's `key`."""

    def answer(row: Any, project: Any, built: Any, answering: Answering) -> Any:
        sub = row if key is None else row.get(key)
        if sub is None:  # its builder would fail on it: the general path reports how
            raise NotFast
        return inner(sub, project, answering)

    return answer


def walked(site: object, reach: ByWalk, field: GraphQLField, inner: ObjectAnswer) -> FieldAnswer:
    """The rows a walk reached from the object's key (a list, or the first row)."""
    many = isinstance(get_nullable_type(field.type), GraphQLList)
    nullable = not is_non_null_type(field.type)
    pair_with = reach.pair_with
    sets_project = reach.sets_project
    each = inner.call

    def answer(row: Any, project: Any, built: Any, answering: Answering) -> Any:
        uid = row.get("uid")
        if uid is None:
            raise NotFast
        rows: Sequence[Any] | None = answering.below(site, row)
        if rows is None:
            key = uid if pair_with is None else pair(project=project, **{pair_with: uid})  # as its resolver keys it
            rows = answering.found(site).get(key, ())
        if len(rows) > walks.NESTED_LIST_MAX:  # its loader refuses it, naming the field (read now, as it does)
            raise NotFast
        # The project its rows are seen by: this key, when the walk sets it; the key's, when it pairs.
        below = uid if sets_project else project if pair_with is not None else None
        if many:
            return [each(r, below, answering) for r in rows]
        return _first(rows, below, inner, nullable, answering)

    return answer


def looked_up(site: object, field: GraphQLField, inner: ObjectAnswer) -> FieldAnswer:
    """A root lookup (by id, a user group by name): the first row read for its key, or null."""
    nullable = not is_non_null_type(field.type)

    def answer(row: Any, project: Any, built: Any, answering: Answering) -> Any:
        rows = answering.found(site).get(freeze(answering.root_key(site)), ())
        return _first(rows, None, inner, nullable, answering)

    return answer


def _first(rows: Sequence[Any], project: Any, inner: ObjectAnswer, nullable: bool, answering: Answering) -> Any:
    """A single object's field (`walk_node`): its first row, or null where the field may be null."""
    if rows:
        return inner(rows[0], project, answering)
    if nullable:
        return None
    raise NotFast


# A root page's connection: what each of its fields is, from the page.
PageAnswer = Callable[[Page, Answering], Any]


def paged(site: object, fields: Sequence[tuple[str, PageAnswer]]) -> FieldAnswer:
    answers = tuple(fields)

    def answer(row: Any, project: Any, built: Any, answering: Answering) -> Any:
        page = answering.page(site)
        return {name: field(page, answering) for name, field in answers}

    return answer


def page_field(connection: GraphQLObjectType, name: str, below: Any) -> PageAnswer | None:
    """One field of a page's connection; `below`: its sub-selection's answer (the node's object answer;
    the page info's fields as (response name, field name); the edge's as (response name, (field name,
    the node's answer))). None: not a field this path knows, or a sub-selection it cannot answer."""
    if name == "__typename":
        type_name = connection.name
        return lambda page, answering: type_name
    if name == "totalCount":
        return lambda page, answering: page.total
    if name == "nodes":
        node: ObjectAnswer | None = below
        if node is None:
            return None
        return lambda page, answering: [node(r, None, answering) for r in page.rows]
    if name == "pageInfo":
        info: Sequence[tuple[str, str]] | None = below
        if info is None:
            return None

        info_type = get_named_type(connection.fields["pageInfo"].type).name

        def page_info(page: Page, answering: Answering) -> dict[str, Any]:
            values = {
                "hasNextPage": page.has_next,
                "endCursor": page.cursors[-1] if page.cursors else None,
                "__typename": info_type,
            }
            return {alias: values[field] for alias, field in info}

        return page_info
    if name == "edges":
        # (response name, (field name, the node's answer for a `node`))
        edge_fields: Sequence[tuple[str, tuple[str, ObjectAnswer | None]]] | None = below
        if edge_fields is None:
            return None
        edge_type = get_named_type(connection.fields["edges"].type).name

        def edges(page: Page, answering: Answering) -> list[dict[str, Any]]:
            out = []
            for r, cursor in zip(page.rows, page.cursors, strict=True):
                item: dict[str, Any] = {}
                for alias, (field, node) in edge_fields:
                    if node is not None:
                        item[alias] = node(r, None, answering)
                    else:
                        item[alias] = cursor if field == "cursor" else edge_type
                out.append(item)
            return out

        return edges
    return None


def page_of(query: PageQuery, value: Mapping[str, Any]) -> Page:
    """The page a root list's read returned, as its resolver makes it."""
    return query.page(value["found"][0][1], value["total"])
