"""Outages fail fast and say so: Neo4j down or frozen answers SERVICE_UNAVAILABLE (503) in seconds and
/readyz 503 within 2 s; the service recovers without a restart. A request's deadline stops its Cypher;
a client that goes away cancels its work."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import neo4j
import pytest
from prometheus_client import REGISTRY

from registry.app import create_app
from registry.database import open_database
from registry.limits import GuardRequests
from registry.local_neo4j import LocalNeo4j
from registry.settings import Settings
from resolvers import db
from resolvers.db import DEADLINE, KNOWN_STATEMENTS, PLANNING_AT_ONCE, Database
from tests.conftest import Issuer, _free_port

QUERY = "{ providers { totalCount } }"


@pytest.fixture(scope="module")
def own_neo4j(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalNeo4j]:
    """A Neo4j of this module's own: freezing the suite's shared one would stall every other test."""
    server = LocalNeo4j(home=tmp_path_factory.mktemp("frozen-neo4j"), port=_free_port(), heap="512m")
    server.start()
    try:
        yield server
    finally:
        pid = server.running_pid()
        if pid is not None:
            os.kill(pid, signal.SIGCONT)
        server.stop()


# The production values (the suite's shared settings allow a loaded machine more).
OUTAGE_SETTINGS = {
    "neo4j_silent_after_s": Settings.model_fields["neo4j_silent_after_s"].default,
    "neo4j_probe_timeout_s": Settings.model_fields["neo4j_probe_timeout_s"].default,
    "request_deadline_s": Settings.model_fields["request_deadline_s"].default,
}


@pytest.fixture
async def app_on_own_neo4j(own_neo4j: LocalNeo4j, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.model_copy(update={"neo4j_uri": own_neo4j.uri, **OUTAGE_SETTINGS}))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        yield http


async def _timed(request: asyncio.Future[httpx.Response] | object) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = await request  # type: ignore[misc]
    return response, time.monotonic() - started


async def test_a_frozen_neo4j_answers_service_unavailable_fast_and_recovers(
    own_neo4j: LocalNeo4j, app_on_own_neo4j: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    http = app_on_own_neo4j
    await _until_answered(http)  # a fresh Neo4j on a loaded machine may be slow to warm up
    pid = own_neo4j.running_pid()
    assert pid is not None
    caplog.set_level(logging.INFO)

    os.kill(pid, signal.SIGSTOP)
    try:
        ready, ready_s = await _timed(http.get("/readyz"))
        answer, answer_s = await _timed(http.post("/graphql", json={"query": QUERY}))
    finally:
        os.kill(pid, signal.SIGCONT)

    assert ready.status_code == 503
    assert ready_s < 2.0
    assert answer.status_code == 503, answer.text
    assert {e["extensions"]["code"] for e in answer.json()["errors"]} == {"SERVICE_UNAVAILABLE"}
    assert answer_s < OUTAGE_SETTINGS["neo4j_silent_after_s"] + OUTAGE_SETTINGS["neo4j_probe_timeout_s"] + 2.0
    # The log says it at ERROR, with the request's id (the one the answer carries).
    request_id = answer.headers["x-request-id"]
    assert [r for r in caplog.records if r.levelno == logging.ERROR and request_id in r.getMessage()]
    # Recovered without a restart: the next requests get fresh connections.
    assert "errors" not in (await _until_answered(http)).json()
    assert (await http.get("/readyz")).status_code == 200


async def test_planning_apart_gives_up_on_a_frozen_neo4j(
    own_neo4j: LocalNeo4j, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A frozen Neo4j never answers: a planning waiting on it would hold its turn for good.
    monkeypatch.setattr(db, "PLANNING_TIMEOUT_S", 0.5)
    database = open_database(settings.model_copy(update={"neo4j_uri": own_neo4j.uri, **OUTAGE_SETTINGS}))
    pid = own_neo4j.running_pid()
    assert pid is not None
    try:
        await database.read("RETURN 1 AS ok", {})  # connected
        os.kill(pid, signal.SIGSTOP)
        try:
            database.plan_apart(f"RETURN 1 AS n_{uuid.uuid4().hex}", {})
            started = time.monotonic()
            await asyncio.wait_for(asyncio.gather(*database.planning.values()), timeout=10.0)
            waited = time.monotonic() - started
        finally:
            os.kill(pid, signal.SIGCONT)

        assert waited < 0.5 + db.CLIENT_GRACE_S + 1.0
        assert not database.planning
    finally:
        await database.close()


async def _until_answered(http: httpx.AsyncClient, within_s: float = 60.0) -> httpx.Response:
    deadline = time.monotonic() + within_s
    while (response := await http.post("/graphql", json={"query": QUERY})).status_code != 200:
        assert time.monotonic() < deadline, response.text
        await asyncio.sleep(0.5)
    return response


async def test_an_unreachable_neo4j_answers_service_unavailable(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"neo4j_uri": f"bolt://127.0.0.1:{_free_port()}"}))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        answer, seconds = await _timed(http.post("/graphql", json={"query": QUERY}))
        ready = await http.get("/readyz")

    assert answer.status_code == 503
    assert [e["extensions"]["code"] for e in answer.json()["errors"]] == ["SERVICE_UNAVAILABLE"]
    assert seconds < 5.0
    assert ready.status_code == 503


async def test_the_deadline_stops_a_statement_in_neo4j(database: Database) -> None:
    # Counting to 10^11 takes Neo4j minutes; the deadline's transaction timeout stops it in Neo4j itself.
    token = DEADLINE.set(asyncio.get_running_loop().time() + 0.5)
    started = time.monotonic()
    try:
        with pytest.raises(neo4j.exceptions.ClientError) as refused:
            await database.read("UNWIND range(1, 100000000000) AS x RETURN count(x) AS n", {})
    finally:
        DEADLINE.reset(token)

    assert refused.value.code is not None and "TransactionTimedOut" in refused.value.code
    assert time.monotonic() - started < 3.0


def _planned() -> float:
    return REGISTRY.get_sample_value("registry_statements_planned_after_timeout_total") or 0.0


async def _planning_done(database: Database) -> None:
    await asyncio.gather(*database.planning.values())


async def test_a_read_stopped_at_its_deadline_has_its_statement_planned_apart(database: Database) -> None:
    # Neo4j keeps no plan of a statement stopped at its timeout: one whose planning outlasts the deadline
    # would be planned, and stopped, on every request. The read that ran out of time has it planned apart.
    statement = f"UNWIND range(1, 100000000000) AS x RETURN count(x) AS n_{uuid.uuid4().hex}"
    await _planning_done(database)
    before = _planned()
    token = DEADLINE.set(asyncio.get_running_loop().time() + 0.3)
    try:
        with pytest.raises(neo4j.exceptions.ClientError):
            await database.read(statement, {})
    finally:
        DEADLINE.reset(token)

    assert list(database.planning) == [statement]
    await _planning_done(database)
    assert _planned() == before + 1
    assert not database.planning


async def test_a_read_cancelled_by_its_deadline_has_its_statement_planned_apart(database: Database) -> None:
    # The request's deadline cancels its work; the read may be waiting for Neo4j's answer then.
    statement = f"UNWIND range(1, 100000000000) AS x RETURN count(x) AS n_{uuid.uuid4().hex}"
    await _planning_done(database)
    reading = asyncio.create_task(database.read(statement, {}))
    await asyncio.sleep(0.3)
    reading.cancel()
    with pytest.raises(asyncio.CancelledError):
        await reading

    assert list(database.planning) == [statement]
    await _planning_done(database)


async def test_planning_apart_runs_once_per_statement_and_a_few_at_a_time(database: Database) -> None:
    statements = [f"RETURN {i} AS n_{uuid.uuid4().hex}" for i in range(PLANNING_AT_ONCE + 1)]
    await _planning_done(database)
    before = _planned()

    for statement in [statements[0], *statements]:
        database.plan_apart(statement, {})

    assert list(database.planning) == statements[:PLANNING_AT_ONCE]
    await _planning_done(database)
    assert _planned() == before + PLANNING_AT_ONCE


async def _read_until(database: Database, statement: str, seconds: float) -> None:
    token = DEADLINE.set(asyncio.get_running_loop().time() + seconds)
    try:
        await database.read(statement, {})
    finally:
        DEADLINE.reset(token)


async def test_new_statements_take_turns_and_known_ones_never_wait(settings: Settings) -> None:
    # Each statement new to Neo4j costs it a plan (~1 s of CPU for a deep question): callers sending new
    # query shapes must not make it plan many at once, nor hold up the questions it already knows.
    database = open_database(settings.model_copy(update={"neo4j_new_statements_at_once": 1}))
    try:
        known = f"RETURN 1 AS n_{uuid.uuid4().hex}"
        await database.read(known, {})
        counting = f"UNWIND range(1, 100000000000) AS x RETURN count(x) AS n_{uuid.uuid4().hex}"
        slow = asyncio.create_task(_read_until(database, counting, 2.0))
        await asyncio.sleep(0.3)  # the slow new statement holds the one turn

        await database.read(known, {})
        assert not slow.done()  # the known statement did not wait for it
        name = f"n_{uuid.uuid4().hex}"
        waiting = asyncio.create_task(database.read(f"RETURN 2 AS {name}", {}))
        await asyncio.sleep(0.5)
        assert not waiting.done()  # another new one waits its turn

        with pytest.raises(neo4j.exceptions.ClientError):
            await slow
        assert await waiting == [{name: 2}]  # and is read once the turn is free
    finally:
        await database.close()


def test_the_known_statements_are_the_latest_read() -> None:
    database = Database(driver=None)  # type: ignore[arg-type]  # nothing is sent
    for i in range(KNOWN_STATEMENTS):
        database._remember(f"RETURN {i}")
    database._gate("RETURN 0")  # read again: now the latest

    database._remember("RETURN new")

    assert len(database.known) == KNOWN_STATEMENTS
    assert "RETURN 0" in database.known and "RETURN 1" not in database.known


async def test_a_request_past_its_deadline_gets_deadline_exceeded(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"request_deadline_s": 0.001}))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        response = await http.post("/graphql", json={"query": QUERY})

    assert response.status_code == 504
    assert response.json()["errors"][0]["extensions"]["code"] == "DEADLINE_EXCEEDED"


async def test_a_client_that_goes_away_cancels_the_work(settings: Settings) -> None:
    cancelled = asyncio.Event()

    async def endless(scope: object, receive: object, send: object) -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    guard = GuardRequests(endless, settings)
    messages = [{"type": "http.request", "body": b"{}", "more_body": False}]

    async def receive() -> dict[str, object]:
        if messages:
            return messages.pop()
        await asyncio.sleep(0.2)  # the client hangs up while the work runs
        return {"type": "http.disconnect"}

    async def send(message: object) -> None:
        raise AssertionError("nothing is sent to a client that has gone")

    scope = {"type": "http", "method": "POST", "path": "/graphql", "headers": []}
    await asyncio.wait_for(guard(scope, receive, send), timeout=5)  # type: ignore[arg-type]

    assert cancelled.is_set()


async def test_a_mutation_runs_under_the_longer_write_deadline(
    settings: Settings, issuer: Issuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a bundle whose reconcile takes 1.5 s (a big provider), and reads allowed only 1 s
    from resolvers.reconcile import Changes
    from schema import bundle

    async def slow(*args: object, **kwargs: object) -> Changes:
        await asyncio.sleep(1.5)
        return Changes()

    monkeypatch.setattr(bundle, "reconcile", slow)
    upsert = """mutation($b: JSON!) { upsertProviderBundle(bundle: $b) { changed } }"""
    payload = {"query": upsert, "variables": {"b": {"provider": {"name": "P", "type": "openstack"}}}}
    headers = {"Authorization": f"Bearer {issuer.token(writer=True)}"}
    answers = {}
    for write_deadline in (30.0, 0.5):
        app = create_app(settings.model_copy(update={"request_deadline_s": 1.0, "write_deadline_s": write_deadline}))
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://t") as http,
        ):
            answers[write_deadline] = await http.post("/graphql", json=payload, headers=headers)

    # then with the write deadline it lands, and a write deadline shorter than the work is still enforced
    assert answers[30.0].status_code == 200, answers[30.0].text
    assert answers[30.0].json()["data"] == {"upsertProviderBundle": {"changed": False}}
    assert answers[0.5].status_code == 504
    assert answers[0.5].json()["errors"][0]["extensions"]["code"] == "DEADLINE_EXCEEDED"


async def test_a_neo4j_that_answers_with_an_error_is_alive(database: Database) -> None:
    from resolvers.liveness import Liveness

    # given a probe whose statement Neo4j refuses (no such database: an answer, not silence)
    refused = Liveness(database.driver, database="no-such-database", probe_timeout_s=5.0)
    unreachable_driver = neo4j.AsyncGraphDatabase.driver(f"bolt://127.0.0.1:{_free_port()}", auth=None)
    unreachable = Liveness(unreachable_driver, probe_timeout_s=5.0)
    try:
        # when each probes; then the one that got an error says Neo4j answers, the unreachable one does not
        assert await refused.answers() is True
        assert await unreachable.answers() is False
    finally:
        await unreachable_driver.close()
