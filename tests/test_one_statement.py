"""Every example question and every benchmark tier is ONE Cypher statement, with the general path's answer.

The statements are counted where they are sent: the /metrics counter that `Database.read` adds to for
every statement the driver session runs (mutations are not asked here).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client import REGISTRY

from resolvers.context import RequestContext
from resolvers.db import Database
from resolvers.federation_file import FederationFile
from resolvers.visibility import Scope
from resolvers.walks import edge_walk
from schema.read_plan import FIELD_COMPILERS, register_field_compiler
from schema.root import build_schema
from tests.conftest import PROJECT, Issuer
from tests.graphql_client import ask, example_files

BENCH_QUERIES = sorted((PROJECT / "bench" / "queries").glob("*.graphql"))
# The caller of the example federation's questions: a member of the group they ask about (INFN IAM).
ML_INFN = {"group": "ml-infn", "issuer": "https://iam.cloud.infn.it/"}


def _variables(path: Path) -> dict[str, Any]:
    variables_file = path.with_suffix(".json")
    stored = dict(json.loads(variables_file.read_text())) if variables_file.exists() else {}
    if path.parent.name == "queries" and path.parent.parent.name == "bench":  # as bench/run.py asks them
        asked = {"list": {}, "dropdown": dict(ML_INFN), "placement": dict(ML_INFN)}.get(
            path.stem, {**ML_INFN, "minGpus": 1}
        )
        return {**asked, **stored}
    return stored


QUESTIONS = {
    f"{p.parent.parent.name}/{p.stem}": (p.read_text(), _variables(p)) for p in [*example_files(), *BENCH_QUERIES]
}


@pytest.mark.parametrize("name", sorted(QUESTIONS))
async def test_each_question_is_one_statement(
    name: str, client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer, database: Database
) -> None:
    # given the example federation and a question, asked by a member of the group it names
    query, variables = QUESTIONS[name]

    # when it is asked over HTTP
    fast, general_path = _answers("fast"), _answers("general")
    answer = await ask(client, query, variables, token=issuer.token("ml-infn"))

    # then it costs one statement, and its answer is made straight from the statement's rows
    assert answer.statements == 1
    assert (_answers("fast") - fast, _answers("general") - general_path) == (1, 0)

    # and answers what the general path (resolvers reading level by level) answers for the same caller
    scope = Scope(may_read=True, issuer=ML_INFN["issuer"], groups=("ml-infn",))
    general = await _GENERAL.execute(query, variables, context_value=RequestContext(database, scope))
    assert general.errors is None
    assert json.dumps(answer.data) == json.dumps(general.data)  # types and order count
    assert answer.data != {}

    # and asked again, it is not planned again: the cached plan is bound to it, still one statement
    hits, misses = _plans("hit"), _plans("miss")
    again = await ask(client, query, variables, token=issuer.token("ml-infn"))
    assert (_plans("hit") - hits, _plans("miss") - misses) == (1, 0)
    assert again.statements == 1
    assert again.data == general.data


def _answers(path: str) -> float:
    return REGISTRY.get_sample_value("registry_fast_answers_total", {"path": path}) or 0.0


def _plans(outcome: str) -> float:
    return REGISTRY.get_sample_value("registry_read_plans_total", {"outcome": outcome}) or 0.0


_GENERAL = build_schema(compiled_reads=False)


class _LocationsByOwnCypher:
    """A field compiler as placement would write one: its own Cypher for `Region.location`, delivered to
    the loader its resolver reads (the walk from a region to its location)."""

    def __init__(self) -> None:
        self.compiled = 0

    def fragment(self, arguments: Mapping[str, Any], name: str) -> tuple[str, Any] | None:
        self.compiled += 1
        cypher = """UNWIND objects AS o
OPTIONAL MATCH (:Region {uid: o.uid})-[:LOCATED_AT]->(n:Location)
RETURN collect([o.uid, CASE WHEN n IS NULL THEN [] ELSE [n {.*}] END]) AS value"""
        return cypher, {}

    def deliver(self, context: RequestContext, arguments: Mapping[str, Any], value: Any) -> None:
        loader = context.loader(edge_walk("Region", "Location"))
        for uid, rows in value:
            loader.prime_rows(uid, rows)


async def test_a_field_with_cypher_of_its_own_joins_the_one_statement(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer, database: Database
) -> None:
    # given a field compiler registered for Region.location
    compiler = _LocationsByOwnCypher()
    register_field_compiler("Region", "location", compiler)
    query = "{ regions(first: 50) { nodes { name location { site country } } } }"
    try:
        # when regions and their locations are asked
        answer = await ask(client, query, token=issuer.token("ml-infn"))
    finally:
        FIELD_COMPILERS.pop(("Region", "location"))

    # then its Cypher ran inside the one statement, and the answer is the general path's
    assert compiler.compiled == 1
    assert answer.statements == 1
    general = await _GENERAL.execute(query, context_value=RequestContext(database, Scope(may_read=True)))
    assert answer.data == general.data
    assert any(region["location"] for region in answer.data["regions"]["nodes"])
