"""What is worked out from a parsed document (its validation, cost, stored properties) is kept per
document, by identity, and never stands in for what another request's variables change."""

from __future__ import annotations

import httpx
import pytest
from graphql import parse

from resolvers.federation_file import FederationFile
from schema.parse_cache import CACHED_QUERY_MAX_CHARS, DocumentMemo


def test_a_document_is_worked_out_once_and_a_long_one_every_time() -> None:
    memo = DocumentMemo(size=2)
    calls: list[str] = []

    def work_out(text: str) -> str:
        calls.append(text)
        return text.upper()

    short = parse("{ providers { nodes { name } } }")
    assert memo.get(short, "k", lambda: work_out("a")) == "A"
    assert memo.get(short, "k", lambda: work_out("b")) == "A"  # kept: not worked out again
    assert memo.get(short, "other key", lambda: work_out("c")) == "C"
    long = parse("{ providers { nodes { name } } }" + " " * CACHED_QUERY_MAX_CHARS)
    memo.get(long, "k", lambda: work_out("d"))
    memo.get(long, "k", lambda: work_out("e"))
    assert calls == ["a", "c", "d", "e"]
    # the least recently used is dropped past the size
    memo.get(parse("{ flavors { nodes { name } } }"), "k", lambda: work_out("f"))
    assert memo.get(short, "k", lambda: work_out("g")) == "G"


def test_an_exception_is_not_kept() -> None:
    memo = DocumentMemo()
    document = parse("{ providers { nodes { name } } }")

    def fail() -> str:
        raise ValueError("no")

    for _ in range(2):
        with pytest.raises(ValueError):
            memo.get(document, "k", fail)
    assert memo.get(document, "k", lambda: "now") == "now"


async def test_the_cost_follows_the_variables_of_each_request(
    client: httpx.AsyncClient, example_federation: FederationFile
) -> None:
    # the same text (so the same parsed document) asked with two page sizes
    query = "query Page($n: Int) { flavors(first: $n) { nodes { name } } }"
    costs = []
    for n in (2, 40, 2):
        response = await client.post("/graphql", json={"query": query, "variables": {"n": n}})
        costs.append(response.json()["extensions"]["cost"]["requested"])
    assert costs[0] == costs[2] < costs[1]


async def test_each_operation_of_a_document_reads_its_own_properties(
    client: httpx.AsyncClient, example_federation: FederationFile
) -> None:
    document = """
    query Names { flavors(first: 3) { nodes { name } } }
    query Sizes { flavors(first: 3) { nodes { vcpus ram } } }
    """
    for _ in range(2):  # the second time from what is kept
        names = (await client.post("/graphql", json={"query": document, "operationName": "Names"})).json()
        sizes = (await client.post("/graphql", json={"query": document, "operationName": "Sizes"})).json()
        assert "errors" not in names and "errors" not in sizes
        assert all(set(n) == {"name"} and n["name"] for n in names["data"]["flavors"]["nodes"])
        assert all(n["vcpus"] is not None and n["ram"] is not None for n in sizes["data"]["flavors"]["nodes"])
