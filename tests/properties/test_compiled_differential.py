"""The compiled path answers exactly what the general path answers: both its ways of completing an
answer (straight from the statement's rows, `schema/fast_answers.py`; graphql-core over the primed
loaders) against the resolvers reading level by level. Answers are compared as JSON text: types
(`true` is not `1`) and the order of keys and of list items count.

Hypothesis makes random federations, random callers and random queries over the whole read schema
(random selections, aliases, inline and named fragments on object and interface types, `__typename`,
@skip/@include with variables, filters, pages, orderings, nesting; half of them deep, an object field at
every level, so that walks hang below walks): data and errors must be equal, also when a small
statement budget leaves most reads to their resolvers.
"""

from __future__ import annotations

import itertools
import json
import os
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    get_named_type,
    get_nullable_type,
    is_leaf_type,
)
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from resolvers.context import RequestContext
from resolvers.db import Database
from resolvers.visibility import Scope
from schema.root import build_schema
from tests.conftest import replace_graph
from tests.federations import GROUP, ISSUER, federations

COMPILED = build_schema()
LOADERS = build_schema(answers_from_rows=False)  # compiled, completed by graphql-core over primed loaders
# The general path on Strawberry's whole pipeline every time: not a prepared operation when asked again.
GENERAL = build_schema(compiled_reads=False, prepared_operations=False)
SCHEMA = COMPILED._schema
MAX_DEPTH = 5
# Federations per run (4 queries each); DIFFERENTIAL_EXAMPLES=200 searches longer than the suite does.
EXAMPLES = int(os.environ.get("DIFFERENTIAL_EXAMPLES", "8"))
NO_SHRINKING = (
    Phase.explicit,
    Phase.reuse,
    Phase.generate,
)  # object levels below the root (a page's edges and node count)

CALLERS = {
    "anonymous": Scope.anonymous_caller(),
    "member": Scope(may_read=True, issuer=ISSUER, groups=(GROUP,)),
    "other group": Scope(may_read=True, issuer=ISSUER, groups=("someone/else",)),
    "no group": Scope(may_read=True, issuer=ISSUER),
    "admin": Scope(admin=True, may_read=True),
}
WORDS = ["flavor0", "flavor1", "r0", "r1", "P0", "P1", "net0", "image1", "project0", GROUP, "A100", "a", ""]


class Query:
    """One query being drawn: its variables and named fragments."""

    def __init__(self, draw: st.DrawFn, ids: list[str], deep: bool = False) -> None:
        self.draw = draw
        self.ids = ids
        # Deep: at least one object field at each level above the last, so that walks hang below walks
        # (the compiled statement reads those inside their parent's rows).
        self.deep = deep
        self.variables: dict[str, Any] = {}
        self.declarations: list[str] = []
        self.fragments: list[str] = []
        self.counter = itertools.count()

    def variable(self, graphql_type: str, value: Any) -> str:
        name = f"v{next(self.counter)}"
        self.variables[name] = value
        self.declarations.append(f"${name}: {graphql_type}")
        return f"${name}"

    def value(self, input_type: Any) -> str | None:
        """A literal (or variable) of the input type, or None to leave it out."""
        draw = self.draw
        nullable = get_nullable_type(input_type)
        if isinstance(nullable, GraphQLList):
            item = self.value(nullable.of_type)
            return None if item is None else f"[{item}]"
        if isinstance(nullable, GraphQLEnumType):
            return draw(st.sampled_from(list(nullable.values)))
        if isinstance(nullable, GraphQLInputObjectType):
            return None  # nested inputs (a user group reference) are left out
        assert isinstance(nullable, GraphQLScalarType)
        name = nullable.name
        if name == "Boolean":
            if draw(st.booleans()):
                return self.variable("Boolean!", draw(st.booleans()))
            return draw(st.sampled_from(["true", "false"]))
        if name == "Int":
            return str(draw(st.integers(0, 4)))
        if name == "ID":
            return '"' + draw(st.sampled_from([*self.ids[:5], "no-such-id"])) + '"'
        if name == "Date":
            return draw(st.sampled_from(['"2025-06-01"', '"2040-01-01"']))
        if name == "Duration":
            return draw(st.sampled_from(['"P1D"', '"PT6H"']))
        if name == "String":
            return '"' + draw(st.sampled_from(WORDS)) + '"'
        return None

    def arguments(self, field: GraphQLField) -> str:
        draw = self.draw
        given: list[str] = []
        for name, argument in field.args.items():
            required = isinstance(argument.type, GraphQLNonNull)
            named = get_named_type(argument.type)
            if name == "name" and required:
                given.append(f'name: "{GROUP}"')
            elif name == "issuer" and required:
                given.append(f'issuer: "{ISSUER}"')
            elif name == "id":
                given.append(f"id: {self.variable('ID!', draw(st.sampled_from([*self.ids, 'no-such-id'])))}")
            elif name == "first" and draw(st.booleans()):
                given.append(f"first: {draw(st.integers(0, 6))}")
            elif name == "orderBy" and isinstance(named, GraphQLInputObjectType) and draw(st.booleans()):
                sort_field = get_named_type(named.fields["field"].type)
                assert isinstance(sort_field, GraphQLEnumType)
                direction = draw(st.sampled_from(["ASC", "DESC"]))
                given.append(
                    f"orderBy: {{field: {draw(st.sampled_from(list(sort_field.values)))}, direction: {direction}}}"
                )
            elif name == "where" and isinstance(named, GraphQLInputObjectType) and draw(st.integers(0, 2)) == 0:
                chosen = draw(st.lists(st.sampled_from(sorted(named.fields)), min_size=1, max_size=2, unique=True))
                parts = [f"{f}: {v}" for f in chosen if (v := self.value(named.fields[f].type)) is not None]
                if parts:
                    given.append(f"where: {{{', '.join(parts)}}}")
        return f"({', '.join(given)})" if given else ""

    def selection(self, parent: GraphQLObjectType | GraphQLInterfaceType, depth: int) -> str:
        draw = self.draw
        names = sorted(parent.fields)
        if depth >= MAX_DEPTH:  # leaves only
            names = [n for n in names if is_leaf_type(get_named_type(parent.fields[n].type))]
        if not names:  # only objects below (a deployment target): their type's name is all it can say
            return "__typename"
        chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=4))  # repeats merge or alias
        if self.deep:  # one object field or two (as it goes deeper, one), a leaf or two, none repeated
            objects = [
                n
                for n in names
                if not is_leaf_type(get_named_type(parent.fields[n].type)) and _askable(parent.fields[n])
            ]
            leaves = [n for n in names if n not in objects]
            if objects:
                below = draw(
                    st.lists(st.sampled_from(objects), min_size=1, max_size=2 if depth < 3 else 1, unique=True)
                )
                chosen = (
                    [*below, *draw(st.lists(st.sampled_from(leaves), max_size=2, unique=True))] if leaves else below
                )
        parts = []
        for name in chosen:
            field = parent.fields[name]
            named = get_named_type(field.type)
            alias = f"x{next(self.counter)}: " if draw(st.integers(0, 3)) == 0 else ""
            head = f"{alias}{name}{self.arguments(field)}"
            body = ""
            if not is_leaf_type(named):
                assert isinstance(named, (GraphQLObjectType, GraphQLInterfaceType))
                body = f" {{ {self.object_selection(named, depth + 1)} }}"
            parts.append(self.decorate(head, body))
        return " ".join(parts)

    def object_selection(self, named: GraphQLObjectType | GraphQLInterfaceType, depth: int) -> str:
        draw = self.draw
        parts = [self.selection(named, depth)]
        if isinstance(named, GraphQLInterfaceType):  # fragments on what the interface may be
            for possible in draw(st.lists(st.sampled_from(SCHEMA.get_possible_types(named)), max_size=2, unique=True)):
                parts.append(f"... on {possible.name} {{ {self.selection(possible, depth)} }}")
        node = SCHEMA.get_type("Node")
        if isinstance(named, GraphQLObjectType) and node in named.interfaces and draw(st.integers(0, 3)) == 0:
            parts.append("... on Node { id __typename }")
        if draw(st.integers(0, 4)) == 0:
            fragment = f"F{next(self.counter)}"
            self.fragments.append(f"fragment {fragment} on {named.name} {{ {self.selection(named, depth)} }}")
            parts.append(f"...{fragment}")
        if draw(st.integers(0, 5)) == 0:
            parts.append("__typename")
        return " ".join(parts)

    def decorate(self, head: str, body: str) -> str:
        """A field (`head`: its name and arguments; `body`: its selection set), sometimes under
        @skip/@include (by a variable or a literal): a directive goes before the selection set."""
        choice = self.draw(st.integers(0, 7))
        if choice == 0:
            return f"{head} @include(if: {self.variable('Boolean!', self.draw(st.booleans()))}){body}"
        if choice == 1:
            return f"{head} @skip(if: {self.variable('Boolean!', self.draw(st.booleans()))}){body}"
        if choice == 2:
            return f"... @include(if: {self.draw(st.sampled_from(['true', 'false']))}) {{ {head}{body} }}"
        return head + body

    def document(self) -> str:
        query_type = SCHEMA.query_type
        assert query_type is not None
        # `node(id:)` is the named fallback (its resolver asks every kind's lookup, one statement of its own):
        # planned in the compiled statement, a kind's subquery each, many aliases of it took Neo4j longer to
        # plan than a request may last.
        roots = sorted(set(query_type.fields) - {"node"})
        chosen = self.draw(st.lists(st.sampled_from(roots), min_size=1, max_size=2, unique=True))
        parts = []
        for name in chosen:
            field = query_type.fields[name]
            named = get_named_type(field.type)
            assert isinstance(named, (GraphQLObjectType, GraphQLInterfaceType))
            alias = f"r{next(self.counter)}: "
            parts.append(f"{alias}{name}{self.arguments(field)} {{ {self.object_selection(named, 1)} }}")
        declared = f"({', '.join(self.declarations)})" if self.declarations else ""
        return f"query Random{declared} {{ {' '.join(parts)} }}\n" + "\n".join(self.fragments)


def _askable(field: GraphQLField) -> bool:
    """Whether the generator fills every argument the field requires (not a placement's request)."""
    return all(
        name in ("name", "issuer", "id") or not isinstance(argument.type, GraphQLNonNull)
        for name, argument in field.args.items()
    )


def _data(result: Any) -> str:
    return json.dumps(result.data)


def _errors(result: Any) -> list[tuple[str, str, Any]]:
    return sorted((e.message, repr(e.path), repr(e.extensions)) for e in result.errors or [])


# The compiled path is held to one statement here (however many subqueries it holds); the budget that
# leaves reads past it to their resolvers (`tests/test_statement_budget.py`) is checked with a small one.
UNBOUNDED = 10**9
SMALL_BUDGET = 6


async def _answer(
    schema: Any, query: str, variables: dict[str, Any], scope: Scope, database: Database, budget: int = UNBOUNDED
) -> Any:
    context = RequestContext(database=database, scope=scope, statement_subqueries_max=budget)
    result = await schema.execute(query, variables, context_value=context)
    return result, context.statements


# Shrinking a failure of this size takes minutes: the failing query, caller and variables are printed as drawn.
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), phases=NO_SHRINKING)
@given(federation=federations(max_providers=2), data=st.data())
async def test_the_compiled_path_answers_as_the_general_path(database: Database, federation: Any, data: Any) -> None:
    # given a random federation
    await replace_graph(database, federation)
    ids = [r["uid"] for r in await database.read("MATCH (n) RETURN n.uid AS uid ORDER BY uid LIMIT 40", {})]
    for _ in range(4):
        # when a random caller asks a random query, on the compiled path and on the general path
        scope = CALLERS[data.draw(st.sampled_from(sorted(CALLERS)), label="caller")]
        query = Query(data.draw, ids, deep=data.draw(st.booleans(), label="deep"))
        text = query.document()
        data.draw(st.just(text), label="query")
        data.draw(st.just(query.variables), label="variables")
        compiled, compiled_statements = await _answer(COMPILED, text, query.variables, scope, database)
        assert not any("Syntax Error" in error.message for error in compiled.errors or []), (
            "the query drawn is not GraphQL"
        )
        loaders, loaders_statements = await _answer(LOADERS, text, query.variables, scope, database)
        general, _ = await _answer(GENERAL, text, query.variables, scope, database)
        budgeted, _ = await _answer(COMPILED, text, query.variables, scope, database, SMALL_BUDGET)

        # then the data and the errors are the same (with a statement cut short by a small budget too),
        # and the compiled path sent at most one statement (none when the query is refused before it
        # runs), answering from the rows or not
        assert _data(compiled) == _data(loaders) == _data(general) == _data(budgeted)
        assert _errors(compiled) == _errors(loaders) == _errors(general) == _errors(budgeted)
        assert compiled_statements <= 1
        assert loaders_statements <= 1

        # and asked again by a random caller, the compiled path binding the plan cached for this query,
        # as a prepared operation (`schema/prepared.py`): the same holds, the cost reported too
        other = CALLERS[data.draw(st.sampled_from(sorted(CALLERS)), label="second caller")]
        again, again_statements = await _answer(COMPILED, text, query.variables, other, database)
        general_again, _ = await _answer(GENERAL, text, query.variables, other, database)
        assert _data(again) == _data(general_again)
        assert _errors(again) == _errors(general_again)
        assert again.extensions == general_again.extensions
        assert again_statements <= 1
