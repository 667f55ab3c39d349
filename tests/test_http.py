"""The HTTP surface: probes, metrics, GraphiQL only in development, and clear errors for bad requests."""

from __future__ import annotations

import httpx

from registry.app import create_app
from registry.settings import Settings
from resolvers.federation_file import FederationFile
from tests.graphql_client import ask, ask_for_errors


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200, ready.text


async def test_readiness_fails_while_neo4j_is_unreachable() -> None:
    # given an app pointed at a port where no Neo4j listens
    app = create_app(Settings(neo4j_uri="bolt://127.0.0.1:9", environment="production"))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        # then it is alive but not ready
        assert (await http.get("/healthz")).status_code == 200
        assert (await http.get("/readyz")).status_code == 503


async def test_metrics_count_statements_and_time_requests(
    client: httpx.AsyncClient, example_federation: FederationFile
) -> None:
    await ask(client, "{ providers { totalCount } }")

    text = (await client.get("/metrics")).text

    assert 'registry_cypher_statements_total{access="read"}' in text
    assert 'registry_http_request_duration_seconds_count{method="POST",route="/graphql"}' in text


async def test_graphiql_only_in_development(settings: Settings) -> None:
    for environment, expected in (("development", 200), ("production", 404)):
        app = create_app(settings.model_copy(update={"environment": environment}))
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://t") as http,
        ):
            page = await http.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code == expected, environment
        if expected == 200:
            assert "graphiql" in page.text.lower()


async def test_page_size_over_the_maximum_names_the_argument(
    client: httpx.AsyncClient, example_federation: FederationFile
) -> None:
    [error] = await ask_for_errors(client, "{ flavors(first: 500) { totalCount } }")

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}
    assert error["message"] == "first: must be between 0 and 100"


async def test_a_forged_cursor_is_refused(client: httpx.AsyncClient, example_federation: FederationFile) -> None:
    [error] = await ask_for_errors(client, '{ flavors(after: "not-a-cursor") { totalCount } }')

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}


async def test_queries_deeper_than_the_limit_are_refused(client: httpx.AsyncClient) -> None:
    nested = "{ providers { nodes { " + "regions { provider { " * 8 + "name" + " } }" * 8 + " } } }"

    errors = await ask_for_errors(client, nested)

    assert "exceeds maximum operation depth" in errors[0]["message"]


async def test_unknown_fields_are_named(client: httpx.AsyncClient) -> None:
    [error] = await ask_for_errors(client, "{ providers { nodes { colour } } }")

    assert "Cannot query field 'colour' on type 'Provider'" in error["message"]
