"""Posting GraphQL documents to the app, and reading the example queries."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from graphql import FieldNode, OperationDefinitionNode, SelectionSetNode, parse

from tests.conftest import QUERIES, read_statements


@dataclass
class Answer:
    data: dict[str, Any]
    statements: int


def _headers(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token is not None else {}


async def ask(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
) -> Answer:
    """Post one request (anonymous without a token); fail the test on any GraphQL error; count the
    Cypher statements it sent."""
    before = read_statements()
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=_headers(token)
    )
    after = read_statements()
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"]
    return Answer(body["data"], int(after - before))


async def ask_for_errors(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
) -> list[Any]:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=_headers(token)
    )
    body = response.json()
    assert body.get("errors"), body
    return list(body["errors"])


def example(name: str) -> tuple[str, dict[str, Any]]:
    """An example query of examples/queries and its variables."""
    query = (QUERIES / f"{name}.graphql").read_text()
    variables_file = QUERIES / f"{name}.json"
    variables = json.loads(variables_file.read_text()) if variables_file.exists() else {}
    return query, variables


def depth(query: str) -> int:
    """The nesting depth of the query's deepest field (a root field's scalar is depth 2)."""

    def walk(selection_set: SelectionSetNode | None) -> int:
        if selection_set is None:
            return 0
        deepest = 0
        for selection in selection_set.selections:
            inner = (
                selection.selection_set
                if isinstance(selection, FieldNode)
                else getattr(selection, "selection_set", None)
            )
            step = 1 if isinstance(selection, FieldNode) else 0
            deepest = max(deepest, step + walk(inner))
        return deepest

    document = parse(query)
    return max(walk(d.selection_set) for d in document.definitions if isinstance(d, OperationDefinitionNode))


def example_files() -> list[Path]:
    return sorted(QUERIES.glob("*.graphql"))
