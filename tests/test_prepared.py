"""A query asked again runs as a prepared operation, past Strawberry's per-request pipeline, and answers
exactly what the pipeline answers: data, errors (coded, masked, logged), the cost in `extensions`, the
operation noted in the request's record, the properties its walks read. What must take the pipeline
(introspection, mutations, invalid documents, requests with extensions of their own, GET where queries
are turned off) is never kept."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import httpx
import pytest
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from registry.app import create_app
from registry.database import open_database
from registry.settings import Settings
from resolvers.context import RequestContext
from resolvers.db import Database
from resolvers.federation_file import FederationFile
from resolvers.visibility import Scope
from schema.request_record import RECORD, RequestRecord
from schema.root import build_schema
from tests.conftest import QUERIES, Issuer, _free_port, read_statements

ML_INFN = Scope(may_read=True, issuer="https://iam.cloud.infn.it/", groups=("ml-infn",))
QUERY = """
query Flavors($first: Int!, $minGpus: Int!) {
  flavors(first: $first, where: { gpusMin: $minGpus }) { totalCount nodes { name gpus } }
}
query Group($name: String!, $issuer: String!) {
  userGroup(name: $name, issuer: $issuer) { name slas { docUuid startDate projects { name } } }
}
"""
GROUP = {"name": "ml-infn", "issuer": "https://iam.cloud.infn.it/"}


async def _ask(
    schema: Any, database: Database, query: str, variables: Any = None, operation: str | None = None, **kw: Any
) -> tuple[str, RequestContext, RequestRecord]:
    """The answer as the HTTP layer would send it (data, errors, extensions), the context and the record."""
    context = RequestContext(database=database, scope=kw.pop("scope", ML_INFN))
    record = RequestRecord()
    token = RECORD.set(record)
    try:
        result = await schema.execute(query, variables, context_value=context, operation_name=operation, **kw)
    finally:
        RECORD.reset(token)
    answer = {
        "data": result.data,
        "errors": [error.formatted for error in result.errors or []],
        "extensions": result.extensions,
    }
    return json.dumps(answer), context, record


class _Pipeline:
    """Fails the test if the schema's pipeline (its extensions) runs."""

    def __init__(self, schema: Any) -> None:
        self.schema = schema

    def __enter__(self) -> None:
        def refuse(*args: Any, **kwargs: Any) -> Any:
            pytest.fail("the pipeline ran for a prepared operation")

        self.schema.get_extensions = refuse

    def __exit__(self, *exc: object) -> None:
        del self.schema.get_extensions


ASKED_AGAIN = [
    pytest.param(QUERY, {"first": 3, "minGpus": 0}, "Flavors", id="a page"),
    pytest.param(QUERY, GROUP, "Group", id="the other operation of the same document"),
    pytest.param(QUERY, {"first": "three", "minGpus": 0}, "Flavors", id="a variable of the wrong type"),
    pytest.param(QUERY, {"minGpus": 0}, "Flavors", id="a variable missing"),
    pytest.param(QUERY, {"first": -1, "minGpus": 0}, "Flavors", id="a refusal coded by the resolver"),
    pytest.param("{ flavors(first: 2) { nodes { name } } }", None, None, id="unnamed"),
    pytest.param("query One { regions { nodes { name } } }", None, None, id="named in the document only"),
    pytest.param(
        "query ($id: ID!) { node(id: $id) { __typename ... on Flavor { name } } }",
        {"id": "nope"},
        None,
        id="a lookup finding nothing",
    ),
]


@pytest.mark.parametrize(("query", "variables", "operation"), ASKED_AGAIN)
async def test_asked_again_a_query_answers_as_the_pipeline_does_without_it(
    database: Database, example_federation: FederationFile, query: str, variables: Any, operation: str | None
) -> None:
    prepared = build_schema()
    pipeline = build_schema(prepared_operations=False)
    # given a query the schema has run once, on its pipeline
    first, _, _ = await _ask(prepared, database, query, variables, operation)
    assert prepared.prepared.get(query, operation) is not None

    # when it is asked again (the pipeline would fail the test)
    with _Pipeline(prepared):
        again, context, record = await _ask(prepared, database, query, variables, operation)
    expected, expected_context, expected_record = await _ask(pipeline, database, query, variables, operation)

    # then the answer, what its walks read and the request's record are the pipeline's
    assert again == expected == first
    assert context.properties == expected_context.properties
    assert (record.operation, record.operation_type) == (expected_record.operation, expected_record.operation_type)
    assert record.operation_type == "query"


async def test_the_cost_is_worked_out_again_for_each_request(
    database: Database, example_federation: FederationFile
) -> None:
    prepared = build_schema(cost_limit=50)
    pipeline = build_schema(cost_limit=50, prepared_operations=False)
    query = "query ($n: Int!) { flavors(first: $n) { nodes { name } } }"
    # given a query kept with a small page (cost 6)
    small, _, _ = await _ask(prepared, database, query, {"n": 3})
    assert json.loads(small)["extensions"] == {"cost": {"requested": 6, "limit": 50}}
    # when it is asked again with a page over the limit, and then with the small one
    with _Pipeline(prepared):
        large, _, _ = await _ask(prepared, database, query, {"n": 100})
        small_again, _, _ = await _ask(prepared, database, query, {"n": 3})
    # then the large one is refused as the pipeline refuses it, and the small one answered again
    assert large == (await _ask(pipeline, database, query, {"n": 100}))[0]
    assert [e["extensions"]["code"] for e in json.loads(large)["errors"]] == ["QUERY_TOO_COSTLY"]
    assert small_again == small


async def test_an_outage_is_masked_as_the_pipeline_masks_it(settings: Settings) -> None:
    # given a database nobody answers at
    database = open_database(settings.model_copy(update={"neo4j_uri": f"bolt://127.0.0.1:{_free_port()}"}))
    prepared = build_schema()
    pipeline = build_schema(prepared_operations=False)
    query = "{ providers { nodes { name } } }"
    try:
        await _ask(prepared, database, query)
        # when a query asked before is asked again
        with _Pipeline(prepared):
            again, _, _ = await _ask(prepared, database, query)
        expected, _, _ = await _ask(pipeline, database, query)
    finally:
        await database.close()

    # then it is answered SERVICE_UNAVAILABLE, as on the pipeline, no driver message told
    assert again == expected
    assert [e["extensions"]["code"] for e in json.loads(again)["errors"]] == ["SERVICE_UNAVAILABLE"]


async def test_an_error_raised_out_of_execution_is_masked_on_both_paths(
    database: Database, example_federation: FederationFile
) -> None:
    # given variables graphql-core cannot read (not an object: the HTTP view refuses them, a direct caller
    # may not), which make its execution raise rather than answer an error
    query = "query ($a: Boolean!) { __typename @include(if: $a) }"
    for schema in (build_schema(), build_schema(prepared_operations=False)):
        await _ask(schema, database, query, {"a": True})  # kept, where the schema keeps queries
        # when they are sent
        answer, _, _ = await _ask(schema, database, query, ["not", "an", "object"])
        # then the failure is told as unexpected, not by the exception's own message
        assert [(e["message"], e["extensions"]["code"]) for e in json.loads(answer)["errors"]] == [
            ("Unexpected error.", "INTERNAL_SERVER_ERROR")
        ]


NEVER_KEPT = [
    pytest.param("{ __schema { queryType { name } } }", {}, id="introspection"),
    pytest.param('{ __type(name: "Flavor") { name } }', {}, id="a type's introspection"),
    pytest.param("{ flavors { nodes { nope } } }", {}, id="an invalid document"),
    pytest.param("{ flavors { nodes { name } }", {}, id="a syntax error"),
    pytest.param('mutation { deleteRegion(id: "x") }', {}, id="a mutation"),
    pytest.param("{ flavors { totalCount } }", {"operation_extensions": {"persistedQuery": {}}}, id="extensions"),
    pytest.param(
        "{ flavors { totalCount } }", {"allowed_operation_types": {OperationType.MUTATION}}, id="queries not allowed"
    ),
]


@pytest.mark.parametrize(("query", "how"), NEVER_KEPT)
async def test_what_depends_on_more_than_the_text_is_never_kept(
    database: Database, example_federation: FederationFile, query: str, how: dict[str, Any]
) -> None:
    prepared = build_schema()
    for _ in range(2):
        # Strawberry raises for an operation type the request may not run
        with contextlib.suppress(InvalidOperationTypeError):
            await _ask(prepared, database, query, **how)
    assert prepared.prepared.get(query, None) is None


async def test_introspection_is_refused_to_an_anonymous_caller_however_often_asked(
    database: Database, example_federation: FederationFile
) -> None:
    # given a schema that lets only authenticated callers introspect, and a member's introspection
    schema = build_schema(introspection="authenticated")
    query = "{ __schema { queryType { name } } }"
    for _ in range(2):
        member, _, _ = await _ask(schema, database, query)
        assert json.loads(member)["errors"] == []
    # when an anonymous caller asks the same text
    anonymous, _, _ = await _ask(schema, database, query, scope=Scope.anonymous_caller())
    # then it is refused
    assert [e["extensions"]["code"] for e in json.loads(anonymous)["errors"]] == ["GRAPHQL_VALIDATION_FAILED"]


async def test_the_prepared_queries_are_bounded(database: Database, example_federation: FederationFile) -> None:
    prepared = build_schema()
    assert prepared.prepared is not None
    prepared.prepared.size = 3
    texts = [f"{{ flavors(first: {n}) {{ totalCount }} }}" for n in range(1, 6)]
    for text in texts:
        await _ask(prepared, database, text)
    assert [prepared.prepared.get(text, None) is not None for text in texts] == [False, False, True, True, True]


async def test_over_http_a_query_asked_again_is_answered_byte_for_byte_as_the_first_time(
    settings: Settings, issuer: Issuer, example_federation: FederationFile
) -> None:
    # given the service, and a member of ml-infn asking the shipped matchmaking query
    app = create_app(settings)
    query = (QUERIES / "1-matchmaking.graphql").read_text()
    variables = json.loads((QUERIES / "1-matchmaking.json").read_text())
    headers = {"Authorization": f"Bearer {issuer.token('ml-infn')}"}
    asks = [
        {"json": {"query": query, "variables": variables}},
        {"json": {"query": query, "variables": {**variables, "group": 7}}},  # refused: a variable's type
    ]
    get = {"params": {"query": query, "variables": json.dumps(variables)}}
    statements: list[float] = []
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        for ask in asks:
            # when it is asked twice with POST, the second time as a prepared operation
            first = await http.post("/graphql", headers=headers, **ask)
            before = read_statements()
            again = await http.post("/graphql", headers=headers, **ask)
            statements.append(read_statements() - before)
            # then the status, the type and the body are the same
            assert (again.status_code, again.headers["content-type"], again.content) == (
                first.status_code, first.headers["content-type"], first.content,
            )  # fmt: skip
        # and a GET of the same query (kept by its POST) is answered as the POST was
        by_get = await http.get("/graphql", headers=headers, **get)  # type: ignore[arg-type]
        by_post = await http.post("/graphql", headers=headers, **asks[0])
    assert by_get.status_code == 200 and by_get.content == by_post.content
    graphql = app.graphql_route.app  # type: ignore[attr-defined]
    assert graphql.schema.prepared.get(query, None) is not None
    assert json.loads(first.content)["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    # one statement for the answer asked again, none for the refused one
    assert statements == [1, 0]
