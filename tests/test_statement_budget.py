"""No statement a request sends holds more than a budget of subqueries — what Neo4j plans, ~30 ms each,
the first time it sees a text. A read operation's one statement stops at the budget, and the reads past
it are made by their fields' own statements (the general path's loaders); those, folded per level by
the statement batcher, stop at it too and never repeat a branch's text. The answer is the same.

Without the budget, 4 aliased regions × 4 aliased compute services below a group's projects made one
statement of ~250 subqueries that Neo4j planned for 8 s at the egi scale, for every new shape sent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import httpx
import pytest
from prometheus_client import REGISTRY

from registry.app import create_app
from registry.settings import Settings
from resolvers.context import RequestContext
from resolvers.db import STATEMENT_SUBQUERIES_MAX, Database, subqueries
from resolvers.federation_file import FederationFile
from resolvers.visibility import Scope
from schema.root import build_schema
from tests.conftest import Issuer
from tests.graphql_client import ask

ML_INFN = {"group": "ml-infn", "issuer": "https://iam.cloud.infn.it/"}
MEMBER = Scope(may_read=True, issuer=ML_INFN["issuer"], groups=("ml-infn",))
COMPILED = build_schema()
GENERAL = build_schema(compiled_reads=False)


def deep(aliases: int) -> str:
    """A matchmaking-shaped question with `aliases` aliased regions, each with `aliases` aliased compute
    services (different filters, so that the reads differ)."""
    services = " ".join(
        f"c{i}: computeServices {{ service {{ endpoint }} flavors(where: {{gpusMin: {i}}}) {{ name gpus }} "
        "images { name } quotas { cores } }"
        for i in range(aliases)
    )
    regions = " ".join(
        f"r{i}: regions {{ region {{ name location {{ site }} }} {services} "
        "networkServices { networks { name } } }"
        for i in range(aliases)
    )
    return (
        "query Deep($group: String!, $issuer: String!) { userGroup(name: $group, issuer: $issuer) {"
        f" name slas {{ startDate projects {{ name provider {{ name }} {regions} }} }} }} }}"
    )


def _cuts() -> float:
    return REGISTRY.get_sample_value("registry_compiled_read_budget_cuts_total") or 0.0


class _Sent:
    """The statements a database is sent (the real database answers them)."""

    def __init__(self, database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
        self.texts: list[str] = []
        read = database.read

        async def recording(cypher: str, params: Mapping[str, Any], **options: Any) -> Any:
            self.texts.append(cypher)
            return await read(cypher, params, **options)

        monkeypatch.setattr(database, "read", recording)


@pytest.mark.parametrize("budget", [8, 24, STATEMENT_SUBQUERIES_MAX])
async def test_a_statement_stops_at_its_budget_and_the_answer_stays_the_same(
    budget: int, example_federation: FederationFile, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a question whose one statement would hold far more subqueries than the budget
    query = deep(3)
    sent = _Sent(database, monkeypatch)
    cuts = _cuts()

    # when a member of the group asks it, the statement's budget set
    context = RequestContext(database, MEMBER, statement_subqueries_max=budget)
    answer = await COMPILED.execute(query, ML_INFN, context_value=context)

    # then the operation's statement holds no more subqueries than the budget, and the reads past it
    # were made by statements of their own (a few: one per walk and level, not one per field)
    assert answer.errors is None, answer.errors
    compiled, *own = sent.texts
    assert subqueries(compiled) <= budget
    assert own and len(sent.texts) == context.statements < 12
    assert _cuts() > cuts

    # and the answer is the general path's (types and order count)
    monkeypatch.undo()
    general = await GENERAL.execute(query, ML_INFN, context_value=RequestContext(database, MEMBER))
    assert answer.errors is None and general.errors is None
    assert json.dumps(answer.data) == json.dumps(general.data)
    assert answer.data and answer.data["userGroup"]["slas"]


async def test_a_question_within_the_budget_is_one_statement(
    example_federation: FederationFile, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a smaller question of the same shape, within the default budget
    query = deep(1)
    sent = _Sent(database, monkeypatch)
    cuts = _cuts()

    # when it is asked
    context = RequestContext(database, MEMBER)
    answer = await COMPILED.execute(query, ML_INFN, context_value=context)

    # then it is one statement, nothing cut
    assert answer.errors is None
    assert len(sent.texts) == context.statements == 1
    assert subqueries(sent.texts[0]) <= STATEMENT_SUBQUERIES_MAX
    assert _cuts() == cuts


@pytest.mark.parametrize("budget", [None, 10**9])
async def test_the_service_applies_the_budget_it_is_set_with(
    budget: int | None, settings: Settings, example_federation: FederationFile, issuer: Issuer, database: Database
) -> None:
    # given the service with its default budget, or with one no statement reaches
    update = {} if budget is None else {"max_statement_subqueries": budget}
    app = create_app(settings.model_copy(update=update))
    query = deep(3)

    # when a member asks a question past the default budget over HTTP
    cuts = _cuts()
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://registry.test") as http,
    ):
        answer = await ask(http, query, ML_INFN, token=issuer.token("ml-infn"))

    # then with the default its reads past the budget were cut, and without one it is one statement;
    # the answer is the general path's either way
    if budget is None:
        assert _cuts() > cuts
        assert 1 < answer.statements < 12
    else:
        assert _cuts() == cuts
        assert answer.statements == 1
    general = await GENERAL.execute(query, ML_INFN, context_value=RequestContext(database, MEMBER))
    assert json.dumps(answer.data) == json.dumps(general.data)


def test_the_budget_counts_the_subqueries_neo4j_plans() -> None:
    # a read is one; each EXISTS, COLLECT, COUNT and CALL subquery and each UNION branch adds one
    assert subqueries("MATCH (n:Region) RETURN n") == 1
    text = """MATCH (n:Region) WHERE EXISTS { (n)-[:SUPPLIES]->() } AND COUNT{ (n)--() } > 1
CALL (n) { MATCH (n)-->(m) RETURN m UNION MATCH (n)<--(m) RETURN m }
RETURN n {.name, services: COLLECT { MATCH (n)-->(s) RETURN s }, existsIn: n.callCount} AS row"""
    assert subqueries(text) == 6


def wide(aliases: int) -> str:
    """A group's compute services with `aliases` aliased flavor lists, each with its own filter: as many
    loaders of one walk (one text, different values) on the general path."""
    flavors = " ".join(f"f{i}: flavors(where: {{gpusMin: {i}}}) {{ name gpus }}" for i in range(aliases))
    return (
        "query Wide($group: String!, $issuer: String!) { userGroup(name: $group, issuer: $issuer) {"
        f" slas {{ projects {{ name regions {{ computeServices {{ service {{ endpoint }} {flavors} images {{ name }}"
        " } } } } } }"
    )


@pytest.mark.parametrize("budget", [10, STATEMENT_SUBQUERIES_MAX])
async def test_the_batcher_folds_a_level_within_the_budget_never_repeating_a_branch(
    budget: int, example_federation: FederationFile, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a question with many loaders of one walk at one level, asked on the general path
    query = wide(6)
    sent = _Sent(database, monkeypatch)

    # when a member asks it with a budget
    context = RequestContext(database, MEMBER, statement_subqueries_max=budget)
    answer = await GENERAL.execute(query, ML_INFN, context_value=context)

    # then no statement holds more subqueries than the budget (unless it is one branch), and none
    # holds the same branch twice: the repeats went to statements of their own
    assert answer.errors is None
    for text in sent.texts:
        branches = [re.sub(r"\$p\d+\b", "$p", branch) for branch in text.split("\nUNION ALL\n")]
        assert subqueries(text) <= budget or len(branches) == 1
        assert len(branches) == len(set(branches))
    assert len(sent.texts) > len({re.sub(r"\$p\d+\b", "$p", text) for text in sent.texts})  # texts reused

    # and the answer is the one statement's (the compiled path, no budget)
    monkeypatch.undo()
    whole = RequestContext(database, MEMBER, statement_subqueries_max=10**9)
    compiled = await COMPILED.execute(query, ML_INFN, context_value=whole)
    assert whole.statements == 1
    assert json.dumps(answer.data) == json.dumps(compiled.data)
    assert any(project["regions"] for sla in answer.data["userGroup"]["slas"] for project in sla["projects"])
