"""Stored values an answer built from the rows takes as they are, and those it must not.

`schema/fast_answers.py` takes a stored scalar as it is when it already is what its GraphQL type
serialises it to (a str, a bool, an int that fits, a finite float), and a null as the field's absent
value (its default, or null where the field may be null). Anything else goes through the type's
coercion, or leaves the operation to graphql-core when the value is one the type refuses. Here a
few records are spoiled in the ways a hand-edited database can be (properties missing or null, an
integer where a float is stored, a float where an integer is, a string where a number is) and every
path must give the same answer, compared as JSON text, errors included."""

from __future__ import annotations

import json
from typing import Any

from resolvers.context import RequestContext
from resolvers.db import Database
from resolvers.federation_file import FederationFile
from resolvers.visibility import Scope
from tests.test_answers_from_rows import PATHS, _fast

# Flavors are answered off their rows; regions and quotas from the objects built from them.
SPOILED = """
MATCH (f:Flavor) WITH f ORDER BY f.name, f.uid LIMIT 1
REMOVE f.description, f.stale, f.vcpus SET f.gpuModel = null
WITH count(*) AS done
MATCH (r:Region) WITH r ORDER BY r.name, r.uid LIMIT 1
REMOVE r.bandwidthIn, r.description SET r.overbookingCpu = 2
WITH count(*) AS done
MATCH (q:Quota) WHERE q.cores IS NOT NULL WITH q ORDER BY q.uid LIMIT 1
REMOVE q.cores
"""
ANSWERED = """{
  flavors(first: 100) { nodes { name description stale vcpus ram gpuModel } }
  regions(first: 100) { nodes { name description overbookingCpu bandwidthIn stale } }
  projects(first: 20) { nodes { quotas { __typename ... on ComputeQuota { cores ram perUser usage } } } }
}"""
CASES = [  # (how a value is spoiled, what asks for it, whether its type refuses it)
    (
        "MATCH (f:Flavor) WITH f ORDER BY f.name DESC, f.uid LIMIT 1 SET f.ram = 2.5",
        "{ flavors(first: 100) { nodes { name ram } } }",
        True,
    ),
    (
        "MATCH (f:Flavor) WITH f ORDER BY f.name, f.uid SKIP 1 LIMIT 1 SET f.name = 42",
        "{ flavors(first: 100) { nodes { name } } }",
        False,
    ),
    (
        "MATCH (f:Flavor) WITH f ORDER BY f.name, f.uid SKIP 2 LIMIT 1 SET f.name = [1, 2]",
        "{ flavors(first: 100) { nodes { name } } }",
        True,
    ),
    (
        "MATCH (f:Flavor) WITH f ORDER BY f.name, f.uid SKIP 3 LIMIT 1 SET f.vcpus = 4294967296",
        "{ flavors(first: 100) { nodes { vcpus } } }",
        True,
    ),
    (
        "MATCH (r:Region) WITH r ORDER BY r.name DESC, r.uid LIMIT 1 SET r.overbookingRam = 'plenty'",
        "{ regions(first: 100) { nodes { name overbookingRam } } }",
        True,
    ),
    (
        "MATCH (q:Quota) WHERE q.ram IS NOT NULL WITH q ORDER BY q.uid DESC LIMIT 1 SET q.ram = 'a lot'",
        "{ projects(first: 20) { nodes { quotas { ... on ComputeQuota { ram } } } } }",
        True,
    ),
]


async def _answers(database: Database, query: str) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    answers = {}
    for path, schema in PATHS.items():
        result = await schema.execute(query, context_value=RequestContext(database, Scope.system()))
        errors = sorted((e.message, repr(e.path)) for e in result.errors or [])
        answers[path] = (json.dumps(result.data), errors)
    return answers


async def test_missing_and_null_values_answer_as_their_defaults_on_every_path(
    database: Database, example_federation: FederationFile
) -> None:
    await database.write([(SPOILED, {})])
    before = _fast()
    answers = await _answers(database, ANSWERED)
    assert _fast() == before + 1  # the rows' path answered it, shortcuts and all
    assert answers["from rows"] == answers["primed loaders"] == answers["general"]
    text, errors = answers["general"]
    assert errors == []
    data: dict[str, Any] = json.loads(text)
    flavor = data["flavors"]["nodes"][0]
    assert (flavor["description"], flavor["stale"], flavor["vcpus"], flavor["gpuModel"]) == ("", False, 0, None)
    region = data["regions"]["nodes"][0]
    assert (region["description"], region["bandwidthIn"]) == ("", None)
    assert '"overbookingCpu": 2.0' in text  # an integer stored, a Float answered
    cores = [q.get("cores") for p in data["projects"]["nodes"] for q in p["quotas"] if "perUser" in q]
    assert None in cores


async def test_values_of_another_type_are_coerced_or_refused_alike_on_every_path(
    database: Database, example_federation: FederationFile
) -> None:
    for spoil, query, refused in CASES:
        await database.write([(spoil, {})])
        answers = await _answers(database, query)
        assert answers["from rows"] == answers["primed loaders"] == answers["general"], spoil
        assert bool(answers["general"][1]) is refused, spoil
