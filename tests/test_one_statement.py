"""Every example question and every benchmark tier is ONE Cypher statement, with the general path's answer.

The statements are counted where they are sent: the /metrics counter that `Database.read` adds to for
every statement the driver session runs (mutations are not asked here).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from resolvers.context import RequestContext
from resolvers.db import Database
from resolvers.federation_file import FederationFile
from resolvers.visibility import Scope
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
    answer = await ask(client, query, variables, token=issuer.token("ml-infn"))

    # then it costs one statement, and answers what the general path (resolvers reading level by
    # level) answers for the same caller
    assert answer.statements == 1
    scope = Scope(may_read=True, issuer=ML_INFN["issuer"], groups=("ml-infn",))
    general = await _GENERAL.execute(query, variables, context_value=RequestContext(database, scope))
    assert general.errors is None
    assert answer.data == general.data
    assert answer.data != {}


_GENERAL = build_schema(compiled_reads=False)
