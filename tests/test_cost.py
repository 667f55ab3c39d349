"""The cost limit: computed before execution, refusing breadth bombs before any Cypher runs, reported
on every answer, and leaving every query the project ships with room."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import parse

import resolvers.walks as walk
from resolvers.federation_file import FederationFile
from schema.cost import DEFAULT_COST_LIMIT, NESTED_LIST_SIZE, query_cost
from schema.root import schema
from tests.conftest import PROJECT, QUERIES, read_statements
from tests.graphql_client import ask

SHIPPED = sorted(QUERIES.glob("*.graphql")) + sorted((PROJECT / "bench" / "queries").glob("*.graphql"))


def cost(query: str, variables: dict[str, Any] | None = None, operation: str | None = None) -> int:
    return query_cost(schema._schema, parse(query), operation, variables or {})


def _variables(path: Path) -> dict[str, Any]:
    found = path.with_suffix(".json")
    return json.loads(found.read_text()) if found.exists() else {}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_query_passes_with_room(path: Path) -> None:
    assert cost(path.read_text(), _variables(path)) * 100 <= DEFAULT_COST_LIMIT


def test_a_root_page_multiplies_by_first_and_a_nested_list_by_its_maximum() -> None:
    # flavors (the connection: 1 per page item), nodes (the page), computeServices (nested)
    assert cost("{ flavors(first: 7) { nodes { name computeServices { endpoint } } } }") == 7 + 7 * (
        1 + NESTED_LIST_SIZE
    )
    assert cost("{ flavors { totalCount } }") == 20  # the default page
    assert cost("query ($n: Int!) { flavors(first: $n) { nodes { name } } }", {"n": 3}) == 3 + 3


def test_fragments_and_aliases_count_every_time_they_are_used() -> None:
    one = cost("{ flavors(first: 5) { nodes { computeServices { endpoint } } } }")
    twice = cost(
        """
        { a: flavors(first: 5) { ...F } b: flavors(first: 5) { ... on FlavorConnection { ...F } } }
        fragment F on FlavorConnection { nodes { computeServices { endpoint } } }
        """
    )
    assert twice == 2 * one


BOMB = (
    "{ flavors(first: 100) { nodes { computeServices { flavors { computeServices { flavors { computeServices {"
    " flavors { computeServices { flavors { computeServices { flavors { computeServices { flavors { name }"
    " } } } } } } } } } } } } } }"
)
# Under the limit alone; ten aliases of it are not.
WIDE = (
    "images(first: 100) { nodes { computeServices { images { computeServices { images { computeServices { name }"
    " } } } } } }"
)
# The same bomb through fragments, aliases, inline fragments and a variable page size.
BOMBS = {
    "issue 11's breadth bomb": (BOMB, {}),
    "one level less": (BOMB.replace("computeServices { flavors { name } }", "name"), {}),
    "through fragments": (
        """
        query Bomb($n: Int) { flavors(first: $n) { nodes { ...A } } }
        fragment A on Flavor { computeServices { flavors { ...B } } }
        fragment B on Flavor { computeServices { flavors { ...C } } }
        fragment C on Flavor { computeServices { flavors { ... on Flavor { computeServices { name } } } } }
        """,
        {"n": 100},
    ),
    "wide through aliases": ("{ " + " ".join(f"a{i}: {WIDE}" for i in range(10)) + " }", {}),
}


@pytest.mark.parametrize("bomb", list(BOMBS))
async def test_bombs_are_refused_before_any_cypher_runs(
    client: httpx.AsyncClient, example_federation: FederationFile, bomb: str
) -> None:
    query, variables = BOMBS[bomb]
    before = read_statements()

    response = await client.post("/graphql", json={"query": query, "variables": variables})

    assert read_statements() == before
    assert response.status_code == 400
    body = response.json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert error["extensions"]["limit"] == DEFAULT_COST_LIMIT
    assert error["extensions"]["cost"] == cost(query, variables) > DEFAULT_COST_LIMIT


async def test_every_answer_reports_its_cost(client: httpx.AsyncClient, example_federation: FederationFile) -> None:
    query = "{ flavors(first: 3) { nodes { name } } }"

    response = await client.post("/graphql", json={"query": query})

    assert response.json()["extensions"]["cost"] == {"requested": 6, "limit": DEFAULT_COST_LIMIT}


async def test_a_nested_list_over_its_maximum_is_refused_not_cut_short(
    client: httpx.AsyncClient, example_federation: FederationFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The example's services offer a handful of flavors each; a maximum of 2 makes them too long.
    query = "{ computeServices(first: 100) { nodes { endpoint flavors { name } } } }"
    longest = max(len(s["flavors"]) for s in (await ask(client, query)).data["computeServices"]["nodes"])
    assert longest > 2
    monkeypatch.setattr(walk, "NESTED_LIST_MAX", 2)

    response = await client.post("/graphql", json={"query": query})

    errors = response.json()["errors"]
    assert {e["extensions"]["code"] for e in errors} == {"LIST_TOO_LONG"}
    assert "more than 2 items" in errors[0]["message"]
