"""The executor's shortcut for stored scalars answers exactly as graphql-core would, errors included."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from enum import Enum
from typing import Any

import strawberry

from schema.execution import FederationExecution, stored_scalars


@strawberry.enum
class Colour(Enum):
    RED = "red"


@strawberry.type
class Item:
    name: str
    note: str | None = None
    colour: Colour | None = None
    seen: dt.datetime | None = None
    count: int = 0

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()

    @strawberry.field
    async def later(self) -> int:
        return self.count + 1


def _items() -> list[Item]:
    return [
        Item(name="a", note="n", colour=Colour.RED, seen=dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC), count=3),
        Item(name=None, count=1),  # type: ignore[arg-type] - a stored row missing a required property
        Item(name="c", count="many"),  # type: ignore[arg-type] - a value its type refuses
    ]


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item | None]:
        return list(_items())

    @strawberry.field
    def valid(self) -> list[Item]:
        return [_items()[0], Item(name="b")]


QUERY = "{ items { name shout note colour later seen count } }"


def _execute(execution: type[Any] | None, query: str = QUERY) -> tuple[Any, list[tuple[str, tuple[Any, ...]]]]:
    schema = strawberry.Schema(query=Query, execution_context_class=execution)
    result = asyncio.run(schema.execute(query))
    return result.data, sorted((e.message, tuple(e.path or ())) for e in result.errors or [])


def test_stored_scalars_answer_like_graphql_core() -> None:
    # given the same schema executed by graphql-core's executor and by ours
    # when a list holds a complete item, one missing a required scalar and one with an invalid value
    ours = _execute(FederationExecution)
    theirs = _execute(None)

    # then data and errors (message and path) are identical: the invalid items are null, with errors;
    # fields come in the query's order, stored scalars and resolved fields interleaved
    assert ours == theirs
    data, errors = ours
    assert list(data["items"][0].items()) == [
        ("name", "a"), ("shout", "A"), ("note", "n"), ("colour", "RED"), ("later", 4),
        ("seen", "2026-01-02T03:04:05+00:00"), ("count", 3),
    ]  # fmt: skip
    assert data["items"][1] is None and data["items"][2] is None
    assert [path for _, path in errors] == [("items", 1, "name"), ("items", 2, "count")]


def test_lists_of_stored_scalars_answer_like_graphql_core() -> None:
    # given lists whose items the query asks stored scalars of only: valid ones, with nulls where
    # the type allows them, and items that need graphql-core to report an error
    for query in (
        "{ valid { count name note colour seen } }",
        "{ items { name note colour seen count } }",
        "{ valid { name n2: name ... on Item { count } } items { name count } }",
        "{ valid { name @include(if: false) count } }",
        "{ __typename valid { __typename name } items { __typename t: __typename count } }",
    ):
        # when our executor and graphql-core's answer it
        ours, theirs = _execute(FederationExecution, query), _execute(None, query)

        # then data (with its order) and errors are the same
        assert ours == theirs, query
        assert json.dumps(ours[0]) == json.dumps(theirs[0]), query  # the same order too
    assert _execute(FederationExecution, "{ valid { note } }")[0] == {"valid": [{"note": "n"}, {"note": None}]}


def test_only_argument_free_stored_scalars_take_the_shortcut() -> None:
    schema = strawberry.Schema(query=Query)
    item = schema._schema.type_map["Item"]

    assert set(stored_scalars(item)) == {"name", "note", "colour", "seen", "count", "__typename"}  # not resolvers


# ------------------------------------------------------------------------------ filters from GraphQL input


def _sample(graphql_type: Any) -> Any:
    """A JSON input value for every field of `graphql_type` (a filter, as a client could send it)."""
    from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLList, get_nullable_type

    kind = get_nullable_type(graphql_type)
    if isinstance(kind, GraphQLList):
        return [_sample(kind.of_type)]
    if isinstance(kind, GraphQLInputObjectType):
        return {name: _sample(f.type) for name, f in kind.fields.items()}
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    return {"Int": 2, "Boolean": True, "Date": "2026-01-02", "Float": 1.5, "Duration": "PT6H"}.get(kind.name, "x")


def test_filters_built_from_input_equal_strawberrys_own() -> None:
    from graphql import coerce_input_value
    from strawberry.types.arguments import convert_argument

    from schema import filters
    from schema.root import schema

    every: list[type] = []
    pending: list[type] = [filters.Filter]
    while pending:
        subclasses = pending.pop().__subclasses__()
        every += subclasses
        pending += subclasses
    in_schema = [cls for cls in every if cls.__strawberry_definition__.name in schema._schema.type_map]  # type: ignore[attr-defined]
    assert len(in_schema) == len(every) - 1  # all but the base of node filters, FreshFilter
    for cls in in_schema:
        # given a filter with every field set, coerced by graphql-core as a request's argument would be
        definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
        graphql_type = schema._schema.type_map[definition.name]
        sample = _sample(graphql_type)
        for f in definition.fields:  # a dotted version filter takes only dotted numbers
            if f.metadata.get("dotted_version"):
                sample[schema.config.name_converter.from_field(f)] = "12.4"
        value = coerce_input_value(sample, graphql_type)

        # when it is built by our hook and by Strawberry's generic conversion
        ours = convert_argument(value, cls, schema.schema_converter.scalar_registry, schema.config)
        hook, definition.from_input = definition.from_input, None
        try:
            theirs = convert_argument(value, cls, schema.schema_converter.scalar_registry, schema.config)
        finally:
            definition.from_input = hook

        # then both are the same filter, and compile to the same Cypher mapping
        assert hook is not None
        assert ours == theirs, cls.__name__
        assert ours.where() == theirs.where(), cls.__name__  # type: ignore[attr-defined]
        assert set(ours.where()) == {f.python_name for f in definition.fields}, cls.__name__  # type: ignore[attr-defined]
