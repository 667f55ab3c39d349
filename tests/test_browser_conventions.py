"""What browser dashboards on other sites and HTTP caches rely on: CORS for the configured origins only,
queries (never mutations) over GET, and Cache-Control that lets caches keep only answers that depend on
no caller."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import ValidationError

from registry.app import create_app
from registry.settings import Settings
from resolvers.db import Database
from resolvers.federation_file import FederationFile
from tests.conftest import Issuer

DASHBOARD = "https://dashboard.cloud.infn.it"
ELSEWHERE = "https://evil.example.org"
PROVIDERS = "query Providers { providers(first: 5) { nodes { name } } }"


@pytest.fixture(scope="module")
async def cors_client(settings: Settings, database: Database) -> AsyncIterator[httpx.AsyncClient]:
    # After `database`: two apps applying the constraints at once race in Neo4j.
    app = create_app(settings.model_copy(update={"cors_origins": [DASHBOARD, "http://127.0.0.1:5173"]}))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://registry.test") as http:
            yield http


def _cors_headers(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.lower().startswith("access-control-")}


def _preflight(origin: str, method: str = "POST", headers: str = "authorization, content-type") -> dict[str, str]:
    return {"Origin": origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": headers}


async def test_cors_is_off_by_default(client: httpx.AsyncClient) -> None:
    preflight = await client.options("/graphql", headers=_preflight(DASHBOARD))
    answer = await client.post("/graphql", json={"query": PROVIDERS}, headers={"Origin": DASHBOARD})

    assert preflight.status_code == 405
    assert _cors_headers(preflight) == {}
    assert _cors_headers(answer) == {}


async def test_a_preflight_from_a_listed_origin_allows_the_token_and_json(cors_client: httpx.AsyncClient) -> None:
    response = await cors_client.options("/graphql", headers=_preflight(DASHBOARD))

    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == DASHBOARD
    allowed_headers = {h.strip() for h in response.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type"} <= allowed_headers
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["access-control-allow-methods"].split(",")}
    assert int(response.headers["access-control-max-age"]) > 0
    assert "access-control-allow-credentials" not in response.headers
    assert "Origin" in response.headers["vary"]


async def test_an_answer_to_a_listed_origin_names_it_and_exposes_the_request_id(
    cors_client: httpx.AsyncClient, example_federation: FederationFile
) -> None:
    response = await cors_client.post("/graphql", json={"query": PROVIDERS}, headers={"Origin": DASHBOARD})

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == DASHBOARD
    assert "x-request-id" in response.headers["access-control-expose-headers"].lower()
    assert "Origin" in response.headers["vary"]


async def test_an_origin_not_listed_gets_no_cors_header(
    cors_client: httpx.AsyncClient, example_federation: FederationFile
) -> None:
    preflight = await cors_client.options("/graphql", headers=_preflight(ELSEWHERE))
    answer = await cors_client.post("/graphql", json={"query": PROVIDERS}, headers={"Origin": ELSEWHERE})
    # an origin differing only in scheme or port is another origin
    near_miss = await cors_client.options("/graphql", headers=_preflight("http://dashboard.cloud.infn.it"))

    assert preflight.status_code == 403
    assert _cors_headers(preflight) == {}
    assert _cors_headers(answer) == {}
    assert _cors_headers(near_miss) == {}


async def test_a_preflight_asking_for_another_header_or_method_is_refused(cors_client: httpx.AsyncClient) -> None:
    for headers in (_preflight(DASHBOARD, headers="x-custom-secret"), _preflight(DASHBOARD, method="DELETE")):
        response = await cors_client.options("/graphql", headers=headers)

        assert response.status_code == 403, headers
        assert _cors_headers(response) == {}


def test_origins_are_read_comma_separated_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGISTRY_CORS_ORIGINS", "https://a.example.org, http://127.0.0.1:5173")
    assert Settings().cors_origins == ["https://a.example.org", "http://127.0.0.1:5173"]

    for wrong in ("https://a.example.org/", "a.example.org", "https://A.example.org", "ftp://a.example.org"):
        with pytest.raises(ValidationError, match="is not an origin"):
            Settings(cors_origins=[wrong])


async def test_an_anonymous_query_over_get_is_answered_and_may_be_cached(
    client: httpx.AsyncClient, example_federation: FederationFile
) -> None:
    query = "query Providers($first: Int) { providers(first: $first) { nodes { name } } }"
    posted = await client.post("/graphql", json={"query": query, "variables": {"first": 3}})

    got = await client.get("/graphql", params={"query": query, "variables": json.dumps({"first": 3})})

    assert got.status_code == 200, got.text
    assert got.json() == posted.json()
    assert got.json()["data"]["providers"]["nodes"]
    assert got.headers["cache-control"] == "public, max-age=60"
    assert "Authorization" in got.headers["vary"]


async def test_an_answer_for_a_caller_or_with_errors_is_kept_by_no_cache(
    client: httpx.AsyncClient, issuer: Issuer, example_federation: FederationFile
) -> None:
    token = issuer.token("ml-infn")
    for_a_member = await client.get(
        "/graphql", params={"query": PROVIDERS}, headers={"Authorization": f"Bearer {token}"}
    )
    with_an_error = await client.get("/graphql", params={"query": "{ providers { nodes { colour } } }"})

    assert for_a_member.status_code == 200
    assert for_a_member.headers["cache-control"] == "private, no-store"
    assert with_an_error.status_code == 400
    assert with_an_error.headers["cache-control"] == "private, no-store"


async def test_a_mutation_over_get_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, issuer: Issuer, example_federation: FederationFile
) -> None:
    writer = {"Authorization": f"Bearer {issuer.token(writer=True, subject='feeder')}"}
    listed = await client.post("/graphql", json={"query": "{ providers(first: 1) { nodes { id } } }"})
    provider_id = listed.json()["data"]["providers"]["nodes"][0]["id"]
    mutation = "mutation($id: ID!) { deleteProvider(id: $id) { removed { label count } } }"

    response = await client.get(
        "/graphql", params={"query": mutation, "variables": json.dumps({"id": provider_id})}, headers=writer
    )

    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "POST" in error["message"]
    still = await client.post(
        "/graphql", json={"query": "query($id: ID!) { provider(id: $id) { id } }", "variables": {"id": provider_id}}
    )
    assert still.json()["data"]["provider"] == {"id": provider_id}


async def test_get_queries_can_be_turned_off(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"get_queries": False}))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        response = await http.get("/graphql", params={"query": PROVIDERS})

    assert response.status_code == 405
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["message"] == "Queries are turned off and not answered over GET: send them with POST."
